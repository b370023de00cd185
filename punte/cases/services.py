"""Intake, persons and cases: every write validates first, runs in one transaction and records
its audit event there. Audit events name the fields that changed, never their values."""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.models import Membership, User
from punte.accounts.roles import PERMISSIONS, Action
from punte.audit.models import AuditEvent
from punte.audit.services import audit_record
from punte.core.crypto import lookup_digest, normalize_name
from punte.core.errors import Conflict, PermissionDenied, ValidationError
from punte.core.validation import full_clean
from punte.reference.models import County

from .cnp import cnp_parse
from .htcds import ControlMethod, ExploitationType, RecruitmentMethod
from .models import Case, CaseCounter, CaseFact, Person, PersonLookup, Referral

PSEUDONYM_WORDS = [
    "Brândușa", "Camelia", "Crizantema", "Dalia", "Floarea", "Garofița", "Gențiana", "Iasomia",
    "Iris", "Lăcrămioara", "Lavanda", "Liliac", "Magnolia", "Margareta", "Mălina", "Micșunea",
    "Narcisa", "Orhideea", "Panseluța", "Romanița", "Salcia", "Sânziana", "Toporașul", "Viorica",
]  # fmt: skip

MULTI_FACTS: dict[str, tuple[str, Any]] = {
    "exploitation_types": (CaseFact.Field.EXPLOITATION_TYPE, ExploitationType),
    "control_methods": (CaseFact.Field.CONTROL_METHOD, ControlMethod),
    "recruitment_methods": (CaseFact.Field.RECRUITMENT_METHOD, RecruitmentMethod),
}
SINGLE_FACTS = [
    "trafficking_status",
    "relationship_to_trafficker",
    "age_when_trafficked",
    "recruitment_country",
    "recruitment_county",
    "exploitation_country",
    "exploitation_county",
    "county",
]


def case_guard(actor: Actor, case: Case, action: Action = Action.CASE_EDIT) -> User:
    """The one check before any change to a case or what belongs to it: the actor's role allows
    the action and the case is her organization's. Returns the acting user."""
    actor.require(action)
    if case.organization_id != actor.organization_id or actor.user is None:
        raise PermissionDenied()
    return actor.user


def _organization_of(actor: Actor) -> int:
    if actor.organization_id is None:
        raise PermissionDenied()
    return actor.organization_id


# Persons


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    birth_date: date | None = None
    cnp: str = ""


def _birth_date_in(cnp: str) -> date | None:
    if not cnp:
        return None
    try:
        return cnp_parse(cnp).birth_date
    except DjangoValidationError:
        return None


def person_lookups(organization_id: int, identity: Identity) -> list[tuple[str, str]]:
    """The keyed digests of an identity. The organization is part of each digest, so equal names
    or CNPs in two organizations give different digests: the database does not tell who else
    knows the same person."""
    first, last = normalize_name(identity.first_name), normalize_name(identity.last_name)
    birth_date = identity.birth_date or _birth_date_in(identity.cnp)
    values: list[tuple[str, str]] = []
    if first and last and birth_date:
        values.append((PersonLookup.Kind.NAME_BIRTH, f"{first}|{last}|{birth_date}"))
    if identity.cnp:
        values.append((PersonLookup.Kind.CNP, identity.cnp.strip()))
    values += [(PersonLookup.Kind.NAME_TOKEN, token) for token in sorted(set(f"{first} {last}".split())) if len(token) > 1]
    return [(kind, lookup_digest(f"{kind}@{organization_id}", value)) for kind, value in values]


def pseudonym_new(organization_id: int) -> str:
    taken = set(Person.objects.filter(organization_id=organization_id).values_list("pseudonym", flat=True))
    for _attempt in range(50):
        candidate = f"{secrets.choice(PSEUDONYM_WORDS)} {secrets.randbelow(900) + 100}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free pseudonym")  # 24 x 900 names per organization


