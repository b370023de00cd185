"""Follow-up, closure with approval, reopening at any time, and transfer with consent."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from punte.accounts.actor import actor_for
from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.cases.models import Case, Person
from punte.cases.selectors import case_visible_to
from punte.cases.services import case_update_facts, person_create, referral_create, referral_open_case
from punte.closure.models import Closure
from punte.closure.services import (
    case_reopen,
    case_transfer,
    closure_decide,
    closure_request,
    followup_plan,
    followup_record,
)
from punte.consent.services import consent_record
from punte.core.errors import ConsentRequired, PermissionDenied, ValidationError
from punte.plans.services import approval_chain_set
from tests.base import World, synthetic_cnp

TODAY = timezone.localdate()


def open_case(world: World) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 1, 2), source="police", channel="phone", summary="Sintetic")
    person = person_create(
        actor=actor, first_name="Testina", last_name="Exemplu", cnp=synthetic_cnp("6", "000101"), phone="0700 000 000"
    )
    case = referral_open_case(actor=actor, referral=referral, person=person)
    return case_update_facts(
        actor=actor, case=case, version=case.version, exploitation_types=["SexualExploitation"], county="RO-CJ"
    )


def test_follow_up_enters_change_strengthening(world: World) -> None:
    case = open_case(world)
    followup = followup_plan(actor=world.actor(Role.CASEWORKER), case=case, planned_on=TODAY)
    followup_record(actor=world.actor(Role.CASEWORKER), followup=followup, done_on=TODAY, outcome="stable", note="Stabilă")
    case.refresh_from_db()
    assert (case.status, case.stage) == ("FollowUp", Case.Stage.CHANGE_STRENGTHENING)
    with pytest.raises(ValidationError):
        followup_record(actor=world.actor(Role.CASEWORKER), followup=followup, done_on=TODAY, outcome="stable")


def test_closure_needs_approval_and_the_case_can_be_reopened_with_history(world: World) -> None:
    case = open_case(world)
    closure = closure_request(actor=world.actor(Role.CASEWORKER), case=case, reason="goals_met")
    with pytest.raises(ValidationError):
        closure_request(actor=world.actor(Role.CASEWORKER), case=case, reason="goals_met")  # one at a time
    with pytest.raises(PermissionDenied):
        closure_decide(actor=world.actor(Role.PSYCHOLOGIST), closure=closure, approve=True)
    with pytest.raises(ValidationError):
        closure_decide(actor=world.actor(Role.SUPERVISOR), closure=closure, approve=False)  # a rejection needs a comment
    closure_decide(actor=world.actor(Role.SUPERVISOR), closure=closure, approve=True)
    case.refresh_from_db()
    assert (case.status, case.stage) == ("Closed", Case.Stage.CLOSED)
    assert case.closed_at is not None
    with pytest.raises(ValidationError):
        case_reopen(actor=world.actor(Role.CASEWORKER), case=case, reason=" ")
    case_reopen(actor=world.actor(Role.CASEWORKER), case=case, reason="A revenit după doi ani.")
    reopened = Case.objects.get(pk=case.pk)
    assert (reopened.status, reopened.stage, reopened.closed_at) == ("Active", Case.Stage.INITIAL_ASSESSMENT, None)
    assert Closure.objects.filter(case=case, status="approved").count() == 1
    actions = list(
        AuditEvent.objects.filter(
            target_type__in=["closure.closure", "cases.case"], target_id__in=[str(case.pk), str(closure.pk)]
        ).values_list("action", flat=True)
    )
    assert {"closure.request", "closure.approved", "case.reopen"} <= set(actions)


def test_a_rejected_closure_keeps_the_case_open(world: World) -> None:
    case = open_case(world)
    closure = closure_request(actor=world.actor(Role.CASEWORKER), case=case, reason="other", details="Motiv sintetic")
    closure_decide(actor=world.actor(Role.SUPERVISOR), closure=closure, approve=False, comment="Mai lucrăm la locuință.")
    case.refresh_from_db()
    assert case.status == "Active"
    with pytest.raises(ValidationError):
        closure_request(actor=world.actor(Role.CASEWORKER), case=case, reason="other")  # other needs details


def test_closure_follows_the_organizations_chain(world: World) -> None:
    approval_chain_set(actor=world.actor(Role.SUPERVISOR), subject="closure", roles=["psychologist", "supervisor"])
    case = open_case(world)
    closure = closure_request(actor=world.actor(Role.CASEWORKER), case=case, reason="moved")
    closure = closure_decide(actor=world.actor(Role.PSYCHOLOGIST), closure=closure, approve=True)
    case.refresh_from_db()
    assert (closure.step, case.status) == (1, "Active")
    closure_decide(actor=world.actor(Role.SUPERVISOR), closure=closure, approve=True)
    case.refresh_from_db()
    assert case.status == "Closed"


def test_transfer_needs_consent_and_carries_only_the_chosen_fields(world: World) -> None:
    case = open_case(world)
    receiving = world.other_organization
    before = Person.objects.count(), Case.objects.count()
    with pytest.raises(ConsentRequired):
        case_transfer(actor=world.actor(Role.CASEWORKER), case=case, to_organization=receiving, fields=["birth_date"])
    assert (Person.objects.count(), Case.objects.count()) == before
    consent_record(actor=world.actor(Role.CASEWORKER), case=case, purpose="data_sharing", recipient=receiving, given_on=TODAY)
    with pytest.raises(ValidationError):
        case_transfer(actor=world.actor(Role.CASEWORKER), case=case, to_organization=receiving, fields=["notes"])
    transfer = case_transfer(actor=world.actor(Role.CASEWORKER), case=case, to_organization=receiving, fields=["birth_date"])
    new_case = transfer.new_case
    assert new_case.organization == receiving
    assert new_case.stage == Case.Stage.INTAKE
    assert list(new_case.facts.values_list("value", flat=True)) == ["SexualExploitation"]
    assert new_case.county_id == "RO-CJ"
    person = new_case.person
    assert (person.first_name, person.birth_date, person.cnp, person.phone) == ("Testina", date(2000, 1, 1), "", "")
    case.refresh_from_db()
    assert case.status == "ClosedReferred"
    # The receiving organization sees its new case, not the old one; and vice versa.
    receiver = actor_for(world.other_caseworker)
    assert list(case_visible_to(receiver).values_list("pk", flat=True)) == [new_case.pk]
    assert new_case.pk not in case_visible_to(world.actor(Role.CASEWORKER)).values_list("pk", flat=True)
    with pytest.raises(ValidationError):
        case_reopen(actor=world.actor(Role.CASEWORKER), case=case, reason="x")
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name FROM cases_person WHERE id = %s", [person.pk])
        assert "Testina" not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(action="case.transfer_in", organization=receiving).exists()


def test_other_roles_and_organizations_cannot_end_a_case(world: World) -> None:
    case = open_case(world)
    for actor in (world.actor(Role.ANALYST), world.actor(Role.ADMINISTRATOR), actor_for(world.other_supervisor)):
        with pytest.raises(PermissionDenied):
            closure_request(actor=actor, case=case, reason="goals_met")
        with pytest.raises(PermissionDenied):
            followup_plan(actor=actor, case=case, planned_on=TODAY + timedelta(days=30))
