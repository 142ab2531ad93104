#!/bin/bash
# bench_export.sh - issue 5's benchmark: the anonymised research export of
# N cases (all of a warehouse made by bench/gen_cases.py), `vspreport
# export` against Python (bench/peer_export.py, Debian's python3-xlsxwriter
# in constant-memory mode), side by side in the same run: median wall time
# of R runs each, CPU time, peak RSS (/usr/bin/time), ratio.
#
#   bench/bench_export.sh [-n CASES] [-r RUNS] [-b BUILD_DIR] [-w WORK_DIR]
#
# Two comparisons:
#   cells   the XLSX alone: `vspreport export --format xlsx` (which also
#           reads, pseudonymises, anonymises and sorts) against XlsxWriter
#           writing the same cells from the export's CSV;
#   whole   the whole export, XLSX + CSV + dictionary + report, against the
#           same job in Python (sqlite3, hmac, csv, XlsxWriter); the peer
#           still anonymises the old, simpler way (whole rows left out), so
#           the rows each releases are printed, not compared.
# Then the whole export with its Cases rows written through libxlsxwriter
# (VSP_XLSX_STREAM=0, as before reports/xlsx_stream.h), the same bytes
# once unzipped.
# Then memory against rows: vspreport's peak RSS for the same span of days
# in a warehouse of N/10 cases and of N (flat if it does not grow with rows).
#
# The warehouse is made once per N in WORK_DIR (default /tmp/vsp-bench-export)
# and reused.  Build Release first:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel
# Goal (issue 5): at least 4x faster than XlsxWriter, memory flat in rows.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=1000000
runs=3
build=$here/build-rel
work=/tmp/vsp-bench-export
help=2,27p
. "$here/bench/common.sh"
bench_options "$@"
bench_need xlsxwriter python3-xlsxwriter

mkdir -p "$work"
db=$work/cases-$n.db
export SOURCE_DATE_EPOCH=1791417600
key=0123456789abcdef-bench-key-of-32-bytes
make_db() { # make_db N: a warehouse of N cases, made once
  local d=$work/cases-$1.db
  if [ ! -s "$d" ]; then
    echo "making a warehouse of $1 cases in $d ..." >&2
    rm -f "$d" "$d"-wal "$d"-shm
    $py "$here/bench/gen_cases.py" --rows "$1" --all --clean --out "$work/csv-$1" >&2
    for f in "$work/csv-$1"/*.csv; do
      "$vsp" ingest -q --db "$d" --profile "$here/profiles/$(basename "$f" .csv).ini" "$f"
    done
    rm -rf "$work/csv-$1"
  fi
}
make_db "$n"
read -r cases first last < <(sqlite3 -separator ' ' "$db" \
  "SELECT count(*), min(received_day), max(received_day) FROM case_record")
fmt() { echo "${1:0:4}-${1:4:2}-${1:6:2}"; }
period="$(fmt "$first")..$(fmt "$last")"

timed() { # "wall_seconds max_rss_kb cpu_seconds"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" ||
    { cat "$work/err.txt" >&2; exit 70; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A T C M
add() { T[$1]+="$2 "; C[$1]+="$4 "; [ "${M[$1]:-0}" -gt "$3" ] || M[$1]=$3; }
rm -rf "$work/v" "$work/p" "$work/vx" "$work/vl"
mkdir -p "$work/p"
VSP_EXPORT_KEY=$key "$vsp" export -q --db "$db" --period "$period" --out "$work/v" # warm up; the cells
cells=$work/v/research-$period.csv
for i in $(seq "$runs"); do
  add c_cells $(VSP_EXPORT_KEY=$key timed "$vsp" export -q --db "$db" --period "$period" --out "$work/vx" --format xlsx)
  add p_cells $(timed $py "$here/bench/peer_export.py" --cells "$cells" --out "$work/p/cells.xlsx")
  add c_whole $(VSP_EXPORT_KEY=$key timed "$vsp" export -q --db "$db" --period "$period" --out "$work/v")
  add c_lxw $(VSP_XLSX_STREAM=0 VSP_EXPORT_KEY=$key timed "$vsp" export -q --db "$db" --period "$period" --out "$work/vl")
  add p_whole $(timed $py "$here/bench/peer_export.py" --db "$db" --period "$period" --k 5 --key "$key" --out "$work/p")
done
# The peer still anonymises the old way (whole rows of classes under k
# left out, six quasi-identifiers), so its CSV is no longer vspreport's:
# compare the rows each releases, not the bytes.
peer_rows=$(($(wc -l <"$work/p/research-$period.csv") - 1))

rows=$(($(wc -l <"$cells") - 1))
printf 'research export of %s cases (%s released at k = 5), %s, %d runs each, load %s\n' \
  "$cases" "$rows" "$period" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %11s %8s  %s\n' "" "median s" "median cpu" "RSS MB" "runs (s)"
line() { printf '%-44s %9s %11s %8d  %s\n' "$1" "$(echo ${T[$2]} | tr ' ' '\n' | median)" \
  "$(echo ${C[$2]} | tr ' ' '\n' | median)" "$((${M[$2]} / 1024))" "${T[$2]}"; }
line "vspreport export --format xlsx" c_cells
line "XlsxWriter, the same cells (peer --cells)" p_cells
line "vspreport export (xlsx, csv, dictionary, report)" c_whole
line "Python, the whole export (peer --db)" p_whole
line "  the same, rows through libxlsxwriter (before)" c_lxw
ratio() { echo "scale=1; $(echo ${T[$1]} | tr ' ' '\n' | median) / $(echo ${T[$2]} | tr ' ' '\n' | median)" | bc; }
printf 'ratio, cells: %sx   whole export: %sx   (goal: >= 4x)   rows released: vspreport %s, peer %s\n' \
  "$(ratio p_cells c_cells)" "$(ratio p_whole c_whole)" "$rows" "$peer_rows"
printf 'the Cases rows streamed (reports/xlsx_stream.h) against written through libxlsxwriter: %sx\n' \
  "$(ratio c_lxw c_whole)"

echo "memory against rows (vspreport export, whole; the same span of days):"
small=$((n / 10))
make_db "$small"
for d in "$work/cases-$small.db" "$db" ; do
  read -r t m c < <(VSP_EXPORT_KEY=$key timed "$vsp" export -q --db "$d" --period "$period" --out "$work/m")
  r=$(($(wc -l <"$work/m/research-$period.csv") - 1))
  printf '  %-28s %9d rows %8.2f s %6d MB\n' "$(basename "$d")" "$r" "$t" "$((m / 1024))"
done
echo "  (what grows a little is the class table: distinct (country, month, category, outcome)"
echo "   combinations, bounded by that space, not by the rows)"
