#!/usr/bin/env python3
"""po/check.py — checks of the translation catalogues that a .po tool does not make.

    python3 po/check.py [PO_DIR]        exit 0 when clean, 1 with one line per problem

For every catalogue po/<lang>.po against po/vspreport.pot:
  header    the file's opening comment asks for a native reviewer at each
            regulator to approve it; Plural-Forms is the language's known
            formula (the same one pipeline/i18n.c evaluates)
  entries   every msgid of the template is there and translated (all plural
            forms), placeholders {...} kept in every form
  glossary  po/glossary/<lang>.tsv: wherever the English text uses a term,
            the translation uses the glossary's one translation; `avoid`
            lines name words the language must not use at all
  script    Cyrillic catalogues (sr, mk): no word mixing Cyrillic and Latin
            letters, no Latin word outside a short list of proper names and
            technical names (text in `backquotes` is code), never a Latin
            regulator acronym or "EU";
            Latin catalogues: no Cyrillic letter
  words     "Rejected" (rows the ingest could not read) and the outcome
            "Declined" are different words; cnr: "nalog" (account) only at
            the start of a word, never where "račun" (reckon) belonged
  sr-Latn   is the transliteration of sr, letter for letter (one listed
            exception)
Python standard library only, so it runs on any python3.
"""
import os
import re
import sys

LANGS = ["sq", "sr", "sr-Latn", "mk", "bs", "cnr"]
CYRILLIC = {"sr", "mk"}
SLAVIC3 = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
PLURAL_FORMS = {
    "sq": "nplurals=2; plural=(n != 1);",
    "sr": SLAVIC3, "sr-Latn": SLAVIC3, "bs": SLAVIC3, "cnr": SLAVIC3,
    "mk": "nplurals=2; plural=(n%10==1 && n%100!=11 ? 0 : 1);",
}
# Latin words a Cyrillic catalogue may keep: names of products, formats,
# standards and bodies that are written in Latin in Serbian and Macedonian
# texts too.  Regulator acronyms are never here.
LATIN_OK = {
    "n", "vspreport", "stats", "aggregate", "PDF", "DSA", "VSP", "TikTok", "SHA", "UTC",
    "Excel", "PERCENTILE", "INC", "pandas", "Noto", "Sans", "SIL", "Open", "Font", "License",
    "Natural", "Earth", "INSTAT", "MONSTAT", "Okabe", "Ito",
    # file formats and units, written in Latin in Cyrillic technical text too
    "PNG", "SVG", "CSV", "XLSX", "HTML", "JSON", "ZIP", "kB", "MB", "GB", "SI",
}
CODE = re.compile(r"`[^`]*`|https?://\S+")  # commands and addresses are not prose
LATIN_ACRONYMS = {"AMA", "CRA", "RAK", "AEM", "AMU", "AVMU", "REM", "IMC", "KPM", "NKM", "EU"}

SR_LATN_EXCEPTIONS = {("number", "{n} h")}  # Latin keeps the SI "h"; Cyrillic writes "ч"

CYR = re.compile(r"[\u0400-\u04FF]")
LAT = re.compile(r"[A-Za-z\u00C0-\u024F]")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
PH = re.compile(r"\{[a-z_0-9]+\}")


def unquote(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            i += 1
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(s[i], s[i]))
        else:
            out.append(c)
        i += 1
    return "".join(out)


def parse(path):
    """Entries as dicts: ctx, id, plural, strs (list), fuzzy, line; and the
    opening comment block."""
    entries, cur, field, head, in_head = [], None, None, [], True
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if in_head and line.startswith("#"):
                head.append(line)
                continue
            in_head = False
            if not line.strip():
                field = None
                continue
            if line.startswith("#"):
                if line.startswith("#,") and "fuzzy" in line:
                    cur = {"fuzzy": True, "line": no}
                    entries.append(cur)
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if m:
                kw = m.group(1)
                if kw == "msgctxt" or (kw == "msgid" and (cur is None or "id" in cur)):
                    cur = {"line": no}
                    entries.append(cur)
                if kw.startswith("msgstr"):
                    k = int(m.group(2) or 0)
                    cur.setdefault("strs", {})[k] = unquote(m.group(3))
                    field = ("strs", k)
                else:
                    key = {"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}[kw]
                    cur[key] = unquote(m.group(3))
                    field = key
                continue
            m = re.match(r'"(.*)"$', line)
            if m and cur is not None and field:
                if isinstance(field, tuple):
                    cur["strs"][field[1]] += unquote(m.group(1))
                else:
                    cur[field] += unquote(m.group(1))
    return [e for e in entries if "id" in e], head


def load_glossary(path):
    terms, avoid = [], []
    if not os.path.exists(path):
        return terms, avoid
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0] == "!avoid":
                avoid.append((no, re.compile(cols[1]), cols[2] if len(cols) > 2 else ""))
            else:
                if len(cols) < 5:
                    raise SystemExit(f"{path}:{no}: expected 5 tab-separated columns")
                term, en_pat, translation, pat = cols[:4]
                terms.append((no, term, re.compile(en_pat, re.I), translation, re.compile(pat, re.I)))
    return terms, avoid


def translit_sr(s):
    table = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш",
                     ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n",
                      "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]))
    out = []
    for i, ch in enumerate(s):
        low = ch.lower()
        if low not in table:
            out.append(ch)
            continue
        r = table[low]
        if ch != low:
            nxt = s[i + 1] if i + 1 < len(s) else ""
            prv = s[i - 1] if i > 0 else ""
            all_caps = nxt.isupper() or (prv.isupper() and not nxt.isalpha())
            r = r.upper() if all_caps else r[0].upper() + r[1:]
        out.append(r)
    return "".join(out)


