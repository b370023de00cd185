from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from two_factor.views import BackupTokensView, SetupView

from punte.audit.selectors import recent_sign_ins
from punte.audit.services import audit_access, audit_record
from punte.core.errors import PunteError
from punte.core.http import ActorRequest, actor_required

from . import selectors, services
from .forms import (
    MembershipCreateForm,
    MembershipEditForm,
    OrganizationForm,
    OrganizationSwitchForm,
    UserCreateForm,
    UserEditForm,
    add_service_errors,
)
from .middleware import ORGANIZATION_SESSION_KEY
from .roles import Action, Role

PAGE_SIZE = 50


# Two-factor enrolment: django-two-factor-auth's views, with the enrolment recorded in the audit trail.


class AuditedSetupView(SetupView):  # type: ignore[misc]  # django-two-factor-auth ships no types
    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            response: HttpResponse = super().done(form_list, **kwargs)
            audit_record(actor=self.request.actor, action="user.two_factor_enrol", target=self.request.user, fields=["devices"])
        return response


class AuditedBackupTokensView(BackupTokensView):  # type: ignore[misc]
    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response: HttpResponse = super().form_valid(form)
            audit_record(
                actor=self.request.actor, action="user.recovery_codes_create", target=self.request.user, fields=["recovery_codes"]
            )
        return response


# The signed-in user's own account


