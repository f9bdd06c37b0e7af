"""Who may change what: every state-changing view and API action, tried by every kind of user.

The expectations are written out in ``tests/write_cases.py`` (views) and below (registries and the
API), independently of the policy's code. A request the expectation refuses must write nothing at
all: the test records every SQL statement the request runs and fails on any INSERT, UPDATE or
DELETE outside the session tables. A request it allows must write. Each user's attempt runs in a
savepoint rolled back afterwards, so all start from the same world.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from gongjian.air.models import ExceptionalEvent, Station
from gongjian.core.api import ScopedModelViewSet
from gongjian.core.registry import REGISTRY
from gongjian.core.writes import write_rule_of
from gongjian.regions.models import Person
from tests.registry_cases import form_data
from tests.scope_cases import CASES as READ_CASES
from tests.write_cases import CASES, OVER_COUNTY_A

#: Tables a request may write without changing anything of the office's (sign-in bookkeeping).
BOOKKEEPING = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(django_session|axes_\w+)"?', re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class WriteRecorder:
    """Every INSERT, and every UPDATE or DELETE that changed rows (rowcount -1, unknown, counts as changed;
    an INSERT ... RETURNING reports its rows only once fetched, so every INSERT counts)."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if WRITE.match(sql) and not BOOKKEEPING.match(sql) and (sql.lstrip()[:6].upper() == "INSERT"
                                                                or context["cursor"].rowcount != 0):
            self.writes.append(sql)
        return result


def _state_changing_views() -> set[str]:
    """URL names of every view that declares a write rule (registry add/edit pages included)."""
    found: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and write_rule_of(p.callback) is not None and p.name:
                found.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return found


def _registry_write_names() -> set[str]:
    """The registry's generated write pages: edits and deletions are tried below by every user, and
    every page of each registry (imports included) by its generic tests (tests/registry_cases.py)."""
    declared = {"add": lambda e: bool(e.form_fields), "edit": lambda e: bool(e.form_fields),
                "delete": lambda e: e.can_delete, "import": lambda e: e.can_import}
    return {e.url_name(a) for e in REGISTRY.values() for a, has in declared.items() if has(e)}


def test_every_state_changing_view_has_a_case():
    missing = _state_changing_views() - _registry_write_names() - {c.url_name for c in CASES}
    assert not missing, f"state-changing views without a case in tests/write_cases.py: {sorted(missing)}"


def test_an_undeclared_view_refuses_every_write(world, client):
    """The write guard fails closed: a POST to a page that declares no write rule changes nothing."""
    client.force_login(world.people["city_office"])
    assert client.post(reverse("air:now")).status_code == 403


def _users(world) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.filter(username__in=[*world.people, "power_company"])}


def _attempt(client, user, method, url, data, **extra):
    client.force_login(user)
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        response = getattr(client, method)(url, data, **extra)
    assert response.status_code < 500, (user.username, url, response.status_code)
    return response, recorder.writes


def _check(world, client, build, may, label, method="post", must_write=True, **extra):
    with transaction.atomic():
        url, data = build(world)
        users = _users(world)
        for username, user in sorted(users.items()):
            with transaction.atomic():
                response, written = _attempt(client, user, method, url, data() if callable(data) else data, **extra)
                if username in may and must_write:
                    assert written, f"{label}: {username} may, but nothing was written ({response.status_code})"
                elif username in may:
                    assert response.status_code not in (403, 404), f"{label}: {username} may, but was refused"
                else:
                    assert not written, f"{label}: {username} may not, but wrote {written[:1]}"
                transaction.set_rollback(True)
            for value in (data or {}).values() if isinstance(data, dict) else ():
                if hasattr(value, "seek"):
                    value.seek(0)  # the same upload again for the next user
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.url_name}:{c.label}")
def test_write_matrix(world, client, case):
    _check(world, client, case.build, case.may, f"{case.url_name} ({case.label})", must_write=case.must_write)


EDITABLE = [m for m, e in REGISTRY.items() if e.form_fields and m in READ_CASES]


def _proposed_with_a_station(w, event):
    event.proposed_by = w.people["city_office"]
    event.save()
    event.stations.add(Station.objects.create(code="ST-e", name="中牟站", kind="county", region=w.regions["county_a"]))


#: What a record of the read matrix lacks to be saved through its form as it is.
COMPLETE = {ExceptionalEvent: _proposed_with_a_station}


@pytest.mark.parametrize("model", EDITABLE, ids=lambda m: m.__name__)
def test_registry_edits(world, client, model):
    """A record in county A (or in its town and enterprise) saved as it is, by every kind of user:
    only the editors over county A change it."""
    entry = REGISTRY[model]
    factory = READ_CASES[model][0]

    def build(w):
        record = factory(w)["county_a"]
        COMPLETE.get(model, lambda w, r: None)(w, record)
        return reverse(entry.url_name("edit"), args=[record.pk]), form_data(entry, record)

    _check(world, client, build, OVER_COUNTY_A, f"{model.__name__} edit")


DELETABLE = [m for m, e in REGISTRY.items() if e.can_delete and m in READ_CASES]


@pytest.mark.parametrize("model", DELETABLE, ids=lambda m: m.__name__)
def test_registry_deletes(world, client, model):
    """A record in county A (or in its town and enterprise) deleted through its delete page, by every
    kind of user: only the editors over county A delete it."""
    entry = REGISTRY[model]
    factory = READ_CASES[model][0]

    def build(w):
        return reverse(entry.url_name("delete"), args=[factory(w)["county_a"].pk]), {}

    _check(world, client, build, OVER_COUNTY_A, f"{model.__name__} delete")


def _api_write_routes() -> list[tuple[str, type]]:
    from gongjian.site.urls import router

    return [(prefix, viewset) for prefix, viewset, _basename in router.registry
            if issubclass(viewset, ScopedModelViewSet)]


API_MODELS = [(prefix, viewset) for prefix, viewset in _api_write_routes() if viewset.queryset.model in READ_CASES]


def test_every_writable_api_route_has_a_case():
    from gongjian.site.urls import router

    covered = {prefix for prefix, _ in API_MODELS} | {"sources/meter-readings", "emergency/outbox"}
    writable = {prefix for prefix, viewset, _ in router.registry
                if issubclass(viewset, ScopedModelViewSet) or hasattr(viewset, "create")
                or any("post" in getattr(getattr(viewset, a, None), "mapping", {}) for a in dir(viewset)
                       if not a.startswith("_"))}
    assert writable <= covered, f"writable API routes without a case: {sorted(writable - covered)}"


@pytest.mark.parametrize(("prefix", "viewset"), API_MODELS, ids=[p for p, _ in API_MODELS])
def test_api_edits(world, prefix, viewset):
    """PATCH of a record in county A through the API: only the editors over county A change it."""
    model = viewset.queryset.model
    factory = READ_CASES[model][0]
    basename = prefix.replace("/", "-")
    api = APIClient()

    def build(w):
        record = factory(w)["county_a"]
        return reverse(f"{basename}-detail", args=[record.pk]), {}

    class Forcing:
        """APIClient with the policy's own sign-in: ``force_login`` as the page client has."""

        def force_login(self, user):
            api.force_authenticate(user)

        def patch(self, url, data):
            return api.patch(url, data, format="json")

    _check(world, Forcing(), build, OVER_COUNTY_A, f"API {prefix} PATCH", method="patch")
