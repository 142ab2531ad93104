#!/bin/bash
# bench_pipeline.sh [SIZES] [RUNS] [PEER_RUNS_1M] - the whole quarter, end to
# end, against the tools a user would otherwise use (issue 7).
#
# For each size of SIZES (comma-separated; default 10000,100000,1000000
# cases over six regulators and eight quarters, 2024Q4..2026Q3):
#   - generates the exports once (bench/gen_cases.py --rows N --all --clean)
#     and lays them out as `vspreport run` reads its input: one sub-folder
#     per regulator named like its profile, IN/al-ama/al-ama.csv ...;
#   - runs vspreport into a fresh output folder, RUNS times (default 3):
#     `vspreport run --in IN --out OUT --period 2026Q3` when the build has
#     it, and always the stages one command at a time, as `run` does them:
#       ingest     vspreport ingest, one per regulator's file
#       aggregate  vspreport aggregate --period 2026Q3 (and its 7-quarter trend)
#       charts     vspreport charts: 39 charts x 7 languages x PNG/SVG/PDF + CSV
#       workbooks  vspreport workbook, one per edition (19: each regulator in
#                  its language and English, the region in English and every
#                  language)
#       reports    vspreport report, one PDF per edition (19)
#       export     vspreport export: the anonymised research export (XLSX + CSV)
#   - runs the peer, bench/peer_pipeline.py (/usr/bin/python3: pandas,
#     matplotlib, XlsxWriter) doing the same work into its own fresh folder,
#     RUNS times below 1 000 000 cases and PEER_RUNS_1M times from 1 000 000
#     on (default 1: one peer run takes several minutes there);
#     vspreport and peer runs alternate, so load on the machine hits both;
#     each timed run starts after a `sync`, so that what the runs before it
#     wrote (up to a gigabyte at 1M cases) is not written back in its time.
# Prints, per size: per stage the median wall time, the median CPU time
# (user + sys) and peak RSS of vspreport, the peer's median wall and CPU
# time, and the ratio peer / vspreport; then how each stage grows per 10x
# cases, and the goals at 1 000 000 cases (whole run >= 10x faster than the
# peer, < 15 s with the research export, peak RSS < 128 MB).
# Medians are of each stage over the runs; "total" is the median of the
# per-run totals.  vspreport's total is the sum of its stage commands
# (each a process of its own, so start-up and opening the warehouse are
# paid per command); with `run` in the build, its own wall time is printed
# as well.  vspreport's peak RSS is the largest of its processes, and for
# `run` (which renders in several processes at once) the largest sum over
# its process tree (PSS), sampled every 20 ms by bench/pss_peak.py.
#
# Environment: VSP (the binary; default: builds $BUILD, default
# build-bench, Release), BENCH_DIR (work folder, default
# /tmp/vsp-bench-pipeline; 1M cases need about 2 GB there), KEEP=1 keeps the
# last outputs, NO_BUILD=1 skips the build.
#
# What the peer does not do (see bench/peer_pipeline.py): PDF bookmarks,
# tagged structure, /Lang and alternative text (matplotlib cannot), linked
# contents; Excel tables are ranges with filters; the report's chart pages
# are one page per section where vspreport breaks long tables over pages.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${1:-10000,100000,1000000}
runs=${2:-3}
big_peer_runs=${3:-1}
build=${BUILD:-$top/build-bench}
vsp=${VSP:-$build/vspreport}
work=${BENCH_DIR:-/tmp/vsp-bench-pipeline}
period=2026Q3
py=/usr/bin/python3
regs="al-ama ba-cra me-aem mk-avmu rs-rem xk-kpm"
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z: a fixed data freeze
export VSP_EXPORT_KEY=bench-pipeline-key-0123456789abcdef
export VSP_PO_DIR=$top/po
export LC_ALL=C

$py -c 'import pandas, matplotlib, xlsxwriter' 2>/dev/null ||
  { echo "$py lacks pandas/matplotlib/xlsxwriter: apt-get install python3-pandas python3-matplotlib python3-xlsxwriter" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 69; }

# Build (Release, own folder).  Others may be mid-edit in the tree: retry.
if [ -z "${NO_BUILD:-}" ] && [ "$vsp" = "$build/vspreport" ]; then
  for attempt in 1 2 3 4 5; do
    mkdir -p "$build"
    if cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$build/bench-build.log" 2>&1 &&
       cmake --build "$build" -j2 --target vspreport >>"$build/bench-build.log" 2>&1; then
      break
    fi
    if [ "$attempt" = 5 ]; then
      if [ -x "$vsp" ]; then echo "build failed (see $build/bench-build.log); using the existing $vsp" >&2
      else echo "build failed: see $build/bench-build.log" >&2; exit 70; fi
    else
      echo "build failed (attempt $attempt), retrying in 30 s ..." >&2; sleep 30
    fi
  done
