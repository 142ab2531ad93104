/* test_aggregate.c — every figure of the hand-made warehouse
 * tests/data/agg-fixture.sql, worked out by hand below (hours throughout).
 *
 * AL, 2026Q3 (received_day 20260701..20260930): cases A1..A12 (A13 falls on
 * 30 June local time: 2026Q2).
 *   decisions: forwarded A1-A5, A8-A10 (8); no_violation A6; pending A7;
 *   out_of_remit A11; duplicate A12.  received 12, assessed 11, forwarded 8.
 *   outcomes: removed A1 A8 A9 (3), geo_blocked A2, age_restricted A10,
 *   declined A3, pending A4 + no outcome A5 (outcome_pending 2).
 *   actioned 5.  violation_rate 8/11; action_rate 5/(8-2) = 5/6.
 *   received->decided: A1 10, A2 30, A3 6, A4 2, A5 5, A6 12, A8 8, A9 4,
 *     A10 1, A12 3 (A11 decided before received: left out) -> n 10, sorted
 *     1 2 3 4 5 6 8 10 12 30: median (pos 4.5) = (5+6)/2 = 5.5;
 *     P90 (pos 8.1) = 12 + 0.1*(30-12) = 13.8.
 *   decided->forwarded: 2 0 4 1 1 2 4 1 -> sorted 0 1 1 1 2 2 4 4, n 8:
 *     median (3.5) = 1.5; P90 (6.3) = 4 + 0.3*0 = 4.
 *   to action (actioned): A1 20, A2 40, A8 200, A9 30, A10 50 -> sorted
 *     20 30 40 50 200: median 40; P90 (3.6) = 50 + 0.6*150 = 140.
 *     within 24 h: 1/5 = 0.2; 48 h: 3/5 = 0.6; 7 days (168 h): 4/5 = 0.8.
 *   to response (final outcomes): 20 40 100 200 30 50 -> sorted
 *     20 30 40 50 100 200: median (2.5) = 45; P90 (4.5) = 100 + 0.5*100 = 150.
 *   received->outcome: A1 32, A2 70, A3 110, A8 210, A9 38, A10 52 -> sorted
 *     32 38 52 70 110 210: median 61; P90 (4.5) = 160.
 *   per 100 000: received 12 * 100000 / 2402113 = 0.49956...
 * AL by category: hate A1-A5: received 5, forwarded 5, actioned 2,
 *   outcome_pending 2, action_rate 2/3, to action 20 40: median 30, P90
 *   (0.9) = 20 + 0.9*20 = 38.  minors A6 A7: assessed 1, violation_rate 0,
 *   action_rate NULL (0 / 0), to-action median NULL, n 0, share NULL.
 *   terrorism: nothing at all (an empty category): received 0, rates NULL.
 * RS, 2026Q3: R1 (hate, removed: to action 10) and R2 (received 21:30Z on
 *   30 Sept = 23:30 local: still 2026Q3); R3 (22:30Z = 00:30 on 1 Oct) is
 *   2026Q4.  ME: M1 (hate, removed: to action 5), M2 (disinfo, pending).
 * Region (pooled): received 16, assessed 15, forwarded 11, actioned 7,
 *   outcome_pending 3; violation_rate 11/15; action_rate 7/8.
 *   to action 5 10 20 30 40 50 200, n 7: median 30 (not a mean of the
 *   country medians 40, 10, 5); P90 (5.4) = 50 + 0.4*150 = 110;
 *   shares 3/7, 5/7, 6/7.  hate: 5 10 20 40 -> median 15, P90 (2.7) = 34.
 * Cross-border, 2026Q3: key 111 in AL (first, hate), RS, ME -> item 1,
 *   'AL,ME,RS', hate; key 222 in ME (first, 15 July, disinfo) and RS ->
 *   item 2, 'ME,RS', disinfo.  Key 333 (AL in Q3, BA in Q2) is in no
 *   period twice; key 444 is AL twice.  cross_border_items: region 2
 *   (hate 1, disinfo 1, violence 0); AL 1; RS 2 (disinfo 1: the item's
 *   category, though RS filed it as violence); ME 2.  Pairs: AL-ME 1,
 *   AL-RS 1, ME-RS 2 (hate 1, disinfo 1).
 * Trend: 2026Q2 has A13 and B1 (2 cases); 2026Q1 R4 (00:30 local on 1 Jan,
 *   winter time: 23:30Z on 31 Dec); 2025Q4 R5 (22:30Z = 23:30 local).
 * Data freeze: the latest finished_at, run 2, 2026-10-02T09:00:00Z.
 * Data quality 2026Q3: run 1 brought 12 cases, run 2 last changed 1 (A1,
 *   updated by the later export), run 3 2, run 4 2; run 1 rejected
 *   bad_date 1, unknown_label 1. */
#include "pipeline/aggregate.h"
#include "pipeline/metrics.h"
#include "pipeline/sql.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/harness.h"

/* A warehouse made by vsp_store_open (migrations applied) with the fixture
 * loaded. */
