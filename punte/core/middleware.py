from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_guid import get_guid

from .context import RequestContext, request_context
from .errors import PunteError


class RequestContextMiddleware:
    """Carries the request id (from django-guid), the client address and user agent to the audit
    trail. The address is REMOTE_ADDR: a proxy in front must set it (see docs/administration.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            request_id=get_guid() or "",
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        with request_context(context):
            return self.get_response(request)


class PunteErrorMiddleware:
    """Turns the error tree raised by a service or selector into a page: refusals and missing
    records get their status and a plain message; nothing was written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PunteError) or request.path.startswith("/api/"):
            return None
        return render(request, "core/error.html", {"error": exception}, status=exception.status)
