"""Chapters of the weekly dispatch and the monthly bulletin that the domain apps contribute.

The bulletins (:mod:`gongjian.tasks.bulletins`) report the tasks and the supervision cases; what
else an office sends in them (the water sections' classes of the month, ...) belongs to the app
that owns those data. An app declares its chapter once, from its ``entries`` module, with
:func:`declare`; the bulletin asks every declared chapter for the period and the person
(:func:`build_all`), so the tasks app names no other app, and the page, the Word document and the
Excel workbook render every chapter the same way.

A chapter's content is plain data (:class:`Content`: a summary of label/value pairs, a sentence for
the document, tables of rows): a published issue keeps it in its JSON (:meth:`Content.as_json`)
and reads it back (:meth:`Content.from_json`), so a published figure never changes with the data
behind it. Its texts are in Chinese, the documents' language, as the bulletins' own are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from gongjian.periods import Period

__all__ = ["CHAPTERS", "Chapter", "ChapterTable", "Content", "build_all", "declare"]


@dataclass
class ChapterTable:
    """A table of a chapter: its title, its columns (row key -> header) and its rows (JSON values:
    text, numbers, ``None``; a date is kept as ISO text)."""

    title: str
    columns: dict[str, str]
    rows: list[dict] = field(default_factory=list)

    def cells(self) -> list[list]:
        """The rows as lists of cells in the columns' order (the page's and the document's)."""
        return [[row.get(key) for key in self.columns] for row in self.rows]


@dataclass
class Content:
    """What a chapter says for one period: ``summary`` (label, value) pairs, ``text`` the sentence
    the document opens the chapter with, ``tables`` the detail."""

    key: str
    title: str
    summary: list[tuple[str, object]] = field(default_factory=list)
    text: str = ""
    tables: list[ChapterTable] = field(default_factory=list)

    def as_json(self) -> dict:
        """The content as a published issue keeps it (dates as ISO text)."""
        def plain(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        return {"key": self.key, "title": self.title, "text": self.text,
                "summary": [[label, plain(value)] for label, value in self.summary],
                "tables": [{"title": t.title, "columns": [[k, h] for k, h in t.columns.items()],
                            "rows": [{k: plain(v) for k, v in row.items()} for row in t.rows]}
                           for t in self.tables]}

    @classmethod
    def from_json(cls, data: dict) -> Content:
        """The content of a published issue, as it was published."""
        return cls(data["key"], data["title"], [(label, value) for label, value in data.get("summary", [])],
                   data.get("text", ""),
                   [ChapterTable(t["title"], dict((k, h) for k, h in t["columns"]), list(t["rows"]))
                    for t in data.get("tables", [])])


@dataclass(frozen=True)
class Chapter:
    """A chapter an app contributes: ``build(person, period)`` returns its :class:`Content` for what
    the person sees (through the policy), or ``None`` where it has nothing to report for them (no
    sections in their jurisdiction); ``order`` places it among the chapters."""

    key: str
    build: Callable[[object, Period], Content | None]
    order: int = 100


#: The declared chapters, by key.
CHAPTERS: dict[str, Chapter] = {}


def declare(chapter: Chapter) -> Chapter:
    """Add ``chapter`` to the bulletins (called from an app's ``entries`` module); declaring the same
    key again replaces it (a module imported twice)."""
    CHAPTERS[chapter.key] = chapter
    return chapter


def build_all(person, period: Period) -> list[Content]:
    """Every declared chapter's content for ``person`` and ``period``, in their order; chapters with
    nothing to report for the person are left out."""
    found = []
    for chapter in sorted(CHAPTERS.values(), key=lambda c: (c.order, c.key)):
        content = chapter.build(person, period)
        if content is not None:
            found.append(content)
    return found
