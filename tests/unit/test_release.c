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

int main(void)
{
    RUN(test_id_and_lookup);
    return harness_done();
}
