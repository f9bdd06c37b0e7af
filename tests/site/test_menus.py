"""Menus offer what the role may open (issue 14): every link of every role's menu answers 200 for
that person, and a page the menu leaves out refuses them with the rule that decides both."""

import pytest
from django.urls import reverse

from gongjian.core.pages import may_open
from gongjian.core.registry import PAGES, REGISTRY
from gongjian.demo.people import ACCOUNTS

#: The people of ``tests.conftest.build_world``; between them every role the demo creates an account of.
PEOPLE = ("city_office", "city_bureau", "department", "county_a_office", "town_a1_gov", "enterprise_e1",
          "public_city")


def _menu(client) -> list[str]:
    navigation = client.get("/").context["navigation"]
    return [url for section in navigation for _label, url in section["links"]]


def test_the_people_cover_every_demo_role(world):
    assert {role for _u, role, *_ in ACCOUNTS} <= {world.people[name].role for name in PEOPLE}


@pytest.mark.parametrize("username", PEOPLE)
def test_every_menu_link_opens_for_its_role(world, client, username):
    client.force_login(world.people[username])
    links = _menu(client)
    assert links, username
    refused = {url: status for url in links if (status := client.get(url).status_code) != 200}
    assert not refused, f"{username}: {refused}"


@pytest.mark.parametrize("username", PEOPLE)
def test_pages_left_out_of_the_menu_refuse_with_the_same_rule(world, client, username):
    person = world.people[username]
    client.force_login(person)
    links = set(_menu(client))
    for _section, _label, url_name in PAGES:
        url = reverse(url_name)
        if url not in links:
            assert not may_open(person, url_name)
            response = client.get(url)
            assert response.status_code == 403, (username, url)
            assert "没有权限" in response.content.decode()
    for entry in REGISTRY.values():
        url = reverse(entry.url_name("list"))
        if entry.section and url not in links:
            assert client.get(url).status_code == 403, (username, url)


def test_menus_differ_by_role(world, client):
    def menu(username):
        client.force_login(world.people[username])
        return set(_menu(client))

    office, enterprise, public = menu("city_office"), menu("enterprise_e1"), menu("public_city")
    imports = {reverse("air:import"), reverse("tasks:import")}
    assert imports <= office and not imports & (enterprise | public | menu("department") | menu("town_a1_gov"))
    assert reverse("tasks:scorecard") in office and reverse("tasks:scorecard") not in enterprise | public
    assert reverse("air:rankings") in public and reverse("air:rankings") not in enterprise
    assert reverse("air:station_list") not in enterprise  # an enterprise owns no station: no empty list offered


@pytest.mark.parametrize("username", PEOPLE)
def test_every_area_link_opens_for_its_role(world, client, username):
    """The links of each area's own bar (``page_link``) ask the menu's rule: none leads to a refusal,
    and an editor's pages (imports, entering a forecast) are not offered to others."""
    from lxml import html

    client.force_login(world.people[username])
    areas = ["air:now", "emergency:dashboard", "sources:alarms", "tasks:ledger"]
    links = set()
    for name in areas:
        response = client.get(reverse(name))
        if response.status_code == 200:
            links |= set(html.fromstring(response.content).xpath("//nav[contains(@class,'subnav')]//a/@href"))
    refused = {url: status for url in links if (status := client.get(url).status_code) != 200}
    assert not refused, f"{username}: {refused}"
    editor_pages = {reverse("air:import"), reverse("emergency:forecast"), reverse("tasks:import")}
    assert bool(editor_pages & links) == world.people[username].role_can_edit, username
