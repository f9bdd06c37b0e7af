"""Walk the UI shell in a real browser: sign in, navigate, switch language, see scope."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_navigate_and_switch_language(world, live_server, page, screenshot):
    sign_in(page, live_server, "county_a_office", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "概览"
    screenshot("home")

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
