"""Demo step: the air-quality targets of the provincial 2017 notice and Zhengzhou's 2020 plan."""

from decimal import Decimal

from gongjian.air.models import AirQualityTarget, TargetMetric

from .builder import DemoContext, demo_step
from .data import henan


@demo_step(order=40, name="air targets")
def build_air_targets(ctx: DemoContext) -> None:
    targets = []
    for code, (pm10, pm25, good_days, note) in henan.TARGETS_2017.items():
        region = ctx.regions[code]
        for metric, value in ((TargetMetric.PM10_MEAN, pm10), (TargetMetric.PM25_MEAN, pm25),
                              (TargetMetric.GOOD_DAYS, good_days)):
            targets.append(AirQualityTarget(region=region, year=2017, metric=metric, value=Decimal(value),
                                            source=henan.NOTICE_2017, note=note))
    pm10, pm25, note = henan.TARGETS_ZHENGZHOU_2020
    for metric, value in ((TargetMetric.PM10_MEAN, pm10), (TargetMetric.PM25_MEAN, pm25)):
        targets.append(AirQualityTarget(region=ctx.regions["410100"], year=2020, metric=metric,
                                        value=Decimal(value), source=henan.ZHENGZHOU_2020, note=note))
    for code, (pm25, pm10, good, heavy) in henan.COUNTY_TARGETS_2020.items():
        for metric, value in ((TargetMetric.PM25_MEAN, pm25), (TargetMetric.PM10_MEAN, pm10),
                              (TargetMetric.GOOD_DAYS, good), (TargetMetric.HEAVY_DAYS, heavy)):
            targets.append(AirQualityTarget(region=ctx.regions[code], year=2020, metric=metric, value=Decimal(value),
                                            source=henan.COUNTY_TARGETS_2020_SOURCE))
    for target in targets:
        target.full_clean()
        target.save()  # one by one so that each target gets its history record
    ctx.progress(f"  {len(targets)} air-quality targets")
