"""API of the air app."""

from gongjian.site.api import CleanModelSerializer, ScopedModelViewSet

from .models import AirQualityTarget, Station


class AirQualityTargetSerializer(CleanModelSerializer):
    class Meta:
        model = AirQualityTarget
        fields = ["id", "region", "year", "metric", "value", "source", "note"]


class AirQualityTargetViewSet(ScopedModelViewSet):
    queryset = AirQualityTarget.objects.select_related("region").order_by("region__path", "year", "metric")
    serializer_class = AirQualityTargetSerializer


class StationSerializer(CleanModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "kind", "region", "latitude", "longitude", "operator", "status", "assessment"]


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("region").order_by("region__path", "code")
    serializer_class = StationSerializer


ROUTES = [("air/targets", AirQualityTargetViewSet), ("air/stations", StationViewSet)]
