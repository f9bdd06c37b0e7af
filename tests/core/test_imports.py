"""The one bulk-import mechanism (gongjian.core.imports): headers in either language, every problem
named by row and column, the model's own messages, nothing written on any problem, updates by key
with history, and a file of ten thousand rows."""

from __future__ import annotations

import polars as pl
import pytest
from django.forms import modelform_factory

from gongjian.core import imports
from gongjian.core.problems import InvalidInput
from gongjian.regions.models import Organisation, Region

FIELDS = ["name", "kind", "region", "credit_code"]


def _spec(**options) -> imports.ImportSpec:
    return imports.ImportSpec.for_fields(Organisation, FIELDS, **options)


def _csv(tmp_path, text: str, name: str = "orgs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(call) -> list:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.problems


def test_headers_in_chinese_and_in_english_read_the_same(world, tmp_path):
    chinese = _csv(tmp_path, "名称,类型,行政区,统一社会信用代码\n郑州市水利局,department,410100,\n", "zh.csv")
    # English verbose names or field names, in any case, with spaces and a note in parentheses
    english = _csv(tmp_path, " Name ,KIND,region (code),credit_code\n中牟县水利局,职能部门,410122,\n", "en.csv")
    assert imports.import_rows(chinese, _spec()).created == 1
    assert imports.import_rows(english, _spec()).created == 1
    made = {o.name: (o.kind, o.region.name) for o in Organisation.objects.filter(name__endswith="水利局")}
    assert made == {"郑州市水利局": ("department", "郑州市"), "中牟县水利局": ("department", "中牟县")}


def test_unknown_and_missing_headers_are_named(world, tmp_path):
    path = _csv(tmp_path, "名称,单位电话,行政区\n某局,123,410100\n")
    problems = _problems(lambda: imports.read_rows(path, _spec()).check())
    assert {(p.source, p.row, p.field) for p in problems} == {("orgs.csv", 1, "单位电话"), ("orgs.csv", 1, "类型")}
    assert any("unknown column" in p.message for p in problems) and any("missing column" in p.message for p in problems)


def test_an_offices_row_numbers_and_remarks_are_ignored_and_a_misspelt_header_is_not(world, tmp_path):
    sheet = _csv(tmp_path, "序号,名称,类型,行政区,统一社会信用代码,备注,说明,No.,Remarks,note\n"
                           "1,郑州市水利局,department,410100,,新设,见文件,1,new,x\n")
    assert imports.import_rows(sheet, _spec()).created == 1
    assert Organisation.objects.filter(name="郑州市水利局").exists()
    misspelt = _csv(tmp_path, "序号,名称,类刑,行政区\n1,某局,department,410100\n", "typo.csv")
    problems = _problems(lambda: imports.read_rows(misspelt, _spec()).check())
    assert {(p.row, p.field) for p in problems} == {(1, "类刑"), (1, "类型")}


def test_a_bookkeeping_header_a_column_claims_is_that_column():
    spec = imports.ImportSpec(Organisation, (imports.Column("name", ("名称",)), imports.Column("remark", ("备注",))))
    batch = imports.read_rows([{"名称": "某局", "备注": "新设"}], spec, "api")
    assert batch.headers == {"name": "名称", "remark": "备注"}
    assert batch.rows[0].values["remark"] == "新设"


def test_every_problem_names_its_row_and_column(world, tmp_path):
    path = _csv(tmp_path, "名称,类型,行政区,统一社会信用代码\n"
                          "甲局,planet,410100,\n"                  # row 2: not a kind
                          "乙局,department,999999,\n"              # row 3: no such region
                          ",,,\n"                                  # row 4: blank, skipped
                          "丙局,department,410100,1234567890123456789\n"  # row 5: code too long (the model's rule)
                          "市环保局,department,410100,\n"            # row 6: an alias of another body (Organisation.clean)
                          "丁局,department,410100,\n"              # row 7: good
                          "丁局,other,410100,\n")                  # row 8: the same organisation again
    before = Organisation.objects.count()
    problems = _problems(lambda: imports.import_rows(path, _spec()))
    assert [(p.row, p.field) for p in problems] == [(2, "类型"), (3, "行政区"), (5, "统一社会信用代码"), (6, "名称"),
                                                    (8, "名称")]
    assert all(p.source == "orgs.csv" for p in problems)
    assert "'planet'" in problems[0].message and "'999999'" in problems[1].message
    assert "row 7" in problems[4].message
    assert Organisation.objects.count() == before


def test_a_number_or_date_that_cannot_be_read_names_row_and_column():
    frame = pl.DataFrame({"kw": ["1.5", "abc", "inf"], "day": ["2020-01-01", "2020/01/02", "tuesday"]})
    spec = imports.ImportSpec(Organisation, (imports.Column("kw", "kw", imports.number),
                                             imports.Column("day", "day", imports.date)))
    batch = imports.read_rows(frame, spec, "x.csv")
    assert [(p.row, p.field, p.message) for p in batch.problems if p.field in ("kw", "day")] == [
        (3, "kw", "'abc' is not a number"), (4, "kw", "'inf' is not a number"),
        (4, "day", "'tuesday' is not a date (YYYY-MM-DD)")]
    assert batch.rows[1].values["day"].isoformat() == "2020-01-02"


def test_the_model_refuses_what_its_form_refuses_in_the_same_words(world, tmp_path):
    form_class = modelform_factory(Organisation, fields=FIELDS)
    city = world.regions["city"]
    cases = [
        {"name": "郑州市交通运输局", "kind": "department", "region": city.pk, "credit_code": ""},  # taken in the region
        {"name": "市环保局", "kind": "department", "region": city.pk, "credit_code": ""},          # an alias
        {"name": "戊局", "kind": "department", "region": city.pk, "credit_code": "9" * 19},          # too long
    ]
    for data in cases:
        form = form_class(data)
        assert not form.is_valid()
        expected = sorted(m for messages in form.errors.values() for m in messages)
        batch = imports.read_rows([{k: str(v) for k, v in data.items()}], _spec(), "api")
        assert sorted(p.message for p in batch.problems) == expected, data


def test_nothing_is_written_when_any_row_has_a_problem(world, tmp_path):
    rows = "".join(f"局{i},department,410100,\n" for i in range(50)) + "坏局,department,410100,X" + "9" * 18 + "\n"
    path = _csv(tmp_path, "name,kind,region,credit_code\n" + rows)
    count, history = Organisation.objects.count(), Organisation.history.count()
    problems = _problems(lambda: imports.import_rows(path, _spec()))
    assert [(p.row, p.field) for p in problems] == [(52, "credit_code")]
    assert (Organisation.objects.count(), Organisation.history.count()) == (count, history)


def test_rows_update_by_key_and_keep_history(world, tmp_path):
    transport, bureau = world.organisations["transport"], world.organisations["city"]
    person = world.people["city_office"]
    bureau_history = bureau.history.count()
    path = _csv(tmp_path, "名称,类型,行政区,统一社会信用代码\n"
                          "郑州市交通运输局,other,410100,11410100MB0000001X\n"   # changes a stored record
                          "郑州市生态环境局,environment_bureau,410100,\n"         # as stored
                          "郑州市水利局,department,410100,\n")                    # new
    counts = imports.import_rows(path, _spec(key=("region", "name")), user=person)
    assert counts == imports.Counts(created=1, updated=1, unchanged=1)
    transport.refresh_from_db()
    assert (transport.kind, transport.credit_code) == ("other", "11410100MB0000001X")
    last, previous = transport.history.order_by("-history_id")[:2]
    assert (last.history_type, last.history_user, last.kind) == ("~", person, "other")
    assert previous.kind == "department"
    assert bureau.history.count() == bureau_history  # unchanged: no new history
    created = Organisation.objects.get(name="郑州市水利局")
    assert created.history.get().history_user == person


def test_a_key_outside_what_the_user_may_change_is_not_updated(world, tmp_path):
    path = _csv(tmp_path, "name,kind,region,credit_code\n郑州市交通运输局,other,410100,\n")
    spec = _spec(key=("region", "name"), within=Organisation.objects.filter(region=world.regions["county_a"]))
    problems = _problems(lambda: imports.import_rows(path, spec))
    assert [(p.row, p.field) for p in problems] == [(2, "")]  # the stored one is someone else's: a clash
    assert Organisation.objects.get(name="郑州市交通运输局").kind == "department"


def test_relations_are_looked_up_only_in_the_given_records(world, tmp_path):
    spec = _spec(querysets={"region": Region.objects.filter(path__startswith=world.regions["county_a"].path)})
    batch = imports.read_rows([{"name": "x", "kind": "other", "region": "410182", "credit_code": ""}], spec, "api")
    assert [(p.row, p.field) for p in batch.problems] == [(1, "region")]


def test_ten_thousand_rows_import(world, tmp_path):
    rows = "".join(f"单位{i:05d},other,410100,\n" for i in range(10_000))
    path = _csv(tmp_path, "名称,类型,行政区,统一社会信用代码\n" + rows)
    assert imports.import_rows(path, _spec(key=("region", "name"))) == imports.Counts(created=10_000)
    assert Organisation.objects.filter(name__startswith="单位").count() == 10_000
    assert Organisation.history.filter(name__startswith="单位").count() == 10_000


def test_series_problems_come_from_a_mask():
    frame = pl.DataFrame({"_row": [2, 3, 4], "_source": ["a.csv", "a.csv", "b.csv"], "pm25": [10.0, -1.0, -2.0]})
    found = imports.problems_from_mask(frame, pl.col("pm25") < 0, "PM2.5", lambda r: f"negative {r['pm25']}")
    assert [(p.source, p.row, p.field, p.message) for p in found] == [
        ("a.csv", 3, "PM2.5", "negative -1.0"), ("b.csv", 4, "PM2.5", "negative -2.0")]
    assert imports.problems_from_mask(frame, pl.col("pm25") < 0, "PM2.5", "bad", "c.csv", limit=1)[0].source == "c.csv"


def test_a_table_with_other_columns_too_takes_the_first_header_of_each_column():
    columns = (imports.Column("number", ("任务号", "序号"), required=True),
               imports.Column("lead", ("牵头单位", "牵头"), required=True),
               imports.Column("text", ("工作要求",), required=True))
    found, problems = imports.match_headers(["序号", "任务号", "牵头单位（部门）", "备注"], columns, "plan.xlsx", extra=True)
    assert found == {"number": "任务号", "lead": "牵头单位（部门）"}
    assert [(p.source, p.row, p.field, p.message) for p in problems] == [("plan.xlsx", 1, "工作要求", "missing column")]
