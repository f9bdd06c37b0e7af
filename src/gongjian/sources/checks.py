"""Running the compliance rules on stored series and keeping what they find as alarms.

Series are read into Polars frames (naive Beijing time, every expected interval present so that a
gap is a null), the rules of :mod:`gongjian.analytics.compliance` run with each unit's or site's own
thresholds and limits, and each finding becomes an :class:`~gongjian.sources.monitoring.Alarm` with
its evidence. Running the checks again finds the same alarms and adds none (the fingerprint).

The rules that need the emergency list (a stopped line drawing power, load above the allowance) are
run by :mod:`gongjian.emergency.obedience`, which reads the series through this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.db.models import Q

from gongjian import clock
from gongjian.analytics import compliance
from gongjian.analytics.compliance import Thresholds
from gongjian.core import series
from gongjian.regions.models import Region

from .kinds import READINGS, SAMPLES
from .models import ConstructionSite, EmissionUnit, MonitoringDevice
from .monitoring import Alarm, Meter, VerificationNotice

__all__ = ["CEMS_CODES", "Subject", "load_cems", "load_dust", "load_power", "record_alarms", "run_checks",
           "thresholds_for"]

#: HJ 212 codes of a stack's CEMS as the rules name them (flow a00000 arrives in m3/s).
CEMS_CODES = {"a21026": "so2", "a21002": "nox", "a34013": "dust", "a19001": "o2", "a00000": "flow"}
STEP = {"m": dt.timedelta(minutes=1), "h": dt.timedelta(hours=1)}


@dataclass(frozen=True)
class Subject:
    """What an alarm is about, for the record: its region, enterprise or site, device and name."""

    region_id: int
    name: str
    enterprise_id: int | None = None
    site_id: int | None = None
    device_id: int | None = None


def thresholds_for(overrides: dict) -> Thresholds:
    """The default thresholds with a unit's or site's overrides (validated when saved)."""
    return dataclasses.replace(Thresholds(), **overrides)


def _grid(keys: Iterable, key: str, start: dt.datetime, end: dt.datetime, step: dt.timedelta) -> pl.DataFrame:
    times = pl.datetime_range(start, end - step, step, eager=True, time_unit="us")
    return pl.DataFrame({key: list(keys)}).join(pl.DataFrame({"time": times}), how="cross")


def _samples(device_ids: list[int], codes: Iterable[str], start: dt.datetime, end: dt.datetime, resolution: str
             ) -> pl.DataFrame:
    samples = series.read(SAMPLES, {"device_id": device_ids, "resolution": [resolution], "code": list(codes)},
                          start, end, ["value"])
    return samples.select(pl.col("device_id").alias("device"), "time", "code", "value")


def load_cems(units: list[EmissionUnit], start: dt.datetime, end: dt.datetime, resolution: str = "m") -> pl.DataFrame:
    """``unit, time, so2, nox, dust, o2, flow`` (mg/m3 as measured, %, m3/h) for every interval of
    [start, end) in Beijing time; nulls where nothing came."""
    devices = dict(MonitoringDevice.objects.filter(unit__in=units, kind="stack").values_list("pk", "unit_id"))
    samples = _samples(list(devices), CEMS_CODES, start, end, resolution)
    wide = (samples.with_columns(pl.col("device").replace_strict(devices, return_dtype=pl.Int64).alias("unit"),
                                 pl.col("code").replace_strict(CEMS_CODES))
            .pivot(on="code", index=["unit", "time"], values="value", aggregate_function="first"))
    for name in CEMS_CODES.values():
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    grid = _grid(sorted({u.pk for u in units}), "unit", start, end, STEP[resolution]).with_columns(
        pl.col("unit").cast(pl.Int64))
    return (grid.join(wide.select("unit", "time", *CEMS_CODES.values()), on=["unit", "time"], how="left")
            .with_columns(pl.col("flow") * 3600).sort("unit", "time"))


def load_dust(sites: list[ConstructionSite], start: dt.datetime, end: dt.datetime, resolution: str = "h") -> pl.DataFrame:
    """``site, time, pm10`` (ug/m3) for every interval of [start, end)."""
    devices = dict(MonitoringDevice.objects.filter(site__in=sites, kind="dust").values_list("pk", "site_id"))
    samples = _samples(list(devices), ["a34002"], start, end, resolution).select(
        pl.col("device").replace_strict(devices, return_dtype=pl.Int64).alias("site"), "time",
        pl.col("value").alias("pm10"))
    grid = _grid(sorted({s.pk for s in sites}), "site", start, end, STEP[resolution]).with_columns(
        pl.col("site").cast(pl.Int64))
    return grid.join(samples, on=["site", "time"], how="left").sort("site", "time")


def load_power(meters: list[Meter], start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    """``meter, time, kw`` as read (15-minute or finer intervals), sorted."""
    readings = series.read(READINGS, {"meter_id": [m.pk for m in meters]}, start, end, ["kw"])
    return readings.select(pl.col("meter_id").alias("meter"), "time", "kw")


def record_alarms(findings: pl.DataFrame, subjects: dict[str, Subject]) -> list[Alarm]:
    """Alarms for ``findings`` (:data:`gongjian.analytics.compliance.COLUMNS`; ``key`` as in
    ``subjects``); those already recorded are skipped. Returns the new ones (saved), so that a caller
    can tie them to what it checked (the emergency app to its warning)."""
    alarms = []
    for row in findings.iter_rows(named=True):
        subject = subjects[row["key"]]
        start = clock.attach(row["start"])
        alarms.append(Alarm(
            rule=row["rule"], region_id=subject.region_id, enterprise_id=subject.enterprise_id,
            site_id=subject.site_id, device_id=subject.device_id, subject=subject.name[:200], series=row["series"],
            start=start, end=clock.attach(row["end"]), intervals=row["length"], peak=row["peak"],
            threshold=row["threshold"], evidence=row["evidence"],
            fingerprint=f"{row['rule']}|{row['series']}|{row['key']}|{start.isoformat()}"[:300]))
    known = set(Alarm.objects.filter(fingerprint__in=[a.fingerprint for a in alarms]).values_list("fingerprint",
                                                                                                  flat=True))
    new = [a for a in alarms if a.fingerprint not in known]
    return Alarm.objects.bulk_create(new)


def run_checks(region: Region, start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None,
               resolution: str = "m") -> int:
    """Every source rule over [start, end) (naive Beijing time) for the region's monitored stacks
    and sites, and silent devices as of ``now``; returns the number of new alarms."""
    within = Q(region__path__startswith=region.path)
    units = list(EmissionUnit.objects.filter(devices__kind="stack", devices__active=True,
                                             enterprise__organisation__region__path__startswith=region.path)
                 .select_related("enterprise__organisation").prefetch_related("limits").distinct())
    new = 0
    if units:
        cems = load_cems(units, start, end, resolution)
        devices = dict(MonitoringDevice.objects.filter(unit__in=units, kind="stack").values_list("unit_id", "pk"))
        power = _line_power(units, start, end, resolution)
        announced = _announcements(units, start, end)
        for unit in units:
            frame = cems.filter(pl.col("unit") == unit.pk)
            found = [_unit_findings(unit, frame)]
            t = thresholds_for(unit.thresholds)
            if unit.line_id in power:
                found.append(compliance.flow_power_mismatch(_every(frame, resolution), power[unit.line_id]
                                                            .with_columns(pl.lit(unit.pk, pl.Int64).alias("unit")), t))
            for moment in announced.get(unit.enterprise_id, ()):
                found.append(compliance.drop_at_inspection(frame, "nox", moment, t))
            new += len(record_alarms(pl.concat(found), {str(unit.pk): Subject(
                unit.enterprise.organisation.region_id, str(unit), enterprise_id=unit.enterprise_id,
                device_id=devices.get(unit.pk))}))
    sites = list(ConstructionSite.objects.filter(within, devices__kind="dust", devices__active=True).distinct())
    if sites:
        dust = load_dust(sites, start, end, resolution)
        monitors = dict(MonitoringDevice.objects.filter(site__in=sites, kind="dust").values_list("site_id", "pk"))
        for site in sites:
            found = compliance.dust_above_threshold(dust.filter(pl.col("site") == site.pk), thresholds_for(site.thresholds))
            new += len(record_alarms(found, {str(site.pk): Subject(site.region_id, str(site), site_id=site.pk,
                                                                   device_id=monitors.get(site.pk))}))
    if now is not None:
        new += _silent(region, now)
    return new


def _every(frame: pl.DataFrame, resolution: str) -> pl.DataFrame:
    """CEMS on the meters' clock: 15-minute means of minute data (hourly data stays hourly)."""
    if resolution == "h":
        return frame
    return (frame.sort("unit", "time").group_by_dynamic("time", every="15m", group_by="unit")
            .agg(pl.col("flow").mean()).sort("unit", "time"))


