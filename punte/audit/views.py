from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from punte.accounts.roles import Action
from punte.core.errors import PunteError
from punte.core.http import ActorRequest, actor_required

from .selectors import AuditEventFilter, audit_event_list, audit_event_visible_to

PAGE_SIZE = 50


@actor_required(Action.AUDIT_VIEW_ORGANIZATION)
def event_list(request: ActorRequest) -> HttpResponse:
    error = None
    try:
        events, filterset = audit_event_list(actor=request.actor, data=request.GET)
    except PunteError as exc:
        error = exc
        filterset = AuditEventFilter(request.GET, audit_event_visible_to(request.actor), actor=request.actor)
        filterset.is_valid()
        events = audit_event_visible_to(request.actor).none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filter": filterset, "error": error, "query": query.urlencode()},
        status=400 if error else 200,
    )
