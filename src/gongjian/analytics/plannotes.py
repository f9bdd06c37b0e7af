"""Who does what, read from a plan's own words: the role lines under a task ("牵头单位：…") and the
note closing a measure ("（A委、B局牵头，C公司参与，各县（市、区）政府负责落实）"). Pure: text in,
units by role out, with what could not be read said as a :class:`Flag` (never guessed, never
dropped silently).

The forms are those the plans write (the Henan, Zhengzhou and Yibin seeds and the plans they cite):

* a note lists several names per role, separated by 、, the role word closing the clause (牵头,
  参与/配合/协助, 负责落实/负责/落实); clauses are separated by ，；; brackets may nest inside a name
  ("各县（市、区）政府");
* a note may instead use headings ("责任单位：…；牵头督促指导单位：…"), and a role line may carry two
  ("牵头单位：X依职责分别牵头责任单位：Y");
* "按职责推进实施" / "按职责分工负责" without names means every member unit answers for its part
  (by duty); after names ("郑州黄河河务局按职责分工推进") it is a phrase, not part of the name;
* names share affixes the way Chinese lists do: a level prefix carries forward ("区工信办、环保局"),
  so does a group qualifier ("各开发区管委会、县(市)区政府": 各县(市)区政府; "相关…", "…沿线各…"),
  and a trailing 政府 back to a bare group ("各县(市)、上街区政府": 各县(市)政府);
* a piece that is not a name (a count, a sentence, "开封7个传输通道城市政府和洛阳") is rejected and
  flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DEADLINE_HEADINGS", "ROLE_HEADINGS", "UNIT_ENDINGS", "Flag", "Reading", "closing_note", "join_broken",
           "read_note", "read_role_text", "split_names"]

#: Role headings as plans write them, and the role of the units they introduce.
ROLE_HEADINGS: dict[str, str] = {
    "牵头督促指导单位": "lead", "牵头督促指导部门": "lead", "牵头单位": "lead", "牵头部门": "lead",
    "督导单位": "lead", "责任单位": "responsible", "责任部门": "responsible", "落实单位": "responsible",
    "实施单位": "responsible", "配合单位": "cooperating", "配合部门": "cooperating", "协助单位": "cooperating",
    "参与单位": "cooperating"}
#: Headings of a deadline line.
DEADLINE_HEADINGS = ("完成时限", "完成时间", "实施时段", "实施时限", "实施期限", "时间节点")

_HEADING = re.compile("(" + "|".join(sorted((*ROLE_HEADINGS, *DEADLINE_HEADINGS), key=len, reverse=True))
                      + r")\s*[:：]")
#: "按职责…" phrases: every unit acts within its own duties.
_DUTY = r"(?:[按依](?:照)?(?:职责|职能)(?:分工)?|按照行业|各自|分别|共同)?"
#: Role words closing a clause of a note, longest first: (pattern, role).
_CLAUSE_ROLES = (
    (re.compile(rf"{_DUTY}(?:分别)?牵头(?:负责|抓总)?$"), "lead"),
    (re.compile(rf"{_DUTY}(?:参与|配合|协助|协同)(?:实施|落实|推进)?$"), "cooperating"),
    (re.compile(rf"{_DUTY}(?:具体)?(?:负责落实|负责实施|负责推进|组织实施|推进实施|推进落实|抓好落实|负责|落实|推进|实施)$"),
     "responsible"),
)
_TIME_CLAUSE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|年内|[上下]半年|长期|持续|每年|每季|每月|常态化")
_BY_DUTY = re.compile(r"[按依](?:照)?(?:职责|职能)")
#: Names that stand for "every unit concerned" rather than for one organisation: kept, and the task is
#: by duty.
_EVERYONE = re.compile(r"^(?:各)?(?:有关|相关)?(?:单位|部门|成员单位)$|^各(?:有关|相关)(?:单位|部门)$")
_LEVEL_PREFIX = re.compile(r"^(省|市|区|县)(?=[\u4e00-\u9fff]{2})")
#: "市场…" (the market regulator, the market centre) begins with 市 but carries no level prefix: in a
#: list of 市… units "市场监管局" is 市市场监管局, the writer having swallowed one 市.
_MARKET = re.compile(r"^市场(?:监督管理|监管|发展|服务)")
#: A place written bare ("新郑市") and a place's government ("中牟县政府"): a trailing 政府 is shared
#: back over the list ("新郑市、荥阳市、中牟县政府").
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,4}(?<![各省])[市县区]$")
_PLACE_GOVERNMENT = re.compile(r"^[\u4e00-\u9fff]{1,4}[市县区](?:人民)?政府$")
_BODY_SUFFIXES = ("局", "办", "委", "厅", "室", "中心", "大队", "支队")
#: A name that carries its own place ("伊滨区供电服务中心") or belongs to no level of government (a
#: vertically managed agency or an enterprise: "郑州黄河河务局", "保监会河南监管局", "郑州供电公司").
_OWN_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,3}[县区]|公司|集团|供电|河务|银行|铁路|监管局")
#: A generic group of governments or committees (no place named): "县(市)区政府", "开发区管委会".
_GENERIC_GROUP = re.compile(r"^(?:县|市|区|乡|镇|乡镇|街道|省辖市|省直管县|开发区|功能区)[()（）〔〕市县区、]*"
                            r"(?:人民)?(?:政府|管委会|管理委员会|办事处)?$")
_QUALIFIER = re.compile(r"^(.*?(?:各|相关|有关))(?=(?:县|市|区|乡|镇|开发区|功能区|省辖市|省直管))")
_OPEN, _CLOSE = "（(〔[［【", "）)〕]］】"
#: How unit names end (a bracketed note after the name aside): a name that ends otherwise is kept
#: but flagged, and a line that ends otherwise stops inside a name ("省住房城乡建设" / "厅").
UNIT_ENDINGS = ("局", "委", "厅", "办", "府", "会", "中心", "公司", "处", "队", "室", "院", "所", "站", "组", "部",
                "行", "社", "团", "区", "市", "县", "镇", "乡", "单位", "部门", "企业", "厂", "校", "馆", "署")


@dataclass(frozen=True)
class Flag:
    """Something the reader was not sure of: ``code`` names the kind (the importer words it for the
    reviewer, in Chinese), ``detail`` quotes the text concerned."""

    code: str
    detail: str = ""


@dataclass
class Reading:
    """Units by role read from a note or from role lines; ``by_duty`` when the text assigns the work
    to every unit within its duties; ``flags`` what could not be read."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    by_duty: bool = False
    flags: list[Flag] = field(default_factory=list)

    def add(self, role: str, names: list[str]) -> None:
        getattr(self, role).extend(n for n in names if n not in getattr(self, role))

    def merge(self, other: Reading) -> None:
        for role in ("lead", "responsible", "cooperating"):
            self.add(role, getattr(other, role))
        self.by_duty = self.by_duty or other.by_duty
        self.flags += other.flags

    @property
    def empty(self) -> bool:
        return not (self.lead or self.responsible or self.cooperating or self.by_duty)


