/* i18n.h — translation catalogues and per-language number formatting for
 * every renderer (charts, workbooks, PDF reports).
 *
 * Catalogues are gettext .po files, one per language, read at run time:
 *
 *     po/vspreport.pot   the template (English msgids), regenerated with
 *                        scripts in po/README.md
 *     po/<lang>.po       sq sr sr-Latn mk bs cnr  (en needs no file: the
 *                        msgids are English; an optional po/en.po may
 *                        still reword them)
 *
 * The directory is the environment variable VSP_PO_DIR, else
 * vsp_data_path("po") (pipeline/util.h): the installed share/vspreport/po
 * beside the executable's bin/, the build tree's vspreport-data/po, the
 * configured VSP_DATADIR "/po".
 *
 * The language is an argument of every call, never the process locale:
 * one process renders all seven languages.  A catalogue is loaded on first
 * use and kept for the life of the process (vsp_i18n_cleanup frees them);
 * returned strings are owned by the catalogue and stay valid until then.
 * Lookups fall back to the msgid (English) when a language has no file,
 * an entry is missing, untranslated or marked fuzzy.  Not thread-safe.
 *
 * Supported .po syntax: comments, msgctxt, msgid, msgstr, concatenated
 * string lines, C escapes (\n \t \" \\ \a \b \f \r \v, octal, \x), plural
 * entries (msgid_plural, msgstr[0..N-1]) chosen by the header's
 * Plural-Forms expression, which is evaluated, not hard-coded (a safe
 * evaluator of gettext's C subset; checked at load for n = 0..1000).  A
 * plural entry missing a form falls back to English.  Context lookups use
 * gettext's "ctx\004id" key.
 *
 * Placeholders in translated strings are named, {n} {year} ..., so a
 * translator can reorder them; vsp_i18n_subst fills them in. */
#ifndef VSP_I18N_H
#define VSP_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/error.h"

/* Marks a string for extraction into po/vspreport.pot without translating
 * it (xgettext --keyword=N_ --keyword=NC_:1c,2). */
#define N_(s) (s)
#define NC_(ctx, s) (s)

/* The languages, in CLI spelling: "en" "sq" "sr" "sr-Latn" "mk" "bs" "cnr";
 * NULL-terminated. "sr" is Serbian in Cyrillic. */
extern const char *const vsp_i18n_langs[];
#define VSP_I18N_N_LANGS 7

/* True if lang is one of vsp_i18n_langs (exact spelling, except that the
 * case of "sr-latn" is forgiven). */
bool vsp_i18n_lang_valid(const char *lang);
/* The canonical spelling of lang ("sr-latn" -> "sr-Latn"), or NULL. */
const char *vsp_i18n_lang_canon(const char *lang);
/* BCP 47 tag to give Pango (pango_language_from_string) for lang. */
const char *vsp_i18n_pango_lang(const char *lang);
/* The language's BCP 47 tag with its script where it has two ("en" "sq"
 * "sr-Cyrl" "sr-Latn" "mk" "bs" "cnr"), for a PDF's /Lang and HTML's
 * lang; "en" for an unknown lang.  vsp_i18n_lang_tags is in the order of
 * vsp_i18n_langs. */
extern const char *const vsp_i18n_lang_tags[VSP_I18N_N_LANGS];
const char *vsp_i18n_lang_tag(const char *lang);

/* Directory the catalogues are read from (see above); static string. */
const char *vsp_i18n_po_dir(void);

/* Load lang's catalogue now (it is loaded lazily otherwise) so that a
 * missing or malformed file is reported: "po/sq.po:12: ...".  A missing
 * file is an error for every language but en.  Idempotent. */
vsp_status vsp_i18n_load(const char *lang, vsp_error *err);

/* Translation of msgid (no context) / of msgid in context ctx.  Never NULL:
 * falls back to msgid.  The result lives until vsp_i18n_cleanup. */
const char *vsp_i18n_get(const char *lang, const char *msgid);
const char *vsp_i18n_pget(const char *lang, const char *ctx, const char *msgid);

/* ngettext: the translation of a message with a count n, in the plural
 * form lang's Plural-Forms chooses for n (sr: 1 пријава, 2 пријаве, 5
 * пријава, 21 пријава).  Falls back to msgid (n == 1) or msgid_plural.
 * The {n} placeholder is still filled by the caller (vsp_i18n_subst) with
 * the formatted number.  Never NULL; lives until vsp_i18n_cleanup. */
#define VSP_I18N_MAX_PLURALS 6
const char *vsp_i18n_nget(const char *lang, const char *msgid, const char *msgid_plural,
                          unsigned long n);
const char *vsp_i18n_npget(const char *lang, const char *ctx, const char *msgid,
                           const char *msgid_plural, unsigned long n);
