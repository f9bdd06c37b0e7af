"""How a model declares its place in the access policy.

Each model that people see through pages or the API sets a class attribute
``scope = Scope(...)``; :mod:`gongjian.regions.policy` reads it. A model without a
declaration is refused for everyone but superusers (the policy fails closed).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Scope", "SELF"]

#: Lookup meaning "the record itself" (a Region's own subtree, an Organisation itself).
SELF = ""


@dataclass(frozen=True)
class Scope:
    """The lookups that tie a model to a region and to an organisation.

    Parameters
    ----------
    region:
        ORM lookup path from the model to a :class:`~gongjian.regions.models.Region`
        (``"region"``, ``"station__region"``), :data:`SELF` for Region itself, or ``None``
        for reference data that is the same everywhere (region groups).
    organisation:
        Lookup path to the :class:`~gongjian.regions.models.Organisation` that owns the
        record, :data:`SELF` for Organisation itself, or ``None``. Enterprise users see
        only records whose owner is their own organisation; a model without an owner is
        invisible to them.
    public:
        What a public reviewer may see within their jurisdiction: ``False`` nothing,
        ``True`` everything, or the name of a boolean field that marks published records.
    inherited:
        Records of the regions *above* a person's jurisdiction apply to it too and are
        visible (read only): a city's warning standard and warnings bind its counties and
        towns. Changing them stays with the jurisdiction that holds them.
    participant:
        Lookup path to the organisations that take part in the record (a task's lead and
        responsible units). Departments and town governments see only the records their own
        organisation takes part in, wherever they are; other roles are not affected.
    """

    region: str | None
    organisation: str | None = None
    public: bool | str = False
    inherited: bool = False
    participant: str | None = None
