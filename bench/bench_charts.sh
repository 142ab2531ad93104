#!/bin/sh
# bench_charts.sh [RUNS] [PEER_RUNS] — chart rendering speed, against matplotlib.
#
# On the chart fixture (tests/data/charts-fixture.sql; rendering cost does
# not depend on how many cases stand behind the figures), in the same run
# on the same machine:
#   vspreport charts   the whole catalogue (39 charts x 7 languages x PNG,
#                      SVG, PDF + CSV = 1092 files), RUNS times (default 3):
#                      median wall time, and from --timings the mean CPU
#                      milliseconds per file by chart and format (start-up
#                      excluded; CPU time, so a busy machine skews less);
#   matplotlib         bench/peer_charts.py (/usr/bin/python3): the same
#                      `categories` chart drawn to PNG, SVG and PDF,
#                      PEER_RUNS times each (default 20), imports excluded,
#                      CPU time likewise.
# Prints both and the speed-up per format for the equivalent chart.
# Goals (issue 4): at least 20x faster per chart than matplotlib, under
# 5 ms for every PNG chart (the slowest is named).  Needs a Release build:
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
peer_runs=${2:-20}
vsp=${VSP:-$top/build/vspreport}
# Files go to memory (/dev/shm) when there is one: this measures drawing,
# encoding and writing, not the disk's allocator.  On ext4 the inodes of
# files deleted in the last half minute are skipped one by one when a new
# file is made (recently_deleted): a catalogue written just after another
# was deleted spent a third of its CPU there, up to 0.8 ms per file, and
# one bench after another drifted by 20 %.  BENCH_DIR=/some/disk measures
# the disk too.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=/tmp
work=${BENCH_DIR:-$shm/vsp-bench-charts}
mkdir -p "$work"
db=$work/charts.db
VSP_SOURCE_DIR=$top sh "$top/tests/data/make-charts-db.sh" "$db"
export VSP_PO_DIR="$top/po"

median() {
  sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

: >"$work/wall.txt"
# Each run writes a new tree; all go after the last run.
rm -rf "$work"/out "$work"/out-*
i=0
while [ "$i" -lt "$runs" ]; do
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$vsp" charts --db "$db" --period 2026Q3 --out "$work/out-$i" --timings -q >"$work/timings-$i.tsv"
  cat "$work/time.txt" >>"$work/wall.txt"
  i=$((i + 1))
done
files=$(find "$work/out-0" -type f | wc -l)
rm -rf "$work"/out-*
wall=$(cut -d' ' -f1 "$work/wall.txt" | median)
rss=$(cut -d' ' -f2 "$work/wall.txt" | median)

# Per chart and format: the median over the runs of each mean.
cat "$work"/timings-*.tsv | awk -F'\t' '
  $1 == "chart" { next }
  { n[$1]++; for (k = 2; k <= 5; k++) v[$1, k, n[$1]] = $k; order[$1] = NR }
  END {
    printf "%-12s %8s %8s %8s %8s\n", "chart", "png ms", "svg ms", "pdf ms", "csv ms"
    for (c in n) {
      line = sprintf("%-12s", c)
      for (k = 2; k <= 5; k++) {
        m = n[c]; split("", x)
        for (r = 1; r <= m; r++) x[r] = v[c, k, r]
        # insertion sort for the median
        for (a = 2; a <= m; a++) { t = x[a]; b = a - 1; while (b >= 1 && x[b] > t) { x[b + 1] = x[b]; b-- } x[b + 1] = t }
        med = (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
        line = line sprintf(" %8.2f", med)
        if (c == "categories") cat_ms[k] = med
        if (k == 2 && med > png_max) { png_max = med; png_slowest = c }
        sum[k] += med; cnt[k]++
      }
      print line
    }
    printf "%-12s %8.2f %8.2f %8.2f %8.2f\n", "mean", sum[2] / cnt[2], sum[3] / cnt[3], sum[4] / cnt[4], sum[5] / cnt[5]
    printf "categories_ms %.3f %.3f %.3f\n", cat_ms[2], cat_ms[3], cat_ms[4] > "/dev/stderr"
    printf "png_slowest %s %.3f\n", png_slowest, png_max > "/dev/stderr"
  }' >"$work/per_chart.txt" 2>"$work/categories.txt"

/usr/bin/python3 "$top/bench/peer_charts.py" --db "$db" --period 2026Q3 --runs "$peer_runs" \
  --out "$work/peer" >"$work/peer.tsv"

echo "vspreport charts: $files files in ${wall} s (median of $runs), peak RSS ${rss} kB, written to $work"
echo
echo "mean CPU ms per file, by chart and format (median of $runs runs; start-up excluded):"
sort -k1,1 "$work/per_chart.txt" | grep -v '^chart' | grep -v '^mean' | sed 's/^/  /'
grep '^mean' "$work/per_chart.txt" | sed 's/^/  /'
echo
echo "the same chart (categories, region, 1920x1080; CPU ms per file) vs matplotlib $(/usr/bin/python3 -c 'import matplotlib; print(matplotlib.__version__)'):"
read -r _ c_png c_svg c_pdf <<EOF
$(grep '^categories_ms' "$work/categories.txt")
EOF
read -r _ slowest slowest_ms <<EOF
$(grep '^png_slowest' "$work/categories.txt")
EOF
printf "  %-6s %10s %12s %9s\n" format vspreport matplotlib speed-up
for f in png svg pdf; do
  case $f in png) c=$c_png ;; svg) c=$c_svg ;; pdf) c=$c_pdf ;; esac
  m=$(awk -F'\t' -v f=$f '$1 == f { print $2 }' "$work/peer.tsv")
  awk -v f=$f -v c="$c" -v m="$m" 'BEGIN { printf "  %-6s %8.2f ms %9.2f ms %8.1fx\n", f, c, m, m / c }'
done
awk -v s="$slowest" -v c="$slowest_ms" \
  'BEGIN { printf "\nPNG goal (< 5 ms for every chart; slowest: %s, %.2f ms): %s\n", s, c, (c < 5 ? "met" : "not met") }'
