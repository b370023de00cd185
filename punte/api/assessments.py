"""`/api/v1/assessment-templates`, assessments of a case, `/api/v1/tasks` and `/api/v1/alerts`.

Templates are what a client builds its forms from. Lists of assessments carry results, never
answers; psychological assessments exist only for clinical roles (for anyone else they are not
found). Tasks and alerts name cases by their code, never persons.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from punte.accounts.roles import Action
from punte.assessments import selectors, services
from punte.assessments.definitions import localized
from punte.assessments.models import Assessment, AssessmentKind, AssessmentTemplate, Task
from punte.audit.services import audit_access
from punte.cases.selectors import case_get
from punte.core.errors import ValidationError

from .base import ERRORS, api, requires
from .cases import Body
from .endpoints import actor_of

ASSESSMENTS = ["assessments"]
TASKS = ["tasks"]
TEMPLATE_MAX_CHARACTERS = 200_000


# Templates


class Texts(Schema):
    ro: str
    en: str


class OptionOut(Schema):
    value: str
    label: str = Field(..., description="In the language of the request")
    labels: Texts
    raises: str = Field(..., description="low, medium, high or immediate: the risk this answer raises; empty for none")


class TemplateFieldOut(Schema):
    id: str
    type: str = Field(..., description="choice, scale or text")
    label: str = Field(..., description="In the language of the request")
    labels: Texts
    required: bool
    options: list[OptionOut] = Field(..., description="For a choice: the answers offered")
    min: int | None = Field(None, description="For a scale: the lowest whole number allowed")
    max: int | None = Field(None, description="For a scale: the highest whole number allowed")
    domain: str = Field(..., description="For a complex evaluation: the domain the question belongs to")
    part: str = Field(..., description="For a domain question: need, resource or notes")


class DomainOut(Schema):
    id: str
    label: str
    labels: Texts


class TemplateOut(Schema):
    id: int
    kind: str
    version: int
    title: str
    titles: Texts
    reassess_after_days: int | None
    domains: list[DomainOut]
    fields: list[TemplateFieldOut]


class TemplateIn(Body):
    yaml: str = Field(
        ...,
        description=f"The template file: kind, version (higher than the current one), title, fields or domains. "
        f"At most {TEMPLATE_MAX_CHARACTERS:,} characters.",
    )


def _template_out(template: AssessmentTemplate) -> dict[str, Any]:
    definition = selectors.template_definition(template)
    return {
        "id": template.pk,
        "kind": template.kind,
        "version": template.version,
        "title": template.title,
        "titles": {"ro": template.title_ro, "en": template.title_en},
        "reassess_after_days": template.reassess_after_days,
        "domains": [{"id": domain, "label": localized(label), "labels": label} for domain, label in definition.domains],
        "fields": [
            {
                "id": f.id,
                "type": f.type,
                "label": f.text,
                "labels": f.label,
                "required": f.required,
                "options": [
                    {"value": o.value, "label": localized(o.label), "labels": o.label, "raises": o.raises} for o in f.options
                ],
                "min": f.min if f.type == "scale" else None,
                "max": f.max if f.type == "scale" else None,
                "domain": f.domain,
                "part": f.part,
            }
            for f in definition.fields
        ],
    }


# Assessments


class AssessmentOut(Schema):
    """A completed assessment's results; never its answers."""

    id: int
    case: int = Field(..., alias="case_id")
    kind: str
    template_version: int
    completed_at: datetime
    completed_by: str
    risk_level: str = Field(..., description="For an initial risk assessment: low, medium, high or immediate")
    raised_by: list[dict[str, str]] = Field(..., description="The answers that raised the risk to medium or above")
    domain_scores: dict[str, dict[str, int]] = Field(..., description="For a complex evaluation: need and resource per domain")
    reassess_on: date | None

    @staticmethod
    def resolve_template_version(obj: Assessment) -> int:
        return obj.template.version

    @staticmethod
    def resolve_completed_by(obj: Assessment) -> str:
        return obj.completed_by.username


