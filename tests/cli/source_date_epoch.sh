# SOURCE_DATE_EPOCH: a good value pins every output's date; a bad one is the
# same usage error (exit 64, nothing written) in every command.  Before,
# workbooks and the export refused it, PDF reports ignored it and chart
# PDFs were dated 1970.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
# Montenegro's samples, ingested and aggregated with no SOURCE_DATE_EPOCH
unset SOURCE_DATE_EPOCH
"$VSP" ingest -q --db "$db" --profile "$SRC/profiles/me-aem.ini" --rejects-dir "$T" \
  "$SRC/samples/me-aem/"*.csv && "$VSP" aggregate --db "$db" --period 2026Q3 >/dev/null ||
  fail "setting up the warehouse"
figures=$(sql "$db" "SELECT count(*), sum(value) FROM agg_metric")

for bad in abc -5 1e9 253402300800 "1790000000 "; do
  export SOURCE_DATE_EPOCH=$bad
  run_vsp chart chart funnel --db "$db" --period 2026Q3 --country ME -o "$T/bad.pdf"; c1=$rc
  run_vsp report report --db "$db" --country ME --period 2026Q3 -o "$T/bad-report.pdf"; c2=$rc
  run_vsp workbook workbook --db "$db" --country ME --period 2026Q3 -o "$T/bad.xlsx"; c3=$rc
  run_vsp export export --db "$db" --period 2026Q3 --out "$T/bad-export"; c4=$rc
  run_vsp aggregate aggregate --db "$db" --period 2026Q3; c5=$rc
  run_vsp ingest2 ingest -q --db "$db" --profile "$SRC/profiles/me-aem.ini" --rejects-dir "$T" \
    "$SRC/samples/me-aem/"*.csv; c6=$rc
  run_vsp stats stats --db "$db" --period 2026Q3; c7=$rc
  expect_eq "'$bad': exit codes of chart report workbook export aggregate ingest stats" \
    "$c1 $c2 $c3 $c4 $c5 $c6 $c7" "64 64 64 64 64 64 64"
  expect_contains "'$bad': message" "$T/chart.err" "SOURCE_DATE_EPOCH='$bad' is not a whole number of seconds"
  expect_contains "'$bad': what to do" "$T/report.err" "unset it, or set it to one such as"
  expect_eq "'$bad': nothing written" "$(ls "$T" | grep -c '^bad')" 0
  unset SOURCE_DATE_EPOCH
done
expect_eq "the warehouse unchanged" "$(sql "$db" "SELECT count(*), sum(value) FROM agg_metric")" "$figures"

# a good value: the chart PDF and the report carry that date (2026-09-21T14:13:20Z,
# from Python's datetime.fromtimestamp(1790000000, timezone.utc))
export SOURCE_DATE_EPOCH=1790000000
run_vsp chart chart funnel --db "$db" --period 2026Q3 --country ME -o "$T/good.pdf"
expect_eq "good chart" "$rc" 0
run_vsp report report --db "$db" --country ME --period 2026Q3 -o "$T/good-report.pdf"
expect_eq "good report" "$rc" 0
for f in good.pdf good-report.pdf; do
  expect_eq "$f: creation date" "$(pdfinfo -isodates "$T/$f" | sed -n 's/^CreationDate: *//p')" "2026-09-21T14:13:20Z"
done
unset SOURCE_DATE_EPOCH

# `run` with today stated before some of the quarter's events: it warns,
# once, with the count a query of the warehouse gives (the renderers it
# starts no longer scan the cases for the same warning, and their own
# messages went nowhere)
mkdir -p "$T/in/me-aem"
cp "$SRC/samples/me-aem/"*.csv "$T/in/me-aem/"
export SOURCE_DATE_EPOCH=1789430400 # 2026-09-15
VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef \
  run_vsp run run --in "$T/in" --out "$T/runout" --period 2026Q3 --profiles "$SRC/profiles" --quiet
expect_eq "run: exit" "$rc" 0
want=$(sql "$T/runout/private/warehouse.db" "SELECT count(*) FROM case_record WHERE country = 'ME'
  AND received_day BETWEEN 20260701 AND 20260930 AND (received_day > 20260915
  OR decided_day > 20260915 OR forwarded_day > 20260915 OR outcome_day > 20260915)")
[ "${want:-0}" -gt 0 ] || fail "run: the samples should hold ME events after 2026-09-15"
expect_contains "run: future events warned" "$T/run.err" \
  "vspreport run: warning: 2026Q3 holds $want ME case(s) with events after 2026-09-15"
expect_eq "run: warned once" "$(grep -c 'with events after' "$T/run.err")" 1
unset SOURCE_DATE_EPOCH
finish
