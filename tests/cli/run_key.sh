# `vspreport run` without VSP_EXPORT_KEY makes its own pseudonym key (every
# other test sets one): a 64-hex-digit key file, mode 0600, kept out of
# every published output and the manifest; the research export is keyed
# with it (tests/check_kanon.py recomputes every pseudonym from the
# warehouse with that key); a later run with a new file keeps the key, so
# the same cases keep their pseudonyms.  Input: one regulator folder with
# the profile tests/data/render.ini and six cases alike (one k = 5 class).
. "$(dirname "$0")/lib/common.sh"
unset VSP_EXPORT_KEY
export SOURCE_DATE_EPOCH=1791417600
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
in=$T/in/al-test
mkdir -p "$in"
sed 's/^header_row = .*/header_row = 1/' "$SRC/tests/data/render.ini" >"$in/render.ini"
{
  echo "ID,Received,Category,Decision,Decided,Outcome,URL,Forwarded,Outcome date"
  for i in 1 2 3 4 5 6; do
    echo "K$i,0$i.08.2026 09:00,Piracy,No violation,0$i.08.2026 12:00,,https://www.tiktok.com/@k/video/720000000000000000$i,,"
  done
} >"$in/a-2026-10-01.csv"

run_vsp first run --in "$T/in" --out "$T/out" --period 2026Q3
expect_eq "run without VSP_EXPORT_KEY" "$rc" 0
keys=$(find "$T/out" -type f -name '*key*')
expect_eq "one key file" "$(printf '%s\n' "$keys" | grep -c .)" 1
key=$(printf '%s\n' "$keys" | head -1)
[ -n "$key" ] || { finish; }
expect_eq "key file mode" "$(stat -c %a "$key")" 600
grep -Eqx '[0-9a-f]{64}' "$key" || fail "the key is not 64 hex digits: $(head -c 80 "$key")"
k1=$(cat "$key")
grep -rlF -- "$k1" "$T/out" | grep -v -x -F "$key" | grep -q . && fail "the key appears in another file"
m=$(find "$T/out" -name manifest.json | head -1)
[ -n "$m" ] || fail "no manifest"
grep -q "$(basename "$key")" "$m" && fail "the key file is in the manifest"
csv=$(find "$T/out" -path '*/releases' -prune -o -name 'research-2026Q3.csv' -print | head -1)
db=$(find "$T/out" -name warehouse.db | head -1)
[ -n "$csv" ] && [ -n "$db" ] || fail "no research export or warehouse: $(find "$T/out" | head -20)"
expect_eq "released rows" "$(($(wc -l <"$csv") - 1))" 6
$PY "$SRC/tests/check_kanon.py" --dir "$(dirname "$csv")" --db "$db" --period 2026Q3 --k 5 \
  --grain month --key "$k1" >"$T/kanon.txt" 2>&1 || fail "export not keyed with $key: $(tail -5 "$T/kanon.txt")"
cut -d, -f1 "$csv" | tail -n +2 | sort >"$T/p1"

# a new export file arrives: the run redoes the export with the same key
sed 's/^K\([0-9]\),0\([0-9]\)\.08/L\1,1\2.08/' "$in/a-2026-10-01.csv" | sed '1s/^L.*//' >"$in/b-2026-10-08.csv"
sed -i '1s/.*/ID,Received,Category,Decision,Decided,Outcome,URL,Forwarded,Outcome date/' "$in/b-2026-10-08.csv"
run_vsp second run --in "$T/in" --out "$T/out" --period 2026Q3
expect_eq "second run" "$rc" 0
expect_eq "the key is kept" "$(cat "$key")" "$k1"
expect_eq "released rows after the new file" "$(($(wc -l <"$csv") - 1))" 12
cut -d, -f1 "$csv" | tail -n +2 | sort >"$T/p2"
expect_eq "first cases keep their pseudonyms" "$(comm -23 "$T/p1" "$T/p2" | wc -l)" 0
finish
