"""The period's kind travels with it: a month asked for as a month is judged by the monthly rule
(HJ 663: at least 27 valid days, 25 in February), the same days asked for as a custom span by the
rule of any other period (one valid day). Nothing works the kind back out of the dates."""

from rest_framework.test import APIClient


def _ranked(api, query) -> dict:
    rows = api.get("/api/air/statistics/", {"level": "station", **query}).json()
    return {r["key"]: r for r in rows}


def test_a_month_is_judged_as_a_month(data, world):
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    # the fixture's hours end on 9 February 2020: nine days of February
    february = _ranked(api, {"period": "2020-M02"})
    span = _ranked(api, {"from": "2020-02-01", "to": "2020-02-29"})
    assert february["ZM01"]["calendar_days"] == span["ZM01"]["calendar_days"] == 29
    assert february["ZM01"]["pm25"] == span["ZM01"]["pm25"]
    assert february["ZM01"]["valid_pm25"] is False and span["ZM01"]["valid_pm25"] is True
    january = _ranked(api, {"period": "2020-M01"})
    assert january["ZM01"]["valid_pm25"] is True and january["ZM01"]["calendar_days"] == 31


def test_a_bad_period_key_is_answered_400(data, world):
    api = APIClient()
    api.force_authenticate(world.people["city_office"])
    response = api.get("/api/air/statistics/", {"period": "2020-M13"})
    assert response.status_code == 400 and list(response.json()) == ["period"]
