from django import forms
from django.utils.translation import gettext_lazy as _

from .models import County


class GroupingForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Lowercase letters, digits and hyphens, e.g. cluj-metro."))
    name_ro = forms.CharField(label=_("Name (Romanian)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    description_ro = forms.CharField(label=_("Description (Romanian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties"),
        queryset=County.objects.order_by("name_ascii"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
