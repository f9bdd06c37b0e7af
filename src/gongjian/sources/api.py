"""API of the sources app: enterprises, the emission inventory, electricity readings (the power
company posts them), alarms and verification notices."""

from rest_framework import serializers, status
from rest_framework.response import Response

from gongjian.core.api import CleanModelSerializer, ScopedModelViewSet, ScopedReadOnlyViewSet
from gongjian.core.problems import InvalidInput
from gongjian.regions import policy

from .meters import store_readings
from .models import Enterprise, InventoryItem
from .monitoring import Alarm, MeterReading, VerificationNotice


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


class MeterReadingSerializer(serializers.ModelSerializer):
    meter = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = MeterReading
        fields = ["id", "meter", "start", "kw", "source"]


class MeterReadingViewSet(ScopedReadOnlyViewSet):
    """Readings, and ``POST`` of many at once: ``[{"meter": number, "start": "YYYY-MM-DDTHH:MM", "kw": 812.5},
    ...]`` (Beijing time), all or nothing; a 400 lists every bad row. Rows that change readings already
    held are corrections and need a reason: ``{"reason": "...", "readings": [...]}``."""

    queryset = MeterReading.objects.select_related("meter").order_by("meter", "start")
    serializer_class = MeterReadingSerializer
    write_rule = policy.SUBMIT_ELECTRICITY

    def create(self, request):
        data, reason = request.data, ""
        if isinstance(data, dict):
            data, reason = data.get("readings"), str(data.get("reason") or "")
        rows = data if isinstance(data, list) else None
        if rows is None or not all(isinstance(r, dict) for r in rows):
            return Response({"problems": [{"message": "send a JSON list of {meter, start, kw}"}]},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            count = store_readings(rows, request.user, reason=reason)
        except InvalidInput as exc:
            return Response({"problems": [{"row": p.row, "field": p.field, "message": p.message} for p in exc.problems]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"stored": count}, status=status.HTTP_201_CREATED)


class AlarmSerializer(serializers.ModelSerializer):
    #: The warnings whose obedience checks raised the alarm (the emergency app keeps the link).
    warnings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    #: Before 2026-12 an alarm named one warning here; answered read-only (the first of ``warnings``)
    #: until the next release.
    episode = serializers.SerializerMethodField(help_text="Deprecated: read warnings.")

    class Meta:
        model = Alarm
        fields = ["id", "rule", "region", "enterprise", "site", "device", "subject", "series", "start", "end",
                  "intervals", "peak", "threshold", "evidence", "warnings", "status", "notice",
                  "episode"]

    def get_episode(self, alarm) -> int | None:
        return min((w.pk for w in alarm.warnings.all()), default=None)


class AlarmViewSet(ScopedReadOnlyViewSet):
    queryset = Alarm.objects.order_by("-start", "pk")
    serializer_class = AlarmSerializer


class VerificationNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationNotice
        fields = ["id", "number", "region", "recipient", "issued", "deadline", "instructions", "status", "confirmed",
                  "finding", "measures", "reported", "closed"]


class VerificationNoticeViewSet(ScopedReadOnlyViewSet):
    queryset = VerificationNotice.objects.order_by("-issued")
    serializer_class = VerificationNoticeSerializer


ROUTES = [("sources/enterprises", EnterpriseViewSet), ("sources/inventory", InventoryItemViewSet),
          ("sources/meter-readings", MeterReadingViewSet), ("sources/alarms", AlarmViewSet),
          ("sources/verification-notices", VerificationNoticeViewSet)]
