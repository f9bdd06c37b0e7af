"""Reading a campaign plan's text into a proposed ledger: tasks with their units and deadlines,
indicators with baselines and targets. Pure: text in, proposals out; a person reviews them.

The plans come in a few shapes, all handled here:

* an outline (一、 / （一） / 1. / （1）) whose numbered tasks end with role lines - "牵头单位：…",
  "责任单位：…", "配合单位：…", the provincial "牵头督促指导单位：…" and "完成时限：…" - and where a
  default may be declared once ("[以下…均为责任单位，不再列出]") or a note closing a paragraph gives
  the roles ("（X、Y牵头，Z参与，各县（市、区）政府负责落实）"); the notes and role lines themselves are
  read by :mod:`gongjian.analytics.plannotes`;
* a task table flattened to one cell per line, as text extracted from Word gives it (a cell starts
  with a tab, rows are separated by a blank line, a cell may wrap): main task, number, item, task
  number, requirement, lead unit, responsible units;
* an indicator table in the same shape: indicator, baseline, target, binding (约束性) or expected
  (预期性).

OCR faults are tolerated and reported: spaces inside words are closed up, full-width and half-width
punctuation unified. Nothing is dropped silently: a task whose units or structure are uncertain
carries a :class:`~gongjian.analytics.plannotes.Flag` in ``problems`` (one read confidently none; a
missing deadline is a note, not a flag), every paragraph of an action section that is no task is in
``left_out`` with the reason, every figure that appears with different values in one plan is listed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gongjian.analytics.plannotes import (
    DEADLINE_HEADINGS,
    ROLE_HEADINGS,
    UNIT_ENDINGS,
    Flag,
    Reading,
    closing_note,
    join_broken,
    read_note,
    read_role_text,
    split_names,
)
from gongjian.periods import Period, month_end

__all__ = ["Deadline", "Indicator", "LeftOut", "ParsedPlan", "Task", "cell_rows", "deadlines", "normalise", "parse_plan",
           "quantities",
           "split_units"]

_CJK = r"\u3400-\u9fff\uff08\uff09\u3001\uff0c\u3002\uff1b\uff1a\u201c\u201d"
_SPACE_IN_WORD = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])|(?<=[{_CJK}])[ \u3000]+(?=\d)|(?<=\d)[ \u3000]+(?=[{_CJK}])")
#: Left by a conversion to Markdown: bold marks and Word bookmarks.
_MARKUP = re.compile(r"\*\*|\[bookmark: [^\]]*\]")
_NUMERALS = "一二三四五六七八九十"
_LEVEL1 = re.compile(rf"^([{_NUMERALS}]+)、\s*(.+)$")
_LEVEL2 = re.compile(rf"^[（(]([{_NUMERALS}]+)['’]?[)）]\s*(.+)$")  # "(五')": an OCR stroke
_ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d(?!\d?月))\s*(.+)$")  # "1.10月底前…" is item 1; "1.5万吨" none
_SUBITEM = re.compile(r"^[（(](\d{1,2})[)）]\s*(.+)$")
_TITLE = re.compile(r"^[\u4e00-\u9fff\d（）()〔〕—\-]{4,50}(实施方案|行动计划|实施意见|工作方案)$")
_PRINTED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")


def normalise(text: str) -> tuple[str, int]:
    """The text with OCR spaces inside Chinese words and next to digits closed up ("每年 9 月月底前"),
    Markdown bold marks and Word bookmarks removed; and how many spaces were removed (reported to the
    reviewer)."""
    text = _MARKUP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    fixed, count = _SPACE_IN_WORD.subn("", text)
    return fixed, count


# -- deadlines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """A deadline or milestone read from a phrase: ``kind`` is ``date`` (by ``due``), ``from`` (from
    ``due`` on), ``yearly`` (every year by the end of ``month``), ``quarterly``, ``monthly`` or
    ``ongoing`` (长期坚持); ``text`` is the phrase as written."""

    kind: str
    text: str
    due: dt.date | None = None
    month: int | None = None


_DATE_PHRASES = re.compile(
    r"(?P<yearly>每年(?P<ym>\d{1,2})月(?:底|末)?(?:前|之前)?)"
    r"|(?P<year>\d{4})\s*年\s*(?:(?P<end>年?底|年末)|(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?(?P<mend>底|末|份)?)?"
    r"\s*(?P<suffix>前|之前|起|以前|开始|至)?(?P<yearverb>(?<=年)[，,](?!\d)|(?<=年)(?=全面完成|全部|基本完成|完成|力争|实现|建成))?"
    r"|(?P<bare>(?<![\d年])(?P<bm>\d{1,2})月(?:(?P<bd>\d{1,2})日?)?(?P<bmend>底|末)?(?P<bsuffix>前|之前|起))"
    r"|(?P<yearend>(?<![\d年半一两二三四五])(?:年底前|年底|年内|年末前))|(?P<half>(?<![\d年])[上下]半年)"
    r"|(?P<quarterly>按季度|每季度)|(?P<monthly>按月|每月)|(?P<ongoing>长期坚持|长期推进|持续推进|常态化)")


#: What a clause that opens with a year holds the year to: a level, a limit, something built or done.
_TARGET_VERBS = re.compile(r"达到|控制在|降至|降到|下降到|提高到|提高至|提升到|提升至|实现|完成|建成|消除|不低于|不高于")


def _year_as_time(text: str, start: int, end: int) -> bool:
    """Whether a bare "N年" is the time the work is held to: a clause opening with it whose verb sets a
    target ("2020年全市秸秆综合利用率平均达到93.5%以上"; not "比2018年降低7%", where the year is a
    base), or the year's work to complete ("完成2020年度…排查整治工作")."""
    if text.startswith("度", end):
        return text[:start].rstrip().endswith("完成")
    before = text[:start].rstrip()
    if before and before[-1] not in "。；;，,：:\n（(":
        return False
    clause = re.split(r"[。；;]", text[end:], maxsplit=1)[0]
    return bool(_TARGET_VERBS.search(clause))


