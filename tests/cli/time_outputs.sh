# What reports, charts and workbooks say about how current and how precise
# their figures are (DESIGN section 5), on the hand-made warehouse
# tests/data/time-fixture.sql; every figure below is worked out by hand in
# tests/unit/test_time.c:
#   AL as of 3 Oct 2026 (latest event), ME as of 10 Oct (stated), the region
#   as of 3 Oct, AL's; 2026Q3 provisional for all; AL's 2026Q2 at the same
#   lag (3 days): received 5, assessed 3, forwarded 3, actioned 2, pending 1,
#   action rate 2/2 = 100.0 %; AL 2026Q3: assessed 5 (+66.7 %), action rate
#   3/4 = 75.0 % (-25.0 pp; over 4 items: fewer than 20, marked);
#   ME records dates only: time to action 0 and 3 days, median 1.5 days.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
rm -f "$db"
for f in "$SRC"/queries/[0-9][0-9][0-9][0-9]_*.sql; do
  sqlite3 "$db" <"$f"
  v=$(basename "$f" | cut -c1-4 | sed 's/^0*//')
done
sqlite3 "$db" "PRAGMA user_version = $v;"
sqlite3 "$db" <"$SRC/tests/data/time-fixture.sql"
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0

# the report of AL
run_vsp rep report --db "$db" --country AL --period 2026Q3 --lang en -o "$T/al.pdf"
expect_eq "report exit" "$rc" 0
pdftotext -layout "$T/al.pdf" "$T/al.txt"
expect_contains "cover: data as of" "$T/al.txt" "Data as of"
expect_contains "cover: the date" "$T/al.txt" "3 Oct 2026"
if grep -q "Data freeze" "$T/al.txt"; then fail "the report still speaks of a data freeze"; fi
expect_contains "provisional table" "$T/al.txt" "Key figures, Q3 2026 (provisional)"
expect_contains "same-lag column" "$T/al.txt" "same lag"
tr -s ' ' <"$T/al.txt" >"$T/al1.txt"
expect_contains "assessed at the same lag" "$T/al1.txt" "Reports assessed 5 3 +66.7%"
expect_contains "action rate, small base" "$T/al1.txt" "Action rate 75.0% † 100.0%"
expect_contains "small-base footnote" "$T/al1.txt" "† A rate over fewer than 20 cases"
expect_contains "same-lag note" "$T/al1.txt" "as its cases stood 3 days after its end"
expect_contains "methodology" "$T/al1.txt" "Period and how current the data are"

# ME: dates only -> days, said so
run_vsp me report --db "$db" --country ME --period 2026Q3 --lang en -o "$T/me.pdf"
expect_eq "ME report exit" "$rc" 0
pdftotext -layout "$T/me.pdf" - | tr -s ' ' >"$T/me.txt"
expect_contains "ME tile in days" "$T/me.txt" "1.5 days"
expect_contains "ME timeliness in days" "$T/me.txt" "No times of day are recorded here"
expect_contains "ME as of" "$T/me.txt" "10 Oct 2026"

# the region: as of the earliest, named
run_vsp reg report --db "$db" --country region --period 2026Q3 --lang en -o "$T/reg.pdf"
expect_eq "region report exit" "$rc" 0
pdftotext -layout "$T/reg.pdf" - | tr -s ' ' >"$T/reg.txt"
expect_contains "region as of" "$T/reg.txt" "3 Oct 2026 (the earliest regulator: AMA)"
expect_contains "hours pooled" "$T/reg.txt" "Hours pool the regulators that record times of day (AMA)"

