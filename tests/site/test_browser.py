"""Walk the UI shell in a real browser: sign in, navigate, switch language, see scope."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_navigate_and_switch_language(world, live_server, page, screenshot):
    sign_in(page, live_server, "county_a_office", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "今天要办的事"
    screenshot("shell-home")

    page.hover("text=行政区与人员")
    page.click(".dropdown >> text=行政区")
    page.wait_for_selector("table.grid")
    rows = page.locator("table.grid tbody tr").all_inner_texts()
    names = " ".join(rows)
    assert "中牟县" in names and "韩寺镇" in names
    assert "荥阳市" not in names  # another county
    screenshot("regions")

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Regions" in page.locator("h1").inner_text()


def test_lookup_a_name_with_htmx(world, live_server, page, screenshot):
    sign_in(page, live_server, "city_office", PASSWORD)
    page.goto(f"{live_server.url}/regions/resolve/")
    page.fill("input[name=name]", "市环保局")
    page.select_option("select[name=context]", label="郑州市")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".resolution.resolved")
    assert "郑州市生态环境局" in page.inner_text("#resolution")
    screenshot("resolve")


def test_static_assets_are_served_locally(world, live_server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, live_server, "city_office", PASSWORD)
    assert requests and all(url.startswith(live_server.url) for url in requests), requests


def test_demo_walkthrough(live_server, page, screenshot):
    """The demo city as a visitor sees it after `make run` (these are the README's screenshots)."""
    from gongjian.demo import build
    from gongjian.regions.models import Person

    build(progress=lambda line: None, skip=frozenset({"air stations and hours", "air quality checks", "air daily results"}))
    office = Person.objects.get(username="zz_office")
    office.set_password(PASSWORD)
    office.save()
    sign_in(page, live_server, "zz_office", PASSWORD)
    cards = page.locator(".card").all_inner_texts()
    assert any("生效中的预警" in card for card in cards) and any("待处理的告警" in card for card in cards)
    screenshot("demo-home")
    page.goto(f"{live_server.url}/air/airqualitytarget/?q=郑州")
    text = page.inner_text("table.grid")
    assert "郑州市" in text and "56.00" in text and "97.00" in text
    screenshot("demo-targets")
    page.goto(f"{live_server.url}/regions/region/")
    first_page = page.inner_text("table.grid")
    assert "郑州市" in first_page and "中牟县" in first_page
    page.goto(f"{live_server.url}/regions/region/?q=市")
    assert "开封市" not in page.inner_text("table.grid")  # outside Zhengzhou's jurisdiction
    screenshot("demo-regions")
