from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from punte.accounts.actor import Actor, actor_for
from punte.accounts.models import Membership, Organization, User
from punte.accounts.services import membership_create, organization_create, user_create
from punte.cases.cnp import check_digit
from punte.cases.models import Referral
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
