"""API of the emergency app: measures, warnings, and the notice outbox other channels read.

A channel (SMS gateway, fax, the government OA) polls ``/api/emergency/outbox/`` for notices not yet
dispatched and confirms each with ``POST /api/emergency/outbox/{id}/dispatched/`` naming itself.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from gongjian import clock
from gongjian.core.api import ScopedReadOnlyViewSet

from .models import Measure, Notice, WarningEpisode


class MeasureSerializer(serializers.ModelSerializer):
    #: The field's name before 2026-12 (``reduction_list``), answered read-only until the next release.
    version = serializers.IntegerField(source="reduction_list_id", read_only=True,
                                       help_text="Deprecated: read reduction_list.")
    class Meta:
        model = Measure
        fields = ["id", "reduction_list", "level", "kind", "enterprise", "unit", "lines", "site", "load_percent", "note",
                  "version"]


class MeasureViewSet(ScopedReadOnlyViewSet):
    queryset = Measure.objects.order_by("reduction_list", "level", "pk")
    serializer_class = MeasureSerializer


class WarningSerializer(serializers.ModelSerializer):
    #: The field's name before 2026-12 (``reduction_list``), answered read-only until the next release.
    list_version = serializers.IntegerField(source="reduction_list_id", read_only=True, allow_null=True,
                                            help_text="Deprecated: read reduction_list.")
    class Meta:
        model = WarningEpisode
        fields = ["id", "region", "level", "status", "started_at", "lifted_at", "standard_snapshot", "reduction_list",
                  "list_version"]


class WarningViewSet(ScopedReadOnlyViewSet):
    queryset = WarningEpisode.objects.order_by("-started_at")
    serializer_class = WarningSerializer


class NoticeSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="action.level_to", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "recipient", "recipient_name", "level", "text", "created", "read_at", "dispatched_at",
                  "channel"]


class DispatchSerializer(serializers.Serializer):
    channel = serializers.CharField(max_length=40)


class OutboxViewSet(ScopedReadOnlyViewSet):
    """Notices not yet dispatched by another channel, oldest first."""

    queryset = Notice.objects.filter(dispatched_at__isnull=True).select_related("recipient", "action").order_by(
        "created", "pk")
    serializer_class = NoticeSerializer

    @extend_schema(request=DispatchSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def dispatched(self, request, pk=None):
        notice = self.get_object()
        if not request.user.role_can_edit and not request.user.is_superuser:
            raise PermissionDenied(_("Only a campaign office or an environment bureau marks notices dispatched."))
        data = DispatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice.dispatched_at, notice.channel = clock.now(), data.validated_data["channel"]
        notice.save(update_fields=["dispatched_at", "channel"])
        return Response(NoticeSerializer(notice).data)


ROUTES = [("emergency/measures", MeasureViewSet), ("emergency/warnings", WarningViewSet),
          ("emergency/outbox", OutboxViewSet)]
