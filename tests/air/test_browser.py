"""Every air page in a real browser, on the full demo (a year of data): the documentation's screenshots."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_office(db):
    from gongjian.demo import build
    from gongjian.regions.models import Person

    build(progress=lambda line: None, skip=frozenset({"sources and inventory", "emergency list and episodes"}))
    office = Person.objects.get(username="zz_office")
    office.set_password(PASSWORD)
    office.save()
    return office


def test_walk_every_air_page(demo_office, live_server, page, screenshot):
    sign_in(page, live_server, "zz_office", PASSWORD)
    page.hover("text=空气质量")
    page.click(".dropdown >> text=实时空气质量")
    page.wait_for_selector("svg.map circle")
    assert page.locator("svg.map circle").count() >= 20
    assert page.locator("#stations-now tbody tr").count() == 23  # Zhengzhou's stations; the peers are not its
    assert "郑州市" in page.inner_text("#regions-now")
    page.click("#stations-now th:has-text('AQI')")  # sortable
    screenshot("air-now")

    page.click("#stations-now tbody tr:first-child a")
    page.wait_for_selector("[data-chart=series] svg")
    for chart in ("series", "calendar", "rose", "diurnal", "capture"):
        assert page.locator(f"[data-chart={chart}] svg").count() == 1, chart
    screenshot("air-station")

    page.goto(f"{live_server.url}/air/rankings/?level=county&period=year&end=2020-12-31")
    page.wait_for_selector("#ranking tbody tr")
    ranks = page.locator("#ranking tbody tr td:first-child").all_inner_texts()
    assert ranks[0] == "1" and len(ranks) == 15
    screenshot("air-rankings")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/air/targets/?as_of=2020-06-30")
    page.wait_for_selector("#targets tbody tr")
    assert page.locator("#targets tr.status-behind").count() >= 1
    screenshot("air-targets")

    page.goto(f"{live_server.url}/air/quality/?month=2020-05")
    page.wait_for_selector("#findings")
    row = page.locator("#findings tbody tr", has_text="郑纺机").first
    row.locator("button[value=confirm]").click()
    page.wait_for_selector("#findings tbody tr:has-text('郑纺机'):has-text('确认无效')")
    screenshot("air-quality")

    page.goto(f"{live_server.url}/air/now/")
    page.click("#regions-now a:has-text('中牟县')")
    page.wait_for_selector("[data-chart=series] svg")
    assert "中牟县站" in page.inner_text("main")  # the county's own station makes its value
    screenshot("air-region")
