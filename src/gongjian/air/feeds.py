"""Whether the stations' hours are still coming: each station's newest hour, and the outages the
hourly feed check opens and closes.

A station that stops sending looks, on a page of its last values, like one whose air has not
changed. So every page that shows the air now states how old each station's newest hour is
(:mod:`gongjian.core.freshness`, kind ``air.hourly``), and :func:`check_feeds`, run every hour by
the job worker (:attr:`gongjian.air.apps.AirConfig.schedules`), keeps a :class:`StationOutage` for
each station silent beyond the threshold, as the sources' checks keep an alarm for a silent device.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery

from gongjian import clock
from gongjian.core.freshness import stale_after

from .models import AirHour, Station, StationOutage

__all__ = ["KIND", "check_feeds", "newest_hours"]

#: The kind of data whose threshold (``GONGJIAN_STALE_AFTER``) judges the stations' hours.
KIND = "air.hourly"


def newest_hours(stations, now: dt.datetime) -> dict[int, dt.datetime | None]:
    """Each station's newest stored hour (its start) at or before ``now``; ``None`` for a station
    without any. One indexed look-up per station (the (station, time) key), not a scan of the hours."""
    newest = AirHour.objects.filter(station=OuterRef("pk"), time__lte=now).order_by("-time").values("time")[:1]
    ids = [s.pk for s in stations]
    return dict(Station.objects.filter(pk__in=ids).annotate(newest=Subquery(newest)).values_list("pk", "newest"))


def check_feeds(now: dt.datetime | None = None) -> int:
    """Open an outage for every active station (meteorological sites aside) whose newest hour is older
    than the threshold at ``now`` (default: the clock's now), and close the open outages of stations
    whose hours came again. Idempotent: one open outage per station, one record per outage, so
    running it every hour adds nothing while an outage lasts. A station that never sent an hour
    has no outage (as a device that never reported is not silent). Returns the number opened."""
    now = now or clock.now()
    limit = stale_after(KIND)
    stations = list(Station.objects.filter(status=Station.Status.ACTIVE).exclude(kind=Station.Kind.MET))
    newest = newest_hours(stations, now)
    open_outages = {o.station_id: o for o in StationOutage.objects.filter(resumed__isnull=True, station__in=stations)}
    opened = 0
    with transaction.atomic():
        for station_id, last in newest.items():
            outage = open_outages.get(station_id)
            if last is None:
                continue
            if now - last > limit:
                if outage is None:
                    opened += StationOutage.objects.get_or_create(station_id=station_id, last_hour=last,
                                                                  defaults={"found": now})[1]
            elif outage is not None and last > outage.last_hour:
                outage.resumed = AirHour.objects.filter(station_id=station_id, time__gt=outage.last_hour).aggregate(
                    t=Min("time"))["t"]
                outage.save(update_fields=["resumed"])
    return opened
