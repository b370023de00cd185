from django.db.models import QuerySet

from punte.accounts.actor import Actor
from punte.cases.models import Case
from punte.cases.selectors import case_visible_to

from .models import Consent


def consent_visible_to(actor: Actor) -> QuerySet[Consent]:
    return Consent.objects.filter(case__in=case_visible_to(actor))


def consents_of(*, actor: Actor, case: Case) -> QuerySet[Consent]:
    """Every consent of the case, withdrawn and expired ones too: the history."""
    return consent_visible_to(actor).filter(case=case).select_related("recipient", "representative", "recorded_by")
