"""The person's family and household, as the psychological assessment and the complex evaluation
read them, and the legal representative of a minor. A family member who is a risk to her is never
a contact and never her representative."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.cases.models import Case
from punte.core.fields import EncryptedTextField


class FamilyMember(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        SIBLING = "sibling", _("Brother or sister")
        PARTNER = "partner", _("Partner or spouse")
        CHILD = "child", _("Child")
        GRANDPARENT = "grandparent", _("Grandparent")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        FOSTER = "foster", _("Foster carer")
        OTHER = "other", _("Other person in the household")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="family")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    name = EncryptedTextField(_("name"))
    contact = EncryptedTextField(_("phone or address"), blank=True)
    lives_with_her = models.BooleanField(_("lives in the same household"), default=False)
    resources = EncryptedTextField(
        _("resources"), blank=True, help_text=_("What this person can offer: support, care, income, housing.")
    )
    vulnerabilities = EncryptedTextField(_("vulnerabilities"), blank=True)
    is_risk = models.BooleanField(
        _("is a risk to her"),
        default=False,
        help_text=_("Involved in the trafficking, violent, or otherwise a danger: never contacted."),
    )
    may_contact = models.BooleanField(_("may be contacted"), default=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.CheckConstraint(condition=~models.Q(is_risk=True, may_contact=True), name="family_risk_is_never_a_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} ({self.case_id})"


class LegalRepresentative(models.Model):
    """Who gives consent for a minor: a parent or guardian from her family, or the county
    directorate for child protection (DGASPC) when the child is in its care."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        DGASPC = "dgaspc", _("County child-protection directorate (DGASPC)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="representatives")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("family member")
    )
    institution = models.CharField(_("institution and the person acting for it"), max_length=200, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("legal representative")
        verbose_name_plural = _("legal representatives")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"