def deadlines(text: str, year: int | None = None) -> list[Deadline]:
    """Every date phrase in ``text``: "2018年10月底前", "2019年6月", "2020年年底前", "2018年7月1日起",
    "2017年11月1日至" (the start of a period), "2020年，…" and "2020年全面完成…" (by the year's end),
    "每年9月底前", "按季度", "长期坚持"; a month without a year ("10月底前", "10月31前"), "年底前" and
    "上半年" take ``year`` (the plan's), and are skipped without one."""
    out = []
    for m in _DATE_PHRASES.finditer(text):
        phrase = m.group(0).strip()
        if m.group("yearly"):
            out.append(Deadline("yearly", phrase, month=int(m.group("ym"))))
        elif m.group("year"):
            y = int(m.group("year"))
            if not 1990 <= y <= 2100:
                continue
            kind = "from" if m.group("suffix") in ("起", "开始", "至") else "date"
            if m.group("end"):
                due = Period.of_year(y).end
            elif m.group("month"):
                month = int(m.group("month"))
                if not 1 <= month <= 12:
                    continue
                day = m.group("day")
                due = dt.date(y, month, int(day)) if day and int(day) <= month_end(y, month).day else (
                    dt.date(y, month, 1) if kind == "from" else month_end(y, month))
            else:
                if kind == "date" and not m.group("suffix") and m.group("yearverb") is None \
                        and not _year_as_time(text, m.start(), m.end()):
                    continue  # a bare year ("2020年PM10...") is not a deadline; "2020年，…" / "2020年完成…" is
                due = Period.of_year(y).end if kind == "date" else Period.of_year(y).start
            out.append(Deadline(kind, phrase, due))
        elif m.group("bare") and year is not None:
            month = int(m.group("bm"))
            if not 1 <= month <= 12:
                continue
            kind = "from" if m.group("bsuffix") == "起" else "date"
            day = m.group("bd")
            due = dt.date(year, month, int(day)) if day and int(day) <= month_end(year, month).day else (
                dt.date(year, month, 1) if kind == "from" else month_end(year, month))
            out.append(Deadline(kind, phrase, due))
        elif m.group("yearend") and year is not None:
            out.append(Deadline("date", phrase, Period.of_year(year).end))
        elif m.group("half") and year is not None:
            out.append(Deadline("date", phrase, month_end(year, 6) if phrase == "上半年" else Period.of_year(year).end))
        elif m.group("quarterly"):
            out.append(Deadline("quarterly", phrase))
        elif m.group("monthly"):
            out.append(Deadline("monthly", phrase))
        elif m.group("ongoing"):
            out.append(Deadline("ongoing", phrase))
    return out


# -- quantities --------------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"(?:(?:达到|不低于|不高于|低于|高于|控制在|提高到|降低到|下降|削减|减少|超过|不超过|完成|新增|建成)\s*)?"
    r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|微克/立方米|毫克/立方米|mg/m3|万千瓦时|千瓦时|亿千瓦时|万吨|吨|t/h|蒸吨|KW|kW|千瓦|"
    r"万千瓦|平方米|万平方米|公里|千米|辆|台|家|座|个|项|天|小时|次)"
    r"(?:\s*(?:以上|以下|及以上|及以下|左右|以内))?")


