#!/bin/bash
# bench_scale.sh - issue 21: ingest at scale as it is really used.  Six
# exports, one per regulator in its own dialect (profiles/: UTF-8 with BOM
# and CRLF, windows-1251 with ';', TSV, windows-1250 with ';', Excel serial
# dates, ISO dates with offsets; notes with quotes and line breaks), all of
# one quarter (2026Q3), appended one after another into one warehouse.
#
#   bench/bench_scale.sh [-n ROWS] [-r RUNS] [-b BUILD_DIR] [-w WORK_DIR]
#
# ROWS (default 1 000 000) case rows in all over the six files; RUNS
# (default 3) runs, medians printed (0: only make the data); HISTORY=ROWS in the environment sets
# the size of the eight-quarter warehouse of the last scenario (default
# ROWS, spread over 2024Q3..2026Q2, the eight quarters before 2026Q3).  Each run times, in the same run:
#   alone     each file ingested into an empty warehouse;
#   appended  the six files ingested one after another into one warehouse
#             (AL, BA, ME, MK, RS, XK: the Serbian file fifth);
#   history   the same six files appended onto a copy of a warehouse that
#             already holds the eight quarters before theirs (HISTORY cases,
#             2024Q3..2026Q2; the quarter's case numbers start after the
#             history's, so every row is a new case of a new quarter, as
#             the next quarter's exports are);
#   .import   sqlite3 .import of the same six files, one table each, into
#             one database (text only: no decoding, mapping or validation);
#   run       vspreport run --in IN --out OUT --period 2026Q3 on the six
#             files: ingest, aggregate, render (charts, workbooks, reports,
#             the research export of the whole quarter), manifest.
# Prints per file rows/s alone, appended and onto the history and the
# ratio of time per row appended / alone (the four ways are taken file by
# file, one after the other, so that a ratio compares times taken seconds
# apart); the whole ingest against .import; run's wall time and its own
# stage times; peak RSS (/usr/bin/time for ingest, PSS summed over run's
# processes by bench/pss_peak.py); and
# the goals of issue 21.  Row accounting is checked: every run must store
# ROWS cases (HISTORY + ROWS onto the history), or the bench stops.
# Build Release first: scripts/build.sh build-rel -DCMAKE_BUILD_TYPE=Release
# Data (generated once per size, kept in WORK_DIR, default
# /tmp/vsp-bench-scale; about 0.7 GB per million rows with the history).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=1000000
runs=3
build=$here/build-rel
work=/tmp/vsp-bench-scale
help=2,34p
. "$here/bench/common.sh"
bench_options "$@"
hist=${HISTORY:-$n}
period=2026Q3
regs="al-ama ba-cra me-aem mk-avmu rs-rem xk-kpm"
seq_from=10000000 # above any year's case count in the history
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08: a fixed data freeze
export VSP_EXPORT_KEY=bench-scale-key-0123456789abcdef
export VSP_PO_DIR=$here/po
export LC_ALL=C
mkdir -p "$work"

ini() { sed -n "s/^$2 *= *//p" "$here/profiles/$1.ini" | head -n 1; }

# The quarter: IN/<regulator>/<regulator>.csv, as `run` reads its input.
in=$work/in-$n
if [ ! -f "$in/.complete" ]; then
  echo "generating the quarter: $n rows in six files ..." >&2
  rm -rf "$in" "$work/gen-$n"
  $py "$here/bench/gen_cases.py" --rows "$n" --all --clean --quarters "$period" \
    --seq-from "$seq_from" --out "$work/gen-$n" >&2
  for r in $regs; do mkdir -p "$in/$r"; mv "$work/gen-$n/$r.csv" "$in/$r/$r.csv"; done
  rm -rf "$work/gen-$n"
  touch "$in/.complete"
fi
# The history: HISTORY cases over the eight quarters before the one
# appended (2024Q3..2026Q2), ingested once.  (Benches before 2026-12-07
# used 2024Q4..2026Q3, a history that already held the quarter appended.)
hdb=$work/history-$hist-2024Q3.db
# The history is made by the binary measured: a warehouse keeps the page
# size it was made with, so one made by an older build (8 KiB pages) is made
# again when this build makes warehouses of another size.
probe=$work/probe.db
rm -f "$probe" "$probe"-wal "$probe"-shm
"$vsp" ingest --quiet --db "$probe" --profile "$here/profiles/al-ama.ini" \
  "$(ls "$here"/samples/al-ama/*.csv | head -n 1)" >/dev/null 2>&1 || true
want_ps=$(sqlite3 "$probe" "pragma page_size" 2>/dev/null || echo 0)
rm -f "$probe" "$probe"-wal "$probe"-shm
if [ -s "$hdb" ] && [ "$(sqlite3 "$hdb" "pragma page_size")" != "$want_ps" ]; then
  echo "the history was made with another page size than this build's ($want_ps): making it again" >&2
  rm -f "$hdb"