class AnswerOut(Schema):
    question: str
    label: str
    value: Any = Field(..., description="As given: a choice's value, a whole number or a text; null when not answered")
    answer: str = Field(..., description="A choice's label, or the value as text")
    raised: str = Field(..., description="The risk level this answer raised, if any")
    domain: str

    @staticmethod
    def resolve_question(obj: selectors.Answer) -> str:
        return obj.field.id

    @staticmethod
    def resolve_label(obj: selectors.Answer) -> str:
        return obj.field.text

    @staticmethod
    def resolve_answer(obj: selectors.Answer) -> str:
        return obj.text

    @staticmethod
    def resolve_domain(obj: selectors.Answer) -> str:
        return obj.field.domain


class AssessmentDetailOut(AssessmentOut):
    answers: list[AnswerOut] = Field(..., description="In the order of the template version they were given with")

    @staticmethod
    def resolve_answers(obj: Assessment) -> list[selectors.Answer]:
        return selectors.answers_of(obj)


class AssessmentCreatedOut(AssessmentDetailOut):
    safety_plan_task: int | None = Field(
        None,
        description="When the risk is high or immediate: the case's open safety-plan task, opened by this assessment "
        "or still open from an earlier one. Null otherwise.",
    )


class AssessmentIn(Body):
    kind: str = Field(..., description=", ".join(AssessmentKind.values))
    answers: dict[str, Any] = Field(..., description="Question id -> a choice's value, a whole number or a text")


# Tasks and alerts


class TaskOut(Schema):
    id: int
    kind: str
    case: int = Field(..., alias="case_id")
    case_code: str = Field(..., alias="case.code")
    due_on: date
    assigned_to: str | None
    status: str
    done_at: datetime | None

    @staticmethod
    def resolve_assigned_to(obj: Task) -> str | None:
        return obj.assigned_to.username if obj.assigned_to is not None else None


class TaskQuery(Schema):
    mine: bool = Field(True, description="Only tasks assigned to you")
    status: str = Field(Task.Status.OPEN.value, description="open or done; empty for both")
    case: int | None = Field(None, description="A case id")


class AlertOut(Schema):
    id: int
    kind: str
    case: int = Field(..., alias="case_id")
    case_code: str = Field(..., alias="case.code")
    risk_level: str
    created_at: datetime
    read_at: datetime | None


def _tasks(request: HttpRequest) -> Any:
    return selectors.task_visible_to(actor_of(request)).select_related("case", "assigned_to").order_by("due_on", "pk")


# Templates


@api.get(
    "/assessment-templates",
    response={200: list[TemplateOut], **ERRORS},
    tags=ASSESSMENTS,
    auth=requires(Action.CASE_VIEW),
    summary="The current version of each assessment template: what a form is built from",
)
def templates_list(request: HttpRequest) -> Any:
    templates = []
    for kind in AssessmentKind.values:
        try:
            templates.append(services.template_current(kind))
        except ValidationError:
            continue  # not installed
    return [_template_out(template) for template in templates]


@api.post(
    "/assessment-templates",
    response={201: TemplateOut, **ERRORS},
    tags=ASSESSMENTS,
    auth=requires(Action.REFERENCE_MANAGE),
    summary="Add a new version of a template",
    description="Assessments already made keep the version they were made with. Every problem with the file is "
    "reported under `details.file`.",
)
def templates_upload(request: HttpRequest, payload: TemplateIn) -> Status[Any]:
    if len(payload.yaml) > TEMPLATE_MAX_CHARACTERS:
        raise ValidationError(
            details={
                "file": [_("The template may have at most %(count)s characters.") % {"count": f"{TEMPLATE_MAX_CHARACTERS:,}"}]
            }
        )
    template = services.template_upload(actor=actor_of(request), text=payload.yaml)
    return Status(201, _template_out(template))


# Assessments


@api.get(
    "/cases/{case_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    tags=ASSESSMENTS,
    auth=requires(Action.CASE_VIEW),
    summary="The case's assessments, newest first, without their answers",
)
def assessments_list(request: HttpRequest, case_id: int) -> Any:
    actor = actor_of(request)
    case = case_get(actor=actor, pk=case_id)
    return list(selectors.assessments_of(actor=actor, case=case))


