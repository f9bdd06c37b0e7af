"""The scope-matrix cases of the water app's registry models (see tests/scope_cases.py)."""

from gongjian.water.models import WaterSection
from tests.regions import scope_cases as regions_cases


def sections(w):
    return {p: WaterSection.objects.create(code=f"WS-{p}", name=f"断面{p}", water_body="贾鲁河", control_level="city",
                                           region=r) for p, r in regions_cases.regions(w).items()}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {WaterSection: (sections, False, True)}
