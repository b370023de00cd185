from django.db.models import QuerySet

from punte.accounts.actor import Actor
from punte.cases.models import Case
from punte.cases.selectors import case_visible_to
from punte.core.errors import NotFound

from .models import FamilyMember, LegalRepresentative


def family_member_visible_to(actor: Actor) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(case__in=case_visible_to(actor))


def family_of(*, actor: Actor, case: Case) -> QuerySet[FamilyMember]:
    return family_member_visible_to(actor).filter(case=case).order_by("pk")


def family_member_get(*, actor: Actor, pk: int) -> FamilyMember:
    member = family_member_visible_to(actor).select_related("case", "case__person").filter(pk=pk).first()
    if member is None:
        raise NotFound()
    return member


def representatives_of(*, actor: Actor, case: Case) -> QuerySet[LegalRepresentative]:
    return (
        LegalRepresentative.objects.filter(case__in=case_visible_to(actor), case=case)
        .select_related("family_member")
        .order_by("-since", "-pk")
    )


def representative_current(case: Case) -> LegalRepresentative | None:
    return (
        LegalRepresentative.objects.filter(case=case, until__isnull=True)
        .select_related("family_member")
        .order_by("-since", "-pk")
        .first()
    )
