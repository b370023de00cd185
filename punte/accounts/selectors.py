"""Reads of organizations, users and memberships. Each entity has one `<entity>_visible_to`
function that every page, endpoint and command goes through; it fails closed."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from punte.core.errors import NotFound

from .actor import Actor
from .models import ApiToken, Membership, Organization, User
from .roles import Action, Role


def organization_visible_to(actor: Actor) -> QuerySet[Organization]:
    """All organizations for administrators; otherwise those the actor holds an active membership in."""
    organizations = Organization.objects.all()
    if actor.can(Action.ORGANIZATION_VIEW_ALL):
        return organizations
    if actor.user is None or not actor.memberships:
        return organizations.none()
    return organizations.filter(pk__in=[m.organization_id for m in actor.memberships])


def membership_visible_to(actor: Actor) -> QuerySet[Membership]:
    """All memberships for administrators; the team of the actor's organization for roles that see
    their team; otherwise the actor's own."""
    memberships = Membership.objects.all()
    if actor.can(Action.USER_MANAGE):
        return memberships
    if actor.user is None:
        return memberships.none()
    condition = Q(user_id=actor.user.pk)
    if actor.can(Action.TEAM_VIEW) and actor.organization_id:
        condition |= Q(organization_id=actor.organization_id)
    return memberships.filter(condition)


def user_visible_to(actor: Actor) -> QuerySet[User]:
    users = User.objects.all()
    if actor.can(Action.USER_MANAGE):
        return users
    if actor.user is None:
        return users.none()
    condition = Q(pk=actor.user.pk)
    if actor.can(Action.TEAM_VIEW) and actor.organization_id:
        condition |= Q(memberships__organization_id=actor.organization_id, memberships__is_active=True)
    return users.filter(condition).distinct()


@dataclass(frozen=True)
class OrganizationFilters:
    query: str = ""
    kind: str = ""
    county: str = ""
    is_active: bool | None = None


def organization_list(*, actor: Actor, filters: OrganizationFilters | None = None) -> QuerySet[Organization]:
    f = filters or OrganizationFilters()
    organizations = (
        organization_visible_to(actor)
        .select_related("county")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
    )
    if f.query:
        organizations = organizations.filter(name__icontains=f.query)
    if f.kind:
        organizations = organizations.filter(kind=f.kind)
    if f.county:
        organizations = organizations.filter(county_id=f.county)
    if f.is_active is not None:
        organizations = organizations.filter(is_active=f.is_active)
    return organizations.order_by("name")


def organization_get(*, actor: Actor, pk: int) -> Organization:
    organization = organization_visible_to(actor).select_related("county").filter(pk=pk).first()
    if organization is None:
        raise NotFound()
    return organization


def team_list(*, actor: Actor, organization: Organization) -> QuerySet[Membership]:
    """The members of an organization the actor may see."""
    return (
        membership_visible_to(actor)
        .filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__username")
    )


@dataclass(frozen=True)
class UserFilters:
    query: str = ""
    organization_id: int | None = None
    role: str = ""
    is_active: bool | None = None


def user_list(*, actor: Actor, filters: UserFilters | None = None) -> QuerySet[User]:
    f = filters or UserFilters()
    users = user_visible_to(actor)
    if f.query:
        users = users.filter(Q(username__icontains=f.query) | Q(first_name__icontains=f.query) | Q(last_name__icontains=f.query))
    if f.organization_id:
        users = users.filter(memberships__organization_id=f.organization_id)
    if f.role:
        users = users.filter(memberships__role=f.role)
    if f.is_active is not None:
        users = users.filter(is_active=f.is_active)
    visible_memberships = membership_visible_to(actor).select_related("organization").order_by("organization__name")
    return (
        users.distinct()
        .prefetch_related(Prefetch("memberships", queryset=visible_memberships, to_attr="visible_memberships"))
        .order_by("username")
    )


def user_get(*, actor: Actor, pk: int) -> User:
    user = user_visible_to(actor).filter(pk=pk).first()
    if user is None:
        raise NotFound()
    return user


def membership_list(*, actor: Actor, organization_id: int | None = None, user_id: int | None = None) -> QuerySet[Membership]:
    memberships = membership_visible_to(actor).select_related("user", "organization")
    if organization_id:
        memberships = memberships.filter(organization_id=organization_id)
    if user_id:
        memberships = memberships.filter(user_id=user_id)
    return memberships.order_by("organization__name", "user__username")


def membership_get(*, actor: Actor, pk: int) -> Membership:
    membership = membership_visible_to(actor).select_related("user", "organization").filter(pk=pk).first()
    if membership is None:
        raise NotFound()
    return membership


def token_list(*, actor: Actor, user: User) -> QuerySet[ApiToken]:
    if not (actor.can(Action.USER_MANAGE) or (actor.user is not None and actor.user.pk == user.pk)):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).select_related("user").order_by("-created_at")


@dataclass(frozen=True)
class TwoFactorStatus:
    enrolled: bool
    recovery_codes_left: int


def two_factor_status(*, user: User) -> TwoFactorStatus:
    return TwoFactorStatus(
        enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
    )


@dataclass(frozen=True)
class InstallationSummary:
    active_organizations: int
    inactive_organizations: int
    active_users: int
    inactive_users: int
    roles: list[tuple[str, int]]


def installation_summary(*, actor: Actor) -> InstallationSummary | None:
    """Counts for the administrator's home page; None for everyone else."""
    if not actor.can(Action.ORGANIZATION_VIEW_ALL):
        return None
    organizations = Organization.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
    )
    users = User.objects.aggregate(active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False)))
    roles = Membership.objects.filter(is_active=True).values("role").annotate(count=Count("pk")).order_by("-count", "role")
    return InstallationSummary(
        active_organizations=organizations["active"],
        inactive_organizations=organizations["inactive"],
        active_users=users["active"],
        inactive_users=users["inactive"],
        roles=[(str(Role(row["role"]).label), row["count"]) for row in roles],
    )
