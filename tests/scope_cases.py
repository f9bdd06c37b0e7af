"""The scope matrix: for every registry model, records placed on each side of every scope
rule, and for every kind of user, which of those places they must see.

Each app brings a factory for each model it registers in ``tests/<app label>/scope_cases.py``
(found through the installed domain apps); ``test_every_registry_model_has_a_case`` fails when a
registry model has none, so no page can go untested.

Places (see ``conftest.World``): ``city``, ``county_a``, ``town_a1``, ``e1`` (an enterprise in
town A1), ``county_b``, ``town_b1``, ``e2`` (an enterprise in town B1).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util

from gongjian.core.apps import domain_apps

ALL = {"city", "county_a", "town_a1", "e1", "county_b", "town_b1", "e2"}

#: What each user must see, independent of the policy's code. ``owned`` are the places an
#: enterprise user sees when the model has an owner; ``public`` marks the public reviewer.
EXPECTED = {
    "city_office": ALL,
    "city_bureau": ALL,
    "department": ALL,
    "county_a_office": {"county_a", "town_a1", "e1"},
    "county_b_office": {"county_b", "town_b1", "e2"},
    "town_a1_gov": {"town_a1", "e1"},
    "enterprise_e1": "owned:e1",
    "enterprise_e2": "owned:e2",
    "public_city": "public",
}


#: For models whose records bind the regions below them (Scope(inherited=True)): the places above each
#: user's jurisdiction, which such users also see.
ABOVE = {"county_a_office": {"city"}, "county_b_office": {"city"}, "town_a1_gov": {"city", "county_a"}}


def expected_places(user: str, owned: bool, public: bool, inherited: bool = False) -> set[str]:
    rule = EXPECTED[user]
    if rule == "public":
        return ALL if public else set()
    if isinstance(rule, str):  # an enterprise
        return {rule.split(":")[1]} if owned else set()
    return rule | (ABOVE.get(user, set()) if inherited else set())



def place_region(w, place):
    """The region a place's records belong to: an enterprise's town for ``e1`` and ``e2``."""
    return w.regions[{"e1": "town_a1", "e2": "town_b1"}.get(place, place)]


@functools.cache
def _collect():
    """Every domain app's cases, from ``tests/<app label>/scope_cases.py``: an app brings its own."""
    cases, inherited, reference = {}, set(), {}
    for app in domain_apps():
        if importlib.util.find_spec(f"tests.{app.label}.scope_cases") is None:
            continue
        module = importlib.import_module(f"tests.{app.label}.scope_cases")
        cases.update(module.CASES)
        inherited |= getattr(module, "INHERITED", set())
        reference.update(getattr(module, "REFERENCE", {}))
    return {"CASES": cases, "INHERITED": inherited, "REFERENCE": reference}


def __getattr__(name: str):
    """``CASES`` (model -> (factory(world) -> {place: record}, has an owner, public)), ``INHERITED``
    (models declared Scope(inherited=True), written out independently of the declarations) and
    ``REFERENCE`` (models the same for every staff user): gathered on first use, as the apps' case
    modules import this one for the places."""
    if name in ("CASES", "INHERITED", "REFERENCE"):
        return _collect()[name]
    raise AttributeError(name)
