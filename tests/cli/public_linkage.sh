# No public output of `vspreport run` undoes the research export (issue 16
# §2).  The export's content pseudonyms link an item's reports across
# countries; the cross-border lists of the PDF reports and workbooks used
# to give each such item with its countries, category and first day, which
# dated the linked rows to the day.  tests/check_linkage.py joins every
# public output (workbook cells, English PDF text, chart CSV tables) with
# the export and fails if one pins a cross-border item to a day or to a
# group of fewer than k items.  A crafted workbook row shows that the
# check catches both.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/mk-avmu" "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
O=$T/out

run_vsp run run --in "$in" --out "$O" --period 2026Q3 --profiles "$SRC/profiles"
expect_eq "run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/run.err" >&2
# the export holds cross-border items to protect (items of MK and XK)
n=$($PY - "$O/public/export/research-2026Q3.csv" <<'PY'
import csv, collections, sys
c = collections.defaultdict(set)
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    if r["content_pseudonym"]:
        c[r["content_pseudonym"]].add(r["country"])
print(sum(len(v) > 1 for v in c.values()))
PY
)
[ "${n:-0}" -gt 0 ] || fail "no cross-border item in the export: nothing to test"

$PY "$SRC/tests/check_linkage.py" --public "$O/public" --k 5 >"$T/link.out" 2>&1 ||
  fail "a public output pins the export's cross-border items: $(head -8 "$T/link.out")"

# The check can fail: a workbook row dating one MK-XK item to the day, and
# one giving a group of 2.
$PY - "$O/public/workbooks/zz-crafted.xlsx" <<'PY'
import datetime, openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Item", "Category", "Countries", "Number of countries", "First received"])
ws.append([1, "Hate speech", "MK,XK", 2, datetime.datetime(2026, 8, 29)])
ws.append(["Hate speech", "MK,XK", 2, 2])
wb.save(sys.argv[1])
PY
rc=0
$PY "$SRC/tests/check_linkage.py" --public "$O/public" --k 5 >"$T/crafted.out" 2>&1 || rc=$?
expect_eq "crafted rows caught" "$rc" 1
expect_contains "a day caught" "$T/crafted.out" "zz-crafted.xlsx [Sheet] row 2: gives a day for the cross-border items of MK,XK"
expect_contains "a small group caught" "$T/crafted.out" "zz-crafted.xlsx [Sheet] row 3: a group of 2 item(s) of MK,XK, fewer than k = 5"
finish
