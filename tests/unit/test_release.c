/* test_release.c — the release id and the revised-figure lookup. */
#include "pipeline/release.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"

static vsp_revision rev(const char *period, const char *area, const char *category,
                        const char *measure)
{
    vsp_revision v = {strdup(period), strdup(area), strdup(category), strdup(measure),
                      strdup("1"), strdup("2"), VSP_REVISION_LATER_EXPORT, strdup("")};
    return v;
}

static void test_id_and_lookup(void)
{
    vsp_release r = {.period = "2026Q3", .version = 2, .date = "2026-12-06"};
    char id[48];
    CHECK_STR(vsp_release_id(&r, id, sizeof id), "2026Q3-v2");

    /* sorted by period, area, category, measure, as the header requires */
    r.n_revisions = 4;
    r.revisions = malloc(4 * sizeof *r.revisions);
    r.revisions[0] = rev("2026Q2", "region", "*", "received");
    r.revisions[1] = rev("2026Q3", "AL", "*", "action_rate");
    r.revisions[2] = rev("2026Q3", "AL", "piracy", "actioned");
    r.revisions[3] = rev("2026Q3", "region", "*", "median_d_to_action");

    CHECK(vsp_release_revised(&r, "2026Q2", "region", "*", "received"));
    CHECK(vsp_release_revised(&r, "2026Q3", "AL", "*", "action_rate"));
    CHECK(vsp_release_revised(&r, "2026Q3", "AL", "piracy", "actioned"));
    CHECK(vsp_release_revised(&r, "2026Q3", "region", "*", "median_d_to_action"));
    CHECK(!vsp_release_revised(&r, "2026Q3", "AL", "*", "actioned"));
    CHECK(!vsp_release_revised(&r, "2026Q3", "ME", "*", "action_rate"));
    CHECK(!vsp_release_revised(&r, "2026Q2", "region", "*", "action_rate"));
    CHECK(!vsp_release_revised(NULL, "2026Q3", "AL", "*", "action_rate"));

    CHECK_STR(vsp_release_reason_code(VSP_REVISION_CORRECTED), "corrected_cases");
    CHECK_STR(vsp_release_reason_code(VSP_REVISION_OTHER), "other");
    vsp_release_clear(&r);
    CHECK_INT((int)r.n_revisions, 0);
    CHECK(!vsp_release_revised(&r, "2026Q3", "AL", "*", "action_rate"));
    vsp_release_clear(NULL);
}

static vsp_status parse(const char *text, vsp_release_figures *f, vsp_error *err)
{
    return vsp_release_figures_parse("figures.csv", text, strlen(text), f, err);
}

/* The previous release's figures and the new ones, by hand: what changed
 * and why is written beside each row. */
