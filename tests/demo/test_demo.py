"""The demo world: built from the plans' facts, deterministic, and fast enough for `make run`."""

import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from gongjian.air.models import AirHour, AirQualityTarget, Station
from gongjian.demo import build
from gongjian.emergency.models import (
    Measure,
    ReductionList,
    WarningEpisode,
)
from gongjian.regions.models import Organisation, Person, Region, RegionGroup, RegionLevel
from gongjian.regions.services import resolve_organisation
from gongjian.sources.models import ConstructionSite, Enterprise, InventoryItem
from gongjian.sources.monitoring import Alarm, VerificationNotice
from gongjian.tasks.models import Plan, SupervisionCase

NO_HOURS = frozenset({"air stations and hours", "air quality checks", "air daily results"})
EMERGENCY = frozenset({"sources and inventory", "emergency list and episodes", "online monitoring"})


@pytest.fixture
def demo(db):
    return build(progress=lambda line: None, skip=NO_HOURS | EMERGENCY)


def _demo_list_meets_the_ratios_at_every_level():
    """The demo's approved list, from its inventory: per level and pollutant, achieved >= required
    (checked on the deterministic test's build: a demo build is the slowest thing in the suite)."""
    import datetime as dt

    from gongjian.emergency import services
    from gongjian.emergency.models import Notice
    from gongjian.emergency.removal import account
    from gongjian.sources.services import whole_society_totals

    assert 290 <= Enterprise.objects.count() <= 310 and ConstructionSite.objects.count() == 100
    version = ReductionList.objects.get(status="approved")
    standard = services.standard_for(version.region, dt.date(version.year, 12, 31))
    acc = account(version, standard, whole_society_totals(version.region, version.inventory_year))
    for level in ("yellow", "orange", "red"):
        for p in ("so2", "nox", "pm", "vocs"):
            assert acc.achieved[level][p] >= acc.required[level][p] > 0, (level, p)
    assert services.class_rule_problems(acc) == []
    assert WarningEpisode.objects.filter(status="lifted").count() == 2 and Notice.objects.count() > 50
    assert services.diff(version, ReductionList.objects.get(status="draft"))


def _snapshot():
    return (
        list(Region.objects.order_by("path").values_list("path", "code", "name", "level", "kind")),
        list(Organisation.objects.order_by("name").values_list("name", "kind", "region__code", "region__name")),
        list(AirQualityTarget.objects.order_by("region__path", "year", "metric").values_list("region__name", "year", "metric", "value")),
        list(Person.objects.order_by("username").values_list("username", "role", "jurisdiction__name")),
        list(Enterprise.objects.order_by("organisation__name").values_list(
            "organisation__name", "industry", "performance_class", "annual_output")),
        list(InventoryItem.objects.values("category").annotate(so2=Sum("so2"), vocs=Sum("vocs")).order_by("category")),
        list(Measure.objects.order_by("reduction_list__year", "level", "enterprise__organisation__name", "site__name", "kind")
             .values_list("reduction_list__year", "level", "enterprise__organisation__name", "site__name", "kind",
                          "load_percent")),
    )


def test_zhengzhou_and_its_counties(demo):
    zhengzhou = Region.objects.get(code="410100")
    counties = Region.objects.filter(path__startswith=zhengzhou.path, level=RegionLevel.COUNTY)
    names = set(counties.values_list("name", flat=True))
    assert {"中牟县", "巩义市", "荥阳市", "新密市", "新郑市", "登封市", "上街区", "郑州航空港经济综合实验区", "郑东新区"} <= names
    assert counties.count() == 16  # 6 districts, 1 county, 5 county-level cities, 4 zones
    assert counties.filter(kind="zone").count() == 4


def test_henan_peers(demo):
    cities = Region.objects.filter(level=RegionLevel.CITY)
    assert cities.count() == 18
    assert RegionGroup.objects.get(slug="direct-counties-10").members.count() == 10
    assert RegionGroup.objects.get(slug="key-7-plus-3").members.count() == 10


