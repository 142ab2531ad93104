# `vspreport site` and the web edition that `run` publishes: rendered from
# the six regulators' samples, then checked in a real browser (Debian's
# Chromium through puppeteer-core, axe-core for WCAG 2.1 A/AA) by
# tests/web/check_site.js, which must also fail on a page planted with a
# missing lang, a chart without a text alternative and a broken link.
. "$(dirname "$0")/lib/common.sh"
WEB=$SRC/tests/web
export SOURCE_DATE_EPOCH=1793000000  # 2026-10-26, after the October exports
export VSP_EXPORT_KEY=0123456789abcdef0123456789abcdef

# What the browser checks need: Debian's chromium (scripts/setup.sh) and
# the npm packages of tests/web (npm ci, no browser download).
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
  echo "FAIL: /usr/bin/chromium and node are needed; run scripts/setup.sh as root" >&2
  exit 1
fi
if [ ! -d "$WEB/node_modules/puppeteer-core" ] || [ ! -d "$WEB/node_modules/axe-core" ]; then
  (cd "$WEB" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund) >"$T/npm.log" 2>&1 ||
    { cat "$T/npm.log" >&2; echo "FAIL: npm ci in tests/web" >&2; exit 1; }
fi

# ---- run publishes the site beside the downloads ---------------------------
run_vsp run run --in "$SRC/samples" --out "$T/out" --period 2026Q3 --profiles "$SRC/profiles"
expect_eq "run" "$rc" 0
[ "$rc" -eq 0 ] || { cat "$T/run.err" >&2; finish; }
site=$T/out/site
[ -f "$T/out/public/site/index.html" ] && site=$T/out/public/site
db=$T/out/warehouse.db
[ -f "$db" ] || db=$(find "$T/out" -name warehouse.db | head -1)
n=$(find "$site" -name '*.html' | wc -l)
expect_eq "pages: the chooser + 7 languages x (region + 6 regulators)" "$n" 50
expect_contains "run names the site" "$T/run.out" "site/index.html"
grep -q '"web-edition"' "$(dirname "$site")/manifest.json" || fail "the manifest does not list the web edition"

# The figures: reports received per country and in the region, counted
# here from the case records with sqlite3, as each page shows them in its
# language (en 1,234; sr 1.234).
for cc in AL XK region; do
  if [ $cc = region ]; then where=""; page=index.html; else where="AND country='$cc'"; page=$(echo $cc | tr A-Z a-z).html; fi
  want=$(sql "$db" "SELECT count(*) FROM case_record WHERE received_day BETWEEN 20260701 AND 20260930 $where")
  [ "$want" -gt 0 ] || fail "$cc: no case in the samples' 2026Q3"
  for lang in en sr mk; do
    got=$($PY - "$site/$lang/$page" "$lang" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
label = {"en": "Reports received", "sr": "Примљене пријаве", "mk": "Примени пријави"}[sys.argv[2]]
m = re.search(r'<tr><th scope="row">%s</th><td>([^<]*)</td>' % re.escape(label), html)
print(m.group(1).replace(",", "").replace(".", "").replace("\u00a0", "") if m else "absent")
PY
)
    expect_eq "$cc $lang: reports received in the key figures" "$got" "$want"
  done
done
# the language chooser names each language in its own name
for name in English Shqip 'Српски (ћирилица)' 'Srpski (latinica)' Македонски Bosanski Crnogorski; do
  expect_contains "chooser" "$site/index.html" ">$name</a>"
done
grep -q '<html lang="sr-Cyrl">' "$site/sr/index.html" || fail "sr page is not lang=sr-Cyrl"
grep -q '<html lang="sr-Latn">' "$site/sr-Latn/al.html" || fail "sr-Latn page is not lang=sr-Latn"
grep -q 'lang="sr-Latn" hreflang="sr-Latn">Srpski (latinica)</a>' "$site/sr/index.html" ||
  fail "the Latin Serbian link on a Cyrillic page carries no lang"

# Size: the regional page with its nine inline charts under 1 MB.
for lang in en sq sr sr-Latn mk bs cnr; do
  size=$(stat -c %s "$site/$lang/index.html")
  [ "$size" -lt 1000000 ] || fail "$lang/index.html is $size bytes (over 1 MB)"
done

# Downloads of the edition are linked with format and size, and exist.
grep -q 'href="../../reports/regional-2026Q3-en.pdf">PDF report</a> <span class="meta">(PDF, ' "$site/en/index.html" ||
  fail "en regional page does not link its PDF report with format and size"
grep -q 'href="../../workbooks/al-2026Q3-sq.xlsx" hreflang="sq">' "$site/en/al.html" ||
  fail "the AL page in English does not offer the Albanian workbook"
