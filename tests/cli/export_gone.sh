# The research export's process is forked before `run` opens the warehouse
# and waits to be told the period once the cases are ingested
# (cli/run.c, export_fork, export_start).  If it has died by then, `run`
# renders the export with the rest instead: no SIGPIPE ends the run.  gdb
# stops `run` at export_start, kills the waiting process, and lets the run
# go on; it must finish, publish the export's four files and leave no
# staging folder.
. "$(dirname "$0")/lib/common.sh"
command -v gdb >/dev/null || { echo "gdb is needed (scripts/setup.sh installs it)" >&2; exit 1; }
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
out=$T/out
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 gdb -q -batch -nx \
  -ex "set print thread-events off" -ex "set print inferior-events off" -ex "set breakpoint pending on" \
  -ex "break export_start" -ex run \
  -ex "python import os, signal; os.kill(int(gdb.parse_and_eval('r->export_pid')), signal.SIGKILL); print('export process killed')" \
  -ex "delete" -ex continue \
  --args "$VSP" run --in "$in" --out "$out" --period 2026Q3 --profiles "$SRC/profiles" \
  >"$T/gdb.out" 2>&1
grep -q "Breakpoint 1, export_start" "$T/gdb.out" ||
  { fail "gdb did not stop at export_start (a build without its symbol?)"; tail -n 20 "$T/gdb.out" >&2; }
grep -q "export process killed" "$T/gdb.out" || { fail "the export's process was not killed"; tail -n 20 "$T/gdb.out" >&2; }
grep -q "exited normally" "$T/gdb.out" || { fail "run did not finish after its export's process died"; tail -n 20 "$T/gdb.out" >&2; }
expect_eq "the export's four files, rendered with the rest" \
  "$(ls "$out/public/export" 2>/dev/null | grep -c '^research-2026Q3')" 4
expect_eq "no staging left" "$(find "$out/private" -name '*staging*' | wc -l)" 0
finish
