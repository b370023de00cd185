"""Typing and guards shared by every page."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from .errors import PermissionDenied

if TYPE_CHECKING:
    from punte.accounts.actor import Actor
    from punte.accounts.models import User
    from punte.accounts.roles import Action

P = ParamSpec("P")


class ActorRequest(HttpRequest):
    """A request after ActorMiddleware: the user is signed in and `actor` is set."""

    actor: "Actor"
    user: "User"


def actor_required(
    action: "Action",
) -> Callable[[Callable[Concatenate[ActorRequest, P], HttpResponse]], Callable[Concatenate[ActorRequest, P], HttpResponse]]:
    """Sign-in required, then the action must be allowed to the actor's role; a refusal is a 403
    page that shows nothing of the record."""

    def decorator(
        view: Callable[Concatenate[ActorRequest, P], HttpResponse],
    ) -> Callable[Concatenate[ActorRequest, P], HttpResponse]:
        @wraps(view)
        def wrapped(request: ActorRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if request.actor.user is None:
                return redirect_to_login(request.get_full_path())
            if not request.actor.can(action):
                raise PermissionDenied()
            return view(request, *args, **kwargs)

        return cast(Callable[Concatenate[ActorRequest, P], HttpResponse], wrapped)

    return decorator
