/* test_release_text.c — what a reader sees of a release: the release line
 * on every output, "(R)" on exactly the revised figures, and the
 * revisions note, in English and in Serbian Cyrillic.  The renderers are
 * called with a hand-built vsp_release (pipeline/release.h is plain data)
 * on the hand-made warehouse tests/data/time-fixture.sql, and their
 * outputs are read back by other tools: pdftotext for the PDF report,
 * /usr/bin/python3 + openpyxl for the workbook, the HTML text of the web
 * edition and the SVG text of a chart.
 *
 * The figures, by hand from the fixture (see tests/unit/test_time.c):
 * AL 2026Q3 received 5, forwarded 5 (all in the category "hate"),
 * actioned 3, action rate 3/4 = 75.0 %; AL 2026Q2 received 5.  The
 * release revises:
 *   2026Q2 AL    *     received             4 -> 5            other
 *   2026Q3 AL    *     action_rate          0.6667 -> 0.7500  later export 2026-10-05
 *   2026Q3 AL    *     received             4 -> 5            corrected 2026-10-05
 *   2026Q3 AL    hate  forwarded            4 -> 5            corrected 2026-10-05
 *   2026Q3 ME    *     median_d_to_action   1.00 -> 1.50      methodology 0.2.0
 *   2026Q3 region *    received             6 -> 7            re-mapped al-ama
 * so AL's outputs mark received and the action rate of all categories and
 * forwarded of "hate" in 2026Q3, and received in the 2026Q2 row of the
 * trend — and not actioned (3), nor forwarded of all categories (5, the
 * same number as the marked one).  The action rate rests on 4 cases:
 * under 20, so the report's key figures also give it a dagger. */
#include "pipeline/release_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts/chart.h"
#include "charts/surface.h"
#include "pipeline/aggregate.h"
#include "pipeline/i18n.h"
#include "pipeline/measures.h"
#include "pipeline/period.h"
#include "pipeline/sql.h"
#include "pipeline/store.h"
#include "reports/report.h"
#include "reports/site.h"
#include "reports/workbook.h"

#include "tests/unit/harness.h"

/* the no-break space of a change ("66.7% → 75.0%", vsp_release_change_text) */
#define NB "\xc2\xa0"

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; hay && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static vsp_revision rev(const char *period, const char *area, const char *category,
                        const char *measure, const char *old_value, const char *new_value,
                        vsp_revision_reason why, const char *detail)
{
    vsp_revision v = {strdup(period), strdup(area),      strdup(category), strdup(measure),
                      strdup(old_value), strdup(new_value), why,             strdup(detail)};
    return v;
}

/* The release of the header comment: 2026Q3 version 2 of 6 Dec 2026,
 * provisional, replacing version 1 of 1 Nov 2026. */
static void release_v2(vsp_release *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->period, sizeof r->period, "2026Q3");
    r->version = 2;
    snprintf(r->date, sizeof r->date, "2026-12-06");
    r->provisional = true;
    r->previous_version = 1;
    snprintf(r->previous_date, sizeof r->previous_date, "2026-11-01");
    r->n_revisions = 6;
    r->revisions = malloc(6 * sizeof *r->revisions);
    r->revisions[0] = rev("2026Q2", "AL", "*", "received", "4", "5", VSP_REVISION_OTHER, "");
    r->revisions[1] = rev("2026Q3", "AL", "*", "action_rate", "0.6667", "0.7500",
                          VSP_REVISION_LATER_EXPORT, "2026-10-05");
    r->revisions[2] = rev("2026Q3", "AL", "*", "received", "4", "5", VSP_REVISION_CORRECTED,
                          "2026-10-05");
    r->revisions[3] = rev("2026Q3", "AL", "hate", "forwarded", "4", "5", VSP_REVISION_CORRECTED,
                          "2026-10-05");
    r->revisions[4] = rev("2026Q3", "ME", "*", "median_d_to_action", "1.00", "1.50",
                          VSP_REVISION_METHODOLOGY, "0.2.0");
    r->revisions[5] = rev("2026Q3", "region", "*", "received", "6", "7", VSP_REVISION_REMAPPED,
                          "al-ama");
}

