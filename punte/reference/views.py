from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from punte.accounts.forms import add_service_errors
from punte.accounts.roles import Action
from punte.core.errors import PunteError
from punte.core.http import ActorRequest, actor_required

from . import selectors, services
from .forms import GroupingForm
from .models import CountyGrouping


@actor_required(Action.REFERENCE_VIEW)
def county_list(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "reference/county_list.html",
        {"counties": selectors.county_list(actor=request.actor), "groupings": selectors.grouping_list(actor=request.actor)},
    )


@actor_required(Action.REFERENCE_VIEW)
def grouping_detail(request: ActorRequest, code: str) -> HttpResponse:
    grouping = selectors.grouping_get(actor=request.actor, code=code)
    return render(request, "reference/grouping_detail.html", {"grouping": grouping})


@actor_required(Action.REFERENCE_MANAGE)
def grouping_create(request: ActorRequest) -> HttpResponse:
    form = GroupingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grouping = services.grouping_create(
                actor=request.actor,
                code=data["code"],
                name_ro=data["name_ro"],
                name_en=data["name_en"],
                description_ro=data["description_ro"],
                description_en=data["description_en"],
                county_codes=[c.code for c in data["counties"]],
            )
        except PunteError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Grouping created."))
            return redirect("reference:grouping_detail", code=grouping.code)
    return render(request, "reference/grouping_form.html", {"form": form, "grouping": None})


@actor_required(Action.REFERENCE_MANAGE)
def grouping_edit(request: ActorRequest, code: str) -> HttpResponse:
    grouping = selectors.grouping_get(actor=request.actor, code=code)
    if grouping.kind != CountyGrouping.Kind.CUSTOM:
        raise PunteError(_("Development regions and shipped groupings come from the reference data and cannot be edited."))
    initial = {
        "code": grouping.code,
        "name_ro": grouping.name_ro,
        "name_en": grouping.name_en,
        "description_ro": grouping.description_ro,
        "description_en": grouping.description_en,
        "counties": list(grouping.counties.all()),
    }
    form = GroupingForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grouping_update(
                actor=request.actor,
                grouping=grouping,
                name_ro=data["name_ro"],
                name_en=data["name_en"],
                description_ro=data["description_ro"],
                description_en=data["description_en"],
                county_codes=[c.code for c in data["counties"]],
            )
        except PunteError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Grouping saved."))
            return redirect("reference:grouping_detail", code=grouping.code)
    return render(request, "reference/grouping_form.html", {"form": form, "grouping": grouping})
