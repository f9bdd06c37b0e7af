"""The weekly dispatch (周调度) and the monthly bulletin (月通报) of tasks and cases, as the offices
send them: a summary, the overdue tasks with their lead units, the progress reported in the period,
the supervision cases opened, closed and escalated, and each unit's overdue count - on a page, in
Word and in Excel. What a person sees in a bulletin is what the policy lets them see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core import chapters
from gongjian.core.officialdoc import OfficialDocument, chinese_date, issue_number
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.regions.models import Region, Role

from .models import BulletinIssue, Milestone, ProgressReport, SupervisionCase, Task

__all__ = ["KINDS", "Bulletin", "as_published", "build", "content", "issuer_of", "publish", "word_response"]


#: The bulletins' own words for their periods.
KINDS = {"weekly": PeriodKind.WEEK, "monthly": PeriodKind.MONTH}


@dataclass
class Bulletin:
    period: Period
    summary: dict[str, int] = field(default_factory=dict)
    overdue: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    #: The apps' chapters (:mod:`gongjian.core.chapters`: the water sections' month, ...).
    chapters: list[chapters.Content] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``weekly`` or ``monthly``, the bulletin's own word (:data:`KINDS`)."""
        return next(word for word, kind in KINDS.items() if kind == self.period.kind)

    @property
    def first(self) -> dt.date:
        return self.period.start

    @property
    def last(self) -> dt.date:
        return self.period.end

    @property
    def title(self) -> str:
        label = _("Weekly dispatch") if self.kind == "weekly" else _("Monthly bulletin")
        return f"{label} {self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"


def build(person, period: Period) -> Bulletin:
    """The bulletin of ``period`` (a week or a month) for what ``person`` sees. The period's days are
    Beijing days (:func:`gongjian.clock.day_bounds`): a milestone completed at 03:00 on 1 April
    Beijing time is April's, although it is still 31 March in UTC."""
    if period.kind not in KINDS.values():
        raise ValueError(f"a bulletin covers a week or a month, not a {period.kind}")
    bulletin = Bulletin(period)
    last = bulletin.last
    lo, hi = clock.day_bounds(bulletin.first, last)
    tasks = policy.visible(person, Task.objects.all())
    open_milestones = policy.visible(person, Milestone.objects.all()).filter(task__in=tasks)
    overdue = (open_milestones.filter(due__lt=last).exclude(done__lt=hi).filter(task__status="open")
               .select_related("task").prefetch_related("task__units__organisation").order_by("due"))
    done = open_milestones.filter(done__gte=lo, done__lt=hi).count()
    reports = (policy.visible(person, ProgressReport.objects.all()).filter(reported__gte=lo, reported__lt=hi)
               .select_related("task", "organisation").order_by("reported"))
    cases = policy.visible(person, SupervisionCase.objects.all()).select_related("assignee")
    opened = cases.filter(opened__gte=lo, opened__lt=hi)
    closed = cases.filter(closed__gte=lo, closed__lt=hi)
    on_time = [c for c in closed if c.deadline is None or clock.day_of(c.closed) <= c.deadline]
    escalated = cases.filter(steps__status__in=["summoned", "accountable"], steps__at__gte=lo, steps__at__lt=hi).distinct()
    bulletin.summary = {
        "tasks": tasks.count(), "completed": tasks.filter(status="done").count(), "milestones_done": done,
        "overdue": overdue.count(), "reports": reports.count(), "cases_opened": opened.count(),
        "cases_closed": closed.count(), "closed_on_time": len(on_time), "escalated": escalated.count(),
        "cases_open": cases.exclude(status="closed").count()}
    per_unit: Counter[str] = Counter()
    for milestone in overdue:
        leads = [str(u.organisation or u.name) for u in milestone.task.units.all() if u.role == "lead"]
        per_unit.update(leads)
        bulletin.overdue.append({"number": milestone.task.number, "task": milestone.task.text[:80],
                                 "due": milestone.due, "days": (last - milestone.due).days, "lead": "、".join(leads)})
    bulletin.reports = [{"number": r.task.number, "unit": str(r.organisation), "percent": r.percent,
                         "text": r.text[:120], "reported": clock.day_of(r.reported)} for r in reports]
    bulletin.cases = [{"number": c.number, "problem": c.title, "unit": str(c.assignee or ""),
                       "status": str(c.get_status_display()), "deadline": c.deadline}
                      for c in cases.filter(pk__in={*opened.values_list("pk", flat=True),
                                                    *closed.values_list("pk", flat=True),
                                                    *escalated.values_list("pk", flat=True)}).order_by("opened")]
    bulletin.units = [{"unit": unit, "overdue": count} for unit, count in per_unit.most_common()]
    bulletin.chapters = chapters.build_all(person, period)
    return bulletin


SUMMARY_LABELS = {
    "tasks": "任务总数", "completed": "已完成任务", "milestones_done": "本期完成节点", "overdue": "逾期节点",
    "reports": "本期进展报送", "cases_opened": "本期督办立案", "cases_closed": "本期销号",
    "closed_on_time": "按期销号", "escalated": "约谈、问责", "cases_open": "在办督办案件"}
TABLES = {
    "overdue": ("逾期任务", {"number": "任务号", "task": "任务", "lead": "牵头单位", "due": "期限", "days": "逾期天数"}),
    "reports": ("进展报送", {"number": "任务号", "unit": "单位", "percent": "完成比例(%)", "text": "进展",
                            "reported": "报送日期"}),
    "cases": ("督办案件", {"number": "编号", "problem": "问题", "unit": "承办单位", "status": "状态", "deadline": "期限"}),
    "units": ("各单位逾期", {"unit": "单位", "overdue": "逾期节点数"}),
}


