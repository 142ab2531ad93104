#!/bin/sh
# make-charts-db.sh DB — a warehouse at the current schema (queries/NNNN_*.sql
# applied in order) holding the chart fixture (tests/data/charts-fixture.sql).
set -eu
db=$1
src=${VSP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
rm -f "$db"
v=0
for f in "$src"/queries/[0-9][0-9][0-9][0-9]_*.sql; do
    sqlite3 "$db" < "$f"
    v=$(basename "$f" | cut -c1-4 | sed 's/^0*//')
done
sqlite3 "$db" "PRAGMA user_version = $v;"
sqlite3 "$db" < "$src/tests/data/charts-fixture.sql"
