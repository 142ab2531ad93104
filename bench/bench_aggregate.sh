#!/bin/bash
# bench_aggregate.sh - issue 3's benchmark: every metric for all countries,
# the region, all categories and eight quarters (2024Q4..2026Q3) from a
# warehouse of N cases, `vspreport aggregate` against the pandas peer
# (bench/peer_metrics.py --trend, which computes the same figures), side by
# side in the same run: median wall time of R runs each, peak RSS, ratio.
#
#   bench/bench_aggregate.sh [-n CASES] [-r RUNS] [-b BUILD_DIR] [-w WORK_DIR]
#
# The warehouse is made once per N in WORK_DIR (default /tmp/vsp-bench-agg)
# with bench/gen_cases.py (--all --clean: six regulators' exports) and
# `vspreport ingest`, and reused by later runs.  Build Release first:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel
# Goals (issue 3): aggregate under 0.5 s at 1 000 000 cases and at least
# 5x faster than pandas.  The load average is printed: other jobs on the
# machine slow both sides, the C side (two threads) the most.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=1000000
runs=5
build=$here/build-rel
work=/tmp/vsp-bench-agg
help=2,17p
. "$here/bench/common.sh"
bench_options "$@"
bench_need pandas python3-pandas

mkdir -p "$work"
db=$work/cases-$n.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08: a fixed data freeze
if [ ! -s "$db" ]; then
  echo "making a warehouse of $n cases in $db ..." >&2
  rm -f "$db" "$db"-wal "$db"-shm
  $py "$here/bench/gen_cases.py" --rows "$n" --all --clean --out "$work/csv-$n" >&2
  t0=$(date +%s.%N)
  for f in "$work/csv-$n"/*.csv; do
    r=$(basename "$f" .csv)
    "$vsp" ingest --db "$db" --profile "$here/profiles/$r.ini" "$f" >/dev/null
  done
  echo "ingest: $(echo "$(date +%s.%N) - $t0" | bc) s" >&2
  rm -rf "$work/csv-$n"
fi
cases=$(sqlite3 "$db" "select count(*) from case_record")

# one timed run: "wall_seconds max_rss_kb cpu_seconds" (cpu = user + sys,
# all threads: what the run costs whatever else the machine is doing)
timed() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

c_times=() c_rss=0 c_cpu=() p_times=() p_rss=0 p_cpu=()
"$vsp" aggregate --db "$db" --period 2026Q3 >/dev/null # warm the page cache
for i in $(seq "$runs"); do
  read -r t m c < <(timed "$vsp" aggregate --db "$db" --period 2026Q3)
  c_times+=("$t"); c_cpu+=("$c"); [ "$m" -gt "$c_rss" ] && c_rss=$m
  read -r t m c < <(timed $py "$here/bench/peer_metrics.py" --db "$db" --period 2026Q3 --trend)
  p_times+=("$t"); p_cpu+=("$c"); [ "$m" -gt "$p_rss" ] && p_rss=$m
done
c_med=$(printf '%s\n' "${c_times[@]}" | median)
p_med=$(printf '%s\n' "${p_times[@]}" | median)
c_best=$(printf '%s\n' "${c_times[@]}" | sort -n | head -1)
p_best=$(printf '%s\n' "${p_times[@]}" | sort -n | head -1)
c_cmed=$(printf '%s\n' "${c_cpu[@]}" | median)
p_cmed=$(printf '%s\n' "${p_cpu[@]}" | median)
ratio=$(echo "scale=1; $p_med / $c_med" | bc)
printf 'cases %s, 8 quarters x 7 (6 countries + region) x 15 categories, %d runs each, load %s\n' \
  "$cases" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %9s %7s %9s %8s  %s\n' "" "median s" "best s" "median cpu" "RSS MB" "runs (s)"
printf '%-32s %9s %7s %9s %8s  %s\n' "vspreport aggregate" "$c_med" "$c_best" "$c_cmed" "$((c_rss / 1024))" "${c_times[*]}"
printf '%-32s %9s %7s %9s %8s  %s\n' "pandas (bench/peer_metrics.py)" "$p_med" "$p_best" "$p_cmed" "$((p_rss / 1024))" "${p_times[*]}"
printf 'vspreport is %sx faster; goal: < 0.5 s and >= 5x\n' "$ratio"
