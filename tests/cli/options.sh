# The command line's own errors (cli/main.c and every cmd_*.c): each line
# of the table below is an exit status, a command line, and a text the
# error message must hold (the offending option or value).  Every usage
# error exits 64 and points at the command's --help; --help and --version
# print to stdout and exit 0.  Most lines name a warehouse that does not
# exist and must never be created: the options fail first.  stats checks
# --country and --category against the warehouse, so those lines use a
# real one ($w, the 12 cases of tests/data/render-fixture.csv).
. "$(dirname "$0")/lib/common.sh"
db=$T/none.db
w=$T/w.db
run_vsp setup ingest -q --db "$w" --profile "$SRC/tests/data/render.ini" "$SRC/tests/data/render-fixture.csv"
expect_eq "ingest the fixture" "$rc" 0

n=0
while IFS='|' read -r want args text; do
  [ -z "$want" ] && continue
  case $want in \#*) continue ;; esac
  n=$((n + 1))
  eval "set -- $args"
  run_vsp "case$n" "$@"
  expect_eq "vspreport $args: exit status" "$rc" "$want"
  [ -n "$text" ] && expect_contains "vspreport $args: message" "$T/case$n.err" "$text"
  if [ "$want" = 64 ] && [ $# -gt 0 ] && [ "$1" != frobnicate ] && [ "${1#-}" = "$1" ]; then
    expect_contains "vspreport $args: points at --help" "$T/case$n.err" "vspreport $1 --help"
  fi
  [ "$want" = 64 ] && [ -s "$T/case$n.out" ] && fail "vspreport $args: a usage error wrote to stdout"
  [ -e "$db" ] && fail "vspreport $args created $db"
done <<TABLE
# main.c
64||Usage: vspreport <command>
64|frobnicate|unknown command 'frobnicate'
64|--frobnicate|unknown command '--frobnicate'
# each command: an unknown option, an option without its value, a missing requirement
64|ingest --bogus|'--bogus'
64|ingest --db|'--db'
64|ingest --db $db x.csv|--profile
64|ingest --profile p.ini x.csv|--db
64|aggregate --bogus|'--bogus'
64|aggregate|--db
64|aggregate --db $db --period 2026Q5|'2026Q5'
64|aggregate --db $db --period yesterday|'yesterday'
64|stats --bogus|'--bogus'
64|stats --db|'--db'
64|stats --db $db --format xml|'xml'
64|stats --db $w --country FR|'FR'
64|stats --db $w --period 2026Q3 --category nope|'nope'
64|chart --bogus|'--bogus'
64|chart --db $db|funnel
64|chart nosuch --db $db --country AL --period 2026Q3 -o x.png|'nosuch'
64|chart funnel --db $db --country AL --period 2026Q3 --format gif -o x.gif|'gif'
64|chart funnel --db $db --country AL --period 2026Q3 --dpi 0 -o x.png|'0'
64|chart funnel --db $db --country AL --period 2026Q3 --lang xx -o x.png|xx
64|charts --bogus|'--bogus'
64|charts --db $db --period 2026Q3|--out
64|workbook --bogus|'--bogus'
64|workbook --db $db --country AL --period 2026Q3 --lang de -o x.xlsx|de
64|report --bogus|'--bogus'
64|report --db|'--db'
64|report --db $db --country HR --period 2026Q3 -o x.pdf|'HR'
64|export --bogus|'--bogus'
64|export --db $db --period 2026Q3|--out
64|export --db $db --period 2026Q3 --out $T/x --k 0|0
64|run --bogus|'--bogus'
64|run --out $T/o|--in
TABLE
expect_eq "cases run" "$([ "$n" -ge 30 ] && echo yes)" yes

# --help of every command, and of the whole, on stdout; --version
for c in ingest aggregate stats chart charts workbook report export run; do
  run_vsp "help-$c" "$c" --help
  expect_eq "$c --help" "$rc" 0
  expect_contains "$c --help" "$T/help-$c.out" "Usage: vspreport $c"
done
run_vsp help --help
expect_eq "--help" "$rc" 0
expect_contains "--help lists the commands" "$T/help.out" "report"
run_vsp version --version
expect_eq "--version" "$rc" 0
grep -Eq '^vspreport [0-9]+\.[0-9]+\.[0-9]+' "$T/version.out" || fail "--version printed '$(cat "$T/version.out")'"
finish
