#!/usr/bin/env bash
# chart.sh — `vspreport chart` and `vspreport charts` end to end, on the
# chart fixture (tests/data/charts-fixture.sql):
#   every chart, in every format, for a country and the region, the
#   languages taking turns (all seven, Cyrillic included):
#     PNG  decodes (own reader, Python standard library) at the requested
#          size and is not blank
#     SVG  parses (XML) and renders (rsvg-convert) at the size, not blank;
#          its text is text, the title in the chosen language
#     PDF  passes qpdf --check; pdftotext finds the chart's title as the
#          language's catalogue (po/<lang>.po, read here independently) has it
#     CSV  written beside it; its figures equal `vspreport stats --format csv`
#   sizes and resolution, usage and data errors with their exit codes, the
#   catalogue tree of `vspreport charts`, no temporary file left behind.
set -euo pipefail
VSP=${VSP:?path to vspreport}
SRC=${VSP_SOURCE_DIR:?source tree}
T=${VSP_TEST_TMP:-/tmp/vsp-chart-test}
PY=/usr/bin/python3
rm -rf "$T"
mkdir -p "$T"
# fontconfig keeps a cache for the life of the process: not our leak
printf 'leak:libfontconfig.so\n' > "$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export VSP_PO_DIR="$SRC/po"

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }

DB="$T/w.db"
VSP_SOURCE_DIR="$SRC" sh "$SRC/tests/data/make-charts-db.sh" "$DB"

cat > "$T/check_png.py" <<'EOF'
import struct, sys, zlib
path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = open(path, 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
i, idat, ihdr = 8, b'', None
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4])
    t = d[i + 4:i + 8]
    body = d[i + 8:i + 8 + n]
    crc, = struct.unpack('>I', d[i + 8 + n:i + 12 + n])
    assert zlib.crc32(t + body) & 0xffffffff == crc, 'bad CRC in ' + t.decode()
    if t == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', body)
    elif t == b'IDAT':
        idat += body
    i += 12 + n
w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
assert (w, h) == (want_w, want_h), 'size %dx%d, want %dx%d' % (w, h, want_w, want_h)
assert depth == 8 and ctype in (2, 6), 'not 8-bit RGB(A)'
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
row = w * bpp + 1
assert len(raw) == row * h, 'wrong amount of pixel data'
# unfilter (the writer uses filter 2, Up, on every row; accept any) and count non-white pixels
prev = bytearray(row - 1)
ink = 0
colours = set()
for y in range(h):
    f = raw[y * row]
    line = bytearray(raw[y * row + 1:(y + 1) * row])
    if f == 1:
        for x in range(bpp, len(line)): line[x] = (line[x] + line[x - bpp]) & 255
    elif f == 2:
        for x in range(len(line)): line[x] = (line[x] + prev[x]) & 255
    elif f == 3:
        for x in range(len(line)):
            a = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
    elif f == 4:
        for x in range(len(line)):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    elif f != 0:
        raise AssertionError('filter %d not expected' % f)
    if y % 4 == 0:
        for x in range(0, len(line), 4 * bpp):
            px = bytes(line[x:x + 3])
            if bpp == 4 and line[x + 3] == 0:
                px = b'\xff\xff\xff'  # transparent counts as paper
            colours.add(px)
            if px != b'\xff\xff\xff':
                ink += 1
    prev = line
