"""The assessments, tasks and alerts API, end to end through HTTP: templates to build forms from, a
high-risk assessment that opens a safety plan and alerts the supervisor, psychological
assessments for clinical roles only, other organizations' records not found, bad input that
writes nothing, and flat query counts. All personal data here is invented."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from punte.accounts.actor import actor_for
from punte.accounts.roles import Role
from punte.assessments.models import Alert, Assessment, AssessmentTemplate, Task
from punte.assessments.services import assessment_create
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from tests.base import World, assert_queries_flat, synthetic_cnp
from tests.test_api import HIGH_RISK, assert_error_shape, bearer, call

FIRST, LAST = "Testina", "Exemplu"
CNP = synthetic_cnp("6", "000101")
LOW_RISK = {**HIGH_RISK, "threats": "no"}
COMPLEX = {
    f"{domain}_{part}": 1
    for domain in ("socio_economic", "medical", "education", "housing", "family", "legal_status", "employment")
    for part in ("need", "resource")
}
PSYCHOLOGICAL = {
    "mental_health_concern": 2,
    "trauma_symptoms": "some",
    "personal_resources": "Resurse sintetice",
    "family_resources": "Sora mai mare, sintetic",
    "family_vulnerabilities": "Vulnerabilitate sintetică",
    "recommendations": "Consiliere săptămânală",
}
PSYCHOLOGICAL_V2 = (
    "kind: psychological\nversion: 2\ntitle: {ro: Evaluare psihologică, en: Psychological assessment}\n"
    "fields:\n  - {id: summary, type: text, label: {ro: Rezumat, en: Summary}}\n"
)


def counts() -> tuple[int, ...]:
    return (
        Assessment.objects.count(),
        Task.objects.count(),
        Alert.objects.count(),
        AuditEvent.objects.count(),
        AssessmentTemplate.objects.count(),
    )


def text_of(response: Any) -> str:
    text: str = response.content.decode()
    return text


def open_case(world: World, user: Any = None, first_name: str = FIRST) -> Case:
    """A case for a person with identifying values, opened through the services."""
    actor = actor_for(user or world.user(Role.CASEWORKER))
    referral = referral_create(
        actor=actor, received_on=timezone.localdate() - timedelta(days=2), source="police", channel="phone", summary="Sintetic"
    )
    person = person_create(actor=actor, first_name=first_name, last_name=LAST, birth_date=date(2000, 1, 1), cnp=CNP)
    return referral_open_case(actor=actor, referral=referral, person=person)


@pytest.fixture
def case(world: World) -> Case:
    return open_case(world)


@dataclass
class Elsewhere:
    """A case of world.other_organization, assessed at high risk: an assessment, the caseworker's
    task and the supervisor's alert there."""

    case: Case
    assessment: Assessment
    task: Task
    alert: Alert


@pytest.fixture
def elsewhere(world: World) -> Elsewhere:
    other = open_case(world, world.other_caseworker, first_name="Altina")
    assessment = assessment_create(actor=actor_for(world.other_caseworker), case=other, kind="initial_risk", answers=HIGH_RISK)
    return Elsewhere(case=other, assessment=assessment, task=Task.objects.get(case=other), alert=Alert.objects.get(case=other))


# The full path


def test_templates_to_build_forms_from(world: World) -> None:
    client, headers = Client(), bearer(world.user(Role.CASEWORKER))
    response = client.get("/api/v1/assessment-templates", headers=headers)
    assert response.status_code == 200, response.content
    templates = {t["kind"]: t for t in response.json()}
    assert set(templates) == {"initial_risk", "complex_evaluation", "psychological"}
    assert {t["version"] for t in templates.values()} == {1}

    risk = templates["initial_risk"]
    assert (risk["title"], risk["titles"]["ro"], risk["reassess_after_days"]) == (
        "Initial risk assessment",
        "Evaluare inițială a riscului",
        30,
    )
    threats = next(f for f in risk["fields"] if f["id"] == "threats")
    assert (threats["type"], threats["required"], threats["min"], threats["max"]) == ("choice", True, None, None)
    assert threats["options"] == [
        {"value": "no", "label": "No", "labels": {"ro": "Nu", "en": "No"}, "raises": ""},
        {"value": "yes", "label": "Yes", "labels": {"ro": "Da", "en": "Yes"}, "raises": "high"},
    ]
    notes = next(f for f in risk["fields"] if f["id"] == "notes")
    assert (notes["type"], notes["required"], notes["options"]) == ("text", False, [])

    complex_evaluation = templates["complex_evaluation"]
    assert [d["id"] for d in complex_evaluation["domains"]][:2] == ["socio_economic", "medical"]
    need = next(f for f in complex_evaluation["fields"] if f["id"] == "housing_need")
    assert (need["type"], need["min"], need["max"], need["domain"], need["part"]) == ("scale", 0, 3, "housing", "need")

    romanian = client.get("/api/v1/assessment-templates", headers={**headers, "Accept-Language": "ro"}).json()
    risk_ro = next(t for t in romanian if t["kind"] == "initial_risk")
    assert risk_ro["title"] == "Evaluare inițială a riscului"
    assert next(f for f in risk_ro["fields"] if f["id"] == "threats")["options"][1]["label"] == "Da"


