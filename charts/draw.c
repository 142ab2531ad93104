/* draw.c — the scene painter and the Pango text engine behind it, and
 * vsp_chart_draw, which joins layout and drawing for any cairo_t. */
#include "charts/draw.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charts/fonts.h"
#include "pipeline/i18n.h"
#include "pipeline/util.h"

#define FONT_FAMILY "Noto Sans, DejaVu Sans, sans-serif"

/* ---- the text engine ------------------------------------------------ */

/* Cache of laid-out text, keyed by (language, text, size, bold, wrap
 * width, alignment), with the layout's logical size: a label is shaped
 * once, when it is measured, and drawn from that layout in every format
 * and chart that shows it; measuring is a lookup of the same entry (one
 * line or left-aligned).  Sized for the whole catalogue of one period
 * (about 7 000 texts over seven languages): cleared in the middle of it,
 * it cost the charts after the clearing every label again (the regional
 * ones, last, up to 1 ms each).  The layouts kept come to about 3 MB. */
typedef struct lcache_entry {
    char *key;
    PangoLayout *layout;
    double w, h; /* logical extents, in user units */
} lcache_entry;

#define LCACHE_SIZE 16384 /* open addressing; cleared when 3/4 full */

/* One Pango context per language (a language set on a shared context
 * would change it, and with it every layout made in it, at each switch).
 * The contexts are never updated from a cairo_t (pango_cairo_update_
 * context): pango 1.50 marks a context changed on every update, even to
 * the same state, so every layout would be laid out again, and the target's
 * font options would split the fonts and layouts in two sets, one for
 * raster and one for vector targets.  With metrics unhinted the layout
 * does not depend on the target; cairo merges the target's own font
 * options (rounding of glyph positions) and renders glyphs for the CTM
 * itself when drawing. */
typedef struct engine {
    PangoFontMap *fontmap;
    PangoContext *context[VSP_I18N_N_LANGS]; /* made on first use */
    PangoFontDescription *regular, *bold;
    PangoAttrList *lang_attrs[VSP_I18N_N_LANGS];
    vsp_measurer measurers[VSP_I18N_N_LANGS];
    int measurer_slot[VSP_I18N_N_LANGS]; /* each measurer's ctx: its slot */
    lcache_entry lcache[LCACHE_SIZE];
    size_t lcached;
} engine;

static engine *eng;

static int lang_slot(const char *lang)
{
    for (int i = 0; vsp_i18n_langs[i]; i++)
        if (lang && vsp_ascii_iequal(lang, vsp_i18n_langs[i]))
            return i;
    return 0;
}

static engine *engine_get(void)
{
    if (eng)
        return eng;
    eng = vsp_xcalloc(1, sizeof *eng);
    eng->fontmap = vsp_font_map_new();
    eng->regular = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_weight(eng->regular, PANGO_WEIGHT_NORMAL);
    eng->bold = pango_font_description_copy(eng->regular);
    pango_font_description_set_weight(eng->bold, PANGO_WEIGHT_BOLD);
    for (int i = 0; i < VSP_I18N_N_LANGS; i++) {
        eng->lang_attrs[i] = pango_attr_list_new();
        pango_attr_list_insert(
            eng->lang_attrs[i],
            pango_attr_language_new(pango_language_from_string(vsp_i18n_pango_lang(vsp_i18n_langs[i]))));
    }
    return eng;
}