static vsp_store *fixture_db(const char *path)
{
    if (path[0] != ':') {
        char side[1100];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    vsp_error err;
    vsp_store *db = vsp_store_open(path, true, &err);
    if (!db) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return NULL;
    }
    char fx[1024];
    const char *src = getenv("VSP_SOURCE_DIR");
    snprintf(fx, sizeof fx, "%s/tests/data/agg-fixture.sql", src ? src : VSP_SOURCE_DIR);
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

#define IS_NULL(m, c, k, metric) CHECK(!vsp_metrics_get((m), (c), (k), (metric), NULL))
#define EQ(m, c, k, metric, want) CHECK_DBL(get((m), (c), (k), (metric)), (want), 1e-9)

static void check_2026q3(vsp_store *db)
{
    vsp_error err;
    vsp_metrics *m = vsp_metrics_load(db, "2026Q3", &err);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_STR(vsp_metrics_data_freeze(m), "2026-10-02T09:00:00Z");
    CHECK_INT(vsp_metrics_cases(m), 16);
    CHECK_INT(vsp_metrics_period(m)->start_day, 20260701);

    /* AL, all categories */
    EQ(m, "AL", "*", "received", 12);
    EQ(m, "AL", "*", "assessed", 11);
    EQ(m, "AL", "*", "forwarded", 8);
    EQ(m, "AL", "*", "actioned", 5);
    EQ(m, "AL", "*", "outcome_pending", 2);
    EQ(m, "AL", "*", "decision_forwarded", 8);
    EQ(m, "AL", "*", "decision_no_violation", 1);
    EQ(m, "AL", "*", "decision_pending", 1);
    EQ(m, "AL", "*", "decision_out_of_remit", 1);
    EQ(m, "AL", "*", "decision_duplicate", 1);
    EQ(m, "AL", "*", "decision_insufficient_info", 0);
    EQ(m, "AL", "*", "outcome_removed", 3);
    EQ(m, "AL", "*", "outcome_geo_blocked", 1);
    EQ(m, "AL", "*", "outcome_age_restricted", 1);
    EQ(m, "AL", "*", "outcome_declined", 1);
    EQ(m, "AL", "*", "outcome_account_banned", 0);
    EQ(m, "AL", "*", "violation_rate", 8.0 / 11.0);
    EQ(m, "AL", "*", "action_rate", 5.0 / 6.0);
    EQ(m, "AL", "*", "population", 2402113);
    EQ(m, "AL", "*", "received_per100k", 12.0 * 100000.0 / 2402113.0);
    EQ(m, "AL", "*", "forwarded_per100k", 8.0 * 100000.0 / 2402113.0);
    EQ(m, "AL", "*", "h_received_decided_n", 10);
    EQ(m, "AL", "*", "h_received_decided_median", 5.5);
    EQ(m, "AL", "*", "h_received_decided_p90", 13.8);
    EQ(m, "AL", "*", "h_decided_forwarded_n", 8);
    EQ(m, "AL", "*", "h_decided_forwarded_median", 1.5);
    EQ(m, "AL", "*", "h_decided_forwarded_p90", 4);
    EQ(m, "AL", "*", "h_to_action_n", 5);
    EQ(m, "AL", "*", "h_to_action_median", 40);
    EQ(m, "AL", "*", "h_to_action_p90", 140);
    EQ(m, "AL", "*", "share_24h", 0.2);
    EQ(m, "AL", "*", "share_48h", 0.6);
    EQ(m, "AL", "*", "share_7d", 0.8);
    EQ(m, "AL", "*", "h_to_response_n", 6);
    EQ(m, "AL", "*", "h_to_response_median", 45);
    EQ(m, "AL", "*", "h_to_response_p90", 150);
    EQ(m, "AL", "*", "h_received_outcome_n", 6);
    EQ(m, "AL", "*", "h_received_outcome_median", 61);
    EQ(m, "AL", "*", "h_received_outcome_p90", 160);
    EQ(m, "AL", "*", "cross_border_items", 1);

    /* AL by category */
    EQ(m, "AL", "hate", "received", 5);
    EQ(m, "AL", "hate", "actioned", 2);
    EQ(m, "AL", "hate", "outcome_pending", 2);
    EQ(m, "AL", "hate", "violation_rate", 1);
    EQ(m, "AL", "hate", "action_rate", 2.0 / 3.0);
    EQ(m, "AL", "hate", "h_to_action_median", 30);
    EQ(m, "AL", "hate", "h_to_action_p90", 38);
    EQ(m, "AL", "hate", "cross_border_items", 1);
    EQ(m, "AL", "minors", "assessed", 1);
    EQ(m, "AL", "minors", "violation_rate", 0);
    IS_NULL(m, "AL", "minors", "action_rate");
    IS_NULL(m, "AL", "minors", "h_to_action_median");
    IS_NULL(m, "AL", "minors", "share_24h");
    EQ(m, "AL", "minors", "h_to_action_n", 0);
    EQ(m, "AL", "piracy", "received", 4);
    EQ(m, "AL", "piracy", "violation_rate", 0.75);
    EQ(m, "AL", "piracy", "action_rate", 1);
    EQ(m, "AL", "piracy", "received_per100k", 4.0 * 100000.0 / 2402113.0);
    IS_NULL(m, "AL", "piracy", "population"); /* only for '*' */
    EQ(m, "AL", "fraud", "received", 1);       /* A12, the summer midnight */
    /* an empty category */
    EQ(m, "AL", "terrorism", "received", 0);
    EQ(m, "AL", "terrorism", "h_received_decided_n", 0);
    IS_NULL(m, "AL", "terrorism", "violation_rate");
    IS_NULL(m, "AL", "terrorism", "h_received_decided_median");
    /* a country without cases in the period */
    EQ(m, "BA", "*", "received", 0);
    EQ(m, "BA", "*", "population", 3531159);
    IS_NULL(m, "BA", "*", "action_rate");

    /* RS and ME */
    EQ(m, "RS", "*", "received", 2); /* R2 at 23:30 local on 30 Sept; not R3 */
    EQ(m, "RS", "*", "h_to_action_median", 10);
    EQ(m, "RS", "*", "cross_border_items", 2);
    EQ(m, "RS", "disinfo", "cross_border_items", 1);
    EQ(m, "RS", "violence", "cross_border_items", 0);
    EQ(m, "ME", "*", "received", 2);
    EQ(m, "ME", "*", "outcome_pending", 1);
    EQ(m, "ME", "*", "cross_border_items", 2);

    /* the region, pooled */
    EQ(m, "region", "*", "received", 16);
    EQ(m, "region", "*", "assessed", 15);
    EQ(m, "region", "*", "forwarded", 11);
    EQ(m, "region", "*", "actioned", 7);
    EQ(m, "region", "*", "outcome_pending", 3);
    EQ(m, "region", "*", "violation_rate", 11.0 / 15.0);
    EQ(m, "region", "*", "action_rate", 7.0 / 8.0);
    EQ(m, "region", "*", "h_to_action_n", 7);
    EQ(m, "region", "*", "h_to_action_median", 30);
    EQ(m, "region", "*", "h_to_action_p90", 110);
    EQ(m, "region", "*", "share_24h", 3.0 / 7.0);
    EQ(m, "region", "*", "share_48h", 5.0 / 7.0);
    EQ(m, "region", "*", "share_7d", 6.0 / 7.0);
    EQ(m, "region", "hate", "h_to_action_median", 15);
    EQ(m, "region", "hate", "h_to_action_p90", 34);
    EQ(m, "region", "*", "population", 2402113 + 3531159 + 623633 + 1836713 + 6647003 + 1586659);
    EQ(m, "region", "*", "received_per100k", 16.0 * 100000.0 / 16627280.0);
    EQ(m, "region", "*", "cross_border_items", 2);
    EQ(m, "region", "hate", "cross_border_items", 1);
    EQ(m, "region", "disinfo", "cross_border_items", 1);
    EQ(m, "region", "violence", "cross_border_items", 0);

    /* cross-border items and pairs */
    CHECK_INT(vsp_metrics_crossborder_count(m), 2);
    const vsp_crossborder_item *x = vsp_metrics_crossborder(m, 0);
    if (x) {
        CHECK_INT(x->item, 1);
        CHECK_STR(x->countries, "AL,ME,RS");
        CHECK_STR(x->category, "hate");
        CHECK_INT(x->n_countries, 3);
        CHECK_INT(x->first_day, 20260803);
    }
    x = vsp_metrics_crossborder(m, 1);
    if (x) {
        CHECK_STR(x->countries, "ME,RS");
        CHECK_STR(x->category, "disinfo");
        CHECK_INT(x->first_day, 20260715);
    }
    /* pairs: (AL,ME) hate+*, (AL,RS) hate+*, (ME,RS) disinfo+hate+* */
    CHECK_INT(vsp_metrics_pair_count(m), 7);
    const vsp_crossborder_pair *pr = vsp_metrics_pair(m, 6);
    if (pr) {
        CHECK_STR(pr->country_a, "ME");
        CHECK_STR(pr->country_b, "RS");
        CHECK_STR(pr->category, "hate");
    }
    pr = vsp_metrics_pair(m, 4);
    if (pr) {
        CHECK_STR(pr->category, "*");
        CHECK_INT(pr->items, 2);
    }

    /* data quality */
    CHECK_INT(vsp_metrics_quality_count(m), 4);
    const vsp_quality_run *q = vsp_metrics_quality(m, 0);
    if (q) {
        CHECK_INT(q->run_id, 1);
        CHECK_INT(q->cases, 12);
        CHECK_INT(q->rows_rejected, 2);
        CHECK_STR(q->file_name, "al-2026Q3.csv");
    }
    q = vsp_metrics_quality(m, 1);
    if (q) {
        CHECK_INT(q->run_id, 2);
        CHECK_INT(q->cases, 1);
        CHECK_INT(q->rows_updated, 1);
    }
    vsp_metrics_free(m);

    /* the trend periods */
    m = vsp_metrics_load(db, "2026Q2", &err);
    CHECK(m != NULL);
    EQ(m, "region", "*", "received", 2);
    EQ(m, "AL", "fraud", "received", 1); /* A13 */
    EQ(m, "region", "*", "cross_border_items", 0);
    vsp_metrics_free(m);
    m = vsp_metrics_load(db, "2026Q1", &err);
    EQ(m, "RS", "other", "received", 1); /* R4, the winter midnight */
    vsp_metrics_free(m);
    m = vsp_metrics_load(db, "2025Q4", &err);
    EQ(m, "RS", "*", "received", 1); /* R5 */
    vsp_metrics_free(m);
    m = vsp_metrics_load(db, "2024Q4", &err); /* the oldest of the eight */
    CHECK(m != NULL);
    EQ(m, "region", "*", "received", 0);
    vsp_metrics_free(m);
    m = vsp_metrics_load(db, "2024Q3", &err);
    CHECK(m == NULL);
    CHECK_INT(err.status, VSP_EDATA);
    CHECK(strstr(err.msg, "vspreport aggregate --period 2024Q3") != NULL);
}

static int count_rows(vsp_store *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(vsp_store_db(db), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void run_on(const char *path, int threads)
{
    vsp_store *db = fixture_db(path);
    CHECK(db != NULL);
    if (!db)
        return;
    vsp_error err;
    vsp_period p;
    bool complete = false;
    CHECK_INT(vsp_aggregate_default_period(db, &p, &complete, &err), VSP_OK);
    CHECK_STR(p.label, "2026Q3"); /* 2026Q4 holds R3 but had not ended by the data's date */
    CHECK(complete);
    vsp_aggregate_options opt = {NULL, threads};
    vsp_aggregate_result res;
    vsp_status st = vsp_aggregate_run(db, &p, &opt, &res, &err);
    CHECK_INT(st, VSP_OK);
    if (st != VSP_OK)
        fprintf(stderr, "%s\n", err.msg);
    CHECK_INT(res.n_periods, 8);
    CHECK_STR(res.periods[0].label, "2024Q4");
    CHECK_STR(res.periods[7].label, "2026Q3");
    CHECK_INT(res.cases[7], 16);
    CHECK_INT(res.crossborder[7], 2);
    check_2026q3(db);

    /* 72 metrics for 7 countries x 15 categories, and 5 for '*' only
     * (population, lag_days, data_as_of, data_as_of_stated, provisional) */
    CHECK_INT(count_rows(db, "SELECT count(*) FROM agg_metric WHERE period = '2026Q3'"),
              7 * (15 * 72 + 5));
    /* re-running replaces, never adds */
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_OK);
    CHECK_INT(count_rows(db, "SELECT count(*) FROM agg_metric WHERE period = '2026Q3'"),
              7 * (15 * 72 + 5));
    CHECK_INT(count_rows(db, "SELECT count(*) FROM agg_run"), 8);
    check_2026q3(db);

    /* a date range is computed alone, and agrees with the quarter */
    vsp_period r;
    vsp_period_parse("2026-07-01..2026-09-30", &r, &err);
    CHECK_INT(vsp_aggregate_run(db, &r, &opt, &res, &err), VSP_OK);
    CHECK_INT(res.n_periods, 1);
    vsp_metrics *m = vsp_metrics_load(db, "2026-07-01..2026-09-30", &err);
    EQ(m, "region", "*", "h_to_action_p90", 110);
    EQ(m, "AL", "*", "received", 12);
    vsp_metrics_free(m);
    CHECK_INT(count_rows(db, "SELECT count(*) FROM agg_run"), 9);

    /* a half-year: 2026H2 holds R3 only; 2026H1 the Q1 and Q2 cases */
    vsp_period_parse("2026H2", &r, &err);
    CHECK_INT(vsp_aggregate_run(db, &r, &opt, &res, &err), VSP_OK);
    CHECK_STR(res.periods[6].label, "2026H1");
    CHECK_INT(res.cases[6], 3);
    CHECK_INT(res.cases[7], 17);
    vsp_store_close(db);
}

static void test_population_override(void)
{
    vsp_store *db = fixture_db(":memory:");
    if (!db)
        return;
    char path[1024], csv[1100];
    const char *tmp = getenv("VSP_TEST_TMP");
    snprintf(path, sizeof path, "%s", tmp ? tmp : "/tmp");
    mkdir(path, 0777);
    snprintf(csv, sizeof csv, "%s/agg-population.csv", path);
    FILE *f = fopen(csv, "w");
    fputs("country,population,year,source\n"
          "AL,2 500 000,2025,\"Estimate, for a test\"\n",
          f);
    fclose(f);
    vsp_error err;
    vsp_period p;
    vsp_period_parse("2026Q3", &p, &err);
    vsp_aggregate_options opt = {csv, 1};
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_OK);
    vsp_metrics *m = vsp_metrics_load(db, "2026Q3", &err);
    EQ(m, "AL", "*", "population", 2500000);
    EQ(m, "AL", "*", "received_per100k", 12.0 * 100000.0 / 2500000.0);
    EQ(m, "RS", "*", "population", 6647003);
    vsp_metrics_free(m);
    CHECK_INT(count_rows(db, "SELECT count(*) FROM population WHERE source = 'Estimate, for a test' AND year = 2025"), 1);

    /* a bad file names its line, and changes nothing */
    f = fopen(csv, "w");
    fputs("country,population,year,source\nAL,100,2020,x\nZZ,5,2020,y\n", f);
    fclose(f);
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_EDATA);
    CHECK(strstr(err.msg, "agg-population.csv:3: unknown country 'ZZ'") != NULL);
    CHECK_INT(count_rows(db, "SELECT population FROM population WHERE country = 'AL'"), 2500000);
    f = fopen(csv, "w");
    fputs("AL,many,2020,x\n", f);
    fclose(f);
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_EDATA);
    CHECK(strstr(err.msg, ":1: population 'many'") != NULL);
    opt.population_csv = "/nonexistent/pop.csv";
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_ENOINPUT);
    vsp_store_close(db);
}

