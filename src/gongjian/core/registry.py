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

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian import clock
from gongjian.core import exports, imports
from gongjian.core.access import policy
from gongjian.core.deletion import delete, deletion_of, named
from gongjian.core.forms import ScopedForm, ScopedModelForm, UploadField
from gongjian.core.masking import CHANGED, is_secret, masked
from gongjian.core.matching import matching
from gongjian.core.params import SearchQuery, choice
from gongjian.core.problems import InvalidInput
from gongjian.core.scope import SELF
from gongjian.core.uploads import TABLE, upload_on_disk
from gongjian.core.views import bind
from gongjian.core.writes import writes

__all__ = ["PAGES", "REGISTRY", "Entry", "import_spec", "register", "register_page", "urlpatterns_for"]


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
    #: A delete page (confirmation, then the policy's checks) and an import page (a CSV or Excel file of
    #: the form's columns). Both default to "yes where the entry has a form": whoever may keep a register
    #: by hand may also remove a record or send many at once, under the same rule; an entry whose records
    #: must not go that way says ``False`` and why.
    deletable: bool | None = None
    importable: bool | None = None
    #: The fields that find the record an imported row updates (a code, a number); without them every
    #: row is a new record.
    import_key: tuple[str, ...] = ()
    #: The word in the pages' paths and URL names, where the domain's word (GLOSSARY.md) is not the
    #: model's name: a ``WarningEpisode`` is a ``warning`` in its pages, URL names and API alike.
    path_name: str = ""

    @property
    def slug(self) -> str:
        return self.path_name or self.model._meta.model_name

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.slug}_{action}"

    @property
    def can_delete(self) -> bool:
        return bool(self.form_fields) if self.deletable is None else self.deletable

    @property
    def can_import(self) -> bool:
        """An import fills the form's fields, so an entry without a form has none."""
        return bool(self.form_fields) and self.importable is not False

    def open_to(self, user) -> bool:
        """Is the list worth offering ``user``: may the policy show them any record of this kind? The
        menu lists it and the list page opens on the same answer."""
        return getattr(user, "is_authenticated", False) and policy.sees_kind(user, self.model)

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


def shown(value):
    """A stored value as a page shows it to a person: 是/否 for a flag (not Python's ``True``), a
    mapping or list (a JSON field) as its items in words rather than as code, anything else as it
    is (``None`` stays ``None``: the templates write it as "—")."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict) and ("coordinates" in value or "features" in value or "geometries" in value):
        return _("outline (GeoJSON %(type)s)") % {"type": value.get("type", "")}
    if isinstance(value, dict):
        return "；".join(f"{key}：{shown(item)}" for key, item in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return "、".join(str(shown(item)) for item in value) or "—"
    return value


class Code(str):
    """A cell that is a code, not words (a slug): pages write it as ``<code>`` (the ``cell`` filter),
    exports as the text it is."""


def _cell(obj, name: str):
    value = getattr(obj, name)
    if callable(value):
        value = value()
    display = getattr(obj, f"get_{name}_display", None)
    value = shown(masked(obj, name, display() if display else value))
    try:
        is_code = isinstance(obj._meta.get_field(name), models.SlugField)
    except FieldDoesNotExist:
        is_code = False
    return Code(value) if is_code and value else value


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
    if not entry.open_to(request.user):
        raise PermissionDenied(_("Your role (%(role)s) is shown no %(records)s.") % {
            "role": request.user.get_role_display(), "records": entry.model._meta.verbose_name_plural})
    qs = entry.queryset(request.user)
    asked = _ListQuery(request.GET)
    asked.is_valid()  # a page that is not a number is the first page, as the paginator reads it
    query = asked.cleaned_data.get("q") or ""
    qs = matching(qs, entry.search_fields, query)  # every word in one of the fields (core.matching)
    fmt = choice(request.GET, "format", exports.EXPORT_FORMATS, "")
    if fmt:
        return exports.report_response(export(entry, qs, request.user), fmt, entry.slug)
    page = Paginator(qs, 50).get_page(asked.cleaned_data.get("page"))
    rows = [(reverse(entry.url_name("detail"), args=[obj.pk]), [_cell(obj, f) for f in entry.list_fields])
            for obj in page]
    return render(request, "core/list.html", {
        "entry": entry, "page": page, "rows": rows, "query": query,
        "headers": [_label(entry.model, f) for f in entry.list_fields],
        "title": entry.model._meta.verbose_name_plural,
        "add_url": reverse(entry.url_name("add")) if entry.form_fields and request.user.role_can_edit else None,
        "import_url": reverse(entry.url_name("import")) if entry.can_import and request.user.role_can_edit else None,
    })


def export(entry: Entry, records, user) -> exports.Report:
    """``records`` (the list page's, searched as it is) as an export: the list's columns and then
    the form's other fields, headed as the pages label them, a record's name where it refers to one,
    secrets masked as on the pages; the registry as it stands now."""
    fields = [*entry.list_fields, *(f for f in entry.form_fields if f not in entry.list_fields)]
    name = entry.model._meta.verbose_name_plural
    rows = ({f: _cell(obj, f) for f in fields} for obj in records)
    columns = [exports.Column(f, capfirst(_label(entry.model, f))) for f in fields]
    return exports.Report(str(name), [exports.Table(name, columns, rows)], as_of=clock.now(),
                          scope=exports.scope_label(user))


def _get_visible(request, entry: Entry, pk: int):
    _require_login(request)
    return get_object_or_404(entry.queryset(request.user), pk=pk)


#: Fields of the machinery, not of the record (the primary key, the region tree's bookkeeping).
INTERNAL_FIELDS = frozenset({"id", "path", "depth", "numchild"})


def _choice(model, name: str, value):
    """A stored value in a record's history as its page shows it: a choice by its label."""
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return shown(choices.get(value, value))


def detail_view(request, entry: Entry, pk: int):
    obj = _get_visible(request, entry, pk)
    fields = [f for f in entry.model._meta.concrete_fields
              if f.name not in INTERNAL_FIELDS and not f.name.startswith("_")]
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
        "delete_url": reverse(entry.url_name("delete"), args=[obj.pk])
        if entry.can_delete and policy.can_change(request.user, obj) else None,
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
                    else (_label(entry.model, c.field), _choice(entry.model, c.field, c.old), _choice(entry.model, c.field, c.new))
                    for c in record.diff_against(previous).changes if c.field not in INTERNAL_FIELDS]
        changes.append((record, diff))
    return render(request, "core/history.html", {"entry": entry, "object": obj, "changes": changes,
                                                 "detail_url": reverse(entry.url_name("detail"), args=[obj.pk]),
                                                 "title": _("History of %(object)s") % {"object": obj}})


