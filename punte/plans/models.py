"""The intervention plan: goals per domain, linked to the needs the complex evaluation found,
actions with a responsible person or partner, approval by a chain each organization sets, and
scheduled reviews."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import Organization
from punte.accounts.roles import Role
from punte.cases.models import Case


class ApprovalStep(models.Model):
    """One step of an organization's approval chain for a kind of decision. Without steps, a
    supervisor approves."""

    class Subject(models.TextChoices):
        PLAN = "plan", _("Intervention plan")
        CLOSURE = "closure", _("Case closure")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("decision"), max_length=10, choices=Subject.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("approved by"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["organization", "subject", "position"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.UniqueConstraint(fields=["organization", "subject", "position"], name="approval_step_unique")]

    def __str__(self) -> str:
        return f"{self.subject} #{self.position}: {self.role}"


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        REPLACED = "replaced", _("Replaced by a newer plan")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    number = models.PositiveSmallIntegerField(_("plan number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"), default=90)
    step = models.PositiveSmallIntegerField(_("approval step reached"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("intervention plan")
        verbose_name_plural = _("intervention plans")
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="plan_number_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.number}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=40)
    need_level = models.PositiveSmallIntegerField(_("need found"), null=True, blank=True)
    text = models.TextField(_("goal"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"{self.domain}: {self.text[:40]}"


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("responsible")
    )
    partner = models.CharField(_("partner responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.text[:40]


class PlanDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="decisions")
    step = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=30, choices=Role.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} step {self.step}: {self.decision}"
