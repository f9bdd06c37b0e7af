from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps


class WaterConfig(core_apps.DomainApp):
    name = "gongjian.water"
    label = "water"
    verbose_name = _("Water")
    menu = (50, verbose_name)
    demo_steps = ("gongjian.demo.water", "gongjian.demo.water_ledgers")
