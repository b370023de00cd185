"""Assessment forms and pages, tasks and alerts on the case page and in My work, and the
administration of assessment templates, in the browser's terms (pages)."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from punte.accounts.roles import Role
from punte.assessments.models import Alert, Assessment, AssessmentTemplate, Task
from punte.assessments.services import TEMPLATES_DIR, assessment_create
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from tests.base import World, assert_queries_flat, synthetic_cnp, verified_client

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
HIGH_RISK = {**LOW_RISK, "threats": "yes", "debt_or_dependence": "yes", "notes": "Observație sintetică"}
DOMAINS = ("socio_economic", "medical", "education", "housing", "family", "legal_status", "employment")
COMPLEX = {f"{d}_{p}": "1" for d in DOMAINS for p in ("need", "resource")}
PSYCHOLOGICAL = {
    "mental_health_concern": "2",
    "trauma_symptoms": "some",
    "personal_resources": "Resurse personale sintetice",
    "family_resources": "Sora mai mare, sintetic",
    "family_vulnerabilities": "Tatăl, sintetic",
    "recommendations": "Consiliere săptămânală sintetică",
}
THREATS_LABEL = "Have she or her family been threatened since she left the exploitation?"


def counts() -> tuple[int, ...]:
    return (
        Assessment.objects.count(),
        Task.objects.count(),
        Alert.objects.count(),
        AuditEvent.objects.count(),
        AssessmentTemplate.objects.count(),
    )


def open_case(world: World, n: int = 0) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 11, 2), source="police", channel="phone", summary="Sintetic")
    person = person_create(actor=actor, first_name=f"Testina{n}", last_name="Exemplu", cnp=synthetic_cnp("6", "000101"))
    return referral_open_case(actor=actor, referral=referral, person=person)


def form_url(case: Case, kind: str) -> str:
    return reverse("assessments:assessment_create", kwargs={"pk": case.pk, "kind": kind})


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"pk": case.pk})


def section(html: str, heading_id: str) -> str:
    """The HTML of the page section labelled by the heading with this id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


@pytest.fixture
def caseworker(world: World) -> Client:
    return verified_client(world.user(Role.CASEWORKER))


@pytest.fixture
def supervisor(world: World) -> Client:
    return verified_client(world.user(Role.SUPERVISOR))


@pytest.fixture
def psychologist(world: World) -> Client:
    return verified_client(world.user(Role.PSYCHOLOGIST))


def test_a_high_risk_through_the_form_opens_a_task_and_alerts_the_supervisor(
    world: World, caseworker: Client, supervisor: Client
) -> None:
    case = open_case(world)
    page = caseworker.get(case_url(case)).content.decode()
    assert "New initial risk assessment" in page
    assert "New complex evaluation" in page
    assert "New psychological assessment" not in page  # clinical roles only
    assert "No assessment yet." in page

    form = caseworker.get(form_url(case, "initial_risk")).content.decode()
    assert "Initial risk assessment" in form
    assert "Template version 1" in form
    assert THREATS_LABEL in form
    assert 'type="radio" name="threats" value="yes"' in form
    assert '<textarea name="notes"' in form
    assert "Testina" not in form  # the form names the case by its code and pseudonym

    response = caseworker.post(form_url(case, "initial_risk"), HIGH_RISK, follow=True)
    assessment = Assessment.objects.get()
    assert response.redirect_chain == [(reverse("assessments:assessment_detail", kwargs={"pk": assessment.pk}), 302)]
    html = response.content.decode()
    assert "Assessment saved." in html
    assert "Risk level High: a safety plan task was created and the supervisors were alerted." in html
    # The result, with the answers that raised it, and every answer labelled.
    raised = section(html, "h-result")
    assert THREATS_LABEL in raised
    assert "Does she owe the exploiters money, or depend on substances?" in raised
    assert "Does she have a safe place to stay tonight?" not in raised
    answers = section(html, "h-answers")
    assert "Does she have a safe place to stay tonight?" in answers
    assert "Observație sintetică" in answers
    assert AuditEvent.objects.filter(kind="access", target_type="assessments.assessment", target_id=str(assessment.pk)).exists()

    page = caseworker.get(case_url(case)).content.decode()
    tasks = section(page, "h-tasks")
    assert "Safety plan" in tasks
    assert (timezone.localdate() + timedelta(days=2)).strftime("%d.%m.%Y") in tasks
    assert world.user(Role.CASEWORKER).display_name in tasks
    listed = section(page, "h-assessments")
    assert reverse("assessments:assessment_detail", kwargs={"pk": assessment.pk}) in listed
    assert "High" in listed

    mine = section(caseworker.get(reverse("cases:my_work")).content.decode(), "h-tasks")
    assert "Safety plan" in mine
    assert case.code in mine
    assert case.person.pseudonym in mine
    assert "Testina" not in mine  # never names

    alert = Alert.objects.get()
    work = supervisor.get(reverse("cases:my_work")).content.decode()
    alerts = section(work, "h-alerts")
    assert case.code in alerts
    assert "High" in alerts
    assert "Mark as read" in alerts
    read = supervisor.post(reverse("assessments:alert_read", kwargs={"pk": alert.pk}), follow=True)
    assert "Alert marked as read." in read.content.decode()
    assert 'id="h-alerts"' not in read.content.decode()
    alert.refresh_from_db()
    assert alert.read_at is not None

    task = Task.objects.get()
    done = caseworker.post(reverse("assessments:task_done", kwargs={"pk": task.pk}))
    assert done["Location"] == case_url(case)
    task.refresh_from_db()
    assert (task.status, task.done_by) == (Task.Status.DONE, world.user(Role.CASEWORKER))
    assert "No open tasks." in caseworker.get(case_url(case)).content.decode()


