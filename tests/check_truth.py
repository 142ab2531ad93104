#!/usr/bin/python3
"""check_truth.py - the warehouse's case records against the generator's model.

Usage: check_truth.py WAREHOUSE.db SAMPLES_DIR [SAMPLES_DIR ...]

bench/gen_cases.py writes beside every sample export FILE.csv a FILE.truth:
each case of the export with its true canonical category, decision and
outcome and the UTC second and local date of each time the export shows,
taken from the generator's own model, never through profiles/.  This reads
every *.truth in name order (a later export's row replaces an earlier one,
as a later ingest updates a case) and compares the warehouse's case_record
row by row:

  - every case the model says was accepted is there, once, and nothing else
    is (a case broken on purpose, status 'rejected', must be absent);
  - category, decision and outcome codes are equal (a forwarded case with
    no final response may be stored as outcome 'pending' or as no outcome;
    a case not forwarded has no outcome);
  - each time: where the export shows a time of day, the UTC second and
    the local date are equal and the precision is date-and-time; where it
    shows a date alone, the local date is equal and the precision is date;
    where it shows nothing, nothing is stored.

Prints the first differences by field and a count per field; exits 1 if
there is any difference, or if there is no truth file at all.
"""

import calendar
import collections
import os
import sqlite3
import sys

TIMES = ["received", "decided", "forwarded", "outcome"]


def utc_seconds(iso):
    return calendar.timegm((int(iso[0:4]), int(iso[5:7]), int(iso[8:10]),
                            int(iso[11:13]), int(iso[14:16]), int(iso[17:19])))


def day_int(day):
    return int(day.replace("-", ""))


def read_truth(dirs):
    truth = {}
    files = 0
    for base in dirs:
        for sub in sorted(os.listdir(base)):
            folder = os.path.join(base, sub)
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                if not name.endswith(".truth"):
                    continue
                files += 1
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
                head = lines[0].split("\t")
                for line in lines[1:]:
                    row = dict(zip(head, line.split("\t")))
                    row["file"] = name
                    truth[(row["country"], row["case_id"])] = row
    return truth, files


def main():
    if len(sys.argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    db = sqlite3.connect(sys.argv[1])
    truth, files = read_truth(sys.argv[2:])
    if files == 0:
        print("no *.truth file under %s: regenerate with bench/gen_cases.py" % " ".join(sys.argv[2:]))
        return 1
    cols = ", ".join("c.%s_ts, c.%s_day, c.%s_prec" % (t, t, t) for t in TIMES)
    got = {}
    for r in db.execute(
            "SELECT c.country, c.case_id, k.code, d.code, o.code, " + cols +
            " FROM case_record c JOIN category k ON k.id = c.category_id"
            " JOIN decision d ON d.id = c.decision_id LEFT JOIN outcome o ON o.id = c.outcome_id"):
        got[(r[0], r[1])] = r[2:]
    diffs = collections.Counter()
    shown = collections.Counter()

    def differ(field, key, have, want):
        diffs[field] += 1
        if shown[field] < 5:
            shown[field] += 1
            t = truth.get(key, {})
            print("%s %s (%s): %s is %r in the warehouse, %r in the model"
                  % (key[0], key[1], t.get("file", "-"), field, have, want))

    accepted = 0
    for key, t in truth.items():
        row = got.get(key)
        if t["status"] == "rejected":
            if row is not None:
                differ("presence", key, "present", "rejected")
            continue
        accepted += 1
        if row is None:
            differ("presence", key, "missing", "accepted")
            continue
        cat, dec, out = row[0], row[1], row[2]
        if cat != t["category"]:
            differ("category", key, cat, t["category"])
        if dec != t["decision"]:
            differ("decision", key, dec, t["decision"])
        want_out = t["outcome"] or None
        have_out = out
        if dec == "forwarded" and want_out == "pending" and out is None:
            have_out = "pending"  # no response yet, written as an empty cell
        if have_out != want_out:
            differ("outcome", key, out, want_out)
        for i, name in enumerate(TIMES):
            ts, day, prec = row[3 + 3 * i:6 + 3 * i]
            want_utc, want_day = t[name + "_utc"], t[name + "_day"]
            if not want_day:
                if ts is not None or day is not None:
                    differ(name, key, (ts, day, prec), None)
                continue
            if day != day_int(want_day):
                differ(name + " date", key, day, want_day)
            if want_utc:
                if prec != 2:
                    differ(name + " precision", key, prec, 2)
                elif ts != utc_seconds(want_utc):
                    differ(name + " UTC", key, ts, want_utc)
            elif prec != 1:
                differ(name + " precision", key, prec, 1)
    for key in got:
        if key not in truth:
            differ("presence", key, "present", "not in any export")
    for field, n in sorted(diffs.items()):
        print("%s: %d case(s) differ" % (field, n))
    print("%d truth files, %d cases accepted by the model, %d in the warehouse, %d differences"
          % (files, accepted, len(got), sum(diffs.values())))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
