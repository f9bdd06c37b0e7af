"""Ledgers whose status moves through steps with evidence (台账), and lists frozen when published.

Many registers of the campaign are not only kept but *worked through*: a drinking-water source's
problem is found, rectified and verified; a black-odorous water body is found, rectified, eliminated
and then kept clean (长制久清); an outfall is traced, numbered, monitored, rectified and closed out
(销号). Each is one record whose ``status`` moves, and each move is a step that says who, when, why
(the note) and with what evidence. This module is the one mechanism for all of them:

- a record model declares its moves once as a :class:`Workflow` (``workflow = Workflow(Status,
  Status.FOUND, [Move(...), ...])``), each :class:`Move` naming whether it needs evidence;
- its step model subclasses the abstract :class:`LedgerStep` (``record`` a foreign key to the
  record, ``related_name="steps"``);
- :func:`advance` is the only way a status moves: under the policy's write rule for the record
  (``policy.can_change``, the ``EDIT`` rule the step pages declare), only along a declared move,
  with a note, and with the evidence the move needs (checked by
  :func:`gongjian.core.uploads.check_attachments` before anything is stored); the record's own
  history (django-simple-history) and its steps keep what happened. A refused move changes nothing;
- :func:`ledger_urls` gives each such model a steps page (the record's steps and a form for the
  moves open from its status) and a download of each step's evidence, always as an attachment,
  never shown inline.

Lists the public side shows (the quarterly disclosure of drinking-water quality, the half-yearly
list of black-odorous water bodies) are :class:`Publication` records: their content is frozen when
they are published (:meth:`Publication.save` refuses a change), and a correction is a new
publication of the same period with the next number.

Why not the supervision cases' ``CaseStep`` (``gongjian.tasks``)? A case's steps are taken by two
parties (the office and the unit the case is assigned to) and carry an assignee and a deadline;
it lives in a domain app, which ``core`` may not import, and moving its table would migrate the tasks
app's data. Its shape (status, at, by, note, evidence) is the one :class:`LedgerStep` keeps, so a
case could later move onto this mechanism without changing its pages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from gongjian import clock

from .access import policy
from .forms import ScopedForm, UploadField
from .uploads import ATTACHMENT, check_attachments, file_response
from .views import bind, form_page
from .writes import writes

__all__ = ["LedgerStep", "Move", "Publication", "StepForm", "StepsAPI", "Workflow", "advance", "ledger_urls", "moves_for",
           "next_number", "require_ended"]


@dataclass(frozen=True)
class Move:
    """One allowed move of a status: from ``source`` to ``target``; ``evidence`` when the step must
    bring a file (a photo of the sealed outfall, the acceptance report); ``label`` the verb the
    step's button shows (the target's label when empty)."""

    source: str
    target: str
    evidence: bool = False
    label: object = ""


class Workflow:
    """The statuses of a ledger (a ``TextChoices``), the status a new record starts in, and the moves
    allowed between them. Any other move is refused with the moves that are open."""

    def __init__(self, statuses: type[models.TextChoices], initial: str, moves: Iterable[Move]):
        self.statuses = statuses
        self.initial = initial
        self.moves = tuple(moves)
        unknown = {s for m in self.moves for s in (m.source, m.target)} - set(statuses.values) - {initial}
        if unknown or initial not in statuses.values:
            raise ImproperlyConfigured(f"workflow of {statuses.__name__} names unknown statuses {sorted(unknown)}")
        if len({(m.source, m.target) for m in self.moves}) != len(self.moves):
            raise ImproperlyConfigured(f"workflow of {statuses.__name__} declares a move twice")

    def label(self, status: str) -> str:
        return str(dict(self.statuses.choices).get(status, status))

    def moves_from(self, status: str) -> list[Move]:
        return [m for m in self.moves if m.source == status]

    def move(self, source: str, target: str) -> Move:
        """The declared move from ``source`` to ``target``, or a ``ValidationError`` on ``status``
        that says which moves are open."""
        for m in self.moves:
            if m.source == source and m.target == target:
                return m
        open_ = "、".join(self.label(m.target) for m in self.moves_from(source)) or _("none: the record is finished")
        raise ValidationError({"status": _("A record that is %(source)s cannot move to %(target)s; it can move to: "
                                           "%(open)s.") % {"source": self.label(source), "target": self.label(target),
                                                           "open": open_}})


class LedgerStep(models.Model):
    """One step of a ledger record: the status it moved from and to, when, who, why, and the
    evidence. A concrete step model adds ``record = models.ForeignKey(<Record>, CASCADE,
    related_name="steps")`` and its ``scope`` (the record's, through ``record__``)."""

    source = models.CharField(gettext_lazy("from"), max_length=16)
    status = models.CharField(gettext_lazy("to"), max_length=16)
    at = models.DateTimeField(gettext_lazy("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("by"))
    note = models.TextField(gettext_lazy("note"))
    evidence = models.FileField(gettext_lazy("evidence"), upload_to="ledgers/%Y/%m/", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        workflow = type(self.record).workflow
        return f"{self.record} {workflow.label(self.source)} → {workflow.label(self.status)}"

    @property
    def source_label(self) -> str:
        return type(self.record).workflow.label(self.source)

    @property
    def status_label(self) -> str:
        return type(self.record).workflow.label(self.status)


def _workflow(record) -> Workflow:
    workflow = getattr(type(record), "workflow", None)
    if not isinstance(workflow, Workflow):
        raise ImproperlyConfigured(f"{type(record).__name__} declares no workflow")
    return workflow


def moves_for(record, person) -> list[Move]:
    """The moves ``person`` may take on ``record`` now (none where they may not change it)."""
    if not policy.can_change(person, record):
        return []
    return _workflow(record).moves_from(record.status)


def advance(record, to: str, person, note: str, evidence=None):
    """Move ``record`` to status ``to``: the step (who, now, ``note``, ``evidence``), or refused with
    nothing stored: ``PermissionDenied`` where ``person`` may not change the record (the policy),
    ``ValidationError`` naming the field for a move the workflow does not allow, a missing note,
    missing evidence where the move needs it, or a file :mod:`gongjian.core.uploads` refuses. A
    record whose status another person moved since it was read is refused too (its status is
    re-read under the transaction). After the move the record's ``entered(step)`` hook runs, when
    it has one, in the same transaction (an outfall takes its number when it is numbered)."""
    if not policy.can_change(person, record):
        raise PermissionDenied
    workflow = _workflow(record)
    move = workflow.move(record.status, to)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done and why.")})
    if move.evidence and not evidence:
        raise ValidationError({"evidence": _("The move to %(target)s needs evidence: attach the file that shows it.")
                                           % {"target": workflow.label(to)}})
    check_attachments([evidence], ATTACHMENT)
    model = type(record)
    with transaction.atomic():
        stored = model._default_manager.select_for_update().only("status").get(pk=record.pk)
        if stored.status != record.status:
            raise ValidationError({"status": _("Someone moved this record to %(status)s after you opened it; open it "
                                               "again.") % {"status": workflow.label(stored.status)}})
        source = record.status
        record.status = to
        record.save()
        step = record.steps.create(source=source, status=to, at=clock.now(), by=person, note=note,
                                   evidence=evidence or "")
        entered = getattr(record, "entered", None)
        if entered is not None:
            entered(step)
    return step


# --- pages: a record's steps, a move, a step's evidence -------------------------------------------

class StepForm(ScopedForm):
    """A move of one record: the status to move to (only the moves open now), the note, the evidence."""

    to = forms.ChoiceField(label=gettext_lazy("Move to"))
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    evidence = UploadField(ATTACHMENT, label=gettext_lazy("Evidence"), required=False)

    def __init__(self, user, *args, moves: Iterable[Move] = (), workflow: Workflow | None = None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["to"].choices = [(m.target, m.label or (workflow.label(m.target) if workflow else m.target))
                                     for m in moves]


def _visible_record(request, model, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(policy.visible(request.user, model._default_manager.all()), pk=pk)


def steps_view(request, pk: int, model, slug: str, template: str = "core/ledger_steps.html", detail: str = ""):
    """A record's steps, and for those who may change it a form with the moves open from its status
    (GET); a move (POST, under the policy's ``EDIT`` rule): the step, or the page again with the
    reasons (400) and nothing stored."""
    record = _visible_record(request, model, pk)
    workflow = _workflow(record)
    moves = moves_for(record, request.user)
    form = bind(request, StepForm, moves=moves, workflow=workflow)
    if request.method == "POST" and not moves:
        raise PermissionDenied

    def take(data):
        advance(record, data["to"], request.user, data["note"], data["evidence"])
        return redirect(f"{model._meta.app_label}:{slug}_steps", record.pk)

    return form_page(request, form, template, lambda: {
        "title": _("Steps of %(record)s") % {"record": record}, "record": record, "workflow": workflow,
        "status_label": workflow.label(record.status), "moves": moves, "evidence_moves": [m.target for m in moves if m.evidence],
        "steps": record.steps.select_related("by"), "evidence_url": f"{model._meta.app_label}:{slug}_evidence",
        "detail_url": detail or f"{model._meta.app_label}:{slug}_detail"}, on_valid=take)


def evidence_view(request, pk: int, step: int, model, slug: str):
    """A step's evidence, for whoever sees the record: always a download, never shown inline."""
    record = _visible_record(request, model, pk)
    found = get_object_or_404(record.steps.all(), pk=step)
    if not found.evidence:
        raise Http404
    return file_response(found.evidence, Path(found.evidence.name).name, attachment=True)


@functools.cache
def _guarded(view):
    return writes(policy.EDIT)(view)


def ledger_urls(model, slug: str, *, detail: str = "") -> list:
    """The steps page (``<slug>_steps``, a POST takes a move) and the evidence download
    (``<slug>_evidence``) of a ledger model, for its app's ``urls``; ``detail`` the URL name of the
    record's own page (the registry's ``<slug>_detail`` by default)."""
    kw = {"model": model, "slug": slug, "detail": detail}
    return [
        path(f"{slug}/<int:pk>/steps/", _guarded(steps_view), kw, name=f"{slug}_steps"),
        path(f"{slug}/<int:pk>/steps/<int:step>/evidence/", evidence_view, {"model": model, "slug": slug},
             name=f"{slug}_evidence"),
    ]


# --- published lists -------------------------------------------------------------------------------

class Publication(models.Model):
    """A list an office publishes for a period (the quarterly drinking-water disclosure, the
    half-yearly black-odorous list): who published it, when, its number within the period, and its
    content as published. Never changed once saved: a correction is a new publication of the period
    (:func:`next_number`), so that a figure published under a number stays the figure behind it."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=gettext_lazy("region"), help_text=gettext_lazy("The publishing office's jurisdiction."))
    period = models.CharField(gettext_lazy("period"), max_length=16, help_text=gettext_lazy("The period's key, e.g. 2020-Q4, 2020-H2."))
    number = models.PositiveSmallIntegerField(gettext_lazy("edition"), default=1,
                                              help_text=gettext_lazy("1 for the first publication of the period, 2 for its "
                                                          "first correction, ..."))
    published = models.DateTimeField(gettext_lazy("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=gettext_lazy("published by"))
    content = models.JSONField(gettext_lazy("content as published"))

    class Meta:
        abstract = True
        ordering = ["-published", "-number"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a published list is not changed: publish a correction")
        super().save(*args, **kwargs)


def next_number(model: type[Publication], region, period: str) -> int:
    """The edition the next publication of ``period`` by ``region``'s office takes."""
    last = model._default_manager.filter(region=region, period=period).aggregate(n=models.Max("number"))["n"]
    return (last or 0) + 1


def require_ended(period) -> None:
    """Refuse to publish ``period`` (a :class:`gongjian.periods.Period`) before it has ended: its last
    day is still running until midnight, so a list is published from the day after its end on
    (Beijing time, :func:`gongjian.clock.today`)."""
    import datetime as dt

    if period.end >= clock.today():
        raise ValidationError({"period": _("The period %(period)s has not ended: publish it from %(day)s on.")
                               % {"period": period.key, "day": (period.end + dt.timedelta(days=1)).isoformat()}})


# --- the API: a record's steps, and a move ---------------------------------------------------------

class StepSerializer(serializers.ModelSerializer):
    """A step as the API shows it (the evidence as whether there is one: it is downloaded from the page)."""

    has_evidence = serializers.SerializerMethodField()

    class Meta:
        fields = ["id", "source", "status", "at", "by", "note", "has_evidence"]

    def get_has_evidence(self, step) -> bool:
        return bool(step.evidence)


class MoveSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=16)
    note = serializers.CharField(max_length=4000)
    evidence = serializers.FileField(required=False)


class StepsAPI:
    """Mixin for the scoped viewset of a ledger model: ``GET <pk>/steps/`` lists its steps, ``POST
    <pk>/steps/`` (``to``, ``note``, ``evidence``) takes a move through :func:`advance` (403 where the
    person may not change the record, 400 naming the field for a move refused; nothing stored)."""

    @action(detail=True, methods=["get", "post"], url_path="steps")
    def steps(self, request, pk=None):
        record = self.get_object()
        serializer_class = type("Serializer", (StepSerializer,), {
            "Meta": type("Meta", (StepSerializer.Meta,), {"model": record.steps.model})})
        if request.method == "POST":
            move = MoveSerializer(data=request.data)
            move.is_valid(raise_exception=True)
            data = move.validated_data
            try:
                advance(record, data["to"], request.user, data["note"], data.get("evidence"))
            except ValidationError as exc:
                raise DRFValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"evidence": exc.messages}) from None
            return Response(serializer_class(record.steps.order_by("-at", "-pk").first()).data, status=201)
        return Response(serializer_class(record.steps.all(), many=True).data)
