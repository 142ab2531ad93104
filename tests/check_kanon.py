#!/usr/bin/python3
"""check_kanon.py - an independent check of a `vspreport export` folder.

    check_kanon.py --dir DIR --db DB --period P --k K [--grain month|quarter]
                   [--key KEY] [--base NAME]

Reads the files back with the standard library and openpyxl, and checks:

  - the CSV: UTF-8 with BOM, CRLF line ends, RFC 4180 (Python's csv module),
    the expected header; no text cell a spreadsheet would run as a formula
    (=, +, -, @, TAB, CR first) unless neutralised by a leading apostrophe;
    numeric columns hold integers or nothing, dates are ISO dates;
  - k-anonymity: every combination of the quasi-identifiers (country,
    received_period, category, decision, outcome, channel) occurs at least
    k times; the anonymisation report states the k achieved (the smallest
    class) and the counts found here;
  - the XLSX: the Cases sheet(s) hold the same rows in the same order, with
    numbers as numbers and dates as dates; Dictionary and Anonymisation
    sheets exist;
  - with --key (the export's pseudonym key): the whole export is recomputed
    here from the warehouse - pseudonyms with Python's hmac, classes,
    month -> quarter generalisation, suppression, whole-hour durations - and
    must equal the CSV row for row (as a set; the order is checked to be
    sorted by country, period, class, pseudonym).
Exit status 0 when all checks pass.
"""
import argparse
import collections
import csv
import datetime
import hashlib
import hmac
import io
import re
import sqlite3
import sys

import openpyxl

HEADER = ["case_pseudonym", "content_pseudonym", "country", "received_period", "period_grain",
          "period_start", "period_end", "category", "dsa_category", "decision", "outcome",
          "channel", "hours_received_to_decided", "hours_decided_to_forwarded",
          "hours_forwarded_to_outcome", "hours_received_to_outcome"]
QI = ["country", "received_period", "category", "decision", "outcome", "channel"]
INTS = HEADER[12:]
DATES = ["period_start", "period_end"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def period_days(p):
    m = re.fullmatch(r"(\d{4})Q([1-4])", p)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        s = datetime.date(y, 3 * q - 2, 1)
        e = datetime.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - datetime.timedelta(1)
        return s, e
    m = re.fullmatch(r"(\d{4})H([12])", p)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return datetime.date(y, 1 if h == 1 else 7, 1), datetime.date(y, 6, 30) if h == 1 else datetime.date(y, 12, 31)
    m = re.fullmatch(r"(\d{4})", p)
    if m:
        return datetime.date(int(p), 1, 1), datetime.date(int(p), 12, 31)
    a, b = p.split("..")
    return datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)


def ymd(d):
    return d.year * 10000 + d.month * 100 + d.day


def month_bounds(y, m, months):
    s = datetime.date(y, m, 1)
    ey, em = y + (m + months - 1) // 12, (m + months - 1) % 12 + 1
    return s, datetime.date(ey, em, 1) - datetime.timedelta(1)