def quantities(text: str) -> list[str]:
    """Quantitative requirements in a text, as written (numbers with their unit and comparison;
    years, dates and numbering are not quantities)."""
    out = []
    for m in _QUANTITY.finditer(text):
        found = m.group(0).strip()
        if found not in out:
            out.append(found)
    return out


# -- units -------------------------------------------------------------------------------------

def split_units(text: str) -> list[str]:
    """Unit names from a role line (:func:`gongjian.analytics.plannotes.split_names`: 、，；
    separate names, a level prefix or a group qualifier carries, bracketed notes are dropped, "各…"
    groups kept whole)."""
    return split_names(text)[0]


# -- the ledger --------------------------------------------------------------------------------

@dataclass
class Task:
    """A proposed task: where it stands in the plan, its text, units by role, deadlines, and what the
    reader was unsure of."""

    plan: str
    path: tuple[str, ...]
    number: str
    text: str
    line: int
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    by_duty: bool = False  # "按职责分工负责": every member unit answers for its part
    default_applied: bool = False
    problems: list[Flag] = field(default_factory=list)  # what makes its units or structure uncertain
    notes: list[Flag] = field(default_factory=list)  # informational: no deadline, a deadline not read

    @property
    def units_known(self) -> bool:
        return bool(self.lead or self.responsible)

    @property
    def quantities(self) -> list[str]:
        """The quantitative requirements written in the task: "达到87%以上", "35t/h及以下", "不高于56微克/立方米"."""
        return quantities(self.text)


@dataclass
class Indicator:
    """A proposed indicator: name and unit, baseline and target as written (a target may be a
    number with its comparison, or words such as 达到省定目标), binding or expected."""

    group: str
    name: str
    baseline: str
    target: str
    kind: str  # "binding" or "expected" (or "" when the table does not say)
    line: int
    unit: str = ""
    external: bool = False  # the target is an external reference ("达到省定目标")
    cumulative: bool = False  # "[10]": a five-year cumulative figure
    baseline_year: int | None = None  # from the table's header
    target_year: int | None = None
    targets: dict[int, str] = field(default_factory=dict)  # per year, where the table gives several
    problems: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str = ""
    number: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    year: int | None = None
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    conflicts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # figure -> [(value, line)]
    ocr_fixes: int = 0
    problems: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # paragraphs of the action sections not taken
    narrative: bool = False  # no task list and no unit named anywhere: its measures proposed from prose


@dataclass(frozen=True)
class LeftOut:
    """A paragraph of an action section that is not a task, with the reason (a :class:`Flag` code:
    ``heads_subitems``, ``no_units``, ``after_units``, ``roles_without_task``, ``not_measures`` - a
    paragraph of a narrative plan's review, aims, investment or safeguards chapter), so that nothing is
    dropped without a word."""

    line: int
    text: str
    reason: str


def cell_rows(lines: list[str], start: int = 0) -> list[tuple[int, list[str]]]:
    """Rows of a table flattened to one cell per line (a cell starts with a tab; a line without one
    continues the cell before it; a blank line ends the row unless the next line continues a cell):
    ``(line number, cells)`` from ``start`` until the table ends (a line that is not part of a cell)."""
    rows, cells, first = [], [], None
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            if first is None:
                first = i
            cells.append(line[1:].strip())
        elif not line.strip():
            following = next((x for x in lines[i + 1:i + 4] if x.strip()), None)
            if cells and following is not None and _continues(following):
                pass  # a wrapped cell goes on after the blank line
            elif cells:
                rows.append((first + 1, cells))
                cells, first = [], None
        elif cells and _continues(line):
            cells[-1] += line.strip()
        else:
            break
        i += 1
    if cells:
        rows.append((first + 1, cells))
    return rows


def _continues(line: str) -> bool:
    """Whether a line without a tab is the rest of a wrapped cell (short, not indented body text,
    not a note or a heading) rather than the text after the table."""
    s = line.strip()
    return (not line.startswith((" ", "\t")) and len(s) <= 25 and not s.startswith(("注", "备注", "附件"))
            and not (_LEVEL1.match(s) or _ITEM.match(s)))


