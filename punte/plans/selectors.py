from django.db.models import QuerySet
from django.utils import timezone

from punte.accounts.actor import Actor
from punte.cases.selectors import PERSON_IDENTITY, case_visible_to

from .models import ApprovalStep, Plan
from .services import approval_chain


def plan_visible_to(actor: Actor) -> QuerySet[Plan]:
    return Plan.objects.filter(case__in=case_visible_to(actor))


def approvals_waiting(*, actor: Actor) -> list[Plan]:
    """Plans of the organization whose current approval step is the actor's role, except her own."""
    if actor.organization_id is None or actor.role is None or actor.user is None:
        return []
    chain = approval_chain(actor.organization_id, ApprovalStep.Subject.PLAN)
    steps = [n for n, role in enumerate(chain) if role == actor.role]
    if not steps:
        return []
    return list(
        plan_visible_to(actor)
        .filter(status=Plan.Status.SUBMITTED, step__in=steps)
        .exclude(submitted_by_id=actor.user.pk)
        .select_related("case", "case__person", "submitted_by")
        .defer(*(f"case__person__{name}" for name in PERSON_IDENTITY))
        .order_by("submitted_at", "pk")[:50]
    )


def plan_reviews_due(*, actor: Actor) -> list[Plan]:
    return list(
        plan_visible_to(actor)
        .filter(status=Plan.Status.APPROVED, next_review_on__lte=timezone.localdate())
        .select_related("case", "case__person")
        .defer(*(f"case__person__{name}" for name in PERSON_IDENTITY))
        .order_by("next_review_on", "pk")[:50]
    )
