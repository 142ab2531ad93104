/* test_document.c — the page model: pagination (headings kept with what
 * follows, tables split with repeated headers, paragraphs split between
 * lines), navigation (named destinations, outline), the post-processed
 * PDF (valid xref offsets, /Lang, /Alt), reproducibility and the atomic
 * write.  Expectations are worked out from the geometry in the comments,
 * not by calling the code under test twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "pipeline/util.h"
#include "reports/document.h"
#include "reports/pdf_post.h"

static char tmpdir[512];

static const char *tmp_path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static size_t count_of(const unsigned char *hay, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(hay + i, needle, k) == 0)
            n++;
    return n;
}

/* Every in-use xref entry points at "<num> <gen> obj". */
static int xref_ok(unsigned char *pdf, size_t len)
{
    const char *sx = NULL;
    for (size_t i = len - 9; i > 0; i--)
        if (memcmp(pdf + i, "startxref", 9) == 0) {
            sx = (const char *)pdf + i;
            break;
        }
    if (!sx)
        return 0;
    long xoff = strtol(sx + 9, NULL, 10);
    char *p = (char *)pdf + xoff;
    if (strncmp(p, "xref", 4) != 0)
        return 0;
    p += 5;
    long first = strtol(p, &p, 10);
    long count = strtol(p, &p, 10);
    while (*p == '\n' || *p == '\r' || *p == ' ')
        p++;
    for (long k = 0; k < count; k++, p += 20) {
        long off = strtol(p, NULL, 10);
        if (p[17] != 'n')
            continue;
        char want[32];
        snprintf(want, sizeof want, "%ld 0 obj", first + k);
        if (off < 0 || (size_t)off >= len || strncmp((const char *)pdf + off, want, strlen(want)))
            return 0;
    }
    return 1;
}

typedef struct box_ctx {
    int calls;
} box_ctx;

static vsp_status draw_box(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                           void *ctx, vsp_error *err)
{
    (void)d;
    (void)err;
    ((box_ctx *)ctx)->calls++;
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.7);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    return VSP_OK;
}

static vsp_status draw_cover(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                             void *ctx, vsp_error *err)
{
    (void)ctx;
    (void)err;
    (void)h;
    vsp_doc_font f = {28, true, false, 0, VSP_DOC_LEFT, 1.1};
    vsp_doc_draw_text(d, cr, x + 60, y + 200, w - 120, "Cover title", &f, "H1");
    return VSP_OK;
}

static vsp_doc *sample_doc(box_ctx *bc, vsp_doc_table **out_table)
{
    vsp_doc_info info = {0};
    info.lang = "sr";
    info.pdf_lang = "sr-Cyrl";
    info.title = "Извештај о транспарентности";
    info.header_right = "Q3 2026";
    info.author = "REM";
    info.creator = "vspreport test";
    info.create_date = "2026-10-15T00:00:00Z";
    info.page_label = "Страна {n} од {total}";
    info.continued = "(наставак)";
    info.number_headings = true;
    vsp_doc *d = vsp_doc_new(VSP_PAPER_A4, &info);
    vsp_doc_custom_page(d, draw_cover, NULL);
    vsp_doc_heading(d, 1, "Садржај", "toc", VSP_DOC_NEW_PAGE | VSP_DOC_UNNUMBERED |
                                                 VSP_DOC_NOT_IN_TOC);
    vsp_doc_toc(d);
    vsp_doc_heading(d, 1, "Први одељак", "sec-one", VSP_DOC_NEW_PAGE);
    vsp_doc_para(d, VSP_DOC_LEAD, "Ћирилица у пасусу: љ њ џ ђ ћ ж ш ч.");
    vsp_doc_figure(d, 200, draw_box, bc, "Плави правоугаоник", "Слика 1. Правоугаоник.");
    vsp_doc_heading(d, 2, "Табела", "sec-one-table", 0);
    vsp_doc_table *t = vsp_doc_table_add(d, 3, "Табела 1. Бројеви");
    vsp_doc_table_col(t, 0, "Ред", 2, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, "Вредност", 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, "Удео", 1, VSP_DOC_RIGHT);
    for (int r = 0; r < 120; r++) {
        char a[32], b[32], c[32];
        snprintf(a, sizeof a, "ред %d", r + 1);
        snprintf(b, sizeof b, "%d", (r + 1) * 1000);
        snprintf(c, sizeof c, "%d,5%%", r % 100);
        const char *cells[] = {a, b, c};
        vsp_doc_table_row(t, cells, r == 119 ? VSP_DOC_ROW_BOLD : 0);
    }
    *out_table = t;
    vsp_doc_heading(d, 1, "Други одељак", "sec-two", VSP_DOC_NEW_PAGE);
    vsp_buf long_text;
    vsp_buf_init(&long_text);
    for (int i = 0; i < 400; i++)
        vsp_buf_puts(&long_text, "Дугачак пасус који прелази на следећу страну. ");
    vsp_doc_para(d, VSP_DOC_BODY, long_text.data);
    vsp_buf_fini(&long_text);
    vsp_doc_figure(d, 150, draw_box, bc, "Други правоугаоник", NULL);
    return d;
}

