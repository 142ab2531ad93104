#!/bin/sh
# test.sh — from a fresh Debian machine to a passing test suite: install
# what is needed, build with address/undefined sanitizers and warnings as
# errors, run every test.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/build.sh" "$top/build-test" -DCMAKE_BUILD_TYPE=Debug -DVSP_WERROR=ON -DVSP_SANITIZE=ON
cd "$top/build-test"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j 2 "$@"
