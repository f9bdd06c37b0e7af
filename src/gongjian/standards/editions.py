"""Which edition of the air-quality standards applies, chosen by date or by name.

China replaced GB 3095-2012 / HJ 633-2012 / HJ 663-2013 with GB 3095-2026 / HJ 633-2026 /
HJ 663-2026 on 2026-03-01 (Beijing time). GB 3095-2026 §4.4 has two phases for its limits:
transition limits to 2030-12-31 and final limits from 2031-01-01. HJ 633-2026 has one breakpoint
table for both phases.

Every rule in :mod:`gongjian.standards` takes an edition argument: ``"2012"`` or ``"2026"``, or
``"auto"`` to choose by the **start of the averaging period** (a day starting before 2026-03-01
uses 2012). Results carry the edition they were computed under.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

__all__ = ["EDITIONS", "SWITCH_DATE", "PHASE_2_DATE", "edition_for", "edition_expr", "check_edition",
           "limits_phase", "period_edition", "period_edition_expr"]

EDITIONS = ("2012", "2026")
#: GB 3095-2026 and HJ 633-2026 in force (GB 3095-2026 foreword; HJ 633-2026 §1).
SWITCH_DATE = dt.date(2026, 3, 1)
#: GB 3095-2026 §4.4: final limits of Table 1 from this date.
PHASE_2_DATE = dt.date(2031, 1, 1)


def check_edition(edition: str) -> str:
    """Validate an edition argument (``auto``, ``2012`` or ``2026``)."""
    if edition not in ("auto", *EDITIONS):
        raise ValueError(f"edition must be 'auto', '2012' or '2026', not {edition!r}")
    return edition


def edition_for(day: dt.date, edition: str = "auto") -> str:
    """The edition for an averaging period starting on ``day``."""
    if check_edition(edition) != "auto":
        return edition
    return "2012" if day < SWITCH_DATE else "2026"


def edition_expr(date: pl.Expr, edition: str = "auto") -> pl.Expr:
    """Vectorised :func:`edition_for` over a Date expression."""
    if check_edition(edition) != "auto":
        return pl.lit(edition)
    return pl.when(date < pl.lit(SWITCH_DATE)).then(pl.lit("2012")).otherwise(pl.lit("2026"))


def limits_phase(day: dt.date, edition: str = "auto") -> str:
    """The GB 3095 limit table in force on ``day``: ``"2012"``, ``"2026-1"`` (transition) or ``"2026-2"``.

    Naming edition ``2026`` for a day before 2031 uses the transition limits, as the standard does.
    """
    if edition_for(day, edition) == "2012":
        return "2012"
    return "2026-1" if day < PHASE_2_DATE else "2026-2"


def period_edition(start: dt.date, end: dt.date, edition: str = "auto") -> str:
    """The edition for a statistic over ``start``..``end`` (inclusive).

    No official text says how a period straddling 2026-03-01 is evaluated (shared/standards,
    air-quality-2026.md, "Uncertain" 3). This project uses the edition in force on the period's
    **last** day, so that the 2026 annual evaluation is a 2026 evaluation; daily values inside the
    period keep the edition of their own day under ``auto``. This is the one place that decides it.
    """
    return edition_for(end, edition)


def period_edition_expr(period_end: pl.Expr, edition: str = "auto") -> pl.Expr:
    """Vectorised :func:`period_edition` over the periods' last days."""
    return edition_expr(period_end, edition)
