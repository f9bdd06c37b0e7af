"""Reading a campaign plan's text into a proposed ledger: tasks with their units and deadlines,
indicators with baselines and targets. Pure: text in, proposals out; a person reviews them.

The plans come in a few shapes, all handled here:

* an outline (一、 / （一） / 1. / （1）) whose numbered tasks end with role lines - "牵头单位：…",
  "责任单位：…", "配合单位：…", the provincial "牵头督促指导单位：…" and "完成时限：…" - and where a
  default may be declared once ("[以下…均为责任单位，不再列出]") or an inline note gives the roles
  ("（X牵头，Y参与，各县〔市、区〕政府负责落实）");
* a task table flattened to one cell per line, as text extracted from Word gives it (a cell starts
  with a tab, rows are separated by a blank line, a cell may wrap): main task, number, item, task
  number, requirement, lead unit, responsible units;
* an indicator table in the same shape: indicator, baseline, target, binding (约束性) or expected
  (预期性).

OCR faults are tolerated and reported: spaces inside words are closed up, full-width and half-width
punctuation unified. Nothing is dropped silently: every task whose units or deadline could not be
read carries a problem, every figure that appears with different values in one plan is listed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gongjian.periods import Period, month_end

__all__ = ["Deadline", "Indicator", "ParsedPlan", "Task", "cell_rows", "deadlines", "normalise", "parse_plan",
           "quantities",
           "split_units"]

_CJK = r"\u3400-\u9fff\uff08\uff09\u3001\uff0c\u3002\uff1b\uff1a\u201c\u201d"
_SPACE_IN_WORD = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")
_NUMERALS = "一二三四五六七八九十"
_LEVEL1 = re.compile(rf"^([{_NUMERALS}]+)、\s*(.+)$")
_LEVEL2 = re.compile(rf"^[（(]([{_NUMERALS}]+)[)）]\s*(.+)$")
_ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.+)$")
_SUBITEM = re.compile(r"^[（(](\d{1,2})[)）]\s*(.+)$")
_ROLE = re.compile(r"^\[?(牵头督促指导(?:单位|部门)|牵头单位|责任单位|配合单位|协助单位|参与单位|督导单位|完成时限)\s*[:：]\s*(.*)$")
_DEFAULT = re.compile(r"[\[［【(（]以下(.+?)均为(责任|配合|牵头)单位[,，、]?不再列出[\]］】)）]")
_INLINE = re.compile(r"[（(]([^（）()]*?牵头[^（）()]*?)[)）]\s*[。；;]?\s*$")  # 〔〕 may nest inside
_TITLE = re.compile(r"^[\u4e00-\u9fff\d（）()〔〕—\-]{4,50}(实施方案|行动计划|实施意见|工作方案)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
ROLE_OF = {"牵头单位": "lead", "牵头督促指导单位": "lead", "牵头督促指导部门": "lead", "督导单位": "lead",
           "责任单位": "responsible", "配合单位": "cooperating", "协助单位": "cooperating", "参与单位": "cooperating"}


def normalise(text: str) -> tuple[str, int]:
    """The text with OCR spaces inside Chinese words closed up and punctuation unified; and how many
    spaces were removed (reported to the reviewer)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    r"|(?P<year>\d{4})\s*年\s*(?:(?P<end>年?底|年末)|(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?(?P<mend>底|末|份)?)"
    r"\s*(?P<suffix>前|之前|起|以前|开始)?"
    r"|(?P<bare>(?<![\d年])(?P<bm>\d{1,2})月(?:(?P<bd>\d{1,2})日)?(?P<bmend>底|末)?(?P<bsuffix>前|之前|起))"
    r"|(?P<yearend>(?<![\d年])(?:年底前|年底|年内|年末前))"
    r"|(?P<quarterly>按季度|每季度)|(?P<monthly>按月|每月)|(?P<ongoing>长期坚持|长期推进|持续推进|常态化)")


