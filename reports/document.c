/* document.c — the page model of the PDF reports: blocks, two-pass
 * pagination, rendering with cairo + pango, PDF navigation and tags, and
 * the atomic write (see document.h). */
#include "reports/document.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "charts/fonts.h"
#include "pipeline/i18n.h"
#include "pipeline/outfile.h"
#include "pipeline/util.h"
#include "reports/pdf_post.h"

#define FONT_SANS "Noto Sans, DejaVu Sans, sans-serif"
#define FONT_MONO "DejaVu Sans Mono, Noto Sans Mono, monospace"

#define INK 0x1A1A1AFFu
#define INK_SOFT 0x4A4A4AFFu
#define ACCENT 0x0B4F8AFFu     /* headings: 8.9:1 on white */
#define RULE 0xA9B8C8FFu
#define HEAD_FILL 0xE3EBF3FFu
#define ZEBRA 0xF4F6F9FFu

/* Vertical rhythm (points). */
#define BODY_SIZE 10.0
#define LEAD_SIZE 11.5
#define SMALL_SIZE 8.5
#define MONO_SIZE 7.5
#define LINE_SPACING 1.25
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 2.6
#define TOC_NUM_W 34.0
#define KEEP_TABLE_ROWS 30 /* tables up to this many rows are not split if they fit a page */

/* ---- structures ---------------------------------------------------- */

/* A laid-out piece of text and where its lines are (layout coordinates). */
typedef struct lines {
    PangoLayout *layout;
    int n;
    double *top, *baseline, *ox; /* per line: top, baseline, origin x */
    double total;                /* layout height */
} lines;

typedef enum bkind {
    B_HEADING,
    B_PARA,
    B_BULLET,
    B_SPACE,
    B_BREAK,
    B_TOC,
    B_FIGURE,
    B_CUSTOM,
    B_PAGE,
    B_TABLE
} bkind;

struct vsp_doc_table {
    size_t n_cols;
    char **header;
    double *width;
    vsp_doc_align *align;
    double size;
    char *caption;
    size_t n_rows, cap;
    char **cells; /* n_rows x n_cols */
    unsigned *flags;
    /* layout */
    double *col_x, *col_w;
    lines *hdr;
    double hdr_h;
    lines *cell;
    double *row_h;
    lines cap_ln, cap_cont_ln;
};

typedef struct block {
    bkind kind;
    vsp_doc_style style;
    bool markup;
    char *text;
    /* heading */
    int level;
    char *id;
    unsigned flags;
    char number[32];
    int page; /* 1-based, after pagination */
    /* space, figure, custom */
    double height;
    vsp_doc_draw_fn fn;
    void *ctx;
    char *alt, *caption;
    vsp_doc_table *table;
    lines ln, cap_ln;
} block;

typedef struct toc_entry {
    size_t block;
    lines ln;
    double h;
} toc_entry;

typedef struct place {
    int page; /* 0-based */
    size_t block;
    double y;
    int a, b;  /* lines, rows or TOC entries [a, b) */
    bool cont; /* a table continued from the previous page */
} place;

struct vsp_doc {
    char *lang, *pdf_lang, *title, *header_right, *author, *subject, *keywords, *creator,
        *create_date, *page_label, *continued;
    bool number_headings;
    double page_w, page_h, margin_l, margin_r, text_top, text_bottom;
    block *blocks;
    size_t n_blocks, cap_blocks;
    int auto_id;
    /* text engine */
    PangoFontMap *fontmap;
    PangoContext *pc;
    PangoFontDescription *fd_sans, *fd_mono;
    PangoLanguage *plang;
    /* pagination */
    toc_entry *toc;
    size_t n_toc;
    place *places;
    size_t n_places, cap_places;
    int n_pages;
    bool *page_plain; /* no running header or footer */
    bool laid_out;
};

/* ---- small helpers --------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? vsp_xstrdup(s) : NULL;
}

static void set_rgba(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgba(cr, ((c >> 24) & 0xFF) / 255.0, ((c >> 16) & 0xFF) / 255.0,
                          ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

bool vsp_paper_from_name(const char *name, vsp_paper *out)
{
    if (name && vsp_ascii_iequal(name, "a4")) {
        *out = VSP_PAPER_A4;
        return true;
    }
    if (name && vsp_ascii_iequal(name, "letter")) {
        *out = VSP_PAPER_LETTER;
        return true;
    }
    return false;
}

char *vsp_doc_escape(const char *text)
{
    vsp_buf b;
    vsp_buf_init(&b);
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': vsp_buf_puts(&b, "&amp;"); break;
        case '<': vsp_buf_puts(&b, "&lt;"); break;
        case '>': vsp_buf_puts(&b, "&gt;"); break;
        case '\'': vsp_buf_puts(&b, "&#39;"); break;
        case '"': vsp_buf_puts(&b, "&quot;"); break;
        default: vsp_buf_putc(&b, *p);
        }
    }
    return b.data ? b.data : vsp_xstrdup("");
}

/* ---- document ------------------------------------------------------ */