@pytest.mark.parametrize(("code", "year", "metric", "value"), [
    ("410100", 2020, "pm10_mean", 97),   # Zhengzhou 2020 plan
    ("410100", 2020, "pm25_mean", 56),
    ("410100", 2017, "good_days", 189),  # provincial notice, table 1
    ("411500", 2017, "pm10_mean", 84),   # Xinyang, table 2
    ("411381", 2017, "pm25_mean", 54),   # Dengzhou, table 3
    ("410000", 2017, "good_days", 203),  # the province, section 2
])
def test_targets_from_the_plans(demo, code, year, metric, value):
    target = AirQualityTarget.objects.get(region__code=code, year=year, metric=metric)
    assert target.value == Decimal(value)
    assert target.source


def test_every_2017_region_has_three_targets(demo):
    assert AirQualityTarget.objects.filter(year=2017).count() == (18 + 10 + 1) * 3


def _hours_snapshot():
    return list(AirHour.objects.values("station__code").annotate(n=Count("id"), pm25=Sum("pm25"), o3=Sum("o3"))
                .order_by("station__code"))


def test_deterministic(db):
    """Two builds give the same world; the second one is then checked for its year of air data and its
    emergency list (a full demo build is the slowest thing in the suite: once per check would triple it)."""
    build(progress=lambda line: None)
    first, hours = _snapshot(), _hours_snapshot()
    _clear_the_world()
    build(progress=lambda line: None)
    assert _snapshot() == first and _hours_snapshot() == hours
    _demo_list_meets_the_ratios_at_every_level()
    _a_year_of_air_data()
    _monitoring_finds_the_cheaters_and_no_honest_enterprise()
    _consistent_with_its_clock()
    _the_evaluations_find_the_planted_effect_of_the_measures()


def _the_evaluations_find_the_planted_effect_of_the_measures():
    """The hours carry the measures' effect exactly over the warnings the emergency step decides
    (``data.stations.WARNING_EFFECTS``), and each warning's evaluation attributes a fall of PM2.5 to
    the measures with a band that excludes none (checked on the deterministic test's build)."""
    from gongjian import clock
    from gongjian.demo.data.stations import WARNING_EFFECTS
    from gongjian.emergency.models import EpisodeEvaluation

    windows = []
    for episode in WarningEpisode.objects.filter(region__code="410100").order_by("started_at"):
        moments = [clock.naive_local(a.at).isoformat(timespec="minutes") for a in episode.actions.order_by("at")]
        windows += list(zip(moments, moments[1:], strict=False))
    assert windows == [(start, end) for start, end, _share in WARNING_EFFECTS]
    evaluations = EpisodeEvaluation.objects.filter(episode__region__code="410100")
    assert evaluations.count() == 2
    for found in evaluations:
        pm25 = found.result["pollutants"]["pm25"]
        assert pm25["upper"] < 0, pm25  # a fall, its whole band below zero


def _clear_the_world():
    """Every record of gongjian's apps, the regions last: a model whose rows another protects is
    tried again once that one is gone (the order follows the apps' foreign keys, whatever app adds
    a model)."""
    from django.apps import apps
    from django.db import transaction
    from django.db.models import ProtectedError

    pending = [m for m in apps.get_models() if m.__module__.startswith("gongjian.") and m is not Region
               and not m._meta.proxy]
    for _round in range(len(pending)):
        refused = []
        for model in pending:
            try:
                with transaction.atomic():
                    model._base_manager.all().delete()
            except ProtectedError:
                refused.append(model)
        if not refused:
            break
        pending = refused
    else:
        raise AssertionError(f"cannot clear {pending}")
    Region.objects.all().delete()


