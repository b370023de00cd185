"""Templates in, assessments out: each write validates, runs in one transaction and is audited."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.models import Membership
from punte.accounts.roles import Action, Role
from punte.audit.services import audit_record
from punte.cases.models import Case
from punte.cases.services import case_guard
from punte.core.errors import PermissionDenied, ValidationError

from .definitions import TemplateSource, clean_answers, domain_scores, parse_definition, risk_result, template_from_yaml
from .models import Alert, Assessment, AssessmentKind, AssessmentTemplate, Task

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# The stage a case reaches once an assessment of each kind is done (seed 003's order).
NEXT_STAGE = {
    AssessmentKind.INITIAL_RISK: Case.Stage.COMPLEX_EVALUATION,
    AssessmentKind.COMPLEX_EVALUATION: Case.Stage.PSYCHOLOGICAL_ASSESSMENT,
    AssessmentKind.PSYCHOLOGICAL: Case.Stage.INTERVENTION_PLAN,
}
STAGE_ORDER = list(Case.Stage.values)
SAFETY_PLAN_DAYS = {"high": 2, "immediate": 0}


def _save_template(actor: Actor, source: TemplateSource, origin: str) -> AssessmentTemplate:
    template = AssessmentTemplate(
        kind=source.kind,
        version=source.version,
        title_ro=source.title["ro"],
        title_en=source.title["en"],
        definition=source.definition,
        reassess_after_days=source.reassess_after_days,
        source=origin,
        created_by=actor.user,
    )
    template.save()
    audit_record(actor=actor, action="assessment_template.create", target=template, fields=["kind", "version", "definition"])
    return template


def templates_load_shipped(*, actor: Actor, directory: Path = TEMPLATES_DIR) -> int:
    """Install the template files shipped with punte. Idempotent; a shipped version whose content
    changed is refused: a change needs a new version number."""
    actor.require(Action.REFERENCE_MANAGE)
    created = 0
    with transaction.atomic():
        for path in sorted(directory.glob("*.yaml")):
            source = template_from_yaml(path.read_text(encoding="utf-8"))
            existing = AssessmentTemplate.objects.filter(kind=source.kind, version=source.version).first()
            if existing is None:
                _save_template(actor, source, AssessmentTemplate.Source.SHIPPED)
                created += 1
            elif existing.definition != source.definition:
                raise ValidationError(
                    _("%(file)s changes version %(version)s of a template already in use: give it a new version number.")
                    % {"file": path.name, "version": source.version}
                )
    return created


def template_upload(*, actor: Actor, text: str) -> AssessmentTemplate:
    """An administrator adds a new version of a template; assessments already made keep theirs."""
    actor.require(Action.REFERENCE_MANAGE)
    source = template_from_yaml(text)
    latest = AssessmentTemplate.objects.filter(kind=source.kind).order_by("-version").first()
    if latest is not None and source.version <= latest.version:
        raise ValidationError(
            details={
                "file": [
                    _("Version %(version)s exists already: the next version is %(next)s.")
                    % {"version": source.version, "next": latest.version + 1}
                ]
            }
        )
    with transaction.atomic():
        return _save_template(actor, source, AssessmentTemplate.Source.UPLOADED)


def template_current(kind: str) -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:
        raise ValidationError(_("No template is installed for this assessment; run manage.py load_reference."))
    return template


def assessment_create(*, actor: Actor, case: Case, kind: str, answers: dict[str, Any]) -> Assessment:
    """Record a completed assessment with the current template version. The initial risk
    assessment sets the case's risk level; high or immediate danger opens a safety-plan task for
    the caseworker and alerts the organization's supervisors."""
    case_guard(actor, case)
    if kind == AssessmentKind.PSYCHOLOGICAL:
        actor.require(Action.CLINICAL_VIEW)
    if kind not in AssessmentKind.values:
        raise ValidationError(details={"kind": [_("Unknown kind of assessment.")]})
    if case.status in {"Closed", "ClosedReferred"}:
        raise ValidationError(_("The case is closed; reopen it before assessing again."))
    template = template_current(kind)
    definition = parse_definition(kind, template.definition)
    cleaned = clean_answers(definition, answers)
    assessment = Assessment(case=case, template=template, kind=kind, answers=json.dumps(cleaned, ensure_ascii=False))
    assessment.completed_by = actor.user  # type: ignore[assignment]
    if kind == AssessmentKind.INITIAL_RISK:
        assessment.risk_level, assessment.raised_by = risk_result(definition, cleaned)
    if kind == AssessmentKind.COMPLEX_EVALUATION:
        assessment.domain_scores = domain_scores(definition, cleaned)
    today = timezone.localdate()
    if template.reassess_after_days:
        assessment.reassess_on = today + timedelta(days=template.reassess_after_days)
    with transaction.atomic():
        assessment.save()
        audit_record(actor=actor, action=f"assessment.{kind}", target=assessment, fields=sorted(cleaned))
        _carry_to_case(actor, case, assessment)
        if assessment.risk_level in SAFETY_PLAN_DAYS:
            _raise_safety_plan(actor, case, assessment, today)
    return assessment


