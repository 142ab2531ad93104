#!/usr/bin/python3
"""check_linkage.py - no public output undoes the research export (issue 16 §2).

    check_linkage.py --public OUT/public --k K [--period P]

The export's content pseudonyms link the reports of one item across
countries: an item reported in two or more countries is recognisable in it
by the set of countries of its rows, at the grain of its released period.
This script joins every other public output with the export and fails if
any of them pins such an item to a finer date or a smaller group than k:

  - workbooks (every cell of every sheet, openpyxl): a row that names a set
    of two or more countries ("AL,XK") — a cross-border item or group —
    must hold no date or time (a day is finer than any released period) and,
    as a group, a count of items of at least k (a row without a count is a
    single item: a group of one);
  - PDF reports (pdftotext -layout, English editions, whose country names
    are known here): a line that names two or more countries must hold no
    day-precision date and end in a count of at least k;
  - chart CSV tables (charts/**/*.csv): no day-precision date in any
    cross-border table.
Every such public row is joined with the export's cross-border items (same
set of countries, same category or a suppressed one); the findings name
the output, the row and the items it pins.
Exit status 0 when nothing is pinned.
"""
import argparse
import collections
import csv
import datetime
import glob
import os
import re
import subprocess
import sys

import openpyxl

CODES = ["AL", "BA", "ME", "MK", "RS", "XK"]
NAMES_EN = {"Albania": "AL", "Bosnia and Herzegovina": "BA", "Montenegro": "ME",
            "North Macedonia": "MK", "Serbia": "RS", "Kosovo": "XK"}
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|\b\d{1,2}/\d{1,2}/\d{4}\b|"
                 r"\b\d{1,2} (%s)[a-z]* \d{4}\b|\b(%s)[a-z]* \d{1,2}, \d{4}\b" % (MONTHS, MONTHS))
CODESET = re.compile(r"^\s*([A-Z]{2})(\s*,\s*[A-Z]{2})+\s*$")
findings = []


def export_items(public):
    """Cross-border items of the export: content pseudonym -> (countries, categories, periods)."""
    items = collections.defaultdict(lambda: (set(), set(), set()))
    files = glob.glob(os.path.join(public, "export", "*.csv"))
    data = [f for f in files if not f.endswith(("-dictionary.csv",))]
    for f in data:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            r = csv.DictReader(fh)
            if not r.fieldnames or "content_pseudonym" not in r.fieldnames:
                continue
            for row in r:
                p = row["content_pseudonym"]
                if p:
                    c, cat, per = items[p]
                    c.add(row["country"])
                    cat.add(row["category"])
                    per.add(row["received_period"])
    return {p: v for p, v in items.items() if len(v[0]) >= 2}


def pinned(where, countries, category, count, has_day, k, items):
    """Join one public row with the export's cross-border items."""
    hits = [p for p, (cs, cats, _) in items.items()
            if cs == countries and (category is None or category in cats or "*" in cats)]
    if not hits:
        return  # names no item of the export: nothing to pin
    if has_day:
        findings.append("%s: gives a day for the cross-border items of %s (%d in the export, e.g. %s)"
                        % (where, ",".join(sorted(countries)), len(hits), hits[:1]))
    if count is None or count < k:
        findings.append("%s: a group of %s item(s) of %s, fewer than k = %d (%d linked rows' items "
                        "in the export, e.g. %s)" % (where, "one" if count is None else count,
                                                      ",".join(sorted(countries)), k, len(hits), hits[:1]))


def check_workbooks(public, k, items):
    for f in sorted(glob.glob(os.path.join(public, "**", "*.xlsx"), recursive=True)):
        if os.path.relpath(f, public).split(os.sep)[0] == "export":
            continue  # the export itself (whatever the folders above public/ are called)
        wb = openpyxl.load_workbook(f, read_only=True)
        for ws in wb.worksheets:
            for i, row in enumerate(ws.iter_rows(values_only=True), 1):
                cells = [c for c in row if c is not None]
                sets = [c for c in cells if isinstance(c, str) and CODESET.match(c)]
                if not sets:
                    continue
                countries = {x.strip() for x in sets[0].split(",")}
                has_day = any(isinstance(c, (datetime.date, datetime.datetime)) or
                              (isinstance(c, str) and DAY.search(c)) for c in cells)
                nums = [c for c in cells if isinstance(c, (int, float)) and not isinstance(c, bool)]
                # a group row ends in its count of items; one without is a single item
                count = int(nums[-1]) if nums and len(nums) >= 2 else None
                pinned("%s [%s] row %d" % (os.path.relpath(f, public), ws.title, i), countries, None,
                       count, has_day, k, items)
        wb.close()


def check_pdfs(public, k, items):
    for f in sorted(glob.glob(os.path.join(public, "reports", "*-en.pdf"))):
        text = subprocess.run(["pdftotext", "-layout", f, "-"], capture_output=True).stdout.decode("utf-8", "replace")
        for i, line in enumerate(text.splitlines(), 1):
            found = {code for name, code in NAMES_EN.items() if name in line}
            if len(found) < 2 or not re.search(r"\b(%s)\b.*,.*\b(%s)\b" % ("|".join(NAMES_EN), "|".join(NAMES_EN)), line):
                continue
            if "–" in line and "," not in line:
                continue  # a pair of countries with its count (the pairs table), no item list
            m = re.search(r"(\d[\d\s ]*)\s*$", line)
            count = int(re.sub(r"\D", "", m.group(1))) if m and not DAY.search(line[-20:]) else None
            pinned("%s line %d %r" % (os.path.relpath(f, public), i, line.strip()[:90]), found, None,
                   count, bool(DAY.search(line)), k, items)


def check_chart_csvs(public, items):
    for f in sorted(glob.glob(os.path.join(public, "charts", "**", "crossborder*.csv"), recursive=True)):
        with open(f, encoding="utf-8-sig") as fh:
            for i, line in enumerate(fh, 1):
                if i > 1 and DAY.search(line):
                    findings.append("%s line %d: a day in a cross-border table: %r" % (os.path.relpath(f, public), i, line.strip()[:90]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--public", required=True)
    ap.add_argument("--k", type=int, required=True)
    a = ap.parse_args()
    items = export_items(a.public)
    check_workbooks(a.public, a.k, items)
    check_pdfs(a.public, a.k, items)
    check_chart_csvs(a.public, items)
    if findings:
        for f in findings[:30]:
            print("PINNED:", f, file=sys.stderr)
        print("%d public rows pin the export's cross-border items (%d items in the export)"
              % (len(findings), len(items)), file=sys.stderr)
        return 1
    print("no public output pins any of the export's %d cross-border items finer than its grain or "
          "to a group under k = %d" % (len(items), a.k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
