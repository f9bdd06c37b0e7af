from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps


class RegionsConfig(core_apps.DomainApp):
    name = "gongjian.regions"
    label = "regions"
    verbose_name = _("Regions and people")
    menu = (90, verbose_name)
    demo_steps = ("gongjian.demo.regions", "gongjian.demo.people")
