"""HTCDS value lists match the published standard; the CNP validator follows its rules."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from punte.cases.cnp import check_digit, cnp_parse
from punte.cases.htcds import EXTENSIONS, FIELDS
from tests.base import synthetic_cnp

STANDARD = Path(__file__).resolve().parent.parent / "punte" / "cases" / "data" / "HTCDS_Field_Standards_2.0.csv"


def _standard_values() -> dict[str, set[str]]:
    with STANDARD.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return {
            row["Field Name including Prefix"]: {
                v.strip() for v in (row["Value Names (if picklist)"] or "").splitlines() if v.strip()
            }
            for row in rows
            if row["Field Name including Prefix"]
        }


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_choices_are_the_standards_values(field: str) -> None:
    ours = set(FIELDS[field].values) - EXTENSIONS.get(field, set())
    assert ours == _standard_values()[field]


def test_extensions_are_not_in_the_standard() -> None:
    standard = _standard_values()
    for field, values in EXTENSIONS.items():
        assert not values & standard[field]


def test_a_valid_cnp_gives_birth_date_and_sex() -> None:
    facts = cnp_parse(synthetic_cnp("6", "040229"))  # a leap day in 2004
    assert facts.birth_date == date(2004, 2, 29)
    assert facts.sex == "female"
    assert cnp_parse(synthetic_cnp("1", "751231")).birth_date == date(1975, 12, 31)
    assert cnp_parse(synthetic_cnp("9", "751231")).birth_date is None


def test_check_digit_ten_becomes_one() -> None:
    # Among synthetic prefixes, take one whose weighted sum leaves 10: its check digit is 1.
    prefix = next(p for n in range(100) if _rest(p := f"6000101489{n:02d}") == 10)
    assert check_digit(prefix) == 1
    assert cnp_parse(prefix + "1").birth_date == date(2000, 1, 1)


def _rest(first_twelve: str) -> int:
    return sum(int(d) * int(w) for d, w in zip(first_twelve, "279146358279", strict=True)) % 11


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("123", "cnp_length"),
        ("12345678901ab", "cnp_length"),
        ("0000101489990", "cnp_sex"),
        ("2000101999990", "cnp_county"),
        ("6000230489990", "cnp_check"),
    ],
)
def test_invalid_cnps_say_what_is_wrong(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        cnp_parse(value)
    assert raised.value.code == code


def test_a_cnp_with_an_impossible_date_is_refused() -> None:
    first = "6000230" + "48999"  # 30 February 2000
    with pytest.raises(ValidationError) as raised:
        cnp_parse(first + str(check_digit(first)))
    assert raised.value.code == "cnp_date"


def test_a_wrong_check_digit_is_refused() -> None:
    good = synthetic_cnp()
    bad = good[:12] + str((int(good[12]) + 1) % 10)
    with pytest.raises(ValidationError) as raised:
        cnp_parse(bad)
    assert raised.value.code == "cnp_check"
