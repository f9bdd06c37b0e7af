"""Electricity readings are evidence: only those the policy names submit them, and a stored reading
changes only with a reason, keeping the value before with who, when and why (the security review:
a town user and a department user overwrote 2919.6 kW with 0.0 through the import page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjian.core.problems import InvalidInput
from gongjian.regions.models import Organisation, Role
from gongjian.regions.services import register_person
from gongjian.sources.meters import store_readings
from gongjian.sources.models import Enterprise, ProductionLine
from gongjian.sources.monitoring import Meter, MeterReading, MeterReadingCorrection
from tests.conftest import PASSWORD

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2020, 12, 8, 12, tzinfo=TZ)


@pytest.fixture
def meter(world):
    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement",
                                           performance_class="C")
    line = ProductionLine.objects.create(enterprise=enterprise, name="1号线")
    meter = Meter.objects.create(enterprise=enterprise, number="M1", name="生产", purpose="production", line=line)
    MeterReading.objects.create(meter=meter, start=START, kw=2919.6, source="file")
    return meter


def _file(kw: str):
    return SimpleUploadedFile("readings.csv", f"表号,时间,功率\nM1,2020-12-08 12:00,{kw}\n".encode(), "text/csv")


@pytest.mark.parametrize("username", ["town_a1_gov", "department", "enterprise_e1", "public_city"])
def test_people_who_do_not_supply_electricity_data_cannot_overwrite_it(client, world, meter, username):
    client.force_login(world.people[username])
    response = client.post(reverse("sources:readings_import"), {"file": _file("0.0"), "reason": "x"})
    assert response.status_code == 403
    assert MeterReading.objects.get().kw == 2919.6 and not MeterReadingCorrection.objects.exists()


def test_the_power_company_submits_and_a_correction_keeps_the_value_before(client, world, meter):
    power = Organisation.objects.create(name="国网郑州供电公司", kind="power_company", region=world.regions["city"])
    feed = register_person(username="power", password=PASSWORD, role=Role.DEPARTMENT,
                           jurisdiction=world.regions["city"], organisation=power)
    client.force_login(feed)
    refused = client.post(reverse("sources:readings_import"), {"file": _file("0.0")})
    assert refused.status_code == 400 and "2919.6" in refused.content.decode()  # a correction needs its reason
    assert MeterReading.objects.get().kw == 2919.6
    done = client.post(reverse("sources:readings_import"), {"file": _file("0.0"), "reason": "抄表错误更正"})
    assert done.status_code == 200 and MeterReading.objects.get().kw == 0.0
    correction = MeterReadingCorrection.objects.get()
    assert (correction.old_kw, correction.new_kw, correction.reason, correction.by) == (2919.6, 0.0, "抄表错误更正", feed)
    assert "抄表错误更正" in client.get(reverse("sources:readings_import")).content.decode()


def test_the_same_value_again_is_no_correction(world, meter):
    assert store_readings([{"meter": "M1", "start": "2020-12-08 12:00", "kw": "2919.6"}], world.people["city_bureau"],
                          source="file") == 1
    assert not MeterReadingCorrection.objects.exists()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309"])
def test_a_power_that_is_no_finite_number_is_refused(world, meter, value):
    with pytest.raises(InvalidInput, match="not a number"):
        store_readings([{"meter": "M1", "start": "2020-12-08 12:15", "kw": value}], world.people["city_bureau"])
    assert MeterReading.objects.count() == 1


def test_the_api_takes_a_reason_for_corrections(client, world, meter):
    client.force_login(world.people["city_bureau"])
    row = [{"meter": "M1", "start": "2020-12-08T12:00", "kw": 100}]
    assert client.post("/api/sources/meter-readings/", row, content_type="application/json").status_code == 400
    done = client.post("/api/sources/meter-readings/", {"readings": row, "reason": "复核更正"},
                       content_type="application/json")
    assert done.status_code == 201 and MeterReadingCorrection.objects.get().old_kw == 2919.6
    client.force_login(world.people["town_a1_gov"])
    assert client.post("/api/sources/meter-readings/", row, content_type="application/json").status_code == 403
