"""The audit trail: every write leaves its event, a refused write leaves nothing, the hash chains
detect tampering, reads and sign-ins are recorded, and the audit page filters and fences events."""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from punte.accounts.actor import SYSTEM, actor_for
from punte.accounts.models import ApiToken, Membership, Organization, User
from punte.accounts.roles import Role
from punte.accounts.services import (
    membership_create,
    membership_update,
    organization_create,
    organization_update,
    token_create,
    token_revoke,
    user_create,
    user_password_change,
    user_password_reset,
    user_two_factor_reset,
    user_update,
)
from punte.audit.models import AuditChainHead, AuditEvent
from punte.audit.services import GENESIS, audit_record, audit_verify, chain_for
from punte.core.errors import PermissionDenied, ValidationError
from tests.base import PASSWORD, World, assert_queries_flat, verified_client

STRONG = "another-long-passphrase-5512"
BUCHAREST = ZoneInfo("Europe/Bucharest")


@contextmanager
def recorded() -> Iterator[list[AuditEvent]]:
    """The events appended while the block ran, oldest first."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    events: list[AuditEvent] = []
    yield events
    events.extend(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a service of accounts could write, to compare before and after a refusal."""
    models: list[Any] = [Organization, User, Membership, ApiToken, TOTPDevice, AuditEvent, AuditChainHead]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def only(events: list[AuditEvent]) -> AuditEvent:
    assert len(events) == 1, f"expected exactly one event, got {[e.action for e in events]}"
    return events[0]


# Every service write leaves exactly one event (two for user_create).


def test_organization_create_is_audited(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    with recorded() as events:
        organization = organization_create(
            actor=world.actor(Role.ADMINISTRATOR), name="Fundația Nouă", kind="university", county_code="RO-TM"
        )
    event = only(events)
    assert event.action == "organization.create"
    assert event.kind == AuditEvent.Kind.WRITE
    assert event.actor_id == admin.pk
    assert event.organization_id == organization.pk
    assert event.chain == chain_for(organization.pk)
    assert event.seq == 1
    assert event.prev_hash == GENESIS
    assert (event.target_type, event.target_id) == ("accounts.organization", str(organization.pk))
    assert event.fields == ["county", "is_active", "kind", "name"]


def test_organization_update_records_only_the_changed_fields(world: World) -> None:
    organization = world.other_organization
    with recorded() as events:
        organization_update(
            actor=world.actor(Role.ADMINISTRATOR),
            organization=organization,
            name="Centrul redenumit Arad",
            kind=organization.kind,
            county_code="RO-TM",
            is_active=True,
        )
    event = only(events)
    assert event.action == "organization.update"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert event.organization_id == organization.pk
    assert (event.target_type, event.target_id) == ("accounts.organization", str(organization.pk))
    assert event.fields == ["county", "name"]


def test_organization_update_without_a_change_writes_nothing(world: World) -> None:
    organization = world.organization
    before = snapshot()
    organization_update(
        actor=world.actor(Role.ADMINISTRATOR),
        organization=organization,
        name=organization.name,
        kind=organization.kind,
        county_code=organization.county_id,
        is_active=organization.is_active,
    )
    assert snapshot() == before


def test_user_create_records_the_user_and_the_membership(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    with recorded() as events:
        user, _ = user_create(
            actor=world.actor(Role.ADMINISTRATOR),
            username="nou",
            organization=world.other_organization,
            role=Role.LEGAL_COUNSELLOR,
            password=STRONG,
        )
    membership = user.memberships.get()
    assert [e.action for e in events] == ["user.create", "membership.create"]
    user_event, membership_event = events
    assert {e.actor_id for e in events} == {admin.pk}
    assert {e.organization_id for e in events} == {world.other_organization.pk}
    assert (user_event.target_type, user_event.target_id) == ("accounts.user", str(user.pk))
    assert user_event.fields == ["email", "first_name", "last_name", "password", "username"]
    assert (membership_event.target_type, membership_event.target_id) == ("accounts.membership", str(membership.pk))
    assert membership_event.fields == ["organization", "role", "user"]
    assert membership_event.seq == user_event.seq + 1
    assert membership_event.prev_hash == user_event.hash


def test_user_update_is_audited(world: World) -> None:
    subject = world.user(Role.MENTOR)
    with recorded() as events:
        user_update(
            actor=world.actor(Role.ADMINISTRATOR),
            user=subject,
            first_name="Ana",
            last_name=subject.last_name,
            email="ana@example.org",
            is_active=True,
        )
    event = only(events)
    assert event.action == "user.update"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))
    assert event.fields == ["email", "first_name"]


