"""One answer to a bad date, year, month or period in a query string, on every page and API route
that reads one: 400, naming the parameter (gongjian.core.params). Before, the same mistake was
answered 404 (air pages), 400 (air API), or silently with today (bulletins, scorecards, inventory)."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gongjian.air.models import Station

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


@pytest.mark.parametrize(("route", "query", "parameter"), [
    ("/api/air/daily/", {"station": "ZM01", "from": "2020-01-01", "to": "2020-01-32"}, "to"),
    ("/api/air/hourly/", {"station": "ZM01", "from": "01/01/2020", "to": "2020-01-02"}, "from"),
    ("/api/air/statistics/", {"from": "2020-01-01"}, "to"),
    ("/api/air/target-progress/", {"year": "twenty"}, "year"),
])
def test_the_api_answers_the_same_as_json(world, route, query, parameter):
    Station.objects.create(code="ZM01", name="ZM01", kind="county", region=world.regions["county_a"])
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    response = api.get(route, query)
    assert response.status_code == 400
    assert list(response.json()) == [parameter] and f"查询参数 {parameter}" in response.json()[parameter][0]
