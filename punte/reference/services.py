"""Loading the shipped reference data, and administrators' own county groupings."""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.audit.services import audit_record
from punte.core.errors import ValidationError
from punte.core.validation import full_clean

from .models import County, CountyGrouping, DevelopmentRegion

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(model: Any, key: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool, bool]:
    instance = model.objects.filter(**key).first()
    if instance is None:
        instance = model(**key, **values)
        instance.full_clean()
        instance.save()
        return instance, True, True
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save()
    return instance, False, bool(changed)


def _set_counties(grouping: CountyGrouping, codes: list[str]) -> bool:
    wanted = set(codes)
    current = set(grouping.counties.values_list("code", flat=True))
    if wanted == current:
        return False
    grouping.counties.set(County.objects.filter(code__in=wanted))
    return True


def reference_load(*, actor: Actor, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load counties, development regions and the shipped groupings. Running it again changes
    nothing; a changed source file updates the rows it changed."""
    actor.require(Action.REFERENCE_MANAGE)
    report = LoadReport()
    with (data_dir / "counties.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    groupings = yaml.safe_load((data_dir / "groupings.yaml").read_text(encoding="utf-8"))["groupings"]
    try:
        with transaction.atomic():
            regions: dict[str, DevelopmentRegion] = {}
            members: dict[str, list[str]] = {}
            for row in rows:
                code = row["nuts2_code"]
                if code not in regions:
                    region, created, changed = _upsert(
                        DevelopmentRegion,
                        {"code": code},
                        {"number": int(row["development_region_no"]), "name": row["development_region"]},
                    )
                    regions[code] = region
                    report.count("development_region", created, changed)
                members.setdefault(code, []).append(row["iso_3166_2"])
                _, created, changed = _upsert(
                    County,
                    {"code": row["iso_3166_2"]},
                    {
                        "auto_code": row["auto_code"],
                        "name": row["name"],
                        "name_ascii": row["name_ascii"],
                        "official_name": row["name_official"],
                        "is_municipality": row["type"] == "municipality",
                        "siruta_code": int(row["siruta_code"]),
                        "cnp_code": int(row["siruta_jud"]),
                        "nuts3_code": row["nuts3_code"],
                        "seat": row["seat"],
                        "region": regions[code],
                    },
                )
                report.count("county", created, changed)
            for code, region in regions.items():
                grouping, created, changed = _upsert(
                    CountyGrouping,
                    {"code": code.lower()},
                    {
                        "kind": CountyGrouping.Kind.NUTS2,
                        "name_ro": f"Regiunea de dezvoltare {region.name}",
                        "name_en": f"{region.name} development region",
                        "description_ro": f"Regiunea de dezvoltare {region.number} ({code}), Legea 315/2004.",
                        "description_en": f"Development region {region.number} ({code}), Law 315/2004.",
                    },
                )
                changed = _set_counties(grouping, members[code]) or changed
                report.count("county_grouping", created, changed)
            for entry in groupings:
                grouping, created, changed = _upsert(
                    CountyGrouping,
                    {"code": entry["code"]},
                    {
                        "kind": CountyGrouping.Kind.SHIPPED,
                        "name_ro": entry["name_ro"],
                        "name_en": entry["name_en"],
                        "description_ro": entry.get("description_ro", "").strip(),
                        "description_en": entry.get("description_en", "").strip(),
                    },
                )
                changed = _set_counties(grouping, entry["counties"]) or changed
                report.count("county_grouping", created, changed)
            if report.changed:
                audit_record(actor=actor, action="reference.load", fields=sorted({*report.created, *report.updated}))
    except DjangoValidationError as error:
        raise ValidationError.from_django(error) from error
    return report


def _grouping_values(*, code: str, name_ro: str, name_en: str, description_ro: str, description_en: str) -> dict[str, str]:
    return {
        "code": code.strip().lower(),
        "name_ro": name_ro.strip(),
        "name_en": name_en.strip(),
        "description_ro": description_ro.strip(),
        "description_en": description_en.strip(),
    }


def _counties(codes: list[str]) -> list[County]:
    counties = list(County.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in counties})
    if unknown:
        raise ValidationError(details={"counties": [_("Unknown county codes: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    if not counties:
        raise ValidationError(details={"counties": [_("Choose at least one county.")]})
    return counties


def grouping_create(
    *,
    actor: Actor,
    code: str,
    name_ro: str,
    name_en: str,
    county_codes: list[str],
    description_ro: str = "",
    description_en: str = "",
) -> CountyGrouping:
    actor.require(Action.REFERENCE_MANAGE)
    values = _grouping_values(
        code=code, name_ro=name_ro, name_en=name_en, description_ro=description_ro, description_en=description_en
    )
    counties = _counties(county_codes)
    grouping = CountyGrouping(kind=CountyGrouping.Kind.CUSTOM, created_by=actor.user, **values)
    full_clean(grouping)
    with transaction.atomic():
        grouping.save()
        grouping.counties.set(counties)
        audit_record(actor=actor, action="county_grouping.create", target=grouping, fields=[*values, "counties"])
    return grouping


def grouping_update(
    *,
    actor: Actor,
    grouping: CountyGrouping,
    name_ro: str,
    name_en: str,
    county_codes: list[str],
    description_ro: str = "",
    description_en: str = "",
) -> CountyGrouping:
    actor.require(Action.REFERENCE_MANAGE)
    if grouping.kind != CountyGrouping.Kind.CUSTOM:
        raise ValidationError(_("Development regions and shipped groupings come from the reference data and cannot be edited."))
    values = _grouping_values(
        code=grouping.code, name_ro=name_ro, name_en=name_en, description_ro=description_ro, description_en=description_en
    )
    counties = _counties(county_codes)
    changed = [name for name, value in values.items() if getattr(grouping, name) != value]
    for name in changed:
        setattr(grouping, name, values[name])
    full_clean(grouping)
    with transaction.atomic():
        if _set_counties(grouping, [c.code for c in counties]):
            changed.append("counties")
        if changed:
            # Saved only when something changed: an unchanged form writes nothing, not even updated_at.
            grouping.save()
            audit_record(actor=actor, action="county_grouping.update", target=grouping, fields=changed)
    return grouping
