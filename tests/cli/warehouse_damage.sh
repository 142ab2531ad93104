# A file that is not a vspreport warehouse, or a damaged warehouse, is
# refused with a clear message and exit 65 by every command, and nothing is
# computed from it (issue 14, item 6; issue 23: the same damage gives the
# same exit code in every command).
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
for reg in al-ama xk-kpm; do
  run_vsp "ingest-$reg" ingest -q --db "$db" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" \
    "$SRC/samples/$reg/"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0
sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$db" "$T/clean.db"
figures() { sql "$1" "SELECT country, category, metric, quote(value) FROM agg_metric ORDER BY 1, 2, 3" | sha256sum; }
clean_figures=$(figures "$T/clean.db")

check_refused() { # check_refused NAME WANT_TEXT COMMANDS...
  local tag=$1 text=$2
  shift 2
  for cmd in "$@"; do
    expect_eq "$tag: $cmd exit" "$(cat "$T/$tag-$cmd.rc")" 65
    expect_contains "$tag: $cmd message" "$T/$tag-$cmd.err" "$text"
  done
}
# every command on warehouse W, each exit code kept in $T/TAG-COMMAND.rc
# (run_vsp uses the variable name itself)
run_cmds() { # run_cmds NAME W
  local tag=$1 w=$2
  run_vsp "$tag-stats" stats --db "$w" --period 2026Q3; echo "$rc" >"$T/$tag-stats.rc"
  run_vsp "$tag-workbook" workbook --db "$w" --country AL --period 2026Q3 -o "$T/$tag.xlsx"; echo "$rc" >"$T/$tag-workbook.rc"
  run_vsp "$tag-report" report --db "$w" --country AL --period 2026Q3 -o "$T/$tag.pdf"; echo "$rc" >"$T/$tag-report.rc"
  VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef \
    run_vsp "$tag-export" export --db "$w" --period 2026Q3 --out "$T/$tag-export"; echo "$rc" >"$T/$tag-export.rc"
  run_vsp "$tag-chart" chart funnel --db "$w" --period 2026Q3 --country AL -o "$T/$tag.png"; echo "$rc" >"$T/$tag-chart.rc"
  run_vsp "$tag-charts" charts --db "$w" --period 2026Q3 --out "$T/$tag-charts" --lang en --format png; echo "$rc" >"$T/$tag-charts.rc"
  run_vsp "$tag-aggregate" aggregate --db "$w" --period 2026Q3; echo "$rc" >"$T/$tag-aggregate.rc"
  run_vsp "$tag-ingest" ingest -q --db "$w" --profile "$SRC/profiles/me-aem.ini" --rejects-dir "$T" \
    "$SRC/samples/me-aem/"*.csv; echo "$rc" >"$T/$tag-ingest.rc"
}
ALL="stats workbook report export chart charts aggregate ingest"

# 1. an emptied warehouse (0 bytes): refused, left as it was, no output
: >"$T/empty.db"
run_cmds empty "$T/empty.db"
check_refused empty "empty file (0 bytes), not a vspreport warehouse" $ALL
expect_eq "empty: still 0 bytes" "$(stat -c %s "$T/empty.db")" 0
expect_eq "empty: no output" "$(ls "$T" | grep -c '^empty\.\(xlsx\|pdf\|png\)$')" 0

# 2. another program's database (no schema version)
sqlite3 "$T/other.db" "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('x');"
run_cmds other "$T/other.db"
check_refused other "not a vspreport warehouse (it has no schema version" $ALL
expect_eq "other: unchanged" "$(sql "$T/other.db" "SELECT count(*) FROM sqlite_schema")" 1

# 3. not an SQLite file at all
head -c 20000 "$SRC/samples/al-ama/$(ls "$SRC/samples/al-ama" | grep csv | head -1)" >"$T/text.db"
run_cmds text "$T/text.db"
check_refused text "not a vspreport warehouse (not an SQLite database)" $ALL

# 4. a warehouse whose tables are gone (schema version set, tables missing)
cp "$T/clean.db" "$T/gutted.db"
sql "$T/gutted.db" "DROP TABLE agg_metric" >/dev/null
run_cmds gutted "$T/gutted.db"
check_refused gutted "not a complete vspreport warehouse: schema version" $ALL
check_refused gutted "but no table agg_metric" $ALL

