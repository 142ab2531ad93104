# The damage real exports suffer never changes a published figure in
# silence (issue 14, items 1-5 and the smaller ingest defects): each case is
# a refusal of the file or a reject of one row, and the warehouse (row
# counts, integrity_check) and the published figures (stats --format csv)
# are compared before and after.
. "$(dirname "$0")/lib/common.sh"
D=$SRC/tests/data/ingest
S=$SRC/samples

# state DB — what a refusal must leave alone: row counts, integrity, and
# the published figures.
state() {
  sql "$1" "select (select count(*) from case_record) || ' ' || (select count(*) from reject) || ' ' ||
                   (select count(*) from ingest_run) || ' ' || (select count(*) from case_history)"
  sql "$1" "pragma integrity_check"
  "$VSP" aggregate --db "$1" --period 2026Q3 >/dev/null 2>&1 || echo "aggregate failed"
  # The figures, without the time of the aggregation (data_freeze).
  "$VSP" stats --db "$1" --period 2026Q3 --format csv 2>&1 |
    $PY -c 'import csv, sys
rows = list(csv.reader(sys.stdin))
keep = [i for i, h in enumerate(rows[0] if rows else []) if h != "data_freeze"]
for r in rows: print(",".join(r[i] for i in keep if i < len(r)))'
}

# stat_of DB CC COLUMN — one published figure.
stat_of() {
  "$VSP" stats --db "$1" --period 2026Q3 --format csv |
    $PY -c 'import csv, sys; r = [x for x in csv.DictReader(sys.stdin) if x["country"] == sys.argv[1]]; print(r[0][sys.argv[2]] if r else "none")' "$2" "$3"
}

# accounting NAME — "read new updated unchanged duplicates rejected" of a run.
accounting() {
  sed -n 's/.*rows read \([0-9]*\) = new \([0-9]*\) + updated \([0-9]*\) + unchanged \([0-9]*\) + duplicates \([0-9]*\) + rejected \([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' "$T/$1.out"
}

