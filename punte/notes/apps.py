from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "punte.notes"
    label = "notes"
    verbose_name = _("Case notes and documents")
