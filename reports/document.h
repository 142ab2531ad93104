/* document.h — a small page model for typeset PDF reports, on cairo 1.16
 * and pango 1.50.
 *
 * A document is a flow of blocks — headings, paragraphs, tables, figures,
 * a table of contents, custom blocks and whole custom pages — that
 * vsp_doc_write lays out in two passes:
 *
 *   1. pagination: every block is laid out with Pango (the document's
 *      language set on every layout) and placed on pages: paragraphs split
 *      between lines with at least two lines on either side, tables split
 *      between rows with their header row repeated on the next page,
 *      headings kept with the start of what follows them, figures whole;
 *      this fixes the page of every heading and the page count;
 *   2. rendering: each page gets its running header (title left, a second
 *      text right) and "page X of Y" footer, the table of contents gets
 *      its page numbers, and the blocks are drawn.
 *
 * PDF features, given cairo 1.16's limits:
 *   - headings are named destinations ("sec-..."); table-of-contents
 *     entries and outline (bookmark) entries link to those names, because
 *     cairo 1.16 writes dead links to later pages by page number;
 *   - tagged structure: Document > H1/H2, P, Table (TR, TH, TD), Figure,
 *     TOC (TOCI, Link); cairo 1.16 has no Artifact tag, so running headers
 *     and footers are drawn outside any structure element and marked as
 *     artifacts afterwards (reports/pdf_post.h);
 *   - metadata (title, author, subject, keywords, creator, creation date:
 *     info->create_date, else SOURCE_DATE_EPOCH, else now);
 *   - after cairo has finished, reports/pdf_post.h adds what cairo cannot
 *     write: /Lang, alternative text on every Figure, table header scope,
 *     viewer preferences, XMP metadata with the PDF/UA identification,
 *     /Tabs /S and the artifacts;
 *   - the file is written to a temporary name beside path and renamed into
 *     place only when everything succeeded.
 *
 * Units are PDF points (1/72 inch).  Ownership: the document copies every
 * string it is given; the ctx of a custom block or figure is borrowed and
 * must live until vsp_doc_write returns.  Not thread-safe. */
#ifndef VSP_DOCUMENT_H
#define VSP_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cairo.h>

#include "pipeline/error.h"

typedef struct vsp_doc vsp_doc;

typedef enum vsp_paper { VSP_PAPER_A4, VSP_PAPER_LETTER } vsp_paper;

/* "a4" or "letter" (case-insensitive). */
bool vsp_paper_from_name(const char *name, vsp_paper *out);

typedef enum vsp_doc_align { VSP_DOC_LEFT, VSP_DOC_CENTER, VSP_DOC_RIGHT } vsp_doc_align;

/* Paragraph styles of the flow. */
typedef enum vsp_doc_style {
    VSP_DOC_BODY,   /* 10 pt body text */
    VSP_DOC_LEAD,   /* 11.5 pt opening paragraph of a section */
    VSP_DOC_SMALL,  /* 8.5 pt notes and sources */
    VSP_DOC_MONO    /* 7.5 pt monospace (digests, file names) */
} vsp_doc_style;

typedef struct vsp_doc_info {
    const char *lang;          /* en sq sr sr-Latn mk bs cnr: every layout */
    const char *pdf_lang;      /* BCP 47 tag for /Lang: "sr-Cyrl" ... */
    const char *title;         /* metadata title; running header, left */
    const char *header_right;  /* running header, right (e.g. the period) */
    const char *author, *subject, *keywords, *creator;
    const char *create_date;   /* ISO 8601 "YYYY-MM-DDThh:mm:ssZ" or NULL */
    const char *page_label;    /* "Page {n} of {total}", translated */
    const char *continued;     /* "(continued)", translated */
    bool number_headings;      /* "3", "3.1" before heading text */
} vsp_doc_info;

/* A new, empty document.  Strings of info are copied. */
vsp_doc *vsp_doc_new(vsp_paper paper, const vsp_doc_info *info);
void vsp_doc_free(vsp_doc *d);

/* Page and text-block geometry (points). */
double vsp_doc_page_width(const vsp_doc *d);
double vsp_doc_page_height(const vsp_doc *d);
double vsp_doc_text_width(const vsp_doc *d);
/* Height of the text area of a page between header and footer. */
double vsp_doc_text_height(const vsp_doc *d);

/* ---- text for custom drawing --------------------------------------- */

typedef struct vsp_doc_font {
    double size;          /* points */
    bool bold;
    bool mono;
    uint32_t color;       /* 0xRRGGBBAA; 0 = the document's ink */
    vsp_doc_align align;
    double line_spacing;  /* factor; 0 = 1.2 */
} vsp_doc_font;

/* Height of text set in font and wrapped at width. */
double vsp_doc_measure(vsp_doc *d, const char *text, const vsp_doc_font *font, double width);
/* Draw text with its top-left at (x, y), wrapped at width, inside the
 * structure element tag ("P", "H1", ... or NULL for none).  Returns the
 * height used. */
double vsp_doc_draw_text(vsp_doc *d, cairo_t *cr, double x, double y, double width,
                         const char *text, const vsp_doc_font *font, const char *tag);

