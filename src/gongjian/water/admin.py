from django.contrib import admin

from gongjian.core.admin import ScopedAdmin

from .models import WaterSection

admin.site.register(WaterSection, ScopedAdmin)