static void test_text(void)
{
    vsp_release r;
    release_v2(&r);
    char buf[1024];
    CHECK_STR(vsp_release_format(&r, "en", buf, sizeof buf),
              "Release 2026Q3-v2, 6 Dec 2026 — provisional");
    CHECK_STR(vsp_release_format(&r, "sr", buf, sizeof buf),
              "Издање 2026Q3-v2, 6. дец 2026. — привремено");
    r.provisional = false;
    CHECK_STR(vsp_release_format(&r, "en", buf, sizeof buf), "Release 2026Q3-v2, 6 Dec 2026 — final");
    CHECK_STR(vsp_release_format(&r, "sr-Latn", buf, sizeof buf),
              "Izdanje 2026Q3-v2, 6. dec 2026. — konačno");
    r.provisional = true;
    CHECK_STR(vsp_release_format(NULL, "en", buf, sizeof buf), "");
    CHECK_STR(vsp_release_legend(NULL, "en", buf, sizeof buf), "");

    CHECK_STR(vsp_release_legend(&r, "en", buf, sizeof buf),
              "(R) revised: the figure changed since version 1 of 1 Nov 2026; the revisions "
              "note lists the old value and why.");
    CHECK_STR(vsp_release_reason_text(&r.revisions[0], "en", buf, sizeof buf), "other change");
    CHECK_STR(vsp_release_reason_text(&r.revisions[1], "en", buf, sizeof buf),
              "later outcomes and events from the export of 5 Oct 2026");
    CHECK_STR(vsp_release_reason_text(&r.revisions[2], "sr", buf, sizeof buf),
              "предмети исправљени извозом од 5. окт 2026.");
    CHECK_STR(vsp_release_reason_text(&r.revisions[4], "en", buf, sizeof buf),
              "methodology changed in vspreport 0.2.0");
    CHECK_STR(vsp_release_reason_text(&r.revisions[5], "mk", buf, sizeof buf),
              "ознаки повторно мапирани во профилот al-ama");

    /* values as readers read them, by the measure's unit */
    CHECK_STR(vsp_release_value_text("action_rate", "0.7500", "en", buf, sizeof buf), "75.0%");
    CHECK_STR(vsp_release_value_text("action_rate", "0.7500", "sr", buf, sizeof buf), "75,0%");
    CHECK_STR(vsp_release_value_text("received", "1204", "en", buf, sizeof buf), "1,204");
    CHECK_STR(vsp_release_value_text("median_h_to_action", "35.78", "en", buf, sizeof buf),
              "35.8 h");
    CHECK_STR(vsp_release_value_text("median_d_to_action", "1.50", "en", buf, sizeof buf),
              "1.5 days");
    CHECK_STR(vsp_release_value_text("received", "", "en", buf, sizeof buf), "\xe2\x80\x93");

    /* agg_metric names to figures.csv codes (cli/cmd_stats.c's columns) */
    CHECK_STR(vsp_release_measure_code("h_to_action_median", buf, sizeof buf), "median_h_to_action");
    CHECK_STR(vsp_release_measure_code("h_to_action_p90", buf, sizeof buf), "p90_h_to_action");
    CHECK_STR(vsp_release_measure_code("h_to_action_n", buf, sizeof buf), "n_to_action");
    CHECK_STR(vsp_release_measure_code("h_received_decided_n", buf, sizeof buf),
              "n_received_decided");
    CHECK_STR(vsp_release_measure_code("d_to_action_n", buf, sizeof buf), "n_d_to_action");
    CHECK_STR(vsp_release_measure_code("d_to_action_median", buf, sizeof buf), "median_d_to_action");
    CHECK_STR(vsp_release_measure_code("d_share_7d", buf, sizeof buf), "share_d_7d");
    CHECK_STR(vsp_release_measure_code("cohort_n", buf, sizeof buf), "cohort_n");
    CHECK_STR(vsp_release_measure_code("received_per100k", buf, sizeof buf), "received_per100k");

    CHECK(vsp_release_revised_metric(&r, "2026Q3", "ME", "*", "d_to_action_median"));
    CHECK(!vsp_release_revised_metric(&r, "2026Q3", "ME", "*", "h_to_action_median"));
    CHECK(!vsp_release_revised_metric(NULL, "2026Q3", "AL", "*", "received"));
    CHECK_INT(vsp_release_revisions_in(&r, "AL"), 4);
    CHECK_INT(vsp_release_revisions_in(&r, "ME"), 1);
    /* the region's note: the region's figures and the countries' over all
     * categories, not AL's forwarded of hate */
    CHECK_INT(vsp_release_revisions_in(&r, "region"), 5);
    CHECK(!vsp_release_revision_in(&r.revisions[3], "region"));
    CHECK(vsp_release_revision_in(&r.revisions[3], "AL"));
    CHECK(vsp_release_revision_in(&r.revisions[4], "region"));
    CHECK(!vsp_release_revision_in(&r.revisions[4], "AL"));
    CHECK_STR(vsp_release_measure_label("action_rate", "en"), "Action rate");
    CHECK_STR(vsp_release_measure_label("p90_d_received_outcome", "sr"),
              "Време од пријема до исхода у данима, 90. перцентил");
    CHECK_STR(vsp_release_measure_label("cohort_7d", "mk"), "Кохорта: со мерка во рок од 7 дена");
    CHECK_STR(vsp_release_measure_label("no_such_measure", "sr"), "no_such_measure");
    /* every measure figures.csv can hold has a name in every language:
     * never its code, and in each other language than English not the
     * English name (the catalogue translates it) */
    for (size_t i = 0; i < vsp_measure_count(); i++) {
        const char *code = vsp_measure_at(i)->code;
        const char *en = vsp_release_measure_label(code, "en");
        for (size_t li = 0; li < VSP_I18N_N_LANGS; li++) {
            const char *lang = vsp_i18n_langs[li];
            const char *name = vsp_release_measure_label(code, lang);
            if (strcmp(name, code) == 0 || (strcmp(lang, "en") != 0 && strcmp(name, en) == 0)) {
                fprintf(stderr, "measure %s in %s: '%s'\n", code, lang, name);
                CHECK(false);
            }
        }
    }
    /* old -> new as a reader reads them, with more decimals only where the
     * reader's would read the same */
    char change[128];
    vsp_release x;
    memset(&x, 0, sizeof x);
    x.n_revisions = 3;
    x.revisions = malloc(3 * sizeof *x.revisions);
    x.revisions[0] = rev("2026Q3", "AL", "*", "action_rate", "0.7143", "0.7144",
                         VSP_REVISION_OTHER, "");
    x.revisions[1] = rev("2026Q3", "AL", "*", "median_h_to_action", "35.78", "35.81",
                         VSP_REVISION_OTHER, "");
    x.revisions[2] = rev("2026Q3", "AL", "*", "median_h_to_action", "35.78", "",
                         VSP_REVISION_OTHER, "");
    CHECK_STR(vsp_release_change_text(&x.revisions[0], "en", change, sizeof change),
              "71.43%" NB "→" NB "71.44%");
    CHECK_STR(vsp_release_change_text(&r.revisions[1], "en", change, sizeof change),
              "66.7%" NB "→" NB "75.0%");
    CHECK_STR(vsp_release_change_text(&r.revisions[1], "sr", change, sizeof change),
              "66,7%" NB "→" NB "75,0%");
    CHECK_STR(vsp_release_change_text(&x.revisions[1], "en", change, sizeof change),
              "35.78" NB "h" NB "→" NB "35.81" NB "h");
    CHECK_STR(vsp_release_change_text(&x.revisions[2], "en", change, sizeof change),
              "35.8" NB "h" NB "→" NB "–");
    vsp_release_clear(&x);
    /* the order of the note: the region first, then the countries; by
     * reason (later export, corrected, re-mapped, methodology, other);
     * by measure in the codebook's order, all categories first */
    size_t n = 0;
    const vsp_revision **ord = vsp_release_revisions_ordered(&r, "region", &n);
    CHECK_INT(n, 5);
    if (ord && n == 5) {
        CHECK(ord[0] == &r.revisions[5]); /* region, re-mapped */
        CHECK(ord[1] == &r.revisions[1]); /* AL, later export: action rate */
        CHECK(ord[2] == &r.revisions[2]); /* AL, corrected: received */
        CHECK(ord[3] == &r.revisions[0]); /* AL, other: received of 2026Q2 */
        CHECK(ord[4] == &r.revisions[4]); /* ME, methodology */
        CHECK(!vsp_release_same_why(ord[1], ord[2]));
    }
    free(ord);
    ord = vsp_release_revisions_ordered(&r, "AL", &n);
    CHECK_INT(n, 4);
    if (ord && n == 4) {
        CHECK(ord[1] == &r.revisions[2]); /* corrected: received (all categories) */
        CHECK(ord[2] == &r.revisions[3]); /* corrected: forwarded of hate */
        CHECK(vsp_release_same_why(ord[1], ord[2]));
    }
    free(ord);
    CHECK(vsp_release_revisions_ordered(&r, "BA", &n) == NULL);
    CHECK_INT(n, 0);
    vsp_release_clear(&r);
}

