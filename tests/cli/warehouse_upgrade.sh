# A warehouse of an earlier schema version is upgraded by the commands
# that write (here aggregate), and refused by those that only read, with
# what to do.  Version 4 (queries/0004_case_key.sql) moves the content keys
# out of the index case_content_key into the table case_key: an upgraded
# warehouse holds exactly the content keys of its cases there, and gives
# the same figures, cross-border items included, as one made by this
# version.  The version-3 warehouse is this version's with its schema put
# back as 0001..0003 made it (case_key dropped, the index created again,
# user_version 3).  Version 5 (queries/0005_case_key_country.sql) keys
# case_key by country first; the version-4 warehouse is this version's with
# case_key keyed by content key first again, as 0004 made it.
. "$(dirname "$0")/lib/common.sh"
db=$T/w.db
for reg in mk-avmu xk-kpm al-ama; do
  run_vsp "ingest-$reg" ingest -q --db "$db" --profile "$SRC/profiles/$reg.ini" --rejects-dir "$T" \
    "$SRC/samples/$reg/"*.csv
  expect_eq "ingest $reg" "$rc" 0
done
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate" "$rc" 0
figures() { sql "$1" "SELECT country, category, metric, quote(value) FROM agg_metric WHERE period = '2026Q3' ORDER BY 1, 2, 3; SELECT * FROM agg_crossborder WHERE period = '2026Q3' ORDER BY item; SELECT * FROM agg_crossborder_pair WHERE period = '2026Q3' ORDER BY 2, 3, 4" | sha256sum; }
want=$(figures "$db")
xb=$(sql "$db" "SELECT count(*) FROM agg_crossborder WHERE period = '2026Q3'")
[ "${xb:-0}" -gt 0 ] || fail "no cross-border item in the samples of MK, XK and AL: nothing to compare"
keys=$(sql "$db" "SELECT count(*) FROM case_record WHERE content_key IS NOT NULL")

cp "$db" "$T/v3.db"
sql "$T/v3.db" "DROP TABLE case_key;
  CREATE INDEX case_content_key ON case_record(content_key) WHERE content_key IS NOT NULL;
  DELETE FROM agg_crossborder_pair; DELETE FROM agg_crossborder; DELETE FROM agg_metric;
  DELETE FROM agg_run; PRAGMA user_version = 3;" >/dev/null
# a command that only reads says what to do
run_vsp old-chart chart funnel --db "$T/v3.db" --country AL --period 2026Q3 -o "$T/old.png"
expect_eq "v3: chart exit" "$rc" 65
expect_contains "v3: chart says what to do" "$T/old-chart.err" "upgrade it once with 'vspreport aggregate"
# aggregate upgrades it and computes the same figures
run_vsp upgrade aggregate --db "$T/v3.db" --period 2026Q3
expect_eq "v3: aggregate exit" "$rc" 0
expect_eq "v3: schema version after" "$(sql "$T/v3.db" "PRAGMA user_version")" 5
expect_eq "v3: the index is gone" "$(sql "$T/v3.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'case_content_key'")" 0
expect_eq "v3: case_key holds every content key" "$(sql "$T/v3.db" "SELECT count(*) FROM case_key")" "$keys"
expect_eq "v3: and only the cases' own" "$(sql "$T/v3.db" "SELECT count(*) FROM case_key k JOIN case_record c USING (country, case_id) WHERE c.content_key = k.content_key")" "$keys"
expect_eq "v3: the same figures" "$(figures "$T/v3.db")" "$want"
expect_eq "v3: case_key is kept country by country (version 5)" "$(sql "$T/v3.db" "SELECT count(*) FROM pragma_index_xinfo('sqlite_autoindex_case_key_1') WHERE seqno = 0 AND name = 'country'")" 1
# and takes the next file as a warehouse of this version does
run_vsp more ingest -q --db "$T/v3.db" --profile "$SRC/profiles/rs-rem.ini" --rejects-dir "$T" \
  "$SRC/samples/rs-rem/"*.csv
expect_eq "v3: ingest after the upgrade" "$rc" 0
expect_eq "v3: case_key after the next file" "$(sql "$T/v3.db" "SELECT (SELECT count(*) FROM case_key) = (SELECT count(*) FROM case_record WHERE content_key IS NOT NULL)")" 1
expect_eq "v3: integrity" "$(sql "$T/v3.db" "PRAGMA integrity_check")" ok

# Version 4 to 5 (queries/0005_case_key_country.sql): case_key keyed by
# content key first, as 0004 made it, becomes keyed by country first, with
# the same rows, and the same figures come out of it.
cp "$db" "$T/v4.db"
sql "$T/v4.db" "ALTER TABLE case_key RENAME TO k5;
  CREATE TABLE case_key (content_key TEXT NOT NULL, country TEXT NOT NULL, case_id TEXT NOT NULL,
    PRIMARY KEY (content_key, country, case_id)) WITHOUT ROWID;
  INSERT INTO case_key SELECT content_key, country, case_id FROM k5 ORDER BY 1, 2, 3; DROP TABLE k5;
  DELETE FROM agg_crossborder_pair; DELETE FROM agg_crossborder; DELETE FROM agg_metric;
  DELETE FROM agg_run; PRAGMA user_version = 4;" >/dev/null
keyrows() { sql "$1" "SELECT content_key, country, case_id FROM case_key ORDER BY 1, 2, 3" | sha256sum; }
want_keys=$(keyrows "$db")
expect_eq "v4: keyed by content key first before" "$(sql "$T/v4.db" "SELECT name FROM pragma_index_xinfo('sqlite_autoindex_case_key_1') WHERE seqno = 0")" content_key
run_vsp upgrade4 aggregate --db "$T/v4.db" --period 2026Q3
expect_eq "v4: aggregate exit" "$rc" 0
expect_eq "v4: schema version after" "$(sql "$T/v4.db" "PRAGMA user_version")" 5
expect_eq "v4: keyed by country first after" "$(sql "$T/v4.db" "SELECT name FROM pragma_index_xinfo('sqlite_autoindex_case_key_1') WHERE seqno = 0")" country
expect_eq "v4: the same content keys" "$(keyrows "$T/v4.db")" "$want_keys"
expect_eq "v4: no table left behind" "$(sql "$T/v4.db" "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'case_key%'")" 1
expect_eq "v4: the same figures" "$(figures "$T/v4.db")" "$want"
expect_eq "v4: integrity" "$(sql "$T/v4.db" "PRAGMA integrity_check")" ok
finish
