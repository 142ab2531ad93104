# What every output of a sample `run` must hold (issue 17), checked from the
# outside:
#  - no label is ever cut: the whole chart catalogue in all seven languages
#    (SVG, whose labels are <text>) and every report (pdftotext) hold no "…"
#    (the catalogues have none, so any would be one the code inserted);
#  - every chart CSV starts with a UTF-8 byte order mark;
#  - the Kosovo designation note in every regional output (report, workbook
#    About sheet, regional charts) in every language, Kosovo's name marked
#    "*" there, and in no national output; `--kosovo-note off` removes it;
#  - a report's logo is checked for type and size before it is decoded;
#  - automatic key findings, checked against `stats` (the change in reports
#    received, the largest categories, the caveat naming the regulator
#    whose log has no times) in English, Serbian and Albanian;
#  - the regulator's foreword (foreword.<lang>.md beside the profile, or in
#    the input folder for the regional edition) opens the report and is on
#    the workbook's About sheet, escaped; one outside the subset is refused
#    with file:line;
#  - every report is PDF/UA-structured (pdfua_check.py on `qpdf --json`:
#    XMP with pdfuaid, DisplayDocTitle, /Tabs /S, no untagged text);
#  - the input-files table lists every export whose rows the figures use:
#    the files that first brought or last changed a case received in any
#    of the eight periods the report shows (by sqlite3 on the warehouse).
. "$(dirname "$0")/lib/common.sh"
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export SOURCE_DATE_EPOCH=1791331200