sampled = (h // 4) * (w // 4)
assert ink > sampled * 0.01, 'blank: %d of %d sampled pixels have ink' % (ink, sampled)
assert len(colours) > 8, 'only %d colours' % len(colours)
# (filters 1-4 are decoded too, so PNGs from other writers, e.g. rsvg-convert, check the same)
EOF

# The title of a chart in a language, straight from the catalogue.
cat > "$T/title.py" <<'EOF'
import re, sys
po, msgid = sys.argv[1], sys.argv[2]
if po == '-':
    print(msgid); sys.exit()
text = open(po, encoding='utf-8').read()
m = re.search(r'msgctxt "chart"\nmsgid "%s"\nmsgstr "(.*)"' % re.escape(msgid), text)
print(m.group(1) if m else msgid)
EOF

declare -A TITLE=(
  [funnel]="From citizen report to platform action"
  [categories]="Reports by category: received, forwarded and actioned"
  [outcomes]="What the platform did with forwarded items, by category"
  [timeliness]="How long each step takes"
  [trend]="Reports over the last eight periods"
  [countries]="Reports per 100 000 inhabitants, by country"
  [map]="Reports received per 100 000 inhabitants"
  [heatmap]="Reports received, by category and country"
  [crossborder]="Items reported in two or more countries"
)
LANGS=(en sr sq mk bs cnr sr-Latn)
CHARTS=(funnel categories outcomes timeliness trend countries map heatmap crossborder)
REGIONAL="countries map heatmap crossborder"

k=0
for scope in AL region; do
  for chart in "${CHARTS[@]}"; do
    if [ "$scope" != region ] && [[ " $REGIONAL " == *" $chart "* ]]; then continue; fi
    for fmt in png svg pdf; do
      lang=${LANGS[$((k % 7))]}
      k=$((k + 1))
      out="$T/one/$scope/$lang/$chart.$fmt"
      mkdir -p "$(dirname "$out")"
      if ! "$VSP" chart "$chart" --db "$DB" --period 2026Q3 --country "$scope" --lang "$lang" \
           --format "$fmt" -o "$out" 2> "$T/err"; then
        bad "chart $chart $scope $lang $fmt: $(cat "$T/err")"; continue
      fi
      [ -s "${out%.*}.csv" ] && ok || bad "$out: no CSV beside it"
      case $fmt in
        png) $PY "$T/check_png.py" "$out" 1920 1080 2> "$T/err" && ok || bad "$out: $(tail -1 "$T/err")" ;;
        svg)
          rsvg-convert -o "$T/svg.png" "$out" 2> "$T/err" && [ -s "$T/svg.png" ] && ok \
            || bad "$out: rsvg-convert: $(cat "$T/err")"
          $PY "$T/check_png.py" "$T/svg.png" 1920 1080 2> "$T/err" && ok \
            || bad "$out: rendered SVG: $(tail -1 "$T/err")"
          # text stays text: the title is in the file, in the language
          po="$SRC/po/$lang.po"; [ "$lang" = en ] && po=-
          want=$($PY "$T/title.py" "$po" "${TITLE[$chart]}")
          got=$($PY -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(" ".join(t.firstChild.data for t in d.getElementsByTagName("text") if t.firstChild))' "$out")
          if [[ "$got" == *"$want"* ]]; then ok; else bad "$out: title '$want' not in the SVG text"; fi ;;
        pdf)
          qpdf --check "$out" > "$T/qpdf" 2>&1 && ok || bad "$out: qpdf: $(tail -3 "$T/qpdf")"
          po="$SRC/po/$lang.po"; [ "$lang" = en ] && po=-
          want=$($PY "$T/title.py" "$po" "${TITLE[$chart]}")
          got=$(pdftotext -enc UTF-8 "$out" - | tr '\n' ' ' | tr -s ' ')
          if [[ "$got" == *"$want"* ]]; then ok; else bad "$out: title '$want' not in the text"; fi ;;
      esac
    done
  done
done

# Sizes and resolution.
"$VSP" chart funnel --db "$DB" --period 2026Q3 --country ME --size a4 -o "$T/a4.png" \
  && $PY "$T/check_png.py" "$T/a4.png" 1123 794 && ok || bad "--size a4"
"$VSP" chart trend --db "$DB" --period 2026Q3 --size 1280x720 --dpi 192 -o "$T/hi.png" \
  && $PY "$T/check_png.py" "$T/hi.png" 2560 1440 && ok || bad "--size 1280x720 --dpi 192"
"$VSP" chart map --db "$DB" --period 2026Q3 --size a4 -o "$T/a4.pdf" \
  && pdfinfo "$T/a4.pdf" | grep -q "Page size: *842.25 x 595.5 pts" && ok || bad "a4 PDF page size"

# Fonts (charts/fonts.c): text is set from vspreport's own families, and
# fontconfig's system setup is never loaded (FC_DEBUG=1024 lists every
# configuration file read); a user's FONTCONFIG_FILE is honoured, and with
# the system's setup the same fonts give the same pixels.
FC_DEBUG=1024 "$VSP" chart map --db "$DB" --period 2026Q3 --lang mk -o "$T/own.png" \
  > "$T/fc.out" 2>&1 && ok || bad "chart with FC_DEBUG"
! grep -q "Loading config file" "$T/fc.out" && ok \
  || bad "the system's font setup was loaded: $(grep -m1 'Loading config' "$T/fc.out")"
FC_DEBUG=1024 FONTCONFIG_FILE=/etc/fonts/fonts.conf "$VSP" chart map --db "$DB" \
  --period 2026Q3 --lang mk -o "$T/sys.png" > "$T/fc.out" 2>&1 && ok || bad "chart, system fonts"
grep -q "Loading config file from /etc/fonts/fonts.conf" "$T/fc.out" && ok \
  || bad "FONTCONFIG_FILE was not honoured"
cmp -s "$T/own.png" "$T/sys.png" && ok || bad "own fonts and the system's setup draw differently"

