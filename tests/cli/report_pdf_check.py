#!/usr/bin/python3
"""report_pdf_check.py - independent checks of a PDF written by `vspreport report`.

Usage: report_pdf_check.py PDF COUNTRY LANG STATS_CUR.csv STATS_PREV.csv EPOCH

Reads the PDF only through the Poppler and qpdf command-line tools (pdfinfo,
pdffonts, pdftotext, pdftoppm, qpdf --json) and Debian's Python; formats the
expected figures itself from `vspreport stats --format csv`.  Prints one line
per failed check and exits 1 if any failed.
"""

import csv
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

pdf, country, lang, stats_cur, stats_prev, epoch = sys.argv[1:7]
# optional: `vspreport stats --same-lag --format csv`: the previous period's
# counts and rates as they stood at the same lag, which the key figures
# compare with (DESIGN section 5)
stats_lag = sys.argv[7] if len(sys.argv) > 7 else None
failures = []


def fail(msg):
    failures.append(msg)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# ---- metadata ------------------------------------------------------------
info = {}
for line in run("pdfinfo", pdf).splitlines():
    k, _, v = line.partition(":")
    info[k.strip()] = v.strip()
pages = int(info.get("Pages", "0"))
if not info.get("Title"):
    fail("pdfinfo: no Title")
if not info.get("Author"):
    fail("pdfinfo: no Author")
if not info.get("Subject"):
    fail("pdfinfo: no Subject")
if not info.get("Keywords"):
    fail("pdfinfo: no Keywords")
if not info.get("Creator", "").startswith("vspreport "):
    fail("pdfinfo: Creator is %r" % info.get("Creator"))
if info.get("Tagged") != "yes":
    fail("pdfinfo: not tagged")
want_date = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
if not info.get("CreationDate", "").startswith(want_date.strftime("%a %b %e %H:%M:%S %Y")):
    fail("pdfinfo: CreationDate %r is not SOURCE_DATE_EPOCH %s" % (info.get("CreationDate"), want_date))
min_pages = 20 if country == "region" else 13
if pages < min_pages:
    fail("only %d pages" % pages)

# ---- fonts: every one embedded --------------------------------------------
rows = run("pdffonts", pdf).splitlines()[2:]
if not rows:
    fail("pdffonts: no fonts")
for r in rows:
    cols = r.split()
    # name type... emb sub uni object ID: emb is the 5th field from the end
    if cols[-5] != "yes":
        fail("font not embedded: " + r)

# ---- structure: language, figures with alternative text, outline ---------------
raw = open(pdf, "rb").read()
want_lang = {"en": "en", "sq": "sq", "sr": "sr-Cyrl", "sr-Latn": "sr-Latn", "mk": "mk",
             "bs": "bs", "cnr": "cnr"}[lang]
if raw.count(b"/Lang (%s)" % want_lang.encode()) != 1:
    fail("/Lang (%s) not set once on the catalog" % want_lang)
objs = json.loads(run("qpdf", "--json", "--json-key=qpdf", pdf))["qpdf"][1]
figures = [o["value"] for o in objs.values()
           if isinstance(o.get("value"), dict) and o["value"].get("/S") == "/Figure"]
want_figs = 9 if country == "region" else 5
if len(figures) != want_figs:
    fail("%d Figure elements, want %d" % (len(figures), want_figs))
for f in figures:
    alt = f.get("/Alt", "")
    if len(alt) < 20:
        fail("Figure without alternative text: %r" % f)
catalog = [o["value"] for o in objs.values()
           if isinstance(o.get("value"), dict) and o["value"].get("/Type") == "/Catalog"]
if not catalog or catalog[0].get("/MarkInfo", {}).get("/Marked") is not True:
    fail("catalog not /MarkInfo /Marked true")

outlines = json.loads(run("qpdf", "--json", "--json-key=outlines", pdf))["outlines"]
top = [o["title"] for o in outlines]
want_sections = 14 if country == "region" else 11  # the key findings open them
want_top = 1 + want_sections + 1  # Contents, numbered sections, About
if len(top) != want_top:
    fail("outline has %d top-level entries, want %d: %r" % (len(top), want_top, top))
for k, t in enumerate(top[1:], 1):
    if not t.startswith("%d  " % k):
        fail("outline entry %d is %r" % (k, t))