# the catalogues themselves: no ellipsis, so the check below can only find
# one that the code made
n=$(cat "$SRC"/po/*.po | grep -c '…')
expect_eq "ellipses in the catalogues" "$n" 0

# the samples, with a foreword for REM's Serbian edition and the regional
# English one (text that must come out as text, not markup or formulas)
cp -r "$SRC/samples" "$T/in"
cat >"$T/in/rs-rem/foreword.sr.md" <<'MD'
# Реч регулатора

Ово је **наш** извештај: 1 < 2 & 3 > 2, [сајт](https://rem.rs/izvestaji).

- прва ставка
- =SUM(A1:A9) остаје текст
MD
printf '%s\n' 'The regulators of the region thank *every* citizen who reported.' '' \
  '=HYPERLINK("http://x","y") stays text & so does 1 < 2.' >"$T/in/foreword.en.md"
run_vsp run run --in "$T/in" --out "$T/out" --period 2026Q3
expect_eq "run exit status" "$rc" 0
run_vsp charts charts --db "$T/out/private/warehouse.db" --period 2026Q3 --out "$T/cat" --format svg -q
expect_eq "charts exit status" "$rc" 0

n_svg=$(find "$T/cat" -name '*.svg' | wc -l)
# six countries x 5 charts + the region's 9, in 7 languages
expect_eq "SVG charts" "$n_svg" $(((6 * 5 + 9) * 7))
cut=$(grep -l '…' $(find "$T/cat" "$T/out/public/charts" -name '*.svg') 2>/dev/null | head -5)
[ -n "$cut" ] && fail "charts with a cut label: $cut"
for f in $(find "$T/cat" "$T/out/public/charts" -name '*.svg' | head -3); do
  grep -q '<text' "$f" || fail "$f has no <text>: the check above would see nothing"
done

n_pdf=0
for f in "$T"/out/public/reports/*.pdf; do
  n_pdf=$((n_pdf + 1))
  pdftotext "$f" "$T/r.txt" || fail "pdftotext $f"
  [ -s "$T/r.txt" ] || fail "$f: no text"
  k=$(grep -o '…' "$T/r.txt" | wc -l)
  [ "$k" -eq 0 ] || fail "$(basename "$f"): $k labels cut short: $(grep '…' "$T/r.txt" | head -3 | tr '\n' '|')"
done
expect_eq "reports checked" "$n_pdf" 19
for f in "$T"/out/public/reports/*.pdf; do
  $PY "$SRC/tests/cli/pdfua_check.py" "$f" >/dev/null 2>"$T/ua.err" || fail "PDF/UA: $(cat "$T/ua.err")"
done

# chart CSVs: a BOM first, so Excel reads Cyrillic and "ë" as UTF-8
nobom=0
for f in $(find "$T/cat" "$T/out/public/charts" -name '*.csv'); do
  [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || nobom=$((nobom + 1))
done
expect_eq "chart CSVs without a BOM" "$nobom" 0

# The designation note: "1244/1999" is in it in every language (one word,
# never broken across lines), and nowhere else in the outputs.
for lang in en sq sr sr-Latn mk bs cnr; do
  f=$T/out/public/reports/regional-2026Q3-$lang.pdf
  pdftotext "$f" "$T/r.txt"
  k=$(grep -c '1244/1999' "$T/r.txt")
  # the cover and under the countries table
  [ "$k" -ge 2 ] || fail "regional report $lang: the designation note $k times, want 2 or more"
  grep -qE '(Kosovo|Kosova|Косово)\*' "$T/r.txt" || fail "regional report $lang: Kosovo not marked *"
  for chart in funnel countries map heatmap crossborder; do
    grep -q '1244/1999' "$T/out/public/charts/regional/$lang/$chart.svg" 2>/dev/null ||
      grep -q '1244/1999' "$T/cat/regional/$lang/$chart.svg" ||
      fail "regional chart $chart $lang: no designation note"
  done
done
for f in "$T"/out/public/reports/[a-z][a-z]-2026Q3-*.pdf; do
  pdftotext "$f" "$T/r.txt"
  grep -q '1244/1999' "$T/r.txt" && fail "$(basename "$f"): a national report with the note"
done
grep -l '1244/1999' "$T"/cat/[A-Z][A-Z]/*/*.svg >/dev/null 2>&1 && fail "a national chart with the note"
$PY - "$T/out/public/workbooks" <<'PYEOF' || fail "workbook About sheets"
import glob, os, sys
from openpyxl import load_workbook
bad = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.xlsx'))):
    wb = load_workbook(path, read_only=True)
    about = wb.worksheets[0]
    text = ' '.join(str(c) for row in about.iter_rows(values_only=True) for c in row if c)
    regional = os.path.basename(path).startswith('regional-')
    if regional != ('1244/1999' in text):
        bad.append('%s: note %s' % (os.path.basename(path), 'missing' if regional else 'present'))
    # pairs of countries in cells: plain spaces, no U+00A0 / U+202F
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for c in row:
                if isinstance(c, str) and ('\u00a0' in c or '\u202f' in c):
                    bad.append('%s/%s: no-break space in %r' % (os.path.basename(path), ws.title, c))
                    break
if bad:
    print('\n'.join(bad[:20]), file=sys.stderr)
    sys.exit(1)
PYEOF

# a publisher who does not use the note turns it off
run_vsp off report --db "$T/out/private/warehouse.db" --country region --period 2026Q3 --lang sr \
  --kosovo-note off -o "$T/off.pdf"
expect_eq "report --kosovo-note off" "$rc" 0
pdftotext "$T/off.pdf" "$T/off.txt"
grep -q '1244/1999' "$T/off.txt" && fail "--kosovo-note off still prints the note"
grep -q 'Косово\*' "$T/off.txt" && fail "--kosovo-note off still marks Kosovo"
VSPREPORT_KOSOVO_NOTE=off "$VSP" chart map --db "$T/out/private/warehouse.db" --country region \
  --period 2026Q3 --format svg -o "$T/off.svg" >/dev/null 2>&1 || fail "chart with VSPREPORT_KOSOVO_NOTE=off"
grep -q '1244/1999' "$T/off.svg" && fail "VSPREPORT_KOSOVO_NOTE=off still prints the note"
# the input files: every file behind a case of the eight periods
# (2024Q4..2026Q3), by SHA-256, from the warehouse itself
db=$T/out/private/warehouse.db
for spec in regional:en:% rs:sr:RS al:en:AL; do
  stem=${spec%%:*}; rest=${spec#*:}; lang=${rest%%:*}; cc=${rest#*:}
  sqlite3 -batch -noheader "$db" "SELECT DISTINCT r.sha256 FROM case_record c JOIN ingest_run r
    ON r.id IN (c.first_run, c.last_run) WHERE c.received_day BETWEEN 20241001 AND 20260930
    AND c.country LIKE '$cc' ORDER BY 1" >"$T/want.sha"
  pdftotext "$T/out/public/reports/$stem-2026Q3-$lang.pdf" - | grep -oE '\b[0-9a-f]{64}\b' | sort -u >"$T/got.sha"
  [ -s "$T/want.sha" ] || fail "input files $stem: the warehouse query found nothing"
  cmp -s "$T/want.sha" "$T/got.sha" ||
    fail "input files $stem $lang: $(diff "$T/want.sha" "$T/got.sha" | grep -c '^[<>]') digests differ"
done
expect_eq "input files of the region" "$(sqlite3 "$db" 'SELECT count(*) FROM ingest_run')" \
  "$(pdftotext "$T/out/public/reports/regional-2026Q3-en.pdf" - | grep -oE '\b[0-9a-f]{64}\b' | sort -u | wc -l)"

# key findings, from the figures of `stats` for the period and the one before
"$VSP" stats --db "$T/out/private/warehouse.db" --period 2026Q3 --format csv --no-aggregate >"$T/s3.csv" 2>/dev/null
"$VSP" stats --db "$T/out/private/warehouse.db" --period 2026Q2 --format csv --no-aggregate >"$T/s2.csv" 2>/dev/null
pdftotext -layout "$T/out/public/reports/regional-2026Q3-en.pdf" - | tr -s ' \n' ' ' >"$T/kf-en.txt"
pdftotext -layout "$T/out/public/reports/regional-2026Q3-sr.pdf" - | tr -s ' \n' ' ' >"$T/kf-sr.txt"
$PY - "$T/s3.csv" "$T/s2.csv" "$T/kf-en.txt" "$T/kf-sr.txt" <<'PYEOF' || fail "key findings"
import csv, sys
def rows(p):
    return [r for r in csv.DictReader(open(p, encoding='utf-8')) if r.get('category', '*') == '*']
now = {r['country']: r for r in rows(sys.argv[1])}
prev = {r['country']: r for r in rows(sys.argv[2])}
en, sr = open(sys.argv[3]).read(), open(sys.argv[4]).read()
a, b = int(prev['region']['received']), int(now['region']['received'])
pct = round(abs(b - a) / a * 100, 1)
word = 'rose' if b > a else 'fell'
want = 'Reports received %s by %.1f%% against Q2 2026, from %s to %s.' % (word, pct, format(a, ','), format(b, ','))
assert want in en, 'en: %r not found' % want
want_sr = '%s за %s%% у односу на 2. квартал 2026., са %s на %s.' % (
    'порастао је' if b > a else 'опао је', ('%.1f' % pct).replace('.', ','),
    format(a, ',').replace(',', '.'), format(b, ',').replace(',', '.'))
assert want_sr in sr, 'sr: %r not found' % want_sr
no_times = [cc for cc in ('AL', 'BA', 'ME', 'MK', 'RS', 'XK')
            if int(now[cc]['received']) > 0 and int(now[cc]['n_received_decided'] or 0) == 0
            and int(now[cc]['n_to_action'] or 0) == 0]
short = {'AL': 'AMA', 'BA': 'CRA', 'ME': 'AEM', 'MK': 'AVMU', 'RS': 'REM', 'XK': 'KPM'}
assert no_times, 'the samples have a regulator without times'
want = 'Caveat: the case logs of %s have dates without times' % ', '.join(short[c] for c in no_times)
assert want in en, 'en: %r not found' % want
rate = float(now['region']['action_rate']) * 100
assert ('The platform acted on %.1f%% of the forwarded items' % rate) in en, 'action rate'
PYEOF

# the forewords of the run, set as text
pdftotext "$T/out/public/reports/rs-2026Q3-sr.pdf" "$T/fw.txt"
grep -q 'Реч регулатора' "$T/fw.txt" || fail "rs sr report: no foreword heading"
grep -qF 'Ово је наш извештај: 1 < 2 & 3 > 2, сајт (https://rem.rs/izvestaji).' "$T/fw.txt" ||
  fail "rs sr report: the foreword's text not set as text: $(grep -n 'наш' "$T/fw.txt")"
first=$(grep -n -m1 -E 'Реч регулатора|Кључни подаци' "$T/fw.txt" | tail -1)
case $first in *'Реч регулатора'*) ;; *) fail "rs sr report: the foreword is not the first section" ;; esac
pdftotext "$T/out/public/reports/rs-2026Q3-en.pdf" - | grep -q 'Реч регулатора' && fail "the sr foreword in the en report"
pdftotext "$T/out/public/reports/regional-2026Q3-en.pdf" - | grep -qF '=HYPERLINK("http://x","y") stays text & so does 1 < 2.' ||
  fail "regional en report: no foreword"
