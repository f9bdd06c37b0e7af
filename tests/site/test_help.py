"""The user guide is served by the platform (offline): the index and a chapter per role, in Chinese,
rendered from Markdown; every page links to its section of it (the index by default)."""

import pytest
from django.urls import reverse

from gongjian.site import guide

ROLES = ("analyst", "county", "town", "department", "enterprise", "public")


def test_the_guide_has_a_chapter_per_role_in_order():
    assert [c.slug for c in guide.chapters()] == ["index", *ROLES]
    assert guide.chapter("index").title == "用户手册"


@pytest.mark.parametrize("slug", ROLES)
def test_each_chapter_is_served_with_the_table_of_contents(client, slug):
    response = client.get(reverse("help", args=[slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and guide.chapter(slug).title in page and "攻坚办分析员" in page  # the contents


def test_the_index_names_its_sections_for_the_pages(client):
    page = client.get(reverse("help")).content.decode()
    for anchor in ("home", "search", "api-tokens"):
        assert f'id="{anchor}"' in page
    assert client.get(reverse("help", args=["no-such-chapter"])).status_code == 404
    assert client.get(reverse("help_screenshot", args=["no-such-picture"])).status_code == 404


def test_pages_link_to_their_section(world, client):
    client.force_login(world.people["county_a_office"])
    assert f'{reverse("help", args=["index"])}#home' in client.get(reverse("home")).content.decode()
    # a page that names none: its area's section of the reader's chapter
    assert f'href="{reverse("help", args=["county"])}#tasks"' in client.get(reverse("tasks:ledger")).content.decode()


def test_a_screenshot_of_the_checkout_is_served_as_an_image(client):
    present = sorted(guide.SCREENSHOTS_DIR.glob("*.png"))
    if not present:
        pytest.skip("this checkout has no docs/screenshots")
    response = client.get(reverse("help_screenshot", args=[present[0].stem]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_page_links_to_its_roles_section_of_the_guide(world, client):
    """The 帮助 link opens the chapter of the reader's role at the section of the page's area."""
    from lxml import html

    def help_link(person: str, url: str) -> str:
        client.force_login(world.people[person])
        return html.fromstring(client.get(url).content).xpath("//a[@class='help']/@href")[0]

    assert help_link("city_office", "/emergency/") == "/help/analyst#warnings"
    assert help_link("county_a_office", "/air/now/") == "/help/county#daily"
    assert help_link("enterprise_e1", "/sources/alarms/") == "/help/enterprise#alarms"
    assert help_link("town_a1_gov", "/tasks/") == "/help/town#tasks"
    assert help_link("city_office", "/") == "/help/index#home"  # a page naming its own section
    assert client.get("/help/county").status_code == 200