static void test_write(void)
{
    box_ctx bc = {0};
    vsp_doc_table *t;
    vsp_doc *d = sample_doc(&bc, &t);
    CHECK_INT(vsp_doc_table_rows(t), 120);
    vsp_error err;
    vsp_error_clear(&err);
    vsp_doc_result res = {0};
    const char *path = tmp_path("doc.pdf");
    CHECK_INT(vsp_doc_write(d, path, &res, &err), VSP_OK);
    if (err.msg[0])
        fprintf(stderr, "%s\n", err.msg);
    CHECK_INT(bc.calls, 2);
    /* cover, contents, section 1 (lead, figure, heading, table start),
     * table pages, section 2: at least 6 pages */
    CHECK(res.pages >= 6);
    CHECK_INT(vsp_doc_heading_page(d, "toc"), 2);
    CHECK_INT(vsp_doc_heading_page(d, "sec-one"), 3);
    CHECK(vsp_doc_heading_page(d, "sec-two") > 4);
    CHECK_INT(vsp_doc_heading_page(d, "nope"), 0);

    size_t len;
    unsigned char *pdf = (unsigned char *)harness_read_file(path, &len);
    CHECK(pdf != NULL);
    if (pdf) {
        CHECK_INT(len, res.bytes);
        CHECK(xref_ok(pdf, len));
        CHECK_INT(count_of(pdf, len, "/Lang (sr-Cyrl)"), 1);
        CHECK_INT(count_of(pdf, len, "/DisplayDocTitle true"), 1);
        CHECK_INT(count_of(pdf, len, "/PageMode /UseOutlines"), 1);
        CHECK_INT(count_of(pdf, len, "/Alt <FEFF"), 2);
        CHECK(count_of(pdf, len, "/Scope /Column") >= 6); /* 3 headers, repeated */
        /* every heading is a named destination; links and outline use names */
        CHECK_INT(count_of(pdf, len, "(sec-one) ["), 1);
        CHECK_INT(count_of(pdf, len, "(sec-two) ["), 1);
        CHECK(count_of(pdf, len, "/Dest (sec-two)") >= 2); /* TOC link + outline */
        CHECK_INT(count_of(pdf, len, "/Type /Outlines"), 1);
        CHECK_INT(count_of(pdf, len, "/CreationDate (20261015000000Z)"), 1);
        CHECK_INT(count_of(pdf, len, "/Type /Page\n") + count_of(pdf, len, "/Type /Page "),
                  (size_t)res.pages);
    }
    vsp_doc_free(d);

    /* the same document again: byte-identical */
    bc.calls = 0;
    d = sample_doc(&bc, &t);
    const char *path2 = tmp_path("doc2.pdf");
    CHECK_INT(vsp_doc_write(d, path2, NULL, &err), VSP_OK);
    size_t len2;
    unsigned char *pdf2 = (unsigned char *)harness_read_file(path2, &len2);
    CHECK(pdf && pdf2 && len == len2 && memcmp(pdf, pdf2, len) == 0);
    free(pdf);
    free(pdf2);
    vsp_doc_free(d);
}

static vsp_status draw_fail(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                            void *ctx, vsp_error *err)
{
    (void)d;
    (void)cr;
    (void)x;
    (void)y;
    (void)w;
    (void)h;
    (void)ctx;
    return vsp_error_set(err, VSP_EDATA, "no data for the chart");
}

static void test_failure_leaves_nothing(void)
{
    vsp_doc_info info = {0};
    info.lang = "en";
    info.title = "Failing";
    vsp_doc *d = vsp_doc_new(VSP_PAPER_LETTER, &info);
    CHECK_DBL(vsp_doc_page_width(d), 612, 1e-9);
    CHECK_DBL(vsp_doc_page_height(d), 792, 1e-9);
    vsp_doc_heading(d, 1, "Only", "only", 0);
    vsp_doc_figure(d, 100, draw_fail, NULL, "alt", NULL);
    vsp_error err;
    vsp_error_clear(&err);
    const char *path = tmp_path("fail.pdf");
    remove(path);
    CHECK_INT(vsp_doc_write(d, path, NULL, &err), VSP_EDATA);
    CHECK_STR(err.msg, "no data for the chart");
    struct stat sb;
    CHECK(stat(path, &sb) != 0);
    vsp_doc_free(d);

    /* an unwritable place: VSP_ECANTCREAT, and nothing left behind */
    d = vsp_doc_new(VSP_PAPER_A4, &info);
    vsp_doc_para(d, VSP_DOC_BODY, "x");
    CHECK_INT(vsp_doc_write(d, tmp_path("no/such/dir/x.pdf"), NULL, &err), VSP_ECANTCREAT);
    vsp_doc_free(d);
}

