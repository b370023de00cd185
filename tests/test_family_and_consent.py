"""Family members, legal representatives of minors, and consent per purpose and recipient."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from punte.consent.models import Consent
from punte.consent.selectors import consents_of
from punte.consent.services import consent_record, consent_require, consent_valid, consent_withdraw
from punte.core.errors import Conflict, ConsentRequired, PermissionDenied, ValidationError
from punte.family.models import FamilyMember
from punte.family.selectors import family_of
from punte.family.services import family_member_add, family_member_update, representative_add, representative_end
from tests.base import World

TODAY = timezone.localdate()


def case_for(world: World, born: date | None) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 1, 2), source="police", channel="phone", summary="Sintetic")
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu", birth_date=born)
    return referral_open_case(actor=actor, referral=referral, person=person)


def years_ago(years: int) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=1)


def test_a_family_member_who_is_a_risk_is_never_a_contact(world: World) -> None:
    case = case_for(world, years_ago(30))
    actor = world.actor(Role.CASEWORKER)
    before = FamilyMember.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        family_member_add(actor=actor, case=case, relationship="father", name="Tată Sintetic", is_risk=True, may_contact=True)
    assert "may_contact" in raised.value.details
    assert (FamilyMember.objects.count(), AuditEvent.objects.count()) == before
    father = family_member_add(actor=actor, case=case, relationship="father", name="Tată Sintetic", is_risk=True)
    with pytest.raises(ValidationError):
        family_member_update(actor=actor, member=father, version=father.version, may_contact=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyMember.objects.filter(pk=father.pk).update(may_contact=True)  # the database refuses it too


def test_family_members_are_encrypted_and_updates_refuse_stale_versions(world: World) -> None:
    case = case_for(world, years_ago(30))
    actor = world.actor(Role.CASEWORKER)
    aunt = family_member_add(
        actor=actor,
        case=case,
        relationship="other_relative",
        name="Mătușa Inventată",
        resources="Găzduire sintetică",
        may_contact=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, resources FROM family_familymember")
        assert "Inventată" not in repr(cursor.fetchall())
    updated = family_member_update(actor=actor, member=aunt, version=1, lives_with_her=True)
    assert updated.version == 2
    with pytest.raises(Conflict):
        family_member_update(actor=actor, member=aunt, version=1, contact="0700 000 000")
    assert [m.pk for m in family_of(actor=actor, case=case)] == [aunt.pk]
    assert list(family_of(actor=world.actor(Role.ANALYST), case=case)) == []


def test_a_minor_is_represented_and_heard(world: World) -> None:
    case = case_for(world, years_ago(14))
    actor = world.actor(Role.CASEWORKER)
    mother = family_member_add(actor=actor, case=case, relationship="mother", name="Mamă Sintetică", may_contact=True)
    father = family_member_add(actor=actor, case=case, relationship="father", name="Tată Sintetic", is_risk=True)
    with pytest.raises(ValidationError):
        representative_add(actor=actor, case=case, kind="parent", family_member=father, since=TODAY)
    with pytest.raises(ValidationError):
        representative_add(actor=actor, case=case, kind="dgaspc", since=TODAY)
    representative = representative_add(actor=actor, case=case, kind="parent", family_member=mother, since=TODAY)
    with pytest.raises(ValidationError) as raised:
        consent_record(actor=actor, case=case, purpose="services", given_on=TODAY)
    assert "representative" in raised.value.details
    with pytest.raises(ValidationError) as raised:
        consent_record(actor=actor, case=case, purpose="services", given_on=TODAY, representative=representative)
    assert "child_assent" in raised.value.details
    consent = consent_record(
        actor=actor, case=case, purpose="services", given_on=TODAY, representative=representative, child_assent=True
    )
    assert consent.representative == representative
    representative_end(actor=actor, representative=representative, until=TODAY)
    with pytest.raises(ValidationError):
        consent_record(
            actor=actor, case=case, purpose="services", given_on=TODAY, representative=representative, child_assent=True
        )


def test_an_adult_has_no_representative(world: World) -> None:
    case = case_for(world, years_ago(25))
    with pytest.raises(ValidationError):
        representative_add(actor=world.actor(Role.CASEWORKER), case=case, kind="dgaspc", institution="DGASPC", since=TODAY)


def test_consent_per_recipient_with_expiry_withdrawal_and_history(world: World) -> None:
    case = case_for(world, years_ago(30))
    actor = world.actor(Role.CASEWORKER)
    partner = world.other_organization
    with pytest.raises(ConsentRequired):
        consent_require(case=case, purpose="referral", recipient=partner)
    with pytest.raises(ValidationError) as raised:
        consent_record(actor=actor, case=case, purpose="referral", given_on=TODAY)
    assert "recipient" in raised.value.details
    consent = consent_record(
        actor=actor, case=case, purpose="referral", recipient=partner, given_on=TODAY, expires_on=TODAY + timedelta(days=30)
    )
    assert consent_require(case=case, purpose="referral", recipient=partner) == consent
    # Consent to one partner is not consent to another, nor for another purpose, nor after it expires.
    assert consent_valid(case=case, purpose="referral", recipient=world.hidden_organization) is None
    assert consent_valid(case=case, purpose="data_sharing", recipient=partner) is None
    assert consent_valid(case=case, purpose="referral", recipient=partner, on=TODAY + timedelta(days=31)) is None
    consent_withdraw(actor=actor, consent=consent, withdrawn_on=TODAY, note="A cerut oprirea.")
    assert consent_valid(case=case, purpose="referral", recipient=partner) is None
    with pytest.raises(ValidationError):
        consent_withdraw(actor=actor, consent=consent, withdrawn_on=TODAY)
    renewed = consent_record(actor=actor, case=case, purpose="referral", recipient=partner, given_on=TODAY)
    assert consent_require(case=case, purpose="referral", recipient=partner) == renewed
    assert [c.pk for c in consents_of(actor=actor, case=case)] == [renewed.pk, consent.pk]  # the history stays


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_on": TODAY + timedelta(days=1)}, "given_on"),
        ({"expires_on": TODAY - timedelta(days=1)}, "expires_on"),
        ({"purpose": "marketing"}, "purpose"),
    ],
)
def test_bad_consent_is_refused_and_writes_nothing(world: World, changes: dict[str, object], field: str) -> None:
    case = case_for(world, years_ago(30))
    before = Consent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        consent_record(actor=world.actor(Role.CASEWORKER), case=case, **{"purpose": "services", "given_on": TODAY, **changes})  # type: ignore[arg-type]
    assert field in raised.value.details
    assert (Consent.objects.count(), AuditEvent.objects.count()) == before


def test_only_case_roles_of_the_organization_record_consent_or_family(world: World) -> None:
    case = case_for(world, years_ago(30))
    for role in (Role.ANALYST, Role.MENTOR, Role.PARTNER_PROVIDER, Role.ADMINISTRATOR, Role.LEGAL_COUNSELLOR):
        with pytest.raises(PermissionDenied):
            consent_record(actor=world.actor(role), case=case, purpose="services", given_on=TODAY)
        with pytest.raises(PermissionDenied):
            family_member_add(actor=world.actor(role), case=case, relationship="sibling", name="Sora Sintetică")
    from punte.accounts.actor import actor_for

    with pytest.raises(PermissionDenied):
        consent_record(actor=actor_for(world.other_caseworker), case=case, purpose="services", given_on=TODAY)
