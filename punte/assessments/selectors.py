"""Reads of assessments, tasks and alerts, through the case's visibility. Psychological
assessments are visible to clinical roles only."""

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.cases.models import Case
from punte.cases.selectors import PERSON_IDENTITY, case_visible_to
from punte.core.errors import NotFound

from .definitions import Definition, Field, localized, parse_definition
from .models import Alert, Assessment, AssessmentKind, AssessmentTemplate, Task


def assessment_visible_to(actor: Actor) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(case__in=case_visible_to(actor))
    if not actor.can(Action.CLINICAL_VIEW):
        assessments = assessments.exclude(kind=AssessmentKind.PSYCHOLOGICAL)
    return assessments


def task_visible_to(actor: Actor) -> QuerySet[Task]:
    return Task.objects.filter(case__in=case_visible_to(actor))


def assessments_of(*, actor: Actor, case: Case) -> QuerySet[Assessment]:
    return (
        assessment_visible_to(actor)
        .filter(case=case)
        .select_related("template", "completed_by")
        .defer("answers", "template__definition")
    )


def assessment_get(*, actor: Actor, pk: int) -> Assessment:
    assessment = (
        assessment_visible_to(actor)
        .select_related("case", "case__person", "template", "completed_by")
        .defer(*(f"case__person__{name}" for name in PERSON_IDENTITY))
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise NotFound()
    return assessment


@dataclass(frozen=True)
class Answer:
    field: Field
    value: Any
    text: str
    raised: str


def answers_of(assessment: Assessment) -> list[Answer]:
    """The answers in the order of the template version they were given with, labelled."""
    definition = parse_definition(assessment.kind, assessment.template.definition)
    values = json.loads(assessment.answers)
    raised = {r["field"]: r["level"] for r in assessment.raised_by}
    shown = []
    for f in definition.fields:
        value = values.get(f.id)
        text = (
            next((localized(o.label) for o in f.options if o.value == value), "")
            if f.type == "choice"
            else ("" if value is None else str(value))
        )
        shown.append(Answer(field=f, value=value, text=text, raised=raised.get(f.id, "")))
    return shown


@dataclass(frozen=True)
class DomainRow:
    label: str
    need: int | None
    resource: int | None


def domain_rows(assessment: Assessment) -> list[DomainRow]:
    """A complex evaluation's needs and resources, one row per domain of its template version."""
    definition = parse_definition(assessment.kind, assessment.template.definition)
    scores = assessment.domain_scores or {}
    return [
        DomainRow(localized(label), scores.get(domain, {}).get("need"), scores.get(domain, {}).get("resource"))
        for domain, label in definition.domains
    ]


def open_tasks_of(*, actor: Actor, case: Case) -> QuerySet[Task]:
    return (
        task_visible_to(actor).filter(case=case, status=Task.Status.OPEN).select_related("assigned_to").order_by("due_on", "pk")
    )


def safety_plan_open(*, actor: Actor, case: Case) -> bool:
    return task_visible_to(actor).filter(case=case, kind=Task.Kind.SAFETY_PLAN, status=Task.Status.OPEN).exists()


def template_definition(template: AssessmentTemplate) -> Definition:
    return parse_definition(template.kind, template.definition)


def template_list(*, actor: Actor) -> QuerySet[AssessmentTemplate]:
    if not actor.can(Action.REFERENCE_MANAGE):
        return AssessmentTemplate.objects.none()
    return AssessmentTemplate.objects.select_related("created_by").order_by("kind", "-version")


def my_tasks(*, actor: Actor) -> list[Task]:
    if actor.user is None:
        return []
    return list(
        task_visible_to(actor)
        .filter(status=Task.Status.OPEN, assigned_to_id=actor.user.pk)
        .select_related("case", "case__person")
        .defer(*(f"case__person__{name}" for name in PERSON_IDENTITY))
        .order_by("due_on", "pk")[:50]
    )


def my_alerts(*, actor: Actor) -> list[Alert]:
    if actor.user is None or actor.organization_id is None:
        return []
    return list(
        Alert.objects.filter(recipient_id=actor.user.pk, organization_id=actor.organization_id, read_at__isnull=True)
        .select_related("case")
        .order_by("-created_at", "-pk")[:50]
    )


def alert_get(*, actor: Actor, pk: int) -> Alert:
    if actor.user is None or actor.organization_id is None:
        raise NotFound()
    alert = (
        Alert.objects.filter(pk=pk, recipient_id=actor.user.pk, organization_id=actor.organization_id)
        .select_related("case")
        .first()
    )
    if alert is None:
        raise NotFound()
    return alert


def task_get(*, actor: Actor, pk: int) -> Task:
    task = task_visible_to(actor).filter(pk=pk).first()
    if task is None:
        raise NotFound()
    return task


def assessments_due(*, actor: Actor) -> list[Assessment]:
    """The newest assessment of each kind, per open case of the organization, whose reassessment
    date has come. One query: an assessment counts only if no newer one of its kind exists."""
    newer = Assessment.objects.filter(case=OuterRef("case"), kind=OuterRef("kind")).filter(
        Q(completed_at__gt=OuterRef("completed_at")) | Q(completed_at=OuterRef("completed_at"), pk__gt=OuterRef("pk"))
    )
    return list(
        assessment_visible_to(actor)
        .filter(case__status__in=["Active", "FollowUp"], reassess_on__lte=timezone.localdate())
        .exclude(Exists(newer))
        .select_related("case", "case__person")
        .defer("answers", *(f"case__person__{name}" for name in PERSON_IDENTITY))
        .order_by("reassess_on", "pk")[:50]
    )