# 5. a schema version this binary does not know yet: a configuration error
cp "$T/clean.db" "$T/newer.db"
sql "$T/newer.db" "PRAGMA user_version = 999" >/dev/null
run_vsp newer stats --db "$T/newer.db" --period 2026Q3
expect_eq "newer: exit" "$rc" 78
expect_contains "newer: message" "$T/newer.err" "newer than this vspreport"

# 6. twenty flipped bits in the leaf pages of case_agg, the index the
# figures are computed from: PRAGMA quick_check passes such damage (it does
# not compare an index with its table), and aggregate used to compute from
# it with exit 0.  Now aggregate (and so run, stats and report when they
# aggregate) refuses, and the stored figures stay as they were.
flip() { # flip DB INDEX BITS SEED: flip bits in the cell area of INDEX's leaf
  # pages, each one that SQLite itself would notice (quick_check, or reading
  # the index through) put back: only the silent damage stays
  $PY - "$@" <<'PY'
import random, sqlite3, sys
db, name, nbits, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = sqlite3.connect(db)
ps = c.execute("PRAGMA page_size").fetchone()[0]
pages = [r[0] for r in c.execute(
    "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (name,))]
c.close()
def silent():
    c = sqlite3.connect(db)
    try:
        ok = c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        c.execute("SELECT content_key, country, case_id FROM case_key").fetchall()
        c.execute("SELECT received_day, country, category_id, decision_id, outcome_id, "
                  "received_ts, decided_ts, forwarded_ts, outcome_ts, received_prec, "
                  "decided_prec, forwarded_prec, outcome_prec, first_run, last_run "
                  "FROM case_record INDEXED BY case_agg").fetchall()
        return ok
    except sqlite3.DatabaseError:
        return False
    finally:
        c.close()
rnd = random.Random(seed)
done = 0
with open(db, "r+b", buffering=0) as f:
    while done < nbits:
        off = (rnd.choice(pages) - 1) * ps + rnd.randrange(ps // 2, ps)
        bit = 1 << rnd.randrange(8)
        f.seek(off)
        b = f.read(1)[0]
        f.seek(off)
        f.write(bytes([b ^ bit]))
        if silent():
            done += 1
        else:
            f.seek(off)
            f.write(bytes([b]))
PY
}
for seed in 1 2 3; do
  cp "$T/clean.db" "$T/flip$seed.db"
  flip "$T/flip$seed.db" case_agg 20 "$seed"
  before=$(figures "$T/flip$seed.db")
  run_vsp "flip$seed" aggregate --db "$T/flip$seed.db" --period 2026Q3
  expect_eq "flip $seed: aggregate exit" "$rc" 65
  expect_contains "flip $seed: message" "$T/flip$seed.err" "no longer matches the table case_record"
  expect_contains "flip $seed: what to do" "$T/flip$seed.err" "restore it from a backup"
  expect_eq "flip $seed: figures unchanged" "$(figures "$T/flip$seed.db")" "$before"
done
expect_eq "flip: the clean copy's figures are the ones kept" "$before" "$clean_figures"
# the same for case_key, the content keys the cross-border figures are
# read from (schema version 4): compared with case_record's
for seed in 1 2; do
  cp "$T/clean.db" "$T/kflip$seed.db"
  flip "$T/kflip$seed.db" case_key 5 "$seed"
  before=$(figures "$T/kflip$seed.db")
  run_vsp "kflip$seed" aggregate --db "$T/kflip$seed.db" --period 2026Q3
  expect_eq "case_key flip $seed: aggregate exit" "$rc" 65
  expect_contains "case_key flip $seed: message" "$T/kflip$seed.err" "the table case_key, which the cross-border figures are computed from, no longer matches the table case_record"
  expect_eq "case_key flip $seed: figures unchanged" "$(figures "$T/kflip$seed.db")" "$before"
done

# 7. the same damage, the same exit code in every command: the first bytes
# of every page of a table overwritten (SQLite: "database disk image is
# malformed"); before, 74 from aggregate, stats and the renderers, 65 from
# ingest.  agg_metric is what the renderers read, case_record what the
# research export and aggregate read.
tear() { # tear DB TABLE
  $PY - "$@" <<'PY'
import sqlite3, sys
db, name = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
ps = c.execute("PRAGMA page_size").fetchone()[0]
pages = [r[0] for r in c.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))]
c.close()
with open(db, "r+b") as f:
    for p in pages:
        f.seek((p - 1) * ps)
        f.write(b"\xff" * 64)
PY
}
# 8. `run` on damage only the warehouse check sees (the flipped bits of
# 6.): the check fails, and no research export is published (it reads the
# cases alone, and runs in a process of its own that writes into a
# staging folder): no file under public/export/, no staging left behind.
mkdir -p "$T/in/al-ama" "$T/in/xk-kpm"
cp "$SRC/samples/al-ama/"*.csv "$T/in/al-ama/"
cp "$SRC/samples/xk-kpm/"*.csv "$T/in/xk-kpm/"
cp "$T/clean.db" "$T/runflip.db"
flip "$T/runflip.db" case_agg 20 1
VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef \
  run_vsp runflip run --in "$T/in" --out "$T/runout" --db "$T/runflip.db" --period 2026Q3 \
  --profiles "$SRC/profiles" --quiet
expect_eq "run on silent damage: exit" "$rc" 65
expect_contains "run on silent damage: message" "$T/runflip.err" "no longer matches the table case_record"
expect_eq "run on silent damage: no export published" \
  "$(find "$T/runout/public" -path '*export*' -type f 2>/dev/null | wc -l)" 0
expect_eq "run on silent damage: no staging left" \
  "$(find "$T/runout/private" -name '*staging*' 2>/dev/null | wc -l)" 0
# 8b. The same damage, and a new export to ingest: `run` checks the
# warehouse before its first ingest (what it then writes itself is not
# read again), so it stops there, with nothing added to the warehouse and
# the research export never started.
mkdir -p "$T/in3/me-aem"
cp "$SRC/samples/me-aem/"*.csv "$T/in3/me-aem/"
cp "$T/clean.db" "$T/runflip3.db"
flip "$T/runflip3.db" case_agg 20 1
runs_before=$(sql "$T/runflip3.db" "SELECT count(*) FROM ingest_run")
cases_before=$(sql "$T/runflip3.db" "SELECT count(*) FROM case_record")
VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef \
  run_vsp runflip3 run --in "$T/in3" --out "$T/runout3" --db "$T/runflip3.db" --period 2026Q3 \
  --profiles "$SRC/profiles" --quiet
expect_eq "run, damage and a new file: exit" "$rc" 65
expect_contains "run, damage and a new file: message" "$T/runflip3.err" \
  "no longer matches the table case_record"
expect_eq "run, damage and a new file: no ingest run added" \
  "$(sql "$T/runflip3.db" "SELECT count(*) FROM ingest_run")" "$runs_before"
expect_eq "run, damage and a new file: no case added" \
  "$(sql "$T/runflip3.db" "SELECT count(*) FROM case_record")" "$cases_before"
expect_eq "run, damage and a new file: no export published" \
  "$(find "$T/runout3/public" -path '*export*' -type f 2>/dev/null | wc -l)" 0
expect_eq "run, damage and a new file: no staging left" \
  "$(find "$T/runout3/private" -name '*staging*' 2>/dev/null | wc -l)" 0
# and from the clean warehouse the same run publishes it
cp "$T/clean.db" "$T/runclean.db"
VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef \
  run_vsp runclean run --in "$T/in" --out "$T/runout2" --db "$T/runclean.db" --period 2026Q3 \
  --profiles "$SRC/profiles" --quiet
expect_eq "run, clean: exit" "$rc" 0
expect_eq "run, clean: the export's four files" \
  "$(ls "$T/runout2/public/export" | grep -c '^research-2026Q3')" 4
expect_eq "run, clean: no staging left" \
  "$(find "$T/runout2/private" -name '*staging*' | wc -l)" 0

cp "$T/clean.db" "$T/torn.db"
tear "$T/torn.db" agg_metric
run_cmds torn "$T/torn.db"
check_refused torn "restore it from a backup" stats workbook report chart charts aggregate
cp "$T/clean.db" "$T/torncases.db"
tear "$T/torncases.db" case_record
run_cmds torncases "$T/torncases.db"
check_refused torncases "restore it from a backup" export aggregate
finish