/* The fixture warehouse, aggregated for 2026Q3 (today: 2 Oct 2026). */
static vsp_store *fixture_db(void)
{
    setenv("SOURCE_DATE_EPOCH", "1790899200", 1);
    vsp_error err;
    vsp_store *db = vsp_store_open(":memory:", true, &err);
    if (!db)
        return NULL;
    char fx[1024];
    const char *src = getenv("VSP_SOURCE_DIR");
    snprintf(fx, sizeof fx, "%s/tests/data/time-fixture.sql", src ? src : VSP_SOURCE_DIR);
    char *fixture = read_text(fx);
    char *msg = NULL;
    vsp_period p;
    if (!fixture || sqlite3_exec(vsp_store_db(db), fixture, NULL, NULL, &msg) != SQLITE_OK ||
        vsp_period_parse("2026Q3", &p, &err) != VSP_OK || vsp_aggregate_run(db, &p, NULL, NULL, &err) != VSP_OK) {
        fprintf(stderr, "fixture: %s\n", msg ? msg : err.msg);
        sqlite3_free(msg);
        free(fixture);
        vsp_store_close(db);
        return NULL;
    }
    free(fixture);
    return db;
}

static const char *tmp_dir(void)
{
    static char dir[1024];
    const char *t = getenv("VSP_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/release_text", t ? t : "/tmp");
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot make %s\n", dir);
    return dir;
}

