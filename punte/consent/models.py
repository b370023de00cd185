"""Informed consent, per purpose and per recipient organization, with a date, an expiry and a
withdrawal. Rows are never changed except to record a withdrawal: renewing consent adds a row,
so the history stays whole. Every action that crosses to another organization checks it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import Organization
from punte.cases.models import Case
from punte.family.models import LegalRepresentative


class Purpose(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    DATA_SHARING = "data_sharing", _("Sharing her data")
    REFERRAL = "referral", _("Referral to a partner")


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organization"),
        help_text=_("Empty: your own organization."),
    )
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    representative = models.ForeignKey(
        LegalRepresentative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by the legal representative"),
    )
    child_assent = models.BooleanField(_("the child agrees"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.CharField(_("withdrawal note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["case", "purpose", "recipient"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.case_id})"

    def is_valid_on(self, day: object) -> bool:
        return (
            self.given_on <= day  # type: ignore[operator]
            and (self.expires_on is None or day <= self.expires_on)  # type: ignore[operator]
            and (self.withdrawn_on is None or day < self.withdrawn_on)  # type: ignore[operator]
        )