vsp_doc *vsp_doc_new(vsp_paper paper, const vsp_doc_info *info)
{
    vsp_doc *d = vsp_xcalloc(1, sizeof *d);
    const char *lang = vsp_i18n_lang_canon(info->lang ? info->lang : "en");
    d->lang = vsp_xstrdup(lang ? lang : "en");
    d->pdf_lang = dup_or_null(info->pdf_lang);
    d->title = vsp_xstrdup(info->title ? info->title : "");
    d->header_right = vsp_xstrdup(info->header_right ? info->header_right : "");
    d->author = dup_or_null(info->author);
    d->subject = dup_or_null(info->subject);
    d->keywords = dup_or_null(info->keywords);
    d->creator = dup_or_null(info->creator);
    d->create_date = dup_or_null(info->create_date);
    d->page_label = vsp_xstrdup(info->page_label ? info->page_label : "Page {n} of {total}");
    d->continued = vsp_xstrdup(info->continued ? info->continued : "(continued)");
    d->number_headings = info->number_headings;
    if (paper == VSP_PAPER_LETTER) {
        d->page_w = 612.0;
        d->page_h = 792.0;
    } else {
        d->page_w = 595.2756;
        d->page_h = 841.8898;
    }
    d->margin_l = 64.0;
    d->margin_r = 64.0;
    d->text_top = 78.0;
    d->text_bottom = d->page_h - 70.0;

    d->fontmap = vsp_font_map_new();
    d->pc = pango_font_map_create_context(d->fontmap);
    pango_cairo_context_set_resolution(d->pc, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(d->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(d->pc, FALSE);
    d->plang = pango_language_from_string(vsp_i18n_pango_lang(d->lang));
    pango_context_set_language(d->pc, d->plang);
    d->fd_sans = pango_font_description_from_string(FONT_SANS);
    d->fd_mono = pango_font_description_from_string(FONT_MONO);
    return d;
}

static void lines_fini(lines *ln)
{
    if (ln->layout)
        g_object_unref(ln->layout);
    free(ln->top);
    free(ln->baseline);
    free(ln->ox);
    memset(ln, 0, sizeof *ln);
}

static void table_free(vsp_doc_table *t)
{
    if (!t)
        return;
    for (size_t j = 0; j < t->n_cols; j++)
        free(t->header[j]);
    for (size_t k = 0; k < t->n_rows * t->n_cols; k++)
        free(t->cells[k]);
    if (t->hdr)
        for (size_t j = 0; j < t->n_cols; j++)
            lines_fini(&t->hdr[j]);
    if (t->cell)
        for (size_t k = 0; k < t->n_rows * t->n_cols; k++)
            lines_fini(&t->cell[k]);
    lines_fini(&t->cap_ln);
    lines_fini(&t->cap_cont_ln);
    free(t->header);
    free(t->width);
    free(t->align);
    free(t->caption);
    free(t->cells);
    free(t->flags);
    free(t->col_x);
    free(t->col_w);
    free(t->hdr);
    free(t->cell);
    free(t->row_h);
    free(t);
}

void vsp_doc_free(vsp_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_blocks; i++) {
        block *b = &d->blocks[i];
        free(b->text);
        free(b->id);
        free(b->alt);
        free(b->caption);
        table_free(b->table);
        lines_fini(&b->ln);
        lines_fini(&b->cap_ln);
    }
    for (size_t i = 0; i < d->n_toc; i++)
        lines_fini(&d->toc[i].ln);
    free(d->toc);
    free(d->blocks);
    free(d->places);
    free(d->page_plain);
    pango_font_description_free(d->fd_sans);
    pango_font_description_free(d->fd_mono);
    g_object_unref(d->pc);
    g_object_unref(d->fontmap);
    free(d->lang);
    free(d->pdf_lang);
    free(d->title);
    free(d->header_right);
    free(d->author);
    free(d->subject);
    free(d->keywords);
    free(d->creator);
    free(d->create_date);
    free(d->page_label);
    free(d->continued);
    free(d);
}

double vsp_doc_page_width(const vsp_doc *d)
{
    return d->page_w;
}

double vsp_doc_page_height(const vsp_doc *d)
{
    return d->page_h;
}

double vsp_doc_text_width(const vsp_doc *d)
{
    return d->page_w - d->margin_l - d->margin_r;
}

double vsp_doc_text_height(const vsp_doc *d)
{
    return d->text_bottom - d->text_top;
}

static block *add_block(vsp_doc *d, bkind kind)
{
    if (d->n_blocks == d->cap_blocks) {
        d->cap_blocks = d->cap_blocks ? d->cap_blocks * 2 : 64;
        d->blocks = vsp_xrealloc(d->blocks, d->cap_blocks * sizeof *d->blocks);
    }
    block *b = &d->blocks[d->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    d->laid_out = false;
    return b;
}

/* ---- text layout ----------------------------------------------------- */

static PangoLayout *new_layout(vsp_doc *d, const char *text, bool markup, double size, bool bold,
                               bool mono, double width, vsp_doc_align align, double spacing,
                               bool tnum)
{
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_copy(mono ? d->fd_mono : d->fd_sans);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)floor(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align == VSP_DOC_RIGHT    ? PANGO_ALIGN_RIGHT
                                  : align == VSP_DOC_CENTER ? PANGO_ALIGN_CENTER
                                                            : PANGO_ALIGN_LEFT);
    pango_layout_set_line_spacing(l, (float)(spacing > 0 ? spacing : 1.2));
    if (markup)
        pango_layout_set_markup(l, text, -1);
    else
        pango_layout_set_text(l, text, -1);
    /* the language on every layout (markup replaced the attribute list) */
    PangoAttrList *old = pango_layout_get_attributes(l);
    PangoAttrList *attrs = old ? pango_attr_list_copy(old) : pango_attr_list_new();
    PangoAttribute *la = pango_attr_language_new(d->plang);
    pango_attr_list_insert_before(attrs, la);
    if (tnum)
        pango_attr_list_insert_before(attrs, pango_attr_font_features_new("tnum 1, lnum 1"));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    return l;
}

static void lines_from(lines *ln, PangoLayout *l)
{
    ln->layout = l;
    ln->n = pango_layout_get_line_count(l);
    size_t n = ln->n > 0 ? (size_t)ln->n : 1;
    ln->top = vsp_xcalloc(n, sizeof *ln->top);
    ln->baseline = vsp_xcalloc(n, sizeof *ln->baseline);
    ln->ox = vsp_xcalloc(n, sizeof *ln->ox);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int i = 0;
    do {
        PangoRectangle logical, own;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        pango_layout_line_get_extents(line, NULL, &own);
        if (i < ln->n) {
            ln->top[i] = (double)logical.y / PANGO_SCALE;
            ln->baseline[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            ln->ox[i] = (double)(logical.x - own.x) / PANGO_SCALE;
        }
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    PangoRectangle lr;
    pango_layout_get_extents(l, NULL, &lr);
    ln->total = (double)lr.height / PANGO_SCALE;
}

static void lay(vsp_doc *d, lines *ln, const char *text, bool markup, double size, bool bold,
                bool mono, double width, vsp_doc_align align, double spacing, bool tnum)
{
    lines_fini(ln);
    lines_from(ln, new_layout(d, text, markup, size, bold, mono, width, align, spacing, tnum));
}

/* Height of lines [a, b). */
static double lines_span(const lines *ln, int a, int b)
{
    if (b <= a)
        return 0;
    double end = b < ln->n ? ln->top[b] : ln->total;
    return end - ln->top[a];
}

static void draw_lines(cairo_t *cr, const lines *ln, int a, int b, double x, double y,
                       uint32_t color)
{
    set_rgba(cr, color);
    for (int i = a; i < b && i < ln->n; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(ln->layout, i);
        cairo_move_to(cr, x + ln->ox[i], y + ln->baseline[i] - ln->top[a]);
        pango_cairo_show_layout_line(cr, line);
    }
}

double vsp_doc_measure(vsp_doc *d, const char *text, const vsp_doc_font *font, double width)
{
    lines ln = {0};
    lay(d, &ln, text ? text : "", false, font->size, font->bold, font->mono, width, font->align,
        font->line_spacing, font->align == VSP_DOC_RIGHT);
    double h = ln.total;
    lines_fini(&ln);
    return h;
}

double vsp_doc_draw_text(vsp_doc *d, cairo_t *cr, double x, double y, double width,
                         const char *text, const vsp_doc_font *font, const char *tag)
{
    lines ln = {0};
    lay(d, &ln, text ? text : "", false, font->size, font->bold, font->mono, width, font->align,
        font->line_spacing, font->align == VSP_DOC_RIGHT);
    if (tag)
        cairo_tag_begin(cr, tag, "");
    draw_lines(cr, &ln, 0, ln.n, x, y, font->color ? font->color : INK);
    if (tag)
        cairo_tag_end(cr, tag);
    double h = ln.total;
    lines_fini(&ln);
    return h;
}

/* ---- the flow ------------------------------------------------------ */

void vsp_doc_heading(vsp_doc *d, int level, const char *text, const char *id, unsigned flags)
{
    block *b = add_block(d, B_HEADING);
    b->level = level < 1 ? 1 : level > 3 ? 3 : level;
    b->text = vsp_xstrdup(text ? text : "");
    b->flags = flags;
    bool ok = id && id[0];
    for (const char *p = id; ok && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            ok = false;
    b->id = ok ? vsp_xstrdup(id) : vsp_xasprintf("h-%d", ++d->auto_id);
}

static void para(vsp_doc *d, bkind kind, vsp_doc_style style, const char *text, bool markup)
{
    block *b = add_block(d, kind);
    b->style = style;
    b->markup = markup;
    b->text = vsp_xstrdup(text ? text : "");
}

void vsp_doc_para(vsp_doc *d, vsp_doc_style style, const char *text)
{
    para(d, B_PARA, style, text, false);
}

void vsp_doc_markup(vsp_doc *d, vsp_doc_style style, const char *markup)
{
    para(d, B_PARA, style, markup, true);
}

void vsp_doc_bullet(vsp_doc *d, const char *text, bool markup)
{
    para(d, B_BULLET, VSP_DOC_BODY, text, markup);
}

void vsp_doc_space(vsp_doc *d, double points)
{
    add_block(d, B_SPACE)->height = points;
}

void vsp_doc_page_break(vsp_doc *d)
{
    add_block(d, B_BREAK);
}

void vsp_doc_toc(vsp_doc *d)
{
    add_block(d, B_TOC);
}

void vsp_doc_figure(vsp_doc *d, double height, vsp_doc_draw_fn fn, void *ctx, const char *alt,
                    const char *caption)
{
    block *b = add_block(d, B_FIGURE);
    b->height = height;
    b->fn = fn;
    b->ctx = ctx;
    b->alt = vsp_xstrdup(alt ? alt : "");
    b->caption = dup_or_null(caption);
}

void vsp_doc_custom(vsp_doc *d, double height, vsp_doc_draw_fn fn, void *ctx)
{
    block *b = add_block(d, B_CUSTOM);
    b->height = height;
    b->fn = fn;
    b->ctx = ctx;
}

void vsp_doc_custom_page(vsp_doc *d, vsp_doc_draw_fn fn, void *ctx)
{
    block *b = add_block(d, B_PAGE);
    b->fn = fn;
    b->ctx = ctx;
}

vsp_doc_table *vsp_doc_table_add(vsp_doc *d, size_t n_cols, const char *caption)
{
    block *b = add_block(d, B_TABLE);
    vsp_doc_table *t = vsp_xcalloc(1, sizeof *t);
    t->n_cols = n_cols ? n_cols : 1;
    t->header = vsp_xcalloc(t->n_cols, sizeof *t->header);
    t->width = vsp_xcalloc(t->n_cols, sizeof *t->width);
    t->align = vsp_xcalloc(t->n_cols, sizeof *t->align);
    for (size_t j = 0; j < t->n_cols; j++) {
        t->header[j] = vsp_xstrdup("");
        t->width[j] = 1;
        t->align[j] = VSP_DOC_LEFT;
    }
    t->size = SMALL_SIZE;
    t->caption = dup_or_null(caption);
    b->table = t;
    return t;
}

void vsp_doc_table_col(vsp_doc_table *t, size_t col, const char *header, double width,
                       vsp_doc_align align)
{
    if (col >= t->n_cols)
        return;
    free(t->header[col]);
    t->header[col] = vsp_xstrdup(header ? header : "");
    t->width[col] = width > 0 ? width : 1;
    t->align[col] = align;
}

void vsp_doc_table_size(vsp_doc_table *t, double size)
{
    if (size > 4 && size < 30)
        t->size = size;
}

void vsp_doc_table_row(vsp_doc_table *t, const char *const *cells, unsigned flags)
{
    if (t->n_rows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = vsp_xrealloc(t->cells, t->cap * t->n_cols * sizeof *t->cells);
        t->flags = vsp_xrealloc(t->flags, t->cap * sizeof *t->flags);
    }
    for (size_t j = 0; j < t->n_cols; j++)
        t->cells[t->n_rows * t->n_cols + j] = vsp_xstrdup(cells && cells[j] ? cells[j] : "");
    t->flags[t->n_rows] = flags;
    t->n_rows++;
}

size_t vsp_doc_table_rows(const vsp_doc_table *t)
{
    return t->n_rows;
}

/* ---- styles ---------------------------------------------------------- */

typedef struct pstyle {
    double size, before, after, indent;
    bool mono;
    uint32_t color;
} pstyle;

static pstyle para_style(vsp_doc_style s)
{
    switch (s) {
    case VSP_DOC_LEAD: return (pstyle){LEAD_SIZE, 0, 9, 0, false, INK};
    case VSP_DOC_SMALL: return (pstyle){SMALL_SIZE, 0, 5, 0, false, INK_SOFT};
    case VSP_DOC_MONO: return (pstyle){MONO_SIZE, 0, 3, 0, true, INK};
    case VSP_DOC_BODY: break;
    }
    return (pstyle){BODY_SIZE, 0, 6, 0, false, INK};
}

static double heading_size(int level)
{
    return level == 1 ? 17.0 : level == 2 ? 12.5 : 10.5;
}

static double heading_before(int level)
{
    return level == 1 ? 22.0 : level == 2 ? 14.0 : 9.0;
}

static double heading_after(int level)
{
    return level == 1 ? 12.0 : level == 2 ? 5.0 : 3.0;
}

static char *heading_label(const block *b)
{
    return b->number[0] ? vsp_xasprintf("%s  %s", b->number, b->text) : vsp_xstrdup(b->text);
}

/* ---- pagination ------------------------------------------------------ */

/* Where the next block goes: the page (0-based), the height used on it,
 * and whether anything is placed on it yet (an empty page takes no space
 * before a heading, and no blank page is started for it). */
typedef struct cursor {
    int page;
    double y;
    bool used;
} cursor;

static void new_page(vsp_doc *d, cursor *c)
{
    c->page++;
    c->y = d->text_top;
    c->used = false;
    d->page_plain = vsp_xrealloc(d->page_plain, (size_t)(c->page + 1) * sizeof *d->page_plain);
    d->page_plain[c->page] = false;
}

static void place_add(vsp_doc *d, int page, size_t blk, double y, int a, int b, bool cont)
{
    if (d->n_places == d->cap_places) {
        d->cap_places = d->cap_places ? d->cap_places * 2 : 128;
        d->places = vsp_xrealloc(d->places, d->cap_places * sizeof *d->places);
    }
    d->places[d->n_places++] = (place){page, blk, y, a, b, cont};
}

/* Width of the widest unbreakable piece of text (split at spaces and
 * after hyphens) set with probe's font. */
static double widest_word(PangoLayout *probe, const char *text)
{
    double best = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '-')
            e++;
        if (*e == '-')
            e++;
        if (e > p) {
            PangoRectangle lr;
            pango_layout_set_text(probe, p, (int)(e - p));
            pango_layout_get_extents(probe, NULL, &lr);
            best = fmax(best, (double)lr.width / PANGO_SCALE);
        }
        p = e;
    }
    return best;
}

/* Column widths: the requested proportions, but never narrower than the
 * widest word of the column (so that words are not broken), taking the
 * room from the columns that have some to spare. */
static void table_widths(vsp_doc *d, vsp_doc_table *t)
{
    double tw = vsp_doc_text_width(d), sum = 0;
    for (size_t j = 0; j < t->n_cols; j++)
        sum += t->width[j];
    double *minw = vsp_xcalloc(t->n_cols, sizeof *minw);
    PangoLayout *probe[2];
    for (int b = 0; b < 2; b++)
        probe[b] = new_layout(d, "", false, t->size, b == 1, false, 0, VSP_DOC_LEFT, 1.1, true);
    for (size_t j = 0; j < t->n_cols; j++) {
        double w = widest_word(probe[1], t->header[j]);
        for (size_t r = 0; r < t->n_rows; r++)
            w = fmax(w, widest_word(probe[(t->flags[r] & VSP_DOC_ROW_BOLD) ? 1 : 0],
                                    t->cells[r * t->n_cols + j]));
        minw[j] = w + 2 * CELL_PAD_X + 0.5;
    }
    g_object_unref(probe[0]);
    g_object_unref(probe[1]);
    double total_min = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        t->col_w[j] = tw * t->width[j] / sum;
        total_min += minw[j];
    }
    if (total_min >= tw) {
        /* words must break somewhere: widths in proportion to the minimums */
        for (size_t j = 0; j < t->n_cols; j++)
            t->col_w[j] = tw * minw[j] / total_min;
    } else {
        for (int pass = 0; pass < 8; pass++) {
            double over = 0, slack = 0;
            for (size_t j = 0; j < t->n_cols; j++) {
                if (t->col_w[j] < minw[j]) {
                    over += minw[j] - t->col_w[j];
                    t->col_w[j] = minw[j];
                }
            }
            if (over <= 1e-9)
                break;
            for (size_t j = 0; j < t->n_cols; j++)
                slack += t->col_w[j] - minw[j];
            for (size_t j = 0; j < t->n_cols && slack > 0; j++)
                t->col_w[j] -= over * (t->col_w[j] - minw[j]) / slack;
        }
    }
    free(minw);
}

static void layout_table(vsp_doc *d, vsp_doc_table *t)
{
    double tw = vsp_doc_text_width(d);
    t->col_x = vsp_xcalloc(t->n_cols, sizeof *t->col_x);
    t->col_w = vsp_xcalloc(t->n_cols, sizeof *t->col_w);
    table_widths(d, t);
    double x = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        t->col_x[j] = x;
        x += t->col_w[j];
    }
    t->hdr = vsp_xcalloc(t->n_cols, sizeof *t->hdr);
    t->hdr_h = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        lay(d, &t->hdr[j], t->header[j], false, t->size, true, false,
            t->col_w[j] - 2 * CELL_PAD_X, t->align[j], 1.1, false);
        t->hdr_h = fmax(t->hdr_h, t->hdr[j].total);
    }
    t->hdr_h += 2 * CELL_PAD_Y + 1;
    t->cell = vsp_xcalloc(t->n_rows * t->n_cols + 1, sizeof *t->cell);
    t->row_h = vsp_xcalloc(t->n_rows + 1, sizeof *t->row_h);
    for (size_t r = 0; r < t->n_rows; r++) {
        double h = 0;
        bool bold = (t->flags[r] & VSP_DOC_ROW_BOLD) != 0;
        for (size_t j = 0; j < t->n_cols; j++) {
            lines *ln = &t->cell[r * t->n_cols + j];
            lay(d, ln, t->cells[r * t->n_cols + j], false, t->size, bold, false,
                t->col_w[j] - 2 * CELL_PAD_X, t->align[j], 1.1, t->align[j] == VSP_DOC_RIGHT);
            h = fmax(h, ln->total);
        }
        t->row_h[r] = h + 2 * CELL_PAD_Y;
    }
    if (t->caption) {
        lay(d, &t->cap_ln, t->caption, false, 9.0, true, false, tw, VSP_DOC_LEFT, 1.15, false);
        char *cont = vsp_xasprintf("%s %s", t->caption, d->continued);
        lay(d, &t->cap_cont_ln, cont, false, 9.0, true, false, tw, VSP_DOC_LEFT, 1.15, false);
        free(cont);
    }
}

