from django.contrib import admin

from gongjian.core.admin import ScopedAdmin

from .models import SectionTarget, WaterAlarm, WaterSection, WaterTargetSchedule

admin.site.register(WaterSection, ScopedAdmin)
for model in (SectionTarget, WaterTargetSchedule, WaterAlarm):
    admin.site.register(model, ScopedAdmin)
