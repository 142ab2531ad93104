/* test_i18n.c — pipeline/i18n.h: the .po reader (contexts, escapes,
 * continued strings, fuzzy and untranslated entries, errors with their
 * line), lookups per call whatever the locale, number formatting per
 * language, period and date names, and the shipped catalogues: each one
 * parses, translates every entry of po/vspreport.pot and keeps its
 * placeholders. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "pipeline/i18n.h"
#include "pipeline/util.h"

static char tmpdir[512];

static void write_file(const char *name, const char *text)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

static void test_parser(void)
{
    write_file("sq.po",
               "# a comment\n"
               "msgid \"\"\n"
               "msgstr \"\"\n"
               "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
               "\n"
               "msgctxt \"chart\"\n"
               "msgid \"Hello\"\n"
               "msgstr \"Tungjatjeta\"\n"
               "\n"
               "msgid \"Hello\"\n"
               "msgstr \"Përshëndetje\"\n"
               "\n"
               "msgid \"Two \"\n"
               "\"parts\"\n"
               "msgstr \"Dy \"\n"
               "\"pjesë\"\n"
               "\n"
               "msgid \"Escapes\"\n"
               "msgstr \"a\\tb\\n\\\"c\\\" \\\\ \\101\\x42\"\n"
               "\n"
               "#, fuzzy\n"
               "msgid \"Fuzzy\"\n"
               "msgstr \"I paqartë\"\n"
               "\n"
               "msgid \"Untranslated\"\n"
               "msgstr \"\"\n"
               "\n"
               "msgid \"One file\"\n"
               "msgid_plural \"%d files\"\n"
               "msgstr[0] \"Një skedar\"\n"
               "msgstr[1] \"%d skedarë\"\n");
    CHECK_INT(vsp_i18n_load("sq", NULL), VSP_OK);
    CHECK_STR(vsp_i18n_pget("sq", "chart", "Hello"), "Tungjatjeta");
    CHECK_STR(vsp_i18n_get("sq", "Hello"), "Përshëndetje");
    CHECK_STR(vsp_i18n_get("sq", "Two parts"), "Dy pjesë");
    CHECK_STR(vsp_i18n_get("sq", "Escapes"), "a\tb\n\"c\" \\ AB");
    CHECK_STR(vsp_i18n_get("sq", "Fuzzy"), "Fuzzy");               /* fuzzy: not used */
    CHECK_STR(vsp_i18n_get("sq", "Untranslated"), "Untranslated"); /* falls back */
    CHECK_STR(vsp_i18n_get("sq", "One file"), "Një skedar");       /* msgstr[0] */
    CHECK_STR(vsp_i18n_pget("sq", "other", "Hello"), "Hello");     /* other context */
    CHECK_STR(vsp_i18n_get("en", "Hello"), "Hello");               /* no en.po */
    CHECK_STR(vsp_i18n_get("xx", "Hello"), "Hello");               /* unknown language */
    vsp_i18n_cleanup();

    /* errors name the file and the line */
    write_file("sq.po", "msgid \"ok\"\nmsgstr \"mirë\"\n\nmsgid \"broken\nmsgstr \"x\"\n");
    vsp_error err;
    CHECK_INT(vsp_i18n_load("sq", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "sq.po:4:") != NULL);
    CHECK(strstr(err.msg, "unterminated") != NULL);
    CHECK_STR(vsp_i18n_get("sq", "ok"), "ok"); /* a broken catalogue is not half-used */
    vsp_i18n_cleanup();
    write_file("sq.po", "msgid \"a\"\nmsgstr \"\\q\"\n");
    CHECK_INT(vsp_i18n_load("sq", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "sq.po:2:") != NULL);
    vsp_i18n_cleanup();
    write_file("sq.po", "msgstr \"orphan\"\n");
    CHECK_INT(vsp_i18n_load("sq", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "sq.po:1:") != NULL);
    vsp_i18n_cleanup();
    /* a missing catalogue is an error, except for English */
    CHECK_INT(vsp_i18n_load("mk", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "mk.po") != NULL);
    CHECK_INT(vsp_i18n_load("en", &err), VSP_OK);
    CHECK_INT(vsp_i18n_load("klingon", &err), VSP_EUSAGE);
    vsp_i18n_cleanup();
}

