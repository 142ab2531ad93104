/* test_profile.c — the profile parser: the six shipped profiles load, and
 * each kind of malformed profile is a config error naming file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "pipeline/encoding.h"
#include "pipeline/profile.h"
#include "pipeline/util.h"

static const char *tmp_dir(void)
{
    const char *t = getenv("VSP_TEST_TMP");
    if (!t)
        t = "/tmp";
    mkdir(t, 0777);
    return t;
}

static const char good[] =
    "# a comment\n"
    "[regulator]\n"
    "country = RS\n"
    "name = Test\n"
    "short_name = T\n"
    "language = sr\n"
    "timezone = Europe/Belgrade\n"
    "[format]\n"
    "encoding = windows-1251\n"
    "delimiter = tab\n"
    "header_row = 3\n"
    "dates = %d.%m.%Y. | excel\n"
    "dates.outcome_at = iso8601\n"
    "[defaults]\n"
    "platform = tiktok\n"
    "[columns]\n"
    "case_id = Број | Broj\n"
    "received_at = Датум\n"
    "category = Категорија\n"
    "decision = Одлука\n"
    "[category]\n"
    "Говор мржње; претње = hate\n"
    "a = b = other\n"
    "[decision]\n"
    "Прослеђено = forwarded\n";

/* Write text to a profile file and load it. */
static vsp_profile *load_text(const char *name, const char *text, vsp_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir(), name);
    FILE *fp = fopen(path, "wb");
    fputs(text, fp);
    fclose(fp);
    return vsp_profile_load(path, err);
}

static void test_good(void)
{
    vsp_error err;
    vsp_profile *p = load_text("good.ini", good, &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_STR(p->country, "RS");
    CHECK_STR(p->name_stem, "good");
    CHECK_INT(p->delimiter, '\t');
    CHECK_INT(p->header_row, 3);
    CHECK_STR(p->dates[VSP_DATE_RECEIVED], "%d.%m.%Y. | excel");
    CHECK_STR(p->dates[VSP_DATE_OUTCOME], "iso8601");
    CHECK_INT(p->n_headers[VSP_F_CASE_ID], 2);
    CHECK_STR(p->headers[VSP_F_CASE_ID][0], "број");
    CHECK_STR(p->headers[VSP_F_CASE_ID][1], "broj");
    vsp_buf f;
    vsp_buf_init(&f);
    /* Labels match ignoring case and surrounding spaces; ';' is part of a
     * label; a label may hold '=' (split at the last one). */
    vsp_fold("  ГОВОР МРЖЊЕ; ПРЕТЊЕ ", strlen("  ГОВОР МРЖЊЕ; ПРЕТЊЕ "), &f);
    CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CATEGORY, f.data), 4);
    vsp_fold("a = b", 5, &f);
    CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CATEGORY, f.data), 14);
    /* Canonical codes map to themselves. */
    CHECK_INT(vsp_profile_lookup(p, VSP_MAP_DECISION, "no_violation"), 2);
    CHECK_INT(vsp_profile_lookup(p, VSP_MAP_DECISION, "nope"), 0);
    /* Suggestions come from the closest mapped label. */
    vsp_fold("Прослеђенo", strlen("Прослеђенo"), &f);
    CHECK_STR(vsp_profile_suggest(p, VSP_MAP_DECISION, f.data), "forwarded");
    vsp_buf_fini(&f);
    vsp_profile_free(p);
}

static void test_shipped(void)
{
    static const char *const names[] = {"al-ama", "ba-cra", "me-aem", "mk-avmu", "rs-rem", "xk-kpm"};
    const char *src = getenv("VSP_SOURCE_DIR");
    if (!src)
        src = VSP_SOURCE_DIR;
    for (size_t i = 0; i < 6; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/profiles/%s.ini", src, names[i]);
        vsp_error err;
        vsp_profile *p = vsp_profile_load(path, &err);
        CHECK(p != NULL);
        if (!p)
            fprintf(stderr, "%s\n", err.msg);
        vsp_profile_free(p);
    }
}

