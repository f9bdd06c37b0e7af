"""Reading organisation names as documents write them.

Campaign plans name their lead and responsible units in many forms: with the level
prefix (市生态环境局, 区环保局), with OCR spaces (市资源 规划局), with full-width
characters, and with pre-2018 names (环保局 before the bureaus became 生态环境局). These
pure functions turn such a name into the keys a resolver looks up; the resolver itself
(:mod:`gongjian.regions.services`) decides, and says "unresolved" rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NameKey", "LEVEL_PREFIXES", "RENAMES", "normalise", "lookup_keys"]

#: A leading character that names the level of government the unit belongs to.
#: Values are the region levels of ``gongjian.regions`` (2 city, 3 county, 4 town).
LEVEL_PREFIXES: dict[str, int] = {"市": 2, "县": 3, "区": 3, "镇": 4, "乡": 4}

#: Names changed by the 2018 institutional reform, old suffix -> current suffix.
#: Applied to the end of a name only, longest first.
RENAMES: tuple[tuple[str, str], ...] = (
    ("环境保护局", "生态环境局"),
    ("环保局", "生态环境局"),
    ("安全生产监督管理局", "应急管理局"),
    ("安监局", "应急管理局"),
)

_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """Canonical form of a name: Unicode NFKC (full-width to half-width), no whitespace.

    OCR puts spaces inside words ("市资源 规划局"); Chinese names never contain spaces,
    so every whitespace character is dropped.

    >>> normalise(" 市资源 规划局 ")
    '市资源规划局'
    >>> normalise("县（市）区政府")
    '县(市)区政府'
    """
    # Dropping a space can let NFKC compose what it separated ("A ´" -> "Á"), and NFKC can
    # itself produce spaces, so repeat until nothing changes (twice in practice).
    previous = None
    while name != previous:
        previous, name = name, _SPACE.sub("", unicodedata.normalize("NFKC", name))
    return name


@dataclass(frozen=True)
class NameKey:
    """One way to read a name: look for ``name`` among organisations of a region at
    ``level`` (``None``: the document's own region and its ancestors). ``rule`` says which
    reading produced it, so that a resolution can be explained."""

    name: str
    level: int | None
    rule: str


def _renamed(name: str) -> str | None:
    for old, new in RENAMES:
        if name.endswith(old):
            return name[: -len(old)] + new
    return None


def lookup_keys(name: str) -> list[NameKey]:
    """Readings of ``name`` in the order a resolver should try them, most literal first.

    >>> [(k.name, k.level, k.rule) for k in lookup_keys("区环保局")]
    [('区环保局', None, 'exact'), ('区生态环境局', None, 'renamed'), ('环保局', 3, 'level prefix'), ('生态环境局', 3, 'level prefix, renamed')]

    A prefix is only a reading, never a certainty: 市场监管局 begins with 市 but is the
    market regulator, so the literal reading always comes first.
    """
    base = normalise(name)
    keys = [NameKey(base, None, "exact")]
    if renamed := _renamed(base):
        keys.append(NameKey(renamed, None, "renamed"))
    if len(base) > 2 and base[0] in LEVEL_PREFIXES:
        bare = base[1:]
        keys.append(NameKey(bare, LEVEL_PREFIXES[base[0]], "level prefix"))
        if renamed := _renamed(bare):
            keys.append(NameKey(renamed, LEVEL_PREFIXES[base[0]], "level prefix, renamed"))
    return keys
