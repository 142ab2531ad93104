# Ingest accounting on crafted files with each kind of bad row.  Expected
# figures are worked out by hand from tests/data/ingest/*.csv:
#
# accounting.csv (LF, no newline at the end):
#   line  1 header
#   line  2 C1  ok                                  -> new
#   line  3 C2  ok, notes "two\nlines" spans 3-4     -> new
#   line  5 (empty)                                  -> blank
#   line  6 C3  31.02.2026                           -> rejected bad_date
#   line  7 C4  category "Piracyy"                   -> rejected unmapped_label
#   line  8 C1  again, identical                     -> duplicate
#   line  9 C5  empty decision                       -> rejected missing_value
#   line 10 C6  an 11th non-empty cell               -> rejected extra_fields
#   line 11 C7  trailing empty cells                 -> new
#   line 12 C8  NUL byte in notes                    -> rejected bad_encoding
#   line 13 C9  outcome on a no_violation case       -> rejected inconsistent
#   line 14 ",,,,,,,,,"                              -> blank
#   line 15 C10 ISO 8601 with offset, quoted id      -> new
# rows read 11 = new 4 + updated 0 + unchanged 0 + duplicates 1 + rejected 6
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data/ingest
db=$T/w.db

run_vsp first ingest --db "$db" --profile "$D/test.ini" "$D/accounting.csv"
expect_eq "exit status" "$rc" 0
expect_contains "summary" "$T/first.out" "rows read 11 = new 4 + updated 0 + unchanged 0 + duplicates 1 + rejected 6"
expect_contains "summary" "$T/first.out" "blank lines skipped 2"
expect_contains "summary" "$T/first.out" "missing_value 1 bad_date 1 unmapped_label 1 bad_encoding 1 extra_fields 1 inconsistent 1"
expect_contains "bad date" "$T/first.out" "accounting.csv:6: received_at:"
expect_contains "the profile line to add" "$T/first.out" "accounting.csv:7: category: unmapped label 'Piracyy' (column 3); add this line under [category] in $D/test.ini: 'Piracyy = piracy'"
expect_eq "run row" "$(sql "$db" "select rows_read||' '||blank_lines||' '||rows_new||' '||rows_updated||' '||rows_unchanged||' '||rows_duplicate||' '||rows_rejected from ingest_run where id = 1")" "11 2 4 0 0 1 6"
expect_eq "rejects kept" "$(sql "$db" "select group_concat(line||':'||reason, ' ') from (select * from reject order by line)")" \
  "6:bad_date 7:unmapped_label 9:missing_value 10:extra_fields 12:bad_encoding 13:inconsistent"
# The rejects report: a header and six rows (one row spans no lines here).
rep=$T/accounting.csv.rejects.csv
[ -f "$rep" ] || fail "no rejects report at $rep"
expect_eq "rejects report rows" "$($PY -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))))' "$rep")" 7
# Values as the profile says: Europe/Belgrade is UTC+2 in August and UTC+1
# in January; date-only values keep their precision.
expect_eq "C1" "$(sql "$db" "select received_at||' '||decision||' '||outcome||' '||forwarded_at||' '||outcome_at from case_view where case_id='C1'")" \
  "2026-08-15T12:30:00Z forwarded removed 2026-08-16T08:00:00Z 2026-08-17T08:00:00Z"
expect_eq "C2 winter" "$(sql "$db" "select received_at from case_view where case_id='C2'")" "2026-01-15T13:30:00Z"
expect_eq "C7 date only" "$(sql "$db" "select received_at||' '||received_prec||' '||received_day from case_view join case_record using(country, case_id) where case_id='C7'")" "2026-08-15 1 20260815"
expect_eq "C10 offset, pending outcome" "$(sql "$db" "select received_at||' '||outcome||' '||received_day from case_view join case_record using(country, case_id) where case_id='C10'")" \
  "2026-08-15T21:30:00Z pending 20260815"