def test_user_password_reset_is_audited(world: World) -> None:
    subject = world.user(Role.ANALYST)
    with recorded() as events:
        one_time = user_password_reset(actor=world.actor(Role.ADMINISTRATOR), user=subject)
    event = only(events)
    assert event.action == "user.password_reset"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))
    assert event.fields == ["password"]
    assert one_time not in str(AuditEvent.objects.filter(pk=event.pk).values().get())
    subject.refresh_from_db()
    assert subject.must_change_password is True


def test_user_password_change_is_audited_as_the_user(world: World) -> None:
    subject = world.user(Role.PSYCHOLOGIST)
    with recorded() as events:
        user_password_change(actor=actor_for(subject), user=subject, new_password=STRONG)
    event = only(events)
    assert event.action == "user.password_change"
    assert event.actor_id == subject.pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))
    assert event.fields == ["password"]


def test_user_two_factor_reset_is_audited(world: World) -> None:
    subject = world.user(Role.SUPERVISOR)
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    with recorded() as events:
        removed = user_two_factor_reset(actor=world.actor(Role.ADMINISTRATOR), user=subject)
    assert removed == 1
    assert not TOTPDevice.objects.filter(user=subject).exists()
    event = only(events)
    assert event.action == "user.two_factor_reset"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))
    assert event.fields == ["devices"]


def test_membership_create_is_audited_in_the_organization_joined(world: World) -> None:
    subject = world.user(Role.MENTOR)
    with recorded() as events:
        membership = membership_create(
            actor=world.actor(Role.ADMINISTRATOR), user=subject, organization=world.other_organization, role=Role.MENTOR
        )
    event = only(events)
    assert event.action == "membership.create"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert event.organization_id == world.other_organization.pk
    assert event.chain == chain_for(world.other_organization.pk)
    assert (event.target_type, event.target_id) == ("accounts.membership", str(membership.pk))
    assert event.fields == ["organization", "role", "user"]


def test_membership_update_is_audited(world: World) -> None:
    membership = world.other_caseworker.memberships.get()
    with recorded() as events:
        membership_update(actor=world.actor(Role.ADMINISTRATOR), membership=membership, role=Role.SUPERVISOR, is_active=False)
    event = only(events)
    assert event.action == "membership.update"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert event.organization_id == world.other_organization.pk
    assert (event.target_type, event.target_id) == ("accounts.membership", str(membership.pk))
    assert event.fields == ["is_active", "role"]


def test_token_create_and_revoke_are_audited(world: World) -> None:
    subject = world.user(Role.ANALYST)
    with recorded() as created:
        token, raw = token_create(actor=actor_for(subject), user=subject, name="reports")
    event = only(created)
    assert event.action == "api_token.create"
    assert event.actor_id == subject.pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.apitoken", str(token.pk))
    assert event.fields == ["expires_at", "name", "user"]
    assert raw not in str(AuditEvent.objects.filter(pk=event.pk).values().get())

    with recorded() as revoked:
        token_revoke(actor=world.actor(Role.ADMINISTRATOR), token=token)
    event = only(revoked)
    assert event.action == "api_token.revoke"
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert (event.target_type, event.target_id) == ("accounts.apitoken", str(token.pk))
    assert event.fields == ["revoked_at"]

    with recorded() as again:
        token_revoke(actor=world.actor(Role.ADMINISTRATOR), token=token)
    assert again == []


# A refused write writes nothing, its event included.


@dataclass(frozen=True)
class Refusal:
    name: str
    prepare: Callable[[World], Callable[[], object]]
    error: type[Exception]