static void test_langs(void)
{
    CHECK(vsp_i18n_lang_valid("sr-Latn"));
    CHECK(vsp_i18n_lang_valid("sr-latn"));
    CHECK_STR(vsp_i18n_lang_canon("SR-LATN"), "sr-Latn");
    CHECK(!vsp_i18n_lang_valid("de"));
    CHECK(!vsp_i18n_lang_valid(NULL));
    CHECK_STR(vsp_i18n_pango_lang("mk"), "mk");
    CHECK_STR(vsp_i18n_pango_lang("sr-Latn"), "sr-latn");
}

static void test_subst(void)
{
    char buf[64];
    const char *names[] = {"n", "year"};
    const char *values[] = {"3", "2026"};
    vsp_i18n_subst(buf, sizeof buf, "{n}. kvartal {year}.", 2, names, values);
    CHECK_STR(buf, "3. kvartal 2026.");
    vsp_i18n_subst(buf, sizeof buf, "{year} {unknown} {n", 2, names, values);
    CHECK_STR(buf, "2026 {unknown} {n");
    char small[6];
    size_t need = vsp_i18n_subst(small, sizeof small, "Q{n} {year}", 2, names, values);
    CHECK_INT(need, 7);
    CHECK_STR(small, "Q3 20");
    /* a value that ends with its own period ends the sentence with it */
    const char *dn[] = {"date", "v"};
    const char *dv[] = {"10. јул 2026.", "1.5"};
    vsp_i18n_subst(buf, sizeof buf, "верзију 1 од {date}. Сваки", 2, dn, dv);
    CHECK_STR(buf, "верзију 1 од 10. јул 2026. Сваки");
    vsp_i18n_subst(buf, sizeof buf, "({date}).", 2, dn, dv);
    CHECK_STR(buf, "(10. јул 2026.).");
    vsp_i18n_subst(buf, sizeof buf, "од {date}...", 2, dn, dv); /* an ellipsis stays */
    CHECK_STR(buf, "од 10. јул 2026....");
    vsp_i18n_subst(buf, sizeof buf, "{v}. {v}.", 2, dn, dv);
    CHECK_STR(buf, "1.5. 1.5.");
}

/* The shipped catalogues, read from the source tree. */
static void use_source_po(void)
{
    const char *src = getenv("VSP_SOURCE_DIR");
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/po", src ? src : ".");
    setenv("VSP_PO_DIR", dir, 1);
    vsp_i18n_cleanup();
}

static void test_numbers(void)
{
    use_source_po();
    char b[VSP_FMT_MAX];
    CHECK_STR(vsp_fmt_int("en", 1234567, b, sizeof b), "1,234,567");
    CHECK_STR(vsp_fmt_int("sr", 1234567, b, sizeof b), "1.234.567");
    CHECK_STR(vsp_fmt_int("sq", 1234, b, sizeof b), "1.234");
    CHECK_STR(vsp_fmt_int("en", 999, b, sizeof b), "999");
    CHECK_STR(vsp_fmt_int("en", -1234, b, sizeof b), "\xe2\x88\x92" "1,234");
    CHECK_STR(vsp_fmt_int("en", -0.2, b, sizeof b), "0"); /* never "-0" */
    CHECK_STR(vsp_fmt_num("en", 1234.5, 1, b, sizeof b), "1,234.5");
    CHECK_STR(vsp_fmt_num("mk", 1234.5, 1, b, sizeof b), "1.234,5");
    CHECK_STR(vsp_fmt_num("bs", 39.2154, 1, b, sizeof b), "39,2");
    CHECK_STR(vsp_fmt_pct("en", 0.456, 0, b, sizeof b), "46%");
    CHECK_STR(vsp_fmt_pct("sr-Latn", 0.4567, 1, b, sizeof b), "45,7%");
    CHECK_STR(vsp_fmt_pct("bs", 0.5, 0, b, sizeof b), "50\xc2\xa0%"); /* CLDR: no-break space */
    CHECK_STR(vsp_fmt_hours("en", 3.46, b, sizeof b), "3.5 h");
    CHECK_STR(vsp_fmt_hours("en", 133.4, b, sizeof b), "133 h");
    CHECK_STR(vsp_fmt_hours("sq", 22, b, sizeof b), "22 orë");
    CHECK_STR(vsp_fmt_hours("sr", 2.5, b, sizeof b), "2,5 ч");
    CHECK_STR(vsp_fmt_int("en", NAN, b, sizeof b), "\xe2\x80\x93");
    CHECK_STR(vsp_fmt_tick("en", 0.25, 0.05, b, sizeof b), "0.25");
    CHECK_STR(vsp_fmt_tick("sr", 2.5, 0.5, b, sizeof b), "2,5");
    CHECK_STR(vsp_fmt_tick("en", 2000, 500, b, sizeof b), "2,000");
    /* the process locale changes nothing */
    setlocale(LC_ALL, "");
    CHECK_STR(vsp_fmt_num("en", 1234.5, 1, b, sizeof b), "1,234.5");
    setlocale(LC_ALL, "C");
}

