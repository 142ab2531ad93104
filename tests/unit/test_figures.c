/* test_figures.c — the measures table's one formatting rule and look-ups
 * (pipeline/measures.h), and figures.csv written and read back
 * (reports/figures.h), with the errors a damaged file gets. */
#include "pipeline/measures.h"
#include "reports/figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/harness.h"

static const char *fmt(const char *code, double v)
{
    static char buf[64];
    const vsp_measure *ms = vsp_measure_by_code(code);
    if (!ms)
        return "(no measure)";
    if (!vsp_measure_format(ms, v, buf, sizeof buf))
        return "(undefined)";
    return buf;
}

static void test_format(void)
{
    CHECK_STR(fmt("received", 1234), "1234");
    CHECK_STR(fmt("action_rate", 5.0 / 7.0), "0.7143");
    CHECK_STR(fmt("action_rate", 1.0), "1.0000");
    CHECK_STR(fmt("received_per100k", 12.0 * 100000 / 623633), "1.9242");
    /* 35.775 h = 128 790 s exactly: half up, whichever way the double falls */
    CHECK_STR(fmt("median_h_to_action", 128790.0 / 3600.0), "35.78");
    CHECK_STR(fmt("median_h_to_action", 0.005), "0.01"); /* 18 s: half up */
    CHECK_STR(fmt("median_h_to_action", 0.0049), "0.00");
    CHECK_STR(fmt("median_d_to_action", 2.5), "2.50");
    CHECK_STR(fmt("p90_d_to_action", 3.6), "3.60");
    CHECK_STR(fmt("median_d_to_action", -0.0), "0.00"); /* never "-0.00" */
    CHECK_STR(fmt("n_to_action", 0), "0");
    CHECK_STR(fmt("action_rate", NAN), "(undefined)");
    CHECK_STR(fmt("action_rate", INFINITY), "(undefined)");
}

static void test_table(void)
{
    CHECK_INT((int)vsp_measure_count(), 53);
    CHECK_STR(vsp_measure_at(0)->code, "received");
    CHECK(vsp_measure_at(vsp_measure_count()) == NULL);
    const vsp_measure *ms = vsp_measure_by_metric("d_to_action_median");
    CHECK(ms && strcmp(ms->code, "median_d_to_action") == 0);
    CHECK(vsp_measure_by_code("n_d_to_action") == vsp_measure_by_metric("d_to_action_n"));
    CHECK(vsp_measure_by_code("no_such_measure") == NULL);
    CHECK(vsp_measure_by_metric(NULL) == NULL);
    char b[96];
    CHECK_STR(vsp_measure_base_text(vsp_measure_by_code("action_rate"), b, sizeof b),
              "forwarded - outcome_pending");
    CHECK_STR(vsp_measure_base_text(vsp_measure_by_code("p90_h_to_response"), b, sizeof b),
              "n_to_response");
    CHECK_STR(vsp_measure_base_text(vsp_measure_by_code("share_d_7d"), b, sizeof b),
              "n_d_to_action");
    CHECK_STR(vsp_measure_base_text(vsp_measure_by_code("cohort_14d"), b, sizeof b), "cohort_n");
    CHECK_STR(vsp_measure_base_text(vsp_measure_by_code("received"), b, sizeof b), "");
    CHECK_STR(vsp_measure_unit_name(vsp_measure_by_code("median_h_to_action")->unit), "hours");
    CHECK(vsp_measure_by_code("population")->star_only);
    /* every code and metric once; every base a measure or population */
    for (size_t i = 0; i < vsp_measure_count(); i++) {
        const vsp_measure *a = vsp_measure_at(i);
        CHECK(vsp_measure_by_code(a->code) == a);
        CHECK(vsp_measure_by_metric(a->metric) == a);
        CHECK(a->definition && strlen(a->definition) > 10 &&
              a->definition[strlen(a->definition) - 1] == '.');
        if (a->base)
            CHECK(vsp_measure_by_metric(a->base) != NULL);
        CHECK((a->unit == VSP_UNIT_COUNT) == (a->base == NULL));
        CHECK(a->adds == 0 || a->unit == VSP_UNIT_COUNT);
    }
}

static char dir[512];

static const char *write_file(const char *name, const char *text)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    return path;
}

#define H VSP_FIGURES_HEADER "\r\n"

