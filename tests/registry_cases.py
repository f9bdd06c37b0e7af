"""The generic tests of a registry declaration, in the spirit of NetBox's ``ViewTestCases``.

A registry (an :class:`gongjian.core.registry.Entry`) gets its tests from a few lines::

    class TestStation(RegistryTests):
        model = Station
        new = {"code": "ST-new"}                # what a new record changes of the county A record
        changes = {"name": "新名"}              # an edit, whose history must name the field
        invalid = {"latitude": "north"}         # a value the form refuses, naming the field
        csv_rows = [{"code": "ST-c1"}, {"code": "ST-c2"}]   # an import of two new records
        csv_invalid = {"latitude": "north"}     # an imported cell the model refuses
        csv_update = {"name": "新名"}           # with an ``import_key``: a row that updates the record

Every value may also be a method of the world (``def new(self, w): ...``) when it needs records;
``protect(w, record)`` returns a record that stops the deletion, ``forbidden_along(w, record)`` one
the deletion would take along that the editor may not change, ``make_record(w)`` replaces the
record under test.
The record under test is the scope matrix's record in county A (``tests/scope_cases.py``); its
editor is county A's campaign office, the outsider county B's, and the public reviewer, the town
government and the enterprise are refused every write. The tests run on the real database through
Django's test client and the API client, the pages and routes as URLs resolve them:

- list, detail and history shown to the editor, hidden from the outsider (404);
- create through the add page (the row appears, its history names the editor); a refused value
  answers 400 naming the field, and writes nothing; the outsider cannot place it in county A;
- edit (the history's diff names the changed fields); a stale edit answers 409 and changes nothing;
- delete (the row goes, the history keeps a deletion row naming the editor; the outsider gets 404
  and nothing is deleted; a protecting record stops it with 409, when ``protect`` is declared, and
  so does a cascade onto a record the editor may not change, when ``forbidden_along`` is);
- import of a CSV of the form's columns (rows created, with history; a bad cell answers 400 with
  a problem naming its row and column, and writes nothing; a row naming a stored record by the
  entry's ``import_key`` updates it, with history, and the outsider's is refused for what it does
  not see and writes nothing; a record seen from above is not moved below by a row keyed without
  its region);
- the refused roles get 403 from every write page and change nothing;
- through the registered API route, if the model has a writable one: POST, PATCH and DELETE by
  the editor, refused (403 or 404, nothing written) for the outsider and the refused roles.

A declaration without a form gets the read tests, and a test that it has no write pages.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from gongjian.core import imports
from gongjian.core.api import ScopedModelViewSet
from gongjian.core.problems import InvalidInput
from gongjian.core.registry import REGISTRY, import_spec, version_of
from tests.scope_cases import CASES as READ_CASES
from tests.scope_cases import INHERITED

WRITE_ACTIONS = ("add", "edit", "delete", "import")


def form_data(entry, record) -> dict:
    """What the record's edit form posts when saved as it is (the version it was read at included)."""
    data = {}
    for name, value in model_to_dict(record, fields=entry.form_fields).items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, dt.datetime):
            data[name] = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return {**data, "_version": version_of(record)}


def api_data(data: dict) -> dict:
    """Form data as JSON for the API: checkboxes as booleans, blanks left out (the API's default)."""
    out = {}
    for name, value in data.items():
        if name.startswith("_") or value == "":
            continue
        out[name] = True if value == "on" else value
    return out