class RegistryForm(ScopedModelForm):
    """A registry record's form: choices scoped by the policy, and the version the record was read at
    (``_version``, hidden), so that a save over a version someone else has changed since is refused
    with code ``conflict`` instead of silently overwriting their change. Secret fields may be left
    blank to keep the stored value (``keep``)."""

    _version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, user, *args, read_at: int = 0, keep=(), **kwargs):
        super().__init__(user, *args, **kwargs)
        self.read_at = read_at
        self.fields["_version"].initial = read_at
        for name in keep:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None and self.cleaned_data.get("_version") != self.read_at:
            raise ValidationError(_("Someone else saved this record after you opened it. Nothing of yours was "
                                    "saved; the changes made meanwhile are listed below. Open the record again to "
                                    "edit the current version."), code="conflict")
        return data


class _ListQuery(SearchQuery):
    """A list page's search words (``?q=``, :class:`gongjian.core.params.SearchQuery`) and page number
    (``?page=``)."""

    page = forms.IntegerField(required=False, min_value=1)


class _Reveal(forms.Form):
    """``?reveal=1`` on an edit page: the editor asked to see the stored secret values."""

    reveal = forms.BooleanField(required=False)


def _form_class(entry: Entry, reveal: bool):
    """The entry's model form; secret fields are password inputs (blank keeps the value) unless the
    editor asked to see them."""
    secrets = [f for f in entry.form_fields if is_secret(entry.model, f)]
    widgets = {} if reveal else {f: forms.PasswordInput(render_value=False) for f in secrets}
    return forms.modelform_factory(entry.model, form=RegistryForm, fields=entry.form_fields, widgets=widgets)


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
        raise PermissionDenied(policy.EDIT.summary)
    secrets = {f: getattr(obj, f) for f in entry.form_fields if obj is not None and is_secret(entry.model, f)}
    reveal = _Reveal(request.GET)
    read_at = version_of(obj)
    form = bind(request, _form_class(entry, reveal=reveal.is_valid() and reveal.cleaned_data["reveal"]),
                instance=obj, read_at=read_at, keep=secrets)
    conflict, status = [], 200
    if request.method == "POST" and not form.is_valid() and form.has_error(NON_FIELD_ERRORS, "conflict"):
        conflict = changes_since(entry, obj, form.cleaned_data.get("_version") or 0)
        status = 409
    elif form.is_bound and form.is_valid():
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
        "entry": entry, "form": form, "object": obj, "conflict": conflict,
        "secrets": bool(secrets), "title": str(obj) if obj else entry.model._meta.verbose_name}, status=status)


#: What a deletion page lists of the records it takes along or that stop it, per kind of record.
SHOWN_RECORDS = 20


def _grouped(records: dict | list, user) -> list[tuple[str, int, list[str]]]:
    """(plural name, count, the first records as ``user`` may see them named) per kind of record."""
    if isinstance(records, list):
        by_model: dict = {}
        for record in records:
            by_model.setdefault(type(record), []).append(record)
        records = by_model
    return [(model._meta.verbose_name_plural, len(rows), [named(r, user) for r in rows[:SHOWN_RECORDS]])
            for model, rows in records.items()]


