"""The person, the incoming referral and the case: the first steps of the intervention method.

Identifying fields are encrypted (punte.core.fields); exact look-ups go through keyed digests in
PersonLookup. Lists, titles and exports show the case code and the person's pseudonym only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import Organization
from punte.core.fields import EncryptedDateField, EncryptedTextField
from punte.reference.models import County

from .cnp import cnp_validator
from .htcds import CaseStatus, Gender, RelationshipToTrafficker, TraffickingStatus


class Person(models.Model):
    """A beneficiary as one organization knows her. Another organization that works with her has
    its own record, made by a consented transfer or referral."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    first_name = EncryptedTextField(_("first name"))
    last_name = EncryptedTextField(_("last name"))
    chosen_name = EncryptedTextField(_("chosen name"), blank=True, help_text=_("The name she wants to be called by."))
    cnp = EncryptedTextField(_("CNP"), blank=True, validators=[cnp_validator])
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    gender = models.CharField(_("gender"), max_length=30, choices=Gender.choices, default=Gender.UNKNOWN)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="RO", help_text=_("ISO 3166 country code"))
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [models.UniqueConstraint(fields=["organization", "pseudonym"], name="person_pseudonym_unique")]

    def __str__(self) -> str:
        return self.pseudonym


class PersonLookup(models.Model):
    """Keyed digests of a person's identifying values, for exact search without decryption."""

    class Kind(models.TextChoices):
        NAME_BIRTH = "name_birth", _("name and birth date")
        CNP = "cnp", _("CNP")
        NAME_TOKEN = "name_token", _("part of the name")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="lookups")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["organization", "kind", "digest"], name="person_lookup_digest")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id}"


class Referral(models.Model):
    """An incoming referral (referire / sesizare): who, by which channel, when, what is known."""

    class Source(models.TextChoices):
        PERSON = "person", _("A private person")
        POLICE = "police", _("Police")
        PROSECUTOR = "prosecutor", _("Prosecutor (DIICOT)")
        ANITP = "anitp", _("ANITP")
        NGO = "ngo", _("An NGO")
        PUBLIC_INSTITUTION = "public_institution", _("A public institution")
        HOTLINE = "hotline", _("Hotline")
        SELF = "self", _("The person herself")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Official letter")
        MNIR = "mnir", _("National Identification and Referral Mechanism")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent (within 24 hours)")
        EMERGENCY = "emergency", _("Emergency (immediate danger)")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for triage")
        CASE_OPENED = "case_opened", _("Case opened")
        NOT_OPENED = "not_opened", _("No case opened")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("referred by"), max_length=20, choices=Source.choices)
    source_organization = models.CharField(_("referring organization"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    referrer_contact = EncryptedTextField(_("referrer's name and contact"), blank=True)
    summary = EncryptedTextField(_("what is known"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    decision_reason = EncryptedTextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["organization", "status", "-received_on"], name="referral_queue")]

    def __str__(self) -> str:
        return f"R-{self.pk}"


class Case(models.Model):
    class Stage(models.TextChoices):
        INTAKE = "intake", _("Intake")
        INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
        COMPLEX_EVALUATION = "complex_evaluation", _("Complex evaluation")
        PSYCHOLOGICAL_ASSESSMENT = "psychological_assessment", _("Psychological assessment")
        INTERVENTION_PLAN = "intervention_plan", _("Intervention plan")
        SERVICES = "services", _("Services and referrals")
        CHANGE_STRENGTHENING = "change_strengthening", _("Change strengthening")
        CLOSED = "closed", _("Closed")

    class RiskLevel(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        IMMEDIATE = "immediate", _("Immediate danger")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="case")
    code = models.CharField(_("case code"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.INTAKE)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("caseworker")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county of residence")
    )
    # HTCDS victim context
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=30, choices=TraffickingStatus.choices, default=TraffickingStatus.POSSIBLE
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to the trafficker"), max_length=12, choices=RelationshipToTrafficker.choices, blank=True
    )
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    recruitment_country = models.CharField(_("country of recruitment"), max_length=2, blank=True)
    recruitment_county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county of recruitment")
    )
    exploitation_country = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    exploitation_county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county of exploitation")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; a stale version is refused.")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organization", "status", "-opened_at"], name="case_list"),
            models.Index(fields=["organization", "caseworker"], name="case_worker"),
        ]

    def __str__(self) -> str:
        return self.code


class CaseFact(models.Model):
    """One value of a multi-valued HTCDS fact of a case (exploitation types, methods of control,
    recruitment methods), so that cases can be filtered and counted by it."""

    class Field(models.TextChoices):
        EXPLOITATION_TYPE = "vic_TypeOfExploitation", _("type of exploitation")
        CONTROL_METHOD = "vic_MethodsOfControl", _("method of control")
        RECRUITMENT_METHOD = "vic_MethodOfRecruitment", _("method of recruitment")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="facts")
    field = models.CharField(max_length=40, choices=Field.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "field", "value"], name="case_fact_unique")]
        indexes = [models.Index(fields=["field", "value"], name="case_fact_value")]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class CaseCounter(models.Model):
    """The last case number of an organization in a year, locked while a case is opened."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"
