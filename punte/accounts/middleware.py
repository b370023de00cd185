from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from two_factor.utils import default_device

from .actor import Actor, actor_for

ORGANIZATION_SESSION_KEY = "punte_organization"


class ActorMiddleware:
    """Sets `request.actor`: the user acting in the organization chosen in the session (or their
    first). Anonymous requests get an actor that may do nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            actor = actor_for(user, request.session.get(ORGANIZATION_SESSION_KEY))
            if actor.membership is None and actor.memberships:
                actor = actor_for(user)
        else:
            actor = Actor(user=None)
        request.actor = actor  # type: ignore[attr-defined]
        return self.get_response(request)


class AccountGateMiddleware:
    """Before anything else, a signed-in user changes a one-time password and enrols a second
    factor (unless the demo relaxed it). An unverified session with a device is ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or self._exempt(request.path):
            return self.get_response(request)
        if user.must_change_password and request.path != reverse("accounts:password_change"):
            return redirect("accounts:password_change")
        if settings.PUNTE_REQUIRE_2FA and not user.is_verified():  # type: ignore[attr-defined]  # added by django-otp
            # The sign-in asks for a code only when the user has a default authenticator; with one,
            # an unverified session cannot come from that sign-in and is ended.
            if default_device(user) is not None:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if request.path not in self._enrolment_paths():
                return redirect("two_factor:setup")
        return self.get_response(request)

    @staticmethod
    def _enrolment_paths() -> set[str]:
        return {
            reverse("two_factor:setup"),
            reverse("two_factor:qr"),
            reverse("two_factor:setup_complete"),
            reverse("accounts:password_change"),
        }

    @staticmethod
    def _exempt(path: str) -> bool:
        return (
            path.startswith(settings.STATIC_URL)
            or path.startswith("/api/")
            or path in {reverse("accounts:logout"), reverse("set_language")}
        )
