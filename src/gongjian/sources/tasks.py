"""Jobs of the sources app, run by the job worker (django-q2) on the schedule the app declares
(:attr:`gongjian.sources.apps.SourcesConfig.schedules`, kept by :mod:`gongjian.core.schedules`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import time
from collections.abc import Iterator

from django.conf import settings

from gongjian import clock
from gongjian.regions.models import Region

from . import checks
from .ingest import ingest

__all__ = ["INGEST_PAUSE", "INGEST_SPAN", "check_last_hour", "ingest_continuously"]

log = logging.getLogger("gongjian.sources")

#: How long one run of the ingestion job works (the scheduler starts it again every minute), and how
#: long it waits when no packet is waiting. The lag is then at most the pause plus one chunk's work
#: while the ingester keeps up, and the gateway's ``/metrics`` says by how much it does not.
INGEST_SPAN, INGEST_PAUSE = 55.0, 2.0


def check_last_hour() -> int:
    """The source rules over the last whole hour (Beijing time) for every region at the top of the
    tree, and the devices silent as of now: what ``gongjian monitoring check --region CODE --from
    HH:00 --to HH+1:00`` does for one region. Running it again finds nothing new (alarms are kept
    once); returns the number of new alarms."""
    now = clock.now()
    end = clock.naive_local(now).replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(hours=1)
    return sum(checks.run_checks(region, start, end, now=now) for region in Region.objects.get_root_nodes())


@contextlib.contextmanager
def _only_ingester() -> Iterator[bool]:
    """Whether this process is the one ingester now (an exclusive lock on a file beside the database,
    ``<GONGJIAN_HOME>/ingest.lock``): the next minute's job, started while this one still works, or a
    second worker process, returns at once instead of reading the same packets."""
    path = settings.HOME / "ingest.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ingest_continuously(span: float = INGEST_SPAN, pause: float = INGEST_PAUSE) -> dict:
    """Read every stored packet into series (:func:`gongjian.sources.ingest.ingest`) again and again
    for ``span`` seconds, waiting ``pause`` seconds whenever none is left: the job that the job worker
    starts every minute, which so runs the ingestion continuously (``gongjian monitoring ingest``
    does one pass by hand). Returns the counts, or ``{"skipped": ...}`` when another ingester runs."""
    with _only_ingester() as alone:
        if not alone:
            return {"skipped": "another ingester is running"}
        until = time.monotonic() + span
        totals = {"passes": 0, "packets": 0, "samples": 0, "air_hours": 0, "readings": 0, "unusable": 0}
        while True:
            result = ingest(until=until)
            totals["passes"] += 1
            for name in ("packets", "samples", "air_hours", "readings", "unusable"):
                totals[name] += getattr(result, name)
            if time.monotonic() + (0 if result.packets else pause) >= until:
                break
            if not result.packets:
                time.sleep(pause)
        if totals["packets"]:
            log.info("ingested %(packets)d packets in %(passes)d passes", totals)
        return totals