# ---- 1. A renamed or missing column ---------------------------------------
# The issue's repro: one letter changed in the header of the outcome column
# of the later AMA export.  Without the check AL 2026Q3 actioned fell from
# 420 to 0 with exit 0.
mkdir -p "$T/al" "$T/rej"
cp "$S"/al-ama/*.csv "$T/al/"
sed -i '1s/Përgjigja e TikTok/Pergjigja e TikTok/' "$T/al/al-ama-2026-10-05.csv"
db=$T/al.db
run_vsp al-good ingest --db "$db" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$S/al-ama/al-ama-2026-07-03.csv" "$S/al-ama/al-ama-2026-10-05.csv"
expect_eq "al ingest" "$rc" 0
before=$(state "$db")
expect_eq "AL actioned (as main published it before the damage)" "$(stat_of "$db" AL actioned)" 420
run_vsp renamed ingest --db "$db" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$T/al/al-ama-2026-10-05.csv"
expect_eq "renamed column exit" "$rc" 65
line=$(grep -n '^outcome = ' "$SRC/profiles/al-ama.ini" | cut -d: -f1)
expect_contains "renamed column" "$T/renamed.err" "al-ama-2026-10-05.csv:1: no column 'Përgjigja e TikTok' for the field 'outcome' ($SRC/profiles/al-ama.ini:$line); did you mean 'Pergjigja e TikTok' (column 15)? Nothing of this file was stored."
expect_eq "renamed column: warehouse and figures unchanged" "$(state "$db")" "$before"

# The same file into a warehouse that holds only the earlier export: refused
# too, nothing of it stored.
db1=$T/al1.db
run_vsp al-first ingest --db "$db1" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$S/al-ama/al-ama-2026-07-03.csv"
before1=$(state "$db1")
run_vsp renamed1 ingest --db "$db1" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$T/al/al-ama-2026-10-05.csv"
expect_eq "renamed column (first export only) exit" "$rc" 65
expect_eq "renamed column (first export only): unchanged" "$(state "$db1")" "$before1"

# Declared optional, the column may be absent, and its absence leaves every
# stored outcome alone: the file changes nothing (all its rows unchanged or
# duplicates, as when it was read with the column) and the figures stay.
sed 's/^notes = Shënime$/notes = Shënime\noptional = outcome/' "$SRC/profiles/al-ama.ini" >"$T/al-ama.ini"
run_vsp optional ingest --db "$db" --profile "$T/al-ama.ini" --rejects-dir "$T/rej" "$T/al/al-ama-2026-10-05.csv"
expect_eq "optional absent column exit" "$rc" 0
set -- $(accounting optional)
expect_eq "optional absent column: nothing updated" "${3:-} ${2:-}" "0 0"
expect_eq "AL actioned after the file without its outcome column" "$(stat_of "$db" AL actioned)" 420
expect_eq "AL outcome_pending after the file without its outcome column" "$(stat_of "$db" AL outcome_pending)" "$(echo "$before" | $PY -c 'import csv, sys; print([r for r in csv.DictReader(l for l in sys.stdin if "," in l) if r["country"] == "AL"][0]["outcome_pending"])')"

# Present but empty is not absent: an empty outcome cell of a forwarded case
# is "pending" and overwrites the stored outcome; an absent optional column
# keeps it.
cat >"$T/c1.csv" <<'EOF'
ID,Received,Category,Decision,Outcome,Outcome date
C1,15.08.2026,Piracy,Forwarded,Removed,17.08.2026
EOF
cat >"$T/c2.csv" <<'EOF'
ID,Received,Category,Decision,Outcome date
C1,15.08.2026,Piracy,Forwarded,17.08.2026
EOF
cat >"$T/c3.csv" <<'EOF'
ID,Received,Category,Decision,Outcome,Outcome date
C1,15.08.2026,Piracy,Forwarded,,17.08.2026
EOF
dbc=$T/c.db
run_vsp c1 ingest --db "$dbc" --profile "$D/test.ini" "$T/c1.csv"
run_vsp c2 ingest --db "$dbc" --profile "$D/test.ini" "$T/c2.csv"
expect_eq "absent column: case unchanged" "$(accounting c2)" "1 0 0 1 0 0"
expect_eq "absent column keeps the outcome" "$(sql "$dbc" "select outcome from case_view where case_id = 'C1'")" removed
run_vsp c3 ingest --db "$dbc" --profile "$D/test.ini" "$T/c3.csv"
expect_eq "empty cell: case updated" "$(accounting c3)" "1 0 1 0 0 0"
expect_eq "empty cell makes it pending" "$(sql "$dbc" "select outcome from case_view where case_id = 'C1'")" pending

# ---- 2. A stray quote swallows rows ----------------------------------------
# The issue's file: before, cases 1 and 4 were stored and case 1's notes
# swallowed the next rows.  Now row 1 alone is rejected, with its column.
cat >"$T/abc.ini" <<'EOF'
[regulator]
country = AL
name = Test
short_name = T
language = en
timezone = Europe/Tirane
[format]
delimiter = ,
dates = iso8601
[defaults]
received_at = 2026-08-15
category = other
decision = pending
[columns]
case_id = a
notes = b
legal_basis = c
EOF
printf 'a,b,c\n1,"x"y,3\n2,5,6\n3,"z",9\n4,8,9\n' >"$T/quote.csv"
dbq=$T/q.db
run_vsp quote ingest --db "$dbq" --profile "$T/abc.ini" "$T/quote.csv"
expect_eq "stray quote exit" "$rc" 0
expect_eq "stray quote accounting" "$(accounting quote)" "4 3 0 0 0 1"
expect_contains "stray quote" "$T/quote.out" "quote.csv:2:6: text after a closing quote"
expect_eq "stray quote: the other rows as written" "$(sql "$dbq" "select group_concat(case_id || '=' || notes || '/' || legal_basis, ' ') from (select * from case_record order by case_id)")" "2=5/6 3=z/9 4=8/9"
printf 'a,b,c\n1,x"y,3\n2,5,6\n' >"$T/quote2.csv"
run_vsp quote2 ingest --db "$dbq" --profile "$T/abc.ini" "$T/quote2.csv"
expect_contains "quote in unquoted field" "$T/quote2.out" "quote2.csv:2:4: quote inside an unquoted field"

# On a sample: a stray quote opening a value of row 100 of the later AMA
# export.  rows read stays the file's physical records, one more row is
# rejected, and no other case changes.
cp "$S/al-ama/al-ama-2026-10-05.csv" "$T/al-q.csv"
sed -i '100s/;Formulari online;/;"Formulari online;/' "$T/al-q.csv"
grep -q '"Formulari online;' "$T/al-q.csv" || fail "stray quote not planted in line 100"
dbs=$T/s.db
dbs2=$T/s2.db
run_vsp al-clean ingest --db "$dbs" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$S/al-ama/al-ama-2026-10-05.csv"
run_vsp al-quote ingest --db "$dbs2" --profile "$SRC/profiles/al-ama.ini" --rejects-dir "$T/rej" "$T/al-q.csv"
clean=$(accounting al-clean)
if [ -n "$clean" ]; then
  set -- $clean
  clean="$1 $(($2 - 1)) $3 $4 $5 $(($6 + 1))"
fi
expect_eq "sample with a stray quote: accounting" "$(accounting al-quote)" "$clean"
expect_contains "sample with a stray quote" "$T/al-quote.out" "al-q.csv:100:"
id=$(sed -n '100s/;.*//p' "$T/al-q.csv")
expect_eq "sample with a stray quote: other cases as without it" \
  "$(sql "$dbs2" "select count(*), sum(length(notes)), group_concat(distinct decision_id) from case_record")" \
  "$(sql "$dbs" "select count(*), sum(length(notes)), group_concat(distinct decision_id) from case_record where case_id <> '$id'")"