def test_high_risk_assessment_task_and_alert_through_the_api(world: World, case: Case) -> None:
    client = Client()
    caseworker = bearer(world.user(Role.CASEWORKER))
    supervisor = bearer(world.user(Role.SUPERVISOR))
    responses: list[Any] = []

    created = call(
        client, "post", f"/api/v1/cases/{case.pk}/assessments", caseworker, {"kind": "initial_risk", "answers": HIGH_RISK}
    )
    assert created.status_code == 201, created.content
    responses.append(created)
    assessment = created.json()
    assert (assessment["kind"], assessment["template_version"], assessment["completed_by"]) == ("initial_risk", 1, "caseworker")
    assert (assessment["case"], assessment["risk_level"]) == (case.pk, "high")
    assert assessment["raised_by"] == [{"field": "threats", "answer": "yes", "level": "high"}]
    assert assessment["reassess_on"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    task = Task.objects.get()
    assert assessment["safety_plan_task"] == task.pk
    threats = next(a for a in assessment["answers"] if a["question"] == "threats")
    assert threats == {
        "question": "threats",
        "label": "Have she or her family been threatened since she left the exploitation?",
        "value": "yes",
        "answer": "Yes",
        "raised": "high",
        "domain": "",
    }

    facts = client.get(f"/api/v1/cases/{case.pk}", headers=caseworker).json()
    assert (facts["risk_level"], facts["stage"], facts["version"]) == ("high", "complex_evaluation", 2)

    listed = client.get(f"/api/v1/cases/{case.pk}/assessments", headers=caseworker)
    responses.append(listed)
    assert listed.status_code == 200
    [item] = listed.json()
    assert set(item) == {
        "id",
        "case",
        "kind",
        "template_version",
        "completed_at",
        "completed_by",
        "risk_level",
        "raised_by",
        "domain_scores",
        "reassess_on",
    }
    assert item["id"] == assessment["id"]

    events = AuditEvent.objects.count()
    detail = client.get(f"/api/v1/assessments/{assessment['id']}", headers=supervisor)
    responses.append(detail)
    assert detail.status_code == 200
    assert detail.json()["answers"] == assessment["answers"]
    assert AuditEvent.objects.count() == events + 1
    access = AuditEvent.objects.latest("pk")
    assert (access.kind, access.action, access.target_id) == (
        AuditEvent.Kind.ACCESS,
        "assessments.assessment.view",
        str(assessment["id"]),
    )

    # The caseworker's safety plan.
    tasks = client.get("/api/v1/tasks", headers=caseworker)
    responses.append(tasks)
    assert tasks.json()["count"] == 1
    [listed_task] = tasks.json()["items"]
    assert listed_task == {
        "id": task.pk,
        "kind": "safety_plan",
        "case": case.pk,
        "case_code": case.code,
        "due_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "assigned_to": "caseworker",
        "status": "open",
        "done_at": None,
    }
    assert client.get("/api/v1/tasks", headers=supervisor).json()["items"] == [], "not the supervisor's"
    assert [t["id"] for t in client.get("/api/v1/tasks?mine=false", headers=supervisor).json()["items"]] == [task.pk]
    assert [t["id"] for t in client.get(f"/api/v1/tasks?mine=false&case={case.pk}", headers=supervisor).json()["items"]] == [
        task.pk
    ]
    assert client.get(f"/api/v1/tasks?case={case.pk + 1000}", headers=caseworker).json()["items"] == []

    done = call(client, "post", f"/api/v1/tasks/{task.pk}/done", caseworker)
    responses.append(done)
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["id"]) == ("done", task.pk)
    assert done.json()["done_at"]
    again = call(client, "post", f"/api/v1/tasks/{task.pk}/done", caseworker)
    assert again.json() == done.json(), "marking a done task again changes nothing"
    assert client.get("/api/v1/tasks", headers=caseworker).json()["items"] == []
    assert [t["id"] for t in client.get("/api/v1/tasks?status=done", headers=caseworker).json()["items"]] == [task.pk]
    assert [t["id"] for t in client.get("/api/v1/tasks?status=", headers=caseworker).json()["items"]] == [task.pk]

    # The supervisor's alert.
    alerts = client.get("/api/v1/alerts", headers=supervisor)
    responses.append(alerts)
    [alert] = alerts.json()
    assert {k: v for k, v in alert.items() if k not in {"id", "created_at"}} == {
        "kind": "high_risk",
        "case": case.pk,
        "case_code": case.code,
        "risk_level": "high",
        "read_at": None,
    }
    assert client.get("/api/v1/alerts", headers=caseworker).json() == [], "alerts go to supervisors"
    before = counts()
    assert_error_shape(call(client, "post", f"/api/v1/alerts/{alert['id']}/read", caseworker), 404, "not_found")
    assert counts() == before
    read = call(client, "post", f"/api/v1/alerts/{alert['id']}/read", supervisor)
    responses.append(read)
    assert read.status_code == 200, read.content
    assert read.json()["read_at"]
    assert client.get("/api/v1/alerts", headers=supervisor).json() == []

    # Immediate danger later: the first safety plan is done, so a new one is opened.
    worse = call(
        client,
        "post",
        f"/api/v1/cases/{case.pk}/assessments",
        caseworker,
        {"kind": "initial_risk", "answers": {**HIGH_RISK, "self_harm": "yes"}},
    )
    assert worse.status_code == 201, worse.content
    assert worse.json()["risk_level"] == "immediate"
    assert worse.json()["safety_plan_task"] not in {None, task.pk}
    assert [a["risk_level"] for a in client.get("/api/v1/alerts", headers=supervisor).json()] == ["immediate"]

    # A complex evaluation scores domains and raises nothing.
    evaluation = call(
        client,
        "post",
        f"/api/v1/cases/{case.pk}/assessments",
        supervisor,
        {"kind": "complex_evaluation", "answers": {**COMPLEX, "housing_need": 3, "housing_notes": "Fără locuință, sintetic"}},
    )
    assert evaluation.status_code == 201, evaluation.content
    assert (evaluation.json()["risk_level"], evaluation.json()["safety_plan_task"]) == ("", None)
    assert evaluation.json()["domain_scores"]["housing"] == {"need": 3, "resource": 1}
    housing = next(a for a in evaluation.json()["answers"] if a["question"] == "housing_need")
    assert (housing["value"], housing["answer"], housing["domain"]) == (3, "3", "housing")
    case.refresh_from_db()
    assert (case.stage, case.risk_level) == ("psychological_assessment", "immediate")
    kinds = [a["kind"] for a in client.get(f"/api/v1/cases/{case.pk}/assessments", headers=caseworker).json()]
    assert kinds == ["complex_evaluation", "initial_risk", "initial_risk"]

    for response in responses:
        for value in (FIRST, LAST, CNP):
            assert value not in text_of(response), f"{response.request['PATH_INFO']} showed {value!r}"


