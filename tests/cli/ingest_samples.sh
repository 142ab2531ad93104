# All bundled samples through ingest, checked against an independent reader:
# bench/gen_cases.py --check reads every sample with its profile in Python
# (its own CSV, encoding, date and label code) and says what a reader must
# find — rows, duplicates, rejected lines, blank lines, cases per quarter.
# Then every case record against the generator's own model (not read
# through profiles/, so a wrong label mapping shows): tests/check_truth.py
# compares category, decision, outcome and each time with the *.truth
# files bench/gen_cases.py writes beside the samples.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  run_vsp "ingest-$reg" ingest --db "$db" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" "$dir"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
$PY "$SRC/bench/gen_cases.py" --check "$SRC/samples" --profiles "$SRC/profiles" >"$T/check.txt" 2>&1 ||
  fail "gen_cases.py --check failed: $(tail -3 "$T/check.txt")"
$PY - "$T/check.txt" "$db" <<'PY' || fail "warehouse disagrees with the independent reader"
import re, sqlite3, sys
check, db = open(sys.argv[1], encoding="utf-8").read(), sqlite3.connect(sys.argv[2])
bad = 0
def differ(what, got, want):
    global bad
    if got != want:
        bad += 1
        print(f"{what}: vspreport {got}, independent reader {want}")
files = 0
for block in re.split(r"\n(?=samples/|\S+/samples/)", check):
    m = re.match(r"(\S+\.csv):", block)
    if not m:
        continue
    name = m.group(1).rsplit("/", 1)[-1]
    r = re.search(r"rows (\d+) = ok (\d+) \+ duplicates (\d+) \+ rejected (\d+); blank (\d+)", block)
    want = tuple(int(x) for x in r.groups())
    row = db.execute("select id, rows_read, rows_new + rows_updated + rows_unchanged, rows_duplicate,"
                     " rows_rejected, blank_lines from ingest_run where file_name = ?", (name,)).fetchone()
    differ(f"{name} accounting", row[1:], want)
    lines = sorted(int(x) for x in re.findall(r"^\s+line (\d+):", block, re.M))
    got = [l for (l,) in db.execute("select line from reject where run_id = ? order by line", (row[0],))]
    differ(f"{name} rejected lines", got, lines)
    files += 1
for cc, quarters in re.findall(r"^\s+([A-Z]{2}) cases per quarter: (.*)$", check, re.M):
    for q, n in re.findall(r"(\d{4}Q\d) (\d+)", quarters):
        y, k = int(q[:4]), int(q[5])
        lo, hi = y * 10000 + (3 * k - 2) * 100, y * 10000 + 3 * k * 100 + 99
        got = db.execute("select count(*) from case_record where country = ? and received_day between ? and ?",
                         (cc, lo, hi)).fetchone()[0]
        differ(f"{cc} {q} cases", got, int(n))
if files != 12:
    bad += 1
    print(f"expected 12 sample files in the check output, found {files}")
sys.exit(1 if bad else 0)
PY
$PY "$SRC/tests/check_truth.py" "$db" "$SRC/samples" >"$T/truth.txt" 2>&1 ||
  fail "case records differ from the generator's model: $(tail -12 "$T/truth.txt")"
expect_eq "integrity" "$(sql "$db" "pragma integrity_check")" ok
finish
