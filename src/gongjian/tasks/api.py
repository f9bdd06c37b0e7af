"""API of the task ledger: plans, indicators, tasks with their units and deadlines (read, scoped)."""

from rest_framework import serializers

from gongjian.core.api import ScopedReadOnlyViewSet

from .models import Indicator, Milestone, Plan, Task, TaskUnit


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "region", "title", "number", "issuer", "issued", "first_year", "last_year"]


class PlanViewSet(ScopedReadOnlyViewSet):
    queryset = Plan.objects.order_by("pk")
    serializer_class = PlanSerializer


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "plan", "group", "name", "unit", "coverage", "baseline_year", "baseline", "target_year", "target",
                  "yearly_targets", "kind", "external", "cumulative"]


class IndicatorViewSet(ScopedReadOnlyViewSet):
    queryset = Indicator.objects.order_by("pk")
    serializer_class = IndicatorSerializer


class TaskUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskUnit
        fields = ["role", "name", "organisation"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["kind", "due", "text", "done"]


class TaskSerializer(serializers.ModelSerializer):
    units = TaskUnitSerializer(many=True, read_only=True)
    deadlines = MilestoneSerializer(source="milestones", many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "part", "path", "number", "text", "status", "by_duty", "units", "deadlines"]


class TaskViewSet(ScopedReadOnlyViewSet):
    queryset = Task.objects.prefetch_related("units", "milestones").order_by("pk")
    serializer_class = TaskSerializer


ROUTES = [("tasks/plans", PlanViewSet), ("tasks/indicators", IndicatorViewSet), ("tasks/tasks", TaskViewSet)]