def deadlines(text: str, year: int | None = None) -> list[Deadline]:
    """Every date phrase in ``text``: "2018年10月底前", "2019年6月", "2020年年底前", "2018年7月1日起",
    "每年9月底前", "按季度", "长期坚持"; a month without a year ("10月底前") or "年底前" takes ``year``
    (the plan's), and is skipped without one."""
    out = []
    for m in _DATE_PHRASES.finditer(text):
        phrase = m.group(0).strip()
        if m.group("yearly"):
            out.append(Deadline("yearly", phrase, month=int(m.group("ym"))))
        elif m.group("year"):
            y = int(m.group("year"))
            if not 1990 <= y <= 2100:
                continue
            kind = "from" if m.group("suffix") in ("起", "开始") else "date"
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
                if kind == "date" and not m.group("suffix"):
                    continue  # a bare year ("2020年PM10...") is not a deadline
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

_LEVEL_PREFIX = re.compile(r"^(省|市|区|县)(?=[\u4e00-\u9fff]{2})")
_BODY_SUFFIXES = ("局", "办", "委", "厅", "室", "中心", "大队", "支队")


def split_units(text: str) -> list[str]:
    """Unit names from a role line: split at 、，,；; a level prefix carried over ("区工信办、环保局" is
    区工信办 and 区环保局); notes in brackets dropped; "各…" groups kept whole."""
    text = re.sub(r"[\[［【][^\]］】]*[\]］】]", "", text).strip().rstrip("。；;")
    parts = [p.strip() for p in _split_outside_brackets(text) if p.strip()]
    out, prefix = [], ""
    for part in parts:
        found = _LEVEL_PREFIX.match(part)
        if found:
            prefix = found.group(1)
        elif prefix and part.endswith(_BODY_SUFFIXES) and not part.startswith(("各", "有关", "相关", "全")):
            part = prefix + part
        out.append(part)
    return out


def _split_outside_brackets(text: str) -> list[str]:
    """Split at 、，,；; except inside brackets ("各县〔市、区〕政府" stays one name)."""
    parts, current, depth = [], [], 0
    for char in text:
        if char in "（(〔":
            depth += 1
        elif char in "）)〕":
            depth = max(0, depth - 1)
        if char in "、，,；;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _inline_roles(text: str) -> dict[str, list[str]]:
    """Roles from a note closing a task: "（X牵头，Y参与，各县〔市、区〕政府负责落实）"."""
    found = _INLINE.search(text)
    if not found:
        return {}
    roles: dict[str, list[str]] = {}
    for clause in _split_outside_brackets(found.group(1)):
        clause = clause.strip()
        for suffix, role in (("牵头", "lead"), ("参与", "cooperating"), ("配合", "cooperating"),
                             ("负责落实", "responsible"), ("负责", "responsible")):
            if clause.endswith(suffix) and len(clause) > len(suffix):
                roles.setdefault(role, []).extend(split_units(clause[:-len(suffix)]))
                break
    return roles


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
    problems: list[str] = field(default_factory=list)

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
    """The plan's title, number, issuer and date, its tasks (outline or task table) and indicators."""
    text, fixes = normalise(text)
    lines = text.split("\n")
    plan = ParsedPlan(ocr_fixes=fixes)
    if fixes:
        plan.problems.append(f"{fixes} spaces inside words closed up (OCR)")
    _head(plan, lines)
    _outline_tasks(plan, lines)
    _table_tasks(plan, lines)
    _indicators(plan, lines)
    plan.conflicts = _conflicts(lines)
    for task in plan.tasks:
        if not task.units_known:
            task.problems.append("no lead or responsible unit found")
        if not task.deadlines:
            task.problems.append("no deadline found")
    return plan


