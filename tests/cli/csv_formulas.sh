# Text a spreadsheet would run, in a field that is really published: the
# label column of a chart's CSV comes from the translation catalogue, which
# translators edit without touching C.  A catalogue whose funnel stage
# labels start with = + - @ (tests/data/render-fixture.csv through
# `chart funnel`) must give a CSV whose label cells are those texts with a
# leading apostrophe — present, neutralised, and not one cell that would
# start a formula.  (Switch the neutralisation in charts/surface.c off and
# this fails.)
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run_vsp ingest ingest --db "$db" --profile "$D/render.ini" "$D/render-fixture.csv"
expect_eq "ingest" "$rc" 0
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0

# a catalogue with the four stage labels of Albanian made into formulas
mkdir -p "$T/po"
cp "$SRC"/po/*.po "$T/po/"
$PY - "$T/po/sq.po" <<'PY' || fail "could not craft the catalogue"
import re, sys
path = sys.argv[1]
po = open(path, encoding="utf-8").read()
evil = {"Received": '=HYPERLINK(\\"http://evil.example/x\\",\\"click\\")',
        "Assessed": "+1+2+cmd|' /C calc'!A0",
        "Forwarded to the platform": "-2+3+cmd|' /C calc'!A0",
        "Actioned by the platform": "@SUM(1+1)*cmd|' /C calc'!A0"}
for msgid, text in evil.items():
    rx = re.compile(r'(msgctxt "stage"\nmsgid "%s"\nmsgstr )"(?:[^"\\]|\\.)*"' % re.escape(msgid))
    po, n = rx.subn(lambda m: m.group(1) + '"%s"' % text, po)
    if n != 1:
        sys.exit("stage %r: %d entries" % (msgid, n))
open(path, "w", encoding="utf-8").write(po)
PY
VSP_PO_DIR="$T/po" run_vsp funnel chart funnel --db "$db" --country AL --period 2026Q3 --lang sq \
  --format svg -o "$T/funnel.svg"
expect_eq "chart" "$rc" 0
[ -f "$T/funnel.csv" ] || fail "no CSV beside the chart: $(ls "$T")"
$PY - "$T/funnel.csv" <<'PY' >"$T/csv-check.txt" 2>&1 || fail "chart CSV: $(cat "$T/csv-check.txt")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
labels = {r["key"]: r["label"] for r in rows}
want = {"received": "'=HYPERLINK(\"http://evil.example/x\",\"click\")",
        "assessed": "'+1+2+cmd|' /C calc'!A0",
        "forwarded": "'-2+3+cmd|' /C calc'!A0",
        "actioned": "'@SUM(1+1)*cmd|' /C calc'!A0"}
bad = 0
for k, v in want.items():
    if labels.get(k) != v:
        print("label of %s is %r, want the neutralised %r" % (k, labels.get(k), v))
        bad += 1
cells = [c for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")) for c in r]
run = [c for c in cells if c and c[0] in "=+-@\t\r"]
if run:
    print("cells a spreadsheet would run: %r" % run[:3])
    bad += 1
sys.exit(1 if bad else 0)
PY
finish
