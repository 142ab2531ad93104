# `vspreport export` end to end on the bundled samples plus crafted cases
# full of personal data and formula-like text (case ids, labels, notes):
#   tests/check_kanon.py traces every row back to its case in the warehouse
#     in Python (pseudonyms with hmac; each value the case's own, its
#     quarter or "*"; whole hours) and checks k-anonymity with "*" as a
#     value of its own, the CSV (BOM, CRLF, RFC 4180, no cell that a
#     spreadsheet would run), the dictionary's roles, the XLSX rows, numbers
#     and dates, and the anonymisation report; and the issue's goals on the
#     samples, from the release alone: >= 95 % of the cases released, every
#     category with k cases present, every country's action rate within
#     2 points of the published one (`vspreport stats`);
#   tests/check_pii.py finds no personal datum in any file or zip part;
#   the same warehouse, key and SOURCE_DATE_EPOCH give the same bytes; a
#   random key gives other pseudonyms and the dictionary says so;
#   usage errors, exit codes, and no file left behind by a failure.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
export SOURCE_DATE_EPOCH=1767225600
KEY=0123456789abcdef-test-key-of-32-bytes
unset VSP_EXPORT_KEY

for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  run_vsp "ingest-$reg" ingest -q --db "$db" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" "$dir"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
sql "$db" "INSERT INTO case_record(country, case_id, platform, item_kind, content_url, content_key,
    category_id, national_label, legal_basis, received_ts, received_day, received_prec,
    decided_ts, decided_prec, decision_id, channel_id, reporter_name, reporter_email,
    reporter_phone, account_handle, notes, first_run, first_line, last_run, last_line, seen_run,
    row_hash)
  SELECT 'AL', '=HYPERLINK(\"http://evil.example/x\",\"click\")-' || n,
    'tiktok', 'account', 'https://vm.tiktok.com/ZMcraftedQ7/', 'tiktok:short:ZMcraftedQ7', 4,
    '@SUM(1+1)*cmd|'' /C calc''!A0', '-2+3+cmd|'' /C calc''!A0',
    unixepoch('2026-08-12 10:00:00'), 20260812, 2, unixepoch('2026-08-12 10:00:00') + 1799 + n,
    2, 2, 1, 'Zqxvb Crafted-Person', 'crafted.person+pii@example.net', '+381 64 555 0199',
    'crafted_handle_q7', '=cmd|'' /C calc''!A0 PII-NOTE-Zx91 call me at home',
    1, 1, 1, 1, 1, 0
  FROM (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6);
  INSERT INTO case_key(content_key, country, case_id)
  SELECT content_key, country, case_id FROM case_record WHERE case_id LIKE '=HYPERLINK%';"
crafted=(--extra "Zqxvb Crafted-Person" --extra "crafted.person+pii@example.net" --extra "crafted_handle_q7"
  --extra "PII-NOTE-Zx91 call me at home" --extra "ZMcraftedQ7" --extra "evil.example" --extra "+381 64 555 0199")