def _line_power(units: list[EmissionUnit], start: dt.datetime, end: dt.datetime, resolution: str
                ) -> dict[int, pl.DataFrame]:
    """Per production line of ``units``: ``time, kw`` of its production meters together, on the
    clock the CEMS is compared at (15 minutes, or hours for hourly data)."""
    meters = list(Meter.objects.filter(line_id__in={u.line_id for u in units if u.line_id},
                                       purpose=Meter.Purpose.PRODUCTION))
    if not meters:
        return {}
    line_of = {m.pk: m.line_id for m in meters}
    power = load_power(meters, start, end).with_columns(
        pl.col("meter").replace_strict(line_of, return_dtype=pl.Int64).alias("line"))
    every = "1h" if resolution == "h" else "15m"
    power = (power.sort("meter", "time").group_by_dynamic("time", every=every, group_by="meter")
             .agg(pl.col("kw").mean(), pl.col("line").first())
             .group_by("line", "time").agg(pl.col("kw").sum()).sort("line", "time"))
    return {line: part.drop("line") for (line,), part in power.partition_by("line", as_dict=True).items()}


def _announcements(units: list[EmissionUnit], start: dt.datetime, end: dt.datetime) -> dict[int, list[dt.datetime]]:
    """When each enterprise learnt of an inspection: the verification notices about its alarms
    issued in [start, end) (naive Beijing time), for the drop-at-inspection rule."""
    notices = VerificationNotice.objects.filter(
        alarms__enterprise_id__in={u.enterprise_id for u in units}, issued__gte=clock.attach(start),
        issued__lt=clock.attach(end)).values_list("alarms__enterprise_id", "issued").distinct()
    out: dict[int, list[dt.datetime]] = {}
    for enterprise_id, issued in notices:
        out.setdefault(enterprise_id, []).append(clock.naive_local(issued))
    return out