def person_create(
    *,
    actor: Actor,
    first_name: str,
    last_name: str,
    birth_date: date | None = None,
    cnp: str = "",
    chosen_name: str = "",
    phone: str = "",
    address: str = "",
    gender: str = "NonSpecifiedUnknown",
    citizenship: str = "RO",
) -> Person:
    actor.require(Action.REFERRAL_TRIAGE)
    organization_id = _organization_of(actor)
    cnp = cnp.strip()
    if cnp:
        try:
            facts = cnp_parse(cnp)
        except DjangoValidationError as error:
            raise ValidationError(details={"cnp": list(error.messages)}) from error
        if facts.birth_date and birth_date and facts.birth_date != birth_date:
            raise ValidationError(details={"birth_date": [_("The birth date differs from the one in the CNP.")]})
        birth_date = birth_date or facts.birth_date
    if birth_date and birth_date > timezone.localdate():
        raise ValidationError(details={"birth_date": [_("The birth date is in the future.")]})
    person = Person(
        organization_id=organization_id,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        chosen_name=chosen_name.strip(),
        cnp=cnp,
        birth_date=birth_date,
        phone=phone.strip(),
        address=address.strip(),
        gender=gender,
        citizenship=citizenship.strip().upper() or "RO",
        created_by=actor.user,
        pseudonym="-",
    )
    full_clean(person, exclude=["pseudonym"])
    with transaction.atomic():
        person.pseudonym = pseudonym_new(organization_id)
        person.save()
        identity = Identity(person.first_name, person.last_name, person.birth_date, person.cnp)
        PersonLookup.objects.bulk_create(
            [
                PersonLookup(organization_id=organization_id, person=person, kind=kind, digest=digest)
                for kind, digest in person_lookups(organization_id, identity)
            ]
        )
        fields = [
            f for f in ("first_name", "last_name", "chosen_name", "cnp", "birth_date", "phone", "address") if getattr(person, f)
        ]
        audit_record(actor=actor, action="person.create", target=person, fields=[*fields, "gender", "citizenship"])
    return person


# Referrals


def referral_create(
    *,
    actor: Actor,
    received_on: date,
    source: str,
    channel: str,
    summary: str,
    urgency: str = Referral.Urgency.ROUTINE,
    source_organization: str = "",
    referrer_contact: str = "",
) -> Referral:
    actor.require(Action.REFERRAL_CREATE)
    if received_on > timezone.localdate():
        raise ValidationError(details={"received_on": [_("A referral cannot be received in the future.")]})
    referral = Referral(
        organization_id=_organization_of(actor),
        received_on=received_on,
        source=source,
        source_organization=source_organization.strip(),
        channel=channel,
        urgency=urgency,
        referrer_contact=referrer_contact.strip(),
        summary=summary.strip(),
        created_by=actor.user,
    )
    full_clean(referral)
    with transaction.atomic():
        referral.save()
        audit_record(
            actor=actor,
            action="referral.create",
            target=referral,
            fields=["received_on", "source", "channel", "urgency", "summary"]
            + (["source_organization"] if source_organization else [])
            + (["referrer_contact"] if referrer_contact else []),
        )
    return referral


def _lock_pending(actor: Actor, referral: Referral) -> Referral:
    actor.require(Action.REFERRAL_TRIAGE)
    if referral.organization_id != actor.organization_id:
        raise PermissionDenied()
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.NEW:
        raise Conflict(_("This referral was already triaged."))
    return locked


def case_code_next(case: Case) -> str:
    year = timezone.localdate().year
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(organization_id=case.organization_id, year=year)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{case.organization_id:03d}-{year}-{counter.last:05d}"


def _member(actor: Actor, user: User | None) -> User | None:
    """A colleague who may be given the case: active in the actor's organization, in a role that works on cases."""
    if user is None:
        return None
    case_roles = [role for role, actions in PERMISSIONS.items() if Action.CASE_EDIT in actions]
    if not Membership.objects.filter(
        user=user, user__is_active=True, organization_id=_organization_of(actor), is_active=True, role__in=case_roles
    ).exists():
        raise ValidationError(
            details={"caseworker": [_("The caseworker must be a colleague of your organization who works on cases.")]}
        )
    return user


def referral_open_case(*, actor: Actor, referral: Referral, person: Person, caseworker: User | None = None) -> Case:
    """Triage: open a case for the person the referral is about."""
    if person.organization_id != actor.organization_id:
        raise ValidationError(details={"person": [_("Choose a person registered by your organization.")]})
    with transaction.atomic():
        locked = _lock_pending(actor, referral)
        case = Case(
            organization_id=locked.organization_id,
            person=person,
            referral=locked,
            caseworker=_member(actor, caseworker) or actor.user,
            stage=Case.Stage.INITIAL_ASSESSMENT,
        )
        case.code = case_code_next(case)
        full_clean(case)
        case.save()
        locked.status = Referral.Status.CASE_OPENED
        locked.decided_at = timezone.now()
        locked.decided_by = actor.user
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(actor=actor, action="referral.triage", target=locked, fields=["status", "decided_at", "decided_by"])
        audit_record(actor=actor, action="case.open", target=case, fields=["person", "referral", "caseworker", "stage", "code"])
    referral.refresh_from_db()
    return case


