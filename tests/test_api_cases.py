"""The intake and case API: referrals, triage, person search and case facts, end to end through
HTTP; who is refused; bad input that writes nothing; one transaction for person and case; flat
query counts; and no identifying value in any list. All personal data here is invented."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from punte.accounts.actor import actor_for
from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.cases.models import Case, CaseFact, Person, PersonLookup, Referral
from punte.cases.services import case_update_facts, person_create, referral_create, referral_open_case
from tests.base import World, assert_queries_flat, synthetic_cnp
from tests.test_api import CASE_WORK, assert_error_shape, bearer, call

FIRST, LAST = "Testina", "Exemplu"
BIRTH = "2000-01-01"
CNP = synthetic_cnp("6", "000101")  # born 2000-01-01
PHONE = "0700 000 111"
ADDRESS = "Strada Inventată 1, Cluj-Napoca"
SUMMARY = "Sesizare sintetică: găsită la autogara de test"
CONTACT = "Agent Fictiv, 0700 000 222"
NEW_PERSON = {
    "first_name": FIRST,
    "last_name": LAST,
    "birth_date": BIRTH,
    "cnp": CNP,
    "phone": PHONE,
    "address": ADDRESS,
    "gender": "Feminine",
}
IDENTIFYING = [FIRST, LAST, CNP, PHONE, ADDRESS, SUMMARY, CONTACT]


def received(days_ago: int = 3) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def referral_body(**extra: Any) -> dict[str, Any]:
    return {
        "received_on": received().isoformat(),
        "source": "police",
        "channel": "phone",
        "urgency": "urgent",
        "summary": SUMMARY,
        "source_organization": "IPJ de test",
        "referrer_contact": CONTACT,
        **extra,
    }


def counts() -> tuple[int, ...]:
    return (
        Referral.objects.count(),
        Person.objects.count(),
        PersonLookup.objects.count(),
        Case.objects.count(),
        CaseFact.objects.count(),
        AuditEvent.objects.count(),
    )


def wrong_check_digit(cnp: str) -> str:
    return cnp[:12] + str((int(cnp[12]) + 1) % 10)


@dataclass
class Home:
    """Records of world.organization made through the services: a pending referral, and a case
    (for a person with identifying values) opened from another referral."""

    referral: Referral
    case: Case
    person: Person


def make_home(world: World, *, organization_user: Any = None, first_name: str = FIRST) -> Home:
    user = organization_user or world.user(Role.CASEWORKER)
    actor = actor_for(user)
    pending = referral_create(
        actor=actor, received_on=received(), source="police", channel="phone", summary=SUMMARY, referrer_contact=CONTACT
    )
    triaged = referral_create(actor=actor, received_on=received(5), source="ngo", channel="email", summary=SUMMARY)
    person = person_create(
        actor=actor,
        first_name=first_name,
        last_name=LAST,
        birth_date=date(2000, 1, 1),
        cnp=CNP,
        phone=PHONE,
        address=ADDRESS,
    )
    case = referral_open_case(actor=actor, referral=triaged, person=person)
    return Home(referral=pending, case=case, person=person)


@pytest.fixture
def home(world: World) -> Home:
    return make_home(world)


@pytest.fixture
def elsewhere(world: World) -> Home:
    """The same kind of records in world.other_organization, under a pseudonym ours cannot have."""
    records = make_home(world, organization_user=world.other_caseworker, first_name="Altina")
    Person.objects.filter(pk=records.person.pk).update(pseudonym="Salcia 000")
    records.person.refresh_from_db()
    return records


def body_of(response: Any) -> str:
    text: str = response.content.decode()
    return text


# The full path


def test_intake_triage_and_case_facts_through_the_api(world: World) -> None:
    client = Client()
    caseworker = bearer(world.user(Role.CASEWORKER))
    supervisor = bearer(world.user(Role.SUPERVISOR))

    created = call(client, "post", "/api/v1/referrals", caseworker, referral_body())
    assert created.status_code == 201, created.content
    referral = created.json()
    assert referral["summary"] == SUMMARY
    assert "referrer_contact" not in referral
    assert (referral["status"], referral["urgency"], referral["case"]) == ("new", "urgent", None)

    queue = client.get("/api/v1/referrals", headers=caseworker).json()
    assert [item["id"] for item in queue["items"]] == [referral["id"]]
    assert "summary" not in queue["items"][0]
    assert "referrer_contact" not in queue["items"][0]

    detail = client.get(f"/api/v1/referrals/{referral['id']}", headers=caseworker).json()
    assert (detail["summary"], detail["referrer_contact"]) == (SUMMARY, CONTACT)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCESS, target_type="cases.referral", target_id=str(referral["id"])
    ).exists()

    search = {"first_name": FIRST, "last_name": LAST, "birth_date": BIRTH}
    empty = call(client, "post", "/api/v1/persons/search", caseworker, search)
    assert (empty.status_code, empty.json()) == (200, [])

    psychologist = world.user(Role.PSYCHOLOGIST)
    opened = call(
        client,
        "post",
        f"/api/v1/referrals/{referral['id']}/open-case",
        caseworker,
        {"new_person": NEW_PERSON, "caseworker": psychologist.pk},
    )
    assert opened.status_code == 201, opened.content
    case = opened.json()
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.cnp, person.birth_date) == (FIRST, LAST, CNP, date(2000, 1, 1))
    assert case["pseudonym"] == person.pseudonym
    assert (case["caseworker"], case["stage"], case["status"], case["version"]) == (
        "psychologist",
        "initial_assessment",
        "Active",
        1,
    )
    assert (case["exploitation_types"], case["trafficking_status"], case["county"]) == ([], "PossibleVictimOfTrafficking", None)
    for value in (FIRST, LAST, CNP, PHONE):
        assert value not in body_of(opened)

    found = call(client, "post", "/api/v1/persons/search", caseworker, search)
    assert found.status_code == 200
    assert found.json() == [
        {"id": person.pk, "pseudonym": person.pseudonym, "reasons": ["name_birth"], "score": 100, "cases": [case["code"]]}
    ]
    by_cnp = call(client, "post", "/api/v1/persons/search", caseworker, {"first_name": "Alta", "last_name": "Cineva", "cnp": CNP})
    assert [(c["id"], c["reasons"]) for c in by_cnp.json()] == [(person.pk, ["cnp"])]
    similar = call(client, "post", "/api/v1/persons/search", caseworker, {"first_name": "Testinna", "last_name": LAST})
    assert [(c["id"], c["reasons"]) for c in similar.json()] == [(person.pk, ["similar_name"])]
    for response in (found, by_cnp, similar):
        for value in (FIRST, LAST, CNP):
            assert value not in body_of(response)

    assert client.get("/api/v1/referrals", headers=caseworker).json()["items"] == []
    opened_referrals = client.get("/api/v1/referrals?status=case_opened", headers=caseworker).json()["items"]
    assert [(item["id"], item["case"]) for item in opened_referrals] == [(referral["id"], case["id"])]

    events = AuditEvent.objects.count()
    read = client.get(f"/api/v1/cases/{case['id']}", headers=caseworker)
    assert read.status_code == 200
    assert read.json() == case
    assert AuditEvent.objects.count() == events + 1
    access = AuditEvent.objects.latest("pk")
    assert (access.kind, access.action, access.target_id) == (AuditEvent.Kind.ACCESS, "cases.case.view", str(case["id"]))

    patched = call(
        client,
        "patch",
        f"/api/v1/cases/{case['id']}",
        caseworker,
        {
            "version": 1,
            "trafficking_status": "ActualVictimOfTrafficking",
            "relationship_to_trafficker": "Acquainted",
            "age_when_trafficked": 19,
            "recruitment_county": "RO-CJ",
            "exploitation_country": "it",
            "county": "RO-BH",
            "exploitation_types": ["SexualExploitation", "ForcedLabour", "SexualExploitation"],
            "control_methods": ["DebtBondage"],
        },
    )
    assert patched.status_code == 200, patched.content
    facts = patched.json()
    assert facts["version"] == 2
    assert facts["exploitation_types"] == ["ForcedLabour", "SexualExploitation"]
    assert (facts["control_methods"], facts["recruitment_methods"]) == (["DebtBondage"], [])
    assert (facts["recruitment_county"], facts["exploitation_country"], facts["county"]) == ("RO-CJ", "IT", "RO-BH")
    assert (facts["trafficking_status"], facts["age_when_trafficked"]) == ("ActualVictimOfTrafficking", 19)

    stale = call(
        client, "patch", f"/api/v1/cases/{case['id']}", supervisor, {"version": 1, "exploitation_types": ["ForcedBegging"]}
    )
    error = assert_error_shape(stale, 409, "conflict")
    assert "caseworker" in error["message"]
    assert "exploitation_types" in error["message"]
    assert "county" in error["message"]
    assert Case.objects.get().version == 2

    cleared = call(
        client,
        "patch",
        f"/api/v1/cases/{case['id']}",
        supervisor,
        {"version": 2, "control_methods": None, "recruitment_county": None},
    )
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["control_methods"], cleared.json()["recruitment_county"], cleared.json()["version"]) == ([], None, 3)
    unchanged = call(client, "patch", f"/api/v1/cases/{case['id']}", supervisor, {"version": 3, "county": "RO-BH"})
    assert unchanged.json()["version"] == 3, "saving the same values is not a change"

    # A second referral is declined, a third opened for the same person, with nothing else set.
    second = call(client, "post", "/api/v1/referrals", caseworker, referral_body(urgency="routine")).json()
    declined = call(client, "post", f"/api/v1/referrals/{second['id']}/decline", supervisor, {"reason": "Nu ține de noi"})
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decision_reason"]) == ("not_opened", "Nu ține de noi")
    assert declined.json()["decided_at"]
    again = call(client, "post", f"/api/v1/referrals/{second['id']}/decline", supervisor, {"reason": "Din nou"})
    assert_error_shape(again, 409, "conflict")
    third = call(client, "post", "/api/v1/referrals", caseworker, referral_body()).json()
    other_case = call(client, "post", f"/api/v1/referrals/{third['id']}/open-case", supervisor, {"person": person.pk})
    assert other_case.status_code == 201, other_case.content
    assert (other_case.json()["pseudonym"], other_case.json()["caseworker"]) == (person.pseudonym, "supervisor")

    def listed(query: str) -> list[str]:
        response = client.get(f"/api/v1/cases{query}", headers=caseworker)
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()["items"]]

    first_code, second_code = case["code"], other_case.json()["code"]
    assert listed("") == [second_code, first_code]
    assert listed("?status=Active&stage=initial_assessment") == [second_code, first_code]
    assert listed("?status=Closed") == []
    assert listed("?stage=services") == []
    assert listed("?exploitation_type=SexualExploitation") == [first_code]
    assert listed("?exploitation_type=ForcedLabour&status=Active") == [first_code]
    assert listed("?exploitation_type=OrganRemoval") == []
    assert listed(f"?q={first_code}") == [first_code]
    assert listed(f"?q={person.pseudonym.split()[0]}") == [second_code, first_code]
    assert listed(f"?caseworker={psychologist.pk}") == [first_code]
    assert listed("?county=RO-BH") == [first_code]
    assert listed("?risk_level=high") == []
    item = client.get("/api/v1/cases", headers=caseworker).json()["items"][1]
    assert set(item) == {
        "id",
        "code",
        "pseudonym",
        "status",
        "stage",
        "risk_level",
        "caseworker",
        "county",
        "opened_at",
        "version",
    }
    assert (item["pseudonym"], item["caseworker"], item["county"], item["version"]) == (
        person.pseudonym,
        "psychologist",
        "RO-BH",
        3,
    )
    everything = client.get("/api/v1/referrals?status=", headers=caseworker).json()
    assert {r["status"] for r in everything["items"]} == {"case_opened", "not_opened"}
    assert everything["count"] == 3


def test_referral_queue_puts_emergencies_first(world: World) -> None:
    client, headers = Client(), bearer(world.user(Role.CASEWORKER))
    for urgency in ("routine", "emergency", "urgent"):
        assert call(client, "post", "/api/v1/referrals", headers, referral_body(urgency=urgency)).status_code == 201
    queue = client.get("/api/v1/referrals", headers=headers).json()["items"]
    assert [item["urgency"] for item in queue] == ["emergency", "urgent", "routine"]


# Who is refused


def _operations(home: Home) -> list[tuple[str, str, Any]]:
    """Every operation with real ids and bodies that would succeed for a caseworker of world.organization."""
    version = home.case.version
    return [
        ("get", "/api/v1/referrals", None),
        ("get", "/api/v1/referrals?status=case_opened", None),
        ("post", "/api/v1/referrals", referral_body(summary="O altă sesizare", referrer_contact="")),
        ("get", f"/api/v1/referrals/{home.referral.pk}", None),
        ("post", f"/api/v1/referrals/{home.referral.pk}/open-case", {"person": home.person.pk}),
        ("post", f"/api/v1/referrals/{home.referral.pk}/open-case", {"new_person": {"first_name": "Nouă", "last_name": LAST}}),
        ("post", f"/api/v1/referrals/{home.referral.pk}/decline", {"reason": "Nu ține de noi"}),
        ("post", "/api/v1/persons/search", {"first_name": FIRST, "last_name": LAST, "birth_date": BIRTH, "cnp": CNP}),
        ("get", "/api/v1/cases", None),
        ("get", f"/api/v1/cases?q={home.case.code}", None),
        ("get", f"/api/v1/cases/{home.case.pk}", None),
        ("patch", f"/api/v1/cases/{home.case.pk}", {"version": version, "exploitation_types": ["ForcedBegging"]}),
    ]


@pytest.mark.parametrize("role", sorted(set(Role) - CASE_WORK))
def test_roles_without_case_work_are_refused_and_see_nothing(world: World, home: Home, role: Role) -> None:
    client, headers = Client(), bearer(world.user(role))
    before = counts()
    for method, path, body in _operations(home):
        response = call(client, method, path, headers, body)
        assert_error_shape(response, 403, "permission_denied")
        for secret in (home.case.code, home.person.pseudonym, *IDENTIFYING):
            assert secret not in body_of(response), f"{role} {method} {path} showed {secret!r}"
    assert counts() == before


def test_another_organization_sees_nothing_of_ours(world: World, home: Home, elsewhere: Home) -> None:
    client, headers = Client(), bearer(world.other_caseworker)
    before = counts()
    for method, path, body in _operations(home):
        response = call(client, method, path, headers, body)
        for secret in (home.case.code, home.person.pseudonym, *IDENTIFYING):
            assert secret not in body_of(response), f"{method} {path} showed {secret!r}"
        if path.startswith("/api/v1/referrals?"):
            assert [item["id"] for item in response.json()["items"]] == [elsewhere.case.referral_id]
        elif path.startswith("/api/v1/cases?"):
            assert [item["id"] for item in response.json()["items"]] == []  # our case code matches none of theirs
        elif (method, path) == ("get", "/api/v1/referrals"):
            assert [item["id"] for item in response.json()["items"]] == [elsewhere.referral.pk]  # its own only
        elif (method, path) == ("get", "/api/v1/cases"):
            assert [item["id"] for item in response.json()["items"]] == [elsewhere.case.pk]
        elif (method, path) == ("post", "/api/v1/referrals"):
            assert response.status_code == 201  # a referral of the other organization
        elif path == "/api/v1/persons/search":
            assert [c["id"] for c in response.json()] == [elsewhere.person.pk]  # its own person only
        else:
            assert_error_shape(response, 404, "not_found")
    assert counts() == (before[0] + 1, *before[1:-1], before[-1] + 1), "only its own referral and its event"
    home.case.refresh_from_db()
    home.referral.refresh_from_db()
    assert (home.case.version, home.referral.status) == (1, Referral.Status.NEW)


def test_ids_of_another_organization_are_not_found(world: World, home: Home, elsewhere: Home) -> None:
    client, headers = Client(), bearer(world.user(Role.SUPERVISOR))
    before = counts()
    for method, path, body in _operations(elsewhere):
        if "/referrals/" not in path and "/cases/" not in path:
            continue
        assert_error_shape(call(client, method, path, headers, body), 404, "not_found")
    # Their person cannot be given a case of ours either.
    response = call(client, "post", f"/api/v1/referrals/{home.referral.pk}/open-case", headers, {"person": elsewhere.person.pk})
    assert "person" in assert_error_shape(response, 400, "validation_error")["details"]
    response = call(
        client,
        "post",
        f"/api/v1/referrals/{home.referral.pk}/open-case",
        headers,
        {"person": home.person.pk, "caseworker": world.other_caseworker.pk},
    )
    assert "caseworker" in assert_error_shape(response, 400, "validation_error")["details"]
    assert counts() == before


# Bad input


BAD_INPUT: list[tuple[str, str, Any, str]] = [
    ("get", "/api/v1/referrals?status=lost", None, "status"),
    (
        "post",
        "/api/v1/referrals",
        referral_body(received_on=(timezone.localdate() + timedelta(days=1)).isoformat()),
        "received_on",
    ),
    ("post", "/api/v1/referrals", referral_body(received_on="2026-02-30"), "received_on"),
    ("post", "/api/v1/referrals", referral_body(summary=""), "summary"),
    ("post", "/api/v1/referrals", referral_body(summary="   "), "summary"),
    ("post", "/api/v1/referrals", {k: v for k, v in referral_body().items() if k != "summary"}, "summary"),
    ("post", "/api/v1/referrals", referral_body(source="neighbour"), "source"),
    ("post", "/api/v1/referrals", referral_body(channel="pigeon"), "channel"),
    ("post", "/api/v1/referrals", referral_body(urgency="whenever"), "urgency"),
    ("post", "/api/v1/referrals", referral_body(status="case_opened"), "status"),
    ("post", "/api/v1/referrals/{referral}/open-case", {}, "person"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"person": "{person}", "new_person": NEW_PERSON}, "new_person"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"person": 999999}, "person"),
    (
        "post",
        "/api/v1/referrals/{referral}/open-case",
        {"new_person": {**NEW_PERSON, "cnp": wrong_check_digit(CNP)}},
        "new_person.cnp",
    ),
    ("post", "/api/v1/referrals/{referral}/open-case", {"new_person": {**NEW_PERSON, "cnp": "12345"}}, "new_person.cnp"),
    (
        "post",
        "/api/v1/referrals/{referral}/open-case",
        {"new_person": {**NEW_PERSON, "birth_date": "2001-01-01"}},
        "new_person.birth_date",
    ),
    (
        "post",
        "/api/v1/referrals/{referral}/open-case",
        {"new_person": {"first_name": FIRST, "last_name": LAST, "birth_date": "2999-01-01"}},
        "new_person.birth_date",
    ),
    ("post", "/api/v1/referrals/{referral}/open-case", {"new_person": {**NEW_PERSON, "gender": "Robot"}}, "new_person.gender"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"new_person": {"first_name": FIRST}}, "new_person.last_name"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"new_person": {**NEW_PERSON, "name": FIRST}}, "new_person.name"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"person": "{person}", "caseworker": 999999}, "caseworker"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"person": "{person}", "caseworker": "{administrator}"}, "caseworker"),
    ("post", "/api/v1/referrals/{referral}/open-case", {"person": "{person}", "caseworker": "{analyst}"}, "caseworker"),
    ("post", "/api/v1/referrals/{referral}/decline", {}, "reason"),
    ("post", "/api/v1/referrals/{referral}/decline", {"reason": ""}, "reason"),
    ("post", "/api/v1/referrals/{referral}/decline", {"reason": "   "}, "reason"),
    ("post", "/api/v1/persons/search", {"first_name": FIRST, "last_name": LAST, "cnp": wrong_check_digit(CNP)}, "cnp"),
    ("post", "/api/v1/persons/search", {"first_name": FIRST}, "last_name"),
    ("post", "/api/v1/persons/search", {"first_name": FIRST, "last_name": LAST, "birth_date": "01.01.2000"}, "birth_date"),
    ("get", "/api/v1/cases?caseworker=someone", None, "caseworker"),
    ("patch", "/api/v1/cases/{case}", {"exploitation_types": ["ForcedLabour"]}, "version"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "exploitation_types": ["ForcedLabour", "Smuggling"]}, "exploitation_types"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "control_methods": ["Kindness"]}, "control_methods"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "recruitment_methods": "AtWork"}, "recruitment_methods"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "exploitation_county": "RO-ZZ"}, "exploitation_county"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "county": "Cluj"}, "county"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "trafficking_status": "Maybe"}, "trafficking_status"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "relationship_to_trafficker": "Spouse"}, "relationship_to_trafficker"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "age_when_trafficked": -3}, "age_when_trafficked"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "recruitment_country": "ROU"}, "recruitment_country"),
    ("patch", "/api/v1/cases/{case}", {"version": 1, "stage": "closed"}, "stage"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_INPUT)
def test_bad_input_gets_the_error_shape_and_writes_nothing(
    world: World, home: Home, method: str, path: str, body: Any, field: str
) -> None:
    url = path.format(referral=home.referral.pk, case=home.case.pk)
    if isinstance(body, dict) and body.get("person") == "{person}":
        body = {**body, "person": home.person.pk}
    if isinstance(body, dict) and isinstance(body.get("caseworker"), str):
        body = {**body, "caseworker": world.user(body["caseworker"].strip("{}")).pk}  # a member who does no case work
    headers = bearer(world.user(Role.CASEWORKER))
    before = counts()
    response = call(Client(), method, url, headers, body)
    error = assert_error_shape(response, 400, "validation_error")
    assert field in error["details"], error
    assert counts() == before
    home.referral.refresh_from_db()
    home.case.refresh_from_db()
    assert (home.referral.status, home.case.version) == (Referral.Status.NEW, 1)
    for value in (CNP, wrong_check_digit(CNP)):
        assert value not in body_of(response), "an identifying value was echoed back"


def test_malformed_json_gets_the_error_shape(world: World, home: Home) -> None:
    headers = bearer(world.user(Role.CASEWORKER))
    before = counts()
    for method, path in [
        ("post", "/api/v1/referrals"),
        ("post", f"/api/v1/referrals/{home.referral.pk}/open-case"),
        ("post", "/api/v1/persons/search"),
        ("patch", f"/api/v1/cases/{home.case.pk}"),
    ]:
        response = getattr(Client(), method)(path, data="{not json", content_type="application/json", headers=headers)
        assert_error_shape(response, 400)
    assert counts() == before


# One transaction


@pytest.mark.parametrize("triage", ["open", "decline"])
def test_a_new_person_does_not_remain_when_the_case_cannot_be_opened(world: World, home: Home, triage: str) -> None:
    client, headers = Client(), bearer(world.user(Role.CASEWORKER))
    path = f"/api/v1/referrals/{home.referral.pk}"
    if triage == "open":
        first = call(client, "post", f"{path}/open-case", headers, {"person": home.person.pk})
    else:
        first = call(client, "post", f"{path}/decline", headers, {"reason": "Nu ține de noi"})
    assert first.status_code in {200, 201}
    before = counts()
    person = {**NEW_PERSON, "first_name": "Secunda", "cnp": synthetic_cnp("6", "010203")}
    person.pop("birth_date")
    second = call(client, "post", f"{path}/open-case", headers, {"new_person": person})
    assert_error_shape(second, 409, "conflict")
    assert counts() == before, "the person registered for the refused case was kept"
    search = {"first_name": "Secunda", "last_name": LAST, "cnp": person["cnp"]}
    candidates = call(client, "post", "/api/v1/persons/search", headers, search).json()
    assert all("cnp" not in candidate["reasons"] for candidate in candidates)


# Query counts and what lists show


def test_list_query_counts_do_not_grow(world: World, home: Home) -> None:
    client, headers = Client(), bearer(world.user(Role.CASEWORKER))
    actor = world.actor(Role.CASEWORKER)
    counter = iter(range(1000))

    def more() -> None:
        for _ in range(3):
            n = next(counter)
            referral_create(actor=actor, received_on=received(), source="hotline", channel="phone", summary=SUMMARY)
            triaged = referral_create(actor=actor, received_on=received(), source="ngo", channel="email", summary=SUMMARY)
            person = person_create(actor=actor, first_name=f"Testina{'a' * (n + 1)}", last_name=LAST)
            case = referral_open_case(actor=actor, referral=triaged, person=person, caseworker=world.user(Role.PSYCHOLOGIST))
            case_update_facts(actor=actor, case=case, version=1, county="RO-CJ", exploitation_types=["ForcedLabour"])

    for path, at_most in [
        ("/api/v1/referrals", 4),
        ("/api/v1/referrals?status=case_opened", 4),
        ("/api/v1/referrals?status=", 4),
        ("/api/v1/cases", 4),
        ("/api/v1/cases?exploitation_type=ForcedLabour&county=RO-CJ", 4),
    ]:
        assert_queries_flat(lambda p=path: client.get(p, headers=headers), more, at_most=at_most)


def test_lists_show_no_identifying_value(world: World, home: Home) -> None:
    client, headers = Client(), bearer(world.user(Role.SUPERVISOR))
    call(client, "post", f"/api/v1/referrals/{home.referral.pk}/decline", headers, {"reason": "Nu ține de noi"})
    pending = call(client, "post", "/api/v1/referrals", headers, referral_body())
    assert pending.status_code == 201
    for path in [
        "/api/v1/referrals",
        "/api/v1/referrals?status=",
        "/api/v1/referrals?status=case_opened",
        "/api/v1/referrals?status=not_opened",
        "/api/v1/cases",
        f"/api/v1/cases?q={home.case.code}",
        f"/api/v1/cases/{home.case.pk}",
    ]:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        text = body_of(response)
        assert home.case.code in text or "referrals" in path
        for value in IDENTIFYING:
            assert value not in text, f"{path} showed {value!r}"
        if "referrals" in path:
            for item in response.json()["items"]:
                assert "summary" not in item
                assert "referrer_contact" not in item
    search = call(client, "post", "/api/v1/persons/search", headers, {"first_name": FIRST, "last_name": LAST, "cnp": CNP})
    assert [c["pseudonym"] for c in search.json()] == [home.person.pseudonym]
    assert set(search.json()[0]) == {"id", "pseudonym", "reasons", "score", "cases"}
    for value in IDENTIFYING:
        assert value not in body_of(search)
    assert json.loads(body_of(search))[0]["cases"] == [home.case.code]