expect_eq "regulator from the profile" "$(sql "$db" "select regulator||'|'||short_name||'|'||language||'|'||timezone from country where code='AL'")" "Test Regulator|TR|en|Europe/Belgrade"
expect_eq "C10 key" "$(sql "$db" "select content_key from case_record where case_id='C10'")" "tiktok:video:7000000000000000002"
expect_eq "C10 quotes" "$(sql "$db" "select notes from case_record where case_id='C10'")" 'say "hi"'
expect_eq "C2 quoted newline" "$(sql "$db" "select notes from case_record where case_id='C2'")" "two
lines"

# Re-ingesting the same file changes no case.
before=$(sql "$db" "select group_concat(case_id||row_hash||last_run, ',') from case_record")
run_vsp again ingest --db "$db" --profile "$D/test.ini" "$D/accounting.csv"
expect_eq "exit status (again)" "$rc" 0
expect_contains "summary (again)" "$T/again.out" "rows read 11 = new 0 + updated 0 + unchanged 4 + duplicates 1 + rejected 6"
expect_eq "cases unchanged" "$(sql "$db" "select group_concat(case_id||row_hash||last_run, ',') from case_record")" "$before"

# A later export (CRLF) updates C1 (outcome removed -> geo_blocked), repeats
# C2 unchanged and brings C11; provenance keeps where C1 first came from.
run_vsp update ingest --db "$db" --profile "$D/test.ini" "$D/update.csv"
expect_contains "summary (update)" "$T/update.out" "rows read 3 = new 1 + updated 1 + unchanged 1 + duplicates 0 + rejected 0"
expect_eq "C1 updated" "$(sql "$db" "select outcome||' '||outcome_at||' '||first_run||' '||first_line||' '||last_run||' '||last_line from case_view where case_id='C1'")" \
  "geo_blocked 2026-08-18T07:00:00Z 1 2 3 2"
expect_eq "C1 history" "$(sql "$db" "select group_concat(run_id||':'||change, ' ') from case_history where case_id='C1'")" "3:updated"
expect_eq "cases" "$(sql "$db" "select count(*) from case_record")" 5
# Content keys live in case_key too (schema version 4), inserted in key
# order at the end of each file; a later export that changes a case's URL
# moves its key: C1 to video ...9, C2 takes C1's old video ...1, C10's URL
# is gone.  By hand: case_key = {(...1, AL, C2), (...9, AL, C1)}.
expect_eq "case_key after two files" "$(sql "$db" "select group_concat(content_key||' '||country||' '||case_id, ', ') from case_key")" \
  "tiktok:video:7000000000000000001 AL C1, tiktok:video:7000000000000000002 AL C10"
printf '%s\n' 'ID,Received,Category,Decision,Outcome,URL,Forwarded,Outcome date,Name,Notes' \
  'C1,15.08.2026 14:30,Piracy,Forwarded,Blocked,https://www.tiktok.com/@a/video/7000000000000000009,16.08.2026 10:00,18.08.2026 09:00,Ana Example,plain' \
  'C2,15.01.2026 14:30,minors,No violation,,https://www.tiktok.com/@b/video/7000000000000000001,,,Bo Example,"two' 'lines"' \
  'C10,2026-08-15T23:30:00+02:00,Piracy,Forwarded,,,,,,"say ""hi"""' >"$T/keys.csv"
run_vsp keys ingest --db "$db" --profile "$D/test.ini" "$T/keys.csv"
expect_contains "summary (keys)" "$T/keys.out" "rows read 3 = new 0 + updated 3 + unchanged 0 + duplicates 0 + rejected 0"
expect_eq "case_key after the keys moved" "$(sql "$db" "select group_concat(content_key||' '||country||' '||case_id, ', ') from case_key")" \
  "tiktok:video:7000000000000000001 AL C2, tiktok:video:7000000000000000009 AL C1"
expect_eq "case_key is case_record's keys" "$(sql "$db" "select count(*) from case_record where content_key is not null")" 2

# Header only: nothing read, nothing wrong.
run_vsp header ingest --db "$db" --profile "$D/test.ini" "$D/header_only.csv"
expect_eq "header only exit" "$rc" 0
expect_contains "header only" "$T/header.out" "rows read 0 = new 0"