static double caption_h(const vsp_doc_table *t, bool cont)
{
    if (!t->caption)
        return 0;
    return (cont ? t->cap_cont_ln.total : t->cap_ln.total) + 4;
}

static void layout_block(vsp_doc *d, block *b)
{
    double tw = vsp_doc_text_width(d);
    switch (b->kind) {
    case B_HEADING: {
        char *label = heading_label(b);
        lay(d, &b->ln, label, false, heading_size(b->level), true, false, tw, VSP_DOC_LEFT, 1.15,
            false);
        free(label);
        break;
    }
    case B_PARA:
    case B_BULLET: {
        pstyle ps = para_style(b->style);
        double indent = b->kind == B_BULLET ? 14 : 0;
        lay(d, &b->ln, b->text, b->markup, ps.size, false, ps.mono, tw - indent, VSP_DOC_LEFT,
            b->style == VSP_DOC_MONO ? 1.15 : LINE_SPACING, false);
        break;
    }
    case B_FIGURE:
        if (b->caption)
            lay(d, &b->cap_ln, b->caption, false, SMALL_SIZE, false, false, tw, VSP_DOC_LEFT,
                1.2, false);
        break;
    case B_TABLE: layout_table(d, b->table); break;
    default: break;
    }
}

static double toc_entry_height(const toc_entry *e, const block *b)
{
    return e->ln.total + (b->level == 1 ? 7 : 3);
}

