"""Reference data: the shipped counties, regions and groupings, loading them idempotently, and
administrators' own county groupings through the services and the pages."""

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from punte.accounts.actor import SYSTEM
from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.core.errors import PermissionDenied, ValidationError
from punte.reference.models import County, CountyGrouping, DevelopmentRegion
from punte.reference.services import DATA_DIR, grouping_create, grouping_update, reference_load
from tests.base import World, assert_queries_flat, verified_client

NORTHWEST = ["RO-AB", "RO-AR", "RO-BH", "RO-BN", "RO-CJ", "RO-MM", "RO-MS", "RO-SJ", "RO-SM"]
REGIONS = {
    "RO11": "Nord-Vest",
    "RO12": "Centru",
    "RO21": "Nord-Est",
    "RO22": "Sud-Est",
    "RO31": "Sud-Muntenia",
    "RO32": "București-Ilfov",
    "RO41": "Sud-Vest Oltenia",
    "RO42": "Vest",
}


def snapshot() -> dict[str, Any]:
    """Every row reference data and the audit trail hold."""
    return {
        "regions": list(DevelopmentRegion.objects.order_by("code").values()),
        "counties": list(County.objects.order_by("code").values()),
        "groupings": list(CountyGrouping.objects.order_by("code").values()),
        "members": sorted(CountyGrouping.counties.through.objects.values_list("countygrouping__code", "county_id")),
        "events": list(AuditEvent.objects.order_by("pk").values()),
    }


def codes(grouping: CountyGrouping) -> list[str]:
    return sorted(grouping.counties.values_list("code", flat=True))


# Loading


@pytest.mark.django_db
def test_load_reference_loads_counties_regions_and_groupings() -> None:
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert out.getvalue().splitlines() == [
        "created 42 county",
        "created 9 county_grouping",
        "created 8 development_region",
        "created 3 assessment_template",
    ]

    assert County.objects.count() == 42
    assert County.objects.filter(is_municipality=True).get().code == "RO-B"
    assert County.objects.filter(is_municipality=False).count() == 41
    assert dict(DevelopmentRegion.objects.values_list("code", "name")) == REGIONS
    assert sorted(DevelopmentRegion.objects.values_list("number", flat=True)) == list(range(1, 9))
    # Every county belongs to exactly one NUTS-2 grouping, the one of its region.
    nuts2 = CountyGrouping.objects.filter(kind=CountyGrouping.Kind.NUTS2)
    assert sorted(nuts2.values_list("code", flat=True)) == sorted(code.lower() for code in REGIONS)
    assert sum(g.counties.count() for g in nuts2) == 42
    for grouping in nuts2:
        assert set(grouping.counties.values_list("region_id", flat=True)) == {grouping.code.upper()}
    assert codes(CountyGrouping.objects.get(code="ro32")) == ["RO-B", "RO-IF"]

    shipped = CountyGrouping.objects.get(code="seed-northwest")
    assert shipped.kind == CountyGrouping.Kind.SHIPPED
    assert codes(shipped) == NORTHWEST
    assert CountyGrouping.objects.filter(kind=CountyGrouping.Kind.SHIPPED).count() == 1
    assert not CountyGrouping.objects.filter(kind=CountyGrouping.Kind.CUSTOM).exists()

    cluj = County.objects.select_related("region").get(code="RO-CJ")
    assert (cluj.name, cluj.auto_code, cluj.nuts3_code, cluj.seat) == ("Cluj", "CJ", "RO113", "Cluj-Napoca")
    assert (cluj.region.code, cluj.region.name) == ("RO11", "Nord-Vest")

    event = AuditEvent.objects.get(action="reference.load")
    assert event.chain == "global"
    assert event.actor_id is None
    assert event.organization_id is None
    assert event.fields == ["county", "county_grouping", "development_region"]
    assert event.user_agent == "manage.py load_reference"


@pytest.mark.django_db
def test_load_reference_again_changes_nothing(reference: None) -> None:
    before = snapshot()
    report = reference_load(actor=SYSTEM)
    assert report.changed is False
    assert (report.created, report.updated) == ({}, {})
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert out.getvalue() == "reference data already up to date\n"
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="reference.load").count() == 1


@pytest.mark.django_db
def test_load_reference_keeps_custom_groupings(world: World) -> None:
    before = snapshot()
    assert reference_load(actor=SYSTEM).changed is False
    assert snapshot() == before
    assert codes(world.custom_grouping) == ["RO-BH", "RO-CJ"]