def parse_plan(text: str) -> ParsedPlan:
    """The plan's title, number, issuer and date, its tasks (outline or task table) and indicators;
    each task flagged where its units or structure are uncertain, and the paragraphs of the action
    sections that are no task listed with the reason."""
    text, fixes = normalise(text)
    lines = text.split("\n")
    plan = ParsedPlan(ocr_fixes=fixes)
    if fixes:
        plan.problems.append(f"{fixes} spaces inside words closed up (OCR)")
    _head(plan, lines)
    outline = _Outline(plan)
    outline.read(_join_split_titles(lines))
    _table_tasks(plan, lines)
    if not plan.tasks and not outline.roles_anywhere:
        outline.narrative()
    _indicators(plan, lines)
    plan.conflicts = _conflicts(lines)
    for task in plan.tasks:
        if not task.units_known and not task.by_duty and not any(f.code in ("empty_cell", "prose_task") for f in task.problems):
            task.problems.append(Flag("no_units"))
        if not task.deadlines:
            task.notes.append(Flag("no_deadline"))
    return plan


def _head(plan: ParsedPlan, lines: list[str]) -> None:
    """Number, title, issuer and date from the head of the document: the number on a line of its
    own, the title "关于…的通知" (or the plan's own title), the issuer on the line above the title
    (without 文件), the first full date written in Chinese - else the date it was printed ("…2017年2月13日
    印发" closing the document), else a web page's publication date ("2020-04-20"); the plan's year
    from its number, date or title."""
    head = [(i, line.strip()) for i, line in enumerate(lines[:60]) if line.strip()]
    web_date = None
    for position, (_i, s) in enumerate(head):
        if not plan.number and len(s) < 30 and (found := _DOC_NUMBER.search(s)):
            plan.number = found.group(0)
        if not plan.title and s.startswith("关于") and "通知" not in s and position + 1 < len(head) and \
                head[position + 1][1].endswith("通知") and len(s) < 60:
            s = s + head[position + 1][1]
        if not plan.title and s.startswith("关于") and "通知" in s and len(s) < 90:
            plan.title = s
            above = [t for _j, t in head[max(0, position - 2):position] if not _DOC_NUMBER.search(t)]
            if above and len(above[-1]) < 40:
                plan.issuer = re.sub(r"文件$", "", above[-1]).strip()
        if not plan.issued and (found := re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", s)):
            plan.issued = dt.date(*map(int, found.groups()))
        if not web_date and (found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)):
            web_date = dt.date(*map(int, found.groups()))  # a web page's publication date: the last resort
    if not plan.issued:
        printed = [found for line in lines[-12:] if (found := _PRINTED.search(line.strip()))]
        plan.issued = dt.date(*map(int, printed[-1].groups())) if printed else web_date
    if not plan.title:
        plan.title = next((s for _i, s in head if _TITLE.match(s)), "")
    number_year = re.search(r"[〔\[［(（](\d{4})", plan.number)
    title_years = [int(y) for y in re.findall(r"(20\d\d)年", plan.title)]
    plan.year = (int(number_year.group(1)) if number_year else plan.issued.year if plan.issued
                 else title_years[-1] if title_years else None)


_ROLE_LINE = re.compile(r"^\[?(" + "|".join(sorted((*ROLE_HEADINGS, *DEADLINE_HEADINGS), key=len, reverse=True))
                        + r")\s*[:：]\s*(.*)$")
_DEFAULT = re.compile(r"[\[［【(（]以下(.+?)均为(责任|配合|牵头)单位[,，、]?不再列出[\]］】)）]")
_SENTENCE_END = "。；;！？!?：:”」"
_INNER_NOTE = re.compile(r"[（(]([^（）()]*(?:牵头|负责|参与|配合|责任单位)[^（）()]*)[)）]")
_TASK_SECTIONS = ("任务", "重点工作", "主要工作", "工作措施", "常规工作")
#: Chapters of a narrative plan that hold no measures: the review, the situation and aims, the
#: investment and benefits, the safeguards.
_NOT_MEASURES = re.compile(r"完成情况|回顾|总体要求|形势|指导思想|原则|目标|保障|效益|投资|组织实施|附件")