# chart footers: each chart its base, the date the data are as of
chart() { # ID COUNTRY -> $T/ID-COUNTRY.txt
  run_vsp "c-$1-$2" chart "$1" --db "$db" --country "$2" --period 2026Q3 --lang en --format pdf -o "$T/$1-$2.pdf"
  expect_eq "chart $1 $2" "$rc" 0
  pdftotext "$T/$1-$2.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/$1-$2.txt"
}
chart timeliness ME
expect_contains "ME timeliness base" "$T/timeliness-ME.txt" "n = 2 actioned items with dates; whole days"
expect_contains "ME as of" "$T/timeliness-ME.txt" "Data as of 10 Oct 2026"
expect_contains "provisional" "$T/timeliness-ME.txt" "provisional: outcomes still arriving"
chart timeliness region
expect_contains "region timeliness: hours of AL" "$T/timeliness-region.txt" "n = 3 actioned items timed to the hour (AMA)"
expect_contains "region as of" "$T/timeliness-region.txt" "Data as of 3 Oct 2026 (earliest: AMA)"
chart outcomes AL
expect_contains "outcomes base" "$T/outcomes-AL.txt" "n = 4 forwarded items with a final outcome"
chart trend AL
expect_contains "trend base" "$T/trend-AL.txt" "8 periods; hollow points: provisional periods"
grep -q "reports received" "$T/outcomes-AL.txt" && fail "the outcomes chart claims reports received as its base"

# A Cyrillic edition names the regulators in its own script where it says
# whose date the region is as of and whose hours it pools: AMA is АМА in
# both languages (po/sr.po, po/mk.po, context "regulator").  The report's
# text and the chart's SVG text (its <text> elements) are read with the
# lines joined, since a phrase may wrap.  latin_codes lists any
# parenthesis naming regulators by Latin country code ("(AL)",
# "(earliest: AL, XK)"), which must be none.
latin_codes() {
  grep -oE '\(([^()]*: )?(AL|BA|ME|MK|RS|XK)(, ?(AL|BA|ME|MK|RS|XK))*\)' "$1"
}
svg_text() {
  grep -o '<text[^>]*>[^<]*</text>' "$1" | sed 's/<[^>]*>//g' | tr '\n' ' ' | tr -s ' '
}
for lang in sr mk; do
  run_vsp "reg-$lang" report --db "$db" --country region --period 2026Q3 --lang $lang -o "$T/reg-$lang.pdf"
  expect_eq "region report $lang" "$rc" 0
  pdftotext "$T/reg-$lang.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/reg-$lang.txt"
  run_vsp "c-time-$lang" chart timeliness --db "$db" --country region --period 2026Q3 --lang $lang --format svg -o "$T/time-$lang.svg"
  expect_eq "timeliness chart $lang" "$rc" 0
  svg_text "$T/time-$lang.svg" >"$T/time-$lang.txt"
  for f in "$T/reg-$lang.txt" "$T/time-$lang.txt"; do
    latin_codes "$f" >"$f.codes"
    [ -s "$f.codes" ] && fail "$lang: regulators named by Latin country code in $(basename "$f"): $(tr '\n' ' ' <"$f.codes")"
  done
done
expect_contains "sr report: as of" "$T/reg-sr.txt" "(најранији регулатор: АМА)"
expect_contains "sr report: hours pooled" "$T/reg-sr.txt" "време у дану (АМА); дани"
expect_contains "sr chart: as of" "$T/time-sr.txt" "(најранији: АМА)"
expect_contains "sr chart: hours pooled" "$T/time-sr.txt" "n = 3 ставки са мером, с временом на сат (АМА)"
expect_contains "mk report: as of" "$T/reg-mk.txt" "(најраниот регулатор: АМА)"
expect_contains "mk report: hours pooled" "$T/reg-mk.txt" "време во денот (АМА); деновите"
expect_contains "mk chart: hours pooled" "$T/time-mk.txt" "со време на час (АМА)"
# the check itself finds a Latin code where one is
printf 'x (AL) y (најранији: AL, XK) z (АМА)\n' >"$T/planted.txt"
expect_eq "latin_codes on a planted text" "$(latin_codes "$T/planted.txt" | tr '\n' ' ')" "(AL) (најранији: AL, XK) "

# the workbook's About sheet
run_vsp wb workbook --db "$db" --country region --period 2026Q3 --lang en -o "$T/reg.xlsx"
expect_eq "workbook exit" "$rc" 0
expect_eq "about" "$($PY - "$T/reg.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["About"]
rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
print(rows["Data as of"].date(), rows["Data as of: the earliest regulator"], rows["Provisional"])
PY
)" "2026-10-03 AMA yes: outcomes are still arriving"
finish
