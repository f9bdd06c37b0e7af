"""The sources app's registries through the generic registry tests (tests/registry_cases.py)."""

from gongjian.emergency.models import Measure, ReductionList
from gongjian.regions.models import Organisation
from gongjian.sources.models import (
    ConstructionSite,
    EmissionLimit,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    Meter,
    MonitoringDevice,
    ProductionLine,
)
from tests.registry_cases import RegistryTests


def _organisation(w, name):
    return Organisation.objects.create(name=name, kind="enterprise", region=w.regions["county_a"]).pk


def _city_list(w):
    """The city's reduction list: its measures for county A's enterprises and sites are the city's."""
    return ReductionList.objects.create(region=w.regions["city"], year=2020, number=1, inventory_year=2019)


class TestEnterprise(RegistryTests):
    model = Enterprise
    changes = {"performance_class": "B"}
    invalid = {"latitude": "north"}
    csv_invalid = {"industry": "alchemy"}

    def new(self, w):
        return {"organisation": _organisation(w, "丙建材有限公司")}

    def csv_rows(self, w):
        return [{"organisation": _organisation(w, "丁公司")}, {"organisation": _organisation(w, "戊公司")}]

    def forbidden_along(self, w, record):
        return Measure.objects.create(reduction_list=_city_list(w), level="orange", kind="stop", enterprise=record)


class TestProductionLine(RegistryTests):
    model = ProductionLine
    new = {"name": "2号线"}
    changes = {"capacity": "4500 t/d"}
    invalid = {"output_share": "half"}
    csv_rows = [{"name": "3号线"}, {"name": "4号线"}]
    csv_invalid = {"output_share": "half"}


class TestEmissionUnit(RegistryTests):
    model = EmissionUnit
    new = {"name": "窑头"}
    changes = {"kind": "fugitive"}
    invalid = {"kind": "chimney"}
    csv_rows = [{"name": "煤磨"}, {"name": "破碎"}]
    csv_invalid = {"kind": "chimney"}


class TestConstructionSite(RegistryTests):
    model = ConstructionSite
    new = {"name": "新工地"}
    changes = {"area": "2000.0"}
    invalid = {"start": "spring"}
    csv_rows = [{"name": "工地甲"}, {"name": "工地乙"}]
    csv_invalid = {"area": "large"}

    def forbidden_along(self, w, record):
        return Measure.objects.create(reduction_list=_city_list(w), level="orange", kind="site_stop", site=record)


class TestInventoryItem(RegistryTests):
    model = InventoryItem
    new = {"year": 2020}
    changes = {"so2": "2.500"}
    invalid = {"so2": "much"}
    csv_rows = [{"year": 2021}, {"year": 2022}]
    csv_invalid = {"so2": "much"}


class TestMonitoringDevice(RegistryTests):
    model = MonitoringDevice
    new = {"mn": "MN-new-0000000000000001"}
    changes = {"interval": 300}
    invalid = {"interval": "often"}
    csv_rows = [{"mn": "MN-csv-0000000000000001"}, {"mn": "MN-csv-0000000000000002"}]
    csv_invalid = {"interval": "often"}
    csv_update = {"interval": 120}


class TestEmissionLimit(RegistryTests):
    model = EmissionLimit
    new = {"code": "a21002"}
    changes = {"limit": 50.0}
    invalid = {"limit": "low"}
    csv_rows = [{"code": "a34013"}, {"code": "a21005"}]
    csv_invalid = {"limit": "low"}
    csv_update = {"limit": 10.0}


class TestMeter(RegistryTests):
    model = Meter
    new = {"number": "M-new"}
    changes = {"name": "窑尾风机"}
    invalid = {"purpose": "lighting"}
    csv_rows = [{"number": "M-c1"}, {"number": "M-c2"}]
    csv_invalid = {"purpose": "lighting"}
    csv_update = {"name": "窑尾风机"}