# ---- 3. Invisible characters make new cases --------------------------------
# A BOM, a zero-width space and a no-break space around a case id, and a
# label written with a combining diaeresis, are the same id and label.
cat >"$T/n.ini" <<'EOF'
[regulator]
country = AL
name = Test
short_name = T
language = en
timezone = Europe/Tirane
[format]
delimiter = ,
dates = %d.%m.%Y
[columns]
case_id = ID
received_at = Received
category = Category
decision = Decision
[category]
Piratëri audiovizive = piracy
[decision]
Në pritje = pending
EOF
printf 'ID,Received,Category,Decision\nAL 1,15.08.2026,Piratëri audiovizive,Në pritje\n' >"$T/n1.csv"
printf 'ID,Received,Category,Decision\n\xef\xbb\xbfAL 1,15.08.2026,Pirate\xcc\x88ri audiovizive,Ne\xcc\x88 pritje\n\xe2\x80\x8bAL\xc2\xa01\xe2\x80\x8b,15.08.2026,Piratëri audiovizive,Në pritje\n' >"$T/n2.csv"
dbn=$T/n.db
run_vsp n1 ingest --db "$dbn" --profile "$T/n.ini" "$T/n1.csv"
run_vsp n2 ingest --db "$dbn" --profile "$T/n.ini" "$T/n2.csv"
expect_eq "invisible characters exit" "$rc" 0
expect_eq "invisible characters: one case, unchanged then a duplicate" "$(accounting n2)" "2 0 0 1 1 0"
expect_eq "invisible characters: stored id" "$(sql "$dbn" "select count(*) || ' ' || hex(case_id) from case_record")" "1 414C2031"

# ---- 4. The wrong encoding is accepted ------------------------------------
# A UTF-8 export read through a windows-1250 profile, a windows-1250 export
# through a UTF-8 one, and a windows-1251 export through a UTF-8 one: each
# refused before anything is stored, naming the likely encoding.
sed 's/^encoding = utf-8$/encoding = windows-1250/' "$SRC/profiles/al-ama.ini" >"$T/al-1250.ini"
before=$(state "$db")
run_vsp enc1 ingest --db "$db" --profile "$T/al-1250.ini" "$S/al-ama/al-ama-2026-10-05.csv"
expect_eq "utf-8 through windows-1250 exit" "$rc" 65
expect_contains "utf-8 through windows-1250" "$T/enc1.err" "the file is most likely utf-8, not windows-1250 as the profile says. Nothing of it was stored: set 'encoding = utf-8'"
expect_eq "utf-8 through windows-1250: unchanged" "$(state "$db")" "$before"
# The header alone cannot tell when it is ASCII: the rows do.
printf 'ID,Received,Category,Decision,Notes\nE1,15.08.2026,Piracy,Pending,Përshkrim\nE2,15.08.2026,Piracy,Pending,Ankesë\n' >"$T/enc2.csv"
sed 's/^encoding = utf-8$/encoding = windows-1250/' "$D/test.ini" >"$T/t1250.ini"
run_vsp enc2 ingest --db "$db" --profile "$T/t1250.ini" "$T/enc2.csv"
expect_eq "utf-8 rows through windows-1250 exit" "$rc" 65
expect_contains "utf-8 rows through windows-1250" "$T/enc2.err" "enc2.csv:2: 2 rows hold UTF-8 multi-byte characters (the first on this line) and no row holds text that is not UTF-8; the file is most likely utf-8"
for reg in me-aem rs-rem; do
  sed 's/^encoding = .*$/encoding = utf-8/' "$SRC/profiles/$reg.ini" >"$T/$reg-utf8.ini"
  f=$(ls "$S/$reg/"*.csv | head -1)
  run_vsp "enc-$reg" ingest --db "$db" --profile "$T/$reg-utf8.ini" "$f"
  expect_eq "$reg through utf-8 exit" "$rc" 65
