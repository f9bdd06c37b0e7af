"""Warning standards stored as data decide the level at every trigger's edge; issuing, upgrading,
downgrading and lifting a warning records who and why and notifies every organisation that must act."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gongjian.analytics.warnings import decide
from gongjian.emergency import episodes
from gongjian.emergency.models import (
    Forecast,
    Measure,
    Notice,
    ReductionList,
    WarningEpisode,
    WarningStandard,
)

D0 = dt.date(2026, 11, 24)
TZ = dt.timezone(dt.timedelta(hours=8))


def _days(*aqis):
    return [(D0 + dt.timedelta(days=i), a) for i, a in enumerate(aqis)]


@pytest.mark.parametrize(("aqis", "level"), [
    ((201,), None), ((201, 200), None), ((201, 201), "yellow"), ((201, 199, 201), None),
    ((201, 201, 300), "yellow"), ((201, 201, 301), "orange"), ((250, 250, 250), "yellow"),
    ((201, 301, 201, 300), "orange"), ((201, 301, 201, 301), "red"), ((499,), None), ((500,), "red"),
])
def test_default_standard_at_every_edge(standard, aqis, level):
    assert decide(_days(*aqis), standard.analytic()).level == level


@pytest.mark.parametrize(("aqis", "level"), [
    ((201,), "blue"), ((250, 250, 250), "orange"), ((201, 201, 201, 201), "orange"),
    ((230, 230, 230, 230, 230), "red"), ((500,), "blue"),
])
def test_edited_standard(world, aqis, level):
    edited = WarningStandard(name="edited", region=world.regions["city"], valid_from=D0, blue_days=1,
                             orange_severe_days=0, red_days=5, red_severe_days=0, red_on_top=False)
    edited.full_clean()
    assert decide(_days(*aqis), edited.analytic()).level == level


def test_standards_are_checked(world):
    bad = [WarningStandard(name="x", region=world.regions["city"], valid_from=D0, heavy_aqi=300, severe_aqi=300),
           WarningStandard(name="x", region=world.regions["city"], valid_from=D0, yellow_days=3, orange_days=2),
           WarningStandard(name="x", region=world.regions["city"], valid_from=D0, orange_pm=Decimal("5")),
           WarningStandard(name="x", region=world.regions["city"], valid_from=D0, red_nox=Decimal("130"))]
    for standard in bad:
        with pytest.raises(ValidationError):
            standard.full_clean()


def test_a_warning_episode_with_notices(world, plants, standard):
    city = world.regions["city"]
    version = ReductionList.objects.create(region=city, year=2026, number=1, inventory_year=2019, status="approved")
    Measure.objects.create(reduction_list=version, level="orange", kind="stop", enterprise=plants["e1"].enterprise)
    Measure.objects.create(reduction_list=version, level="red", kind="stop", enterprise=plants["e1"].enterprise)
    Measure.objects.create(reduction_list=version, level="red", kind="stop", enterprise=plants["e2"].enterprise)
    Forecast.objects.bulk_create(Forecast(region=city, issued_on=D0, day=d, aqi=a) for d, a in _days(230, 260, 320, 210))
    office = world.people["city_office"]
    at = dt.datetime(2026, 11, 24, 20, tzinfo=TZ)
    issued = episodes.act(city, "issue", "orange", at, office, "三天重度污染，一天严重")
    assert issued.proposed_level == "orange" and issued.forecast[2] == ["2026-11-26", 320]
    told = {n.recipient.name for n in Notice.objects.filter(action=issued)}
    assert "甲建材有限公司" in told and "乙铸造有限公司" not in told  # e2 has no orange measure
    assert {"韩寺镇人民政府", "中牟县人民政府", "郑州市生态环境局"} <= told and "荥阳市人民政府" not in told
    with pytest.raises(ValidationError, match="already in force"):
        episodes.act(city, "issue", "red", at, office, "again")
    with pytest.raises(ValidationError, match="Unknown action"):
        episodes.act(city, "postpone", "red", at, office, "no such action")
    with pytest.raises(ValidationError, match="higher level"):
        episodes.act(city, "upgrade", "yellow", at, office, "wrong way")
    with pytest.raises(ValidationError, match="before"):
        episodes.act(city, "upgrade", "red", at - dt.timedelta(hours=1), office, "too early")
    upgraded = episodes.act(city, "upgrade", "red", at + dt.timedelta(days=1), office, "会商升级")
    assert {n.recipient.name for n in Notice.objects.filter(action=upgraded)} >= {"乙铸造有限公司", "荥阳市人民政府"}
    episodes.act(city, "lift", "", at + dt.timedelta(days=3), office, "解除")
    warning = issued.warning
    warning.refresh_from_db()
    assert warning.status == "lifted" and warning.standard_snapshot["yellow_days"] == "2"
    assert warning.level_on(at + dt.timedelta(hours=1)) == "orange"
    assert warning.level_on(at + dt.timedelta(days=2)) == "red"
    assert warning.level_on(at + dt.timedelta(days=4)) is None
    assert list(warning.actions.values_list("kind", flat=True)) == ["issue", "upgrade", "lift"]
    standard.orange_days = 2  # a later edit does not rewrite what the warning was issued under
    standard.save()
    warning.refresh_from_db()
    assert warning.standard_snapshot["orange_days"] == "3"


def test_forecast_lines_and_files_all_or_nothing(tmp_path, world, standard):
    from gongjian.core.problems import InvalidInput
    from gongjian.emergency.forecasts import read_forecast

    city = world.regions["city"]
    with pytest.raises(InvalidInput) as caught:
        read_forecast(city, "2026-11-24", text="2026-11-24,230\n2026-11-25,abc\n2026-11-24,240\n2026-11-23,100\n11/26,200")
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 4 and "row 2" in found[0] and "row 3" in found[1] and "row 4" in found[2] and "row 5" in found[3]
    assert not Forecast.objects.exists()
    path = tmp_path / "forecast.csv"
    path.write_text("日期,AQI\n2026-11-24,230\n2026-11-25,260\n", encoding="utf-8")
    assert read_forecast(city, "2026-11-24", path=path) == 2
    assert episodes.latest_forecast(city, D0) == (D0, [(D0, 230), (D0 + dt.timedelta(days=1), 260)])
    bad = tmp_path / "bad.csv"
    bad.write_text("day,value\n2026-11-24,230\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        read_forecast(city, "2026-11-24", path=bad)


def test_outbox_is_read_and_confirmed_by_other_channels(world, plants, standard):
    from rest_framework.test import APIClient

    city = world.regions["city"]
    ReductionList.objects.create(region=city, year=2026, number=1, inventory_year=2019, status="approved")
    action = episodes.act(city, "issue", "yellow", dt.datetime(2026, 11, 24, 20, tzinfo=TZ), world.people["city_office"], "r")
    api = APIClient()
    api.force_authenticate(world.people["city_bureau"])
    rows = api.get("/api/emergency/outbox/").json()["results"]
    assert {r["recipient_name"] for r in rows} == {n.recipient.name for n in action.notices.all()}
    first = rows[0]["id"]
    assert api.post(f"/api/emergency/outbox/{first}/dispatched/", {"channel": ""}, format="json").status_code == 400
    done = api.post(f"/api/emergency/outbox/{first}/dispatched/", {"channel": "sms"}, format="json")
    assert done.status_code == 200 and done.json()["channel"] == "sms"
    assert first not in {r["id"] for r in api.get("/api/emergency/outbox/").json()["results"]}
    api.force_authenticate(world.people["enterprise_e2"])  # sees no other organisation's notices
    assert api.get("/api/emergency/outbox/").json()["results"] == []


def test_counties_see_the_city_warning_but_neither_change_nor_decide_it(client, world, standard):
    from django.urls import reverse

    client.force_login(world.people["county_a_office"])
    page = client.get(reverse("emergency:dashboard"))
    assert page.status_code == 200 and "国家统一标准" in page.content.decode()
    assert client.get(reverse("emergency:warningstandard_detail", args=[standard.pk])).status_code == 200
    assert client.get(reverse("emergency:warningstandard_edit", args=[standard.pk])).status_code == 403
    refused = client.post(reverse("emergency:act"), {"region": world.regions["city"].pk, "kind": "issue",
                                                     "level": "orange", "at": "2026-11-24T20:00", "reason": "x"})
    assert refused.status_code in (403, 404) and not WarningEpisode.objects.exists()
    client.force_login(world.people["enterprise_e1"])  # enterprises learn of warnings by their notices
    assert client.get(reverse("emergency:warningstandard_detail", args=[standard.pk])).status_code == 404


def _red_city_list(world, plants):
    city = world.regions["city"]
    version = ReductionList.objects.create(region=city, year=2026, number=1, inventory_year=2019, status="approved")
    for key in ("e1", "e2"):
        Measure.objects.create(reduction_list=version, level="red", kind="stop", enterprise=plants[key].enterprise)
    return version


def test_a_county_without_a_standard_of_its_own_issues_no_warning(client, world, plants, standard):
    """The attack: county A's office posted a red warning for its own county, which has no standard of
    its own; it became a warning with notices to the other county's enterprises and governments."""
    from django.urls import reverse

    _red_city_list(world, plants)
    client.force_login(world.people["county_a_office"])
    for confirmed in ("", "yes"):
        refused = client.post(reverse("emergency:act"), {
            "region": world.regions["county_a"].pk, "kind": "issue", "level": "red", "at": "2026-11-24T20:00",
            "reason": "x", "confirmed": confirmed})
        assert refused.status_code == 403
    assert not WarningEpisode.objects.exists() and not Notice.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError, match="no warning standard of its own"):
        episodes.act(world.regions["county_a"], "issue", "red", dt.datetime(2026, 11, 24, 20, tzinfo=TZ),
                     world.people["county_a_office"], "x")


