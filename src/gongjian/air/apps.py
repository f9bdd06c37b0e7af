import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps
from gongjian.core.schedules import DAILY, HOURLY, Job


class AirConfig(core_apps.DomainApp):
    name = "gongjian.air"
    label = "air"
    verbose_name = _("Air quality")
    menu = (10, verbose_name)
    demo_steps = ("gongjian.demo.air", "gongjian.demo.air_data")
    schedules = (Job("air: daily results after midnight", "gongjian.air.tasks.daily_after_midnight", DAILY,
                     at=dt.time(0, 30)),
                 # twenty minutes past the hour: the last hour has had time to arrive
                 Job("air: stations without hours", "gongjian.air.feeds.check_feeds", HOURLY, at=dt.time(0, 20)))
