"""Quality control on arrival and its review, with every flag change recorded."""

import datetime as dt

import pytest

from gongjian.air.models import AirHour, Correction, QualityFinding, SourceLayout, Station
from gongjian.air.quality import review_finding
from gongjian.air.services import import_hourly, load_hourly

HEADER = "station,time,so2,no2,co,o3,pm10,pm25\n"


@pytest.fixture
def imported(world, tmp_path, django_capture_on_commit_callbacks):
    Station.objects.create(code="ZM01", name="中牟县站", kind="county", region=world.regions["county_a"])
    lines = [HEADER]
    for h in range(48):
        pm25 = 57 if 10 <= h < 22 else 30 + (h * 7) % 11  # stuck at 57 for 12 hours
        lines.append(f"ZM01,2020-01-0{1 + h // 24}T{h % 24:02d}:00,{8 + h % 5},{30 + h % 7},0.{5 + h % 4},"
                     f"{40 + (h * 3) % 17},{80 + (h * 5) % 13},{pm25}\n")
    path = tmp_path / "h.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):  # the jobs enqueued at commit run (inline in tests)
        return import_hourly([path], SourceLayout.objects.create(name="s"), user=world.people["county_a_office"])


def test_import_flags_suspect_hours(imported):
    [finding] = imported.findings
    assert (finding.rule, finding.pollutant, finding.hours, finding.status) == ("stuck", "pm25", 12, "open")
    assert AirHour.objects.filter(pm25_flag="suspect").count() == 12
    daily = load_hourly(Station.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 1, 1))
    assert daily["pm25"].null_count() == 12  # suspect values are out of the statistics
    assert Correction.objects.filter(new_flag="suspect").count() == 12


@pytest.mark.parametrize(("decision", "flag", "status"), [("confirm", "invalid", "confirmed"),
                                                          ("override", "valid", "overridden")])
def test_review(imported, world, decision, flag, status):
    finding = QualityFinding.objects.get()
    reviewer = world.people["county_a_office"]
    assert review_finding(finding, decision, reviewer, "checked the analyser log") == 12
    assert AirHour.objects.filter(pm25_flag=flag).count() == 12
    finding.refresh_from_db()
    assert finding.status == status and finding.reviewed_by == reviewer
    last = Correction.objects.filter(new_flag=flag).first()
    assert last.old_flag == "suspect" and "checked the analyser log" in last.reason and last.changed_by == reviewer
    with pytest.raises(ValueError, match="already reviewed"):
        review_finding(finding, decision, reviewer)
    assert finding.history.count() == 2  # created, then reviewed: who and when are kept


def test_reimport_does_not_repeat_findings(imported, tmp_path, world):
    review_finding(QualityFinding.objects.get(), "confirm", world.people["county_a_office"])
    second = import_hourly([tmp_path / "h.csv"], SourceLayout.objects.get(), user=world.people["county_a_office"])
    assert second.findings == [] and QualityFinding.objects.count() == 1
    assert (second.changed, second.unchanged) == (0, 48)  # the review's flags survive a re-import
    assert AirHour.objects.filter(pm25_flag="invalid").count() == 12


def test_import_and_review_recompute_daily_results(imported, world, django_capture_on_commit_callbacks):
    from gongjian.air.models import DailyResult

    day = DailyResult.objects.get(subject="station", station__code="ZM01", date=dt.date(2020, 1, 1), edition="2012")
    county = DailyResult.objects.get(subject="region", place=world.regions["county_a"], date=dt.date(2020, 1, 1),
                                     edition="2026")
    assert day.pm25 is None and "pm25: 12 valid hours < 20" in day.invalid  # 12 suspect hours are out
    assert county.pm25 is None
    with django_capture_on_commit_callbacks(execute=True):
        review_finding(QualityFinding.objects.get(), "override", world.people["county_a_office"], "analyser fine")
    day = DailyResult.objects.get(subject="station", station__code="ZM01", date=dt.date(2020, 1, 1), edition="2012")
    assert day.pm25 is not None and day.aqi is not None  # recomputed: the overridden hours count again


def test_evidence_reads_in_the_readers_language():
    """The checks write language-free evidence; the page words it in Chinese by default, in English
    when chosen, and shows hand-written or older evidence as it is."""
    from django.utils import translation

    from gongjian.air.findings import evidence

    with translation.override("zh-hans"):
        assert evidence("pm25_above_pm10", "pm25", "pm25=52.0;pm10=38.0") == "PM2.5（52.0）高于PM10（38.0）"
        assert evidence("spike", "no2", "value=300;before=40;after=42") == "NO2由40突升至300后回落至42"
    with translation.override("en"):
        assert evidence("neighbours", "o3", "value=90;median=30") == "O3 90 against a group median of 30"
    assert evidence("stuck", "so2", "so2 stays at 12.0") == "so2 stays at 12.0"
