#!/usr/bin/env python3
"""po/sources.py — every string the C sources translate is in the template.

    python3 po/sources.py SOURCE_POT TEMPLATE_POT

SOURCE_POT is what xgettext extracts from the sources with the keywords of
po/README.md ("Updating the template"); TEMPLATE_POT is po/vspreport.pot.
A (context, msgid, msgid_plural) of the sources that the template lacks is
text every reader of a translated edition gets in English: the lookup
falls back to the msgid.  It also catches a plural string looked up with a
non-plural call (the template has it with its plural form, the source
without).  Exit 0 when every one is there, 1 with one line per string.
Python standard library only.
"""
import re
import sys


def unquote(s):
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def entries(path):
    """(msgctxt, msgid, msgid_plural) -> first source reference."""
    out = {}
    cur, key, ref = {}, None, ""

    def flush():
        if "msgid" in cur and cur["msgid"] != "":
            k = (cur.get("msgctxt"), cur["msgid"], cur.get("msgid_plural"))
            out.setdefault(k, ref)

    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and ("msgstr" in cur or "msgstr[0]" in cur):
                flush()
                cur = {}
            if m.group(1) == "msgctxt" and "msgid" in cur:
                flush()
                cur = {}
            key = m.group(1)
            cur[key] = unquote(m.group(2))
        elif line.startswith('"') and key:
            cur[key] += unquote(line[1:-1])
        elif line.startswith("#:"):
            if "msgstr" in cur or "msgstr[0]" in cur:
                flush()
                cur = {}
            ref = line[3:].split()[0] if len(line) > 3 else ""
        elif not line.strip():
            flush()
            cur, key = {}, None
    flush()
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    src, tmpl = entries(sys.argv[1]), entries(sys.argv[2])
    missing = [(ref, k) for k, ref in src.items() if k not in tmpl]
    for ref, (ctx, msgid, plural) in sorted(missing, key=lambda x: x[0]):
        kind = "plural " if plural else ""
        hint = ""
        if not plural and any(t[0] == ctx and plural is None and t[2] == msgid for t in tmpl):
            hint = " (the template has it as a plural form: look it up with a plural call)"
        print(f"{ref}: {kind}string not in po/vspreport.pot, so every translated edition "
              f"shows it in English: [{ctx}] {msgid!r}{hint}; add it to the template and "
              f"translate it in every po/*.po, or use the template's wording")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
