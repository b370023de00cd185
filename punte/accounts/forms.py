from django import forms
from django.utils.translation import gettext_lazy as _

from punte.core.errors import PunteError
from punte.reference.models import County

from .models import Organization
from .roles import Role


def add_service_errors(form: forms.Form, error: PunteError) -> None:
    """Show a service's validation errors on the form fields they belong to."""
    if not error.details:
        form.add_error(None, error.message)
        return
    for field, messages in error.details.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), to_field_name="code")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class MembershipCreateForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class OrganizationSwitchForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
