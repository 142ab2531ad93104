# `vspreport run` under faults: missing input, an output it cannot create,
# a full disk, a corrupt file among good ones, kill -9 while writing
# reports, two runs at once.  The rule everywhere: a clear message and
# status, a consistent warehouse, and never a half-written file under its
# final name — every final file is the one a clean run writes.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/al-ama" "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
P="--period 2026Q3 --profiles $SRC/profiles"

# A clean reference run.
run_vsp ref run --in "$in" --out "$T/ref" $P
expect_eq "reference run" "$rc" 0

# Every file under OUT (but the warehouse and bookkeeping) must be byte-
# identical to the reference's file of the same name; no temporaries left
# unless allowed.
check_no_partial() {
  $PY - "$T/ref" "$1" "$2" <<'PY' || fail "$3: a final file differs from the clean run's"
import hashlib, json, os, sys
ref, out, allow_tmp = sys.argv[1], sys.argv[2], sys.argv[3] == "tmp-ok"
m = {o["path"]: o["sha256"] for o in json.load(open(os.path.join(ref, "public", "manifest.json")))["outputs"]}
bad = 0
pub = os.path.join(out, "public")
for root, dirs, files in os.walk(out):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), pub)
        if not os.path.join(root, f).startswith(pub + os.sep):
            if ".tmp-" in f or ".tmp." in f:
                if not allow_tmp:
                    print("temporary file left:", os.path.relpath(os.path.join(root, f), out)); bad += 1
            continue  # the private half and the lock
        if rel == "manifest.json":
            continue
        if ".vsptmp-" in rel or ".tmp-" in rel or ".tmp." in rel:
            if not allow_tmp:
                print("temporary file left:", rel); bad += 1
            continue
        h = hashlib.sha256(open(os.path.join(root, f), "rb").read()).hexdigest()
        want = rel
        if rel.startswith("releases/"):
            # the release's archive (releases/<P>/v<N>/ or its .partial):
            # the same files as the stable paths, and its manifest
            want = rel.split("/", 3)[3] if rel.count("/") >= 3 else rel
            if want == "manifest.json":
                if h != hashlib.sha256(open(os.path.join(ref, "public", "manifest.json"), "rb").read()).hexdigest():
                    print("archived manifest differs:", rel); bad += 1
                continue
        if m.get(want) != h:
            print("partial or wrong:", rel); bad += 1
sys.exit(1 if bad else 0)
PY
}

# No input folder: 66.
run_vsp noin run --in "$T/nope" --out "$T/x" $P
expect_eq "missing input" "$rc" 66
expect_contains "missing input" "$T/noin.err" "no such input folder"

# An output folder that cannot be created (its parent is a file): 73.
: >"$T/afile"
run_vsp noout run --in "$in" --out "$T/afile/out" $P
expect_eq "cannot create output" "$rc" 73
expect_contains "cannot create output" "$T/noout.err" "cannot create folder"

# Disk full while writing (a 1 MB file-size limit): an I/O error, nothing
# half-written, the warehouse consistent, and a rerun without the limit
# completes and equals the clean run.
rc=0
(ulimit -f 1024; exec "$VSP" run --in "$in" --out "$T/full" $P) >"$T/full.out" 2>"$T/full.err" || rc=$?
case $rc in 73|74) ;; *) fail "disk full: exit $rc"; cat "$T/full.err" >&2 ;; esac
check_no_partial "$T/full" tmp-no "disk full"
[ -f "$T/full/private/warehouse.db" ] && expect_eq "warehouse after disk full" "$(sql "$T/full/private/warehouse.db" "pragma integrity_check")" ok
run_vsp fullagain run --in "$in" --out "$T/full" $P
expect_eq "rerun after disk full" "$rc" 0
check_no_partial "$T/full" tmp-no "rerun after disk full"
cmp -s "$T/ref/public/manifest.json" "$T/full/public/manifest.json" || fail "rerun after disk full differs from the clean run"

# Each writer alone under a full disk: nothing under the final name.
db=$T/ref/private/warehouse.db
for cmd in "report --country region --lang en -o $T/w/r.pdf" \
           "workbook --country AL --lang sq -o $T/w/w.xlsx" \
           "chart map --country region --lang sr --format pdf -o $T/w/c.pdf" \
           "export --out $T/w/export"; do
  mkdir -p "$T/w"
  rc=0
  # shellcheck disable=SC2086
  (ulimit -f 8; exec "$VSP" ${cmd%% *} --db "$db" --period 2026Q3 ${cmd#* }) >/dev/null 2>"$T/w.err" || rc=$?
  [ "$rc" -ne 0 ] || fail "${cmd%% *} under a full disk: exit 0"
  left=$(find "$T/w" -type f -size +0 ! -name '*.csv' | head -3)
  expect_eq "${cmd%% *} under a full disk leaves no output" "$left" ""
  rm -rf "$T/w"
done

# A corrupt file among good ones: the others go through, the bad one is
# named, the status is 65.
cp -r "$in" "$T/in2"
head -c 3000 /dev/urandom >"$T/in2/al-ama/zz-corrupt.csv"
run_vsp corrupt run --in "$T/in2" --out "$T/corrupt" $P
expect_eq "corrupt input" "$rc" 65
expect_contains "corrupt input named" "$T/corrupt.err" "zz-corrupt.csv"
[ -f "$T/corrupt/public/reports/regional-2026Q3-en.pdf" ] || fail "corrupt input: the good inputs were not reported"
expect_eq "corrupt input in the manifest" "$($PY -c 'import json,sys; print([i["status"] for i in json.load(open(sys.argv[1]))["inputs"] if i["path"].endswith("zz-corrupt.csv")])' "$T/corrupt/public/manifest.json")" "['failed']"

# kill -9 while reports are being written: no half-written final file, the
# warehouse consistent, a rerun completes and equals the clean run.
"$VSP" run --in "$in" --out "$T/kill" $P >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 600 ] && [ -z "$(ls "$T/kill/public/reports" 2>/dev/null)" ]; do
  sleep 0.05
  i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check_no_partial "$T/kill" tmp-ok "killed run"
expect_eq "warehouse after kill" "$(sql "$T/kill/private/warehouse.db" "pragma integrity_check")" ok
run_vsp killagain run --in "$in" --out "$T/kill" $P
expect_eq "rerun after kill" "$rc" 0
check_no_partial "$T/kill" tmp-no "rerun after kill"
cmp -s "$T/ref/public/manifest.json" "$T/kill/public/manifest.json" || fail "rerun after kill differs from the clean run"

# Two runs on the same output folder: the second fails at once, clearly.
"$VSP" run --in "$in" --out "$T/two" $P >/dev/null 2>"$T/first.err" &
pid=$!
i=0
while [ $i -lt 600 ] && [ ! -f "$T/two/private/warehouse.db" ]; do
  sleep 0.05
  i=$((i + 1))
done
run_vsp second run --in "$in" --out "$T/two" $P
expect_eq "second run at once" "$rc" 75
expect_contains "second run at once" "$T/second.err" "in use by another vspreport run"
wait $pid || { sed 's/^/  first run: /' "$T/first.err"; fail "the first run failed"; }
expect_eq "warehouse after two runs" "$(sql "$T/two/private/warehouse.db" "pragma integrity_check")" ok
finish
