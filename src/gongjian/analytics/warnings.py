"""Heavy-pollution warning levels from a forecast of daily AQI (重污染天气预警分级).

National unified criteria (环办大气函〔2018〕875号; shared/standards/air-quality.md §5.1), on the
forecast daily (24-hour rolling) AQI of an episode:

======  =========================================================================================
blue    AQI > 200 forecast for 1 day (optional; many plans dropped it)
yellow  AQI > 200 for 2 days or more
orange  AQI > 200 for 3 days or more, and AQI > 300 on at least 1 day (the second clause is absent
        from some provincial plans: switchable)
red     AQI > 200 for 4 days or more and AQI > 300 on at least 2 days; or AQI reaching 500 on any day
======  =========================================================================================

A level applies when its trigger is met and no higher one is. The minimum emission reductions per
level (10 / 20 / 30 % of whole-society SO2, NOx, PM and VOCs, §5.2) travel with the standard. A
standard is data: an office edits thresholds and ratios, and every decision records the standard it
was taken under (the emergency app stores it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["LEVELS", "REDUCED_POLLUTANTS", "Decision", "LevelTrigger", "WarningStandard", "decide", "national_standard"]

#: Levels from the lowest to the highest.
LEVELS = ("blue", "yellow", "orange", "red")
#: The pollutants whose whole-society emissions each level must cut (§5.2), in the plans' order.
REDUCED_POLLUTANTS = ("so2", "nox", "pm", "vocs")


@dataclass(frozen=True)
class LevelTrigger:
    """What a level needs within one episode of consecutive heavy days (AQI above ``heavy_aqi``)."""

    level: str
    heavy_days: int
    severe_days: int = 0  # days with AQI above ``severe_aqi`` within the episode
    reaching_top: bool = False  # alternatively: any day reaching ``top_aqi`` triggers the level
    reductions: dict[str, float] = field(default_factory=dict)  # pollutant -> minimum share (0.1 = 10 %)


@dataclass(frozen=True)
class WarningStandard:
    name: str
    triggers: tuple[LevelTrigger, ...]
    heavy_aqi: int = 200
    severe_aqi: int = 300
    top_aqi: int = 500

    def __post_init__(self) -> None:
        unknown = [t.level for t in self.triggers if t.level not in LEVELS]
        if unknown:
            raise ValueError(f"unknown warning levels {unknown}; levels are {', '.join(LEVELS)}")
        for trigger in self.triggers:
            if trigger.heavy_days < 1 and not trigger.reaching_top:
                raise ValueError(f"{trigger.level}: a level needs at least one heavy day")
            for pollutant, share in trigger.reductions.items():
                if not 0 <= share <= 1:
                    raise ValueError(f"{trigger.level}: reduction of {pollutant} must lie between 0 and 1")


def national_standard(*, blue: bool = False, orange_needs_severe_day: bool = True) -> WarningStandard:
    """The national criteria with the national minimum reductions; ``blue`` adds the optional blue
    level, ``orange_needs_severe_day`` keeps the orange "AQI > 300 on a day" clause."""

    def ratios(share: float) -> dict[str, float]:
        return dict.fromkeys(REDUCED_POLLUTANTS, share)

    triggers = [
        LevelTrigger("yellow", heavy_days=2, reductions=ratios(0.10)),
        LevelTrigger("orange", heavy_days=3, severe_days=1 if orange_needs_severe_day else 0, reductions=ratios(0.20)),
        LevelTrigger("red", heavy_days=4, severe_days=2, reductions=ratios(0.30)),
        LevelTrigger("red", heavy_days=0, reaching_top=True, reductions=ratios(0.30)),
    ]
    if blue:
        triggers.insert(0, LevelTrigger("blue", heavy_days=1))
    name = "环办大气函〔2018〕875号" + ("" if orange_needs_severe_day else " (orange without the AQI > 300 clause)")
    return WarningStandard(name=name, triggers=tuple(triggers))


@dataclass(frozen=True)
class Decision:
    """The proposed level (``None``: no warning), the episode it rests on and the trigger met."""

    level: str | None
    episode_start: dt.date | None
    episode_days: int
    severe_days: int
    reaches_top: bool
    standard: str
    reason: str


def _episodes(forecast: list[tuple[dt.date, int]], standard: WarningStandard) -> list[list[tuple[dt.date, int]]]:
    """Runs of consecutive calendar days with AQI above the heavy threshold."""
    runs: list[list[tuple[dt.date, int]]] = []
    for day, aqi in sorted(forecast):
        if aqi > standard.heavy_aqi:
            if runs and runs[-1][-1][0] == day - dt.timedelta(days=1):
                runs[-1].append((day, aqi))
            else:
                runs.append([(day, aqi)])
    return runs


def decide(forecast: list[tuple[dt.date, int]], standard: WarningStandard) -> Decision:
    """The highest level whose trigger any forecast episode meets.

    ``forecast``: (date, daily AQI) pairs; duplicate dates are an error. A day reaching the top of the
    scale counts wherever it is, as the red criterion says "forecast to reach 500".
    """
    dates = [d for d, _ in forecast]
    if len(set(dates)) != len(dates):
        raise ValueError("the forecast gives a date twice")
    best: Decision = Decision(None, None, 0, 0, False, standard.name, "no trigger met")
    top_days = [d for d, aqi in forecast if aqi >= standard.top_aqi]
    for episode in _episodes(forecast, standard) or [[]]:
        days = len(episode)
        severe = sum(aqi > standard.severe_aqi for _, aqi in episode)
        for trigger in standard.triggers:
            met_by_days = days >= trigger.heavy_days > 0 and severe >= trigger.severe_days
            met_by_top = trigger.reaching_top and bool(top_days)
            if not (met_by_days or met_by_top):
                continue
            if best.level is None or LEVELS.index(trigger.level) > LEVELS.index(best.level):
                start = episode[0][0] if episode and met_by_days else (top_days[0] if met_by_top else None)
                reason = (f"AQI reaches {standard.top_aqi} on {top_days[0]}" if met_by_top and not met_by_days else
                          f"{days} day(s) above {standard.heavy_aqi}, {severe} above {standard.severe_aqi}")
                best = Decision(trigger.level, start, days, severe, bool(top_days), standard.name, reason)
    return best