/* A chart's footer: the release line (SVG text), and nothing of releases
 * without one. */
static char *pdf_text(const char *pdf);

static void test_chart(vsp_store *db, const vsp_release *rel, const char *dir)
{
    vsp_error err;
    vsp_chart_source *src = vsp_chart_source_open(db, "2026Q3", &err);
    CHECK(src != NULL);
    if (!src)
        return;
    vsp_chart_data *d = vsp_chart_data_load(src, VSP_CHART_FUNNEL, "AL", &err);
    CHECK(d != NULL);
    const struct {
        const char *lang, *line;
    } want[] = {{"en", "Release 2026Q3-v2, 6 Dec 2026 — provisional"},
                {"sr", "Издање 2026Q3-v2, 6. дец 2026. — привремено"}};
    for (size_t i = 0; d && i < 2; i++) {
        vsp_chart_spec spec = vsp_chart_spec_default(VSP_CHART_FUNNEL, "AL", want[i].lang);
        char *svg = NULL, *plain = NULL;
        size_t n = 0, n_plain = 0;
        CHECK_INT(vsp_chart_svg(&spec, d, 1920, 1080, &plain, &n_plain, &err), VSP_OK);
        spec.release = rel;
        CHECK_INT(vsp_chart_svg(&spec, d, 1920, 1080, &svg, &n, &err), VSP_OK);
        CHECK_INT(count(svg, want[i].line), 1);
        CHECK_INT(count(plain, "2026Q3-v2"), 0);
        free(svg);
        free(plain);
    }
    vsp_chart_data_free(d);
    /* the regional map, whose footer also holds the designation note, as
     * PNG (to look at) and PDF (read back): the line is there whole */
    d = vsp_chart_data_load(src, VSP_CHART_MAP, "region", &err);
    CHECK(d != NULL);
    for (size_t i = 0; d && i < 2; i++) {
        vsp_chart_spec spec = vsp_chart_spec_default(VSP_CHART_MAP, "region", want[i].lang);
        spec.release = rel;
        vsp_render_opts ro = {1920, 1080, 96};
        char path[1100];
        snprintf(path, sizeof path, "%s/map-%s.png", dir, want[i].lang);
        CHECK_INT(vsp_chart_render(&spec, d, VSP_FORMAT_PNG, &ro, path, &err), VSP_OK);
        snprintf(path, sizeof path, "%s/map-%s.pdf", dir, want[i].lang);
        CHECK_INT(vsp_chart_render(&spec, d, VSP_FORMAT_PDF, &ro, path, &err), VSP_OK);
        char *t = pdf_text(path);
        CHECK_INT(count(t, want[i].line), 1);
        free(t);
    }
    vsp_chart_data_free(d);
    vsp_chart_source_close(src);
}

/* pdftotext's text of a PDF (caller frees), NULL if it cannot run. */
static char *pdf_text(const char *pdf)
{
    char cmd[2300], txt[1100];
    snprintf(txt, sizeof txt, "%s.txt", pdf);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
    if (system(cmd) != 0)
        return NULL;
    /* one space for every run of white space: a table cell's text wraps */
    char *t = read_text(txt);
    char *w = t;
    for (const char *p = t; t && *p; p++) {
        bool space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\f';
        if (space && (w == t || w[-1] == ' '))
            continue;
        *w++ = space ? ' ' : *p;
    }
    if (t)
        *w = '\0';
    return t;
}

