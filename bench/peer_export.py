#!/usr/bin/python3
"""peer_export.py - what a Python user would write instead of `vspreport export`.

Two modes, both with Debian's python3-xlsxwriter in constant-memory mode
(rows written in order, memory flat), for bench/bench_export.sh:

  --cells CSV --out FILE.xlsx
      the same cells as vspreport's Cases sheet: stream the rows of the
      export's own CSV and write them (text as text, hours as numbers,
      dates as dates with a date format, frozen header, autofilter, the
      same column widths); the part that XlsxWriter replaces.

  --db DB --period A..B --k K --key KEY --out DIR
      the whole export in Python: the cases of the period from SQLite,
      HMAC-SHA-256 pseudonyms (hmac), month classes, month -> quarter
      generalisation and suppression below k, whole-hour durations, sorted
      like vspreport, then the XLSX (XlsxWriter) and the CSV (csv module,
      BOM, CRLF, formula neutralising).  Rows are read twice from SQLite
      (count, then write), as vspreport does; the sort is SQLite's.

Prints the seconds it took on stderr.
"""
import argparse
import csv
import datetime
import hashlib
import hmac
import sqlite3
import sys
import time

import xlsxwriter

HEADER = ["case_pseudonym", "content_pseudonym", "country", "received_period", "period_grain",
          "period_start", "period_end", "category", "dsa_category", "decision", "outcome",
          "channel", "hours_received_to_decided", "hours_decided_to_forwarded",
          "hours_forwarded_to_outcome", "hours_received_to_outcome"]
WIDTHS = [36, 36, 9, 16, 13, 12, 12, 12, 40, 18, 20, 11, 14, 14, 14, 14]
DATES = {5, 6}
INTS = {12, 13, 14, 15}
ROWS_PER_SHEET = 1048575


class Sheets:
    """Cases sheets of one workbook, split at Excel's row limit."""

    def __init__(self, path):
        self.wb = xlsxwriter.Workbook(path, {"constant_memory": True})
        self.head = self.wb.add_format({"bold": True, "bottom": 1, "bg_color": "#EDF3F9"})
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.int = self.wb.add_format({"num_format": "0"})
        self.n = 0
        self.ws = None
        self.row = 0

    def new_sheet(self):
        if self.ws is not None:
            self.ws.autofilter(0, 0, self.row, len(HEADER) - 1)
        self.n += 1
        self.ws = self.wb.add_worksheet("Cases" if self.n == 1 else "Cases (%d)" % self.n)
        for j, (h, w) in enumerate(zip(HEADER, WIDTHS)):
            self.ws.set_column(j, j, w)
            self.ws.write_string(0, j, h, self.head)
        self.ws.freeze_panes(1, 0)
        self.row = 0

    def write(self, values):
        """values: 16 items; str for text, int/None for hours, date for dates."""
        if self.ws is None or self.row == ROWS_PER_SHEET:
            self.new_sheet()
        self.row += 1
        ws, r = self.ws, self.row
        for j, v in enumerate(values):
            if v is None or v == "":
                continue
            if j in DATES:
                ws.write_datetime(r, j, v, self.date)
            elif j in INTS:
                ws.write_number(r, j, v, self.int)
            else:
                ws.write_string(r, j, v)

    def close(self):
        if self.ws is None:
            self.new_sheet()
        self.ws.autofilter(0, 0, self.row, len(HEADER) - 1)
        self.wb.close()


def from_cells(csv_path, out):
    sheets = Sheets(out)
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for r in rows:
            v = list(r)
            for j in DATES:
                v[j] = datetime.date.fromisoformat(v[j])
            for j in INTS:
                v[j] = int(v[j]) if v[j] else None
            sheets.write(v)
    sheets.close()


def neutral(s):
    return "'" + s if s and s[0] in "=+-@\t\r" else s


def month_bounds(y, m, months):
    s = datetime.date(y, m, 1)
    ey, em = y + (m + months - 1 - 1) // 12, (m + months - 1 - 1) % 12 + 1
    nxt = datetime.date(ey + (em == 12), 1 if em == 12 else em + 1, 1)
    return s, nxt - datetime.timedelta(1)