def _head(plan: ParsedPlan, lines: list[str]) -> None:
    """Number, title, issuer and date from the head of the document: the number on a line of its
    own, the title "关于…的通知" (or the plan's own title), the issuer on the line above the title
    (without 文件), the first full date; the plan's year from its number, date or title."""
    head = [(i, line.strip()) for i, line in enumerate(lines[:60]) if line.strip()]
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
        if not plan.issued and (found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)):
            plan.issued = dt.date(*map(int, found.groups()))
    if not plan.title:
        plan.title = next((s for _i, s in head if _TITLE.match(s)), "")
    number_year = re.search(r"[〔\[［(（](\d{4})", plan.number)
    title_years = [int(y) for y in re.findall(r"(20\d\d)年", plan.title)]
    plan.year = (int(number_year.group(1)) if number_year else plan.issued.year if plan.issued
                 else title_years[-1] if title_years else None)


def _outline_tasks(plan: ParsedPlan, lines: list[str]) -> None:
    section = plan.title
    level1 = level2 = ""
    default: dict[str, list[str]] = {}
    task: Task | None = None
    parent: Task | None = None  # the numbered item sub-items belong to
    in_table = False

    def close() -> None:
        nonlocal task
        if task is None:
            return
        if not task.units_known:
            inline = _inline_roles(task.text)
            for role, names in inline.items():
                getattr(task, role).extend(names)
        if "按职责分工负责" in task.text:
            task.by_duty = True
        numbered = not task.number.startswith("(")  # a long "（一）…" counts only with its own units
        if task.units_known or task.by_duty or (numbered and _is_task_section(level1)):
            for role, names in default.items():
                if names and not getattr(task, role):
                    getattr(task, role).extend(names)
                    task.default_applied = True
            task.deadlines = task.deadlines or deadlines(task.text, plan.year)
            plan.tasks.append(task)
        task = None

    lines = _join_split_titles(lines)
    for number, raw in enumerate(lines, start=1):
        if raw.startswith("\t"):
            in_table = True
            continue
        s = raw.strip()
        if not s:
            continue
        if in_table and not raw.startswith(("\t", " ")) and len(s) < 30:
            continue
        in_table = False
        if _TITLE.match(s) and len(s) <= 40:
            close()
            section, level1, level2, default, parent = s, "", "", {}, None
            if not plan.title:
                plan.title = s
            continue
        if m := _LEVEL1.match(s):
            close()
            level1, level2, parent = s, "", None
            continue
        if m := _LEVEL2.match(s):
            close()
            if len(s) < 60:
                level2, parent = s, None
            else:  # a long "（一）…" paragraph is itself a task
                task = Task(plan=section, path=(level1,) if level1 else (), number=f"({m.group(1)})",
                            text=m.group(2), line=number)
            continue
        if m := _ROLE.match(s):
            names_text = m.group(2)
            declared = _DEFAULT.search(s)
            if declared:
                names_text = _DEFAULT.sub("", names_text)
                default[ROLE_OF.get(declared.group(2) + "单位", "responsible")] = split_units(declared.group(1))
            if task is None:
                continue
            if m.group(1) == "完成时限":
                task.deadlines += deadlines(names_text, plan.year) or []
                if not deadlines(names_text, plan.year):
                    task.problems.append(f"deadline not understood: {names_text!r}")
                continue
            getattr(task, ROLE_OF[m.group(1)]).extend(split_units(names_text))
            continue
        if m := _ITEM.match(s):
            close()
            task = parent = Task(plan=section, path=tuple(p for p in (level1, level2) if p), number=m.group(1),
                                 text=m.group(2), line=number)
            continue
        if (m := _SUBITEM.match(s)) and parent is not None:
            if task is parent and not (task.lead or task.responsible or task.cooperating):
                task = None  # the numbered item heads its sub-items: they are the tasks
            else:
                close()
            task = Task(plan=section, path=(*parent.path, f"{parent.number}. {parent.text[:30]}"),
                        number=f"{parent.number}({m.group(1)})", text=m.group(2), line=number)
            continue
        if task is not None and not task.lead and not task.responsible and not task.cooperating:
            task.text += "\n" + s
    close()


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


def _is_task_section(heading: str) -> bool:
    return any(word in heading for word in ("任务", "重点工作", "主要工作", "工作措施"))


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
                task.problems.append("the table gives no responsible unit")
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
