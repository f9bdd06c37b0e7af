"""The scope-matrix cases of the emergency app's registry models (see tests/scope_cases.py)."""

import datetime as dt

from gongjian.emergency.models import Measure, ReductionList, WarningEpisode, WarningStandard
from tests.scope_cases import ALL, place_region
from tests.sources import scope_cases as sources_cases


def standards(w):
    return {p: WarningStandard.objects.create(name=f"标准{p}", region=place_region(w, p), valid_from=dt.date(2018, 8, 1))
            for p in ALL}


def lists(w):
    return {p: ReductionList.objects.create(region=place_region(w, p), year=2020, number=n, inventory_year=2019)
            for n, p in enumerate(sorted(ALL), start=1)}


def measures(w):
    enterprises, of_place = sources_cases.enterprises(w), lists(w)
    return {p: Measure.objects.create(reduction_list=of_place[p], level="orange", kind="stop", enterprise=enterprises[p]) for p in ALL}


def warnings(w):
    standard_of = standards(w)
    moment = dt.datetime(2020, 1, 14, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return {p: WarningEpisode.objects.create(region=place_region(w, p), level="orange", started_at=moment, status="lifted",
                                             standard=standard_of[p]) for p in ALL}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {
    WarningStandard: (standards, False, True),
    ReductionList: (lists, False, False),
    Measure: (measures, True, False),
    WarningEpisode: (warnings, False, True),
}

#: Models declared Scope(inherited=True), written out here independently of the declarations.
INHERITED = {WarningStandard, WarningEpisode}
