from django.db.models import QuerySet

from punte.accounts.actor import Actor
from punte.cases.models import Case
from punte.cases.selectors import case_visible_to

from .models import FamilyMember


def family_member_visible_to(actor: Actor) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(case__in=case_visible_to(actor))


def family_of(*, actor: Actor, case: Case) -> QuerySet[FamilyMember]:
    return family_member_visible_to(actor).filter(case=case).order_by("pk")