/* The context for language slot. */
static PangoContext *engine_context(engine *e, int slot)
{
    PangoContext *c = e->context[slot];
    if (c)
        return c;
    c = pango_font_map_create_context(e->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(c, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(c, FALSE);
    pango_context_set_language(c, pango_language_from_string(
                                      vsp_i18n_pango_lang(vsp_i18n_langs[slot])));
    e->context[slot] = c;
    return c;
}

/* A layout for text: the language, font and size set; wrap > 0 wraps. */
static PangoLayout *make_layout(engine *e, int slot, const char *text, double size,
                                bool bold, double wrap, vsp_align align)
{
    PangoLayout *l = pango_layout_new(engine_context(e, slot));
    pango_layout_set_attributes(l, e->lang_attrs[slot]);
    PangoFontDescription *fd = bold ? e->bold : e->regular;
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    if (wrap > 0) {
        pango_layout_set_width(l, (int)ceil(wrap * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
        pango_layout_set_alignment(l, align == VSP_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                      : align == VSP_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_LEFT);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

static unsigned long hash_str(const char *s);

/* Whether text is only figures: digits, the separators and signs that
 * vsp_fmt_* write (spaces, no-break spaces, points, commas, percent,
 * plus, minus, brackets) — set the same in every language, for Noto Sans
 * has no language-specific forms for them. */
static bool figures_only(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= '0' && *p <= '9') || strchr(" .,%+-()", *p))
            continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) { /* U+00A0 no-break space */
            p++;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) { /* U+202F narrow no-break */
            p += 2;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) { /* U+2212 minus */
            p += 2;
            continue;
        }
        return false;
    }
    return true;
}

/* make_layout through the layout cache: the entry is borrowed (valid
 * until the next call).  Figures are laid out once for all languages (in
 * the first's context): two thirds of a catalogue's texts are tick and
 * value labels, and the same "1 250" or "38,4 %" recurred in up to seven
 * languages, each laid out anew. */
static const lcache_entry *cached_text(engine *e, int slot, const char *text, double size,
                                       bool bold, double wrap, vsp_align align)
{
    if (wrap <= 0 && !strchr(text, '\n'))
        align = VSP_ALIGN_LEFT; /* one line, no width: alignment does nothing */
    if (slot != 0 && figures_only(text))
        slot = 0;
    char small[512];
    int n = snprintf(small, sizeof small, "%d|%.3f|%d|%.3f|%d|%s", slot, size, bold, wrap,
                     (int)align, text);
    char *key = n >= 0 && (size_t)n < sizeof small
                    ? small
                    : vsp_xasprintf("%d|%.3f|%d|%.3f|%d|%s", slot, size, bold, wrap, (int)align,
                                    text);
    size_t h = hash_str(key) % LCACHE_SIZE;
    for (size_t probe = 0; probe < LCACHE_SIZE; probe++) {
        lcache_entry *ce = &e->lcache[(h + probe) % LCACHE_SIZE];
        if (!ce->key)
            break;
        if (strcmp(ce->key, key) == 0) {
            if (key != small)
                free(key);
            return ce;
        }
    }
    if (e->lcached > LCACHE_SIZE * 3 / 4) { /* full enough: start again */
        for (size_t i = 0; i < LCACHE_SIZE; i++) {
            if (e->lcache[i].key) {
                free(e->lcache[i].key);
                g_object_unref(e->lcache[i].layout);
            }
            e->lcache[i].key = NULL;
            e->lcache[i].layout = NULL;
        }
        e->lcached = 0;
    }
    PangoLayout *l = make_layout(e, slot, text, size, bold, wrap, align);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    for (size_t probe = 0; probe < LCACHE_SIZE; probe++) {
        lcache_entry *ce = &e->lcache[(h + probe) % LCACHE_SIZE];
        if (!ce->key) {
            ce->key = key == small ? vsp_xstrdup(small) : key;
            ce->layout = l;
            ce->w = (double)logical.width / PANGO_SCALE;
            ce->h = (double)logical.height / PANGO_SCALE;
            e->lcached++;
            return ce;
        }
    }
    abort(); /* unreachable: the table is never more than 3/4 full */
}

static PangoLayout *cached_layout(engine *e, int slot, const char *text, double size,
                                  bool bold, double wrap, vsp_align align)
{
    return cached_text(e, slot, text, size, bold, wrap, align)->layout;
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 ^ (unsigned char)*s;
    return h;
}

static void measure_cb(void *ctx, const char *text, double size, bool bold, double wrap,
                       double *w, double *h)
{
    const lcache_entry *ce = cached_text(engine_get(), *(const int *)ctx, text, size, bold, wrap,
                                         VSP_ALIGN_LEFT);
    *w = ce->w;
    *h = ce->h;
}

const vsp_measurer *vsp_draw_measurer(const char *lang)
{
    engine *e = engine_get();
    int slot = lang_slot(lang);
    vsp_measurer *m = &e->measurers[slot];
    /* the slot itself, not the language's name: measuring is the layout's
     * hot path, and finding the slot from the name took seven compares */
    e->measurer_slot[slot] = slot;
    m->ctx = &e->measurer_slot[slot];
    m->measure = measure_cb;
    return m;
}

static void raster_free(void);

void vsp_draw_cleanup(void)
{
    raster_free();
    if (!eng)
        return;
    for (size_t i = 0; i < LCACHE_SIZE; i++) {
        free(eng->lcache[i].key);
        if (eng->lcache[i].layout)
            g_object_unref(eng->lcache[i].layout);
    }
    for (int i = 0; i < VSP_I18N_N_LANGS; i++) {
        pango_attr_list_unref(eng->lang_attrs[i]);
        if (eng->context[i])
            g_object_unref(eng->context[i]);
    }
    pango_font_description_free(eng->regular);
    pango_font_description_free(eng->bold);
    g_object_unref(eng->fontmap);
    free(eng);
    eng = NULL;
    vsp_fonts_cleanup();
}

/* ---- painting ------------------------------------------------------ */

static void set_color(cairo_t *cr, vsp_color c)
{
    cairo_set_source_rgba(cr, ((c >> 24) & 0xFF) / 255.0, ((c >> 16) & 0xFF) / 255.0,
                          ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

static bool visible(vsp_color c)
{
    return (c & 0xFF) != 0;
}

static void draw_text(cairo_t *cr, engine *e, int slot, const vsp_scene *s, const vsp_prim *p)
{
    const char *text = vsp_scene_str(s, p);
    /* wrapped text: the measured width (plus a hair) keeps pango's line
     * breaks and aligns lines within the box */
    PangoLayout *l =
        cached_layout(e, slot, text, p->size, p->bold, p->wrap > 0 ? p->w + 0.5 : 0, p->align);
    cairo_move_to(cr, p->x, p->y);
    if (visible(p->halo)) {
        pango_cairo_layout_path(cr, l);
        set_color(cr, p->halo);
        cairo_set_line_width(cr, fmax(2.0, p->size * 0.18));
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, p->x, p->y);
    }
    set_color(cr, p->fill);
    pango_cairo_show_layout(cr, l);
}

/* ---- polygons -------------------------------------------------------- */

/* On an image surface a polygon's outline (the map's borders: thousands
 * of short segments) is not stroked by cairo, whose stroker and scan
 * converter took two thirds of the map's time, but rasterised and
 * blended here.  The pen is the union of one capsule per segment, which
 * is a stroke with round joins; a pixel's coverage is min(1, r + 1/2 - d)
 * for the distance d of its centre from the segment (exact along
 * axis-aligned edges, a box filter across the line otherwise), and where
 * capsules overlap the larger wins.  Coverage collects in an A8 scratch
 * mask; only the spans the capsules touched are then blended (OVER, as
 * cairo would) and cleared, so the cost follows the outline's length, not
 * the polygon's area.  Under a pen of 1.5 pixels or more the fill is
 * drawn without antialiasing: the outline is the fill's edge and the
 * pen's opaque core covers it, so that antialiasing never showed, and it
 * cost another quarter of the map's time.  What this cannot do exactly (a
 * group, another operator, a transform other than a scale, a clip from
 * the caller that is not one rectangle of whole pixels) goes to cairo as
 * before. */

typedef struct raster_span {
    int y, x0, x1; /* mask row, columns [x0, x1) */
} raster_span;

static struct {
    unsigned char *mask; /* all zero between polygons */
    size_t cap;
    double *pts;
    size_t pts_cap;
    raster_span *spans;
    size_t n_spans, spans_cap;
} raster;

/* Coverage of an outline already rasterised, per process: the map's
 * borders are the same on every map of one size, only the fills under
 * them change, so the capsules are computed once for each (device points,
 * pen, clip) and later renders blend the stored coverage.  An entry is a
 * pure function of its key (compared in full, points and all), so what a
 * process drew before never changes a pixel. */
typedef struct outline_run {
    int32_t y, x0, n; /* device row, columns [x0, x0 + n) */
    uint32_t off;     /* into cov */
} outline_run;

typedef struct outline_entry {
    double *pts; /* device points, 2 per point (NaN splits rings) */
    size_t npt;
    double reach, clip[4]; /* clip as cut to the surface */
    int mx, my, mw, mh;
    outline_run *runs;
    size_t n_runs;
    unsigned char *cov;
    /* the fill, unantialiased and cut by the clip, made on first use: runs
     * of whole pixels (off == FILL_SOLID) or of partial coverage (the
     * clip's fractional edges), in cov */
    bool has_fill;
    outline_run *fill;
    size_t n_fill;
    unsigned char *fill_cov;
} outline_entry;

#define FILL_SOLID UINT32_MAX

#define OUTLINE_CACHE 128 /* entries, replaced in turn when full */

static struct {
    outline_entry e[OUTLINE_CACHE];
    size_t n, next;
} outlines;

static void outline_entry_fini(outline_entry *e)
{
    free(e->pts);
    free(e->runs);
    free(e->cov);
    free(e->fill);
    free(e->fill_cov);
    memset(e, 0, sizeof *e);
}

static void raster_free(void)
{
    free(raster.mask);
    free(raster.pts);
    free(raster.spans);
    memset(&raster, 0, sizeof raster);
    for (size_t i = 0; i < outlines.n; i++)
        outline_entry_fini(&outlines.e[i]);
    outlines.n = outlines.next = 0;
}

/* floor and ceil to int for coordinates well inside int's range (no libm
 * call: these run for every row of every segment). */
static int ifloor(double v)
{
    int i = (int)v;
    return i - (v < i);
}

static int iceil(double v)
{
    int i = (int)v;
    return i + (v > i);
}

/* Max-combine the capsule of segment a-b with radius `reach` (device
 * pixels, half the pen plus half a pixel) into the mask (mw x mh, rows of
 * mw bytes) whose pixel (0, 0) is device pixel (mx, my), recording the
 * spans visited.  Each row visits the pixels within reach of the part of
 * the segment that lies within reach of the row. */
static void capsule(int mw, int mh, int mx, int my, double ax, double ay, double bx, double by,
                    double reach)
{
    double lo_y = ay < by ? ay : by, hi_y = ay < by ? by : ay;
    int y0 = ifloor(lo_y - reach) - my, y1 = iceil(hi_y + reach) - my;
    y0 = y0 < 0 ? 0 : y0;
    y1 = y1 > mh ? mh : y1;
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double inv = len2 > 1e-12 ? 1.0 / len2 : 0, reach2 = reach * reach;
    double core2 = reach > 1 ? (reach - 1) * (reach - 1) : 0; /* full coverage within */
    double inv_dy = fabs(dy) > 1e-12 ? 1.0 / dy : 0;
    for (int y = y0; y < y1; y++) {
        double py = y + my + 0.5 - ay; /* pixel centres relative to a */
        /* the segment's parameter range within the band |y - py| <= reach */
        double t0 = 0, t1 = 1;
        if (inv_dy != 0) {
            double u = (py - reach) * inv_dy, v = (py + reach) * inv_dy;
            double lo = u < v ? u : v, hi = u < v ? v : u;
            t0 = lo > 0 ? lo : 0;
            t1 = hi < 1 ? hi : 1;
            if (t0 > t1)
                continue;
        } else if (py > reach || py < -reach) {
            continue;
        }
        double xa = t0 * dx, xb = t1 * dx;
        double lo = (xa < xb ? xa : xb) - reach, hi = (xa < xb ? xb : xa) + reach;
        int x0 = iceil(lo + ax - mx - 0.5), x1 = ifloor(hi + ax - mx - 0.5) + 1;
        x0 = x0 < 0 ? 0 : x0;
        x1 = x1 > mw ? mw : x1;
        if (x0 >= x1)
            continue;
        if (raster.n_spans == raster.spans_cap) {
            raster.spans_cap = raster.spans_cap * 2 + 256;
            raster.spans = vsp_xrealloc(raster.spans, raster.spans_cap * sizeof *raster.spans);
        }
        raster.spans[raster.n_spans++] = (raster_span){y, x0, x1};
        unsigned char *row = raster.mask + (size_t)y * (size_t)mw;
        for (int x = x0; x < x1; x++) {
            double px = x + mx + 0.5 - ax;
            double t = (px * dx + py * dy) * inv;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double ex = px - t * dx, ey = py - t * dy, d2 = ex * ex + ey * ey;
            if (d2 >= reach2)
                continue;
            unsigned v = 255;
            if (d2 > core2) {
                double c = reach - sqrt(d2);
                v = c >= 1 ? 255u : (unsigned)(c * 255 + 0.5);
            }
            if (v > row[x])
                row[x] = (unsigned char)v;
        }
    }
}

/* Whether raster_outline can draw on cr exactly: an RGB24 or ARGB32 image
 * surface drawn directly (no group, no device offset or scale), OVER, and
 * user space a plain uniform scale and translation of device space. */
static bool raster_target(cairo_t *cr)
{
    cairo_surface_t *t = cairo_get_target(cr);
    if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE || cairo_get_group_target(cr) != t ||
        cairo_get_operator(cr) != CAIRO_OPERATOR_OVER)
        return false;
    cairo_format_t f = cairo_image_surface_get_format(t);
    if (f != CAIRO_FORMAT_RGB24 && f != CAIRO_FORMAT_ARGB32)
        return false;
    double ox, oy, sx, sy;
    cairo_surface_get_device_offset(t, &ox, &oy);
    cairo_surface_get_device_scale(t, &sx, &sy);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    return ox == 0 && oy == 0 && sx == 1 && sy == 1 && m.xy == 0 && m.yx == 0 && m.xx == m.yy &&
           m.xx > 0;
}

/* The clip of cr as one device rectangle {x0, y0, x1, y1}, if it is one
 * that cairo can report (whole pixels). */
static bool raster_clip(cairo_t *cr, double box[4])
{
    cairo_rectangle_list_t *rl = cairo_copy_clip_rectangle_list(cr);
    bool ok = rl->status == CAIRO_STATUS_SUCCESS && rl->num_rectangles == 1;
    if (ok) {
        box[0] = rl->rectangles[0].x;
        box[1] = rl->rectangles[0].y;
        box[2] = box[0] + rl->rectangles[0].width;
        box[3] = box[1] + rl->rectangles[0].height;
        cairo_user_to_device(cr, &box[0], &box[1]);
        cairo_user_to_device(cr, &box[2], &box[3]);
    }
    cairo_rectangle_list_destroy(rl);
    return ok;
}

/* How much of the pixel [i, i + 1) lies in [a, b). */
static double overlap(int i, double a, double b)
{
    double hi = i + 1.0 < b ? i + 1.0 : b, lo = i > a ? (double)i : a;
    double v = hi - lo;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static inline unsigned div255(unsigned v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

static outline_entry *outline_find(size_t npt, double reach, const double clip[4], int mx,
                                   int my, int mw, int mh)
{
    for (size_t i = 0; i < outlines.n; i++) {
        outline_entry *e = &outlines.e[i];
        if (e->npt == npt && e->reach == reach && e->mx == mx && e->my == my && e->mw == mw &&
            e->mh == mh && memcmp(e->clip, clip, sizeof e->clip) == 0 &&
            memcmp(e->pts, raster.pts, npt * 2 * sizeof *raster.pts) == 0)
            return e;
    }
    return NULL;
}

/* Rasterise the rings in raster.pts (npt points) as capsules and store
 * their coverage, cut by the clip, as a new cache entry. */
static outline_entry *outline_make(size_t npt, double reach, const double clip[4], int mx,
                                   int my, int mw, int mh)
{
    size_t need = (size_t)mw * (size_t)mh;
    if (raster.cap < need) {
        free(raster.mask);
        raster.cap = need;
        raster.mask = vsp_xcalloc(need, 1);
    }
    raster.n_spans = 0;
    size_t first = 0; /* each ring closes on its first point */
    for (size_t k = 0; k <= npt; k++) {
        if (k < npt && !isnan(raster.pts[2 * k]))
            continue;
        for (size_t q = first; q < k; q++) {
            size_t e = q + 1 < k ? q + 1 : first;
            capsule(mw, mh, mx, my, raster.pts[2 * q], raster.pts[2 * q + 1], raster.pts[2 * e],
                    raster.pts[2 * e + 1], reach);
        }
        first = k + 1;
    }
    if (outlines.n < OUTLINE_CACHE)
        outlines.n++;
    outline_entry *o = &outlines.e[outlines.next];
    outlines.next = (outlines.next + 1) % OUTLINE_CACHE;
    outline_entry_fini(o);
    o->pts = vsp_xmalloc(npt * 2 * sizeof *o->pts + 1);
    memcpy(o->pts, raster.pts, npt * 2 * sizeof *o->pts);
    o->npt = npt;
    o->reach = reach;
    memcpy(o->clip, clip, sizeof o->clip);
    o->mx = mx;
    o->my = my;
    o->mw = mw;
    o->mh = mh;
    /* the touched pixels in runs, each once (spans overlap), clearing the
     * mask behind; pixels the clip's edge cuts are covered in proportion */
    size_t runs_cap = 0, cov_cap = 0, n_cov = 0;
    for (size_t i = 0; i < raster.n_spans; i++) {
        const raster_span *sp = &raster.spans[i];
        unsigned char *row = raster.mask + (size_t)sp->y * (size_t)mw;
        int y = sp->y + my;
        double fy = overlap(y, clip[1], clip[3]);
        bool whole = fy == 1 && sp->x0 + mx >= clip[0] && sp->x1 + mx <= clip[2];
        for (int x = sp->x0; x < sp->x1; x++) {
            unsigned cov = row[x];
            if (!cov)
                continue;
            row[x] = 0;
            if (!whole)
                cov = (unsigned)(cov * fy * overlap(x + mx, clip[0], clip[2]) + 0.5);
            if (n_cov == cov_cap) {
                cov_cap = cov_cap * 2 + 4096;
                o->cov = vsp_xrealloc(o->cov, cov_cap);
            }
            outline_run *last = o->n_runs ? &o->runs[o->n_runs - 1] : NULL;
            if (!last || last->y != y || last->x0 + last->n != x + mx) {
                if (o->n_runs == runs_cap) {
                    runs_cap = runs_cap * 2 + 256;
                    o->runs = vsp_xrealloc(o->runs, runs_cap * sizeof *o->runs);
                }
                o->runs[o->n_runs++] = (outline_run){y, x + mx, 0, (uint32_t)n_cov};
                last = &o->runs[o->n_runs - 1];
            }
            o->cov[n_cov++] = (unsigned char)cov;
            last->n++;
        }
    }
    return o;
}

/* The closed rings of a polygon as a cairo path: npt points (x, y), a
 * NaN x between rings. */
static void poly_path(cairo_t *cr, const double *pts, size_t npt)
{
    bool start = true;
    for (size_t k = 0; k < npt; k++) {
        double x = pts[2 * k], y = pts[2 * k + 1];
        if (isnan(x)) {
            cairo_close_path(cr);
            start = true;
            continue;
        }
        if (start)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
        start = false;
    }
    cairo_close_path(cr);
}

/* Bytes equal to v from the start of row, at most max: eight a step, as
 * most of a polygon's box is wholly outside it or wholly inside. */
static int run_of_byte(const unsigned char *row, unsigned char v, int max)
{
    const uint64_t vv = v * UINT64_C(0x0101010101010101);
    int k = 0;
    for (; k + 8 <= max; k += 8) {
        uint64_t u;
        memcpy(&u, row + k, 8);
        if (u != vv)
            break;
    }
    while (k < max && row[k] == v)
        k++;
    return k;
}

/* Rasterise the fill of entry o's rings as cairo would on a surface with
 * the clip o->clip: unantialiased, even-odd, in device space (the same
 * points cairo's path had), kept as runs.  The fill lies within the
 * points' box, so within the pen's box (mx, my, mw, mh), which is all
 * the A8 mask covers (one of the whole surface cost a fresh 2 MB per
 * polygon): a device offset of whole pixels puts it there, and moves
 * every edge and pixel centre alike, so no pixel changes. */
static void outline_fill_make(outline_entry *o)
{
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, o->mw, o->mh);
    cairo_surface_set_device_offset(m, -o->mx, -o->my);
    cairo_t *cr = cairo_create(m);
    cairo_rectangle(cr, o->clip[0], o->clip[1], o->clip[2] - o->clip[0], o->clip[3] - o->clip[1]);
    cairo_clip(cr);
    poly_path(cr, o->pts, o->npt);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(m);
    const unsigned char *data = cairo_image_surface_get_data(m);
    int stride = cairo_image_surface_get_stride(m);
    size_t runs_cap = 0, cov_cap = 0, n_cov = 0;
    /* mask pixel (x, y) is device pixel (mx + x, my + y) */
    for (int y = 0; y < o->mh; y++) {
        const unsigned char *row = data + (size_t)y * (size_t)stride;
        for (int x = run_of_byte(row, 0, o->mw); x < o->mw;
             x += run_of_byte(row + x, 0, o->mw - x)) {
            /* a run of whole pixels, or of partial ones (the clip's edges) */
            bool solid = row[x] == 255;
            int x0 = x;
            if (solid)
                x += run_of_byte(row + x, 255, o->mw - x);
            else
                while (x < o->mw && row[x] && row[x] != 255)
                    x++;
            if (o->n_fill == runs_cap) {
                runs_cap = runs_cap * 2 + 256;
                o->fill = vsp_xrealloc(o->fill, runs_cap * sizeof *o->fill);
            }
            o->fill[o->n_fill++] = (outline_run){o->my + y, o->mx + x0, x - x0,
                                                 solid ? FILL_SOLID : (uint32_t)n_cov};
            if (!solid) {
                if (n_cov + (size_t)(x - x0) > cov_cap) {
                    cov_cap = cov_cap * 2 + (size_t)(x - x0) + 1024;
                    o->fill_cov = vsp_xrealloc(o->fill_cov, cov_cap);
                }
                memcpy(o->fill_cov + n_cov, row + x0, (size_t)(x - x0));
                n_cov += (size_t)(x - x0);
            }
        }
    }
    cairo_surface_destroy(m);
    o->has_fill = true;
}

/* The pixel an opaque colour fills with on an image surface of format f
 * (as cairo writes it), asked of cairo once per colour. */
static uint32_t fill_pixel(cairo_format_t f, vsp_color c)
{
    static struct {
        cairo_format_t f;
        vsp_color c;
        uint32_t px;
    } memo[32];
    static size_t n_memo, next_memo;
    for (size_t i = 0; i < n_memo; i++)
        if (memo[i].f == f && memo[i].c == c)
            return memo[i].px;
    cairo_surface_t *t = cairo_image_surface_create(f, 1, 1);
    cairo_t *cr = cairo_create(t);
    set_color(cr, c);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_rectangle(cr, 0, 0, 1, 1);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(t);
    uint32_t px;
    memcpy(&px, cairo_image_surface_get_data(t), sizeof px);
    cairo_surface_destroy(t);
    memo[next_memo].f = f;
    memo[next_memo].c = c;
    memo[next_memo].px = px;
    next_memo = (next_memo + 1) % (sizeof memo / sizeof memo[0]);
    n_memo += n_memo < sizeof memo / sizeof memo[0];
    return px;
}

/* OVER of colour c (premultiplied sa, sr, sg, sb) at coverage cov on d. */
static inline uint32_t blend_px(uint32_t d, unsigned sa, unsigned sr, unsigned sg, unsigned sb,
                                unsigned cov)
{
    unsigned inv = 255 - div255(sa * cov);
    unsigned a = div255(sa * cov + (d >> 24) * inv);
    unsigned rr = div255(sr * cov + ((d >> 16) & 0xFF) * inv);
    unsigned gg = div255(sg * cov + ((d >> 8) & 0xFF) * inv);
    unsigned bb = div255(sb * cov + (d & 0xFF) * inv);
    return (uint32_t)a << 24 | (uint32_t)rr << 16 | (uint32_t)gg << 8 | bb;
}

/* Stroke the rings of polygon p (each closed) in p->stroke onto cr's
 * image surface (raster_target), within the device rectangle clip, whose
 * edges may cut pixels (they are covered in proportion, as cairo does);
 * with fill, fill them first in p->fill (opaque), unantialiased, from
 * the same cache entry. */
static void raster_outline(cairo_t *cr, const vsp_scene *s, const vsp_prim *p,
                           const double clip[4], bool fill)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    double reach = p->stroke_w * m.xx / 2 + 0.5;
    if (raster.pts_cap < p->npt) {
        raster.pts_cap = p->npt * 2;
        raster.pts = vsp_xrealloc(raster.pts, raster.pts_cap * 2 * sizeof *raster.pts);
    }
    /* the points in device space and their box, within the clip's */
    double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
    for (size_t k = 0; k < p->npt; k++) {
        double x = s->pts[2 * (p->pt0 + k)], y = s->pts[2 * (p->pt0 + k) + 1];
        if (!isnan(x)) {
            cairo_user_to_device(cr, &x, &y);
            bx0 = x < bx0 ? x : bx0;
            by0 = y < by0 ? y : by0;
            bx1 = x > bx1 ? x : bx1;
            by1 = y > by1 ? y : by1;
        }
        raster.pts[2 * k] = x;
        raster.pts[2 * k + 1] = y;
    }
    cairo_surface_t *t = cairo_get_target(cr);
    double cut[4] = {fmax(clip[0], 0), fmax(clip[1], 0),
                     fmin(clip[2], cairo_image_surface_get_width(t)),
                     fmin(clip[3], cairo_image_surface_get_height(t))};
    if (!(cut[2] > cut[0] && cut[3] > cut[1]))
        return;
    int mx = (int)fmax(floor(bx0 - reach), floor(cut[0]));
    int my = (int)fmax(floor(by0 - reach), floor(cut[1]));
    int mw = (int)fmin(ceil(bx1 + reach), ceil(cut[2])) - mx;
    int mh = (int)fmin(ceil(by1 + reach), ceil(cut[3])) - my;
    if (mw <= 0 || mh <= 0)
        return; /* none of it shows */
    outline_entry *o = outline_find(p->npt, reach, cut, mx, my, mw, mh);
    if (!o)
        o = outline_make(p->npt, reach, cut, mx, my, mw, mh);
    cairo_surface_flush(t);
    unsigned char *data = cairo_image_surface_get_data(t);
    int stride = cairo_image_surface_get_stride(t);
    if (fill) {
        if (!o->has_fill)
            outline_fill_make(o);
        uint32_t solid = fill_pixel(cairo_image_surface_get_format(t), p->fill);
        vsp_color c = p->fill;
        unsigned fr = (c >> 24) & 0xFF, fg = (c >> 16) & 0xFF, fb = (c >> 8) & 0xFF;
        for (size_t i = 0; i < o->n_fill; i++) {
            const outline_run *r = &o->fill[i];
            uint32_t *px = (uint32_t *)(void *)(data + (size_t)r->y * (size_t)stride) + r->x0;
            int32_t n = r->n; /* px might alias *r for the compiler */
            if (r->off == FILL_SOLID) {
                for (int32_t j = 0; j < n; j++)
                    px[j] = solid;
            } else {
                const unsigned char *cv = o->fill_cov + r->off;
                for (int32_t j = 0; j < n; j++)
                    px[j] = blend_px(px[j], 255, fr, fg, fb, cv[j]);
            }
        }
    }
    /* blend the outline (OVER, premultiplied) */
    vsp_color c = p->stroke;
    unsigned sa = c & 0xFF, sr = div255(((c >> 24) & 0xFF) * sa),
             sg = div255(((c >> 16) & 0xFF) * sa), sb = div255(((c >> 8) & 0xFF) * sa);
    /* where an opaque pen covers a pixel whole, OVER is the pen's colour */
    uint32_t core = blend_px(0, sa, sr, sg, sb, 255);
    for (size_t i = 0; i < o->n_runs; i++) {
        const outline_run *r = &o->runs[i];
        const unsigned char *cv = o->cov + r->off;
        uint32_t *px = (uint32_t *)(void *)(data + (size_t)r->y * (size_t)stride) + r->x0;
        int32_t n = r->n;
        for (int32_t j = 0; j < n; j++)
            px[j] = cv[j] == 255 && sa == 255 ? core : blend_px(px[j], sa, sr, sg, sb, cv[j]);
    }
    if (fill) /* the fill may reach past the pen's box only where the clip cuts it */
        cairo_surface_mark_dirty(t);
    else
        cairo_surface_mark_dirty_rectangle(t, mx, my, mw, mh);
}

/* Fill and outline polygon p; clip is cr's clip as a device rectangle,
 * NULL if unknown. */
static void draw_poly(cairo_t *cr, const vsp_scene *s, const vsp_prim *p, const double *clip)
{
    if (clip && visible(p->stroke) && p->stroke_w > 0 && (p->fill & 0xFF) == 0xFF &&
        raster_target(cr)) {
        double w = p->stroke_w, w0 = 0;
        cairo_user_to_device_distance(cr, &w, &w0);
        if (w >= 1.5) {
            /* fill and outline from the cache (raster_outline) */
            raster_outline(cr, s, p, clip, true);
            return;
        }
    }
    poly_path(cr, s->pts + 2 * p->pt0, p->npt);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set_color(cr, p->fill);
    if (clip && visible(p->stroke) && p->stroke_w > 0 && raster_target(cr)) {
        double w = p->stroke_w, w0 = 0;
        cairo_user_to_device_distance(cr, &w, &w0);
        cairo_save(cr);
        if (w >= 1.5)
            cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
        cairo_fill(cr);
        cairo_restore(cr);
        raster_outline(cr, s, p, clip, false);
        return;
    }
    cairo_fill_preserve(cr);
    if (visible(p->stroke)) {
        set_color(cr, p->stroke);
        cairo_set_line_width(cr, p->stroke_w);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

/* ---- a canvas drawn on again -------------------------------------- */

/* surface.c draws every PNG on one canvas per size, and as it encodes a
 * picture it sets each pixel back to one value and notes that on the
 * surface (vsp_draw_canvas_uniform; cairo user data, which goes with the
 * surface).  The next scene need not paint its background (a pass over
 * all 8 MB at slide size; the encoder's clearing touches only the rows it
 * has just read, and only from the first pixel that differs to the last)
 * when that value is the very pixel its background's fill wrote last
 * time, and the fill would cover every pixel whole.  Drawing anything
 * drops the note. */
static const cairo_user_data_key_t uniform_key;

void vsp_draw_canvas_uniform(cairo_surface_t *img, uint32_t pixel)
{
    uint32_t *note = vsp_xmalloc(sizeof *note);
    *note = pixel;
    if (cairo_surface_set_user_data(img, &uniform_key, note, free) != CAIRO_STATUS_SUCCESS)
        free(note);
}

/* The pixel the last background fill over a whole surface wrote, for its
 * format and colour (a fill of opaque black on RGB24 is a clear, for one,
 * so it is read back rather than foreseen). */
static struct {
    bool known;
    cairo_format_t format;
    vsp_color color;
    uint32_t pixel;
} last_background;

/* Whether s's background, painted at cr's origin, covers every pixel of
 * cr's target whole and opaque: an image surface drawn directly (as for
 * raster_outline), the scene's corners on the surface's, and a clip that
 * leaves all of it. */
static bool background_whole(cairo_t *cr, const vsp_scene *s)
{
    if ((s->background & 0xFF) != 0xFF || !raster_target(cr))
        return false;
    cairo_surface_t *t = cairo_get_target(cr);
    double w = cairo_image_surface_get_width(t), h = cairo_image_surface_get_height(t);
    double x0 = 0, y0 = 0, x1 = s->w, y1 = s->h, clip[4];
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    return x0 == 0 && y0 == 0 && x1 == w && y1 == h && raster_clip(cr, clip) && clip[0] <= 0 &&
           clip[1] <= 0 && clip[2] >= w && clip[3] >= h;
}

/* Paint s's background over everything (SOURCE: a plain copy, no blending
 * with what was there), unless the canvas holds it already; either way,
 * drop the canvas's note, as the scene is about to change it. */
static void draw_background(cairo_t *cr, const vsp_scene *s)
{
    cairo_surface_t *t = cairo_get_target(cr);
    bool whole = visible(s->background) && background_whole(cr, s);
    const uint32_t *note = whole ? cairo_surface_get_user_data(t, &uniform_key) : NULL;
    cairo_format_t f = whole ? cairo_image_surface_get_format(t) : CAIRO_FORMAT_INVALID;
    bool there = note && last_background.known && last_background.format == f &&
                 last_background.color == s->background && last_background.pixel == *note;
    if (cairo_surface_get_user_data(t, &uniform_key))
        cairo_surface_set_user_data(t, &uniform_key, NULL, NULL);
    if (there || !visible(s->background))
        return;
    cairo_save(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    set_color(cr, s->background);
    cairo_rectangle(cr, 0, 0, s->w, s->h);
    cairo_fill(cr);
    cairo_restore(cr);
    if (whole) {
        cairo_surface_flush(t);
        memcpy(&last_background.pixel, cairo_image_surface_get_data(t), sizeof(uint32_t));
        last_background.format = f;
        last_background.color = s->background;
        last_background.known = true;
    }
}

vsp_status vsp_draw_scene(cairo_t *cr, const vsp_scene *s, const char *lang, vsp_error *err)
{
    engine *e = engine_get();
    int slot = lang_slot(lang);
    cairo_save(cr);
    draw_background(cr, s);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    bool clipped = false;
    double outer[4], rclip[4];
    bool rclip_ok = raster_target(cr) && raster_clip(cr, outer);
    for (size_t i = 0; i < s->n; i++) {
        const vsp_prim *p = &s->prims[i];
        switch (p->kind) {
        case VSP_PRIM_RECT:
            cairo_rectangle(cr, p->x, p->y, p->w, p->h);
            if (visible(p->fill)) {
                set_color(cr, p->fill);
                if (visible(p->stroke))
                    cairo_fill_preserve(cr);
                else
                    cairo_fill(cr);
            }
            if (visible(p->stroke)) {
                set_color(cr, p->stroke);
                cairo_set_line_width(cr, p->stroke_w > 0 ? p->stroke_w : 1);
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
            break;
        case VSP_PRIM_LINE:
            cairo_move_to(cr, p->x, p->y);
            cairo_line_to(cr, p->x2, p->y2);
            set_color(cr, p->stroke);
            cairo_set_line_width(cr, p->stroke_w);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_stroke(cr);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
            break;
        case VSP_PRIM_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, p->x, p->y, p->w, 0, 2 * 3.14159265358979323846);
            set_color(cr, p->fill);
            if (visible(p->stroke)) {
                cairo_fill_preserve(cr);
                set_color(cr, p->stroke);
                cairo_set_line_width(cr, fmax(1.0, p->w * 0.35));
                cairo_stroke(cr);
            } else {
                cairo_fill(cr);
            }
            break;
        case VSP_PRIM_POLY:
            draw_poly(cr, s, p, rclip_ok ? (clipped ? rclip : outer) : NULL);
            break;
        case VSP_PRIM_TEXT:
            draw_text(cr, e, slot, s, p);
            break;
        case VSP_PRIM_CLIP:
            if (clipped) {
                cairo_restore(cr);
                clipped = false;
            }
            if (p->w >= 0) {
                cairo_save(cr);
                cairo_rectangle(cr, p->x, p->y, p->w, p->h);
                cairo_clip(cr);
                clipped = true;
                /* the polygons' rasteriser clips itself (raster_outline) */
                double x0 = p->x, y0 = p->y, x1 = p->x + p->w, y1 = p->y + p->h;
                cairo_user_to_device(cr, &x0, &y0);
                cairo_user_to_device(cr, &x1, &y1);
                rclip[0] = fmax(outer[0], fmin(x0, x1));
                rclip[1] = fmax(outer[1], fmin(y0, y1));
                rclip[2] = fmin(outer[2], fmax(x0, x1));
                rclip[3] = fmin(outer[3], fmax(y0, y1));
            }
            break;
        }
    }
    if (clipped)
        cairo_restore(cr);
    cairo_restore(cr);
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return vsp_error_set(err, VSP_ESOFTWARE, "drawing failed: %s",
                             cairo_status_to_string(cs));
    return VSP_OK;
}

const char *vsp_draw_font_family(void)
{
    return FONT_FAMILY;
}

size_t vsp_draw_text_lines(const vsp_scene *s, const vsp_prim *p, const char *lang,
                           vsp_text_line *lines, size_t max)
{
    engine *e = engine_get();
    const char *text = vsp_scene_str(s, p);
    PangoLayout *l = cached_layout(e, lang_slot(lang), text, p->size, p->bold,
                                   p->wrap > 0 ? p->w + 0.5 : 0, p->align);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    size_t n = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        if (n < max && line->length > 0) {
            lines[n].start = (size_t)line->start_index;
            lines[n].len = (size_t)line->length;
            lines[n].x = (double)logical.x / PANGO_SCALE;
            lines[n].width = (double)logical.width / PANGO_SCALE;
            lines[n].baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            n++;
        }
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return n;
}

vsp_status vsp_chart_draw(cairo_t *cr, double x, double y, double w, double h,
                          const vsp_chart_spec *spec, const vsp_chart_data *d, vsp_error *err)
{
    vsp_status st = VSP_ESOFTWARE;
    vsp_scene scene;
    vsp_scene_init(&scene, w, h);
    const char *lang = vsp_i18n_lang_canon(spec->lang) ? vsp_i18n_lang_canon(spec->lang) : "en";
    if (vsp_layout_chart(spec, d, vsp_draw_measurer(lang), &scene, err) != VSP_OK)
        goto out;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_clip(cr);
    st = vsp_draw_scene(cr, &scene, lang, err);
    cairo_restore(cr);
out:
    vsp_scene_fini(&scene);
    return st;
}
