/* test_period.c — parsing, shifting and containing periods. */
#include "pipeline/period.h"

#include "tests/unit/harness.h"

static void test_parse(void)
{
    vsp_period p;
    vsp_error err;
    CHECK_INT(vsp_period_parse("2026Q3", &p, &err), VSP_OK);
    CHECK_INT(p.kind, VSP_PERIOD_QUARTER);
    CHECK_STR(p.label, "2026Q3");
    CHECK_INT(p.start_day, 20260701);
    CHECK_INT(p.end_day, 20260930);

    CHECK_INT(vsp_period_parse(" 2024q1 ", &p, &err), VSP_OK); /* leap February inside */
    CHECK_STR(p.label, "2024Q1");
    CHECK_INT(p.end_day, 20240331);

    CHECK_INT(vsp_period_parse("2026H2", &p, &err), VSP_OK);
    CHECK_INT(p.kind, VSP_PERIOD_HALF);
    CHECK_INT(p.start_day, 20260701);
    CHECK_INT(p.end_day, 20261231);
    CHECK_INT(vsp_period_parse("2026h1", &p, &err), VSP_OK);
    CHECK_INT(p.end_day, 20260630);

    CHECK_INT(vsp_period_parse("2026", &p, &err), VSP_OK);
    CHECK_INT(p.kind, VSP_PERIOD_YEAR);
    CHECK_STR(p.label, "2026");
    CHECK_INT(p.start_day, 20260101);
    CHECK_INT(p.end_day, 20261231);

    CHECK_INT(vsp_period_parse("2026-07-01..2026-09-30", &p, &err), VSP_OK);
    CHECK_INT(p.kind, VSP_PERIOD_RANGE);
    CHECK_STR(p.label, "2026-07-01..2026-09-30");
    CHECK_INT(p.start_day, 20260701);
    CHECK_INT(p.end_day, 20260930);
    CHECK_INT(vsp_period_parse("2026-08-15..2026-08-15", &p, &err), VSP_OK);
}

static void test_parse_errors(void)
{
    vsp_period p;
    vsp_error err;
    const char *bad[] = {"", "26Q3", "2026Q5", "2026Q0", "2026H3", "2026-13-01..2026-12-31",
                         "2026-02-29..2026-03-01", "2026-09-30..2026-07-01", "2026-07-01",
                         "2026Q3x", "Q3 2026", "1899", "2026-07-01..2026-09-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vsp_error_clear(&err);
        CHECK_INT(vsp_period_parse(bad[i], &p, &err), VSP_EUSAGE);
        CHECK(err.msg[0] != '\0');
    }
    vsp_period_parse("2026Q5", &p, &err);
    CHECK(strstr(err.msg, "Q1..Q4") != NULL);
    vsp_period_parse("2026-09-30..2026-07-01", &p, &err);
    CHECK(strstr(err.msg, "ends before it starts") != NULL);
    vsp_period_parse("next quarter", &p, &err);
    CHECK(strstr(err.msg, "2026-07-01..2026-09-30") != NULL); /* shows the forms */
}

static void test_shift(void)
{
    vsp_period p, q;
    vsp_error err;
    vsp_period_parse("2026Q3", &p, &err);
    vsp_period_shift(&p, -7, &q); /* the trend starts 7 quarters earlier */
    CHECK_STR(q.label, "2024Q4");
    CHECK_INT(q.start_day, 20241001);
    CHECK_INT(q.end_day, 20241231);
    vsp_period_shift(&p, -2, &q);
    CHECK_STR(q.label, "2026Q1");
    vsp_period_shift(&p, 2, &q);
    CHECK_STR(q.label, "2027Q1");

    vsp_period_parse("2026H1", &p, &err);
    vsp_period_shift(&p, -1, &q);
    CHECK_STR(q.label, "2025H2");
    CHECK_INT(q.start_day, 20250701);
    vsp_period_shift(&p, -3, &q);
    CHECK_STR(q.label, "2024H2");

    vsp_period_parse("2026", &p, &err);
    vsp_period_shift(&p, -7, &q);
    CHECK_STR(q.label, "2019");

    /* a range steps by its own length: 1 July..30 Sept is 92 days */
    vsp_period_parse("2026-07-01..2026-09-30", &p, &err);
    vsp_period_shift(&p, -1, &q);
    CHECK_STR(q.label, "2026-03-31..2026-06-30");
    vsp_period_shift(&p, 1, &q);
    CHECK_STR(q.label, "2026-10-01..2026-12-31");
    /* across a leap day: 2024-02-28..2024-03-01 is 3 days */
    vsp_period_parse("2024-02-28..2024-03-01", &p, &err);
    vsp_period_shift(&p, 1, &q);
    CHECK_STR(q.label, "2024-03-02..2024-03-04");
}

static void test_containing(void)
{
    vsp_period p;
    vsp_period_containing(VSP_PERIOD_QUARTER, 20260930, &p);
    CHECK_STR(p.label, "2026Q3");
    vsp_period_containing(VSP_PERIOD_QUARTER, 20261001, &p);
    CHECK_STR(p.label, "2026Q4");
    vsp_period_containing(VSP_PERIOD_QUARTER, 20260101, &p);
    CHECK_STR(p.label, "2026Q1");
    vsp_period_containing(VSP_PERIOD_HALF, 20260701, &p);
    CHECK_STR(p.label, "2026H2");
    vsp_period_containing(VSP_PERIOD_YEAR, 20261231, &p);
    CHECK_STR(p.label, "2026");
    CHECK(vsp_period_contains(&p, 20260101));
    CHECK(!vsp_period_contains(&p, 20270101));
    CHECK_STR(vsp_period_kind_name(VSP_PERIOD_HALF), "half");
}

static void test_calendar(void)
{
    CHECK_INT(vsp_day_to_days(19700101), 0);
    CHECK_INT(vsp_day_to_days(20260701), 20635); /* date -d 2026-07-01 +%s / 86400 */
    CHECK_INT(vsp_days_to_day(20635), 20260701);
    CHECK_INT(vsp_days_to_day(vsp_day_to_days(20240229) + 1), 20240301);
    CHECK(vsp_date_valid(2024, 2, 29));
    CHECK(!vsp_date_valid(2026, 2, 29));
    CHECK(!vsp_date_valid(2100, 2, 29));
    CHECK(vsp_date_valid(2000, 2, 29));
    char buf[11];
    vsp_day_format(20260705, buf);
    CHECK_STR(buf, "2026-07-05");
}

int main(void)
{
    RUN(test_parse);
    RUN(test_parse_errors);
    RUN(test_shift);
    RUN(test_containing);
    RUN(test_calendar);
    return harness_done();
}
