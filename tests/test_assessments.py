"""Assessments from versioned templates: results, what follows for the case, who may read them."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from punte.accounts.actor import SYSTEM
from punte.accounts.roles import Role
from punte.assessments.models import Alert, Assessment, AssessmentTemplate, Task
from punte.assessments.selectors import answers_of, assessment_visible_to, assessments_due
from punte.assessments.services import assessment_create, task_complete, template_upload, templates_load_shipped
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from punte.core.errors import PermissionDenied, ValidationError
from tests.base import World

LOW_RISK = {
    "trafficker_contact": "no",
    "threats": "no",
    "safe_place": "yes",
    "minor_without_caregiver": "no",
    "family_involved": "no",
    "self_harm": "no",
    "urgent_medical": "no",
    "debt_or_dependence": "no",
}
COMPLEX = {
    f"{d}_{p}": 1
    for d in ("socio_economic", "medical", "education", "housing", "family", "legal_status", "employment")
    for p in ("need", "resource")
}
PSYCHOLOGICAL = {
    "mental_health_concern": 2,
    "trauma_symptoms": "some",
    "personal_resources": "Resurse sintetice",
    "family_resources": "Sora mai mare, sintetic",
    "family_vulnerabilities": "Tatăl, sintetic",
    "recommendations": "Consiliere săptămânală",
}


def open_case(world: World) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 11, 2), source="police", channel="phone", summary="Sintetic")
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    return referral_open_case(actor=actor, referral=referral, person=person)


def test_low_risk_moves_the_case_on_and_raises_nothing(world: World) -> None:
    case = open_case(world)
    assessment = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=LOW_RISK)
    case.refresh_from_db()
    assert (assessment.risk_level, assessment.raised_by) == ("low", [])
    assert (case.risk_level, case.stage, case.version) == ("low", Case.Stage.COMPLEX_EVALUATION, 2)
    assert assessment.reassess_on == timezone.localdate() + timedelta(days=30)
    assert not Task.objects.exists()
    assert not Alert.objects.exists()


def test_high_risk_opens_a_safety_plan_and_alerts_the_supervisors(world: World) -> None:
    case = open_case(world)
    answers = {**LOW_RISK, "threats": "yes", "debt_or_dependence": "yes"}
    assessment = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=answers)
    assert assessment.risk_level == "high"
    assert {r["field"] for r in assessment.raised_by} == {"threats", "debt_or_dependence"}
    task = Task.objects.get()
    assert (task.kind, task.case, task.assigned_to, task.due_on) == (
        "safety_plan",
        case,
        world.user(Role.CASEWORKER),
        timezone.localdate() + timedelta(days=2),
    )
    alert = Alert.objects.get()
    assert (alert.recipient, alert.risk_level) == (world.user(Role.SUPERVISOR), "high")
    # A later assessment at immediate danger keeps the one open safety plan and alerts again.
    assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers={**answers, "self_harm": "yes"})
    case.refresh_from_db()
    assert case.risk_level == "immediate"
    assert Task.objects.count() == 1
    assert Alert.objects.count() == 2


def test_complex_evaluation_scores_each_domain(world: World) -> None:
    case = open_case(world)
    answers = {**COMPLEX, "housing_need": 3, "housing_resource": 0, "housing_notes": "Fără locuință, sintetic"}
    assessment = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="complex_evaluation", answers=answers)
    assert assessment.domain_scores["housing"] == {"need": 3, "resource": 0}
    assert len(assessment.domain_scores) == 7
    case.refresh_from_db()
    assert case.stage == Case.Stage.PSYCHOLOGICAL_ASSESSMENT


def test_psychological_assessment_is_for_clinical_roles_only(world: World) -> None:
    case = open_case(world)
    with pytest.raises(PermissionDenied):
        assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="psychological", answers=PSYCHOLOGICAL)
    assessment = assessment_create(actor=world.actor(Role.PSYCHOLOGIST), case=case, kind="psychological", answers=PSYCHOLOGICAL)
    assert assessment_visible_to(world.actor(Role.PSYCHOLOGIST)).filter(pk=assessment.pk).exists()
    for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.LEGAL_COUNSELLOR):
        assert not assessment_visible_to(world.actor(role)).filter(pk=assessment.pk).exists(), role
    case.refresh_from_db()
    assert case.stage == Case.Stage.INTERVENTION_PLAN


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**LOW_RISK, "threats": "maybe"}, "threats"),
        ({k: v for k, v in LOW_RISK.items() if k != "safe_place"}, "safe_place"),
        ({**LOW_RISK, "invented": "x"}, "answers"),
        ({**LOW_RISK, "notes": "x" * 5001}, "notes"),
    ],
)
def test_bad_answers_are_refused_and_write_nothing(world: World, answers: dict[str, str], field: str) -> None:
    case = open_case(world)
    before = (Assessment.objects.count(), AuditEvent.objects.count(), Task.objects.count())
    with pytest.raises(ValidationError) as raised:
        assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=answers)
    assert field in raised.value.details
    assert (Assessment.objects.count(), AuditEvent.objects.count(), Task.objects.count()) == before
    case.refresh_from_db()
    assert case.version == 1


def test_answers_are_encrypted_and_read_back_with_their_template_version(world: World) -> None:
    case = open_case(world)
    assessment = assessment_create(actor=world.actor(Role.PSYCHOLOGIST), case=case, kind="psychological", answers=PSYCHOLOGICAL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM assessments_assessment")
        stored = cursor.fetchone()[0]
    assert "sintetic" not in stored
    assert json.loads(Assessment.objects.get(pk=assessment.pk).answers)["family_vulnerabilities"] == "Tatăl, sintetic"
    # A new template version does not change how the old assessment reads.
    new_version = template_upload(
        actor=world.actor(Role.ADMINISTRATOR),
        text=(
            "kind: psychological\nversion: 2\ntitle: {ro: Evaluare, en: Assessment}\n"
            "fields:\n  - {id: summary, type: text, label: {ro: Rezumat, en: Summary}}\n"
        ),
    )
    assert new_version.version == 2
    shown = answers_of(Assessment.objects.select_related("template").get(pk=assessment.pk))
    assert [a.field.id for a in shown][:2] == ["mental_health_concern", "trauma_symptoms"]
    later = assessment_create(actor=world.actor(Role.PSYCHOLOGIST), case=case, kind="psychological", answers={"summary": "Nou"})
    assert later.template == new_version


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind: psychological\nversion: 1\ntitle: x\nfields: [{id: a, type: text, label: A}]\n", "Version 1 exists already"),
        ("kind: unknown\nversion: 9\n", "kind must be one of"),
        (
            "kind: initial_risk\nversion: 9\ntitle: x\nfields: [{id: a, type: text, label: A}]\n",
            "needs at least one option that raises",
        ),
        (
            "kind: psychological\nversion: 9\ntitle: x\n"
            "fields: [{id: a, type: choice, label: A, options: [{value: x, label: X}]}]\n",
            "at least two options",
        ),
        ("kind: psychological\nversion: 9\ntitle: x\nfields: [{id: 'a b', type: text, label: A}]\n", "needs an id"),
        ("::: not yaml", "The template is not valid"),
    ],
)
def test_bad_templates_are_refused_with_what_to_fix(world: World, text: str, message: str) -> None:
    before = AssessmentTemplate.objects.count()
    with pytest.raises(ValidationError) as raised:
        template_upload(actor=world.actor(Role.ADMINISTRATOR), text=text)
    assert message in " ".join(raised.value.details["file"])
    assert AssessmentTemplate.objects.count() == before


def test_only_administrators_upload_templates(world: World) -> None:
    with pytest.raises(PermissionDenied):
        template_upload(actor=world.actor(Role.SUPERVISOR), text="kind: psychological\nversion: 5\n")


def test_shipped_templates_load_once(world: World) -> None:
    assert templates_load_shipped(actor=SYSTEM) == 0
    assert set(AssessmentTemplate.objects.values_list("kind", "version")) == {
        ("initial_risk", 1),
        ("complex_evaluation", 1),
        ("psychological", 1),
    }


def test_due_reassessments_and_tasks(world: World) -> None:
    case = open_case(world)
    assessment = assessment_create(
        actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers={**LOW_RISK, "threats": "yes"}
    )
    assert assessments_due(actor=world.actor(Role.CASEWORKER)) == []
    Assessment.objects.filter(pk=assessment.pk).update(reassess_on=timezone.localdate())
    assert [a.pk for a in assessments_due(actor=world.actor(Role.CASEWORKER))] == [assessment.pk]
    task = Task.objects.get()
    with pytest.raises(PermissionDenied):
        task_complete(actor=world.actor(Role.ANALYST), task=task)
    task_complete(actor=world.actor(Role.CASEWORKER), task=task)
    task.refresh_from_db()
    assert task.status == "done"


def test_a_template_that_expands_through_yaml_aliases_is_refused(world: World) -> None:
    items = ",".join(["'xxxxxxxxxx'"] * 9)
    bomb = f"a: &a [{items}]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        aliases = ",".join([f"*{previous}"] * 9)
        bomb += f"{level}: &{level} [{aliases}]\n"
    with pytest.raises(ValidationError) as raised:
        template_upload(actor=world.actor(Role.ADMINISTRATOR), text=bomb + "kind: psychological\nversion: 9\n")
    assert "once read" in " ".join(raised.value.details["file"])


def test_a_newer_assessment_without_a_date_ends_the_older_ones_due_date(world: World) -> None:
    case = open_case(world)
    older = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=LOW_RISK)
    Assessment.objects.filter(pk=older.pk).update(reassess_on=timezone.localdate() - timedelta(days=1))
    assert [a.pk for a in assessments_due(actor=world.actor(Role.CASEWORKER))] == [older.pk]
    newer = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=LOW_RISK)
    Assessment.objects.filter(pk=newer.pk).update(reassess_on=None)
    assert assessments_due(actor=world.actor(Role.CASEWORKER)) == []
