"""What the water app offers the other layers and its own pages: sections, samples (written and
read through the one series door), their evaluation per month, quarter and year, region summaries,
county rankings, the plans' target schedules, alarms and the cases opened from them.

Others read this app only through this module (docs/architecture.md, "Apps talk through services").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core import series
from gongjian.core.imports import problems_from_mask
from gongjian.core.problems import InvalidInput, Problem
from gongjian.periods import Period
from gongjian.regions import policy
from gongjian.regions.models import Region, RegionLevel
from gongjian.standards import gb3838, units
from gongjian.tasks import services as tasks_services

from .alarms import month_alarms
from .corrections import flag as handlers_flag
from .kinds import SAMPLES
from .models import (
    SampleFlag,
    SectionMonth,
    SectionTarget,
    WaterAlarm,
    WaterSection,
    WaterTargetSchedule,
)
from .results import evaluate_period, month_of, recompute_months
from .results import samples_frame as _samples_frame

__all__ = ["DEVICE_FLAGS", "alarms_waiting", "county_ranking", "evaluate", "import_samples", "open_case_from_alarm",
           "flag_samples", "region_summary", "samples_frame", "section_months", "sections_visible", "store_device_samples",
           "target_progress", "visible_alarms"]

#: HJ 212-2017 data flags (§6.6.4) as sample flags: N (normal) and S (set by hand) are valid, T (over
#: the instrument's range) suspect, and every other (stopped, maintenance, fault, calibration,
#: communication failure) invalid: such a reading describes the analyser, not the water.
DEVICE_FLAGS = {"N": SampleFlag.VALID, "S": SampleFlag.VALID, "T": SampleFlag.SUSPECT}


def sections_visible(user) -> QuerySet[WaterSection]:
    """The sections ``user`` sees (:func:`gongjian.regions.policy.visible`)."""
    return policy.visible(user, WaterSection.objects.select_related("region").order_by("region__path", "code"))


# --- samples in -------------------------------------------------------------------------------


def store_device_samples(rows: pl.DataFrame, *, source: str = "gateway") -> pl.DataFrame:
    """An automatic water station's readings (HJ 212 hourly ``2061`` or daily ``2031`` data) into the
    samples store, through the same door and new-data hook as a file's (quality control, the months
    recomputed). ``rows``: ``section_id``, ``time`` (naive Beijing time, the period start), ``code``
    (an HJ 212-2017 water code), ``value`` and ``flag`` (the HJ 212 data flag; none: normal). Codes
    of no GB 3838 item are left out; values are converted from the code's unit
    (:func:`gongjian.standards.gb3838.code_unit`) to the item's. Readings the store holds already (a
    resend, a manual result for the same time) are kept: the first word on a period stands.
    Returns ``section_id, item, time`` of the readings not written because they were held."""
    items, factors = {}, {}
    for code in rows["code"].unique().to_list():
        try:
            item = gb3838.item_for_code(code)
        except ValueError:
            continue
        items[code] = item.key
        factors[code] = units.water_factor(gb3838.code_unit(code), item.unit)
    frame = rows.filter(pl.col("code").is_in(list(items))).with_columns(
        pl.col("code").replace_strict(items, return_dtype=pl.String).alias("item"),
        (pl.col("value") * pl.col("code").replace_strict(factors, return_dtype=pl.Float64)).alias("value"),
        pl.col("flag").fill_null("N").replace_strict(DEVICE_FLAGS, default=SampleFlag.INVALID.value,
                                                     return_dtype=pl.String).alias("flag"),
        pl.col("time").cast(pl.Datetime("us")))
    empty = pl.DataFrame(schema={"section_id": pl.Int64, "item": pl.String, "time": pl.Datetime("us")})
    if frame.is_empty():
        return empty
    # of two codes for one item (a total and a short code), the first
    frame = frame.unique(["section_id", "item", "time"], keep="first", maintain_order=True)
    held = series.read(SAMPLES, {"section_id": frame["section_id"].unique().to_list(),
                                 "item": frame["item"].unique().to_list()},
                       frame["time"].min(), frame["time"].max() + dt.timedelta(microseconds=1), fields=[])
    new = frame.join(held, on=["section_id", "item", "time"], how="anti")
    if new.height:
        series.write(SAMPLES, new.select("section_id", "item", "time", "value", pl.lit(False).alias("below_limit"),
                                         "flag", pl.lit(source).alias("source")), source=source, keep_existing=True)
    return held.join(frame, on=["section_id", "item", "time"], how="semi").select(empty.columns)


def import_samples(path: Path | list[Path], user, *, save: bool = True) -> int:
    """Check a results file (or files) and store its samples: all or nothing. Every problem (file,
    row, column: an unknown section or item, a negative value, a pH outside 0–14, a unit that does not
    fit the item, a duplicate sample, a section outside ``user``'s jurisdiction) raises
    :class:`~gongjian.core.problems.InvalidInput` before anything is written. Returns the number of
    samples (stored, or with ``save=False`` checked)."""
    from . import samples_io

    paths = [Path(p) for p in (path if isinstance(path, list | tuple) else [path])]
    found: dict[str, WaterSection] = {}

    def check_section(code: str) -> str | None:
        section = found.get(code) or WaterSection.objects.filter(code=code).select_related("region").first()
        if section is None:
            return f"unknown section {code!r}: add it to the section registry first"
        found[code] = section
        if user is not None and not (policy.can_change(user, section) or getattr(user, "is_superuser", False)):
            return f"section {code} lies outside your jurisdiction"
        return None

    frame = samples_io.read_samples(paths, check_section=check_section, keep_rows=True)
    if frame.is_empty():
        return 0
    frame = frame.with_columns(pl.col("section").replace_strict({c: s.pk for c, s in found.items()},
                                                                return_dtype=pl.Int64).alias("section_id"))
    problems = _registry_problems(frame, found) + _stored_problems(frame)
    if problems:
        raise InvalidInput(problems)
    if not save:
        return frame.height
    with transaction.atomic():
        series.write(SAMPLES, frame.select("section_id", "item", "time", "value", "below_limit",
                                           pl.lit(SampleFlag.VALID.value).alias("flag"),
                                           pl.lit("file").alias("source")), source="file", user=user)
    return frame.height


def _registry_problems(frame: pl.DataFrame, found: dict[str, WaterSection]) -> list[Problem]:
    """A row whose ``kind`` or ``target`` column disagrees with the section registry (the kind of water
    body; the target class of the sample's year) is refused, naming its file, row and column: the
    registry, not the file, says what a section is."""
    codes = {s.pk: c for c, s in found.items()}
    targets = pl.DataFrame([(codes[t.section_id], t.year, t.target_class)
                            for t in SectionTarget.objects.filter(section__in=list(codes))],
                           schema={"section": pl.String, "_year": pl.Int32, "_registered": pl.Int8}, orient="row")
    rows = frame.with_columns(pl.col("section").replace_strict({c: s.kind for c, s in found.items()},
                                                               return_dtype=pl.String).alias("_registered_kind"),
                              pl.col("time").dt.year().cast(pl.Int32).alias("_year"))
    rows = rows.join(targets, on=["section", "_year"], how="left")
    kind = problems_from_mask(
        rows, pl.col("_kind_given") & (pl.col("kind") != pl.col("_registered_kind")), "kind",
        lambda r: _("kind %(kind)s, but the section registry has section %(section)s as a %(registered)s")
        % {"kind": _(r["kind"]), "section": r["section"], "registered": _(r["_registered_kind"])})
    target = problems_from_mask(
        rows, pl.col("target").is_not_null() & (pl.col("_registered").is_null()
                                                | (pl.col("target") != pl.col("_registered"))), "target",
        lambda r: _("target %(target)s, but the section registry sets %(registered)s for %(section)s in %(year)s")
        % {"target": gb3838.CLASS_NAMES[r["target"]], "section": r["section"], "year": r["_year"],
           "registered": gb3838.CLASS_NAMES[r["_registered"]] if r["_registered"] else _("no target")})
    return kind + target


def _stored_problems(frame: pl.DataFrame) -> list[Problem]:
    """A row for a section, item and time the store holds already is refused (a file imported again
    must not reset a reviewer's flag): the same value is a repeat; another value is a correction,
    which is made on the stored sample (its flag, with the reason), not by importing over it."""
    held = _samples_frame(frame["section_id"].unique().to_list(), frame["time"].min(),
                          frame["time"].max() + dt.timedelta(microseconds=1))
    if held.is_empty():
        return []
    clash = frame.join(held.select("section_id", "item", "time", pl.col("value").alias("_held"),
                                   pl.col("flag").alias("_flag")), on=["section_id", "item", "time"], how="inner")

    def where(r: dict) -> dict:
        return {"section": r["section"], "item": gb3838.ALL_ITEMS[r["item"]].name_zh, "time": f"{r['time']:%Y-%m-%d %H:%M}",
                "value": r["_held"], "flag": SampleFlag(r["_flag"]).label if r["_flag"] in SampleFlag.values else r["_flag"]}

    same = pl.col("value") == pl.col("_held")
    return problems_from_mask(clash, same, "value", lambda r: _(
        "section %(section)s %(item)s at %(time)s is stored already (%(value)s, %(flag)s): it is not imported again")
        % where(r)) + problems_from_mask(clash, ~same, "value", lambda r: _(
        "section %(section)s %(item)s at %(time)s is stored already with %(value)s (%(flag)s): a different value "
        "is a correction, not an import: flag the stored sample with the reason on the section's page") % where(r))


def flag_samples(section: WaterSection, item: str, times: list[dt.datetime], flag: str, reason: str, person) -> int:
    """A reviewer's judgement on stored samples of one section and item: their flag becomes ``flag``
    (:class:`SampleFlag`) through :func:`gongjian.core.series.update_values`, each change kept as a
    :class:`~gongjian.water.models.SampleCorrection` with who, when and why, and the months they
    fall in are recomputed (and their alarms raised or closed). Only someone who may change the
    section (:func:`gongjian.regions.policy.can_change`) may; a time the store does not hold is
    refused and nothing changes. Returns the number of samples whose flag changed."""
    if not policy.can_change(person, section):
        raise PermissionDenied
    if flag not in SampleFlag.values:
        raise ValidationError(_("Unknown flag %(f)s.") % {"f": flag})
    if not reason.strip():
        raise ValidationError(_("Say why the flag changes."))
    wanted = pl.DataFrame({"section_id": [section.pk] * len(times), "item": [item] * len(times),
                           "time": [clock.naive_local(clock.aware(t)) for t in times]},
                          schema={"section_id": pl.Int64, "item": pl.String, "time": pl.Datetime("us")})
    if wanted.is_empty():
        return 0
    stored = _samples_frame([section.pk], wanted["time"].min(), wanted["time"].max() + dt.timedelta(microseconds=1))
    stored = stored.join(wanted, on=["section_id", "item", "time"], how="semi")
    if stored.height != wanted.unique().height:
        raise ValidationError(_("Some of these samples are not stored."))
    rows = stored.filter(pl.col("flag") != flag)
    with transaction.atomic():
        corrected = handlers_flag(rows, flag, reason, person)
        month_alarms(recompute_months({(section.pk, month_of(t.date())) for t in stored["time"].to_list()}))
    return corrected


# --- samples and results out ------------------------------------------------------------------


def samples_frame(section_ids, start: dt.datetime | None, end: dt.datetime | None) -> pl.DataFrame:
    """The stored samples of ``section_ids`` in ``[start, end)``: ``section_id, item, time`` (naive
    Beijing time), ``value, below_limit, flag, source``. The caller passes sections the person sees
    (:func:`sections_visible`)."""
    return _samples_frame(section_ids, start, end)


def section_months(section_ids, start: dt.date, end: dt.date) -> QuerySet[SectionMonth]:
    """The stored monthly results of ``section_ids`` for the months from ``start`` to ``end``."""
    return SectionMonth.objects.filter(section_id__in=list(section_ids), month__gte=start, month__lte=end).order_by(
        "section__code", "month").select_related("section")


def evaluate(sections_qs, period_key: str | Period) -> list[dict]:
    """Each section's result for a month, quarter or year (``2026-M03``, ``2026-Q1``, ``2026``): class
    (``water_class``, ``None`` no data; ``class_name``), the items above the year's target with their
    multiples (``items_above``), ``target_class`` and ``meets_target`` (``None``: no data or no
    target), ``means`` and ``samples``. A month is read from the stored result; a quarter or a
    year is the mean of its valid samples (环办〔2011〕22号 一(二))."""
    period = period_key if isinstance(period_key, Period) else Period.parse(period_key)
    sections = list(sections_qs)
    if period.kind != "month":
        return evaluate_period(sections, period)
    stored = {m.section_id: m for m in SectionMonth.objects.filter(section__in=[s.pk for s in sections],
                                                                   month=period.start)}
    out = []
    for section in sections:
        month = stored.get(section.pk)
        if month is None:  # never computed: nothing was sampled
            out.extend(evaluate_period([section], period))
            continue
        out.append({"section": section, "period": period.key, "water_class": month.water_class,
                    "class_name": gb3838.class_name(month.water_class), "deciding": month.deciding,
                    "items_above": month.items_above, "target_class": month.target_class,
                    "meets_target": month.meets_target, "means": month.means, "samples": month.samples})
    return out


def _rates(results: list[dict]) -> dict:
    classes = [r["water_class"] for r in results]
    evaluated = [c for c in classes if c is not None]
    good, worst = gb3838.share_iii_or_better(classes), gb3838.share_worse_than_v(classes)
    attained = gb3838.attainment_rate((r["water_class"], r["target_class"]) for r in results
                                      if r["target_class"] is not None)
    state = None
    if len(evaluated) >= gb3838.MIN_PROPORTION_SECTIONS:
        state = gb3838.proportion_status(evaluated)
    elif evaluated:
        measured = [r for r in results if r["water_class"] is not None]
        state = gb3838.basin_state([r["means"] for r in measured], [r["section"].kind for r in measured]).status
    return {"sections": len(results), "evaluated": len(evaluated),
            "share_iii_or_better": gb3838.percent(good), "share_worse_than_v": gb3838.percent(worst),
            "attainment": gb3838.percent(attained), "state": state,
            "method": "proportion" if len(evaluated) >= gb3838.MIN_PROPORTION_SECTIONS else "mean",
            "classes": {c: evaluated.count(c) for c in sorted(set(evaluated))}}


def region_summary(region: Region, period_key: str | Period, user) -> dict:
    """The sections of ``region`` (and below) that ``user`` sees, over a period: ``results`` (per
    section, as :func:`evaluate`), the rates offices report (``share_iii_or_better``,
    ``share_worse_than_v``, ``attainment``, as percentages with one decimal; ``None``: no data), and
    the state (``state``: a :class:`~gongjian.standards.gb3838.Status`) by the proportion method from
    five evaluated sections, else from the sections' mean values (环办〔2011〕22号 二(二))."""
    sections = sections_visible(user).filter(region__path__startswith=region.path)
    results = evaluate(sections, period_key)
    return {"region": region, "period": results[0]["period"] if results else str(period_key),
            "results": results, **_rates(results)}


def county_ranking(region: Region, year: int, user) -> list[dict]:
    """The counties of ``region`` ranked by their sections over ``year``: each county's attainment
    (share of its evaluated sections meeting their target), share at class Ⅲ or better and share
    worse than Ⅴ; ranked by attainment, then the share at Ⅲ or better (ties share a rank). Read
    through :func:`gongjian.regions.policy.visible_for_ranking`, as the air rankings are: a county
    sees every county's figures, not their sections. Counties without evaluated sections come last
    with no rank."""
    peers = policy.ranking_peers(user, RegionLevel.COUNTY).filter(path__startswith=region.path).order_by("path")
    sections = policy.visible_for_ranking(user, WaterSection.objects.select_related("region"), RegionLevel.COUNTY)
    results = evaluate(sections.filter(region__path__startswith=region.path), Period.of_year(year))
    rows = []
    for county in peers:
        mine = [r for r in results if r["section"].region.path.startswith(county.path)]
        rates = _rates(mine)
        rows.append({"region": county, **{k: rates[k] for k in (
            "sections", "evaluated", "share_iii_or_better", "share_worse_than_v", "attainment")}})

    def key(row):
        return (row["attainment"] if row["attainment"] is not None else Decimal(-1),
                row["share_iii_or_better"] if row["share_iii_or_better"] is not None else Decimal(-1))

    rows.sort(key=key, reverse=True)
    rank, previous = 0, None
    for n, row in enumerate(rows, 1):
        if row["evaluated"] == 0:
            row["rank"] = None
            continue
        if key(row) != previous:
            rank, previous = n, key(row)
        row["rank"] = rank
    return rows


def _schedule(region: Region, year: int) -> WaterTargetSchedule | None:
    """The region's own schedule for the year, else the nearest one above it (a city's binds its
    counties)."""
    found = {t.region_id: t for t in WaterTargetSchedule.objects.filter(region__in=list(region.ancestors_and_self()),
                                                                       year=year)}
    return next((found[place.pk] for place in reversed(list(region.ancestors_and_self())) if place.pk in found), None)


def target_progress(region: Region, year: int, *, as_of: dt.date | None = None) -> dict:
    """Where ``region``'s sections stand against the plan's schedule for ``year`` (the year so far, the
    whole year once it is over): the share at class Ⅲ or better against its minimum, the share worse
    than Ⅴ against its maximum, each ``met`` (``True``/``False``; ``None``: no data or no such
    target), and the schedule (``None``: the plans set none for the year)."""
    as_of = as_of or clock.today()
    whole = Period.of_year(year)
    schedule = _schedule(region, year)
    sections = WaterSection.objects.filter(region__path__startswith=region.path)
    period = whole.until(as_of) if whole.start <= as_of < whole.end else whole
    results = evaluate_period(sections, period) if whole.start <= as_of else []
    rates = _rates(results)

    def judge(share: Decimal | None, bound: Decimal | None, at_least: bool) -> bool | None:
        if share is None or bound is None:
            return None
        return share >= bound if at_least else share <= bound

    low = schedule.share_iii_or_better_min if schedule else None
    high = schedule.share_worse_than_v_max if schedule else None
    return {"region": region, "year": year, "period": period.key if results else None, "schedule": schedule,
            "share_iii_or_better": rates["share_iii_or_better"], "share_iii_or_better_min": low,
            "share_iii_or_better_met": judge(rates["share_iii_or_better"], low, True),
            "share_worse_than_v": rates["share_worse_than_v"], "share_worse_than_v_max": high,
            "share_worse_than_v_met": judge(rates["share_worse_than_v"], high, False),
            "sections": rates["sections"], "evaluated": rates["evaluated"]}


# --- alarms -----------------------------------------------------------------------------------


def visible_alarms(user) -> QuerySet[WaterAlarm]:
    """The water alarms ``user`` sees."""
    return policy.visible(user, WaterAlarm.objects.select_related("region", "section"))


def alarms_waiting(user) -> QuerySet[WaterAlarm]:
    """The open water alarms ``user`` sees, newest first."""
    return visible_alarms(user).filter(status=WaterAlarm.Status.OPEN).order_by("-start")


def open_case_from_alarm(alarm: WaterAlarm, person, *, title: str = "", description: str = ""):
    """A supervision case for ``alarm`` (:func:`gongjian.tasks.services.open_case`), in the alarm's
    region, opened by ``person`` (who must see the alarm and may open cases there); the alarm is then
    ``case_opened``. A dismissed alarm opens none."""
    if not visible_alarms(person).filter(pk=alarm.pk).exists():
        raise PermissionDenied
    if alarm.status == WaterAlarm.Status.DISMISSED:
        raise ValidationError(_("A dismissed alarm opens no case."))
    with transaction.atomic():
        case = tasks_services.open_case(alarm.region, title or str(alarm), "alarm", person,
                                        description=description or alarm.summary(), water_alarm=alarm)
        alarm.status = WaterAlarm.Status.CASE_OPENED
        alarm.save()
    return case
