/* test_xlsx_deflate.c — block deflate (reports/xlsx_deflate.h) changes how
 * a workbook's parts are compressed, never what they hold.
 *
 * One workbook — a constant-memory sheet of 40 000 rows (about 5 MB of
 * XML, twenty blocks, more than the ring of four workers holds at once),
 * a small sheet and the shared parts (one block each) — is written with
 * block deflate off, with 1 worker and with 4.  Python's zipfile (zlib's
 * inflate) unzips the three and compares every part (tests/
 * check_xlsx_parts.py); a fourth workbook with one cell changed proves
 * that comparison can fail.  Where block deflate is built, the archives
 * written with 1 and 4 workers are the same bytes, and differ from
 * libxlsxwriter's own (so the feature did run). */
#include "harness.h"

#include "reports/xlsx_deflate.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

#include <xlsxwriter.h>
#include <zlib.h>

#define ROWS 40000

static char tmpdir[1024];

/* Write the workbook to dir/name.xlsx; workers < 0: block deflate off.
 * `changed` alters one cell.  False if libxlsxwriter fails. */
static bool write_book(const char *name, int workers, bool changed)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.xlsx", tmpdir, name);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    if (!wb)
        return false;
    char title[] = "Block deflate";
    lxw_doc_properties props = {.title = title, .created = 1796000000};
    workbook_set_properties(wb, &props);
    lxw_worksheet *big = workbook_add_worksheet(wb, "Cases");
    lxw_worksheet *small = workbook_add_worksheet(wb, "About");
    char text[96];
    for (lxw_row_t r = 0; r < ROWS; r++) {
        /* text that varies, so the XML does not shrink to nothing */
        snprintf(text, sizeof text, "case-%05u %s %x", (unsigned)r,
                 r % 3 ? "geo_blocked" : "removed", (unsigned)(r * 2654435761u));
        worksheet_write_string(big, r, 0, text, NULL);
        worksheet_write_number(big, r, 1, (double)r * 0.25, NULL);
        worksheet_write_number(big, r, 2, changed && r == ROWS / 2 ? -1.0 : (double)(r % 97),
                               NULL);
        worksheet_write_string(big, r, 3, r % 2 ? "AL" : "Kosovo*", NULL);
    }
    worksheet_write_string(small, 0, 0, "Synthetic data for the block-deflate test", NULL);
    bool blocks = workers >= 0 && vsp_xlsx_block_deflate_begin(workers);
    if (workers >= 0)
        CHECK(blocks == vsp_xlsx_block_deflate_built());
    lxw_error e = workbook_close(wb);
    if (blocks)
        vsp_xlsx_block_deflate_end();
    CHECK_INT(e, LXW_NO_ERROR);
    return e == LXW_NO_ERROR;
}

/* The bytes of dir/name.xlsx. */
static char *book(const char *name, size_t *len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.xlsx", tmpdir, name);
    return harness_read_file(path, len);
}

static int compare_parts(const char *a, const char *b, const char *c)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s/tests/check_xlsx_parts.py' '%s/%s.xlsx' '%s/%s.xlsx'%s%s%s%s%s",
             VSP_SOURCE_DIR, tmpdir, a, tmpdir, b, c ? " '" : "", c ? tmpdir : "",
             c ? "/" : "", c ? c : "", c ? ".xlsx'" : "");
    int rc = system(cmd);
    return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

static void test_same_parts(void)
{
    CHECK(write_book("off", -1, false));
    CHECK(write_book("w1", 1, false));
    CHECK(write_book("w4", 4, false));
    CHECK(write_book("w4-changed", 4, true));

    /* every part the same, unzipped by another tool */
    CHECK_INT(compare_parts("off", "w1", "w4"), 0);
    /* ... and the comparison sees a change of one cell */
    CHECK_INT(compare_parts("off", "w4-changed", NULL), 1);

    size_t n_off = 0, n1 = 0, n4 = 0;
    char *off = book("off", &n_off), *w1 = book("w1", &n1), *w4 = book("w4", &n4);
    CHECK(off && w1 && w4);
    if (off && w1 && w4) {
        /* the bytes depend on the XML only, not on the number of workers */
        CHECK(n1 == n4 && memcmp(w1, w4, n1) == 0);
        if (vsp_xlsx_block_deflate_built())
            CHECK(n_off != n1 || memcmp(off, w1, n1) != 0); /* it did run */
        else
            CHECK(n_off == n1 && memcmp(off, w1, n1) == 0);
        /* about as small as libxlsxwriter's own: within 2 % */
        CHECK(n1 < n_off + n_off / 50);
        fprintf(stderr, "block deflate %s: %zu bytes off, %zu with blocks\n",
                vsp_xlsx_block_deflate_built() ? "built" : "not built", n_off, n1);
    }
    free(off);
    free(w1);
    free(w4);
}

