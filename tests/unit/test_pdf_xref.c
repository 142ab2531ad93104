/* test_pdf_xref.c — the first step of the PDF post-processor on its own
 * (vsp_pdf_read_xref), on the fuzz seeds of tests/fuzz/corpus/pdf_xref/
 * (made by tests/fuzz/make_pdf_xref_seeds.py, whose offsets are computed
 * by Python, not by this code): each seed's outcome, worked out from how
 * it was made. */
#include "harness.h"

#include "reports/pdf_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* want_objects 0: an error whose message holds want_msg. */
static void expect(const char *seed, size_t want_objects, const char *want_msg)
{
    size_t len = 0, n = 99;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/pdf_xref/%s", VSP_SOURCE_DIR, seed);
    unsigned char *pdf = (unsigned char *)harness_read_file(path, &len);
    CHECK(pdf != NULL);
    if (!pdf)
        return;
    vsp_error err = {0};
    vsp_status st = vsp_pdf_read_xref(pdf, len, &n, &err);
    if (want_objects) {
        CHECK_INT(st, VSP_OK);
        CHECK_INT(n, want_objects);
    } else {
        CHECK_INT(st, VSP_ESOFTWARE);
        CHECK_INT(n, 0);
        if (!strstr(err.msg, want_msg))
            fprintf(stderr, "%s: message '%s' lacks '%s'\n", seed, err.msg, want_msg);
        CHECK(strstr(err.msg, want_msg) != NULL);
    }
    free(pdf);
}

static void test_seeds(void)
{
    /* the catalog, pages, page, structure root and a figure: objects 0..5 */
    expect("valid", 6, NULL);
    expect("valid-crlf", 6, NULL);
    expect("two-subsections", 6, NULL);
    const char *no_table = "no classic cross-reference table";
    expect("empty", 0, no_table);
    expect("no-startxref", 0, no_table);
    expect("startxref-past-table", 0, no_table);
    expect("startxref-huge", 0, no_table);
    expect("truncated", 0, no_table);
    expect("bad-subsection", 0, "bad xref subsection");
    expect("huge-count", 0, "bad xref subsection");
    expect("short-entry", 0, "bad xref entry 3");
    expect("no-trailer", 0, "no trailer after the xref table");
    expect("prev", 0, "incremental updates are not supported");
    expect("xrefstm", 0, "incremental updates are not supported");
    expect("no-root", 0, "no /Root in the trailer");
    expect("root-out-of-range", 0, "no /Root in the trailer");
    expect("free-root", 0, "no /Root in the trailer");
}

int main(void)
{
    RUN(test_seeds);
    return harness_done();
}