static void test_names(void)
{
    use_source_po();
    char b[96];
    CHECK_STR(vsp_i18n_period("en", "2026Q3", b, sizeof b), "Q3 2026");
    CHECK_STR(vsp_i18n_period("sr", "2026Q3", b, sizeof b), "3. квартал 2026.");
    CHECK_STR(vsp_i18n_period("sq", "2026Q3", b, sizeof b), "T3 2026");
    CHECK_STR(vsp_i18n_period("en", "2026H2", b, sizeof b), "H2 2026");
    CHECK_STR(vsp_i18n_period("bs", "2026", b, sizeof b), "2026.");
    CHECK_STR(vsp_i18n_period("en", "2026-07-01..2026-09-30", b, sizeof b),
              "1 Jul 2026 – 30 Sep 2026");
    CHECK_STR(vsp_i18n_period("en", "garbage", b, sizeof b), "garbage");
    CHECK_STR(vsp_i18n_date("sr-Latn", "2026-10-15T00:00:00Z", b, sizeof b), "15. okt 2026.");
    CHECK_STR(vsp_i18n_country("mk", "MK"), "Северна Македонија");
    CHECK_STR(vsp_i18n_country("sq", "XK"), "Kosova");
    CHECK_STR(vsp_i18n_country("en", "region"), "Western Balkans");
    CHECK_STR(vsp_i18n_country("en", "ZZ"), "ZZ");
    CHECK_STR(vsp_i18n_category("sr", "hate"), "Говор мржње");
    CHECK_STR(vsp_i18n_category("en", "self_harm"), "Self-harm and suicide");
    CHECK_STR(vsp_i18n_decision("bs", "no_violation"), "Nema povrede");
    CHECK_STR(vsp_i18n_outcome("cnr", "account_banned"), "Nalog zabranjen");
    CHECK_STR(vsp_i18n_outcome("en", "geo_blocked"), "Blocked in the country");
    CHECK_STR(vsp_i18n_category("en", "nonsense"), "nonsense");
}

