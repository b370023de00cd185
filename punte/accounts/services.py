"""Writes to organizations, users, memberships and API tokens. Each runs in one transaction,
validates before it writes, and records its audit event in that same transaction."""

import copy
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from punte.audit.services import audit_record, changed_fields
from punte.core.errors import PermissionDenied, ValidationError
from punte.core.validation import full_clean
from punte.reference.models import County

from .actor import Actor
from .models import ApiToken, Membership, Organization, User
from .roles import Action, Role

TOKEN_PREFIX = "pt_"  # noqa: S105 - a public marker, not a secret


def _county(code: str) -> County:
    county = County.objects.filter(code=code.strip().upper()).first()
    if county is None:
        raise ValidationError(
            details={"county": [_("Unknown county code %(code)s; use an ISO 3166-2:RO code such as RO-CJ.") % {"code": code}]}
        )
    return county


def _kind(kind: str) -> str:
    if kind not in Organization.Kind.values:
        raise ValidationError(
            details={
                "kind": [
                    _("Unknown kind %(kind)s; choose one of: %(choices)s.")
                    % {"kind": kind, "choices": ", ".join(Organization.Kind.values)}
                ]
            }
        )
    return kind


def _role(role: str) -> Role:
    if role not in Role.values:
        raise ValidationError(
            details={
                "role": [
                    _("Unknown role %(role)s; choose one of: %(choices)s.") % {"role": role, "choices": ", ".join(Role.values)}
                ]
            }
        )
    return Role(role)


# Organizations


def organization_create(*, actor: Actor, name: str, kind: str, county_code: str, is_active: bool = True) -> Organization:
    actor.require(Action.ORGANIZATION_MANAGE)
    organization = Organization(name=name.strip(), kind=_kind(kind), county=_county(county_code), is_active=is_active)
    full_clean(organization)
    with transaction.atomic():
        organization.save()
        audit_record(
            actor=actor,
            action="organization.create",
            target=organization,
            fields=["name", "kind", "county", "is_active"],
            organization_id=organization.pk,
        )
    return organization


def organization_update(
    *, actor: Actor, organization: Organization, name: str, kind: str, county_code: str, is_active: bool
) -> Organization:
    actor.require(Action.ORGANIZATION_MANAGE)
    before = {
        "name": organization.name,
        "kind": organization.kind,
        "county_id": organization.county_id,
        "is_active": organization.is_active,
    }
    # Validate a copy: a refused change leaves the caller's object as it was.
    candidate = copy.copy(organization)
    candidate.name, candidate.kind, candidate.county, candidate.is_active = (
        name.strip(),
        _kind(kind),
        _county(county_code),
        is_active,
    )
    full_clean(candidate)
    fields = [f.removesuffix("_id") for f in changed_fields(candidate, before)]
    if not fields:
        return organization
    organization.name, organization.kind, organization.county, organization.is_active = (
        candidate.name,
        candidate.kind,
        candidate.county,
        candidate.is_active,
    )
    with transaction.atomic():
        organization.save()
        audit_record(
            actor=actor, action="organization.update", target=organization, fields=fields, organization_id=organization.pk
        )
    return organization


# Users and memberships


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationError(details={"password": list(error.messages)}) from error


def one_time_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def user_create(
    *,
    actor: Actor,
    username: str,
    organization: Organization,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> tuple[User, str | None]:
    """Create a user with a first membership. Without a password, a one-time password is made,
    returned once, and must be changed at first sign-in."""
    actor.require(Action.USER_MANAGE)
    user = User(username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip())
    membership_role = _role(role)
    full_clean(user, exclude=["password"])
    if not organization.is_active:
        raise ValidationError(details={"organization": [_("The organization is not active.")]})
    given = password is not None
    raw = password if password is not None else one_time_password()
    if given:
        _check_password(raw, user)
    user.set_password(raw)
    user.must_change_password = not given
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError as error:
            raise ValidationError(details={"username": [_("A user with that username already exists.")]}) from error
        audit_record(
            actor=actor,
            action="user.create",
            target=user,
            fields=["username", "first_name", "last_name", "email", "password"],
            organization_id=organization.pk,
        )
        membership_create(actor=actor, user=user, organization=organization, role=membership_role)
    return user, None if given else raw


def user_update(*, actor: Actor, user: User, first_name: str, last_name: str, email: str, is_active: bool) -> User:
    actor.require(Action.USER_MANAGE)
    if actor.user is not None and user.pk == actor.user.pk and not is_active:
        raise ValidationError(details={"is_active": [_("You cannot deactivate your own account.")]})
    before = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email, "is_active": user.is_active}
    candidate = copy.copy(user)
    candidate.first_name, candidate.last_name, candidate.email = first_name.strip(), last_name.strip(), email.strip()
    candidate.is_active = is_active
    full_clean(candidate, exclude=["password"])
    fields = changed_fields(candidate, before)
    if not fields:
        return user
    for name in fields:
        setattr(user, name, getattr(candidate, name))
    with transaction.atomic():
        user.save(update_fields=[*fields])
        audit_record(actor=actor, action="user.update", target=user, fields=fields)
        if "is_active" in fields and not is_active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


