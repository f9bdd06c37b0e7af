from django.contrib import admin

from gongjian.core.admin import ScopedAdmin

from .models import AirQualityTarget


@admin.register(AirQualityTarget)
class AirQualityTargetAdmin(ScopedAdmin):
    list_display = ["region", "year", "metric", "value", "source"]
    list_filter = ["year", "metric"]
    search_fields = ["region__name", "source"]
