/* test_source_time.c — vsp_source_time: SOURCE_DATE_EPOCH read strictly,
 * one behaviour for every output (expected dates worked out with Python's
 * datetime.fromtimestamp(v, timezone.utc)). */
#include "pipeline/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/harness.h"

static vsp_status with(const char *value, time_t *t, char iso[32], vsp_error *err)
{
    if (value)
        setenv("SOURCE_DATE_EPOCH", value, 1);
    else
        unsetenv("SOURCE_DATE_EPOCH");
    vsp_status st = vsp_source_time(t, err);
    vsp_status st2 = vsp_source_time_iso(iso, err);
    CHECK_INT(st2, st);
    return st;
}

static void test_good(void)
{
    time_t t;
    char iso[32];
    vsp_error err;
    CHECK_INT(with("1790000000", &t, iso, &err), VSP_OK);
    CHECK(t == (time_t)1790000000);
    CHECK_STR(iso, "2026-09-21T14:13:20Z");
    CHECK_INT(with("0", &t, iso, &err), VSP_OK);
    CHECK_STR(iso, "1970-01-01T00:00:00Z");
    CHECK_INT(with("253402300799", &t, iso, &err), VSP_OK);
    CHECK_STR(iso, "9999-12-31T23:59:59Z");
    /* unset or empty: now */
    time_t before = time(NULL);
    CHECK_INT(with(NULL, &t, iso, &err), VSP_OK);
    CHECK(t >= before && t <= time(NULL));
    CHECK_INT(with("", &t, iso, &err), VSP_OK);
    CHECK(t >= before && t <= time(NULL));
}

static void test_bad(void)
{
    static const char *const bad[] = {"-1", "1e9", "12abc", " 1790000000", "1790000000 ",
                                      "+1790000000", "0x10", "253402300800",
                                      "99999999999999999999999", "1790000000.5", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        time_t t;
        char iso[32];
        vsp_error err;
        vsp_error_clear(&err);
        CHECK_INT(with(bad[i], &t, iso, &err), VSP_EUSAGE);
        CHECK(strstr(err.msg, "SOURCE_DATE_EPOCH='") != NULL);
        CHECK(strstr(err.msg, "unset it") != NULL);
    }
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    RUN(test_good);
    RUN(test_bad);
    return harness_done();
}
