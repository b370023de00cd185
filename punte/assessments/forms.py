"""Forms built from a template version's definition, and the template upload."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .definitions import Definition, Field, localized

TEMPLATE_MAX_BYTES = 200 * 1024
TEMPLATE_SUFFIXES = {".yaml", ".yml"}
PART_HELP = {"need": _("0 none, 3 high"), "resource": _("0 none, 3 strong")}


def _form_field(f: Field) -> forms.Field:
    common: dict[str, Any] = {
        "label": f.text,
        "required": f.required,
        "error_messages": {"required": _("Answer this question.")},
    }
    if f.type == "choice":
        return forms.ChoiceField(choices=[(o.value, localized(o.label)) for o in f.options], widget=forms.RadioSelect, **common)
    if f.type == "scale":
        help_text = PART_HELP.get(f.part) or _("A whole number from %(min)s to %(max)s.") % {"min": f.min, "max": f.max}
        return forms.IntegerField(min_value=f.min, max_value=f.max, help_text=help_text, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


@dataclass(frozen=True)
class Group:
    """Questions shown together: a domain of a complex evaluation, or the template's own fields."""

    legend: str
    fields: list[forms.BoundField]
    domain: bool


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for f in definition.fields:
            self.fields[f.id] = _form_field(f)

    def answers(self) -> dict[str, Any]:
        """The answers given, for `assessment_create`; unanswered optional questions are left out."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def groups(self) -> list[Group]:
        groups = [
            Group(localized(label), [self[f.id] for f in self.definition.fields if f.domain == domain], domain=True)
            for domain, label in self.definition.domains
        ]
        rest = [self[f.id] for f in self.definition.fields if not f.domain]
        if rest:
            groups.append(Group("", rest, domain=False))
        return groups


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Template file"),
        help_text=_("A YAML file (.yaml or .yml), UTF-8, at most 200 KB, with a version higher than the current one."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in TEMPLATE_SUFFIXES:
            raise forms.ValidationError(_("Upload a .yaml or .yml file."))
        if upload.size is None or upload.size > TEMPLATE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 KB."))
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
