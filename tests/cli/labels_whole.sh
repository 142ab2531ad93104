# No label is ever cut (issue 17): the whole chart catalogue in all seven
# languages (SVG, whose labels are <text>) and every report of a sample
# `run` (pdftotext) hold no "…" — the catalogues have none, so any would be
# one the code inserted to shorten a label.  Also: every chart CSV starts
# with a UTF-8 byte order mark.
. "$(dirname "$0")/lib/common.sh"
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export SOURCE_DATE_EPOCH=1791331200

# the catalogues themselves: no ellipsis, so the check below can only find
# one that the code made
n=$(cat "$SRC"/po/*.po | grep -c '…')
expect_eq "ellipses in the catalogues" "$n" 0

run_vsp run run --in "$SRC/samples" --out "$T/out" --period 2026Q3
expect_eq "run exit status" "$rc" 0
run_vsp charts charts --db "$T/out/warehouse.db" --period 2026Q3 --out "$T/cat" --format svg -q
expect_eq "charts exit status" "$rc" 0

n_svg=$(find "$T/cat" -name '*.svg' | wc -l)
# six countries x 5 charts + the region's 9, in 7 languages
expect_eq "SVG charts" "$n_svg" $(((6 * 5 + 9) * 7))
cut=$(grep -l '…' $(find "$T/cat" "$T/out/charts" -name '*.svg') 2>/dev/null | head -5)
[ -n "$cut" ] && fail "charts with a cut label: $cut"
for f in $(find "$T/cat" "$T/out/charts" -name '*.svg' | head -3); do
  grep -q '<text' "$f" || fail "$f has no <text>: the check above would see nothing"
done

n_pdf=0
for f in "$T"/out/reports/*.pdf; do
  n_pdf=$((n_pdf + 1))
  pdftotext "$f" "$T/r.txt" || fail "pdftotext $f"
  [ -s "$T/r.txt" ] || fail "$f: no text"
  k=$(grep -o '…' "$T/r.txt" | wc -l)
  [ "$k" -eq 0 ] || fail "$(basename "$f"): $k labels cut short: $(grep '…' "$T/r.txt" | head -3 | tr '\n' '|')"
done
expect_eq "reports checked" "$n_pdf" 19

# chart CSVs: a BOM first, so Excel reads Cyrillic and "ë" as UTF-8
nobom=0
for f in $(find "$T/cat" "$T/out/charts" -name '*.csv'); do
  [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || nobom=$((nobom + 1))
done
expect_eq "chart CSVs without a BOM" "$nobom" 0
finish