fi
if [ ! -s "$hdb" ]; then
  echo "generating and ingesting the history: $hist cases over eight quarters ..." >&2
  rm -rf "$work/hist-csv" "$hdb" "$hdb"-wal "$hdb"-shm "$hdb"-journal
  $py "$here/bench/gen_cases.py" --rows "$hist" --all --clean --first-quarter 2024Q3 \
    --out "$work/hist-csv" >&2
  for r in $regs; do
    "$vsp" ingest --quiet --db "$hdb.tmp" --profile "$here/profiles/$r.ini" "$work/hist-csv/$r.csv" >/dev/null
  done
  mv "$hdb.tmp" "$hdb"
  rm -rf "$work/hist-csv"
fi
# Bring the history to this binary's schema version once, untimed (the
# first command that writes an older warehouse upgrades it, e.g. 0004 moves
# the content keys into case_key): no run times a migration.
"$vsp" aggregate --db "$hdb" --period 2024Q4 >/dev/null 2>&1 ||
  { echo "cannot aggregate (upgrade) $hdb" >&2; exit 1; }
hcases=$(sqlite3 "$hdb" "select count(*) from case_record")
hq=$(sqlite3 "$hdb" "select count(distinct received_day / 10000 * 10 + (received_day / 100 % 100 + 2) / 3) from case_record")
hspan=$(sqlite3 "$hdb" "select min(received_day) || '..' || max(received_day) from case_record")

[ "$runs" -gt 0 ] || { echo "data ready in $work (-r 0: nothing timed)" >&2; exit 0; }

declare -A rows bytes
for r in $regs; do
  f=$in/$r/$r.csv
  bytes[$r]=$(stat -c %s "$f")
  rows[$r]=0