def test_administrator_adds_a_template_version(world: World, case: Case) -> None:
    client = Client()
    administrator = bearer(world.user(Role.ADMINISTRATOR))
    psychologist = bearer(world.user(Role.PSYCHOLOGIST))
    old = call(
        client, "post", f"/api/v1/cases/{case.pk}/assessments", psychologist, {"kind": "psychological", "answers": PSYCHOLOGICAL}
    )
    assert old.status_code == 201, old.content

    uploaded = call(client, "post", "/api/v1/assessment-templates", administrator, {"yaml": PSYCHOLOGICAL_V2})
    assert uploaded.status_code == 201, uploaded.content
    assert (uploaded.json()["kind"], uploaded.json()["version"]) == ("psychological", 2)
    assert [f["id"] for f in uploaded.json()["fields"]] == ["summary"]
    current = {t["kind"]: t["version"] for t in client.get("/api/v1/assessment-templates", headers=psychologist).json()}
    assert current == {"initial_risk": 1, "complex_evaluation": 1, "psychological": 2}

    new = call(
        client,
        "post",
        f"/api/v1/cases/{case.pk}/assessments",
        psychologist,
        {"kind": "psychological", "answers": {"summary": "Nou"}},
    )
    assert new.status_code == 201, new.content
    assert new.json()["template_version"] == 2
    # The earlier assessment still reads with its own version's questions.
    earlier = client.get(f"/api/v1/assessments/{old.json()['id']}", headers=psychologist).json()
    assert earlier["template_version"] == 1
    assert [a["question"] for a in earlier["answers"]][:2] == ["mental_health_concern", "trauma_symptoms"]


