"""The water quality page in a real browser, on the demo's sections, at the demo's clock: the
sections' table with the class colours, the rates, the heat grid of classes drawn, a section's
page with its charts, and the export."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEEDED = frozenset({"regions", "organisations", "people", "water sections and samples"})


@pytest.fixture
def demo_office(db, settings):
    from gongjian.demo import AS_OF, build
    from gongjian.demo.builder import steps
    from gongjian.regions.models import Person

    build(progress=lambda line: None, skip=frozenset(s.name for s in steps()) - NEEDED)
    settings.GONGJIAN_AS_OF = AS_OF.isoformat()
    office = Person.objects.get(username="zz_office")
    office.set_password(PASSWORD)
    office.save()
    return office


def test_water_quality_overview(demo_office, live_server, page, screenshot):
    sign_in(page, live_server, "zz_office", PASSWORD)
    page.goto(f"{live_server.url}/water/quality/?period=month&end=2020-01-31")
    page.wait_for_selector("[data-chart=class-grid] svg")
    rows = page.locator("#sections tbody tr")
    assert rows.count() == 12
    missed = page.locator("#sections tbody tr.status-missed")
    assert missed.count() == 1 and "贾鲁河中牟陈桥" in missed.inner_text() and "氨氮" in missed.inner_text()
    assert page.locator("#rates").inner_text().count("%") >= 3
    assert "数据截至" in page.inner_text("main")
    screenshot("water-overview")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.click("#sections a:has-text('贾鲁河中牟陈桥')")
    page.wait_for_selector("[data-chart=class-chart] svg")
    assert page.locator("[data-chart=item-chart] svg").count() == 1
    assert page.locator("#months tr.status-missed").count() >= 1
    screenshot("water-section")
