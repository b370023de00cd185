from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import CharField, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from punte.accounts.actor import Actor
from punte.accounts.models import Membership, Organization, User
from punte.accounts.roles import Action
from punte.core.errors import ValidationError

from .models import AuditEvent


def audit_event_visible_to(actor: Actor) -> QuerySet[AuditEvent]:
    """Administrators see every event; supervisors their organization's, and those about its
    members (an administrator resetting a colleague's password acts from another organization);
    everyone their own."""
    events = AuditEvent.objects.all()
    if actor.can(Action.AUDIT_VIEW_ALL):
        return events
    condition = Q()
    if actor.can(Action.AUDIT_VIEW_ORGANIZATION) and actor.organization_id:
        # target_id is text (records of every kind), so the member ids are compared as text.
        member_ids = (
            Membership.objects.filter(organization_id=actor.organization_id)
            .annotate(as_text=Cast("user_id", CharField()))
            .values("as_text")
        )
        condition |= Q(organization_id=actor.organization_id)
        condition |= Q(target_type="accounts.user", target_id__in=Subquery(member_ids))
    if actor.can(Action.AUDIT_VIEW_OWN) and actor.user is not None:
        condition |= Q(actor_id=actor.user.pk)
    if not condition:
        return events.none()
    return events.filter(condition)


class AuditEventFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    """The filters of the audit viewer and of `GET /api/v1/audit-events`: by actor, record and date."""

    actor = django_filters.ModelChoiceFilter(label=_("Actor"), queryset=User.objects.none())
    organization = django_filters.ModelChoiceFilter(label=_("Organization"), queryset=Organization.objects.none())
    target_type = django_filters.CharFilter(label=_("Record type"), max_length=60)
    target_id = django_filters.CharFilter(label=_("Record"), max_length=40)
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith", max_length=60)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AuditEvent.Kind.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="created_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def __init__(self, data: Mapping[str, Any] | None, queryset: QuerySet[AuditEvent], *, actor: Actor) -> None:
        super().__init__(data, queryset=queryset)
        from punte.accounts.selectors import organization_visible_to, user_visible_to

        self.filters["actor"].queryset = user_visible_to(actor).order_by("username")
        self.filters["organization"].queryset = organization_visible_to(actor).order_by("name")


def audit_event_list(*, actor: Actor, data: Mapping[str, Any] | None = None) -> tuple[QuerySet[AuditEvent], AuditEventFilter]:
    """Events visible to the actor, filtered by `data` (a query string). Bad filters are refused."""
    visible = audit_event_visible_to(actor).select_related("actor", "organization").order_by("-created_at", "-pk")
    filterset = AuditEventFilter(data or None, visible, actor=actor)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(details={field: list(errors) for field, errors in filterset.errors.items()})
    return filterset.qs, filterset


def recent_sign_ins(*, actor: Actor, limit: int = 5) -> QuerySet[AuditEvent]:
    if actor.user is None:
        return AuditEvent.objects.none()
    return (
        audit_event_visible_to(actor)
        .filter(actor_id=actor.user.pk, kind=AuditEvent.Kind.AUTH)
        .select_related("organization")
        .order_by("-created_at", "-pk")[:limit]
    )


def organization_recent_events(*, actor: Actor, limit: int = 10) -> QuerySet[AuditEvent]:
    if not actor.organization_id:
        return AuditEvent.objects.none()
    return (
        audit_event_visible_to(actor)
        .filter(organization_id=actor.organization_id)
        .select_related("actor", "organization")
        .order_by("-created_at", "-pk")[:limit]
    )
