"""Every user-facing string is translated into Romanian, and the catalogues match the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {language: ROOT / "punte" / "locale" / language / "LC_MESSAGES" / "django.po" for language in ("ro", "en")}


def _ids(catalogue: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}


def test_romanian_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(CATALOGUES["ro"]))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert len([form for form in entry.msgstr_plural.values() if form]) == 3, entry.msgid
    assert "nplurals=3" in catalogue.metadata["Plural-Forms"]
    text = CATALOGUES["ro"].read_text(encoding="utf-8")
    assert "ş" not in text, "Romanian uses ș with a comma below"
    assert "ţ" not in text, "Romanian uses ț with a comma below"


def test_english_catalogue_exists_for_the_same_strings() -> None:
    assert _ids(polib.pofile(str(CATALOGUES["en"]))) == _ids(polib.pofile(str(CATALOGUES["ro"])))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings")
def test_catalogues_hold_every_string_of_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "punte"
    shutil.copytree(ROOT / "punte", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ro", "--no-obsolete", "-v0"],
        cwd=copy,
        env=environment,
        check=True,
    )
    fresh = _ids(polib.pofile(str(copy / "locale" / "ro" / "LC_MESSAGES" / "django.po")))
    committed = _ids(polib.pofile(str(CATALOGUES["ro"])))
    assert not fresh - committed, f"strings missing from the catalogues (run make messages): {sorted(fresh - committed)[:10]}"
    assert not committed - fresh, f"strings no longer in the code: {sorted(committed - fresh)[:10]}"