/* The least height that must follow a heading on its page: the first two
 * lines of a paragraph, a table's caption, header and first two rows, a
 * whole figure or custom block, or another heading and what it needs. */
static double min_next(const vsp_doc *d, size_t i, int depth);

/* What a heading keeps on its page: a short lead-in paragraph (at most six
 * lines) whole with the start of the figure or table it introduces, else
 * the start of what follows.  So a section never opens at the foot of a
 * page with its text and leaves its figure, and the space above it, to
 * the next. */
static double keep_with_heading(const vsp_doc *d, size_t i)
{
    size_t j = i;
    while (j < d->n_blocks && d->blocks[j].kind == B_SPACE)
        j++;
    if (j < d->n_blocks && d->blocks[j].kind == B_PARA && d->blocks[j].ln.n <= 6) {
        const block *p = &d->blocks[j];
        size_t k = j + 1;
        while (k < d->n_blocks && d->blocks[k].kind == B_SPACE)
            k++;
        if (k < d->n_blocks && (d->blocks[k].kind == B_FIGURE || d->blocks[k].kind == B_TABLE))
            return para_style(p->style).after + lines_span(&p->ln, 0, p->ln.n) +
                   min_next(d, k, 1);
    }
    return min_next(d, i, 1);
}

static double min_next(const vsp_doc *d, size_t i, int depth)
{
    for (; i < d->n_blocks; i++) {
        const block *b = &d->blocks[i];
        switch (b->kind) {
        case B_SPACE: continue;
        case B_PARA:
        case B_BULLET: return lines_span(&b->ln, 0, b->ln.n < 2 ? b->ln.n : 2);
        case B_TABLE: {
            const vsp_doc_table *t = b->table;
            double h = caption_h(t, false) + t->hdr_h;
            for (size_t r = 0; r < t->n_rows && r < 2; r++)
                h += t->row_h[r];
            return h;
        }
        case B_FIGURE:
            return VSP_DOC_FIGURE_SQUEEZE * b->height + 4 + (b->caption ? b->cap_ln.total + 6 : 0);
        case B_CUSTOM: return b->height;
        case B_HEADING:
            return depth > 0 ? 0
                             : heading_before(b->level) + b->ln.total + heading_after(b->level) +
                                   keep_with_heading(d, i + 1);
        case B_TOC: return d->n_toc ? toc_entry_height(&d->toc[0], &d->blocks[d->toc[0].block]) : 0;
        default: return 0;
        }
    }
    return 0;
}

