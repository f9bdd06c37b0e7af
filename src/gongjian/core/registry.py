"""Registry pages generated from declarations, the netbox way.

An app declares each registry model once (:class:`Entry`: which columns to list, what to
search, which fields a form edits) and gets list, detail, history and edit pages, all
scoped by the one policy. Views never filter by hand: every queryset passes through
the access policy's ``visible`` here (:mod:`gongjian.core.access`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from gongjian.core.access import policy
from gongjian.core.masking import CHANGED, is_secret, masked
from gongjian.core.writes import writes

__all__ = ["Entry", "PAGES", "REGISTRY", "register", "register_page", "urlpatterns_for"]


@dataclass
class Entry:
    """One registry model and how its generic pages show it."""

    model: type[models.Model]
    list_fields: list[str]
    search_fields: list[str] = field(default_factory=list)
    form_fields: list[str] = field(default_factory=list)
    section: str = ""
    ordering: list[str] = field(default_factory=list)
    select_related: list[str] = field(default_factory=list)
    #: Buttons on the detail page to other pages of the record: (label, URL name taking the pk).
    detail_links: list[tuple[str, str]] = field(default_factory=list)
    #: Called as ``prepare(record, user, is_new)`` before a form's record is validated and saved, to
    #: fill what the form does not ask (who proposed it).
    prepare: Callable | None = None

    @property
    def slug(self) -> str:
        return self.model._meta.model_name

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.slug}_{action}"

    def queryset(self, user):
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.ordering or not qs.ordered:
            qs = qs.order_by(*(self.ordering or ["pk"]))
        return policy.visible(user, qs)


REGISTRY: dict[type[models.Model], Entry] = {}
#: Pages other than registries that an area's menu lists: (section, label, URL name).
PAGES: list[tuple[str, str, str]] = []


def register(entry: Entry) -> Entry:
    REGISTRY[entry.model] = entry
    return entry


def register_page(section: str, label, url_name: str) -> None:
    """List a page in an area's menu (before the area's registries)."""
    if (section, label, url_name) not in PAGES:
        PAGES.append((section, label, url_name))


def _cell(obj, name: str):
    value = getattr(obj, name)
    if callable(value):
        value = value()
    display = getattr(obj, f"get_{name}_display", None)
    return masked(obj, name, display() if display else value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a method, labelled like the admin's
        return str(getattr(getattr(model, name), "short_description", name.replace("_", " ")))


def _require_login(request):
    if not request.user.is_authenticated:
        raise PermissionDenied


def list_view(request, entry: Entry):
    _require_login(request)
    qs = entry.queryset(request.user)
    query = request.GET.get("q", "").strip()
    if query and entry.search_fields:
        qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": query}) for f in entry.search_fields)))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(reverse(entry.url_name("detail"), args=[obj.pk]), [_cell(obj, f) for f in entry.list_fields])
            for obj in page]
    return render(request, "core/list.html", {
        "entry": entry, "page": page, "rows": rows, "query": query,
        "headers": [_label(entry.model, f) for f in entry.list_fields],
        "title": entry.model._meta.verbose_name_plural,
        "add_url": reverse(entry.url_name("add")) if entry.form_fields and request.user.role_can_edit else None,
    })


def _get_visible(request, entry: Entry, pk: int):
    _require_login(request)
    return get_object_or_404(entry.queryset(request.user), pk=pk)


def detail_view(request, entry: Entry, pk: int):
    obj = _get_visible(request, entry, pk)
    fields = [f for f in entry.model._meta.concrete_fields
              if f.name not in ("id", "path", "depth", "numchild") and not f.name.startswith("_")]
    rows = []
    for f in fields:
        value = _cell(obj, f.name)
        url = None
        if f.is_relation and value is not None and type(value) in REGISTRY and policy.can_see(request.user, value):
            url = reverse(REGISTRY[type(value)].url_name("detail"), args=[value.pk])
        rows.append((f.verbose_name, value, url))
    return render(request, "core/detail.html", {
        "entry": entry, "object": obj, "rows": rows, "title": str(obj),
        "edit_url": reverse(entry.url_name("edit"), args=[obj.pk])
        if entry.form_fields and policy.can_change(request.user, obj) else None,
        "history_url": reverse(entry.url_name("history"), args=[obj.pk]),
        "links": [(label, reverse(name, args=[obj.pk])) for label, name in entry.detail_links],
    })


def history_view(request, entry: Entry, pk: int):
    obj = _get_visible(request, entry, pk)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for record in records:
        previous = record.prev_record
        diff = []
        if previous is not None:
            diff = [(_label(entry.model, c.field), CHANGED, CHANGED) if is_secret(entry.model, c.field)
                    else (_label(entry.model, c.field), c.old, c.new) for c in record.diff_against(previous).changes]
        changes.append((record, diff))
    return render(request, "core/history.html", {"entry": entry, "object": obj, "changes": changes,
                                                 "detail_url": reverse(entry.url_name("detail"), args=[obj.pk]),
                                                 "title": _("History of %(object)s") % {"object": obj}})


def _form_class(entry: Entry, reveal: bool):
    """The entry's model form; secret fields are password inputs (blank keeps the value) unless the
    editor asked to see them."""
    secrets = [f for f in entry.form_fields if is_secret(entry.model, f)]
    widgets = {} if reveal else {f: forms.PasswordInput(render_value=False) for f in secrets}
    return forms.modelform_factory(entry.model, fields=entry.form_fields, widgets=widgets)


def version_of(obj) -> int:
    """The version a record is read at: its latest history row (0 for a new or history-less record)."""
    if obj is None or obj.pk is None or not hasattr(obj, "history"):
        return 0
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def changes_since(entry: Entry, obj, version: int) -> list[tuple]:
    """What others saved after ``version``: (when, who, field, before, after), oldest first."""
    rows = []
    for record in obj.history.filter(history_id__gt=version).select_related("history_user").order_by("history_id"):
        previous = record.prev_record
        if previous is None:
            continue
        for c in record.diff_against(previous).changes:
            old, new = (CHANGED, CHANGED) if is_secret(entry.model, c.field) else (c.old, c.new)
            rows.append((record.history_date, record.history_user, _label(entry.model, c.field), old, new))
    return rows


def edit_view(request, entry: Entry, pk: int | None = None):
    """Add or edit a record, under the policy's ``EDIT`` rule (declared in :func:`urlpatterns_for`). The form carries the version it was read at; a save over a version that
    someone else has changed since is refused (409) with what they changed, never silently lost."""
    _require_login(request)
    if not entry.form_fields:
        raise Http404
    obj = _get_visible(request, entry, pk) if pk is not None else None
    if obj is not None and not policy.can_change(request.user, obj):
        raise PermissionDenied
    if obj is None and not request.user.role_can_edit:
        raise PermissionDenied
    secrets = {f: getattr(obj, f) for f in entry.form_fields if obj is not None and is_secret(entry.model, f)}
    form = _form_class(entry, reveal=request.GET.get("reveal") == "1")(request.POST or None, instance=obj)
    for name in secrets:  # blank keeps the stored secret
        form.fields[name].required = False
    _limit_choices(form, request.user)
    read_at = version_of(obj)
    conflict, status = [], 200
    if request.method == "POST":
        sent = request.POST.get("_version", "")
        if obj is not None and (not sent.isdigit() or int(sent) != read_at):
            conflict = changes_since(entry, obj, int(sent) if sent.isdigit() else 0)
            form.add_error(None, _("Someone else saved this record after you opened it. Nothing of yours was "
                                   "saved; the changes made meanwhile are listed below. Open the record again to "
                                   "edit the current version."))
            status = 409
        elif form.is_valid():
            candidate = form.save(commit=False)
            for name, value in secrets.items():
                if not form.cleaned_data.get(name):
                    setattr(candidate, name, value)
            region = policy.region_of(candidate)
            if region is not None and not policy.can_place(request.user, region):
                form.add_error(None, _("You may only place records inside your jurisdiction."))
            else:
                try:
                    if entry.prepare is not None:
                        entry.prepare(candidate, request.user, obj is None)
                    with transaction.atomic():
                        candidate.full_clean()
                        candidate.save()
                        form.save_m2m()
                except ValidationError as exc:
                    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                    for name, messages in errors.items():
                        for message in messages:
                            form.add_error(name if name in form.fields else None, message)
                else:
                    return redirect(entry.url_name("detail"), pk=candidate.pk)
    return render(request, "core/form.html", {
        "entry": entry, "form": form, "object": obj, "version": read_at, "conflict": conflict,
        "secrets": bool(secrets), "title": str(obj) if obj else entry.model._meta.verbose_name}, status=status)


def _limit_choices(form, user) -> None:
    """Choices in forms follow the policy too: nobody picks a region or owner they cannot see."""
    for bound in form.fields.values():
        queryset = getattr(bound, "queryset", None)
        if queryset is not None:
            bound.queryset = policy.visible(user, queryset)


@functools.cache
def _guarded_edit_view():
    """The edit view under the policy's ``EDIT`` write rule; built when URLs load, after the apps are
    ready, because the rule is the policy's."""
    return writes(policy.EDIT)(edit_view)


def urlpatterns_for(*entries: Entry) -> list:
    patterns = []
    for entry in entries:
        slug = entry.slug
        kw = {"entry": entry}
        patterns += [
            path(f"{slug}/", list_view, kw, name=f"{slug}_list"),
            path(f"{slug}/<int:pk>/", detail_view, kw, name=f"{slug}_detail"),
            path(f"{slug}/<int:pk>/history/", history_view, kw, name=f"{slug}_history"),
        ]
        if entry.form_fields:
            patterns += [
                path(f"{slug}/add/", _guarded_edit_view(), kw, name=f"{slug}_add"),
                path(f"{slug}/<int:pk>/edit/", _guarded_edit_view(), kw, name=f"{slug}_edit"),
            ]
    return patterns
