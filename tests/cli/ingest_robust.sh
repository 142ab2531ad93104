# Ingest never crashes and never loses a row on hostile input: encodings,
# delimiter detection, a title line, huge cells, a kill in mid-file.
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data/ingest
db=$T/w.db

# Windows-1251 with a UTF-8 BOM-less title line, auto-detected ';', header on
# line 2, Cyrillic labels matched ignoring case, one byte (0x98) that is not
# a character in windows-1251.
$PY - "$T/cyr.csv" <<'PY'
import sys
rows = [
    "Извештај РЕМ — пробни извоз",
    "Број предмета;Датум пријема;Категорија;Одлука",
    "Р-1;15.08.2026. 14:30;ПИРАТЕРИЈА;Прослеђено",
    "Р-2;29.02.2024.;заштита малолетника;Нема повреде",
]
data = "\r\n".join(rows).encode("cp1251") + b"\r\nR-3;01.01.2026.;\x98;Prosle\r\n"
open(sys.argv[1], "wb").write(data)
PY
run_vsp cyr ingest --db "$db" --profile "$D/cyr.ini" "$T/cyr.csv"
expect_eq "cyr exit" "$rc" 0
expect_contains "cyr" "$T/cyr.out" "rows read 3 = new 2 + updated 0 + unchanged 0 + duplicates 0 + rejected 1"
expect_contains "cyr" "$T/cyr.out" "cyr.csv:5: category: bytes that are not valid windows-1251"
expect_eq "cyr values" "$(sql "$db" "select group_concat(case_id||' '||category||' '||decision||' '||received_at||' '||national_label, '|') from (select * from case_view where country='RS' order by case_id)")" \
  "Р-1 piracy forwarded 2026-08-15T12:30:00Z ПИРАТЕРИЈА|Р-2 minors no_violation 2024-02-29 заштита малолетника"

# Cells of 1 000 000 bytes are read; 2 000 000 bytes reject their row.
$PY - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("ID,Received,Category,Decision,Notes\n")
    f.write("B1,15.08.2026,Piracy,Pending,\"" + "x" * 1000000 + "\"\n")
    f.write("B2,15.08.2026,Piracy,Pending," + "y" * 2000000 + "\n")
    f.write("B3,15.08.2026,Piracy,Pending,short\n")
PY
run_vsp big ingest --db "$db" --profile "$D/test.ini" "$T/big.csv"
expect_eq "big exit" "$rc" 0
expect_contains "big" "$T/big.out" "rows read 3 = new 2 + updated 0 + unchanged 0 + duplicates 0 + rejected 1"
expect_contains "big" "$T/big.out" "big.csv:3: notes: a cell is longer than 1048576 bytes (2000000 bytes in column 5 'Notes')"
expect_eq "big note" "$(sql "$db" "select length(notes) from case_record where case_id='B1'")" 1000000

# Random bytes, NULs, lone quotes and CRs: accounted for, no crash.
$PY - "$T/noise.csv" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "wb") as f:
    f.write(b"ID,Received,Category,Decision\n")
    for i in range(2000):
        f.write(bytes(r.choice(b'ab,"\r\n\x00\xff;1.') for _ in range(r.randint(0, 40))))
PY
run_vsp noise ingest --db "$db" --profile "$D/test.ini" "$T/noise.csv"
case $rc in 0|65) ;; *) fail "noise: exit $rc"; cat "$T/noise.err" >&2 ;; esac
if [ "$rc" -eq 0 ]; then
  n=$(sed -n 's/.*rows read \([0-9]*\) = new \([0-9]*\) + updated \([0-9]*\) + unchanged \([0-9]*\) + duplicates \([0-9]*\) + rejected \([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' "$T/noise.out")
  set -- $n
  expect_eq "noise accounting" "$1" "$(( $2 + $3 + $4 + $5 + $6 ))"
fi

# kill -9 in mid-file: the warehouse is exactly as before that file, and a
# rerun completes.
$PY - "$T/large.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("ID,Received,Category,Decision,Notes\n")
    for i in range(400000):
        f.write(f"K{i},15.08.2026 10:{i % 60:02d},Piracy,No violation,note {i}\n")
