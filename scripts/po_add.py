"""Add or update Ukrainian translations and recompile the catalogue, safely from several shells.

    .venv/bin/python scripts/po_add.py FILE.json [FILE.json ...]

Each FILE holds a JSON list of entries:

    {"msgid": "Saved searches", "msgstr": "Збережені пошуки"}
    {"msgid": "%(n)s case", "msgid_plural": "%(n)s cases",
     "msgstr_plural": ["%(n)s справа", "%(n)s справи", "%(n)s справ"]}
    {"msgctxt": "referral", "msgid": "From", "msgstr": "Від"}

An existing entry (same msgctxt and msgid) is overwritten and loses its fuzzy flag. The
catalogue is locked while it is read, changed and written, so two people (or agents) adding
strings at once do not lose each other's entries. `scripts/i18n` then lists what is still missing.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/opennrm/locale/uk/LC_MESSAGES/django.po"


def main(paths: list[str]) -> int:
    entries = [e for p in paths for e in json.loads(Path(p).read_text(encoding="utf-8"))]
    with open(PO.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO), wrapwidth=78)
        nplurals = po.metadata.get("Plural-Forms", "nplurals=3").split("nplurals=")[1][0]
        added = updated = 0
        for item in entries:
            ctxt = item.get("msgctxt")
            entry = po.find(item["msgid"], msgctxt=ctxt) if ctxt else po.find(item["msgid"])
            if entry is not None and ctxt is None and entry.msgctxt:
                entry = None
            if entry is None:
                entry = polib.POEntry(msgid=item["msgid"], msgctxt=ctxt)
                po.append(entry)
                added += 1
            else:
                updated += 1
            if "msgid_plural" in item:
                forms = item["msgstr_plural"]
                entry.msgid_plural = item["msgid_plural"]
                entry.msgstr_plural = {
                    i: forms[min(i, len(forms) - 1)] for i in range(int(nplurals))
                }
            else:
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
        po.save_as_mofile(str(PO.with_suffix(".mo")))
    print(f"{PO.name}: {added} added, {updated} updated, {po.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
