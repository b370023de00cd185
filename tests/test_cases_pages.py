"""Intake, triage, the case list, the case page and My work, in the browser's terms (pages)."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.cases.cnp import cnp_parse
from punte.cases.models import Case, CaseFact, Person, PersonLookup, Referral
from punte.cases.services import case_update_facts, person_create, referral_create, referral_open_case
from tests.base import World, assert_queries_flat, synthetic_cnp, verified_client

PERSON = {
    "person-first_name": "Testina",
    "person-last_name": "Exemplu-Ștefănescu",
    "person-birth_date": "2000-01-01",
    "person-cnp": synthetic_cnp("6", "000101"),
    "person-phone": "0700 000 000",
    "person-address": "Strada Inventată 1, Cluj-Napoca",
    "person-gender": "Feminine",
    "person-citizenship": "RO",
}


def counts() -> tuple[int, ...]:
    return (Referral.objects.count(), Person.objects.count(), Case.objects.count(), AuditEvent.objects.count())


def new_referral(world: World, **extra: Any) -> Referral:
    data = {"received_on": date(2026, 11, 2), "source": "police", "channel": "phone", "summary": "Sesizare sintetică", **extra}
    return referral_create(actor=world.actor(Role.CASEWORKER), **data)


@pytest.fixture
def caseworker(world: World) -> Client:
    return verified_client(world.user(Role.CASEWORKER))


def test_register_a_referral_then_triage_it_into_a_case_for_a_new_person(world: World, caseworker: Client) -> None:
    response = caseworker.post(
        reverse("cases:referral_create"),
        {
            "received_on": "2026-11-02",
            "source": "police",
            "channel": "phone",
            "urgency": "urgent",
            "summary": "Găsită la autogară",
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("cases:referral_detail", kwargs={"pk": referral.pk})
    page = caseworker.get(response["Location"]).content.decode()
    assert "Găsită la autogară" in page
    search = caseworker.post(
        response["Location"], {"action": "search", "search-first_name": "Testina", "search-last_name": "Exemplu-Ștefănescu"}
    )
    assert "No one registered by your organization matches." in search.content.decode()
    opened = caseworker.post(response["Location"], {"action": "create", **PERSON})
    case = Case.objects.get()
    assert opened["Location"] == reverse("cases:case_detail", kwargs={"pk": case.pk})
    assert case.stage == Case.Stage.INITIAL_ASSESSMENT
    assert case.caseworker == world.user(Role.CASEWORKER)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CASE_OPENED
    assert case.person.birth_date == date(2000, 1, 1)
    assert list(AuditEvent.objects.filter(target_type="cases.case").values_list("action", flat=True)) == ["case.open"]
    detail = caseworker.get(opened["Location"]).content.decode()
    assert case.code in detail
    assert "Testina" in detail  # the caseworker sees the identity
    assert AuditEvent.objects.filter(kind="access", target_type="cases.case", target_id=str(case.pk)).exists()


def test_the_same_person_is_not_registered_twice(world: World, caseworker: Client) -> None:
    first = new_referral(world)
    person = person_create(
        actor=world.actor(Role.CASEWORKER), first_name="Testina", last_name="Exemplu", birth_date=date(2000, 1, 1)
    )
    referral_open_case(actor=world.actor(Role.CASEWORKER), referral=first, person=person)
    second = new_referral(world)
    url = reverse("cases:referral_detail", kwargs={"pk": second.pk})
    found = caseworker.post(
        url,
        {"action": "search", "search-first_name": "TESTINA", "search-last_name": "exemplu", "search-birth_date": "2000-01-01"},
    ).content.decode()
    assert person.pseudonym in found
    assert "same name and birth date" in found
    similar = caseworker.post(
        url, {"action": "search", "search-first_name": "Testina", "search-last_name": "Exempplu"}
    ).content.decode()
    assert person.pseudonym in similar
    assert "similar name" in similar
    # Creating without looking is stopped until the caseworker confirms.
    before = counts()
    refused = caseworker.post(
        url,
        {
            "action": "create",
            "person-first_name": "Testina",
            "person-last_name": "Exemplu",
            "person-gender": "Feminine",
            "person-citizenship": "RO",
        },
    )
    assert refused.status_code == 400
    assert "Possible matches were found" in refused.content.decode()
    assert counts() == before
    # Opening the case for the existing person links both cases to her.
    opened = caseworker.post(url, {"action": "open", "person": person.pk})
    assert opened.status_code == 302
    assert person.cases.count() == 2


def test_decline_needs_a_reason(world: World, caseworker: Client) -> None:
    referral = new_referral(world)
    url = reverse("cases:referral_detail", kwargs={"pk": referral.pk})
    before = counts()
    assert caseworker.post(url, {"action": "decline", "decline-reason": ""}).status_code == 400
    assert counts() == before
    assert caseworker.post(url, {"action": "decline", "decline-reason": "Nu este în aria noastră."}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NOT_OPENED
    # A triaged referral cannot be triaged again.
    again = caseworker.post(url, {"action": "create", **PERSON, "person-confirm_new": "on"})
    assert Case.objects.count() == 0
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person-cnp", "1234567890123", "CNP"),
        ("person-cnp", "12345", "exactly 13 digits"),
        ("person-birth_date", "1999-05-05", "differs from the one in the CNP"),
        ("person-first_name", "", "This field is required."),
    ],
)
def test_bad_person_data_is_refused_and_writes_nothing(
    world: World, caseworker: Client, field: str, value: str, message: str
) -> None:
    referral = new_referral(world)
    before = counts()
    response = caseworker.post(
        reverse("cases:referral_detail", kwargs={"pk": referral.pk}), {"action": "create", **PERSON, field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_bad_referral_is_refused_and_writes_nothing(world: World, caseworker: Client) -> None:
    before = counts()
    response = caseworker.post(
        reverse("cases:referral_create"),
        {"received_on": "2999-01-01", "source": "police", "channel": "phone", "urgency": "routine", "summary": "x"},
    )
    assert "cannot be received in the future" in response.content.decode()
    response = caseworker.post(
        reverse("cases:referral_create"), {"received_on": "2026-01-01", "source": "aliens", "channel": "phone", "summary": ""}
    )
    assert "Select a valid choice." in response.content.decode()
    assert counts() == before


def test_identifying_values_are_encrypted_in_the_database(world: World) -> None:
    cnp = synthetic_cnp("6", "000101")
    person = person_create(
        actor=world.actor(Role.CASEWORKER),
        first_name="Testina",
        last_name="Exemplu",
        cnp=cnp,
        phone="0700 123 456",
        address="Strada Inventată 7",
        chosen_name="Tina",
    )
    referral = new_referral(world, referrer_contact="Agent Inventat 0711", summary="Detaliu sintetic unic")
    referral_open_case(actor=world.actor(Role.CASEWORKER), referral=referral, person=person)
    secrets = [
        "Testina",
        "Exemplu",
        cnp,
        "0700 123 456",
        "Inventată",
        "Tina",
        "2000-01-01",
        "Agent Inventat",
        "Detaliu sintetic unic",
    ]
    with connection.cursor() as cursor:
        for table in ("cases_person", "cases_personlookup", "cases_referral", "cases_case", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names are constants
            dump = repr(cursor.fetchall())
            for secret in secrets:
                assert secret not in dump, f"{secret!r} in plaintext in {table}"
    person.refresh_from_db()
    assert (person.first_name, person.cnp, person.birth_date) == ("Testina", cnp, date(2000, 1, 1))
    assert cnp_parse(cnp).sex == "female"
    assert PersonLookup.objects.filter(person=person, kind="cnp").count() == 1


def test_facts_edit_refuses_a_stale_version_and_says_what_changed(world: World) -> None:
    referral = new_referral(world)
    person = person_create(actor=world.actor(Role.CASEWORKER), first_name="Testina", last_name="Exemplu")
    case = referral_open_case(actor=world.actor(Role.CASEWORKER), referral=referral, person=person)
    url = reverse("cases:case_detail", kwargs={"pk": case.pk})
    form = {
        "version": "1",
        "trafficking_status": "ActualVictimOfTrafficking",
        "exploitation_types": ["SexualExploitation"],
        "county": "RO-CJ",
    }
    supervisor = verified_client(world.user(Role.SUPERVISOR))
    assert supervisor.post(url, form).status_code == 302
    stale = verified_client(world.user(Role.CASEWORKER)).post(url, {**form, "exploitation_types": ["ForcedBegging"]})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone saved this case after you opened it" in html
    assert "supervisor changed county, exploitation_types, trafficking_status" in html
    case.refresh_from_db()
    assert case.version == 2
    assert list(CaseFact.objects.filter(case=case).values_list("value", flat=True)) == ["SexualExploitation"]


def test_facts_edit_refuses_unknown_values(world: World) -> None:
    referral = new_referral(world)
    person = person_create(actor=world.actor(Role.CASEWORKER), first_name="Testina", last_name="Exemplu")
    case = referral_open_case(actor=world.actor(Role.CASEWORKER), referral=referral, person=person)
    before = counts()
    response = verified_client(world.user(Role.CASEWORKER)).post(
        reverse("cases:case_detail", kwargs={"pk": case.pk}),
        {"version": "1", "trafficking_status": "Nonsense", "exploitation_types": ["Dancing"], "age_when_trafficked": "-3"},
    )
    assert response.status_code == 400
    assert counts()[:3] == before[:3]
    assert not AuditEvent.objects.filter(action="case.update").exists()


def test_case_list_filters(world: World, caseworker: Client) -> None:
    actor = world.actor(Role.CASEWORKER)
    cases = []
    for n in range(3):
        person = person_create(actor=actor, first_name=f"Testina{n}", last_name="Exemplu")
        cases.append(referral_open_case(actor=actor, referral=new_referral(world), person=person))
    case_update_facts(actor=actor, case=cases[0], version=1, exploitation_types=["ForcedLabour"], county="RO-BH")
    html = caseworker.get(reverse("cases:case_list"), {"exploitation_type": "ForcedLabour"}).content.decode()
    assert cases[0].code in html
    assert cases[1].code not in html
    html = caseworker.get(reverse("cases:case_list"), {"q": cases[2].person.pseudonym}).content.decode()
    assert cases[2].code in html
    assert cases[0].code not in html
    html = caseworker.get(reverse("cases:case_list"), {"county": "RO-BH"}).content.decode()
    assert cases[0].code in html
    assert cases[1].code not in html
    assert "Testina" not in caseworker.get(reverse("cases:case_list")).content.decode()  # lists show pseudonyms only


def test_queries_do_not_grow(world: World, caseworker: Client) -> None:
    actor = world.actor(Role.CASEWORKER)
    counter = iter(range(100))

    def more() -> None:
        for _ in range(3):
            person = person_create(actor=actor, first_name=f"Testina{next(counter)}", last_name="Exemplu")
            case = referral_open_case(actor=actor, referral=new_referral(world), person=person)
            case_update_facts(actor=actor, case=case, version=1, exploitation_types=["ForcedLabour", "SexualExploitation"])
            new_referral(world)

    more()
    first_case = Case.objects.order_by("pk").first()
    assert first_case is not None
    for url, at_most in [
        (reverse("cases:case_list"), 14),
        (reverse("cases:my_work"), 14),
        (reverse("cases:referral_list"), 12),
        (reverse("cases:case_detail", kwargs={"pk": first_case.pk}), 26),
    ]:
        assert_queries_flat(lambda u=url: caseworker.get(u), more, at_most=at_most)


def test_lists_decrypt_nothing(world: World, caseworker: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    actor = world.actor(Role.CASEWORKER)
    for n in range(2):
        person = person_create(actor=actor, first_name=f"Testina{n}", last_name="Exemplu", phone="0700 000 000")
        referral_open_case(actor=actor, referral=new_referral(world, referrer_contact="Agent Inventat"), person=person)
    new_referral(world)
    calls: list[str] = []
    from punte.core import crypto, fields

    def counting_decrypt(token: str) -> str:
        calls.append(token)
        return crypto.decrypt(token)

    monkeypatch.setattr(fields, "decrypt", counting_decrypt)
    for url in (reverse("cases:case_list"), reverse("cases:my_work"), reverse("cases:referral_list")):
        assert caseworker.get(url).status_code == 200
        assert calls == [], f"{url} decrypted {len(calls)} values"


def test_lookup_digests_differ_between_organizations(world: World) -> None:
    from punte.cases.services import Identity, person_lookups

    identity = Identity("Testina", "Exemplu", date(2000, 1, 1), synthetic_cnp())
    here = dict(person_lookups(world.organization.pk, identity))
    there = dict(person_lookups(world.other_organization.pk, identity))
    assert set(here) == set(there)
    assert not set(here.values()) & set(there.values())


def test_only_colleagues_who_work_on_cases_can_be_given_a_case(world: World) -> None:
    from punte.core.errors import ValidationError as PunteValidationError

    actor = world.actor(Role.CASEWORKER)
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    for outsider in (world.user(Role.ADMINISTRATOR), world.user(Role.MENTOR), world.other_caseworker):
        referral = new_referral(world)
        with pytest.raises(PunteValidationError):
            referral_open_case(actor=actor, referral=referral, person=person, caseworker=outsider)
        referral.refresh_from_db()
        assert referral.status == Referral.Status.NEW
    case = referral_open_case(actor=actor, referral=new_referral(world), person=person, caseworker=world.user(Role.PSYCHOLOGIST))
    assert case.caseworker == world.user(Role.PSYCHOLOGIST)


def test_a_cnp_alone_finds_the_person_by_name_and_birth_date(world: World) -> None:
    from punte.cases.selectors import person_candidates
    from punte.cases.services import Identity

    actor = world.actor(Role.CASEWORKER)
    person = person_create(actor=actor, first_name="Testina", last_name="Exemplu", birth_date=date(2000, 1, 1))
    found = person_candidates(actor=actor, identity=Identity("Testina", "Exemplu", None, synthetic_cnp("6", "000101")))
    assert [(c.person.pk, c.reasons) for c in found] == [(person.pk, ["name_birth"])]
