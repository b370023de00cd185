"""Case notes (sealed ones for clinical roles), corrections as new versions, encrypted documents."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from punte.cases.models import Case
from punte.cases.services import person_create, referral_create, referral_open_case
from punte.core.errors import PermissionDenied, ValidationError
from punte.notes.models import CaseNote, Document
from punte.notes.selectors import notes_of
from punte.notes.services import document_read, document_store, note_write
from tests.base import World

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def open_case(world: World) -> Case:
    actor = world.actor(Role.CASEWORKER)
    referral = referral_create(actor=actor, received_on=date(2026, 1, 2), source="police", channel="phone", summary="Sintetic")
    return referral_open_case(
        actor=actor, referral=referral, person=person_create(actor=actor, first_name="Testina", last_name="Exemplu")
    )


def test_sealed_notes_are_for_clinical_roles_only(world: World) -> None:
    case = open_case(world)
    visit = note_write(
        actor=world.actor(Role.CASEWORKER),
        case=case,
        interaction="visit",
        occurred_on=timezone.localdate(),
        text="Vizită sintetică",
    )
    with pytest.raises(PermissionDenied):
        note_write(
            actor=world.actor(Role.CASEWORKER),
            case=case,
            interaction="office",
            occurred_on=timezone.localdate(),
            text="x",
            sealed=True,
        )
    sealed = note_write(
        actor=world.actor(Role.PSYCHOLOGIST),
        case=case,
        interaction="office",
        occurred_on=timezone.localdate(),
        text="Ședință",
        sealed=True,
    )
    assert [n.pk for n in notes_of(actor=world.actor(Role.PSYCHOLOGIST), case=case)] == [sealed.pk, visit.pk]
    for role in (Role.CASEWORKER, Role.SUPERVISOR):
        assert [n.pk for n in notes_of(actor=world.actor(role), case=case)] == [visit.pk], role
    assert list(notes_of(actor=world.actor(Role.ANALYST), case=case)) == []


def test_a_correction_is_a_new_version_and_the_old_one_stays(world: World) -> None:
    case = open_case(world)
    actor = world.actor(Role.CASEWORKER)
    first = note_write(actor=actor, case=case, interaction="phone", occurred_on=timezone.localdate(), text="Greșit")
    corrected = note_write(
        actor=actor, case=case, interaction="phone", occurred_on=timezone.localdate(), text="Corect", replaces=first
    )
    assert [n.pk for n in notes_of(actor=actor, case=case)] == [corrected.pk]
    assert {n.pk for n in notes_of(actor=actor, case=case, include_replaced=True)} == {first.pk, corrected.pk}
    with pytest.raises(ValidationError):
        note_write(actor=actor, case=case, interaction="phone", occurred_on=timezone.localdate(), text="Din nou", replaces=first)
    assert CaseNote.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "  "}, "text"),
        ({"occurred_on": date.today() + timedelta(days=2)}, "occurred_on"),
        ({"interaction": "telepathy"}, "interaction"),
    ],
)
def test_bad_notes_write_nothing(world: World, changes: dict[str, object], field: str) -> None:
    case = open_case(world)
    before = CaseNote.objects.count(), AuditEvent.objects.count()
    values = {"interaction": "visit", "occurred_on": timezone.localdate(), "text": "Text", **changes}
    with pytest.raises(ValidationError) as raised:
        note_write(actor=world.actor(Role.CASEWORKER), case=case, **values)  # type: ignore[arg-type]
    assert field in raised.value.details
    assert (CaseNote.objects.count(), AuditEvent.objects.count()) == before


def test_documents_are_stored_encrypted_and_read_back(world: World) -> None:
    case = open_case(world)
    document = document_store(
        actor=world.actor(Role.CASEWORKER), case=case, kind="medical", title="Scrisoare medicală", content=PDF
    )
    assert document.content_type == "application/pdf"
    with default_storage.open(document.storage_name, "rb") as handle:
        stored = handle.read()
    assert b"%PDF" not in stored
    assert document_read(document) == PDF
    png = document_store(actor=world.actor(Role.CASEWORKER), case=case, kind="identity", title="Act", content=PNG)
    assert png.content_type == "image/png"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"MZ\x90\x00 this is an executable", "Upload a PDF"), (b"<script>alert(1)</script>", "Upload a PDF")],
)
def test_bad_files_are_refused_and_nothing_is_stored(world: World, content: bytes, message: str) -> None:
    case = open_case(world)
    before = Document.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        document_store(actor=world.actor(Role.CASEWORKER), case=case, kind="other", title="Fișier", content=content)
    assert message in " ".join(raised.value.details["file"])
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


@override_settings(PUNTE_MAX_UPLOAD_MB=1)
def test_large_files_are_refused(world: World) -> None:
    case = open_case(world)
    with pytest.raises(ValidationError):
        document_store(
            actor=world.actor(Role.CASEWORKER), case=case, kind="other", title="Mare", content=PDF + b"0" * (1024 * 1024)
        )


def test_other_roles_cannot_write_notes_or_store_documents(world: World) -> None:
    case = open_case(world)
    for role in (Role.ANALYST, Role.MENTOR, Role.ADMINISTRATOR, Role.PARTNER_PROVIDER):
        with pytest.raises(PermissionDenied):
            note_write(actor=world.actor(role), case=case, interaction="visit", occurred_on=timezone.localdate(), text="x")
        with pytest.raises(PermissionDenied):
            document_store(actor=world.actor(role), case=case, kind="other", title="x", content=PDF)


def test_documents_are_visible_to_the_case_roles_of_their_organization_only(world: World) -> None:
    from punte.accounts.actor import actor_for
    from punte.notes.selectors import document_visible_to

    case = open_case(world)
    document = document_store(actor=world.actor(Role.CASEWORKER), case=case, kind="medical", title="Scrisoare", content=PDF)
    for role in (Role.CASEWORKER, Role.PSYCHOLOGIST, Role.SUPERVISOR):
        assert list(document_visible_to(world.actor(role))) == [document], role
    for actor in (
        world.actor(Role.ADMINISTRATOR),
        world.actor(Role.ANALYST),
        world.actor(Role.MENTOR),
        actor_for(world.other_caseworker),
    ):
        assert not document_visible_to(actor).exists()


def test_a_failed_store_leaves_no_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from punte.notes import services

    case = open_case(world)

    def fail(**kwargs: object) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "audit_record", fail)
    saved: list[str] = []
    real_save = default_storage.save

    def recording_save(name: str, content: Any) -> str:
        saved.append(real_save(name, content))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", recording_save)
    with pytest.raises(RuntimeError):
        document_store(actor=world.actor(Role.CASEWORKER), case=case, kind="other", title="Fișier", content=PDF)
    assert saved
    assert not default_storage.exists(saved[0])
    assert not Document.objects.exists()