/* Number the headings (1, 1.1, 1.2, 2 ...) when the document asks for
 * it, leaving unnumbered ones and levels below 2 bare. */
static void number_headings(vsp_doc *d)
{
    int n1 = 0, n2 = 0;
    for (size_t i = 0; i < d->n_blocks; i++) {
        block *b = &d->blocks[i];
        if (b->kind != B_HEADING)
            continue;
        b->number[0] = '\0';
        if (!d->number_headings || (b->flags & VSP_DOC_UNNUMBERED))
            continue;
        if (b->level == 1) {
            n1++;
            n2 = 0;
            snprintf(b->number, sizeof b->number, "%d", n1);
        } else if (b->level == 2 && n1 > 0) {
            n2++;
            snprintf(b->number, sizeof b->number, "%d.%d", n1, n2);
        }
    }
}

/* The table of contents: an entry, laid out, for each heading of level 1
 * or 2 not marked VSP_DOC_NOT_IN_TOC (after number_headings). */
static void build_toc(vsp_doc *d)
{
    double tw = vsp_doc_text_width(d);
    for (size_t i = 0; i < d->n_toc; i++)
        lines_fini(&d->toc[i].ln);
    free(d->toc);
    d->toc = vsp_xcalloc(d->n_blocks + 1, sizeof *d->toc);
    d->n_toc = 0;
    for (size_t i = 0; i < d->n_blocks; i++) {
        block *b = &d->blocks[i];
        if (b->kind != B_HEADING || b->level > 2 || (b->flags & VSP_DOC_NOT_IN_TOC))
            continue;
        toc_entry *e = &d->toc[d->n_toc++];
        e->block = i;
        char *label = heading_label(b);
        double indent = b->level == 2 ? 18 : 0;
        lay(d, &e->ln, label, false, b->level == 1 ? 10.5 : 9.5, b->level == 1, false,
            tw - indent - TOC_NUM_W - 16, VSP_DOC_LEFT, 1.15, false);
        free(label);
        e->h = toc_entry_height(e, b);
    }
}

/* A custom page (B_PAGE) on a page of its own. */
static void place_page(vsp_doc *d, cursor *c, size_t i)
{
    if (c->used)
        new_page(d, c);
    d->page_plain[c->page] = true;
    place_add(d, c->page, i, 0, 0, 0, false);
    new_page(d, c);
}

/* A heading, on a new page when asked or when it would not fit with what
 * it keeps beside it (keep_with_heading). */
static void place_heading(vsp_doc *d, cursor *c, size_t i)
{
    block *b = &d->blocks[i];
    if ((b->flags & VSP_DOC_NEW_PAGE) && c->used)
        new_page(d, c);
    double before = c->used ? heading_before(b->level) : 0;
    double need = before + b->ln.total + heading_after(b->level) + keep_with_heading(d, i + 1);
    if (c->used && c->y + need > d->text_bottom) {
        new_page(d, c);
        before = 0;
    }
    c->y += before;
    place_add(d, c->page, i, c->y, 0, b->ln.n, false);
    b->page = c->page + 1;
    c->y += b->ln.total + heading_after(b->level);
    c->used = true;
}

/* A note under a table that would start the next page alone takes the
 * table's last three rows with it. */
static void keep_note_with_table(vsp_doc *d, cursor *c, size_t i)
{
    const block *b = &d->blocks[i];
    int n = b->ln.n;
    if (!(b->style == VSP_DOC_SMALL && i > 0 && d->blocks[i - 1].kind == B_TABLE && c->used &&
          n > 0 && c->y + lines_span(&b->ln, 0, n < 2 ? n : 2) > d->text_bottom &&
          d->n_places > 0))
        return;
    place *last = &d->places[d->n_places - 1];
    const vsp_doc_table *t = d->blocks[i - 1].table;
    if (last->block == i - 1 && last->page == c->page && last->b - last->a >= 6) {
        int from = last->b - 3, to = last->b;
        last->b = from;
        new_page(d, c);
        place_add(d, c->page, i - 1, c->y, from, to, true);
        c->used = true;
        c->y += caption_h(t, true) + t->hdr_h + 12;
        for (int r = from; r < to; r++)
            c->y += t->row_h[r];
    }
}

/* A paragraph or bullet, line by line across pages, with two lines at
 * least on each side of a break (no widows, no orphans). */
static void place_lines(vsp_doc *d, cursor *c, size_t i)
{
    const block *b = &d->blocks[i];
    double bottom = d->text_bottom;
    keep_note_with_table(d, c, i);
    int a = 0, n = b->ln.n;
    while (a < n) {
        int k = a;
        while (k < n && c->y + lines_span(&b->ln, a, k + 1) <= bottom + 0.01)
            k++;
        if (k < n) {
            if (n - a <= 3 || k - a < 2) {
                if (c->used) {
                    new_page(d, c);
                    continue;
                }
                if (k == a)
                    k = a + 1;
            } else if (n - k < 2) {
                k = n - 2;
            }
        }
        place_add(d, c->page, i, c->y, a, k, false);
        c->y += lines_span(&b->ln, a, k);
        c->used = true;
        a = k;
        if (a < n)
            new_page(d, c);
    }
    c->y += para_style(b->style).after;
}