/* Decode the C escapes of a .po string body (between the quotes). */
static void po_unescape(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < size; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            out[o++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* The body of a line `keyword "body"` (or `"body"`), appended to acc. */
static void po_body(const char *line, char *acc, size_t size)
{
    const char *a = strchr(line, '"'), *b = strrchr(line, '"');
    if (!a || b <= a)
        return;
    char raw[2048], dec[2048];
    snprintf(raw, sizeof raw, "%.*s", (int)(b - a - 1), a + 1);
    po_unescape(raw, dec, sizeof dec);
    size_t n = strlen(acc);
    snprintf(acc + n, size - n, "%s", dec);
}

/* Every entry of the template is translated in every language (a
 * translation may equal the English, e.g. "AMA", but must be there) and
 * keeps its {placeholders}. */
static void test_catalogues(void)
{
    use_source_po();
    const char *src = getenv("VSP_SOURCE_DIR");
    char path[700];
    snprintf(path, sizeof path, "%s/po/vspreport.pot", src ? src : ".");
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[4096], ctx[1024] = "", id[8192] = "";
    int entries = 0, state = 0; /* 1 in msgctxt, 2 in msgid */
    for (bool more = true; more;) {
        more = fgets(line, sizeof line, f) != NULL;
        if (more && line[0] == '"') {
            if (state == 1)
                po_body(line, ctx, sizeof ctx);
            else if (state == 2)
                po_body(line, id, sizeof id);
            continue;
        }
        if (more && strncmp(line, "msgctxt ", 8) == 0) {
            ctx[0] = '\0';
            po_body(line, ctx, sizeof ctx);
            state = 1;
            continue;
        }
        if (more && strncmp(line, "msgid ", 6) == 0) {
            id[0] = '\0';
            po_body(line, id, sizeof id);
            state = 2;
            continue;
        }
        if (state == 2 && id[0]) { /* the entry is complete */
            entries++;
            for (int li = 1; vsp_i18n_langs[li]; li++) {
                const char *lang = vsp_i18n_langs[li];
                vsp_error err;
                CHECK_INT(vsp_i18n_load(lang, &err), VSP_OK);
                const char *t = ctx[0] ? vsp_i18n_pget(lang, ctx, id) : vsp_i18n_get(lang, id);
                harness_checks++;
                if (t == (const char *)id) { /* the lookup fell back to the msgid */
                    harness_failures++;
                    fprintf(stderr, "%s: '%s|%s' is not translated\n", lang, ctx, id);
                    continue;
                }
                for (const char *p = strchr(id, '{'); p; p = strchr(p + 1, '{')) {
                    const char *e = strchr(p, '}');
                    if (!e || e - p > 40)
                        break;
                    char ph[64];
                    snprintf(ph, sizeof ph, "%.*s", (int)(e - p + 1), p);
                    harness_checks++;
                    if (!strstr(t, ph)) {
                        harness_failures++;
                        fprintf(stderr, "%s: '%s' lost placeholder %s: '%s'\n", lang, id, ph, t);
                    }
                }
            }
        }
        if (state == 2)
            ctx[0] = '\0';
        state = 0;
        id[0] = '\0';
    }
    fclose(f);
    CHECK(entries > 100);
}

/* The Plural-Forms evaluator against values worked out by hand. */
static void test_plural_eval(void)
{
    unsigned long v = 99;
    CHECK(vsp_i18n_plural_eval("(n != 1)", 1, &v) && v == 0);
    CHECK(vsp_i18n_plural_eval("(n != 1);", 0, &v) && v == 1);
    CHECK(vsp_i18n_plural_eval("0", 7, &v) && v == 0);
    CHECK(vsp_i18n_plural_eval("n>1", 1, &v) && v == 0);
    CHECK(vsp_i18n_plural_eval("n>=2 ? 3 : n", 1, &v) && v == 1);
    CHECK(vsp_i18n_plural_eval("n%10==1 && n%100!=11 ? 0 : 1", 111, &v) && v == 1);
    CHECK(vsp_i18n_plural_eval("n%10==1 && n%100!=11 ? 0 : 1", 101, &v) && v == 0);
    CHECK(vsp_i18n_plural_eval("!(n == 1) + 2 * 3 - 6 / 2", 1, &v) && v == 3); /* 0+6-3 */
    CHECK(vsp_i18n_plural_eval("n % 0", 5, &v) && v == 0); /* no crash on a zero divisor */
    CHECK(vsp_i18n_plural_eval("n == 0 ? 0 : n == 1 ? 1 : n <= 10 ? 2 : 3", 10, &v) && v == 2);
    CHECK(vsp_i18n_plural_eval("n || 0", 0, &v) && v == 0);
    /* not expressions */
    CHECK(!vsp_i18n_plural_eval("n +", 1, &v));
    CHECK(!vsp_i18n_plural_eval("n ? 1", 1, &v));
    CHECK(!vsp_i18n_plural_eval("(n", 1, &v));
    CHECK(!vsp_i18n_plural_eval("x", 1, &v));
    CHECK(!vsp_i18n_plural_eval("n = 1", 1, &v));
    CHECK(!vsp_i18n_plural_eval("n & 1", 1, &v));
    CHECK(!vsp_i18n_plural_eval("system(n)", 1, &v));
    char deep[400];
    memset(deep, '(', 200);
    snprintf(deep + 200, sizeof deep - 200, "n");
    CHECK(!vsp_i18n_plural_eval(deep, 1, &v)); /* depth limit, not a stack overflow */
}

/* CLDR's cardinal rules, written here from the CLDR tables (not from the
 * catalogues): one / few / other for sr bs cnr, one / other for mk
 * (1, 21, 31 ... but 11), one / other for sq and en. */
static int cldr_index(const char *lang, unsigned long n)
{
    if (!strcmp(lang, "sr") || !strcmp(lang, "sr-Latn") || !strcmp(lang, "bs") ||
        !strcmp(lang, "cnr")) {
        if (n % 10 == 1 && n % 100 != 11)
            return 0;
        if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
            return 1;
        return 2;
    }
    if (!strcmp(lang, "mk"))
        return n % 10 == 1 && n % 100 != 11 ? 0 : 1;
    return n == 1 ? 0 : 1;
}

static void test_plurals(void)
{
    use_source_po();
    /* the catalogues' Plural-Forms, evaluated, agree with CLDR for 0..1000 */
    for (int li = 0; vsp_i18n_langs[li]; li++) {
        const char *lang = vsp_i18n_langs[li];
        int disagree = 0;
        for (unsigned long n = 0; n <= 1000; n++)
            disagree += vsp_i18n_plural_index(lang, n) != cldr_index(lang, n);
        harness_checks++;
        if (disagree) {
            harness_failures++;
            fprintf(stderr, "%s: Plural-Forms disagrees with CLDR for %d values\n", lang,
                    disagree);
        }
    }
    /* the forms by hand, n = 1 2 5 21 11 12 22 25 101 111 */
    static const unsigned long ns[] = {1, 2, 5, 21, 11, 12, 22, 25, 101, 111};
    static const int want_sr[] = {0, 1, 2, 0, 2, 2, 1, 2, 0, 2};
    static const int want_mk[] = {0, 1, 1, 0, 1, 1, 1, 1, 0, 1};
    static const int want_sq[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        CHECK_INT(vsp_i18n_plural_index("sr", ns[i]), want_sr[i]);
        CHECK_INT(vsp_i18n_plural_index("sr-Latn", ns[i]), want_sr[i]);
        CHECK_INT(vsp_i18n_plural_index("bs", ns[i]), want_sr[i]);
        CHECK_INT(vsp_i18n_plural_index("cnr", ns[i]), want_sr[i]);
        CHECK_INT(vsp_i18n_plural_index("mk", ns[i]), want_mk[i]);
        CHECK_INT(vsp_i18n_plural_index("sq", ns[i]), want_sq[i]);
        CHECK_INT(vsp_i18n_plural_index("en", ns[i]), want_sq[i]);
    }
    /* the chart footer as a reader sees it */
#define FOOT(lang, n) vsp_i18n_npget(lang, "footer", "n = {n} report received", \
                                     "n = {n} reports received", n)
    CHECK_STR(FOOT("en", 1), "n = {n} report received");
    CHECK_STR(FOOT("en", 21), "n = {n} reports received");
    CHECK_STR(FOOT("sr", 1), "n = {n} примљена пријава");
    CHECK_STR(FOOT("sr", 2), "n = {n} примљене пријаве");
    CHECK_STR(FOOT("sr", 5), "n = {n} примљених пријава");
    CHECK_STR(FOOT("sr", 21), "n = {n} примљена пријава");
    CHECK_STR(FOOT("sr", 11), "n = {n} примљених пријава");
    CHECK_STR(FOOT("sr", 12), "n = {n} примљених пријава");
    CHECK_STR(FOOT("sr", 22), "n = {n} примљене пријаве");
    CHECK_STR(FOOT("sr", 111), "n = {n} примљених пријава");
    CHECK_STR(FOOT("sr-Latn", 2), "n = {n} primljene prijave");
    CHECK_STR(FOOT("bs", 25), "n = {n} primljenih prijava");
    CHECK_STR(FOOT("cnr", 101), "n = {n} primljena prijava");
    CHECK_STR(FOOT("mk", 1), "n = {n} примена пријава");
    CHECK_STR(FOOT("mk", 2), "n = {n} примени пријави");
    CHECK_STR(FOOT("mk", 11), "n = {n} примени пријави");
    CHECK_STR(FOOT("mk", 21), "n = {n} примена пријава");
    CHECK_STR(FOOT("sq", 1), "n = {n} raportim i marrë");
    CHECK_STR(FOOT("sq", 5), "n = {n} raportime të marra");
#undef FOOT
    CHECK_STR(vsp_i18n_npget("sr", "report", "{n} item was reported in two or more countries.",
                             "{n} items were reported in two or more countries.", 5),
              "{n} садржаја пријављено је у две или више земаља.");
    CHECK_STR(vsp_i18n_npget("bs", "report", "{n} item was reported in two or more countries.",
                             "{n} items were reported in two or more countries.", 3),
              "{n} sadržaja prijavljena su u dvije ili više zemalja.");
    CHECK_STR(vsp_i18n_npget("sq", "report", "{n} item was reported in two or more countries.",
                             "{n} items were reported in two or more countries.", 1),
              "{n} përmbajtje u raportua në dy ose më shumë vende.");
    /* a message the catalogue lacks: English, by the English rule */
    CHECK_STR(vsp_i18n_npget("sr", "report", "one cat", "{n} cats", 1), "one cat");
    CHECK_STR(vsp_i18n_npget("sr", "report", "one cat", "{n} cats", 2), "{n} cats");
    vsp_i18n_cleanup();
}

/* Plural entries in a catalogue of one's own: forms chosen by its header,
 * an entry missing a form falls back to English, a broken Plural-Forms is
 * an error with its line. */
static void test_plural_parser(void)
{
    setenv("VSP_PO_DIR", tmpdir, 1);
    vsp_i18n_cleanup();
    write_file("bs.po",
               "msgid \"\"\n"
               "msgstr \"\"\n"
               "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
               "\"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
               "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n"
               "\n"
               "msgid \"{n} file\"\n"
               "msgid_plural \"{n} files\"\n"
               "msgstr[0] \"{n} datoteka\"\n"
               "msgstr[1] \"{n} datoteke\"\n"
               "msgstr[2] \"{n} datoteka\"\n"
               "\n"
               "msgid \"{n} row\"\n"
               "msgid_plural \"{n} rows\"\n"
               "msgstr[0] \"{n} red\"\n"
               "msgstr[1] \"\"\n"
               "msgstr[2] \"{n} redova\"\n");
    CHECK_INT(vsp_i18n_load("bs", NULL), VSP_OK);
    CHECK_STR(vsp_i18n_nget("bs", "{n} file", "{n} files", 3), "{n} datoteke");
    CHECK_STR(vsp_i18n_nget("bs", "{n} file", "{n} files", 13), "{n} datoteka");
    CHECK_STR(vsp_i18n_nget("bs", "{n} row", "{n} rows", 5), "{n} rows"); /* incomplete */
    vsp_i18n_cleanup();
    write_file("bs.po", "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=2; plural=n%10;\\n\"\n");
    vsp_error err;
    CHECK_INT(vsp_i18n_load("bs", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "bs.po:2:") != NULL);
    CHECK(strstr(err.msg, "beyond nplurals") != NULL);
    vsp_i18n_cleanup();
    write_file("bs.po", "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n @ 2;\\n\"\n");
    CHECK_INT(vsp_i18n_load("bs", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "not a valid plural expression") != NULL);
    vsp_i18n_cleanup();
    write_file("bs.po", "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[9] \"x\"\n");
    CHECK_INT(vsp_i18n_load("bs", &err), VSP_ECONFIG);
    CHECK(strstr(err.msg, "bs.po:3:") != NULL);
    vsp_i18n_cleanup();
    char path[700];
    snprintf(path, sizeof path, "%s/bs.po", tmpdir);
    remove(path);
}

/* The one rule for regulator names: the table in the output's language
 * and script, the profile's own name in the profile's language only, and
 * never a value in the wrong script. */
static void test_regulator_names(void)
{
    use_source_po();
    CHECK_STR(vsp_i18n_regulator_short("en", "BA"), "CRA");
    CHECK_STR(vsp_i18n_regulator_short("en", "XK"), "IMC");
    CHECK_STR(vsp_i18n_regulator_short("sr", "XK"), "НКМ");
    CHECK_STR(vsp_i18n_regulator_short("mk", "MK"), "АВМУ");
    CHECK_STR(vsp_i18n_regulator_short("bs", "BA"), "RAK");
    CHECK_STR(vsp_i18n_regulator_short("sq", "XK"), "KPM");
    CHECK_STR(vsp_i18n_regulator("sq", "XK"), "Komisioni i Pavarur për Media");
    /* a list of codes (whose as-of date is the region's) as short names */
    char list[64];
    CHECK_STR(vsp_i18n_regulator_list("en", "ME", list, sizeof list), "AEM");
    CHECK_STR(vsp_i18n_regulator_list("sr", "BA, XK", list, sizeof list), "РАК, НКМ");
    CHECK_STR(vsp_i18n_regulator_list("mk", "MK,XK", list, sizeof list), "АВМУ, НКМ");
    CHECK_STR(vsp_i18n_regulator_list("en", "ZZ, XK", list, sizeof list), "ZZ, IMC");
    CHECK_STR(vsp_i18n_regulator_list("en", "", list, sizeof list), "");
    CHECK_STR(vsp_i18n_regulator_list("en", "AL, BA, XK", list, 9), "AMA, CRA"); /* cut at a name */
    /* the phrases that name regulators in a list (whose date the region is
     * as of, whose hours it pools), filled as the charts and the report
     * fill them: in a Cyrillic edition no Latin letter at all but the
     * statistician's "n" (the templates' only Latin) */
    static const struct {
        const char *ctx, *msgid;
    } phrases[] = {
        {"footer", "Data as of {date} (earliest: {who})"},
        {"report", "{date} (the earliest regulator: {who})"},
        {"footer", "n = {n} actioned items timed to the hour ({who})"},
        {"report", "Hours pool the regulators that record times of day ({who}); days, in the "
                   "table below, pool all of them."},
    };
    static const char *const cyrillic[] = {"sr", "mk"};
    for (size_t li = 0; li < 2; li++) {
        char who[160], text[512];
        vsp_i18n_regulator_list(cyrillic[li], "AL, BA, ME, MK, RS, XK", who, sizeof who);
        CHECK_STR(who, "АМА, РАК, АЕМ, АВМУ, РЕМ, НКМ");
        for (size_t k = 0; k < sizeof phrases / sizeof phrases[0]; k++) {
            const char *names[] = {"date", "who", "n"};
            const char *values[] = {"3", who, "3"};
            vsp_i18n_subst(text, sizeof text,
                           vsp_i18n_pget(cyrillic[li], phrases[k].ctx, phrases[k].msgid), 3,
                           names, values);
            CHECK(strstr(text, who) != NULL);
            for (const char *c = text; *c; c++)
                if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z' && *c != 'n')) {
                    fprintf(stderr, "%s: Latin in '%s'\n", cyrillic[li], text);
                    CHECK(false);
                    break;
                }
        }
    }
    /* a renamed Montenegrin regulator, written in its profile */
    const char *amu = "Agencija za audiovizuelne medijske usluge";
    CHECK_STR(vsp_i18n_regulator_as("cnr", "ME", false, "cnr", amu), amu);
    CHECK_STR(vsp_i18n_regulator_as("cnr", "ME", true, "cnr", "AMU"), "AMU");
    CHECK_STR(vsp_i18n_regulator_as("en", "ME", true, "cnr", "AMU"), "AEM");
    CHECK_STR(vsp_i18n_regulator_as("sr", "ME", true, "cnr", "AMU"), "АЕМ");
    /* the profile's value counts only in its own script */
    CHECK_STR(vsp_i18n_regulator_as("sr", "RS", true, "sr", "REM"), "РЕМ");
    CHECK_STR(vsp_i18n_regulator_as("sr", "RS", true, "sr", "РЕМ"), "РЕМ");
    CHECK_STR(vsp_i18n_regulator_as("sr-Latn", "RS", true, "sr", "РЕМ"), "REM");
    CHECK_STR(vsp_i18n_regulator_as("bs", "BA", true, "bs", "РАК"), "RAK");
    /* nothing known: the table; not one of the six: the profile, else NULL */
    CHECK_STR(vsp_i18n_regulator_as("en", "AL", false, NULL, NULL), "Audiovisual Media Authority");
    CHECK_STR(vsp_i18n_regulator_as("en", "HR", true, "hr", "AEM"), "AEM");
    CHECK(vsp_i18n_regulator_as("en", "HR", true, NULL, NULL) == NULL);
    vsp_i18n_cleanup();
}

int main(void)
{
    const char *t = getenv("VSP_TEST_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/i18n", t ? t : "/tmp/vsp-test");
    char *cmd = vsp_xasprintf("mkdir -p '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot create %s\n", tmpdir);
    free(cmd);
    char mk[700];
    snprintf(mk, sizeof mk, "%s/mk.po", tmpdir);
    remove(mk);
    setenv("VSP_PO_DIR", tmpdir, 1);
    RUN(test_parser);
    RUN(test_langs);
    RUN(test_subst);
    RUN(test_numbers);
    RUN(test_names);
    RUN(test_catalogues);
    RUN(test_plural_eval);
    RUN(test_plurals);
    RUN(test_plural_parser);
    RUN(test_regulator_names);
    vsp_i18n_cleanup();
    return harness_done();
}
