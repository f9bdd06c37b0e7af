import datetime as dt

import pytest

from gongjian.emergency.models import ReductionList, WarningStandard
from tests.sources.fixtures import plants  # noqa: F401  (fixtures the warning tests stand on)


@pytest.fixture
def standard(world):
    return WarningStandard.objects.create(name="国家统一标准", region=world.regions["city"], valid_from=dt.date(2018, 8, 1))


@pytest.fixture
def draft(world, standard):
    return ReductionList.objects.create(region=world.regions["city"], year=2020, number=1, inventory_year=2019)