def csv_text(rows: list[dict]) -> str:
    """A CSV file of ``rows``, the first row naming the columns (the form's field names)."""
    buffer = io.StringIO()
    names = [n for n in rows[0] if not n.startswith("_")]
    writer = csv.DictWriter(buffer, names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({n: _cell(v) for n, v in row.items() if n in names})
    return buffer.getvalue()


def _cell(value) -> str:
    """A form value as a spreadsheet cell: checkboxes as true, several choices separated by commas,
    structured values as JSON."""
    if value == "on":
        return "true"
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def api_route(model, *, writable: bool = True) -> str | None:
    """The basename of the API route whose viewset serves ``model`` (one that takes POST, unless
    ``writable`` is false), as URLs resolve it: no test keeps its own list of routes."""

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list"):
                cls = getattr(p.callback, "cls", None)
                queryset = getattr(cls, "queryset", None)
                if (queryset is not None and queryset.model is model
                        and (not writable or (issubclass(cls, ScopedModelViewSet)
                                              and "post" in getattr(p.callback, "actions", {})))):
                    yield p.name.removesuffix("-list")

    return next(walk(get_resolver().url_patterns), None)


def snapshot(model) -> tuple[int, int]:
    """The rows and history rows of ``model``: equal before and after means nothing was written."""
    return model._default_manager.count(), model.history.count()


def _refused_form(response) -> bool:
    """The form page again, with its errors (400 where the page says so, as the form base does)."""
    return response.status_code in (200, 400) and bool(response.context["form"].errors)


def _resolve(value, w):
    return value(w) if callable(value) else value


#: The policy's refusals of an imported row, as the registry's import page words them (English msgids).
PLACE_REFUSAL = "You may only place records inside your jurisdiction."
CHANGE_REFUSAL = "This row names a record you may not change."


def _policy_refusal(response, message: str) -> bool:
    """Whether an import page's problems include ``message``, in the language the page was answered in."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = translation.gettext(message)
    return any(p.message == expected for p in response.context["problems"])


class RegistryTests:
    """Subclass as ``Test<Name>`` with ``model`` and the payloads; see the module's docstring."""

    model: type
    #: Field values of a new record that differ from the county A record's (unique fields, mostly).
    new: dict = {}
    #: An edit of the county A record; its history row must name these fields.
    changes: dict = {}
    #: Values the form refuses; the error must name each of these fields.
    invalid: dict = {}
    #: Rows of an import, each as the differences from the county A record's form data.
    csv_rows: list = []
    #: One cell the import refuses (applied to a row after the first): its problem names row and column.
    csv_invalid: dict = {}
    #: Where the entry declares an ``import_key``: what a row naming the county A record changes of it.
    csv_update: dict = {}
    editor = "county_a_office"
    outsider = "county_b_office"
    refused = ("public_city", "enterprise_e1", "town_a1_gov")

    # --- what the declarations mean -------------------------------------------------------------

    @property
    def entry(self):
        return REGISTRY[self.model]

    def make_record(self, w):
        """The record under test: the scope matrix's record in county A."""
        return READ_CASES[self.model][0](w)["county_a"]

    def record(self, w):
        """The record under test, made once per test (pytest makes an instance per test)."""
        if not hasattr(self, "_record"):
            self._record = self.make_record(w)
        return self._record

    def protect(self, w, record):
        """A record that stops ``record`` from being deleted (``on_delete=PROTECT``), or ``None``."""
        return None

    def forbidden_along(self, w, record):
        """A record that deleting ``record`` would take along (``on_delete=CASCADE``) and that the
        editor may not change (one outside county A), or ``None``."""
        return None

    def _payload(self, w, record, overrides) -> dict:
        data = form_data(self.entry, record)
        data.pop("_version")
        return {**data, **_resolve(overrides, w)}

    def _url(self, action, *args):
        return reverse(self.entry.url_name(action), args=args)

    def _has_form(self):
        if not self.entry.form_fields:
            pytest.skip(f"{self.model.__name__} has no form: its write pages are absent (test_write_pages)")

    def _login(self, client, w, username):
        client.force_login(w.people[username])
        return client

    # --- read ---------------------------------------------------------------------------------

    def test_list_detail_history(self, world, client):
        record = self.record(world)
        detail = self._url("detail", record.pk)
        self._login(client, world, self.editor)
        assert f'href="{detail}"' in client.get(self._url("list"), {"page": 1}).content.decode()
        assert client.get(detail).status_code == 200
        assert client.get(self._url("history", record.pk)).status_code == 200
        self._login(client, world, self.outsider)
        assert f'href="{detail}"' not in client.get(self._url("list"), {"page": 1}).content.decode()
        assert client.get(detail).status_code == 404
        assert client.get(self._url("history", record.pk)).status_code == 404

    def test_write_pages(self, world, client):
        """The write pages exist exactly as declared, and their buttons show to the editor only."""
        entry = self.entry
        declared = {"add": bool(entry.form_fields), "edit": bool(entry.form_fields), "delete": entry.can_delete,
                    "import": entry.can_import}
        for action, expected in declared.items():
            try:
                reverse(entry.url_name(action), args=[1] if action in ("edit", "delete") else [])
                exists = True
            except NoReverseMatch:
                exists = False
            assert exists == expected, f"{self.model.__name__} {action} page: declared {expected}, found {exists}"
        record = self.record(world)
        for username, shown in ((self.editor, True), *((u, False) for u in self.refused)):
            self._login(client, world, username)
            if declared["import"]:
                listed = client.get(self._url("list")).content.decode()
                assert (f'href="{self._url("import")}"' in listed) == shown, (username, "import")
            page = client.get(self._url("detail", record.pk))
            if page.status_code == 404:
                continue  # a refused role that does not even see the record
            body = page.content.decode()
            for action in ("edit", "delete"):
                if declared[action]:
                    assert (f'href="{self._url(action, record.pk)}"' in body) == shown, (username, action)

    # --- create -------------------------------------------------------------------------------

    def test_create(self, world, client):
        self._has_form()
        data = self._payload(world, self.record(world), self.new)
        before = self.model._default_manager.count()
        self._login(client, world, self.editor)
        assert client.get(self._url("add")).status_code == 200
        response = client.post(self._url("add"), data)
        assert response.status_code == 302, self._errors(response)
        assert self.model._default_manager.count() == before + 1
        created = self.model._default_manager.order_by("-pk").first()
        assert response["Location"] == self._url("detail", created.pk)
        history = list(created.history.all())
        assert [h.history_type for h in history] == ["+"]
        assert history[0].history_user == world.people[self.editor]

    def test_create_refuses_invalid_values(self, world, client):
        self._has_form()
        invalid = _resolve(self.invalid, world)
        assert invalid, f"declare `invalid` for {self.model.__name__}: a value its form must refuse"
        data = {**self._payload(world, self.record(world), self.new), **invalid}
        before = snapshot(self.model)
        self._login(client, world, self.editor)
        response = client.post(self._url("add"), data)
        assert _refused_form(response)
        assert set(invalid) <= set(response.context["form"].errors), response.context["form"].errors
        assert snapshot(self.model) == before

    def test_outsider_cannot_place_a_record_in_county_a(self, world, client):
        self._has_form()
        data = self._payload(world, self.record(world), self.new)
        before = snapshot(self.model)
        self._login(client, world, self.outsider)
        assert _refused_form(client.post(self._url("add"), data))
        assert snapshot(self.model) == before

    # --- edit ---------------------------------------------------------------------------------

    def test_edit(self, world, client):
        self._has_form()
        changes = _resolve(self.changes, world)
        assert changes, f"declare `changes` for {self.model.__name__}: an edit its history must show"
        record = self.record(world)
        self._login(client, world, self.editor)
        assert client.get(self._url("edit", record.pk)).status_code == 200
        response = client.post(self._url("edit", record.pk), {**form_data(self.entry, record), **changes})
        assert response.status_code == 302, self._errors(response)
        latest = record.history.order_by("-history_id").first()
        assert latest.history_type == "~" and latest.history_user == world.people[self.editor]
        assert set(changes) <= {c.field for c in latest.diff_against(latest.prev_record).changes}
        history = client.get(self._url("history", record.pk)).content.decode()
        assert all(str(self.model._meta.get_field(f).verbose_name) in history for f in changes)

    def test_stale_edit_is_refused(self, world, client):
        self._has_form()
        record = self.record(world)
        stale = form_data(self.entry, record)
        type(record)._default_manager.get(pk=record.pk).save()  # someone else saves meanwhile
        before = snapshot(self.model)
        self._login(client, world, self.editor)
        response = client.post(self._url("edit", record.pk), {**stale, **_resolve(self.changes, world)})
        assert response.status_code == 409
        assert snapshot(self.model) == before

    # --- delete -------------------------------------------------------------------------------

    def _deletable(self):
        self._has_form()
        if not self.entry.can_delete:
            pytest.skip(f"{self.model.__name__} declares deletable=False")

    def test_delete(self, world, client):
        self._deletable()
        record = self.record(world)
        self._login(client, world, self.outsider)
        assert client.post(self._url("delete", record.pk)).status_code == 404
        assert self.model._default_manager.filter(pk=record.pk).exists()
        self._login(client, world, self.editor)
        page = client.get(self._url("delete", record.pk))
        assert page.status_code == 200 and 'id="confirm-delete"' in page.content.decode()
        response = client.post(self._url("delete", record.pk))
        assert response.status_code == 302 and response["Location"] == self._url("list")
        assert not self.model._default_manager.filter(pk=record.pk).exists()
        last = self.model.history.filter(id=record.pk).order_by("-history_id").first()
        assert last.history_type == "-" and last.history_user == world.people[self.editor]

    def test_protected_record_is_not_deleted(self, world, client):
        self._deletable()
        record = self.record(world)
        protector = self.protect(world, record)
        if protector is None:
            pytest.skip(f"{self.model.__name__}: no `protect` declared")
        self._login(client, world, self.editor)
        assert 'id="confirm-delete"' not in client.get(self._url("delete", record.pk)).content.decode()
        response = client.post(self._url("delete", record.pk))
        assert response.status_code == 409
        assert str(protector) in response.content.decode()
        assert self.model._default_manager.filter(pk=record.pk).exists()

    def test_deletion_taking_along_what_the_editor_may_not_change_is_refused(self, world, client):
        """A cascade never removes a record its author could not delete by hand: the page and the API
        refuse (409) and delete nothing."""
        self._deletable()
        record = self.record(world)
        along = self.forbidden_along(world, record)
        if along is None:
            pytest.skip(f"{self.model.__name__}: no `forbidden_along` declared")
        before = snapshot(self.model), snapshot(type(along))
        self._login(client, world, self.editor)
        page = client.get(self._url("delete", record.pk)).content.decode()
        assert 'id="forbidden"' in page and 'id="confirm-delete"' not in page
        response = client.post(self._url("delete", record.pk))
        assert response.status_code == 409 and 'id="forbidden"' in response.content.decode()
        route = api_route(self.model)
        if route is not None:
            api = APIClient()
            api.force_authenticate(world.people[self.editor])
            refused = api.delete(reverse(f"{route}-detail", args=[record.pk]))
            assert refused.status_code == 409 and refused.json()["forbidden"], refused.content
        assert (snapshot(self.model), snapshot(type(along))) == before

    # --- import -------------------------------------------------------------------------------

    def _importable(self):
        self._has_form()
        if not self.entry.can_import:
            pytest.skip(f"{self.model.__name__} declares importable=False")

    def _csv(self, w, rows) -> SimpleUploadedFile:
        record = self.record(w)
        text = csv_text([self._payload(w, record, row) for row in rows])
        return SimpleUploadedFile(f"{self.model._meta.model_name}.csv", text.encode(), "text/csv")

    def test_import(self, world, client):
        self._importable()
        rows = _resolve(self.csv_rows, world)
        assert rows, f"declare `csv_rows` for {self.model.__name__}: rows of an import"
        upload = self._csv(world, rows)
        before = self.model._default_manager.count()
        self._login(client, world, self.editor)
        page = client.get(self._url("import"))
        assert page.status_code == 200
        assert "序号" in page.content.decode().split('id="bookkeeping"')[1], "the ignored headers are listed"
        response = client.post(self._url("import"), {"file": upload})
        assert response.status_code == 302, (response.status_code, response.context and response.context["problems"])
        assert self.model._default_manager.count() == before + len(rows)
        created = self.model._default_manager.order_by("-pk")[: len(rows)]
        assert all(r.history.get().history_user == world.people[self.editor] for r in created)

    def test_import_refuses_a_bad_row_and_writes_nothing(self, world, client):
        self._importable()
        rows = list(_resolve(self.csv_rows, world))
        invalid = _resolve(self.csv_invalid, world)
        assert rows and invalid, f"declare `csv_rows` and `csv_invalid` for {self.model.__name__}"
        bad = {**rows[-1], **invalid}
        upload = self._csv(world, [*rows, bad])
        before = snapshot(self.model)
        self._login(client, world, self.editor)
        response = client.post(self._url("import"), {"file": upload})
        assert response.status_code == 400
        problems = response.context["problems"]
        row = len(rows) + 2  # the header is row 1, as a spreadsheet counts
        assert any(p.row == row and p.field in self._headers(invalid) for p in problems), problems
        assert snapshot(self.model) == before

    def test_import_updates_by_key(self, world, client):
        self._importable()
        if not self.entry.import_key:
            pytest.skip(f"{self.model.__name__} declares no import_key: every imported row is new")
        update = _resolve(self.csv_update, world)
        assert update, f"declare `csv_update` for {self.model.__name__}: what a row changes of a stored record"
        record = self.record(world)
        before = self.model._default_manager.count()
        self._login(client, world, self.editor)
        response = client.post(self._url("import"), {"file": self._csv(world, [update])})
        assert response.status_code == 302, response.context and response.context["problems"]
        assert self.model._default_manager.count() == before
        latest = record.history.order_by("-history_id").first()
        assert latest.history_type == "~" and latest.history_user == world.people[self.editor]
        assert set(update) <= {c.field for c in latest.diff_against(latest.prev_record).changes}
        self._login(client, world, self.outsider)  # the outsider's row names a record they may not change
        before = snapshot(self.model)
        again = client.post(self._url("import"), {"file": self._csv(world, [update])})
        assert again.status_code == 400
        # the outsider sees neither the record nor what it links to in county A: the row is refused for
        # that alone (no other reason, such as a clashing code, says that the record exists)
        problems = again.context["problems"]
        assert problems and {p.message for p in problems} <= self._unseen(again, world, update), problems
        assert snapshot(self.model) == before

    def _unseen(self, response, w, row) -> set[str]:
        """The refusals of an imported ``row`` (differences from the county A record) by someone outside
        county A, in the page's language: a relation naming a record they do not see, or a row placed
        outside their jurisdiction."""
        data = self._payload(w, self.record(w), row)
        with translation.override(response.wsgi_request.LANGUAGE_CODE):
            refusals = {translation.gettext(PLACE_REFUSAL)}
            for name in self.entry.form_fields:
                f = self.model._meta.get_field(name)
                if f.is_relation and not f.many_to_many and data.get(name) not in (None, ""):
                    refusals.add(translation.gettext("no %(model)s %(v)r") % {
                        "model": f.related_model._meta.verbose_name, "v": _cell(data[name])})
        return refusals

    def test_outsider_import_writes_nothing(self, world, client):
        self._importable()
        upload = self._csv(world, _resolve(self.csv_rows, world))
        before = snapshot(self.model)
        self._login(client, world, self.outsider)
        response = client.post(self._url("import"), {"file": upload})
        assert response.status_code == 400 and response.context["problems"]
        assert snapshot(self.model) == before

    def _headers(self, fields) -> set[str]:
        """What a problem may call a column: the field's name or its header in the file."""
        return {*fields, *(str(self.model._meta.get_field(f).verbose_name) for f in fields)}

    # --- who may write at all -----------------------------------------------------------------

    def test_refused_roles_change_nothing(self, world, client):
        self._has_form()
        record = self.record(world)
        data = self._payload(world, record, self.new)
        edit = {**form_data(self.entry, record), **_resolve(self.changes, world)}
        before = snapshot(self.model)
        for username in self.refused:
            self._login(client, world, username)
            assert client.get(self._url("add")).status_code == 403, username
            attempts = [("add", (), data), ("edit", (record.pk,), edit)]
            if self.entry.can_delete:
                attempts.append(("delete", (record.pk,), {}))
            if self.entry.can_import:
                attempts.append(("import", (), {"file": self._csv(world, [{}])}))
            for action, args, payload in attempts:
                assert client.post(self._url(action, *args), payload).status_code == 403, (username, action)
        assert snapshot(self.model) == before

    def test_seen_from_above_is_not_changed_from_below(self, world, client):
        """A record that binds the regions below it (the city's standard, plan, rule) is seen by
        county A's office, which neither edits nor deletes it."""
        self._has_form()
        if self.model not in INHERITED:
            pytest.skip(f"{self.model.__name__} is not seen from below")
        record = READ_CASES[self.model][0](world)["city"]
        edit = {**form_data(self.entry, record), **_resolve(self.changes, world)}
        before = snapshot(self.model)
        self._login(client, world, self.editor)
        assert client.get(self._url("detail", record.pk)).status_code == 200
        assert client.post(self._url("edit", record.pk), edit).status_code == 403
        if self.entry.can_delete:
            assert client.post(self._url("delete", record.pk)).status_code == 403
        assert snapshot(self.model) == before

    def test_seen_from_above_is_not_moved_below_by_an_import(self, world):
        """Nor does county A's office take the city's record over by an import: a row that names it by
        a key without the region (its id here, as an ``import_key`` of a code would) and puts it in
        county A is refused, because who may change a record is judged on the record as stored, not
        on what the row would make of it."""
        self._importable()
        if self.model not in INHERITED:
            pytest.skip(f"{self.model.__name__} is not seen from below")
        records = READ_CASES[self.model][0](world)
        city, county_a = records["city"], records["county_a"]
        ours, theirs = form_data(self.entry, county_a), form_data(self.entry, city)
        # where the city's record sits: the relations in which it differs from county A's
        placement = [name for name in self.entry.form_fields
                     if self.model._meta.get_field(name).is_relation and ours[name] != theirs[name]]
        assert placement, f"{self.model.__name__}: the city's and county A's records sit alike"
        row = {**theirs, **{name: ours[name] for name in placement}, "id": city.pk}
        entry = dataclasses.replace(self.entry, form_fields=["id", *self.entry.form_fields], import_key=("id",))
        editor = world.people[self.editor]
        before = snapshot(self.model)
        batch = imports.read_rows([{name: _cell(v) for name, v in row.items() if not name.startswith("_")}],
                                  import_spec(entry, editor), "rehome.csv")
        assert CHANGE_REFUSAL in {p.message for p in batch.problems}, batch.problems
        with pytest.raises(InvalidInput):
            imports.save(batch, user=editor)
        assert snapshot(self.model) == before
        assert form_data(self.entry, type(city)._default_manager.get(pk=city.pk)) == theirs

    # --- the API ------------------------------------------------------------------------------

    def _api(self, w, username):
        route = api_route(self.model)
        if route is None:
            pytest.skip(f"{self.model.__name__} has no writable API route")
        api = APIClient()
        api.force_authenticate(w.people[username])
        return route, api

    def test_api_create(self, world):
        route, api = self._api(world, self.editor)
        data = api_data(self._payload(world, self.record(world), self.new))
        before = snapshot(self.model)
        for username in (self.outsider, *self.refused):
            other = APIClient()
            other.force_authenticate(world.people[username])
            assert other.post(reverse(f"{route}-list"), data, format="json").status_code in (400, 403), username
        assert snapshot(self.model) == before
        response = api.post(reverse(f"{route}-list"), data, format="json")
        assert response.status_code == 201, response.content
        created = self.model._default_manager.get(pk=response.json()["id"])
        assert created.history.get().history_user == world.people[self.editor]

    def test_api_update(self, world):
        route, api = self._api(world, self.editor)
        record = self.record(world)
        changes = api_data(_resolve(self.changes, world))
        url = reverse(f"{route}-detail", args=[record.pk])
        before = snapshot(self.model)
        for username in (self.outsider, *self.refused):
            other = APIClient()
            other.force_authenticate(world.people[username])
            assert other.patch(url, changes, format="json").status_code in (403, 404), username
        assert snapshot(self.model) == before
        assert api.patch(url, changes, format="json").status_code == 200
        latest = record.history.order_by("-history_id").first()
        assert latest.history_user == world.people[self.editor]
        assert set(changes) <= {c.field for c in latest.diff_against(latest.prev_record).changes}

    def test_api_delete(self, world):
        route, api = self._api(world, self.editor)
        record = self.record(world)
        url = reverse(f"{route}-detail", args=[record.pk])
        for username in (self.outsider, *self.refused):
            other = APIClient()
            other.force_authenticate(world.people[username])
            assert other.delete(url).status_code in (403, 404), username
        assert self.model._default_manager.filter(pk=record.pk).exists()
        protector = self.protect(world, record)
        if protector is not None:
            assert api.delete(url).status_code == 409
            protector.delete()
        assert api.delete(url).status_code == 204
        assert not self.model._default_manager.filter(pk=record.pk).exists()
        last = self.model.history.filter(id=record.pk).order_by("-history_id").first()
        assert last.history_type == "-" and last.history_user == world.people[self.editor]

    @staticmethod
    def _errors(response):
        context = getattr(response, "context", None)
        return (response.status_code, context["form"].errors if context and "form" in context else None)
