"""Base of every back-office (admin) page: the same policy as the pages and the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongjian.core.access import policy

__all__ = ["ScopedAdmin"]

admin.site.site_header = "gongjian"
admin.site.site_title = "gongjian"


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin lists and edits scoped by jurisdiction, with the history of every record."""

    def get_queryset(self, request):
        return policy.visible(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policy.can_change(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.queryset = policy.visible(request.user, field.queryset)
        return field
