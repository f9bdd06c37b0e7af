"""Demo step: online monitoring of the demo city's sources around the December 2020 orange warning.

Devices on the stacks of enterprises in the approved list, electricity meters on their lines and
control equipment, dust monitors on sites; hourly data from 6 December 2020 up to the demo's own
moment (2020-12-31 23:30, :data:`gongjian.demo.builder.AS_OF`), minute data for the morning of 9
December and for the last hour and a half before that moment (what the hourly checks read), 15-minute
electricity readings for the week of the warning (6-13 December). Three enterprises cheat during the
warning - a line the list stops keeps drawing power, control equipment switched off while the line
produces, an SO2 analyser flat-lined - and the checks find them; every other enterprise keeps its
measures and is not flagged. One site's dust rises over the threshold, one dust monitor falls
silent. The office sends a verification notice for the stopped line, the town reports the breach
confirmed and the office closes it; a second notice waits for its result.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction

from gongjian import clock
from gongjian.core import series
from gongjian.emergency import obedience
from gongjian.emergency.models import Measure, ReductionList, WarningEpisode
from gongjian.regions.models import Organisation, Person, Role
from gongjian.regions.services import register_person
from gongjian.sources import checks, verification
from gongjian.sources.models import ConstructionSite, Enterprise, MonitoringDevice
from gongjian.sources.monitoring import Alarm, DeviceSample, EmissionLimit, Meter, MeterReading

from .builder import AS_OF, DemoContext, demo_step

WEEK = (dt.datetime(2020, 12, 6), dt.datetime(2020, 12, 13))
#: The devices' hourly data run on to the demo's moment, so that none looks silent at the demo clock.
HOURS = (WEEK[0], AS_OF)
MINUTES = (dt.datetime(2020, 12, 9, 8), dt.datetime(2020, 12, 9, 16))
#: Minute data before the demo's moment: the hourly job checks the last whole hour (22:00-23:00) in minutes.
LAST_MINUTES = (AS_OF.replace(minute=0) - dt.timedelta(hours=1), AS_OF)
FLAT = (dt.datetime(2020, 12, 9, 10), dt.datetime(2020, 12, 9, 13, 30))  # the flat-lined analyser
ENTERPRISES = 24
#: Ultra-low limits at 10 % O2 (mg/m3), as the demo's kilns and furnaces are held to.
LIMITS = {"a21026": 35.0, "a21002": 100.0, "a34013": 10.0}


@demo_step(order=72, name="online monitoring", requires=("emergency list and episodes",))
def build_monitoring(ctx: DemoContext) -> None:
    rng = ctx.random_for("monitoring")
    zhengzhou = ctx.regions["410100"]
    episode = WarningEpisode.objects.get(region=zhengzhou, started_at__year=2020, started_at__month=12)
    version = ReductionList.objects.get(region=zhengzhou, year=2020, status=ReductionList.Status.APPROVED)
    orange = {}
    for m in Measure.objects.filter(reduction_list=version, level="orange", enterprise__isnull=False).order_by("pk"):
        orange.setdefault(m.enterprise_id, []).append(m)
    chosen = list(Enterprise.objects.filter(pk__in=orange, units__kind="stack").distinct()
                  .select_related("organisation__region").order_by("pk")[:ENTERPRISES])
    stoppers = [e for e in chosen if any(m.kind in ("stop", "stop_lines") for m in orange[e.pk])]
    limited = [e for e in chosen if any(m.kind == "limit" for m in orange[e.pk]) and e not in stoppers]
    cheats = {"stopped_line": stoppers[0].pk, "control_off": limited[0].pk, "flat": limited[1].pk}
    plans = _build_registry(chosen, rng)
    with transaction.atomic():
        _electricity(plans, orange, episode, cheats, rng)
        _cems(plans, orange, episode, cheats, rng)
        _dust(ctx, zhengzhou, rng)
    now = clock.attach(AS_OF)
    MonitoringDevice.objects.filter(region__path__startswith=zhengzhou.path, last_seen__isnull=True).update(last_seen=now)
    found = checks.run_checks(zhengzhou, *MINUTES, resolution="m")
    found += checks.run_checks(zhengzhou, HOURS[0], AS_OF.replace(minute=0), resolution="h", now=now)
    found += obedience.check_episode(episode)
    _notices(zhengzhou, cheats)
    ctx.progress(f"  {MonitoringDevice.objects.count()} devices, {DeviceSample.objects.count()} samples, "
                 f"{MeterReading.objects.count()} meter readings; {found} alarms, cheaters "
                 f"{', '.join(f'{k} #{v}' for k, v in cheats.items())}")


def _build_registry(chosen: list[Enterprise], rng) -> list[dict]:
    """Per enterprise: its lines with a production and a control meter, a CEMS device on each line's
    stack, limits; returned as plans for the data."""
    plans = []
    for e in chosen:
        lines = []
        for line in e.lines.order_by("pk"):
            stack = line.units.filter(kind="stack").first()
            if stack is None:
                continue
            rated = round(rng.uniform(800, 3000), -1)
            production = Meter.objects.create(enterprise=e, number=f"41{e.pk:05d}{line.pk:06d}1", purpose="production",
                                              name=f"{line.name}生产用电", line=line, rated_kw=rated)
            control = Meter.objects.create(enterprise=e, number=f"41{e.pk:05d}{line.pk:06d}2", purpose="control",
                                           name=f"{line.name}治污设施用电", line=line, unit=stack, rated_kw=round(rated * 0.2))
            device = MonitoringDevice.objects.create(
                mn=f"41010000{e.pk:08d}{stack.pk:08d}", password=f"{rng.randrange(10**6):06d}", kind="stack",
                unit=stack, region=e.organisation.region, interval=60)
            EmissionLimit.objects.bulk_create(EmissionLimit(unit=stack, code=code, limit=limit, reference_o2=10.0,
                                                            basis="超低排放") for code, limit in LIMITS.items())
            lines.append({"line": line, "production": production, "control": control, "device": device,
                          "stack": stack})
        plans.append({"enterprise": e, "lines": lines})
    return plans


def _load_during(measures: list[Measure], line_id: int) -> float:
    """The share of its full-load power an honest line draws under these measures (standby below
    5 kW when stopped; a little under the allowed load when limited)."""
    share = 1.0
    for m in measures:
        if m.kind == "stop" and (m.unit_id is None or m.unit.line_id == line_id):
            return 0.0
        if m.kind == "stop_lines" and line_id in {line.pk for line in m.lines.all()}:
            return 0.0
        if m.kind == "limit" and (m.unit_id is None or m.unit.line_id == line_id):
            share = min(share, float(m.load_percent) / 100 * 0.95)
    return share


def _in_warning(moment: dt.datetime, episode: WarningEpisode) -> bool:
    aware = clock.attach(moment)
    return episode.started_at <= aware < episode.lifted_at


def _electricity(plans, orange, episode, cheats, rng) -> None:
    rows, step = [], dt.timedelta(minutes=15)
    for plan in plans:
        e = plan["enterprise"]
        for item in plan["lines"]:
            rated = item["production"].rated_kw
            moment = WEEK[0]
            while moment < WEEK[1]:
                share = 1.0
                if _in_warning(moment, episode) and e.pk != cheats["stopped_line"]:
                    share = _load_during(orange[e.pk], item["line"].pk)
                production = rated * share * rng.uniform(0.97, 1.03) if share else rng.uniform(0.5, 3.0)
                control_on = production >= 5 and not (e.pk == cheats["control_off"] and _in_warning(moment, episode))
                control = item["control"].rated_kw * rng.uniform(0.8, 0.95) if control_on else rng.uniform(0.0, 1.5)
                rows += [(item["production"].pk, moment, round(production, 1)), (item["control"].pk, moment, round(control, 1))]
                moment += step
    _insert("sources.reading", ["meter_id", "start", "kw", "source"], [(m, t, kw, "file") for m, t, kw in rows])


def _cems(plans, orange, episode, cheats, rng) -> None:
    rows = []
    for plan in plans:
        e = plan["enterprise"]
        for item in plan["lines"]:
            device = item["device"].pk
            for resolution, (start, end), step in (("h", HOURS, dt.timedelta(hours=1)),
                                                   ("m", MINUTES, dt.timedelta(minutes=1)),
                                                   ("m", LAST_MINUTES, dt.timedelta(minutes=1))):
                moment = start
                while moment < end:
                    share = 1.0
                    if _in_warning(moment, episode) and e.pk != cheats["stopped_line"]:
                        share = _load_during(orange[e.pk], item["line"].pk)
                    values = _stack_values(share, rng)
                    if e.pk == cheats["flat"] and FLAT[0] <= moment < FLAT[1]:
                        values["a21026"] = 12.0
                    flag = "N" if share else "F"
                    rows += [(device, resolution, moment, code, value, flag) for code, value in values.items()]
                    moment += step
    _insert("sources.sample", ["device_id", "resolution", "start", "code", "value", "flag"], rows)


def _stack_values(share: float, rng) -> dict[str, float]:
    if not share:
        return {"a21026": 0.0, "a21002": 0.0, "a34013": 0.0, "a19001": 20.9, "a00000": 0.0}
    return {"a21026": round(rng.uniform(12, 24), 2), "a21002": round(rng.uniform(40, 75), 1),
            "a34013": round(rng.uniform(2, 6), 2), "a19001": round(rng.uniform(9.5, 11.5), 1),
            "a00000": round(60 * share * rng.uniform(0.95, 1.05), 1)}


def _dust(ctx: DemoContext, zhengzhou, rng) -> None:
    sites = list(ConstructionSite.objects.filter(region__path__startswith=zhengzhou.path).order_by("pk")[:8])
    rows = []
    for n, site in enumerate(sites):
        device = MonitoringDevice.objects.create(mn=f"41010099{site.pk:016d}", password=f"{rng.randrange(10**6):06d}",
                                                 kind="dust", site=site, region=site.region, interval=3600)
        moment = HOURS[0]
        while moment < HOURS[1]:
            pm10 = rng.uniform(40, 110)
            if n == 0 and dt.datetime(2020, 12, 10, 9) <= moment < dt.datetime(2020, 12, 10, 13):
                pm10 = rng.uniform(180, 260)  # earthwork without dust suppression
            rows += [(device.pk, "h", moment, "a34002", round(pm10), "N"),
                     (device.pk, "h", moment, "a34004", round(pm10 * 0.55), "N")]
            moment += dt.timedelta(hours=1)
            if n == 1 and moment >= dt.datetime(2020, 12, 11, 6):
                MonitoringDevice.objects.filter(pk=device.pk).update(
                    last_seen=clock.attach(moment))  # fell silent
                break
    _insert("sources.sample", ["device_id", "resolution", "start", "code", "value", "flag"], rows)


def _insert(kind: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk rows (naive Beijing times) through the one series door."""
    series.write(kind, pl.DataFrame(rows, schema=columns, orient="row"), source="demo")


