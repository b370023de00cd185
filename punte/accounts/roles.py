"""Roles and what each may do: the one table every service, selector, page and test reads.

A role is held through a membership in one organization; a user acts in one organization at a
time. An action not listed for a role is refused. Later domains add their actions here.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LEGAL_COUNSELLOR = "legal_counsellor", _("Legal counsellor")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER_PROVIDER = "partner_provider", _("Partner provider")
    MENTOR = "mentor", _("Mentor")
    MENTOR_COORDINATOR = "mentor_coordinator", _("Mentor coordinator")
    PREVENTION_OFFICER = "prevention_officer", _("Prevention officer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Action(StrEnum):
    # Organizations and people
    ORGANIZATION_VIEW_ALL = "organization.view_all"
    ORGANIZATION_MANAGE = "organization.manage"
    USER_MANAGE = "user.manage"
    TEAM_VIEW = "team.view"
    # Audit trail
    AUDIT_VIEW_OWN = "audit.view_own"
    AUDIT_VIEW_ORGANIZATION = "audit.view_organization"
    AUDIT_VIEW_ALL = "audit.view_all"
    # Reference data
    REFERENCE_VIEW = "reference.view"
    REFERENCE_MANAGE = "reference.manage"
    # Intake and cases of the actor's organization
    REFERRAL_CREATE = "referral.create"
    REFERRAL_TRIAGE = "referral.triage"
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    PERSON_VIEW_IDENTITY = "person.view_identity"
    # Psychological assessments and sealed clinical notes
    CLINICAL_VIEW = "clinical.view"
    # Who approves plans and closures in the organization
    APPROVAL_CONFIGURE = "approval.configure"


_EVERYONE = frozenset({Action.AUDIT_VIEW_OWN, Action.REFERENCE_VIEW})
_STAFF = _EVERYONE | {Action.TEAM_VIEW}
_CASE_WORK = frozenset(
    {Action.REFERRAL_CREATE, Action.REFERRAL_TRIAGE, Action.CASE_VIEW, Action.CASE_EDIT, Action.PERSON_VIEW_IDENTITY}
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CASEWORKER: _STAFF | _CASE_WORK,
    Role.PSYCHOLOGIST: _STAFF | _CASE_WORK | {Action.CLINICAL_VIEW},
    Role.LEGAL_COUNSELLOR: _STAFF,
    Role.SUPERVISOR: _STAFF | _CASE_WORK | {Action.AUDIT_VIEW_ORGANIZATION, Action.APPROVAL_CONFIGURE},
    Role.PARTNER_PROVIDER: _EVERYONE,
    Role.MENTOR: _EVERYONE,
    Role.MENTOR_COORDINATOR: _STAFF,
    Role.PREVENTION_OFFICER: _STAFF,
    Role.ANALYST: _EVERYONE,
    Role.ADMINISTRATOR: _STAFF
    | {
        Action.ORGANIZATION_VIEW_ALL,
        Action.ORGANIZATION_MANAGE,
        Action.USER_MANAGE,
        Action.AUDIT_VIEW_ORGANIZATION,
        Action.AUDIT_VIEW_ALL,
        Action.REFERENCE_MANAGE,
    },
}


def role_can(role: str, action: Action) -> bool:
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False