static void test_keep_with_next(void)
{
    /* A heading whose following paragraph cannot start on the same page
     * moves to the next page: fill a page with a spacer, leaving less
     * room than heading + two lines. */
    vsp_doc_info info = {0};
    info.lang = "en";
    info.title = "Keep";
    vsp_doc *d = vsp_doc_new(VSP_PAPER_A4, &info);
    double room = vsp_doc_text_height(d);
    vsp_doc_para(d, VSP_DOC_BODY, "first");
    vsp_doc_space(d, room - 60); /* about 40 pt left after the first line */
    vsp_doc_heading(d, 2, "Orphan candidate", "h-orphan", 0);
    vsp_doc_para(d, VSP_DOC_BODY,
                 "A paragraph long enough to wrap over several lines of the text block, so "
                 "that its first two lines need more room than is left below the heading on "
                 "the first page. A paragraph long enough to wrap over several lines of the "
                 "text block, so that its first two lines need more room than is left.");
    vsp_error err;
    vsp_error_clear(&err);
    vsp_doc_result res;
    CHECK_INT(vsp_doc_write(d, tmp_path("keep.pdf"), &res, &err), VSP_OK);
    CHECK_INT(vsp_doc_heading_page(d, "h-orphan"), 2);
    CHECK_INT(res.pages, 2);
    vsp_doc_free(d);
}

static void test_text_string(void)
{
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_pdf_text_string(&b, "Až€\xF0\x9F\x98\x80");
    /* A U+0041, ž U+017E, € U+20AC, 😀 U+1F600 = D83D DE00 */
    CHECK_STR(b.data, "<FEFF0041017E20ACD83DDE00>");
    vsp_buf_clear(&b);
    vsp_pdf_text_string(&b, "a\xFF");
    CHECK_STR(b.data, "<FEFF0061FFFD>");
    vsp_buf_fini(&b);

    char *e = vsp_doc_escape("a<b & \"c\">");
    CHECK_STR(e, "a&lt;b &amp; &quot;c&quot;&gt;");
    free(e);
    vsp_paper p;
    CHECK(vsp_paper_from_name("Letter", &p) && p == VSP_PAPER_LETTER);
    CHECK(vsp_paper_from_name("A4", &p) && p == VSP_PAPER_A4);
    CHECK(!vsp_paper_from_name("a5", &p));
}

static void test_post_rejects(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    vsp_error err;
    vsp_error_clear(&err);
    const char *junk = "%PDF-1.5\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n";
    vsp_pdf_post opts = {"en", NULL, 0, NULL, false};
    CHECK_INT(vsp_pdf_post_process((const unsigned char *)junk, strlen(junk), &opts, &out, &err),
              VSP_ESOFTWARE);
    /* a minimal valid file: catalog gets /Lang; a figure count mismatch fails */
    const char *head = "%PDF-1.5\n";
    const char *o1 = "1 0 obj\n<< /Type /Catalog\n   /Pages 2 0 R\n>>\nendobj\n";
    const char *o2 = "2 0 obj\n<< /Type /Pages /Kids [ ] /Count 0 >>\nendobj\n";
    char pdf[1024];
    size_t off1 = strlen(head), off2 = off1 + strlen(o1), xref = off2 + strlen(o2);
    snprintf(pdf, sizeof pdf,
             "%s%s%sxref\n0 3\n0000000000 65535 f \n%010zu 00000 n \n%010zu 00000 n \n"
             "trailer\n<< /Size 3\n   /Root 1 0 R\n>>\nstartxref\n%zu\n%%%%EOF\n",
             head, o1, o2, off1, off2, xref);
    CHECK_INT(vsp_pdf_post_process((const unsigned char *)pdf, strlen(pdf), &opts, &out, &err),
              VSP_OK);
    CHECK(strstr(out.data, "/Lang (en)\n") != NULL);
    CHECK(xref_ok((unsigned char *)out.data, out.len));
    const char *alt[] = {"x"};
    vsp_pdf_post opts2 = {"en", alt, 1, NULL, false};
    CHECK_INT(vsp_pdf_post_process((const unsigned char *)pdf, strlen(pdf), &opts2, &out, &err),
              VSP_ESOFTWARE);
    CHECK(strstr(err.msg, "0 Figure elements") != NULL);
    vsp_buf_fini(&out);
}

int main(void)
{
    if (!harness_tmpdir("document", tmpdir, sizeof tmpdir))
        return 1;
    RUN(test_text_string);
    RUN(test_post_rejects);
    RUN(test_write);
    RUN(test_failure_leaves_nothing);
    RUN(test_keep_with_next);
    /* every document above is freed: the process-wide font state goes too */
    CHECK(vsp_doc_cleanup());
    return harness_done();
}