kanon() { # kanon DIR K GRAIN [KEY [more options]]
  local dir=$1 k=$2 grain=$3 key=${4:-}
  shift 3; [ $# -gt 0 ] && shift
  $PY "$SRC/tests/check_kanon.py" --dir "$dir" --db "$db" --period 2026Q3 --k "$k" --grain "$grain" \
    ${key:+--key "$key"} "$@" >"$dir.check" 2>&1 || fail "check_kanon $dir: $(tail -5 "$dir.check")"
}

# k = 5, month grain, the key from the environment
VSP_EXPORT_KEY=$KEY run_vsp e5 export --db "$db" --period 2026Q3 --out "$T/k5"
expect_eq "export" "$rc" 0
expect_contains "summary" "$T/e5.err" "k = 5, achieved"
for f in research-2026Q3.xlsx research-2026Q3.csv research-2026Q3-dictionary.csv research-2026Q3-anonymisation.md; do
  [ -f "$T/k5/$f" ] || fail "missing $f"
done
run_vsp stats stats --db "$db" --period 2026Q3 --format csv
expect_eq "stats" "$rc" 0
kanon "$T/k5" 5 month "$KEY" --goals --stats "$T/stats.out"
expect_contains "goals met" "$T/k5.check" "goals: "
# the crafted cases made it (six alike), pseudonymised, their text nowhere
expect_eq "crafted rows" "$(grep -c ',AL,2026-08,month,2026-08-01,2026-08-31,hate,[A-Z_]*,no_violation,,web_form,' "$T/k5/research-2026Q3.csv")" \
  "$(sql "$db" "SELECT count(*) FROM case_record WHERE country = 'AL' AND received_day / 100 = 202608 AND category_id = 4 AND decision_id = 2 AND channel_id = 1")"
$PY "$SRC/tests/check_pii.py" --db "$db" --labels "${crafted[@]}" "$T/k5" >"$T/pii.txt" 2>&1 ||
  fail "personal data in the export: $(head -5 "$T/pii.txt")"
# no cell of any CSV starts a formula (the dictionary and the data)
$PY - "$T/k5" <<'PY' || fail "a CSV cell would run as a formula"
import csv, glob, sys
bad = [(f, c) for f in glob.glob(sys.argv[1] + "/*.csv")
       for row in csv.reader(open(f, encoding="utf-8-sig", newline="")) for c in row
       if c and c[0] in "=+-@\t\r"]
print(bad[:3]) if bad else None
sys.exit(1 if bad else 0)
PY
expect_contains "dictionary" "$T/k5/research-2026Q3-dictionary.csv" "given by the publisher (the environment variable VSP_EXPORT_KEY"

# the same inputs: the same bytes
VSP_EXPORT_KEY=$KEY run_vsp again export -q --db "$db" --period 2026Q3 --out "$T/again"
expect_eq "again" "$rc" 0
for f in research-2026Q3.xlsx research-2026Q3.csv research-2026Q3-dictionary.csv research-2026Q3-anonymisation.md; do
  cmp -s "$T/k5/$f" "$T/again/$f" || fail "$f differs between two runs"
done
# the rows sorted in runs of 3 (VSP_EXPORT_SORT_RUN): merged back, and runs
# merged into one every 64, to the same bytes
VSP_EXPORT_KEY=$KEY VSP_EXPORT_SORT_RUN=3 run_vsp runs3 export -q --db "$db" --period 2026Q3 --out "$T/runs3"
expect_eq "runs of 3" "$rc" 0
for f in research-2026Q3.xlsx research-2026Q3.csv research-2026Q3-dictionary.csv research-2026Q3-anonymisation.md; do
  cmp -s "$T/k5/$f" "$T/runs3/$f" || fail "$f differs when the rows are sorted in runs of 3"
done
# the key from a file (a trailing newline is not part of it) gives the same rows
printf '%s\n' "$KEY" >"$T/key"
chmod 600 "$T/key"
run_vsp keyfile export -q --db "$db" --period 2026Q3 --out "$T/keyfile" --key-file "$T/key"
expect_eq "key file" "$rc" 0
cmp -s "$T/k5/research-2026Q3.csv" "$T/keyfile/research-2026Q3.csv" || fail "--key-file and VSP_EXPORT_KEY differ"
expect_eq "key file warning" "$(cat "$T/keyfile.err")" ""

# quarter grain, k = 3, CSV only; a split workbook
VSP_EXPORT_KEY=$KEY run_vsp q3 export -q --db "$db" --period 2026Q3 --out "$T/q3" --k 3 --date-grain quarter
expect_eq "quarter" "$rc" 0
kanon "$T/q3" 3 quarter "$KEY"
VSP_EXPORT_KEY=$KEY run_vsp split export -q --db "$db" --period 2026Q3 --out "$T/split" --k 2 --rows-per-sheet 1000
expect_eq "split" "$rc" 0
kanon "$T/split" 2 month "$KEY"
expect_eq "split sheets" "$($PY -c '
import openpyxl, sys
print(sum(n.startswith("Cases") for n in openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames))' \
  "$T/split/research-2026Q3.xlsx")" \
  "$($PY -c 'import sys; n = sum(1 for _ in open(sys.argv[1], encoding="utf-8-sig")) - 1; print((n + 999) // 1000)' \
  "$T/split/research-2026Q3.csv")"
VSP_EXPORT_KEY=$KEY run_vsp csvonly export -q --db "$db" --period 2026Q3 --out "$T/csvonly" --format csv --name data
expect_eq "csv only" "$(ls "$T/csvonly" | tr '\n' ' ')" "data-anonymisation.md data-dictionary.csv data.csv "

# a random key: other pseudonyms, and the dictionary says so
run_vsp rnd export --db "$db" --period 2026Q3 --out "$T/rnd"
expect_eq "random" "$rc" 0
expect_contains "random note" "$T/rnd.err" "random key for this export only"
expect_contains "random dictionary" "$T/rnd/research-2026Q3-dictionary.csv" "random and used for this export only"
expect_eq "random pseudonyms" "$(tail -n +2 "$T/rnd/research-2026Q3.csv" | cut -d, -f1 | sort |
  comm -12 - <(tail -n +2 "$T/k5/research-2026Q3.csv" | cut -d, -f1 | sort) | wc -l)" 0
kanon "$T/rnd" 5 month

# errors
run_vsp help export --help
expect_eq "--help" "$rc" 0
run_vsp x1 export --db "$db" --period 2026Q3 --out "$T/x" --k 0
expect_eq "--k 0" "$rc" 64
run_vsp x2 export --db "$db" --period 2026Q3 --out "$T/x" --date-grain week
expect_eq "--date-grain week" "$rc" 64
VSP_EXPORT_KEY=short run_vsp x3 export --db "$db" --period 2026Q3 --out "$T/x"
expect_eq "short key" "$rc" 64
expect_contains "short key" "$T/x3.err" "at least 32"
run_vsp x4 export --db "$db" --period 2026Q3 --out "$T/x" --key-file "$T/no-key"
expect_eq "no key file" "$rc" 66
run_vsp x5 export --db "$T/none.db" --period 2026Q3 --out "$T/x"
expect_eq "no warehouse" "$rc" 66
run_vsp x6 export --db "$db" --period 2026Q3 --out /proc/vsp-no
expect_eq "cannot create" "$rc" 73
run_vsp x7 export --db "$db" --period 2026Q3
expect_eq "no --out" "$rc" 64
chmod 644 "$T/key"
run_vsp x8 export -q --db "$db" --period 2026Q3 --out "$T/x8" --key-file "$T/key"
expect_contains "readable key warning" "$T/x8.err" "can be read by others"
[ -e "$T/x" ] && [ -n "$(ls -A "$T/x")" ] && fail "a failed export left files: $(ls -A "$T/x")"
expect_eq "temporary files left" "$(find "$T" -name '.*.vsptmp-*' | head -3)" ""
finish