if lang == "en":
    names = ["Contents", "Key findings", "Key figures", "From report to platform action",
             "Categories of content",
             "Platform outcomes", "Timeliness", "Trend over eight periods", "Audiovisual piracy"]
    if country == "region":
        names += ["Countries compared", "Categories by country", "Cross-border items"]
    names += ["Data quality", "Methodology and definitions", "Glossary", "About this report"]
    got = [re.sub(r"^\d+  ", "", t) for t in top]
    if got != names:
        fail("outline titles %r, want %r" % (got, names))

# ---- text per page -------------------------------------------------------------
page_text = []
for p in range(1, pages + 1):
    page_text.append(run("pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"))


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


# every outline entry leads to the page that shows its heading
def walk(items):
    for o in items:
        yield o
        yield from walk(o.get("kids", []))


for o in walk(outlines):
    p = o.get("destpageposfrom1")
    if not p or p > pages:
        fail("outline %r leads nowhere" % o["title"])
        continue
    if norm(o["title"]) not in norm(page_text[p - 1]):
        fail("outline %r: page %d does not show it" % (o["title"], p))

# ---- table of contents: entries, printed page numbers, working links ----------
toc = page_text[1]
entries = []
for line in toc.splitlines():
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s+(.*?)[\s.]*?\s(\d+)\s*$", line)
    if m:
        entries.append((m.group(1), m.group(3)))
numbered = [o["title"] for o in walk(outlines) if re.match(r"^\d", o["title"])]
if len(entries) != len(numbered):
    fail("TOC has %d entries, outline %d numbered ones" % (len(entries), len(numbered)))
outline_page = {o["title"].split("  ")[0]: o["destpageposfrom1"] for o in walk(outlines)}
for num, printed in entries:
    if outline_page.get(num) != int(printed):
        fail("TOC entry %s says page %s, its section is on page %s" % (num, printed, outline_page.get(num)))
# the link annotations of the contents page, resolved through the name tree
pj = json.loads(run("qpdf", "--json", "--json-key=pages", pdf))["pages"]
page_index = {p["object"]: i + 1 for i, p in enumerate(pj)}
dests = {}
for o in objs.values():
    v = o.get("value")
    if isinstance(v, dict) and isinstance(v.get("/Names"), list):
        arr = v["/Names"]
        for i in range(0, len(arr) - 1, 2):
            if isinstance(arr[i + 1], list):
                dests[arr[i].split(":", 1)[-1]] = page_index.get(arr[i + 1][0])
links = []
annots = objs["obj:" + pj[1]["object"]]["value"].get("/Annots", [])
if isinstance(annots, str):  # an indirect array
    annots = objs["obj:" + annots]["value"]
for ref in annots:
    a = objs["obj:" + ref]["value"]
    d = a.get("/Dest")
    if isinstance(d, str):
        links.append(dests.get(d.split(":", 1)[-1]))
    elif isinstance(d, list):
        links.append(page_index.get(d[0]))
    else:
        links.append(None)
if sorted(x for x in links if x) != sorted(int(p) for _, p in entries) or None in links:
    fail("TOC links lead to pages %r, the entries say %r" % (links, [p for _, p in entries]))

# ---- key figures: the first table equals `vspreport stats` -----------------------


def stats_row(path):
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["country"] == country and r["category"] == "*":
                return r
    return None


cur, prev = stats_row(stats_cur), stats_row(stats_prev)
if cur is None:
    fail("no stats row for " + country)
if stats_lag and prev is not None:
    with open(stats_lag, encoding="utf-8") as f:
        lag = next((r for r in csv.DictReader(f) if r["country"] == country), None)
    if lag is None:
        fail("no --same-lag row for " + country)
    else:
        prev = dict(prev)
        for k in ("received", "assessed", "forwarded", "actioned", "outcome_pending",
                  "violation_rate", "action_rate"):
            prev[k] = lag[k + "_prev_same_lag"]
cols = [("received", "int"), ("assessed", "int"), ("forwarded", "int"), ("actioned", "int"),
        ("outcome_pending", "int"), ("violation_rate", "pct"), ("action_rate", "pct"),
        ("median_h_to_action", "h"), ("p90_h_to_action", "h"), ("n_to_action", "int"),
        ("median_h_to_response", "h"), ("median_d_to_action", "h"), ("n_d_to_action", "int"),
        ("cross_border_items", "int")]
