/* test_xlsx_stream.c — rows written through reports/xlsx_stream.h unzip to
 * exactly the XML libxlsxwriter writes for the same cells.
 *
 * The oracle is libxlsxwriter itself: one function writes a workbook —
 * a header row, styles, column widths and a column format, panes,
 * autofilters, two streamed sheets ("Cases" and "Cases (2)": a sheet
 * boundary) and a small sheet after them — and sends the data rows either
 * to worksheet_write_string / worksheet_write_number or to the stream.
 * Python's zipfile unzips both workbooks and compares every part
 * (tests/check_xlsx_parts.py).  The cells cover what the writer has to get
 * right: & < > " ' and non-ASCII text, every control character
 * (_xHHHH_), leading and trailing white space (xml:space), text that
 * looks like an escape ("_x0041_"), empty text (no cell) and empty text
 * with a format (a blank cell), numbers whole and not, negative, -0, huge
 * and tiny (%.16G), columns past Z and past the writer's name table,
 * columns out of order and a cell written twice, skipped rows, a format
 * first used on a sheet's last row (its style index is only given when
 * workbook_close writes that sheet), and the errors libxlsxwriter gives
 * (a row before the current one, text over 32 767 characters) — the
 * codes compared call by call.  Sheet 1 holds 20 000 generated rows (a few
 * MB of XML: many deflate blocks, with 1 and with 4 workers); once more
 * with the archive in Zip64 form. */
#include "harness.h"

#include "reports/xlsx_deflate.h"
#include "reports/xlsx_stream.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define ROWS 20000

static char tmpdir[1024];

/* Where a workbook's data rows go: libxlsxwriter (s NULL) or the stream. */
typedef struct sink {
    vsp_xlsx_stream *s;
    int calls;
    lxw_error codes[64]; /* the first error-path answers, compared */
    int n_codes;
} sink;

static lxw_error put_str(sink *k, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *t,
                         lxw_format *f)
{
    k->calls++;
    return k->s ? vsp_xlsx_stream_string(k->s, r, c, t, f) : worksheet_write_string(ws, r, c, t, f);
}

static lxw_error put_num(sink *k, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                         lxw_format *f)
{
    k->calls++;
    return k->s ? vsp_xlsx_stream_number(k->s, r, c, v, f) : worksheet_write_number(ws, r, c, v, f);
}

static void code(sink *k, lxw_error e)
{
    if (k->n_codes < 64)
        k->codes[k->n_codes++] = e;
}

static const char *const header[] = {"case", "country", "text", "from", "hours", "note"};

