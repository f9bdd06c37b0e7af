"""Sections and samples for the water tests: a river section in county A and one in county B, both
with a class Ⅲ target for 2026, and a lake section in county A without a target."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from gongjian.core import series
from gongjian.water.models import SectionTarget, WaterSection


@pytest.fixture
def sections(world):
    a = WaterSection.objects.create(code="WS-A", name="陈桥", water_body="贾鲁河", control_level="provincial",
                                    region=world.regions["county_a"])
    b = WaterSection.objects.create(code="WS-B", name="须水", water_body="索须河", control_level="city",
                                    region=world.regions["county_b"])
    lake = WaterSection.objects.create(code="WS-L", name="湖心", water_body="某水库", kind="reservoir",
                                       control_level="city", region=world.regions["county_a"])
    SectionTarget.objects.create(section=a, year=2026, target_class=3)
    SectionTarget.objects.create(section=b, year=2026, target_class=3)
    return {"a": a, "b": b, "lake": lake}


def write(section, rows: list[tuple], *, source: str = "file", user=None):
    """``rows``: (item, naive Beijing time, value[, below_limit]) written through the series door."""
    frame = pl.DataFrame({
        "section_id": [section.pk] * len(rows), "item": [r[0] for r in rows], "time": [r[1] for r in rows],
        "value": [r[2] for r in rows], "below_limit": [r[3] if len(r) > 3 else False for r in rows],
        "source": [source] * len(rows)},
        schema={"section_id": pl.Int64, "item": pl.String, "time": pl.Datetime("us"), "value": pl.Float64,
                "below_limit": pl.Boolean, "source": pl.String})
    return series.write("water.sample", frame, source=source, user=user)


MARCH = dt.datetime(2026, 3, 10, 9)
