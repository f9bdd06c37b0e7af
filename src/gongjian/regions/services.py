"""Services of the regions app: building the region tree, importing regions and boundaries,
resolving organisation names, and registering people. Other apps call these, never the
tables directly. Every writer validates first and writes inside one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.analytics.orgnames import lookup_keys, normalise
from gongjian.core import imports
from gongjian.core.problems import InvalidInput, Problem
from gongjian.core.tabular import decode_text

from .geojson import read_features
from .models import Organisation, OrganisationAlias, Person, Region, RegionLevel

__all__ = [
    "Resolution",
    "add_alias",
    "add_region",
    "import_boundaries",
    "import_regions_csv",
    "register_person",
    "resolve_organisation",
]

_LEVELS_BY_NAME = {level.name.lower(): level for level in RegionLevel}


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def add_region(parent: Region | None, *, name: str, level: int, kind: str, code: str = "") -> Region:
    """Create a region under ``parent`` (``None`` for a province), validated in full.

    Raises :class:`django.core.exceptions.ValidationError` (duplicate code, wrong code length,
    a level that does not fit under the parent) and writes nothing in that case.
    """
    region = Region(name=normalise(name), level=level, kind=kind, code=code.strip())
    region.check_parent(parent)
    region.full_clean(exclude=["path", "depth", "numchild"])
    with transaction.atomic():
        return Region.objects.add_child(parent, instance=region) if parent else Region.objects.add_root(instance=region)


REGION_COLUMNS = ("code", "name", "level", "kind", "parent_code")


def import_regions_csv(data: bytes | str, source: str = "regions.csv") -> list[Region]:
    """Add regions from CSV with columns ``code,name,level,kind,parent_code``.

    ``level`` is province/city/county/town/village; ``parent_code`` names a region already
    stored or one earlier in the file. Every row is checked before anything is written (the
    region's own rules, and the tree's: a level below the parent's); any problem refuses the whole
    file with :class:`InvalidInput` naming row and column.
    """
    text = decode_text(data, source)[0] if isinstance(data, bytes) else data
    frame = pl.read_csv(text.encode("utf-8"), infer_schema=False)
    batch = imports.read_rows(frame, _region_spec(), source)
    imports.save(batch)
    return [row.instance for row in batch.rows]


def _region_spec() -> imports.ImportSpec:
    stored = {r.code: r for r in Region.objects.exclude(code="")}
    earlier: dict[str, Region] = {}  # the file's regions so far, by code

    def prepare(row: imports.Row) -> None:
        region, code = row.instance, row.values.get("parent_code")
        parent = (stored.get(code) or earlier.get(code)) if code else None
        if code and parent is None:
            row.problem(_("parent %(c)s is neither stored nor earlier in the file") % {"c": code}, "parent_code")
        elif region.level:
            try:
                region.check_parent(parent)
            except ValidationError as exc:
                for name, messages in _messages(exc).items():
                    for message in messages:
                        row.problem(message, name if name != "parent" else "parent_code")
        if region.code and not row.refused:
            earlier.setdefault(region.code, region)

    def create(row: imports.Row) -> None:
        code = row.values.get("parent_code")
        parent = Region.objects.get(code=code) if code else None  # fresh: its path and children as saved
        row.instance = (Region.objects.add_child(parent, instance=row.instance) if parent
                        else Region.objects.add_root(instance=row.instance))

    levels = imports.choice(_LEVELS_BY_NAME, _("level %(v)r is not one of %(c)s"), c=", ".join(_LEVELS_BY_NAME))
    return imports.ImportSpec(Region, (
        imports.Column("code", "code", required=True),
        imports.Column("name", "name", normalise, required=True),
        imports.Column("level", "level", lambda text: levels(text.lower()), required=True),
        imports.Column("kind", "kind", required=True),
        imports.Column("parent_code", "parent_code", required=True, assign=False),
    ), unique=(("code",),), prepare=prepare, exclude=("path", "depth", "numchild"), create=create)


def import_boundaries(data: bytes | str, *, match_by: str = "code", source: str = "boundaries.geojson",
                      may_change: Callable[[Region], bool] = lambda region: True) -> list[Region]:
    """Attach GeoJSON boundaries to regions, matched by the feature property ``code`` or ``name``.

    The file is refused whole if any feature is invalid, matches no region (or, by name,
    more than one), or matches a region ``may_change`` refuses (outside the user's jurisdiction).
    """
    if match_by not in ("code", "name"):
        raise ValueError("match_by is 'code' or 'name'")
    features = read_features(data, source)
    problems: list[Problem] = []
    matched: list[tuple[Region, dict]] = []
    for index, feature in enumerate(features, start=1):
        key = str(feature["properties"].get(match_by, "")).strip()
        if not key:
            problems.append(Problem(_("property %(p)r is missing") % {"p": match_by}, source, index,
                                    f"properties.{match_by}"))
            continue
        regions = list(Region.objects.filter(**{match_by: normalise(key) if match_by == "name" else key})[:2])
        if not regions:
            unknown = _("no region has code %(v)r") if match_by == "code" else _("no region is named %(v)r")
            problems.append(Problem(unknown % {"v": key}, source, index, f"properties.{match_by}"))
        elif len(regions) > 1:
            problems.append(Problem(_("several regions are named %(v)r; match by code") % {"v": key}, source, index,
                                    f"properties.{match_by}"))
        elif not may_change(regions[0]):
            problems.append(Problem(_("%(region)s is outside your jurisdiction") % {"region": regions[0].name}, source,
                                    index, f"properties.{match_by}"))
        else:
            matched.append((regions[0], feature["geometry"]))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        for region, geometry in matched:
            region.boundary = geometry
            region.save(update_fields=["boundary", "updated"])
    return [region for region, _geometry in matched]


@dataclass
class Resolution:
    """The outcome of reading an organisation name: ``resolved`` (one organisation, with
    the ``rule`` that found it), ``ambiguous`` (several ``candidates``) or ``unresolved``.
    Callers must handle all three; nothing is ever guessed."""

    name: str
    status: str
    organisation: Organisation | None = None
    candidates: list[Organisation] = field(default_factory=list)
    rule: str = ""

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"


def _regions_for(context: Region, level: int | None) -> list[Region]:
    """The context region and its ancestors, nearest first; only those at ``level`` if given."""
    chain = list(context.ancestors_and_self())[::-1]
    return [r for r in chain if level is None or r.level == level]


def resolve_organisation(name: str, context: Region) -> Resolution:
    """Find the organisation a document means by ``name``, read in ``context`` (the region
    that issued the document).

    Tries, in order, each reading of :func:`~gongjian.analytics.orgnames.lookup_keys`; for
    each, the context region and then its ancestors (nearest first), matching the full
    name, an alias, or the region's name followed by the bare name (市生态环境局 in
    Zhengzhou = 郑州市生态环境局). The first region with any match decides: one match
    resolves, several are ambiguous. No match anywhere is unresolved.
    """
    for key in lookup_keys(name):
        for region in _regions_for(context, key.level):
            names = {key.name, region.name + key.name}
            found = list(Organisation.objects.filter(region=region, name__in=names))
            found += [a.organisation for a in OrganisationAlias.objects.filter(region=region, alias__in=names)
                      .select_related("organisation") if a.organisation not in found]
            if len(found) == 1:
                return Resolution(name, "resolved", found[0], rule=f"{key.rule} in {region.name}")
            if found:
                return Resolution(name, "ambiguous", candidates=found, rule=f"{key.rule} in {region.name}")
    return Resolution(name, "unresolved")


def add_alias(organisation: Organisation, alias: str) -> OrganisationAlias:
    """Record another name for ``organisation``; refuses a name that already means another one."""
    record = OrganisationAlias(organisation=organisation, alias=alias)
    record.full_clean(exclude=["region"])
    with transaction.atomic():
        record.save()
    return record


def register_person(*, username: str, password: str | None, role: str, jurisdiction: Region | None,
                    organisation: Organisation | None = None, **extra) -> Person:
    """Create a person after checking role, jurisdiction and organisation fit together.

    ``password=None`` makes an account that cannot sign in until a password is set.
    """
    person = Person(username=username, role=role, jurisdiction=jurisdiction, organisation=organisation, **extra)
    if password is None:
        person.set_unusable_password()
    else:
        person.set_password(password)
    person.full_clean()
    with transaction.atomic():
        person.save()
    return person