def referral_open_case_for_new_person(*, actor: Actor, referral: Referral, caseworker: User | None = None, **person: Any) -> Case:
    """Triage for someone not yet registered: the person and her case in one transaction, so a
    person registered here does not remain if the case cannot be opened."""
    with transaction.atomic():
        registered = person_create(actor=actor, **person)
        return referral_open_case(actor=actor, referral=referral, person=registered, caseworker=caseworker)


def referral_decline(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Triage: record why no case is opened."""
    if not reason.strip():
        raise ValidationError(details={"reason": [_("Say why no case is opened.")]})
    with transaction.atomic():
        locked = _lock_pending(actor, referral)
        locked.status = Referral.Status.NOT_OPENED
        locked.decision_reason = reason.strip()
        locked.decided_at = timezone.now()
        locked.decided_by = actor.user
        locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        audit_record(actor=actor, action="referral.triage", target=locked, fields=["status", "decision_reason", "decided_at"])
    return locked


# Case facts


def _validated_multi(name: str, values: list[str]) -> list[str]:
    _field, choices = MULTI_FACTS[name]
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        raise ValidationError(details={name: [_("Unknown values: %(values)s.") % {"values": ", ".join(unknown)}]})
    return sorted(set(values))


def case_facts(case: Case) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {name: [] for name in MULTI_FACTS}
    by_field = {field: name for name, (field, _c) in MULTI_FACTS.items()}
    for fact in case.facts.all():
        grouped[by_field[fact.field]].append(fact.value)
    return {name: sorted(values) for name, values in grouped.items()}


def _changes_since(case: Case, version: int) -> str:
    """Who changed what since the version the user had, from the audit trail."""
    missed = case.version - version
    events = (
        AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk), action="case.update")
        .select_related("actor")
        .order_by("-created_at", "-pk")[: max(missed, 0)]
    )
    parts = [
        _("%(who)s changed %(fields)s at %(time)s")
        % {
            "who": event.actor.username if event.actor else _("system"),
            "fields": ", ".join(event.fields),
            "time": timezone.localtime(event.created_at).strftime("%H:%M"),
        }
        for event in events
    ]
    return "; ".join(parts)


def case_update_facts(*, actor: Actor, case: Case, version: int, **changes: Any) -> Case:
    """Change case facts. `version` is the one the user saw: if someone saved in between, the save
    is refused with what they changed, never silently overwritten."""
    actor.require(Action.CASE_EDIT)
    if case.organization_id != actor.organization_id:
        raise PermissionDenied()
    unknown = set(changes) - set(SINGLE_FACTS) - set(MULTI_FACTS)
    if unknown:
        raise ValidationError(details={name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    multi = {name: _validated_multi(name, changes.pop(name)) for name in list(changes) if name in MULTI_FACTS}
    for name in ("recruitment_county", "exploitation_county", "county"):
        if name in changes and isinstance(changes[name], str):
            code = changes[name]
            changes[name] = County.objects.filter(code=code).first() if code else None
            if code and changes[name] is None:
                raise ValidationError(details={name: [_("Unknown county code %(code)s.") % {"code": code}]})
    for name in ("recruitment_country", "exploitation_country"):
        if name in changes:
            changes[name] = (changes[name] or "").strip().upper()
    candidate = Case.objects.get(pk=case.pk)
    before = case_facts(candidate)
    changed = [name for name, value in changes.items() if getattr(candidate, name) != value]
    changed += [name for name, values in multi.items() if before[name] != values]
    for name in changes:
        setattr(candidate, name, changes[name])
    full_clean(candidate)
    if candidate.version != version:
        raise Conflict(
            _("Someone saved this case after you opened it: %(changes)s. Reload it, check, and save again.")
            % {"changes": _changes_since(candidate, version) or _("unknown changes")}
        )
    if not changed:
        return candidate
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=version).update(
            **{name: changes[name] for name in changes}, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated == 0:
            raise Conflict(_("Someone saved this case at the same moment. Reload it, check, and save again."))
        for name, values in multi.items():
            field, _choices = MULTI_FACTS[name]
            CaseFact.objects.filter(case=candidate, field=field).exclude(value__in=values).delete()
            existing = set(CaseFact.objects.filter(case=candidate, field=field).values_list("value", flat=True))
            CaseFact.objects.bulk_create([CaseFact(case=candidate, field=field, value=v) for v in values if v not in existing])
        audit_record(actor=actor, action="case.update", target=candidate, fields=sorted(changed))
    candidate.refresh_from_db()
    return candidate
