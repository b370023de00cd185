"""Reads of referrals, persons and cases. Each entity has one `<entity>_visible_to` that fails
closed: only the actor's own organization, only for roles that work on cases."""

from dataclasses import dataclass, field

from django.db.models import Case as Choose
from django.db.models import Q, QuerySet, Value, When
from rapidfuzz import fuzz

from punte.accounts.actor import Actor
from punte.accounts.models import User
from punte.accounts.roles import PERMISSIONS, Action
from punte.audit.models import AuditEvent
from punte.core.crypto import normalize_name
from punte.core.errors import NotFound

from .models import Case, Person, PersonLookup, Referral
from .services import Identity, person_lookups

FUZZY_THRESHOLD = 80
# Lists show codes and pseudonyms only: the encrypted columns are not even loaded, so nothing is
# decrypted for a list.
PERSON_IDENTITY = ["first_name", "last_name", "chosen_name", "cnp", "birth_date", "phone", "address"]


def referral_visible_to(actor: Actor) -> QuerySet[Referral]:
    if not (actor.can(Action.REFERRAL_CREATE) or actor.can(Action.REFERRAL_TRIAGE)) or actor.organization_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(organization_id=actor.organization_id)


def person_visible_to(actor: Actor) -> QuerySet[Person]:
    if not actor.can(Action.CASE_VIEW) or actor.organization_id is None:
        return Person.objects.none()
    return Person.objects.filter(organization_id=actor.organization_id)


def case_visible_to(actor: Actor) -> QuerySet[Case]:
    if not actor.can(Action.CASE_VIEW) or actor.organization_id is None:
        return Case.objects.none()
    return Case.objects.filter(organization_id=actor.organization_id)


def referral_queue(*, actor: Actor, status: str = Referral.Status.NEW) -> QuerySet[Referral]:
    referrals = (
        referral_visible_to(actor).select_related("case", "decided_by").defer("summary", "referrer_contact", "decision_reason")
    )
    if status:
        referrals = referrals.filter(status=status)
    if status != Referral.Status.NEW:
        return referrals.order_by("-received_on", "-pk")
    priority = Choose(
        When(urgency=Referral.Urgency.EMERGENCY, then=Value(0)),
        When(urgency=Referral.Urgency.URGENT, then=Value(1)),
        default=Value(2),
    )
    return referrals.annotate(priority=priority).order_by("priority", "received_on", "pk")


def referral_get(*, actor: Actor, pk: int) -> Referral:
    referral = referral_visible_to(actor).filter(pk=pk).first()
    if referral is None:
        raise NotFound()
    return referral


def person_get(*, actor: Actor, pk: int) -> Person:
    person = person_visible_to(actor).filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


@dataclass(frozen=True)
class CaseFilters:
    query: str = ""
    status: str = ""
    stage: str = ""
    risk_level: str = ""
    caseworker_id: int | None = None
    county: str = ""
    exploitation_type: str = ""


