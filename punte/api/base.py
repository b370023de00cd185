"""The API instance, its bearer authentication and its one error shape.

Every error, from validation to a crash, answers with
`{"error": {"code": "...", "message": "...", "details": {"field": ["..."]}}}`.
"""

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from punte.accounts.actor import actor_for
from punte.accounts.roles import Action
from punte.accounts.services import token_authenticate
from punte.core.errors import PunteError

logger = logging.getLogger(__name__)

ORGANIZATION_HEADER = "X-Punte-Organization"


class ErrorBody(Schema):
    code: str
    message: str
    details: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorBody


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`. The actor acts in the organization named by the
    X-Punte-Organization header (an organization id), or in the user's first organization.

    With an action, the actor's role must allow it: the refusal comes before the request body is
    read, so a caller who may not use an operation learns nothing from it."""

    def __init__(self, action: Action | None = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        organization_id: int | None = None
        header = request.headers.get(ORGANIZATION_HEADER)
        if header:
            if not header.isdigit():
                raise PunteError(_("The %(header)s header must be an organization id.") % {"header": ORGANIZATION_HEADER})
            organization_id = int(header)
        request.user = api_token.user
        actor = actor_for(api_token.user, organization_id)
        request.actor = actor  # type: ignore[attr-defined]
        if self.action is not None:
            actor.require(self.action)
        return api_token


def requires(action: Action) -> BearerToken:
    return BearerToken(action)


api = NinjaAPI(
    title="punte API",
    version="1",
    description=(
        "Case management and service coordination for anti-trafficking direct services. "
        "Authenticate with `Authorization: Bearer <token>` (see `manage.py token_create`). "
        f"Choose the organization you act in with the `{ORGANIZATION_HEADER}` header."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "details": details or {}}}, status=status)


@api.exception_handler(PunteError)
def on_punte_error(request: HttpRequest, exc: PunteError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        details.setdefault(".".join(location) or "request", []).append(str(error.get("msg", "")))
    return error_response(request, 400, "validation_error", _("Some of the values are not valid."), details)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "not_authenticated", _("A valid API token is required."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found, or not visible to you."))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error")
    return error_response(request, 500, "server_error", _("Something went wrong on our side; nothing was saved."))
