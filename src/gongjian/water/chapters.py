"""The water chapter of the weekly dispatch and the monthly bulletin (:mod:`gongjian.core.chapters`):
the sections' classes of the newest month evaluated by the period's end, the rates offices report,
the sections below their target with the items above it, and the water alarms of the period.

Declared from :mod:`gongjian.water.entries`; the bulletin names no app. Texts are Chinese, the
documents' language, as the bulletins' own are. What a person's bulletin holds is what the policy
lets them see (:func:`gongjian.water.services.region_summary`, ``visible_alarms``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from gongjian import clock
from gongjian.analytics import waterquality
from gongjian.core.chapters import ChapterTable, Content
from gongjian.periods import Period, PeriodKind
from gongjian.standards import gb3838

from . import services
from .places import place_of

__all__ = ["build_chapter"]

TITLE = "水环境质量"
SECTION_COLUMNS = {"code": "断面编码", "name": "断面名称", "river": "河流（水体）", "region": "责任地区",
                   "class": "水质类别", "target": "目标类别", "meets": "是否达标", "above": "超标项目及超标倍数"}
ALARM_COLUMNS = {"month": "时段", "found": "发现日期", "kind": "预警类型", "subject": "对象", "status": "状态", "evidence": "情况"}
KIND_NAMES = {"section_below_target": "断面未达目标", "station_qc": "自动站数据质控",
              "outfall_over_limit": "排污口超标"}
STATUS_NAMES = {"open": "待处理", "case_opened": "已立案督办", "dismissed": "已排除", "closed": "已恢复达标"}


def _name(cls: int | None) -> str:
    name = gb3838.class_name(cls, "无数据")
    return f"{name}类" if cls is not None and cls < gb3838.WORSE_THAN_V else name


def _above(items: dict) -> str:
    return waterquality.above_target_text(items or {}, "、", "")


def _percent(value) -> str:
    return "无数据" if value is None else f"{value}%"


def _month(person, period: Period) -> Period | None:
    """The newest month with stored results that ended on or before the period's end, among the
    sections the person sees (monthly samples arrive mid-month: a weekly dispatch reports the last
    whole month evaluated, never the running month half-sampled)."""
    ids = list(services.sections_visible(person).values_list("pk", flat=True))
    running = Period.containing(PeriodKind.MONTH, period.end)
    last = running.start - dt.timedelta(days=1) if running.end > period.end else running.start
    months = services.section_months(ids, Period.of_year(period.end.year - 1).start, last)
    newest = max((m.month for m in months if m.water_class is not None), default=None)
    return Period.containing(PeriodKind.MONTH, newest) if newest else None


def build_chapter(person, period: Period) -> Content | None:
    """The chapter for ``person`` over ``period``; ``None`` where they see no section."""
    if not services.sections_visible(person).exists():
        return None
    place = place_of(person)
    lo, hi = clock.day_bounds(period.start, period.end)
    # the alarms about the period (a month below target) and those found in it (a late result)
    alarms = list(services.visible_alarms(person).filter(Q(start__lt=hi, end__gt=lo) | Q(found__gte=lo, found__lt=hi))
                  .order_by("start", "pk"))
    waiting = services.alarms_waiting(person).count()
    month = _month(person, period)
    content = Content("water", TITLE)
    alarm_rows = [{"month": f"{clock.day_of(a.start):%Y-%m-%d}至{clock.day_of(a.end - dt.timedelta(seconds=1)):%Y-%m-%d}",
                   "found": clock.day_of(a.found), "kind": KIND_NAMES.get(a.kind, a.kind), "subject": a.subject,
                   "status": STATUS_NAMES.get(a.status, a.status), "evidence": a.evidence} for a in alarms]
    if month is None:
        content.text = f"截至{period.end:%Y年%m月%d日}，尚无断面水质评价结果。本期水质预警{len(alarms)}条，待处理{waiting}条。"
        content.summary = [("本期水质预警", len(alarms)), ("待处理水质预警", waiting)]
        content.tables = [ChapterTable("水质预警", ALARM_COLUMNS, alarm_rows)]
        return content
    summary = services.region_summary(place, month.key, person)
    results = summary["results"]
    state = summary["state"].name_zh if summary["state"] else "无数据"
    missed = [r for r in results if r["meets_target"] is False]
    content.summary = [
        ("评价月份", month.label("zh-hans")), ("断面数", summary["sections"]), ("有监测数据断面", summary["evaluated"]),
        ("Ⅰ～Ⅲ类断面比例", _percent(summary["share_iii_or_better"])),
        ("劣Ⅴ类断面比例", _percent(summary["share_worse_than_v"])),
        ("目标达标率", _percent(summary["attainment"])), ("水质状况", state),
        ("未达目标断面", len(missed)), ("本期水质预警", len(alarms)), ("待处理水质预警", waiting)]
    missing = "；".join(f"{r['section'].name}（{_name(r['water_class'])}，目标{_name(r['target_class'])}"
                       + (f"，{_above(r['items_above'])}" if r["items_above"] else "") + "）" for r in missed)
    content.text = (f"{month.label('zh-hans')}，{place.name}{summary['sections']}个断面中{summary['evaluated']}个有监测数据，"
                    f"Ⅰ～Ⅲ类断面比例{_percent(summary['share_iii_or_better'])}，劣Ⅴ类断面比例"
                    f"{_percent(summary['share_worse_than_v'])}，目标达标率{_percent(summary['attainment'])}，"
                    f"水质状况{state}。" + (f"未达目标断面：{missing}。" if missed else "各断面均达到目标。")
                    + f"本期水质预警{len(alarms)}条，待处理{waiting}条。")
    content.tables = [
        ChapterTable(f"断面水质（{month.label('zh-hans')}）", SECTION_COLUMNS, [
            {"code": r["section"].code, "name": r["section"].name, "river": r["section"].water_body,
             "region": r["section"].region.name, "class": _name(r["water_class"]),
             "target": _name(r["target_class"]) if r["target_class"] else "无目标",
             "meets": {True: "达标", False: "未达标", None: "—"}[r["meets_target"]], "above": _above(r["items_above"])}
            for r in results]),
        ChapterTable("水质预警", ALARM_COLUMNS, alarm_rows),
    ]
    return content
