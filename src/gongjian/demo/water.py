"""Demo step: Zhengzhou's water sections with their yearly targets, two years of monthly results
with the seasons, an automatic water station with a few days of hourly data, and the plan's
target schedule (facts and their sources: :mod:`gongjian.demo.data.water`).

Samples enter as every sample does, through the one series door (``water.sample``,
:func:`gongjian.core.series.write`; the station's through ``water.services.store_device_samples``);
the months and their alarms are computed here as the new-data hook computes them after the demo
commits, so that the steps after this one (and a test inside a transaction) find them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from gongjian import clock
from gongjian.core import series
from gongjian.sources.models import MonitoringDevice
from gongjian.standards import gb3838
from gongjian.water import services
from gongjian.water.alarms import month_alarms
from gongjian.water.models import SectionTarget, WaterSection, WaterTargetSchedule
from gongjian.water.results import recompute_months

from .builder import AS_OF, DemoContext, demo_step
from .data import water

__all__ = ["build_water"]

#: Decimals of each item's results, as laboratories report them.
DECIMALS = {"ph": 2, "do": 1, "codmn": 1, "cod": 1, "bod5": 1, "nh3n": 3, "tp": 3, "tn": 2, "water_temperature": 1}


def _factor(code: str, item: str, year: int, month: int) -> float:
    """The season's factor on an item: ammonia and phosphorus up in the dry winter months (the
    struggling section much more so in 2019 and early 2020), dissolved oxygen up in cold water."""
    if month not in water.DRY_MONTHS:
        return 1.0
    if item == "do":
        return water.WINTER_DO
    if item not in ("nh3n", "tp"):
        return 1.0
    if code == water.STRUGGLING and item == "nh3n" and (year == 2019 or month in (1, 2)):
        return water.STRUGGLING_WINTER
    return water.WINTER


def _months():
    for year in water.YEARS:
        for month in range(1, 13):
            yield year, month


def _monthly_frame(ctx: DemoContext, sections: dict[str, WaterSection]) -> pl.DataFrame:
    rng = ctx.random_for("water samples")
    rows = []
    for code, *_, base in water.SECTIONS:
        section = sections[code]
        for year, month in _months():
            sampled = dt.datetime(year, month, rng.randint(6, 14), 10)
            for item, typical in base.items():
                noise = rng.gauss(0, 0.02) if item == "ph" else rng.lognormvariate(0, 0.08)
                value = typical + noise if item == "ph" else typical * _factor(code, item, year, month) * noise
                rows.append((section.pk, item, sampled, round(value, DECIMALS[item])))
    return pl.DataFrame(rows, schema={"section_id": pl.Int64, "item": pl.String, "time": pl.Datetime("us"),
                                      "value": pl.Float64}, orient="row")


def _station(ctx: DemoContext, section: WaterSection) -> int:
    """The automatic station at the section and its hourly readings of the last days before the
    demo's moment (a small diurnal swing of DO and temperature), sent as HJ 212 codes."""
    rng = ctx.random_for("water station")
    last = AS_OF.replace(minute=0) - dt.timedelta(hours=1)
    device = MonitoringDevice.objects.create(mn=water.STATION_MN, password=f"{rng.randrange(10**6):06d}",
                                             kind="water_station", section=section, region=section.region,
                                             interval=3600)
    base = dict(next(s for s in water.SECTIONS if s[0] == water.STATION_SECTION)[-1], water_temperature=6.0)
    rows = []
    hours = water.STATION_DAYS * 24
    for n in range(hours):
        moment = last - dt.timedelta(hours=hours - 1 - n)
        swing = [0, 0.3, 0.7, 1, 0.7, 0.3, 0, -0.3, -0.7, -1, -0.7, -0.3][moment.hour // 2]
        for item in water.STATION_ITEMS:
            typical = base[item] * _factor(water.STATION_SECTION, item, moment.year, moment.month)
            value = typical + swing * (0.6 if item == "do" else 1.0 if item == "water_temperature" else 0) \
                + rng.gauss(0, 0.02 * typical)
            rows.append((section.pk, moment, gb3838.ITEMS[item].codes[0], round(value, DECIMALS[item]), "N"))
    frame = pl.DataFrame(rows, schema={"section_id": pl.Int64, "time": pl.Datetime("us"), "code": pl.String,
                                       "value": pl.Float64, "flag": pl.String}, orient="row")
    services.store_device_samples(frame, source="demo")
    MonitoringDevice.objects.filter(pk=device.pk).update(last_seen=clock.attach(last))
    return frame.height


@demo_step(order=45, name="water sections and samples")
def build_water(ctx: DemoContext) -> None:
    sections = {}
    for code, name, river, kind, level, region, target, lat, lon, _ in water.SECTIONS:
        place = ctx.regions[region]
        section = WaterSection.objects.create(code=code, name=name, water_body=river, kind=kind, control_level=level,
                                              region=place, latitude=lat, longitude=lon)
        unit = ctx.organisations.get(f"{place.name}人民政府") or ctx.organisations.get(f"{place.name}管理委员会")
        if unit is not None:
            section.responsible_units.add(unit)
        SectionTarget.objects.bulk_create(SectionTarget(section=section, year=y, target_class=target)
                                          for y in water.YEARS)
        sections[code] = section
    zhengzhou = ctx.regions["410100"]
    for year, share, worse, source in water.SCHEDULE:
        WaterTargetSchedule.objects.create(region=zhengzhou, year=year, share_iii_or_better_min=Decimal(share),
                                           share_worse_than_v_max=None if worse is None else Decimal(worse),
                                           source=source)
    monthly = _monthly_frame(ctx, sections)
    series.write("water.sample", monthly.with_columns(pl.lit(False).alias("below_limit"), pl.lit("valid").alias("flag"),
                                                      pl.lit("demo").alias("source")), source="demo")
    hourly = _station(ctx, sections[water.STATION_SECTION])
    months = recompute_months((s.pk, dt.date(y, m, 1)) for s in sections.values() for y, m in _months())
    alarms = month_alarms(months)
    missed = sum(1 for m in months if m.meets_target is False)
    ctx.progress(f"  {len(sections)} sections, {monthly.height:,} monthly results, {hourly:,} station readings, "
                 f"{missed} section-months below target, {len(alarms)} alarms")
