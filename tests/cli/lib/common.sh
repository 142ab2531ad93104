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
