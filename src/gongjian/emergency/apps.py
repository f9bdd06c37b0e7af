import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps
from gongjian.core.schedules import DAILY, Job


class EmergencyConfig(core_apps.DomainApp):
    name = "gongjian.emergency"
    label = "emergency"
    verbose_name = _("Emergency management")
    menu = (20, _("Emergency"))
    demo_steps = ("gongjian.demo.emergency", "gongjian.demo.forecasts")
    # after the air results of the night (00:30) and before the morning's consultation
    schedules = (Job("emergency: the day's forecast runs", "gongjian.emergency.runs.issue_daily", DAILY,
                     at=dt.time(6, 0)),)