class _Outline:
    """The numbered outline (一、 / （一） / 1. / （1）) read line by line into tasks.

    A task is a numbered item (or sub-item) with the paragraphs that follow it until its units are
    given - by role lines or by a note closing a paragraph. A paragraph after the units with units of
    its own is a second task of the same item ("9-2"): two measures, each with its own units, are
    never merged. A long "（三）深化燃煤污染治理。……" followed by numbered items is a section. Every
    other paragraph of an action section (a section of tasks) is left out with its reason."""

    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        self.part, self.level1, self.level2 = plan.title, "", ""
        self.default: dict[str, list[str]] = {}
        self.task: Task | None = None
        self.parent: Task | None = None  # the numbered item sub-items belong to
        self.given = False  # the current task's units have been given (role lines or a note)
        self.roles_seen: set[str] = set()
        self.section_tasks = 0
        self.candidates: list[LeftOut] = []  # the level-1 section's paragraphs not taken so far
        self.heading: LeftOut | None = None  # a long "（一）…" without units, until an item follows
        self.paragraphs: list[Task] = []  # the level-1 section's plain paragraphs outside any task
        self.pending: list[Task] = []  # sub-items without units, until their item's role lines come
        self.prose: list[tuple[str, list[Task], list[LeftOut]]] = []  # sections with no task: heading, those
        self.roles_anywhere = False  # a role line or a note giving units seen anywhere in the document

    # -- reading -----------------------------------------------------------------------------

    def read(self, lines: list[str]) -> None:
        in_table, number = False, 0
        while number < len(lines):
            raw, first = lines[number], number + 1
            number += 1
            if raw.startswith("\t"):
                in_table = True
                continue
            s = raw.strip()
            if not s or (in_table and not raw.startswith(" ") and len(s) < 30):
                continue
            in_table = False
            if _ROLE_LINE.match(s):
                number, s = _wrapped_role_line(lines, number)
            self.line(first, s)
        self.close()
        self.end_section()

    def line(self, number: int, s: str) -> None:
        if s.startswith("抄送") or (s.endswith("印发") and len(s) < 60):  # the document's tail
            self.close()
            self.end_section()
        elif _TITLE.match(s) and len(s) <= 40:
            self.close()
            self.end_section()
            self.part, self.level1, self.level2, self.default, self.parent = s, "", "", {}, None
            if not self.plan.title:
                self.plan.title = s
        elif _LEVEL1.match(s):
            self.close()
            self.end_section()
            self.level1, self.level2, self.parent = s, "", None
        elif m := _LEVEL2.match(s):
            self.close()
            self.flush_pending()
            self.flush_heading()
            heading = _heading_of(s)
            self.level2, self.parent = heading, None
            if len(s) >= 60 or len(heading) < len(s) - 1:  # "（一）…。…": a task with units of its own, or a heading
                self.start(Task(plan=self.part, path=self.path(), number=f"({m.group(1)})", text=m.group(2),
                                line=number))
        elif m := _ROLE_LINE.match(s):
            self.role(number, m.group(1), m.group(2), s)
        elif m := _ITEM.match(s):
            self.close()
            self.flush_pending()
            self.heading = None  # the long "（一）…" before it was a section heading
            task = Task(plan=self.part, path=self.path(), number=m.group(1), text=m.group(2), line=number)
            self.start(task)
            self.parent = task
        elif (m := _SUBITEM.match(s)) and self.parent is not None:
            self.subitem(number, m.group(1), m.group(2))
        else:
            self.body(number, s)

    def path(self) -> tuple[str, ...]:
        return tuple(p for p in (self.level1, self.level2) if p)

    def start(self, task: Task) -> None:
        self.task, self.given, self.roles_seen = task, False, set()
        self.note(task.text)

    def subitem(self, number: int, sub: str, text: str) -> None:
        parent = self.parent
        if self.task is parent and not self.given:
            self.candidates.append(LeftOut(parent.line, parent.text, "heads_subitems"))
            self.task = None  # the numbered item heads its sub-items: they are the tasks
        else:
            self.close()
        self.start(Task(plan=self.part, path=(*parent.path, f"{parent.number}. {parent.text[:30]}"),
                        number=f"{parent.number}({sub})", text=text, line=number))

    def body(self, number: int, s: str) -> None:
        task = self.task
        if task is None:
            found = closing_note(s)
            self.roles_anywhere = self.roles_anywhere or bool(found and read_note(found[1]) is not None)
            self.candidates.append(LeftOut(number, s, "no_units"))
            self.paragraphs.append(Task(plan=self.part, path=self.path(), number="", text=s, line=number))
        elif not self.given:
            joiner = "" if task.text and task.text[-1] not in _SENTENCE_END else "\n"
            task.text += joiner + s
            self.note(task.text)
        else:  # a paragraph after the task's units: a measure of its own if it names its own units
            self.close()
            base = task.number.split("-")[0]
            count = int(task.number.split("-")[1]) + 1 if "-" in task.number else 2
            self.start(Task(plan=task.plan, path=task.path, number=f"{base}-{count}", text=s, line=number))

    def note(self, text: str) -> None:
        """Units from a note closing the task's text so far."""
        found = closing_note(text)
        reading = read_note(found[1]) if found else None
        if reading is not None:
            self.apply(self.task, reading)
            self.given = self.roles_anywhere = True

    def role(self, number: int, heading: str, names_text: str, s: str) -> None:
        declared = _DEFAULT.search(s)
        if declared:
            names_text = _DEFAULT.sub("", names_text)
            self.default[ROLE_HEADINGS.get(declared.group(2) + "单位", "responsible")] = split_units(declared.group(1))
        task = self.task
        self.roles_anywhere = self.roles_anywhere or heading not in DEADLINE_HEADINGS
        if task is None:
            self.candidates.append(LeftOut(number, s, "roles_without_task"))
            return
        if heading in DEADLINE_HEADINGS:
            found = [Deadline("ongoing", "全年")] if names_text.strip() == "全年" else deadlines(names_text, self.plan.year)
            task.deadlines += found
            if not found:
                task.notes.append(Flag("deadline_unread", names_text))
            return
        if heading in self.roles_seen and self.given:
            task.problems.append(Flag("merged", heading))
        self.roles_seen.add(heading)
        self.apply(task, read_role_text(names_text, ROLE_HEADINGS[heading]))
        self.given = self.roles_anywhere = True

    @staticmethod
    def apply(task: Task, reading: Reading) -> None:
        for role in ("lead", "responsible", "cooperating"):
            getattr(task, role).extend(n for n in getattr(reading, role) if n not in getattr(task, role))
        task.by_duty = task.by_duty or reading.by_duty
        task.problems += reading.flags

    # -- closing -----------------------------------------------------------------------------

    def flush_heading(self) -> None:
        """A long "（一）…" without units that no numbered item followed: a paragraph left out."""
        if self.heading is not None:
            self.candidates.append(self.heading)
            self.heading = None

    def close(self) -> None:
        """The current task done: kept, left out - or, a sub-item without units yet, kept waiting for the
        role lines that close its item ("（1）…（2）…（3）…（4）…" then "牵头单位：…": the item's units, so
        every sub-item's)."""
        task, self.task = self.task, None
        if task is None:
            return
        parent = self.parent
        sub = parent is not None and task is not parent and task.number.startswith(f"{parent.number}(")
        if sub and not (task.units_known or task.by_duty):
            self.pending.append(task)
            return
        if sub and self.pending and self.roles_seen:
            for waiting in self.pending:
                for role in ("lead", "responsible", "cooperating"):
                    getattr(waiting, role).extend(getattr(task, role))
                waiting.by_duty = task.by_duty
                self.finish(waiting)
            self.pending = []
        self.flush_pending()
        self.finish(task)

    def flush_pending(self) -> None:
        """Sub-items that no role lines of their item followed: taken or left out on their own."""
        pending, self.pending = self.pending, []
        for task in pending:
            self.finish(task)

    def finish(self, task: Task) -> None:
        if "按职责分工负责" in task.text:
            task.by_duty = True
        closing = closing_note(task.text)
        for inner in _INNER_NOTE.findall(closing[0] if closing else task.text):
            if read_note(inner) is not None:  # roles given inside the text too: two measures in one?
                task.problems.append(Flag("inner_note", inner))
        numbered = not task.number.startswith("(") and "-" not in task.number
        if not (task.units_known or task.by_duty or (numbered and _is_task_section(self.level1))):
            left = LeftOut(task.line, task.text, "after_units" if "-" in task.number else "no_units")
            if task.number.startswith("(") and "-" not in task.number:
                self.heading = left  # a section heading if numbered items follow, else left out
            else:
                self.candidates.append(left)
            return
        for role, names in self.default.items():  # "以下…均为责任单位": theirs too, beside the task's own
            have = {_group_key(n) for n in getattr(task, role)}
            missing = [n for n in names if _group_key(n) not in have]  # "各县〔市、区〕政府" is 各县(市)区政府
            if missing:
                getattr(task, role).extend(missing)
                task.default_applied = True
        task.deadlines = task.deadlines or deadlines(task.text, self.plan.year)
        self.plan.tasks.append(task)
        self.section_tasks += 1

    def end_section(self) -> None:
        """The paragraphs not taken of a section that is an action section (one of tasks) listed; where
        an action section has no numbered task at all ("五、常规工作" and one paragraph), its paragraphs
        are its tasks, proposed and flagged."""
        self.flush_pending()
        self.flush_heading()
        if not self.section_tasks and self.paragraphs and _is_task_section(self.level1):
            self.propose_prose(self.paragraphs, self.candidates)
        elif self.section_tasks or _is_task_section(self.level1):
            self.plan.left_out += self.candidates
        elif self.candidates and self.level1:  # kept in case the plan turns out to be narrative
            self.prose.append((self.level1, self.paragraphs, self.candidates))
        self.candidates, self.section_tasks, self.paragraphs = [], 0, []

    def propose_prose(self, paragraphs: list[Task], candidates: list[LeftOut]) -> None:
        """Paragraphs without number or units proposed as tasks, each flagged ``prose_task`` (its units are
        the reviewer's to give, bar a standing clause's); the section's other paragraphs stay left out."""
        taken = {p.line for p in paragraphs}
        self.plan.left_out += [c for c in candidates if c.line not in taken]
        count: dict[tuple[str, ...], int] = {}
        for task in paragraphs:
            count[task.path] = count.get(task.path, 0) + 1
            numbers = [m.group(1) for part in task.path if (m := _LEVEL1.match(part) or _LEVEL2.match(part))]
            task.number = "".join(n if i == 0 else f"({n})" for i, n in enumerate(numbers)) + f"·{count[task.path]}"
            task.problems.append(Flag("prose_task"))
            for role, names in self.default.items():
                if names:
                    getattr(task, role).extend(n for n in names if n not in getattr(task, role))
                    task.default_applied = True
            task.deadlines = deadlines(task.text, self.plan.year)
            self.plan.tasks.append(task)

    def narrative(self) -> None:
        """A plan that names no unit anywhere and has no task list (a narrative plan, "十三五…规划"): the
        paragraphs of its chapters of measures are proposed as tasks, flagged; the chapters that review,
        set the aims, list the investment or the safeguards are no tasks (their paragraphs left out)."""
        self.plan.narrative = True
        for heading, paragraphs, candidates in self.prose:
            if _NOT_MEASURES.search(heading):
                self.plan.left_out += [LeftOut(c.line, c.text, "not_measures") for c in candidates]
            else:
                self.default = {}
                self.propose_prose(paragraphs, candidates)
        self.plan.tasks.sort(key=lambda task: task.line)