def test_a_county_warning_notifies_only_the_county(world, plants, standard):
    """A county that holds its own standard warns its own sources, not the whole inherited city list."""
    _red_city_list(world, plants)
    WarningStandard.objects.create(name="中牟县标准", region=world.regions["county_a"], valid_from=dt.date(2018, 8, 1))
    action = episodes.act(world.regions["county_a"], "issue", "red", dt.datetime(2026, 11, 24, 20, tzinfo=TZ),
                          world.people["county_a_office"], "县级会商")
    told = {n.recipient.region.path for n in action.notices.select_related("recipient__region")}
    county = world.regions["county_a"].path
    assert told and all(path.startswith(county) for path in told), told
    assert "甲建材有限公司" in {n.recipient.name for n in action.notices.all()}


def test_a_decision_is_confirmed_before_anyone_is_notified(client, world, plants, standard):
    from django.urls import reverse

    _red_city_list(world, plants)
    client.force_login(world.people["city_office"])
    data = {"region": world.regions["city"].pk, "kind": "issue", "level": "red", "at": "2026-11-24T20:00",
            "reason": "会商"}
    first = client.post(reverse("emergency:act"), data)
    assert first.status_code == 200 and 'id="recipients"' in first.content.decode()
    assert not WarningEpisode.objects.exists() and not Notice.objects.exists()
    done = client.post(reverse("emergency:act"), {**data, "confirmed": "yes"})
    assert done.status_code == 302 and WarningEpisode.objects.filter(status="active", level="red").count() == 1
    assert Notice.objects.count() > 0


