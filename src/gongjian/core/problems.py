"""Bad input is reported as a list of problems, each naming where it is.

Importers (CSV, Excel, GeoJSON, plan documents, HJ 212 packets) check everything first,
collect every :class:`Problem`, and raise :class:`InvalidInput` before writing anything,
so that a user fixes a file in one pass and nothing is ever half-saved.

A file of a million bad rows must not become a page of a million lines: :class:`InvalidInput`
keeps the first :data:`SHOWN` problems and one last line saying how many more there are, so
every page, the API and the CLI list the same capped problems.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

__all__ = ["SHOWN", "InvalidInput", "Problem", "cannot_read"]

#: Problems listed; the rest are counted in one last problem.
SHOWN = 200


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
        where = [p for p in (self.source, _("row %(n)s") % {"n": self.row} if self.row is not None else "",
                             _("column %(c)s") % {"c": self.field} if self.field else "") if p]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InvalidInput(Exception):
    """Raised with every problem found (the first :data:`SHOWN` of them, then how many more);
    nothing has been written. ``count`` is the number of problems found."""

    def __init__(self, problems: list[Problem]):
        problems = list(problems)
        self.count = len(problems)
        self.problems = problems[:SHOWN]
        if self.count > SHOWN:
            self.problems.append(Problem(_("… and %(n)s more problems not listed here; fix these and send the file "
                                           "again") % {"n": self.count - SHOWN}))
        super().__init__("\n".join(str(p) for p in self.problems))


def cannot_read(path: Path, exc: Exception) -> InvalidInput:
    """The reader's own error for a file it cannot read, naming the file the user sent and never
    the temporary folder it was read from (readers put the full path in their messages)."""
    message = str(exc).replace(str(path), path.name).replace(str(path.parent), "")
    # any other path under the temporary folder (a reader may resolve or quote it its own way)
    message = re.sub(re.escape(tempfile.gettempdir()) + r"[^\s'\"]*?([^/\s'\"]+)(?=[\s'\"]|$)", r"\1", message)
    return InvalidInput([Problem(_("cannot read: %(e)s") % {"e": message}, path.name)])
