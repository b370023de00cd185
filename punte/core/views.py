from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from punte.accounts.models import Membership, Organization, User
from punte.accounts.roles import Action, Role
from punte.accounts.selectors import team_list
from punte.audit.selectors import organization_recent_events, recent_sign_ins
from punte.reference.selectors import reference_summary

from .http import ActorRequest


@login_required
def home(request: ActorRequest) -> HttpResponse:
    """Each role's home: what that role works with today. Sections appear by permission."""
    actor = request.actor
    context: dict[str, object] = {
        "recent_sign_ins": recent_sign_ins(actor=actor),
    }
    if actor.organization is not None and actor.can(Action.TEAM_VIEW):
        context["team"] = team_list(actor=actor, organization=actor.organization).filter(is_active=True)
    if actor.can(Action.AUDIT_VIEW_ORGANIZATION):
        context["organization_events"] = organization_recent_events(actor=actor)
    if actor.can(Action.ORGANIZATION_VIEW_ALL):
        context["organization_counts"] = Organization.objects.aggregate(
            active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
        )
        context["user_counts"] = User.objects.aggregate(
            active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
        )
        context["roles"] = [
            (Role(row["role"]).label, row["count"])
            for row in Membership.objects.filter(is_active=True).values("role").annotate(count=Count("pk")).order_by("-count", "role")
        ]
    if actor.can(Action.REFERENCE_VIEW):
        context["reference"] = reference_summary()
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
