"""API of the sources app: enterprises and the emission inventory."""

from gongjian.site.api import CleanModelSerializer, ScopedModelViewSet

from .models import Enterprise, InventoryItem


class EnterpriseSerializer(CleanModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "organisation", "industry", "performance_class", "exemption", "exemption_reason",
                  "key_vehicle_user", "permit_number", "latitude", "longitude", "annual_output"]


class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.select_related("organisation").order_by("pk")
    serializer_class = EnterpriseSerializer


class InventoryItemSerializer(CleanModelSerializer):
    class Meta:
        model = InventoryItem
        fields = ["id", "year", "category", "region", "unit", "site", "name", "activity", "basis", "so2", "nox", "pm",
                  "pm10", "pm25", "vocs"]


class InventoryItemViewSet(ScopedModelViewSet):
    queryset = InventoryItem.objects.order_by("year", "pk")
    serializer_class = InventoryItemSerializer


ROUTES = [("sources/enterprises", EnterpriseViewSet), ("sources/inventory", InventoryItemViewSet)]
