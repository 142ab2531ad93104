# `vspreport run` with an input folder of 65 regulator sub-folders: the
# editions' file-name stems were a fixed table of 64 indexed by folder, so
# the 65th folder wrote past it (issue 23).  Sixty-four folders of AL
# exports and, sorted last, one of XK: both countries' editions are made.
. "$(dirname "$0")/lib/common.sh"
in=$T/in
al=$(ls "$SRC/samples/al-ama/"*.csv | head -1)
xk=$(ls "$SRC/samples/xk-kpm/"*.csv | head -1)
for i in $(seq -w 0 63); do
  mkdir -p "$in/a$i"
  cp "$SRC/profiles/al-ama.ini" "$in/a$i/"
  # a different small file in each (header, then rows i+1 .. i+40)
  { head -1 "$al"; tail -n +2 "$al" | sed -n "$((10#$i + 1)),$((10#$i + 40))p"; } >"$in/a$i/al-$i.csv"
done
mkdir -p "$in/x64"
cp "$SRC/profiles/xk-kpm.ini" "$in/x64/"
cp "$xk" "$in/x64/"
expect_eq "sub-folders" "$(ls "$in" | wc -l)" 65
SOURCE_DATE_EPOCH=1790000000 run_vsp run run --in "$in" --out "$T/out" --period 2026Q3
expect_eq "run" "$rc" 0
for f in reports/al-2026Q3-sq.pdf reports/al-2026Q3-en.pdf reports/xk-2026Q3-sq.pdf \
         reports/xk-2026Q3-en.pdf workbooks/xk-2026Q3-en.xlsx reports/regional-2026Q3-en.pdf; do
  [ -s "$T/out/public/$f" ] || fail "missing $f"
done
expect_eq "inputs in the manifest" \
  "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["inputs"]))' "$T/out/public/manifest.json")" 65
finish
