#!/usr/bin/python3
"""check_workbook.py - read a `vspreport workbook` file back and check it.

    check_workbook.py --xlsx FILE --db DB --vsp VSPREPORT --country CC|region
                      --period P [--lang L] [--po-dir DIR] [--epoch N]

Independent of the C code: openpyxl reads the cells, the zip parts are
parsed with the standard library, the expected figures come from
`vspreport stats --format csv` (at the precision it prints) and, at full
precision, straight from the warehouse's agg_* tables with sqlite3.

Checks: every XML part parses; the sheets are there in order, their names
valid for Excel (<= 31 UTF-16 units, none of []:*?/\\, unique under
Unicode case folding) and, for a translated workbook, as po/<lang>.po has
them; data sheets have a title, a header row, frozen panes and an
autofilter; no number is stored as text anywhere; rates carry a % format;
dates are date cells; charts exist where expected and every series points
at numeric cells of its own sheet; document properties (title, author,
created = SOURCE_DATE_EPOCH); every figure equals stats / agg_metric.
Exit status 0 when all checks pass; failures are listed on stderr.
"""
import argparse
import csv
import datetime
import io
import math
import re
import sqlite3
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

import openpyxl

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
COUNTRIES = ["AL", "BA", "ME", "MK", "RS", "XK"]
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
    return cond


# ---- expected figures ------------------------------------------------------

def stats(vsp, db, period, category=None):
    cmd = [vsp, "stats", "--db", db, "--period", period, "--format", "csv", "--no-aggregate"]
    if category:
        cmd += ["--category", category]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {row["country"]: row for row in csv.DictReader(io.StringIO(out))}


def agg_metric(db, period):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT country, category, metric, value FROM agg_metric WHERE period = ?",
                       (period,)).fetchall()
    con.close()
    return {(c, cat, m): v for c, cat, m, v in rows}


def agg_name(code):
    """stats column -> agg_metric.metric"""
    m = re.fullmatch(r"(median|p90)_([hd])_(.+)", code)
    if m:
        return "%s_%s_%s" % (m.group(2), m.group(3), m.group(1))
    m = re.fullmatch(r"n_d_(.+)", code)  # durations in whole days
    if m:
        return "d_%s_n" % m.group(1)
    m = re.fullmatch(r"share_d_(.+)", code)
    if m:
        return "d_share_%s" % m.group(1)
    m = re.fullmatch(r"n_(.+)", code)
    if m:
        return "h_%s_n" % m.group(1)
    return code


def same_as_stats(value, text, what):
    """value (a cell) equals the stats CSV text at the precision printed."""
    if text == "":
        return check(value is None, "%s: want empty (undefined), got %r" % (what, value))
    if not check(isinstance(value, (int, float)) and not isinstance(value, bool),
                 "%s: want a number, got %r" % (what, value)):
        return False
    decimals = len(text.split(".")[1]) if "." in text else 0
    tol = 0.5 * 10 ** -decimals + 1e-9
    return check(abs(value - float(text)) <= tol, "%s: %r, stats says %s" % (what, value, text))


def same_as_agg(value, agg, key, what):
    want = agg.get(key)
    if want is None:
        return check(value is None, "%s: want empty (agg_metric %s is NULL/absent), got %r"
                     % (what, key, value))
    return check(isinstance(value, (int, float)) and
                 math.isclose(value, want, rel_tol=1e-12, abs_tol=1e-12),
                 "%s: %r, agg_metric %s = %r" % (what, value, key, want))


# ---- Excel rules -----------------------------------------------------------

def utf16_len(s):
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in s)


def valid_sheet_name(name):
    return (0 < utf16_len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
            and not name.startswith("'") and not name.endswith("'")
            and name.casefold() != "history")


def po_catalogue(path):
    """msgctxt/msgid -> msgstr of a .po file (enough of the syntax for ours)."""
    entries, cur, field = {}, {}, None

    def flush():
        if "msgid" in cur and cur.get("msgstr") and not cur.get("fuzzy"):
            entries[(cur.get("msgctxt"), cur["msgid"])] = cur["msgstr"]

    def unq(s):
        return bytes(s.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        return {}
    for line in lines + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            cur["fuzzy"] = True
        elif line.startswith("#") or not line.strip():
            if not line.strip() and cur:
                flush()
                cur, field = {}, None
        elif line.startswith("msgctxt "):
            if "msgid" in cur:
                flush()
                cur = {}
            cur["msgctxt"], field = unq(line[8:]), "msgctxt"
        elif line.startswith("msgid "):
            if "msgid" in cur:
                flush()
                cur = {k: v for k, v in cur.items() if k == "msgctxt"} if "msgstr" not in cur else {}
            cur["msgid"], field = unq(line[6:]), "msgid"
        elif line.startswith("msgstr "):
            cur["msgstr"], field = unq(line[7:]), "msgstr"
        elif line.startswith("msgstr[0] "):
            cur["msgstr"], field = unq(line[10:]), "msgstr"
        elif line.startswith('"') and field:
            cur[field] = cur.get(field, "") + unq(line)
    return entries


# ---- the package -----------------------------------------------------------

def sheet_parts(z):
    """[(name, part path)] in workbook order."""
    wbx = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("pr:Relationship", NS)}
    out = []
    for s in wbx.findall("m:sheets/m:sheet", NS):
        rid = s.get("{%s}id" % NS["r"])
        out.append((s.get("name"), "xl/" + target[rid].lstrip("/").replace("xl/", "")))
    return out


