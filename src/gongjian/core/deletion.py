"""Deleting a record: what goes with it, what stops it, and the one place it is done.

A register kept by hand loses a record only deliberately: the registry's delete page and the API's
``DELETE`` both come here, so they refuse the same things. Django's own collector (the one the admin's
confirmation page uses) finds what a deletion would take along (foreign keys that cascade) and what
stops it (``PROTECT``, ``RESTRICT``). On top of that two rules of accountability: a cascade never
removes a record its author could not delete by hand (one outside their jurisdiction), nor one that
no history would keep (a station's measured hours, a meter's readings, computed results: series
have no history table, and losing them silently loses evidence; the back office removes them when
they must go). Every record a deletion does remove keeps a history row naming who deleted it
(django-simple-history).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext

from .access import policy

__all__ = ["Deletion", "delete", "deletion_of", "named"]


@dataclass
class Deletion:
    """What deleting a record involves: ``along`` (model -> the records whose foreign key cascades),
    ``protected`` (the records whose foreign key stops it), and the records of ``along`` that stop it
    too (model -> records): ``forbidden``, those the person may not change, and ``unrecorded``, those
    no history keeps; ``done`` once deleted."""

    along: dict = field(default_factory=dict)
    protected: list = field(default_factory=list)
    forbidden: dict = field(default_factory=dict)
    unrecorded: dict = field(default_factory=dict)
    done: bool = False

    @property
    def blocked(self) -> bool:
        return bool(self.protected or self.forbidden or self.unrecorded)


def named(record: Model, user) -> str:
    """How a record in the way is shown to ``user``: by its name if they may see it, else only as a
    record outside their jurisdiction (a refusal must not tell what lies outside it)."""
    if policy.can_see(user, record):
        return str(record)
    return gettext("a record outside your jurisdiction")


def _ordered(records) -> list:
    return sorted(records, key=lambda r: (type(r).__name__, r.pk))


def deletion_of(obj: Model, user) -> Deletion:
    """What deleting ``obj`` would take along or be stopped by; nothing is deleted."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    along = {model: _ordered(r for r in records if r != obj)
             for model, records in collector.model_objs.items() if not model._meta.auto_created}
    along = {model: records for model, records in along.items() if records}
    unrecorded = {model: records for model, records in along.items() if not _has_history(model)}
    forbidden = {}
    for model, records in along.items():
        if model in unrecorded:
            continue
        seen = policy.visible(user, model._default_manager.filter(pk__in=[r.pk for r in records])).count()
        if seen < len(records) or not all(policy.can_change(user, r) for r in records):
            forbidden[model] = records
    return Deletion(along, _ordered(collector.protected), forbidden, unrecorded)


def _has_history(model) -> bool:
    """Whether django-simple-history keeps the model's rows (it marks the models it tracks)."""
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def delete(obj: Model, user) -> Deletion:
    """Delete ``obj`` with what cascades from it, in one transaction, unless the deletion is blocked
    (then nothing is deleted and ``done`` is false). The caller has checked ``policy.can_change``.

    What the deletion takes along is judged in the transaction that deletes, so nothing added
    between the judgement and the deletion goes unjudged: SQLite's transactions here take the write
    lock when they begin (``transaction_mode`` IMMEDIATE, settings), and where the database locks
    rows the record itself is locked first, which holds back new rows referring to it."""
    model = type(obj)
    using = router.db_for_write(model)
    deletion = Deletion()
    try:
        with transaction.atomic(using=using):
            # a no-op where the database does not lock rows (SQLite: locked whole, above)
            list(model._base_manager.using(using).select_for_update(of=("self",)).filter(pk=obj.pk).order_by().values_list("pk"))
            deletion = deletion_of(obj, user)
            if not deletion.blocked:
                obj.delete(using=using)
                deletion.done = True
    except ProtectedError as exc:  # a row protecting a record taken along, added since the collection
        deletion.protected = _ordered(exc.protected_objects)
    except RestrictedError as exc:
        deletion.protected = _ordered(exc.restricted_objects)
    return deletion