static void test_read(void)
{
    vsp_error err;
    /* out of order, a quoted field, LF line ends mixed in, a BOM */
    const char *p = write_file("a.csv", "\xEF\xBB\xBF" H
                                        "2026Q3,region,*,received,3955,count,,1,2026Q3-v1\r\n"
                                        "2026Q3,AL,*,action_rate,0.8154,fraction,195,0,\n"
                                        "\"2026Q2\",AL,*,received,\"1\"\"2\",count,,,\r\n");
    vsp_figures *f = vsp_figures_read(p, &err);
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK_INT((int)f->n, 3);
    CHECK_STR(f->rows[0].period, "2026Q2");
    CHECK_STR(f->rows[0].value, "1\"2");
    CHECK_INT(f->rows[0].provisional, -1);
    CHECK_STR(f->rows[1].area, "AL");
    const vsp_figure *r = vsp_figures_find(f, "2026Q3", "region", "*", "received");
    CHECK(r && strcmp(r->value, "3955") == 0 && r->provisional == 1 &&
          strcmp(r->release, "2026Q3-v1") == 0);
    r = vsp_figures_find(f, "2026Q3", "AL", "*", "action_rate");
    CHECK(r && strcmp(r->base_n, "195") == 0 && r->provisional == 0);
    CHECK(vsp_figures_find(f, "2026Q3", "AL", "*", "received") == NULL);

    /* written back: sorted, CRLF, no BOM, the quote doubled */
    char out[600];
    snprintf(out, sizeof out, "%s/b.csv", dir);
    CHECK_INT(vsp_figures_set_release(f, "2026Q3-v2", &err), VSP_OK);
    CHECK_INT(vsp_figures_write(f, out, &err), VSP_OK);
    FILE *fp = fopen(out, "rb");
    char text[1024] = "";
    if (fp) {
        size_t got = fread(text, 1, sizeof text - 1, fp);
        text[got] = '\0';
        fclose(fp);
    }
    CHECK_STR(text, H "2026Q2,AL,*,received,\"1\"\"2\",count,,,2026Q3-v2\r\n"
                      "2026Q3,AL,*,action_rate,0.8154,fraction,195,0,2026Q3-v2\r\n"
                      "2026Q3,region,*,received,3955,count,,1,2026Q3-v2\r\n");
    CHECK_INT(vsp_figures_set_release(f, "v1,=1+1", &err), VSP_EUSAGE);
    CHECK_INT(vsp_figures_set_release(f, "-v1", &err), VSP_EUSAGE);
    vsp_figures_free(f);
    vsp_figures_free(NULL);
}

static void expect_error(const char *text, vsp_status status, const char *want)
{
    vsp_error err;
    const char *p = write_file("bad.csv", text);
    vsp_figures *f = vsp_figures_read(p, &err);
    CHECK(f == NULL);
    vsp_figures_free(f);
    CHECK_INT(err.status, status);
    if (!strstr(err.msg, want)) {
        harness_failures++;
        fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", __FILE__, __LINE__, err.msg, want);
    }
}

static void test_errors(void)
{
    expect_error("period,area,category,measure,value\r\n", VSP_EDATA,
                 "bad.csv:1: the header is not that of a figures.csv");
    expect_error(H "2026Q3,AL,*,received,1,count,,0,\r\n2026Q3,AL,*,assessed,1,count,,0\r\n",
                 VSP_EDATA, "bad.csv:3: 8 fields where figures.csv has 9");
    expect_error(H "2026Q3,AL,*,received,\"1,count,,0,\r\n", VSP_EDATA,
                 "bad.csv:2: unterminated quoted field");
    expect_error(H "2026Q3,AL,*,recieved,1,count,,0,\r\n", VSP_EDATA,
                 "bad.csv:2: measure 'recieved' is not in the codebook");
    expect_error(H "2026Q3,AL,*,received,1,count,,yes,\r\n", VSP_EDATA,
                 "bad.csv:2: provisional is 'yes'");
    expect_error(H "2026Q3,AL,*,received,1,count,,0,\r\n2026Q3,AL,*,received,2,count,,0,\r\n",
                 VSP_EDATA, "the figure 2026Q3,AL,*,received is there twice");
    /* a quoted line end counts as a line */
    expect_error(H "2026Q3,AL,*,received,\"1\n2\",count,,0,\r\nx\r\n", VSP_EDATA,
                 "bad.csv:4: 1 fields");
    expect_error("", VSP_EDATA, "bad.csv:1: the header");
    vsp_error err;
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    CHECK(vsp_figures_read(missing, &err) == NULL);
    CHECK_INT(err.status, VSP_ENOINPUT);
}

int main(void)
{
    const char *tmp = getenv("VSP_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/test_figures", tmp ? tmp : "/tmp");
    mkdir(tmp ? tmp : "/tmp", 0700);
    mkdir(dir, 0700);
    RUN(test_format);
    RUN(test_table);
    RUN(test_read);
    RUN(test_errors);
    return harness_done();
}
