"""API of the water app."""

from gongjian.core.api import CleanModelSerializer, ScopedModelViewSet

from .models import WaterSection


class WaterSectionSerializer(CleanModelSerializer):
    class Meta:
        model = WaterSection
        fields = ["id", "code", "name", "water_body", "kind", "control_level", "region", "latitude", "longitude"]


class WaterSectionViewSet(ScopedModelViewSet):
    queryset = WaterSection.objects.select_related("region").order_by("region__path", "code")
    serializer_class = WaterSectionSerializer


ROUTES = [("water/sections", WaterSectionViewSet)]

from .ledger_api import LEDGER_ROUTES  # noqa: E402  the water ledgers

ROUTES += LEDGER_ROUTES

from .results_api import PATHS  # noqa: E402, F401  samples, monthly results, evaluation, ranking
