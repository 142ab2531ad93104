/* test_time.c — durations in whole days, "as of" dates, provisional
 * periods and the comparison at the same lag (DESIGN §5), on the
 * hand-made warehouse tests/data/time-fixture.sql.  Every figure below is
 * worked out by hand from the fixture, not by the code under test.
 *
 * As of.  AL states no export date: its latest event is A5's outcome on
 *   3 Oct -> AL as of 2026-10-03.  ME's ingest stated 2026-10-10 (its
 *   latest event is 14 Sept, which the stated date overrides) -> ME as of
 *   2026-10-10.  Region: the earliest, 2026-10-03, AL's.
 * Lag after 2026Q3 (ends 30 Sept): AL 3 days, ME 10 days, region 3.
 * Provisional 2026Q3: AL yes (A4's outcome pending; also 3 < 30 days);
 *   ME yes (nothing pending, but 10 < 30 days); region yes.
 *   2026Q2 (ends 30 June): AL 95 days later and nothing pending -> final.
 *
 * AL 2026Q3: received 5, forwarded 5, actioned A1 A2 A5 (3), declined A3,
 *   pending A4 -> action rate 3/4.
 *   days to action (the local dates): A1 3->4 Aug = 1 (only 2.5 hours),
 *     A2 11->15 Aug = 4, A5 25 Sept->3 Oct = 8; sorted 1 4 8: median 4,
 *     P90 at position 2*0.9 = 1.8: 4 + 0.8*(8-4) = 7.2; n 3.
 *     within 1 day 1/3, 2 days 1/3, 7 days 2/3.
 *   days to response (+ A3 2->12 Sept = 10): 1 4 8 10: median (pos 1.5)
 *     = 6, P90 (pos 2.7) = 8 + 0.7*2 = 9.4; n 4.
 *   hours to action: A1 2.5, A2 96, A5 192: median 96, n 3.
 *   received->decided days: A1 0, A2 1, A3 1, A4 1, A5 0 -> 0 0 1 1 1:
 *     median 1, n 5.
 *   cohort: forwarded with a date 5; within 1 day A1 -> 1/5 (as of 3 days
 *     after the end >= 1), 2 days 1/5; 7 and 14 days: not yet (3 < 7): NULL.
 * AL 2026Q2 now: received 5, assessed 4 (P5 pending), forwarded 3 (P1
 *   P2 P3), actioned 3, pending 0, action rate 1.  Cohort: 3 forwarded,
 *   P1 3 days, P2 6, P3 10: within 1 day 0, 2 days 0, 7 days 2/3, 14 days 1.
 * AL 2026Q2 at the same lag (3 days after 30 June: events up to 3 July):
 *   received 5; assessed P1 P2 P3 (P4 decided 5 July: not yet) = 3;
 *   forwarded 3; P1 (5 June) and P2 (2 July) removed by then, P3 (10
 *   July) not: actioned 2, pending 1; action rate 2/(3-1) = 1; violation
 *   rate 3/3 = 1.  Stored with 2026Q3 as lag_prev_*.
 * ME 2026Q3 (dates only): days to action M1 6->6 Sept = 0, M2 11->14 Sept
 *   = 3: median 1.5, P90 (pos 0.9) = 2.7; no hours (n 0).  ME 2026Q2 has
 *   no cases: lag_prev_received 0.
 * Region 2026Q3: days to action 0 1 3 4 8 (all six countries pool days):
 *   median 3, P90 (pos 3.6) = 4 + 0.6*4 = 6.4, n 5; hours only AL's (n 3,
 *   median 96).  Same lag: the sum of each country's at its own lag:
 *   received 5, assessed 3, forwarded 3, actioned 2, pending 1.
 * Default period: the latest as-of date is ME's 10 Oct, so 2026Q4 had not
 *   ended; the latest quarter before it with data: 2026Q3, complete.
 * Today stated as 2 Oct 2026 (SOURCE_DATE_EPOCH 1790899200): 2026Q3 holds
 *   one case with an event after it (A5, removed 3 Oct). */
#include "pipeline/aggregate.h"
#include "pipeline/i18n.h"
#include "pipeline/metrics.h"
#include "pipeline/sql.h"
#include "pipeline/store.h"

#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/harness.h"

/* A warehouse made by vsp_store_open (migrations applied) with the
 * fixture loaded. */
