"""Encryption at rest of identifying fields, and keyed hashes for exact look-ups.

Keys live outside the database: `PUNTE_FIELD_KEYS` (Fernet keys, comma-separated; the first
encrypts, all decrypt, so keys can be rotated) and `PUNTE_LOOKUP_KEY` (the HMAC key of look-up
digests). Production takes both from the environment; development keeps them under var/.
"""

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PUNTE_FIELD_KEYS is empty: identifying fields cannot be encrypted.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.PUNTE_FIELD_KEYS)


def encrypt(text: str) -> str:
    return _fernet(_keys()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured("An encrypted field cannot be read with the configured PUNTE_FIELD_KEYS.") from error


def lookup_digest(kind: str, value: str) -> str:
    """A keyed hash for exact look-ups: equal inputs give equal digests, and without the key the
    digest says nothing about the value (no dictionary attack on names or CNPs)."""
    key = settings.PUNTE_LOOKUP_KEY.encode()
    return hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()


def normalize_name(text: str) -> str:
    """Lowercase, without diacritics, punctuation or repeated spaces: „Ștefănescu-Pop” and
    "stefanescu pop" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", stripped).split())


def encrypt_bytes(content: bytes) -> bytes:
    return _fernet(_keys()).encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet(_keys()).decrypt(token)
    except InvalidToken as error:
        raise ImproperlyConfigured("A stored file cannot be read with the configured PUNTE_FIELD_KEYS.") from error