grep -q 'href="../../export/research-2026Q3.csv"' "$site/mk/xk.html" || fail "no research export link"
grep -q 'href="../../charts/regional/sr/map.svg">SVG</a>' "$site/sr/index.html" || fail "no chart file link"

# No personal data.
$PY "$SRC/tests/check_pii.py" --db "$db" "$site" >"$T/pii.out" 2>&1 ||
  { cat "$T/pii.out" >&2; fail "personal data in the web edition"; }

# `vspreport site` alone, into the same public root, writes the same bytes
# twice (reproducible under SOURCE_DATE_EPOCH).  The edition `run`
# publishes is a release and names it on every page; one made on its own
# belongs to no release and names none.
run_vsp site2 site --db "$db" --period 2026Q3 --out "$(dirname "$site")/site-again"
expect_eq "site alone" "$rc" 0
run_vsp site3 site --db "$db" --period 2026Q3 --out "$(dirname "$site")/site-again2"
expect_eq "site alone again" "$rc" 0
diff -r "$(dirname "$site")/site-again" "$(dirname "$site")/site-again2" >"$T/diff.out" 2>&1 ||
  fail "site is not reproducible: $(head -3 "$T/diff.out")"
expect_eq "run's pages without their release" "$(grep -L '2026Q3-v1' $(find "$site" -name '*.html') | head -3)" ""
expect_eq "site alone names a release" "$(grep -l '2026Q3-v1' -r "$(dirname "$site")/site-again" | head -3)" ""
rm -rf "$(dirname "$site")/site-again" "$(dirname "$site")/site-again2"
# ... and where nothing else was published, it links nothing and says so.
run_vsp site3 site --db "$db" --period 2026Q3 --out "$T/alone/site"
expect_eq "site with no downloads" "$rc" 0
if grep -qF 'href="../../' "$T/alone/site/en/index.html"; then fail "links to downloads that do not exist"; fi
expect_contains "no downloads" "$T/alone/site/en/index.html" "No downloads were found beside this web edition"
run_vsp help site --help
expect_eq "site --help" "$rc" 0
expect_contains "site --help" "$T/help.out" "DIR/<lang>/<cc>.html"
run_vsp usage site --db "$db"
expect_eq "site without --out" "$rc" 64
run_vsp nodb site --db "$T/none.db" --period 2026Q3 --out "$T/x"
[ "$rc" -ne 0 ] || fail "site on a missing warehouse succeeded"

# ---- in the browser ---------------------------------------------------------
# Every page of English, the regional page of every language, the chooser;
# the links of all 50 pages; screenshots at 1280 and 375 px in en, sr, mk.
if ! node "$WEB/check_site.js" "$site" --shots "$T/shots" >"$T/browser.out" 2>&1; then
  cat "$T/browser.out" >&2
  fail "the web edition fails the browser checks"
fi
expect_contains "browser" "$T/browser.out" "check_site: 14 page(s) checked in Chromium"
for shot in en-1280 en-375 sr-1280 sr-375 mk-1280 mk-375; do
  [ -s "$T/shots/$shot.png" ] || fail "no screenshot $shot"
done

# The checker fails on what it must catch: each fault planted once in a copy
# of a page beside the real ones (so that its relative links still hold).
plant() { # NAME SED-SCRIPT EXPECTED-MESSAGE
  sed "$2" "$site/en/al.html" >"$site/en/planted.html"
  if cmp -s "$site/en/al.html" "$site/en/planted.html"; then fail "planting $1 changed nothing"; fi
  if node "$WEB/check_site.js" "$site" --only en/planted.html >"$T/planted-$1.out" 2>&1; then
    fail "the checker passed a page with $1"
  fi
  expect_contains "planted $1" "$T/planted-$1.out" "$3"
  rm -f "$site/en/planted.html"
}
plant "missing lang" 's/<html lang="en">/<html>/' "<html> has no lang attribute"
plant "chart without text alternative" \
  's/ aria-labelledby="fig-funnel-t"//; s|<title id="fig-funnel-t">[^<]*</title>||' \
  "chart 1 has no text alternative"
plant "broken link" 's|href="../../reports/al-2026Q3-en.pdf"|href="../../reports/al-2026Q3-xx.pdf"|' \
  "broken link: href=\"../../reports/al-2026Q3-xx.pdf\""
# axe itself sees the missing lang and the unnamed chart
expect_contains "axe: html-has-lang" "$T/planted-missing lang.out" "axe html-has-lang"
expect_contains "axe: svg-img-alt" "$T/planted-chart without text alternative.out" "axe svg-img-alt"
finish
