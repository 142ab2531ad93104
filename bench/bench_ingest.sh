#!/bin/sh
# bench_ingest.sh [ROWS] [RUNS] — ingest throughput and memory.
#
# Generates one synthetic AMA-dialect export of ROWS case rows (default
# 1 000 000; UTF-8 with BOM, ';', Albanian labels, local datetimes), then,
# RUNS times each (default 5), in the same run on the same machine:
#   vspreport ingest   into a fresh warehouse: decoding, header and label
#                      mapping, date parsing with time-zone conversion,
#                      URL keys, validation, upsert with provenance;
#   sqlite3 .import    of the same file into a table of the same columns
#                      (text only: no decoding, mapping or validation).
# and, as a floor for any ingest that stores what this one stores:
#   SQLite copy        of the warehouse's case_record, already parsed and
#                      mapped, into a bare rowid table of a fresh database
#                      (no key, no index; page size and journal as a bulk
#                      ingest uses).  Reading the source is included, so
#                      this overstates the floor a little.
# Prints the median wall time, rows/s, MB/s and peak RSS of each, and the
# ratios.  Needs a Release build (scripts/build.sh build -DCMAKE_BUILD_TYPE=Release).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
runs=${2:-5}
vsp=${VSP:-$top/build/vspreport}
work=${BENCH_DIR:-/tmp/vsp-bench-ingest}
mkdir -p "$work"
csv=$work/al-$rows.csv
if [ ! -f "$csv" ]; then
  echo "generating $rows rows ..." >&2
  /usr/bin/python3 "$top/bench/gen_cases.py" --rows "$rows" --regulator al-ama --clean --out "$csv"
fi
bytes=$(stat -c %s "$csv")

# One timed command: prints "seconds peak_kB".
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/cmd.err" || {
    cat "$work/cmd.err" >&2
    exit 1
  }
  cat "$work/time.txt"
}

median() {
  sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# The same columns as the export's header, for sqlite3 .import.
header=$(head -n 1 "$csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')
cols=$(printf '%s' "$header" | awk -F';' '{ for (i = 1; i <= NF; i++) printf "%s\"c%d\" TEXT", (i > 1 ? ", " : ""), i }')

: >"$work/vsp.txt"
: >"$work/imp.txt"
: >"$work/floor.txt"
i=0
while [ $i -lt "$runs" ]; do
  rm -f "$work/w.db" "$work/w.db-wal" "$work/w.db-shm" "$work/i.db"
  timed "$vsp" ingest --quiet --db "$work/w.db" --profile "$top/profiles/al-ama.ini" "$csv" >>"$work/vsp.txt"
  sqlite3 "$work/i.db" "CREATE TABLE t($cols);"
  timed sqlite3 "$work/i.db" -cmd ".mode csv" -cmd ".separator ;" ".import --skip 1 $csv t" >>"$work/imp.txt"
  rm -f "$work/f.db" "$work/f.db-journal"
  timed sqlite3 "$work/f.db" "PRAGMA page_size = 8192; PRAGMA journal_mode = DELETE;
    PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;
    ATTACH '$work/w.db' AS w; CREATE TABLE t AS SELECT * FROM w.case_record;" >>"$work/floor.txt"
  i=$((i + 1))
done
cases=$(sqlite3 "$work/w.db" "select count(*) from case_record")
imported=$(sqlite3 "$work/i.db" "select count(*) from t")
copied=$(sqlite3 "$work/f.db" "select count(*) from t")

t_vsp=$(cut -d' ' -f1 "$work/vsp.txt" | median)
m_vsp=$(cut -d' ' -f2 "$work/vsp.txt" | median)
t_imp=$(cut -d' ' -f1 "$work/imp.txt" | median)
m_imp=$(cut -d' ' -f2 "$work/imp.txt" | median)
t_floor=$(cut -d' ' -f1 "$work/floor.txt" | median)
m_floor=$(cut -d' ' -f2 "$work/floor.txt" | median)
echo "ingest benchmark: $rows rows, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, median of $runs runs"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
awk -v n="$rows" -v b="$bytes" -v t="$t_vsp" -v m="$m_vsp" -v c="$cases" 'BEGIN {
  printf "  vspreport ingest : %6.2f s  %9.0f rows/s  %6.1f MB/s  peak RSS %6.1f MB  (%d cases stored)\n", t, n / t, b / 1e6 / t, m / 1024, c }'
awk -v n="$rows" -v b="$bytes" -v t="$t_imp" -v m="$m_imp" -v c="$imported" 'BEGIN {
  printf "  sqlite3 .import  : %6.2f s  %9.0f rows/s  %6.1f MB/s  peak RSS %6.1f MB  (%d rows stored)\n", t, n / t, b / 1e6 / t, m / 1024, c }'
awk -v n="$rows" -v t="$t_floor" -v m="$m_floor" -v c="$copied" 'BEGIN {
  printf "  SQLite copy      : %6.2f s  %9.0f rows/s  %6s       peak RSS %6.1f MB  (%d rows stored; floor for storing these rows)\n", t, n / t, "", m / 1024, c }'
awk -v a="$t_vsp" -v b="$t_imp" 'BEGIN { printf "  speed-up vs .import: %.2fx (goal >= 2x)\n", b / a }'
awk -v f="$t_floor" -v b="$t_imp" 'BEGIN { printf "  .import / SQLite copy: %.2fx (what any ingest storing these rows could reach at best)\n", b / f }'
