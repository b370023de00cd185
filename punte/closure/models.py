"""Change strengthening (follow-up contacts), closure with approval, reopening, and transfer to
another organization. A closed case can be reopened at any time; every ending and reopening
stays in the history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import Organization
from punte.cases.models import Case
from punte.core.fields import EncryptedTextField


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        STABLE = "stable", _("Stable: the change holds")
        NEEDS_SUPPORT = "needs_support", _("Needs support again")
        NO_CONTACT = "no_contact", _("Could not be reached")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="followups")
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.case_id} {self.planned_on}"


class Closure(models.Model):
    class Reason(models.TextChoices):
        GOALS_MET = "goals_met", _("The goals of the plan were reached")
        REFUSED = "refused", _("She no longer wants services")
        MOVED = "moved", _("She moved out of the area")
        NO_CONTACT = "no_contact", _("Contact was lost")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    details = EncryptedTextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class Reopening(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reopenings")
    reason = EncryptedTextField(_("why it is reopened"))
    reopened_at = models.DateTimeField(_("reopened"), default=timezone.now)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_status = models.CharField(max_length=16)

    class Meta:
        ordering = ["-reopened_at", "-pk"]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self) -> str:
        return f"{self.case_id} {self.reopened_at:%Y-%m-%d}"


class Transfer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers_out")
    to_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    new_case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="transferred_from")
    fields_shared = models.JSONField(_("fields shared"), default=list)
    transferred_at = models.DateTimeField(_("transferred"), default=timezone.now)
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-transferred_at", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.to_organization_id}"
