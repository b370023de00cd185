"""The format of assessment templates, and what follows from the answers.

A template is YAML: `kind`, `version`, `title` {ro, en}, `reassess_after_days`, and either
`fields` (each with `id`, `type` choice | scale | text, `label` {ro, en}, `required` (default
true, false for text), choice `options` [{value, label, raises: low | medium | high | immediate}], scale `min`
and `max`) or, for the complex evaluation, `domains` [{id, label}], each of which asks for the
need (0-3), the resources (0-3) and notes.
"""

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from punte.core.errors import ValidationError

from .models import AssessmentKind

LEVELS = ["low", "medium", "high", "immediate"]
MAX_TEMPLATE_CHARS = 200_000
DOMAIN_SCALE = (0, 3)


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"ro": value, "en": value}
    if not isinstance(value, dict) or not value.get("ro") or not value.get("en"):
        raise ValueError("a label needs a Romanian and an English text (ro, en)")
    return {"ro": str(value["ro"]), "en": str(value["en"])}


def localized(text: dict[str, str]) -> str:
    return text["en"] if (get_language() or "ro").startswith("en") else text["ro"]


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]
    raises: str = ""


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: dict[str, str]
    required: bool = True
    options: tuple[Option, ...] = ()
    min: int = 0
    max: int = 0
    domain: str = ""
    part: str = ""  # need | resource | notes, for domain fields

    @property
    def text(self) -> str:
        return localized(self.label)


@dataclass(frozen=True)
class Definition:
    kind: str
    fields: tuple[Field, ...]
    domains: tuple[tuple[str, dict[str, str]], ...] = field(default_factory=tuple)


def _domain_fields(domain_id: str, label: dict[str, str]) -> list[Field]:
    low, high = DOMAIN_SCALE
    need = {lang: f"{label[lang]}: " + ("nevoi" if lang == "ro" else "needs") for lang in ("ro", "en")}
    resources = {lang: f"{label[lang]}: " + ("resurse" if lang == "ro" else "resources") for lang in ("ro", "en")}
    notes = {lang: f"{label[lang]}: " + ("observații" if lang == "ro" else "notes") for lang in ("ro", "en")}
    return [
        Field(f"{domain_id}_need", "scale", need, min=low, max=high, domain=domain_id, part="need"),
        Field(f"{domain_id}_resource", "scale", resources, min=low, max=high, domain=domain_id, part="resource"),
        Field(f"{domain_id}_notes", "text", notes, required=False, domain=domain_id, part="notes"),
    ]


def parse_definition(kind: str, raw: dict[str, Any]) -> Definition:
    """Check a template's definition; a ValueError says what is wrong and where."""
    fields: list[Field] = []
    domains: list[tuple[str, dict[str, str]]] = []
    if kind == AssessmentKind.COMPLEX_EVALUATION:
        for n, domain in enumerate(raw.get("domains") or [], 1):
            if not isinstance(domain, dict) or not str(domain.get("id", "")).isidentifier():
                raise ValueError(f"domain {n}: needs an id made of letters, digits and _")
            label = _text(domain.get("label"))
            domains.append((domain["id"], label))
            fields += _domain_fields(domain["id"], label)
        if not domains:
            raise ValueError("a complex evaluation needs at least one domain")
    for n, item in enumerate(raw.get("fields") or [], 1):
        if not isinstance(item, dict):
            raise ValueError(f"field {n}: must be a mapping")
        field_id = str(item.get("id", ""))
        if not field_id.isidentifier():
            raise ValueError(f"field {n}: needs an id made of letters, digits and _")
        kind_of = item.get("type")
        options: list[Option] = []
        if kind_of == "choice":
            for m, option in enumerate(item.get("options") or [], 1):
                raises = str(option.get("raises", "")) if isinstance(option, dict) else ""
                if not isinstance(option, dict) or "value" not in option or (raises and raises not in LEVELS):
                    raise ValueError(
                        f"field {field_id}, option {m}: needs a value, a label and raises one of {', '.join(LEVELS)}"
                    )
                options.append(Option(str(option["value"]), _text(option.get("label")), raises))
            if len(options) < 2:
                raise ValueError(f"field {field_id}: a choice needs at least two options")
        elif kind_of == "scale":
            if not isinstance(item.get("min"), int) or not isinstance(item.get("max"), int) or item["min"] >= item["max"]:
                raise ValueError(f"field {field_id}: a scale needs whole numbers min < max")
        elif kind_of != "text":
            raise ValueError(f"field {field_id}: type must be choice, scale or text")
        try:
            label = _text(item.get("label"))
        except ValueError as error:
            raise ValueError(f"field {field_id}: {error}") from None
        fields.append(
            Field(
                field_id,
                str(kind_of),
                label,
                required=bool(item.get("required", kind_of != "text")),
                options=tuple(options),
                min=int(item.get("min", 0)),
                max=int(item.get("max", 0)),
            )
        )
    ids = [f.id for f in fields]
    if len(ids) != len(set(ids)):
        raise ValueError("two fields have the same id")
    if not fields:
        raise ValueError("a template needs at least one field")
    if kind == AssessmentKind.INITIAL_RISK and not any(o.raises for f in fields for o in f.options):
        raise ValueError("a risk assessment needs at least one option that raises the risk")
    return Definition(kind=kind, fields=tuple(fields), domains=tuple(domains))