# Clinical assessments


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR])
def test_psychological_assessments_are_for_clinical_roles_only(world: World, case: Case, role: Role) -> None:
    client, headers = Client(), bearer(world.user(role))
    before = counts()
    refused = call(
        client, "post", f"/api/v1/cases/{case.pk}/assessments", headers, {"kind": "psychological", "answers": PSYCHOLOGICAL}
    )
    assert_error_shape(refused, 403, "permission_denied")
    assert counts() == before
    case.refresh_from_db()
    assert (case.version, case.stage) == (1, "initial_assessment")

    psychologist = bearer(world.user(Role.PSYCHOLOGIST))
    made = call(
        client, "post", f"/api/v1/cases/{case.pk}/assessments", psychologist, {"kind": "psychological", "answers": PSYCHOLOGICAL}
    )
    assert made.status_code == 201, made.content
    assert made.json()["safety_plan_task"] is None
    risk = call(client, "post", f"/api/v1/cases/{case.pk}/assessments", headers, {"kind": "initial_risk", "answers": LOW_RISK})
    assert risk.status_code == 201, risk.content

    before = counts()
    hidden = client.get(f"/api/v1/assessments/{made.json()['id']}", headers=headers)
    assert_error_shape(hidden, 404, "not_found")
    for value in PSYCHOLOGICAL.values():
        assert str(value) not in text_of(hidden)
    assert counts() == before, "a refused read records no access"
    listed = client.get(f"/api/v1/cases/{case.pk}/assessments", headers=headers).json()
    assert [a["kind"] for a in listed] == ["initial_risk"]

    clinical = client.get(f"/api/v1/cases/{case.pk}/assessments", headers=psychologist).json()
    assert [a["kind"] for a in clinical] == ["initial_risk", "psychological"]
    detail = client.get(f"/api/v1/assessments/{made.json()['id']}", headers=psychologist)
    assert detail.status_code == 200
    answers = {a["question"]: a for a in detail.json()["answers"]}
    assert (answers["trauma_symptoms"]["answer"], answers["family_vulnerabilities"]["value"]) == (
        "Some",
        "Vulnerabilitate sintetică",
    )


# Other organizations


def test_another_organizations_records_are_not_found(world: World, case: Case, elsewhere: Elsewhere) -> None:
    client, headers = Client(), bearer(world.user(Role.SUPERVISOR))
    before = counts()
    for method, path, body in [
        ("get", f"/api/v1/cases/{elsewhere.case.pk}/assessments", None),
        ("post", f"/api/v1/cases/{elsewhere.case.pk}/assessments", {"kind": "initial_risk", "answers": LOW_RISK}),
        ("post", f"/api/v1/cases/{elsewhere.case.pk}/assessments", {"kind": "initial_risk", "answers": {}}),
        ("get", f"/api/v1/assessments/{elsewhere.assessment.pk}", None),
        ("post", f"/api/v1/tasks/{elsewhere.task.pk}/done", None),
        ("post", f"/api/v1/alerts/{elsewhere.alert.pk}/read", None),
        ("get", "/api/v1/assessments/999999", None),
        ("post", "/api/v1/tasks/999999/done", None),
    ]:
        response = call(client, method, path, headers, body)
        assert_error_shape(response, 404, "not_found")
        assert elsewhere.case.code not in text_of(response)
    for path in ["/api/v1/tasks?mine=false&status=", f"/api/v1/tasks?mine=false&case={elsewhere.case.pk}"]:
        assert client.get(path, headers=headers).json()["items"] == [], path
    assert client.get("/api/v1/alerts", headers=headers).json() == []
    assert counts() == before
    elsewhere.task.refresh_from_db()
    elsewhere.alert.refresh_from_db()
    assert (elsewhere.task.status, elsewhere.alert.read_at) == ("open", None)

    # Their supervisor sees their alert, and cannot reach ours.
    theirs = bearer(world.other_supervisor)
    assert [a["case_code"] for a in client.get("/api/v1/alerts", headers=theirs).json()] == [elsewhere.case.code]
    assert_error_shape(client.get(f"/api/v1/cases/{case.pk}/assessments", headers=theirs), 404, "not_found")


# Bad input


