from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from gongjian.core.admin import ScopedAdmin

from .models import Organisation, OrganisationAlias, Person, Region, RegionGroup


@admin.register(Region)
class RegionAdmin(TreeAdmin, ScopedAdmin):
    form = movenodeform_factory(Region, exclude=["boundary"])
    list_display = ["name", "code", "level", "kind"]
    search_fields = ["name", "code"]


@admin.register(RegionGroup)
class RegionGroupAdmin(ScopedAdmin):
    list_display = ["name", "slug"]
    filter_horizontal = ["members"]


class AliasInline(admin.TabularInline):
    model = OrganisationAlias
    fields = ["alias"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias", "credit_code"]
    inlines = [AliasInline]


@admin.register(Person)
class PersonAdmin(UserAdmin, ScopedAdmin):
    list_display = ["username", "last_name", "first_name", "role", "jurisdiction", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = UserAdmin.fieldsets + ((_("Role and jurisdiction"), {"fields": ["role", "jurisdiction", "organisation", "phone"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Role and jurisdiction"), {"fields": ["role", "jurisdiction", "organisation"]}),)