/* A figure or custom block, whole on one page. */
static void place_figure(vsp_doc *d, cursor *c, size_t i)
{
    block *b = &d->blocks[i];
    double bottom = d->text_bottom;
    double h = b->height + (b->kind == B_FIGURE ? 4 : 0) + (b->caption ? b->cap_ln.total + 6 : 0);
    /* a figure a little taller than what is left of the page is drawn
     * that much shorter (down to VSP_DOC_FIGURE_SQUEEZE of its height;
     * charts lay out to any box) rather than leave the space empty */
    double room = bottom - c->y - (h - b->height);
    if (b->kind == B_FIGURE && c->used && c->y + h > bottom &&
        room >= VSP_DOC_FIGURE_SQUEEZE * b->height) {
        h -= b->height - room;
        b->height = room;
    }
    if (c->used && c->y + h > bottom)
        new_page(d, c);
    place_add(d, c->page, i, c->y, 0, 0, false);
    c->y += h + 10;
    c->used = true;
}

/* A table, row by row across pages, its caption (marked continued) and
 * header repeated on each; a short table that fits on a page is kept
 * whole, and a break leaves at least three rows on either side. */
static void place_table(vsp_doc *d, cursor *c, size_t i)
{
    vsp_doc_table *t = d->blocks[i].table;
    double bottom = d->text_bottom;
    size_t r = 0;
    bool cont = false;
    double first = caption_h(t, false) + t->hdr_h, whole = first;
    for (size_t k = 0; k < t->n_rows; k++) {
        if (k < 2)
            first += t->row_h[k];
        whole += t->row_h[k];
    }
    bool keep_whole = t->n_rows <= KEEP_TABLE_ROWS && whole <= bottom - d->text_top;
    if (c->used && c->y + (keep_whole ? whole : first) > bottom)
        new_page(d, c);
    do {
        double h = caption_h(t, cont) + t->hdr_h;
        size_t k = r;
        while (k < t->n_rows && c->y + h + t->row_h[k] <= bottom + 0.01)
            h += t->row_h[k++];
        if (k == r && r < t->n_rows) {
            if (c->used) {
                new_page(d, c);
                continue;
            }
            h += t->row_h[k++]; /* a row taller than a page: let it overflow */
        }
        while (k < t->n_rows && t->n_rows - k < 3 && k - r > 3) {
            k--;
            h -= t->row_h[k];
        }
        place_add(d, c->page, i, c->y, (int)r, (int)k, cont);
        c->y += h;
        c->used = true;
        r = k;
        if (r < t->n_rows) {
            new_page(d, c);
            cont = true;
        }
    } while (r < t->n_rows);
    c->y += 12;
}

/* The table of contents, entry by entry across pages. */
static void place_toc(vsp_doc *d, cursor *c, size_t i)
{
    double bottom = d->text_bottom;
    size_t e = 0;
    while (e < d->n_toc) {
        size_t k = e;
        double h = 0;
        while (k < d->n_toc && c->y + h + d->toc[k].h <= bottom + 0.01)
            h += d->toc[k++].h;
        if (k == e) {
            if (c->used) {
                new_page(d, c);
                continue;
            }
            h += d->toc[k++].h;
        }
        place_add(d, c->page, i, c->y, (int)e, (int)k, false);
        c->y += h;
        c->used = true;
        e = k;
        if (e < d->n_toc)
            new_page(d, c);
    }
    c->y += 10;
}

/* Lay out every block, then place each on its pages. */
static void paginate(vsp_doc *d)
{
    number_headings(d);
    for (size_t i = 0; i < d->n_blocks; i++)
        layout_block(d, &d->blocks[i]);
    build_toc(d);

    d->n_places = 0;
    free(d->page_plain);
    d->page_plain = NULL;
    cursor c = {-1, 0, false};
    new_page(d, &c);
    for (size_t i = 0; i < d->n_blocks; i++) {
        block *b = &d->blocks[i];
        switch (b->kind) {
        case B_SPACE:
            if (c.used)
                c.y += b->height;
            break;
        case B_BREAK:
            if (c.used)
                new_page(d, &c);
            break;
        case B_PAGE: place_page(d, &c, i); break;
        case B_HEADING: place_heading(d, &c, i); break;
        case B_PARA:
        case B_BULLET: place_lines(d, &c, i); break;
        case B_FIGURE:
        case B_CUSTOM: place_figure(d, &c, i); break;
        case B_TABLE: place_table(d, &c, i); break;
        case B_TOC: place_toc(d, &c, i); break;
        }
    }
    /* a trailing empty page (after a custom page or a break) is dropped */
    d->n_pages = c.used ? c.page + 1 : c.page;
    if (d->n_pages < 1)
        d->n_pages = 1;
    d->laid_out = true;
}

int vsp_doc_heading_page(const vsp_doc *d, const char *id)
{
    for (size_t i = 0; d->laid_out && id && i < d->n_blocks; i++)
        if (d->blocks[i].kind == B_HEADING && strcmp(d->blocks[i].id, id) == 0)
            return d->blocks[i].page;
    return 0;
}

/* ---- rendering ------------------------------------------------------- */

typedef struct render {
    vsp_doc *d;
    cairo_t *cr;
    cairo_surface_t *surface;
    int outline_parent; /* outline id of the last level-1 heading */
    const char **alts;
    size_t n_alts;
} render;

static void draw_running(render *rc, int page)
{
    vsp_doc *d = rc->d;
    cairo_t *cr = rc->cr;
    double w = vsp_doc_text_width(d), x = d->margin_l;
    vsp_doc_font f = {8.0, false, false, INK_SOFT, VSP_DOC_RIGHT, 1.1};
    /* the right text at its natural width, the title wrapped into what is
     * left (never cut short), its last line on the first's usual baseline
     * band above the rule */
    PangoLayout *right = new_layout(d, d->header_right, false, 8.0, false, false, 0,
                                    VSP_DOC_LEFT, 1.1, false);
    PangoRectangle rr;
    pango_layout_get_extents(right, NULL, &rr);
    g_object_unref(right);
    double right_w = fmin(w * 0.5, (double)rr.width / PANGO_SCALE + 1);
    PangoLayout *left = new_layout(d, d->title, false, 8.0, false, false, w - right_w - 16,
                                   VSP_DOC_LEFT, 1.1, false);
    PangoRectangle lr;
    pango_layout_get_extents(left, NULL, &lr);
    set_rgba(cr, INK_SOFT);
    cairo_move_to(cr, x, fmin(40.0, 53.0 - (double)lr.height / PANGO_SCALE));
    pango_cairo_show_layout(cr, left);
    g_object_unref(left);
    vsp_doc_draw_text(d, cr, x + w - right_w, 40, right_w, d->header_right, &f, NULL);
    set_rgba(cr, RULE);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, x, 55.5);
    cairo_line_to(cr, x + w, 55.5);
    cairo_stroke(cr);
    char n[16], total[16], label[256];
    snprintf(n, sizeof n, "%d", page + 1);
    snprintf(total, sizeof total, "%d", d->n_pages);
    const char *names[] = {"n", "total"};
    const char *values[] = {n, total};
    vsp_i18n_subst(label, sizeof label, d->page_label, 2, names, values);
    cairo_move_to(cr, x, d->page_h - 50.5);
    cairo_line_to(cr, x + w, d->page_h - 50.5);
    cairo_stroke(cr);
    vsp_doc_draw_text(d, cr, x, d->page_h - 45, w, label, &f, NULL);
}

