from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "gongjian.gateway"
    label = "gateway"
    verbose_name = _("HJ 212 gateway")
