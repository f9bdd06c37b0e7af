"""The user guide (用户手册), served by the platform itself so that it works offline.

The guide is Markdown in ``guide/`` beside this module (package data, so every installation has
it): ``index.md`` and one chapter per role's jobs. Each page of the platform links to its section
(``{% block help %}`` in ``core/base.html``; by default the chapter of the reader's role at the
section of the page's area, :func:`section_for`). Screenshots are the checkout's
``docs/screenshots/*.png``, which the chapters name as ``screenshots/NAME.png``; where an
installation has none, the guide shows the caption instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.http import Http404

__all__ = ["GUIDE_DIR", "SCREENSHOTS_DIR", "Chapter", "chapter", "chapters", "chapter_for", "screenshot", "section_for"]

GUIDE_DIR = Path(__file__).resolve().parent / "guide"
SCREENSHOTS_DIR = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
#: The order of the chapters in the guide's table of contents (the file names without ``.md``).
ORDER = ("index", "analyst", "county", "town", "department", "enterprise", "public")
_SLUG = re.compile(r"[a-z0-9-]+")
_ANCHOR = re.compile(r"\{#([a-z0-9-]+)\}")
#: The chapter each role reads (a city's office and bureau: the analyst's; below the city: the county's).
ROLE_CHAPTERS = {"town_government": "town", "department": "department", "enterprise": "enterprise",
                 "public_reviewer": "public"}
#: The section of a chapter an area's pages belong to (by the URL namespace of the page), where the
#: chapter has it.
AREA_SECTIONS = {"air": ("daily", "air"), "emergency": ("warnings", "notices"),
                 "sources": ("alarms", "notices"), "tasks": ("tasks", "cases"), "water": ("water",)}


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    html: str


def _title(text: str, slug: str) -> str:
    return next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), slug)


@functools.cache
def chapter(slug: str) -> Chapter:
    """A chapter rendered to HTML (our own files, so the HTML is trusted); 404 for an unknown one."""
    path = GUIDE_DIR / f"{slug}.md"
    if not _SLUG.fullmatch(slug) or not path.is_file():
        raise Http404(slug)
    text = path.read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "attr_list", "toc"], output_format="html")
    return Chapter(slug, _title(text, slug), html)


def chapters() -> list[Chapter]:
    """Every chapter, in the guide's order."""
    names = sorted((p.stem for p in GUIDE_DIR.glob("*.md")), key=lambda s: (ORDER.index(s) if s in ORDER else 99, s))
    return [chapter(name) for name in names]


def chapter_for(user) -> str:
    """The guide chapter written for ``user``'s role and level."""
    role = getattr(user, "role", "")
    if role in ROLE_CHAPTERS:
        return ROLE_CHAPTERS[role]
    jurisdiction = getattr(user, "jurisdiction", None)
    return "county" if jurisdiction is not None and jurisdiction.depth > 2 else "analyst"


@functools.cache
def _anchors(slug: str) -> frozenset[str]:
    return frozenset(_ANCHOR.findall((GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")))


def section_for(user, area: str | None) -> tuple[str, str]:
    """(chapter, anchor) of the guide for a page of ``area`` (a URL namespace) seen by ``user``: the
    first of the area's sections that the user's chapter has, else the chapter's top (anchor "")."""
    slug = chapter_for(user)
    anchor = next((a for a in AREA_SECTIONS.get(area or "", ()) if a in _anchors(slug)), "")
    return slug, anchor


def screenshot(name: str) -> Path:
    """The screenshot ``name`` (a plain name, ``home``, ``map``...) of the checkout; 404 where absent."""
    path = SCREENSHOTS_DIR / f"{name}.png"
    if not _SLUG.fullmatch(name) or not path.is_file():
        raise Http404(name)
    return path
