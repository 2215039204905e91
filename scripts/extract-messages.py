#!/usr/bin/python3
"""Lists every message a reader can see, as a gettext template (.pot).

Sources:
  - web/templates/**/*.mustache: the text of each {{#_}}…{{/_}} marker;
  - src/**/*.cc: tr("…"), tr.Plural("…", "…", n), N_("…") (through xgettext).

Usage: extract-messages.py SOURCE_DIR OUT.pot
The catalogue test (scripts/check-catalogues.py) compares each po/<lang>/
against this list.
"""
import os
import re
import subprocess
import sys
import tempfile

MARKER = re.compile(r"\{\{#_\}\}(.*?)\{\{/_\}\}", re.S)


def po_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def template_messages(source_dir):
    base = os.path.join(source_dir, "web", "templates")
    found = {}
    for root, _, files in os.walk(base):
        for name in sorted(files):
            if not name.endswith(".mustache"):
                continue
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            rel = os.path.relpath(path, source_dir)
            for match in MARKER.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.setdefault(match.group(1), []).append(f"{rel}:{line}")
    return found


def main():
    source_dir, out = sys.argv[1], sys.argv[2]
    sources = []
    for root, _, files in os.walk(os.path.join(source_dir, "src")):
        for name in files:
            if name.endswith(".cc") and not name.endswith("_test.cc"):
                sources.append(os.path.relpath(os.path.join(root, name), source_dir))
    sources.sort()
    with tempfile.TemporaryDirectory() as tmp:
        code_pot = os.path.join(tmp, "code.pot")
        subprocess.run(
            ["xgettext", "--language=C++", "--from-code=UTF-8", "--no-wrap", "--sort-by-file",
             "--keyword=tr", "--keyword=Plural:1,2", "--keyword=N_", "--keyword=Context:1c,2", "--add-location=file",
             "--force-po", "-o", code_pot] + sources,
            cwd=source_dir, check=True)
        tpl_pot = os.path.join(tmp, "templates.pot")
        with open(tpl_pot, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
            for msgid, where in sorted(template_messages(source_dir).items()):
                f.write("#: " + " ".join(where) + "\n")
                f.write("msgid " + po_quote(msgid) + '\nmsgstr ""\n\n')
        subprocess.run(["msgcat", "--use-first", "--no-wrap", "-o", out, code_pot, tpl_pot], check=True)


if __name__ == "__main__":
    main()
