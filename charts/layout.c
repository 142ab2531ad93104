/* layout.c — the cairo-free helpers of layout.h: colours, ticks, scales,
 * classes, the projection, text fitting and the scene.  The per-chart
 * layouts are in layout_charts.c. */
#include "charts/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- colours ------------------------------------------------------- */

vsp_color vsp_color_series(const char *metric)
{
    if (!metric)
        return VSP_OI_SKY;
    if (strncmp(metric, "received", 8) == 0 || strncmp(metric, "assessed", 8) == 0)
        return VSP_OI_SKY;
    if (strncmp(metric, "forwarded", 9) == 0)
        return VSP_OI_VERMILLION;
    if (strncmp(metric, "actioned", 8) == 0)
        return VSP_OI_BLUE;
    return VSP_OI_ORANGE;
}

vsp_color vsp_color_outcome(const char *code)
{
    static const struct {
        const char *code;
        vsp_color c;
    } table[] = {
        {"removed", VSP_OI_BLUE},
        {"geo_blocked", VSP_OI_SKY},
        {"age_restricted", VSP_OI_GREEN},
        {"account_suspended", VSP_OI_PURPLE},
        {"account_banned", 0x6E3A5BFFu}, /* darker purple: same family, differs in grey */
        {"declined", VSP_OI_VERMILLION},
        {"already_unavailable", VSP_OI_ORANGE},
        {"pending", 0xC8C8C8FFu},
    };
    for (size_t i = 0; code && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].code, code) == 0)
            return table[i].c;
    return 0x999999FFu;
}

static double channel_linear(unsigned v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double vsp_color_luminance(vsp_color c)
{
    return 0.2126 * channel_linear((c >> 24) & 0xFF) + 0.7152 * channel_linear((c >> 16) & 0xFF) +
           0.0722 * channel_linear((c >> 8) & 0xFF);
}

vsp_color vsp_color_ink_on(vsp_color bg)
{
    double l = vsp_color_luminance(bg);
    /* contrast ratio against black vs white */
    double with_black = (l + 0.05) / 0.05, with_white = 1.05 / (l + 0.05);
    return with_black >= with_white ? VSP_INK : VSP_WHITE;
}

vsp_color vsp_color_ramp(int k, int n)
{
    static const vsp_color ramp[] = {0xDEEBF7FFu, 0xC6DBEFFFu, 0x9ECAE1FFu, 0x6BAED6FFu,
                                     0x4292C6FFu, 0x2171B5FFu, 0x08519CFFu, 0x08306BFFu};
    const int last = (int)(sizeof ramp / sizeof ramp[0]) - 1;
    if (n <= 1)
        return ramp[3];
    if (k < 0)
        k = 0;
    if (k >= n)
        k = n - 1;
    /* spread the classes over the ramp, from its first to its 7th step */
    int idx = (int)lround((double)k * (last - 1) / (n - 1));
    return ramp[idx];
}

/* ---- ticks, scales, classes ---------------------------------------- */

double vsp_nice_step(double span, int max_ticks)
{
    if (!(span > 0) || !isfinite(span))
        return 1;
    if (max_ticks < 1)
        max_ticks = 1;
    double raw = span / max_ticks;
    double mag = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 5, 10};
    for (size_t i = 0; i < 4; i++)
        if (mult[i] * mag >= raw * (1 - 1e-9))
            return mult[i] * mag;
    return 10 * mag;
}

static double next_step(double step)
{
    double mag = pow(10, floor(log10(step) + 1e-9));
    double m = step / mag;
    if (m < 1.5)
        return 2 * mag;
    if (m < 3.5)
        return 5 * mag;
    return 10 * mag;
}

void vsp_ticks_nice(double lo, double hi, int max_ticks, vsp_ticks *t)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi < lo) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    if (hi == lo) {
        if (hi == 0)
            hi = 1;
        else if (hi > 0)
            lo = 0;
        else
            hi = 0;
    }
    if (max_ticks < 1)
        max_ticks = 1;
    double step = vsp_nice_step(hi - lo, max_ticks);
    for (int guard = 0; guard < 8; guard++) {
        double a = floor(lo / step + 1e-9) * step, b = ceil(hi / step - 1e-9) * step;
        int n = (int)lround((b - a) / step);
        if (n <= max_ticks || guard == 7) {
            t->lo = a == 0 ? 0 : a; /* no -0 */
            t->hi = b;
            t->step = step;
            t->n = n + 1;
            return;
        }
        step = next_step(step);
    }
}

