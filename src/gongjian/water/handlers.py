"""What follows new water samples, whoever brought them (a results file, an automatic station
through the gateway, the API, the demo), and a changed target.

One handler of :func:`gongjian.core.series.on_new_data` (``water.sample``), called once the write
has committed:

1. an automatic station's readings (``source == "gateway"``) are quality-checked
   (:func:`gongjian.analytics.waterqc.check_series`, with a day of readings before them so that a flat
   line begun the day before is found whole); the readings of a finding are flagged ``suspect``
   through :func:`gongjian.core.series.update_values`, each change kept as a
   :class:`~gongjian.water.models.SampleCorrection`, and a ``station_qc`` alarm is raised;
2. the touched section-months are recomputed and stored (:func:`gongjian.water.results.recompute_months`);
3. a month below its target class raises a ``section_below_target`` alarm, and one that meets it
   again closes the open alarm of that month.

Registered by :class:`gongjian.core.apps.DomainApp` (this module is one of its ready modules) and
imported by no other module. Quality-control parameters: ``settings.GONGJIAN_WATER_QC`` (the fields
of :class:`gongjian.analytics.waterqc.Thresholds`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongjian import clock
from gongjian.analytics import waterqc
from gongjian.core import series
from gongjian.standards import gb3838

from .alarms import month_alarms, raise_alarm
from .corrections import flag
from .models import (
    SampleFlag,
    SectionMonth,
    SectionTarget,
    WaterAlarm,
    WaterSection,
)
from .results import month_of, recompute_months, samples_frame

__all__ = ["check_and_recompute", "qc_thresholds", "station_qc"]


def qc_thresholds() -> waterqc.Thresholds:
    """The quality-control parameters: the defaults of :class:`~gongjian.analytics.waterqc.Thresholds`,
    with a spike's floor at the item's class Ⅲ limit, overridden by ``settings.GONGJIAN_WATER_QC``."""
    floors = {}
    for key, item in gb3838.ITEMS.items():
        if item.rule == "max" and key != "tn":
            floors[key] = gb3838.limit(key, 3)
    configured = dict(getattr(settings, "GONGJIAN_WATER_QC", {}) or {})
    unknown = set(configured) - {f.name for f in dataclasses.fields(waterqc.Thresholds)}
    if unknown:
        raise ValueError(f"GONGJIAN_WATER_QC: unknown parameters {sorted(unknown)}")
    return waterqc.Thresholds(**{"spike_floor": floors, **configured})


@series.on_new_data("water.sample")
def check_and_recompute(written: series.Written) -> list[SectionMonth]:
    """Quality control of an automatic station's readings, then the recomputation of the touched
    months and their alarms. Returns the stored months."""
    touched = written.touched
    months = set()
    if written.source == "gateway":
        months |= station_qc(touched, written.user)
    days = touched["time"].dt.date().unique().to_list()
    month_for = {d: month_of(d) for d in days}
    months |= {(s, month_for[d]) for s, d in touched.select("section_id", pl.col("time").dt.date()).unique().iter_rows()}
    with transaction.atomic():
        stored = recompute_months(months)
        month_alarms(stored)
    return stored


def station_qc(touched: pl.DataFrame, user=None) -> set[tuple[int, dt.date]]:
    """Quality-check the touched readings (with a day before them): flag the readings of every
    finding ``suspect``, keep each change as a :class:`SampleCorrection`, raise a ``station_qc``
    alarm per finding. Returns the ``(section_id, month)`` pairs whose readings changed flags."""
    spans = touched.group_by("section_id", "item").agg(pl.col("time").min().alias("first"),
                                                        pl.col("time").max().alias("last"))
    start = spans["first"].min() - dt.timedelta(days=1)
    end = spans["last"].max() + dt.timedelta(microseconds=1)
    stored = samples_frame(spans["section_id"].unique().to_list(), start, end).filter(
        pl.col("source") == "gateway").join(spans.select("section_id", "item"), on=["section_id", "item"], how="semi")
    if stored.is_empty():
        return set()
    found = waterqc.check_series(stored.select(pl.col("section_id").alias("series"), "item", "time", "value"),
                                 qc_thresholds())
    if found.is_empty():
        return set()
    sections = WaterSection.objects.select_related("region").in_bulk(found["series"].unique().to_list())
    changed = set()
    with transaction.atomic():
        for finding in found.iter_rows(named=True):
            section = sections[finding["series"]]
            rows = stored.filter((pl.col("section_id") == section.pk) & (pl.col("item") == finding["item"])
                                 & pl.col("time").is_between(finding["start"], finding["end"])
                                 & (pl.col("flag") == SampleFlag.VALID))
            flag(rows, SampleFlag.SUSPECT, _qc_reason(finding), user)
            changed |= {(section.pk, month_of(t.date())) for t in rows["time"].to_list()}
            _qc_alarm(section, finding)
    return changed


def _qc_reason(finding: dict) -> str:
    return f"quality control: {finding['check']} ({finding['detail']})"


#: The checks' names in the alarm's evidence (the stored text is Chinese, see _qc_alarm).
_CHECK_WORDS = {"out_of_range": gettext_noop("value outside its possible range"),
                "flat": gettext_noop("the same reading repeated"),
                "spike": gettext_noop("a spike against the readings around it")}


def _qc_alarm(section: WaterSection, finding: dict) -> WaterAlarm:
    item = gb3838.ALL_ITEMS.get(finding["item"])
    start, end = clock.attach(finding["start"]), clock.attach(finding["end"])
    with translation.override("zh-hans"):
        evidence = _("%(section)s automatic station, %(item)s: %(check)s, %(n)s reading(s) from %(start)s to "
                     "%(end)s (%(detail)s); the readings are flagged suspect until reviewed.") % {
            "section": section.name, "item": item.name_zh if item else finding["item"],
            "check": _(_CHECK_WORDS[finding["check"]]), "n": finding["readings"],
            "start": f"{finding['start']:%Y-%m-%d %H:%M}", "end": f"{finding['end']:%Y-%m-%d %H:%M}",
            "detail": finding["detail"]}
    value = _detail_value(finding["detail"])
    return raise_alarm(WaterAlarm.Kind.STATION_QC, section.region, f"{section.name}（{section.code}）", start, end,
                       section=section, item=finding["item"], value=value, evidence=evidence,
                       fingerprint=f"station_qc:{section.pk}:{finding['item']}:{finding['check']}:{start.isoformat()}")


def _detail_value(detail: str) -> float | None:
    for part in detail.split(";"):
        name, _sep, text = part.partition("=")
        if name == "value":
            try:
                return float(text)
            except ValueError:
                return None
    return None


@receiver(post_save, sender=SectionTarget, dispatch_uid="water_target_recompute")
@receiver(post_delete, sender=SectionTarget, dispatch_uid="water_target_removed")
def _target_changed(sender, instance: SectionTarget, **kwargs) -> None:
    """A target set, changed or removed: the section's stored months of that year are judged again."""
    months = SectionMonth.objects.filter(section_id=instance.section_id, month__year=instance.year)
    pairs = [(instance.section_id, m) for m in months.values_list("month", flat=True)]
    if pairs:
        transaction.on_commit(lambda: month_alarms(recompute_months(pairs)))
