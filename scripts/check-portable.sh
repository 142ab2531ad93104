#!/bin/sh
# check-portable.sh SIMD_BUILD PORTABLE_BUILD — the PNG encoder has SSE2
# paths (charts/surface.c, under #ifdef __SSE2__) and a portable fallback
# that every other architecture runs.  Both must write the same bytes:
# render the chart fixture's whole catalogue (1092 files) with a build of
# each and compare.  scripts/test.sh builds the portable one with
# -DCMAKE_C_FLAGS=-U__SSE2__.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
VSP_SOURCE_DIR=$top sh "$top/tests/data/make-charts-db.sh" "$work/charts.db"
export SOURCE_DATE_EPOCH=1791417600 VSP_PO_DIR="$top/po"
"$1/vspreport" charts --db "$work/charts.db" --period 2026Q3 --out "$work/simd" -q
"$2/vspreport" charts --db "$work/charts.db" --period 2026Q3 --out "$work/portable" -q
if ! diff -r -q "$work/simd" "$work/portable"; then
  echo "check-portable: the portable PNG encoder writes other bytes than the SSE2 one" >&2
  exit 1
fi
echo "check-portable: $(find "$work/simd" -type f | wc -l) files, the same bytes with and without SSE2"