fi
[ -x "$vsp" ] || { echo "no $vsp" >&2; exit 66; }
mkdir -p "$work"

have_run=0
"$vsp" run --help >/dev/null 2>&1 && have_run=1

ini() { sed -n "s/^$2 *= *//p" "$top/profiles/$1.ini" | head -n 1; }
# Editions: "CC lang" lines.
editions() {
  for r in $regs; do
    cc=$(ini "$r" country); lang=$(ini "$r" language)
    echo "$cc $lang"
    [ "$lang" = en ] || echo "$cc en"
  done
  for lang in en sq sr sr-Latn mk bs cnr; do echo "region $lang"; done
}
n_editions=$(editions | wc -l)

# One timed command: appends "wall cpu rss_kb" to $timing.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/cmd.err" || {
    echo "failed: $*" >&2; cat "$work/cmd.err" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.txt" >>"$timing"
}
# `vspreport run` renders in one process per core at once, so its peak
# memory is the largest sum over its processes, not the largest process
# that /usr/bin/time reports: sample the tree every 20 ms, summing each
# process's proportional set size (PSS: pages a forked worker still shares
# with the run are counted once, not in both), and keep the larger of the
# two.  Appends "wall cpu rss_kb" to $timing; the run's own
# stage times go to $work/run-times.txt.
timed_tree() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/run.out" 2>"$work/cmd.err" &
  local tp=$! peak
  $py "$top/bench/pss_peak.py" "$tp" >"$work/pss.txt" &
  local sp=$!
  wait "$tp" || { echo "failed: $*" >&2; cat "$work/cmd.err" >&2; exit 1; }
  wait "$sp" || true
  peak=$(cat "$work/pss.txt" 2>/dev/null || echo 0)
  sed -n -e 's/^ *time: //p' -e 's/^ *the research export: /  research export: /p' "$work/run.out" >>"$work/run-times.txt"
  awk -v p="${peak:-0}" '{ printf "%s %.2f %d\n", $1, $2 + $3, ($4 > p ? $4 : p) }' "$work/time.txt" >>"$timing"
}
# Sum the wall and CPU, max the RSS of $timing: "wall cpu rss_kb".
fold_stage() {
  awk '{ w += $1; c += $2; if ($3 > r) r = $3 } END { printf "%.2f %.2f %d\n", w, c, r }' "$timing"
}

