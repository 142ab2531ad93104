# The public manifest's digests taken beside the web edition (cli/run.c,
# prehash): the manifest may take a digest a thread took earlier only for
# the very file that was hashed.  gdb stops `run` where the manifest is
# about to be written (prehash_join, after the web edition) and changes two
# outputs the thread has hashed: figures.csv replaced by a rename (a new
# inode: how every output is written), and a chart rewritten in place with
# the same size (only its modification time tells).  The manifest must give
# both their new digests, and every other output the digest Python's
# hashlib computes.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
mkdir -p "$in"
cp -r "$SRC/samples/xk-kpm" "$in/"
export SOURCE_DATE_EPOCH=1793000000
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef
out=$T/out
pub=$out/public
# What gdb runs at the breakpoint: the two changes, each logged.
cat >"$T/change.sh" <<SH
set -e
svg=\$(find "$pub/charts" -name '*.svg' | sort | head -n 1)
printf 'changed after hashing\n' >"$pub/figures.csv.new"
mv "$pub/figures.csv.new" "$pub/figures.csv"
# the same bytes but the first, in place: same inode, same size
first=\$(head -c 1 "\$svg")
{ [ "\$first" = "X" ] && printf 'Y' || printf 'X'; } | dd of="\$svg" bs=1 count=1 conv=notrunc status=none
echo "\$svg" >"$T/changed-svg"
SH
run_under_gdb prehash_join "$T/gdb.out" "shell bash $T/change.sh" \
  -- run --in "$in" --out "$out" --period 2026Q3 --profiles "$SRC/profiles"
[ -s "$T/changed-svg" ] || fail "no change made at the breakpoint"
expect_eq "figures.csv as changed" "$(cat "$pub/figures.csv")" "changed after hashing"
$PY - "$pub" "$(cat "$T/changed-svg" 2>/dev/null)" <<'PY' || fail "the manifest does not match the files"
import hashlib, json, os, sys
pub, svg = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(pub, "manifest.json")))
outs = {o["path"]: o for o in m["outputs"]}
bad = 0
for path, o in outs.items():
    p = os.path.join(pub, path)
    h = hashlib.sha256(open(p, "rb").read()).hexdigest()
    if h != o["sha256"] or os.path.getsize(p) != o["size"]:
        print("digest differs from the file:", path); bad += 1
for changed in ("figures.csv", os.path.relpath(svg, pub)):
    if changed not in outs:
        print("not listed:", changed); bad += 1
print(len(outs), "outputs checked")
sys.exit(1 if bad else 0)
PY
finish
