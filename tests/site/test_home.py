"""The home page answers "what needs me today" per person: the blocks a role works with, each scoped
by the policy (county A's office never counts county B's alarms), each with the page to act and its
age; an enterprise sees its own alarms and notices, a public reviewer the air (and its published rank) and the warnings; a
place without air data says "no data" (无数据), never 0."""

import datetime as dt

import pytest
from django.urls import reverse

from gongjian import clock
from gongjian.emergency.models import Notice, WarningAction, WarningEpisode, WarningStandard
from gongjian.site import home
from gongjian.sources.models import Enterprise
from gongjian.sources.monitoring import Alarm
from gongjian.tasks.models import Milestone, Plan, SupervisionCase, Task, TaskUnit

TZ = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2026, 11, 24, 20, tzinfo=TZ)


def _alarm(w, key, town):
    enterprise = Enterprise.objects.create(organisation=w.organisations[key], industry="cement", performance_class="C")
    return Alarm.objects.create(rule="exceedance", region=w.regions[town], enterprise=enterprise, subject=f"窑尾{key}",
                                series="so2", start=MOMENT, end=MOMENT, intervals=3, evidence="x", fingerprint=key)


@pytest.fixture
def today(world):
    _alarm(world, "e1", "town_a1")
    _alarm(world, "e2", "town_b1")
    standard = WarningStandard.objects.create(region=world.regions["city"], name="国家统一标准",
                                              valid_from=dt.date(2018, 8, 1))
    episode = WarningEpisode.objects.create(region=world.regions["city"], level="orange", started_at=MOMENT,
                                            standard=standard)
    action = WarningAction.objects.create(warning=episode, kind="issue", level_to="orange", at=MOMENT,
                                          decided_by=world.people["city_office"], reason="会商")
    Notice.objects.create(action=action, recipient=world.organisations["e1"], text="启动橙色预警，执行减排措施")
    plan = Plan.objects.create(region=world.regions["county_a"], title="中牟县方案")
    task = Task.objects.create(plan=plan, number="1", text="散煤清零")
    TaskUnit.objects.create(task=task, role="lead", name="韩寺镇人民政府", organisation=world.organisations["town_a1"])
    Milestone.objects.create(task=task, kind="once", due=dt.date(2026, 11, 20))
    Milestone.objects.create(task=task, kind="once", due=dt.date(2026, 11, 27))
    SupervisionCase.objects.create(region=world.regions["county_a"], title="工地未苫盖", source="inspection",
                                   opened_by=world.people["county_a_office"], opened=MOMENT, status="assigned",
                                   assignee=world.organisations["town_a1"], deadline=dt.date(2026, 12, 5))
    return world


def _blocks(person):
    with clock.as_of(MOMENT):
        return {block.key: block for block in home.blocks(person)}


def test_a_countys_office_counts_its_own_records(today):
    blocks = _blocks(today.people["county_a_office"])
    assert blocks["alarms"].count == 1 and "窑尾e1" in blocks["alarms"].items[0][0]
    assert blocks["warnings"].count == 1  # the city's warning binds the county
    assert blocks["overdue"].count == 1 and blocks["due"].count == 1
    assert blocks["cases"].count == 0  # assigned to the town: its move, not the office's
    assert _blocks(today.people["county_b_office"])["alarms"].count == 1
    assert _blocks(today.people["county_b_office"])["overdue"].count == 0


def test_the_town_sees_its_case_and_deadlines(today):
    blocks = _blocks(today.people["town_a1_gov"])
    assert blocks["cases"].count == 1 and blocks["cases"].url == reverse("tasks:cases")
    assert blocks["overdue"].count == 1


def test_an_enterprise_sees_its_own_notices_and_alarms_only(today):
    blocks = _blocks(today.people["enterprise_e1"])
    assert set(blocks) == {"aqi", "warnings", "notices", "alarms"}
    assert blocks["notices"].count == 1 and blocks["alarms"].count == 1
    assert _blocks(today.people["enterprise_e2"])["notices"].count == 0


def test_a_public_reviewer_sees_the_air_and_the_warnings(today):
    assert set(_blocks(today.people["public_city"])) == {"aqi", "rank", "warnings"}


@pytest.mark.parametrize("username", ["city_office", "county_a_office", "department", "town_a1_gov", "enterprise_e1",
                                      "public_city"])
def test_every_role_gets_its_home_with_no_data_said(today, client, username):
    client.force_login(today.people[username])
    with clock.as_of(MOMENT):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "无数据" in page  # no air data in this world: said, not shown as 0
    assert 'id="home-warnings"' in page and reverse("emergency:warning_list") in page


def test_the_new_pages_speak_chinese(today, client):
    from tests.language import untranslated

    client.force_login(today.people["county_a_office"])
    client.post(reverse("regions:tokens"), {"name": "数据报送"})
    with clock.as_of(MOMENT):
        for url in (reverse("home"), f"{reverse('search')}?q=镇", f"{reverse('search')}?q=nothing",
                    reverse("help"), reverse("help", args=["analyst"]), reverse("regions:tokens"),
                    f"{reverse('tasks:ledger')}?q=散煤"):
            page = client.get(url).content.decode()
            main = page[page.index("<main"):page.index("</main>") + 7]  # these pages' own text
            assert not untranslated(main), url
