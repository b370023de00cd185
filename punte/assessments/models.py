"""Assessments made from versioned templates, and the tasks and alerts that follow from cases.

A template is data: its questions, how answers raise the risk level or score a domain, and when
to reassess. A completed assessment keeps the template version it was made with; its answers
are encrypted, its results (risk level, domain scores) are not, so that plans, lists and
statistics can use them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import Organization
from punte.cases.models import Case
from punte.core.fields import EncryptedTextField


class AssessmentKind(models.TextChoices):
    INITIAL_RISK = "initial_risk", _("Initial risk assessment")
    COMPLEX_EVALUATION = "complex_evaluation", _("Complex evaluation")
    PSYCHOLOGICAL = "psychological", _("Psychological assessment")


class AssessmentTemplate(models.Model):
    class Source(models.TextChoices):
        SHIPPED = "shipped", _("Shipped with punte")
        UPLOADED = "uploaded", _("Uploaded by an administrator")

    kind = models.CharField(_("kind"), max_length=30, choices=AssessmentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title_ro = models.CharField(_("title (Romanian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    reassess_after_days = models.PositiveIntegerField(_("reassess after (days)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="assessment_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "ro").startswith("en") else self.title_ro


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=AssessmentKind.choices)
    answers = EncryptedTextField(_("answers"))  # JSON, encrypted as a whole
    risk_level = models.CharField(_("risk level"), max_length=10, choices=Case.RiskLevel.choices, blank=True)
    raised_by = models.JSONField(_("answers that raised the risk"), default=list, blank=True)
    domain_scores = models.JSONField(_("needs and resources by domain"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reassess_on = models.DateField(_("reassess on"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "kind", "-completed_at"], name="assessment_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class Task(models.Model):
    """Work that follows from a case: a safety plan after a high risk, and the like."""

    class Kind(models.TextChoices):
        SAFETY_PLAN = "safety_plan", _("Safety plan")
        FOLLOW_UP = "follow_up", _("Follow-up")
        PLAN_REVIEW = "plan_review", _("Plan review")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["organization", "status", "due_on"], name="task_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class Alert(models.Model):
    """A notice to one person about a case. It names the case by its code only."""

    class Kind(models.TextChoices):
        HIGH_RISK = "high_risk", _("High risk assessed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=Case.RiskLevel.choices, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["recipient", "read_at"], name="alert_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"
