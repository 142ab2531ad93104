# figures.csv (`vspreport figures`) on all sample data, read back with
# pandas (tests/cli/check_figures.py): every quarter from the first that
# holds a case to the last (worked out here from the warehouse with
# sqlite3), every figure equal to `vspreport stats --format csv` for every
# period and category, bases recomputed from the counts, categories adding
# up to '*' and the six countries to the region for counts, rates
# recomputed (never summed).  The checker is shown to fail on a perturbed
# count, a perturbed rate and a missing row.  Then the command's options
# and errors.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z
if ! $PY -c 'import pandas' 2>/dev/null; then
  echo "FAIL: $PY has no pandas, the checker cannot run (apt-get install python3-pandas)" >&2
  exit 1
fi
for r in al-ama ba-cra me-aem mk-avmu rs-rem xk-kpm; do
  run_vsp "ingest-$r" ingest --db "$db" --profile "$SRC/profiles/$r.ini" "$SRC"/samples/$r/$r-*.csv
  [ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || fail "ingest $r: exit $rc"
done

# nothing aggregated yet: figures aggregates what it needs and says so
run_vsp fig figures --db "$db" -o "$T/figures.csv" --codebook "$T/codebook.csv"
expect_eq "figures" "$rc" 0
expect_contains "figures note" "$T/fig.err" "figures: aggregating 2026Q3"

# the quarters that hold data, independently: min and max received day
quarters=$($PY - "$(sql "$db" "select min(received_day) || ' ' || max(received_day) from case_record")" <<'PY'
import sys
a, b = (int(x) for x in sys.argv[1].split())
y, q = a // 10000, (a // 100 % 100 - 1) // 3 + 1
ye, qe = b // 10000, (b // 100 % 100 - 1) // 3 + 1
out = []
while (y, q) <= (ye, qe):
    out.append("%dQ%d" % (y, q))
    y, q = (y + 1, 1) if q == 4 else (y, q + 1)
print(",".join(out))
PY
)
expect_eq "quarters of the samples" "$quarters" "2024Q4,2025Q1,2025Q2,2025Q3,2025Q4,2026Q1,2026Q2,2026Q3"

# stats, every quarter and category, one header
cats=$(sql "$db" "select code from category order by code")
: >"$T/stats.csv"
first=1
for q in $(echo "$quarters" | tr , ' '); do
  for k in '*' $cats; do
    run_vsp stats stats --db "$db" --period "$q" --category "$k" --format csv --no-aggregate
    [ "$rc" -eq 0 ] || fail "stats $q $k: exit $rc: $(cat "$T/stats.err")"
    if [ $first -eq 1 ]; then cat "$T/stats.out"; first=0; else tail -n +2 "$T/stats.out"; fi >>"$T/stats.csv"
  done
done
expect_eq "stats rows" "$(wc -l <"$T/stats.csv")" "841" # 8 quarters x 15 categories x 7 areas + header
# 53 measures x 15 categories x 7 areas x 8 quarters, less population for 14 categories
expect_eq "figures rows" "$(wc -l <"$T/figures.csv")" "$((8 * 7 * (53 * 15 - 14) + 1))"

check() { # check NAME FIGURES.csv -> rc, output in $T/NAME.check
  rc=0
  $PY "$SRC/tests/cli/check_figures.py" "$2" "$T/codebook.csv" "$T/stats.csv" "$quarters" \
    >"$T/$1.check" 2>&1 || rc=$?
}
check good "$T/figures.csv"
expect_eq "check_figures.py on figures.csv" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/good.check" >&2

# the checker can fail: a count one too high (stats and the totals see it)
sed 's/^2026Q3,AL,piracy,received,\([0-9]*\),/2026Q3,AL,piracy,received,\1X,/' "$T/figures.csv" |
  $PY -c '
import re, sys
for line in sys.stdin.buffer:
    m = re.match(rb"(2026Q3,AL,piracy,received,)(\d+)X,", line)
    sys.stdout.buffer.write(m.group(1) + b"%d," % (int(m.group(2)) + 1) + line[m.end():] if m else line)
' >"$T/count.csv"
expect_eq "perturbed copy differs" "$(cmp -s "$T/figures.csv" "$T/count.csv"; echo $?)" 1
check count "$T/count.csv"
expect_eq "checker on a perturbed count" "$rc" 1
expect_contains "checker names the count" "$T/count.check" "2026Q3,AL,piracy,received: figures.csv"
expect_contains "checker names the total" "$T/count.check" "2026Q3,AL,*,received:"
expect_contains "checker names the region" "$T/count.check" "2026Q3,region,piracy,received:"
# a rate changed in its last decimal
$PY -c '
import sys
for line in open(sys.argv[1], newline=""):
    if line.startswith("2025Q2,region,*,action_rate,"):
        f = line.split(",")
        f[4] = "%.4f" % (float(f[4]) + 0.0001)
        line = ",".join(f)
    sys.stdout.write(line)
' "$T/figures.csv" >"$T/rate.csv"
check rate "$T/rate.csv"
expect_eq "checker on a perturbed rate" "$rc" 1
expect_contains "checker names the rate" "$T/rate.check" "2025Q2,region,*,action_rate: figures.csv"
expect_contains "checker recomputes the rate" "$T/rate.check" "recomputed from the counts"
# a row missing
grep -v '^2024Q4,XK,hate,forwarded,' "$T/figures.csv" >"$T/missing.csv"
check missing "$T/missing.csv"
expect_eq "checker on a missing row" "$rc" 1
expect_contains "checker names the missing row" "$T/missing.check" "2024Q4,XK,hate,forwarded: in stats"

# the codebook: the stats columns, in their order
expect_eq "codebook measures = stats columns" \
  "$(tail -n +2 "$T/codebook.csv" | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" \
  "$(head -1 "$T/stats.csv" | cut -d, -f4-56 | tr , ' ') "
expect_eq "codebook header" "$(head -1 "$T/codebook.csv" | tr -d '\r')" \
  "measure,unit,base,categories,adds_up,decimals,label,definition"
expect_contains "action_rate base" "$T/codebook.csv" "action_rate,fraction,forwarded - outcome_pending,all,,4,"

# the same again: byte-identical; to standard output: the same bytes
run_vsp fig2 figures --db "$db" -o "$T/figures2.csv" --no-aggregate
expect_eq "figures again" "$rc" 0
cmp -s "$T/figures.csv" "$T/figures2.csv" || fail "a second figures.csv differs from the first"
run_vsp figout figures --db "$db" -o - --no-aggregate
cmp -s "$T/figures.csv" "$T/figout.out" || fail "figures -o - differs from the file"

# --release fills the release column, and nothing else changes
run_vsp rel figures --db "$db" -o "$T/rel.csv" --release 2026Q3-v2 --no-aggregate
expect_eq "figures --release" "$rc" 0
expect_eq "release column" "$(tail -n +2 "$T/rel.csv" | cut -d, -f9 | sort -u | tr -d '\r')" "2026Q3-v2"
expect_eq "release only in the last column" "$(sed 's/,2026Q3-v2\r$/,\r/' "$T/rel.csv" | cmp -s - "$T/figures.csv"; echo $?)" 0

# --period adds a half-year
run_vsp half figures --db "$db" -o "$T/half.csv" --period 2026H1
expect_eq "figures --period 2026H1" "$rc" 0
expect_eq "2026H1 rows" "$(grep -c '^2026H1,' "$T/half.csv")" "$((7 * (53 * 15 - 14)))"
run_vsp half_stats stats --db "$db" --period 2026H1 --country region --format csv --no-aggregate
expect_eq "2026H1 region received = stats" \
  "$(grep '^2026H1,region,\*,received,' "$T/half.csv" | cut -d, -f5)" \
  "$(tail -1 "$T/half_stats.out" | cut -d, -f4)"

# errors
run_vsp help figures --help
expect_eq "--help" "$rc" 0
expect_contains "--help" "$T/help.out" "period,area,category,measure,value,unit,base_n,provisional,release"
run_vsp nodb figures -o "$T/x.csv"
expect_eq "no --db" "$rc" 64
run_vsp noout figures --db "$db"
expect_eq "no -o" "$rc" 64
run_vsp badrel figures --db "$db" -o "$T/x.csv" --release 'v1,=cmd()'
expect_eq "bad --release" "$rc" 64
run_vsp baddir figures --db "$db" -o "$T/no/such/dir/figures.csv" --no-aggregate
expect_eq "unwritable output" "$rc" 73
[ -e "$T/no/such/dir/figures.csv" ] && fail "a file where none can be"
run_vsp nowh figures --db "$T/none.db" -o "$T/x.csv"
expect_eq "missing warehouse" "$rc" 66
# a later ingest makes the aggregates stale: --no-aggregate refuses
cp "$db" "$T/stale.db"
run_vsp ing2 ingest --db "$T/stale.db" --profile "$SRC/tests/data/render.ini" "$SRC/tests/data/render-fixture.csv"
expect_eq "ingest of a later file" "$rc" 0
run_vsp stale figures --db "$T/stale.db" -o "$T/stale.csv" --no-aggregate
expect_eq "stale, --no-aggregate" "$rc" 65
expect_contains "stale message" "$T/stale.err" "vspreport aggregate"
[ -e "$T/stale.csv" ] && fail "figures.csv written though the command failed"
finish