static vsp_store *fixture_db(void)
{
    vsp_error err;
    vsp_store *db = vsp_store_open(":memory:", true, &err);
    if (!db) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return NULL;
    }
    char fx[1024];
    const char *src = getenv("VSP_SOURCE_DIR");
    snprintf(fx, sizeof fx, "%s/tests/data/time-fixture.sql", src ? src : VSP_SOURCE_DIR);
    char *fixture = harness_read_file(fx, NULL);
    char *msg = NULL;
    if (!fixture || sqlite3_exec(vsp_store_db(db), fixture, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fixture: %s\n", msg ? msg : fx);
        sqlite3_free(msg);
        free(fixture);
        vsp_store_close(db);
        return NULL;
    }
    free(fixture);
    return db;
}

static double get(const vsp_metrics *m, const char *c, const char *k, const char *metric)
{
    double v = NAN;
    vsp_metrics_get(m, c, k, metric, &v);
    return v;
}

#define IS_NULL(m, c, metric) CHECK(!vsp_metrics_get((m), (c), "*", (metric), NULL))
#define EQ(m, c, metric, want) CHECK_DBL(get((m), (c), "*", (metric)), (want), 1e-9)

static void test_time(void)
{
    setenv("SOURCE_DATE_EPOCH", "1790899200", 1); /* 2026-10-02T00:00:00Z */
    vsp_store *db = fixture_db();
    CHECK(db != NULL);
    if (!db)
        return;
    vsp_error err;
    vsp_period p;
    bool complete = false;
    CHECK_INT(vsp_aggregate_default_period(db, &p, &complete, &err), VSP_OK);
    CHECK_STR(p.label, "2026Q3");
    CHECK(complete);
    int64_t future = -1;
    CHECK_INT(vsp_aggregate_warn_future(db, "test", &p, NULL, &future, &err), VSP_OK);
    CHECK_INT(future, 1);

    vsp_aggregate_result res;
    CHECK_INT(vsp_aggregate_run(db, &p, NULL, &res, &err), VSP_OK);
    CHECK_INT(res.region_as_of, 20261003);
    vsp_metrics *m = vsp_metrics_load(db, "2026Q3", &err);
    vsp_metrics *q2 = vsp_metrics_load(db, "2026Q2", &err);
    CHECK(m && q2);
    if (!m || !q2)
        goto out;

    /* as of, provisional */
    int32_t day = 0;
    CHECK(vsp_metrics_as_of(m, "AL", &day));
    CHECK_INT(day, 20261003);
    CHECK(vsp_metrics_as_of(m, "ME", &day));
    CHECK_INT(day, 20261010);
    CHECK(vsp_metrics_as_of(m, "region", &day));
    CHECK_INT(day, 20261003);
    CHECK(!vsp_metrics_as_of(m, "RS", &day)); /* no cases: no date */
    char from[32];
    CHECK_INT(vsp_metrics_as_of_from(m, from, sizeof from), 1);
    CHECK_STR(from, "AL");
    EQ(m, "ME", "data_as_of_stated", 1);
    EQ(m, "AL", "data_as_of_stated", 0);
    CHECK_INT(vsp_metrics_provisional(m, "AL"), 1);
    CHECK_INT(vsp_metrics_provisional(m, "ME"), 1);
    CHECK_INT(vsp_metrics_provisional(m, "region"), 1);
    CHECK_INT(vsp_metrics_provisional(m, "RS"), -1);
    CHECK_INT(vsp_metrics_provisional(q2, "AL"), 0);
    EQ(m, "AL", "lag_days", 3);
    EQ(m, "ME", "lag_days", 10);
    EQ(m, "region", "lag_days", 3);

    /* AL 2026Q3 */
    EQ(m, "AL", "received", 5);
    EQ(m, "AL", "action_rate", 0.75);
    EQ(m, "AL", "d_to_action_n", 3);
    EQ(m, "AL", "d_to_action_median", 4);
    EQ(m, "AL", "d_to_action_p90", 7.2);
    EQ(m, "AL", "d_share_1d", 1.0 / 3.0);
    EQ(m, "AL", "d_share_2d", 1.0 / 3.0);
    EQ(m, "AL", "d_share_7d", 2.0 / 3.0);
    EQ(m, "AL", "d_to_response_n", 4);
    EQ(m, "AL", "d_to_response_median", 6);
    EQ(m, "AL", "d_to_response_p90", 9.4);
    EQ(m, "AL", "h_to_action_n", 3);
    EQ(m, "AL", "h_to_action_median", 96);
    EQ(m, "AL", "d_received_decided_n", 5);
    EQ(m, "AL", "d_received_decided_median", 1);
    EQ(m, "AL", "cohort_n", 5);
    EQ(m, "AL", "cohort_1d", 0.2);
    EQ(m, "AL", "cohort_2d", 0.2);
    IS_NULL(m, "AL", "cohort_7d");
    IS_NULL(m, "AL", "cohort_14d");

    /* AL 2026Q2, now and at the same lag */
    EQ(q2, "AL", "assessed", 4);
    EQ(q2, "AL", "forwarded", 3);
    EQ(q2, "AL", "actioned", 3);
    EQ(q2, "AL", "outcome_pending", 0);
    EQ(q2, "AL", "cohort_1d", 0);
    EQ(q2, "AL", "cohort_2d", 0);
    EQ(q2, "AL", "cohort_7d", 2.0 / 3.0);
    EQ(q2, "AL", "cohort_14d", 1);
    EQ(m, "AL", "lag_prev_received", 5);
    EQ(m, "AL", "lag_prev_assessed", 3);
    EQ(m, "AL", "lag_prev_forwarded", 3);
    EQ(m, "AL", "lag_prev_actioned", 2);
    EQ(m, "AL", "lag_prev_outcome_pending", 1);
    EQ(m, "AL", "lag_prev_action_rate", 1);
    EQ(m, "AL", "lag_prev_violation_rate", 1);

    /* ME: dates only */
    EQ(m, "ME", "d_to_action_n", 2);
    EQ(m, "ME", "d_to_action_median", 1.5);
    EQ(m, "ME", "d_to_action_p90", 2.7);
    EQ(m, "ME", "h_to_action_n", 0);
    IS_NULL(m, "ME", "h_to_action_median");
    EQ(m, "ME", "lag_prev_received", 0);

    /* the region */
    EQ(m, "region", "d_to_action_n", 5);
    EQ(m, "region", "d_to_action_median", 3);
    EQ(m, "region", "d_to_action_p90", 6.4);
    EQ(m, "region", "h_to_action_n", 3);
    EQ(m, "region", "h_to_action_median", 96);
    char who[32];
    CHECK_INT(vsp_metrics_countries_where(m, "*", "h_to_action_n", 1, who, sizeof who), 1);
    CHECK_STR(who, "AL");
    CHECK_INT(vsp_metrics_countries_where(m, "*", "d_to_action_n", 1, who, sizeof who), 2);
    CHECK_STR(who, "AL, ME");
    EQ(m, "region", "lag_prev_received", 5);
    EQ(m, "region", "lag_prev_assessed", 3);
    EQ(m, "region", "lag_prev_forwarded", 3);
    EQ(m, "region", "lag_prev_actioned", 2);
    EQ(m, "region", "lag_prev_outcome_pending", 1);
out:
    vsp_metrics_free(m);
    vsp_metrics_free(q2);
    vsp_store_close(db);
    unsetenv("SOURCE_DATE_EPOCH");
}

/* Only an exact 100 % reads 100 %: 2999 of 3000 is 99.967 %, which
 * rounds to 100 % at no decimals but must read 99 %; 9996 of 10000 at one
 * decimal reads 99.9 %; all of them 100 %; 0.456 is still 46 %. */
static void test_pct_never_false_100(void)
{
    char b[VSP_FMT_MAX];
    CHECK_STR(vsp_fmt_pct("en", 2999.0 / 3000.0, 0, b, sizeof b), "99%");
    CHECK_STR(vsp_fmt_pct("en", 0.9996, 1, b, sizeof b), "99.9%");
    CHECK_STR(vsp_fmt_pct("en", 1.0, 1, b, sizeof b), "100.0%");
    CHECK_STR(vsp_fmt_pct("en", 1.0, 0, b, sizeof b), "100%");
    CHECK_STR(vsp_fmt_pct("en", 0.456, 0, b, sizeof b), "46%");
    CHECK_STR(vsp_fmt_pct("en", 0.99949, 1, b, sizeof b), "99.9%");
}

int main(void)
{
    RUN(test_time);
    RUN(test_pct_never_false_100);
    return harness_done();
}