def full(db, period, k, key, out_dir):
    a, b = period.split("..")
    start = int(a.replace("-", ""))
    end = int(b.replace("-", ""))
    con = sqlite3.connect(db)
    dims = {}
    for t in ("category", "decision", "outcome", "channel"):
        dims[t] = {i: c for i, c in con.execute("SELECT id, code FROM %s" % t)}
    dsa = {i: d for i, d in con.execute("SELECT id, dsa FROM category")}
    # pass 1: classes
    month_n = {}
    for row in con.execute("SELECT country, received_day / 100, category_id, decision_id, "
                           "coalesce(outcome_id, 0), coalesce(channel_id, 0) FROM case_record "
                           "WHERE +received_day BETWEEN ? AND ?", (start, end)):
        month_n[row] = month_n.get(row, 0) + 1
    quarter_n = {}
    qkey = lambda c: (c[0], c[1] // 100, (c[1] % 100 - 1) // 3) + c[2:]
    for c, n in month_n.items():
        if n < k:
            quarter_n[qkey(c)] = quarter_n.get(qkey(c), 0) + n
    con.execute("CREATE TEMP TABLE cls(country, month, cat, dec, out, chan, bucket, quarter, s, e, "
                "PRIMARY KEY(country, month, cat, dec, out, chan)) WITHOUT ROWID")
    for c, n in month_n.items():
        y, m = c[1] // 100, c[1] % 100
        if n >= k:
            s, e = month_bounds(y, m, 1)
            con.execute("INSERT INTO cls VALUES (?,?,?,?,?,?,?,?,?,?)",
                        c + ("%04d-%02d" % (y, m), 0, s.isoformat(), e.isoformat()))
        elif quarter_n[qkey(c)] >= k:
            q = (m - 1) // 3 + 1
            s, e = month_bounds(y, 3 * q - 2, 3)
            con.execute("INSERT INTO cls VALUES (?,?,?,?,?,?,?,?,?,?)",
                        c + ("%04dQ%d" % (y, q), 1, s.isoformat(), e.isoformat()))

    def pseudo(kind, msg):
        if msg is None:
            return None
        return ("c" if kind == "case" else "i") + hmac.new(
            key, kind.encode() + b"\x1f" + msg.encode(), hashlib.sha256).hexdigest()[:32]

    con.create_function("pseudo", 2, pseudo, deterministic=True)
    sheets = Sheets("%s/research-%s.xlsx" % (out_dir, period))
    with open("%s/research-%s.csv" % (out_dir, period), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for r in con.execute(
                "SELECT c.country, k.bucket, k.quarter, k.s, k.e, c.category_id, c.decision_id, "
                "k.out, k.chan, pseudo('case', c.country || char(31) || c.case_id) AS cp, "
                "pseudo('content', c.content_key), "
                "CASE WHEN c.decided_ts >= c.received_ts AND c.decided_prec = 2 AND c.received_prec = 2 THEN (c.decided_ts - c.received_ts + 1800) / 3600 END, "
                "CASE WHEN c.forwarded_ts >= c.decided_ts AND c.forwarded_prec = 2 AND c.decided_prec = 2 THEN (c.forwarded_ts - c.decided_ts + 1800) / 3600 END, "
                "CASE WHEN c.outcome_ts >= c.forwarded_ts AND c.outcome_prec = 2 AND c.forwarded_prec = 2 THEN (c.outcome_ts - c.forwarded_ts + 1800) / 3600 END, "
                "CASE WHEN c.outcome_ts >= c.received_ts AND c.outcome_prec = 2 AND c.received_prec = 2 THEN (c.outcome_ts - c.received_ts + 1800) / 3600 END "
                "FROM case_record c CROSS JOIN cls k WHERE +c.received_day BETWEEN ? AND ? "
                "AND k.country = c.country AND k.month = c.received_day / 100 AND k.cat = c.category_id "
                "AND k.dec = c.decision_id AND k.out = coalesce(c.outcome_id, 0) "
                "AND k.chan = coalesce(c.channel_id, 0) "
                "ORDER BY c.country, k.bucket, c.category_id, c.decision_id, k.out, k.chan, cp",
                (start, end)):
            text = [r[9], r[10] or "", r[0], r[1], "quarter" if r[2] else "month", r[3], r[4],
                    dims["category"][r[5]], dsa[r[5]], dims["decision"][r[6]],
                    dims["outcome"].get(r[7], ""), dims["channel"].get(r[8], "")]
            hours = list(r[11:15])
            w.writerow([neutral(t) for t in text] + ["" if h is None else h for h in hours])
            sheets.write(text[:5] + [datetime.date.fromisoformat(r[3]), datetime.date.fromisoformat(r[4])]
                         + text[7:] + hours)
    sheets.close()
    con.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cells")
    ap.add_argument("--db")
    ap.add_argument("--period")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--key")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.cells:
        from_cells(a.cells, a.out)
    else:
        full(a.db, a.period, a.k, a.key.encode(), a.out)
    print("peer_export: %.2f s" % (time.perf_counter() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
