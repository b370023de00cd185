"""In Debian's Chromium: a caseworker registers a referral, searches before registering the
person, opens the case and records its facts; a second referral finds the same person."""

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from punte.accounts.roles import Role
from punte.cases.models import Case, Person
from tests.base import build_world, synthetic_cnp
from tests.browser.test_login_and_homes import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_referral(page: Any, base: str, summary: str) -> None:
    page.goto(f"{base}/intake/new/")
    page.get_by_label("Received on").fill("2026-11-20")
    page.get_by_label("Referred by").select_option("police")
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_label("What is known").fill(summary)
    page.get_by_role("button", name="Register", exact=True).click()
    page.get_by_role("heading", name="1. Who is it about? Search first").wait_for()


def test_intake_triage_and_case_facts(live_server: Any, page: Any, screenshots: Path) -> None:
    world = build_world()
    user = world.user(Role.CASEWORKER)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    base = live_server.url
    sign_in(page, base, user.username, device.bin_key)

    register_referral(page, base, "Sesizare sintetică: găsită la autogară.")
    search = page.locator("form", has=page.locator("input[value=search]"))
    search.get_by_label("First name").fill("Testina")
    search.get_by_label("Last name").fill("Exemplu")
    search.get_by_role("button", name="Search").click()
    page.get_by_text("No one registered by your organization matches.").wait_for()

    new_person = page.locator("form", has=page.locator("input[value=create]"))
    assert new_person.get_by_label("First name").input_value() == "Testina"  # carried over from the search
    new_person.get_by_label("CNP").fill(synthetic_cnp("6", "000101"))
    new_person.get_by_label("Gender").select_option("Feminine")
    page.screenshot(path=screenshots / "triage.png", full_page=True)
    new_person.get_by_role("button", name="Register and open the case").click()
    page.get_by_role("heading", name="Case facts").wait_for()
    case = Case.objects.get()
    assert case.code in page.inner_text("h1")
    assert Person.objects.get().birth_date is not None  # taken from the CNP

    page.get_by_label("Trafficking status").select_option("ActualVictimOfTrafficking")
    page.get_by_label("Sexual exploitation").check()
    page.get_by_label("False promises").check()
    page.get_by_label("County of residence").select_option("RO-CJ")
    page.get_by_role("button", name="Save the facts").click()
    page.get_by_text("Case facts saved.").wait_for()
    assert page.get_by_label("Sexual exploitation").is_checked()
    page.screenshot(path=screenshots / "case.png", full_page=True)

    # A second referral about the same person: the search finds her by name.
    register_referral(page, base, "A doua sesizare sintetică.")
    search = page.locator("form", has=page.locator("input[value=search]"))
    search.get_by_label("First name").fill("testina")
    search.get_by_label("Last name").fill("EXEMPLU")
    search.get_by_role("button", name="Search").click()
    page.get_by_test_id("candidates").wait_for()
    page.get_by_role("button", name="Open the case for this person").click()
    page.get_by_role("heading", name="Case facts").wait_for()
    assert Person.objects.count() == 1
    assert Case.objects.count() == 2

    page.get_by_role("link", name="Cases").first.click()
    assert "Testina" not in page.inner_text("main")  # lists show pseudonyms only
    page.screenshot(path=screenshots / "case-list.png", full_page=True)
