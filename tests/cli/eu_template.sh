# The EU template layout (reports/eu_template.h) of 2026Q3 on all sample
# data: every number against `vspreport stats` for '*' and every category,
# summed over the categories that map to one DSA category
# (tests/cli/check_eu_template.py, pandas); the checker shown to fail on a
# perturbed number; the options of `vspreport figures --eu-template`.
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
run_vsp eu figures --db "$db" --eu-template "$T/eu.csv" --period 2026Q3 --release 2026Q3-v1
expect_eq "figures --eu-template" "$rc" 0
[ -s "$T/eu.csv" ] || fail "no eu.csv"

sql "$db" "select code || ',' || dsa from category order by code" >"$T/categories.csv"
: >"$T/stats.csv"
first=1
for k in '*' $(cut -d, -f1 "$T/categories.csv"); do
  run_vsp stats stats --db "$db" --period 2026Q3 --category "$k" --format csv --no-aggregate
  [ "$rc" -eq 0 ] || fail "stats $k: exit $rc"
  if [ $first -eq 1 ]; then cat "$T/stats.out"; first=0; else tail -n +2 "$T/stats.out"; fi >>"$T/stats.csv"
done
check() {
  rc=0
  $PY "$SRC/tests/cli/check_eu_template.py" "$2" "$T/stats.csv" "$T/categories.csv" 2026Q3 \
    >"$T/$1.check" 2>&1 || rc=$?
}
check good "$T/eu.csv"
expect_eq "check_eu_template.py" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/good.check" >&2
expect_contains "release row" "$T/eu.csv" "1.1,Report identification,release,,,2026Q3-v1,"

# the checker can fail: one number one higher
$PY -c '
import sys
done = False
for line in open(sys.argv[1], newline=""):
    if not done and ",number_of_notices,STATEMENT_CATEGORY_PROTECTION_OF_MINORS,XK," in line:
        f = line.split(",")
        i = f.index("XK") + 1
        f[i] = str(int(f[i]) + 1)
        line = ",".join(f)
        done = True
    sys.stdout.write(line)
' "$T/eu.csv" >"$T/bad.csv"
check bad "$T/bad.csv"
expect_eq "checker on a perturbed number" "$rc" 1
expect_contains "checker names it" "$T/bad.check" "number_of_notices STATEMENT_CATEGORY_PROTECTION_OF_MINORS XK"

# the default period: the latest complete quarter (2026Q3 on the samples)
run_vsp eu2 figures --db "$db" --eu-template - --no-aggregate
expect_eq "--eu-template -" "$rc" 0
expect_eq "default period = 2026Q3, same bytes but the release" \
  "$(sed 's/,2026Q3-v1,/,,/' "$T/eu.csv" | cmp -s - "$T/eu2.out"; echo $?)" 0
run_vsp both figures --db "$db" --eu-template - -o -
expect_eq "two files to stdout" "$rc" 64
finish
