"""Case notes and documents. Nothing is deleted: a correction is a new version of the note that
points to the one it replaces. Sealed notes are clinical and read by clinical roles only.
Documents are stored encrypted, with their type checked from their content."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.cases.models import Case
from punte.core.fields import EncryptedTextField


class CaseNote(models.Model):
    class Interaction(models.TextChoices):
        VISIT = "visit", _("Visit")
        OFFICE = "office", _("At our office")
        PHONE = "phone", _("Phone")
        THIRD_PARTY = "third_party", _("With a third party")
        SUPERVISION = "supervision", _("Supervision")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    interaction = models.CharField(_("interaction"), max_length=12, choices=Interaction.choices)
    occurred_on = models.DateField(_("date"))
    text = EncryptedTextField(_("note"))
    sealed = models.BooleanField(_("sealed clinical note"), default=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("corrects")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "sealed", "-occurred_on"], name="note_list")]

    def __str__(self) -> str:
        return f"{self.get_interaction_display()} {self.occurred_on}"


class Document(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        MEDICAL = "medical", _("Medical document")
        LEGAL = "legal", _("Legal or court document")
        CONSENT = "consent", _("Signed consent")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = EncryptedTextField(_("title"))
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"
