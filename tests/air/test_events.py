"""Exceptional events: proposal, four-eyes decision, and statistics with and without them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongjian.air.evaluation import read_daily
from gongjian.air.events import decide_event, propose_event
from gongjian.air.models import DailyResult, Station
from gongjian.core.registry import version_of

BJ = dt.timezone(dt.timedelta(hours=8))


def _propose(world, **overrides):
    args = {"kind": "dust", "region": world.regions["county_a"], "start": dt.datetime(2020, 1, 10, 0, tzinfo=BJ),
            "end": dt.datetime(2020, 1, 11, 23, tzinfo=BJ), "stations": Station.objects.filter(code__in=["ZM01"]),
            "description": "沙尘天气过程", "user": world.people["county_a_office"]}
    return propose_event(**{**args, **overrides})


def test_proposal_is_checked(data, world):
    with pytest.raises(ValidationError, match="outside"):
        _propose(world, stations=Station.objects.filter(code="XY01"))
    with pytest.raises(ValidationError):
        _propose(world, end=dt.datetime(2020, 1, 9, tzinfo=BJ))
    with pytest.raises(PermissionDenied):
        _propose(world, user=world.people["county_b_office"])


def test_four_eyes(data, world):
    event = _propose(world)
    with pytest.raises(PermissionDenied, match="cannot also approve"):
        decide_event(event, accept=True, user=world.people["county_a_office"])
    with pytest.raises(PermissionDenied):
        decide_event(event, accept=True, user=world.people["town_a1_gov"])
    decide_event(event, accept=False, user=world.people["city_office"], note="not a dust day")
    with pytest.raises(ValidationError, match="already"):
        decide_event(event, accept=True, user=world.people["city_office"])


def test_statistics_with_and_without_an_accepted_event(data, world, client, django_capture_on_commit_callbacks):
    event = _propose(world)
    with django_capture_on_commit_callbacks(execute=True):
        decide_event(event, accept=True, user=world.people["city_office"])
    station = DailyResult.objects.filter(subject="station", station__code="ZM01")
    with_events = read_daily(station, "2012", dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    without = read_daily(station, "2012", dt.date(2020, 1, 1), dt.date(2020, 1, 31), exclude_events=True)
    assert with_events.height == without.height == 31
    day = without.filter(without["date"] == dt.date(2020, 1, 10)).row(0, named=True)
    assert day["events_excluded"] and day["pm25"] is None and day["aqi"] is None  # every hour of the day removed
    assert not with_events.filter(with_events["date"] == dt.date(2020, 1, 10))["events_excluded"].any()
    county = read_daily(DailyResult.objects.filter(subject="region", place=world.regions["county_a"]), "2012",
                        dt.date(2020, 1, 10), dt.date(2020, 1, 10), exclude_events=True)
    assert county["pm25"].to_list() == [None]  # the county's only station was excluded
    other = read_daily(DailyResult.objects.filter(subject="station", station__code="XY01"), "2012",
                       dt.date(2020, 1, 10), dt.date(2020, 1, 10), exclude_events=True)
    assert other["pm25"].to_list()[0] is not None  # not in the event
    client.force_login(world.people["city_office"])
    page = client.get(reverse("air:rankings"), {"level": "station", "period": "month", "end": "2020-01-31",
                                                "events": "exclude"}).content.decode()
    assert "label-events" in page


def test_events_through_the_registry_pages(data, world, client):
    client.force_login(world.people["county_a_office"])
    form = {"kind": "fireworks", "region": world.regions["county_a"].pk, "start": "2020-01-24 20:00",
            "end": "2020-01-25 04:00", "stations": [Station.objects.get(code="ZM01").pk], "description": "春节烟花"}
    assert client.post(reverse("air:exceptionalevent_add"), form).status_code == 302
    from gongjian.air.models import ExceptionalEvent

    event = ExceptionalEvent.objects.get()
    assert event.proposed_by == world.people["county_a_office"] and event.status == "proposed"
    page = client.post(reverse("air:event_decide", args=[event.pk]), {"decision": "accept"}).content.decode()
    assert "不能同时审批" in page  # the PermissionDenied message, shown as given, in the reader's language
    client.force_login(world.people["city_office"])
    client.post(reverse("air:event_decide", args=[event.pk]), {"decision": "accept"})
    event.refresh_from_db()
    assert event.status == "accepted" and event.decided_by == world.people["city_office"]
    edit = client.post(reverse("air:exceptionalevent_edit", args=[event.pk]),
                       {**form, "description": "改", "_version": version_of(event)})
    assert edit.status_code == 200 and "已决定的事件不能修改" in edit.content.decode()
    event.refresh_from_db()
    assert event.description == "春节烟花"