def _unit_findings(unit: EmissionUnit, frame: pl.DataFrame) -> pl.DataFrame:
    t = thresholds_for(unit.thresholds)
    found = [compliance.missing(frame, "so2", t)]
    running = pl.col("flow").is_null() | (pl.col("flow") >= t.flow_floor)
    frame = frame.with_columns(pl.when(running).then(pl.col(c)).alias(c) for c in ("so2", "nox", "dust", "flow"))
    # a stopped stack (no flow) reads steady zeros: not a flat line, not an exceedance
    for limit in unit.limits.all():
        name = CEMS_CODES.get(limit.code)
        if name is None:
            continue
        reference = t if limit.reference_o2 is None else dataclasses.replace(t, o2_reference=limit.reference_o2)
        found.append(compliance.exceedances(frame, {name: limit.limit}, reference))
        found.append(compliance.pinned(frame, name, limit.limit, t))
    for name in ("so2", "nox", "dust", "flow"):
        if frame[name].is_not_null().any():
            found.append(compliance.flat_lines(frame, name, t))
    return pl.concat(found)


def _silent(region: Region, now: dt.datetime) -> int:
    devices = list(MonitoringDevice.objects.filter(region__path__startswith=region.path, active=True)
                   .select_related("unit__enterprise__organisation", "site", "station", "meter__enterprise"))
    frame = pl.DataFrame([(d.pk, clock.naive_local(d.last_seen) if d.last_seen else None, d.interval)
                          for d in devices],
                         schema={"device": pl.Int64, "last_seen": pl.Datetime("us"), "interval": pl.Int64}, orient="row")
    found = compliance.silent_devices(frame, clock.naive_local(now))
    subjects = {}
    for d in devices:
        enterprise = d.unit.enterprise if d.unit_id else (d.meter.enterprise if d.meter_id else None)
        if enterprise is None and not d.site_id:
            continue  # an air station's silence is the station network's business (air quality checks)
        subjects[str(d.pk)] = Subject(d.region_id, str(d), enterprise_id=enterprise.pk if enterprise else None,
                                      site_id=d.site_id, device_id=d.pk)
    return len(record_alarms(found.filter(pl.col("key").is_in(list(subjects))), subjects))