/* The plan of every query that touches many rows: no full-table scan, no
 * temporary sort.  detail: what EXPLAIN QUERY PLAN must say. */
static void check_plan(vsp_store *db, const char *name, const char *detail)
{
    char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", vsp_sql_get(name));
    sqlite3_stmt *st = NULL;
    char plan[1024] = "";
    if (sqlite3_prepare_v2(vsp_store_db(db), sql, -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t len = strlen(plan);
            snprintf(plan + len, sizeof plan - len, "%s; ", (const char *)sqlite3_column_text(st, 3));
        }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    if (!strstr(plan, detail) || strstr(plan, "TEMP B-TREE")) {
        fprintf(stderr, "queries/%s.sql: plan '%s', want '%s'\n", name, plan, detail);
        CHECK(0);
    } else {
        CHECK(1);
    }
}

static void test_query_plans(void)
{
    vsp_store *db = fixture_db(":memory:");
    if (!db)
        return;
    check_plan(db, "agg_cases", "SEARCH case_record USING COVERING INDEX case_agg (received_day>? AND received_day<?)");
    /* each country's part of case_key in key order, merged: no sort */
    check_plan(db, "agg_xb_keys", "MERGE (UNION ALL)");
    check_plan(db, "agg_xb_keys", "SEARCH case_key USING PRIMARY KEY (country=?)");
    check_plan(db, "agg_xb_cases", "SEARCH k USING PRIMARY KEY (country=? AND content_key=?)");
    check_plan(db, "agg_latest_day", "COVERING INDEX");
    check_plan(db, "agg_load_metrics", "SEARCH agg_metric USING PRIMARY KEY (period=?)");
    check_plan(db, "agg_delete_metric", "SEARCH agg_metric USING PRIMARY KEY (period=?)");
    vsp_store_close(db);
}

/* Date-only ends (DESIGN §5: a duration needs both ends; a date alone is
 * not a time).  The fixture, with these ends made date-only as ingest
 * stores them (the local midnight, UTC+2 in summer; _prec 1):
 *   ME M1, M2: every end (AEM exports dates only).  M1 was received,
 *     decided, forwarded and removed on 20 Aug: all four ends are 22:00Z
 *     on 19 Aug, so by the midnights its time to action would be 0 h.
 *   AL A1: the outcome only (4 Aug -> 22:00Z on 3 Aug; by the midnight its
 *     time to action would be 2 h, not 20).
 *   AL A2: the received date only (4 Aug -> 22:00Z on 3 Aug).
 * Counts do not change (AL received 12, actioned 5; ME received 2,
 * actioned 1).  Durations, from the list in the header with the
 * date-only ones left out:
 *   AL received->decided: without A2 (30): 1 2 3 4 5 6 8 10 12, n 9:
 *     median (pos 4) 5; P90 (pos 7.2) = 10 + 0.2*2 = 10.4.
 *   AL decided->forwarded: both ends timed in all 8: n 8, median 1.5.
 *   AL to action: without A1 (20): 30 40 50 200, n 4: median (1.5) 45;
 *     P90 (2.7) = 50 + 0.7*150 = 155; within 24 h 0/4, 48 h 2/4, 7 days
 *     3/4.
 *   AL to response: without A1: 30 40 50 100 200, n 5: median 50; P90
 *     (3.6) = 100 + 0.6*100 = 160.
 *   AL received->outcome: without A1 (32) and A2 (70): 38 52 110 210, n 4:
 *     median (1.5) = (52+110)/2 = 81; P90 (2.7) = 110 + 0.7*100 = 180.
 *   ME: every duration n 0, medians, P90s and shares NULL.
 *   Region to action: without M1 (5) and A1 (20): 10 30 40 50 200, n 5:
 *     median 40; P90 (3.6) = 50 + 0.6*150 = 140; shares 1/5, 3/5, 4/5.
 *     hate: without M1 and A1: 10 (R1) 40 (A2), n 2: median 25; P90
 *     (0.9) = 10 + 0.9*30 = 37. */
/* The fixture changed by sql, aggregated for 2026Q3 on one thread: its
 * figures (NULL when they could not be loaded, a failed CHECK said why),
 * and the warehouse in *db (NULL when the fixture could not be made). */
static vsp_metrics *changed_2026q3(const char *sql, vsp_store **db)
{
    *db = fixture_db(":memory:");
    if (!*db)
        return NULL;
    CHECK_INT(sqlite3_exec(vsp_store_db(*db), sql, NULL, NULL, NULL), SQLITE_OK);
    vsp_error err;
    vsp_period p;
    vsp_period_parse("2026Q3", &p, &err);
    vsp_aggregate_options opt = {NULL, 1};
    CHECK_INT(vsp_aggregate_run(*db, &p, &opt, NULL, &err), VSP_OK);
    vsp_metrics *m = vsp_metrics_load(*db, "2026Q3", &err);
    CHECK(m != NULL);
    return m;
}

static void test_date_only_ends(void)
{
    const char *sql =
        "UPDATE case_record SET received_ts = unixepoch('2026-08-19 22:00:00'), received_prec = 1,"
        " decided_ts = unixepoch('2026-08-19 22:00:00'), decided_prec = 1,"
        " forwarded_ts = unixepoch('2026-08-19 22:00:00'), forwarded_prec = 1,"
        " outcome_ts = unixepoch('2026-08-19 22:00:00'), outcome_prec = 1"
        " WHERE country = 'ME' AND case_id = 'M1';"
        "UPDATE case_record SET received_ts = unixepoch('2026-07-14 22:00:00'), received_prec = 1,"
        " decided_ts = unixepoch('2026-07-14 22:00:00'), decided_prec = 1,"
        " forwarded_ts = unixepoch('2026-07-14 22:00:00'), forwarded_prec = 1"
        " WHERE country = 'ME' AND case_id = 'M2';"
        "UPDATE case_record SET outcome_ts = unixepoch('2026-08-03 22:00:00'), outcome_prec = 1"
        " WHERE country = 'AL' AND case_id = 'A1';"
        "UPDATE case_record SET received_ts = unixepoch('2026-08-03 22:00:00'), received_prec = 1"
        " WHERE country = 'AL' AND case_id = 'A2';";
    vsp_store *db = NULL;
    vsp_metrics *m = changed_2026q3(sql, &db);
    if (!m) {
        vsp_store_close(db);
        return;
    }
    EQ(m, "AL", "*", "received", 12);
    EQ(m, "AL", "*", "actioned", 5);
    EQ(m, "AL", "*", "h_received_decided_n", 9);
    EQ(m, "AL", "*", "h_received_decided_median", 5);
    EQ(m, "AL", "*", "h_received_decided_p90", 10.4);
    EQ(m, "AL", "*", "h_decided_forwarded_n", 8);
    EQ(m, "AL", "*", "h_decided_forwarded_median", 1.5);
    EQ(m, "AL", "*", "h_to_action_n", 4);
    EQ(m, "AL", "*", "h_to_action_median", 45);
    EQ(m, "AL", "*", "h_to_action_p90", 155);
    EQ(m, "AL", "*", "share_24h", 0);
    EQ(m, "AL", "*", "share_48h", 0.5);
    EQ(m, "AL", "*", "share_7d", 0.75);
    EQ(m, "AL", "*", "h_to_response_n", 5);
    EQ(m, "AL", "*", "h_to_response_median", 50);
    EQ(m, "AL", "*", "h_to_response_p90", 160);
    EQ(m, "AL", "*", "h_received_outcome_n", 4);
    EQ(m, "AL", "*", "h_received_outcome_median", 81);
    EQ(m, "AL", "*", "h_received_outcome_p90", 180);
    EQ(m, "ME", "*", "received", 2);
    EQ(m, "ME", "*", "actioned", 1);
    EQ(m, "ME", "*", "h_to_action_n", 0);
    IS_NULL(m, "ME", "*", "h_to_action_median");
    IS_NULL(m, "ME", "*", "h_to_action_p90");
    IS_NULL(m, "ME", "*", "share_24h");
    IS_NULL(m, "ME", "*", "share_7d");
    EQ(m, "ME", "*", "h_received_decided_n", 0);
    IS_NULL(m, "ME", "*", "h_received_decided_median");
    EQ(m, "ME", "*", "h_decided_forwarded_n", 0);
    EQ(m, "ME", "*", "h_to_response_n", 0);
    EQ(m, "ME", "*", "h_received_outcome_n", 0);
    EQ(m, "region", "*", "actioned", 7);
    EQ(m, "region", "*", "h_to_action_n", 5);
    EQ(m, "region", "*", "h_to_action_median", 40);
    EQ(m, "region", "*", "h_to_action_p90", 140);
    EQ(m, "region", "*", "share_24h", 0.2);
    EQ(m, "region", "*", "share_48h", 0.6);
    EQ(m, "region", "*", "share_7d", 0.8);
    EQ(m, "region", "hate", "h_to_action_n", 2);
    EQ(m, "region", "hate", "h_to_action_median", 25);
    EQ(m, "region", "hate", "h_to_action_p90", 37);
    vsp_metrics_free(m);
    vsp_store_close(db);
}

/* Durations of 2^23 s (2330.3 h) and more are kept apart from the shorter
 * ones (pipeline/aggregate.c, durvec); read in order they must still be
 * one sorted sequence.  A6 decided 2400 h after it came in (8 640 000 s:
 * a long one), A12 2000 h (7 200 000 s: a short one).  AL received->decided
 * is then 10 30 6 2 5 2400 8 4 1 2000, sorted 1 2 4 5 6 8 10 30 2000 2400:
 * median (pos 4.5) = (6 + 8) / 2 = 7; P90 (pos 8.1) = 2000 + 0.1 * 400 =
 * 2040, between the last short value and the long one.  minors: A6 alone,
 * 2400.  The region adds R1 4, R2 1, M1 3, M2 1: sorted 1 1 1 2 3 4 4 5 6 8
 * 10 30 2000 2400, n 14: median (pos 6.5) = (4 + 5) / 2 = 4.5; P90 (pos
 * 11.7) = 30 + 0.7 * 1970 = 1409. */
static void test_long_durations(void)
{
    const char *sql = "UPDATE case_record SET decided_ts = received_ts + 2400 * 3600"
                      " WHERE country = 'AL' AND case_id = 'A6';"
                      "UPDATE case_record SET decided_ts = received_ts + 2000 * 3600"
                      " WHERE country = 'AL' AND case_id = 'A12';";
    vsp_store *db = NULL;
    vsp_metrics *m = changed_2026q3(sql, &db);
    if (!m) {
        vsp_store_close(db);
        return;
    }
    EQ(m, "AL", "*", "h_received_decided_n", 10);
    EQ(m, "AL", "*", "h_received_decided_median", 7);
    EQ(m, "AL", "*", "h_received_decided_p90", 2040);
    EQ(m, "AL", "minors", "h_received_decided_n", 1);
    EQ(m, "AL", "minors", "h_received_decided_median", 2400);
    EQ(m, "AL", "fraud", "h_received_decided_median", 2000);
    EQ(m, "region", "*", "h_received_decided_n", 14);
    EQ(m, "region", "*", "h_received_decided_median", 4.5);
    EQ(m, "region", "*", "h_received_decided_p90", 1409);
    vsp_metrics_free(m);
    vsp_store_close(db);
}

static void test_empty_warehouse(void)
{
    vsp_error err;
    vsp_store *db = vsp_store_open(":memory:", true, &err);
    vsp_period p;
    CHECK_INT(vsp_aggregate_default_period(db, &p, NULL, &err), VSP_EDATA);
    CHECK(strstr(err.msg, "no cases") != NULL);
    vsp_period_parse("2026Q3", &p, &err);
    CHECK_INT(vsp_aggregate_run(db, &p, NULL, NULL, &err), VSP_OK);
    vsp_metrics *m = vsp_metrics_load(db, "2026Q3", &err);
    CHECK(m != NULL);
    CHECK_STR(vsp_metrics_data_freeze(m), "");
    EQ(m, "region", "*", "received", 0);
    IS_NULL(m, "region", "*", "h_to_action_median");
    vsp_metrics_free(m);
    vsp_store_close(db);
}

/* The fixture at path, aggregated for 2026Q3 (and its trend) with opt. */
static vsp_store *fixture_2026q3(const char *path, vsp_period *p, vsp_aggregate_options *opt)
{
    vsp_error err;
    vsp_store *db = fixture_db(path);
    vsp_period_parse("2026Q3", p, &err);
    CHECK(db && vsp_aggregate_run(db, p, opt, NULL, &err) == VSP_OK);
    return db;
}

/* vsp_metrics_keep: a period loaded again is the same figures, until the
 * warehouse is aggregated anew after an ingest; in-memory warehouses (no
 * file name to tell them apart) are never kept. */
static void test_metrics_keep(const char *path)
{
    vsp_error err;
    vsp_period p;
    vsp_aggregate_options opt = {NULL, 1};
    vsp_store *db = fixture_2026q3(path, &p, &opt);
    if (!db)
        return;
    vsp_metrics_keep(true);
    vsp_metrics *a = vsp_metrics_load(db, "2026Q3", &err);
    vsp_metrics *b = vsp_metrics_load(db, "2026Q3", &err);
    vsp_metrics *q2 = vsp_metrics_load(db, "2026Q2", &err);
    CHECK(a != NULL && a == b);
    CHECK(q2 != NULL && q2 != a);
    EQ(b, "AL", "*", "forwarded", 8);
    EQ(q2, "AL", "*", "received", 1);
    vsp_metrics_free(a);
    vsp_metrics_free(b);
    vsp_metrics_free(q2);
    /* still kept after its holders let go */
    vsp_metrics *c = vsp_metrics_load(db, "2026Q3", &err);
    CHECK(c == a);
    EQ(c, "AL", "*", "forwarded", 8);

    /* A later export turns A8 into no_violation; aggregated again, the
     * period is read afresh: AL forwarded 8 -> 7. */
    char *msg = NULL;
    int rc = sqlite3_exec(vsp_store_db(db),
                          "INSERT INTO ingest_run(id, file_path, file_name, file_size, sha256, "
                          "profile, country, started_at, finished_at) VALUES (6, 'al2.csv', "
                          "'al2.csv', 10, 'aa03', 'al-ama.ini', 'AL', '2026-10-03T08:00:00Z', "
                          "'2026-10-03T08:00:01Z');"
                          "UPDATE case_record SET decision_id = 2, outcome_id = NULL, "
                          "outcome_ts = NULL, outcome_day = NULL, outcome_prec = NULL, "
                          "forwarded_ts = NULL, forwarded_day = NULL, forwarded_prec = NULL, "
                          "last_run = 6 WHERE case_id = 'A8'",
                          NULL, NULL, &msg);
    CHECK_INT(rc, SQLITE_OK);
    if (msg)
        fprintf(stderr, "%s\n", msg);
    sqlite3_free(msg);
    CHECK_INT(vsp_aggregate_run(db, &p, &opt, NULL, &err), VSP_OK);
    vsp_metrics *d = vsp_metrics_load(db, "2026Q3", &err);
    CHECK(d != NULL && d != c);
    EQ(d, "AL", "*", "forwarded", 7);
    EQ(c, "AL", "*", "forwarded", 8); /* a holder keeps what it loaded */
    vsp_metrics_free(c);
    vsp_metrics_free(d);
    vsp_metrics_keep(false);
    vsp_store_close(db);

    if (!(db = fixture_2026q3(":memory:", &p, &opt)))
        return;
    vsp_metrics_keep(true);
    a = vsp_metrics_load(db, "2026Q3", &err);
    b = vsp_metrics_load(db, "2026Q3", &err);
    CHECK(a != NULL && b != NULL && a != b);
    vsp_metrics_free(a);
    vsp_metrics_free(b);
    vsp_metrics_keep(false);
    vsp_store_close(db);
}

/* The warehouse check passes again at once on the connection it passed
 * on, until another connection commits: then it reads everything again,
 * and finds what was broken (content keys removed behind the table's
 * back, which the check compares with case_record). */
static void test_check_once(const char *path)
{
    vsp_store *db = fixture_db(path);
    CHECK(db != NULL);
    if (!db)
        return;
    vsp_error err;
    CHECK_INT(vsp_store_check(db, &err), VSP_OK);
    CHECK_INT(vsp_store_check(db, &err), VSP_OK);
    /* What this connection writes itself is not read again, even across
     * the changes of journal mode of a large ingest, which change PRAGMA
     * data_version as another connection's commit does: a content key
     * removed through it behind the table's back is not looked for. */
    CHECK(vsp_store_bulk_journal(db, true));
    CHECK_INT(sqlite3_exec(vsp_store_db(db),
                           "DELETE FROM case_key WHERE (content_key, country, case_id) IN "
                           "(SELECT content_key, country, case_id FROM case_key LIMIT 1)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK(vsp_store_bulk_journal(db, false));
    CHECK_INT(vsp_store_check(db, &err), VSP_OK);
    sqlite3 *other = NULL;
    CHECK_INT(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "DELETE FROM case_key WHERE (content_key, country, case_id) IN "
                                  "(SELECT content_key, country, case_id FROM case_key LIMIT 1)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_changes(other), 1);
    sqlite3_close(other);
    CHECK_INT(vsp_store_check(db, &err), VSP_EDATA);
    CHECK(strstr(err.msg, "the table case_key") != NULL);
    vsp_store_close(db);
}

int main(void)
{
    char path[1024];
    const char *tmp = getenv("VSP_TEST_TMP");
    snprintf(path, sizeof path, "%s", tmp ? tmp : "/tmp");
    mkdir(path, 0777);
    strncat(path, "/test_aggregate.db", sizeof path - strlen(path) - 1);
    run_on(":memory:", 1); /* one connection, no threads */
    run_on(path, 2);       /* a file: two threads, a connection each */
    run_on(path, 4);
    RUN(test_population_override);
    RUN(test_date_only_ends);
    RUN(test_long_durations);
    RUN(test_query_plans);
    RUN(test_empty_warehouse);
    char once[1100];
    snprintf(once, sizeof once, "%s.once", path);
    test_check_once(once);
    strncat(path, ".keep", sizeof path - strlen(path) - 1);
    test_metrics_keep(path);
    return harness_done();
}
