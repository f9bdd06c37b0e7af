"""The regions app's registries through the generic registry tests (tests/registry_cases.py)."""

from gongjian.regions.models import Organisation, OrganisationAlias, Person, Region, RegionGroup
from tests.registry_cases import RegistryTests
from tests.scope_cases import REFERENCE


class TestRegion(RegistryTests):
    model = Region


class TestRegionGroup(RegistryTests):
    model = RegionGroup
    outsider = "enterprise_e1"  # reference data: every staff user sees it

    def make_record(self, w):
        return REFERENCE[RegionGroup](w)["county_a"]


class TestPerson(RegistryTests):
    model = Person


class TestOrganisation(RegistryTests):
    model = Organisation
    new = {"name": "中牟县住房和城乡建设局", "kind": "department"}
    changes = {"name": "中牟县人民政府办公室"}
    invalid = {"kind": "club"}
    csv_rows = [{"name": "中牟县教育局"}, {"name": "中牟县卫生健康委员会"}]
    csv_invalid = {"kind": "club"}

    def protect(self, w, record):
        return Person.objects.create(username="staff", role="department", jurisdiction=record.region,
                                     organisation=record)


class TestOrganisationAlias(RegistryTests):
    model = OrganisationAlias
    new = {"alias": "中牟县政府"}
    changes = {"alias": "中牟政府"}
    invalid = {"organisation": 10**9}
    csv_rows = [{"alias": "中牟县府"}, {"alias": "县政府"}]
    csv_invalid = {"organisation": "无此单位"}