def _caseworker(world: World) -> Any:
    return world.actor(Role.CASEWORKER)


def _admin(world: World) -> Any:
    return world.actor(Role.ADMINISTRATOR)


def _with_token(world: World) -> Callable[[], object]:
    token, _ = token_create(actor=SYSTEM, user=world.user(Role.PSYCHOLOGIST))
    return lambda: token_revoke(actor=_caseworker(world), token=token)


def _with_device(world: World) -> Callable[[], object]:
    TOTPDevice.objects.create(user=world.user(Role.PSYCHOLOGIST), name="phone", confirmed=True)
    return lambda: user_two_factor_reset(actor=_caseworker(world), user=world.user(Role.PSYCHOLOGIST))


def _inactive_organization(world: World) -> Organization:
    return organization_create(actor=SYSTEM, name="Asociația închisă", kind="ngo", county_code="RO-SB", is_active=False)


def _own_membership(world: World) -> Membership:
    return Membership.objects.get(user=world.user(Role.ADMINISTRATOR))


def _inactive_user(world: World) -> User:
    user = world.user(Role.MENTOR)
    user_update(actor=SYSTEM, user=user, first_name="", last_name="", email="", is_active=False)
    return user


REFUSALS = [
    # A caseworker may manage nothing.
    Refusal(
        "org-create-caseworker",
        lambda w: lambda: organization_create(actor=_caseworker(w), name="X", kind="ngo", county_code="RO-CJ"),
        PermissionDenied,
    ),
    Refusal(
        "org-update-caseworker",
        lambda w: (
            lambda: organization_update(
                actor=_caseworker(w), organization=w.organization, name="Y", kind="ngo", county_code="RO-CJ", is_active=True
            )
        ),
        PermissionDenied,
    ),
    Refusal(
        "user-create-caseworker",
        lambda w: (
            lambda: user_create(
                actor=_caseworker(w), username="x", organization=w.organization, role="caseworker", password=STRONG
            )
        ),
        PermissionDenied,
    ),
    Refusal(
        "user-update-caseworker",
        lambda w: (
            lambda: user_update(
                actor=_caseworker(w), user=w.user(Role.PSYCHOLOGIST), first_name="Z", last_name="", email="", is_active=False
            )
        ),
        PermissionDenied,
    ),
    Refusal(
        "password-reset-caseworker",
        lambda w: lambda: user_password_reset(actor=_caseworker(w), user=w.user(Role.PSYCHOLOGIST)),
        PermissionDenied,
    ),
    Refusal(
        "password-change-of-another",
        lambda w: lambda: user_password_change(actor=_caseworker(w), user=w.user(Role.PSYCHOLOGIST), new_password=STRONG),
        PermissionDenied,
    ),
    Refusal("two-factor-reset-caseworker", _with_device, PermissionDenied),
    Refusal(
        "membership-create-caseworker",
        lambda w: (
            lambda: membership_create(actor=_caseworker(w), user=w.no_membership, organization=w.organization, role="caseworker")
        ),
        PermissionDenied,
    ),
    Refusal(
        "membership-update-caseworker",
        lambda w: (
            lambda: membership_update(
                actor=_caseworker(w), membership=w.user(Role.PSYCHOLOGIST).memberships.get(), role="supervisor", is_active=True
            )
        ),
        PermissionDenied,
    ),
    Refusal(
        "token-create-for-another",
        lambda w: lambda: token_create(actor=_caseworker(w), user=w.user(Role.PSYCHOLOGIST)),
        PermissionDenied,
    ),
    Refusal("token-revoke-of-another", _with_token, PermissionDenied),
    # Bad input from an administrator.
    Refusal(
        "org-create-unknown-county",
        lambda w: lambda: organization_create(actor=_admin(w), name="X", kind="ngo", county_code="RO-XX"),
        ValidationError,
    ),
    Refusal(
        "org-create-unknown-kind",
        lambda w: lambda: organization_create(actor=_admin(w), name="X", kind="club", county_code="RO-CJ"),
        ValidationError,
    ),
    Refusal(
        "org-create-duplicate-name",
        lambda w: lambda: organization_create(actor=_admin(w), name=w.organization.name, kind="ngo", county_code="RO-CJ"),
        ValidationError,
    ),
    Refusal(
        "org-create-blank-name",
        lambda w: lambda: organization_create(actor=_admin(w), name="  ", kind="ngo", county_code="RO-CJ"),
        ValidationError,
    ),
    Refusal(
        "org-update-unknown-county",
        lambda w: (
            lambda: organization_update(
                actor=_admin(w), organization=w.other_organization, name="Nume nou", kind="ngo", county_code="XX", is_active=True
            )
        ),
        ValidationError,
    ),
    Refusal(
        "org-update-duplicate-name",
        lambda w: (
            lambda: organization_update(
                actor=_admin(w),
                organization=w.other_organization,
                name=w.organization.name,
                kind="ngo",
                county_code="RO-AR",
                is_active=True,
            )
        ),
        ValidationError,
    ),
    Refusal(
        "user-create-weak-password",
        lambda w: (
            lambda: user_create(actor=_admin(w), username="x", organization=w.organization, role="mentor", password="short")
        ),
        ValidationError,
    ),
    Refusal(
        "user-create-duplicate-username",
        lambda w: lambda: user_create(actor=_admin(w), username="caseworker", organization=w.organization, role="mentor"),
        ValidationError,
    ),
    Refusal(
        "user-create-unknown-role",
        lambda w: lambda: user_create(actor=_admin(w), username="x", organization=w.organization, role="king"),
        ValidationError,
    ),
    Refusal(
        "user-create-inactive-organization",
        lambda w: (lambda o: lambda: user_create(actor=_admin(w), username="x", organization=o, role="mentor"))(
            _inactive_organization(w)
        ),
        ValidationError,
    ),
    Refusal(
        "user-update-deactivate-self",
        lambda w: (
            lambda: user_update(
                actor=_admin(w), user=w.user(Role.ADMINISTRATOR), first_name="", last_name="", email="", is_active=False
            )
        ),
        ValidationError,
    ),
    Refusal(
        "user-update-bad-email",
        lambda w: (
            lambda: user_update(
                actor=_admin(w), user=w.user(Role.MENTOR), first_name="", last_name="", email="not-an-address", is_active=True
            )
        ),
        ValidationError,
    ),
    Refusal(
        "password-change-weak",
        lambda w: (
            lambda: user_password_change(
                actor=actor_for(w.user(Role.MENTOR)), user=w.user(Role.MENTOR), new_password="12345678901234"
            )
        ),
        ValidationError,
    ),
    Refusal(
        "membership-create-duplicate",
        lambda w: (
            lambda: membership_create(actor=_admin(w), user=w.user(Role.MENTOR), organization=w.organization, role="analyst")
        ),
        ValidationError,
    ),
    Refusal(
        "membership-create-unknown-role",
        lambda w: (
            lambda: membership_create(actor=_admin(w), user=w.user(Role.MENTOR), organization=w.other_organization, role="king")
        ),
        ValidationError,
    ),
    Refusal(
        "membership-create-inactive-organization",
        lambda w: (lambda o: lambda: membership_create(actor=_admin(w), user=w.user(Role.MENTOR), organization=o, role="mentor"))(
            _inactive_organization(w)
        ),
        ValidationError,
    ),
    Refusal(
        "membership-update-own-admin-role",
        lambda w: lambda: membership_update(actor=_admin(w), membership=_own_membership(w), role="caseworker", is_active=True),
        ValidationError,
    ),
    Refusal(
        "membership-update-unknown-role",
        lambda w: (
            lambda: membership_update(
                actor=_admin(w), membership=w.user(Role.MENTOR).memberships.get(), role="king", is_active=True
            )
        ),
        ValidationError,
    ),
    Refusal(
        "token-create-bad-lifetime",
        lambda w: lambda: token_create(actor=_admin(w), user=w.user(Role.MENTOR), days=0),
        ValidationError,
    ),
    Refusal(
        "token-create-inactive-user",
        lambda w: (lambda u: lambda: token_create(actor=_admin(w), user=u))(_inactive_user(w)),
        ValidationError,
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_a_refused_write_writes_nothing(world: World, refusal: Refusal) -> None:
    call = refusal.prepare(world)
    before = snapshot()
    with pytest.raises(refusal.error):
        call()
    assert snapshot() == before


# The append-only trail and its chains


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=SYSTEM, action="test.outside")
    assert not AuditEvent.objects.exists()


def test_events_cannot_be_changed_or_deleted(world: World) -> None:
    event = AuditEvent.objects.filter(action="organization.create").order_by("pk").first()
    assert event is not None
    original = AuditEvent.objects.filter(pk=event.pk).values().get()
    event.action = "organization.delete"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).values().get() == original


