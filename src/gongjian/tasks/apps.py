import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps
from gongjian.core.schedules import DAILY, Job


class TasksConfig(core_apps.DomainApp):
    name = "gongjian.tasks"
    label = "tasks"
    verbose_name = _("Task ledger")
    menu = (40, _("Tasks"))
    demo_steps = ("gongjian.demo.tasks",)
    schedules = (Job("tasks: deadline reminders", "gongjian.tasks.tracking.remind", DAILY, at=dt.time(7, 0)),)