BAD_ASSESSMENTS: list[tuple[Any, str]] = [
    ({"kind": "astrology", "answers": LOW_RISK}, "kind"),
    ({"answers": LOW_RISK}, "kind"),
    ({"kind": "initial_risk"}, "answers"),
    ({"kind": "initial_risk", "answers": ["no", "no"]}, "answers"),
    ({"kind": "initial_risk", "answers": {k: v for k, v in HIGH_RISK.items() if k != "safe_place"}}, "safe_place"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "safe_place": ""}}, "safe_place"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "threats": "maybe"}}, "threats"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "threats": True}}, "threats"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "threats": ["yes"]}}, "threats"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "notes": "x" * 5001}}, "notes"),
    ({"kind": "initial_risk", "answers": {**HIGH_RISK, "invented": "yes"}}, "answers"),
    ({"kind": "initial_risk", "answers": HIGH_RISK, "risk_level": "low"}, "risk_level"),
    ({"kind": "complex_evaluation", "answers": {**COMPLEX, "housing_need": 4}}, "housing_need"),
    ({"kind": "complex_evaluation", "answers": {**COMPLEX, "housing_need": -1}}, "housing_need"),
    ({"kind": "complex_evaluation", "answers": {**COMPLEX, "housing_need": "many"}}, "housing_need"),
    ({"kind": "complex_evaluation", "answers": {**COMPLEX, "housing_need": 2.5}}, "housing_need"),
]


@pytest.mark.parametrize(("body", "field"), BAD_ASSESSMENTS)
def test_bad_assessment_is_refused_per_question_and_writes_nothing(world: World, case: Case, body: Any, field: str) -> None:
    headers = bearer(world.user(Role.CASEWORKER))
    before = counts()
    response = call(Client(), "post", f"/api/v1/cases/{case.pk}/assessments", headers, body)
    error = assert_error_shape(response, 400, "validation_error")
    assert field in error["details"], error
    assert counts() == before
    case.refresh_from_db()
    assert (case.version, case.risk_level, case.stage) == (1, "", "initial_assessment")


BAD_TEMPLATES: list[tuple[Any, str, str]] = [
    ({"yaml": "::: not yaml"}, "file", "not valid"),
    ({"yaml": ""}, "file", "mapping"),
    ({"yaml": "kind: horoscope\nversion: 2\n"}, "file", "kind must be one of"),
    ({"yaml": PSYCHOLOGICAL_V2.replace("version: 2", "version: 1")}, "file", "the next version is 2"),
    ({"yaml": PSYCHOLOGICAL_V2.replace("type: text", "type: essay")}, "file", "type must be"),
    ({"yaml": PSYCHOLOGICAL_V2 + "# " + "x" * 200_000 + "\n"}, "file", "at most"),
    ({}, "yaml", ""),
    ({"yaml": PSYCHOLOGICAL_V2, "kind": "psychological"}, "kind", ""),
]


@pytest.mark.parametrize(("body", "field", "message"), BAD_TEMPLATES)
def test_bad_template_is_refused_and_writes_nothing(world: World, body: Any, field: str, message: str) -> None:
    headers = bearer(world.user(Role.ADMINISTRATOR))
    before = counts()
    response = call(Client(), "post", "/api/v1/assessment-templates", headers, body)
    error = assert_error_shape(response, 400, "validation_error")
    assert field in error["details"], error
    assert message in " ".join(error["details"][field])
    assert counts() == before


def test_bad_task_filter_is_refused(world: World) -> None:
    headers = bearer(world.user(Role.CASEWORKER))
    for query, field in [("status=late", "status"), ("mine=perhaps", "mine"), ("case=abc", "case")]:
        error = assert_error_shape(Client().get(f"/api/v1/tasks?{query}", headers=headers), 400, "validation_error")
        assert field in error["details"], (query, error)


# Query counts


def test_list_query_counts_do_not_grow(world: World, case: Case) -> None:
    client = Client()
    caseworker, supervisor = bearer(world.user(Role.CASEWORKER)), bearer(world.user(Role.SUPERVISOR))
    actor = world.actor(Role.CASEWORKER)
    assessment_create(actor=actor, case=case, kind="initial_risk", answers=HIGH_RISK)
    counter = iter(range(1000))

    def more() -> None:
        for _ in range(3):
            assessment_create(actor=actor, case=case, kind="complex_evaluation", answers=COMPLEX)
            other = open_case(world, first_name=f"Testina{'a' * (next(counter) + 1)}")
            assessment_create(actor=actor, case=other, kind="initial_risk", answers=HIGH_RISK)

    for path, headers, at_most in [
        ("/api/v1/assessment-templates", caseworker, 5),
        (f"/api/v1/cases/{case.pk}/assessments", caseworker, 4),
        ("/api/v1/tasks", caseworker, 4),
        ("/api/v1/tasks?mine=false&status=", supervisor, 4),
        ("/api/v1/alerts", supervisor, 3),
    ]:
        assert_queries_flat(lambda p=path, h=headers: client.get(p, headers=h), more, at_most=at_most)