def test_the_confirmation_lists_recipients_and_the_notice_and_writes_nothing(client, world, plants, standard):
    """The dashboard's form asks with a GET: the page names every recipient, counts enterprises and
    offices per district and shows the text they will read; only the confirmed POST records."""
    from django.urls import reverse

    from gongjian.emergency.episodes import recipients

    _red_city_list(world, plants)
    client.force_login(world.people["city_office"])
    data = {"region": world.regions["city"].pk, "kind": "issue", "level": "red", "at": "2026-11-24T20:00",
            "reason": "会商研判"}
    page = client.get(reverse("emergency:act"), data)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="recipients"' in html
    told = recipients(world.regions["city"], "red")
    assert told and all(o.name in html for o in told)
    assert "甲建材有限公司" in html and "乙铸造有限公司" in html
    assert 'id="recipient-counts"' in html and "企业和工地建设单位 2 家" in html
    assert 'id="notice-text"' in html and 'name="confirmed" value="yes"' in html
    assert not WarningEpisode.objects.exists() and not Notice.objects.exists()

    done = client.post(reverse("emergency:act"), {**data, "confirmed": "yes"})
    assert done.status_code == 302
    assert Notice.objects.count() == len(told)
    texts = set(Notice.objects.values_list("text", flat=True))
    assert len(texts) == 1 and "会商研判" in next(iter(texts)) and next(iter(texts)) in html  # what was shown is sent


def test_the_confirmation_of_a_lift_names_who_ends_their_measures(client, world, plants, standard):
    from django.urls import reverse

    _red_city_list(world, plants)
    client.force_login(world.people["city_office"])
    base = {"region": world.regions["city"].pk, "at": "2026-11-24T20:00", "reason": "会商"}
    client.post(reverse("emergency:act"), {**base, "kind": "issue", "level": "red", "confirmed": "yes"})
    sent = Notice.objects.count()
    page = client.get(reverse("emergency:act"), {**base, "kind": "lift", "level": "", "at": "2026-11-26T12:00"})
    html = page.content.decode()
    assert page.status_code == 200 and "甲建材有限公司" in html and 'id="notice-text"' in html
    assert Notice.objects.count() == sent and WarningEpisode.objects.get().status == "active"


def test_the_episode_page_pages_its_notices_and_keeps_the_summary(client, world, plants, standard):
    from django.urls import reverse

    from gongjian.emergency import views

    _red_city_list(world, plants)
    client.force_login(world.people["city_office"])
    client.post(reverse("emergency:act"), {"region": world.regions["city"].pk, "kind": "issue", "level": "red",
                                           "at": "2026-11-24T20:00", "reason": "会商", "confirmed": "yes"})
    episode = WarningEpisode.objects.get()
    total = Notice.objects.count()
    url = reverse("emergency:warning_reports", args=[episode.pk])
    views.NOTICES_PER_PAGE, saved = 2, views.NOTICES_PER_PAGE
    try:
        first = client.get(url).content.decode()
        last = client.get(url, {"notices": 99}).content.decode()  # past the end: the last page
    finally:
        views.NOTICES_PER_PAGE = saved
    rows = first.split('id="recipients"')[1].split("</table>")[0].count("<tr>")
    assert rows == 1 + 2  # the header and one page
    assert f"共{total}条通知" in first and 'rel="next"' in first and "notices=2#recipients" in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert 'id="actions"' in first and 'id="actions"' in last  # the decisions stay on every page
