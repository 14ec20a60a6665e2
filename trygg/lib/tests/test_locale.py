"""The committed translation catalogues are complete and their .mo files are up to date.

scripts/compile_messages.py compiles them; `make messages` rebuilds and compiles them.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
COMPILE = "run `python scripts/compile_messages.py` and commit the .mo files"


def catalogue(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "django.po"


def translations(catalog: polib.POFile | polib.MOFile) -> dict:
    """(context, msgid) -> (msgid_plural, translation(s)) for the entries a .mo file holds."""
    entries = catalog.translated_entries() if isinstance(catalog, polib.POFile) else catalog
    return {
        (entry.msgctxt or "", entry.msgid): (
            entry.msgid_plural,
            tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr,
        )
        for entry in entries
        if entry.msgid  # the header entry is compared through the metadata
    }


def test_there_is_a_catalogue_for_every_language():
    assert LOCALE_DIR.is_dir(), f"{LOCALE_DIR} does not exist: Trygg ships no translations yet"
    missing = [code for code in LANGUAGES if not catalogue(code).is_file()]
    assert not missing, f"no django.po for {missing} in {LOCALE_DIR} (settings.LANGUAGES)"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogues_are_complete_and_compiled(code):
    po_files = sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"))
    assert catalogue(code) in po_files, f"{catalogue(code)} does not exist"
    for po_path in po_files:
        check_catalogue(po_path)


def check_catalogue(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{po_path}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, (
        f"{po_path}: {len(fuzzy)} fuzzy (check them, then drop the flag): {fuzzy[:10]}"
    )
    assert po.translated_entries(), f"{po_path} translates nothing"

    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: {COMPILE}"
    mo = polib.mofile(str(mo_path))
    assert translations(mo) == translations(po), f"{mo_path} is out of date: {COMPILE}"
    for header in ("Plural-Forms", "Content-Type"):
        assert mo.metadata.get(header) == po.metadata.get(header), (
            f"{mo_path}: header {header} differs from the .po: {COMPILE}"
        )
