"""The air app's registries through the generic registry tests (tests/registry_cases.py)."""

import datetime as dt

from django.urls import reverse

from gongjian.air.models import AirHour, AirQualityTarget, ExceptionalEvent, Station
from tests.registry_cases import RegistryTests


class TestAirQualityTarget(RegistryTests):
    model = AirQualityTarget
    new = {"year": 2021}
    changes = {"value": "45.0"}
    invalid = {"year": "next year"}
    csv_rows = [{"year": 2022}, {"year": 2023}]
    csv_invalid = {"value": "many"}
    csv_update = {"value": "40.0"}


class TestStation(RegistryTests):
    model = Station
    new = {"code": "ST-new"}
    changes = {"name": "中牟新站"}
    invalid = {"latitude": "north"}
    csv_rows = [{"code": "ST-c1"}, {"code": "ST-c2"}]
    csv_invalid = {"latitude": "north"}
    csv_update = {"name": "中牟新站"}

    def test_measured_hours_keep_their_station(self, world, client):
        """Measured hours have no history: a station with data is not deleted from its page."""
        station = self.record(world)
        AirHour.objects.create(station=station, time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), pm25=50)
        client.force_login(world.people[self.editor])
        response = client.post(reverse("air:station_delete", args=[station.pk]))
        assert response.status_code == 409 and 'id="unrecorded"' in response.content.decode()
        assert Station.objects.filter(pk=station.pk).exists() and station.hours.count() == 1


class TestExceptionalEvent(RegistryTests):
    model = ExceptionalEvent
    changes = {"description": "沙尘暴，气象局通报"}
    invalid = {"start": "yesterday"}
    csv_rows = [{"kind": "dust"}, {"kind": "fireworks"}]
    csv_invalid = {"end": "later"}

    def make_record(self, w):
        event = super().make_record(w)
        event.proposed_by = w.people["city_office"]
        event.save()
        event.stations.add(Station.objects.create(code="ST-e", name="中牟站", kind="county", region=w.regions["county_a"]))
        return event