PY
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate before the kill" "$rc" 0
before=$(sql "$db" "select (select count(*) from case_record)||' '||(select count(*) from ingest_run)||' '||(select count(*) from reject)")
"$VSP" ingest --db "$db" --profile "$D/test.ini" "$T/large.csv" >/dev/null 2>&1 &
pid=$!
# Wait until the ingest is writing, then kill it hard.  A file this large
# runs with a rollback journal (pipeline/ingest.c, bulk_plan), so the
# warehouse file itself grows while its journal exists; with WAL it would
# be the WAL that grows.  Either way the kill lands in mid-transaction,
# which the test checks by the journal or WAL still being there.
size0=$(stat -c %s "$db")
i=0
while [ $i -lt 600 ]; do
  sz=$(stat -c %s "$db" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
  [ $((sz - size0)) -gt 4000000 ] || [ "$wal" -gt 4000000 ] && break
  sleep 0.02
  i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ -e "$db-journal" ] || [ -s "$db-wal" ] ||
  fail "kill in mid-file: no journal or WAL left, the ingest had finished before the kill"
# The first command after the kill is a renderer, whose connection is
# read-only: it must still find the warehouse as before the file (the
# killed ingest's journal rolled back), not fail on the journal.
run_vsp killchart chart funnel --db "$db" --country AL --period 2026Q3 --lang en --format svg -o "$T/after-kill.svg"
expect_eq "chart after kill exit" "$rc" 0
[ -s "$T/after-kill.svg" ] || fail "chart after kill: no chart written"
[ -e "$db-journal" ] && fail "chart after kill: the killed ingest's journal is still there"
expect_eq "killed ingest left nothing" "$(sql "$db" "select (select count(*) from case_record)||' '||(select count(*) from ingest_run)||' '||(select count(*) from reject)")" "$before"
expect_eq "integrity after kill" "$(sql "$db" "pragma integrity_check")" ok
# The 400 000-row file is a bulk load (indexes dropped, rebuilt at the end):
# the kill must not have cost the warehouse its indexes.
indexes="$(sql "$db" "select group_concat(name, ' ') from (select name from sqlite_schema where type = 'index' and tbl_name = 'case_record' and sql is not null order by name)")"
expect_eq "indexes after kill" "$indexes" "case_agg"
run_vsp rerun ingest --db "$db" --profile "$D/test.ini" "$T/large.csv"
expect_eq "rerun exit" "$rc" 0
expect_contains "rerun" "$T/rerun.out" "rows read 400000 = new 400000 + updated 0 + unchanged 0 + duplicates 0 + rejected 0"
expect_eq "indexes after bulk load" "$(sql "$db" "select group_concat(name, ' ') from (select name from sqlite_schema where type = 'index' and tbl_name = 'case_record' and sql is not null order by name)")" "$indexes"
expect_eq "integrity after bulk load" "$(sql "$db" "pragma integrity_check")" ok
# The disk fills up in the middle of a large file (rollback journal,
# pipeline/ingest.c bulk_plan): a clear error, the warehouse exactly as
# before the file, back in WAL.  RLIMIT_FSIZE lets the warehouse grow by a
# few megabytes only.
sed 's/^K/L/' "$T/large.csv" >"$T/large2.csv"
before=$(sql "$db" "select (select count(*) from case_record)||' '||(select count(*) from ingest_run)")
limit=$(( $(stat -c %s "$db") / 1024 + 4096 ))
rc=0
(ulimit -f "$limit" && exec "$VSP" ingest --db "$db" --profile "$D/test.ini" "$T/large2.csv") \
  >"$T/full.out" 2>"$T/full.err" || rc=$?
expect_eq "disk full exit" "$rc" 74
expect_contains "disk full" "$T/full.err" "the warehouse is unchanged"
expect_eq "disk full left nothing" "$(sql "$db" "select (select count(*) from case_record)||' '||(select count(*) from ingest_run)")" "$before"
expect_eq "integrity after disk full" "$(sql "$db" "pragma integrity_check")" ok
expect_eq "journal after disk full" "$(sql "$db" "pragma journal_mode")" wal
finish
