#!/bin/bash
# Sources are listed by name (CMakeLists.txt, tests/CMakeLists.txt) and the
# configure refuses a file that is in no list (cmake/VspListed.cmake).  The
# checker must be able to fail: in a scratch project, a planted unlisted
# source and a listed file that is gone each stop the configure with the
# file's name; the listed set configures.  Then the real lists: every .c,
# test and query of the tree is in the build this test runs in.
. "$(dirname "$0")/lib/common.sh"

mkdir -p "$T/proj/src"
touch "$T/proj/src/a.c" "$T/proj/src/b.c"
cat > "$T/proj/CMakeLists.txt" <<CMK
cmake_minimum_required(VERSION 3.20)
project(listed LANGUAGES NONE)
include($SRC/cmake/VspListed.cmake)
vsp_prefix(srcs \${PROJECT_SOURCE_DIR}/src \${NAMES})
vsp_require_listed(WHAT "C sources" WHERE "CMakeLists.txt (NAMES)"
  LISTED \${srcs} PATTERNS \${PROJECT_SOURCE_DIR}/src/*.c)
CMK

configure() {  # configure NAME "a.c;b.c"
  rc=0
  rm -rf "$T/b-$1"
  cmake -S "$T/proj" -B "$T/b-$1" "-DNAMES=$2" >"$T/$1.out" 2>"$T/$1.err" || rc=$?
}

configure all "a.c;b.c"
expect_eq "every file listed: configure exit" "$rc" 0

configure unlisted "a.c"
[ "$rc" -ne 0 ] || fail "an unlisted src/b.c configured without error"
expect_contains "unlisted file named" "$T/unlisted.err" "src/b.c"
expect_contains "where to list it" "$T/unlisted.err" "not listed in CMakeLists.txt (NAMES)"

configure gone "a.c;b.c;c.c"
[ "$rc" -ne 0 ] || fail "a listed but missing src/c.c configured without error"
expect_contains "missing file named" "$T/gone.err" "src/c.c is listed"

# The build this test runs in: every source, test and query of the tree is
# built or run (the configure would have stopped otherwise; this says so
# from outside CMake).
B=${VSP_BUILD_DIR:?}
for f in "$SRC"/pipeline/*.c "$SRC"/charts/*.c "$SRC"/reports/*.c "$SRC"/cli/*.c; do
  rel=${f#"$SRC"/}
  grep -rqsF -- "$rel" "$B"/CMakeFiles/*.dir/build.make "$B"/CMakeFiles/*.dir/*.make \
      "$B"/build.ninja 2>/dev/null || fail "$rel is not compiled in $B"
done
for f in "$SRC"/queries/*.sql; do
  grep -qxF -- "$f" "$B/sql_files.txt" || fail "${f#"$SRC"/} is not embedded"
done
tests=$(cd "$B" && ctest -N 2>/dev/null)
for f in "$SRC"/tests/unit/test_*.c; do
  n=$(basename "$f" .c)
  grep -qF "unit.$n" <<<"$tests" || fail "tests/unit/$n.c is not a ctest test"
done
for f in "$SRC"/tests/cli/*.sh; do
  n=$(basename "$f" .sh)
  grep -qF "cli.$n" <<<"$tests" || fail "tests/cli/$n.sh is not a ctest test"
done

[ "$failures" -eq 0 ] || exit 1
echo "sources_listed: ok"
