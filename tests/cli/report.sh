# `vspreport report` end to end on the bundled samples: the regional edition
# and per-regulator reports in every language, each checked from the outside
# by report_pdf_check.py (qpdf --check, pdfinfo metadata and page count,
# pdffonts all embedded, pdftotext key figures equal to `vspreport stats
# --format csv` for the period and the one before, text in the report's
# language and script, an outline entry for every section leading to its
# page, table-of-contents links resolving to the pages they print, /Lang,
# alternative text on every figure, no blank page); byte-identical reruns;
# letter paper; errors and their exit codes; no half-written file left.
. "$(dirname "$0")/lib/common.sh"
CHECK=$SRC/tests/cli/report_pdf_check.py
db=$T/w.db
export SOURCE_DATE_EPOCH=1791331200 # 2026-10-07T00:00:00Z
# fontconfig keeps a cache for the life of the process: not our leak (its
# release, cairo_debug_reset_static_data + FcFini, can abort while Pango
# still holds fonts, so the binary does not attempt it)
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  [ -f "$SRC/profiles/$reg.ini" ] || continue
  "$VSP" ingest --db "$db" --profile "$SRC/profiles/$reg.ini" "$dir"*.csv >/dev/null 2>&1 ||
    fail "ingest $reg"
done
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate exit status" "$rc" 0
run_vsp stats3 stats --db "$db" --period 2026Q3 --format csv --no-aggregate
expect_eq "stats exit status" "$rc" 0
run_vsp stats2 stats --db "$db" --period 2026Q2 --format csv --no-aggregate
expect_eq "stats (previous period) exit status" "$rc" 0
# counts and rates are compared with the previous period at the same lag
run_vsp lag stats --db "$db" --period 2026Q3 --format csv --same-lag --no-aggregate
expect_eq "stats --same-lag exit status" "$rc" 0

check_pdf() { # FILE COUNTRY LANG
  if ! qpdf --check "$1" >"$T/qpdf.out" 2>&1; then
    fail "qpdf --check $1"
    sed 's/^/    /' "$T/qpdf.out" >&2
  fi
  if ! $PY "$CHECK" "$1" "$2" "$3" "$T/stats3.out" "$T/stats2.out" "$SOURCE_DATE_EPOCH" "$T/lag.out" >"$T/check.out" 2>&1; then
    fail "report_pdf_check $1"
    sed 's/^/    /' "$T/check.out" >&2
  fi
}

# the regional edition and one report per regulator, across all languages
for spec in region:en AL:sq RS:sr MK:mk BA:bs ME:cnr XK:sr-Latn region:sr; do
  cc=${spec%%:*}
  lang=${spec#*:}
  out=$T/$cc-2026Q3-$lang.pdf
  run_vsp "report-$cc-$lang" report --db "$db" --country "$cc" --period 2026Q3 --lang "$lang" -o "$out"
  expect_eq "report $cc $lang exit status" "$rc" 0
  [ -s "$T/report-$cc-$lang.out" ] && fail "report $cc $lang wrote to stdout"
  check_pdf "$out" "$cc" "$lang"
done

# reproducible: the same inputs and epoch give the same bytes
run_vsp again report --db "$db" --country AL --period 2026Q3 --lang sq -o "$T/again.pdf"
cmp -s "$T/AL-2026Q3-sq.pdf" "$T/again.pdf" || fail "two runs differ (AL sq)"
run_vsp again2 report --db "$db" --country region --period 2026Q3 --lang en -o "$T/again2.pdf"
cmp -s "$T/region-2026Q3-en.pdf" "$T/again2.pdf" || fail "two runs differ (region en)"

# letter paper (the shorter page splits the key figures table: its note
# takes the last rows along to the next page)
run_vsp letter report --db "$db" --country region --period 2026Q3 --lang mk --paper letter -o "$T/letter.pdf"
expect_eq "letter exit status" "$rc" 0
pdfinfo "$T/letter.pdf" >"$T/letter.info"
expect_contains "letter page size" "$T/letter.info" "612 x 792 pts (letter)"
check_pdf "$T/letter.pdf" region mk

# a logo on the cover (the only bitmap in the file; charts stay vectors)
$PY -c 'from PIL import Image; Image.new("RGB", (240, 96), (11, 79, 138)).save("'"$T"'/logo.png")'
run_vsp logo report --db "$db" --country ME --period 2026Q3 --lang cnr --logo "$T/logo.png" -o "$T/logo.pdf"
expect_eq "logo exit status" "$rc" 0
expect_eq "images in the PDF" "$(pdfimages -list "$T/logo.pdf" | tail -n +3 | wc -l)" 1
expect_eq "images in a PDF without logo" "$(pdfimages -list "$T/ME-2026Q3-cnr.pdf" | tail -n +3 | wc -l)" 0

# errors: usage, missing warehouse, not aggregated, unwritable output
run_vsp bad-country report --db "$db" --country HR --period 2026Q3 -o "$T/x.pdf"
expect_eq "unknown country" "$rc" 64
expect_contains "unknown country message" "$T/bad-country.err" "unknown country 'HR'"
run_vsp bad-lang report --db "$db" --country AL --period 2026Q3 --lang de -o "$T/x.pdf"
expect_eq "unknown language" "$rc" 64
run_vsp bad-paper report --db "$db" --country AL --period 2026Q3 --paper a5 -o "$T/x.pdf"
expect_eq "unknown paper" "$rc" 64
run_vsp no-output report --db "$db" --country AL --period 2026Q3
expect_eq "no -o" "$rc" 64
run_vsp no-db report --db "$T/none.db" --country AL --period 2026Q3 -o "$T/x.pdf"
expect_eq "missing warehouse" "$rc" 66
run_vsp not-aggregated report --db "$db" --country AL --period 2024H1 --no-aggregate -o "$T/x.pdf"
expect_eq "not aggregated" "$rc" 65
expect_contains "not aggregated message" "$T/not-aggregated.err" "run vspreport aggregate --period 2024H1 first"
run_vsp bad-logo report --db "$db" --country AL --period 2026Q3 --logo "$T/none.png" -o "$T/x.pdf"
expect_eq "unreadable logo" "$rc" 66
run_vsp no-dir report --db "$db" --country AL --period 2026Q3 -o "$T/no/such/dir/x.pdf"
expect_eq "unwritable output" "$rc" 73
[ -e "$T/x.pdf" ] && fail "a failed run left $T/x.pdf"
leftovers=$(find "$T" -name '*.vsptmp-*' | head -3)
[ -n "$leftovers" ] && fail "temporary files left: $leftovers"
run_vsp help report --help
expect_eq "--help exit status" "$rc" 0
expect_contains "--help" "$T/help.out" "Usage: vspreport report"

finish
