/* fuzz_pdf_xref.c — libFuzzer target over the first step of the PDF
 * post-processor (reports/pdf_post.c, read_xref): startxref, the xref
 * subsections and entries, the trailer and its /Root, read from any bytes.
 * Every run must end in VSP_OK or a clean VSP_ESOFTWARE with a message,
 * never a crash, a read outside the input, a leak or undefined behaviour.
 *
 * The seeds in tests/fuzz/corpus/pdf_xref/ are a cross-reference table as
 * cairo writes it and ways of breaking it (made by
 * tests/fuzz/make_pdf_xref_seeds.py); the same function replays the corpus
 * as a regression test (tests/fuzz/replay.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/pdf_post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes, so that ASan sees any read past it */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    vsp_error err = {0};
    size_t n = 12345;
    vsp_status st = vsp_pdf_read_xref(copy, size, &n, &err);
    if (st == VSP_OK) {
        /* a table of at least the catalog's object; no more entries than
         * the input could hold (18 bytes an entry at the least) */
        if (n < 1 || n > 10000000)
            abort();
    } else if (st != VSP_ESOFTWARE || !err.msg[0] || n != 0) {
        abort();
    }
    free(copy);
    return 0;
}