def test_a_second_high_risk_keeps_the_open_safety_plan(world: World, caseworker: Client) -> None:
    case = open_case(world)
    caseworker.post(form_url(case, "initial_risk"), HIGH_RISK)
    again = caseworker.post(form_url(case, "initial_risk"), {**HIGH_RISK, "self_harm": "yes"}, follow=True).content.decode()
    assert "Risk level Immediate danger: the open safety plan task stays open and the supervisors were alerted." in again
    assert Task.objects.count() == 1


def test_a_low_risk_says_nothing_of_a_safety_plan(world: World, caseworker: Client) -> None:
    case = open_case(world)
    html = caseworker.post(form_url(case, "initial_risk"), LOW_RISK, follow=True).content.decode()
    assert "Assessment saved." in html
    assert "safety plan" not in html
    assert "No answer raised the risk above low." in html
    assert not Task.objects.exists()


def test_tasks_can_be_done_from_my_work(world: World, caseworker: Client) -> None:
    case = open_case(world)
    assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=HIGH_RISK)
    task = Task.objects.get()
    response = caseworker.post(reverse("assessments:task_done", kwargs={"pk": task.pk}), {"next": "my_work"})
    assert response["Location"] == reverse("cases:my_work")
    assert "You have no open tasks." in caseworker.get(reverse("cases:my_work")).content.decode()


def test_overdue_tasks_come_first_and_are_marked(world: World, caseworker: Client) -> None:
    later, earlier = open_case(world, 1), open_case(world, 2)
    for case in (later, earlier):
        assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=HIGH_RISK)
    Task.objects.filter(case=earlier).update(due_on=timezone.localdate() - timedelta(days=3))
    mine = section(caseworker.get(reverse("cases:my_work")).content.decode(), "h-tasks")
    assert mine.index(earlier.code) < mine.index(later.code)
    assert mine.count("overdue</span>") == 1
    page = section(caseworker.get(case_url(earlier)).content.decode(), "h-tasks")
    assert 'class="overdue"' in page


def test_complex_evaluation_form_groups_each_domain(world: World, caseworker: Client) -> None:
    case = open_case(world)
    form = caseworker.get(form_url(case, "complex_evaluation")).content.decode()
    assert form.count('<fieldset class="domain">') == len(DOMAINS)
    assert "<legend>Housing</legend>" in form
    assert re.search(r'<input type="number" name="housing_need"[^>]*min="0"[^>]*max="3"|max="3"[^>]*min="0"', form)
    assert '<textarea name="housing_notes"' in form
    answers = {**COMPLEX, "housing_need": "3", "housing_resource": "0", "housing_notes": "Fără locuință, sintetic"}
    html = caseworker.post(form_url(case, "complex_evaluation"), answers, follow=True).content.decode()
    assert "Assessment saved." in html
    table = section(html, "h-result")
    assert re.search(r"Housing</th>\s*<td[^>]*>3</td>\s*<td[^>]*>0</td>", table)
    answered = section(html, "h-answers")
    assert "Fără locuință, sintetic" in answered
    assert re.search(r"Housing: resources</dt>\s*<dd[^>]*>0</dd>", answered)  # a 0 is an answer, not a blank
    case.refresh_from_db()
    assert case.stage == Case.Stage.PSYCHOLOGICAL_ASSESSMENT


