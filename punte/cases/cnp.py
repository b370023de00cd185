"""The Romanian personal numeric code (CNP): 13 digits, S YY MM DD JJ NNN C.

S gives sex and century (1/2: 1900s, 3/4: 1800s, 5/6: 2000s, 7/8: foreign residents, 9:
foreigners); JJ the county (01-46, 51, 52; 41-46 are Bucharest's sectors; 47/48 were used for
sectors 7 and 8 in older codes); C a check digit over the first twelve with weights 279146358279.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = "279146358279"
CENTURIES = {"1": 1900, "2": 1900, "3": 1800, "4": 1800, "5": 2000, "6": 2000}
COUNTY_CODES = {f"{n:02d}" for n in range(1, 49)} | {"51", "52"}


@dataclass(frozen=True)
class CnpFacts:
    birth_date: date | None
    sex: str | None  # "male" / "female", None for foreigners' codes


def check_digit(first_twelve: str) -> int:
    total = sum(int(d) * int(w) for d, w in zip(first_twelve, WEIGHTS, strict=True))
    rest = total % 11
    return 1 if rest == 10 else rest


def cnp_parse(value: str) -> CnpFacts:
    """Validate a CNP and return what it says; a ValidationError names what is wrong."""
    cnp = value.strip()
    if len(cnp) != 13 or not cnp.isdigit():
        raise ValidationError(_("A CNP has exactly 13 digits."), code="cnp_length")
    if cnp[0] == "0":
        raise ValidationError(_("A CNP cannot start with 0."), code="cnp_sex")
    if cnp[7:9] not in COUNTY_CODES:
        raise ValidationError(_("The county digits (8 and 9) of this CNP are not a Romanian county code."), code="cnp_county")
    if check_digit(cnp[:12]) != int(cnp[12]):
        raise ValidationError(
            _("The last digit of this CNP does not match: check it against the identity card."), code="cnp_check"
        )
    century = CENTURIES.get(cnp[0])
    birth: date | None = None
    if century is not None:
        try:
            birth = date(century + int(cnp[1:3]), int(cnp[3:5]), int(cnp[5:7]))
        except ValueError:
            raise ValidationError(_("The birth date in this CNP does not exist."), code="cnp_date") from None
    sex = None if cnp[0] in "789" else ("male" if cnp[0] in "135" else "female")
    return CnpFacts(birth_date=birth, sex=sex)


def cnp_validator(value: str) -> None:
    if value:
        cnp_parse(value)
