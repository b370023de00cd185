"""Model fields whose values are encrypted in the database (see punte.core.crypto)."""

from datetime import date
from typing import Any

from django.db import models

from .crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted. It cannot be filtered or ordered on: exact look-ups go through a
    keyed digest stored beside it."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        prepared = super().get_prep_value(value)
        if prepared is None or prepared == "":
            return None if prepared is None else ""
        return encrypt(str(prepared))


class EncryptedDateField(models.DateField):  # type: ignore[type-arg]
    """A date stored encrypted as ISO text."""

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> date | None:
        if value is None or value == "":
            return None
        return date.fromisoformat(decrypt(value))

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> str | None:
        return self.get_prep_value(value) if not prepared else value
