from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps


class EmergencyConfig(core_apps.DomainApp):
    name = "gongjian.emergency"
    label = "emergency"
    verbose_name = _("Emergency management")
    menu = (20, _("Emergency"))
    demo_steps = ("gongjian.demo.emergency",)
