/* test_csvfield.c — the one CSV field rule of the published CSV files
 * (figures.csv, revisions.csv, the EU template layout): RFC 4180 quoting,
 * and formula starts neutralised except in plain numbers. */
#include "pipeline/util.h"

#include "tests/unit/harness.h"

static const char *field(vsp_buf *b, const char *s)
{
    vsp_buf_clear(b);
    vsp_buf_csv_field(b, s);
    return b->data ? b->data : "";
}

static void test_fields(void)
{
    vsp_buf b;
    vsp_buf_init(&b);
    CHECK_STR(field(&b, ""), "");
    CHECK_STR(field(&b, "action_rate"), "action_rate");
    CHECK_STR(field(&b, "0.7589"), "0.7589");
    CHECK_STR(field(&b, "-0.25"), "-0.25");         /* a number, not a formula */
    CHECK_STR(field(&b, "+3"), "+3");
    CHECK_STR(field(&b, "a,b"), "\"a,b\"");
    CHECK_STR(field(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(field(&b, "two\nlines"), "\"two\nlines\"");
    CHECK_STR(field(&b, "=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    CHECK_STR(field(&b, "@SUM(A1)"), "\"'@SUM(A1)\"");
    CHECK_STR(field(&b, "-x"), "\"'-x\"");
    CHECK_STR(field(&b, "-"), "\"'-\"");            /* a lone sign is no number */
    CHECK_STR(field(&b, "\tx"), "\"'\tx\"");
    CHECK_STR(field(&b, "1.5.2"), "1.5.2");         /* no formula start: as it is */
    vsp_buf_fini(&b);
}

int main(void)
{
    RUN(test_fields);
    return harness_done();
}