static void test_report(vsp_store *db, const vsp_release *rel, const char *dir)
{
    vsp_error err;
    char path[1100];
    /* English: the cover and colophon carry the line; (R) on exactly the
     * revised figures: the tiles' labels (received, action rate), the key
     * figures table (5 and 75.0 %), the funnel table (the same two), the
     * categories table (hate's forwarded, the total's received and action
     * rate); a legend under each of those three tables; the intro */
    snprintf(path, sizeof path, "%s/al-en.pdf", dir);
    vsp_report_opts o = {"AL", "2026Q3", "en", VSP_PAPER_A4, NULL, NULL, rel};
    CHECK_INT(vsp_report_render(db, &o, path, NULL, &err), VSP_OK);
    char *t = pdf_text(path);
    CHECK(t != NULL);
    CHECK(count(t, "Release 2026Q3-v2, 6 Dec 2026 — provisional") >= 2); /* cover, colophon */
    CHECK_INT(count(t, "Reports received (R)"), 1);
    CHECK_INT(count(t, "Action rate (R)"), 1);
    /* received in the key figures, the funnel, the categories' total and
     * the trend's Q2 and Q3 rows; hate's forwarded */
    CHECK_INT(count(t, " 5 (R)"), 6);
    /* the key figures (with the small-base mark: 4 cases), funnel,
     * categories, trend */
    CHECK_INT(count(t, " 75.0% † (R)"), 1);
    CHECK_INT(count(t, " 75.0% (R)"), 3);
    CHECK_INT(count(t, "3 (R)"), 0); /* actioned: not revised */
    CHECK_INT(count(t, "(R) revised: the figure changed since version 1 of 1 Nov 2026"), 4);
    /* 2 tiles, 2 + 2 + 3 + 3 in the tables, 4 legends, the intro */
    CHECK_INT(count(t, "(R)"), 2 + 10 + 4 + 1);
    /* the revisions note: AL's three, not ME's or the region's */
    CHECK_INT(count(t, "Version 2 of the figures for Q3 2026 replaces version 1 of 1 Nov 2026."), 1);
    /* a table per reason, each reason said once, in its title; a row per
     * figure: all categories, then the categories that changed */
    CHECK_INT(count(t, "Revised figures, Albania: later outcomes and events from the export of "
                       "5 Oct 2026"), 1);
    CHECK_INT(count(t, "later outcomes and events from the export of 5 Oct 2026"), 1);
    CHECK_INT(count(t, "Revised figures, Albania: cases corrected by the export of 5 Oct 2026"), 1);
    CHECK_INT(count(t, "cases corrected by the export of 5 Oct 2026"), 1);
    CHECK_INT(count(t, "Revised figures, Albania: other change"), 1);
    CHECK_INT(count(t, "other change"), 1);
    CHECK_INT(count(t, "Action rate 66.7% → 75.0%"), 1);
    CHECK_INT(count(t, "Violations forwarded to the platform Hate speech: 4 → 5"), 1);
    CHECK_INT(count(t, "All categories, Q2 2026: 4 → 5"), 1);
    CHECK_INT(count(t, "methodology changed"), 0);
    CHECK_INT(count(t, "Each figure is defined in figures-codebook.csv. revisions.csv lists every "
                       "revised figure"), 1);
    free(t);

    /* Serbian Cyrillic: the same marks, in its number format */
    snprintf(path, sizeof path, "%s/al-sr.pdf", dir);
    o.lang = "sr";
    CHECK_INT(vsp_report_render(db, &o, path, NULL, &err), VSP_OK);
    t = pdf_text(path);
    CHECK(t != NULL);
    CHECK(count(t, "Издање 2026Q3-v2, 6. дец 2026. — привремено") >= 2);
    CHECK_INT(count(t, " 75,0% † (R)") + count(t, " 75,0% (R)"), 4);
    CHECK_INT(count(t, " 5 (R)"), 6);
    CHECK_INT(count(t, "(R)"), 2 + 10 + 4 + 1);
    CHECK_INT(count(t, "Ревизије"), 2); /* the contents and the heading */
    CHECK_INT(count(t, "Ревидирани подаци, Албанија: предмети исправљени извозом од 5. окт 2026."),
              1);
    CHECK_INT(count(t, "предмети исправљени извозом од 5. окт 2026."), 1);
    /* the date ends the intro's sentence with its own period, not two */
    CHECK_INT(count(t, "замењује верзију 1 од 1. нов 2026. Сваки објављени"), 1);
    CHECK_INT(count(t, "2026.."), 0);
    CHECK_INT(count(t, "Говор мржње: 4 → 5"), 1);
    /* no figure by its code: every name is Serbian */
    for (size_t i = 0; i < vsp_measure_count(); i++)
        if (strstr(t, vsp_measure_at(i)->code)) {
            fprintf(stderr, "sr report: measure code %s\n", vsp_measure_at(i)->code);
            CHECK(false);
        }
    free(t);

    /* the regional edition lists every revision (the six countries' too):
     * AL's four, ME's and the region's; it marks the region's received
     * (tile, key figures, funnel, categories' total, countries table) and
     * AL's in the countries table */
    snprintf(path, sizeof path, "%s/region-en.pdf", dir);
    o.country = "region";
    o.lang = "en";
    CHECK_INT(vsp_report_render(db, &o, path, NULL, &err), VSP_OK);
    t = pdf_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, "methodology changed in vspreport 0.2.0"), 1);
    CHECK_INT(count(t, "labels re-mapped in the profile al-ama"), 1);
    CHECK_INT(count(t, "Revised figures, Montenegro: methodology changed in vspreport 0.2.0"), 1);
    CHECK_INT(count(t, "1.0 days → 1.5 days"), 1);
    CHECK_INT(count(t, "Revised figures, Western Balkans: labels re-mapped in the profile al-ama"),
              1);
    /* the region's table first, then the countries' */
    const char *wb = strstr(t, "Revised figures, Western Balkans");
    const char *al = strstr(t, "Revised figures, Albania");
    const char *me = strstr(t, "Revised figures, Montenegro");
    CHECK(wb && al && me && wb < al && al < me);
    CHECK_INT(count(t, "Reports received (R)"), 1);
    CHECK_INT(count(t, "Action rate (R)"), 0);
    CHECK_INT(count(t, "This regional edition lists the changed figures of the region and the "
                       "countries' figures over all categories"), 1);
    CHECK_INT(count(t, "Hate speech: 4 → 5"), 0);
    free(t);
    o.country = "AL";

    /* no release: nothing said of releases, nothing marked */
    snprintf(path, sizeof path, "%s/al-none.pdf", dir);
    o.lang = "en";
    o.release = NULL;
    CHECK_INT(vsp_report_render(db, &o, path, NULL, &err), VSP_OK);
    t = pdf_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, "(R)"), 0);
    CHECK_INT(count(t, "Release"), 0);
    CHECK_INT(count(t, "Revisions"), 0);
    free(t);
}

