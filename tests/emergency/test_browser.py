"""The emergency pages in a real browser on the demo: a warning decided from a forecast, the list's
reductions against the requirement, a plant measure sheet, the optimiser's proposal, a daily report."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HOURS = frozenset({"air stations and hours", "air quality checks", "air daily results"})


@pytest.fixture
def demo_people(db):
    from gongjian.demo import build
    from gongjian.regions.models import Person

    build(progress=lambda line: None, skip=NO_HOURS)
    for person in Person.objects.filter(username__in=["zz_office", "zm_enterprise"]):
        person.set_password(PASSWORD)
        person.save()


def test_emergency_pages(demo_people, live_server, page, screenshot, settings):
    from gongjian.emergency.models import ReductionList, WarningEpisode
    from gongjian.sources.models import Enterprise

    # the forecaster's evening of 23 November: the forecast below is current (a forecast days old
    # proposes nothing, gongjian.emergency.episodes), whatever day the suite runs on
    settings.GONGJIAN_AS_OF = "2026-11-23T21:00"

    sign_in(page, live_server, "zz_office", PASSWORD)
    page.goto(f"{live_server.url}/emergency/forecast/")
    page.fill("textarea[name=days]", "2026-11-23,180\n2026-11-24,230\n2026-11-25,260\n2026-11-26,320\n2026-11-27,210")
    page.fill("input[name=issued_on]", "2026-11-23")
    page.click("text=保存预报")
    page.wait_for_selector("text=已保存5个预报日")
    page.click("text=查看建议级别")
    page.wait_for_selector("#proposed .level-chip.orange")
    page.fill("input[name=at]", "2026-11-23T20:00")
    page.fill("input[name=reason]", "会商研判：连续三天重度污染，一天严重污染")
    page.click("text=核对通知对象和内容")
    page.wait_for_selector("#recipients")  # who will be told, per district, before anything is sent
    assert "连续三天重度污染" in page.inner_text("#notice-text")  # and what they will read
    assert not WarningEpisode.objects.filter(status="active").exists()  # nothing recorded before the confirmation
    page.click("text=确认，记录并通知")
    page.wait_for_selector("#status .level-chip.orange")
    screenshot("emergency-warnings")
    assert WarningEpisode.objects.filter(status="active", level="orange").count() == 1

    version = ReductionList.objects.get(status="approved")
    page.goto(f"{live_server.url}/emergency/list/{version.pk}/?level=orange")
    page.wait_for_selector("[data-chart=reduction-chart] svg")
    assert page.locator("#summary .shortfall").count() == 0  # the demo list meets every ratio
    assert page.locator("#measures tbody tr").count() > 100
    screenshot("emergency-list")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    assert download.value.suggested_filename.endswith(".xlsx")

    draft = ReductionList.objects.get(status="draft")
    page.goto(f"{live_server.url}/emergency/list/{draft.pk}/optimise/red/")
    page.wait_for_selector("#proposal tbody tr")
    assert "已证明最优" in page.inner_text("main")
    screenshot("emergency-optimiser")

    episode = WarningEpisode.objects.filter(status="lifted").order_by("started_at").first()
    page.goto(f"{live_server.url}/emergency/warning/{episode.pk}/reports/")
    page.click("#report-days li:first-child a")
    page.wait_for_selector("#report tbody tr")
    assert page.locator("#report tr.status-behind").count() >= 1  # not reported or not in line
    screenshot("emergency-daily-report")

    own = Enterprise.objects.get(organisation__name="中牟演示建材有限公司")
    other = Enterprise.objects.exclude(pk=own.pk).first()
    page.context.clear_cookies()
    sign_in(page, live_server, "zm_enterprise", PASSWORD)
    page.goto(f"{live_server.url}/emergency/sheet/{own.pk}/")
    page.wait_for_selector("h2 .level-chip.red")
    assert "中牟演示建材有限公司" in page.inner_text("h1")
    screenshot("emergency-measure-sheet")
    response = page.goto(f"{live_server.url}/emergency/sheet/{other.pk}/")
    assert response.status == 404
