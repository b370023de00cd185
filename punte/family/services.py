"""Family members and legal representatives: validated, audited, in one transaction each."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.audit.services import audit_record
from punte.cases.models import Case
from punte.cases.services import case_guard
from punte.core.errors import Conflict, ValidationError
from punte.core.validation import full_clean

from .models import FamilyMember, LegalRepresentative

ADULT_AGE = 18
FAMILY_FIELDS = ["relationship", "name", "contact", "lives_with_her", "resources", "vulnerabilities", "is_risk", "may_contact"]


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(case: Case, day: date | None = None) -> bool:
    age = age_on(case.person.birth_date, day or timezone.localdate())
    return age is not None and age < ADULT_AGE


def _check_risk(values: dict[str, Any]) -> None:
    if values.get("is_risk") and values.get("may_contact"):
        raise ValidationError(details={"may_contact": [_("A family member who is a risk to her is never contacted.")]})


def family_member_add(*, actor: Actor, case: Case, **values: Any) -> FamilyMember:
    case_guard(actor, case)
    unknown = set(values) - set(FAMILY_FIELDS)
    if unknown:
        raise ValidationError(details={name: [_("Unknown field.")] for name in sorted(unknown)})
    _check_risk(values)
    member = FamilyMember(case=case, created_by=actor.user, **values)
    full_clean(member)
    with transaction.atomic():
        member.save()
        audit_record(
            actor=actor,
            action="family_member.create",
            target=member,
            fields=[k for k, v in values.items() if v not in ("", None)],
        )
    return member


def family_member_update(*, actor: Actor, member: FamilyMember, version: int, **values: Any) -> FamilyMember:
    case_guard(actor, member.case)
    unknown = set(values) - set(FAMILY_FIELDS)
    if unknown:
        raise ValidationError(details={name: [_("Unknown field.")] for name in sorted(unknown)})
    current = FamilyMember.objects.get(pk=member.pk)
    merged = {name: values.get(name, getattr(current, name)) for name in FAMILY_FIELDS}
    _check_risk(merged)
    if merged["is_risk"] and LegalRepresentative.objects.filter(family_member=current, until__isnull=True).exists():
        raise ValidationError(details={"is_risk": [_("This person is her legal representative: end that first.")]})
    changed = [name for name in FAMILY_FIELDS if getattr(current, name) != merged[name]]
    for name in changed:
        setattr(current, name, merged[name])
    full_clean(current)
    if current.version != version:
        raise Conflict(_("Someone saved this family member after you opened it. Reload it, check, and save again."))
    if not changed:
        return current
    with transaction.atomic():
        if (
            FamilyMember.objects.filter(pk=current.pk, version=version).update(
                **{n: merged[n] for n in changed}, version=F("version") + 1
            )
            == 0
        ):
            raise Conflict(_("Someone saved this family member at the same moment. Reload it, check, and save again."))
        audit_record(actor=actor, action="family_member.update", target=current, fields=changed)
    current.refresh_from_db()
    return current


def representative_add(
    *, actor: Actor, case: Case, kind: str, since: date, family_member: FamilyMember | None = None, institution: str = ""
) -> LegalRepresentative:
    """Record who represents a minor. A parent or guardian comes from her family and is never a
    family member who is a risk; the child-protection directorate is named by its institution."""
    case_guard(actor, case)
    if not is_minor(case, since):
        raise ValidationError(_("She is an adult (or her birth date is not known): she gives consent herself."))
    if kind in {LegalRepresentative.Kind.PARENT, LegalRepresentative.Kind.GUARDIAN}:
        if family_member is None or family_member.case_id != case.pk:
            raise ValidationError(details={"family_member": [_("Choose the parent or guardian among her family members.")]})
        if family_member.is_risk:
            raise ValidationError(details={"family_member": [_("A family member who is a risk to her cannot represent her.")]})
    elif kind == LegalRepresentative.Kind.DGASPC:
        if not institution.strip():
            raise ValidationError(details={"institution": [_("Name the directorate and the person acting for it.")]})
        family_member = None
    representative = LegalRepresentative(
        case=case, kind=kind, family_member=family_member, institution=institution.strip(), since=since, created_by=actor.user
    )
    full_clean(representative)
    with transaction.atomic():
        representative.save()
        audit_record(
            actor=actor,
            action="legal_representative.create",
            target=representative,
            fields=["kind", "family_member", "institution", "since"],
        )
    return representative


def representative_end(*, actor: Actor, representative: LegalRepresentative, until: date) -> LegalRepresentative:
    case_guard(actor, representative.case)
    if representative.until is not None:
        raise ValidationError(_("This representation has already ended."))
    if until < representative.since:
        raise ValidationError(details={"until": [_("The end cannot come before the start.")]})
    with transaction.atomic():
        representative.until = until
        representative.save(update_fields=["until"])
        audit_record(actor=actor, action="legal_representative.end", target=representative, fields=["until"])
    return representative
