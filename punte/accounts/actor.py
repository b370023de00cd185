"""The actor: who is acting, in which organization, with which role.

Every service and selector takes one. Pages build it from the session (the organization the user
chose), the API from the bearer token (and an optional organization header), commands use the
system actor. A user without an active membership acts with no role and is allowed nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from punte.core.errors import PermissionDenied

from .models import Membership, Organization, User
from .roles import Action, Role, role_can


@dataclass(frozen=True)
class Actor:
    user: User | None
    membership: Membership | None = None
    memberships: Sequence[Membership] = field(default_factory=tuple)
    is_system: bool = False

    @property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @property
    def organization_id(self) -> int | None:
        return self.membership.organization_id if self.membership else None

    @property
    def role(self) -> Role | None:
        return Role(self.membership.role) if self.membership else None

    def can(self, action: Action) -> bool:
        if self.is_system:
            return True
        if self.user is None or not self.user.is_active or self.membership is None:
            return False
        return role_can(self.membership.role, action)

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise PermissionDenied()


SYSTEM = Actor(user=None, is_system=True)


def active_memberships(user: User) -> list[Membership]:
    """The memberships a user can act through: active, in an active organization."""
    if not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization", "organization__county")
        .order_by("created_at", "pk")
    )


def actor_for(user: User, organization_id: int | None = None) -> Actor:
    """The actor for a user acting in the given organization, or in their first one. An
    organization the user holds no active membership in gives an actor with no role."""
    memberships = active_memberships(user)
    chosen: Membership | None = None
    if organization_id is None:
        chosen = memberships[0] if memberships else None
    else:
        chosen = next((m for m in memberships if m.organization_id == organization_id), None)
    return Actor(user=user, membership=chosen, memberships=tuple(memberships))
