# The research export's Cases rows, written by reports/xlsx_stream.h and
# deflated while they stream, unzip to exactly the XML libxlsxwriter writes
# for them: `vspreport export` with VSP_XLSX_STREAM=0 sends every cell
# through worksheet_write_string / worksheet_write_number as before, and
# tests/check_xlsx_parts.py (Python's zipfile) compares every part of the
# two workbooks — on the samples, and on a generated quarter of 50 000
# synthetic cases (bench/gen_cases.py) split over three Cases sheets by
# --rows-per-sheet 20000 (two full sheets and a part one: sheet
# boundaries, each sheet's last row, the dimension and autofilter of
# each).  The CSV is the same bytes either way; the streamed workbook's
# zip is not (its rows are deflated at level 1), so the comparison is of
# what a reader opens.  tests/check_kanon.py reads the streamed workbook
# back with openpyxl (every Cases row equal to the CSV's).
. "$(dirname "$0")/lib/common.sh"
export SOURCE_DATE_EPOCH=1767225600
export VSP_EXPORT_KEY=0123456789abcdef-test-key-of-32-bytes

# same_export NAME DB [options]: the export with and without the stream
same_export() {
  local what=$1 db=$2
  shift 2
  run_vsp "$what-stream" export -q --db "$db" --period 2026Q3 --out "$T/$what-stream" "$@"
  expect_eq "$what: export (stream)" "$rc" 0
  VSP_XLSX_STREAM=0 run_vsp "$what-lib" export -q --db "$db" --period 2026Q3 --out "$T/$what-lib" "$@"
  expect_eq "$what: export (libxlsxwriter)" "$rc" 0
  local a=$T/$what-lib/research-2026Q3 b=$T/$what-stream/research-2026Q3
  $PY "$SRC/tests/check_xlsx_parts.py" "$a.xlsx" "$b.xlsx" >"$T/$what.parts" 2>&1 ||
    fail "$what: the workbooks' parts differ: $(cat "$T/$what.parts")"
  cmp -s "$a.csv" "$b.csv" || fail "$what: the CSV differs"
  cmp -s "$a-anonymisation.md" "$b-anonymisation.md" || fail "$what: the report differs"
  # the stream did run (libxlsxwriter alone deflates the rows at level 6),
  # where this build has block deflate (it defines minizip's functions)
  if nm "$VSP" 2>/dev/null | grep -q ' T zipWriteInFileInZip$'; then
    cmp -s "$a.xlsx" "$b.xlsx" && fail "$what: the same zip bytes (was the stream used?)"
  fi
}

# the samples
sdb=$T/samples.db
for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  run_vsp "ingest-$reg" ingest -q --db "$sdb" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" "$dir"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
same_export samples "$sdb"

# 50 000 cases in 2026Q3, three Cases sheets
gdb=$T/gen.db
$PY "$SRC/bench/gen_cases.py" --rows 50000 --all --clean --quarters 2026Q3 --out "$T/gen" >"$T/gen.out" 2>&1 ||
  fail "gen_cases.py: $(tail -3 "$T/gen.out")"
for f in "$T"/gen/*.csv; do
  reg=$(basename "$f" .csv)
  run_vsp "ingest-gen-$reg" ingest -q --db "$gdb" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" "$f"
  expect_eq "ingest generated $reg" "$rc" 0
done
cases=$(sql "$gdb" "SELECT count(*) FROM case_record WHERE received_day BETWEEN 20260701 AND 20260930")
[ "$cases" -ge 50000 ] || fail "generated quarter: $cases cases, want 50000"
same_export gen "$gdb" --rows-per-sheet 20000
rows=$(($(wc -l <"$T/gen-stream/research-2026Q3.csv") - 1))
[ "$rows" -gt 40000 ] || fail "generated quarter: $rows rows released, want more than 40 000 (three sheets)"
$PY - "$T/gen-stream/research-2026Q3.xlsx" "$rows" >"$T/sheets.txt" 2>&1 <<'EOF' || fail "Cases sheets: $(cat "$T/sheets.txt")"
import sys, zipfile, re
path, rows = sys.argv[1], int(sys.argv[2])
with zipfile.ZipFile(path) as z:
    wb = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet name="([^"]*)"', wb)
    want = ["Cases", "Cases (2)", "Cases (3)", "Dictionary", "Anonymisation"]
    assert names == want, names
    for i, n in enumerate((20000, 20000, rows - 40000), start=1):
        xml = z.read(f"xl/worksheets/sheet{i}.xml").decode()
        dim = re.search(r'<dimension ref="([^"]*)"/>', xml).group(1)
        assert dim == f"A1:P{n + 1}", (i, dim)
        last = re.findall(r'<row r="(\d+)"', xml)[-1]
        assert int(last) == n + 1, (i, last)
        assert f'<autoFilter ref="A1:P{n + 1}"/>' in xml, i
print("three Cases sheets, dimensions and autofilters right")
EOF
$PY "$SRC/tests/check_kanon.py" --dir "$T/gen-stream" --db "$gdb" --period 2026Q3 --k 5 \
  --key "$VSP_EXPORT_KEY" >"$T/kanon.txt" 2>&1 || fail "check_kanon: $(tail -5 "$T/kanon.txt")"

finish