static void test_compare(void)
{
    vsp_error err;
    vsp_release_figures before, now;
    /* columns in another order than the contract's, and an extra one:
     * read by name */
    CHECK_INT(parse("value,period,area,category,measure,unit\n"
                    "120,2026Q3,AL,*,received,count\n"
                    "0.5000,2026Q3,AL,*,action_rate,fraction\n"
                    "40,2026Q3,ME,*,received,count\n"
                    "3.00,2026Q3,ME,*,median_d_to_action,days\n"
                    "160,2026Q3,region,*,received,count\n"
                    "9,2026Q2,RS,*,received,count\n"
                    ",2026Q3,RS,*,median_d_to_action,days\n"
                    "7,2026Q3,RS,hate,received,count\n",
                    &before, &err),
              VSP_OK);
    CHECK_INT((int)before.n, 8);
    CHECK_INT(parse("period,area,category,measure,value,unit,base_n,provisional,release\n"
                    /* AL: as of moved 2026-10-05 -> 2026-10-21: later export */
                    "2026Q3,AL,*,received,125,count,,1,2026Q3-v2\n"
                    "2026Q3,AL,*,action_rate,0.5000,fraction,40,1,2026Q3-v2\n"
                    /* ME: no new as-of, an ingest corrected Q3 cases */
                    "2026Q3,ME,*,received,40,count,,1,2026Q3-v2\n"
                    "2026Q3,ME,*,median_d_to_action,2.50,days,12,1,2026Q3-v2\n"
                    /* region: AL moved: later export, the latest date */
                    "2026Q3,region,*,received,165,count,,1,2026Q3-v2\n"
                    /* RS: profile changed; Q2 revised, a Q3 median now defined */
                    "2026Q2,RS,*,received,10,count,,0,2026Q3-v2\n"
                    "2026Q3,RS,*,median_d_to_action,4.00,days,3,1,2026Q3-v2\n"
                    /* RS hate gone: a published figure no more */
                    /* 2026Q4 was never published: new, not a revision */
                    "2026Q4,AL,*,received,3,count,,1,2026Q3-v2\n",
                    &now, &err),
              VSP_OK);
    vsp_release_area areas[3] = {
        {.area = "AL", .as_of_before = "2026-10-05", .as_of_now = "2026-10-21",
         .profile = "al-ama", .profile_before = "aa", .profile_now = "aa"},
        {.area = "ME", .as_of_before = "2026-10-02", .as_of_now = "2026-10-02",
         .profile = "me-aem", .profile_before = "bb", .profile_now = "bb"},
        {.area = "RS", .as_of_before = "2026-10-05", .as_of_now = "2026-10-05",
         .profile = "rs-rem", .profile_before = "cc", .profile_now = "cd"},
    };
    vsp_release_correction corr[2] = {
        {.area = "ME", .period = "2026Q3", .export_day = "2026-10-02", .cases = 3},
        {.area = "RS", .period = "2026Q1", .export_day = "2026-10-05", .cases = 1},
    };
    vsp_release_evidence ev = {areas, 3, corr, 2, "1.4.0", "1.4.0"};
    vsp_release r = {.period = "2026Q3", .version = 2, .date = "2026-12-06",
                     .previous_version = 1};
    CHECK_INT((int)vsp_release_compare(&r, &before, &now, &ev), 6);
    if (r.n_revisions == 6) {
        const vsp_revision *v = r.revisions;
        /* sorted by period, area, category, measure */
        CHECK_STR(v[0].period, "2026Q2");
        CHECK_STR(v[0].area, "RS");
        CHECK_STR(v[0].old_value, "9");
        CHECK_STR(v[0].new_value, "10");
        CHECK_INT(v[0].reason, VSP_REVISION_REMAPPED);
        CHECK_STR(v[0].detail, "rs-rem");
        CHECK_STR(v[1].area, "AL");
        CHECK_STR(v[1].measure, "received");
        CHECK_STR(v[1].old_value, "120");
        CHECK_STR(v[1].new_value, "125");
        CHECK_INT(v[1].reason, VSP_REVISION_LATER_EXPORT);
        CHECK_STR(v[1].detail, "2026-10-21");
        CHECK_STR(v[2].area, "ME");
        CHECK_STR(v[2].measure, "median_d_to_action");
        CHECK_STR(v[2].old_value, "3.00");
        CHECK_STR(v[2].new_value, "2.50");
        CHECK_INT(v[2].reason, VSP_REVISION_CORRECTED);
        CHECK_STR(v[2].detail, "2026-10-02");
        CHECK_STR(v[3].area, "RS");
        CHECK_STR(v[3].category, "*");
        CHECK_STR(v[3].old_value, "");
        CHECK_STR(v[3].new_value, "4.00");
        CHECK_INT(v[3].reason, VSP_REVISION_REMAPPED);
        CHECK_STR(v[4].area, "RS");
        CHECK_STR(v[4].category, "hate");
        CHECK_STR(v[4].old_value, "7");
        CHECK_STR(v[4].new_value, "");
        CHECK_STR(v[5].area, "region");
        CHECK_INT(v[5].reason, VSP_REVISION_LATER_EXPORT);
        CHECK_STR(v[5].detail, "2026-10-21");
    }
    CHECK(vsp_release_revised(&r, "2026Q3", "ME", "*", "median_d_to_action"));
    CHECK(!vsp_release_revised(&r, "2026Q3", "ME", "*", "received"));
    CHECK(!vsp_release_revised(&r, "2026Q3", "AL", "*", "action_rate"));
    CHECK(!vsp_release_revised(&r, "2026Q4", "AL", "*", "received"));

    vsp_buf csv;
    vsp_buf_init(&csv);
    vsp_release_revisions_csv(&r, &csv);
    CHECK_STR(csv.data, "2026Q3-v2,2026Q2,RS,*,received,9,10,remapped_labels,rs-rem\n"
                        "2026Q3-v2,2026Q3,AL,*,received,120,125,later_export,2026-10-21\n"
                        "2026Q3-v2,2026Q3,ME,*,median_d_to_action,3.00,2.50,corrected_cases,"
                        "2026-10-02\n"
                        "2026Q3-v2,2026Q3,RS,*,median_d_to_action,,4.00,remapped_labels,rs-rem\n"
                        "2026Q3-v2,2026Q3,RS,hate,received,7,,remapped_labels,rs-rem\n"
                        "2026Q3-v2,2026Q3,region,*,received,160,165,later_export,2026-10-21\n");
    vsp_buf_fini(&csv);

    /* no evidence: every reason "other"; a version change: methodology */
    vsp_release_evidence meth = {NULL, 0, NULL, 0, "1.3.0", "1.4.0"};
    CHECK_INT((int)vsp_release_compare(&r, &before, &now, &meth), 6);
    CHECK_INT(r.revisions[1].reason, VSP_REVISION_METHODOLOGY);
    CHECK_STR(r.revisions[1].detail, "1.4.0");
    CHECK_INT((int)vsp_release_compare(&r, &before, &now, NULL), 6);
    CHECK_INT(r.revisions[1].reason, VSP_REVISION_OTHER);
    CHECK_STR(r.revisions[1].detail, "");

    /* the same figures: nothing revised */
    CHECK_INT((int)vsp_release_compare(&r, &now, &now, &ev), 0);
    vsp_release_clear(&r);
    vsp_release_figures_fini(&before);
    vsp_release_figures_fini(&now);
}

