# `vspreport run`'s output folder can be published whole (issue 16 §3) and
# its clean-up touches only what vspreport made (issue 14 item 7):
#   - every file of a run is listed: each one under OUT/public/ is free of
#     the samples' personal data (tests/check_pii.py, PDFs by their text;
#     not the labels as written, which a translated category name equals),
#     and each one that holds personal data is under OUT/private/, which is
#     0700 with files 0600; the public manifest lists public files only;
#   - an old-layout OUT (warehouse.db, internal/, reports/ ... in OUT) is
#     moved into the new one, keeping the warehouse and the export key; one
#     holding both layouts is refused;
#   - the clean-up removes vspreport's own temporaries, hidden ones too, and
#     nothing else: not a user's *.tmp.docx, not through a symbolic link;
#   - the export key is made 0600 in one piece; an empty or short key (file
#     or VSP_EXPORT_KEY) is refused before anything is ingested;
#   - a symbolic link loop in OUT is named.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/al-ama" "$in/"
export SOURCE_DATE_EPOCH=1793000000
unset VSP_EXPORT_KEY
P="--period 2026Q3 --profiles $SRC/profiles"
O=$T/out

run_vsp first run --in "$in" --out "$O" $P
expect_eq "run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/first.err" >&2
db=$O/private/warehouse.db
expect_eq "OUT holds" "$(ls -A "$O" | tr '\n' ' ')" ".vspreport.lock private public "
expect_eq "private mode" "$(stat -c %a "$O/private")" 700
expect_eq "private files not 0600" "$(find "$O/private" -type f ! -perm 600 | head -3)" ""
expect_eq "private folders not 0700" "$(find "$O/private" -type d ! -perm 700 | head -3)" ""
expect_eq "key length" "$(stat -c %s "$O/private/export.key")" 64
[ -f "$db" ] && [ -n "$(ls "$O/private/rejects/"*.rejects.csv)" ] || fail "warehouse or rejects not in private/"
expect_contains "summary: what to publish" "$T/first.out" "publish this folder as a whole"

# Public: no personal datum anywhere (every file, PDFs by their text too).
$PY "$SRC/tests/check_pii.py" --db "$db" "$O/public" >"$T/pii-public.txt" 2>&1 ||
  fail "personal data under public/: $(head -5 "$T/pii-public.txt")"
# Everything outside public/: whatever holds personal data is in private/.
# The warehouse and the rejects do hold some (so the check can fail).
find "$O" -type f ! -path "$O/public/*" | sort >"$T/others"
while read -r f; do
  if ! $PY "$SRC/tests/check_pii.py" --db "$db" "$f" >/dev/null 2>&1; then
    case $f in "$O/private/"*) ;; *) fail "personal data outside private/: $f" ;; esac
    echo "$f" >>"$T/with-pii"
  fi
done <"$T/others"
grep -q "/private/warehouse.db$" "$T/with-pii" || fail "check_pii found nothing in the warehouse"
grep -q "/private/rejects/" "$T/with-pii" || fail "check_pii found nothing in the rejects"
# The public manifest lists exactly the public files, nothing private.
$PY - "$O" <<'PY' || fail "public manifest"
import json, os, sys
out = sys.argv[1]
pub = os.path.join(out, "public")
m = json.load(open(os.path.join(pub, "manifest.json")))
listed = {o["path"] for o in m["outputs"]}
files = {os.path.relpath(os.path.join(r, f), pub) for r, _, fs in os.walk(pub) for f in fs} - {"manifest.json"}
# the archive of releases is listed release by release (each with its own
# manifest), and holds the same files
files = {f for f in files if not f.startswith("releases/")}
bad = sorted(listed ^ files)
bad += [p for p in listed if "warehouse" in p or "rejects" in p or "key" in p]
priv = json.load(open(os.path.join(out, "private", "manifest.json")))
kinds = {f["path"]: f["sha256"] for f in priv["files"]}
if "warehouse.db" not in kinds or kinds.get("export.key", "") is not None:
    bad.append("private manifest: %r" % kinds)
print(bad[:5]) if bad else None
sys.exit(1 if bad else 0)
PY

# Clean-up: plant temporaries of vspreport's (hidden xlsx, mkstemp, pid)
# and a user's files that only look alike, one in a folder linked from
# public/charts/ and one reached through a linked file.
mkdir -p "$T/user"
echo thesis >"$T/user/thesis.tmp.docx"
echo mine >"$T/user/data.tmp-AbC123"
ln -s "$T/user" "$O/public/charts/linked"
ln -s "$T/user/data.tmp-AbC123" "$O/public/link.tmp-XyZ789"
: >"$O/public/workbooks/.al-2026Q3-sq.xlsx.tmp-Qw3rTy"
: >"$O/public/reports/al-2026Q3-en.pdf.tmp-a1B2c3"
: >"$O/private/manifest.json.tmp.12345"
: >"$O/public/charts/.map.png.vsptmp-Zz9Yy8"
echo notes >"$O/public/notes.tmp.docx"
echo keep >"$O/public/reports/keep.tmp-toolongname"
echo keep >"$O/public/reports/notdot.pdf.vsptmp-Ab12Cd"
run_vsp sweep run --in "$in" --out "$O" $P
expect_eq "rerun" "$rc" 0
for f in "$O/public/workbooks/.al-2026Q3-sq.xlsx.tmp-Qw3rTy" "$O/public/reports/al-2026Q3-en.pdf.tmp-a1B2c3" \
         "$O/private/manifest.json.tmp.12345" "$O/public/charts/.map.png.vsptmp-Zz9Yy8"; do
  [ -e "$f" ] && fail "temporary not removed: $f"