done
cat "$in"/*/*.csv >/dev/null # warm the page cache

# One timed command: appends "mode file seconds peak_kB cpu_seconds" to
# $work/res-$i (cpu: user + sys of all its threads, what it costs whatever
# else the machine is doing).
timed() {
  local mode=$1 file=$2
  shift 2
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/cmd.out" 2>"$work/cmd.err" || {
    echo "failed: $*" >&2; cat "$work/cmd.err" >&2; exit 1; }
  awk -v m="$mode" -v f="$file" '{ printf "%s %s %s %s %.2f\n", m, f, $1, $2, $3 + $4 }' "$work/time.txt" >>"$res"
}
rmdb() { rm -f "$1" "$1"-wal "$1"-shm "$1"-journal; }
count() { sqlite3 "$1" "select count(*) from case_record"; }
check() { # check DB WANT WHAT
  local got
  got=$(count "$1")
  [ "$got" = "$2" ] || { echo "row accounting: $3 stored $got cases, expected $2" >&2; exit 1; }
}
ingest() { # ingest MODE REGULATOR DB
  timed "$1" "$2" "$vsp" ingest --quiet --db "$3" --profile "$here/profiles/$2.ini" "$in/$2/$2.csv"
}
# `vspreport run` renders in one process per core: its peak memory is the
# largest PSS summed over its process tree (bench/pss_peak.py), or the
# largest single process, whichever is larger.
timed_run() {
  rm -rf "$work/out"
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" \
    "$vsp" run --in "$in" --out "$work/out" --period "$period" >"$work/run.out" 2>"$work/cmd.err" &
  local tp=$! peak
  $py "$here/bench/pss_peak.py" "$tp" >"$work/pss.txt" &
  local sp=$!
  wait "$tp" || { echo "failed: vspreport run" >&2; cat "$work/cmd.err" >&2; exit 1; }
  wait "$sp" || true
  peak=$(cat "$work/pss.txt" 2>/dev/null || echo 0)
  awk -v p="${peak:-0}" '{ printf "run all %s %d %.2f\n", $1, ($2 > p ? $2 : p), $3 + $4 }' "$work/time.txt" >>"$res"
  sed -n -e 's/^ *time: //p' -e 's/^ *the research export: /  research export: /p' "$work/run.out" >>"$work/run-times.txt"
  check "$(find "$work/out" -name warehouse.db | head -n 1)" "$n" "run"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
echo "vspreport $("$vsp" --version 2>/dev/null | head -n 1) ($vsp); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

rm -f "$work"/res-* "$work/run-times.txt"
for i in $(seq "$runs"); do
  res=$work/res-$i
  : >"$res"
  echo "  run $i/$runs ..." >&2
  # File by file, the four ways one after the other, so that the ratios
  # compare times taken within seconds of each other (this machine's speed
  # drifts by a third within the hour; measured a scenario at a time, a
  # ratio moved with it):
  #   alone     into an empty warehouse;
  #   appended  onto the files before it, one warehouse;
  #   history   onto a copy of the eight quarters and the files before it;
  #   import    sqlite3 .import, one table each, one database (text only).
  app=$work/appended.db; rmdb "$app"
  hist_db=$work/history.db; rmdb "$hist_db"; cp "$hdb" "$hist_db"
  imp=$work/import.db; rmdb "$imp"
  sync
  for r in $regs; do
    db=$work/alone.db; rmdb "$db"
    ingest alone "$r" "$db"
    rows[$r]=$(count "$db")
    ingest appended "$r" "$app"
    ingest history "$r" "$hist_db"
    f=$in/$r/$r.csv
    sep=$(ini "$r" delimiter); [ "$sep" = tab ] && sep=$'\t'
    skip=$(ini "$r" header_row)
    header=$(sed -n "${skip}p" "$f" | tr -d '\r')
    cols=$(printf '%s' "$header" | awk -F"$sep" '{ for (i = 1; i <= NF; i++) printf "%s\"c%d\" TEXT", (i > 1 ? ", " : ""), i }')
    t=$(echo "$r" | tr - _)
    sqlite3 "$imp" "CREATE TABLE $t($cols);"
    timed import "$r" sqlite3 "$imp" -cmd ".mode csv" -cmd ".separator \"$sep\"" ".import --skip $skip $f $t"
    got=$(sqlite3 "$imp" "select count(*) from $t")
    [ "$got" = "${rows[$r]}" ] || { echo ".import of $r stored $got rows, ingest ${rows[$r]}" >&2; exit 1; }
  done
  check "$app" "$n" "appended"
  check "$hist_db" $((hcases + n)) "onto the history"
  rmdb "$hist_db"
  rmdb "$work/alone.db"
  # the whole run
  timed_run
done
total=0
for r in $regs; do total=$((total + rows[$r])); done
[ "$total" = "$n" ] || { echo "row accounting: the six files alone stored $total cases, expected $n" >&2; exit 1; }

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
med() { cat "$work"/res-* | awk -v m="$1" -v f="$2" -v c="$3" '$1 == m && $2 == f { print $c }' | median; }
# median over the runs of each run's sum of MODE's seconds; max of its RSS
medsum() { for x in "$work"/res-*; do awk -v m="$1" -v c="${2:-3}" '$1 == m { s += $c } END { print s }' "$x"; done | median; }
maxrss() { cat "$work"/res-* | awk -v m="$1" '$1 == m && $4 > r { r = $4 } END { print r + 0 }'; }
# ratio MODE FILE COL: each run's MODE time of FILE over its alone time in
# the same run (taken seconds apart), one line a run
ratios() { for x in "$work"/res-*; do awk -v m="$1" -v f="$2" -v c="$3" '$2 == f && $1 == "alone" { a = $c } $2 == f && $1 == m { v = $c } END { printf "%.4f\n", v / a }' "$x"; done; }
# the median of those: a paired ratio, which the drift between runs
# does not move
medratio() { ratios "$@" | median; }

mb=$(cat "$in"/*/*.csv | wc -c)
printf '\n== %d rows in six files of %s (%.1f MB); history %d cases in %s quarters (%s); warehouse pages of %s bytes; median of %d runs\n' \
  "$n" "$period" "$(echo "$mb / 1000000" | bc -l)" "$hcases" "$hq" "$hspan" "$want_ps" "$runs"
printf '   %-8s %8s %7s | %8s %8s | %8s %8s %6s | %8s %8s %6s | %8s\n' file rows MB \
  "alone s" "rows/s" "append s" "rows/s" "x" "hist s" "rows/s" "x" ".import"
worst_app=0 worst_hist=0 worst_hist_file=
for r in $regs; do
  a=$(med alone "$r" 3); b=$(med appended "$r" 3); h=$(med history "$r" 3); m=$(med import "$r" 3)
  xb=$(medratio appended "$r" 3); xh=$(medratio history "$r" 3)
  awk -v r="$r" -v n="${rows[$r]}" -v by="${bytes[$r]}" -v a="$a" -v b="$b" -v h="$h" -v m="$m" -v xb="$xb" -v xh="$xh" 'BEGIN {
    printf "   %-8s %8d %7.1f | %8.2f %8.0f | %8.2f %8.0f %5.2fx | %8.2f %8.0f %5.2fx | %7.2fs\n",
      r, n, by / 1e6, a, n / a, b, n / b, xb, h, n / h, xh, m }'
  worst_app=$(awk -v w="$worst_app" -v x="$xb" 'BEGIN { print (x > w ? x : w) }')
  if awk -v w="$worst_hist" -v x="$xh" 'BEGIN { exit !(x > w) }'; then
    worst_hist=$xh worst_hist_file=$r
  fi
