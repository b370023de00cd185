"""Development and demo: SQLite under var/, a secret key made once and kept under var/."""

import os
import secrets
from collections.abc import Callable

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def _kept(name: str, make: Callable[[], str]) -> str:
    """A secret from the environment, or made once and kept under var/ (never in the database)."""
    if value := os.environ.get(name):
        return value
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept("SECRET_KEY", lambda: secrets.token_urlsafe(50))
PUNTE_FIELD_KEYS = _kept("PUNTE_FIELD_KEYS", lambda: Fernet.generate_key().decode()).split(",")
PUNTE_LOOKUP_KEY = _kept("PUNTE_LOOKUP_KEY", lambda: secrets.token_urlsafe(32))
DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]

# `make demo` sets PUNTE_DEMO=1: demo users may skip two-factor enrolment and the login page
# says so. Nothing else relaxes it.
PUNTE_DEMO = env_bool("PUNTE_DEMO", False)
PUNTE_REQUIRE_2FA = not PUNTE_DEMO