def user_password_reset(*, actor: Actor, user: User) -> str:
    """An administrator gives a new one-time password, to be changed at the next sign-in."""
    actor.require(Action.USER_MANAGE)
    raw = one_time_password()
    user.set_password(raw)
    user.must_change_password = True
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_reset", target=user, fields=["password"])
    return raw


def user_password_change(*, actor: Actor, user: User, new_password: str) -> None:
    """A user sets their own password (the old one is checked by the form)."""
    if actor.user is None or actor.user.pk != user.pk:
        raise PermissionDenied()
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_change", target=user, fields=["password"])


def user_two_factor_reset(*, actor: Actor, user: User) -> int:
    """Remove a user's authenticators and recovery codes; they enrol again at next sign-in."""
    actor.require(Action.USER_MANAGE)
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit_record(actor=actor, action="user.two_factor_reset", target=user, fields=["devices"])
    return len(devices)


def membership_create(*, actor: Actor, user: User, organization: Organization, role: str) -> Membership:
    actor.require(Action.USER_MANAGE)
    membership = Membership(user=user, organization=organization, role=_role(role))
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(
            details={"organization": [_("This user already belongs to that organization; change the role instead.")]}
        )
    if not organization.is_active:
        raise ValidationError(details={"organization": [_("The organization is not active.")]})
    full_clean(membership, exclude=["user", "organization"])
    with transaction.atomic():
        membership.save()
        audit_record(
            actor=actor,
            action="membership.create",
            target=membership,
            fields=["user", "organization", "role"],
            organization_id=organization.pk,
        )
    return membership


def membership_update(*, actor: Actor, membership: Membership, role: str, is_active: bool) -> Membership:
    actor.require(Action.USER_MANAGE)
    before = {"role": membership.role, "is_active": membership.is_active}
    new_role = _role(role)
    if (
        actor.membership is not None
        and membership.pk == actor.membership.pk
        and (new_role != Role.ADMINISTRATOR or not is_active)
    ):
        raise ValidationError(details={"role": [_("You cannot remove your own administrator role.")]})
    membership.role = new_role
    membership.is_active = is_active
    fields = changed_fields(membership, before)
    if not fields:
        return membership
    with transaction.atomic():
        membership.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor, action="membership.update", target=membership, fields=fields, organization_id=membership.organization_id
        )
    return membership


# API tokens


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, actor: Actor, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Make a token for the user; the raw token is returned once and only its digest is kept."""
    if not (actor.can(Action.USER_MANAGE) or (actor.user is not None and actor.user.pk == user.pk)):
        raise PermissionDenied()
    lifetime = settings.PUNTE_API_TOKEN_DAYS if days is None else days
    if not 1 <= lifetime <= 366:
        raise ValidationError(details={"days": [_("A token lives between 1 and 366 days.")]})
    if not user.is_active:
        raise ValidationError(details={"username": [_("The user is not active.")]})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    full_clean(token)
    with transaction.atomic():
        token.save()
        audit_record(actor=actor, action="api_token.create", target=token, fields=["user", "name", "expires_at"])
    return token, raw


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if not (actor.can(Action.USER_MANAGE) or (actor.user is not None and actor.user.pk == token.user_id)):
        raise PermissionDenied()
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token, fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for a raw bearer value, or None. Marks its use at most every few minutes."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_usable:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
