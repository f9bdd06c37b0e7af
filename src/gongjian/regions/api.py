"""API of the regions app: regions, region groups, organisations, aliases and people."""

from rest_framework import serializers

from gongjian.core.api import CleanModelSerializer, ScopedModelViewSet, ScopedReadOnlyViewSet

from .models import Organisation, OrganisationAlias, Person, Region, RegionGroup


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "kind", "parent", "depth"]


class RegionGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionGroup
        fields = ["id", "slug", "name", "description", "members"]


class OrganisationSerializer(CleanModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region", "parent", "credit_code"]


class OrganisationAliasSerializer(CleanModelSerializer):
    clean_exclude = ("region",)

    class Meta:
        model = OrganisationAlias
        fields = ["id", "organisation", "alias"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "username", "first_name", "last_name", "role", "jurisdiction", "organisation", "is_active"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions are created by import (``gongjian import regions``) or in the back-office."""

    queryset = Region.objects.with_parent_id().order_by("path")
    serializer_class = RegionSerializer


class RegionGroupViewSet(ScopedReadOnlyViewSet):
    queryset = RegionGroup.objects.prefetch_related("members").order_by("slug")
    serializer_class = RegionGroupSerializer


class OrganisationViewSet(ScopedModelViewSet):
    queryset = Organisation.objects.select_related("region").order_by("region__path", "name")
    serializer_class = OrganisationSerializer


class OrganisationAliasViewSet(ScopedModelViewSet):
    queryset = OrganisationAlias.objects.select_related("organisation").order_by("alias")
    serializer_class = OrganisationAliasSerializer


class PersonViewSet(ScopedReadOnlyViewSet):
    queryset = Person.objects.order_by("username")
    serializer_class = PersonSerializer


ROUTES = [
    ("regions", RegionViewSet),
    ("region-groups", RegionGroupViewSet),
    ("organisations", OrganisationViewSet),
    ("organisation-aliases", OrganisationAliasViewSet),
    ("people", PersonViewSet),
]
