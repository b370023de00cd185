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


def attempt_log_label(username: str, ip_address: str, user_agent: str, path_info: str, request: HttpRequest) -> str:
    """What django-axes writes to the log about an attempt: never the typed username, which can be
    a password typed into the wrong field. The username stays in the lockout table only."""
    return f'{{ip_address: "{ip_address}", path_info: "{path_info}"}}'
