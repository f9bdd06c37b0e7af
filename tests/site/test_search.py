"""The global search and the ledger's text search on the real database: every result through the
policy (a county never finds another county's records), tasks found by a word of their text or a
unit's name, several words all required, and the kinds searched declared by the apps."""

import datetime as dt

from django.urls import reverse

from gongjian.air.models import Station
from gongjian.core import search
from gongjian.sources.models import Enterprise
from gongjian.tasks.models import Plan, SupervisionCase, Task, TaskUnit

TZ = dt.timezone(dt.timedelta(hours=8))


def _places(w):
    """The same words in county A and county B: a station, an enterprise, a task and a case each."""
    for county, town, enterprise in (("county_a", "town_a1", "e1"), ("county_b", "town_b1", "e2")):
        Station.objects.create(code=f"ST-{county}", name=f"扬尘监测站{county}", kind="town", region=w.regions[town])
        Enterprise.objects.create(organisation=w.organisations[enterprise], industry="cement", performance_class="C")
        plan = Plan.objects.create(region=w.regions[county], title=f"{county}方案")
        task = Task.objects.create(plan=plan, number="1", text=f"全面落实工地扬尘治理{county}")
        TaskUnit.objects.create(task=task, role="lead", name="住建局", organisation=w.organisations[town])
        SupervisionCase.objects.create(region=w.regions[county], title=f"工地扬尘未苫盖{county}", source="inspection",
                                       opened_by=w.people[f"{county}_office"], opened=dt.datetime(2026, 11, 1, tzinfo=TZ))


def _found(user, query):
    return {str(hit) for group in search.search(user, query) for hit, _url in group.hits}


def test_a_county_never_finds_another_countys_records(world):
    _places(world)
    found = _found(world.people["county_a_office"], "扬尘")
    assert any("county_a" in text for text in found)
    assert not any("county_b" in text for text in found), found
    assert not any("乙铸造" in text for text in _found(world.people["county_a_office"], "有限公司"))
    city = _found(world.people["city_office"], "扬尘")
    assert any("county_b" in text for text in city) and any("county_a" in text for text in city)


def test_every_kind_found_is_declared_and_scoped(world):
    _places(world)
    kinds = {group.searchable.model for group in search.search(world.people["county_a_office"], "扬尘")}
    assert {Station, Task, SupervisionCase} <= kinds
    assert {s.model for s in search.searchables()} >= {Station, Task, SupervisionCase, Enterprise}
    assert search.search(world.people["public_city"], "扬尘 治理") == []  # tasks are not public


def test_a_task_is_found_by_a_word_of_its_text_or_its_units(world, client):
    _places(world)
    client.force_login(world.people["county_a_office"])
    page = client.get(reverse("search"), {"q": "落实 治理"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "全面落实工地扬尘治理county_a" in text and "county_b" not in text
    assert "全面落实" not in client.get(reverse("search"), {"q": "落实 没有这个词"}).content.decode()
    ledger = client.get(reverse("tasks:ledger"), {"q": "住建局"}).content.decode()
    assert "全面落实工地扬尘治理county_a" in ledger
    assert "全面落实" not in client.get(reverse("tasks:ledger"), {"q": "散煤"}).content.decode()


def test_the_header_has_the_search_box_and_the_help_link(world, client):
    client.force_login(world.people["town_a1_gov"])
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in page and reverse("help") in page
