# The research export's process is forked before `run` opens the warehouse
# and waits to be told the period once the cases are ingested
# (cli/run.c, export_fork, export_start).  If it has died by then, `run`
# renders the export with the rest instead: no SIGPIPE ends the run.  gdb
# stops `run` at export_start, kills the waiting process, and lets the run
# go on; it must finish, publish the export's four files and leave no
# staging folder.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
out=$T/out
run_under_gdb export_start "$T/gdb.out" \
  "python import os, signal; os.kill(int(gdb.parse_and_eval('r->export_pid')), signal.SIGKILL); print('export process killed')" \
  -- run --in "$in" --out "$out" --period 2026Q3 --profiles "$SRC/profiles"
grep -q "export process killed" "$T/gdb.out" || { fail "the export's process was not killed"; tail -n 20 "$T/gdb.out" >&2; }
expect_eq "the export's four files, rendered with the rest" \
  "$(ls "$out/public/export" 2>/dev/null | grep -c '^research-2026Q3')" 4
expect_eq "no staging left" "$(find "$out/private" -name '*staging*' | wc -l)" 0
finish