@login_required
def account(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    user = request.user
    recent = recent_sign_ins(actor=actor, limit=10)
    return render(
        request,
        "accounts/account.html",
        {
            "two_factor": selectors.two_factor_status(user=user),
            "recent_sign_ins": recent,
            "tokens": selectors.token_list(actor=actor, user=user),
        },
    )


@login_required
def password_change(request: ActorRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(actor=request.actor, user=request.user, new_password=form.cleaned_data["new_password1"])
        except PunteError as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
def organization_switch(request: ActorRequest) -> HttpResponse:
    form = OrganizationSwitchForm(request.POST)
    chosen = form.cleaned_data["organization"] if form.is_valid() else None
    if chosen not in {m.organization_id for m in request.actor.memberships}:
        messages.error(request, _("You do not belong to that organization."))
    else:
        request.session[ORGANIZATION_SESSION_KEY] = chosen
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)


# Organization administration


@actor_required(Action.ORGANIZATION_VIEW_ALL)
def organization_list(request: ActorRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    organizations = selectors.organization_list(actor=request.actor, filters=selectors.OrganizationFilters(query=query))
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/organization_list.html", {"page": page, "query": query})


@actor_required(Action.ORGANIZATION_MANAGE)
def organization_create(request: ActorRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.organization_create(
                actor=request.actor,
                name=data["name"],
                kind=data["kind"],
                county_code=data["county"].code,
                is_active=data["is_active"],
            )
        except PunteError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Organization created."))
            return redirect("accounts:organization_detail", pk=organization.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "organization": None})


@actor_required(Action.TEAM_VIEW)
def organization_detail(request: ActorRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, pk=pk)
    if organization.pk != request.actor.organization_id and not request.actor.can(Action.ORGANIZATION_VIEW_ALL):
        # Members see the organization they act in; switching organization shows another.
        return render(request, "core/error.html", {"error": PunteError(_("Switch to this organization to see it."))}, status=403)
    team = selectors.team_list(actor=request.actor, organization=organization)
    return render(request, "accounts/organization_detail.html", {"organization": organization, "team": team})


@actor_required(Action.ORGANIZATION_MANAGE)
def organization_edit(request: ActorRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(actor=request.actor, pk=pk)
    initial = {
        "name": organization.name,
        "kind": organization.kind,
        "county": organization.county_id,
        "is_active": organization.is_active,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organization_update(
                actor=request.actor,
                organization=organization,
                name=data["name"],
                kind=data["kind"],
                county_code=data["county"].code,
                is_active=data["is_active"],
            )
        except PunteError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Organization saved."))
            return redirect("accounts:organization_detail", pk=organization.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "organization": organization})


# User administration


@actor_required(Action.USER_MANAGE)
def user_list(request: ActorRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.user_list(actor=request.actor, filters=selectors.UserFilters(query=query, role=role))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": query, "role": role})


@actor_required(Action.USER_MANAGE)
def user_create(request: ActorRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, one_time = services.user_create(
                actor=request.actor,
                username=data["username"],
                organization=data["organization"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except PunteError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/one_time_password.html", {"subject": user, "password": one_time})
    return render(request, "accounts/user_create.html", {"form": form})


@actor_required(Action.USER_MANAGE)
def user_detail(request: ActorRequest, pk: int) -> HttpResponse:
    subject = selectors.user_get(actor=request.actor, pk=pk)
    audit_access(actor=request.actor, target=subject)
    memberships = selectors.membership_list(actor=request.actor, user_id=subject.pk)
    context = {
        "subject": subject,
        "memberships": memberships,
        "two_factor": selectors.two_factor_status(user=subject),
        "tokens": selectors.token_list(actor=request.actor, user=subject),
        "edit_form": UserEditForm(
            initial={
                "first_name": subject.first_name,
                "last_name": subject.last_name,
                "email": subject.email,
                "is_active": subject.is_active,
            }
        ),
        "membership_form": MembershipCreateForm(),
        "role_choices": Role.choices,
    }
    return render(request, "accounts/user_detail.html", context)


@actor_required(Action.USER_MANAGE)
@require_POST
def user_edit(request: ActorRequest, pk: int) -> HttpResponse:
    subject = selectors.user_get(actor=request.actor, pk=pk)
    form = UserEditForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(actor=request.actor, user=subject, **form.cleaned_data)
        except PunteError as error:
            add_service_errors(form, error)
    if form.errors:
        for message in form.errors.values():
            messages.error(request, " ".join(str(m) for m in message))
    else:
        messages.success(request, _("User saved."))
    return redirect("accounts:user_detail", pk=subject.pk)


@actor_required(Action.USER_MANAGE)
@require_POST
def user_password_reset(request: ActorRequest, pk: int) -> HttpResponse:
    subject = selectors.user_get(actor=request.actor, pk=pk)
    password = services.user_password_reset(actor=request.actor, user=subject)
    return render(request, "accounts/one_time_password.html", {"subject": subject, "password": password})


@actor_required(Action.USER_MANAGE)
@require_POST
def user_two_factor_reset(request: ActorRequest, pk: int) -> HttpResponse:
    subject = selectors.user_get(actor=request.actor, pk=pk)
    services.user_two_factor_reset(actor=request.actor, user=subject)
    messages.success(request, _("Two-factor authentication was reset; the user enrols again at the next sign-in."))
    return redirect("accounts:user_detail", pk=subject.pk)


@actor_required(Action.USER_MANAGE)
@require_POST
def membership_create(request: ActorRequest, pk: int) -> HttpResponse:
    subject = selectors.user_get(actor=request.actor, pk=pk)
    form = MembershipCreateForm(request.POST)
    if form.is_valid():
        try:
            services.membership_create(actor=request.actor, user=subject, **form.cleaned_data)
        except PunteError as error:
            add_service_errors(form, error)
    if form.errors:
        for message in form.errors.values():
            messages.error(request, " ".join(str(m) for m in message))
    else:
        messages.success(request, _("Membership added."))
    return redirect("accounts:user_detail", pk=subject.pk)


@actor_required(Action.USER_MANAGE)
@require_POST
def membership_edit(request: ActorRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(actor=request.actor, pk=pk)
    form = MembershipEditForm(request.POST)
    if form.is_valid():
        try:
            services.membership_update(actor=request.actor, membership=membership, **form.cleaned_data)
        except PunteError as error:
            add_service_errors(form, error)
    if form.errors:
        for message in form.errors.values():
            messages.error(request, " ".join(str(m) for m in message))
    else:
        messages.success(request, _("Membership saved."))
    return redirect("accounts:user_detail", pk=membership.user_id)
