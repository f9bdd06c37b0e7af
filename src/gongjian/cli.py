"""The ``gongjian`` command: one CLI over everything, built on Django management commands.

    gongjian setup                      migrate, collect static files, demo city if empty, administrator
    gongjian serve [--bind H:P]         serve with gunicorn (a production-grade server)
    gongjian demo                       build the demo world into an empty database
    gongjian gateway [--port 6000]      receive HJ 212 packets from monitoring devices
    gongjian import regions FILE.csv    add regions from CSV
    gongjian import boundaries FILE     attach GeoJSON outlines to regions
    gongjian --as-of 2020-12-15 ...     run any command as if it were that moment

Every other Django management command works too (``gongjian migrate``, ``gongjian shell``).
"""

from __future__ import annotations

import os
import sys

#: CLI words that differ from the management command behind them.
ALIASES = {"import": "importdata"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--as-of"] and len(args) >= 2:
        os.environ["GONGJIAN_AS_OF"] = args[1]
        args = args[2:]
    elif args and args[0].startswith("--as-of="):
        os.environ["GONGJIAN_AS_OF"] = args[0].split("=", 1)[1]
        args = args[1:]
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongjian", *args])


if __name__ == "__main__":
    main()
