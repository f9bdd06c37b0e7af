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
* an electricity meter's power into :class:`~gongjian.sources.monitoring.MeterReading`;
* an automatic water station's hourly (``2061``) and daily (``2031``) data into the water samples
  store (:func:`gongjian.water.services.store_device_samples`: the w-codes of GB 3838 items, in their
  Table 1 units), whose new-data hook quality-checks the readings and recomputes the section's months.

A split message (PNUM/PNO) is read once all its parts are stored. A packet whose data cannot be used
(a bad DataTime, no DataTime, no values) is marked ingested with the reason; its raw bytes stay. The
packet's data time and the device's last-seen time are set here, not on the gateway's hot path.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction

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
from gongjian.standards.hj212_columns import read_cp_column
from gongjian.water import services as water_services

from .kinds import READINGS, SAMPLES
from .models import MonitoringDevice, ReceivedPacket

__all__ = ["POWER_CODE", "IngestResult", "ingest"]

#: The code under which a metering terminal sends mean power (kW). HJ 212-2017 Appendix B defines
#: none for electricity; ``P`` is gongjian's convention, to be set to what a province's terminals send.
POWER_CODE = "P"
#: The Flag field of a packet's header (the part before CP=&&), as :func:`parse` reads it.
_FLAG = re.compile(r"(?:^|;)\s*Flag\s*=\s*([0-9]+)\s*(?:;|$)")
#: A part of a split message whose siblings have not come within this long is given up.
PARTS_WAIT = dt.timedelta(hours=6)


@dataclass
class IngestResult:
    packets: int = 0
    samples: int = 0
    air_hours: int = 0
    readings: int = 0
    water_samples: int = 0
    unusable: int = 0
    waiting: int = 0  # parts of split messages still waiting for their siblings
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class _Device:
    kind: str
    station_id: int | None
    meter_id: int | None
    section_id: int | None = None


def ingest(*, chunk: int = 5000, progress: Callable[[IngestResult], None] | None = None,
           now: dt.datetime | None = None, until: float | None = None) -> IngestResult:
    """Ingest every stored packet not yet ingested, in order of arrival, a chunk per transaction;
    ``until`` (a :func:`time.monotonic` moment): stop after the chunk that passes it."""
    result = IngestResult()
    devices = {pk: _Device(kind, station, meter, section) for pk, kind, station, meter, section in
               MonitoringDevice.objects.values_list("pk", "kind", "station_id", "meter_id", "section_id")}
    now = now or clock.wall_now()
    after = 0
    while True:
        rows = list(ReceivedPacket.objects.filter(status="stored", ingested__isnull=True, id__gt=after)
                    .order_by("id").values_list("id", "device_id", "received", "raw", "cn")[:chunk])
        if not rows:
            return result
        after = rows[-1][0]
        with transaction.atomic():
            _Chunk(devices, now, result).run(rows)
        if progress:
            progress(result)
        if until is not None and time.monotonic() >= until:
            return result


