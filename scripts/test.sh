#!/bin/sh
# test.sh — from a fresh Debian machine to a passing test suite: install
# what is needed, build with address/undefined sanitizers and warnings as
# errors, run every test.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
# The optimiser sees other warnings than -O0 does: the Release build must
# be warning-free too (it is what the demo and the benchmarks use).
"$top/scripts/build.sh" "$top/build-release-check" -DCMAKE_BUILD_TYPE=Release -DVSP_WERROR=ON -DBUILD_TESTING=OFF
"$top/scripts/build.sh" "$top/build-test" -DCMAKE_BUILD_TYPE=Debug -DVSP_WERROR=ON -DVSP_SANITIZE=ON
cd "$top/build-test"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j 2 "$@"
# The PNG encoder's portable fallback (what other architectures run) must
# write what its SSE2 paths write.
"$top/scripts/build.sh" "$top/build-portable" -DCMAKE_BUILD_TYPE=Release -DVSP_WERROR=ON -DBUILD_TESTING=OFF -DCMAKE_C_FLAGS=-U__SSE2__
"$top/scripts/check-portable.sh" "$top/build-release-check" "$top/build-portable"