def delete_view(request, entry: Entry, pk: int):
    """Delete a record, under the policy's ``EDIT`` rule (declared in :func:`urlpatterns_for`) and
    ``policy.can_change``. ``GET`` shows what the deletion takes along; ``POST`` deletes it
    (:mod:`gongjian.core.deletion`, which the API's ``DELETE`` uses too), and its history keeps it.
    Refused (409) with the reason when another record protects it, or when it would take along a
    record the person may not change."""
    _require_login(request)
    if not entry.can_delete:
        raise Http404
    obj = _get_visible(request, entry, pk)
    if not policy.can_change(request.user, obj):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        deletion = delete(obj, request.user)
        if deletion.done:
            messages.success(request, _("%(object)s was deleted; its history keeps it.") % {"object": obj})
            return redirect(entry.url_name("list"))
        status = 409
    else:
        deletion = deletion_of(obj, request.user)
    return render(request, "core/delete.html", {
        "entry": entry, "object": obj, "title": _("Delete %(object)s") % {"object": obj},
        "along": _grouped(deletion.along, request.user), "protected": _grouped(deletion.protected, request.user),
        "forbidden": _grouped(deletion.forbidden, request.user), "unrecorded": _grouped(deletion.unrecorded, request.user),
        "blocked": deletion.blocked,
        "detail_url": reverse(entry.url_name("detail"), args=[obj.pk])}, status=status)


class ImportForm(ScopedForm):
    """One table file, refused before it is read unless it is CSV or Excel within the limits."""

    file = UploadField(TABLE, label=gettext_lazy("File"))


def import_spec(entry: Entry, user) -> imports.ImportSpec:
    """How ``user`` imports an entry's records: its form's fields as columns, the rows that update
    found by ``import_key``, every row validated by the model itself (:mod:`gongjian.core.imports`)
    and by the policy as the form is: a relation names only what the user sees, a row lands only
    inside their jurisdiction, updates only records they may change; ``entry.prepare`` fills what
    the form does not ask."""
    model = entry.model
    relations = {name: policy.visible(user, f.related_model._default_manager.all())
                 for name in entry.form_fields if (f := model._meta.get_field(name)).is_relation}
    scope = policy.scope_of(model)
    placed_by = scope.region.split("__")[0] if scope is not None and scope.region not in (None, SELF) else ""

    def prepare(row) -> None:
        record, is_new = row.instance, row.stored is None
        # judged on the record as stored: the row's own values (a region in the key's place) must
        # not decide whether the row may change it
        if not is_new and not policy.can_change(user, row.stored):
            row.problem(_("This row names a record you may not change."))
            return
        if entry.prepare is not None:
            entry.prepare(record, user, is_new)
        region = policy.region_of(record)
        if region is not None and not policy.can_place(user, region):
            row.problem(_("You may only place records inside your jurisdiction."), placed_by)

    return imports.ImportSpec.for_fields(model, entry.form_fields, querysets=relations, key=entry.import_key,
                                         prepare=prepare, within=policy.visible(user, model._default_manager.all()))


def import_view(request, entry: Entry):
    """Create and update many records at once from a CSV or Excel file of the entry's form fields,
    under the policy's ``EDIT`` rule. The whole file is checked first (the model's own validation,
    and the policy: every row inside the person's jurisdiction); a file with any problem writes
    nothing and gets every problem back (400), each naming its row and column."""
    _require_login(request)
    if not entry.can_import:
        raise Http404
    if not request.user.role_can_edit:
        raise PermissionDenied(policy.EDIT.summary)
    spec = import_spec(entry, request.user)
    form = bind(request, ImportForm)
    problems, status = [], 200
    if form.is_bound:
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with upload_on_disk(upload, TABLE) as on_disk:
                    counts = imports.import_rows(on_disk, spec, source=upload.name, user=request.user)
            except InvalidInput as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Imported %(name)s: %(created)s new, %(updated)s changed, %(unchanged)s "
                                            "unchanged.") % {"name": upload.name, "created": counts.created,
                                                             "updated": counts.updated, "unchanged": counts.unchanged})
                return redirect(entry.url_name("list"))
        status = 400
    return render(request, "core/import.html", {
        "entry": entry, "form": form, "problems": problems, "columns": spec.columns,
        "bookkeeping": imports.BOOKKEEPING_HEADERS,
        "title": _("Import %(records)s") % {"records": entry.model._meta.verbose_name_plural},
        "records": entry.model._meta.verbose_name_plural,
        "list_url": reverse(entry.url_name("list"))}, status=status)


@functools.cache
def _guarded(view):
    """``view`` under the policy's ``EDIT`` write rule; built when URLs load, after the apps are
    ready, because the rule is the policy's."""
    return writes(policy.EDIT)(view)


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
                path(f"{slug}/add/", _guarded(edit_view), kw, name=f"{slug}_add"),
                path(f"{slug}/<int:pk>/edit/", _guarded(edit_view), kw, name=f"{slug}_edit"),
            ]
        if entry.can_delete:
            patterns.append(path(f"{slug}/<int:pk>/delete/", _guarded(delete_view), kw, name=f"{slug}_delete"))
        if entry.can_import:
            patterns.append(path(f"{slug}/import/", _guarded(import_view), kw, name=f"{slug}_import"))
    return patterns
