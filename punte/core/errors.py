"""One error tree for every layer. Services raise these; pages and the API turn them into a
clear message (pages) or one JSON error shape (API). Nothing is written when one is raised."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PunteError(Exception):
    code = "error"
    status = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        details: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.details: dict[str, list[str]] = {k: [str(m) for m in v] for k, v in (details or {}).items()}
        super().__init__(self.message)


class ValidationError(PunteError):
    code = "validation_error"
    status = 400
    default_message = _("Some of the values are not valid.")

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> "ValidationError":
        if hasattr(error, "error_dict"):
            details = {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
            return cls(details=details)
        return cls(" ".join(str(m) for m in error.messages))


class PermissionDenied(PunteError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(PunteError):
    code = "not_found"
    status = 404
    default_message = _("Not found, or not visible to you.")


class Conflict(PunteError):
    code = "conflict"
    status = 409
    default_message = _("The record was changed by someone else; reload it and try again.")


class ConsentRequired(PunteError):
    code = "consent_required"
    status = 403
    default_message = _("There is no valid consent for this.")
