"""The ingestion of the gateway's packets is a job of the one scheduler, run continuously (a job of
every minute that works for most of it), and its lag is what the gateway's /metrics reports."""

import datetime as dt

import pytest

from gongjian.sources import services, tasks
from gongjian.sources.models import (
    DeviceSample,
    EmissionUnit,
    Enterprise,
    MonitoringDevice,
    ReceivedPacket,
)
from gongjian.standards.hj212 import build

MN = "010000A8900016F000169DC1"


@pytest.fixture
def device(world):
    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    return MonitoringDevice.objects.create(mn=MN, password="123456", kind="stack", unit=unit,
                                           region=world.regions["town_a1"])


def _store(device, minutes: range, received: dt.datetime) -> None:
    for n in minutes:
        qn = f"20240115100005{n:03d}"
        cp = f"DataTime=202401150{9 + n // 60}{n % 60:02d}00;a21026-Avg={10 + n},a21026-Flag=N"
        raw = build("31", "2051", cp, qn=qn, pw="123456", mn=MN, flag=5)
        ReceivedPacket.objects.create(device=device, peer="test", received=received, status="stored", raw=raw,
                                      mn=MN, qn=qn, st="31", cn="2051")


def test_the_lag_counts_the_waiting_packets_and_the_oldest_ones_age(db, device):
    assert services.ingest_lag() == {"waiting": 0, "oldest_waiting_s": None}
    now = dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC)
    _store(device, range(3), now - dt.timedelta(seconds=90))
    _store(device, range(3, 5), now - dt.timedelta(seconds=30))
    ReceivedPacket.objects.create(device=device, peer="test", received=now - dt.timedelta(hours=5), status="rejected",
                                  raw=b"##bad", mn=MN, qn="x", reason="bad CRC")  # never ingested: not waiting
    assert services.ingest_lag(now) == {"waiting": 5, "oldest_waiting_s": 90.0}


def test_the_job_ingests_what_waits_and_leaves_no_lag(db, device, settings, tmp_path):
    settings.HOME = tmp_path
    _store(device, range(4), dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC))
    done = tasks.ingest_continuously(span=0.0)
    assert (done["passes"], done["packets"], done["samples"], done["unusable"]) == (1, 4, 4, 0)
    assert services.ingest_lag()["waiting"] == 0
    assert sorted(DeviceSample.objects.values_list("value", flat=True)) == [10.0, 11.0, 12.0, 13.0]


def test_the_job_keeps_at_it_for_its_span_and_pauses_when_nothing_waits(db, device, settings, tmp_path, monkeypatch):
    """Within its span the job reads what arrives while it runs (here: packets stored during its first
    pause) and sleeps only when nothing is left."""
    settings.HOME = tmp_path
    clock = iter(range(0, 1000))
    monkeypatch.setattr(tasks.time, "monotonic", lambda: float(next(clock)))
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:
            _store(device, range(2), dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC))

    monkeypatch.setattr(tasks.time, "sleep", sleep)
    done = tasks.ingest_continuously(span=8.0, pause=1.0)
    assert done["packets"] == 2 and done["passes"] >= 2 and sleeps[0] == 1.0
    assert services.ingest_lag()["waiting"] == 0


def test_a_second_ingester_returns_at_once(db, device, settings, tmp_path):
    settings.HOME = tmp_path
    _store(device, range(2), dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC))
    with tasks._only_ingester() as first:
        assert first
        assert tasks.ingest_continuously(span=0.0) == {"skipped": "another ingester is running"}
    assert services.ingest_lag()["waiting"] == 2  # nothing read by the one that stepped aside
    assert tasks.ingest_continuously(span=0.0)["packets"] == 2


def _packets_of_every_kind(device) -> None:
    """Regular CPs, an irregular one (a space), one without a value to file, one with a bad DataTime,
    one of HJ/T 212-2005 (Flag 0) with 2005 codes, a real-time packet with Rtd values, and a second
    packet for a period already sent (the first one's values stand)."""
    cps = [("2051", 5, "DataTime=20240115090000;a21026-Avg=18.5,a21026-Flag=N;a21002-Avg=35.0,a21002-Flag=D"),
           ("2051", 5, "DataTime=20240115090100;a21026-Avg= 19.5,a21026-Flag=N"),
           ("2051", 5, "DataTime=20240115090200;a21026-Min=1.0,a21026-Max=2.0"),
           ("2051", 5, "DataTime=20241315090300;a21026-Avg=1.0"),
           ("2051", 1, "DataTime=20240115090400;02-Avg=7.5,02-Flag=N"),
           ("2011", 5, "DataTime=20240115090500;a21026-Rtd=3.25,a21026-Flag=M;a21002-Rtd=1e1"),
           ("2051", 5, "DataTime=20240115090000;a21026-Avg=99.0,a21026-Flag=N")]
    for n, (cn, flag, cp) in enumerate(cps):
        qn = f"20240115100006{n:03d}"
        raw = build("31", cn, cp, qn=qn, pw="123456", mn=MN, flag=flag)
        ReceivedPacket.objects.create(device=device, peer="test", received=dt.datetime(2024, 1, 15, 2, n, tzinfo=dt.UTC),
                                      status="stored", raw=raw, mn=MN, qn=qn, st="31", cn=cn)


def _outcome():
    samples = sorted(DeviceSample.objects.values_list("resolution", "start", "code", "value", "flag"))
    packets = sorted(ReceivedPacket.objects.values_list("qn", "data_time", "reason", "ingested"))
    seen = MonitoringDevice.objects.get(mn=MN).last_seen
    return samples, packets, seen


def test_packets_read_a_column_at_a_time_are_filed_as_one_by_one(db, device, monkeypatch):
    from gongjian.sources import ingest as ingesting

    _packets_of_every_kind(device)
    first = ingesting.ingest(now=dt.datetime(2024, 1, 15, 3, tzinfo=dt.UTC))
    columns = _outcome()
    assert first.packets == 7 and first.unusable == 2
    assert len(columns[0]) == 6 and ("m", dt.datetime(2024, 1, 15, 1, 0, tzinfo=dt.UTC), "a21026", 18.5, "N") in columns[0]
    assert ("m", dt.datetime(2024, 1, 15, 1, 4, tzinfo=dt.UTC), "a21026", 7.5, "N") in columns[0]  # 02 is SO2 in 2005
    DeviceSample.objects.all().delete()
    ReceivedPacket.objects.all().delete()
    MonitoringDevice.objects.filter(pk=device.pk).update(last_seen=None)
    _packets_of_every_kind(device)
    monkeypatch.setattr(ingesting._Chunk, "_regular_cp", staticmethod(lambda raw, device, cn: None))
    second = ingesting.ingest(now=dt.datetime(2024, 1, 15, 3, tzinfo=dt.UTC))
    assert (second.packets, second.samples, second.unusable) == (first.packets, first.samples, first.unusable)
    assert _outcome() == columns