# Errors: usage 64, data 65, no input 66; nothing written.
expect() { # expect CODE PATTERN -- command...
  local code=$1 pat=$2; shift 3
  set +e; "$@" > "$T/out" 2> "$T/err"; local rc=$?; set -e
  if [ $rc -ne "$code" ]; then bad "'$*' exited $rc, want $code: $(cat "$T/err")"
  elif ! grep -q -- "$pat" "$T/err"; then bad "'$*': stderr lacks '$pat': $(cat "$T/err")"
  else ok; fi
}
expect 64 "unknown chart 'pie'" -- "$VSP" chart pie --db "$DB" --period 2026Q3 -o "$T/x.png"
expect 64 "region only" -- "$VSP" chart map --db "$DB" --period 2026Q3 --country AL -o "$T/x.png"
expect 64 "--lang" -- "$VSP" chart funnel --db "$DB" --period 2026Q3 --lang de -o "$T/x.png"
expect 64 "--format" -- "$VSP" chart funnel --db "$DB" --period 2026Q3 -o "$T/x.gif"
expect 64 "period" -- "$VSP" chart funnel --db "$DB" --period 2026Q5 -o "$T/x.png"
expect 65 "aggregate" -- "$VSP" chart funnel --db "$DB" --period 2019Q1 -o "$T/x.png"
expect 66 "cannot open" -- "$VSP" chart funnel --db "$T/none.db" --period 2026Q3 -o "$T/x.png"
expect 73 "cannot create" -- "$VSP" chart funnel --db "$DB" --period 2026Q3 -o "$T/no/such/dir/x.png"
[ ! -e "$T/x.png" ] && ok || bad "a failed chart left a file"
"$VSP" chart --help | grep -q "crossborder" && ok || bad "chart --help"

# The catalogue tree.
"$VSP" charts --db "$DB" --period 2026Q3 --out "$T/tree" --lang en,sr --format png,pdf \
  --country AL,region -q || bad "charts"
n=$(find "$T/tree" -type f | wc -l)
# AL: 5 charts x 2 languages x (2 formats + CSV); region: 9 x 2 x 3
[ "$n" -eq $((5 * 2 * 3 + 9 * 2 * 3)) ] && ok || bad "charts wrote $n files, want 84"
[ -s "$T/tree/AL/sr/funnel.pdf" ] && [ -s "$T/tree/regional/en/map.png" ] \
  && [ -s "$T/tree/regional/sr/heatmap.csv" ] && ok || bad "charts tree layout"
[ -z "$(find "$T" -name '*.vsptmp-*')" ] && ok || bad "temporary files left behind"

# Every chart CSV starts with a UTF-8 byte order mark (Excel on Windows
# reads Cyrillic and "ë" right only with one), then the header.
nobom=0
for f in $(find "$T/tree" -name '*.csv'); do
  [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || nobom=$((nobom + 1))
  sed -n '1s/^\xef\xbb\xbf//p' "$f" | grep -qx 'chart,country,period,table,key,label,metric,value' ||
    nobom=$((nobom + 1))
done
[ "$nobom" -eq 0 ] && ok || bad "$nobom chart CSVs without a BOM and header"

# CSV figures equal the stats figures.
"$VSP" stats --db "$DB" --period 2026Q3 --format csv --no-aggregate > "$T/stats.csv"
$PY - "$T/stats.csv" "$T/tree" <<'EOF' && ok || bad "chart CSVs differ from stats"
import csv, sys
stats = {r['country']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))
         if r.get('category', '*') == '*'}
tree = sys.argv[2]
def rows(scope, chart):
    return list(csv.DictReader(open('%s/%s/en/%s.csv' % (tree, scope, chart), encoding='utf-8-sig')))
def close(a, b, tol):
    return (a == '' and b == '') or abs(float(a) - float(b)) <= tol
errors = []
for scope, key in (('AL', 'AL'), ('regional', 'region')):
    s = stats[key]
    for r in rows(scope, 'funnel'):
        if r['metric'] == 'count' and not close(r['value'], s[r['key']], 0):
            errors.append('%s funnel %s: %s vs %s' % (scope, r['key'], r['value'], s[r['key']]))
    for r in rows(scope, 'timeliness'):
        col = {'median': 'median_h_', 'p90': 'p90_h_', 'n': 'n_'}.get(r['metric'])
        name = col + r['key'] if r['table'] == 'stage' else r['key']
        if r['table'] == 'share':
            name = r['key']
        if name in s and not close(r['value'], s[name], 0.006):
            errors.append('%s timeliness %s: %s vs %s' % (scope, name, r['value'], s[name]))
    trend = [r for r in rows(scope, 'trend') if r['key'] == '2026Q3']
    for r in trend:
        if not close(r['value'], s[r['metric']], 0):
            errors.append('%s trend %s' % (scope, r['metric']))
for r in rows('regional', 'countries'):
    s = stats[r['key']]
    if r['metric'] in s and not close(r['value'], s[r['metric']], 0.00006):
        errors.append('countries %s %s: %s vs %s' % (r['key'], r['metric'], r['value'], s[r['metric']]))
n_cross = sum(int(r['value']) for r in rows('regional', 'crossborder') if r['table'] == 'category')
if str(n_cross) != stats['region']['cross_border_items']:
    errors.append('crossborder items %d vs %s' % (n_cross, stats['region']['cross_border_items']))
if errors:
    print('\n'.join(errors), file=sys.stderr)
    sys.exit(1)
EOF

echo "chart.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