#: The rows' dates, as a published issue keeps them (ISO text) and reads them back.
_DATES = ("due", "reported", "deadline")


def content(bulletin: Bulletin) -> dict:
    """The bulletin's figures as a published issue keeps them (JSON)."""
    return {"summary": bulletin.summary, **{key: [{k: v.isoformat() if isinstance(v, dt.date) else v
                                                  for k, v in row.items()} for row in getattr(bulletin, key)]
                                            for key in TABLES},
            "chapters": [chapter.as_json() for chapter in bulletin.chapters]}


def as_published(issue: BulletinIssue) -> Bulletin:
    """The bulletin of a published ``issue``, with its figures as they were published."""
    bulletin = Bulletin(Period.spanning(issue.period_start, issue.period_end), dict(issue.content["summary"]))
    for key in TABLES:
        setattr(bulletin, key, [{k: dt.date.fromisoformat(v) if k in _DATES and v else v for k, v in row.items()}
                                for row in issue.content[key]])
    # an issue published before the apps contributed chapters has none
    bulletin.chapters = [chapters.Content.from_json(c) for c in issue.content.get("chapters", [])]
    return bulletin


def issuer_of(person) -> str:
    """The office a person's bulletins are issued by, as their head names it (in Chinese, the
    documents' language): the person's organisation, else their jurisdiction's office of their role
    (郑州市攻坚办)."""
    if person.organisation is not None:
        return person.organisation.name
    with translation.override(settings.LANGUAGE_CODE):
        return f"{person.jurisdiction.name if person.jurisdiction else ''}{Role(person.role).label}"


@transaction.atomic
def publish(person, period: Period) -> BulletinIssue:
    """Publish the bulletin of ``period`` as ``person`` sees it, under the next issue number of the
    person's office (:func:`issuer_of`), series and year. Only an office that edits in its own
    jurisdiction publishes; a second publication of a period is a correction with its own number."""
    region = person.jurisdiction
    if region is None or not policy.can_place(person, region):
        raise PermissionDenied(_("Only a campaign office or an environment bureau publishes bulletins."))
    bulletin, issuer, moment = build(person, period), issuer_of(person), clock.now()
    year = clock.day_of(moment).year
    # two offices' clerks publishing at once must not draw the same number: the jurisdiction's row is
    # the lock every publication of its offices takes before it counts the issues
    Region.objects.select_for_update().filter(pk=region.pk).first()
    issued = BulletinIssue.objects.filter(region=region, issuer=issuer, kind=bulletin.kind, year=year)
    number = (issued.aggregate(last=Max("number"))["last"] or 0) + 1
    return BulletinIssue.objects.create(issuer=issuer, region=region, kind=bulletin.kind, period_start=period.start,
                                        period_end=period.end, year=year, number=number, published=moment,
                                        published_by=person, content=content(bulletin))


_ORDINALS = "一二三四五六七八九十"


def word_response(bulletin: Bulletin, issuer: str, name: str, issue: BulletinIssue | None = None) -> HttpResponse:
    """The bulletin as a Word document laid out after GB/T 9704-2012 (:mod:`gongjian.core.officialdoc`):
    the issuing office in red, the issue number (期号) of its publication (a draft says so where it
    is not published), the title, the summary in a sentence, the tables, the office and the date."""
    document = OfficialDocument()
    number = issue_number(issue.year, issue.number) if issue else _("Draft, not published")
    document.issue_head(issuer, number)
    label = _("Weekly dispatch") if bulletin.kind == "weekly" else _("Monthly bulletin")
    document.title(f"{label}（{chinese_date(bulletin.first)}至{chinese_date(bulletin.last)}）")
    s = bulletin.summary
    document.paragraph(
        f"截至本期末，台账共有任务{s['tasks']}项，已完成{s['completed']}项；本期完成节点{s['milestones_done']}个，"
        f"逾期节点{s['overdue']}个；各单位报送进展{s['reports']}次。本期督办立案{s['cases_opened']}件，"
        f"销号{s['cases_closed']}件（按期{s['closed_on_time']}件），约谈、问责{s['escalated']}件，"
        f"在办{s['cases_open']}件。")
    for ordinal, (key, (title, columns)) in zip(_ORDINALS, TABLES.items(), strict=False):
        rows = getattr(bulletin, key)
        document.heading(f"{ordinal}、{title}")
        if not rows:
            document.paragraph("无。")
            continue
        document.table(list(columns.values()), [
            [value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
             for value in (row[column] for column in columns)] for row in rows])
    for ordinal, chapter in zip(_ORDINALS[len(TABLES):], bulletin.chapters, strict=False):
        _chapter_in(document, f"{ordinal}、{chapter.title}", chapter)
    document.signature(issuer, clock.day_of(issue.published) if issue else clock.today())
    return document.response(name)


def _chapter_in(document: OfficialDocument, heading: str, chapter: chapters.Content) -> None:
    """An app's chapter in the document: its heading, its sentence, its tables (each titled)."""
    document.heading(heading)
    if chapter.text:
        document.paragraph(chapter.text)
    for number, table in enumerate(chapter.tables, start=1):
        document.heading(f"（{_ORDINALS[number - 1]}）{table.title}", level=2)
        if not table.rows:
            document.paragraph("无。")
            continue
        document.table(list(table.columns.values()), [["" if v is None else str(v) for v in cells]
                                                      for cells in table.cells()])
