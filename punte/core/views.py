from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from punte.accounts.roles import Action
from punte.accounts.selectors import installation_summary, team_list
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
    context["installation"] = installation_summary(actor=actor)
    if actor.can(Action.REFERENCE_VIEW):
        context["reference"] = reference_summary()
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