def test_each_organization_has_its_own_chain_starting_at_one(world: World) -> None:
    admin = world.actor(Role.ADMINISTRATOR)
    user_update(actor=admin, user=world.other_caseworker, first_name="Radu", last_name="", email="", is_active=True)
    membership_create(actor=admin, user=world.user(Role.MENTOR), organization=world.other_organization, role="mentor")
    organization_update(
        actor=admin, organization=world.organization, name="Asociația redenumită", kind="ngo", county_code="RO-CJ", is_active=True
    )
    for organization in (world.organization, world.other_organization):
        events = list(AuditEvent.objects.filter(organization=organization).order_by("seq"))
        assert len(events) >= 3
        assert {e.chain for e in events} == {f"org:{organization.pk}"}
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].prev_hash == GENESIS
        assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
        head = AuditChainHead.objects.get(chain=f"org:{organization.pk}")
        assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    # The user.update above was recorded in the administrator's organization, not the subject's.
    assert AuditEvent.objects.get(action="user.update").organization_id == world.organization.pk
    # Reference data belongs to no organization: the global chain.
    assert AuditEvent.objects.get(action="reference.load").chain == "global"
    assert not AuditEvent.objects.filter(organization__isnull=True).exclude(chain="global").exists()


def test_audit_verify_finds_an_intact_trail(world: World) -> None:
    assert AuditEvent.objects.count() > 20
    assert audit_verify() == []


