"""Source monitoring in a real browser on the demo: the alarms of the December 2020 warning with
their evidence, a verification notice sent from them, the town's on-site result with a photo, and
the office closing it; the media served to the receiver; another county does not see it."""

import pytest

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HOURS = frozenset({"air stations and hours", "air quality checks", "air daily results"})
# the smallest valid PNG: a photo from the site
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def demo_people(db):
    from gongjian.demo import build
    from gongjian.regions.models import Person

    build(progress=lambda line: None, skip=NO_HOURS)
    for person in Person.objects.filter(username__in=["zz_office", "zm_hansi", "xy_office"]):
        person.set_password(PASSWORD)
        person.save()


def test_alarm_to_verification_notice_to_result(demo_people, live_server, page, screenshot, tmp_path, settings):
    from gongjian.sources.monitoring import Alarm, VerificationNotice

    settings.MEDIA_ROOT = str(tmp_path / "media")
    flat = Alarm.objects.get(rule="flat_line")
    sign_in(page, live_server, "zz_office", PASSWORD)
    page.goto(f"{live_server.url}/sources/alarms/?status=all")
    page.wait_for_selector("[data-chart=rule-chart] svg")
    assert page.locator("#alarms tbody tr").count() == Alarm.objects.count()
    screenshot("monitoring-alarms")

    page.click(f"a[href='/sources/alarms/{flat.pk}/']")
    page.wait_for_selector("[data-chart=evidence-chart] svg")
    assert "12.0" in page.inner_text("#evidence")
    screenshot("monitoring-alarm-evidence")

    page.goto(f"{live_server.url}/sources/alarms/")
    page.check(f"input[name=alarm][value='{flat.pk}']")
    page.select_option("select[name=recipient]", label="韩寺镇 韩寺镇人民政府")
    page.fill("textarea[name=instructions]", "请核查SO2在线监测数据是否长时间恒定，检查分析仪是否正常")
    page.click("text=发送核查通知")
    page.wait_for_selector("#notice-status")
    notice = VerificationNotice.objects.get(alarms=flat)
    assert notice.status == "sent" and Alarm.objects.get(pk=flat.pk).status == "notified"

    page.context.clear_cookies()
    sign_in(page, live_server, "zm_hansi", PASSWORD)
    page.goto(f"{live_server.url}/sources/notices/{notice.pk}/")
    page.check("input[name=confirmed][value=yes]")
    page.fill("textarea[name=finding]", "分析仪采样管路堵塞，数据恒定")
    page.fill("textarea[name=measures]", "已责令更换采样管路并补测")
    photo = tmp_path / "site.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=photos]", str(photo))
    page.click("text=反馈结果")
    page.wait_for_selector("#result")
    assert page.locator("figure.photo img").count() == 1
    screenshot("monitoring-notice-result")

    page.context.clear_cookies()
    sign_in(page, live_server, "xy_office", PASSWORD)  # another county's office
    assert page.goto(f"{live_server.url}/sources/notices/{notice.pk}/").status == 404

    page.context.clear_cookies()
    sign_in(page, live_server, "zz_office", PASSWORD)
    page.goto(f"{live_server.url}/sources/notices/{notice.pk}/")
    page.click("text=确认结果并办结")
    page.wait_for_selector("#result")
    notice.refresh_from_db()
    assert notice.status == "closed" and Alarm.objects.get(pk=flat.pk).status == "confirmed"