/* Each bad profile: the change to the good one and the message wanted. */
static void test_bad(void)
{
    static const struct {
        const char *from, *to, *want;
    } cases[] = {
        {"delimiter = tab", "delimiter = |", "bad.ini:10: delimiter '|' is not one of , ; tab auto"},
        {"country = RS", "country = SRB", "bad.ini:3: country 'SRB' is not one of AL BA ME MK RS XK"},
        {"language = sr", "language = de", "bad.ini:6: language 'de' is not one of"},
        {"header_row = 3", "header_row = 0", "bad.ini:11: header_row '0' must be a line number"},
        {"encoding = windows-1251", "encoding = koi8-r", "bad.ini:9: "},
        {"dates = %d.%m.%Y. | excel", "dates = %d.%q.%Y", "bad.ini:12: "},
        {"timezone = Europe/Belgrade", "timezone = Europe/Atlantis", "bad.ini: [regulator] timezone:"},
        {"Прослеђено = forwarded", "Прослеђено = sent", "bad.ini:25: 'sent' is not a code of [decision]"},
        {"[category]", "[categories]", "bad.ini:21: unknown section [categories]"},
        {"case_id = Број | Broj", "case_no = Број", "bad.ini:17: unknown canonical field 'case_no'"},
        {"decision = Одлука\n", "", "bad.ini: [columns] lacks the required field 'decision'"},
        {"name = Test", "name Test", "bad.ini:4: expected 'key = value' or a [section]"},
        {"[format]", "[format", "bad.ini:8: section header '[format' lacks its closing ]"},
        {"short_name = T\n", "", "bad.ini: [regulator] lacks 'short_name'"},
        {"a = b = other", "a = forwarded", "bad.ini:23: 'forwarded' is not a code of [category]"},
        {"platform = tiktok", "platform = Tik Tok", "bad.ini: [defaults] platform must be lower-case"},
        {"decision = Одлука\n", "decision = Одлука\noptional = case_id\n",
         "bad.ini:21: optional: 'case_id' is a required field and cannot be optional"},
        {"decision = Одлука\n", "decision = Одлука\noptional = notes\n",
         "bad.ini:21: optional: 'notes' has no line in [columns]"},
        {"decision = Одлука\n", "decision = Одлука\noptional = note\n",
         "bad.ini:21: optional: unknown canonical field 'note'"},
        {"decision = Одлука\n", "decision = Одлука\noptional = outcome\noptional = notes\n",
         "bad.ini:22: 'optional' is given twice (first at line 21)"},
        {"dates.outcome_at = iso8601", "total_lines = Ukupno |  | x", "bad.ini:13: empty marker in total_lines"},
        {"a = b = other", "ГОВОР МРЖЊЕ;  ПРЕТЊЕ = other",
         "bad.ini:23: label 'ГОВОР МРЖЊЕ;  ПРЕТЊЕ' is already mapped at line 22 to another code"},
        {"country = RS", "country = R\033S", "bad.ini:3: country 'R\\x1BS' is not one of"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(good, cases[i].from);
        CHECK(at != NULL);
        if (!at)
            continue;
        char *text = vsp_xasprintf("%.*s%s%s", (int)(at - good), good, cases[i].to,
                                   at + strlen(cases[i].from));
        vsp_error err;
        vsp_error_clear(&err);
        vsp_profile *p = load_text("bad.ini", text, &err);
        CHECK(p == NULL);
        CHECK_INT(err.status, VSP_ECONFIG);
        if (!strstr(err.msg, cases[i].want)) {
            harness_failures++;
            fprintf(stderr, "case %zu: message '%s' lacks '%s'\n", i, err.msg, cases[i].want);
        }
        vsp_profile_free(p);
        free(text);
    }
    vsp_error err;
    CHECK(vsp_profile_load("/nonexistent/x.ini", &err) == NULL);
    CHECK_INT(err.status, VSP_ENOINPUT);
}

/* Optional fields, total-line markers, the profile line of each column,
 * and labels by the thousand: each found, a repeat with the same code
 * accepted, normalised spellings matched. */
static void test_extras(void)
{
    vsp_buf text;
    vsp_buf_init(&text);
    vsp_buf_puts(&text, good);
    vsp_buf_puts(&text, "[columns]\nnotes = Napomena\nlegal_basis = Zakon\n"
                        "optional = notes, legal_basis\n[format]\ntotal_lines = Ukupno: | УКУПНО\n"
                        "[channel]\n");
    for (int i = 0; i < 5000; i++)
        vsp_buf_printf(&text, "Kanal %d = %s\n", i, i % 2 ? "email" : "phone");
    vsp_buf_puts(&text, "KANAL 7 = email\n");
    vsp_error err;
    vsp_profile *p = load_text("extras.ini", text.data, &err);
    CHECK(p != NULL);
    if (p) {
        CHECK(p->optional[VSP_F_NOTES]);
        CHECK(p->optional[VSP_F_LEGAL_BASIS]);
        CHECK(!p->optional[VSP_F_OUTCOME]);
        CHECK_INT(p->header_line[VSP_F_CASE_ID], 17);
        CHECK_INT(p->header_line[VSP_F_NOTES], 27);
        CHECK_INT(p->header_line[VSP_F_OUTCOME], 0);
        CHECK_INT(p->n_total_markers, 2);
        if (p->n_total_markers == 2) {
            CHECK_STR(p->total_markers[0], "ukupno");
            CHECK_STR(p->total_markers[1], "укупно");
        }
        CHECK_INT(p->maps[VSP_MAP_CHANNEL].n, 5000);
        CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CHANNEL, "kanal 4998"), 3); /* phone */
        CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CHANNEL, "kanal 4999"), 2); /* email */
        CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CHANNEL, "kanal 5000"), 0);
        /* A label written with a zero-width space, in capitals and with a
         * double space is the profile's label. */
        vsp_buf f;
        vsp_buf_init(&f);
        const char *label = "\xE2\x80\x8B" "ГОВОР  МРЖЊЕ; ПРЕТЊЕ";
        vsp_fold(label, strlen(label), &f);
        CHECK_INT(vsp_profile_lookup(p, VSP_MAP_CATEGORY, f.data), 4); /* hate */
        vsp_buf_fini(&f);
    }
    vsp_profile_free(p);
    vsp_buf_fini(&text);
}

