"""How django-axes finds the username of a sign-in attempt: from the credentials Django's
authenticate() received or, for the lockout check before it, from the two-step login form,
whose fields carry the wizard's `auth-` prefix."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def attempt_username(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str | None:
    if credentials and credentials.get("username"):
        return str(credentials["username"])
    data = getattr(request, "POST", None) or {}
    value = data.get("auth-username") or data.get("username")
    return str(value) if value else None
