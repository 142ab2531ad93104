# How current, how precise (DESIGN section 5) through the command line, on
# the hand-made warehouse tests/data/time-fixture.sql (every figure worked
# out by hand in tests/unit/test_time.c) and on tests/data/agg-boundary.csv.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
rm -f "$db"
for f in "$SRC"/queries/[0-9][0-9][0-9][0-9]_*.sql; do
  sqlite3 "$db" <"$f"
  v=$(basename "$f" | cut -c1-4 | sed 's/^0*//')
done
sqlite3 "$db" "PRAGMA user_version = $v;"
sqlite3 "$db" <"$SRC/tests/data/time-fixture.sql"

# today stated as 2 Oct 2026: A5 was removed on 3 Oct -> one AL case warned
export SOURCE_DATE_EPOCH=1790899200
run_vsp csv stats --db "$db" --format csv
expect_eq "exit" "$rc" 0
expect_contains "future events" "$T/csv.err" \
  "warning: 2026Q3 holds 1 AL case(s) with events after 2026-10-02, the date stated as current (SOURCE_DATE_EPOCH) (the latest on 2026-10-03)"
col() { # col ROW NAME: one cell of csv.out by header name
  awk -F, -v row="$1" -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == row { print $h[name] }' "$T/csv.out"
}
# AL: days to action 1 4 8 -> 4.00 / 7.20, n 3; response 1 4 8 10 -> 6.00 / 9.40
expect_eq "AL days" "$(col AL median_d_to_action) $(col AL p90_d_to_action) $(col AL n_d_to_action) $(col AL median_d_to_response) $(col AL p90_d_to_response) $(col AL n_d_to_response)" \
  "4.00 7.20 3 6.00 9.40 4"
expect_eq "AL shares" "$(col AL share_d_1d) $(col AL share_d_2d) $(col AL share_d_7d)" "0.3333 0.3333 0.6667"
expect_eq "AL hours" "$(col AL median_h_to_action) $(col AL n_to_action)" "96.00 3"
# ME: dates only -> days 0 and 3: 1.50 / 2.70; no hours at all
expect_eq "ME days" "$(col ME median_d_to_action) $(col ME p90_d_to_action) $(col ME n_d_to_action) $(col ME median_h_to_action) $(col ME n_to_action)" \
  "1.50 2.70 2  0"
# region: days pooled over AL and ME (0 1 3 4 8 -> 3.00 / 6.40); hours AL's only
expect_eq "region days" "$(col region median_d_to_action) $(col region p90_d_to_action) $(col region n_d_to_action) $(col region hours_from)" \
  "3.00 6.40 5 AL"
expect_eq "as of" "$(col AL data_as_of) $(col ME data_as_of) $(col region data_as_of) $(col region data_as_of_from)" \
  "2026-10-03 2026-10-10 2026-10-03 AL"
expect_eq "provisional" "$(col AL provisional) $(col ME provisional) $(col region provisional) $(col RS provisional)" "1 1 1 "
expect_eq "cohort" "$(col AL cohort_n) $(col AL cohort_1d) $(col AL cohort_2d) $(col AL cohort_7d)" "5 0.2000 0.2000 "

# 2026Q2 of AL: 95 days before the as-of date, nothing pending: final
run_vsp q2 stats --db "$db" --period 2026Q2 --country AL --format csv --no-aggregate
expect_eq "Q2 provisional" "$(tail -1 "$T/q2.out" | awk -F, '{print $(NF-2)}')" "0"

# the same lag: AL's 2026Q2 as it stood on 3 July (3 days after its end):
#   received 5 5 5; assessed 5 3 4; forwarded 5 3 3; actioned 3 2 3;
#   pending 1 1 0; violation rate 5/5, 3/3, 3/4; action rate 3/4, 2/2, 3/3
run_vsp lag stats --db "$db" --period 2026Q3 --country AL --format csv --same-lag --no-aggregate
expect_eq "same lag exit" "$rc" 0
expect_eq "same lag AL" "$(tail -1 "$T/lag.out")" \
  "AL,2026Q3,2026Q2,3,2026-10-03,1,5,5,5,0.0000,5,3,4,0.6667,5,3,3,0.6667,3,2,3,0.5000,1,1,0,0.0000,1.0000,1.0000,0.7500,0.0000,0.7500,1.0000,1.0000,-0.2500"
run_vsp lagr stats --db "$db" --period 2026-07-01..2026-09-30 --same-lag
expect_eq "same lag of a range" "$rc" 64

# ingest --exported-at: the stated date wins over the latest event (4 Oct)
unset SOURCE_DATE_EPOCH
db2=$T/b.db
run_vsp ing ingest --db "$db2" --exported-at 2026-10-20 --profile "$SRC/tests/data/ingest/test.ini" "$SRC/tests/data/agg-boundary.csv"
expect_eq "ingest exit" "$rc" 0
run_vsp agg aggregate --db "$db2" --period 2026Q3
expect_contains "stated as of" "$T/agg.out" "data as of: AL 2026-10-20 (stated); region 2026-10-20 (AL)"
run_vsp bad ingest --db "$db2" --exported-at 2026-13-01 --profile "$SRC/tests/data/ingest/test.ini" "$SRC/tests/data/agg-boundary.csv"
expect_eq "bad date exit" "$rc" 64
expect_contains "bad date" "$T/bad.err" "--exported-at wants a date like 2026-10-07, not '2026-13-01'"

# export_date = file_name in the profile: the date in the export's name is
# the date it was taken (what `run`, which has no --exported-at, relies on);
# --exported-at still wins; a name without a date is refused, nothing stored
mkdir -p "$T/named"
{ cat "$SRC/tests/data/ingest/test.ini"; printf '\n[format]\nexport_date = file_name\n'; } >"$T/named/test.ini"
cp "$SRC/tests/data/agg-boundary.csv" "$T/named/al-export-2026-10-12.csv"
cp "$SRC/tests/data/agg-boundary.csv" "$T/named/al-export.csv"
db3=$T/c.db
run_vsp ingn ingest --db "$db3" --profile "$T/named/test.ini" "$T/named/al-export-2026-10-12.csv"
expect_eq "named ingest exit" "$rc" 0
run_vsp aggn aggregate --db "$db3" --period 2026Q3
expect_contains "as of from the name" "$T/aggn.out" "data as of: AL 2026-10-12 (stated); region 2026-10-12 (AL)"
db4=$T/d.db
run_vsp ingx ingest --db "$db4" --exported-at 2026-10-20 --profile "$T/named/test.ini" "$T/named/al-export-2026-10-12.csv"
run_vsp aggx aggregate --db "$db4" --period 2026Q3
expect_contains "--exported-at wins" "$T/aggx.out" "data as of: AL 2026-10-20 (stated)"
run_vsp ingu ingest --db "$db4" --profile "$T/named/test.ini" "$T/named/al-export.csv"
expect_eq "nameless exit" "$rc" 65
expect_contains "nameless says what to do" "$T/ingu.err" "'al-export.csv' holds no date; rename the file"
expect_eq "nameless stored nothing" "$(sqlite3 "$db4" 'SELECT count(*) FROM ingest_run')" 1
finish