def _wrapped_role_line(lines: list[str], number: int) -> tuple[int, str]:
    """A role line and the pieces it wraps onto ("省发展改革委（省" / "能源局)、省环保厅"; "省住房城乡建设" /
    "厅、省环保厅"): the index after its last piece and the line joined (a break inside a name is no
    break). A following line is a piece when the line so far leaves a bracket open or ends with a
    separator, or when it is short and no sentence, heading, item or role line of its own."""
    pieces = [lines[number - 1].strip()]
    while True:
        following = next((j for j in range(number, min(number + 3, len(lines))) if lines[j].strip()), None)
        if following is None or lines[following].startswith("\t"):
            break
        nxt, text = lines[following].strip(), "".join(pieces)
        if _ROLE_LINE.match(nxt) or _structural(nxt):
            break
        unbalanced = sum(text.count(c) for c in "（(〔") > sum(text.count(c) for c in "）)〕")
        last = re.split(r"[、，,；;:：]", text)[-1]
        mid_name = (len(last) < 3 or not last.endswith(UNIT_ENDINGS)) and len(nxt) <= 20 and "。" not in nxt
        if not (unbalanced or text.endswith(("、", "，", ",")) or mid_name):
            break
        pieces.append(nxt)
        number = following + 1
    return number, join_broken(pieces)