def _notices(zhengzhou, cheats) -> None:
    office = Person.objects.get(username="zz_office")
    with clock.as_of(dt.datetime(2020, 12, 10, 9)):  # naive: Beijing time
        for key, confirm in (("stopped_line", True), ("control_off", None)):
            alarms = list(Alarm.objects.filter(enterprise_id=cheats[key], status="open").order_by("start"))
            enterprise = Enterprise.objects.select_related("organisation__region").get(pk=cheats[key])
            town = Organisation.objects.get(region=enterprise.organisation.region, kind="town_office")
            notice = verification.issue(alarms, town, clock.now() + dt.timedelta(days=1),
                                        f"请核查{enterprise}橙色预警期间是否落实减排措施（用电监控发现异常），"
                                        f"并于期限内反馈核查结果。", office)
            if confirm:
                inspector = Person.objects.filter(organisation=town).order_by("pk").first() or register_person(
                    username=f"inspector_{town.region.code or town.region.name}", password=None,
                    role=Role.TOWN_GOVERNMENT,
                    jurisdiction=town.region, organisation=town, first_name=f"{town.name}核查员")
                verification.report(notice, confirmed=True, finding="现场检查：停产生产线仍在运行，企业未落实橙色预警停产措施。",
                                    measures="已责令立即停产，立案调查。", by=inspector)
                verification.close(notice, office)
