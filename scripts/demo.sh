#!/bin/sh
# demo.sh — from a fresh Debian machine to the demo: install what is
# needed, build, and run the pipeline on the bundled synthetic samples.
# Outputs go to ./out/demo.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/build.sh" "$top/build" -DCMAKE_BUILD_TYPE=Release
vsp="$top/build/vspreport"
out="$top/out/demo"
rm -rf "$out"
mkdir -p "$out"
db="$out/warehouse.db"
for dir in "$top"/samples/*/; do
  reg=$(basename "$dir")
  [ -f "$top/profiles/$reg.ini" ] || continue
  "$vsp" ingest --db "$db" --profile "$top/profiles/$reg.ini" "$dir"*.csv
done
echo
echo "Warehouse: $db"