$PY - "$T/out/public/workbooks" <<'PYEOF' || fail "workbook forewords"
import sys
from openpyxl import load_workbook
d = sys.argv[1]
ws = load_workbook(d + '/rs-2026Q3-sr.xlsx').worksheets[0]
cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
hit = [c for c in cells if isinstance(c.value, str) and c.value.startswith('• =SUM(A1:A9)')]
assert hit and hit[0].data_type == 's', 'the SUM item is not a string cell'
assert any(c.value == 'Реч регулатора' for c in cells), 'no foreword heading'
ws = load_workbook(d + '/regional-2026Q3-en.xlsx').worksheets[0]
vals = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
assert 'The regulators of the region thank every citizen who reported.' in vals, vals[:40]
ws = load_workbook(d + '/regional-2026Q3-sq.xlsx').worksheets[0]
vals = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
assert not any('thank' in v for v in vals), 'the en foreword in the sq workbook'
PYEOF
printf 'Fine.\n\nbut <script>x</script>\n' >"$T/html.md"
run_vsp fw-html report --db "$T/out/private/warehouse.db" --country region --period 2026Q3 --foreword "$T/html.md" -o "$T/fw.pdf"
expect_eq "report with raw HTML in the foreword" "$rc" 65
expect_contains "its message" "$T/fw-html.err" "html.md:3: raw HTML"
printf 'Fine.\n\nsee [x](javascript:alert(1))\n' >"$T/bad.md"
run_vsp fw-bad report --db "$T/out/private/warehouse.db" --country AL --period 2026Q3 --foreword "$T/bad.md" -o "$T/fw.pdf"
expect_eq "report with a javascript: link" "$rc" 65
expect_contains "its message" "$T/fw-bad.err" "bad.md:3: a link must go to an https://"
[ -e "$T/fw.pdf" ] && fail "a refused foreword left a PDF"
run_vsp fw-bad-wb workbook --db "$T/out/private/warehouse.db" --country AL --period 2026Q3 --foreword "$T/bad.md" -o "$T/fw.xlsx"
expect_eq "workbook with a javascript: link" "$rc" 65