def _structural(s: str) -> bool:
    """A line that starts something of its own: a heading or a numbered item."""
    return bool(_LEVEL1.match(s) or _LEVEL2.match(s) or _ITEM.match(s) or _SUBITEM.match(s) or _TITLE.match(s))


def _heading_of(paragraph: str) -> str:
    """The heading of a "（三）深化燃煤污染治理。通过……" paragraph: its first sentence (a short heading
    is all of it)."""
    return paragraph.split("。")[0] if len(paragraph) >= 60 or "。" in paragraph.rstrip("。") else paragraph


def _join_split_titles(lines: list[str]) -> list[str]:
    """A plan title broken over two lines ("…攻坚战" / "实施方案") made one again; line numbers kept."""
    out = list(lines)
    for i, line in enumerate(out):
        if line.strip() in ("实施方案", "行动计划", "工作方案") and i:
            previous = next((j for j in range(i - 1, max(i - 4, -1), -1) if out[j].strip()), None)
            if previous is not None and len(out[previous].strip()) < 40:
                out[previous] = out[previous].rstrip() + line.strip()
                out[i] = ""
    return out


def _group_key(name: str) -> str:
    """A name with brackets, 、 and 人民 dropped: one group however it is written ("各县〔市、区〕政府",
    "各县(市)区人民政府")."""
    return re.sub(r"[（）()〔〕\[\]、\s]|人民", "", name)