done
ta=$(medsum alone); tb=$(medsum appended); th=$(medsum history); ti=$(medsum import)
awk -v n="$n" -v a="$ta" -v b="$tb" -v h="$th" -v m="$ti" 'BEGIN {
  printf "   %-8s %8d %7s | %8.2f %8.0f | %8.2f %8.0f %5.2fx | %8.2f %8.0f %5.2fx | %7.2fs\n",
    "all six", n, "", a, n / a, b, n / b, b / a, h, n / h, h / a, m }'
echo "   (x: time per row against the same file alone in an empty warehouse, taken seconds"
echo "   apart in the same run; the median over the runs of that ratio; all six: the medians' ratio)"
echo "   per run, $worst_hist_file onto the history / alone: $(ratios history "$worst_hist_file" 3 | awk '{ printf "%.2fx ", $1 }')"
# The same ratios in CPU (user + sys of the ingest's threads): what a file
# costs whatever else the machine runs, so they hold on a loaded machine.
worst_app_cpu=0 worst_hist_cpu=0
printf '   CPU s    %-8s %8s %8s %6s %8s %6s %8s\n' file alone append x hist x .import
for r in $regs; do
  a=$(med alone "$r" 5); b=$(med appended "$r" 5); h=$(med history "$r" 5); m=$(med import "$r" 5)
  xb=$(medratio appended "$r" 5); xh=$(medratio history "$r" 5)
  awk -v r="$r" -v a="$a" -v b="$b" -v h="$h" -v m="$m" -v xb="$xb" -v xh="$xh" 'BEGIN {
    printf "            %-8s %8.2f %8.2f %5.2fx %8.2f %5.2fx %8.2f\n", r, a, b, xb, h, xh, m }'
  worst_app_cpu=$(awk -v w="$worst_app_cpu" -v x="$xb" 'BEGIN { print (x > w ? x : w) }')
  worst_hist_cpu=$(awk -v w="$worst_hist_cpu" -v x="$xh" 'BEGIN { print (x > w ? x : w) }')
done
awk -v a="$(medsum alone 5)" -v b="$(medsum appended 5)" -v h="$(medsum history 5)" -v m="$(medsum import 5)" 'BEGIN {
  printf "   CPU (user + sys), all six: alone %.2f s, appended %.2f s, onto history %.2f s, .import %.2f s (%.2fx)\n", a, b, h, m, m / b }'

rw=$(med run all 3); rr=$(maxrss run)
ir=$(for m in alone appended history; do maxrss $m; done | sort -n | tail -n 1)
echo "   vspreport run: $(awk -v t="$rw" 'BEGIN { printf "%.2f s", t }'), peak memory $(awk -v r="$rr" 'BEGIN { printf "%.1f MB", r / 1024 }') (PSS over its processes), $(awk -v c="$(med run all 5)" 'BEGIN { printf "%.2f s", c }') CPU; per run: $(awk '$1 == "run" { printf "%s s ", $3 }' "$work"/res-*)"
[ -s "$work/run-times.txt" ] && sed 's/^/   run stages: /' "$work/run-times.txt"
echo
echo "goals (issue 21):"
awk -v b="$tb" -v m="$ti" 'BEGIN { x = m / b; printf "   ingest of the six files %.2fx .import (appended %.2f s, .import %.2f s; goal >= 0.5x): %s\n", x, b, m, (x >= 0.5 ? "met" : "NOT met") }'
awk -v w="$worst_app" 'BEGIN { printf "   slowest file per row appended / alone: %.2fx (goal <= 1.3x): %s\n", w, (w <= 1.3 ? "met" : "NOT met") }'
awk -v w="$worst_hist" 'BEGIN { printf "   slowest file per row onto eight quarters / alone: %.2fx (goal <= 1.3x): %s\n", w, (w <= 1.3 ? "met" : "NOT met") }'
awk -v a="$worst_app_cpu" -v h="$worst_hist_cpu" 'BEGIN { printf "   the same in CPU: appended %.2fx (%s), onto eight quarters %.2fx (%s)\n", a, (a <= 1.3 ? "met" : "NOT met"), h, (h <= 1.3 ? "met" : "NOT met") }'
awk -v t="$rw" -v n="$n" 'BEGIN { printf "   whole run %.2f s for %d cases in one quarter (goal < 15 s at 1 000 000): %s\n", t, n, (n < 1000000 ? "n/a below 1M" : (t < 15 ? "met" : "NOT met")) }'
awk -v r="$ir" 'BEGIN { printf "   peak RSS of ingest %.1f MB (goal < 64 MB): %s\n", r / 1024, (r / 1024 < 64 ? "met" : "NOT met") }'
awk -v r="$rr" 'BEGIN { printf "   peak memory of run %.1f MB (goal < 128 MB): %s\n", r / 1024, (r / 1024 < 128 ? "met" : "NOT met") }'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work/out" "$work/appended.db" "$work/import.db"
