"""The period's kind decides its validity rule (GB 3095-2026 Table 4 through HJ 663: a month needs 27
valid days, 25 in February; a year 324 and every month), and the kind follows the days asked for:
``from``/``to`` spanning exactly a calendar month or year are that month or year, judged by its
rule, the same as asking for its key; any other span is custom (at least one valid day)."""

from rest_framework.test import APIClient


def _ranked(api, query) -> dict:
    response = api.get("/api/air/statistics/", {"level": "station", **query})
    assert response.status_code == 200, response.content
    return {r["key"]: r for r in response.json()}


def _api(world) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    return api


def test_a_february_asked_for_by_its_dates_is_judged_as_a_month(data, world):
    api = _api(world)
    # the fixture's hours end on 9 February 2020: nine days of February, short of February's 25
    february = _ranked(api, {"period": "2020-M02"})
    span = _ranked(api, {"from": "2020-02-01", "to": "2020-02-29"})
    assert february["ZM01"]["calendar_days"] == span["ZM01"]["calendar_days"] == 29
    assert february["ZM01"]["pm25"] == span["ZM01"]["pm25"]
    assert february["ZM01"]["valid_pm25"] is False and span["ZM01"]["valid_pm25"] is False
    january = _ranked(api, {"from": "2020-01-01", "to": "2020-01-31"})
    assert january["ZM01"]["valid_pm25"] is True and january["ZM01"]["calendar_days"] == 31


def test_a_span_that_is_no_calendar_period_stays_custom(data, world):
    # the same nine days of February, asked for as 1 to 28 February: no month, one valid day suffices
    span = _ranked(_api(world), {"from": "2020-02-01", "to": "2020-02-28"})
    assert span["ZM01"]["calendar_days"] == 28 and span["ZM01"]["valid_pm25"] is True


def test_a_calendar_year_asked_for_by_its_dates_is_judged_as_a_year(data, world):
    api = _api(world)
    year = _ranked(api, {"period": "2020"})
    span = _ranked(api, {"from": "2020-01-01", "to": "2020-12-31"})
    assert year["ZM01"]["calendar_days"] == span["ZM01"]["calendar_days"] == 366
    # 40 days of data: far from the annual minimum, so no valid annual mean, and attainment is judged
    assert year["ZM01"]["valid_pm25"] is False and span["ZM01"]["valid_pm25"] is False
    assert "attainment" in span["ZM01"] and span["ZM01"]["attainment"] == year["ZM01"]["attainment"]
    almost = _ranked(api, {"from": "2020-01-01", "to": "2020-12-30"})
    assert almost["ZM01"]["valid_pm25"] is True and "attainment" not in almost["ZM01"]


def test_a_bad_period_key_is_answered_400(data, world):
    response = _api(world).get("/api/air/statistics/", {"period": "2020-M13"})
    assert response.status_code == 400 and list(response.json()) == ["period"]
