"""Who may open every page and every API operation, and who may not.

The tables below list every URL of punte. A new URL without a row fails
`test_every_url_is_in_the_table`, so no page ships without its refusal tests."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from punte.accounts.roles import Role
from punte.assessments.models import Alert, Assessment, Task
from punte.assessments.services import assessment_create
from punte.cases.models import Case as CaseRecord
from punte.cases.models import Referral
from punte.cases.services import person_create, referral_create, referral_open_case
from tests.base import World, assert_refused, verified_client

ADMIN = {Role.ADMINISTRATOR}
SUPERVISION = {Role.SUPERVISOR, Role.ADMINISTRATOR}
TEAM = {
    Role.CASEWORKER,
    Role.PSYCHOLOGIST,
    Role.LEGAL_COUNSELLOR,
    Role.SUPERVISOR,
    Role.MENTOR_COORDINATOR,
    Role.PREVENTION_OFFICER,
    Role.ADMINISTRATOR,
}
MEMBERS = set(Role)
CASE_WORK = {Role.CASEWORKER, Role.PSYCHOLOGIST, Role.SUPERVISOR}
SIGNED_IN = "signed-in"  # any signed-in user, even one with no membership


@dataclass(frozen=True)
class Case:
    name: str
    allowed: set[Role] | str
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    method: str = "get"
    secret: Callable[[World], str] = lambda w: ""
    owned: bool = False  # the URL names a record of world.organization: refused to everyone else


def home_case(world: World) -> CaseRecord:
    """A referral triaged into a case in world.organization, made once per world."""
    existing: CaseRecord | None = getattr(world, "_case", None)
    if existing is not None:
        return existing
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(
        actor=actor, received_on=date(2026, 1, 5), source="police", channel="phone", summary="Sesizare de test"
    )
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    case = referral_open_case(actor=actor, referral=referral, person=person)
    world._case = case  # type: ignore[attr-defined]
    return case


HIGH_RISK_ANSWERS = {
    "trafficker_contact": "no",
    "threats": "yes",
    "safe_place": "yes",
    "minor_without_caregiver": "no",
    "family_involved": "no",
    "self_harm": "no",
    "urgent_medical": "no",
    "debt_or_dependence": "no",
}
PSYCHOLOGICAL_ANSWERS = {
    "mental_health_concern": 1,
    "trauma_symptoms": "some",
    "recommendations": "Recomandare secretă sintetică",
}


def home_risk_assessment(world: World) -> Assessment:
    """A high-risk initial assessment of home_case, made once per world: it also opens a
    safety-plan task for the caseworker and alerts the supervisor."""
    existing: Assessment | None = getattr(world, "_risk", None)
    if existing is None:
        existing = assessment_create(
            actor=world.actor(Role.CASEWORKER), case=home_case(world), kind="initial_risk", answers=HIGH_RISK_ANSWERS
        )
        world._risk = existing  # type: ignore[attr-defined]
    return existing


def home_psychological(world: World) -> Assessment:
    existing: Assessment | None = getattr(world, "_psychological", None)
    if existing is None:
        existing = assessment_create(
            actor=world.actor(Role.PSYCHOLOGIST), case=home_case(world), kind="psychological", answers=PSYCHOLOGICAL_ANSWERS
        )
        world._psychological = existing  # type: ignore[attr-defined]
    return existing


def home_task(world: World) -> Task:
    home_risk_assessment(world)
    return Task.objects.get(case=home_case(world))


def home_alert(world: World) -> Alert:
    home_risk_assessment(world)
    return Alert.objects.get(case=home_case(world), recipient=world.user(Role.SUPERVISOR))


def pending_referral(world: World) -> Referral:
    existing: Referral | None = getattr(world, "_referral", None)
    if existing is None:
        existing = referral_create(
            actor=world.actor(Role.CASEWORKER),
            received_on=date(2026, 1, 6),
            source="hotline",
            channel="phone",
            summary="De triat",
        )
        world._referral = existing  # type: ignore[attr-defined]
    return existing


CASES = [
    Case("core:home", SIGNED_IN),
    Case("accounts:account", SIGNED_IN),
    Case("accounts:password_change", SIGNED_IN),
    Case("accounts:organization_list", ADMIN, secret=lambda w: w.hidden_organization.name),
    Case("accounts:organization_create", ADMIN),
    Case("accounts:organization_detail", TEAM, kwargs=lambda w: {"pk": w.organization.pk}),
    Case(
        "accounts:organization_detail",
        ADMIN,
        kwargs=lambda w: {"pk": w.other_organization.pk},
        secret=lambda w: "other_supervisor",
    ),
    Case(
        "accounts:organization_edit",
        ADMIN,
        kwargs=lambda w: {"pk": w.hidden_organization.pk},
        secret=lambda w: w.hidden_organization.name,
    ),
    Case("accounts:user_list", ADMIN, secret=lambda w: "other_supervisor"),
    Case("accounts:user_create", ADMIN),
    Case("accounts:user_detail", ADMIN, kwargs=lambda w: {"pk": w.other_supervisor.pk}, secret=lambda w: "other_supervisor"),
    Case("accounts:user_edit", ADMIN, kwargs=lambda w: {"pk": w.other_supervisor.pk}, method="post"),
    Case("accounts:user_password_reset", ADMIN, kwargs=lambda w: {"pk": w.other_supervisor.pk}, method="post"),
    Case("accounts:user_two_factor_reset", ADMIN, kwargs=lambda w: {"pk": w.other_supervisor.pk}, method="post"),
    Case("accounts:membership_create", ADMIN, kwargs=lambda w: {"pk": w.other_supervisor.pk}, method="post"),
    Case(
        "accounts:membership_edit",
        ADMIN,
        kwargs=lambda w: {"pk": w.other_supervisor.memberships.get().pk},
        method="post",
    ),
    Case("audit:event_list", SUPERVISION),
    Case("reference:county_list", MEMBERS),
    Case("reference:grouping_detail", MEMBERS, kwargs=lambda w: {"code": "seed-northwest"}),
    Case("reference:grouping_create", ADMIN),
    Case("reference:grouping_edit", ADMIN, kwargs=lambda w: {"code": w.custom_grouping.code}),
    Case("cases:my_work", CASE_WORK, secret=lambda w: home_case(w).code),
    Case("cases:referral_list", CASE_WORK, secret=lambda w: f"R-{pending_referral(w).pk}<"),
    Case("cases:referral_create", CASE_WORK),
    Case(
        "cases:referral_detail",
        CASE_WORK,
        kwargs=lambda w: {"pk": pending_referral(w).pk},
        secret=lambda w: "De triat",
        owned=True,
    ),
    Case("cases:case_list", CASE_WORK, secret=lambda w: home_case(w).code),
    Case(
        "cases:case_detail",
        CASE_WORK,
        kwargs=lambda w: {"pk": home_case(w).pk},
        secret=lambda w: home_case(w).person.pseudonym,
        owned=True,
    ),
    Case(
        "assessments:assessment_create",
        CASE_WORK,
        kwargs=lambda w: {"pk": home_case(w).pk, "kind": "initial_risk"},
        secret=lambda w: home_case(w).person.pseudonym,
        owned=True,
    ),
    Case(
        "assessments:assessment_create",
        {Role.PSYCHOLOGIST},
        kwargs=lambda w: {"pk": home_case(w).pk, "kind": "psychological"},
        secret=lambda w: home_case(w).person.pseudonym,
        owned=True,
    ),
    Case(
        "assessments:assessment_detail",
        CASE_WORK,
        kwargs=lambda w: {"pk": home_risk_assessment(w).pk},
        secret=lambda w: home_case(w).code,
        owned=True,
    ),
    Case(
        "assessments:assessment_detail",
        {Role.PSYCHOLOGIST},
        kwargs=lambda w: {"pk": home_psychological(w).pk},
        secret=lambda w: "Recomandare secretă sintetică",
        owned=True,
    ),
    Case("assessments:task_done", CASE_WORK, kwargs=lambda w: {"pk": home_task(w).pk}, method="post", owned=True),
    Case("assessments:alert_read", {Role.SUPERVISOR}, kwargs=lambda w: {"pk": home_alert(w).pk}, method="post", owned=True),
    Case("assessments:template_list", ADMIN, secret=lambda w: "Initial risk assessment"),
]

# URLs that belong to sign-in itself or need no permission.
EXEMPT = {
    "two_factor:login",
    "two_factor:setup",
    "two_factor:qr",
    "two_factor:setup_complete",
    "two_factor:backup_tokens",
    "accounts:logout",
    "accounts:organization_switch",
    "core:healthz",
    "set_language",
}


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("api/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_table() -> None:
    covered = {case.name for case in CASES} | EXEMPT
    missing = _url_names(get_resolver()) - covered
    assert not missing, f"URLs without an authorization row: {sorted(missing)}"


def _requesters(world: World) -> dict[str, Any]:
    people: dict[str, Any] = {role.value: world.user(role) for role in Role}
    people["other_caseworker"] = world.other_caseworker
    people["other_supervisor"] = world.other_supervisor
    people["no_membership"] = world.no_membership
    people["anonymous"] = None
    return people


def _is_allowed(case: Case, who: str, world: World) -> bool:
    if who == "anonymous":
        return False
    if case.allowed == SIGNED_IN:
        return True
    assert isinstance(case.allowed, set)
    if who in {"no_membership"}:
        return False
    if who in {"other_caseworker", "other_supervisor"}:
        # Members of the second organization: allowed only for pages about their own organization.
        role = Role.CASEWORKER if who == "other_caseworker" else Role.SUPERVISOR
        about_home = (
            "pk" in case.kwargs(world)
            and case.name == "accounts:organization_detail"
            and case.kwargs(world)["pk"] == world.organization.pk
        )
        about_other = case.name == "accounts:organization_detail" and case.kwargs(world).get("pk") == world.other_organization.pk
        if about_home or case.owned:
            return False
        if about_other:
            return role in TEAM
        return role in case.allowed
    return Role(who) in case.allowed


@pytest.mark.parametrize("case", CASES, ids=[f"{case.name}-{i}" for i, case in enumerate(CASES)])
def test_who_may_open_the_page(world: World, case: Case) -> None:
    for who, user in _requesters(world).items():
        client = verified_client(user) if user is not None else Client()
        url = reverse(case.name, kwargs=case.kwargs(world))
        response = client.post(url, {}) if case.method == "post" else client.get(url)
        if _is_allowed(case, who, world):
            assert response.status_code in {200, 302}, f"{who} should open {url}, got {response.status_code}"
            if response.status_code == 302:
                assert "/account/login/" not in response["Location"], f"{who} was sent to sign-in from {url}"
        else:
            assert_refused(response, case.secret(world))
