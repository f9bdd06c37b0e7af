"""One answer to a bad parameter - a date, year, month or period in a query string, a value that is
none of the page's choices, a date in a URL path - on every page and API route that reads one: 400,
naming the parameter (gongjian.core.params). Before, the same mistake was answered 404 (air pages,
an edition, level or ranking, a report's day), 400 (air API), silently with today (bulletins,
scorecards, inventory) or silently ignored (the ledger's filters)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gongjian.air.models import Station
from gongjian.emergency.models import ReductionList, WarningEpisode, WarningStandard

PAGES = [
    ("air:rankings", {"period": "month", "end": "2020-02-30"}, "end"),
    ("air:rankings", {"period": "fortnight"}, "period"),
    ("air:rankings", {"period": "custom", "start": "2020-03-01", "end": "2020-02-01"}, "end"),
    ("air:targets", {"as_of": "yesterday"}, "as_of"),
    ("air:targets", {"year": "20x0"}, "year"),
    ("air:quality", {"month": "2020-13"}, "month"),
    ("air:station", {"year": "1066"}, "year"),
    ("tasks:bulletin", {"kind": "monthly", "date": "2021-04-31"}, "date"),
    ("tasks:bulletin", {"kind": "daily"}, "kind"),
    ("tasks:scorecard", {"date": "15/03/2021"}, "date"),
    ("sources:inventory", {"year": "last"}, "year"),
    ("air:rankings", {"edition": "2030"}, "edition"),
    ("air:rankings", {"level": "province"}, "level"),
    ("air:rankings", {"by": "so2"}, "by"),
    ("air:station", {"edition": "latest"}, "edition"),
    ("air:targets", {"edition": "2012a"}, "edition"),
    ("tasks:ledger", {"plan": "first"}, "plan"),
    ("tasks:ledger", {"unit": "-3"}, "unit"),
    ("tasks:ledger", {"region": "county_a"}, "region"),
    ("tasks:ledger", {"status": "closed"}, "status"),
]


@pytest.mark.parametrize(("page", "query", "parameter"), PAGES)
def test_a_bad_query_parameter_is_answered_400_naming_it(world, client, page, query, parameter):
    station = Station.objects.create(code="ZM01", name="ZM01", kind="county", region=world.regions["county_a"])
    client.force_login(world.people["city_office"])
    url = reverse(page, args=[station.pk]) if page == "air:station" else reverse(page)
    response = client.get(url, query)
    assert response.status_code == 400
    text = response.content.decode()
    assert f"查询参数 {parameter} 的值“{query[parameter]}”" in text  # Chinese by default, with the value sent
    assert f'data-parameter="{parameter}"' in text


def test_the_answer_is_in_english_for_an_english_reader(world, client):
    client.force_login(world.people["city_office"])
    with translation.override("en"):
        response = client.get(reverse("tasks:bulletin"), {"date": "tomorrow"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "query parameter &#x27;date&#x27;: &#x27;tomorrow&#x27; is not a date" in \
        response.content.decode()


def test_good_parameters_still_answer_200(world, client):
    client.force_login(world.people["city_office"])
    assert client.get(reverse("tasks:bulletin"), {"kind": "monthly", "date": "2021-04-30"}).status_code == 200
    assert client.get(reverse("air:rankings"), {"period": "dekad", "end": "2020-01-15"}).status_code == 200
    assert client.get(reverse("air:rankings"), {"edition": "2012", "level": "town", "by": "pm25"}).status_code == 200
    # an empty filter is the form's "all"
    assert client.get(reverse("tasks:ledger"), {"plan": "", "unit": "", "region": "", "status": ""}).status_code == 200
    county = world.regions["county_a"].pk
    filtered = client.get(reverse("tasks:ledger"), {"status": "open", "region": county})
    assert filtered.status_code == 200
    assert f'<option value="{county}" selected>' in filtered.content.decode()  # the filter shows what it applies


def test_a_bad_choice_names_the_choices(world, client):
    client.force_login(world.people["city_office"])
    text = client.get(reverse("air:rankings"), {"by": "so2"}).content.decode()
    assert "查询参数 by 的值“so2”不是以下之一：composite, " in text
    with translation.override("en"):
        text = client.get(reverse("tasks:ledger"), {"plan": "first"}, headers={"Accept-Language": "en"}).content.decode()
    assert "query parameter &#x27;plan&#x27;: &#x27;first&#x27; is not a record number" in text


@pytest.fixture
def reduction_list(world):
    WarningStandard.objects.create(name="国家统一标准", region=world.regions["city"], valid_from=dt.date(2018, 8, 1))
    return ReductionList.objects.create(region=world.regions["city"], year=2020, number=1, inventory_year=2019)


def test_a_bad_level_of_a_reduction_list_is_answered_400(world, client, reduction_list):
    client.force_login(world.people["city_office"])
    url = reverse("emergency:list", args=[reduction_list.pk])
    assert client.get(url, {"level": "red"}).status_code == 200
    response = client.get(url, {"level": "purple"})
    assert response.status_code == 400 and "查询参数 level 的值“purple”不是以下之一：yellow, orange, red" in \
        response.content.decode()


def test_a_bad_date_in_the_path_is_answered_400_naming_it(world, client, reduction_list):
    start = dt.datetime(2020, 11, 20, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # Beijing
    episode = WarningEpisode.objects.create(region=world.regions["city"], level="orange", started_at=start,
                                            standard=WarningStandard.objects.get(), reduction_list=reduction_list)
    client.force_login(world.people["city_office"])
    assert client.get(reverse("emergency:warning_report", args=[episode.pk, "2020-11-21"])).status_code == 200
    for day in ("2020-11-31", "21.11.2020", "yesterday"):
        response = client.get(reverse("emergency:warning_report", args=[episode.pk, day]))
        text = response.content.decode()
        assert response.status_code == 400, day
        assert f"网址路径中 day 的值“{day}”不是日期（YYYY-MM-DD）" in text and 'data-parameter="day"' in text
        assert "按默认选项显示本页" not in text  # no link back to the same bad address


@pytest.mark.parametrize(("route", "query", "parameter"), [
    ("/api/air/daily/", {"station": "ZM01", "from": "2020-01-01", "to": "2020-01-32"}, "to"),
    ("/api/air/hourly/", {"station": "ZM01", "from": "01/01/2020", "to": "2020-01-02"}, "from"),
    ("/api/air/statistics/", {"from": "2020-01-01"}, "to"),
    ("/api/air/target-progress/", {"year": "twenty"}, "year"),
    ("/api/air/statistics/", {"from": "2020-01-01", "to": "2020-01-31", "level": "province"}, "level"),
    ("/api/air/statistics/", {"from": "2020-01-01", "to": "2020-01-31", "by": "so2"}, "by"),
    ("/api/air/daily/", {"station": "ZM01", "from": "2020-01-01", "to": "2020-01-31", "edition": "2030"}, "edition"),
])
def test_the_api_answers_the_same_as_json(world, route, query, parameter):
    Station.objects.create(code="ZM01", name="ZM01", kind="county", region=world.regions["county_a"])
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    response = api.get(route, query)
    assert response.status_code == 400
    assert list(response.json()) == [parameter] and f"查询参数 {parameter}" in response.json()[parameter][0]
