"""A supervision case walked through every step in a real browser: found, assigned to a town,
rectification reported with evidence, a failed check sent back, reported again, verified, closed;
and a second case escalated to a summons and to accountability, then closed."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.site.test_uploads import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, form: str, note: str, **fields) -> None:
    for name, value in fields.items():
        page.fill(f"#{form} [name={name}]", value)
    page.fill(f"#{form} [name=note]", note)
    page.click(f"#{form} button[type=submit]")
    page.wait_for_selector("#case-status")


def test_a_case_through_every_step(world, live_server, page, screenshot, tmp_path, settings):
    from gongjian.tasks.models import SupervisionCase

    settings.MEDIA_ROOT = str(tmp_path / "media")
    sign_in(page, live_server, "city_office", PASSWORD)
    page.goto(f"{live_server.url}/tasks/cases/new/")
    page.select_option("select[name=source]", "inspection")
    page.select_option("select[name=region]", label="韩寺镇")
    page.fill("input[name=title]", "砂石料场未覆盖")
    page.fill("textarea[name=description]", "夜间巡查发现料场裸露")
    page.click("button:text-is('立案')")
    page.wait_for_selector("#case-status")
    case = SupervisionCase.objects.get()
    url = f"{live_server.url}/tasks/cases/{case.pk}/"
    page.select_option("#assign-form select[name=assignee]", label="韩寺镇 韩寺镇人民政府")
    _step(page, "assign-form", "请三日内完成覆盖", deadline="2099-03-01")

    page.context.clear_cookies()
    sign_in(page, live_server, "town_a1_gov", PASSWORD)
    page.goto(url)
    evidence = tmp_path / "photo.png"  # evidence is checked by content (gongjian.core.uploads): a real image
    evidence.write_bytes(png())
    page.set_input_files("#rectify-form input[name=evidence]", str(evidence))
    _step(page, "rectify-form", "已覆盖防尘网")

    page.context.clear_cookies()
    sign_in(page, live_server, "city_office", PASSWORD)
    page.goto(url)
    page.check("#verify-form input[name=passed][value=no]")
    _step(page, "verify-form", "复查仍有裸露", deadline="2099-03-10")
    assert SupervisionCase.objects.get().status == "assigned"

    page.context.clear_cookies()
    sign_in(page, live_server, "town_a1_gov", PASSWORD)
    page.goto(url)
    _step(page, "rectify-form", "全部覆盖并洒水")

    page.context.clear_cookies()
    sign_in(page, live_server, "city_office", PASSWORD)
    page.goto(url)
    page.check("#verify-form input[name=passed][value=yes]")
    _step(page, "verify-form", "复查合格")
    _step(page, "close-form", "销号")
    assert page.locator("#steps li").count() == 7
    screenshot("tasks-case")
    assert SupervisionCase.objects.get().status == "closed"

    page.goto(f"{live_server.url}/tasks/cases/new/")
    page.select_option("select[name=region]", label="荥阳市")
    page.fill("input[name=title]", "重点任务逾期")
    page.click("button:text-is('立案')")
    page.wait_for_selector("#case-status")
    page.select_option("#assign-form select[name=assignee]", label="荥阳市 荥阳市人民政府")
    _step(page, "assign-form", "限期完成", deadline="2099-03-01")
    _step(page, "summon-form", "约谈分管负责人")
    _step(page, "accountable-form", "移交问责")
    _step(page, "close-form", "问责完毕")
    second = SupervisionCase.objects.order_by("pk").last()
    assert [s for s, in second.steps.values_list("status")] == ["found", "assigned", "summoned", "accountable", "closed"]

    page.goto(f"{live_server.url}/tasks/cases/")
    page.wait_for_selector("[data-chart=case-chart] svg")
    screenshot("tasks-cases")