@pytest.mark.django_db
def test_a_changed_source_file_updates_only_what_changed(reference: None, tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "counties.csv", tmp_path / "counties.csv")
    groupings = yaml.safe_load((DATA_DIR / "groupings.yaml").read_text(encoding="utf-8"))
    groupings["groupings"][0]["name_en"] = "North-west (renamed)"
    groupings["groupings"][0]["counties"] = [*NORTHWEST, "RO-HD"]
    (tmp_path / "groupings.yaml").write_text(yaml.safe_dump(groupings, allow_unicode=True), encoding="utf-8")
    counties_before = list(County.objects.order_by("code").values())

    report = reference_load(actor=SYSTEM, data_dir=tmp_path)

    assert (report.created, report.updated) == ({}, {"county_grouping": 1})
    shipped = CountyGrouping.objects.get(code="seed-northwest")
    assert shipped.name_en == "North-west (renamed)"
    assert codes(shipped) == sorted([*NORTHWEST, "RO-HD"])
    assert list(County.objects.order_by("code").values()) == counties_before
    events = list(AuditEvent.objects.filter(action="reference.load").order_by("seq"))
    assert len(events) == 2
    assert events[1].fields == ["county_grouping"]


@pytest.mark.django_db
def test_only_an_administrator_or_the_system_loads_reference_data(world: World) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        reference_load(actor=world.actor(Role.SUPERVISOR))
    assert snapshot() == before


# Administrators' own groupings


