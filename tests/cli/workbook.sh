# `vspreport workbook` end to end on the bundled samples (all six
# regulators, ingested and aggregated for 2026Q3) plus crafted cases full of
# personal data and formula-like text:
#   tests/check_workbook.py reads every workbook back with openpyxl and
#     checks sheets, names, headers, frozen panes, filters, charts, number
#     formats, document properties and every figure against
#     `vspreport stats --format csv` and the agg_* tables (independently);
#   tests/check_pii.py unzips every part and finds no personal datum of the
#     warehouse or of the crafted cases;
#   byte-identical files for the same warehouse and SOURCE_DATE_EPOCH;
#   usage and data errors with their exit codes; no file, not even a
#   temporary one, left behind by a failure.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z
export VSP_PO_DIR="$SRC/po"

for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  run_vsp "ingest-$reg" ingest -q --db "$db" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" "$dir"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
# Crafted cases: personal data and text a spreadsheet would run, in every
# free-text field (six alike, so that they also survive k-anonymity).
sql "$db" "INSERT INTO case_record(country, case_id, platform, item_kind, content_url, content_key,
    category_id, national_label, legal_basis, received_ts, received_day, received_prec,
    decision_id, channel_id, reporter_name, reporter_email, reporter_phone, account_handle, notes,
    first_run, first_line, last_run, last_line, seen_run, row_hash)
  SELECT 'AL', '=HYPERLINK(\"http://evil.example/x\",\"click\")-' || n,
    'tiktok', 'account', 'https://vm.tiktok.com/ZMcraftedQ7/', 'tiktok:short:ZMcraftedQ7', 4,
    '@SUM(1+1)*cmd|'' /C calc''!A0', '-2+3+cmd|'' /C calc''!A0',
    unixepoch('2026-08-12 10:00:00'), 20260812, 2, 2, 1,
    'Zqxvb Crafted-Person', 'crafted.person+pii@example.net', '+381 64 555 0199',
    'crafted_handle_q7', '=cmd|'' /C calc''!A0 PII-NOTE-Zx91 call me at home',
    1, 1, 1, 1, 1, 0
  FROM (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6);
  INSERT INTO case_key(content_key, country, case_id)
  SELECT content_key, country, case_id FROM case_record WHERE case_id LIKE '=HYPERLINK%';"
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0

check_wb() { # check_wb NAME COUNTRY LANG
  run_vsp "$1" workbook --db "$db" --country "$2" --period 2026Q3 --lang "$3" -o "$T/$1.xlsx"
  expect_eq "workbook $2 $3" "$rc" 0
  $PY "$SRC/tests/check_workbook.py" --xlsx "$T/$1.xlsx" --db "$db" --vsp "$VSP" --country "$2" \
    --period 2026Q3 --lang "$3" --po-dir "$SRC/po" --epoch "$SOURCE_DATE_EPOCH" >"$T/$1.check" 2>&1 ||
    fail "check_workbook $2 $3: $(tail -5 "$T/$1.check")"
}
check_wb region-en region en
check_wb al-sq AL sq
check_wb rs-sr RS sr
check_wb xk-srl XK sr-Latn
check_wb mk-mk MK mk
check_wb ba-bs BA bs
check_wb me-cnr ME cnr
check_wb region-sr region sr

# nothing personal, anywhere (labels may equal translated category names)
$PY "$SRC/tests/check_pii.py" --db "$db" --extra "Zqxvb Crafted-Person" \
  --extra "crafted.person+pii@example.net" --extra "+381 64 555 0199" --extra "crafted_handle_q7" \
  --extra "PII-NOTE-Zx91 call me at home" --extra "ZMcraftedQ7" --extra "evil.example" \
  "$T"/*.xlsx >"$T/pii.txt" 2>&1 || fail "personal data in a workbook: $(head -5 "$T/pii.txt")"
# ... and the scanner does find what is there (negative control)
printf 'note\nplease call Zqxvb  crafted-person at +381 (64) 555-0199\n' >"$T/leak.csv"
$PY "$SRC/tests/check_pii.py" --db "$db" "$T/leak.csv" >/dev/null 2>&1 &&
  fail "check_pii.py missed a name and a phone"

# the same warehouse and SOURCE_DATE_EPOCH: the same bytes
run_vsp again workbook --db "$db" --country region --period 2026Q3 -o "$T/again.xlsx"
cmp -s "$T/region-en.xlsx" "$T/again.xlsx" || fail "two runs differ"
SOURCE_DATE_EPOCH=1767312000 run_vsp later workbook --db "$db" --country region --period 2026Q3 -o "$T/later.xlsx"
cmp -s "$T/region-en.xlsx" "$T/later.xlsx" && fail "SOURCE_DATE_EPOCH is not in the file"

# --out DIR names the file; the language spelling is forgiven
run_vsp outdir workbook --db "$db" --country al --period 2026q3 --lang sr-latn --out "$T/dir"
expect_eq "--out exit" "$rc" 0
[ -f "$T/dir/AL-2026Q3-sr-Latn.xlsx" ] || fail "--out: $(ls "$T/dir")"
run_vsp outreg workbook --db "$db" --country region --period 2026Q3 --out "$T/dir"
[ -f "$T/dir/regional-2026Q3-en.xlsx" ] || fail "--out region: $(ls "$T/dir")"

# errors
run_vsp help workbook --help
expect_eq "--help" "$rc" 0
expect_contains "--help" "$T/help.out" "Usage: vspreport workbook"
run_vsp e1 workbook --db "$db" --country FR --period 2026Q3 -o "$T/x.xlsx"
expect_eq "bad country" "$rc" 64
expect_contains "bad country" "$T/e1.err" "'FR' is not AL BA ME MK RS XK or region"
run_vsp e2 workbook --db "$db" --country AL --period 2026Q3 --lang de -o "$T/x.xlsx"
expect_eq "bad language" "$rc" 64
run_vsp e3 workbook --db "$db" --country AL --period 2026Q9 -o "$T/x.xlsx"
expect_eq "bad period" "$rc" 64
run_vsp e4 workbook --db "$db" --country AL --period 2027Q1 -o "$T/x.xlsx"
expect_eq "not aggregated" "$rc" 65
expect_contains "not aggregated" "$T/e4.err" "vspreport aggregate --period 2027Q1"
run_vsp e5 workbook --db "$T/none.db" --country AL --period 2026Q3 -o "$T/x.xlsx"
expect_eq "no warehouse" "$rc" 66
run_vsp e6 workbook --db "$db" --country AL --period 2026Q3 -o "$T/no/such/dir/x.xlsx"
expect_eq "cannot create" "$rc" 73
run_vsp e7 workbook --db "$db" --country AL --period 2026Q3
expect_eq "no output" "$rc" 64
SOURCE_DATE_EPOCH=yesterday run_vsp e8 workbook --db "$db" --country AL --period 2026Q3 -o "$T/x.xlsx"
expect_eq "bad SOURCE_DATE_EPOCH" "$rc" 64
# a failed run leaves an earlier file as it was, and no temporary file
printf 'old' >"$T/keep.xlsx"
run_vsp e9 workbook --db "$db" --country AL --period 2027Q1 -o "$T/keep.xlsx"
expect_eq "kept" "$(cat "$T/keep.xlsx")" "old"
[ -e "$T/x.xlsx" ] && fail "a failed run left x.xlsx"
leftover=$(find "$T" -name '.*.vsptmp-*' | head -3)
expect_eq "temporary files left" "$leftover" ""
finish