/* ---- the flow ------------------------------------------------------ */

/* A heading of level 1, 2 or 3.  Levels 1 and 2 go into the outline and
 * (unless VSP_DOC_NOT_IN_TOC) the table of contents.  id: ASCII letters,
 * digits, '-' and '_' only — the named destination; NULL makes one up. */
#define VSP_DOC_NEW_PAGE 1u    /* start on a new page */
#define VSP_DOC_UNNUMBERED 2u  /* no "3.1" even with number_headings */
#define VSP_DOC_NOT_IN_TOC 4u  /* outline only */
void vsp_doc_heading(vsp_doc *d, int level, const char *text, const char *id, unsigned flags);
/* A paragraph of plain text (no markup). */
void vsp_doc_para(vsp_doc *d, vsp_doc_style style, const char *text);
/* A paragraph of Pango markup (<b>, <i>, <span>); the caller escapes
 * data with vsp_doc_escape. */
void vsp_doc_markup(vsp_doc *d, vsp_doc_style style, const char *markup);
/* text with & < > ' " escaped for markup; caller frees. */
char *vsp_doc_escape(const char *text);
/* A bulleted list item (plain text, may hold a bold lead-in marked by
 * markup when markup is true). */
void vsp_doc_bullet(vsp_doc *d, const char *text, bool markup);
/* Vertical space; a page break; the table of contents (its heading is
 * added by the caller). */
void vsp_doc_space(vsp_doc *d, double points);
void vsp_doc_page_break(vsp_doc *d);
void vsp_doc_toc(vsp_doc *d);

/* Drawing callback of figures, custom blocks and custom pages: draw into
 * the box (x, y, w, h) of cr.  Returns a status; err filled on failure. */
typedef vsp_status (*vsp_doc_draw_fn)(vsp_doc *d, cairo_t *cr, double x, double y, double w,
                                      double h, void *ctx, vsp_error *err);

/* A figure of the given height across the text width, drawn as vectors by
 * fn inside a Figure structure element whose alternative text is alt,
 * followed by a caption paragraph (may be NULL).  Never split; where the
 * page has a little less room left than height, it is drawn shorter (down
 * to VSP_DOC_FIGURE_SQUEEZE x height) to fill the page instead of leaving
 * the space empty, so fn must draw into any box of that range. */
#define VSP_DOC_FIGURE_SQUEEZE 0.8
void vsp_doc_figure(vsp_doc *d, double height, vsp_doc_draw_fn fn, void *ctx, const char *alt,
                    const char *caption);
/* A block of the given height drawn by fn (which tags its own content). */
void vsp_doc_custom(vsp_doc *d, double height, vsp_doc_draw_fn fn, void *ctx);
/* A whole page drawn by fn (box = the full page), without running header
 * or footer; the flow continues on the next page. */
void vsp_doc_custom_page(vsp_doc *d, vsp_doc_draw_fn fn, void *ctx);

/* ---- tables -------------------------------------------------------- */

typedef struct vsp_doc_table vsp_doc_table;

/* A table of n_cols columns with a caption above it (may be NULL).  The
 * table belongs to the document; fill it before vsp_doc_write. */
vsp_doc_table *vsp_doc_table_add(vsp_doc *d, size_t n_cols, const char *caption);
/* Column col: header text, relative width (> 0) and alignment of its
 * cells (numbers: VSP_DOC_RIGHT, set in tabular figures). */
void vsp_doc_table_col(vsp_doc_table *t, size_t col, const char *header, double width,
                       vsp_doc_align align);
/* Font size of the table (default 8.5 pt). */
void vsp_doc_table_size(vsp_doc_table *t, double size);
#define VSP_DOC_ROW_BOLD 1u /* a total row */
/* Append a row of n_cols cells (copied; NULL = empty). */
void vsp_doc_table_row(vsp_doc_table *t, const char *const *cells, unsigned flags);
size_t vsp_doc_table_rows(const vsp_doc_table *t);

/* ---- output -------------------------------------------------------- */

typedef struct vsp_doc_result {
    int pages;
    size_t bytes;
} vsp_doc_result;

/* Lay out, render and write the PDF to path (atomically).  out may be
 * NULL.  On failure nothing is left at path or beside it. */
vsp_status vsp_doc_write(vsp_doc *d, const char *path, vsp_doc_result *out, vsp_error *err);

/* Page (1-based) of the heading with this id after vsp_doc_write, or 0. */
int vsp_doc_heading_page(const vsp_doc *d, const char *id);

/* Release process-wide font state — the font setup of charts/fonts.h,
 * cairo's static caches and fontconfig's (FcFini) — so that leak checkers
 * see a clean exit.  Call once at the very end, after every document is freed and
 * every other cairo/pango user has cleaned up (charts: vsp_draw_cleanup);
 * cairo aborts if any font is still held (e.g. by a Pango font map), so
 * this first waits until Pango's own threads have let go of every font map
 * (vsp_fonts_wait_released, up to 30 s) and, if one is still alive after
 * that, releases nothing and returns false.  The commands do not call it —
 * tests that own the whole process may. */
bool vsp_doc_cleanup(void);

#endif
