#!/usr/bin/python3
"""check_rendered.py - the figures a reader sees, found by their translated labels.

Usage:
  check_rendered.py --fixture CSV --po-dir DIR --lang L
                    [--pdf REPORT.pdf] [--xlsx WORKBOOK.xlsx] [--funnel-svg FUNNEL.svg]

The expected figures are the hand-worked ones in the fixture's comment lines
("# expect NAME = VALUE"), never taken from vspreport.  Every label is read
at test time from po/<lang>.po (msgctxt + msgid -> msgstr; English is the
msgid), so a change of wording or of layout by translators or designers
does not break the check, while a figure printed against the wrong label
does.  Nothing is matched by position:

  PDF   (pdftotext -raw, text in drawing order, from the numbered heading of
        the key figures section to that of the categories section): each
        headline tile and each row of Table 1 and of the funnel table is its
        label followed by its value; every such occurrence must show the
        expected value, and each label must be found with a value at least
        as often as it is shown (tile and table row).  The opening sentence
        is matched against the catalogue's own sentence, its {placeholders}
        read as the figures.  In the timeliness section (its numbered
        heading to the next), each step's label is followed by its median.
  SVG   each stage label of the funnel chart (a <text>) and the numeric
        <text> beside it: right of the label and nearer to it than to any
        other stage label.
  XLSX  (openpyxl) every cell equal to a label (key figures, funnel stages,
        timeliness steps), the number in the cell to its right; category rows (by their translated names) under the
        column headed by a translated label.

Prints one line per failure; exits 1 if anything failed.
"""

import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

failures = []
checked = [0]


def fail(msg):
    failures.append(msg)


# ---- the catalogue ---------------------------------------------------------------


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    out, i, s = [], 0, s[1:-1]
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_po(path):
    """{(msgctxt or None, msgid): msgstr}; fuzzy and untranslated entries left out."""
    cat = {}
    entry, key, fuzzy = {}, None, False

    def flush():
        if "msgid" in entry and entry.get("msgstr") and not fuzzy:
            cat[(entry.get("msgctxt"), entry["msgid"])] = entry["msgstr"]

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                entry, key, fuzzy = {}, None, False
                continue
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?)\s+(".*")$', line)
            if m:
                if m.group(1) == "msgid" and "msgstr" in entry:
                    flush()
                    entry, fuzzy = {}, False
                key = "msgstr" if m.group(1).startswith("msgstr") else m.group(1)
                if m.group(1).startswith("msgstr[") and m.group(1) != "msgstr[0]":
                    key = None
                    continue
                entry[key] = unquote(m.group(2))
            elif line.startswith('"') and key:
                entry[key] += unquote(line)
            else:
                key = None
    flush()
    return cat


def pot_msgids(path):
    """[(msgctxt, msgid)] of the template po/vspreport.pot."""
    out, ctx, cur, key = [], None, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r'(msgctxt|msgid|msgid_plural|msgstr\S*)\s+(".*")$', line)
            if m:
                if key == "msgid" and m.group(1) != "msgid":
                    out.append((ctx, cur))
                    ctx = None
                key = m.group(1)
                if key == "msgctxt":
                    ctx = unquote(m.group(2))
                elif key == "msgid":
                    cur = unquote(m.group(2))
            elif line.startswith('"') and key in ("msgctxt", "msgid"):
                if key == "msgctxt":
                    ctx += unquote(line)
                else:
                    cur += unquote(line)
    return out


def lead_msgid(po_dir):
    found = [(c, i) for c, i in pot_msgids(os.path.join(po_dir, "vspreport.pot"))
             if c == "report" and all(p in i for p in LEAD_PLACEHOLDERS)]
    if len(found) != 1:
        fail("po/vspreport.pot: %d report strings hold %s, want exactly one"
             % (len(found), " ".join(LEAD_PLACEHOLDERS)))
        return None
    return found[0]


class Catalogue:
    def __init__(self, po_dir, lang):
        self.lang = lang
        self.cat = {} if lang == "en" else read_po(os.path.join(po_dir, lang + ".po"))

    def __call__(self, ctx, msgid):
        return self.cat.get((ctx, msgid), msgid)


# ---- numbers as printed ------------------------------------------------------------

NUM = r"[-−]?\d(?:[\d\u00a0\u202f.,]*\d)?"


