"""Bad input is reported as a list of problems, each naming where it is.

Importers (CSV, Excel, GeoJSON, plan documents, HJ 212 packets) check everything first,
collect every :class:`Problem`, and raise :class:`InvalidInput` before writing anything,
so that a user fixes a file in one pass and nothing is ever half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InvalidInput", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: ``source`` (a file name), ``row`` (1-based, counting the
    header as row 1 as spreadsheets do; or a feature or record index), ``field`` (a column
    or property) and a ``message`` a user can act on."""

    message: str
    source: str = ""
    row: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = [p for p in (self.source, f"row {self.row}" if self.row is not None else "",
                             f"column {self.field}" if self.field else "") if p]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InvalidInput(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