done
for f in "$T/user/thesis.tmp.docx" "$T/user/data.tmp-AbC123" "$O/public/notes.tmp.docx" \
         "$O/public/reports/keep.tmp-toolongname" "$O/public/reports/notdot.pdf.vsptmp-Ab12Cd"; do
  [ -e "$f" ] || fail "clean-up removed a file vspreport did not make: $f"
done
[ -L "$O/public/link.tmp-XyZ789" ] || fail "clean-up removed a symbolic link"
rm -f "$O/public/charts/linked" "$O/public/link.tmp-XyZ789" "$O/public/notes.tmp.docx" "$O/public/reports/keep.tmp-toolongname" \
  "$O/public/reports/notdot.pdf.vsptmp-Ab12Cd"

# The export key: kept across runs; empty or short is refused before any
# ingest, naming the file; VSP_EXPORT_KEY too short likewise.
key=$(cat "$O/private/export.key")
cp "$O/private/export.key" "$T/key.good"
: >"$O/private/export.key"
runs=$(sql "$db" "select count(*) from ingest_run")
touch "$in/al-ama/al-ama-2026-10-05.csv"
printf 'AL-NEW-1\n' >>"$in/al-ama/al-ama-2026-10-05.csv"  # a changed input: it would be ingested
run_vsp emptykey run --in "$in" --out "$O" $P
expect_eq "empty key" "$rc" 78
expect_contains "empty key" "$T/emptykey.err" "$O/private/export.key: the pseudonym key has 0 bytes; it needs at least 32"
expect_eq "nothing ingested with a bad key" "$(sql "$db" "select count(*) from ingest_run")" "$runs"
printf 'short-key-of-31-bytes-xxxxxxxxx' >"$O/private/export.key"
run_vsp shortkey run --in "$in" --out "$O" $P
expect_eq "short key" "$rc" 78
expect_contains "short key" "$T/shortkey.err" "has 31 bytes; it needs at least 32"
cp "$T/key.good" "$O/private/export.key"
VSP_EXPORT_KEY=0123456789abcdef run_vsp envkey run --in "$in" --out "$O" $P
expect_eq "short VSP_EXPORT_KEY" "$rc" 78
expect_contains "short VSP_EXPORT_KEY" "$T/envkey.err" "VSP_EXPORT_KEY: the pseudonym key has 16 bytes"
cp "$SRC/samples/al-ama/al-ama-2026-10-05.csv" "$in/al-ama/"

# A symbolic link loop where run makes a folder: the path is named.
mv "$O/public/reports" "$T/reports.away"
ln -s reports "$O/public/reports"
run_vsp loop run --in "$in" --out "$O" $P --force
expect_eq "loop" "$rc" 73
expect_contains "loop named" "$T/loop.err" "$O/public/reports: a symbolic link loop"
rm "$O/public/reports"
mv "$T/reports.away" "$O/public/reports"
ln -s "$T/selfloop" "$T/selfloop"
run_vsp loop2 run --in "$in" --out "$T/selfloop" $P
expect_eq "OUT a loop" "$rc" 73
expect_contains "OUT loop named" "$T/loop2.err" "$T/selfloop: a symbolic link loop"

# An old-layout OUT (as vspreport wrote it before): moved, the warehouse
# and the key kept, outputs under public/, the user told.
old=$T/old
mkdir -p "$old/internal"
cp -r "$O/public/." "$old/"
# (figures.csv, its codebook, the EU template layout, revisions.csv and
# the archive of releases came after it)
rm -rf "$old/figures.csv" "$old/figures-codebook.csv" "$old"/eu-template-*.csv \
  "$old/revisions.csv" "$old/releases"
cp "$db" "$old/warehouse.db"
chmod 644 "$old/warehouse.db"
cp "$O/private/export.key" "$old/.export.key"
cp -r "$O/private/rejects" "$old/internal/rejects"
run_vsp migrate run --in "$in" --out "$old" $P
expect_eq "migrate" "$rc" 0
expect_contains "migrate told" "$T/migrate.err" "had the old layout; moved warehouse.db -> private/warehouse.db"
expect_eq "migrated OUT holds" "$(ls -A "$old" | tr '\n' ' ')" ".vspreport.lock private public "
expect_eq "key kept" "$(cat "$old/private/export.key")" "$key"
expect_eq "warehouse mode" "$(stat -c %a "$old/private/warehouse.db")" 600
[ -f "$old/public/reports/regional-2026Q3-en.pdf" ] || fail "migrated reports not under public/"
cmp -s "$O/public/export/research-2026Q3.csv" "$old/public/export/research-2026Q3.csv" ||
  fail "migrated run's export differs (key not kept?)"
# both layouts at once: refused, nothing moved
mkdir -p "$T/mixed/public"
: >"$T/mixed/warehouse.db"
run_vsp mixed run --in "$in" --out "$T/mixed" $P
expect_eq "mixed layout" "$rc" 73
expect_contains "mixed layout" "$T/mixed.err" "holds both the old layout (warehouse.db directly in it) and the new one"
[ -f "$T/mixed/warehouse.db" ] || fail "mixed layout: a file was moved"
finish
