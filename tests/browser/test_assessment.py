"""In Debian's Chromium: on a newly opened case, a caseworker fills the initial risk assessment
with answers that give a high risk, finds the safety-plan task on the case page, and fills the
complex evaluation; the supervisor finds the alert in My work."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from punte.accounts.roles import Role
from punte.assessments.models import Alert, Assessment, Task
from punte.cases.services import person_create, referral_create, referral_open_case
from tests.base import build_world
from tests.browser.test_login_and_homes import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RISK_ANSWERS = {
    "Does the trafficker or exploiter know where the person is, or have contact with her?": "Not known",
    "Have she or her family been threatened since she left the exploitation?": "Yes",
    "Does she have a safe place to stay tonight?": "Yes",
    "Is she a minor without an adult who can safely care for her?": "No",
    "Was a family member involved in the trafficking?": "No",
    "Are there signs of self-harm or suicidal thoughts?": "No",
    "Does she have urgent medical needs?": "No",
    "Does she owe the exploiters money, or depend on substances?": "No",
}
DOMAINS = ["Socio-economic situation", "Health", "Education", "Housing", "Family", "Legal status and documents", "Employment"]


def test_risk_assessment_safety_plan_and_complex_evaluation(live_server: Any, page: Any, screenshots: Path) -> None:
    world = build_world()
    user = world.user(Role.CASEWORKER)
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(
        actor=actor, received_on=date(2026, 11, 20), source="police", channel="phone", summary="Sesizare sintetică"
    )
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    case = referral_open_case(actor=actor, referral=referral, person=person)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    base = live_server.url
    sign_in(page, base, user.username, device.bin_key)

    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_text("No open tasks.").wait_for()
    page.get_by_role("link", name="New initial risk assessment").click()
    page.get_by_role("heading", name="Initial risk assessment").wait_for()
    # Saving with nothing answered shows what is missing, and saves nothing.
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("Some answers are missing or not valid; nothing was saved.").wait_for()
    assert page.get_by_text("Answer this question.").count() == len(RISK_ANSWERS)
    assert not Assessment.objects.exists()

    page.goto(f"{base}/cases/{case.pk}/assessments/new/initial_risk/")
    for question, answer in RISK_ANSWERS.items():
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label("Notes").fill("Observație sintetică.")
    page.screenshot(path=screenshots / "risk-assessment.png", full_page=True)
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("a safety plan task was created and the supervisors were alerted").wait_for()
    result = page.locator("section", has=page.get_by_role("heading", name="Result"))
    assert "High" in result.inner_text()
    assert "Have she or her family been threatened" in result.inner_text()
    assert "Does she have a safe place" not in result.inner_text()
    page.screenshot(path=screenshots / "risk-result.png", full_page=True)

    page.get_by_role("link", name=case.code).click()
    tasks = page.locator("section", has=page.get_by_role("heading", name="Open tasks"))
    assert "Safety plan" in tasks.inner_text()
    assert "Testina" not in page.inner_text("h1")
    page.screenshot(path=screenshots / "case-tasks.png", full_page=True)
    assert Task.objects.get().case == case
    assert Alert.objects.get().recipient == world.user(Role.SUPERVISOR)

    page.get_by_role("link", name="New complex evaluation").click()
    page.get_by_role("heading", name="Complex evaluation").wait_for()
    for n, domain in enumerate(DOMAINS):
        group = page.get_by_role("group", name=domain, exact=True)
        group.get_by_label(f"{domain}: needs").fill(str(3 if domain == "Housing" else n % 3))
        group.get_by_label(f"{domain}: resources").fill(str(0 if domain == "Housing" else 2))
    page.get_by_label("Housing: notes").fill("Locuiește temporar la o prietenă (sintetic).")
    page.screenshot(path=screenshots / "complex-evaluation.png", full_page=True)
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_role("heading", name="Needs and resources by domain").wait_for()
    row = page.get_by_role("row", name="Housing")
    assert row.get_by_role("cell").all_inner_texts() == ["3", "0"]
    assert Assessment.objects.count() == 2

    # The task is done from the case page.
    page.get_by_role("link", name=case.code).click()
    page.get_by_role("button", name="Done").click()
    page.get_by_text("Task marked as done.").wait_for()
    page.get_by_text("No open tasks.").wait_for()
    assert Task.objects.get().status == Task.Status.DONE

    # The supervisor finds the alert in My work, with the case code only, and marks it read.
    page.get_by_role("button", name="Sign out").click()
    supervisor = world.user(Role.SUPERVISOR)
    key = TOTPDevice.objects.create(user=supervisor, name="default", confirmed=True).bin_key
    sign_in(page, base, supervisor.username, key)
    page.get_by_role("link", name="My work").first.click()
    alerts = page.locator("section", has=page.get_by_role("heading", name="Alerts"))
    assert case.code in alerts.inner_text()
    assert "Testina" not in page.inner_text("main")
    page.screenshot(path=screenshots / "my-work-alerts.png", full_page=True)
    alerts.get_by_role("button", name="Mark as read").click()
    page.get_by_text("Alert marked as read.").wait_for()
    assert Alert.objects.get().read_at is not None