def expected_rows(db, period, k, grain, key):
    """The export as this script understands the issue, from the warehouse."""
    s, e = period_days(period)
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT c.country, c.case_id, c.content_key, c.received_day, cat.code, cat.dsa, d.code, "
        "o.code, ch.code, "
        # A date alone is no time: durations need both ends with a time.
        "CASE c.received_prec WHEN 2 THEN c.received_ts END, "
        "CASE c.decided_prec WHEN 2 THEN c.decided_ts END, "
        "CASE c.forwarded_prec WHEN 2 THEN c.forwarded_ts END, "
        "CASE c.outcome_prec WHEN 2 THEN c.outcome_ts END "
        "FROM case_record c JOIN category cat ON cat.id = c.category_id "
        "JOIN decision d ON d.id = c.decision_id LEFT JOIN outcome o ON o.id = c.outcome_id "
        "LEFT JOIN channel ch ON ch.id = c.channel_id "
        "WHERE c.received_day BETWEEN ? AND ?", (ymd(s), ymd(e))).fetchall()
    con.close()

    def pseudo(prefix, kind, msg):
        return prefix + hmac.new(key, kind.encode() + b"\x1f" + msg.encode(), hashlib.sha256).hexdigest()[:32]

    def hours(a, b):
        return "" if a is None or b is None or b < a else str((b - a + 1800) // 3600)

    month_n = collections.Counter()
    for r in rows:
        month_n[(r[0], r[3] // 100, r[4], r[6], r[7], r[8])] += 1
    quarter_of = lambda ym: (ym // 100, (ym % 100 - 1) // 3 + 1)
    generalised = {c for c, n in month_n.items() if grain == "quarter" or n < k}
    quarter_n = collections.Counter()
    for c in generalised:
        quarter_n[(c[0], quarter_of(c[1])) + c[2:]] += month_n[c]
    out, suppressed = [], 0
    for r in rows:
        cls = (r[0], r[3] // 100, r[4], r[6], r[7], r[8])
        y, m = r[3] // 10000, r[3] // 100 % 100
        if cls in generalised:
            qy, q = quarter_of(cls[1])
            if quarter_n[(cls[0], (qy, q)) + cls[2:]] < k:
                suppressed += 1
                continue
            bucket, g = "%dQ%d" % (qy, q), "quarter"
            bs, be = month_bounds(qy, 3 * q - 2, 3)
        else:
            bucket, g = "%04d-%02d" % (y, m), "month"
            bs, be = month_bounds(y, m, 1)
        out.append((pseudo("c", "case", r[0] + "\x1f" + r[1]),
                    pseudo("i", "content", r[2]) if r[2] is not None else "",
                    r[0], bucket, g, bs.isoformat(), be.isoformat(), r[4], r[5], r[6], r[7] or "",
                    r[8] or "", hours(r[9], r[10]), hours(r[10], r[11]), hours(r[11], r[12]),
                    hours(r[9], r[12])))
    return out, len(rows), suppressed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--grain", default="month")
    ap.add_argument("--key")
    ap.add_argument("--base")
    a = ap.parse_args()
    base = "%s/%s" % (a.dir, a.base or "research-" + a.period)

    raw = open(base + ".csv", "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf"), "CSV has no UTF-8 BOM")
    check(raw.count(b"\r\n") >= 1 and raw.count(b"\n") == raw.count(b"\r\n"),
          "CSV lines do not end with CRLF")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(rows and rows[0] == HEADER, "CSV header %r" % (rows[0] if rows else None))
    data = rows[1:]
    for i, r in enumerate(data):
        if not check(len(r) == len(HEADER), "CSV row %d has %d fields" % (i + 2, len(r))):
            continue
        for name, v in zip(HEADER, r):
            if name in INTS:
                check(v == "" or re.fullmatch(r"\d+", v), "row %d %s: %r is not a whole number of hours" % (i + 2, name, v))
            elif name in DATES:
                check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v), "row %d %s: %r is not a date" % (i + 2, name, v))
            elif v and v[0] in "=+-@\t\r":
                check(False, "row %d %s: %r would run as a formula" % (i + 2, name, v))
        check(re.fullmatch(r"c[0-9a-f]{32}", r[0]), "row %d: case pseudonym %r" % (i + 2, r[0]))
        check(r[1] == "" or re.fullmatch(r"i[0-9a-f]{32}", r[1]), "row %d: content pseudonym %r" % (i + 2, r[1]))
        g = r[4]
        check((g == "month" and re.fullmatch(r"\d{4}-\d{2}", r[3])) or
              (g == "quarter" and re.fullmatch(r"\d{4}Q[1-4]", r[3])), "row %d: period %r / %r" % (i + 2, r[3], g))
    check(len({r[0] for r in data}) == len(data), "case pseudonyms are not unique")

    # k-anonymity, computed here
    classes = collections.Counter(tuple(r[HEADER.index(q)] for q in QI) for r in data)
    small = {c: n for c, n in classes.items() if n < a.k}
    check(not small, "%d classes smaller than k=%d, e.g. %r" % (len(small), a.k, list(small.items())[:3]))
    k_here = min(classes.values()) if classes else 0
    report = open(base + "-anonymisation.md", encoding="utf-8").read()
    if data:
        check("k achieved: %d." % k_here in report, "report does not state k achieved %d" % k_here)
    m = re.search(r"\*\*released in total\*\* \| \*\*(\d+)\*\*", report)
    check(m and int(m.group(1)) == len(data), "report: released %r, CSV rows %d" % (m and m.group(1), len(data)))

    # the order: country, period, class, pseudonym
    key_of = lambda r: (r[2], r[3])
    check([key_of(r) for r in data] == sorted(key_of(r) for r in data), "rows are not sorted by country, period")
    prev = None
    for r in data:
        cls = tuple(r[HEADER.index(q)] for q in QI)
        if prev and prev[0] == cls:
            check(prev[1] < r[0], "rows of one class are not sorted by pseudonym")
        prev = (cls, r[0])

    # the workbook: same rows, real numbers and dates
    wb = openpyxl.load_workbook(base + ".xlsx", read_only=True)
    case_sheets = [n for n in wb.sheetnames if n == "Cases" or n.startswith("Cases (")]
    check("Dictionary" in wb.sheetnames and "Anonymisation" in wb.sheetnames, "sheets %r" % wb.sheetnames)
    got = []
    for n in case_sheets:
        it = wb[n].iter_rows(values_only=True)
        check(list(next(it)) == HEADER, "%s header" % n)
        got += list(it)
    check(len(got) == len(data), "XLSX holds %d rows, the CSV %d" % (len(got), len(data)))
    for i, (x, r) in enumerate(zip(got, data)):
        want = []
        for name, v in zip(HEADER, r):
            if name in INTS:
                want.append(int(v) if v else None)
            elif name in DATES:
                want.append(datetime.datetime.fromisoformat(v))
            else:
                want.append(v if v else None)
        if not check(list(x) == want, "XLSX row %d %r, CSV %r" % (i + 2, x, want)):
            break
    wb.close()

    if a.key:
        want, cases, suppressed = expected_rows(a.db, a.period, a.k, a.grain, a.key.encode())
        got_set = {tuple(r) for r in data}
        want_set = set(want)
        check(got_set == want_set, "export differs from the recomputation: %d rows only in the export, "
              "%d only recomputed; e.g. %r / %r" % (len(got_set - want_set), len(want_set - got_set),
                                                    sorted(got_set - want_set)[:1], sorted(want_set - got_set)[:1]))
        check(len(data) + suppressed == cases, "released %d + suppressed %d != cases %d" % (len(data), suppressed, cases))
        check("| cases received in the period | %d |" % cases in report, "report: cases %d" % cases)

    if failures:
        for f in failures[:40]:
            print("FAIL:", f, file=sys.stderr)
        print("%d checks failed" % len(failures), file=sys.stderr)
        return 1
    print("%s: %d rows, %d classes, k = %d achieved (asked %d)%s" % (
        base, len(data), len(classes), k_here, a.k, ", recomputed from the warehouse" if a.key else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