done
expect_contains "windows-1250 through utf-8" "$T/enc-me-aem.err" "the file is most likely windows-1250, not utf-8"
expect_contains "windows-1251 through utf-8" "$T/enc-rs-rem.err" "the file is most likely windows-1251, not utf-8"
expect_eq "wrong encodings: unchanged" "$(state "$db")" "$before"
# A few bad rows in a file otherwise right are rejected as rows, not the
# file: three rows pass, the fourth refuses it.
printf 'ID,Received,Category,Decision\n' >"$T/bad3.csv"
for i in 1 2 3; do printf 'B%s,15.08.2026,Pira\xe8y,Pending\n' "$i" >>"$T/bad3.csv"; done
printf 'B9,15.08.2026,Piracy,Pending\n' >>"$T/bad3.csv"
run_vsp bad3 ingest --db "$T/b.db" --profile "$D/test.ini" "$T/bad3.csv"
expect_eq "three bad rows exit" "$rc" 0
expect_contains "bad_encoding names its column" "$T/bad3.out" "bad3.csv:2: category: bytes that are not valid utf-8 (or a NUL byte) in column 3 'Category'"
printf 'B4,15.08.2026,Pira\xe8y,Pending\n' >>"$T/bad3.csv"
run_vsp bad4 ingest --db "$T/b4.db" --profile "$D/test.ini" "$T/bad3.csv"
expect_eq "four bad rows exit" "$rc" 65
expect_contains "four bad rows" "$T/bad4.err" "4 rows so far hold bytes that are not valid utf-8"

# ---- 5. A file that changes while it is read -------------------------------
# The file is cut to half (or grown) while ingest reads it, caught in the act
# through /proc: refused, nothing stored.
$PY - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("ID,Received,Category,Decision,Notes\n")
    for i in range(100000):
        f.write(f"G{i},15.08.2026,Piracy,Pending,{'n' * 150}\n")
