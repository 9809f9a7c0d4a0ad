"""The Ukrainian catalogue is complete, free of fuzzy entries, and compiled (.mo up to date)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib

import opennrm

PO = Path(opennrm.__file__).parent / "locale" / "uk" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}")


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(PO))
    assert len(po) > 600
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_translations_keep_every_placeholder() -> None:
    for entry in polib.pofile(str(PO)):
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if not entry.msgid_plural:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgid
            continue
        # A plural form may name the count where English says "this case" (Ukrainian uses its
        # first form for 21 and 31 too), or spell it out ("one"): it may use the plural's
        # placeholders, and must keep every other placeholder of the singular.
        allowed = wanted | set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.msgstr_plural.values():
            if "%(" not in text and "{{" not in text:
                continue
            found = set(PLACEHOLDER.findall(text))
            assert found <= allowed, entry.msgid
            assert wanted - found <= {"%(counter)s", "%(count)s", "%(n)s"}, entry.msgid


def test_compiled_catalogue_matches_the_po_file() -> None:
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural and entry.msgctxt:
            found = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 5)
            assert found == entry.msgstr_plural[2]
        elif entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr_plural[2]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
