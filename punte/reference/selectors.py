from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.core.errors import NotFound

from .models import County, CountyGrouping, DevelopmentRegion


@dataclass(frozen=True)
class ReferenceSummary:
    counties: int
    regions: int
    groupings: int


def reference_summary() -> ReferenceSummary:
    return ReferenceSummary(
        counties=County.objects.count(),
        regions=DevelopmentRegion.objects.count(),
        groupings=CountyGrouping.objects.count(),
    )


def county_list(*, actor: Actor) -> QuerySet[County]:
    if not actor.can(Action.REFERENCE_VIEW):
        return County.objects.none()
    return County.objects.select_related("region").order_by("name_ascii")


def grouping_list(*, actor: Actor) -> QuerySet[CountyGrouping]:
    if not actor.can(Action.REFERENCE_VIEW):
        return CountyGrouping.objects.none()
    return (
        CountyGrouping.objects.annotate(county_count=Count("counties"))
        .prefetch_related(Prefetch("counties", queryset=County.objects.order_by("name_ascii")))
        .order_by("kind", "code")
    )


def grouping_get(*, actor: Actor, code: str) -> CountyGrouping:
    grouping = grouping_list(actor=actor).filter(code=code).first()
    if grouping is None:
        raise NotFound()
    return grouping
