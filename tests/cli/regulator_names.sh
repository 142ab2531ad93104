#!/usr/bin/env bash
# regulator_names.sh — regulator names and acronyms come from one table in
# every output and language (po/README.md, "Regulator names"):
#   Cyrillic outputs (sr, mk: chart SVG text, workbook About sheet, PDF text
#   through pdftotext) carry no Latin regulator acronym and do carry the
#   Cyrillic ones (РЕМ, АВМУ, НКМ, РАК ...);
#   English says CRA and IMC everywhere (never RAK or KPM); Latin Serbian,
#   Bosnian and Montenegrin say RAK and NKM; Albanian says KPM;
#   a profile's own name overrides the table in the profile's language only:
#   a Montenegrin profile renamed to "Agencija za audiovizuelne medijske
#   usluge" (AMU) shows AMU in cnr outputs and AEM in English ones.
. "$(dirname "$0")/lib/common.sh"
printf 'leak:libfontconfig.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export VSP_PO_DIR="$SRC/po"
db=$T/w.db
for dir in "$SRC"/samples/*/; do
  reg=$(basename "$dir")
  [ -f "$SRC/profiles/$reg.ini" ] || continue
  "$VSP" ingest --db "$db" --profile "$SRC/profiles/$reg.ini" "$dir"*.csv >/dev/null 2>&1 ||
    fail "ingest $reg"
done
run_vsp agg aggregate --db "$db" --period 2026Q3
expect_eq "aggregate exit status" "$rc" 0

# text of each kind of output: TEXTFILE <- chart SVG + workbook About + PDF
render() { # CC LANG DB OUT
  local cc=$1 lang=$2 d=$3 out=$4
  : >"$out"
  "$VSP" chart funnel --db "$d" --period 2026Q3 --country "$cc" --lang "$lang" --no-csv \
    -o "$T/c-$cc-$lang.svg" >/dev/null 2>"$T/err" || { fail "chart $cc $lang"; cat "$T/err" >&2; }
  $PY - "$T/c-$cc-$lang.svg" >>"$out" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
print(" ".join(t.strip() for t in ET.parse(sys.argv[1]).getroot().itertext() if t.strip()))
PYEOF
  "$VSP" workbook --db "$d" --period 2026Q3 --country "$cc" --lang "$lang" \
    -o "$T/w-$cc-$lang.xlsx" >/dev/null 2>"$T/err" || { fail "workbook $cc $lang"; cat "$T/err" >&2; }
  $PY - "$T/w-$cc-$lang.xlsx" >>"$out" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
print(" ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None))
print(wb.properties.creator or "", wb.properties.title or "")
PYEOF
  "$VSP" report --db "$d" --period 2026Q3 --country "$cc" --lang "$lang" \
    -o "$T/r-$cc-$lang.pdf" >/dev/null 2>"$T/err" || { fail "report $cc $lang"; cat "$T/err" >&2; }
  pdftotext -layout "$T/r-$cc-$lang.pdf" - >>"$out" 2>/dev/null || fail "pdftotext $cc $lang"
  pdfinfo "$T/r-$cc-$lang.pdf" >>"$out" 2>/dev/null
}

LATIN='\b(AMA|CRA|RAK|AEM|AMU|AVMU|REM|IMC|KPM|NKM)\b'
has() { # WHAT FILE WORD
  grep -qw -- "$3" "$2" || fail "$1: '$3' missing"
}
hasnt() { # WHAT FILE EREGEX
  if grep -qE -- "$3" "$2"; then
    fail "$1: found $(grep -oE -- "$3" "$2" | sort | uniq -c | tr '\n' ' ')"
  fi
}

for lang in sr mk; do
  render region "$lang" "$db" "$T/text-$lang"
  hasnt "$lang outputs: a Latin regulator acronym" "$T/text-$lang" "$LATIN"
  for w in РЕМ АВМУ НКМ РАК АМА АЕМ; do has "$lang region outputs" "$T/text-$lang" "$w"; done
done
render RS sr "$db" "$T/text-RS-sr"
hasnt "RS sr outputs: a Latin regulator acronym" "$T/text-RS-sr" "$LATIN"
has "RS sr outputs" "$T/text-RS-sr" "РЕМ"
render MK mk "$db" "$T/text-MK-mk"
hasnt "MK mk outputs: a Latin regulator acronym" "$T/text-MK-mk" "$LATIN"
has "MK mk outputs" "$T/text-MK-mk" "АВМУ"

render region en "$db" "$T/text-en"
hasnt "en outputs: the Bosnian or Albanian acronym" "$T/text-en" '\b(RAK|KPM|NKM)\b'
for w in CRA IMC AMA AEM AVMU REM; do has "en outputs" "$T/text-en" "$w"; done
for lang in sr-Latn bs cnr; do
  render region "$lang" "$db" "$T/text-$lang"
  hasnt "$lang outputs: CRA/IMC/KPM" "$T/text-$lang" '\b(CRA|IMC|KPM)\b'
  has "$lang outputs" "$T/text-$lang" RAK
  has "$lang outputs" "$T/text-$lang" NKM
done
render region sq "$db" "$T/text-sq"
has "sq outputs" "$T/text-sq" KPM
hasnt "sq outputs: IMC/NKM" "$T/text-sq" '\b(IMC|NKM|CRA)\b'

# the profile overrides the name in its own language, without a release
cp "$db" "$T/renamed.db"
sed -e 's/^name = .*/name = Agencija za audiovizuelne medijske usluge/' \
    -e 's/^short_name = .*/short_name = AMU/' "$SRC/profiles/me-aem.ini" >"$T/me-amu.ini"
"$VSP" ingest --db "$T/renamed.db" --profile "$T/me-amu.ini" "$SRC"/samples/me-aem/*.csv \
  >/dev/null 2>"$T/err" || { fail "ingest with the renamed profile"; cat "$T/err" >&2; }
"$VSP" aggregate --db "$T/renamed.db" --period 2026Q3 >/dev/null 2>&1 || fail "aggregate renamed"
render ME cnr "$T/renamed.db" "$T/text-ME-cnr"
has "ME cnr outputs after the rename" "$T/text-ME-cnr" AMU
grep -q "Agencija za audiovizuelne medijske usluge" "$T/text-ME-cnr" ||
  fail "ME cnr outputs: the renamed regulator's name is missing"
hasnt "ME cnr outputs after the rename: the old acronym" "$T/text-ME-cnr" '\bAEM\b'
render ME en "$T/renamed.db" "$T/text-ME-en"
has "ME en outputs (the English name is the table's)" "$T/text-ME-en" AEM
hasnt "ME en outputs: the Montenegrin acronym" "$T/text-ME-en" '\bAMU\b'

if [ "$failures" -ne 0 ]; then
  echo "regulator_names: $failures failure(s)" >&2
  exit 1
fi
echo "regulator_names: ok"
