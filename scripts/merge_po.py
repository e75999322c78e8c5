"""Rebuild es.po from the exported .pot, keeping known translations.

usage: merge_po.py TEMPLATE.pot es.po [EXTRA.po ...]
Translations are looked up by msgid in the extra files first (plain msgid/msgstr
pairs, references not needed: the per-area sources), then in es.po. Prints the
entries still untranslated.
"""

import os
import sys

import polib


def known_translations(paths):
    known = {}
    for path in paths:
        if not os.path.exists(path):
            continue
        for entry in polib.pofile(path):
            if entry.msgstr and not entry.obsolete:
                known.setdefault(entry.msgid, entry.msgstr)
    return known


def main(pot_path, po_path, *extra):
    pot = polib.pofile(pot_path)
    # The per-area sources win: a corrected translation there replaces the old one.
    known = known_translations([*extra, po_path])
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": "es",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    missing = []
    for entry in pot:
        entry.msgstr = known.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
        po.append(entry)
    po.save(po_path)
    total = len(pot)
    print(f"es.po: {total - len(missing)}/{total} translated")
    for msgid in missing:
        print("  untranslated:", msgid.replace("\n", "\\n")[:150])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
