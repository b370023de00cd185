from django.db.models import QuerySet

from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.cases.models import Case
from punte.cases.selectors import case_visible_to

from .models import CaseNote, Document


def note_visible_to(actor: Actor) -> QuerySet[CaseNote]:
    """Notes of the cases the actor sees; sealed clinical notes for clinical roles only."""
    notes = CaseNote.objects.filter(case__in=case_visible_to(actor))
    if not actor.can(Action.CLINICAL_VIEW):
        notes = notes.filter(sealed=False)
    return notes


def notes_of(*, actor: Actor, case: Case, include_replaced: bool = False) -> QuerySet[CaseNote]:
    notes = note_visible_to(actor).filter(case=case).select_related("author", "replaces")
    if not include_replaced:
        notes = notes.filter(replaced_by__isnull=True)
    return notes.order_by("-occurred_on", "-pk")


def document_visible_to(actor: Actor) -> QuerySet[Document]:
    return Document.objects.filter(case__in=case_visible_to(actor))
