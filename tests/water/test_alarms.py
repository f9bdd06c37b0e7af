"""Water alarms: raised once per fingerprint, refreshed while open, left as a person decided; a
county sees only its own; a water alarm becomes a supervision case, from the service and from the
case page, as a sources alarm does."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongjian import clock
from gongjian.tasks.models import SupervisionCase
from gongjian.water import services
from gongjian.water.alarms import close_alarm, raise_alarm
from gongjian.water.models import WaterAlarm

pytestmark = pytest.mark.django_db

START = clock.attach(dt.datetime(2026, 3, 1))
END = clock.attach(dt.datetime(2026, 4, 1))


def _raise(section, fingerprint="f1", evidence="陈桥断面3月水质Ⅳ类", **kw):
    return raise_alarm("section_below_target", section.region, str(section), START, END, section=section,
                       value=4.0, threshold=3.0, evidence=evidence, fingerprint=fingerprint, **kw)


def test_an_alarm_is_raised_once_refreshed_while_open_and_kept_as_decided(sections):
    a = sections["a"]
    first = _raise(a)
    again = _raise(a, evidence="陈桥断面3月水质Ⅴ类")
    assert first.pk == again.pk and WaterAlarm.objects.count() == 1 and again.evidence == "陈桥断面3月水质Ⅴ类"
    assert close_alarm("f1") and WaterAlarm.objects.get().status == "closed"
    assert _raise(a).status == "open"  # the condition holds again: the same alarm opens again
    WaterAlarm.objects.filter(pk=first.pk).update(status="dismissed")
    assert _raise(a, evidence="新证据").status == "dismissed" and WaterAlarm.objects.get().evidence != "新证据"
    assert not close_alarm("f1")


def test_bad_alarms_are_refused(sections):
    with pytest.raises(ValueError, match="unknown water alarm kind"):
        raise_alarm("smell", sections["a"].region, "x", START, END, evidence="e", fingerprint="f")
    with pytest.raises(ValueError, match="evidence"):
        raise_alarm("station_qc", sections["a"].region, "x", START, END, evidence=" ", fingerprint="f")
    assert not WaterAlarm.objects.exists()


def test_a_county_sees_its_own_alarms_only(world, sections):
    mine, theirs = _raise(sections["a"], "fa"), _raise(sections["b"], "fb")
    assert list(services.alarms_waiting(world.people["county_a_office"])) == [mine]
    assert set(services.alarms_waiting(world.people["city_office"])) == {mine, theirs}
    assert not services.visible_alarms(world.people["enterprise_e1"]).exists()
    assert not services.visible_alarms(world.people["public_city"]).exists()


def test_an_alarm_becomes_a_supervision_case(world, sections):
    alarm = _raise(sections["a"])
    office = world.people["county_a_office"]
    case = services.open_case_from_alarm(alarm, office)
    alarm.refresh_from_db()
    assert (case.water_alarm, case.region, case.source, case.opened_by) == (alarm, alarm.region, "alarm", office)
    assert case.description == alarm.evidence and alarm.status == "case_opened"
    assert list(alarm.cases.all()) == [case] and case.steps.get().status == "found"
    assert alarm.history.first().status == "case_opened"


def test_another_countys_alarm_opens_no_case(world, sections):
    alarm = _raise(sections["b"])
    with pytest.raises(PermissionDenied):
        services.open_case_from_alarm(alarm, world.people["county_a_office"])
    assert not SupervisionCase.objects.exists() and WaterAlarm.objects.get().status == "open"


def test_the_case_page_opens_a_case_from_a_water_alarm(world, sections, client):
    alarm = _raise(sections["a"])
    client.force_login(world.people["county_a_office"])
    page = client.get(reverse("tasks:new_case"), {"water_alarm": alarm.pk})
    assert page.status_code == 200 and f'name="water_alarm" value="{alarm.pk}"' in page.content.decode()
    response = client.post(reverse("tasks:new_case"), {
        "water_alarm": alarm.pk, "region": alarm.region.pk, "title": "陈桥断面氨氮超标", "description": alarm.evidence})
    case = SupervisionCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("tasks:case", args=[case.pk])
    assert case.water_alarm == alarm and case.title == "陈桥断面氨氮超标"
    assert WaterAlarm.objects.get().status == "case_opened"
    # an alarm the person does not see is no origin at all
    other = _raise(sections["b"], "fb")
    assert client.get(reverse("tasks:new_case"), {"water_alarm": other.pk}).status_code == 404
