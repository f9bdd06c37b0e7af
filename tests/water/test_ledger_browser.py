"""An outfall walked through its ledger in a real browser: numbered (the code appears), monitored,
a month's results with one over its limit (the alarm), rectified with evidence, closed out."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.site.test_uploads import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _move(page, to: str, note: str, evidence=None) -> None:
    page.select_option("#step-form select[name=to]", to)
    page.fill("#step-form textarea[name=note]", note)
    if evidence is not None:
        page.set_input_files("#step-form input[name=evidence]", str(evidence))
    page.click("#step-form button[type=submit]")
    page.wait_for_selector("#ledger-status")


def test_an_outfall_through_its_ledger(world, live_server, page, screenshot, tmp_path, settings):
    from gongjian.water.ledgers import Outfall, OutfallLimit
    from gongjian.water.models import WaterAlarm

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.GONGJIAN_AS_OF = "2020-06-20T09:00:00+08:00"
    outfall = Outfall.objects.create(name="贾鲁河1号口", region=world.regions["county_a"], receiving_water="贾鲁河",
                                     kind="municipal")
    OutfallLimit.objects.create(outfall=outfall, item="cod", value=50, source="GB 18918-2002 一级A")
    sign_in(page, live_server, "county_a_office", PASSWORD)
    steps = f"{live_server.url}/water/outfall/{outfall.pk}/steps/"
    page.goto(steps)
    _move(page, "numbered", "排查后编号")
    _move(page, "monitored", "纳入月度监测")
    page.goto(f"{live_server.url}/water/outfall/{outfall.pk}/results/")
    page.fill("#results-form input[name=sampled]", "2020-06-15")
    page.fill("#results-form input[name=cod]", "62")
    page.click("#results-form button[type=submit]")
    page.wait_for_selector("#results")
    assert "超标" in page.inner_text("#results")
    screenshot("water-outfall-results")
    page.goto(steps)
    _move(page, "rectifying", "责令整改")
    page.select_option("#step-form select[name=to]", "rectified")
    page.fill("#step-form textarea[name=note]", "已封堵")
    page.click("#step-form button[type=submit]")
    assert "须提交佐证材料" in page.inner_text("#problems")
    evidence = tmp_path / "sealed.png"
    evidence.write_bytes(png())
    _move(page, "rectified", "已封堵", evidence)
    _move(page, "closed", "现场核查，销号", evidence)
    screenshot("water-outfall-steps")
    outfall.refresh_from_db()
    assert outfall.status == "closed" and outfall.code == "RH410122S0001"
    assert outfall.steps.count() == 5 and WaterAlarm.objects.filter(kind="outfall_over_limit").count() == 1
    assert page.locator("#step-form").count() == 0  # closed out: no move is open
