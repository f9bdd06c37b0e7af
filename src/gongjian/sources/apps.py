import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps
from gongjian.core.schedules import HOURLY, MINUTELY, Job


class SourcesConfig(core_apps.DomainApp):
    name = "gongjian.sources"
    label = "sources"
    verbose_name = _("Pollution sources")
    menu = (30, _("Sources"))
    demo_steps = ("gongjian.demo.monitoring",)
    # ten minutes past the hour: the ingester has filed the last hour's packets by then
    schedules = (Job("sources: checks of the last hour", "gongjian.sources.tasks.check_last_hour", HOURLY,
                     at=dt.time(0, 10)),
                 # started every minute, works for most of it: the gateway's packets read into series
                 # continuously (gongjian.sources.tasks.ingest_continuously)
                 Job("sources: ingest received packets", "gongjian.sources.tasks.ingest_continuously", MINUTELY))
