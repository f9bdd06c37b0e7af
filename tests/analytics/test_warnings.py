"""Warning levels at every trigger edge, for the national standard and edited ones."""

import datetime as dt

import pytest

from gongjian.analytics.warnings import LevelTrigger, WarningStandard, decide, national_standard

D0 = dt.date(2020, 1, 10)


def forecast(*aqi):
    return [(D0 + dt.timedelta(days=i), a) for i, a in enumerate(aqi)]


NATIONAL = national_standard()


@pytest.mark.parametrize(("aqi", "level"), [
    ((150, 200, 180), None),             # exactly 200 is not above 200
    ((201, 150, 150), None),             # one heavy day: blue only, which is off by default
    ((201, 201, 150), "yellow"),         # two consecutive heavy days
    ((201, 150, 201), None),             # two heavy days, not consecutive
    ((201, 250, 300), "yellow"),         # three heavy days but none above 300
    ((201, 250, 301), "orange"),         # three heavy days, one above 300
    ((201, 301, 250, 260), "orange"),    # four heavy days, only one above 300
    ((201, 301, 302, 260), "red"),       # four heavy days, two above 300
    ((301, 302, 250), "orange"),         # two above 300 but only three heavy days
    ((150, 500, 150), "red"),            # reaching 500 on any day
    ((150, 499, 150), None),
])
def test_national_edges(aqi, level):
    assert decide(forecast(*aqi), NATIONAL).level == level


def test_blue_when_enabled():
    assert decide(forecast(201, 150), national_standard(blue=True)).level == "blue"
    assert decide(forecast(200, 150), national_standard(blue=True)).level is None


def test_orange_clause_switch():
    relaxed = national_standard(orange_needs_severe_day=False)
    assert decide(forecast(201, 250, 300), relaxed).level == "orange"
    assert decide(forecast(201, 250, 300), NATIONAL).level == "yellow"
    assert "without" in relaxed.name


def test_decision_explains_itself():
    decision = decide(forecast(150, 230, 310, 320, 260, 120), NATIONAL)
    assert (decision.level, decision.episode_start, decision.episode_days, decision.severe_days) == (
        "red", D0 + dt.timedelta(days=1), 4, 2)
    assert decision.standard == NATIONAL.name and "4 day(s) above 200" in decision.reason


def test_an_edited_standard():
    strict = WarningStandard("某市修订", (
        LevelTrigger("yellow", heavy_days=1, reductions={"pm": 0.15}),
        LevelTrigger("orange", heavy_days=2, severe_days=0, reductions={"pm": 0.25}),
        LevelTrigger("red", heavy_days=3, severe_days=1, reductions={"pm": 0.35}),
    ), heavy_aqi=150)
    assert decide(forecast(151, 120), strict).level == "yellow"
    assert decide(forecast(151, 160), strict).level == "orange"
    assert decide(forecast(151, 160, 301), strict).level == "red"
    assert decide(forecast(150, 150), strict).level is None
    assert strict.triggers[0].reductions == {"pm": 0.15}


def test_national_reductions():
    ratios = {t.level: t.reductions for t in NATIONAL.triggers}
    assert ratios["yellow"] == {"so2": 0.1, "nox": 0.1, "pm": 0.1, "vocs": 0.1}
    assert ratios["red"]["vocs"] == 0.3


@pytest.mark.parametrize("bad", [
    lambda: WarningStandard("x", (LevelTrigger("purple", heavy_days=1),)),
    lambda: WarningStandard("x", (LevelTrigger("yellow", heavy_days=0),)),
    lambda: WarningStandard("x", (LevelTrigger("yellow", heavy_days=1, reductions={"pm": 1.5}),)),
    lambda: decide([(D0, 250), (D0, 260)], NATIONAL),
])
def test_bad_standards_and_forecasts_are_refused(bad):
    with pytest.raises(ValueError):
        bad()
