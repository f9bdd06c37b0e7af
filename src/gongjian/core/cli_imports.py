"""The kinds of file ``gongjian import KIND FILES...`` reads, each declared by the app that owns the data.

An app lists its kinds in ``IMPORT_KINDS`` of its ``cli_imports`` module; the ``importdata`` command
finds them in every installed domain app (:func:`gongjian.core.apps.domain_apps`), so that neither
the command nor the base app it lives in names another app, and a new domain adds its files to the
command without editing it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .apps import domain_apps

__all__ = ["ImportKind", "import_kinds"]


@dataclass(frozen=True)
class ImportKind:
    """One kind of file: ``name`` is the command's sub-command; ``add_arguments`` adds its options
    beyond the files; ``run(files, options)`` imports (raising
    :class:`gongjian.core.problems.InvalidInput` with every problem, nothing saved) and returns the
    line that tells what was done."""

    name: str
    help: str
    run: Callable[[list[Path], dict], str]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    several_files: bool = False


def import_kinds() -> dict[str, ImportKind]:
    """Every installed app's import kinds by name, in ``INSTALLED_APPS`` order; two apps declaring
    the same name is a mistake in the code, refused at once."""
    found: dict[str, ImportKind] = {}
    for config in domain_apps():
        module = config.submodule("cli_imports")
        for kind in getattr(module, "IMPORT_KINDS", ()):
            if kind.name in found:
                raise ValueError(f"import kind {kind.name!r} is declared twice ({config.name})")
            found[kind.name] = kind
    return found
