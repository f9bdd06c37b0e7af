"""The scope-matrix cases of the regions app's registry models (see tests/scope_cases.py)."""

from gongjian.regions.models import Organisation, OrganisationAlias, Person, Region, RegionGroup
from tests.scope_cases import ALL


def regions(w):
    return {p: w.regions[p] for p in ("city", "county_a", "town_a1", "county_b", "town_b1")}


def organisations(w):
    return {p: w.organisations[p] for p in ALL}


def aliases(w):
    return {p: OrganisationAlias.objects.create(organisation=o, alias=f"别名{p}") for p, o in organisations(w).items()}


def groups(w):
    group = RegionGroup.objects.create(slug="g", name="组")
    return {p: group for p in ALL - {"e1", "e2"}}  # reference data: not tied to one place


def people(w):
    return {"city": w.people["city_office"], "county_a": w.people["county_a_office"],
            "town_a1": w.people["town_a1_gov"], "e1": w.people["enterprise_e1"],
            "county_b": w.people["county_b_office"], "town_b1": Person.objects.create(
                username="b1", role="town_government", jurisdiction=w.regions["town_b1"]),
            "e2": w.people["enterprise_e2"]}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {
    Region: (regions, False, True),
    Organisation: (organisations, True, True),
    OrganisationAlias: (aliases, True, True),
    Person: (people, True, False),
}

#: Models that are the same for every staff user (reference data), with the roles that see none.
REFERENCE = {RegionGroup: groups}