static lxw_worksheet *cases_sheet(lxw_workbook *wb, const char *name, lxw_format *head,
                                  lxw_format *colfmt)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    for (lxw_col_t j = 0; j < 6; j++) {
        worksheet_set_column(ws, j, j, 12 + j, j == 5 ? colfmt : NULL);
        worksheet_write_string(ws, 0, j, header[j], head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

/* Write dir/name.xlsx; stream_workers < 0: rows through libxlsxwriter;
 * zip64: the archive in Zip64 form (as the export writes past two
 * million rows). */
static bool write_book(const char *name, int stream_workers, bool zip64, sink *k)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.xlsx", tmpdir, name);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir,
                              .use_zip64 = zip64 ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    if (!wb)
        return false;
    char title[] = "Stream test";
    lxw_doc_properties props = {.title = title, .created = 1796000000};
    workbook_set_properties(wb, &props);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *whole = workbook_add_format(wb);
    format_set_num_format(whole, "0");
    lxw_format *colfmt = workbook_add_format(wb);
    format_set_italic(colfmt);
    lxw_format *late = workbook_add_format(wb); /* first used on sheet 1's last row */
    format_set_font_color(late, 0x996600);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);

    memset(k, 0, sizeof *k);
    if (stream_workers >= 0) {
        vsp_error err;
        k->s = vsp_xlsx_stream_new(1, stream_workers, &err);
        CHECK(k->s != NULL);
        if (!k->s)
            return false;
    }

    /* sheet 1: generated rows, then the awkward cells */
    lxw_worksheet *ws = cases_sheet(wb, "Cases", head, colfmt);
    if (k->s)
        CHECK_INT(vsp_xlsx_stream_sheet(k->s, ws, 1), LXW_NO_ERROR);
    static const char *const countries[] = {"AL", "BA", "ME", "MK", "RS", "XK"};
    static const char *const texts[] = {
        "removed", "geo_blocked", "a&b<c>d\"e'f", "Ћирилица ünï 😀", " lead", "trail ",
        "\ttab", "line\nbreak", "_x0041_", "", "*", "x\x7fy", "cr\r", "\r", "&&&", "<>",
    };
    char id[64];
    lxw_row_t r = 1;
    for (int i = 0; i < ROWS; i++, r++) {
        uint32_t h = (uint32_t)i * 2654435761u;
        snprintf(id, sizeof id, "c%08x%08x", h, h ^ 0x5bd1e995u);
        put_str(k, ws, r, 0, id, NULL);
        put_str(k, ws, r, 1, countries[h % 6], NULL);
        put_str(k, ws, r, 2, texts[(h >> 8) % 16], NULL);
        put_num(k, ws, r, 3, 46204 + (double)(h % 92), date);
        if (h % 7)
            put_num(k, ws, r, 4, (double)(h % 5000), whole);
        if (h % 3 == 0)
            put_str(k, ws, r, 5, "note", NULL); /* the column's format */
        if (i % 1000 == 999)
            r += 3; /* rows without cells */
    }
    /* every control character, and some numbers */
    char t[8];
    for (int c = 1; c < 0x20; c++, r++) {
        snprintf(t, sizeof t, "a%cz", c);
        put_str(k, ws, r, 0, t, NULL);
        put_str(k, ws, r, 1, (char[]){(char)c, 0}, NULL);
    }
    static const double nums[] = {0.1, 1e15, 999999999999999.0, 1e16, 1e20, -5, -0.0,
                                  1.5e-7, 123456789012345678.0, 1e300, 9007199254740993.0,
                                  -999999999999999.0, 2.5, 46204};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++, r++)
        put_num(k, ws, r, 4, nums[i], i % 2 ? whole : NULL);
    /* columns past Z and past 256, out of order, a cell twice, a blank */
    put_str(k, ws, r, 27, "AB", NULL);
    put_str(k, ws, r, 3, "D", NULL);
    put_num(k, ws, r, 300, 300, NULL);
    put_str(k, ws, r, 3, "D again", wrap);
    put_str(k, ws, r, 16383, "XFD", NULL);
    put_str(k, ws, r, 1, "", date); /* blank with a format */
    put_str(k, ws, r, 2, "", NULL); /* nothing */
    put_str(k, ws, r, 0, NULL, NULL);
    r++;
    /* errors, answered the same way */
    code(k, put_str(k, ws, r - 2, 0, "too late", NULL));
    code(k, put_num(k, ws, LXW_ROW_MAX, 0, 1, NULL));
    code(k, put_num(k, ws, r, LXW_COL_MAX, 1, NULL));
    char *big = malloc(32769);
    memset(big, 'x', 32768);
    big[32768] = '\0';
    code(k, put_str(k, ws, r, 0, big, NULL));
    big[32767] = '\0';
    code(k, put_str(k, ws, r, 1, big, NULL)); /* exactly the limit */
    free(big);
    code(k, put_str(k, ws, r + 1, 0, "last row", NULL));
    code(k, put_num(k, ws, r + 1, 4, 42, late));
    worksheet_autofilter(ws, 0, 0, r + 1, 5);

    /* sheet 2: a few rows; sheet 3 through libxlsxwriter alone */
    ws = cases_sheet(wb, "Cases (2)", head, colfmt);
    if (k->s)
        CHECK_INT(vsp_xlsx_stream_sheet(k->s, ws, 1), LXW_NO_ERROR);
    for (lxw_row_t i = 1; i <= 5; i++) {
        put_str(k, ws, i, 0, "second sheet", NULL);
        put_num(k, ws, i, 3, 46300 + (double)i, date);
    }
    worksheet_autofilter(ws, 0, 0, 5, 5);
    lxw_worksheet *about = workbook_add_worksheet(wb, "About");
    worksheet_write_string(about, 0, 0, "Synthetic data for the stream test", wrap);
    worksheet_write_number(about, 1, 0, 7, whole);

    lxw_error e = k->s ? vsp_xlsx_stream_close(k->s, wb, stream_workers) : workbook_close(wb);
    CHECK_INT(e, LXW_NO_ERROR);
    vsp_xlsx_stream_free(k->s);
    k->s = NULL;
    return e == LXW_NO_ERROR;
}

static int compare_parts(const char *a, const char *b)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s/tests/check_xlsx_parts.py' '%s/%s.xlsx' '%s/%s.xlsx'",
             VSP_SOURCE_DIR, tmpdir, a, tmpdir, b);
    int rc = system(cmd);
    return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

