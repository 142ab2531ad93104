#!/usr/bin/env bash
# po_check.sh — po/check.py on the shipped catalogues (clean), then on
# copies with one planted error of each kind it exists to catch, each of
# which must be reported: the cnr "račun → nalog" breakage, a Latin acronym
# and a mixed-script word in a Cyrillic catalogue, Rejected translated as
# Declined, a glossary term translated otherwise, an sr-Latn string that is
# not the transliteration of sr, a wrong Plural-Forms, a header without the
# review request, a lost placeholder in a plural form.
set -u
SRC=${VSP_SOURCE_DIR:?source tree}
T=${VSP_TEST_TMP:-/tmp/vsp-po-check}
rm -rf "$T"
mkdir -p "$T"
fail=0
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }

if ! python3 "$SRC/po/check.py" "$SRC/po" > "$T/clean.out" 2>&1; then
  bad "the shipped catalogues are not clean:"
  cat "$T/clean.out" >&2
fi

# plant LANG PERL-SUBSTITUTION EXPECTED-MESSAGE
plant() {
  local lang=$1 expr=$2 want=$3 d="$T/case$RANDOM"
  mkdir -p "$d"
  cp -r "$SRC/po/." "$d/"
  perl -CSD -Mutf8 -0pi -e "$expr" "$d/$lang.po" || { bad "cannot plant $expr"; return; }
  if cmp -s "$d/$lang.po" "$SRC/po/$lang.po"; then
    bad "planting '$expr' changed nothing in $lang.po"
    return
  fi
  if python3 "$d/check.py" "$d" > "$d/out" 2>&1; then
    bad "po/check.py passed $lang.po with $expr planted"
  elif ! grep -qF -- "$want" "$d/out"; then
    bad "po/check.py on $expr: no '$want' in:"
    cat "$d/out" >&2
  fi
}

plant cnr 's/izračunavaju/iznalogavaju/' "'nalog' inside a word"
plant cnr 's/otvoreno računa se/otvoreno naloga se/' "'naloga se'"
plant cnr 's/msgstr "avg"/msgstr "aug"/' "'aug' is not used in cnr"
plant sr 's/„на чекању“/„на чекању“ (REM)/' "Latin acronym 'REM'"
plant sr 's/Уредба \(ЕУ\)/Уредба (EU)/' "Latin acronym 'EU'"
plant mk 's/Говор на омраза/Говор на oмраза/' "mixes Cyrillic and Latin"
plant bs 's/msgstr "Odbačeni"/msgstr "Odbijeni"/' "must be different words"
plant sq 's/msgstr "Të papranuar"/msgstr "Të refuzuar"/' "must be different words"
plant mk 's/msgstr "Движење"/msgstr "Тренд"/' "glossary term 'trend'"
plant sr 's/msgstr "Стање података \(UTC\)"/msgstr "Замрзавање података (UTC)"/' "glossary term 'data freeze"
plant sr-Latn 's/Prijave u kojima je regulator/Prijave za koje je regulator/' "not the transliteration of sr"
plant bs 's/nplurals=3; plural=\(n%10==1/nplurals=3; plural=(n%10==2/' "Plural-Forms must be"
plant sq 's/# Before a regulator publishes[^\n]*\n//' "approve the catalogue"
plant sr 's/(msgstr\[1\] "[^"]*)\{n\}/$1N/' "lost placeholder {n}"

# Every string the sources translate is in the template (else each
# translated edition shows it in English), extracted as po/README.md says;
# then a planted sentence nobody translated, and a plural string looked up
# with a non-plural call, must both be reported.
xgettext_src() {
  xgettext --from-code=UTF-8 --language=C --keyword=N_ --keyword=NC_:1c,2 \
    --keyword=vsp_i18n_get:2 --keyword=vsp_i18n_pget:2c,3 --keyword=tr:2c,3 \
    --keyword=vsp_i18n_npget:2c,3,4 --keyword=trn:2c,3,4 --keyword=vsp_wording_plural:2c,3,4 --no-wrap -o "$1" "${@:2}"
}
xgettext_src "$T/src.pot" "$SRC"/pipeline/*.c "$SRC"/charts/*.c "$SRC"/reports/*.c
if ! python3 "$SRC/po/sources.py" "$T/src.pot" "$SRC/po/vspreport.pot" > "$T/sources.out" 2>&1; then
  bad "strings the sources translate are missing from the template:"
  cat "$T/sources.out" >&2
fi
cat > "$T/planted.c" <<'EOC'
static void f(site *s) { put(s, tr(s, "report", "A sentence nobody translated.")); }
static void g(site *s) { put(s, tr(s, "report", "{n} items were reported in two or more countries.")); }
EOC
xgettext_src "$T/planted.pot" "$SRC"/reports/report.c "$T/planted.c"
python3 "$SRC/po/sources.py" "$T/planted.pot" "$SRC/po/vspreport.pot" > "$T/planted.out" 2>&1 &&
  bad "po/sources.py passed a string missing from the template"
grep -qF "'A sentence nobody translated.'" "$T/planted.out" || bad "po/sources.py did not name the untranslated sentence"
grep -qF "look it up with a plural call" "$T/planted.out" || bad "po/sources.py did not name the plural looked up as a singular"

if [ "$fail" -ne 0 ]; then
  echo "po_check: $fail failure(s)" >&2
  exit 1
fi
echo "po_check: ok"