static void test_parse_errors(void)
{
    vsp_error err;
    vsp_release_figures f;
    CHECK_INT(parse("period,area,category,value\n2026Q3,AL,*,1\n", &f, &err), VSP_EDATA);
    CHECK(strstr(err.msg, "figures.csv:1: the header has no column 'measure'") != NULL);
    vsp_release_figures_fini(&f);
    CHECK_INT(parse("period,area,category,measure,value\n2026Q3,AL,*,received,1\n"
                    "2026Q3,AL\n",
                    &f, &err),
              VSP_EDATA);
    CHECK(strstr(err.msg, "figures.csv:3: 2 cells") != NULL);
    vsp_release_figures_fini(&f);
    CHECK_INT(parse("", &f, &err), VSP_EDATA);
    vsp_release_figures_fini(&f);
    /* quoted cells and a blank line */
    CHECK_INT(parse("period,area,category,measure,value\n\n\"2026Q3\",AL,*,received,\"1\"\n",
                    &f, &err),
              VSP_OK);
    CHECK_INT((int)f.n, 1);
    CHECK_STR(f.rows[0].value, "1");
    vsp_release_figures_fini(&f);
}

static void test_csv_cells(void)
{
    vsp_revision v = {strdup("2026Q3"), strdup("AL"), strdup("*"), strdup("received"),
                      strdup("-1"), strdup("2"), VSP_REVISION_REMAPPED,
                      strdup("=cmd, \"x\"")};
    vsp_release r = {.period = "2026Q3", .version = 3, .revisions = &v, .n_revisions = 1};
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_release_revisions_csv(&r, &b);
    CHECK_STR(b.data, "2026Q3-v3,2026Q3,AL,*,received,-1,2,remapped_labels,\"'=cmd, \"\"x\"\"\"\n");
    /* read back: only the rows of the release asked for, the apostrophe
     * taken off again, sorted by key */
    vsp_buf all;
    vsp_buf_init(&all);
    vsp_buf_puts(&all, VSP_RELEASE_REVISIONS_HEADER);
    vsp_buf_puts(&all, "2026Q3-v2,2026Q3,ME,*,received,1,2,later_export,2026-10-02\n");
    vsp_buf_puts(&all, b.data);
    vsp_buf_puts(&all, "2026Q3-v3,2026Q2,AL,*,actioned,5,6,corrected_cases,2026-10-01\n");
    vsp_release back = {.period = "2026Q3", .version = 3};
    vsp_error err;
    CHECK_INT(vsp_release_revisions_parse("revisions.csv", all.data, all.len, "2026Q3-v3", &back,
                                          &err),
              VSP_OK);
    CHECK_INT((int)back.n_revisions, 2);
    if (back.n_revisions == 2) {
        CHECK_STR(back.revisions[0].period, "2026Q2");
        CHECK_INT(back.revisions[0].reason, VSP_REVISION_CORRECTED);
        CHECK_STR(back.revisions[1].old_value, "-1");
        CHECK_STR(back.revisions[1].detail, "=cmd, \"x\"");
        CHECK_INT(back.revisions[1].reason, VSP_REVISION_REMAPPED);
    }
    vsp_release_clear(&back);
    CHECK_INT(vsp_release_revisions_parse("revisions.csv", "release,period\n1,2\n", 18,
                                          "2026Q3-v3", &back, &err),
              VSP_EDATA);
    CHECK(strstr(err.msg, "revisions.csv:1: not the header") != NULL);
    vsp_buf_fini(&all);
    vsp_buf_fini(&b);
    r.revisions = malloc(sizeof v);
    r.revisions[0] = v;
    vsp_release_clear(&r);
}

int main(void)
{
    RUN(test_id_and_lookup);
    RUN(test_compare);
    RUN(test_parse_errors);
    RUN(test_csv_cells);
    return harness_done();
}
