"""Development and demo: SQLite under var/, a secret key made once and kept under var/."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]

# `make demo` sets PUNTE_DEMO=1: demo users may skip two-factor enrolment and the login page
# says so. Nothing else relaxes it.
PUNTE_DEMO = env_bool("PUNTE_DEMO", False)
PUNTE_REQUIRE_2FA = not PUNTE_DEMO
