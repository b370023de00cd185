"""Intake, triage, the case list, the case page and "My work". Identifying values are only ever
sent in POST bodies, never in URLs."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.forms import add_service_errors
from punte.accounts.roles import Action
from punte.assessments import selectors as assessment_selectors
from punte.audit.services import audit_access
from punte.core.errors import Conflict, PunteError
from punte.core.http import ActorRequest, actor_required

from . import selectors, services
from .forms import CaseFactsForm, CaseFilterForm, DeclineForm, OpenCaseForm, PersonForm, PersonSearchForm, ReferralForm
from .htcds import CaseStatus
from .models import Referral

PAGE_SIZE = 50
CLOSED = {CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED}


@actor_required(Action.CASE_VIEW)
def my_work(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "work": selectors.my_work(actor=actor),
        "alerts": assessment_selectors.my_alerts(actor=actor),
        "tasks": assessment_selectors.my_tasks(actor=actor),
        "due": assessment_selectors.assessments_due(actor=actor),
        "today": timezone.localdate(),
    }
    return render(request, "cases/my_work.html", context)


@actor_required(Action.REFERRAL_CREATE)
def referral_list(request: ActorRequest) -> HttpResponse:
    status = request.GET.get("status", Referral.Status.NEW)
    if status not in Referral.Status.values:
        status = Referral.Status.NEW
    page = Paginator(selectors.referral_queue(actor=request.actor, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Referral.Status.choices, "query": f"status={status}"}
    return render(request, "cases/referral_list.html", context)


@actor_required(Action.REFERRAL_CREATE)
def referral_create(request: ActorRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(actor=request.actor, **form.cleaned_data)
        except PunteError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral registered."))
            if request.actor.can(Action.REFERRAL_TRIAGE):
                return redirect("cases:referral_detail", pk=referral.pk)
            return redirect("cases:referral_list")
    return render(request, "cases/referral_form.html", {"form": form})


@dataclass
class Triage:
    """The forms of the triage page; each action fills its own and may end with a redirect."""

    search: PersonSearchForm
    person: PersonForm
    decline: DeclineForm
    candidates: list[selectors.Candidate] | None = None


def _triage_search(request: ActorRequest, referral: Referral, triage: Triage) -> HttpResponse | None:
    triage.search = PersonSearchForm(request.POST, prefix="search")
    if triage.search.is_valid():
        identity = services.Identity(**triage.search.cleaned_data)
        triage.candidates = selectors.person_candidates(actor=request.actor, identity=identity)
        triage.person.initial = triage.search.cleaned_data
    return None


def _triage_open(request: ActorRequest, referral: Referral, triage: Triage) -> HttpResponse | None:
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        return None
    try:
        person = selectors.person_get(actor=request.actor, pk=form.cleaned_data["person"])
        case = services.referral_open_case(actor=request.actor, referral=referral, person=person)
    except PunteError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
    return redirect("cases:case_detail", pk=case.pk)


def _triage_create(request: ActorRequest, referral: Referral, triage: Triage) -> HttpResponse | None:
    actor = request.actor
    caseworkers = selectors.caseworker_choices(actor=actor)
    triage.person = form = PersonForm(request.POST, prefix="person", caseworkers=caseworkers)
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    caseworker, confirmed = data.pop("caseworker"), data.pop("confirm_new")
    identity = services.Identity(data["first_name"], data["last_name"], data["birth_date"], data["cnp"])
    triage.candidates = selectors.person_candidates(actor=actor, identity=identity)
    if triage.candidates and not confirmed:
        form.add_error(
            "confirm_new", _("Possible matches were found: open the case for one of them, or confirm this is a new person.")
        )
        return None
    try:
        case = services.referral_open_case_for_new_person(actor=actor, referral=referral, caseworker=caseworker, **data)
    except PunteError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
    return redirect("cases:case_detail", pk=case.pk)


def _triage_decline(request: ActorRequest, referral: Referral, triage: Triage) -> HttpResponse | None:
    triage.decline = form = DeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        return None
    try:
        services.referral_decline(actor=request.actor, referral=referral, reason=form.cleaned_data["reason"])
    except PunteError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("The decision not to open a case was recorded."))
    return redirect("cases:referral_list")


TRIAGE_ACTIONS = {"search": _triage_search, "open": _triage_open, "create": _triage_create, "decline": _triage_decline}


@actor_required(Action.REFERRAL_TRIAGE)
def referral_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """Triage: search for the person, open a case for an existing or a new person, or record why not."""
    actor = request.actor
    referral = selectors.referral_get(actor=actor, pk=pk)
    triage = Triage(
        search=PersonSearchForm(prefix="search"),
        person=PersonForm(prefix="person", caseworkers=selectors.caseworker_choices(actor=actor)),
        decline=DeclineForm(prefix="decline"),
    )
    status = 200
    if request.method == "POST":
        action = TRIAGE_ACTIONS.get(request.POST.get("action", ""))
        if action is None or referral.status != Referral.Status.NEW:
            messages.error(request, _("This referral was already triaged."))
            status = 400
        elif (response := action(request, referral, triage)) is not None:
            return response
        elif request.POST.get("action") != "search":
            status = 400
    else:
        # The reading is recorded when the record is shown; a refused POST writes nothing at all.
        audit_access(actor=actor, target=referral)
    context = {
        "referral": referral,
        "search_form": triage.search,
        "person_form": triage.person,
        "decline_form": triage.decline,
        "candidates": triage.candidates,
    }
    return render(request, "cases/referral_detail.html", context, status=status)


@actor_required(Action.CASE_VIEW)
def case_list(request: ActorRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    form.fields["caseworker"].queryset = selectors.caseworker_choices(actor=request.actor)  # type: ignore[attr-defined]
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            query=data["q"],
            status=data["status"],
            stage=data["stage"],
            risk_level=data["risk_level"],
            caseworker_id=data["caseworker"].pk if data["caseworker"] else None,
            county=data["county"].code if data["county"] else "",
            exploitation_type=data["exploitation_type"],
        )
    page = Paginator(selectors.case_list(actor=request.actor, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"page": page, "form": form, "query": query.urlencode()})


@actor_required(Action.CASE_VIEW)
def case_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    case = selectors.case_get(actor=actor, pk=pk)
    facts = services.case_facts(case)
    initial = {
        "version": case.version,
        "trafficking_status": case.trafficking_status,
        "relationship_to_trafficker": case.relationship_to_trafficker,
        "age_when_trafficked": case.age_when_trafficked,
        "county": case.county_id,
        "recruitment_country": case.recruitment_country,
        "recruitment_county": case.recruitment_county_id,
        "exploitation_country": case.exploitation_country,
        "exploitation_county": case.exploitation_county_id,
        **facts,
    }
    form = CaseFactsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        actor.require(Action.CASE_EDIT)
        if form.is_valid():
            try:
                services.case_update_facts(actor=actor, case=case, version=form.cleaned_data["version"], **form.changes())
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            except PunteError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Case facts saved."))
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    if request.method == "GET":
        audit_access(actor=actor, target=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "facts": facts,
            "form": form,
            "timeline": selectors.case_timeline(actor=actor, case=case),
            "show_identity": actor.can(Action.PERSON_VIEW_IDENTITY),
            "assessments": assessment_selectors.assessments_of(actor=actor, case=case),
            "tasks": assessment_selectors.open_tasks_of(actor=actor, case=case),
            "can_assess": actor.can(Action.CASE_EDIT) and case.status not in CLOSED,
            "today": timezone.localdate(),
        },
        status=status,
    )
