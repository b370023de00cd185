"""Protections around sign-in and every response: security headers, idle sessions, lockout after
wrong passwords, the two-factor and one-time-password gates, API authentication, and the
production settings."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from punte.accounts.actor import SYSTEM
from punte.accounts.models import ApiToken
from punte.accounts.roles import Role
from punte.accounts.services import token_create, token_revoke, user_password_reset
from punte.audit.models import AuditEvent
from tests.base import PASSWORD, World, verified_client

BASE_DIR = Path(__file__).resolve().parent.parent
LOGIN_PATH = "/account/login/"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def sign_in(client: Client, username: str, password: str, ip: str = "198.51.100.7") -> Any:
    return client.post(
        reverse("two_factor:login"),
        {"auth-username": username, "auth-password": password, "login_view-current_step": "auth"},
        REMOTE_ADDR=ip,
    )


# Headers


def _responses(world: World) -> dict[str, Any]:
    return {
        "login": Client().get(reverse("two_factor:login")),
        "home": verified_client(world.user(Role.SUPERVISOR)).get(reverse("core:home")),
        "audit": verified_client(world.user(Role.ADMINISTRATOR)).get(reverse("audit:event_list")),
        "refused": verified_client(world.user(Role.CASEWORKER)).get(reverse("audit:event_list")),
    }


def test_every_response_has_a_strict_content_security_policy(world: World) -> None:
    for name, response in _responses(world).items():
        assert response.status_code in {200, 403}, name
        directives = csp_directives(response["Content-Security-Policy"])
        for directive in ("script-src", "style-src"):
            assert directive in directives, f"{name}: no {directive}"
            assert "'self'" in directives[directive], name
            assert "'unsafe-inline'" not in directives[directive], f"{name}: {directive} allows inline code"
            assert "'unsafe-eval'" not in directives[directive], f"{name}: {directive} allows eval"
        assert directives["default-src"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name


def test_pages_cannot_be_framed_or_sniffed(world: World) -> None:
    for name, response in _responses(world).items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_the_pages_carry_no_inline_script_or_style(world: World) -> None:
    for name, response in _responses(world).items():
        body = response.content.decode()
        assert "<script>" not in body, name
        assert "<style" not in body, name
        assert " style=" not in body, name
        assert " onclick=" not in body, name


# Idle sessions


def test_sessions_expire_after_thirty_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_an_idle_session_is_signed_out(world: World) -> None:
    home = reverse("core:home")
    with freeze_time(timezone.now()) as clock:
        client = verified_client(world.user(Role.CASEWORKER))
        assert client.get(home).status_code == 200
        # Every request renews the session: 55 minutes of activity in steps under the limit.
        for minutes in (20, 25, 10):
            clock.tick(timedelta(minutes=minutes))
            assert client.get(home).status_code == 200, f"signed out after {minutes} active minutes"
        clock.tick(timedelta(minutes=31))
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_PATH)
    assert "_auth_user_id" not in client.session


def test_a_session_just_under_the_idle_limit_is_kept(world: World) -> None:
    home = reverse("core:home")
    with freeze_time(timezone.now()) as clock:
        client = verified_client(world.user(Role.CASEWORKER))
        assert client.get(home).status_code == 200
        clock.tick(timedelta(minutes=29))
        assert client.get(home).status_code == 200


# Lockout after wrong passwords


def test_five_wrong_passwords_lock_the_account_from_that_address(world: World) -> None:
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_LOCKOUT_PARAMETERS) == (5, [["username", "ip_address"]])
    user = world.user(Role.MENTOR)
    client = Client()
    for attempt in range(1, 5):
        response = sign_in(client, user.username, f"wrong-password-{attempt}")
        assert response.status_code == 200, f"attempt {attempt}"
        assert "_auth_user_id" not in client.session
    fifth = sign_in(client, user.username, "wrong-password-5")
    assert fifth.status_code in {200, 429}
    # The sixth attempt is refused even with the right password, and signs nobody in.
    with override_settings(PUNTE_REQUIRE_2FA=False):
        sixth = sign_in(client, user.username, PASSWORD)
    assert sixth.status_code == 429
    assert "Too many failed sign-ins" in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login", actor=user).exists()
    # The typed passwords are not kept in the lockout records.
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start >= 5
    assert "wrong-password" not in attempt.post_data
    assert user.username in attempt.post_data


def test_a_lockout_holds_only_for_that_username_and_address(world: World) -> None:
    user = world.user(Role.MENTOR)
    for attempt in range(5):
        sign_in(Client(), user.username, f"wrong-password-{attempt}", ip="198.51.100.7")
    assert sign_in(Client(), user.username, PASSWORD, ip="198.51.100.7").status_code == 429
    with override_settings(PUNTE_REQUIRE_2FA=False):
        elsewhere = Client()
        assert sign_in(elsewhere, user.username, PASSWORD, ip="203.0.113.9").status_code == 302
        assert elsewhere.session["_auth_user_id"] == str(user.pk)
        colleague = Client()
        assert sign_in(colleague, world.user(Role.ANALYST).username, PASSWORD, ip="198.51.100.7").status_code == 302
        assert colleague.session["_auth_user_id"] == str(world.user(Role.ANALYST).pk)


def test_a_good_password_resets_the_failure_count(world: World) -> None:
    user = world.user(Role.MENTOR)
    with override_settings(PUNTE_REQUIRE_2FA=False):
        for attempt in range(4):
            assert sign_in(Client(), user.username, f"wrong-password-{attempt}").status_code == 200
        assert sign_in(Client(), user.username, PASSWORD).status_code == 302
        for attempt in range(4):
            assert sign_in(Client(), user.username, f"wrong-again-{attempt}").status_code == 200
        assert sign_in(Client(), user.username, PASSWORD).status_code == 302


# The account gate: one-time passwords and two-factor enrolment


def test_a_user_without_an_authenticator_must_enrol_first(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.CASEWORKER))
    for name in ("core:home", "accounts:account", "reference:county_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("two_factor:setup"), name
    assert client.get(reverse("two_factor:setup")).status_code == 200


@override_settings(PUNTE_REQUIRE_2FA=False)
def test_without_the_two_factor_requirement_the_user_reaches_home(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.CASEWORKER))
    assert client.get(reverse("core:home")).status_code == 200


def test_an_unverified_session_of_a_user_with_an_authenticator_is_ended(world: World) -> None:
    user = world.user(Role.CASEWORKER)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_PATH)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("two_factor", [True, False], ids=["2fa-required", "2fa-relaxed"])
def test_a_one_time_password_must_be_changed_first(world: World, two_factor: bool) -> None:
    user = world.user(Role.PSYCHOLOGIST)
    user_password_reset(actor=world.actor(Role.ADMINISTRATOR), user=user)
    user.refresh_from_db()
    with override_settings(PUNTE_REQUIRE_2FA=two_factor):
        client = verified_client(user)
        for name in ("core:home", "accounts:account", "two_factor:setup"):
            response = client.get(reverse(name))
            assert response.status_code == 302, name
            assert response["Location"] == reverse("accounts:password_change"), name
        assert client.get(reverse("accounts:password_change")).status_code == 200


# API authentication


def _me(authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return Client().get("/api/v1/me", headers=headers)


def _assert_unauthenticated(response: Any) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "not_authenticated"
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert body["error"]["details"] == {}


def test_the_api_answers_a_valid_token(world: World) -> None:
    user = world.user(Role.ANALYST)
    _, raw = token_create(actor=SYSTEM, user=user)
    response = _me(f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == user.username


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-token", "Bearer pt_deadbeef_" + "x" * 43, "Token pt_deadbeef_abc", "Bearer pt_" + "y" * 200],
    ids=["none", "empty", "malformed", "unknown", "wrong-scheme", "too-long"],
)
def test_the_api_refuses_a_missing_or_malformed_token(world: World, authorization: str | None) -> None:
    _assert_unauthenticated(_me(authorization))


def test_the_api_refuses_an_expired_token(world: World) -> None:
    token, raw = token_create(actor=SYSTEM, user=world.user(Role.ANALYST), days=1)
    assert _me(f"Bearer {raw}").status_code == 200
    with freeze_time(token.expires_at + timedelta(seconds=1)):
        _assert_unauthenticated(_me(f"Bearer {raw}"))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    _assert_unauthenticated(_me(f"Bearer {raw}"))


def test_the_api_refuses_a_revoked_token(world: World) -> None:
    token, raw = token_create(actor=SYSTEM, user=world.user(Role.ANALYST))
    assert _me(f"Bearer {raw}").status_code == 200
    token_revoke(actor=SYSTEM, token=token)
    _assert_unauthenticated(_me(f"Bearer {raw}"))


def test_the_api_refuses_the_token_of_a_deactivated_user(world: World) -> None:
    from punte.accounts.services import user_update

    user = world.user(Role.ANALYST)
    token, raw = token_create(actor=SYSTEM, user=user)
    user_update(actor=world.actor(Role.ADMINISTRATOR), user=user, first_name="", last_name="", email="", is_active=False)
    token.refresh_from_db()
    assert token.revoked_at is not None
    _assert_unauthenticated(_me(f"Bearer {raw}"))


def test_a_signed_in_session_is_no_api_credential(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    _assert_unauthenticated(client.get("/api/v1/me"))


# Production settings


def _prod_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PUNTE_", "DATABASE_", "SECURE_"))}
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="punte.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        PUNTE_VAR_DIR=str(tmp_path),
        PUNTE_FIELD_KEYS=Fernet.generate_key().decode(),
        PUNTE_LOOKUP_KEY=secrets.token_urlsafe(32),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    env = _prod_env(tmp_path)
    assert len(env["SECRET_KEY"]) >= 60
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "PUNTE_FIELD_KEYS", "PUNTE_LOOKUP_KEY"])
def test_production_settings_refuse_to_start_without_a_required_variable(tmp_path: Path, missing: str) -> None:
    result = _check_deploy(_prod_env(tmp_path, **{missing: ""}))
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production." in result.stderr
    assert "System check identified no issues" not in result.stdout


def test_production_settings_refuse_a_short_secret_key(tmp_path: Path) -> None:
    result = _check_deploy(_prod_env(tmp_path, SECRET_KEY="too-short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr
    assert "System check identified no issues" not in result.stdout


def test_passwords_are_hashed_with_argon2() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in base.PASSWORD_HASHERS
    encoded = Argon2PasswordHasher().encode(PASSWORD, "somesaltvalue123")
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify(PASSWORD, encoded)
    validators = cast(list[dict[str, Any]], base.AUTH_PASSWORD_VALIDATORS)
    min_length = next(v for v in validators if v["NAME"].endswith("MinimumLengthValidator"))
    assert min_length["OPTIONS"]["min_length"] >= 12