# one vspreport run of size $n into $out: lines "stage wall cpu rss_kb" to $1
vsp_run() {
  local res=$1 in=$2 out=$3 db=$3/warehouse.db
  rm -rf "$out"; mkdir -p "$out/reports"
  sync # what earlier runs left to write back is not this run's cost
  : >"$res"
  timing=$work/t-ingest; : >"$timing"
  for r in $regs; do
    for f in "$in/$r"/*.csv; do
      timed "$vsp" ingest --quiet --db "$db" --profile "$top/profiles/$r.ini" "$f"
    done
  done
  echo "ingest $(fold_stage)" >>"$res"
  timing=$work/t-agg; : >"$timing"
  timed "$vsp" aggregate --db "$db" --period "$period"
  echo "aggregate $(fold_stage)" >>"$res"
  timing=$work/t-charts; : >"$timing"
  timed "$vsp" charts --db "$db" --period "$period" --out "$out/charts" -q
  echo "charts $(fold_stage)" >>"$res"
  timing=$work/t-wb; : >"$timing"
  while read -r cc lang; do
    timed "$vsp" workbook --db "$db" --country "$cc" --period "$period" --lang "$lang" \
      --out "$out/workbooks"
  done < <(editions)
  echo "workbooks $(fold_stage)" >>"$res"
  timing=$work/t-rep; : >"$timing"
  while read -r cc lang; do
    name=$([ "$cc" = region ] && echo regional || echo "$cc")
    timed "$vsp" report --db "$db" --country "$cc" --period "$period" --lang "$lang" \
      -o "$out/reports/$name-$period-$lang.pdf"
  done < <(editions)
  echo "reports $(fold_stage)" >>"$res"
  timing=$work/t-exp; : >"$timing"
  timed "$vsp" export --db "$db" --period "$period" --out "$out/export" -q
  echo "export $(fold_stage)" >>"$res"
  awk '{ w += $2; c += $3; if ($4 > r) r = $4 } END { printf "total %.2f %.2f %d\n", w, c, r }' "$res" >>"$res"
  if [ "$have_run" = 1 ]; then
    rm -rf "$out-run"
    sync # the stages above leave ~0.5 GB to write back: not this run's cost
    timing=$work/t-run; : >"$timing"
    timed_tree "$vsp" run --in "$in" --out "$out-run" --period "$period"
    echo "run $(fold_stage)" >>"$res"
    [ -n "${KEEP:-}" ] || rm -rf "$out-run"
  fi
}

# one peer run: lines "stage wall cpu" (+ "total wall cpu rss_kb") to $1
peer_run() {
  local res=$1 in=$2 out=$3
  rm -rf "$out"
  sync
  local man=""
  [ "$have_run" = 1 ] && man=--manifest
  /usr/bin/time -f "%e %U %S %M" -o "$work/ptime.txt" \
    $py "$top/bench/peer_pipeline.py" --in "$in" --out "$out" --period "$period" $man \
    >"$work/peer.out" 2>"$work/peer.err" || { cat "$work/peer.err" >&2; exit 1; }
  awk '$1 == "stage" { print $2, $3, $4, 0 }' "$work/peer.out" >"$res"
  awk '{ printf "total %s %.2f %s\n", $1, $2 + $3, $4 }' "$work/ptime.txt" >>"$res"
  grep '^files' "$work/peer.out" >"$work/peer-files.txt" || true
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# median of column $3 for stage $2 over the files $1* (glob)
med() { cat $1 2>/dev/null | awk -v s="$2" -v c="$3" '$1 == s { print $c }' | median; }

machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
echo "machine: $machine"
echo "vspreport $("$vsp" --version 2>/dev/null | head -n 1) ($vsp); $($py -c 'import pandas, matplotlib, xlsxwriter, numpy, sys; print("Python %s, pandas %s, numpy %s, matplotlib %s, XlsxWriter %s" % (sys.version.split()[0], pandas.__version__, numpy.__version__, matplotlib.__version__, xlsxwriter.__version__))')"
if [ "$have_run" = 1 ]; then
  echo "vspreport run: available; timed as a whole, and stage by stage with the single commands"
else
  echo "vspreport run: not in this build; timed stage by stage with the single commands"
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

stages="ingest aggregate charts workbooks reports export"
for n in ${sizes//,/ }; do
  in=$work/in-$n
  if [ ! -f "$in/.complete" ]; then
    echo "generating $n cases ..." >&2
    rm -rf "$in" "$work/gen-$n"
    $py "$top/bench/gen_cases.py" --rows "$n" --all --clean --out "$work/gen-$n" >&2
    for r in $regs; do
      mkdir -p "$in/$r"
      mv "$work/gen-$n/$r.csv" "$in/$r/$r.csv"
    done
    rm -rf "$work/gen-$n"
    touch "$in/.complete"
  fi
  bytes=$(cat "$in"/*/*.csv | wc -c)
  cat "$in"/*/*.csv >/dev/null # warm the page cache for both
  peer_runs=$runs
  [ "$n" -ge 1000000 ] && peer_runs=$big_peer_runs
  rm -f "$work"/res-vsp-$n-* "$work"/res-peer-$n-* "$work/run-times.txt"
  i=1
  while [ $i -le "$runs" ] || [ $i -le "$peer_runs" ]; do
    if [ $i -le "$runs" ]; then
      echo "  $n cases: vspreport run $i/$runs ..." >&2
      vsp_run "$work/res-vsp-$n-$i" "$in" "$work/out-vsp-$n"
    fi
    if [ $i -le "$peer_runs" ]; then
      echo "  $n cases: peer run $i/$peer_runs ..." >&2
      peer_run "$work/res-peer-$n-$i" "$in" "$work/out-peer-$n"
    fi
    i=$((i + 1))
  done
  vfiles=$(find "$work/out-vsp-$n" -type f ! -name 'warehouse.db*' | wc -l)
  pfiles=$(find "$work/out-peer-$n" -type f ! -name 'warehouse.db*' | wc -l)
  vdb=$(du -sm "$work/out-vsp-$n/warehouse.db" | cut -f1)
  pdb=$(du -sm "$work/out-peer-$n/warehouse.db" | cut -f1)
  printf '== %s cases, %.1f MB of CSV in 6 files; vspreport median of %d runs, peer median of %d\n' \
    "$n" "$(echo "$bytes / 1000000" | bc -l)" "$runs" "$peer_runs"
  printf '   outputs: vspreport %d files (warehouse %d MB), peer %d files (warehouse %d MB); %s editions\n' \
    "$vfiles" "$vdb" "$pfiles" "$pdb" "$n_editions"
  printf '   %-10s %10s %9s %9s | %10s %9s | %8s %8s\n' stage "vsp wall" "vsp cpu" "vsp RSS" \
    "peer wall" "peer cpu" "wall x" "cpu x"
  for s in $stages total $([ "$have_run" = 1 ] && echo run); do
    vw=$(med "$work/res-vsp-$n-*" "$s" 2); vc=$(med "$work/res-vsp-$n-*" "$s" 3)
    vr=$(med "$work/res-vsp-$n-*" "$s" 4)
    if [ "$s" = run ]; then pw=$(med "$work/res-peer-$n-*" total 2); pc=$(med "$work/res-peer-$n-*" total 3)
    else pw=$(med "$work/res-peer-$n-*" "$s" 2); pc=$(med "$work/res-peer-$n-*" "$s" 3); fi
    awk -v s="$s" -v vw="$vw" -v vc="$vc" -v vr="$vr" -v pw="$pw" -v pc="$pc" 'BEGIN {
      printf "   %-10s %9.2fs %8.2fs %6.1f MB | %9.2fs %8.2fs | %7.1fx %7.1fx\n",
        s, vw, vc, vr / 1024, pw, pc, (vw > 0 ? pw / vw : 0), (vc > 0 ? pc / vc : 0) }'
    echo "$n $s $vw $vc $vr $pw $pc" >>"$work/summary.$$"
  done
  [ -s "$work/run-times.txt" ] && sed 's/^/   vspreport run stages: /' "$work/run-times.txt"
  prss=$(med "$work/res-peer-$n-*" total 4)
  awk -v r="$prss" 'BEGIN { printf "   peer peak RSS (whole process): %.0f MB\n", r / 1024 }'
  echo "   (peer wall = whole python process incl. imports; its stage lines exclude ~1-2 s of imports)"
  echo "   per-run totals, vspreport: $(awk '$1 == "total" { printf "%s ", $2 }' "$work"/res-vsp-$n-*)s;" \
    "peer: $(awk '$1 == "total" { printf "%s ", $2 }' "$work"/res-peer-$n-*)s"
  echo
  [ -n "${KEEP:-}" ] || rm -rf "$work/out-vsp-$n" "$work/out-peer-$n"
done

nsizes=$(awk '{ print $1 }' "$work/summary.$$" | sort -u | wc -l)
if [ "$nsizes" -ge 2 ]; then
  echo "growth per 10x cases, t(10n) / t(n), of the median wall and CPU times:"
  awk '
    { key = $2; if (!(key in seen)) { order[++k] = key; seen[key] = 1 }
      n[$1] = 1; vw[$1, key] = $3; vc[$1, key] = $4; pw[$1, key] = $6; pc[$1, key] = $7 }
    function r(a, b) { return a > 0 ? sprintf("%6.2fx", b / a) : "     -" }
    END {
      m = 0; for (x in n) sz[++m] = x + 0
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (sz[j] < sz[i]) { t = sz[i]; sz[i] = sz[j]; sz[j] = t }
      for (i = 2; i <= m; i++) {
        if (sz[i] != 10 * sz[i - 1]) continue
        a = sz[i - 1]; b = sz[i]
        printf "   %s -> %s cases\n   %-10s %8s %8s | %8s %8s\n", a, b, "stage", "vsp wall", "vsp cpu", "peer wall", "peer cpu"
        for (q = 1; q <= k; q++) {
          s = order[q]
          printf "   %-10s %8s %8s | %9s %8s\n", s, r(vw[a, s], vw[b, s]), r(vc[a, s], vc[b, s]), r(pw[a, s], pw[b, s]), r(pc[a, s], pc[b, s])
        }
      }
    }' "$work/summary.$$"
  echo
fi

big=$(awk '{ print $1 }' "$work/summary.$$" | sort -n | tail -n 1)
if [ "${big:-0}" -ge 1000000 ]; then
  awk -v n="$big" -v hr="$have_run" '
    $1 == n && $2 == "total" { vw = $3; vc = $4; vr = $5; pw = $6; pc = $7 }
    $1 == n && $2 == "run" { rw = $3; rc = $4; rr = $5 }
    END {
      if (hr == 1) { vw = rw; vc = rc; vr = rr }
      printf "goals at %d cases (%s):\n", n, (hr == 1 ? "vspreport run" : "sum of the stage commands")
      printf "   whole run %.1fx faster than the peer (goal >= 10x): %s\n", pw / vw, (pw / vw >= 10 ? "met" : "NOT met")
      printf "   whole run %.2f s including the research export (goal < 15 s): %s\n", vw, (vw < 15 ? "met" : "NOT met")
      printf "   peak RSS %.1f MB (goal < 128 MB): %s\n", vr / 1024, (vr / 1024 < 128 ? "met" : "NOT met")
      printf "   CPU time (user + sys): vspreport %.2f s, peer %.2f s (%.1fx); on a busy machine the\n", vc, pc, pc / vc
      printf "   wall times above include waiting for the CPU, the CPU times do not\n"
    }' "$work/summary.$$"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/summary.$$"