def _consistent_with_its_clock():
    """At the demo's own moment (2020-12-31 23:30) its feeds are current, its forecast is, and its
    deadlines are weeks overdue at most, not years (checked on the deterministic test's build)."""
    import datetime as dt

    from gongjian import clock
    from gongjian.air.feeds import check_feeds
    from gongjian.demo import AS_OF
    from gongjian.emergency import episodes
    from gongjian.sources.tasks import check_last_hour
    from gongjian.tasks.models import Milestone

    with clock.as_of(AS_OF):
        assert check_feeds() == 0 and check_last_hour() == 0  # no station silent, no device newly silent
        zhengzhou = Region.objects.get(code="410100")
        assert episodes.latest_forecast(zhengzhou, clock.today())[0] == dt.date(2020, 12, 31)
        assert episodes.proposed_level(zhengzhou, clock.now()).level is None  # current, and no warning
        overdue = [clock.today() - m.due for m in Milestone.objects.filter(done__isnull=True, due__lt=clock.today())]
    assert max(overdue, default=dt.timedelta(0)) < dt.timedelta(days=120)
    assert [a.site_id is not None for a in Alarm.objects.filter(rule="silent")] == [True]  # the planted dust monitor


def _monitoring_finds_the_cheaters_and_no_honest_enterprise():
    """The December 2020 warning: the three cheating enterprises are found by the rule that fits
    what they did, with evidence; no other monitored enterprise has an alarm (checked on the
    deterministic test's build)."""
    from gongjian.sources.models import MonitoringDevice
    from gongjian.sources.monitoring import Meter

    by_enterprise: dict[int, set[str]] = {}
    for enterprise_id, rule in Alarm.objects.filter(enterprise__isnull=False).values_list("enterprise_id", "rule"):
        by_enterprise.setdefault(enterprise_id, set()).add(rule)
    assert sorted(by_enterprise.values(), key=sorted) == sorted(
        [{"stopped_line_drawing_power", "reduction_not_matching"}, {"control_off_while_producing"}, {"flat_line"}],
        key=sorted)
    stopped = Alarm.objects.get(rule="stopped_line_drawing_power")
    assert "where the list removes 100.0%" in Alarm.objects.get(rule="reduction_not_matching").evidence
    assert stopped.warnings.exists() and "draws up to" in stopped.evidence and stopped.peak > 1000
    flat = Alarm.objects.get(rule="flat_line")
    assert flat.intervals == 210 and flat.series == "so2" and "stays at 12.0" in flat.evidence
    monitored = set(MonitoringDevice.objects.filter(kind="stack").values_list("unit__enterprise_id", flat=True))
    metered = set(Meter.objects.values_list("enterprise_id", flat=True))
    honest = (monitored | metered) - set(by_enterprise)
    assert len(honest) >= 20, "most monitored enterprises keep their measures and are not flagged"
    assert set(Alarm.objects.filter(site__isnull=False).values_list("rule", flat=True)) == {"dust_above_threshold",
                                                                                            "silent"}
    closed, waiting = VerificationNotice.objects.order_by("pk")
    assert (closed.status, closed.confirmed, waiting.status) == ("closed", True, "sent")
    assert stopped.status == "confirmed" and stopped.notice == closed
    case = SupervisionCase.objects.get(notice=closed)  # the confirmed breach went on to supervision, and closed
    assert [s for s, in case.steps.values_list("status")] == ["found", "assigned", "rectified", "verified", "closed"]


