# `vspreport run`: the whole quarter in one command, reproducible and
# incremental, on two regulators' samples (to keep the sanitizer build
# quick; the demo runs all six).
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/al-ama" "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000  # 2026-10-26, after the October exports
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef

run_vsp first run --in "$in" --out "$T/a" --period 2026Q3 --profiles "$SRC/profiles"
expect_eq "first run" "$rc" 0
[ "$rc" -eq 0 ] || cat "$T/first.err" >&2
m=$T/a/public/manifest.json
[ -f "$m" ] || fail "no manifest"
# The manifest lists every output with a digest that matches, and every
# input with its own.
$PY - "$T/a/public" "$in" <<'PY' || fail "manifest does not match the files"
import hashlib, json, os, sys
out, inp = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(out, "manifest.json")))
bad = 0
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
listed = set()
for o in m["outputs"]:
    p = os.path.join(out, o["path"])
    listed.add(o["path"])
    if sha(p) != o["sha256"] or os.path.getsize(p) != o["size"]:
        print("output digest differs:", o["path"]); bad += 1
for root, dirs, files in os.walk(out):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), out)
        if rel == "manifest.json" or rel.startswith("releases/"):
            continue  # the archive of releases: tests/cli/releases.sh
        if rel not in listed:
            print("not in the manifest:", rel); bad += 1
        if ".tmp" in rel or ".vsptmp-" in rel:
            print("temporary file left:", rel); bad += 1
for i in m["inputs"]:
    if sha(os.path.join(inp, i["path"])) != i["sha256"]:
        print("input digest differs:", i["path"]); bad += 1
kinds = {o["kind"] for o in m["outputs"]}
for k in ("report", "workbook", "chart", "research-export"):
    if k not in kinds:
        print("no output of kind", k); bad += 1
names = {o["path"] for o in m["outputs"]}
for want in ("reports/al-2026Q3-sq.pdf", "reports/al-2026Q3-en.pdf", "reports/xk-2026Q3-sq.pdf",
             "reports/regional-2026Q3-en.pdf", "reports/regional-2026Q3-sr.pdf",
             "workbooks/al-2026Q3-sq.xlsx", "workbooks/regional-2026Q3-mk.xlsx"):
    if want not in names:
        print("missing", want); bad += 1
if m["period"] != "2026Q3" or len(m["inputs"]) != 4:
    print("period/inputs:", m["period"], len(m["inputs"])); bad += 1
sys.exit(1 if bad else 0)
PY

# Same inputs and SOURCE_DATE_EPOCH: byte-identical outputs.
run_vsp second run --in "$in" --out "$T/b" --period 2026Q3 --profiles "$SRC/profiles"
expect_eq "second run" "$rc" 0
$PY - "$T/a/public/manifest.json" "$T/b/public/manifest.json" <<'PY' || fail "two runs differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
da = {o["path"]: o["sha256"] for o in a["outputs"]}
db = {o["path"]: o["sha256"] for o in b["outputs"]}
diff = sorted(p for p in set(da) | set(db) if da.get(p) != db.get(p))
for p in diff[:20]:
    print("differs:", p)
sys.exit(1 if diff else 0)
PY
cmp -s "$T/a/public/manifest.json" "$T/b/public/manifest.json" || fail "manifests differ"

# Nothing changed: nothing is rewritten, nothing re-ingested.
touch "$T/stamp"
sleep 1
run_vsp third run --in "$in" --out "$T/a" --period 2026Q3 --profiles "$SRC/profiles"
expect_eq "rerun" "$rc" 0
expect_contains "rerun" "$T/third.out" "Nothing changed since the last run"
newer=$(find "$T/a" -type f -newer "$T/stamp" ! -name .vspreport.lock ! -name 'warehouse.db*' | head -5)
expect_eq "files rewritten by a rerun" "$newer" ""
expect_eq "runs in the warehouse" "$(sql "$T/a/private/warehouse.db" "select count(*) from ingest_run")" 4

# figures.csv, its codebook and the EU template layout in public/: what
# `vspreport figures` reads from the run's warehouse (the release apart).
for f in figures.csv figures-codebook.csv eu-template-2026Q3.csv; do
  [ -s "$T/a/public/$f" ] || fail "no public/$f"
done
run_vsp figs figures --db "$T/a/private/warehouse.db" -o "$T/figs.csv" --codebook "$T/cb.csv" \
  --eu-template "$T/eu.csv" --period 2026Q3 --no-aggregate
expect_eq "figures on the run's warehouse" "$rc" 0
cut -d, -f1-8 "$T/a/public/figures.csv" >"$T/run-figs.csv"
cut -d, -f1-8 "$T/figs.csv" | cmp -s - "$T/run-figs.csv" || fail "public/figures.csv differs from vspreport figures"
expect_eq "quarters in figures.csv" "$(tail -n +2 "$T/figs.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')" \
  "2024Q4 2025Q1 2025Q2 2025Q3 2025Q4 2026Q1 2026Q2 2026Q3 "
cmp -s "$T/a/public/figures-codebook.csv" "$T/cb.csv" || fail "public/figures-codebook.csv differs"
grep -v '^1.1,Report identification,release,' "$T/a/public/eu-template-2026Q3.csv" >"$T/run-eu.csv"
grep -v '^1.1,Report identification,release,' "$T/eu.csv" | cmp -s - "$T/run-eu.csv" ||
  fail "public/eu-template-2026Q3.csv differs from vspreport figures --eu-template"

# Default period: the latest complete quarter in the data (2026Q3).
run_vsp default run --in "$in" --out "$T/c" --profiles "$SRC/profiles"
expect_eq "default period run" "$rc" 0
expect_eq "default period" "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["period"])' "$T/c/public/manifest.json")" 2026Q3
finish
