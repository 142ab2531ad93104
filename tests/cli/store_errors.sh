# What a user sees when the warehouse itself fails (pipeline/store.c maps
# SQLite's errors to sysexits codes):
#   not an SQLite file              -> 65, "not a vspreport warehouse"
#   pages corrupted (checkpointed   -> 65, SQLite's "malformed", for
#   warehouse, two b-tree roots      stats, aggregate and report
#   overwritten)
#   locked by another writer        -> 75, "in use by another vspreport",
#                                      after the 10 s busy timeout
#   the file cannot grow (ulimit -f; -> 74 with the free-space hint, and
#   main.c ignores SIGXFSZ)            the warehouse unchanged
# The fixture is tests/data/render-fixture.csv (12 cases).
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data
export SOURCE_DATE_EPOCH=1791417600
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

db=$T/w.db
run_vsp ingest ingest -q --db "$db" --profile "$D/render.ini" "$D/render-fixture.csv"
expect_eq "ingest" "$rc" 0
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0
sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# not a database at all
head -c 20000 /dev/urandom >"$T/noise.db"
for cmd in "stats --period 2026Q3" "aggregate --period 2026Q3" "ingest --profile $D/render.ini $D/render-fixture.csv"; do
  set -- $cmd
  sub=$1
  shift
  run_vsp "notdb-$sub" "$sub" --db "$T/noise.db" "$@"
  expect_eq "$sub on a file that is not a warehouse" "$rc" 65
  expect_contains "$sub on noise" "$T/notdb-$sub.err" "not a vspreport warehouse"
done

# corrupted pages: the roots of case_record and agg_metric overwritten
cp "$db" "$T/bad.db"
$PY - "$T/bad.db" <<'PY' || fail "could not corrupt the copy"
import sqlite3, sys
path = sys.argv[1]
con = sqlite3.connect(path)
ps = con.execute("PRAGMA page_size").fetchone()[0]
roots = [r for (r,) in con.execute(
    "SELECT rootpage FROM sqlite_schema WHERE name IN ('case_record', 'agg_metric')")]
con.close()
assert len(roots) == 2, roots
with open(path, "r+b") as f:
    for r in roots:
        f.seek((r - 1) * ps)
        f.write(b"\xa5" * ps)
PY
run_vsp corrupt-stats stats --db "$T/bad.db" --period 2026Q3 --no-aggregate
expect_eq "stats on a corrupt warehouse" "$rc" 65
expect_contains "stats on a corrupt warehouse" "$T/corrupt-stats.err" "malformed"
run_vsp corrupt-agg aggregate --db "$T/bad.db" --period 2026Q3
expect_eq "aggregate on a corrupt warehouse" "$rc" 65
run_vsp corrupt-report report --db "$T/bad.db" --country AL --period 2026Q3 -o "$T/x.pdf"
expect_eq "report on a corrupt warehouse" "$rc" 65
[ -e "$T/x.pdf" ] && fail "a report was written from a corrupt warehouse"

# busy: another connection holds the write lock longer than the busy timeout
cp "$db" "$T/busy.db"
$PY - "$T/busy.db" "$T/locked" <<'PY' &
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(40)
PY
holder=$!
for _ in $(seq 100); do [ -f "$T/locked" ] && break; sleep 0.1; done
[ -f "$T/locked" ] || fail "the lock holder did not start"
run_vsp busy aggregate --db "$T/busy.db" --period 2026Q3
expect_eq "aggregate on a locked warehouse" "$rc" 75
expect_contains "locked" "$T/busy.err" "in use by another vspreport"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# the warehouse cannot grow: a file-size limit just above its size
cp "$db" "$T/full.db"
# without the aggregates the file is small, so the ingest's writes (to the
# WAL, a file of its own) cannot fit under a limit set just above its size
sql "$T/full.db" "DELETE FROM agg_metric; VACUUM" >/dev/null
before=$(sql "$T/full.db" "SELECT count(*) FROM case_record")
limit=$(( $(stat -c %s "$T/full.db") / 1024 + 8 ))
rc=0
(ulimit -f "$limit" && exec "$VSP" ingest -q --db "$T/full.db" --profile "$SRC/profiles/al-ama.ini" \
  "$SRC/samples/al-ama/al-ama-2026-07-03.csv") >"$T/full.out" 2>"$T/full.err" || rc=$?
expect_eq "ingest into a warehouse that cannot grow" "$rc" 74
expect_contains "cannot grow" "$T/full.err" "check the free space"
expect_eq "cases after the failed ingest" "$(sql "$T/full.db" "SELECT count(*) FROM case_record")" "$before"
expect_eq "integrity after the failed ingest" "$(sql "$T/full.db" "PRAGMA integrity_check")" ok
finish
