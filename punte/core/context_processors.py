from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from punte.accounts.roles import Action


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    action: Action | None
    section: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The navigation shows only what exists and what the actor's role may open.
NAVIGATION = [
    NavItem(_("Home"), "core:home", None, "home"),
    NavItem(_("My work"), "cases:my_work", Action.CASE_VIEW, "my_work"),
    NavItem(_("Intake"), "cases:referral_list", Action.REFERRAL_CREATE, "intake"),
    NavItem(_("Cases"), "cases:case_list", Action.CASE_VIEW, "cases"),
    NavItem(_("Organizations"), "accounts:organization_list", Action.ORGANIZATION_VIEW_ALL, "organizations"),
    NavItem(_("Users"), "accounts:user_list", Action.USER_MANAGE, "users"),
    NavItem(_("Audit trail"), "audit:event_list", Action.AUDIT_VIEW_ORGANIZATION, "audit"),
    NavItem(_("Counties and groupings"), "reference:county_list", Action.REFERENCE_VIEW, "reference"),
    NavItem(_("Assessment templates"), "assessments:template_list", Action.REFERENCE_MANAGE, "assessment_templates"),
]


def punte(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    navigation = []
    if actor is not None and actor.user is not None:
        navigation = [item for item in NAVIGATION if item.action is None or actor.can(item.action)]
    return {
        "actor": actor,
        "navigation": navigation,
        "demo_mode": settings.PUNTE_DEMO,
        "two_factor_required": settings.PUNTE_REQUIRE_2FA,
        "session_idle_minutes": settings.PUNTE_SESSION_IDLE_MINUTES,
    }
