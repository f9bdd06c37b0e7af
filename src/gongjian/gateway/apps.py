from django.utils.translation import gettext_lazy as _

from gongjian.core import apps as core_apps


class GatewayConfig(core_apps.DomainApp):
    name = "gongjian.gateway"
    label = "gateway"
    verbose_name = _("HJ 212 gateway")