def _a_year_of_air_data():
    """About 40 stations with a year of hours; Zhengzhou's 2020 from its assessment stations' hours
    (checked on the deterministic test's build)."""
    import datetime as dt

    import polars as pl

    from gongjian.air.services import load_hourly
    from gongjian.analytics.airquality import assign_periods, daily_aqi, period_evaluation
    from gongjian.standards.hj663 import spatial_mean

    assert Station.objects.count() == 40 and AirHour.objects.count() == 40 * 8784
    assessment = Station.objects.filter(region__code="410100", assessment=True) | Station.objects.filter(
        region__path__startswith=Region.objects.get(code="410100").path, assessment=True)
    hourly = load_hourly(assessment.distinct(), dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    membership = pl.DataFrame({"station": hourly["station"].unique().to_list()}).with_columns(pl.lit("郑州市").alias("region"))
    daily = daily_aqi(spatial_mean(hourly, membership), key="region")
    year = period_evaluation(assign_periods(daily, "year"), "year", key="region").row(0, named=True)
    assert 40 <= year["pm25"] <= 65 and 80 <= year["pm10"] <= 115  # near the 2020 targets (56, 97)
    assert 10 <= year["heavy_days"] <= 40
    dust = daily.filter(pl.col("date") == dt.date(2020, 3, 28)).row(0, named=True)
    assert dust["primary_pollutants"] == ["PM10"] and dust["aqi"] > 150
    summer = daily.filter(pl.col("date").dt.month() == 7)
    assert summer["o3_8h"].max() > 160  # summer ozone exceedances


def test_demo_accounts_cover_every_role(demo):
    assert set(Person.objects.values_list("role", flat=True)) == {
        "campaign_office", "environment_bureau", "department", "town_government", "enterprise", "public_reviewer"}
    assert not any(p.has_usable_password() for p in Person.objects.all())  # `gongjian setup` sets them


def test_demo_command_refuses_a_non_empty_database(demo):
    with pytest.raises(CommandError, match="empty database"):
        call_command("demo")


def test_progress_is_shown(db):
    lines = []
    build(progress=lines.append, skip=NO_HOURS | EMERGENCY)
    assert lines[0].startswith("[1/") and lines[-1].startswith("demo built in")


def test_setup_prints_credentials_once(db, capsys, tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.GONGJIAN_AS_OF_FILE = tmp_path / "demo-as-of"  # not the developer's var/
    call_command("setup")
    first = capsys.readouterr().out
    assert re.search(r"admin / \S{12,}", first) and "zm_enterprise" in first
    assert settings.GONGJIAN_AS_OF_FILE.read_text() == "2020-12-31T23:30+08:00\n"  # the demo's own clock
    assert "runs as of 2020-12-31 23:30" in first
    call_command("setup")
    second = capsys.readouterr().out
    assert "admin /" not in second and "not shown again" in second


@pytest.mark.shared
def test_zhengzhou_plan_units_resolve(demo, shared):
    """Every city unit that the Zhengzhou 2020 plans name as lead or responsible resolves to
    one organisation of the demo; collective names (县(市)区政府) are left to the task importer."""
    text = (shared / "seeds" / "zhengzhou-2020-implementation-plans.txt").read_text(encoding="utf-8")
    names = set()
    for line in re.findall(r"(?:牵头单位|责任单位|配合单位)[:：]([^\n]*)", text):
        for name in re.split(r"[，,、;；。]", line):
            name = re.sub(r"\s+", "", name)
            name = re.sub(r"(依职责|按职责).*$", "", name)
            if name.startswith("市") and "各" not in name and "成员单位" not in name:
                names.add(name)
    zhengzhou = Region.objects.get(code="410100")
    unresolved = sorted(n for n in names if not resolve_organisation(n, zhengzhou).resolved)
    assert len(names) > 25
    assert not unresolved, f"unresolved city units: {unresolved}"


def test_the_demo_ledger_is_imported_and_followed(demo):
    """The demo's plan document becomes a ledger: every task with a lead, group names expanded to the
    counties and towns, one name the city does not have kept as written, progress and some overdue."""
    import datetime as dt

    from gongjian.tasks.models import Milestone, ProgressReport, TaskUnit

    plan = Plan.objects.get()
    assert (plan.number, plan.tasks.count()) == ("郑环攻坚办〔2020〕3号", 12)
    assert all(t.units.filter(role="lead").exists() for t in plan.tasks.all())
    assert list(TaskUnit.objects.filter(organisation__isnull=True).values_list("name", flat=True)) == ["市气象局"]
    counties = plan.tasks.get(number="1").units.filter(role="responsible")
    assert counties.count() >= 10 and all(u.organisation.kind == "government" for u in counties)
    assert ProgressReport.objects.exists() and Milestone.objects.filter(done__isnull=False).exists()
    assert Milestone.objects.filter(done__isnull=True, due__lt=dt.date(2020, 12, 31)).exists()
    statuses = set(SupervisionCase.objects.values_list("status", flat=True))
    assert statuses == {"found", "assigned", "rectified", "summoned", "accountable"}  # open cases at every step
