"""The water app's registries through the generic registry tests (tests/registry_cases.py)."""

from gongjian.water.models import WaterSection
from tests.registry_cases import RegistryTests


class TestWaterSection(RegistryTests):
    model = WaterSection
    new = {"code": "WS-new"}
    changes = {"name": "贾鲁河中牟陈桥"}
    invalid = {"latitude": "200"}
    csv_rows = [{"code": "WS-c1"}, {"code": "WS-c2"}]
    csv_invalid = {"control_level": "county"}
    csv_update = {"name": "贾鲁河中牟陈桥"}
