"""Recording and withdrawing consent, and the check every cross-organization action makes."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.models import Organization
from punte.audit.services import audit_record
from punte.cases.models import Case
from punte.cases.services import case_guard
from punte.core.errors import ConsentRequired, ValidationError
from punte.core.validation import full_clean
from punte.family.models import LegalRepresentative
from punte.family.services import age_on, is_minor

from .models import Consent, Purpose

# From this age a child is heard: her assent is recorded beside the representative's consent
# (Law 272/2004 on the rights of the child, art. 29).
ASSENT_AGE = 10


def consent_record(
    *,
    actor: Actor,
    case: Case,
    purpose: str,
    given_on: date,
    recipient: Organization | None = None,
    expires_on: date | None = None,
    representative: LegalRepresentative | None = None,
    child_assent: bool | None = None,
) -> Consent:
    """Record consent. A minor's consent is given by her current legal representative, and from
    age 10 her own assent is recorded too; an adult gives it herself."""
    case_guard(actor, case)
    if purpose not in Purpose.values:
        raise ValidationError(details={"purpose": [_("Unknown purpose.")]})
    if given_on > timezone.localdate():
        raise ValidationError(details={"given_on": [_("Consent cannot be given in the future.")]})
    if expires_on is not None and expires_on <= given_on:
        raise ValidationError(details={"expires_on": [_("The expiry must come after the date it was given.")]})
    if purpose != Purpose.SERVICES and recipient is None:
        raise ValidationError(details={"recipient": [_("Name the organization that will receive her data or the referral.")]})
    if recipient is not None and recipient.pk == case.organization_id:
        recipient = None
    if is_minor(case, given_on):
        if representative is None or representative.case_id != case.pk or representative.until is not None:
            raise ValidationError(
                details={"representative": [_("She is a minor: her current legal representative gives consent.")]}
            )
        age = age_on(case.person.birth_date, given_on)
        if age is not None and age >= ASSENT_AGE and child_assent is None:
            raise ValidationError(details={"child_assent": [_("She is old enough to be heard: record whether she agrees.")]})
        if child_assent is False:
            raise ValidationError(
                details={"child_assent": [_("She does not agree: record her refusal in a case note instead of a consent.")]}
            )
    else:
        representative, child_assent = None, None
    consent = Consent(
        case=case,
        purpose=purpose,
        recipient=recipient,
        given_on=given_on,
        expires_on=expires_on,
        representative=representative,
        child_assent=child_assent,
        recorded_by=actor.user,
    )
    full_clean(consent)
    with transaction.atomic():
        consent.save()
        audit_record(
            actor=actor,
            action="consent.record",
            target=consent,
            fields=["purpose", "recipient", "given_on", "expires_on", "representative"],
        )
    return consent


def consent_withdraw(*, actor: Actor, consent: Consent, withdrawn_on: date, note: str = "") -> Consent:
    """Record that consent was withdrawn; the row stays, so the history is whole."""
    case_guard(actor, consent.case)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ValidationError(details={"withdrawn_on": [_("The withdrawal date must be between the consent date and today.")]})
    with transaction.atomic():
        consent.withdrawn_on, consent.withdrawal_note = withdrawn_on, note.strip()[:300]
        consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
        audit_record(actor=actor, action="consent.withdraw", target=consent, fields=["withdrawn_on", "withdrawal_note"])
    return consent


def consent_valid(*, case: Case, purpose: str, recipient: Organization | None, on: date | None = None) -> Consent | None:
    day = on or timezone.localdate()
    candidates = Consent.objects.filter(case=case, purpose=purpose, recipient=recipient).order_by("-given_on", "-pk")
    return next((c for c in candidates if c.is_valid_on(day)), None)


def consent_require(*, case: Case, purpose: str, recipient: Organization | None, on: date | None = None) -> Consent:
    """The check before any action that crosses to another organization."""
    consent = consent_valid(case=case, purpose=purpose, recipient=recipient, on=on)
    if consent is None:
        label = dict(Purpose.choices)[purpose]
        raise ConsentRequired(
            _("There is no valid consent for: %(purpose)s, to %(recipient)s. Record her consent first.")
            % {"purpose": label, "recipient": recipient.name if recipient else _("your organization")}
        )
    return consent
