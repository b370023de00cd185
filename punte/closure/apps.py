from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    name = "punte.closure"
    label = "closure"
    verbose_name = _("Follow-up, closure and transfer")