/* export_date = file_name: the last real date in the name, in each
 * accepted form; digits that are not a date, or a date inside a longer
 * run of digits, do not count. */
static void test_export_date(void)
{
    vsp_buf text;
    vsp_buf_init(&text);
    vsp_buf_puts(&text, good);
    vsp_buf_puts(&text, "[format]\nexport_date = file_name\n");
    vsp_error err;
    vsp_profile *p = load_text("export-date.ini", text.data, &err);
    CHECK(p != NULL);
    if (p) {
        static const struct { const char *name; int32_t day; } cases[] = {
            {"rs-rem-2026-10-05.csv", 20261005},
            {"rs-rem_2026_10_05.csv", 20261005},
            {"izvoz 05.10.2026.csv", 20261005},
            {"izvoz-05-10-2026.csv", 20261005},
            {"export20261005.csv", 20261005},
            {"q3-2026-07-01-export-2026-10-07.csv", 20261007}, /* the last one */
            {"rs-rem-2026-02-30.csv", 0},                      /* no such day */
            {"case-123420261005.csv", 0},                      /* inside a longer number */
            {"rs-rem.csv", 0},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            int32_t day = -1;
            vsp_status st = vsp_profile_export_day(p, cases[i].name, &day, &err);
            CHECK_INT(day, cases[i].day);
            CHECK_INT(st, cases[i].day ? VSP_OK : VSP_EDATA);
            if (!cases[i].day)
                CHECK(strstr(err.msg, "--exported-at") != NULL);
        }
    }
    vsp_profile_free(p);
    /* without the key nothing is stated, whatever the name */
    p = load_text("no-export-date.ini", good, &err);
    CHECK(p != NULL);
    if (p) {
        int32_t day = -1;
        CHECK_INT(vsp_profile_export_day(p, "rs-rem-2026-10-05.csv", &day, &err), VSP_OK);
        CHECK_INT(day, 0);
    }
    vsp_profile_free(p);
    vsp_buf_clear(&text);
    vsp_buf_puts(&text, good);
    vsp_buf_puts(&text, "[format]\nexport_date = name\n");
    CHECK(load_text("bad-export-date.ini", text.data, &err) == NULL);
    CHECK(strstr(err.msg, "file_name") != NULL);
    vsp_buf_fini(&text);
}

int main(void)
{
    RUN(test_good);
    RUN(test_shipped);
    RUN(test_bad);
    RUN(test_extras);
    RUN(test_export_date);
    return harness_done();
}