def case_list(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    f = filters or CaseFilters()
    cases = (
        case_visible_to(actor)
        .select_related("person", "caseworker", "county")
        .defer(*(f"person__{name}" for name in PERSON_IDENTITY))
    )
    if f.query:
        cases = cases.filter(Q(code__icontains=f.query) | Q(person__pseudonym__icontains=f.query))
    if f.status:
        cases = cases.filter(status=f.status)
    if f.stage:
        cases = cases.filter(stage=f.stage)
    if f.risk_level:
        cases = cases.filter(risk_level=f.risk_level)
    if f.caseworker_id:
        cases = cases.filter(caseworker_id=f.caseworker_id)
    if f.county:
        cases = cases.filter(county_id=f.county)
    if f.exploitation_type:
        cases = cases.filter(facts__field="vic_TypeOfExploitation", facts__value=f.exploitation_type)
    return cases.order_by("-opened_at", "-pk")


def case_get(*, actor: Actor, pk: int) -> Case:
    case = case_visible_to(actor).select_related("person", "caseworker", "referral", "county").filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


@dataclass
class Candidate:
    person: Person
    reasons: list[str] = field(default_factory=list)
    score: int = 0


def person_candidates(*, actor: Actor, identity: Identity, limit: int = 10) -> list[Candidate]:
    """Persons of the actor's organization who may be the one being registered: the same name and
    birth date, the same CNP (exact, through keyed digests), or a similar name (a shared name part,
    ranked by similarity of the full name)."""
    if not actor.can(Action.REFERRAL_TRIAGE) or actor.organization_id is None:
        return []
    digests = person_lookups(actor.organization_id, identity)
    if not digests:
        return []
    condition = Q()
    for kind, digest in digests:
        condition |= Q(kind=kind, digest=digest)
    hits = PersonLookup.objects.filter(condition, organization_id=actor.organization_id).values_list("person_id", "kind")
    kinds: dict[int, set[str]] = {}
    for person_id, kind in hits:
        kinds.setdefault(person_id, set()).add(kind)
    if not kinds:
        return []
    wanted = normalize_name(f"{identity.first_name} {identity.last_name}")
    candidates = []
    for person in person_visible_to(actor).filter(pk__in=list(kinds)).prefetch_related("cases"):
        found = kinds[person.pk]
        score = int(fuzz.token_sort_ratio(wanted, normalize_name(f"{person.first_name} {person.last_name}")))
        candidate = Candidate(person=person, score=score)
        if PersonLookup.Kind.CNP in found:
            candidate.reasons.append("cnp")
        if PersonLookup.Kind.NAME_BIRTH in found:
            candidate.reasons.append("name_birth")
        if not candidate.reasons and score >= FUZZY_THRESHOLD:
            candidate.reasons.append("similar_name")
        if candidate.reasons:
            candidates.append(candidate)
    candidates.sort(key=lambda c: (len(c.reasons) > 0 and c.reasons[0] != "similar_name", c.score), reverse=True)
    return candidates[:limit]


def caseworker_choices(*, actor: Actor) -> QuerySet[User]:
    """Colleagues who may be given a case: members of the actor's organization whose role works on cases."""
    if not actor.can(Action.CASE_VIEW) or actor.organization_id is None:
        return User.objects.none()
    roles = [role for role, actions in PERMISSIONS.items() if Action.CASE_EDIT in actions]
    return User.objects.filter(
        is_active=True,
        memberships__organization_id=actor.organization_id,
        memberships__is_active=True,
        memberships__role__in=roles,
    ).order_by("last_name", "username")


def case_timeline(*, actor: Actor, case: Case) -> QuerySet[AuditEvent]:
    """What happened to the case and its referral, newest first, from the audit trail."""
    targets = Q(target_type="cases.case", target_id=str(case.pk))
    if case.referral_id:
        targets |= Q(target_type="cases.referral", target_id=str(case.referral_id))
    targets |= Q(target_type="cases.person", target_id=str(case.person_id), kind=AuditEvent.Kind.WRITE)
    return (
        AuditEvent.objects.filter(targets, organization_id=case.organization_id)
        .exclude(kind=AuditEvent.Kind.ACCESS)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:50]
    )


@dataclass(frozen=True)
class MyWork:
    my_cases: list[Case]
    waiting_referrals: list[Referral]
    high_risk: list[Case]


def my_work(*, actor: Actor) -> MyWork:
    if actor.user is None:
        return MyWork([], [], [])
    open_cases = case_list(actor=actor).exclude(status__in=["Closed", "ClosedReferred"])
    return MyWork(
        my_cases=list(open_cases.filter(caseworker_id=actor.user.pk)[:50]),
        waiting_referrals=list(referral_queue(actor=actor)[:50]) if actor.can(Action.REFERRAL_TRIAGE) else [],
        high_risk=list(open_cases.filter(risk_level__in=[Case.RiskLevel.HIGH, Case.RiskLevel.IMMEDIATE])[:50]),
    )
