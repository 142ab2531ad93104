/* pdf_post.h — what cairo 1.16 cannot write into a PDF, added afterwards by
 * a small in-memory post-processor (no external tool, deterministic):
 *
 *   - /Lang on the document catalog (the document language, BCP 47);
 *   - /ViewerPreferences << /DisplayDocTitle true >> and /PageMode
 *     /UseOutlines (viewers show the title and open the bookmarks);
 *   - /Alt (alternative text) on every Figure structure element, in
 *     document order;
 *   - /A << /O /Table /Scope /Column >> on every TH structure element;
 *   - PDF/UA identification: an XMP metadata stream (dc:title, dc:language,
 *     pdfuaid:part 1) referenced by the catalog's /Metadata, a new object
 *     after the others (the trailer's /Size follows);
 *   - /Tabs /S on every page that has annotations (links), so that the tab
 *     order follows the structure;
 *   - running headers, footers, rules and backgrounds — whatever cairo drew
 *     outside a structure element — wrapped as /Artifact marked content in
 *     each page's content stream (inflated, rewritten, deflated again and
 *     written as a new object body; a page whose stream holds anything
 *     unexpected is left as it was).
 *
 * How, in three steps (read_xref, plan_insertions, write_patched in
 * pdf_post.c): cairo writes one classic cross-reference table and every structure
 * element as a plain (unstreamed) dictionary, numbered in the order the
 * tags were opened.  The post-processor reads the xref table, finds the
 * catalog (trailer /Root) and the StructElem objects, inserts the new
 * entries just before each dictionary's closing ">>", shifts every later
 * offset and writes a fresh xref table and startxref.  Anything it does
 * not recognise (an xref stream, an incremental update, a count of
 * figures that does not match) is VSP_ESOFTWARE rather than a guess. */
#ifndef VSP_PDF_POST_H
#define VSP_PDF_POST_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/error.h"
#include "pipeline/util.h"

typedef struct vsp_pdf_post {
    const char *lang;               /* BCP 47, e.g. "sr-Cyrl"; NULL: none */
    const char *const *figure_alt;  /* UTF-8 alternative texts, document order */
    size_t n_figures;               /* must equal the Figure elements found */
    const char *title;              /* UTF-8, for the XMP dc:title; NULL: no XMP */
    bool artifacts;                 /* untagged page content marked /Artifact */
} vsp_pdf_post;

/* Rewrite the PDF in pdf (len bytes) into out (cleared first). */
vsp_status vsp_pdf_post_process(const unsigned char *pdf, size_t len, const vsp_pdf_post *opts,
                                vsp_buf *out, vsp_error *err);

/* The first step of vsp_pdf_post_process on its own, for tests and the
 * fuzzer (tests/fuzz/fuzz_pdf_xref.c): read the PDF's cross-reference
 * table, trailer and /Root.  VSP_OK with the number of objects the table
 * covers in *n_objects (may be NULL), or VSP_ESOFTWARE saying what is
 * missing or malformed.  Never reads outside pdf[0..len). */
vsp_status vsp_pdf_read_xref(const unsigned char *pdf, size_t len, size_t *n_objects,
                             vsp_error *err);

/* A UTF-8 string as a PDF text string: "<FEFF...>" (UTF-16BE, hex) into
 * out (appended).  Invalid UTF-8 bytes become U+FFFD. */
void vsp_pdf_text_string(vsp_buf *out, const char *utf8);

#endif