class _Chunk:
    def __init__(self, devices: dict[int, _Device], now: dt.datetime, result: IngestResult) -> None:
        self.devices, self.now, self.result = devices, now, result
        self.samples: list[tuple] = []  # packet, device, resolution, start, code, value, flag
        self.readings: list[tuple] = []  # packet, meter, start, kW, source
        self.sample_frames: list[pl.DataFrame] = []  # the same, of the packets read a column at a time
        self.reading_frames: list[pl.DataFrame] = []
        self.done_frames: list[pl.DataFrame] = []  # packet, data time (naive Beijing time): ingested, no reason
        self.air: list[tuple] = []  # station, hour, packet, pollutant, value, flag
        self.water: list[tuple] = []  # section, period start, code, value, flag
        self.done: list[tuple[int, dt.datetime | None, str]] = []  # packet id, data time, reason
        self.last_seen: dict[int, dt.datetime] = {}
        self.finished: set[int] = set()

    def run(self, rows: list[tuple]) -> None:
        """The chunk's packets: the regular ones a column at a time (:meth:`_regular`), the others
        (split messages, an irregular CP, HJ/T 212-2005, an air or water station's data) one by one, in order."""
        one_by_one = []
        regular: list[tuple[int, int, str, str]] = []  # packet, device, period, CP
        for pk, device_id, received, raw, cn in rows:
            if device_id is not None and received > self.last_seen.get(device_id, received - dt.timedelta(1)):
                self.last_seen[device_id] = received
            raw = bytes(raw)
            cp = self._regular_cp(raw, self.devices.get(device_id), cn)
            if cp is None:
                one_by_one.append((pk, device_id, received, raw))
            else:
                regular.append((pk, device_id, DATA_PERIODS[cn], cp))
        if regular:
            one_by_one = sorted([*one_by_one, *self._regular(regular, {r[0]: r for r in rows})])
        for pk, device_id, received, raw in one_by_one:
            if pk not in self.finished:
                self._packet(pk, device_id, received, raw)
        self._write()

    @staticmethod
    def _regular_cp(raw: bytes, device: _Device | None, cn: str) -> str | None:
        """The CP of a packet that can be read a column at a time, or ``None``: one of a stack's,
        a site's or a meter's data packets, not split, of HJ 212-2017 (the gateway has checked the
        frame and its CRC; what it stored parses). Anything else is read by :func:`parse`."""
        if device is None or cn not in DATA_PERIODS or device.kind in (MonitoringDevice.Kind.AIR_STATION,
                                                                       MonitoringDevice.Kind.WATER_STATION):
            return None
        if not raw.endswith(b"\r\n") or not raw.isascii():
            return None
        segment = raw[6:-6].decode("ascii")
        start, end = segment.find("CP=&&"), segment.rfind("&&")
        if start < 0 or end < start + 5:
            return None
        header = segment[:start]
        flag = _FLAG.search(header)
        if "PNUM" in header or flag is None or header.count("Flag") != 1 or int(flag[1]) >> 2 == 0:
            return None
        return segment[start + 5:end]

    def _regular(self, packets: list[tuple[int, int, str, str]], rows: dict[int, tuple]) -> list[tuple]:
        """Read the regular packets' CPs together (:func:`~gongjian.standards.hj212_columns.read_cp_column`)
        and file their values as :meth:`_packet` does; returns the packets to read one by one instead
        (those whose CP that reading leaves to :func:`parse_cp`)."""
        frame = pl.DataFrame(packets, orient="row", schema={"packet": pl.Int64, "device_id": pl.Int64,
                                                            "resolution": pl.String, "cp": pl.String})
        values, irregular = read_cp_column(frame["cp"])
        frame = frame.drop("cp").with_row_index("row")
        left = frame.filter(pl.col("row").is_in(irregular.implode()))["packet"].to_list()
        read = frame.join(values.group_by("row").agg(pl.col("data_time").first()), on="row", how="left")
        value = (values.filter(pl.col("suffix").is_in(("Avg", "Rtd", "Flag")))
                 .group_by("row", "code", maintain_order=True)
                 .agg(avg=pl.col("number").filter(pl.col("suffix") == "Avg").first(),
                      rtd=pl.col("number").filter(pl.col("suffix") == "Rtd").first(),
                      flag=pl.col("text").filter(pl.col("suffix") == "Flag").first())
                 .select("row", "code", value=pl.coalesce("avg", "rtd"),
                         flag=pl.col("flag").fill_null(DataFlag.NORMAL.value).str.slice(0, 2))
                 .filter(pl.col("value").is_not_null())
                 .join(read, on="row", how="inner"))
        self.sample_frames.append(value.select("packet", "device_id", "resolution", start="data_time", code="code",
                                               value="value", flag="flag"))
        meters = {pk: device.meter_id for pk, device in self.devices.items() if device.kind == MonitoringDevice.Kind.METER}
        if meters:
            power = value.filter(pl.col("code") == POWER_CODE, pl.col("resolution").is_in(("m", "h", "r")),
                                 pl.col("device_id").is_in(list(meters)))
            self.reading_frames.append(power.select(
                "packet", meter_id=pl.col("device_id").replace_strict(meters, return_dtype=pl.Int64),
                start="data_time", kw="value", source=pl.lit("gateway")))
        done = read.filter(pl.col("row").is_in(value["row"].unique().implode()))
        self.done_frames.append(done.select("packet", "data_time"))
        self.result.packets += done.height
        # a regular CP without a value to file (a DataTime and parameters only, say): one by one, for the reason
        left += read.filter(~pl.col("row").is_in(irregular.implode()) & ~pl.col("packet").is_in(done["packet"].implode())
                            )["packet"].to_list()
        return [(pk, device_id, received, bytes(raw)) for pk in left
                for _pk, device_id, received, raw, _cn in [rows[pk]]]

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
            self.samples.append((pk, device_id, period, data.data_time, code, value, flag))
        if device.kind == MonitoringDevice.Kind.AIR_STATION and period == "h":
            self.air.extend((device.station_id, data.data_time, pk, name, *values.get(code, (None, None)))
                            for code, name in AMBIENT_CODES.items())
        if device.kind == MonitoringDevice.Kind.WATER_STATION and period in ("h", "d"):
            self.water.extend((device.section_id, data.data_time, code, value, flag)
                              for code, (value, flag) in values.items())
        if device.kind == MonitoringDevice.Kind.METER and POWER_CODE in values and period in ("m", "h", "r"):
            self.readings.append((pk, device.meter_id, data.data_time, values[POWER_CODE][0], "gateway"))
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
        a resend or a file, is kept: the first word on a period stands, the first packet's in the
        chunk), then the packets' state, each in one statement sent for all rows."""
        samples = _frames(self.samples, self.sample_frames, {
            "packet": pl.Int64, "device_id": pl.Int64, "resolution": pl.String, "start": pl.Datetime("us"),
            "code": pl.String, "value": pl.Float64, "flag": pl.String})
        if samples.height:
            _write_new(SAMPLES, samples.drop("packet"))
            self.result.samples += samples.height
        readings = _frames(self.readings, self.reading_frames, {
            "packet": pl.Int64, "meter_id": pl.Int64, "start": pl.Datetime("us"), "kw": pl.Float64, "source": pl.String})
        if readings.height:
            _write_new(READINGS, readings.drop("packet"))
            self.result.readings += readings.height
        quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        one_by_one = [(pk, clock.naive_local(start) if start else None, reason) for pk, start, reason in self.done]
        done = pl.concat([pl.DataFrame(one_by_one, orient="row", schema={
            "packet": pl.Int64, "data_time": pl.Datetime("us"), "reason": pl.String}),
            *[f.select("packet", "data_time", reason=pl.lit("")) for f in self.done_frames]])
        done = done.with_columns(clock.utc_column(clock.attach_column(pl.col("data_time"))))
        done = done.select(pl.lit(adapt(self.now)).alias("moment"), series.database_times(done["data_time"]),
                           pl.col("reason").str.slice(0, 300), "packet")
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(ReceivedPacket._meta.db_table)} SET ingested = %s, data_time = %s, reason = %s WHERE id = %s",
                done.rows())
            if self.last_seen:
                table, seen = quote(MonitoringDevice._meta.db_table), quote("last_seen")
                cursor.executemany(
                    f"UPDATE {table} SET {seen} = %s WHERE id = %s AND ({seen} IS NULL OR {seen} < %s)",
                    [(adapt(moment), device_id, adapt(moment)) for device_id, moment in self.last_seen.items()])
        if self.air:
            self._store_air()
        if self.water:
            self._store_water()

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

    def _store_water(self) -> None:
        """A water station's readings into the water samples store; of two packets in the chunk for
        the same code and period the first is taken, and periods the store holds already stay."""
        frame = pl.DataFrame(self.water, orient="row", schema={
            "section_id": pl.Int64, "time": pl.Datetime("us"), "code": pl.String, "value": pl.Float64,
            "flag": pl.String}).unique(["section_id", "time", "code"], keep="first", maintain_order=True)
        held = water_services.store_device_samples(frame, source="gateway")
        self.result.water_samples += frame.height - held.height


def _frames(rows: list[tuple], frames: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    """The rows read one by one and the frames read a column at a time, in the order of their packets."""
    together = pl.concat([pl.DataFrame(rows, orient="row", schema=schema),
                          *[f.select(list(schema)).cast(schema) for f in frames]])
    return together.sort("packet", maintain_order=True)


def _write_new(kind: series.SeriesKind, rows: pl.DataFrame) -> None:
    """``rows`` stored unless the store holds their period already; of two in the chunk, the first."""
    naming = [*kind.keys, kind.time]
    series.write(kind, rows.unique(naming, keep="first", maintain_order=True), source="gateway", keep_existing=True)