@dataclass(frozen=True)
class TemplateSource:
    kind: str
    version: int
    title: dict[str, str]
    reassess_after_days: int | None
    definition: dict[str, Any]


def template_from_yaml(text: str) -> TemplateSource:
    """Read and check a template file; a ValidationError tells the administrator what to fix."""
    try:
        if len(text) > MAX_TEMPLATE_CHARS:
            raise ValueError(f"the file is longer than {MAX_TEMPLATE_CHARS} characters")
        raw = yaml.safe_load(text)
        if not isinstance(raw, dict):
            raise ValueError("the file must be a YAML mapping")
        # YAML aliases can make a short file expand enormously once read: measure what was read.
        if len(json.dumps(raw, default=str)) > MAX_TEMPLATE_CHARS:
            raise ValueError(f"the template is larger than {MAX_TEMPLATE_CHARS} characters once read")
        kind = raw.get("kind")
        if kind not in AssessmentKind.values:
            raise ValueError(f"kind must be one of {', '.join(AssessmentKind.values)}")
        version = raw.get("version")
        if not isinstance(version, int) or version < 1:
            raise ValueError("version must be a whole number from 1")
        reassess = raw.get("reassess_after_days")
        if reassess is not None and (not isinstance(reassess, int) or not 1 <= reassess <= 3650):
            raise ValueError("reassess_after_days must be a whole number of days from 1 to 3650")
        definition = {key: raw[key] for key in ("fields", "domains") if key in raw}
        parse_definition(kind, definition)
        return TemplateSource(kind, version, _text(raw.get("title")), reassess, definition)
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise ValidationError(details={"file": [_("The template is not valid: %(error)s") % {"error": error}]}) from error


def clean_answers(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers checked against the template: every required field answered, every value allowed."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for f in definition.fields:
        value = answers.get(f.id)
        if value in (None, ""):
            if f.required:
                errors[f.id] = [_("Answer this question.")]
            continue
        if f.type == "choice":
            if str(value) not in {o.value for o in f.options}:
                errors[f.id] = [_("Choose one of the answers offered.")]
                continue
            cleaned[f.id] = str(value)
        elif f.type == "scale":
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = f.min - 1
            if not f.min <= number <= f.max:
                errors[f.id] = [_("Give a whole number from %(min)s to %(max)s.") % {"min": f.min, "max": f.max}]
                continue
            cleaned[f.id] = number
        else:
            text = str(value).strip()
            if len(text) > 5000:
                errors[f.id] = [_("Write at most 5,000 characters.")]
                continue
            cleaned[f.id] = text
    unknown = sorted(set(answers) - {f.id for f in definition.fields})
    if unknown:
        errors["answers"] = [_("Unknown questions: %(ids)s.") % {"ids": ", ".join(unknown)}]
    if errors:
        raise ValidationError(details=errors)
    return cleaned


def risk_result(definition: Definition, answers: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """The highest level any answer raised (low when none did), and the answers that raised it."""
    raised: list[dict[str, str]] = []
    for f in definition.fields:
        for option in f.options:
            if option.raises and answers.get(f.id) == option.value:
                raised.append({"field": f.id, "answer": option.value, "level": option.raises})
    level = max((r["level"] for r in raised), key=LEVELS.index, default="low")
    return level, [r for r in raised if LEVELS.index(r["level"]) >= LEVELS.index("medium")]


def domain_scores(definition: Definition, answers: dict[str, Any]) -> dict[str, dict[str, int]]:
    scores: dict[str, dict[str, int]] = {}
    for f in definition.fields:
        if f.domain and f.part in {"need", "resource"} and f.id in answers:
            scores.setdefault(f.domain, {})[f.part] = int(answers[f.id])
    return scores