/* ---- the block engine itself, at level 1 (igzip where built) and 6 ---- */

typedef struct sink_buf {
    unsigned char *p;
    size_t len, cap;
} sink_buf;

static bool to_buf(void *ctx, const void *buf, size_t len)
{
    sink_buf *b = ctx;
    if (!len)
        return true;
    if (b->cap - b->len < len) {
        b->cap = 2 * (b->len + len);
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            return false;
    }
    memcpy(b->p + b->len, buf, len);
    b->len += len;
    return true;
}

/* Raw inflate of in into out (out_len bytes expected); 0 on success. */
static int inflate_all(const unsigned char *in, size_t in_len, unsigned char *out,
                       size_t out_len, size_t *got)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return -1;
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (uInt)in_len;
    z.next_out = out;
    z.avail_out = (uInt)out_len + 1;
    int rc = inflate(&z, Z_FINISH);
    *got = out_len + 1 - z.avail_out;
    inflateEnd(&z);
    return rc == Z_STREAM_END && z.avail_in == 0 ? 0 : rc;
}

/* XML-like rows, then a stretch of bytes that do not compress (stored
 * blocks: more out than in), then rows again; about 2.3 MB, nine blocks. */
static unsigned char *sample(size_t *len)
{
    size_t cap = 2400000, n = 0;
    unsigned char *p = malloc(cap + 256);
    uint32_t x = 2463534242u;
    for (unsigned r = 0; n < cap; r++) {
        if (n > 900000 && n < 1300000) { /* xorshift noise */
            for (int k = 0; k < 64; k++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                p[n++] = (unsigned char)x;
            }
            continue;
        }
        n += (size_t)snprintf((char *)p + n, 200,
                              "<row r=\"%u\"><c r=\"A%u\" t=\"inlineStr\"><is><t>%s-%x</t></is>"
                              "</c><c r=\"B%u\"><v>%u</v></c></row>",
                              r + 2, r + 2, r % 3 ? "geo_blocked" : "removed", r * 2654435761u,
                              r + 2, r % 97);
    }
    *len = n;
    return p;
}

/* Each level, primed or not, on the caller alone and with 1 and 4
 * workers: zlib's inflate gives back every byte, the stream's CRC is
 * zlib's crc32 of them, a non-final flush in the middle keeps the stream
 * going, and the bytes do not depend on the number of workers. */
static void test_engine(void)
{
    size_t n = 0;
    unsigned char *in = sample(&n);
    unsigned char *back = malloc(n + 1);
    uLong want_crc = crc32(0L, in, (uInt)n);
    const int levels[] = {1, 6};
    for (size_t li = 0; li < 2; li++)
        for (int primed = 0; primed < 2; primed++) {
            sink_buf first = {0};
            const int workers[] = {0, 1, 4};
            for (size_t wi = 0; wi < 3; wi++) {
                sink_buf out = {0};
                vsp_deflate *d = vsp_deflate_new(levels[li], workers[wi], primed, to_buf, &out);
                /* written in uneven pieces, flushed once in the middle */
                size_t at = 0, step = 70001;
                bool ok = true;
                while (ok && at < n) {
                    size_t k = n - at < step ? n - at : step;
                    ok = vsp_deflate_write(d, in + at, k);
                    at += k;
                    if (at > n / 2 && at - k <= n / 2)
                        ok = ok && vsp_deflate_flush(d, false);
                }
                CHECK(ok && vsp_deflate_flush(d, true));
                CHECK(vsp_deflate_total(d) == n);
                CHECK(vsp_deflate_crc(d) == (uint32_t)want_crc);
                vsp_deflate_free(d);
                size_t got = 0;
                memset(back, 0, n + 1);
                CHECK_INT(inflate_all(out.p, out.len, back, n, &got), 0);
                CHECK(got == n && memcmp(back, in, n) == 0);
                if (wi == 0) {
                    first = out;
                    fprintf(stderr, "level %d%s%s: %zu -> %zu bytes\n", levels[li],
                            primed ? ", primed" : "",
                            levels[li] == 1 && vsp_deflate_isal_built() ? " (igzip)" : "", n,
                            out.len);
                } else {
                    CHECK(out.len == first.len && memcmp(out.p, first.p, out.len) == 0);
                    free(out.p);
                }
            }
            free(first.p);
        }
    free(in);
    free(back);
}

int main(void)
{
    if (!harness_tmpdir("xlsx_deflate", tmpdir, sizeof tmpdir))
        return 1;
    RUN(test_same_parts);
    RUN(test_engine);
    return harness_done();
}