@api.post(
    "/cases/{case_id}/assessments",
    response={201: AssessmentCreatedOut, **ERRORS},
    tags=ASSESSMENTS,
    auth=requires(Action.CASE_EDIT),
    summary="Record a completed assessment with the current template version",
    description="An initial risk assessment sets the case's risk level; high or immediate danger opens a safety-plan "
    "task and alerts the supervisors. Psychological assessments are for clinical roles only. A problem with an "
    "answer is reported under the question's id.",
)
def assessments_create(request: HttpRequest, case_id: int, payload: AssessmentIn) -> Status[Any]:
    actor = actor_of(request)
    case = case_get(actor=actor, pk=case_id)
    wrong = {
        question: [_("Give a text or a whole number.")]
        for question, value in payload.answers.items()
        if isinstance(value, bool) or not isinstance(value, str | int | None)
    }
    if wrong:
        raise ValidationError(details=wrong)
    created = services.assessment_create(actor=actor, case=case, kind=payload.kind, answers=payload.answers)
    assessment: Any = selectors.assessment_get(actor=actor, pk=created.pk)
    assessment.safety_plan_task = None
    if assessment.risk_level in services.SAFETY_PLAN_DAYS:
        task = _tasks(request).filter(case=case, kind=Task.Kind.SAFETY_PLAN, status=Task.Status.OPEN).first()
        assessment.safety_plan_task = task.pk if task is not None else None
    return Status(201, assessment)


@api.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetailOut, **ERRORS},
    tags=ASSESSMENTS,
    auth=requires(Action.CASE_VIEW),
    summary="An assessment with its answers, labelled",
)
def assessments_get(request: HttpRequest, assessment_id: int) -> Any:
    actor = actor_of(request)
    assessment = selectors.assessment_get(actor=actor, pk=assessment_id)
    audit_access(actor=actor, target=assessment)  # the answers are protected
    return assessment


# Tasks


@api.get("/tasks", response={200: list[TaskOut], **ERRORS}, tags=TASKS, auth=requires(Action.CASE_VIEW))
@paginate(LimitOffsetPagination)
def tasks_list(request: HttpRequest, filters: Query[TaskQuery]) -> Any:
    if filters.status and filters.status not in Task.Status.values:
        raise ValidationError(details={"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(Task.Status.values)}]})
    actor = actor_of(request)
    tasks = _tasks(request)
    if filters.mine:
        tasks = tasks.filter(assigned_to_id=actor.user.pk if actor.user is not None else None)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.case is not None:
        tasks = tasks.filter(case_id=filters.case)
    return tasks


@api.post(
    "/tasks/{task_id}/done",
    response={200: TaskOut, **ERRORS},
    tags=TASKS,
    auth=requires(Action.CASE_EDIT),
    summary="Mark a task done",
    description="Marking a task that is already done changes nothing.",
)
def tasks_done(request: HttpRequest, task_id: int) -> Any:
    actor = actor_of(request)
    task = selectors.task_get(actor=actor, pk=task_id)
    services.task_complete(actor=actor, task=task)
    return _tasks(request).get(pk=task.pk)


# Alerts


@api.get(
    "/alerts",
    response={200: list[AlertOut], **ERRORS},
    tags=TASKS,
    auth=requires(Action.CASE_VIEW),
    summary="Your unread alerts in the organization you act in, newest first (at most 50)",
)
def alerts_list(request: HttpRequest) -> Any:
    return selectors.my_alerts(actor=actor_of(request))


@api.post(
    "/alerts/{alert_id}/read",
    response={200: AlertOut, **ERRORS},
    tags=TASKS,
    auth=requires(Action.CASE_VIEW),
    summary="Mark one of your alerts read",
)
def alerts_read(request: HttpRequest, alert_id: int) -> Any:
    actor = actor_of(request)
    # Only the caller's own alerts, in the organization she acts in (selectors.alert_get).
    return services.alert_read(actor=actor, alert=selectors.alert_get(actor=actor, pk=alert_id))
