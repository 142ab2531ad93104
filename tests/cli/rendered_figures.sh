# The figures a reader sees, against a hand-worked quarter, found by label:
# tests/data/render-fixture.csv (its comment lines work out every figure
# by hand: "# expect NAME = VALUE") goes through `report`, `workbook` and
# `chart funnel` in English, Serbian (Cyrillic) and Albanian, and
# tests/check_rendered.py finds each figure beside its label as po/<lang>.po
# has it at test time — the PDF's headline tiles, Table 1, the funnel table,
# the timeliness table and the opening sentence (pdftotext), the funnel
# chart's value labels
# (SVG <text>), the workbook's cells (openpyxl) — so a figure printed
# against the wrong label fails, whatever the layout or the wording.
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z
export VSP_PO_DIR="$SRC/po"
# fontconfig keeps a cache for the life of the process: not our leak
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run_vsp ingest ingest --db "$db" --profile "$D/render.ini" "$D/render-fixture.csv"
expect_eq "ingest" "$rc" 0
expect_contains "all twelve rows" "$T/ingest.out" "rows read 12 = new 12"
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0

for lang in en sr sq; do
  run_vsp "report-$lang" report --db "$db" --country AL --period 2026Q3 --lang "$lang" -o "$T/r-$lang.pdf"
  expect_eq "report $lang" "$rc" 0
  run_vsp "workbook-$lang" workbook --db "$db" --country AL --period 2026Q3 --lang "$lang" -o "$T/w-$lang.xlsx"
  expect_eq "workbook $lang" "$rc" 0
  run_vsp "funnel-$lang" chart funnel --db "$db" --country AL --period 2026Q3 --lang "$lang" \
    --format svg -o "$T/f-$lang.svg"
  expect_eq "chart funnel $lang" "$rc" 0
  $PY "$SRC/tests/check_rendered.py" --fixture "$D/render-fixture.csv" --po-dir "$SRC/po" \
    --lang "$lang" --pdf "$T/r-$lang.pdf" --xlsx "$T/w-$lang.xlsx" --funnel-svg "$T/f-$lang.svg" \
    >"$T/check-$lang.txt" 2>&1 || fail "rendered figures ($lang):
$(cat "$T/check-$lang.txt")"
done
finish