/* The plural form index lang uses for n (0 for English n == 1, else 1). */
int vsp_i18n_plural_index(const char *lang, unsigned long n);
/* Evaluate a Plural-Forms expression ("n != 1", "(n%10==1 && ...) ? 0 : 1")
 * for n; false if it is not a valid expression.  Exposed for tests. */
bool vsp_i18n_plural_eval(const char *expr, unsigned long n, unsigned long *out);

/* Free every loaded catalogue (tests; the end of main). */
void vsp_i18n_cleanup(void);

/* Names of codes, translated.  Unknown codes come back as the code itself.
 *   country:   AL BA ME MK RS XK, neighbours HR SI HU RO BG GR IT, "region"
 *   category:  piracy minors csam ... other   (DESIGN §4)
 *   decision:  forwarded no_violation ... pending
 *   outcome:   removed geo_blocked ... pending
 */
const char *vsp_i18n_country(const char *lang, const char *code);
const char *vsp_i18n_category(const char *lang, const char *code);
const char *vsp_i18n_decision(const char *lang, const char *code);
const char *vsp_i18n_outcome(const char *lang, const char *code);
/* English name of a country code (NULL if unknown): the msgid. */
const char *vsp_i18n_country_en(const char *code);
/* Who regulates a country, in lang: the name ("Audiovisual Media
 * Authority") and the short name ("AMA"); NULL for a code not of the six.
 * The warehouse's country table, filled from the profiles, comes first
 * where a renderer has it; these are the defaults. */
const char *vsp_i18n_regulator(const char *lang, const char *code);
const char *vsp_i18n_regulator_short(const char *lang, const char *code);
/* A list of country codes ("AL, ME", as vsp_metrics_as_of_from writes
 * it) as their regulators' short names in lang ("AMA, AEM"; "АМА, АЕМ"),
 * so running text names regulators, in the reader's script, not codes; a
 * code not of the six stays as it is.  buf always terminated; returns buf. */
char *vsp_i18n_regulator_list(const char *lang, const char *codes, char *buf, size_t size);
/* The one rule every renderer names a regulator by: the profile's own name
 * or short name (own_value, written in own_lang: the warehouse's country
 * table, filled from the profile at ingest) when lang is own_lang, so a
 * regulator corrects its name in its profile without a release; else the
 * table above (the catalogue's "regulator" context, in lang's script).
 * An own value in the wrong script for lang (a Latin acronym in a Serbian
 * Cyrillic profile) is not used: Cyrillic outputs never carry Latin names.
 * NULL only when code is not one of the six and own_value is empty. */
const char *vsp_i18n_regulator_as(const char *lang, const char *code, bool short_name,
                                  const char *own_lang, const char *own_value);

/* Replace {name} placeholders in templ by values: names[i] -> values[i],
 * n pairs.  A value ending in a period followed in templ by the
 * sentence's period ("од {date}. " with the date "10. јул 2026.") keeps
 * one period.  Writes at most size bytes (always NUL-terminated when
 * size>0) and returns the length the full result needs, like snprintf. */
size_t vsp_i18n_subst(char *buf, size_t size, const char *templ, size_t n,
                      const char *const names[], const char *const values[]);

/* A period label ("2026Q3", "2026H2", "2026", "2026-07-01..2026-09-30") as
 * people write it in lang: "Q3 2026", "3. тромесечје 2026." ...  Unknown
 * shapes are copied as they are.  Returns buf. */
char *vsp_i18n_period(const char *lang, const char *label, char *buf, size_t size);
/* A date "YYYY-MM-DD" (or the date part of an ISO timestamp) in lang:
 * "15 Aug 2026", "15. 8. 2026." ...  Returns buf. */
char *vsp_i18n_date(const char *lang, const char *iso, char *buf, size_t size);

/* Number formatting per language, from the catalogue's "number" context
 * (the decimal mark and thousands separator are translatable entries, so
 * a native reviewer can correct them without touching C):
 *   en: 12,345.6   sq sr sr-Latn mk bs cnr: 12.345,6
 * NaN and infinities print as an en dash "–".  Each returns buf.  A buffer
 * of VSP_FMT_MAX bytes always suffices. */
#define VSP_FMT_MAX 64
char *vsp_fmt_int(const char *lang, double value, char *buf, size_t size);
/* value with exactly `decimals` decimals (0..6), grouped. */
char *vsp_fmt_num(const char *lang, double value, int decimals, char *buf, size_t size);
/* A fraction as a percentage: 0.456 -> "45.6%" (en) / "45,6%" ...;
 * decimals 0..3. */
char *vsp_fmt_pct(const char *lang, double fraction, int decimals, char *buf, size_t size);
/* Hours with the unit: "12.5 h"; < 10 h with one decimal, else whole. */
char *vsp_fmt_hours(const char *lang, double hours, char *buf, size_t size);
/* A number short enough for an axis tick, with the given step so that
 * decimals are only shown when the step needs them ("2.5", "1,000"). */
char *vsp_fmt_tick(const char *lang, double value, double step, char *buf, size_t size);

#endif
