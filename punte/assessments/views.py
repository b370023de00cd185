"""Assessment forms and pages, tasks and alerts, and the administration of assessment templates.

A psychological assessment is for clinical roles only: others cannot open its form, and its page
is "not found" to them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from punte.accounts.forms import add_service_errors
from punte.accounts.roles import Action
from punte.audit.services import audit_access
from punte.cases import selectors as case_selectors
from punte.cases.models import Case
from punte.core.errors import NotFound, PunteError
from punte.core.http import ActorRequest, actor_required

from . import selectors, services
from .forms import AssessmentForm, TemplateUploadForm
from .models import AssessmentKind

HIGH_RISK = {"high", "immediate"}
RISK_LABELS = dict(Case.RiskLevel.choices)


@actor_required(Action.CASE_EDIT)
def assessment_create(request: ActorRequest, pk: int, kind: str) -> HttpResponse:
    actor = request.actor
    if kind not in AssessmentKind.values:
        raise NotFound()
    if kind == AssessmentKind.PSYCHOLOGICAL:
        actor.require(Action.CLINICAL_VIEW)
    case = case_selectors.case_get(actor=actor, pk=pk)
    template = services.template_current(kind)
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, definition=selectors.template_definition(template))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            had_plan = selectors.safety_plan_open(actor=actor, case=case)
            try:
                assessment = services.assessment_create(actor=actor, case=case, kind=kind, answers=form.answers())
            except PunteError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Assessment saved."))
                if assessment.risk_level in HIGH_RISK:
                    level = assessment.get_risk_level_display()
                    if had_plan:
                        text = _("Risk level %(level)s: the open safety plan task stays open and the supervisors were alerted.")
                    else:
                        text = _("Risk level %(level)s: a safety plan task was created and the supervisors were alerted.")
                    messages.warning(request, text % {"level": level})
                return redirect("assessments:assessment_detail", pk=assessment.pk)
    context = {"case": case, "template": template, "form": form, "kind": kind}
    return render(request, "assessments/assessment_form.html", context, status=status)


@actor_required(Action.CASE_VIEW)
@require_GET
def assessment_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    assessment = selectors.assessment_get(actor=actor, pk=pk)
    answers = selectors.answers_of(assessment)
    audit_access(actor=actor, target=assessment)
    context = {
        "assessment": assessment,
        "case": assessment.case,
        "answers": answers,
        "raised": [(answer, RISK_LABELS[answer.raised]) for answer in answers if answer.raised],
        "domains": selectors.domain_rows(assessment) if assessment.kind == AssessmentKind.COMPLEX_EVALUATION else [],
    }
    return render(request, "assessments/assessment_detail.html", context)


@actor_required(Action.CASE_EDIT)
@require_POST
def task_done(request: ActorRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(actor=request.actor, pk=pk)
    services.task_complete(actor=request.actor, task=task)
    messages.success(request, _("Task marked as done."))
    if request.POST.get("next") == "my_work":
        return redirect("cases:my_work")
    return redirect("cases:case_detail", pk=task.case_id)


@actor_required(Action.CASE_VIEW)
@require_POST
def alert_read(request: ActorRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get(actor=request.actor, pk=pk)
    services.alert_read(actor=request.actor, alert=alert)
    messages.success(request, _("Alert marked as read."))
    return redirect("cases:my_work")


@actor_required(Action.REFERENCE_MANAGE)
def template_list(request: ActorRequest) -> HttpResponse:
    """The assessment templates, every version, and the upload of a new version."""
    actor = request.actor
    form = TemplateUploadForm(request.POST, request.FILES) if request.method == "POST" else TemplateUploadForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                template = services.template_upload(actor=actor, text=form.cleaned_data["file"])
            except PunteError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(title)s, version %(version)s, added: new assessments use it from now on.")
                    % {"title": template.title, "version": template.version},
                )
                return redirect("assessments:template_list")
    context = {"templates": selectors.template_list(actor=actor), "form": form}
    return render(request, "assessments/template_list.html", context, status=status)
