"""Reading stored HJ 212 packets into time series.

The gateway stores every packet raw and acknowledges it; this step, run after it (``gongjian
monitoring ingest``, once or following), reads the CP of each data packet and files its values:

* every device's values into :class:`~gongjian.sources.monitoring.DeviceSample` (one row per code and
  period; ``-Avg``, or ``-Rtd`` for real-time data, with the data flag); HJ/T 212-2005 codes become
  their 2017 successors (:data:`~gongjian.standards.hj212.CODES_2005`);
* an air station's hourly data also into the air-quality store
  (:func:`gongjian.air.services.store_device_hours`), whose new-data hook quality-checks the hours
  and recomputes their days as for a file (hours it already holds, e.g. from an imported file, are
  kept and the packet says so);
* an electricity meter's power into :class:`~gongjian.sources.monitoring.MeterReading`.

A split message (PNUM/PNO) is read once all its parts are stored. A packet whose data cannot be used
(a bad DataTime, no DataTime, no values) is marked ingested with the reason; its raw bytes stay. The
packet's data time and the device's last-seen time are set here, not on the gateway's hot path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.db.models import Q

from gongjian import clock
from gongjian.air import services as air_services
from gongjian.core import series
from gongjian.standards.hj212 import (
    AMBIENT_CODES,
    CODES_2005,
    DATA_PERIODS,
    DataFlag,
    PacketError,
    parse,
    parse_cp,
)

from .kinds import READINGS, SAMPLES
from .models import MonitoringDevice, ReceivedPacket

__all__ = ["POWER_CODE", "IngestResult", "ingest"]

#: The code under which a metering terminal sends mean power (kW). HJ 212-2017 Appendix B defines
#: none for electricity; ``P`` is gongjian's convention, to be set to what a province's terminals send.
POWER_CODE = "P"
#: A part of a split message whose siblings have not come within this long is given up.
PARTS_WAIT = dt.timedelta(hours=6)


@dataclass
class IngestResult:
    packets: int = 0
    samples: int = 0
    air_hours: int = 0
    readings: int = 0
    unusable: int = 0
    waiting: int = 0  # parts of split messages still waiting for their siblings
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class _Device:
    kind: str
    station_id: int | None
    meter_id: int | None


def ingest(*, chunk: int = 5000, progress: Callable[[IngestResult], None] | None = None,
           now: dt.datetime | None = None) -> IngestResult:
    """Ingest every stored packet not yet ingested, in order of arrival, a chunk per transaction."""
    result = IngestResult()
    devices = {pk: _Device(kind, station, meter) for pk, kind, station, meter in
               MonitoringDevice.objects.values_list("pk", "kind", "station_id", "meter_id")}
    now = now or clock.wall_now()
    after = 0
    while True:
        rows = list(ReceivedPacket.objects.filter(status="stored", ingested__isnull=True, id__gt=after)
                    .order_by("id").values_list("id", "device_id", "received", "raw")[:chunk])
        if not rows:
            return result
        after = rows[-1][0]
        with transaction.atomic():
            _Chunk(devices, now, result).run(rows)
        if progress:
            progress(result)


class _Chunk:
    def __init__(self, devices: dict[int, _Device], now: dt.datetime, result: IngestResult) -> None:
        self.devices, self.now, self.result = devices, now, result
        self.samples: list[tuple] = []
        self.readings: list[tuple] = []
        self.air: list[tuple] = []  # station, hour, packet, pollutant, value, flag
        self.done: list[tuple[int, dt.datetime | None, str]] = []  # packet id, data time, reason
        self.last_seen: dict[int, dt.datetime] = {}
        self.finished: set[int] = set()

    def run(self, rows: list[tuple]) -> None:
        for pk, device_id, received, raw in rows:
            if pk in self.finished:
                continue
            if device_id is not None and received > self.last_seen.get(device_id, received - dt.timedelta(1)):
                self.last_seen[device_id] = received
            self._packet(pk, device_id, received, bytes(raw))
        self._write()

    def _packet(self, pk: int, device_id: int | None, received: dt.datetime, raw: bytes) -> None:
        packet = parse(raw)  # it was read at the gateway; reading again is cheaper than storing the parse
        period = DATA_PERIODS.get(packet.cn)
        device = self.devices.get(device_id)
        if period is None or device is None:
            self._finish(pk, None, "")  # not a data packet (a notification, a reply): kept as it is
            return
        cp = packet.cp
        if packet.split and packet.pnum:
            cp = self._joined(packet, pk, received)
            if cp is None:
                return
        try:
            data = parse_cp(cp)
        except PacketError as exc:
            self._finish(pk, None, f"CP unusable: {exc}")
            return
        if data.data_time is None:
            self._finish(pk, None, "no DataTime in CP")
            return
        start = clock.attach(data.data_time)
        values = {}
        for code, suffixes in data.values.items():
            value = suffixes.get("Avg", suffixes.get("Rtd"))
            if isinstance(value, float):
                values[CODES_2005.get(code, code) if packet.edition == "2005" else code] = (
                    value, str(suffixes.get("Flag", DataFlag.NORMAL.value))[:2])
        if not values:
            self._finish(pk, start, "no values in CP")
            return
        for code, (value, flag) in values.items():
            self.samples.append((device_id, period, data.data_time, code, value, flag))
        if device.kind == MonitoringDevice.Kind.AIR_STATION and period == "h":
            self.air.extend((device.station_id, data.data_time, pk, name, *values.get(code, (None, None)))
                            for code, name in AMBIENT_CODES.items())
        if device.kind == MonitoringDevice.Kind.METER and POWER_CODE in values and period in ("m", "h", "r"):
            self.readings.append((device.meter_id, data.data_time, values[POWER_CODE][0], "gateway"))
        self._finish(pk, start, "")

    def _joined(self, packet, pk: int, received: dt.datetime) -> str | None:
        """The CP of a split message once all its parts are stored (the part being read carries it;
        the others are marked as read with it), else ``None`` (waiting, or given up after PARTS_WAIT)."""
        parts = list(ReceivedPacket.objects.filter(status="stored", mn=packet.mn, qn=packet.qn, cn=packet.cn)
                     .values_list("id", "pno", "raw"))
        if len({pno for _id, pno, _raw in parts}) < packet.pnum:
            if self.now - received > PARTS_WAIT:
                self._finish(pk, None, f"part {packet.pno} of {packet.pnum}: the other parts never came")
            else:
                self.result.waiting += 1
            return None
        for part_id, pno, _raw in parts:
            if part_id != pk:
                self._finish(part_id, None, f"part {pno} of {packet.pnum}, read with part {packet.pno}")
        return "".join(parse(bytes(raw)).cp for _id, _pno, raw in sorted(parts, key=lambda p: p[1]))

    def _finish(self, pk: int, start: dt.datetime | None, reason: str) -> None:
        self.done.append((pk, start, reason))
        self.finished.add(pk)
        self.result.packets += 1
        if reason and not reason.startswith("part "):
            self.result.unusable += 1
            self.result.reasons[reason.split(":")[0]] += 1

    def _write(self) -> None:
        """The chunk's series through :func:`gongjian.core.series.write` (a period stored already, by
        a resend or a file, is kept: the first word on a period stands), then the packets' state."""
        if self.samples:
            _write_new(SAMPLES, pl.DataFrame(self.samples, orient="row", schema={
                "device_id": pl.Int64, "resolution": pl.String, "start": pl.Datetime("us"), "code": pl.String,
                "value": pl.Float64, "flag": pl.String}))
            self.result.samples += len(self.samples)
        if self.readings:
            _write_new(READINGS, pl.DataFrame(self.readings, orient="row", schema={
                "meter_id": pl.Int64, "start": pl.Datetime("us"), "kw": pl.Float64, "source": pl.String}))
            self.result.readings += len(self.readings)
        quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            moment = adapt(self.now)
            cursor.executemany(
                f"UPDATE {quote(ReceivedPacket._meta.db_table)} SET ingested = %s, data_time = %s, reason = %s WHERE id = %s",
                [(moment, adapt(start) if start else None, reason[:300], pk) for pk, start, reason in self.done])
        if self.air:
            self._store_air()
        for device_id, seen in self.last_seen.items():
            MonitoringDevice.objects.filter(Q(last_seen__lt=seen) | Q(last_seen__isnull=True), pk=device_id).update(
                last_seen=seen)

    def _store_air(self) -> None:
        """Station hours into the air-quality store (:func:`gongjian.air.services.store_device_hours`,
        whose new-data hook checks them and recomputes their days); hours it holds already (from a
        file, say) stay, and of two packets in the chunk for the same hour the first is taken."""
        frame = pl.DataFrame(self.air, orient="row", schema={
            "station_id": pl.Int64, "time": pl.Datetime("us"), "packet": pl.Int64, "pollutant": pl.String,
            "value": pl.Float64, "flag": pl.String})
        first = frame.group_by("station_id", "time", maintain_order=True).agg(pl.col("packet").first())
        frame = frame.join(first, on=["station_id", "time", "packet"], how="semi")
        held = air_services.store_device_hours(frame.drop("packet"), source="gateway")
        self.result.air_hours += first.height - held.height
        kept = first.join(held, on=["station_id", "time"], how="semi")["packet"].to_list()
        if kept:
            ReceivedPacket.objects.filter(pk__in=kept).update(reason="the air-quality store already held this hour")


def _write_new(kind: series.SeriesKind, rows: pl.DataFrame) -> None:
    """``rows`` stored unless the store holds their period already; of two in the chunk, the first."""
    naming = [*kind.keys, kind.time]
    series.write(kind, rows.unique(naming, keep="first", maintain_order=True), source="gateway", keep_existing=True)