def test_an_administrator_creates_a_grouping_and_it_is_audited(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    grouping = grouping_create(
        actor=world.actor(Role.ADMINISTRATOR),
        code=" Cluj-Metro ",
        name_ro=" Zona metropolitană Cluj ",
        name_en="Cluj metropolitan area",
        county_codes=["RO-CJ", "RO-SJ"],
        description_ro="Cluj și Sălaj",
    )
    grouping.refresh_from_db()
    assert grouping.code == "cluj-metro"
    assert grouping.kind == CountyGrouping.Kind.CUSTOM
    assert grouping.name_ro == "Zona metropolitană Cluj"
    assert grouping.created_by_id == admin.pk
    assert codes(grouping) == ["RO-CJ", "RO-SJ"]
    event = AuditEvent.objects.get(action="county_grouping.create", target_id=str(grouping.pk))
    assert event.actor_id == admin.pk
    assert event.organization_id == world.organization.pk
    assert event.target_type == "reference.countygrouping"
    assert event.fields == ["code", "counties", "description_en", "description_ro", "name_en", "name_ro"]


def test_a_caseworker_cannot_create_a_grouping(world: World) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        grouping_create(actor=world.actor(Role.CASEWORKER), code="mine", name_ro="A mea", name_en="Mine", county_codes=["RO-CJ"])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "county_codes", "field", "message"),
    [
        ("new-one", ["RO-CJ", "RO-ZZ", "RO-QQ"], "counties", "Unknown county codes: RO-QQ, RO-ZZ."),
        ("new-one", [], "counties", "Choose at least one county."),
        ("test-custom", ["RO-CJ"], "code", "already exists"),
        ("TEST-CUSTOM", ["RO-CJ"], "code", "already exists"),
        ("seed-northwest", ["RO-CJ"], "code", "already exists"),
        ("not a slug!", ["RO-CJ"], "code", "valid"),
    ],
    ids=["unknown-counties", "no-counties", "duplicate-code", "duplicate-code-other-case", "shipped-code", "bad-code"],
)
def test_grouping_create_refuses_bad_input_and_writes_nothing(
    world: World, code: str, county_codes: list[str], field: str, message: str
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        grouping_create(
            actor=world.actor(Role.ADMINISTRATOR), code=code, name_ro="Nume", name_en="Name", county_codes=county_codes
        )
    assert field in caught.value.details
    assert any(message in text for text in caught.value.details[field])
    assert snapshot() == before


def test_an_administrator_updates_a_custom_grouping(world: World) -> None:
    grouping = world.custom_grouping
    grouping_update(
        actor=world.actor(Role.ADMINISTRATOR),
        grouping=grouping,
        name_ro=grouping.name_ro,
        name_en="Renamed test grouping",
        county_codes=["RO-CJ", "RO-BH", "RO-SM"],
    )
    grouping.refresh_from_db()
    assert grouping.name_en == "Renamed test grouping"
    assert codes(grouping) == ["RO-BH", "RO-CJ", "RO-SM"]
    event = AuditEvent.objects.get(action="county_grouping.update")
    assert event.actor_id == world.user(Role.ADMINISTRATOR).pk
    assert (event.target_type, event.target_id) == ("reference.countygrouping", str(grouping.pk))
    assert event.fields == ["counties", "name_en"]
    # The same values again: no write, no event.
    before = snapshot()
    grouping_update(
        actor=world.actor(Role.ADMINISTRATOR),
        grouping=grouping,
        name_ro=grouping.name_ro,
        name_en=grouping.name_en,
        county_codes=["RO-SM", "RO-CJ", "RO-BH"],
    )
    assert snapshot() == before


@pytest.mark.parametrize("code", ["ro11", "seed-northwest"], ids=["nuts2", "shipped"])
def test_shipped_groupings_cannot_be_edited(world: World, code: str) -> None:
    grouping = CountyGrouping.objects.get(code=code)
    before = snapshot()
    with pytest.raises(ValidationError, match="cannot be edited"):
        grouping_update(
            actor=world.actor(Role.ADMINISTRATOR), grouping=grouping, name_ro="Alt nume", name_en="Other", county_codes=["RO-CJ"]
        )
    assert snapshot() == before


def test_a_caseworker_cannot_update_a_grouping(world: World) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        grouping_update(
            actor=world.actor(Role.CASEWORKER), grouping=world.custom_grouping, name_ro="X", name_en="X", county_codes=["RO-CJ"]
        )
    assert snapshot() == before


# The pages


def test_grouping_create_page_creates_a_grouping(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    response = client.post(
        reverse("reference:grouping_create"),
        {
            "code": "west-border",
            "name_ro": "Granița de vest",
            "name_en": "Western border",
            "counties": ["RO-AR", "RO-TM", "RO-BH"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reference:grouping_detail", kwargs={"code": "west-border"})
    grouping = CountyGrouping.objects.get(code="west-border")
    assert codes(grouping) == ["RO-AR", "RO-BH", "RO-TM"]
    assert AuditEvent.objects.filter(action="county_grouping.create", target_id=str(grouping.pk)).count() == 1
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "Western border" in detail.content.decode()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "x", "name_ro": "X", "name_en": "X", "counties": []}, "counties"),
        ({"code": "x", "name_ro": "X", "name_en": "X", "counties": ["RO-ZZ"]}, "counties"),
        ({"code": "not a slug", "name_ro": "X", "name_en": "X", "counties": ["RO-CJ"]}, "code"),
        ({"code": "x", "name_ro": "", "name_en": "X", "counties": ["RO-CJ"]}, "name_ro"),
        ({"code": "test-custom", "name_ro": "X", "name_en": "X", "counties": ["RO-CJ"]}, "code"),
    ],
    ids=["no-counties", "unknown-county", "bad-code", "no-name", "duplicate-code"],
)
def test_grouping_create_page_shows_errors_and_writes_nothing(world: World, payload: dict[str, Any], field: str) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    before = snapshot()
    response = client.post(reverse("reference:grouping_create"), payload)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert 'class="field-error"' in response.content.decode()
    assert snapshot() == before


def test_grouping_edit_page_refuses_a_shipped_grouping(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    before = snapshot()
    response = client.post(
        reverse("reference:grouping_edit", kwargs={"code": "ro11"}),
        {"code": "ro11", "name_ro": "X", "name_en": "X", "counties": ["RO-CJ"]},
    )
    assert response.status_code == 400
    assert "cannot be edited" in response.content.decode()
    assert snapshot() == before


def test_the_county_list_lists_everything_with_a_flat_query_count(world: World) -> None:
    client = verified_client(world.user(Role.CASEWORKER))
    url = reverse("reference:county_list")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<code>RO-") == 42
    assert "seed-northwest" in body
    assert "test-custom" in body

    def request() -> None:
        assert client.get(url).status_code == 200

    def make_more() -> None:
        for number in range(5):
            grouping_create(
                actor=SYSTEM,
                code=f"extra-{number}",
                name_ro=f"În plus {number}",
                name_en=f"Extra {number}",
                county_codes=["RO-CJ", "RO-AB", "RO-B"][: number % 3 + 1],
            )

    assert_queries_flat(request, make_more, at_most=10)
    assert client.get(url).content.decode().count("extra-") >= 5
