"""Sign-in and sign-out happen inside Django's and django-two-factor-auth's own views, so they are
recorded from Django's signals: the only write path in punte that does not start in a service."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from punte.accounts.actor import actor_for
from punte.accounts.models import User

from .models import AuditEvent
from .services import audit_record


def _record(action: str, user: User | None) -> None:
    if user is None or not user.pk:
        return
    actor = actor_for(user)
    with transaction.atomic():
        audit_record(actor=actor, action=action, target=user, kind=AuditEvent.Kind.AUTH)


@receiver(user_logged_in)
def record_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    _record("auth.login", user)


@receiver(user_logged_out)
def record_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    _record("auth.logout", user)