# the logo: the type named, the size refused before decoding
$PY - "$T" <<'PYEOF'
import struct, sys, zlib
t = sys.argv[1]
open(t + '/logo.jpg', 'wb').write(b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 64)
open(t + '/logo.svg', 'w').write('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n')
def png(w, h, extra=b''):
    ihdr = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)
    chunk = struct.pack('>I', len(ihdr)) + b'IHDR' + ihdr + struct.pack('>I', zlib.crc32(b'IHDR' + ihdr))
    return b'\x89PNG\r\n\x1a\n' + chunk + extra
open(t + '/huge.png', 'wb').write(png(20000, 20000))
open(t + '/heavy.png', 'wb').write(png(100, 100, b'\x00' * (9 * 1024 * 1024)))
open(t + '/broken.png', 'wb').write(png(100, 100, b'garbage'))
PYEOF
for case in "logo.jpg:a JPEG image" "logo.svg:an SVG or XML file" "huge.png:20000x20000 pixels; at most 4096x4096" \
  "heavy.png:at most 8 MB" "broken.png:damaged PNG"; do
  f=${case%%:*}
  msg=${case#*:}
  run_vsp "logo-$f" report --db "$T/out/private/warehouse.db" --country AL --period 2026Q3 --lang sq \
    --logo "$T/$f" -o "$T/logo.pdf"
  expect_eq "logo $f exit status" "$rc" 65
  expect_contains "logo $f message" "$T/logo-$f.err" "$msg"
  [ -e "$T/logo.pdf" ] && fail "logo $f: a PDF was written"
done
run_vsp logo-none report --db "$T/out/private/warehouse.db" --country AL --period 2026Q3 --logo "$T/none.png" -o "$T/logo.pdf"
expect_eq "missing logo" "$rc" 66

run_vsp bad-note report --db "$T/out/private/warehouse.db" --country region --period 2026Q3 \
  --kosovo-note maybe -o "$T/x.pdf"
expect_eq "--kosovo-note maybe" "$rc" 64
finish