double vsp_scale_map(const vsp_scale *s, double v)
{
    if (s->d1 == s->d0)
        return s->r0;
    return s->r0 + (v - s->d0) * (s->r1 - s->r0) / (s->d1 - s->d0);
}

void vsp_classes_nice(const double *values, size_t n, int max_classes, vsp_classes *c)
{
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i]) && values[i] > max)
            max = values[i];
    if (max_classes > VSP_CLASSES_MAX)
        max_classes = VSP_CLASSES_MAX;
    if (max_classes < 1)
        max_classes = 1;
    vsp_ticks t;
    vsp_ticks_nice(0, max > 0 ? max : 1, max_classes, &t);
    /* Prefer at least three classes when the caller allows them. */
    if (t.n - 1 < 3 && max_classes >= 3 && max > 0) {
        vsp_ticks finer;
        vsp_ticks_nice(0, max, max_classes + 2, &finer);
        if (finer.n - 1 <= max_classes)
            t = finer;
    }
    c->n = t.n - 1;
    for (int i = 0; i <= c->n; i++)
        c->breaks[i] = t.lo + i * t.step;
}

int vsp_classes_index(const vsp_classes *c, double v)
{
    if (!isfinite(v) || c->n < 1)
        return -1;
    for (int i = c->n - 1; i >= 0; i--)
        if (v >= c->breaks[i])
            return i;
    return 0;
}

/* ---- projection ---------------------------------------------------- */

void vsp_project_laea(double lon0, double lat0, double lon, double lat, double *x, double *y)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double l0 = lon0 * rad, p0 = lat0 * rad, l = lon * rad, p = lat * rad;
    double cosc = sin(p0) * sin(p) + cos(p0) * cos(p) * cos(l - l0);
    double k = sqrt(2.0 / (1.0 + cosc));
    *x = k * cos(p) * sin(l - l0);
    *y = k * (cos(p0) * sin(p) - sin(p0) * cos(p) * cos(l - l0));
}

/* ---- text fitting -------------------------------------------------- */

static bool fits(const vsp_measurer *m, const char *text, double size, bool bold, double max_w,
                 int max_lines, double line_h, double *w, double *h, bool *wrapped)
{
    m->measure(m->ctx, text, size, bold, 0, w, h);
    if (*w <= max_w + 0.01) {
        *wrapped = false;
        return true;
    }
    if (max_lines <= 1)
        return false;
    double ww, hh;
    m->measure(m->ctx, text, size, bold, max_w, &ww, &hh);
    int lines = (int)lround(hh / line_h);
    if (lines <= max_lines && ww <= max_w + 0.01) {
        *w = ww;
        *h = hh;
        *wrapped = true;
        return true;
    }
    return false;
}

char *vsp_fit_text(const vsp_measurer *m, const char *text, double size, bool bold,
                   double max_w, int max_lines, double *w, double *h, bool *wrapped)
{
    double lw, line_h;
    m->measure(m->ctx, "Ag", size, bold, 0, &lw, &line_h);
    if (line_h <= 0)
        line_h = size;
    if (fits(m, text, size, bold, max_w, max_lines, line_h, w, h, wrapped))
        return vsp_xstrdup(text);
    /* Never cut: wrap into as many lines as the words need.  A single word
     * wider than max_w keeps its width (the caller gave too little room;
     * vsp_text_lines_needed lets it find out before placing). */
    double ww, hh;
    m->measure(m->ctx, text, size, bold, max_w, &ww, &hh);
    *w = ww;
    *h = hh;
    *wrapped = true;
    return vsp_xstrdup(text);
}

int vsp_text_lines_needed(const vsp_measurer *m, const char *text, double size, bool bold,
                          double max_w, double *w)
{
    double lw, line_h, ww, hh;
    m->measure(m->ctx, "Ag", size, bold, 0, &lw, &line_h);
    if (line_h <= 0)
        line_h = size;
    m->measure(m->ctx, text, size, bold, 0, &ww, &hh);
    if (ww <= max_w + 0.01) {
        if (w)
            *w = ww;
        return 1;
    }
    m->measure(m->ctx, text, size, bold, max_w, &ww, &hh);
    if (w)
        *w = ww;
    if (ww > max_w + 0.01)
        return 1000; /* a word wider than max_w: no number of lines fits */
    return (int)lround(hh / line_h);
}

