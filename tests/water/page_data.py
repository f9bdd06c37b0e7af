"""The measured month the water page, API, export and bulletin tests share."""

from decimal import Decimal

import pytest

from gongjian.water.models import WaterTargetSchedule
from tests.water.fixtures import MARCH, write


@pytest.fixture
def measured(world, sections, django_capture_on_commit_callbacks):
    """March 2026: section A (county A) at class Ⅳ against its Ⅲ target (NH3-N 1.3: above 1.0, not above
    1.5), B (county B) at class Ⅱ (NH3-N 0.4 ≤ 0.5, TP 0.08 ≤ 0.1, CODMn 3 ≤ 4), the lake in county A
    at class Ⅲ (CODMn 5.5: above 4, not above 6) without a target."""
    with django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("nh3n", MARCH, 1.3), ("tp", MARCH, 0.1), ("codmn", MARCH, 5.0)])
        write(sections["b"], [("nh3n", MARCH, 0.4), ("tp", MARCH, 0.08), ("codmn", MARCH, 3.0)])
        write(sections["lake"], [("codmn", MARCH, 5.5)])
    WaterTargetSchedule.objects.create(region=world.regions["city"], year=2026, share_iii_or_better_min=Decimal(80),
                                       share_worse_than_v_max=Decimal(10), source="测试方案")
    return sections