static void draw_heading(render *rc, block *b, double y)
{
    vsp_doc *d = rc->d;
    cairo_t *cr = rc->cr;
    char attrs[200];
    snprintf(attrs, sizeof attrs, "name='%s' x=%.2f y=%.2f", b->id, d->margin_l,
             fmax(0, y - 8));
    cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    const char *tag = b->level == 1 ? "H1" : b->level == 2 ? "H2" : "H3";
    cairo_tag_begin(cr, tag, "");
    draw_lines(cr, &b->ln, 0, b->ln.n, d->margin_l, y, b->level == 3 ? INK : ACCENT);
    cairo_tag_end(cr, tag);
    if (b->level == 1) {
        set_rgba(cr, ACCENT);
        cairo_set_line_width(cr, 1.2);
        double ly = y + b->ln.total + 4;
        cairo_move_to(cr, d->margin_l, ly);
        cairo_line_to(cr, d->margin_l + 48, ly);
        cairo_stroke(cr);
    }
    if (b->level <= 2) {
        char *label = heading_label(b);
        char link[160];
        snprintf(link, sizeof link, "dest='%s'", b->id);
        int parent = b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : rc->outline_parent;
        int id = cairo_pdf_surface_add_outline(rc->surface, parent, label, link,
                                               b->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        if (b->level == 1)
            rc->outline_parent = id;
        free(label);
    }
}

static void draw_table(render *rc, const vsp_doc_table *t, const place *pl)
{
    vsp_doc *d = rc->d;
    cairo_t *cr = rc->cr;
    double x0 = d->margin_l, y = pl->y, w = vsp_doc_text_width(d);
    cairo_tag_begin(cr, "Table", "");
    if (t->caption) {
        const lines *cap = pl->cont ? &t->cap_cont_ln : &t->cap_ln;
        cairo_tag_begin(cr, "Caption", "");
        draw_lines(cr, cap, 0, cap->n, x0, y, INK);
        cairo_tag_end(cr, "Caption");
        y += caption_h(t, pl->cont);
    }
    /* header row */
    set_rgba(cr, HEAD_FILL);
    cairo_rectangle(cr, x0, y, w, t->hdr_h);
    cairo_fill(cr);
    cairo_tag_begin(cr, "TR", "");
    for (size_t j = 0; j < t->n_cols; j++) {
        cairo_tag_begin(cr, "TH", "");
        draw_lines(cr, &t->hdr[j], 0, t->hdr[j].n, x0 + t->col_x[j] + CELL_PAD_X,
                   y + t->hdr_h - 1 - CELL_PAD_Y - t->hdr[j].total, INK);
        cairo_tag_end(cr, "TH");
    }
    cairo_tag_end(cr, "TR");
    y += t->hdr_h;
    set_rgba(cr, ACCENT);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y - 0.4);
    cairo_line_to(cr, x0 + w, y - 0.4);
    cairo_stroke(cr);
    for (int r = pl->a; r < pl->b; r++) {
        double h = t->row_h[r];
        if ((r - pl->a) % 2 == 1) {
            set_rgba(cr, ZEBRA);
            cairo_rectangle(cr, x0, y, w, h);
            cairo_fill(cr);
        }
        if (t->flags[r] & VSP_DOC_ROW_BOLD) {
            set_rgba(cr, RULE);
            cairo_set_line_width(cr, 0.6);
            cairo_move_to(cr, x0, y + 0.3);
            cairo_line_to(cr, x0 + w, y + 0.3);
            cairo_stroke(cr);
        }
        cairo_tag_begin(cr, "TR", "");
        for (size_t j = 0; j < t->n_cols; j++) {
            const lines *ln = &t->cell[(size_t)r * t->n_cols + j];
            cairo_tag_begin(cr, "TD", "");
            draw_lines(cr, ln, 0, ln->n, x0 + t->col_x[j] + CELL_PAD_X, y + CELL_PAD_Y, INK);
            cairo_tag_end(cr, "TD");
        }
        cairo_tag_end(cr, "TR");
        y += h;
    }
    set_rgba(cr, RULE);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x0 + w, y);
    cairo_stroke(cr);
    cairo_tag_end(cr, "Table");
}

static void draw_toc(render *rc, const place *pl)
{
    vsp_doc *d = rc->d;
    cairo_t *cr = rc->cr;
    double x0 = d->margin_l, w = vsp_doc_text_width(d), y = pl->y;
    cairo_tag_begin(cr, "TOC", "");
    for (int k = pl->a; k < pl->b; k++) {
        const toc_entry *e = &d->toc[k];
        const block *b = &d->blocks[e->block];
        double indent = b->level == 2 ? 18 : 0, top = y + (b->level == 1 ? 4 : 1.5);
        char link[160], num[16];
        snprintf(link, sizeof link, "dest='%s'", b->id);
        snprintf(num, sizeof num, "%d", b->page);
        cairo_tag_begin(cr, "TOCI", "");
        cairo_tag_begin(cr, CAIRO_TAG_LINK, link);
        uint32_t color = b->level == 1 ? INK : INK_SOFT;
        draw_lines(cr, &e->ln, 0, e->ln.n, x0 + indent, top, color);
        /* dotted leader from the end of the last line to the number */
        int last = e->ln.n - 1;
        PangoRectangle lr;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(e->ln.layout, last), NULL,
                                      &lr);
        double lx = x0 + indent + e->ln.ox[last] + (double)(lr.x + lr.width) / PANGO_SCALE + 6;
        double ly = top + e->ln.baseline[last] - e->ln.top[0];
        double rx = x0 + w - TOC_NUM_W - 4;
        if (rx > lx + 4) {
            static const double dash[] = {0.6, 3.0};
            cairo_save(cr);
            set_rgba(cr, RULE);
            cairo_set_line_width(cr, 0.9);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, lx, ly - 0.5);
            cairo_line_to(cr, rx, ly - 0.5);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        vsp_doc_font f = {b->level == 1 ? 10.5 : 9.5, b->level == 1, false, color, VSP_DOC_RIGHT,
                          1.15};
        double nh = vsp_doc_measure(d, num, &f, TOC_NUM_W);
        vsp_doc_draw_text(d, cr, x0 + w - TOC_NUM_W,
                          top + e->ln.baseline[last] - e->ln.top[0] - nh * 0.77, TOC_NUM_W, num,
                          &f, NULL);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        cairo_tag_end(cr, "TOCI");
        y += e->h;
    }
    cairo_tag_end(cr, "TOC");
}

