# Period membership through ingest: the received instant in the profile's
# zone (Europe/Belgrade: UTC+2 in summer, UTC+1 in winter) decides the
# quarter, not the UTC date.  tests/data/agg-boundary.csv (local times
# unless marked Z):
#   B1 30.06.2026 23:30 (21:30Z)          -> 2026Q2
#   B2 01.07.2026 00:30 (22:30Z, 30 June)  -> 2026Q3, pending
#   B3 31.12.2025 23:30 (22:30Z)           -> 2025Q4
#   B4 01.01.2026 00:30 (23:30Z, 31 Dec)   -> 2026Q1
#   B5 2026-09-30T22:30:00Z = 00:30 1 Oct  -> 2026Q4
#   B6 2026-09-30T21:59:59Z = 23:59:59     -> 2026Q3, forwarded 23:59 local,
#      geo_blocked 4 days later: time to action 96 h
# 2026Q3 therefore has 2 cases: forwarded 1, actioned 1, outcome_pending 0
# (B2 is undecided), to action median 96.00.  Then the later export updates
# B2: forwarded 01.07 10:30, removed 02.07 10:30 (24 h): forwarded 2,
# actioned 2, to action 24 and 96 -> median 60.00, P90 24 + 0.9*72 = 88.80,
# share within 24 h 0.5000, within 48 h 0.5000, within 7 days 1.0000.
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z: the data freeze

run_vsp ingest ingest --db "$db" --profile "$D/ingest/test.ini" "$D/agg-boundary.csv"
expect_eq "ingest" "$rc" 0
run_vsp agg aggregate --db "$db"
expect_eq "aggregate exit" "$rc" 0
# the default period: the latest quarter with data that had ended by 2026-10-08
expect_contains "default period" "$T/agg.out" "2026Q3"
expect_contains "ingest time" "$T/agg.out" "last ingest finished: 2026-10-08T00:00:00Z"
# as of: the latest event, B6's outcome 96 h after 30 Sept 23:59 local = 4 Oct
expect_contains "as of" "$T/agg.out" "data as of: AL 2026-10-04; region 2026-10-04 (AL)"
q() { sql "$db" "select value from agg_metric where period='$1' and country='$2' and category='$3' and metric='$4'"; }
expect_eq "2026Q2" "$(q 2026Q2 AL '*' received)" "1.0"
expect_eq "2026Q3" "$(q 2026Q3 AL '*' received)" "2.0"
expect_eq "2025Q4" "$(q 2025Q4 AL '*' received)" "1.0"
expect_eq "2026Q1" "$(q 2026Q1 AL minors received)" "1.0"
expect_eq "2026Q3 forwarded" "$(q 2026Q3 AL '*' forwarded)" "1.0"
expect_eq "2026Q3 to action" "$(q 2026Q3 AL '*' h_to_action_median)" "96.0"
expect_eq "2026Q4 not in the trend" "$(sql "$db" "select count(*) from agg_run where period='2026Q4'")" "0"
run_vsp q4 aggregate --db "$db" --period 2026Q4
expect_eq "2026Q4" "$(q 2026Q4 AL '*' received)" "1.0"
expect_eq "eight periods each" "$(sql "$db" "select count(*) from agg_run")" "9"

# the later export updates B2; stats sees the newer ingest and re-aggregates
run_vsp update ingest --db "$db" --profile "$D/ingest/test.ini" "$D/agg-boundary-update.csv"
expect_eq "update ingest" "$rc" 0
run_vsp stats stats --db "$db" --period 2026Q3 --country AL --format csv
expect_eq "stats exit" "$rc" 0
expect_contains "stale note" "$T/stats.err" "2026Q3 was aggregated before the latest ingest; aggregating it now"
cols=$($PY - "$T/stats.out" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
assert len(r) == 1, r
r = r[0]
print(" ".join(r[k] for k in ["country", "received", "forwarded", "actioned", "outcome_pending",
      "median_h_to_action", "p90_h_to_action", "n_to_action", "share_24h", "share_48h",
      "share_7d", "action_rate"]))
PY
)
expect_eq "after the update" "$cols" "AL 2 2 2 0 60.00 88.80 2 0.5000 0.5000 1.0000 1.0000"
expect_eq "data quality: both files" "$(sql "$db" "select group_concat(file_name||':'||cases, ' ') from (select * from agg_quality where period='2026Q3' order by run_id)")" \
  "agg-boundary.csv:2 agg-boundary-update.csv:1"
run_vsp again stats --db "$db" --period 2026Q3 --country AL --format csv
expect_eq "fresh: no note" "$(cat "$T/again.err")" ""
finish
