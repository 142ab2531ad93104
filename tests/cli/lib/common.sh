# common.sh — sourced by tests/cli/*.sh.  ctest sets VSP (the binary),
# VSP_SOURCE_DIR and VSP_TEST_TMP (a scratch folder of this test's own).
set -u
: "${VSP:?run through ctest, or set VSP to the vspreport binary}"
: "${VSP_SOURCE_DIR:?}"
: "${VSP_TEST_TMP:=$(mktemp -d)}"
rm -rf "$VSP_TEST_TMP"
mkdir -p "$VSP_TEST_TMP"
T=$VSP_TEST_TMP
SRC=$VSP_SOURCE_DIR
PY=/usr/bin/python3
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_eq WHAT GOT WANT
expect_eq() {
  if [ "$2" != "$3" ]; then
    fail "$1: got '$2', want '$3'"
  fi
}

# expect_contains WHAT FILE TEXT
expect_contains() {
  if ! grep -qF -- "$3" "$2"; then
    fail "$1: '$3' not in $2:"
    sed 's/^/    /' "$2" >&2
  fi
}

# run_vsp NAME ARGS... — runs vspreport, stdout to $T/NAME.out, stderr to
# $T/NAME.err, exit code in $rc.
run_vsp() {
  name=$1
  shift
  rc=0
  "$VSP" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
}

# sql DB QUERY — one query through the sqlite3 shell.
sql() {
  sqlite3 -batch -noheader "$1" "$2"
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  echo "ok"
  exit 0
}

# run_under_gdb FUNCTION LOG GDB_COMMAND... -- ARGS... — runs vspreport ARGS
# under gdb (batch): stops at FUNCTION, runs each GDB_COMMAND there, then
# lets it finish; gdb's output in LOG.  Fails the test unless gdb stopped
# there and the program exited normally.  For tests that act mid-run.
run_under_gdb() {
  local fn=$1 log=$2
  shift 2
  local ex=()
  while [ "$1" != "--" ]; do
    ex+=(-ex "$1")
    shift
  done
  shift
  command -v gdb >/dev/null || { echo "gdb is needed (scripts/setup.sh installs it)" >&2; exit 1; }
  ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 gdb -q -batch -nx \
    -ex "set print thread-events off" -ex "set print inferior-events off" \
    -ex "set breakpoint pending on" -ex "break $fn" -ex run "${ex[@]}" -ex delete -ex continue \
    --args "$VSP" "$@" >"$log" 2>&1
  grep -q "Breakpoint 1, $fn" "$log" ||
    { fail "gdb did not stop at $fn (a build without its symbol?)"; tail -n 20 "$log" >&2; }
  grep -q "exited normally" "$log" || { fail "run under gdb did not finish"; tail -n 20 "$log" >&2; }
}