def test_psychological_assessment_is_for_the_psychologist_only(
    world: World, caseworker: Client, supervisor: Client, psychologist: Client
) -> None:
    case = open_case(world)
    assert "New psychological assessment" in psychologist.get(case_url(case)).content.decode()
    assert psychologist.get(form_url(case, "psychological")).status_code == 200
    response = psychologist.post(form_url(case, "psychological"), PSYCHOLOGICAL, follow=True)
    html = response.content.decode()
    assert "Assessment saved." in html
    assert "Consiliere săptămânală sintetică" in html
    assessment = Assessment.objects.get()
    url = reverse("assessments:assessment_detail", kwargs={"pk": assessment.pk})
    assert url in psychologist.get(case_url(case)).content.decode()

    for client in (caseworker, supervisor):
        before = counts()
        refused = client.get(url)
        assert refused.status_code == 404
        body = refused.content.decode()
        for secret in ("Consiliere", "Resurse personale", "Psychological assessment", case.code):
            assert secret not in body
        assert counts() == before  # a refusal is not recorded as a reading
        page = client.get(case_url(case)).content.decode()
        assert url not in page
        assert "New psychological assessment" not in page
        # Nor can they make one.
        before = counts()
        assert client.get(form_url(case, "psychological")).status_code == 403
        assert client.post(form_url(case, "psychological"), PSYCHOLOGICAL).status_code == 403
        assert counts() == before


BAD_ANSWERS = [
    ("initial_risk", {k: v for k, v in HIGH_RISK.items() if k != "threats"}, "threats", "Answer this question."),
    ("initial_risk", {**HIGH_RISK, "threats": "maybe"}, "threats", "Select a valid choice."),
    ("initial_risk", {**HIGH_RISK, "notes": "x" * 5001}, "notes", "at most 5000 characters"),
    ("complex_evaluation", {**COMPLEX, "housing_need": "7"}, "housing_need", "less than or equal to 3"),
    ("complex_evaluation", {**COMPLEX, "medical_resource": "mult"}, "medical_resource", "Enter a whole number."),
    ("complex_evaluation", {**COMPLEX, "education_need": ""}, "education_need", "Answer this question."),
    ("psychological", {**PSYCHOLOGICAL, "mental_health_concern": "-1"}, "mental_health_concern", "greater than or equal to 0"),
    ("psychological", {**PSYCHOLOGICAL, "trauma_symptoms": ""}, "trauma_symptoms", "Answer this question."),
]


@pytest.mark.parametrize(("kind", "answers", "field", "message"), BAD_ANSWERS, ids=[f"{b[0]}-{b[2]}" for b in BAD_ANSWERS])
def test_bad_answers_are_refused_on_the_field_and_write_nothing(
    world: World, psychologist: Client, kind: str, answers: dict[str, str], field: str, message: str
) -> None:
    case = open_case(world)
    before = counts()
    response = psychologist.post(form_url(case, kind), answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was saved" in html
    errors = re.search(rf'<div id="id_{field}_errors">(.*?)</div>', html, re.S)
    assert errors, f"no errors shown for {field}"
    assert message in errors.group(1)
    assert counts() == before
    case.refresh_from_db()
    assert (case.stage, case.risk_level, case.version) == (Case.Stage.INITIAL_ASSESSMENT, "", 1)


def test_unknown_kind_and_closed_case(world: World, caseworker: Client) -> None:
    case = open_case(world)
    assert caseworker.get(form_url(case, "horoscope")).status_code == 404
    Case.objects.filter(pk=case.pk).update(status="Closed")
    before = counts()
    response = caseworker.post(form_url(case, "initial_risk"), LOW_RISK)
    assert response.status_code == 400
    assert "The case is closed; reopen it before assessing again." in response.content.decode()
    assert counts() == before
    assert "New initial risk assessment" not in caseworker.get(case_url(case)).content.decode()


def test_refused_posts_write_nothing(world: World, caseworker: Client) -> None:
    case = open_case(world)
    assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=HIGH_RISK)
    task, alert = Task.objects.get(), Alert.objects.get()
    outsider = verified_client(world.other_caseworker)
    mentor = verified_client(world.user(Role.MENTOR))
    admin = verified_client(world.user(Role.ADMINISTRATOR))
    before = counts()
    assert outsider.post(reverse("assessments:task_done", kwargs={"pk": task.pk})).status_code == 404
    assert outsider.post(form_url(case, "initial_risk"), HIGH_RISK).status_code == 404
    assert caseworker.post(reverse("assessments:alert_read", kwargs={"pk": alert.pk})).status_code == 404  # not hers
    assert mentor.post(reverse("assessments:task_done", kwargs={"pk": task.pk})).status_code == 403
    assert admin.post(form_url(case, "initial_risk"), HIGH_RISK).status_code == 403
    # A POST to the assessment page is not a way to read it.
    assessment = Assessment.objects.get()
    assert caseworker.post(reverse("assessments:assessment_detail", kwargs={"pk": assessment.pk})).status_code == 405
    assert caseworker.get(reverse("assessments:task_done", kwargs={"pk": task.pk})).status_code == 405
    assert counts() == before
    task.refresh_from_db()
    alert.refresh_from_db()
    assert (task.status, alert.read_at) == (Task.Status.OPEN, None)