def main():
    po_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    problems = []

    def bad(where, msg):
        problems.append(f"{where}: {msg}")

    pot, _ = parse(os.path.join(po_dir, "vspreport.pot"))
    template = [e for e in pot if e["id"]]
    cats = {}
    for lang in LANGS:
        path = os.path.join(po_dir, lang + ".po")
        rel = os.path.join(os.path.basename(po_dir), lang + ".po")
        entries, head = parse(path)
        cats[lang] = {(e.get("ctx"), e["id"]): e for e in entries if not e.get("fuzzy")}
        header = cats[lang].get((None, ""), {}).get("strs", {}).get(0, "")
        text = " ".join(head).lower()
        if "native" not in text or "regulator" not in text or "approve" not in text:
            bad(f"{rel}:1", "the header comment must ask a native reviewer at each regulator to approve the catalogue")
        m = re.search(r"Plural-Forms:\s*([^\n]*)", header)
        if not m or m.group(1).strip() != PLURAL_FORMS[lang]:
            bad(f"{rel}:1", f"Plural-Forms must be '{PLURAL_FORMS[lang]}'")
        nplurals = int(PLURAL_FORMS[lang].split(";")[0].split("=")[1])
        terms, avoid = load_glossary(os.path.join(po_dir, "glossary", lang + ".tsv"))
        for t in template:
            key = (t.get("ctx"), t["id"])
            e = cats[lang].get(key)
            label = f"{rel}:{e['line']}" if e else rel
            name = f"'{key[0] or ''}|{key[1][:60]}'"
            if not e:
                bad(rel, f"{name} is missing or fuzzy")
                continue
            want = nplurals if "plural" in t else 1
            strs = [e.get("strs", {}).get(k, "") for k in range(want)]
            if any(not s for s in strs):
                bad(label, f"{name} is not translated in every form ({want})")
                continue
            english = t["id"] + " " + t.get("plural", "")
            english_words = PH.sub(" ", english)
            for s in strs:
                for ph in set(PH.findall(english)):
                    if ph not in s:
                        bad(label, f"{name} lost placeholder {ph}")
                for no, term, en_pat, translation, pat in terms:
                    if en_pat.search(english_words) and not pat.search(s):
                        bad(label, f"{name}: glossary term '{term}' should be '{translation}' "
                                   f"(po/glossary/{lang}.tsv:{no}): '{s[:90]}'")
                for no, pat, instead in avoid:
                    hit = pat.search(s)
                    if hit:
                        bad(label, f"{name}: '{hit.group(0)}' is not used in {lang} "
                                   f"(po/glossary/{lang}.tsv:{no}: {instead})")
                for w in WORD.findall(CODE.sub(" ", PH.sub(" ", s))):
                    cyr, lat = bool(CYR.search(w)), bool(LAT.search(w))
                    if lang in CYRILLIC:
                        if cyr and lat:
                            bad(label, f"{name}: word '{w}' mixes Cyrillic and Latin letters")
                        elif lat and w in LATIN_ACRONYMS:
                            bad(label, f"{name}: Latin acronym '{w}' in a Cyrillic catalogue")
                        elif lat and w not in LATIN_OK:
                            bad(label, f"{name}: Latin word '{w}' in a Cyrillic catalogue")
                    elif cyr:
                        bad(label, f"{name}: Cyrillic in a Latin-script catalogue: '{w}'")
                if lang == "cnr":
                    for w in WORD.findall(s):
                        lw = w.lower()
                        if "nalog" in lw and not lw.startswith("nalog") and not lw.startswith("nalož"):
                            bad(label, f"{name}: '{w}' — 'nalog' inside a word, where 'račun' belonged")
                    if re.search(r"\bnaloga se\b", s):
                        bad(label, f"{name}: 'naloga se' — the verb is 'računa se'")
        # Rejected rows vs the outcome Declined: different words
        declined = cats[lang].get(("outcome", "Declined"), {}).get("strs", {}).get(0, "")
        for ctx in ("workbook", "report"):
            rejected = cats[lang].get((ctx, "Rejected"), {}).get("strs", {}).get(0, "")

            def stem(s):
                w = [x for x in WORD.findall(s.lower()) if x not in ("të", "e")]
                return w[0][:4] if w else ""
            if rejected and declined and stem(rejected) == stem(declined):
                bad(rel, f"'{ctx}|Rejected' ('{rejected}') and 'outcome|Declined' ('{declined}') "
                         "must be different words")
    # sr-Latn is sr transliterated
    for key, e in cats["sr"].items():
        if not key[1] or key in SR_LATN_EXCEPTIONS:
            continue
        lat = cats["sr-Latn"].get(key)
        if not lat:
            continue
        for k, s in e.get("strs", {}).items():
            want = translit_sr(s)
            got = lat.get("strs", {}).get(k, "")
            if got != want:
                bad(f"po/sr-Latn.po:{lat['line']}",
                    f"'{key[1][:50]}' is not the transliteration of sr: '{got[:80]}' vs '{want[:80]}'")
    for p in problems:
        print(p)
    print(f"po/check.py: {len(problems)} problem(s) in {len(LANGS)} catalogues, "
          f"{len(template)} template entries", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