def _table() -> str:
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def _home_chain(world: World) -> list[AuditEvent]:
    events = list(AuditEvent.objects.filter(chain=chain_for(world.organization.pk)).order_by("seq"))
    assert len(events) >= 5
    return events


def test_audit_verify_names_an_edited_event(world: World) -> None:
    target = _home_chain(world)[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET action = %s WHERE id = %s", ["organization.delete", target.pk])  # noqa: S608
    problems = audit_verify()
    assert len(problems) == 1
    assert (problems[0].event_id, problems[0].seq, problems[0].chain) == (target.pk, target.seq, target.chain)
    assert "edited" in problems[0].reason


def test_audit_verify_names_the_event_after_a_deleted_one(world: World) -> None:
    events = _home_chain(world)
    deleted, following = events[2], events[3]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE id = %s", [deleted.pk])  # noqa: S608
    problems = audit_verify()
    assert len(problems) == 1
    assert (problems[0].event_id, problems[0].seq) == (following.pk, following.seq)
    assert f"expected seq {deleted.seq}" in problems[0].reason


def test_audit_verify_names_the_chain_whose_newest_event_was_deleted(world: World) -> None:
    newest = _home_chain(world)[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE id = %s", [newest.pk])  # noqa: S608
    problems = audit_verify()
    assert len(problems) == 1
    problem = problems[0]
    assert problem.event_id is None
    assert problem.chain == newest.chain
    assert problem.seq == newest.seq
    assert "newest events were deleted" in problem.reason
    assert str(problem).startswith(f"chain {newest.chain}:")


def test_audit_verify_names_an_event_moved_by_swapping_seq(world: World) -> None:
    events = _home_chain(world)
    first, second = events[2], events[3]
    with connection.cursor() as cursor:
        update = f"UPDATE {_table()} SET seq = %s WHERE id = %s"  # noqa: S608
        cursor.execute(update, [10**9, first.pk])
        cursor.execute(update, [first.seq, second.pk])
        cursor.execute(update, [second.seq, first.pk])
    assert AuditEvent.objects.get(pk=second.pk).seq == first.seq
    problems = audit_verify()
    assert len(problems) == 1
    # The event now in the earlier place does not follow the one before it.
    assert (problems[0].event_id, problems[0].seq) == (second.pk, first.seq)
    assert "does not follow" in problems[0].reason


def test_audit_verify_reports_each_broken_chain(world: World) -> None:
    home, other = (
        _home_chain(world)[1],
        AuditEvent.objects.filter(chain=chain_for(world.other_organization.pk)).order_by("seq")[1],
    )
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET target_id = %s WHERE id IN (%s, %s)", ["999", home.pk, other.pk])  # noqa: S608
    assert sorted(p.event_id for p in audit_verify() if p.event_id) == sorted([home.pk, other.pk])


def test_audit_verify_command_on_an_intact_trail(world: World) -> None:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue() == f"audit trail intact: {AuditEvent.objects.count()} events verified\n"


def test_audit_verify_command_fails_with_code_1_naming_the_event(world: World) -> None:
    target = _home_chain(world)[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET fields = %s WHERE id = %s", ['["everything"]', target.pk])  # noqa: S608
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    assert f"event {target.pk} (chain {target.chain}, seq {target.seq})" in str(caught.value)
    assert f"audit trail broken: event {target.pk} " in err.getvalue()


# Reads and sign-ins are recorded.


def test_reading_a_user_as_administrator_is_recorded(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    subject = world.other_supervisor
    client = verified_client(admin)
    with recorded() as events:
        response = client.get(reverse("accounts:user_detail", kwargs={"pk": subject.pk}))
    assert response.status_code == 200
    event = only(events)
    assert event.kind == AuditEvent.Kind.ACCESS
    assert event.action == "accounts.user.view"
    assert event.actor_id == admin.pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))
    assert event.ip == "127.0.0.1"
    assert event.request_id != ""


@override_settings(PUNTE_REQUIRE_2FA=False)
def test_sign_in_and_sign_out_are_recorded(world: World) -> None:
    user = world.user(Role.MENTOR)
    assert not TOTPDevice.objects.filter(user=user).exists()
    client = Client(HTTP_USER_AGENT="pytest-browser/1.0")
    with recorded() as signed_in:
        response = client.post(
            reverse("two_factor:login"),
            {"auth-username": user.username, "auth-password": PASSWORD, "login_view-current_step": "auth"},
            REMOTE_ADDR="192.0.2.10",
        )
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id") == str(user.pk)
    event = only([e for e in signed_in if e.kind == AuditEvent.Kind.AUTH])
    assert event.action == "auth.login"
    assert event.actor_id == user.pk
    assert event.organization_id == world.organization.pk
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.ip == "192.0.2.10"
    assert event.user_agent == "pytest-browser/1.0"

    with recorded() as signed_out:
        response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    event = only(signed_out)
    assert event.action == "auth.logout"
    assert event.kind == AuditEvent.Kind.AUTH
    assert event.actor_id == user.pk


@override_settings(PUNTE_REQUIRE_2FA=False)
def test_a_wrong_password_records_no_sign_in(world: World) -> None:
    user = world.user(Role.MENTOR)
    with recorded() as events:
        response = Client().post(
            reverse("two_factor:login"),
            {"auth-username": user.username, "auth-password": "wrong-password-123", "login_view-current_step": "auth"},
        )
    assert response.status_code == 200
    assert [e.action for e in events] == []


# The audit page: filters, and who sees what


def _listed(response: Any) -> list[AuditEvent]:
    assert response.status_code == 200, response.content.decode()[:500]
    return list(response.context["page"].paginator.object_list)


def _activity_in_other_organization(world: World) -> list[AuditEvent]:
    admin = world.actor(Role.ADMINISTRATOR)
    with recorded() as events:
        user_update(
            actor=admin,
            user=world.other_caseworker,
            first_name="Radu",
            last_name="",
            email="",
            is_active=True,
        )
        membership_create(actor=admin, user=world.user(Role.ANALYST), organization=world.other_organization, role="analyst")
        organization_update(
            actor=admin,
            organization=world.other_organization,
            name="Centrul Arad",
            kind="ngo",
            county_code="RO-AR",
            is_active=True,
        )
    return [e for e in events if e.organization_id == world.other_organization.pk]


def test_supervisor_sees_only_their_organization(world: World) -> None:
    others = _activity_in_other_organization(world)
    assert len(others) == 2
    supervisor = world.user(Role.SUPERVISOR)
    listed = _listed(verified_client(supervisor).get(reverse("audit:event_list")))
    assert listed
    assert all(e.organization_id == world.organization.pk or e.actor_id == supervisor.pk for e in listed)
    assert not {e.pk for e in others} & {e.pk for e in listed}
    expected = AuditEvent.objects.filter(organization=world.organization).count()
    assert len(listed) == expected
    # Asking for the other organization by name shows nothing of it either.
    response = verified_client(supervisor).get(reverse("audit:event_list"), {"organization": world.other_organization.pk})
    assert response.status_code == 400
    assert world.other_organization.name not in response.content.decode()


def test_other_supervisor_sees_their_organization_not_ours(world: World) -> None:
    others = _activity_in_other_organization(world)
    listed = _listed(verified_client(world.other_supervisor).get(reverse("audit:event_list")))
    assert {e.pk for e in others} <= {e.pk for e in listed}
    members = {
        str(pk) for pk in Membership.objects.filter(organization=world.other_organization).values_list("user_id", flat=True)
    }
    assert all(
        e.organization_id == world.other_organization.pk
        or e.actor_id == world.other_supervisor.pk
        or (e.target_type == "accounts.user" and e.target_id in members)
        for e in listed
    )
    assert not any(e.organization_id == world.organization.pk and e.target_type != "accounts.user" for e in listed)


def test_administrator_sees_every_event(world: World) -> None:
    _activity_in_other_organization(world)
    listed = _listed(verified_client(world.user(Role.ADMINISTRATOR)).get(reverse("audit:event_list")))
    assert {e.pk for e in listed} == set(AuditEvent.objects.values_list("pk", flat=True))
    assert {e.chain for e in listed} >= {"global", chain_for(world.organization.pk), chain_for(world.other_organization.pk)}


def test_the_audit_page_filters_by_actor(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    subject = world.user(Role.MENTOR)
    user_update(actor=world.actor(Role.ADMINISTRATOR), user=subject, first_name="Maria", last_name="", email="", is_active=True)
    user_password_reset(actor=world.actor(Role.ADMINISTRATOR), user=subject)
    client = verified_client(world.user(Role.SUPERVISOR))
    listed = _listed(client.get(reverse("audit:event_list"), {"actor": admin.pk}))
    assert [e.action for e in listed] == ["user.password_reset", "user.update"]
    assert {e.actor_id for e in listed} == {admin.pk}
    everything = _listed(client.get(reverse("audit:event_list")))
    assert len(everything) > len(listed)


def test_the_audit_page_filters_by_record(world: World) -> None:
    subject = world.user(Role.CASEWORKER)
    user_password_reset(actor=world.actor(Role.ADMINISTRATOR), user=subject)
    client = verified_client(world.user(Role.SUPERVISOR))
    listed = _listed(client.get(reverse("audit:event_list"), {"target_type": "accounts.user", "target_id": str(subject.pk)}))
    assert [e.action for e in listed] == ["user.password_reset", "user.create"]
    assert {(e.target_type, e.target_id) for e in listed} == {("accounts.user", str(subject.pk))}
    by_type = _listed(client.get(reverse("audit:event_list"), {"target_type": "accounts.membership"}))
    assert by_type
    assert {e.action for e in by_type} == {"membership.create"}


def test_the_audit_page_filters_by_date(world: World) -> None:
    admin = world.actor(Role.ADMINISTRATOR)
    subject = world.user(Role.ANALYST)
    with freeze_time(datetime(2025, 1, 10, 12, 0, tzinfo=BUCHAREST)):
        user_update(actor=admin, user=subject, first_name="Ianuarie", last_name="", email="", is_active=True)
    with freeze_time(datetime(2025, 3, 10, 12, 0, tzinfo=BUCHAREST)):
        user_update(actor=admin, user=subject, first_name="Martie", last_name="", email="", is_active=True)
    january = AuditEvent.objects.get(action="user.update", created_at__month=1)
    march = AuditEvent.objects.get(action="user.update", created_at__month=3)
    client = verified_client(world.user(Role.SUPERVISOR))
    url = reverse("audit:event_list")
    assert [e.pk for e in _listed(client.get(url, {"date_to": "2025-01-31"}))] == [january.pk]
    assert [e.pk for e in _listed(client.get(url, {"date_from": "2025-01-10", "date_to": "2025-03-10"}))] == [
        march.pk,
        january.pk,
    ]
    assert [e.pk for e in _listed(client.get(url, {"date_from": "2025-02-01", "date_to": "2025-03-31"}))] == [march.pk]
    later = _listed(client.get(url, {"date_from": "2025-03-11"}))
    assert january.pk not in {e.pk for e in later}
    assert march.pk not in {e.pk for e in later}
    assert later
    # Audit verification still holds with events made at other times.
    assert audit_verify() == []


def test_a_bad_date_is_a_clear_400(world: World) -> None:
    response = verified_client(world.user(Role.SUPERVISOR)).get(reverse("audit:event_list"), {"date_from": "31/02/2025"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Some of the values are not valid." in body
    assert "Enter a valid date." in body
    assert list(response.context["page"].object_list) == []


def test_the_audit_page_query_count_is_flat(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    url = reverse("audit:event_list")

    def request() -> None:
        assert client.get(url).status_code == 200

    def make_more() -> None:
        admin = world.actor(Role.ADMINISTRATOR)
        for role in (Role.CASEWORKER, Role.PSYCHOLOGIST, Role.MENTOR, Role.ANALYST):
            user_update(actor=admin, user=world.user(role), first_name=f"Nou {role}", last_name="", email="", is_active=True)
            token_create(actor=actor_for(world.user(role)), user=world.user(role))
        membership_create(actor=admin, user=world.user(Role.MENTOR), organization=world.other_organization, role="mentor")

    request()  # warm caches (content types, sessions) before counting
    assert_queries_flat(request, make_more, at_most=11)


def test_supervisor_sees_what_an_administrator_did_to_a_member_of_their_organization(world: World) -> None:
    from punte.accounts.services import user_password_reset
    from punte.audit.selectors import audit_event_visible_to

    admin_elsewhere = world.actor(Role.ADMINISTRATOR)
    target = world.other_caseworker
    user_password_reset(actor=admin_elsewhere, user=target)
    event = AuditEvent.objects.get(action="user.password_reset", target_id=str(target.pk))
    assert event.organization_id == world.organization.pk  # recorded where the administrator acts
    other_supervisor = actor_for(world.other_supervisor)
    assert audit_event_visible_to(other_supervisor).filter(pk=event.pk).exists()
    # ... but not what happened to someone who is not their member.
    unrelated = AuditEvent.objects.filter(action="user.create", target_id=str(world.user(Role.MENTOR).pk)).get()
    assert not audit_event_visible_to(other_supervisor).filter(pk=unrelated.pk).exists()


def test_a_refused_update_leaves_the_callers_objects_unchanged(world: World) -> None:
    from punte.accounts.services import membership_update, organization_update

    admin = world.actor(Role.ADMINISTRATOR)
    organization = world.other_organization
    with pytest.raises(ValidationError):
        organization_update(actor=admin, organization=organization, name="", kind="ngo", county_code="RO-CJ", is_active=True)
    assert organization.name == "Centrul de test Arad"
    own = admin.membership
    assert own is not None
    with pytest.raises(ValidationError):
        membership_update(actor=admin, membership=own, role=Role.CASEWORKER, is_active=True)
    assert own.role == Role.ADMINISTRATOR