/* The output of a command (caller frees), NULL if it failed. */
static char *run_out(const char *cmd, const char *out_path)
{
    char full[4096];
    snprintf(full, sizeof full, "%s > '%s'", cmd, out_path);
    if (system(full) != 0)
        return NULL;
    return read_text(out_path);
}

static void test_workbook(vsp_store *db, const vsp_release *rel, const char *dir)
{
    vsp_error err;
    const char *src = getenv("VSP_SOURCE_DIR");
    char path[1100], cmd[3000], out[1200];
    /* English: the About sheet's line; Summary's Revised column on received
     * and the action rate only; notes on exactly the revised cells; the
     * Revisions sheet with AL's three as numbers and codes */
    snprintf(path, sizeof path, "%s/al-en.xlsx", dir);
    vsp_workbook_spec spec = {"AL", "2026Q3", "en", NULL, rel};
    CHECK_INT(vsp_workbook_write(db, &spec, path, &err), VSP_OK);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/unit/release_workbook.py' '%s' Release",
             src ? src : VSP_SOURCE_DIR, path);
    snprintf(out, sizeof out, "%s.txt", path);
    char *t = run_out(cmd, out);
    CHECK(t != NULL);
    CHECK_INT(count(t, "about: Release 2026Q3-v2, 6 Dec 2026 — provisional\n"), 1);
    CHECK_INT(count(t, "marked: action_rate,received\n"), 1);
    CHECK_INT(count(t, "notes Summary: Reports received/Value=5 | Action rate/Value=0.75\n"), 1);
    CHECK_INT(count(t, "notes Categories: Hate speech/Forwarded=5 | All categories/Received=5 | "
                       "All categories/Action rate=0.75\n"), 1);
    CHECK_INT(count(t, "notes Funnel: Received/Reports=5 | Action rate/Reports=0.75\n"), 1);
    CHECK_INT(count(t, "notes Outcomes: Hate speech/Forwarded=5\n"), 1);
    CHECK_INT(count(t, "notes Trend: Q2 2026/Received=5 | Q3 2026/Received=5 | "
                       "Q3 2026/Action rate=0.75\n"), 1);
    CHECK_INT(count(t, "notes "), 5); /* no other sheet has a note */
    CHECK_INT(count(t, " | "), 1 + 1 + 2 + 0 + 2);
    CHECK_INT(count(t, "revision: action_rate 0.6667 0.75 later_export\n"), 1);
    CHECK_INT(count(t, "revision: received 4 5 corrected_cases\n"), 1);
    CHECK_INT(count(t, "revision: forwarded 4 5 corrected_cases\n"), 1);
    CHECK_INT(count(t, "revision: received 4 5 other\n"), 1);
    CHECK_INT(count(t, "revision:"), 4);
    /* in the revisions note's order: by reason, then the codebook's order
     * of figures, all categories before a category; the other period's
     * figure, listed for "other", last */
    CHECK_INT(count(t, "revision: action_rate 0.6667 0.75 later_export\n"
                       "revision: received 4 5 corrected_cases\n"
                       "revision: forwarded 4 5 corrected_cases\n"
                       "revision: received 4 5 other\n"), 1);
    CHECK_INT(count(t, "sheet: Revisions\n"), 1);
    free(t);

    /* Serbian Cyrillic */
    snprintf(path, sizeof path, "%s/al-sr.xlsx", dir);
    spec.lang = "sr";
    CHECK_INT(vsp_workbook_write(db, &spec, path, &err), VSP_OK);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/unit/release_workbook.py' '%s' Издање",
             src ? src : VSP_SOURCE_DIR, path);
    snprintf(out, sizeof out, "%s.txt", path);
    t = run_out(cmd, out);
    CHECK(t != NULL);
    CHECK_INT(count(t, "about: Издање 2026Q3-v2, 6. дец 2026. — привремено\n"), 1);
    CHECK_INT(count(t, "marked: action_rate,received\n"), 1);
    CHECK_INT(count(t, "revision:"), 4);
    CHECK_INT(count(t, "sheet: Ревизије\n"), 1); /* the sheet's name in Serbian too */
    free(t);

    /* no release: no line, no column, no note, no sheet */
    snprintf(path, sizeof path, "%s/al-none.xlsx", dir);
    spec.lang = "en";
    spec.release = NULL;
    CHECK_INT(vsp_workbook_write(db, &spec, path, &err), VSP_OK);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/unit/release_workbook.py' '%s' Release",
             src ? src : VSP_SOURCE_DIR, path);
    snprintf(out, sizeof out, "%s.txt", path);
    t = run_out(cmd, out);
    CHECK(t != NULL);
    CHECK_STR(t, "marked: \n");
    free(t);
}

