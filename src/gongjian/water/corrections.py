"""Changes of stored samples' flags, each kept with who, when and why: the one place a flag of the
water samples store changes (quality control and reviewers alike)."""

from __future__ import annotations

import polars as pl

from gongjian import clock
from gongjian.core import series

from .kinds import SAMPLES
from .models import SampleCorrection

__all__ = ["flag"]


def flag(rows: pl.DataFrame, new_flag: str, reason: str, user) -> int:
    """Set ``new_flag`` on the stored samples ``rows`` (``section_id, item, time, value, flag`` as read)
    through :func:`gongjian.core.series.update_values`, with a :class:`SampleCorrection` per sample.
    Returns the number of samples."""
    if rows.is_empty():
        return 0
    series.update_values(SAMPLES, rows.select("section_id", "item", "time", pl.lit(new_flag).alias("flag")))
    now = clock.now()
    SampleCorrection.objects.bulk_create([
        SampleCorrection(section_id=s, item=item, time=clock.attach(t), old_value=v, new_value=v, old_flag=old,
                         new_flag=new_flag, reason=reason[:300], changed_by=user, changed_at=now)
        for s, item, t, v, old in rows.select("section_id", "item", "time", "value", "flag").iter_rows()])
    return rows.height