def _is_task_section(heading: str) -> bool:
    return any(word in heading for word in _TASK_SECTIONS)


def _table_tasks(plan: ParsedPlan, lines: list[str]) -> None:
    """A task table: rows of 7 cells whose fourth is a task number (main task, number, item, task
    number, requirement, lead, responsible); empty leading cells carry the row above's values."""
    for start, line in enumerate(lines):
        if not (line.startswith("\t") and "牵头单位" in line):
            continue
        top = start
        while top > 0 and (lines[top - 1].startswith("\t") or not lines[top - 1].strip()):
            top -= 1
        above = []
        for j in range(top - 1, max(top - 6, -1), -1):
            if lines[j].startswith("\t") or (not lines[j].strip() and above):
                break
            if lines[j].strip():
                above.insert(0, lines[j].strip())
        caption = "".join(above) or plan.title
        main = item = ""
        for row_line, cells in cell_rows(lines, top):
            if len(cells) < 7 or not cells[3].isdigit():
                if len(cells) == 1 and _LEVEL1.match(cells[0]):
                    main = cells[0]
                continue
            main, item = cells[0] or main, cells[2] or item
            text = cells[4]
            task = Task(plan=caption, path=(main, item), number=cells[3], text=text, line=row_line,
                        lead=split_units(cells[5]), responsible=split_units(cells[6]),
                        deadlines=deadlines(text, plan.year))
            if not task.responsible:
                task.problems.append(Flag("empty_cell", "责任单位"))
            plan.tasks.append(task)
        return


_TARGET = re.compile(r"^(?P<cmp>[≥≤><]|不低于|不高于)?\s*(?P<value>-?\d+(?:\.\d+)?)\s*(?P<about>左右)?")


def _indicators(plan: ParsedPlan, lines: list[str]) -> None:
    """An indicator table: a header row naming a baseline year, a target year and 属性."""
    for start, line in enumerate(lines):
        if line.strip() != "属性" or not line.startswith("\t"):
            continue
        header = [x.strip() for x in lines[max(0, start - 10):start + 1] if x.startswith("\t")]
        years = [int(h[:4]) for h in header if re.fullmatch(r"\d{4}年", h)]
        group = ""
        for row_line, cells in cell_rows(lines, start + 2):
            if len(cells) == 1:
                group = cells[0]
                continue
            if len(cells) < 2 + max(2, len(years)):
                continue
            kind_text = cells[-1]
            if kind_text not in ("约束性", "预期性"):
                continue
            width = max(2, len(years))  # the baseline and one target per year column
            values = cells[-1 - width:-1]
            name, baseline, target = cells[-2 - width], values[0], values[-1]
            if len(cells) >= width + 3 and cells[-3 - width]:
                group = cells[-3 - width]
            unit = ""
            if found := re.search(r"[（(]([^（）()]*(?:%|米|吨|天|公顷|立方米)[^（）()]*)[)）]\s*$", name):
                unit = found.group(1)
            indicator = Indicator(group=group, name=name, baseline=baseline.strip(), target=target.strip(),
                                  kind="binding" if kind_text == "约束性" else "expected", line=row_line, unit=unit,
                                  external="省定" in target or "国家" in target,
                                  cumulative=target.startswith("["),
                                  baseline_year=years[0] if years else None,
                                  target_year=years[-1] if len(years) > 1 else None,
                                  targets=dict(zip(years[1:], (v.strip() for v in values[1:]), strict=False)))
            if not indicator.external and not _TARGET.match(target.strip("[]")) and target not in ("消除", "保持稳定"):
                indicator.problems.append(f"target {target!r} is neither a number nor a known phrase")
            plan.indicators.append(indicator)
        return


_FIGURE = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:率|比例|比率))(?:达到|提高到|提高至|不低于|保持在|为)?\s*"
                     r"(\d+(?:\.\d+)?)\s*[%％]")


def _conflicts(lines: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Figures named the same with different values in one plan (e.g. a heating rate of 75 % in
    the body and 87 % in the table): all of them, with their lines, for a person to decide."""
    seen: dict[str, list[tuple[str, int]]] = {}
    for number, line in enumerate(lines, start=1):
        for name, value in _FIGURE.findall(line):
            seen.setdefault(name, []).append((value, number))
    return {name: found for name, found in seen.items() if len({v for v, _n in found}) > 1}
