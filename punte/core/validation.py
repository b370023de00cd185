from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from .errors import ValidationError


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation before a write, raising punte's own ValidationError with field details."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as error:
        raise ValidationError.from_django(error) from error
