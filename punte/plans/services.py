"""Writing, submitting, approving and reviewing intervention plans."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.models import Membership, User
from punte.accounts.roles import PERMISSIONS, Action, Role
from punte.assessments.models import Assessment, AssessmentKind
from punte.audit.services import audit_record
from punte.cases.models import Case
from punte.cases.services import case_guard
from punte.core.errors import Conflict, PermissionDenied, ValidationError
from punte.core.validation import full_clean

from .models import ApprovalStep, Goal, Plan, PlanAction, PlanDecision

DEFAULT_CHAIN = [Role.SUPERVISOR]
EDITABLE = {Plan.Status.DRAFT, Plan.Status.RETURNED}


def approval_chain(organization_id: int, subject: str) -> list[str]:
    steps = list(ApprovalStep.objects.filter(organization_id=organization_id, subject=subject).order_by("position"))
    return [step.role for step in steps] or [str(role) for role in DEFAULT_CHAIN]


def approval_chain_set(*, actor: Actor, subject: str, roles: list[str]) -> list[str]:
    """A supervisor sets who approves plans or closures in her organization, in order."""
    actor.require(Action.APPROVAL_CONFIGURE)
    if subject not in ApprovalStep.Subject.values:
        raise ValidationError(details={"subject": [_("Unknown decision.")]})
    deciding = {role for role, actions in PERMISSIONS.items() if Action.CASE_VIEW in actions}
    if not roles or any(role not in deciding for role in roles) or len(set(roles)) != len(roles):
        raise ValidationError(
            details={
                "roles": [_("Choose one or more different roles that work on cases (caseworker, psychologist, supervisor).")]
            }
        )
    organization_id = actor.organization_id
    if organization_id is None:
        raise PermissionDenied()
    with transaction.atomic():
        ApprovalStep.objects.filter(organization_id=organization_id, subject=subject).delete()
        ApprovalStep.objects.bulk_create(
            [
                ApprovalStep(organization_id=organization_id, subject=subject, position=n, role=role)
                for n, role in enumerate(roles)
            ]
        )
        audit_record(actor=actor, action=f"approval_chain.{subject}", fields=["roles"])
    return roles


def _editable(plan: Plan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned plan can be changed; start a new plan to change an approved one."))


def _latest_needs(case: Case) -> dict[str, int]:
    latest = (
        Assessment.objects.filter(case=case, kind=AssessmentKind.COMPLEX_EVALUATION)
        .order_by("-completed_at", "-pk")
        .only("domain_scores")
        .first()
    )
    return {domain: scores.get("need", 0) for domain, scores in (latest.domain_scores if latest else {}).items()}


def _replace(actor: Actor, plans: Any) -> None:
    """Mark older plans replaced, each with its own audit event."""
    for old in plans.select_for_update():
        Plan.objects.filter(pk=old.pk).update(status=Plan.Status.REPLACED, version=F("version") + 1)
        audit_record(actor=actor, action="plan.replaced", target=old, fields=["status"])


def plan_create(*, actor: Actor, case: Case, review_every_days: int = 90) -> Plan:
    """Start a plan. Earlier draft or returned plans are replaced; an approved one stays in force
    until the new one is approved."""
    user = case_guard(actor, case)
    if not 7 <= review_every_days <= 366:
        raise ValidationError(details={"review_every_days": [_("Review the plan every 7 to 366 days.")]})
    with transaction.atomic():
        number = (Plan.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
        _replace(actor, Plan.objects.filter(case=case, status__in=EDITABLE))
        plan = Plan.objects.create(case=case, number=number, review_every_days=review_every_days, created_by=user)
        audit_record(actor=actor, action="plan.create", target=plan, fields=["number", "review_every_days"])
    return plan


def goal_add(*, actor: Actor, plan: Plan, domain: str, text: str) -> Goal:
    """A goal for a domain; the need the latest complex evaluation found there is kept with it."""
    case_guard(actor, plan.case)
    _editable(plan)
    needs = _latest_needs(plan.case)
    if not text.strip():
        raise ValidationError(details={"text": [_("Write the goal.")]})
    if needs and domain not in needs:
        raise ValidationError(details={"domain": [_("Choose a domain of the complex evaluation.")]})
    goal = Goal(plan=plan, domain=domain, need_level=needs.get(domain), text=text.strip())
    full_clean(goal)
    with transaction.atomic():
        goal.save()
        audit_record(actor=actor, action="plan.goal_add", target=plan, fields=["goals"])
    return goal


def _responsible(actor: Actor, user: User | None) -> User | None:
    if (
        user is not None
        and not Membership.objects.filter(user=user, organization_id=actor.organization_id or 0, is_active=True).exists()
    ):
        raise ValidationError(
            details={"responsible": [_("The person responsible must belong to your organization; name a partner instead.")]}
        )
    return user


def action_add(
    *, actor: Actor, goal: Goal, text: str, due_on: date, responsible: User | None = None, partner: str = ""
) -> PlanAction:
    case_guard(actor, goal.plan.case)
    _editable(goal.plan)
    if responsible is None and not partner.strip():
        raise ValidationError(details={"responsible": [_("Name who is responsible: a colleague or a partner.")]})
    action = PlanAction(
        goal=goal, text=text.strip(), due_on=due_on, responsible=_responsible(actor, responsible), partner=partner.strip()
    )
    full_clean(action)
    with transaction.atomic():
        action.save()
        audit_record(actor=actor, action="plan.action_add", target=goal.plan, fields=["actions"])
    return action


def action_set_status(*, actor: Actor, action: PlanAction, status: str) -> PlanAction:
    case_guard(actor, action.goal.plan.case)
    if status not in PlanAction.Status.values:
        raise ValidationError(details={"status": [_("Unknown status.")]})
    if action.goal.plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Actions are carried out once the plan is approved."))
    if action.status == status:
        return action
    with transaction.atomic():
        action.status = status
        action.save(update_fields=["status"])
        audit_record(actor=actor, action="plan.action_status", target=action.goal.plan, fields=["actions"])
    return action


def plan_submit(*, actor: Actor, plan: Plan, version: int) -> Plan:
    case_guard(actor, plan.case)
    _editable(plan)
    if not Goal.objects.filter(plan=plan).exists() or PlanAction.objects.filter(goal__plan=plan).count() == 0:
        raise ValidationError(_("A plan needs at least one goal with an action before it is submitted."))
    return _move(actor, plan, version, status=Plan.Status.SUBMITTED, step=0, submitted_at=timezone.now(), submitted_by=actor.user)


def _move(actor: Actor, plan: Plan, version: int, **changes: Any) -> Plan:
    with transaction.atomic():
        if Plan.objects.filter(pk=plan.pk, version=version).update(**changes, version=F("version") + 1) == 0:
            raise Conflict(_("Someone changed this plan after you opened it. Reload it and try again."))
        audit_record(actor=actor, action=f"plan.{changes.get('status', 'update')}", target=plan, fields=sorted(changes))
    plan.refresh_from_db()
    return plan


def plan_decide(*, actor: Actor, plan: Plan, version: int, approve: bool, comment: str = "") -> Plan:
    """The current step of the chain approves (the plan goes to the next step, or is approved) or
    returns it with a comment. No one decides on a plan she submitted."""
    case_guard(actor, plan.case, Action.CASE_VIEW)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("This plan is not waiting for approval."))
    chain = approval_chain(plan.case.organization_id, ApprovalStep.Subject.PLAN)
    if actor.role != chain[plan.step]:
        raise PermissionDenied(_("This step of the approval is for: %(role)s.") % {"role": Role(chain[plan.step]).label})
    if actor.user is not None and plan.submitted_by_id == actor.user.pk:
        raise PermissionDenied(_("Someone other than the person who submitted the plan must approve it."))
    if not approve and not comment.strip():
        raise ValidationError(details={"comment": [_("Say what should change.")]})
    if actor.user is None or actor.role is None:
        raise PermissionDenied()
    decision = PlanDecision(
        plan=plan,
        step=plan.step,
        role=actor.role,
        decision=PlanDecision.Decision.APPROVE if approve else PlanDecision.Decision.RETURN,
        comment=comment.strip(),
        decided_by=actor.user,
    )
    full_clean(decision)
    with transaction.atomic():
        decision.save()
        if not approve:
            return _move(actor, plan, version, status=Plan.Status.RETURNED, step=0)
        if plan.step + 1 < len(chain):
            return _move(actor, plan, version, step=plan.step + 1)
        today = timezone.localdate()
        _replace(actor, Plan.objects.filter(case=plan.case, status=Plan.Status.APPROVED))
        approved = _move(
            actor,
            plan,
            version,
            status=Plan.Status.APPROVED,
            approved_at=timezone.now(),
            next_review_on=today + timedelta(days=plan.review_every_days),
        )
        case = plan.case
        if Case.Stage.values.index(case.stage) < Case.Stage.values.index(Case.Stage.SERVICES):
            Case.objects.filter(pk=case.pk).update(stage=Case.Stage.SERVICES, version=F("version") + 1, updated_at=timezone.now())
            audit_record(actor=actor, action="case.update", target=case, fields=["stage"])
        return approved


def plan_review(*, actor: Actor, plan: Plan, version: int) -> Plan:
    """Record that the approved plan was reviewed; the next review is scheduled."""
    case_guard(actor, plan.case)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Only an approved plan is reviewed."))
    return _move(actor, plan, version, next_review_on=timezone.localdate() + timedelta(days=plan.review_every_days))
