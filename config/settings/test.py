"""Tests: fast hashing, a fixed key, the database from DATABASE_URL (SQLite in memory by default)."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///:memory:")),
}
PUNTE_FIELD_KEYS = ["xz3E0by6DwDiNgy_HNSgqz7Vekg2AXggOfzeE5uwUxU="]  # test-only
PUNTE_LOOKUP_KEY = "test-only-lookup-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
