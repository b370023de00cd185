"""The API: bearer tokens, one error shape, who may call each operation, and query counts."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from punte.accounts.actor import SYSTEM
from punte.accounts.models import Membership, Organization
from punte.accounts.roles import Role
from punte.accounts.services import token_create
from punte.assessments.selectors import my_alerts, task_visible_to
from punte.assessments.services import assessment_create
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from tests.base import OrganizationFactory, UserFactory, World, assert_queries_flat

ADMIN = {Role.ADMINISTRATOR}
SUPERVISION = {Role.SUPERVISOR, Role.ADMINISTRATOR}
EVERYONE = set(Role)
CASE_WORK = {Role.CASEWORKER, Role.PSYCHOLOGIST, Role.SUPERVISOR}

# (method, path template) -> roles allowed. Every operation of the OpenAPI document must be here.
OPERATIONS: dict[tuple[str, str], set[Role]] = {
    ("get", "/api/v1/me"): EVERYONE,
    ("get", "/api/v1/organizations"): ADMIN,
    ("post", "/api/v1/organizations"): ADMIN,
    ("get", "/api/v1/organizations/{organization_id}"): ADMIN,
    ("patch", "/api/v1/organizations/{organization_id}"): ADMIN,
    ("get", "/api/v1/memberships"): ADMIN,
    ("post", "/api/v1/memberships"): ADMIN,
    ("patch", "/api/v1/memberships/{membership_id}"): ADMIN,
    ("get", "/api/v1/audit-events"): SUPERVISION,
    ("get", "/api/v1/counties"): EVERYONE,
    ("get", "/api/v1/groupings"): EVERYONE,
    ("get", "/api/v1/referrals"): CASE_WORK,
    ("post", "/api/v1/referrals"): CASE_WORK,
    ("get", "/api/v1/referrals/{referral_id}"): CASE_WORK,
    ("post", "/api/v1/referrals/{referral_id}/open-case"): CASE_WORK,
    ("post", "/api/v1/referrals/{referral_id}/decline"): CASE_WORK,
    ("post", "/api/v1/persons/search"): CASE_WORK,
    ("get", "/api/v1/cases"): CASE_WORK,
    ("get", "/api/v1/cases/{case_id}"): CASE_WORK,
    ("patch", "/api/v1/cases/{case_id}"): CASE_WORK,
    ("get", "/api/v1/assessment-templates"): CASE_WORK,
    ("post", "/api/v1/assessment-templates"): ADMIN,
    ("get", "/api/v1/cases/{case_id}/assessments"): CASE_WORK,
    ("post", "/api/v1/cases/{case_id}/assessments"): CASE_WORK,
    ("get", "/api/v1/assessments/{assessment_id}"): CASE_WORK,
    ("get", "/api/v1/tasks"): CASE_WORK,
    ("post", "/api/v1/tasks/{task_id}/done"): CASE_WORK,
    ("get", "/api/v1/alerts"): CASE_WORK,
    # Every case-work role may mark its own alerts read; the alert _fill makes is the supervisor's,
    # so the other case-work roles are answered 404 (not theirs) rather than 403.
    ("post", "/api/v1/alerts/{alert_id}/read"): CASE_WORK,
}
RECIPIENT_ONLY = {("post", "/api/v1/alerts/{alert_id}/read"): Role.SUPERVISOR}


def bearer(user: Any, **extra: str) -> dict[str, str]:
    _, raw = token_create(actor=SYSTEM, user=user)
    return {"Authorization": f"Bearer {raw}", **extra}


def call(client: Client, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
    if method == "get":
        return client.get(path, headers=headers)
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def assert_error_shape(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    error: dict[str, Any] = body["error"]
    return error


def test_openapi_document_lists_every_operation_in_the_table(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations == set(OPERATIONS), "every API operation needs a row in OPERATIONS"
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"] or operation.get("security"), f"{method} {path} has no auth"


def _case_work(world: World) -> tuple[int, int]:
    """A pending referral and a case of world.organization, made through the services. Callers send
    empty bodies, so the referral stays pending for every role that may triage it."""
    actor = world.actor(Role.CASEWORKER)
    received_on = timezone.localdate() - timedelta(days=1)
    pending = referral_create(actor=actor, received_on=received_on, source="police", channel="phone", summary="Sesizare de test")
    triaged = referral_create(actor=actor, received_on=received_on, source="hotline", channel="phone", summary="Sesizare de test")
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    case = referral_open_case(actor=actor, referral=triaged, person=person)
    return pending.pk, case.pk


# An initial risk assessment at high risk: it opens a safety-plan task for the caseworker and
# alerts the supervisor.
HIGH_RISK = {
    "trafficker_contact": "no",
    "threats": "yes",
    "safe_place": "yes",
    "minor_without_caregiver": "no",
    "family_involved": "no",
    "self_harm": "no",
    "urgent_medical": "no",
    "debt_or_dependence": "no",
}


def _assessed(world: World) -> tuple[int, int, int]:
    """A high-risk initial assessment of a case of world.organization, its safety-plan task (the
    caseworker's) and the supervisor's alert, made through the services."""
    _, case_id = _case_work(world)
    actor = world.actor(Role.CASEWORKER)
    assessment = assessment_create(actor=actor, case=Case.objects.get(pk=case_id), kind="initial_risk", answers=HIGH_RISK)
    task = task_visible_to(actor).get(case_id=case_id)
    alert = next(a for a in my_alerts(actor=world.actor(Role.SUPERVISOR)) if a.case_id == case_id)
    return assessment.pk, task.pk, alert.pk


def _fill(path: str, world: World) -> str:
    membership = world.other_supervisor.memberships.get()
    path = path.replace("{organization_id}", str(world.hidden_organization.pk)).replace("{membership_id}", str(membership.pk))
    if "{referral_id}" in path or "{case_id}" in path:
        referral_id, case_id = _case_work(world)
        path = path.replace("{referral_id}", str(referral_id)).replace("{case_id}", str(case_id))
    if "{assessment_id}" in path or "{task_id}" in path or "{alert_id}" in path:
        assessment_id, task_id, alert_id = _assessed(world)
        path = path.replace("{assessment_id}", str(assessment_id)).replace("{task_id}", str(task_id))
        path = path.replace("{alert_id}", str(alert_id))
    return path


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_who_may_call_the_operation(world: World, method: str, path: str) -> None:
    client = Client()
    url = _fill(path, world)
    allowed = OPERATIONS[(method, path)]
    assert_error_shape(call(client, method, url, {}), 401, "not_authenticated")
    for role in Role:
        response = call(client, method, url, bearer(world.user(role)))
        if role in allowed:
            expected = {200, 201, 400}
            if (method, path) in RECIPIENT_ONLY and role != RECIPIENT_ONLY[(method, path)]:
                expected = {404}  # allowed, but the record is someone else's
            assert response.status_code in expected, f"{role} {method} {url}: {response.status_code}"
        else:
            assert_error_shape(response, 403, "permission_denied")
            assert world.hidden_organization.name not in response.content.decode()
    # Someone whose membership ended acts with no role: refused everywhere but /me.
    response = call(client, method, url, bearer(world.no_membership))
    if path == "/api/v1/me":
        assert response.status_code == 200
    else:
        assert_error_shape(response, 403, "permission_denied")


def test_me_lists_organizations_and_roles(world: World) -> None:
    user = world.user(Role.CASEWORKER)
    response = Client().get("/api/v1/me", headers=bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "caseworker"
    assert body["role"] == "caseworker"
    assert body["organization"] == {"id": world.organization.pk, "name": world.organization.name}
    assert body["memberships"] == [
        {"organization": {"id": world.organization.pk, "name": world.organization.name}, "role": "caseworker"}
    ]


def test_organization_header_chooses_where_the_user_acts(world: World) -> None:
    user = world.user(Role.SUPERVISOR)
    Membership.objects.create(user=user, organization=world.other_organization, role=Role.CASEWORKER)
    headers = bearer(user)
    assert Client().get("/api/v1/me", headers=headers).json()["role"] == "supervisor"
    other = Client().get("/api/v1/me", HTTP_X_PUNTE_ORGANIZATION=str(world.other_organization.pk), headers=headers).json()
    assert other["role"] == "caseworker"
    assert other["organization"]["id"] == world.other_organization.pk
    # An organization the user does not belong to: no role, so nothing but /me.
    outsider = Client().get("/api/v1/audit-events", HTTP_X_PUNTE_ORGANIZATION=str(world.hidden_organization.pk), headers=headers)
    assert_error_shape(outsider, 403, "permission_denied")
    bad = Client().get("/api/v1/me", HTTP_X_PUNTE_ORGANIZATION="cluj", headers=headers)
    assert_error_shape(bad, 400)


def test_supervisor_sees_only_own_organization_events(world: World) -> None:
    supervisor = world.user(Role.SUPERVISOR)
    response = Client().get("/api/v1/audit-events?limit=200", headers=bearer(supervisor))
    assert response.status_code == 200
    items = response.json()["items"]
    assert items, "the supervisor's organization has events"
    own = {world.organization.pk}
    assert all(item["organization"] in own or item["actor"] == "supervisor" for item in items)
    assert all(item["organization"] != world.other_organization.pk for item in items)
    everything = Client().get("/api/v1/audit-events?limit=200", headers=bearer(world.user(Role.ADMINISTRATOR))).json()
    assert any(item["organization"] == world.other_organization.pk for item in everything["items"])


def test_audit_events_filter_by_record_and_reject_bad_dates(world: World) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    target = world.other_supervisor
    response = Client().get(f"/api/v1/audit-events?target_type=accounts.user&target_id={target.pk}", headers=headers)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items
    assert {(i["target_type"], i["target_id"]) for i in items} == {("accounts.user", str(target.pk))}
    error = assert_error_shape(Client().get("/api/v1/audit-events?date_from=yesterday", headers=headers), 400, "validation_error")
    assert "date_from" in error["details"]


def test_create_organization_and_membership(world: World) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    client = Client()
    created = call(client, "post", "/api/v1/organizations", headers, {"name": "Fundația API", "kind": "ngo", "county": "RO-BH"})
    assert created.status_code == 201, created.content
    organization_id = created.json()["id"]
    assert created.json()["county"] == "RO-BH"
    membership = call(
        client,
        "post",
        "/api/v1/memberships",
        headers,
        {"user": world.other_caseworker.pk, "organization": organization_id, "role": "psychologist"},
    )
    assert membership.status_code == 201, membership.content
    assert membership.json()["role"] == "psychologist"
    patched = call(client, "patch", f"/api/v1/memberships/{membership.json()['id']}", headers, {"role": "supervisor"})
    assert patched.json()["role"] == "supervisor"
    renamed = call(client, "patch", f"/api/v1/organizations/{organization_id}", headers, {"is_active": False})
    assert renamed.json()["is_active"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "kind": "ngo", "county": "RO-ZZ"}, "county"),
        ({"name": "X", "kind": "bank", "county": "RO-CJ"}, "kind"),
        ({"name": "", "kind": "ngo", "county": "RO-CJ"}, "name"),
        ({"kind": "ngo", "county": "RO-CJ"}, "name"),
        ({"name": "Asociația de test Cluj", "kind": "ngo", "county": "RO-CJ"}, "name"),
    ],
)
def test_bad_organization_is_refused_and_writes_nothing(world: World, body: dict[str, Any], field: str) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    organizations, events = Organization.objects.count(), AuditEvent.objects.count()
    error = assert_error_shape(call(Client(), "post", "/api/v1/organizations", headers, body), 400, "validation_error")
    assert field in error["details"], error
    assert (Organization.objects.count(), AuditEvent.objects.count()) == (organizations, events)


def test_bad_membership_is_refused_and_writes_nothing(world: World) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    before = (Membership.objects.count(), AuditEvent.objects.count())
    for body, field in [
        ({"user": 999999, "organization": world.organization.pk, "role": "caseworker"}, "user"),
        ({"user": world.other_caseworker.pk, "organization": 999999, "role": "caseworker"}, "organization"),
        ({"user": world.other_caseworker.pk, "organization": world.organization.pk, "role": "boss"}, "role"),
        ({"user": world.other_caseworker.pk, "organization": world.other_organization.pk, "role": "caseworker"}, "organization"),
        ({"user": "x", "organization": world.organization.pk, "role": "caseworker"}, "user"),
    ]:
        error = assert_error_shape(call(Client(), "post", "/api/v1/memberships", headers, body), 400, "validation_error")
        assert field in error["details"], (body, error)
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_malformed_json_gets_the_error_shape(world: World) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    response = Client().post("/api/v1/organizations", data="{not json", content_type="application/json", headers=headers)
    assert_error_shape(response, 400)


def test_unknown_record_is_not_found(world: World) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    assert_error_shape(Client().get("/api/v1/organizations/999999", headers=headers), 404, "not_found")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["name", "kind", "county", "is_active", "extra"]),
        st.one_of(st.text(max_size=300), st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=3)),
    )
)
def test_any_organization_payload_is_created_whole_or_refused_cleanly(world: World, body: dict[str, Any]) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    organizations, events = Organization.objects.count(), AuditEvent.objects.count()
    response = call(Client(), "post", "/api/v1/organizations", headers, body)
    if response.status_code == 201:
        assert Organization.objects.count() == organizations + 1
        assert AuditEvent.objects.count() == events + 1
    else:
        assert_error_shape(response, 400)
        assert Organization.objects.count() == organizations
        assert AuditEvent.objects.count() == events


def test_list_query_counts_do_not_grow(world: World) -> None:
    admin_headers = bearer(world.user(Role.ADMINISTRATOR))
    client = Client()
    counter = iter(range(1000))

    def more_organizations() -> None:
        for _ in range(5):
            organization = OrganizationFactory()
            UserFactory(organization=organization, role=Role.CASEWORKER, username=f"extra{next(counter)}")

    for path, at_most in [
        ("/api/v1/organizations", 6),
        ("/api/v1/memberships", 6),
        ("/api/v1/audit-events", 7),
        ("/api/v1/counties", 5),
        ("/api/v1/groupings", 6),
    ]:
        assert_queries_flat(lambda p=path: client.get(p, headers=admin_headers), more_organizations, at_most=at_most)