def to_number(text):
    t = text.replace("\u00a0", "").replace("\u202f", "").replace("−", "-").replace(" ", "")
    if "," in t and "." in t:  # 1.234,5 or 1,234.5: the last one is the decimal mark
        if t.rfind(",") > t.rfind("."):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif "," in t:
        t = t.replace(",", ".") if len(t.split(",")[-1]) != 3 else t.replace(",", "")
    elif t.count(".") == 1 and len(t.split(".")[-1]) == 3 and not re.search(r"\.\d{1,2}$", t):
        t = t.replace(".", "")  # 1.234 as thousands (figures here have one decimal)
    return float(t)


def same(got, want):
    return abs(got - want) < 0.051


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


# ---- expectations -----------------------------------------------------------------


def read_expect(path):
    want = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*expect\s+([\w.]+)\s*=\s*([-\d.]+)", line)
            if m:
                want[m.group(1)] = float(m.group(2))
    if not want:
        fail("%s: no '# expect NAME = VALUE' lines" % path)
    return want


# (catalogue context, msgid, figure, least number of occurrences with a value)
PDF_LABELS = [
    ("report", "Reports received", "received", 2),
    ("report", "Reports assessed", "assessed", 1),
    ("report", "Violations forwarded to the platform", "forwarded", 2),
    ("report", "Actioned by the platform", "actioned", 2),
    ("report", "Forwarded, platform outcome pending", "outcome_pending", 1),
    ("report", "Violation rate", "violation_rate", 2),
    ("report", "Action rate", "action_rate", 2),
    ("report", "Median time to action", "median_h_to_action", 1),
    ("report", "Median time to action (hours)", "median_h_to_action", 1),
    ("report", "90th percentile of time to action (hours)", "p90_h_to_action", 1),
    ("report", "Items with a time to action (n)", "n_to_action", 1),
    ("report", "Median time to platform response (hours)", "median_h_to_response", 1),
    ("stage", "Received", "received", 1),
    ("stage", "Assessed", "assessed", 1),
    ("stage", "Forwarded to the platform", "forwarded", 1),
    ("stage", "Actioned by the platform", "actioned", 1),
]
# The opening sentence of the key figures: the one msgid of context "report"
# with all of these placeholders, looked up in po/vspreport.pot at test
# time, so that a rewording of the sentence needs no change here.
LEAD_PLACEHOLDERS = ("{scope}", "{period}", "{received}", "{forwarded}", "{actioned}", "{rate}")
LEAD_FIGURES = {"received": "received", "forwarded": "forwarded", "actioned": "actioned",
                "rate": "action_rate"}
SVG_STAGES = [("stage", "Received", "received"), ("stage", "Assessed", "assessed"),
              ("stage", "Forwarded to the platform", "forwarded"),
              ("stage", "Actioned by the platform", "actioned")]
# the timeliness table of the report and sheet of the workbook: each step's
# label (stage names, as the charts use them) and its median first
TIMELINESS = [("stage", "Received → decided", "median_h_received_decided"),
              ("stage", "Decided → forwarded", "median_h_decided_forwarded"),
              ("stage", "Forwarded → actioned", "median_h_to_action"),
              ("stage", "Forwarded → platform response", "median_h_to_response"),
              ("stage", "Received → outcome", "median_h_received_outcome")]
XLSX_LABELS = [
    ("workbook", "Reports received", "received"),
    ("workbook", "Reports assessed", "assessed"),
    ("workbook", "Violations forwarded to the platform", "forwarded"),
    ("workbook", "Actioned by the platform", "actioned"),
    ("workbook", "Awaiting the platform's response", "outcome_pending"),
    ("workbook", "Median time to action", "median_h_to_action"),
    ("workbook", "Time to action, 90th percentile", "p90_h_to_action"),
    ("workbook", "Actioned items timed", "n_to_action"),
    ("workbook", "Median time to response", "median_h_to_response"),
]
XLSX_RATES = [("workbook", "Violation rate", "violation_rate"),
              ("workbook", "Action rate", "action_rate")]
XLSX_CATEGORY_COLUMNS = [("workbook", "Received", "received"), ("workbook", "Forwarded", "forwarded"),
                         ("workbook", "Actioned", "actioned")]
CATEGORIES = [("piracy", "Audiovisual piracy"), ("minors", "Harmful to minors")]


# ---- PDF ---------------------------------------------------------------------------


def label_values(text, label):
    """Values printed right after each occurrence of label (None where no number follows)."""
    rx = re.compile(r"(?:^|(?<=\s))" + re.escape(norm(label)) + r"\s+(" + NUM + r")(?=\s|%|$)")
    return [to_number(m.group(1)) for m in rx.finditer(text)]