def _carry_to_case(actor: Actor, case: Case, assessment: Assessment) -> None:
    changes: dict[str, Any] = {}
    next_stage = NEXT_STAGE[AssessmentKind(assessment.kind)]
    if STAGE_ORDER.index(next_stage) > STAGE_ORDER.index(case.stage):
        changes["stage"] = next_stage
    if assessment.risk_level and assessment.risk_level != case.risk_level:
        changes["risk_level"] = assessment.risk_level
    if not changes:
        return
    Case.objects.filter(pk=case.pk).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    case.refresh_from_db(fields=[*changes, "version", "updated_at"])
    audit_record(actor=actor, action="case.update", target=case, fields=sorted(changes))


def _raise_safety_plan(actor: Actor, case: Case, assessment: Assessment, today: Any) -> None:
    open_plan = Task.objects.filter(case=case, kind=Task.Kind.SAFETY_PLAN, status=Task.Status.OPEN).first()
    if open_plan is None:
        task = Task.objects.create(
            organization_id=case.organization_id,
            case=case,
            kind=Task.Kind.SAFETY_PLAN,
            due_on=today + timedelta(days=SAFETY_PLAN_DAYS[assessment.risk_level]),
            assigned_to=case.caseworker or actor.user,
        )
        audit_record(actor=actor, action="task.create", target=task, fields=["kind", "due_on", "assigned_to"])
    supervisors = Membership.objects.filter(
        organization_id=case.organization_id, role=Role.SUPERVISOR, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                organization_id=case.organization_id,
                recipient_id=user_id,
                case=case,
                kind=Alert.Kind.HIGH_RISK,
                risk_level=assessment.risk_level,
            )
            for user_id in supervisors
        ]
    )
    if alerts:
        audit_record(actor=actor, action="alert.create", target=case, fields=["recipients", "risk_level"])


def task_complete(*, actor: Actor, task: Task) -> Task:
    actor.require(Action.CASE_EDIT)
    if task.organization_id != actor.organization_id:
        raise PermissionDenied()
    if task.status == Task.Status.DONE:
        return task
    with transaction.atomic():
        task.status, task.done_at, task.done_by = Task.Status.DONE, timezone.now(), actor.user
        task.save(update_fields=["status", "done_at", "done_by"])
        audit_record(actor=actor, action="task.complete", target=task, fields=["status", "done_at", "done_by"])
    return task


def alert_read(*, actor: Actor, alert: Alert) -> Alert:
    if actor.user is None or alert.recipient_id != actor.user.pk:
        raise PermissionDenied()
    if alert.read_at is None:
        with transaction.atomic():
            alert.read_at = timezone.now()
            alert.save(update_fields=["read_at"])
            audit_record(actor=actor, action="alert.read", target=alert, fields=["read_at"])
    return alert