thousands, decimal = (",", ".") if lang == "en" else (".", ",")


def parse(s):
    """A number as the report prints it, back to a float (None for a dash)."""
    s = s.replace("\u00a0", "").replace(" ", "").rstrip("%")
    if s in ("\u2013", "-", ""):
        return None
    s = s.replace(thousands, "").replace(decimal, ".").replace("\u2212", "-")
    return float(s)


def close(got_text, got, want, kind):
    if want in ("", None):
        return got is None
    w = float(want)
    if got is None:
        return False
    if kind == "int":
        return got == w and re.fullmatch(r"\d{1,3}(\%s\d{3})*" % thousands, got_text) is not None
    if kind == "pct":
        return abs(got - w * 100) <= 0.05 + 1e-9
    return abs(got - w) <= 0.05 + 1e-9


text = page_text[2] + page_text[3]  # the table may continue on page 4
lines = text.splitlines()
start = next((i for i, l in enumerate(lines) if re.match(r"^\s*(Table|Tabela|Табела) 1\.", l)), None)
table = []
if start is None:
    fail("key figures page has no table 1")
else:
    for l in lines[start + 1:]:
        parts = re.split(r"\s{2,}", l.strip())
        if len(parts) == 4 and not re.search(r"[\d\u2013]", parts[3]):
            continue  # a header row (its period columns look like numbers)
        if len(parts) == 4 and re.fullmatch(r"[\d.,%\u00a0 \u2013]+", parts[1]):
            table.append(parts)
        if len(table) == len(cols):
            break
if len(table) != len(cols):
    fail("key figures table has %d rows: %r" % (len(table), table))
else:
    for (col, kind), row in zip(cols, table):
        for text_value, ref in ((row[1], cur), (row[2], prev)):
            got_text = text_value.replace("\u00a0", "").replace(" ", "").rstrip("%")
            want = ref.get(col) if ref else ""
            try:
                got = parse(text_value)
            except ValueError:
                fail("%s: %r is not a number" % (col, text_value))
                continue
            if not close(got_text, got, want, kind):
                fail("%s: report shows %r, stats says %r" % (col, text_value, want))

# ---- language: the text is in the report's language --------------------------------
body = "\n".join(page_text[:-1])  # the colophon holds file names and digests
letters = re.findall(r"[^\W\d_]", body)
cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
if lang in ("sr", "mk"):
    if cyr < 0.85 * len(letters):
        fail("only %d of %d letters are Cyrillic" % (cyr, len(letters)))
elif cyr:
    fail("%d Cyrillic letters in a %s report" % (cyr, lang))
if lang != "en":
    for english in ("Key figures", "Table 1.", "Page 3 of", "Contents", "Methodology"):
        if english in body:
            fail("English text %r in a %s report" % (english, lang))
heading = {"en": "Key figures", "sq": "Shifrat kryesore", "sr": "Кључни подаци",
           "sr-Latn": "Ključni podaci", "mk": "Клучни податоци", "bs": "Ključni podaci",
           "cnr": "Ključni podaci"}[lang]
if heading not in page_text[2]:
    fail("key figures heading %r not on page 3" % heading)
footer = {"en": "Page 3 of %d", "sq": "Faqja 3 nga %d", "sr": "Страна 3 од %d",
          "sr-Latn": "Strana 3 od %d", "mk": "Страница 3 од %d", "bs": "Stranica 3 od %d",
          "cnr": "Strana 3 od %d"}[lang] % pages
if footer not in page_text[2]:
    fail("footer %r not on page 3" % footer)

# ---- every page has ink ------------------------------------------------------
try:
    from PIL import Image
except ImportError:
    Image = None
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["pdftoppm", "-png", "-r", "20", pdf, os.path.join(tmp, "p")], check=True)
    pngs = sorted(os.listdir(tmp))
    if len(pngs) != pages:
        fail("pdftoppm rendered %d pages of %d" % (len(pngs), pages))
    for name in pngs if Image else []:
        im = Image.open(os.path.join(tmp, name)).convert("L")
        dark = sum(1 for v in im.getdata() if v < 200)
        if dark < 0.004 * im.width * im.height:
            fail("%s is (nearly) blank: %d dark pixels" % (name, dark))

for f in failures:
    print("%s: %s" % (os.path.basename(pdf), f))
sys.exit(1 if failures else 0)