def rels_of(z, part):
    d, f = part.rsplit("/", 1)
    path = "%s/_rels/%s.rels" % (d, f)
    if path not in z.namelist():
        return []
    rels = ET.fromstring(z.read(path))
    out = []
    for r in rels.findall("pr:Relationship", NS):
        t = r.get("Target")
        if t.startswith("/"):
            full = t.lstrip("/")
        else:
            parts = d.split("/")
            for seg in t.split("/"):
                if seg == "..":
                    parts.pop()
                else:
                    parts.append(seg)
            full = "/".join(parts)
        out.append(full)
    return out


def charts_of(z, sheet_part):
    charts = []
    for drawing in [p for p in rels_of(z, sheet_part) if "/drawings/" in p]:
        charts += [p for p in rels_of(z, drawing) if "/charts/" in p]
    return charts


def cells_of_ref(wb, ref):
    m = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", ref)
    if not m:
        return None, []
    sheet = m.group(1).replace("''", "'")
    c1, r1 = m.group(2), int(m.group(3))
    c2, r2 = m.group(4) or c1, int(m.group(5) or r1)
    ws = wb[sheet]
    return sheet, [c.value for row in ws["%s%d:%s%d" % (c1, r1, c2, r2)] for c in row]


# ---- main ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xlsx", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--vsp", required=True)
    ap.add_argument("--country", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--po-dir")
    ap.add_argument("--epoch", type=int)
    a = ap.parse_args()
    region = a.country == "region"

    z = zipfile.ZipFile(a.xlsx)
    for part in z.namelist():
        if part.endswith(".xml") or part.endswith(".rels"):
            try:
                ET.fromstring(z.read(part))
            except ET.ParseError as e:
                check(False, "%s does not parse: %s" % (part, e))
    parts = sheet_parts(z)
    wb = openpyxl.load_workbook(a.xlsx)
    names = wb.sheetnames

    keys = ["About", "Summary", "Funnel", "Categories", "Outcomes", "Timeliness", "Trend"]
    keys += (["Countries", "Cross-border"] if region else []) + ["Data quality"]
    check(len(names) == len(keys), "sheets: %r, want %d" % (names, len(keys)))
    folded = [n.casefold() for n in names]
    check(len(set(folded)) == len(folded), "sheet names not unique ignoring case: %r" % names)
    for n in names:
        check(valid_sheet_name(n), "sheet name %r is not valid for Excel" % n)
    if a.lang != "en" and a.po_dir:
        po = po_catalogue("%s/%s.po" % (a.po_dir, a.lang))
        for n, k in zip(names, keys):
            want = po.get(("workbook", k), k)
            check(n == want[:31], "sheet %r: the catalogue says %r" % (n, want))
    sheet = dict(zip(keys, names))
    part_of = dict(parts)

    # document properties
    p = wb.properties
    check(bool(p.title), "no document title")
    check(bool(p.creator), "no document author")
    if a.epoch is not None:
        want = datetime.datetime.utcfromtimestamp(a.epoch)
        check(p.created == want, "created %r, want %r (SOURCE_DATE_EPOCH)" % (p.created, want))

    # cells: no number stored as text; layout of data sheets
    numeric_text = re.compile(r"[-+]?(\d[\d\s.,]*|[.,]\d+)\s*%?")
    for k, n in sheet.items():
        ws = wb[n]
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and numeric_text.fullmatch(c.value.strip()):
                    check(False, "%s!%s: number stored as text %r" % (n, c.coordinate, c.value))
        if k == "About":
            continue
        check(isinstance(ws["A1"].value, str) and ws["A1"].value, "%s: no title in A1" % n)
        check(ws.freeze_panes == "B5", "%s: frozen panes %r, want B5" % (n, ws.freeze_panes))
        heads = [c.value for c in ws[4] if c.value is not None]
        check(len(heads) >= 2 and all(isinstance(h, str) for h in heads), "%s: header row %r" % (n, heads))
        if k not in ("Cross-border", "Data quality") or ws["A5"].value is not None:
            check(bool(ws.auto_filter.ref), "%s: no autofilter" % n)

    # charts: where expected, and pointing at numbers of their own sheet
    want_charts = {"Funnel": 1, "Categories": 1, "Outcomes": 1, "Timeliness": 2, "Trend": 1,
                   "Countries": 1, "Cross-border": 1}
    for k, n in sheet.items():
        charts = charts_of(z, part_of[n])
        if k in want_charts:
            check(len(charts) == want_charts[k], "%s: %d charts, want %d" % (n, len(charts), want_charts[k]))
        for ch in charts:
            cx = ET.fromstring(z.read(ch))
            sers = cx.findall(".//c:ser", NS)
            check(len(sers) > 0, "%s: chart %s has no series" % (n, ch))
            for s in sers:
                f = s.find("c:val/c:numRef/c:f", NS)
                if not check(f is not None, "%s: series without values" % ch):
                    continue
                sh, vals = cells_of_ref(wb, f.text)
                check(sh == n, "%s: series %s on another sheet" % (ch, f.text))
                check(all(v is None or isinstance(v, (int, float)) for v in vals),
                      "%s: series %s holds non-numbers %r" % (ch, f.text, vals))

    # figures
    cc = a.country
    st = stats(a.vsp, a.db, a.period)
    agg = agg_metric(a.db, a.period)
    row = st[cc]
    ws = wb[sheet["Summary"]]
    seen = set()
    for r in range(5, ws.max_row + 1):
        code = ws.cell(r, 4).value
        if not code:
            continue
        seen.add(code)
        v = ws.cell(r, 2).value
        if code in row:
            same_as_stats(v, row[code], "Summary %s" % code)
        same_as_agg(v, agg, (cc, "*", agg_name(code)), "Summary %s" % code)
        fmt = ws.cell(r, 2).number_format
        if "rate" in code or code.startswith("share_"):
            check("%" in fmt, "Summary %s: format %r is not a percentage" % (code, fmt))
    for col in ["received", "assessed", "forwarded", "actioned", "outcome_pending", "violation_rate",
                "action_rate", "median_h_to_action", "p90_h_to_action", "n_to_action",
                "median_h_to_response", "cross_border_items"]:
        check(col in seen, "Summary lacks %s" % col)

    ws = wb[sheet["Funnel"]]
    for r, code in zip(range(5, 9), ["received", "assessed", "forwarded", "actioned"]):
        same_as_stats(ws.cell(r, 2).value, row[code], "Funnel %s" % code)
    same_as_stats(ws.cell(10, 2).value, row["violation_rate"], "Funnel violation_rate")
    same_as_stats(ws.cell(11, 2).value, row["action_rate"], "Funnel action_rate")

    con = sqlite3.connect(a.db)
    cats = [c for (c,) in con.execute("SELECT code FROM category ORDER BY id")]
    ws = wb[sheet["Categories"]]
    cols = ["received", "assessed", "forwarded", "actioned", "outcome_pending", "violation_rate",
            "action_rate", "median_h_to_action", "cross_border_items"]
    for i, cat in enumerate(cats + ["*"]):
        srow = stats(a.vsp, a.db, a.period, cat)[cc] if cat != "*" else row
        for j, code in enumerate(cols):
            same_as_stats(ws.cell(5 + i, 3 + j).value, srow[code], "Categories %s %s" % (cat, code))
            if cat != "*":
                same_as_agg(ws.cell(5 + i, 3 + j).value, agg, (cc, cat, agg_name(code)),
                            "Categories %s %s" % (cat, code))

    ws = wb[sheet["Outcomes"]]
    outs = ["removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned",
            "declined", "already_unavailable", "pending"]
    for i, cat in enumerate(cats + ["*"]):
        same_as_agg(ws.cell(5 + i, 2).value, agg, (cc, cat, "forwarded"), "Outcomes %s forwarded" % cat)
        for j, o in enumerate(outs):
            same_as_agg(ws.cell(5 + i, 3 + j).value, agg, (cc, cat, "outcome_" + o),
                        "Outcomes %s %s" % (cat, o))

    ws = wb[sheet["Timeliness"]]
    for i, d in enumerate(["received_decided", "decided_forwarded", "to_action", "to_response",
                           "received_outcome"]):
        for j, q in enumerate(["median_h_", "p90_h_", "n_"]):
            code = q + d
            same_as_agg(ws.cell(5 + i, 2 + j).value, agg, (cc, "*", agg_name(code)), "Timeliness %s" % code)
            if code in row:
                same_as_stats(ws.cell(5 + i, 2 + j).value, row[code], "Timeliness %s" % code)
    for i, code in enumerate(["share_24h", "share_48h", "share_7d"]):
        same_as_stats(ws.cell(12 + i, 2).value, row[code], "Timeliness %s" % code)

    ws = wb[sheet["Trend"]]
    cols = ["received", "assessed", "forwarded", "actioned", "violation_rate", "action_rate",
            "median_h_to_action", "received_per100k"]
    trend_rows = [r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value is not None]
    check(len(trend_rows) in (1, 8), "Trend: %d periods" % len(trend_rows))
    for r in trend_rows:
        start = ws.cell(r, 2).value
        check(isinstance(start, datetime.datetime) and isinstance(ws.cell(r, 3).value, datetime.datetime),
              "Trend row %d: dates are not date cells" % r)
        if len(trend_rows) == 8 and isinstance(start, datetime.datetime):
            label = "%dQ%d" % (start.year, (start.month - 1) // 3 + 1)
            trow = stats(a.vsp, a.db, label)[cc]
            for j, code in enumerate(cols):
                same_as_stats(ws.cell(r, 4 + j).value, trow[code], "Trend %s %s" % (label, code))

    if region:
        ws = wb[sheet["Countries"]]
        cols = ["population", "received", "forwarded", "actioned", "received_per100k",
                "forwarded_per100k", "actioned_per100k", "violation_rate", "action_rate",
                "median_h_to_action", "cross_border_items"]
        for i, c in enumerate(COUNTRIES + ["region"]):
            check(ws.cell(5 + i, 2).value == c, "Countries row %d is %r, want %s" % (5 + i, ws.cell(5 + i, 2).value, c))
            for j, code in enumerate(cols):
                same_as_stats(ws.cell(5 + i, 4 + j).value, st[c][code], "Countries %s %s" % (c, code))
        # heat table: received by category x country
        top = next(r for r in range(13, ws.max_row + 1) if ws.cell(r, 2).value == "AL")
        for i, cat in enumerate(cats + ["*"]):
            for j, c in enumerate(COUNTRIES + ["region"]):
                same_as_agg(ws.cell(top + 1 + i, 2 + j).value, agg, (c, cat, "received"),
                            "heat %s %s" % (cat, c))

        ws = wb[sheet["Cross-border"]]
        # Items at the research export's grain (issue 16): groups by category
        # and countries with at least 5 items, largest first; the rest
        # pooled in one last row with no countries; never a day.
        groups = con.execute("SELECT category, countries, n_countries, count(*) FROM agg_crossborder "
                             "WHERE period = ? GROUP BY category, countries", (a.period,)).fetchall()
        big = sorted((g for g in groups if g[3] >= 5), key=lambda g: (-g[3], g[0], g[1]))
        want = [(g[1], g[2], g[3]) for g in big]
        rest = sum(g[3] for g in groups if g[3] < 5)
        if rest:
            want.append((None, None, rest))
        got = []
        for r in range(5, ws.max_row + 1):
            if ws.cell(r, 4).value is None:
                break
            got.append((ws.cell(r, 2).value, ws.cell(r, 3).value, ws.cell(r, 4).value))
            check(not any(isinstance(ws.cell(r, c).value, datetime.datetime) for c in range(1, 6)),
                  "Cross-border row %d gives a date" % r)
        check(got == want, "Cross-border groups %r, want %r" % (got, want))
        pairs = con.execute("SELECT country_a, country_b, items FROM agg_crossborder_pair WHERE "
                            "period = ? AND category = '*'", (a.period,)).fetchall()
        got = {(ws.cell(r, 8).value, ws.cell(r, 9).value): ws.cell(r, 10).value
               for r in range(5, ws.max_row + 1) if ws.cell(r, 8).value}
        check(got == {(x, y): n for x, y, n in pairs}, "Cross-border pairs %r" % got)

    ws = wb[sheet["Data quality"]]
    q = con.execute("SELECT country, file_name, rows_read, rows_new, rows_updated, rows_unchanged, "
                    "rows_duplicate, rows_rejected, blank_lines, cases FROM agg_quality WHERE period = ? "
                    "ORDER BY run_id", (a.period,)).fetchall()
    q = [x for x in q if region or x[0] == cc]
    for i, x in enumerate(q):
        r = 5 + i
        got = tuple([ws.cell(r, 1).value, ws.cell(r, 2).value] + [ws.cell(r, c).value for c in range(5, 13)])
        check(got == x, "Data quality row %d: %r, want %r" % (r, got, x))
        check(isinstance(ws.cell(r, 4).value, datetime.datetime), "Data quality row %d: time is not a date" % r)
    con.close()

    if failures:
        for f in failures[:60]:
            print("FAIL:", f, file=sys.stderr)
        print("%d of %d checks failed" % (len(failures), checks), file=sys.stderr)
        return 1
    print("%s: %d checks passed" % (a.xlsx, checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