NEW_VERSION = (TEMPLATES_DIR / "initial_risk.v1.yaml").read_text(encoding="utf-8").replace("version: 1", "version: 2")
NEW_VERSION = NEW_VERSION.replace("Are there signs of self-harm or suicidal thoughts?", "Any sign of self-harm (version 2)?")


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("assessments:template_list"), {"file": SimpleUploadedFile(name, content)})


def test_template_list_and_upload(world: World, caseworker: Client) -> None:
    admin = verified_client(world.user(Role.ADMINISTRATOR))
    html = admin.get(reverse("assessments:template_list")).content.decode()
    assert html.count("Shipped with punte") == 3
    assert 'href="/assessments/templates/"' in html  # in the navigation
    assert "Assessment templates" not in caseworker.get(reverse("cases:my_work")).content.decode()

    response = upload(admin, "initial_risk.v2.yml", NEW_VERSION.encode())
    assert response.status_code == 302
    template = AssessmentTemplate.objects.get(kind="initial_risk", version=2)
    assert (template.source, template.created_by) == ("uploaded", world.user(Role.ADMINISTRATOR))
    listed = admin.get(reverse("assessments:template_list")).content.decode()
    assert "Initial risk assessment, version 2, added" in listed
    assert "Uploaded by an administrator" in listed
    # New assessments use the new version; the old ones keep theirs.
    case = open_case(world)
    form = caseworker.get(form_url(case, "initial_risk")).content.decode()
    assert "Template version 2" in form
    assert "Any sign of self-harm (version 2)?" in form


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.yaml", b"kind: initial_risk\nversion: [2\n", "The template is not valid"),
        (
            "old.yaml",
            NEW_VERSION.replace("version: 2", "version: 1").encode(),
            "Version 1 exists already: the next version is 2.",
        ),
        ("template.txt", NEW_VERSION.encode(), "Upload a .yaml or .yml file."),
        ("big.yaml", NEW_VERSION.encode() + b"#" * (200 * 1024), "The file is larger than 200 KB."),
        ("latin.yaml", NEW_VERSION.encode("utf-8").replace("ț".encode(), b"\xfe"), "The file is not UTF-8 text."),
        ("no-kind.yaml", b"version: 2\ntitle: x\n", "kind must be one of"),
        ("empty.yaml", b"", "The submitted file is empty."),
    ],
)
def test_bad_template_uploads_write_nothing(world: World, name: str, content: bytes, message: str) -> None:
    admin = verified_client(world.user(Role.ADMINISTRATOR))
    admin.get(reverse("assessments:template_list"))
    before = counts()
    response = upload(admin, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="field field-invalid"' in html  # on the file field
    assert counts() == before


def test_only_administrators_upload(world: World, supervisor: Client) -> None:
    before = counts()
    response = upload(supervisor, "t.yaml", NEW_VERSION.encode())
    assert response.status_code == 403
    assert counts() == before


def test_reassessments_due_are_listed(world: World, caseworker: Client) -> None:
    case = open_case(world)
    assessment = assessment_create(actor=world.actor(Role.CASEWORKER), case=case, kind="initial_risk", answers=LOW_RISK)
    assert "No reassessment is due." in caseworker.get(reverse("cases:my_work")).content.decode()
    Assessment.objects.filter(pk=assessment.pk).update(reassess_on=timezone.localdate() - timedelta(days=1))
    due = section(caseworker.get(reverse("cases:my_work")).content.decode(), "h-due")
    assert case.code in due
    assert form_url(case, "initial_risk") in due


def test_queries_do_not_grow(world: World, caseworker: Client, supervisor: Client) -> None:
    actor = world.actor(Role.CASEWORKER)
    counter = iter(range(1, 100))
    first = open_case(world)

    def more() -> None:
        for _ in range(2):
            case = open_case(world, next(counter))
            made = assessment_create(actor=actor, case=case, kind="initial_risk", answers=HIGH_RISK)
            Assessment.objects.filter(pk=made.pk).update(reassess_on=timezone.localdate() - timedelta(days=1))
            assessment_create(actor=actor, case=first, kind="initial_risk", answers=HIGH_RISK)
            assessment_create(actor=actor, case=first, kind="complex_evaluation", answers=COMPLEX)
            Task.objects.create(
                organization=world.organization,
                case=first,
                kind=Task.Kind.FOLLOW_UP,
                due_on=timezone.localdate() - timedelta(days=1),
                assigned_to=world.user(Role.SUPERVISOR),
            )

    more()
    for client, url, at_most in [
        (caseworker, reverse("cases:my_work"), 13),
        (supervisor, reverse("cases:my_work"), 13),
        (caseworker, case_url(first), 20),
        (supervisor, case_url(first), 20),
    ]:
        assert_queries_flat(lambda c=client, u=url: c.get(u), more, at_most=at_most)
