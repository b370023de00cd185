"""The test base: a world with one user per role in one organization, a second organization, a
user with no membership, and helpers to sign in (with a verified second factor) and to assert
that a request is refused. State is made through the real services, as in production."""

from dataclasses import dataclass, field
from typing import Any

import factory
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from punte.accounts.actor import SYSTEM, Actor, actor_for
from punte.accounts.models import Organization, User
from punte.accounts.roles import Role
from punte.accounts.services import organization_create, user_create
from punte.assessments.services import templates_load_shipped
from punte.reference.models import County, CountyGrouping
from punte.reference.services import grouping_create, reference_load

PASSWORD = "correct-horse-battery-staple-42"


def ensure_reference_data() -> None:
    if not County.objects.exists():
        reference_load(actor=SYSTEM)
        templates_load_shipped(actor=SYSTEM)


class OrganizationFactory(factory.Factory):
    """Organizations made through `organization_create`, so each has its audit event."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organizația de test {n}")
    kind = Organization.Kind.NGO
    county_code = "RO-CJ"

    @classmethod
    def _create(cls, model_class: type[Organization], *args: Any, **kwargs: Any) -> Organization:
        ensure_reference_data()
        return organization_create(actor=SYSTEM, **kwargs)

    @classmethod
    def _build(cls, model_class: type[Organization], *args: Any, **kwargs: Any) -> Organization:
        raise NotImplementedError("organizations are always made through the service")


class UserFactory(factory.Factory):
    """A user with one membership, made through `user_create`."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CASEWORKER
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Person"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        user, _ = user_create(actor=SYSTEM, password=PASSWORD, **kwargs)
        return user

    @classmethod
    def _build(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        raise NotImplementedError("users are always made through the service")


def make_user(**kwargs: Any) -> User:
    user: User = UserFactory(**kwargs)
    return user


def make_organization(**kwargs: Any) -> Organization:
    organization: Organization = OrganizationFactory(**kwargs)
    return organization


@dataclass
class World:
    organization: Organization
    other_organization: Organization
    hidden_organization: Organization
    custom_grouping: CountyGrouping
    other_caseworker: User
    other_supervisor: User
    no_membership: User
    users: dict[Role, User] = field(default_factory=dict)

    def user(self, role: Role | str) -> User:
        return self.users[Role(role)]

    def actor(self, role: Role | str) -> Actor:
        return actor_for(self.user(role))


def build_world() -> World:
    ensure_reference_data()
    home = make_organization(name="Asociația de test Cluj", county_code="RO-CJ")
    other = make_organization(name="Centrul de test Arad", kind=Organization.Kind.PUBLIC_INSTITUTION, county_code="RO-AR")
    # An organization nobody in the world belongs to: only administrators ever see its name.
    hidden = make_organization(name="Fundația nevăzută Iași", county_code="RO-IS")
    grouping = grouping_create(
        actor=SYSTEM, code="test-custom", name_ro="Grupare de test", name_en="Test grouping", county_codes=["RO-CJ", "RO-BH"]
    )
    users = {role: make_user(username=role.value, organization=home, role=role) for role in Role}
    # A user whose only membership was ended: signed in, belongs nowhere.
    lonely = make_user(username="no_membership", organization=other, role=Role.CASEWORKER)
    lonely.memberships.update(is_active=False)
    return World(
        organization=home,
        other_organization=other,
        hidden_organization=hidden,
        custom_grouping=grouping,
        other_caseworker=make_user(username="other_caseworker", organization=other, role=Role.CASEWORKER),
        other_supervisor=make_user(username="other_supervisor", organization=other, role=Role.SUPERVISOR),
        no_membership=lonely,
        users=users,
    )


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client signed in as `user` with a confirmed authenticator, as after a real two-factor sign-in."""
    client = client or Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    session: SessionBase = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def assert_refused(response: Any, *secrets: str) -> None:
    """The request was refused (403 or 404, or a redirect to sign-in) and showed none of `secrets`."""
    assert response.status_code in {302, 401, 403, 404}, f"expected a refusal, got {response.status_code}"
    if response.status_code == 302:
        assert "/account/login/" in response["Location"], f"redirected to {response['Location']}, not to sign-in"
    body = response.content.decode(errors="replace")
    for secret in filter(None, secrets):
        assert secret not in body, f"a refusal showed {secret!r}"


def count_queries(request: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        request()
    return len(context.captured_queries)


def assert_queries_flat(request: Any, make_more: Any, *, at_most: int) -> int:
    """The query count of `request()` does not grow when `make_more()` adds rows, and stays under
    the pinned `at_most`. Returns the count. A first, unmeasured call warms caches and
    once-per-interval writes (such as a token's last use)."""
    request()
    before = count_queries(request)
    make_more()
    after = count_queries(request)
    assert after == before, f"query count grew with the number of rows: {before} -> {after}"
    assert before <= at_most, f"{before} queries, pinned at {at_most}"
    return before


def synthetic_cnp(sex_century: str = "2", yymmdd: str = "000101") -> str:
    """A CNP that passes validation but belongs to no one: county 48 (a Bucharest sector code no
    longer issued) and serial 999."""
    from punte.cases.cnp import check_digit

    first = f"{sex_century}{yymmdd}48999"
    return first + str(check_digit(first))