def template_regex(tpl, figures):
    out, pos = [], 0
    for m in re.finditer(r"\{(\w+)\}", tpl):
        out.append(literal(tpl[pos:m.start()]))
        name = m.group(1)
        if name in figures:
            out.append(r"(?P<%s>%s)\s?%%?" % (name, NUM) if name == "rate"
                       else r"(?P<%s>%s)" % (name, NUM))
        else:
            out.append(r".+?")
        pos = m.end()
    out.append(literal(tpl[pos:]))
    return re.compile("".join(out))


def literal(s):
    r = []
    for ch in re.sub(r"\s+", " ", s):
        if ch == " ":
            r.append(r"\s+")
        else:
            r.append(re.escape(ch))
            if ch in "-‑–—/":
                r.append(r"\s?")  # a line may break after a hyphen or dash
    return "".join(r)


def check_pdf(path, tr, want, lead):
    pages = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    lines = [norm(l) for p in pages for l in p.splitlines()]
    # the sections by their translated headings, whatever their numbers
    # (the key findings, and a foreword, may come before them)
    start = norm(tr("report", "Key figures"))
    end = norm(tr("report", "Categories of content"))
    def heading_at(title, frm=0):
        for i in range(frm, len(lines)):
            if re.fullmatch(r"\d+ " + re.escape(title), lines[i]):
                return i
        raise ValueError(title)
    try:
        a = heading_at(start)
        b = heading_at(end, a)
    except ValueError:
        fail("PDF %s: headings %r .. %r not found" % (path, start, end))
        return
    text = " ".join(lines[a:b])
    for ctx, msgid, fig, least in PDF_LABELS:
        label = tr(ctx, msgid)
        vals = label_values(text, label)
        checked[0] += 1
        if len(vals) < least:
            fail("PDF %s: %r (%s) shown with a value %d times, want at least %d"
                 % (os.path.basename(path), label, fig, len(vals), least))
        for v in vals:
            if not same(v, want[fig]):
                fail("PDF %s: %r shows %g, hand-worked %s = %g"
                     % (os.path.basename(path), label, v, fig, want[fig]))
    # the timeliness section: from its numbered heading to the next one
    title = norm(tr("report", "Timeliness"))
    heads = [i for i, l in enumerate(lines) if re.fullmatch(r"(\d+) " + re.escape(title), l)]
    if len(heads) != 1:
        fail("PDF %s: heading %r found %d times" % (os.path.basename(path), title, len(heads)))
    else:
        h = heads[0]
        nxt = int(lines[h].split(" ", 1)[0]) + 1
        # the next section by its heading (a chart's value such as "7 orë"
        # also starts with that number)
        after = "%d %s" % (nxt, norm(tr("report", "Trend over eight periods")))
        e = next((i for i in range(h + 1, len(lines)) if lines[i] == after), len(lines))
        section = " ".join(lines[h:e])
        for ctx, msgid, fig in TIMELINESS:
            label = tr(ctx, msgid)
            vals = label_values(section, label)
            checked[0] += 1
            if not vals:
                fail("PDF %s: %r (%s) not followed by a figure in the timeliness section"
                     % (os.path.basename(path), label, fig))
            for v in vals:
                if not same(v, want[fig]):
                    fail("PDF %s: %r shows %g, hand-worked %s = %g"
                         % (os.path.basename(path), label, v, fig, want[fig]))
    if lead is None:
        return
    rx = template_regex(tr(*lead), LEAD_FIGURES)
    m = rx.search(text)
    checked[0] += 1
    if not m:
        fail("PDF %s: the opening sentence (%r) is not in the key figures" % (os.path.basename(path),
                                                                          tr(*lead)[:60]))
    else:
        for name, fig in LEAD_FIGURES.items():
            got = to_number(m.group(name))
            if not same(got, want[fig]):
                fail("PDF %s: the opening sentence gives {%s} = %g, hand-worked %s = %g"
                     % (os.path.basename(path), name, got, fig, want[fig]))


# ---- SVG ---------------------------------------------------------------------------