static void test_site(vsp_store *db, const vsp_release *rel, const char *dir)
{
    vsp_error err;
    char out[1100], path[1200];
    snprintf(out, sizeof out, "%s/site", dir);
    /* version 1's English page of AL, as run keeps it beside the site */
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/releases/2026Q3/v1/site/en' && echo v1 > "
             "'%s/releases/2026Q3/v1/site/en/al.html' && echo x > '%s/revisions.csv'", dir, dir,
             dir);
    CHECK_INT(system(cmd), 0);
    vsp_site_opts o = {"2026Q3", out, rel};
    CHECK_INT(vsp_site_render(db, &o, NULL, &err), VSP_OK);
    static const char abbr_en[] = "<abbr class=\"rev\" title=\"revised figure\">(R)</abbr>";
    static const char abbr_sr[] = "<abbr class=\"rev\" title=\"ревидиран податак\">(R)</abbr>";

    /* AL in English: the line in the facts and the footer (and in each
     * chart's footer); (R) on the tiles received and action rate, the key
     * figures table (the same two), the funnel (the same two) and the
     * categories (hate's forwarded, the total's received and action rate);
     * a legend under each of those three tables; the revisions section */
    snprintf(path, sizeof path, "%s/en/al.html", out);
    char *t = read_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, "<dd>Release 2026Q3-v2, 6 Dec 2026 — provisional</dd>"), 1);
    CHECK_INT(count(t, "<p>Release 2026Q3-v2, 6 Dec 2026 — provisional</p>"), 1);
    CHECK_INT(count(t, abbr_en), 2 + 2 + 2 + 3 + 3);
    /* received: tile, key figures, funnel, categories' total, trend Q2
     * and Q3; hate's forwarded */
    CHECK_INT(count(t, "5 <abbr"), 7);
    CHECK_INT(count(t, "75.0% <abbr"), 5); /* tile, key figures, funnel, categories, trend */
    CHECK_INT(count(t, "(R)"), 12 + 4 + 1);
    CHECK_INT(count(t, "<p class=\"note\">(R) revised: the figure changed since version 1 of 1 Nov 2026;"), 4);
    CHECK_INT(count(t, "<section aria-labelledby=\"sec-revisions\">"), 1);
    CHECK_INT(count(t, "Revised figures, Albania: cases corrected by the export of 5 Oct 2026</caption>"), 1);
    CHECK_INT(count(t, "cases corrected by the export of 5 Oct 2026"), 1);
    CHECK_INT(count(t, "Revised figures, Albania: later outcomes and events from the export of 5 Oct 2026</caption>"), 1);
    CHECK_INT(count(t, "<tr><th scope=\"row\">Action rate</th><td>66.7%" NB "→" NB "75.0%</td></tr>"), 1);
    CHECK_INT(count(t, "<tr><th scope=\"row\">Violations forwarded to the platform</th><td></td><td class=\"l\">Hate speech: 4" NB "→" NB "5</td></tr>"), 1);
    CHECK_INT(count(t, "methodology changed"), 0);
    /* the note under it links revisions.csv, which the public folder has,
     * and names the codebook, which it has not */
    CHECK_INT(count(t, "<p class=\"note\">Each figure is defined in figures-codebook.csv. "
                       "<a href=\"../../revisions.csv\">revisions.csv</a> lists every revised "
                       "figure"), 1);
    /* the earlier version of the same page, where it is kept */
    CHECK_INT(count(t, "<dt>Earlier versions</dt><dd><a href=\"../../releases/2026Q3/v1/site/en/al.html\">"
                       "Version 1 of 1 Nov 2026</a></dd>"), 1);
    free(t);

    /* Serbian Cyrillic: the same marks, explained in Serbian */
    snprintf(path, sizeof path, "%s/sr/al.html", out);
    t = read_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, "<dd>Издање 2026Q3-v2, 6. дец 2026. — привремено</dd>"), 1);
    CHECK_INT(count(t, abbr_sr), 2 + 2 + 2 + 3 + 3);
    CHECK_INT(count(t, "75,0% <abbr"), 5);
    CHECK_INT(count(t, "Ревидирани подаци, Албанија: предмети исправљени извозом од 5. окт 2026.</caption>"), 1);
    free(t);

    /* ME: its one revision (a figure in days the page does not show):
     * listed, marked nowhere */
    snprintf(path, sizeof path, "%s/en/me.html", out);
    t = read_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, abbr_en), 0);
    CHECK_INT(count(t, "Revised figures, Montenegro: methodology changed in vspreport 0.2.0</caption>"), 1);
    CHECK_INT(count(t, "<tr><th scope=\"row\">Median time to action (days)</th><td>1.0" NB "days" NB "→" NB "1.5" NB "days</td>"), 1);
    CHECK_INT(count(t, "<dt>Earlier versions</dt>"), 0); /* no archived page of ME's */
    free(t);

    /* the language chooser says which release too */
    snprintf(path, sizeof path, "%s/index.html", out);
    t = read_text(path);
    CHECK(t != NULL);
    CHECK_INT(count(t, "<p>Release 2026Q3-v2, 6 Dec 2026 — provisional</p>"), 1);
    free(t);
}

int main(void)
{
    /* the catalogues of the sources (the test binary has no data folder) */
    char po[1024];
    const char *src = getenv("VSP_SOURCE_DIR");
    snprintf(po, sizeof po, "%s/po", src ? src : VSP_SOURCE_DIR);
    setenv("VSP_PO_DIR", po, 1);
    RUN(test_text);
    vsp_store *db = fixture_db();
    CHECK(db != NULL);
    if (db) {
        vsp_release rel;
        release_v2(&rel);
        const char *dir = tmp_dir();
        test_chart(db, &rel, dir);
        test_report(db, &rel, dir);
        test_workbook(db, &rel, dir);
        test_site(db, &rel, dir);
        vsp_release_clear(&rel);
        vsp_store_close(db);
    }
    vsp_i18n_cleanup();
    return harness_done();
}
