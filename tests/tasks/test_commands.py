"""The command-line entries of monitoring and the ledger: ingest stored packets, run the checks
(bad arguments refused with the reason), make reminders."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongjian.sources.models import (
    DeviceSample,
    EmissionUnit,
    Enterprise,
    MonitoringDevice,
    ReceivedPacket,
)
from gongjian.standards.hj212 import build


def test_monitoring_ingest_and_check_commands(world):
    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    device = MonitoringDevice.objects.create(mn="F" * 24, password="123456", kind="stack", unit=unit,
                                             region=world.regions["town_a1"])
    raw = build("31", "2061", "DataTime=20201209090000;a21026-Avg=18.5,a21026-Flag=N", qn="20201209100000001",
                pw="123456", mn=device.mn, flag=4)
    ReceivedPacket.objects.create(device=device, peer="t", received=dt.datetime.now(dt.UTC), status="stored", raw=raw,
                                  mn=device.mn, qn="20201209100000001", st="31", cn="2061")
    out = StringIO()
    call_command("monitoring", "ingest", stdout=out)
    assert "1 packets ingested" in out.getvalue() and DeviceSample.objects.count() == 1
    out = StringIO()
    call_command("monitoring", "check", "--region", "410100", "--from", "2020-12-09T08:00", "--to",
                 "2020-12-09T10:00", "--resolution", "h", stdout=out)
    assert "new alarms for 郑州市" in out.getvalue()
    with pytest.raises(CommandError, match="no region with the code"):
        call_command("monitoring", "check", "--region", "999999", "--from", "2020-12-09T08:00", "--to", "2020-12-09T10:00")
    with pytest.raises(CommandError, match="must be after"):
        call_command("monitoring", "check", "--region", "410100", "--from", "2020-12-09T10:00", "--to", "2020-12-09T08:00")
    with pytest.raises(CommandError, match="--from/--to"):
        call_command("monitoring", "check", "--region", "410100", "--from", "noon", "--to", "2020-12-09T08:00")


def test_tasks_remind_command(world):
    out = StringIO()
    call_command("tasks", "remind", "--days", "3", stdout=out)
    assert "0 reminders made" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_simulate_refuses_without_registered_devices():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def simulate():  # on a thread of its own: a browser test's Playwright may hold the main thread's loop
        try:
            call_command("gateway", "simulate", "--port", "1", stdout=StringIO())
        finally:
            connections.close_all()  # this thread's connection, or PostgreSQL keeps the test database busy

    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(CommandError, match="No active monitoring devices"):
        pool.submit(simulate).result()
