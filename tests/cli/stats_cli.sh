# `vspreport stats` and `vspreport aggregate` on the hand-made warehouse
# tests/data/agg-fixture.sql (figures worked out in tests/unit/test_aggregate.c):
# formats, precision, filters, the default period, errors and exit codes.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
mkdb() { # mkdb DB [SQL FILE]: a warehouse at the current schema
  rm -f "$1"
  v=0
  for f in "$SRC"/queries/[0-9][0-9][0-9][0-9]_*.sql; do
    sqlite3 "$1" <"$f"
    v=$(basename "$f" | cut -c1-4 | sed 's/^0*//')
  done
  sqlite3 "$1" "PRAGMA user_version = $v;"
  [ $# -lt 2 ] || sqlite3 "$1" <"$2"
}
mkdb "$db" "$SRC/tests/data/agg-fixture.sql"

# stats aggregates a period that is not aggregated yet, and says so
run_vsp csv stats --db "$db" --format csv
expect_eq "exit" "$rc" 0
expect_contains "note" "$T/csv.err" "2026Q3 is not aggregated yet; aggregating it now"
expect_eq "header" "$(head -1 "$T/csv.out" | cut -d, -f1-16)" \
  "country,period,category,received,assessed,forwarded,actioned,outcome_pending,violation_rate,action_rate,population,received_per100k,forwarded_per100k,actioned_per100k,median_h_to_action,p90_h_to_action"
expect_eq "rows: six countries and the region" "$(cut -d, -f1 "$T/csv.out" | tail -n +2 | tr '\n' ' ')" "AL BA ME MK RS XK region "
# AL: 12 received, 8/11, 5/6, 0.4996 per 100 000, to action 40 / 140 h (n 5)
expect_eq "AL" "$(grep '^AL,' "$T/csv.out" | cut -d, -f1-17)" \
  "AL,2026Q3,*,12,11,8,5,2,0.7273,0.8333,2402113,0.4996,0.3330,0.2082,40.00,140.00,5"
# BA has no case: empty cells for undefined figures
expect_eq "BA" "$(grep '^BA,' "$T/csv.out" | cut -d, -f4-17)" "0,0,0,0,0,,,3531159,0.0000,0.0000,0.0000,,,0"
expect_eq "region" "$(grep '^region,' "$T/csv.out" | cut -d, -f4-10,15-17)" "16,15,11,7,3,0.7333,0.8750,30.00,110.00,7"

run_vsp json stats --db "$db" --period 2026Q3 --format json --country region --category hate
expect_eq "json exit" "$rc" 0
expect_eq "json" "$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["rows"][0]
print(d["period"], d["start"], d["end"], d["category"], d["last_ingest"], len(d["rows"]), r["country"],
      r["received"], r["median_h_to_action"], r["p90_h_to_action"], r["action_rate"],
      r["data_as_of"], r["data_as_of_from"], r["provisional"])' "$T/json.out")" \
  "2026Q3 2026-07-01 2026-09-30 hate 2026-10-02T09:00:00Z 1 region 7 15.0 34.0 0.8 2026-05-10 BA True"
run_vsp jnull stats --db "$db" --period 2026Q3 --format json --country ba
expect_contains "json null" "$T/jnull.out" '"action_rate": null'

run_vsp table stats --db "$db" --period 2026Q3
# as of: the fixture gives no decided/forwarded/outcome dates, so each
# country is as of its latest received date: AL 13 Aug (A11), ME 20 Aug,
# RS 1 Oct (R3), BA 10 May (B1); the region as of the earliest, BA's.
# 2026Q3 is provisional everywhere (outcomes pending in AL and ME; the
# dates are less than 30 days after 30 Sept, or before it).
expect_contains "table title" "$T/table.out" "2026Q3 (2026-07-01 to 2026-09-30), all categories; region data as of 2026-05-10 (BA); last ingest 2026-10-02T09:00:00Z"
expect_contains "as of row" "$T/table.out" "2026-08-13  2026-05-10  2026-08-20"
expect_eq "csv as of" "$(grep -E '^(AL|region),' "$T/csv.out" | awk -F, '{print $(NF-4), $(NF-3), $(NF-2), $(NF-1)}' | tr '\n' ' ')" \
  "2026-08-13 AL 1 AL 2026-05-10 BA 1 AL;ME;RS "
expect_contains "table row" "$T/table.out" "time to action, median (h)                       40.00           -        5.00        -       10.00        -       30.00"
# numbers right-aligned: every line of the table body has the same length
expect_eq "aligned" "$(tail -n +3 "$T/table.out" | awk '{print length($0)}' | sort -u | wc -l)" "1"

# fresh aggregates: no note; --no-aggregate on a missing period fails
run_vsp again stats --db "$db" --period 2026Q3 --country AL --format csv --no-aggregate
expect_eq "fresh" "$rc:$(cat "$T/again.err")" "0:"
run_vsp missing stats --db "$db" --period 2023Q1 --no-aggregate
expect_eq "not aggregated" "$rc" 65
expect_contains "how to fix" "$T/missing.err" "run vspreport aggregate --period 2023Q1 first"

# usage errors: 64, with the accepted forms
run_vsp badp stats --db "$db" --period 2026Q5
expect_eq "bad period" "$rc" 64
expect_contains "bad period" "$T/badp.err" "quarters are Q1..Q4"
run_vsp badr aggregate --db "$db" --period 2026-09-30..2026-07-01
expect_eq "bad range" "$rc" 64
expect_contains "bad range" "$T/badr.err" "ends before it starts"
run_vsp badf stats --db "$db" --format xml
expect_eq "bad format" "$rc" 64
run_vsp badc stats --db "$db" --country FR
expect_eq "bad country" "$rc" 64
expect_contains "bad country" "$T/badc.err" "use AL, BA, ME, MK, RS, XK or region"
run_vsp badk stats --db "$db" --category cats
expect_eq "bad category" "$rc" 64
run_vsp nodb stats --db "$T/none.db"
expect_eq "no warehouse" "$rc" 66
run_vsp help aggregate --help
expect_eq "help" "$rc" 0
expect_contains "help" "$T/help.out" "Usage: vspreport aggregate --db DB [--period P]"
run_vsp pop aggregate --db "$db" --population "$T/nope.csv"
expect_eq "population file missing" "$rc" 66
printf 'country,population,year,source\nAL,abc,2023,x\n' >"$T/pop.csv"
run_vsp pop2 aggregate --db "$db" --population "$T/pop.csv"
expect_eq "population file bad" "$rc" 65
expect_contains "population file:line" "$T/pop2.err" "pop.csv:2: population 'abc' is not a whole number"

# a date range: only itself, no trend
run_vsp range aggregate --db "$db" --period 2026-08-01..2026-08-31
expect_eq "range" "$rc" 0
expect_eq "range rows" "$(grep -c '^20' "$T/range.out")" "1"
run_vsp rstats stats --db "$db" --period 2026-08-01..2026-08-31 --country AL --format csv
expect_eq "range AL received" "$(tail -1 "$T/rstats.out" | cut -d, -f1-4)" "AL,2026-08-01..2026-08-31,*,11"

# hours round half up from their exact value: to-action 35 h 46 min and
# 35 h 47 min -> median 35.775 h exactly (the nearest double is a hair
# below, so plain printf would say 35.77); P90 128760 + 0.9 * 60 = 128814 s
# = 35.7817 h -> 35.78
tie=$T/tie.db
mkdb "$tie"
sqlite3 "$tie" "
INSERT INTO ingest_run(id, file_path, file_name, file_size, sha256, profile, country, started_at, finished_at)
VALUES (1, 't.csv', 't.csv', 1, 'x', 't.ini', 'AL', '2026-10-01T00:00:00Z', '2026-10-01T00:00:01Z');
INSERT INTO case_record(country, case_id, platform, item_kind, category_id, received_ts, received_day, received_prec,
  forwarded_ts, forwarded_prec, outcome_ts, outcome_prec, decision_id, outcome_id,
  first_run, first_line, last_run, last_line, seen_run, row_hash)
VALUES ('AL', 'T1', 'tiktok', 'content', 1, 1786000000, 20260805, 2, 1786000000, 2, 1786000000 + 128760, 2, 1, 1, 1, 2, 1, 2, 1, 0),
       ('AL', 'T2', 'tiktok', 'content', 1, 1786000000, 20260805, 2, 1786000000, 2, 1786000000 + 128820, 2, 1, 1, 1, 3, 1, 3, 1, 0);"
run_vsp tie stats --db "$tie" --period 2026Q3 --country AL --format csv
expect_eq "tie" "$(tail -1 "$T/tie.out" | cut -d, -f15-17)" "35.78,35.78,2"
finish