def join_broken(lines: list[str]) -> str:
    """Lines of one paragraph or role line joined: a break inside a name or a sentence
    ("市发展改\\n革委") is no break at all in Chinese, so nothing is put in its place."""
    return "".join(line.strip() for line in lines)


def _split_outside(text: str, separators: str) -> list[str]:
    """Split at ``separators`` except inside brackets, nested or not ("各县（市、区）政府" is one)."""
    parts, current, depth = [], [], 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def closing_note(text: str) -> tuple[str, str] | None:
    """The paragraph's body and the inner text of the bracketed note that closes it (brackets may
    nest inside the note), or ``None`` when it does not end with one."""
    s = text.rstrip().rstrip("。；;.*").rstrip()
    if not s or s[-1] not in _CLOSE:
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSE:
            depth += 1
        elif s[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return s[:i].rstrip(), s[i + 1:-1].strip().strip("*").strip().rstrip("。；;")
    return None


def _strip_name(name: str) -> tuple[str, bool]:
    """A name without the phrases around it ("由…", "…按职责分工推进", "…负责落实"); and whether a
    by-duty phrase was among them."""
    name = re.sub(r"\s+", "", name).strip("*").rstrip("。；;.").lstrip("由")  # no name holds a space
    by_duty = False
    for pattern, _role in _CLAUSE_ROLES:
        found = pattern.search(name)
        if found and found.start() > 0:
            by_duty = by_duty or bool(_BY_DUTY.search(found.group(0)))
            name = name[:found.start()]
            break
    if (found := re.search(rf"{_DUTY}(?:分工)?$", name)) and found.start() > 0 and found.group(0):
        by_duty, name = True, name[:found.start()]
    return name.strip(), by_duty


def _fragment(name: str) -> bool:
    """Not a unit name: a count or a figure, a sentence, or far too long for a name."""
    return bool(re.search(r"\d|[个是的要将对把]|[。：:]", name)) or len(name) > 30 or len(name) < 2


def split_names(text: str) -> tuple[list[str], list[Flag], bool]:
    """Unit names from a list as plans write it (see the module's docstring for the shared affixes),
    the flags for pieces that are no name, and whether the list said "by duty"."""
    text = re.sub(r"\[[^\]]*\]|［[^］]*］|【[^】]*】", "", text).replace("**", "").strip().rstrip("。；;")
    names, flags, duty_phrase, everyone, prefix = [], [], False, False, ""
    for raw in _split_outside(text, "、，,；;"):
        name, duty = _strip_name(raw)
        duty_phrase = duty_phrase or duty
        if not name:
            continue
        everyone = everyone or bool(_EVERYONE.match(name))  # kept as written, and the work is by duty
        if _fragment(name):
            flags.append(Flag("fragment", raw.strip()))
            continue
        if not re.sub(r"[（(][^（）()]*[)）]$", "", name).endswith(UNIT_ENDINGS):
            flags.append(Flag("odd_name", name))  # kept as written: "中石油" is a name, "持续" is not
        found = _LEVEL_PREFIX.match(name) if not _MARKET.match(name) else None
        if found:
            prefix = found.group(1)
        elif prefix and name.endswith(_BODY_SUFFIXES) and not name.startswith(("各", "有关", "相关", "全")) \
                and (_MARKET.match(name) or not _OWN_PLACE.search(name)):
            name = prefix + name
        names.append(name)
    # "按职责…" after names only says how those units work; alone, or with "各有关单位", it is the rule
    return _share_affixes(names), flags, everyone or (duty_phrase and not names)


def _share_affixes(names: list[str]) -> list[str]:
    """A group qualifier carried forward to generic groups ("各开发区管委会、县(市)区政府"), and a
    trailing 政府 carried back to a bare group ("各省辖市、省直管县(市)政府") or to bare places ("新郑市、
    荥阳市、中牟县政府": 新郑市政府, 荥阳市政府, 中牟县政府)."""
    out, qualifier = [], ""
    for name in names:
        if (found := _QUALIFIER.match(name)) and _GENERIC_GROUP.match(name[len(found.group(1)):]):
            qualifier = found.group(1)
        elif qualifier and _GENERIC_GROUP.match(name) and name.endswith(("政府", "管委会")):
            name = qualifier + name
        else:
            qualifier = ""
        out.append(name)
    for i in range(len(out) - 2, -1, -1):
        if out[i].startswith("各") and _GENERIC_GROUP.match(out[i][1:]) and not out[i].endswith(
                ("政府", "管委会", "办事处")) and out[i + 1].endswith("政府"):
            out[i] += "政府"
        elif _PLACE.match(out[i]) and _PLACE_GOVERNMENT.match(out[i + 1]):
            out[i] += "人民政府" if out[i + 1].endswith("人民政府") else "政府"
    return out


def read_role_text(text: str, role: str | None = None) -> Reading:
    """Units from the text after a role heading (``role``), which may carry further headings of its
    own ("X依职责分别牵头责任单位：Y"), or from a note written with headings."""
    reading = Reading()
    pieces = _HEADING.split(text)
    segments = [(role, pieces[0])] + [(ROLE_HEADINGS.get(pieces[i]), pieces[i + 1])
                                       for i in range(1, len(pieces) - 1, 2)]
    for segment_role, segment in segments:
        segment = segment.strip().strip("；;，,。*").strip()
        if segment_role is None or not segment:
            if segment_role is not None:
                reading.flags.append(Flag("no_names", text.strip()))
            continue
        names, flags, by_duty = split_names(segment)
        reading.add(segment_role, names)
        reading.flags += flags
        reading.by_duty = reading.by_duty or by_duty
        if not names and not by_duty and not flags:
            reading.flags.append(Flag("no_names", segment))
    return reading


def read_note(note: str) -> Reading | None:
    """Units from the inner text of a closing note: clauses "A、B牵头", "C参与", "各县（市、区）政府负责
    落实", "各有关单位按职责推进实施", or headings "责任单位：…"; ``None`` when the note names no role at
    all (an explanation, an abbreviation)."""
    if _HEADING.search(note):
        return read_role_text(note)
    reading = Reading()
    for clause in _split_outside(note, "，,；;"):
        clause = clause.strip().strip("*").strip()
        if not clause or _TIME_CLAUSE.search(clause):
            continue  # "2020年底前完成", "长期坚持": the deadline, read with the task's text
        for pattern, role in _CLAUSE_ROLES:
            found = pattern.search(clause)
            if not found:
                continue
            body = clause[:found.start()]
            names, flags, by_duty = split_names(body)
            reading.add(role, names)
            reading.flags += flags
            if bool(_BY_DUTY.search(found.group(0))) or by_duty:
                reading.by_duty = True
            if not body.strip() and not reading.by_duty:
                reading.flags.append(Flag("no_names", clause))
            break
        else:
            reading.flags.append(Flag("unparsed_clause", clause))
    return None if reading.empty else reading
