from dataclasses import dataclass, field

from django.db import transaction

from punte.accounts.actor import Actor
from punte.accounts.models import Membership, Organization, User
from punte.accounts.services import membership_create, organization_create, user_create

from . import data


@dataclass
class DemoReport:
    organizations: int = 0
    users: int = 0
    memberships: int = 0
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
    return report
