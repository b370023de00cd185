"""Intervention plans: goals linked to needs, actions, the approval chain and reviews."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from punte.accounts.roles import Role
from punte.assessments.services import assessment_create
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from punte.core.errors import Conflict, PermissionDenied, ValidationError
from punte.plans.models import Plan, PlanDecision
from punte.plans.selectors import approvals_waiting, plan_reviews_due
from punte.plans.services import (
    action_add,
    action_set_status,
    approval_chain,
    approval_chain_set,
    goal_add,
    plan_create,
    plan_decide,
    plan_review,
    plan_submit,
)
from tests.base import World

DOMAINS = ("socio_economic", "medical", "education", "housing", "family", "legal_status", "employment")


def evaluated_case(world: World) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 1, 2), source="police", channel="phone", summary="Sintetic")
    case = referral_open_case(
        actor=actor, referral=referral, person=person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    )
    answers = {f"{d}_{p}": 1 for d in DOMAINS for p in ("need", "resource")} | {"housing_need": 3}
    assessment_create(actor=actor, case=case, kind="complex_evaluation", answers=answers)
    case.refresh_from_db()
    return case


def submitted_plan(world: World, case: Case) -> Plan:
    actor = world.actor(Role.CASEWORKER)
    plan = plan_create(actor=actor, case=case)
    goal = goal_add(actor=actor, plan=plan, domain="housing", text="Locuință sigură")
    assert goal.need_level == 3  # the need the complex evaluation found
    action_add(
        actor=actor, goal=goal, text="Loc în adăpost", due_on=timezone.localdate() + timedelta(days=7), partner="Adăpost partener"
    )
    plan.refresh_from_db()
    return plan_submit(actor=actor, plan=plan, version=plan.version)


def test_default_chain_a_supervisor_approves_and_the_case_moves_to_services(world: World) -> None:
    case = evaluated_case(world)
    plan = submitted_plan(world, case)
    assert [p.pk for p in approvals_waiting(actor=world.actor(Role.SUPERVISOR))] == [plan.pk]
    assert approvals_waiting(actor=world.actor(Role.CASEWORKER)) == []
    with pytest.raises(PermissionDenied):
        plan_decide(actor=world.actor(Role.PSYCHOLOGIST), plan=plan, version=plan.version, approve=True)
    approved = plan_decide(actor=world.actor(Role.SUPERVISOR), plan=plan, version=plan.version, approve=True)
    assert approved.status == Plan.Status.APPROVED
    assert approved.next_review_on == timezone.localdate() + timedelta(days=90)
    case.refresh_from_db()
    assert case.stage == Case.Stage.SERVICES


def test_returned_with_a_comment_then_resubmitted(world: World) -> None:
    case = evaluated_case(world)
    plan = submitted_plan(world, case)
    supervisor = world.actor(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as raised:
        plan_decide(actor=supervisor, plan=plan, version=plan.version, approve=False)
    assert "comment" in raised.value.details
    returned = plan_decide(actor=supervisor, plan=plan, version=plan.version, approve=False, comment="Adăugați sănătatea.")
    assert returned.status == Plan.Status.RETURNED
    goal_add(actor=world.actor(Role.CASEWORKER), plan=returned, domain="medical", text="Control medical")
    returned.refresh_from_db()
    again = plan_submit(actor=world.actor(Role.CASEWORKER), plan=returned, version=returned.version)
    assert again.status == Plan.Status.SUBMITTED
    assert list(PlanDecision.objects.filter(plan=plan).values_list("decision", "comment")) == [("return", "Adăugați sănătatea.")]


def test_a_configured_chain_takes_every_step_in_order(world: World) -> None:
    with pytest.raises(PermissionDenied):
        approval_chain_set(actor=world.actor(Role.CASEWORKER), subject="plan", roles=["supervisor"])
    with pytest.raises(ValidationError):
        approval_chain_set(actor=world.actor(Role.SUPERVISOR), subject="plan", roles=["mentor"])
    approval_chain_set(actor=world.actor(Role.SUPERVISOR), subject="plan", roles=["psychologist", "supervisor"])
    assert approval_chain(world.organization.pk, "plan") == ["psychologist", "supervisor"]
    assert approval_chain(world.other_organization.pk, "plan") == ["supervisor"]  # other organizations keep theirs
    case = evaluated_case(world)
    plan = submitted_plan(world, case)
    with pytest.raises(PermissionDenied):
        plan_decide(actor=world.actor(Role.SUPERVISOR), plan=plan, version=plan.version, approve=True)
    plan = plan_decide(actor=world.actor(Role.PSYCHOLOGIST), plan=plan, version=plan.version, approve=True)
    assert (plan.status, plan.step) == (Plan.Status.SUBMITTED, 1)
    plan = plan_decide(actor=world.actor(Role.SUPERVISOR), plan=plan, version=plan.version, approve=True)
    assert plan.status == Plan.Status.APPROVED


def test_no_one_approves_her_own_plan(world: World) -> None:
    approval_chain_set(actor=world.actor(Role.SUPERVISOR), subject="plan", roles=["supervisor"])
    case = evaluated_case(world)
    supervisor = world.actor(Role.SUPERVISOR)
    plan = plan_create(actor=supervisor, case=case)
    goal = goal_add(actor=supervisor, plan=plan, domain="housing", text="Locuință")
    action_add(actor=supervisor, goal=goal, text="Adăpost", due_on=timezone.localdate(), responsible=world.user(Role.CASEWORKER))
    plan.refresh_from_db()
    plan = plan_submit(actor=supervisor, plan=plan, version=plan.version)
    assert approvals_waiting(actor=supervisor) == []
    with pytest.raises(PermissionDenied):
        plan_decide(actor=supervisor, plan=plan, version=plan.version, approve=True)


def test_plans_refuse_bad_input_and_stale_versions(world: World) -> None:
    case = evaluated_case(world)
    actor = world.actor(Role.CASEWORKER)
    plan = plan_create(actor=actor, case=case)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        plan_submit(actor=actor, plan=plan, version=plan.version)  # no goal yet
    with pytest.raises(ValidationError):
        goal_add(actor=actor, plan=plan, domain="astrology", text="x")
    goal = goal_add(actor=actor, plan=plan, domain="housing", text="Locuință")
    with pytest.raises(ValidationError):
        action_add(actor=actor, goal=goal, text="Fără responsabil", due_on=timezone.localdate())
    with pytest.raises(ValidationError):
        action_add(actor=actor, goal=goal, text="Străin", due_on=timezone.localdate(), responsible=world.other_caseworker)
    assert AuditEvent.objects.count() == before + 1  # only the goal
    action_add(actor=actor, goal=goal, text="Adăpost", due_on=timezone.localdate(), partner="Adăpost partener")
    with pytest.raises(Conflict):
        plan_submit(actor=actor, plan=plan, version=plan.version + 5)


def test_actions_are_carried_out_after_approval_and_reviews_are_scheduled(world: World) -> None:
    case = evaluated_case(world)
    plan = submitted_plan(world, case)
    action = plan.goals.get().actions.get()
    with pytest.raises(ValidationError):
        action_set_status(actor=world.actor(Role.CASEWORKER), action=action, status="done")
    plan = plan_decide(actor=world.actor(Role.SUPERVISOR), plan=plan, version=plan.version, approve=True)
    action_set_status(actor=world.actor(Role.CASEWORKER), action=action, status="done")
    action.refresh_from_db()
    assert action.status == "done"
    Plan.objects.filter(pk=plan.pk).update(next_review_on=timezone.localdate())
    assert [p.pk for p in plan_reviews_due(actor=world.actor(Role.CASEWORKER))] == [plan.pk]
    plan.refresh_from_db()
    plan_review(actor=world.actor(Role.CASEWORKER), plan=plan, version=plan.version)
    assert plan_reviews_due(actor=world.actor(Role.CASEWORKER)) == []
    # A new plan replaces the approved one only once it is approved itself.
    newer = plan_create(actor=world.actor(Role.CASEWORKER), case=case)
    plan.refresh_from_db()
    assert (plan.status, newer.number) == (Plan.Status.APPROVED, 2)


def test_other_roles_and_organizations_cannot_touch_plans(world: World) -> None:
    case = evaluated_case(world)
    from punte.accounts.actor import actor_for

    for actor in (
        world.actor(Role.ANALYST),
        world.actor(Role.ADMINISTRATOR),
        world.actor(Role.MENTOR),
        actor_for(world.other_caseworker),
    ):
        with pytest.raises(PermissionDenied):
            plan_create(actor=actor, case=case)


def test_replacing_a_plan_is_audited(world: World) -> None:
    case = evaluated_case(world)
    first = plan_create(actor=world.actor(Role.CASEWORKER), case=case)
    plan_create(actor=world.actor(Role.CASEWORKER), case=case)
    first.refresh_from_db()
    assert first.status == Plan.Status.REPLACED
    assert AuditEvent.objects.filter(action="plan.replaced", target_type="plans.plan", target_id=str(first.pk)).count() == 1