def check_funnel_svg(path, tr, want):
    root = ET.parse(path).getroot()
    texts = []
    for el in root.iter():
        if el.tag.endswith("}text") or el.tag == "text":
            s = norm("".join(el.itertext()))
            if s:
                texts.append((s, float(el.get("x", "0")), float(el.get("y", "0"))))
    stages = []
    for ctx, msgid, fig in SVG_STAGES:
        label = norm(tr(ctx, msgid))
        at = [(x, y) for s, x, y in texts if s == label]
        if len(at) != 1:
            fail("SVG %s: stage label %r found %d times" % (os.path.basename(path), label, len(at)))
            return
        stages.append((label, fig, at[0][0], at[0][1]))
    ys = sorted(y for _, _, _, y in stages)
    for label, fig, lx, ly in stages:
        i = ys.index(ly)
        lo = (ys[i - 1] + ly) / 2 if i > 0 else float("-inf")
        hi = (ys[i + 1] + ly) / 2 if i + 1 < len(ys) else float("inf")
        beside = [(abs(y - ly), s) for s, x, y in texts
                  if lo <= y < hi and x > lx and re.fullmatch(NUM, s)]
        checked[0] += 1
        if not beside:
            fail("SVG %s: no value beside %r (want %g)" % (os.path.basename(path), label, want[fig]))
            continue
        got = to_number(min(beside)[1])
        if not same(got, want[fig]):
            fail("SVG %s: %r has the value %g beside it, hand-worked %s = %g"
                 % (os.path.basename(path), label, got, fig, want[fig]))


# ---- XLSX --------------------------------------------------------------------------


def check_xlsx(path, tr, want):
    import openpyxl  # Debian's python3-openpyxl; a missing module fails the test
    wb = openpyxl.load_workbook(path, data_only=True)
    name = os.path.basename(path)

    def right_of(label):
        out = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and norm(c.value) == norm(label):
                        v = ws.cell(row=c.row, column=c.column + 1).value
                        if isinstance(v, (int, float)) and not isinstance(v, bool):
                            out.append((ws.title, v))
        return out

    for ctx, msgid, fig in XLSX_LABELS + XLSX_RATES + SVG_STAGES + TIMELINESS:
        label = tr(ctx, msgid)
        found = right_of(label)
        checked[0] += 1
        if not found:
            fail("XLSX %s: no number beside %r (%s)" % (name, label, fig))
        for sheet, v in found:
            v = v * 100 if (ctx, msgid, fig) in XLSX_RATES else v
            if not same(v, want[fig]):
                fail("XLSX %s, sheet %r: %r has %g beside it, hand-worked %s = %g"
                     % (name, sheet, label, v, fig, want[fig]))
    # categories: the row of each category's translated name, the column of
    # each translated header, in any sheet that has both
    for code, msgid in CATEGORIES:
        row_label = norm(tr("category", msgid))
        for ctx, head_id, fig in XLSX_CATEGORY_COLUMNS:
            head = norm(tr(ctx, head_id))
            key = "%s.%s" % (code, fig)
            hits = 0
            for ws in wb.worksheets:
                rows = list(ws.iter_rows())
                heads = [(c.row, c.column) for r in rows for c in r
                         if isinstance(c.value, str) and norm(c.value) == head]
                labels = [(c.row, c.column) for r in rows for c in r
                          if isinstance(c.value, str) and norm(c.value) == row_label]
                for hr, hc in heads:
                    for lr, lc in labels:
                        if lr > hr and lc < hc:
                            v = ws.cell(row=lr, column=hc).value
                            if isinstance(v, (int, float)):
                                hits += 1
                                if not same(v, want[key]):
                                    fail("XLSX %s, sheet %r: %r under %r is %g, hand-worked %s = %g"
                                         % (name, ws.title, row_label, head, v, key, want[key]))
            checked[0] += 1
            if hits == 0:
                fail("XLSX %s: no cell for %r under %r" % (name, row_label, head))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--po-dir", required=True)
    ap.add_argument("--lang", required=True)
    ap.add_argument("--pdf")
    ap.add_argument("--xlsx")
    ap.add_argument("--funnel-svg")
    a = ap.parse_args()
    want = read_expect(a.fixture)
    tr = Catalogue(a.po_dir, a.lang)
    if a.pdf:
        check_pdf(a.pdf, tr, want, lead_msgid(a.po_dir))
    if a.xlsx:
        check_xlsx(a.xlsx, tr, want)
    if a.funnel_svg:
        check_funnel_svg(a.funnel_svg, tr, want)
    for f in failures:
        print(f)
    print("%s: %d labels checked, %d failures" % (a.lang, checked[0], len(failures)))
    return 1 if failures or checked[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
