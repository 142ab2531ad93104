#!/usr/bin/python3
"""check_kanon.py - an independent check of a `vspreport export` folder.

    check_kanon.py --dir DIR --db DB --period P --k K [--grain month|quarter]
                   [--key KEY] [--base NAME] [--goals --stats STATS.csv]

Reads the files back with the standard library and openpyxl, and checks:

  - the CSV: UTF-8 with BOM, CRLF line ends, RFC 4180 (Python's csv module),
    the expected header; no text cell a spreadsheet would run as a formula
    (=, +, -, @, TAB, CR first) unless neutralised by a leading apostrophe;
    numeric columns hold integers or nothing, dates are ISO dates;
  - the suppressed value: one spelling, "*"; a suppressed category goes
    with a suppressed DSA category, a suppressed outcome with a suppressed
    decision and no duration (they would tell the outcome);
  - k-anonymity over the quasi-identifiers the dictionary marks as such
    (country, received_period, category, outcome): every combination of
    their released values, "*" and a quarter each a value of its own,
    occurs at least k times; the anonymisation report states the k
    achieved (the smallest class) and the counts found here;
  - the row order: country, period, category as released (by id, "*"
    last), outcome as released (empty, then by id, "*" last), then case
    pseudonym, from the codes' ids in the warehouse;
  - the dictionary: a role for every column, from the five roles;
  - the XLSX: the Cases sheet(s) hold the same rows in the same order, with
    numbers as numbers and dates as dates; Dictionary and Anonymisation
    sheets exist;
  - with --key (the export's pseudonym key): every row is traced back to
    its case in the warehouse by pseudonyms recomputed here with Python's
    hmac, and each released value is the case's own, its month's quarter,
    or "*"; durations are recomputed in whole hours; released + left out =
    the period's cases, each case at most once;
  - with --goals (issue 16), from the release alone and the published
    figures (`vspreport stats --format csv` in --stats): at least 95 % of
    the period's cases released; every category with at least k cases in
    the period present; every country's action rate (actioned /
    (forwarded - outcome pending)) recomputed from the released rows whose
    outcome is shown within 2 percentage points of the published one.
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
QI = ["country", "received_period", "category", "outcome"]
ROLES = {"quasi-identifier", "pseudonym", "attribute", "derived", "note"}
INTS = HEADER[12:]
DATES = ["period_start", "period_end"]
SUP = "*"
ACTIONED = {"removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned"}
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


def cases_of(db, period):
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
    return rows


def trace(data, cases, key, grain):
    """Every released row is one case's, with its own values, coarsened or "*"."""
    def pseudo(prefix, kind, msg):
        return prefix + hmac.new(key, kind.encode() + b"\x1f" + msg.encode(), hashlib.sha256).hexdigest()[:32]

    def hours(a, b):
        return "" if a is None or b is None or b < a else str((b - a + 1800) // 3600)

    by_p = {pseudo("c", "case", r[0] + "\x1f" + r[1]): r for r in cases}
    seen = set()
    for i, row in enumerate(data):
        where = "row %d" % (i + 2)
        r = by_p.get(row[0])
        if not check(r is not None, "%s: case pseudonym %s is no case of the period" % (where, row[0])):
            continue
        check(row[0] not in seen, "%s: case released twice" % where)
        seen.add(row[0])
        y, m = r[3] // 10000, r[3] // 100 % 100
        month, quarter = "%04d-%02d" % (y, m), "%dQ%d" % (y, (m - 1) // 3 + 1)
        check(row[1] == (pseudo("i", "content", r[2]) if r[2] is not None else ""), "%s: content pseudonym" % where)
        check(row[2] == r[0], "%s: country %s, case's %s" % (where, row[2], r[0]))
        check(row[3] in ((quarter,) if grain == "quarter" else (month, quarter)), "%s: period %s for a case of %s" % (where, row[3], month))
        check(row[7] in (r[4], SUP), "%s: category %s, case's %s" % (where, row[7], r[4]))
        check(row[8] in (r[5], SUP), "%s: dsa_category %s" % (where, row[8]))
        check(row[9] in (r[6], SUP), "%s: decision %s, case's %s" % (where, row[9], r[6]))
        check(row[10] in ((r[7] or ""), SUP), "%s: outcome %s, case's %s" % (where, row[10], r[7]))
        check(row[11] == (r[8] or ""), "%s: channel %s, case's %s" % (where, row[11], r[8]))
        want = ["", "", "", ""] if row[10] == SUP else [hours(r[9], r[10]), hours(r[10], r[11]),
                                                       hours(r[11], r[12]), hours(r[9], r[12])]
        check(row[12:16] == want, "%s: durations %r, recomputed %r" % (where, row[12:16], want))
    return len(cases) - len(seen)


def published_rates(stats, period):
    rates = {}
    with open(stats, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r.get("period", period) == period and r.get("category", "*") in ("*", "") and r["country"] != "region":
                if r["action_rate"] not in ("", None):
                    rates[r["country"]] = float(r["action_rate"])
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--grain", default="month")
    ap.add_argument("--key")
    ap.add_argument("--base")
    ap.add_argument("--goals", action="store_true")
    ap.add_argument("--stats")
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
        # one spelling; suppressions that go together
        for j in (7, 8, 9, 10):
            check(r[j] == SUP or "*" not in r[j], "row %d: %s %r" % (i + 2, HEADER[j], r[j]))
        check((r[7] == SUP) == (r[8] == SUP), "row %d: category %r with dsa_category %r" % (i + 2, r[7], r[8]))
        check((r[10] == SUP) == (r[9] == SUP), "row %d: outcome %r with decision %r" % (i + 2, r[10], r[9]))
        if r[10] == SUP:
            check(r[12:16] == ["", "", "", ""], "row %d: durations beside a suppressed outcome" % (i + 2))
    check(len({r[0] for r in data}) == len(data), "case pseudonyms are not unique")

    # the dictionary: roles, and the quasi-identifiers are the ones checked here
    drows = list(csv.reader(open(base + "-dictionary.csv", encoding="utf-8-sig", newline="")))
    check(drows and drows[0][:2] == ["column", "role"], "dictionary header %r" % (drows[0] if drows else None))
    roles = {r[0]: r[1] for r in drows[1:] if r and r[0] != "(note)"}
    check(set(roles) == set(HEADER), "dictionary columns %r" % sorted(roles))
    check(all(v in ROLES for v in roles.values()), "dictionary roles %r" % sorted(set(roles.values())))
    check(sorted(c for c, v in roles.items() if v == "quasi-identifier") == sorted(QI),
          "quasi-identifiers in the dictionary: %r" % sorted(c for c, v in roles.items() if v == "quasi-identifier"))

    # k-anonymity, computed here ("*" and a quarter: values of their own)
    classes = collections.Counter(tuple(r[HEADER.index(q)] for q in QI) for r in data)
    small = {c: n for c, n in classes.items() if n < a.k}
    check(not small, "%d classes smaller than k=%d, e.g. %r" % (len(small), a.k, list(small.items())[:3]))
    k_here = min(classes.values()) if classes else 0
    report = open(base + "-anonymisation.md", encoding="utf-8").read()
    if data:
        check("k achieved: %d." % k_here in report, "report does not state k achieved %d" % k_here)
    m = re.search(r"\*\*released in total\*\* \| \*\*(\d+)\*\*", report)
    check(m and int(m.group(1)) == len(data), "report: released %r, CSV rows %d" % (m and m.group(1), len(data)))
    check(report.find("## Threat model") >= 0 and report.find("## Threat model") < report.find("## Result"),
          "report: the threat model does not come first")
    check("## Information loss by column" in report, "report: no information loss by column")

    # the order: country, period (as text: 2026-08 before 2026Q3), category
    # as released (by its id in the warehouse; "*" after every shown one),
    # outcome as released (empty first, then by id; "*" last), pseudonym
    con = sqlite3.connect(a.db)
    cat_id = dict(con.execute("SELECT code, id FROM category"))
    out_id = dict(con.execute("SELECT code, id FROM outcome"))
    con.close()
    order_of = lambda r: (r[2], r[3], r[7] == SUP, 0 if r[7] == SUP else cat_id.get(r[7], -1),
                          r[10] == SUP, 0 if r[10] in (SUP, "") else out_id.get(r[10], -1), r[0])
    keys = [order_of(r) for r in data]
    bad = next((i for i in range(1, len(keys)) if not keys[i - 1] < keys[i]), None)
    check(bad is None, "rows %d and %d are not in the export's order (country, period, category, "
          "outcome, pseudonym): %r, %r" % ((bad or 0) + 1, (bad or 0) + 2, keys[bad - 1][:6] if bad else None,
                                           keys[bad][:6] if bad else None))

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

    cases = cases_of(a.db, a.period)
    if a.key:
        left_out = trace(data, cases, a.key.encode(), a.grain)
        check("| cases received in the period | %d |" % len(cases) in report, "report: cases %d" % len(cases))
        m = re.search(r"\| left out \(nothing else reached k\) \| (\d+) \|", report)
        check(m and int(m.group(1)) == left_out, "report: left out %r, found %d" % (m and m.group(1), left_out))

    goals = ""
    if a.goals:
        share = len(data) / len(cases) if cases else 1.0
        check(share >= 0.95, "released %d of %d cases (%.1f %%), under 95 %%" % (len(data), len(cases), 100 * share))
        n_cat = collections.Counter(r[4] for r in cases)
        rel_cat = {r[7] for r in data}
        missing = sorted(c for c, n in n_cat.items() if n >= a.k and c not in rel_cat)
        check(not missing, "categories with at least k cases missing from the release: %r" % missing)
        rates = published_rates(a.stats, a.period)
        check(rates, "no published action rate in %s" % a.stats)
        worst = 0.0
        for cc, pub in sorted(rates.items()):
            fwd = [r for r in data if r[2] == cc and r[9] == "forwarded"]
            den = len(fwd) - sum(r[10] == "pending" for r in fwd)
            act = sum(r[10] in ACTIONED for r in fwd)
            if not check(den > 0, "%s: no forwarded case with a final outcome in the release" % cc):
                continue
            mine = act / den
            worst = max(worst, abs(mine - pub))
            check(abs(mine - pub) <= 0.02, "%s: action rate %.1f %% from the release, %.1f %% published"
                  % (cc, 100 * mine, 100 * pub))
        goals = "; goals: %.1f %% released, %d categories present, action rates within %.2f pp" % (
            100 * share, len([c for c in n_cat if c in rel_cat]), 100 * worst)

    if failures:
        for f in failures[:40]:
            print("FAIL:", f, file=sys.stderr)
        print("%d checks failed" % len(failures), file=sys.stderr)
        return 1
    print("%s: %d rows, %d classes, k = %d achieved (asked %d)%s%s" % (
        base, len(data), len(classes), k_here, a.k, ", traced to the warehouse" if a.key else "", goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
