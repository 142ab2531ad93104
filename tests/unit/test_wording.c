/* test_wording.c — reports/wording.h, the phrases the PDF report and the
 * web edition share: each expectation worked out by hand from the rule it
 * tests (English, whose catalogue is the msgids, and Macedonian numbers
 * from the source tree's po/). */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "pipeline/i18n.h"
#include "reports/wording.h"

static void test_fill(void)
{
    vsp_wording w;
    vsp_wording_init(&w);
    const char *names[] = {"period", "n"};
    const char *values[] = {"3. квартал 2026.", "12"};
    /* a value's closing stop meets the template's: one stop */
    CHECK_STR(vsp_wording_fill(&w, "Data of {period}.", 2, names, values),
              "Data of 3. квартал 2026.");
    /* an ellipsis stays */
    CHECK_STR(vsp_wording_fill1(&w, "Wait {n}...", "n", "12"), "Wait 12...");
    CHECK_STR(vsp_wording_fill(&w, "{n} of {period}", 2, names, values),
              "12 of 3. квартал 2026.");
    CHECK_INT(w.n, 3);
    vsp_wording_clear(&w);
    CHECK_INT(w.n, 0);
    vsp_wording_fini(&w);
}

static void test_numbers(void)
{
    vsp_wording w;
    vsp_wording_init(&w);
    CHECK_STR(vsp_wording_int(&w, "en", 1234567), "1,234,567");
    CHECK_STR(vsp_wording_pct(&w, "en", 0.4567), "45.7%");
    CHECK_STR(vsp_wording_num(&w, "mk", 1234.5, 1), "1.234,5");
    CHECK_STR(vsp_wording_hours(&w, "en", 11.24), "11.2 h");
    CHECK_STR(vsp_wording_hours(&w, "en", NAN), "\xe2\x80\x93");
    vsp_wording_fini(&w);
}

static void test_change(void)
{
    vsp_wording w;
    vsp_wording_init(&w);
    /* 110 against 100: +10.0 %; 90 against 120: -25.0 % (U+2212) */
    CHECK_STR(vsp_wording_change(&w, "en", 110, 100, VSP_CHANGE_RELATIVE), "+10.0%");
    CHECK_STR(vsp_wording_change(&w, "en", 90, 120, VSP_CHANGE_RELATIVE),
              "\xe2\x88\x92" "25.0%");
    /* 1000.4 against 1000: 0.04 %, rounds to 0.0: no sign */
    CHECK_STR(vsp_wording_change(&w, "en", 1000.4, 1000, VSP_CHANGE_RELATIVE), "0.0%");
    /* a rate of 0.625 against 0.61: 1.5 percentage points */
    CHECK_STR(vsp_wording_change(&w, "en", 0.625, 0.61, VSP_CHANGE_POINTS), "+1.5 pp");
    /* from 0, or a value missing: no change to state */
    CHECK_STR(vsp_wording_change(&w, "en", 5, 0, VSP_CHANGE_RELATIVE), "\xe2\x80\x93");
    CHECK_STR(vsp_wording_change(&w, "en", NAN, 3, VSP_CHANGE_POINTS), "\xe2\x80\x93");
    CHECK_STR(vsp_wording_vs_prev(&w, "en", "+10.0%", "Q2 2026"), "+10.0% against Q2 2026");
    CHECK_STR(vsp_wording_vs_prev(&w, "en", "\xe2\x80\x93", "Q2 2026"),
              "no comparison with the previous period");
    CHECK(isnan(vsp_wording_metric(NULL, "AL", "*", "received")));
    int out[VSP_N_CATEGORIES];
    /* no figures: every category has a missing value, so code order */
    CHECK_INT(vsp_wording_sorted_categories(NULL, "AL", "received", NULL, out),
              VSP_N_CATEGORIES);
    CHECK_INT(out[0], 0);
    CHECK_INT(out[VSP_N_CATEGORIES - 1], VSP_N_CATEGORIES - 1);
    /* ... and none above 0 to keep */
    CHECK_INT(vsp_wording_sorted_categories(NULL, "AL", "received", "received", out), 0);
    vsp_wording_fini(&w);
}

int main(void)
{
    /* number formats per language come with the catalogues */
    setenv("VSP_PO_DIR", VSP_SOURCE_DIR "/po", 1);
    RUN(test_fill);
    RUN(test_numbers);
    RUN(test_change);
    return harness_done();
}
