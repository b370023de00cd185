from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from punte.accounts.models import User
from punte.reference.models import County

from .htcds import (
    CaseStatus,
    ControlMethod,
    ExploitationType,
    Gender,
    RecruitmentMethod,
    RelationshipToTrafficker,
    TraffickingStatus,
)
from .models import Case, Referral

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferralForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    source = forms.ChoiceField(label=_("Referred by"), choices=Referral.Source.choices)
    source_organization = forms.CharField(label=_("Referring organization"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Referral.Channel.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices, initial=Referral.Urgency.ROUTINE)
    referrer_contact = forms.CharField(
        label=_("Referrer's name and contact"), max_length=300, required=False, help_text=_("Stored encrypted.")
    )
    summary = forms.CharField(
        label=_("What is known"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Stored encrypted. Write only what the intake needs."),
    )


class PersonSearchForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE, required=False)
    cnp = forms.CharField(label=_("CNP"), max_length=13, required=False)


class PersonForm(PersonSearchForm):
    chosen_name = forms.CharField(label=_("Chosen name"), max_length=100, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    citizenship = forms.CharField(label=_("Citizenship (ISO code)"), max_length=2, initial="RO")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)
    confirm_new = forms.BooleanField(
        label=_("I checked the possible matches: this is a new person."),
        required=False,
    )

    def __init__(self, *args: object, caseworkers: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if caseworkers is not None:
            self.fields["caseworker"].queryset = caseworkers  # type: ignore[attr-defined]


class OpenCaseForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why no case is opened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CaseFactsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    trafficking_status = forms.ChoiceField(label=_("Trafficking status"), choices=TraffickingStatus.choices)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"), choices=ExploitationType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    control_methods = forms.MultipleChoiceField(
        label=_("Methods of control"), choices=ControlMethod.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    recruitment_methods = forms.MultipleChoiceField(
        label=_("Methods of recruitment"), choices=RecruitmentMethod.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to the trafficker"), choices=[("", "—"), *RelationshipToTrafficker.choices], required=False
    )
    age_when_trafficked = forms.IntegerField(label=_("Age when trafficked"), min_value=0, max_value=120, required=False)
    county = forms.ModelChoiceField(
        label=_("County of residence"), queryset=County.objects.all(), to_field_name="code", required=False
    )
    recruitment_country = forms.CharField(label=_("Country of recruitment (ISO code)"), max_length=2, required=False)
    recruitment_county = forms.ModelChoiceField(
        label=_("County of recruitment"), queryset=County.objects.all(), to_field_name="code", required=False
    )
    exploitation_country = forms.CharField(label=_("Country of exploitation (ISO code)"), max_length=2, required=False)
    exploitation_county = forms.ModelChoiceField(
        label=_("County of exploitation"), queryset=County.objects.all(), to_field_name="code", required=False
    )

    def changes(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("version")
        for name in ("county", "recruitment_county", "exploitation_county"):
            data[name] = data[name].code if data[name] else ""
        return data


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Case code or pseudonym"), max_length=40, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *CaseStatus.choices], required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any")), *Case.Stage.choices], required=False)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=[("", _("Any")), *Case.RiskLevel.choices], required=False)
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), to_field_name="code", required=False)
    exploitation_type = forms.ChoiceField(
        label=_("Type of exploitation"), choices=[("", _("Any")), *ExploitationType.choices], required=False
    )
