"""The demo's water ledgers (gongjian.demo.water_ledgers) at the demo clock 2020-12-31."""

import pytest

from gongjian.demo import build
from gongjian.water.ledgers import (
    BlackOdorousList,
    BlackOdorousWaterBody,
    DrinkingDisclosure,
    DrinkingWaterSource,
    Outfall,
    SourceProblem,
)
from gongjian.water.models import WaterAlarm
from tests.demo.test_demo import EMERGENCY, NO_HOURS

#: What the water ledgers do not stand on (the air hours, the emergency list, the forecasts, the tasks).
SKIP = NO_HOURS | EMERGENCY | {"forecast runs and the evaluation of the warnings", "task ledger",
                               "supervision cases", "air targets"}


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(progress=lambda line: None, skip=SKIP)


def test_the_demo_has_every_ledger_at_every_status(demo):
    source = DrinkingWaterSource.objects.get(code="SY-410103-01")
    assert source.zones.count() == 3 and source.intake.code == "ZZ-SK-05"
    assert sorted(SourceProblem.objects.values_list("status", flat=True)) == ["closed", "rectifying"]
    disclosures = DrinkingDisclosure.objects.order_by("period")
    assert [d.period for d in disclosures] == ["2020-Q1", "2020-Q2", "2020-Q3"]
    assert all(d.content["evaluated"] >= 1 for d in disclosures)  # the intake's samples are evaluated
    bodies = dict(BlackOdorousWaterBody.objects.values_list("status", "level"))
    assert bodies == {"found": "heavy", "rectifying": "light", "eliminated": "", "stable": ""}
    assert BlackOdorousList.objects.get().period == "2020-H1"
    statuses = set(Outfall.objects.values_list("status", flat=True))
    assert statuses == {"traced", "numbered", "monitored", "rectifying", "rectified", "closed"}
    assert Outfall.objects.filter(code__isnull=True).count() == 1  # only the traced one has no number yet
    alarm = WaterAlarm.objects.get(kind="outfall_over_limit")
    assert alarm.item == "cod" and alarm.value == 86 and "超标0.72倍" in alarm.evidence  # (86 - 50) / 50
    closed = Outfall.objects.get(status="closed")
    assert all(s.evidence for s in closed.steps.filter(status__in=["rectified", "closed"]))
