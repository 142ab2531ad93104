#!/bin/sh
# bench_report.sh [RUNS] — PDF report rendering time, memory and time per page.
#
# Builds a warehouse from the bundled samples (or uses $BENCH_DB, e.g. a
# 1 000 000-case warehouse from bench_pipeline.sh: a report reads the
# aggregates, so its cost hardly depends on the number of cases), aggregates
# 2026Q3, then measures, RUNS times each (default 5):
#   regional   the regional edition in English (all nine charts);
#   all        every per-regulator report in every language, 6 x 7 = 42
#              PDFs, one process each, as `vspreport run` would write them.
# Prints the median wall time and CPU time (user + system: what a busy
# machine does not inflate), the peak RSS (largest process), the pages and
# the median wall and CPU time per page.  Needs a Release build
# (scripts/build.sh build -DCMAKE_BUILD_TYPE=Release); VSP=path overrides.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
vsp=${VSP:-$top/build/vspreport}
work=${BENCH_DIR:-/tmp/vsp-bench-report}
mkdir -p "$work/out"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1791331200}

db=${BENCH_DB:-$work/w.db}
if [ -z "${BENCH_DB:-}" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  for dir in "$top"/samples/*/; do
    reg=$(basename "$dir")
    [ -f "$top/profiles/$reg.ini" ] || continue
    "$vsp" ingest --db "$db" --profile "$top/profiles/$reg.ini" "$dir"*.csv >/dev/null 2>&1
  done
fi
"$vsp" aggregate --db "$db" --period 2026Q3 >/dev/null

now() { date +%s.%N; }
median() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# One report: appends "seconds peak_kB pages cpu_seconds" to $2.
one() { # OUT RESULTS ARGS...
  out=$1
  res=$2
  shift 2
  one_t0=$(now)
  /usr/bin/time -f "%M %U %S" -o "$work/rss.txt" "$vsp" report --db "$db" --period 2026Q3 -o "$out" "$@"
  one_t1=$(now)
  echo "$(echo "$one_t1 - $one_t0" | bc -l) $(cut -d' ' -f1 "$work/rss.txt") $(pages "$out") \
$(awk '{ print $2 + $3 }' "$work/rss.txt")" >>"$res"
}

: >"$work/regional.txt"
: >"$work/all.txt"
: >"$work/all-each.txt"
i=0
while [ "$i" -lt "$runs" ]; do
  one "$work/out/regional-2026Q3-en.pdf" "$work/regional.txt" --country region --lang en
  t0=$(now)
  : >"$work/batch.txt"
  for cc in AL BA ME MK RS XK; do
    for lang in en sq sr sr-Latn mk bs cnr; do
      one "$work/out/$cc-2026Q3-$lang.pdf" "$work/batch.txt" --country "$cc" --lang "$lang"
    done
  done
  t1=$(now)
  cat "$work/batch.txt" >>"$work/all-each.txt"
  echo "$(echo "$t1 - $t0" | bc -l) $(cut -d' ' -f2 "$work/batch.txt" | sort -n | tail -1) \
$(awk '{ s += $3 } END { print s }' "$work/batch.txt") \
$(awk '{ s += $4 } END { print s }' "$work/batch.txt")" >>"$work/all.txt"
  i=$((i + 1))
done

report() { # LABEL FILE
  t=$(cut -d' ' -f1 "$2" | median)
  m=$(cut -d' ' -f2 "$2" | median)
  p=$(cut -d' ' -f3 "$2" | median)
  c=$(cut -d' ' -f4 "$2" | median)
  tpp=$(awk '{ print $1 / $3 }' "$2" | median)
  cpp=$(awk '{ print $4 / $3 }' "$2" | median)
  printf '%-34s %8.3f s %8.3f s %7.1f MB %5d %7.1f %7.1f\n' "$1" "$t" "$c" \
    "$(echo "$m / 1024" | bc -l)" "$p" "$(echo "$tpp * 1000" | bc -l)" "$(echo "$cpp * 1000" | bc -l)"
}
echo "vspreport report, median of $runs runs ($(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); $("$vsp" --version))"
printf '%-34s %10s %10s %10s %5s %7s %7s\n' "" "wall" "CPU" "peak RSS" "pages" "ms/page" "CPU ms/page"
report "regional edition (en)" "$work/regional.txt"
report "42 per-regulator reports (6 x 7)" "$work/all.txt"
report "one per-regulator report" "$work/all-each.txt"
