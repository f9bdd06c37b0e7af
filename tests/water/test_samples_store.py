"""The samples store: one series kind for every source; an automatic station's readings mapped
from HJ 212 codes and units; a results file stored all or nothing, refused with every problem named
(an unknown item, a negative concentration, a pH outside 0–14, a unit that does not fit, a
duplicate sample, a section outside the importer's jurisdiction)."""

import datetime as dt

import polars as pl
import pytest

from gongjian.core import series
from gongjian.core.problems import InvalidInput
from gongjian.water import services
from gongjian.water.kinds import SAMPLES
from gongjian.water.models import SectionMonth, WaterSample
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db

HEADER = "section,date,item,value,unit\n"


def test_the_kind_is_declared_on_the_model_and_its_unique_constraint():
    assert series.kind("water.sample") is SAMPLES
    assert SAMPLES.model is WaterSample and SAMPLES.keys == ("section_id", "item")
    unique = [c for c in WaterSample._meta.constraints if c.name == "water_sample_unique"][0]
    assert tuple(unique.fields) == ("section", "item", "time")


def test_device_readings_are_mapped_from_hj212_codes_units_and_flags(sections, django_capture_on_commit_callbacks):
    a = sections["a"]
    hour = dt.datetime(2026, 3, 10, 8)
    rows = pl.DataFrame({
        "section_id": [a.pk] * 5, "time": [hour] * 5,
        # NH3-N mg/L; Hg w20111 in µg/L (0.08 µg/L = 0.00008 mg/L); pH in maintenance (M); a code of no
        # GB 3838 item (w00000) is left out; TP with flag T (over range): suspect
        "code": ["w21003", "w20111", "w01001", "w00000", "w21011"], "value": [0.42, 0.08, 7.6, 1.0, 0.9],
        "flag": ["N", "N", "M", "N", "T"]})
    with django_capture_on_commit_callbacks(execute=True):
        held = services.store_device_samples(rows)
    assert held.is_empty()
    stored = {r["item"]: r for r in services.samples_frame([a.pk], None, None).to_dicts()}
    assert set(stored) == {"nh3n", "hg", "ph", "tp"}
    assert stored["hg"]["value"] == pytest.approx(0.00008)
    assert (stored["nh3n"]["flag"], stored["ph"]["flag"], stored["tp"]["flag"]) == ("valid", "invalid", "suspect")
    assert {r["source"] for r in stored.values()} == {"gateway"}
    # the same hour again (a resend) with another value: the first word stands, and it says so
    with django_capture_on_commit_callbacks(execute=True):
        held = services.store_device_samples(rows.with_columns(pl.col("value") * 2))
    assert held.height == 4 and services.samples_frame([a.pk], None, None)["value"].sum() == pytest.approx(
        0.42 + 0.00008 + 7.6 + 0.9)
    # Hg 0.00008 mg/L > 0.00005 (Ⅱ) and ≤ 0.0001 (Ⅲ); NH3-N 0.42 Ⅱ: class Ⅲ (pH and TP are not valid)
    assert SectionMonth.objects.get(section=a).water_class == 3


def _csv(tmp_path, body: str, name: str = "results.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_results_file_is_stored_and_evaluated(world, sections, tmp_path, django_capture_on_commit_callbacks):
    path = _csv(tmp_path, "WS-A,2026-03-10,氨氮,1.2,mg/L\nWS-A,2026-03-10,总磷,0.1L,mg/L\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_samples(path, world.people["county_a_office"]) == 2
    frame = services.samples_frame([sections["a"].pk], None, None)
    assert frame.select("item", "value", "below_limit", "source").rows() == [("nh3n", 1.2, False, "file"),
                                                                           ("tp", 0.1, True, "file")]
    month = SectionMonth.objects.get(section=sections["a"])
    assert (month.water_class, month.meets_target) == (4, False)  # NH3-N 1.2: Ⅳ


@pytest.mark.parametrize("row, column, words", [
    ("WS-A,2026-03-10,透明度,1.0,mg/L", "item", "not a GB 3838 item"),
    ("WS-A,2026-03-10,氨氮,-0.1,mg/L", "value", "negative"),
    ("WS-A,2026-03-10,pH,15,", "value", "0"),
    ("WS-A,2026-03-10,氨氮,0.5,mg/m3", "unit", "unit"),
    ("WS-A,2026-03-10,氨氮,0.5,mg/L\nWS-A,2026-03-10,NH3-N,0.6,mg/L", "", "repeats"),
    ("WS-X,2026-03-10,氨氮,0.5,mg/L", "section", "unknown section"),
    ("WS-B,2026-03-10,氨氮,0.5,mg/L", "section", "outside your jurisdiction"),
])
def test_bad_input_is_named_and_nothing_is_saved(world, sections, tmp_path, row, column, words,
                                                 django_capture_on_commit_callbacks):
    path = _csv(tmp_path, "WS-A,2026-03-01,总磷,0.1,mg/L\n" + row + "\n")
    before = WaterSample.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput) as raised:
        services.import_samples(path, world.people["county_a_office"])
    problems = raised.value.problems
    assert any(words.lower() in p.message.lower() for p in problems), [str(p) for p in problems]
    assert all(p.source == "results.csv" and p.row is not None for p in problems)
    if column:
        assert any(column in p.field for p in problems), [str(p) for p in problems]
    assert WaterSample.objects.count() == before == 0 and not SectionMonth.objects.exists()


def test_a_county_reads_its_sections_samples_and_cannot_flag_another_counties(
        world, sections, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("nh3n", MARCH, 0.4)])
        write(sections["b"], [("nh3n", MARCH, 0.6)])
    county_a = world.people["county_a_office"]
    seen = services.sections_visible(county_a)
    assert set(seen) == {sections["a"], sections["lake"]}
    assert services.samples_frame([s.pk for s in seen], None, None)["value"].to_list() == [0.4]
    with pytest.raises(PermissionDenied):
        services.flag_samples(sections["b"], "nh3n", [MARCH], "invalid", "不可信", county_a)
    assert services.samples_frame([sections["b"].pk], None, None)["flag"].to_list() == ["valid"]
    assert set(services.section_months([s.pk for s in seen], dt.date(2026, 1, 1), dt.date(2026, 12, 1))
               .values_list("section__code", flat=True)) == {"WS-A"}


def test_the_import_command_kind_reads_a_file_and_its_preview_saves_nothing(sections, tmp_path,
                                                                            django_capture_on_commit_callbacks):
    from gongjian.core.cli_imports import import_kinds

    kind = import_kinds()["water-samples"]
    path = _csv(tmp_path, "WS-A,2026-03-10,氨氮,1.2,mg/L\nWS-B,2026-03-10,氨氮,0.3,毫克/升\n")
    assert kind.run([path], {"preview": True}) == "2 water samples checked" and not WaterSample.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert kind.run([path], {"preview": False}) == "2 water samples stored"
    assert WaterSample.objects.count() == 2 and SectionMonth.objects.count() == 2