static vsp_status draw_place(render *rc, const place *pl, vsp_error *err)
{
    vsp_doc *d = rc->d;
    cairo_t *cr = rc->cr;
    block *b = &d->blocks[pl->block];
    double x0 = d->margin_l, w = vsp_doc_text_width(d);
    switch (b->kind) {
    case B_HEADING: draw_heading(rc, b, pl->y); break;
    case B_PARA: {
        pstyle ps = para_style(b->style);
        cairo_tag_begin(cr, "P", "");
        draw_lines(cr, &b->ln, pl->a, pl->b, x0, pl->y, ps.color);
        cairo_tag_end(cr, "P");
        break;
    }
    case B_BULLET:
        cairo_tag_begin(cr, "P", "");
        if (pl->a == 0) {
            vsp_doc_font f = {BODY_SIZE, false, false, ACCENT, VSP_DOC_LEFT, LINE_SPACING};
            vsp_doc_draw_text(d, cr, x0 + 3, pl->y, 10, "\xe2\x80\xa2", &f, NULL);
        }
        draw_lines(cr, &b->ln, pl->a, pl->b, x0 + 14, pl->y, INK);
        cairo_tag_end(cr, "P");
        break;
    case B_FIGURE: {
        cairo_tag_begin(cr, "Figure", "");
        cairo_save(cr);
        vsp_status st = b->fn(d, cr, x0, pl->y, w, b->height, b->ctx, err);
        cairo_restore(cr);
        cairo_tag_end(cr, "Figure");
        if (st != VSP_OK)
            return st;
        rc->alts[rc->n_alts++] = b->alt;
        if (b->caption) {
            cairo_tag_begin(cr, "P", "");
            draw_lines(cr, &b->cap_ln, 0, b->cap_ln.n, x0, pl->y + b->height + 6, INK_SOFT);
            cairo_tag_end(cr, "P");
        }
        break;
    }
    case B_CUSTOM: {
        cairo_save(cr);
        vsp_status st = b->fn(d, cr, x0, pl->y, w, b->height, b->ctx, err);
        cairo_restore(cr);
        if (st != VSP_OK)
            return st;
        break;
    }
    case B_PAGE: {
        cairo_save(cr);
        vsp_status st = b->fn(d, cr, 0, 0, d->page_w, d->page_h, b->ctx, err);
        cairo_restore(cr);
        if (st != VSP_OK)
            return st;
        break;
    }
    case B_TABLE: draw_table(rc, b->table, pl); break;
    case B_TOC: draw_toc(rc, pl); break;
    case B_SPACE:
    case B_BREAK: break;
    }
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return vsp_error_set(err, VSP_ESOFTWARE, "PDF drawing failed: %s",
                             cairo_status_to_string(cs));
    return VSP_OK;
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    vsp_buf_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* "YYYY-MM-DDThh:mm:ssZ" for the creation date. */
static vsp_status create_date(const vsp_doc *d, char buf[32], vsp_error *err)
{
    if (d->create_date && d->create_date[0]) {
        snprintf(buf, 32, "%s", d->create_date);
        return VSP_OK;
    }
    return vsp_source_time_iso(buf, err);
}

vsp_status vsp_doc_write(vsp_doc *d, const char *path, vsp_doc_result *out, vsp_error *err)
{
    vsp_status st = VSP_ESOFTWARE;
    vsp_buf pdf, post;
    vsp_buf_init(&pdf);
    vsp_buf_init(&post);
    render rc = {d, NULL, NULL, CAIRO_PDF_OUTLINE_ROOT, NULL, 0};

    rc.surface = cairo_pdf_surface_create_for_stream(write_cb, &pdf, d->page_w, d->page_h);
    if (cairo_surface_status(rc.surface) != CAIRO_STATUS_SUCCESS) {
        vsp_error_set(err, VSP_ESOFTWARE, "cannot create a PDF surface: %s",
                      cairo_status_to_string(cairo_surface_status(rc.surface)));
        goto out;
    }
    char date[32];
    if ((st = create_date(d, date, err)) != VSP_OK)
        goto out;
    cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_TITLE, d->title);
    if (d->author)
        cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_AUTHOR, d->author);
    if (d->subject)
        cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_SUBJECT, d->subject);
    if (d->keywords)
        cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_KEYWORDS, d->keywords);
    if (d->creator)
        cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_CREATOR, d->creator);
    cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(rc.surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    rc.cr = cairo_create(rc.surface);
    pango_cairo_update_context(rc.cr, d->pc);

    paginate(d);
    size_t n_fig = 0;
    for (size_t i = 0; i < d->n_blocks; i++)
        n_fig += d->blocks[i].kind == B_FIGURE;
    rc.alts = vsp_xcalloc(n_fig + 1, sizeof *rc.alts);

    cairo_tag_begin(rc.cr, "Document", "");
    size_t k = 0;
    for (int page = 0; page < d->n_pages; page++) {
        if (page > 0)
            cairo_show_page(rc.cr);
        if (!d->page_plain[page])
            draw_running(&rc, page);
        for (; k < d->n_places && d->places[k].page == page; k++) {
            st = draw_place(&rc, &d->places[k], err);
            if (st != VSP_OK)
                goto out;
        }
    }
    cairo_tag_end(rc.cr, "Document");
    st = VSP_ESOFTWARE;
    cairo_status_t cs = cairo_status(rc.cr);
    if (cs != CAIRO_STATUS_SUCCESS) {
        vsp_error_set(err, VSP_ESOFTWARE, "PDF drawing failed: %s", cairo_status_to_string(cs));
        goto out;
    }
    cairo_destroy(rc.cr);
    rc.cr = NULL;
    cairo_surface_finish(rc.surface);
    cs = cairo_surface_status(rc.surface);
    if (cs != CAIRO_STATUS_SUCCESS) {
        vsp_error_set(err, VSP_ESOFTWARE, "PDF output failed: %s", cairo_status_to_string(cs));
        goto out;
    }
    vsp_pdf_post opts = {d->pdf_lang, rc.alts, rc.n_alts, d->title, true};
    st = vsp_pdf_post_process((const unsigned char *)pdf.data, pdf.len, &opts, &post, err);
    if (st != VSP_OK)
        goto out;
    st = vsp_outfile_write(path, post.data, post.len, err);
    if (st == VSP_OK && out) {
        out->pages = d->n_pages;
        out->bytes = post.len;
    }
out:
    if (rc.cr)
        cairo_destroy(rc.cr);
    if (rc.surface)
        cairo_surface_destroy(rc.surface);
    free(rc.alts);
    vsp_buf_fini(&pdf);
    vsp_buf_fini(&post);
    return st;
}

bool vsp_doc_cleanup(void)
{
    /* cairo asserts that no font is alive when its caches are reset; a
     * font map's fonts live until Pango's fontconfig thread has let go
     * of the map too (charts/fonts.h) */
    if (!vsp_fonts_wait_released(30000))
        return false;
    vsp_fonts_cleanup(); /* before FcFini, which frees only what none holds */
    cairo_debug_reset_static_data();
    FcFini();
    return true;
}
