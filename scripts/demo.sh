#!/bin/sh
# demo.sh — from a fresh Debian machine to the demo: install what is
# needed, build, and run the whole pipeline on the bundled synthetic samples
# (six regulators, 2024Q4-2026Q3) for 2026Q3.  Outputs go to
# ./out/demo/public (publishable), the warehouse to ./out/demo/private.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/build.sh" "$top/build" -DCMAKE_BUILD_TYPE=Release
rm -rf "$top/out/demo"
cd "$top"
./build/vspreport run --in samples --out out/demo --period 2026Q3
echo
./build/vspreport stats --db out/demo/private/warehouse.db --period 2026Q3
