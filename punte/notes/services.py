"""Writing notes and storing documents: validated, audited, never deleted."""

import hashlib
import secrets
from datetime import date

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.audit.services import audit_record
from punte.cases.models import Case
from punte.cases.services import case_guard
from punte.core.crypto import decrypt_bytes, encrypt_bytes
from punte.core.errors import PermissionDenied, ValidationError
from punte.core.validation import full_clean

from .models import CaseNote, Document

ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}
MAX_NOTE = 20_000


def note_write(
    *,
    actor: Actor,
    case: Case,
    interaction: str,
    occurred_on: date,
    text: str,
    sealed: bool = False,
    replaces: CaseNote | None = None,
) -> CaseNote:
    """A case note; a sealed one only by clinical roles. A correction is a new note that names the
    one it replaces, which stays in the history."""
    case_guard(actor, case)
    if sealed:
        actor.require(Action.CLINICAL_VIEW)
    if not text.strip():
        raise ValidationError(details={"text": [_("Write the note.")]})
    if len(text) > MAX_NOTE:
        raise ValidationError(details={"text": [_("A note holds at most 20,000 characters.")]})
    if occurred_on > timezone.localdate():
        raise ValidationError(details={"occurred_on": [_("A note records what happened: the date cannot be in the future.")]})
    if replaces is not None:
        if replaces.case_id != case.pk:
            raise ValidationError(details={"replaces": [_("Correct a note of the same case.")]})
        if replaces.sealed and not actor.can(Action.CLINICAL_VIEW):
            raise PermissionDenied()
        if CaseNote.objects.filter(replaces=replaces).exists():
            raise ValidationError(details={"replaces": [_("This note was already corrected; correct the newest version.")]})
        sealed = replaces.sealed
    note = CaseNote(
        case=case,
        interaction=interaction,
        occurred_on=occurred_on,
        text=text.strip(),
        sealed=sealed,
        replaces=replaces,
        author=actor.user,
    )
    full_clean(note)
    with transaction.atomic():
        note.save()
        audit_record(
            actor=actor,
            action="note.correct" if replaces else "note.write",
            target=note,
            fields=["interaction", "occurred_on", "text"],
        )
    return note


def document_store(*, actor: Actor, case: Case, kind: str, title: str, content: bytes) -> Document:
    """Store an uploaded file encrypted. Its type is read from its content, not from its name."""
    case_guard(actor, case)
    limit = settings.PUNTE_MAX_UPLOAD_MB * 1024 * 1024
    if not content:
        raise ValidationError(details={"file": [_("The file is empty.")]})
    if len(content) > limit:
        raise ValidationError(details={"file": [_("The file is larger than %(mb)s MB.") % {"mb": settings.PUNTE_MAX_UPLOAD_MB}]})
    try:
        content_type = puremagic.from_string(content, mime=True)
    except puremagic.PureError:
        content_type = ""
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(details={"file": [_("Upload a PDF, JPEG, PNG, DOCX or ODT file.")]})
    if kind not in Document.Kind.values:
        raise ValidationError(details={"kind": [_("Unknown kind of document.")]})
    if not title.strip():
        raise ValidationError(details={"title": [_("Give the document a title.")]})
    document = Document(
        case=case,
        kind=kind,
        title=title.strip()[:200],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_name=f"documents/{secrets.token_hex(16)}.bin",
        uploaded_by=actor.user,
    )
    full_clean(document)
    default_storage.save(document.storage_name, ContentFile(encrypt_bytes(content)))
    try:
        with transaction.atomic():
            document.save()
            audit_record(actor=actor, action="document.store", target=document, fields=["kind", "title", "file"])
    except Exception:
        default_storage.delete(document.storage_name)  # no row, so no file either
        raise
    return document


def document_read(document: Document) -> bytes:
    """The decrypted content, checked against the digest taken at upload."""
    with default_storage.open(document.storage_name, "rb") as handle:
        content = decrypt_bytes(handle.read())
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise ValidationError(_("The stored file does not match what was uploaded."))
    return content
