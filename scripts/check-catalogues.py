#!/usr/bin/python3
"""Fails when a message a page uses has no translation, or a translation
breaks its placeholders.

Usage: check-catalogues.py SOURCE_DIR MESSAGES.pot LANG...
For each language, po/<lang>/*.po together must translate every msgid of
MESSAGES.pot (made by extract-messages.py): not missing, not empty, not
fuzzy, every plural form filled; and each translation must keep exactly the
{{mustache}} and {name} placeholders and the HTML tags of its msgid. A msgid
translated in two files of one language must be translated the same way.
"""
import glob
import os
import re
import sys

import polib

PLACEHOLDER = re.compile(r"\{\{\{?\s*[\w.]+\s*\}?\}\}|\{[a-z_]+\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def shape(text):
    return sorted(PLACEHOLDER.findall(text)), sorted(TAG.findall(text))


def main():
    source_dir, pot_path, langs = sys.argv[1], sys.argv[2], sys.argv[3:]
    pot = polib.pofile(pot_path)
    problems = []
    for lang in langs:
        entries = {}
        for path in sorted(glob.glob(os.path.join(source_dir, "po", lang, "*.po"))):
            for entry in polib.pofile(path):
                if entry.obsolete:
                    continue
                key = (entry.msgctxt, entry.msgid)
                if key in entries and entries[key][0].msgstr != entry.msgstr and entry.msgstr:
                    problems.append(f"{lang}: '{entry.msgid}' is translated differently in "
                                    f"{entries[key][1]} and {os.path.basename(path)}")
                entries.setdefault(key, (entry, os.path.basename(path)))
        for wanted in pot:
            where = " ".join(f"{f}:{l}" if l else f for f, l in wanted.occurrences[:2])
            found = entries.get((wanted.msgctxt, wanted.msgid))
            if found is None:
                problems.append(f"{lang}: no translation of '{wanted.msgid}' ({where})")
                continue
            entry = found[0]
            if "fuzzy" in entry.flags:
                problems.append(f"{lang}: fuzzy translation of '{wanted.msgid}'")
                continue
            forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            if not forms or any(not f for f in forms):
                problems.append(f"{lang}: empty translation of '{wanted.msgid}' ({where})")
                continue
            for form in forms:
                if shape(form) != shape(entry.msgid):
                    problems.append(f"{lang}: the translation of '{entry.msgid}' changes its "
                                    f"placeholders or tags: '{form}'")
    for p in problems:
        print(p)
    print(f"{len(pot)} messages, {len(langs)} languages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