static void test_same_parts(void)
{
    if (!vsp_xlsx_block_deflate_available()) {
        vsp_error err;
        CHECK(vsp_xlsx_stream_new(1, 1, &err) == NULL); /* and the export writes as before */
        fprintf(stderr, "block deflate not available: the stream is not used\n");
        return;
    }
    sink lib, s1, s4, lib64, s64;
    CHECK(write_book("lib", -1, false, &lib));
    CHECK(write_book("stream1", 1, false, &s1));
    CHECK(write_book("stream4", 4, false, &s4));
    CHECK(write_book("lib-zip64", -1, true, &lib64));
    CHECK(write_book("stream-zip64", 2, true, &s64));
    CHECK_INT(compare_parts("lib", "stream1"), 0);
    CHECK_INT(compare_parts("lib", "stream4"), 0);
    CHECK_INT(compare_parts("lib-zip64", "stream-zip64"), 0);
    CHECK_INT(compare_parts("lib", "lib-zip64"), 0);
    /* the same answers to the same calls, errors included */
    CHECK_INT(s1.calls, lib.calls);
    CHECK_INT(s1.n_codes, lib.n_codes);
    for (int i = 0; i < lib.n_codes && i < s1.n_codes; i++)
        CHECK_INT(s1.codes[i], lib.codes[i]);
    CHECK_INT(lib.codes[0], LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE); /* and they are errors */
    CHECK_INT(lib.codes[3], LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED);
    /* the bytes depend on the XML only, not on the number of workers */
    size_t n1 = 0, n4 = 0;
    char p1[1200], p4[1200];
    snprintf(p1, sizeof p1, "%s/stream1.xlsx", tmpdir);
    snprintf(p4, sizeof p4, "%s/stream4.xlsx", tmpdir);
    char *b1 = harness_read_file(p1, &n1), *b4 = harness_read_file(p4, &n4);
    CHECK(b1 && b4 && n1 == n4 && memcmp(b1, b4, n1) == 0);
    free(b1);
    free(b4);
}

/* The comparison can fail: one cell changed in the stream's workbook. */
static void test_comparison_sees_a_change(void)
{
    if (!vsp_xlsx_block_deflate_available())
        return;
    char path[1200];
    snprintf(path, sizeof path, "%s/changed.xlsx", tmpdir);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Cases");
    vsp_error err;
    vsp_xlsx_stream *s = vsp_xlsx_stream_new(1, 0, &err);
    CHECK(s && vsp_xlsx_stream_sheet(s, ws, 0) == LXW_NO_ERROR);
    vsp_xlsx_stream_string(s, 0, 0, "a&b", NULL);
    vsp_xlsx_stream_number(s, 1, 0, 2, NULL);
    CHECK_INT(vsp_xlsx_stream_close(s, wb, 0), LXW_NO_ERROR);
    vsp_xlsx_stream_free(s);
    snprintf(path, sizeof path, "%s/changed-lib.xlsx", tmpdir);
    wb = workbook_new_opt(path, &o);
    ws = workbook_add_worksheet(wb, "Cases");
    worksheet_write_string(ws, 0, 0, "a&b", NULL);
    worksheet_write_number(ws, 1, 0, 3, NULL);
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
    CHECK_INT(compare_parts("changed-lib", "changed"), 1);
}

/* What the stream refuses: a sheet not in constant-memory mode, a sheet
 * twice, cells before any sheet. */
static void test_refusals(void)
{
    if (!vsp_xlsx_block_deflate_available())
        return;
    char path[1200];
    snprintf(path, sizeof path, "%s/refused.xlsx", tmpdir);
    lxw_workbook *wb = workbook_new(path); /* not constant memory */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Cases");
    vsp_error err;
    vsp_xlsx_stream *s = vsp_xlsx_stream_new(1, 0, &err);
    CHECK(s != NULL);
    CHECK_INT(vsp_xlsx_stream_string(s, 1, 0, "x", NULL), LXW_ERROR_NULL_PARAMETER_IGNORED);
    CHECK_INT(vsp_xlsx_stream_sheet(s, ws, 1), LXW_ERROR_FEATURE_NOT_SUPPORTED);
    CHECK_INT(vsp_xlsx_stream_close(s, wb, 0), LXW_NO_ERROR); /* nothing streamed */
    vsp_xlsx_stream_free(s);

    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    wb = workbook_new_opt(path, &o);
    ws = workbook_add_worksheet(wb, "Cases");
    s = vsp_xlsx_stream_new(1, 0, &err);
    CHECK_INT(vsp_xlsx_stream_sheet(s, ws, 1), LXW_NO_ERROR);
    CHECK_INT(vsp_xlsx_stream_number(s, 0, 0, 1, NULL), LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
    CHECK_INT(vsp_xlsx_stream_number(s, 1, 0, 1, NULL), LXW_NO_ERROR);
    CHECK_INT(vsp_xlsx_stream_sheet(s, ws, 2), LXW_ERROR_PARAMETER_VALIDATION);
    CHECK_INT(vsp_xlsx_stream_close(s, wb, 0), LXW_NO_ERROR);
    CHECK_INT(vsp_xlsx_stream_errno(s), 0);
    vsp_xlsx_stream_free(s);
}

int main(void)
{
    if (!harness_tmpdir("xlsx_stream", tmpdir, sizeof tmpdir))
        return 1;
    RUN(test_same_parts);
    RUN(test_comparison_sees_a_change);
    RUN(test_refusals);
    return harness_done();
}