PY
size=$(stat -c %s "$T/big.csv")
# change_while_read NAME ACTION — start an ingest, stop it once it has read
# part of big.csv, run ACTION on the file, let it go on.
change_while_read() {
  rm -f "$T/$1.db"
  "$VSP" ingest --db "$T/$1.db" --profile "$D/test.ini" "$T/big.csv" >"$T/$1.out" 2>"$T/$1.err" &
  pid=$!
  caught=0
  for _ in $(seq 1 2000); do
    for fd in /proc/$pid/fd/*; do
      [ "$(readlink "$fd" 2>/dev/null)" = "$T/big.csv" ] || continue
      pos=$(sed -n 's/^pos:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null)
      if [ "${pos:-0}" -gt 0 ] && [ "$pos" -lt "$size" ]; then
        kill -STOP $pid && caught=1
      fi
      break
    done
    [ $caught = 1 ] && break
    sleep 0.005
  done
  [ $caught = 1 ] || fail "$1: ingest not caught while reading"
  eval "$2"
  kill -CONT $pid
  rc=0
  wait $pid || rc=$?
}
cp "$T/big.csv" "$T/big.orig"
change_while_read cut 'truncate -s $((size / 2)) "$T/big.csv"'
expect_eq "file cut while read exit" "$rc" 65
expect_contains "file cut while read" "$T/cut.err" "big.csv: the file changed while it was read ($size bytes when opened"
expect_eq "file cut while read: nothing stored" "$(sql "$T/cut.db" "select (select count(*) from case_record) || ' ' || (select count(*) from ingest_run)")" "0 0"
cp "$T/big.orig" "$T/big.csv"
change_while_read grown 'printf "G-extra,15.08.2026,Piracy,Pending,x\n" >>"$T/big.csv"'
expect_eq "file grown while read exit" "$rc" 65
expect_contains "file grown while read" "$T/grown.err" "the file changed while it was read"
expect_eq "file grown while read: nothing stored" "$(sql "$T/grown.db" "select count(*) from case_record")" 0
cp "$T/big.orig" "$T/big.csv"
change_while_read touched 'touch -d "2001-01-01" "$T/big.csv"'
expect_eq "file modified while read exit" "$rc" 65
expect_contains "file modified while read" "$T/touched.err" "modified meanwhile"
rm -f "$T/big.csv" "$T/big.orig"

# ---- Smaller defects -------------------------------------------------------
# Formula starts are neutralised in the rejects CSV; a missing --rejects-dir
# is created (0700: rejected rows hold personal data).
printf 'ID,Received,Category,Decision,Notes\n=HYPERLINK("http://x"),15.08.2026,Nope,Pending,+1+1\n@SUM(A1),15.08.2026,Nope,Pending,-2\n' >"$T/formula.csv"
run_vsp formula ingest --db "$T/f.db" --profile "$D/test.ini" --rejects-dir "$T/new/rejects" "$T/formula.csv"
expect_eq "missing rejects dir exit" "$rc" 0
expect_eq "rejects dir made private" "$(stat -c %a "$T/new/rejects")" 700
$PY - "$T/new/rejects/formula.csv.rejects.csv" <<'PY' || fail "formula starts not neutralised in the rejects CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
raw = [r[5] for r in rows[1:]]
bad = [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
print(raw)
sys.exit(1 if bad or not raw[0].startswith("'=HYPERLINK") or not raw[1].startswith("'@SUM") else 0)
PY

# A truncated row and a total line say what they are, with their line; a
# profile may declare its total lines to skip them.
printf 'ID,Received,Category,Decision\nT1,15.08.2026,Piracy,Pending\nAL-BAD-3,x\nGjithsej,,,700\n' >"$T/short.csv"
run_vsp short ingest --db "$T/sh.db" --profile "$D/test.ini" "$T/short.csv"
expect_contains "truncated row" "$T/short.out" "short.csv:3: row has 2 of 4 columns"
expect_contains "total line" "$T/short.out" "short.csv:4: looks like a total line ('Gjithsej' and numbers)"
sed 's/^header_row = 1$/header_row = 1\ntotal_lines = Gjithsej | Totali/' "$D/test.ini" >"$T/total.ini"
run_vsp total ingest --db "$T/sh2.db" --profile "$T/total.ini" "$T/short.csv"
expect_contains "declared total line" "$T/total.out" "rows read 2 = new 1 + updated 0 + unchanged 0 + duplicates 0 + rejected 1"
expect_contains "declared total line" "$T/total.out" "total lines skipped 1"

# Duplicate header names the profile maps: refused, naming both columns.
printf 'ID,Received,Category,Category,Decision\nD1,15.08.2026,Piracy,Minors,Pending\n' >"$T/dup.csv"
run_vsp dup ingest --db "$T/d.db" --profile "$D/test.ini" "$T/dup.csv"
expect_eq "duplicate header exit" "$rc" 65
expect_contains "duplicate header" "$T/dup.err" "dup.csv:1: columns 3 and 4 are both named 'Category'"

# Control characters never reach the terminal: a label's are dropped with
# the other invisible characters, a profile's are escaped.
printf 'ID,Received,Category,Decision\nK1,15.08.2026,"Pir\033[31macy\r",Pending\n' >"$T/ctl.csv"
run_vsp ctl ingest --db "$T/k.db" --profile "$D/test.ini" "$T/ctl.csv"
expect_contains "control characters dropped from a label" "$T/ctl.out" "unmapped label 'Pir[31macy'"
sed 's/^category = Category$/category = Cat\x1b[31megory/' "$D/test.ini" >"$T/ctl.ini"
run_vsp ctl2 ingest --db "$T/k.db" --profile "$T/ctl.ini" "$T/ctl.csv"
expect_contains "control characters escaped" "$T/ctl2.err" "no column 'Cat\\x1B[31megory' for the field 'category'"
printf '[regulator]\ncountry = A\033L\n' >"$T/ctl3.ini"
run_vsp ctl3 ingest --db "$T/k.db" --profile "$T/ctl3.ini" "$T/ctl.csv"
expect_contains "control characters escaped (profile)" "$T/ctl3.err" "country 'A\\x1BL' is not one of"
if grep -q "$(printf '\033')" "$T"/ctl*.out "$T"/ctl*.err; then fail "an escape character reached the terminal"; fi

# A profile with 200 000 labels loads in linear time (it took over 60 s).
$PY - "$T/many.ini" "$D/test.ini" <<'PY'
import sys
base = open(sys.argv[2], encoding="utf-8").read()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(base)
    f.write("\n[channel]\n")
    for i in range(200000):
        f.write(f"Kanal {i} = other\n")
PY
start=$(date +%s%N)
run_vsp many ingest --db "$T/m.db" --profile "$T/many.ini" "$T/c1.csv"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "200 000 labels exit" "$rc" 0
# Under the sanitizers of the test build; a release build takes about a
# tenth of this (README).
[ "$ms" -lt 8000 ] || fail "200 000 labels took $ms ms"
finish
