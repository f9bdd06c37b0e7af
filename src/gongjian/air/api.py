"""API of the air app."""

from gongjian.site.api import CleanModelSerializer, ScopedModelViewSet

from .models import AirQualityTarget


class AirQualityTargetSerializer(CleanModelSerializer):
    class Meta:
        model = AirQualityTarget
        fields = ["id", "region", "year", "metric", "value", "source", "note"]


class AirQualityTargetViewSet(ScopedModelViewSet):
    queryset = AirQualityTarget.objects.select_related("region").order_by("region__path", "year", "metric")
    serializer_class = AirQualityTargetSerializer


ROUTES = [("air/targets", AirQualityTargetViewSet)]