/* ---- scene --------------------------------------------------------- */

void vsp_scene_init(vsp_scene *s, double w, double h)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->h = h;
    s->background = VSP_WHITE;
    vsp_buf_init(&s->text);
}

void vsp_scene_fini(vsp_scene *s)
{
    free(s->prims);
    free(s->pts);
    vsp_buf_fini(&s->text);
    memset(s, 0, sizeof *s);
}

static vsp_prim *add(vsp_scene *s, vsp_prim_kind kind)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 128;
        s->prims = vsp_xrealloc(s->prims, s->cap * sizeof *s->prims);
    }
    vsp_prim *p = &s->prims[s->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    return p;
}

vsp_prim *vsp_scene_rect(vsp_scene *s, double x, double y, double w, double h, vsp_color fill)
{
    vsp_prim *p = add(s, VSP_PRIM_RECT);
    p->x = x;
    p->y = y;
    p->w = w;
    p->h = h;
    p->fill = fill;
    return p;
}

vsp_prim *vsp_scene_line(vsp_scene *s, double x, double y, double x2, double y2, vsp_color c,
                         double width)
{
    vsp_prim *p = add(s, VSP_PRIM_LINE);
    p->x = x;
    p->y = y;
    p->x2 = x2;
    p->y2 = y2;
    p->stroke = c;
    p->stroke_w = width;
    return p;
}

vsp_prim *vsp_scene_circle(vsp_scene *s, double x, double y, double r, vsp_color fill)
{
    vsp_prim *p = add(s, VSP_PRIM_CIRCLE);
    p->x = x;
    p->y = y;
    p->w = r;
    p->fill = fill;
    return p;
}

vsp_prim *vsp_scene_poly(vsp_scene *s, vsp_color fill, vsp_color stroke, double stroke_w)
{
    vsp_prim *p = add(s, VSP_PRIM_POLY);
    p->fill = fill;
    p->stroke = stroke;
    p->stroke_w = stroke_w;
    p->pt0 = s->npts;
    return p;
}

void vsp_scene_point(vsp_scene *s, double x, double y)
{
    if (s->npts == s->ptcap) {
        s->ptcap = s->ptcap ? s->ptcap * 2 : 1024;
        s->pts = vsp_xrealloc(s->pts, s->ptcap * 2 * sizeof *s->pts);
    }
    s->pts[2 * s->npts] = x;
    s->pts[2 * s->npts + 1] = y;
    s->npts++;
    if (s->n > 0 && s->prims[s->n - 1].kind == VSP_PRIM_POLY)
        s->prims[s->n - 1].npt = s->npts - s->prims[s->n - 1].pt0;
}

void vsp_scene_ring_break(vsp_scene *s)
{
    vsp_scene_point(s, NAN, NAN);
}

vsp_prim *vsp_scene_text(vsp_scene *s, vsp_role role, const char *text, double x, double y,
                         double w, double h, double size, bool bold, vsp_color color)
{
    size_t off = s->text.len;
    vsp_buf_append(&s->text, text, strlen(text) + 1);
    vsp_prim *p = add(s, VSP_PRIM_TEXT);
    p->role = role;
    p->text = off;
    p->x = x;
    p->y = y;
    p->w = w;
    p->h = h;
    p->size = size;
    p->bold = bold;
    p->fill = color;
    return p;
}

const char *vsp_scene_str(const vsp_scene *s, const vsp_prim *p)
{
    return s->text.data ? s->text.data + p->text : "";
}

void vsp_scene_clip(vsp_scene *s, double x, double y, double w, double h)
{
    vsp_prim *p = add(s, VSP_PRIM_CLIP);
    p->x = x;
    p->y = y;
    p->w = w;
    p->h = h;
}

void vsp_scene_unclip(vsp_scene *s)
{
    vsp_prim *p = add(s, VSP_PRIM_CLIP);
    p->w = -1;
}
