from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from punte.accounts.actor import Actor, actor_for
from punte.accounts.models import Membership, Organization, User
from punte.accounts.services import membership_create, organization_create, user_create
from punte.assessments.services import assessment_create
from punte.cases.cnp import check_digit
from punte.cases.models import Case, Referral
from punte.cases.services import case_update_facts, person_create, referral_create, referral_decline, referral_open_case

from . import data


@dataclass
class DemoReport:
    organizations: int = 0
    users: int = 0
    memberships: int = 0
    cases: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def demo_seed(*, actor: Actor) -> DemoReport:
    """Create the synthetic demo organizations and users through the real services (so the
    audit trail has them too). Running it again adds only what is missing."""
    report = DemoReport()
    with transaction.atomic():
        organizations: dict[str, Organization] = {
            o.name: o for o in Organization.objects.filter(name__in=[n for n, _, _ in data.ORGANIZATIONS])
        }
        for name, kind, county in data.ORGANIZATIONS:
            if name not in organizations:
                organizations[name] = organization_create(actor=actor, name=name, kind=kind, county_code=county)
                report.organizations += 1
        existing = set(User.objects.filter(username__in=[u for u, *_ in data.USERS]).values_list("username", flat=True))
        for username, first, last, organization, role in data.USERS:
            if username not in existing:
                user_create(
                    actor=actor,
                    username=username,
                    organization=organizations[organization],
                    role=role,
                    password=data.DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                )
                report.users += 1
            report.logins.append((username, str(role.label), organization))
        for username, organization, role in data.EXTRA_MEMBERSHIPS:
            user = User.objects.get(username=username)
            if not Membership.objects.filter(user=user, organization=organizations[organization]).exists():
                membership_create(actor=actor, user=user, organization=organizations[organization], role=role)
                report.memberships += 1
    demo_cases(organization=organizations[data.NGO], report=report)
    return report


def demo_cases(*, organization: Organization, report: DemoReport) -> None:
    """Synthetic referrals and cases for the programme's NGO, made by its demo caseworker."""
    if Referral.objects.filter(organization=organization).exists():
        return
    caseworker = actor_for(User.objects.get(username="caseworker"), organization.pk)
    psychologist = actor_for(User.objects.get(username="psychologist"), organization.pk)
    today = timezone.localdate()
    for n, (first, last, born, sex, exploitation, county) in enumerate(data.PERSONS):
        referral = referral_create(
            actor=caseworker,
            received_on=today - timedelta(days=30 + 7 * n),
            source=["police", "prosecutor", "anitp", "ngo", "self"][n % 5],
            channel="phone",
            summary=f"Demonstrație: referire sintetică nr. {n + 1}.",
        )
        prefix = f"{sex}{born}48999"
        person = person_create(
            actor=caseworker,
            first_name=first,
            last_name=last,
            cnp=prefix + str(check_digit(prefix)),
            gender="Feminine",
        )
        case = referral_open_case(actor=caseworker, referral=referral, person=person)
        case_update_facts(
            actor=caseworker,
            case=case,
            version=case.version,
            trafficking_status="ActualVictimOfTrafficking" if n % 2 == 0 else "PossibleVictimOfTrafficking",
            exploitation_types=exploitation,
            county=county,
            exploitation_country="RO" if n % 3 else "IT",
        )
        report.cases += 1
        _demo_assessments(n, case, caseworker, psychologist)
    for days, source, channel, urgency, summary in data.WAITING_REFERRALS:
        referral_create(
            actor=caseworker,
            received_on=today - timedelta(days=days),
            source=source,
            channel=channel,
            urgency=urgency,
            summary=summary,
        )
    days, source, channel, urgency, summary = data.DECLINED_REFERRAL
    declined = referral_create(
        actor=caseworker,
        received_on=today - timedelta(days=days),
        source=source,
        channel=channel,
        urgency=urgency,
        summary=summary,
    )
    referral_decline(
        actor=caseworker,
        referral=declined,
        reason="Demonstrație: nu sunt indicii de trafic; îndrumată către un serviciu de consiliere.",
    )


NO_CONCERN = {
    "trafficker_contact": "no",
    "threats": "no",
    "safe_place": "yes",
    "minor_without_caregiver": "no",
    "family_involved": "no",
    "self_harm": "no",
    "urgent_medical": "no",
    "debt_or_dependence": "no",
}
DOMAINS = ["socio_economic", "medical", "education", "housing", "family", "legal_status", "employment"]


def _demo_assessments(n: int, case: Case, caseworker: Actor, psychologist: Actor) -> None:
    if n in data.RISK_ANSWERS:
        answers = {**NO_CONCERN, **data.RISK_ANSWERS[n], "notes": "Demonstrație: observații sintetice."}
        assessment_create(actor=caseworker, case=case, kind="initial_risk", answers=answers)
    if n in data.COMPLEX_DONE:
        scores: dict[str, object] = {}
        for i, domain in enumerate(DOMAINS):
            scores[f"{domain}_need"] = (i + n) % 4
            scores[f"{domain}_resource"] = (i + 2 * n + 1) % 4
        assessment_create(actor=caseworker, case=case, kind="complex_evaluation", answers=scores)
    if n in data.PSYCHOLOGICAL_DONE:
        assessment_create(
            actor=psychologist,
            case=case,
            kind="psychological",
            answers={
                "mental_health_concern": 2,
                "trauma_symptoms": "some",
                "personal_resources": "Demonstrație: motivație, sprijinul unei prietene.",
                "family_resources": "Demonstrație: o mătușă disponibilă.",
                "family_vulnerabilities": "Demonstrație: conflict în familie.",
                "recommendations": "Demonstrație: consiliere săptămânală.",
            },
        )