# A quote never closed costs its own line only: the line after it is read
# as the record it is (Q3), and every physical line is accounted for.
run_vsp unterm ingest --db "$db" --profile "$D/test.ini" "$D/unterminated.csv"
expect_eq "unterminated exit" "$rc" 0
expect_contains "unterminated" "$T/unterm.out" "rows read 3 = new 2 + updated 0 + unchanged 0 + duplicates 0 + rejected 1"
expect_contains "unterminated" "$T/unterm.out" "unterminated.csv:3:22: quoted field never closed"

# A missing required column fails that file (65) and leaves no trace.
runs=$(sql "$db" "select count(*) from ingest_run")
run_vsp missing ingest --db "$db" --profile "$D/test.ini" "$D/missing_column.csv"
expect_eq "missing column exit" "$rc" 65
expect_contains "missing column" "$T/missing.err" "missing_column.csv:1: no column 'Received' for the field 'received_at' ($D/test.ini:20); the header has 'ID', 'Category', 'Decision'. Nothing of this file was stored."
expect_eq "no run recorded" "$(sql "$db" "select count(*) from ingest_run")" "$runs"

# No such file: 66; a bad profile: 78 with file:line; usage: 64.
run_vsp nofile ingest --db "$db" --profile "$D/test.ini" "$T/nope.csv"
expect_eq "no such file" "$rc" 66
printf '[regulator]\ncountry = AL\n[format]\ndelimiter = |\n' > "$T/bad.ini"
run_vsp badprofile ingest --db "$db" --profile "$T/bad.ini" "$D/accounting.csv"
expect_eq "bad profile" "$rc" 78
expect_contains "bad profile" "$T/badprofile.err" "bad.ini:4: delimiter '|' is not one of , ; tab auto"
run_vsp usage ingest --db "$db"
expect_eq "usage" "$rc" 64
run_vsp help ingest --help
expect_eq "help" "$rc" 0
expect_contains "help" "$T/help.out" "Usage: vspreport ingest --db DB --profile PROFILE FILE..."
# A failure while storing (here: the rejects report cannot be created; a
# file where its folder should be stops root too) stops the parsing
# thread, reports the error and rolls the whole file back.
db2=$T/w2.db
: > "$T/notadir"
run_vsp norejects ingest --db "$db2" --profile "$D/test.ini" --rejects-dir "$T/notadir" "$D/accounting.csv"
expect_eq "rejects report cannot be written" "$rc" 73
expect_contains "rejects report cannot be written" "$T/norejects.err" "cannot write rejects report"
expect_eq "nothing of the file kept" "$(sql "$db2" "select (select count(*) from ingest_run) || ' ' || (select count(*) from case_record) || ' ' || (select count(*) from reject)")" "0 0 0"
expect_eq "integrity" "$(sql "$db" "pragma integrity_check")" ok
expect_eq "foreign keys" "$(sql "$db" "pragma foreign_key_check")" ""
# A total line ("Total,<count>,...") is said to be one, with the profile
# line that would skip such lines.
printf 'ID,Received,Category,Decision\nT1,15.08.2026,Piracy,No violation\nTotal,,1,\n' >"$T/total.csv"
run_vsp total ingest --db "$T/total.db" --profile "$D/test.ini" "$T/total.csv"
expect_eq "total line exit" "$rc" 0
expect_contains "total line" "$T/total.out" "rows read 2 = new 1 + updated 0 + unchanged 0 + duplicates 0 + rejected 1"
expect_contains "total line" "$T/total.out" "total.csv:3: looks like a total line ('Total' and numbers), not a case; to skip such lines without rejecting them, add 'total_lines = Total' under [format] in $D/test.ini"
# A number where a label belongs in a row that is no total line: the
# message says what it most likely is before suggesting to map it.
printf 'ID,Received,Category,Decision\nT2,15.08.2026,1,No violation\n' >"$T/number.csv"
run_vsp number ingest --db "$T/total.db" --profile "$D/test.ini" "$T/number.csv"
expect_contains "number label" "$T/number.out" "number.csv:2: category: unmapped label '1' (column 3); a number where a label belongs: a total line, or cells moved by a missing or extra delimiter, is not a case and can stay rejected; only if the export codes labels as numbers, add this line under [category] in $D/test.ini: '1 = <code>'"
finish
