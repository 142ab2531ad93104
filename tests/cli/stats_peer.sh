# Every key figure of `vspreport stats --format csv` on all sample data,
# for the eight quarters 2024Q4..2026Q3, all categories and '*', equal to
# an independent pandas implementation (bench/peer_metrics.py: its own SQL,
# its own grouping, pandas' quantiles) -- and the case counts per regulator
# and quarter and the cross-border items per quarter equal to the tables
# that bench/gen_cases.py wrote into samples/README.md when it made the
# samples (counted by the generator's own reference reader).
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
export SOURCE_DATE_EPOCH=1791417600 # 2026-10-08T00:00:00Z
# the peer needs pandas: without it this test fails (scripts/setup.sh
# installs python3-pandas), it never passes unchecked
if ! $PY -c 'import pandas' 2>/dev/null; then
  echo "FAIL: $PY has no pandas, the independent peer cannot run (apt-get install python3-pandas)" >&2
  exit 1
fi
for r in al-ama ba-cra me-aem mk-avmu rs-rem xk-kpm; do
  for f in "$SRC"/samples/$r/$r-*.csv; do # the July export, then October's
    run_vsp "ingest-$(basename "$f" .csv)" ingest --db "$db" --profile "$SRC/profiles/$r.ini" "$f"
    [ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || fail "ingest $f: exit $rc"
  done
done
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0

# vspreport, every quarter and category, one header
cats=$(sql "$db" "select code from category order by code")
: >"$T/vsp.csv"
first=1
for q in 2024Q4 2025Q1 2025Q2 2025Q3 2025Q4 2026Q1 2026Q2 2026Q3; do
  for k in '*' $cats; do
    run_vsp stats stats --db "$db" --period $q --category "$k" --format csv --no-aggregate
    [ "$rc" -eq 0 ] || fail "stats $q $k: exit $rc: $(cat "$T/stats.err")"
    if [ $first -eq 1 ]; then cat "$T/stats.out"; first=0; else tail -n +2 "$T/stats.out"; fi >>"$T/vsp.csv"
  done
done
$PY "$SRC/bench/peer_metrics.py" --db "$db" --period 2026Q3 --trend --print-all >"$T/peer.csv" ||
  fail "peer_metrics.py failed"
expect_eq "rows" "$(wc -l <"$T/vsp.csv")" "$(wc -l <"$T/peer.csv")"
expect_eq "rows" "$(wc -l <"$T/vsp.csv")" "841" # 8 quarters x 15 x 7 rows + header
if ! cmp -s "$T/vsp.csv" "$T/peer.csv"; then
  fail "vspreport and the pandas peer differ (< vspreport, > peer):"
  diff "$T/vsp.csv" "$T/peer.csv" | head -20 >&2
fi

# the generator's own counts (samples/README.md)
$PY - "$SRC/samples/README.md" "$T/vsp.csv" >"$T/readme.out" 2>&1 <<'PY' || fail "samples/README.md tables: $(cat "$T/readme.out")"
import csv, re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
rows = list(csv.DictReader(open(sys.argv[2])))
got = {(r["period"], r["country"]): r for r in rows if r["category"] == "*"}
bad = []
sec = readme.split("## Cases per regulator and quarter")[1].split("##")[0]
lines = []
for l in sec.splitlines():
    if l.startswith("|"):
        lines.append(l)
    elif lines:
        break  # the first table only
quarters = [c.strip() for c in lines[0].strip("|").split("|")][1:-1]
for l in lines[2:]:
    cells = [c.strip() for c in l.strip("|").split("|")]
    who = "region" if cells[0] == "all" else cells[0]
    for q, n in zip(quarters, cells[1:-1]):
        if got[(q, who)]["received"] != n:
            bad.append("%s %s received %s, README %s" % (q, who, got[(q, who)]["received"], n))
sec = readme.split("## Cross-border items")[1].split("##")[0]
for l in sec.splitlines():
    m = re.match(r"\| (\d{4}Q\d) \| (\d+) \| (\d+) \| (\d+) \|", l)
    if m:
        q, videos, accounts = m.group(1), int(m.group(2)), int(m.group(3))
        if int(got[(q, "region")]["cross_border_items"]) != videos + accounts:
            bad.append("%s cross-border %s, README %d + %d" % (q, got[(q, "region")]["cross_border_items"], videos, accounts))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
finish
