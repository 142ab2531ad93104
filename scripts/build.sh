#!/bin/sh
# build.sh BUILD_DIR [cmake options...] — configure and build vspreport.
set -eu
dir=$1
shift
cmake -S "$(dirname "$0")/.." -B "$dir" "$@" >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"
