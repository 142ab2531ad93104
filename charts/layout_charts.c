/* layout_charts.c — one layout per chart of the catalogue, on a common
 * frame: title, subtitle (country and period), plot, footer (source, the
 * date the data are as of, the chart's own base n).  Pure geometry: text is measured through a vsp_measurer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/geo.h"
#include "charts/layout.h"
#include "pipeline/designation.h"
#include "pipeline/i18n.h"
#include "pipeline/release_text.h"

#define MAXG 32 /* groups (rows) a bar chart shows at most */

typedef struct ctx {
    const vsp_chart_spec *spec;
    const vsp_chart_data *d;
    const vsp_measurer *m;
    vsp_scene *s;
    const char *lang;
    double u;                  /* type scale */
    double f_title, f_sub, f_label, f_value, f_axis, f_foot, f_legend;
    double x0, y0, x1, y1;     /* plot area */
    bool marked;               /* regional: Kosovo's name with its designation mark */
    char xk_name[96];          /* that name */
} ctx;

/* A country's name as a regional chart shows it ("Kosovo*" where the
 * designation note is on). */
static const char *country_name(ctx *c, const char *code)
{
    const char *name = vsp_i18n_country(c->lang, code);
    const char *mark = c->marked ? vsp_designation_mark(code) : "";
    if (!mark[0])
        return name;
    snprintf(c->xk_name, sizeof c->xk_name, "%s%s", name, mark);
    return c->xk_name;
}

/* ---- titles and labels ------------------------------------------- */

const char *vsp_chart_title(vsp_chart_id id, const char *lang)
{
    static const char *const titles[VSP_CHART_COUNT] = {
        NC_("chart", "From citizen report to platform action"),
        NC_("chart", "Reports by category: received, forwarded and actioned"),
        NC_("chart", "What the platform did with forwarded items, by category"),
        NC_("chart", "How long each step takes"),
        NC_("chart", "Reports over the last eight periods"),
        NC_("chart", "Reports per 100 000 inhabitants, by country"),
        NC_("chart", "Reports received per 100 000 inhabitants"),
        NC_("chart", "Reports received, by category and country"),
        NC_("chart", "Items reported in two or more countries"),
    };
    return (unsigned)id < VSP_CHART_COUNT ? vsp_i18n_pget(lang, "chart", titles[id]) : "";
}

static const char *stage_label(const char *lang, const char *key)
{
    static const struct {
        const char *key, *name;
    } t[] = {
        {"received", NC_("stage", "Received")},
        {"assessed", NC_("stage", "Assessed")},
        {"forwarded", NC_("stage", "Forwarded to the platform")},
        {"actioned", NC_("stage", "Actioned by the platform")},
        {"received_decided", NC_("stage", "Received → decided")},
        {"decided_forwarded", NC_("stage", "Decided → forwarded")},
        {"to_action", NC_("stage", "Forwarded → actioned")},
        {"to_response", NC_("stage", "Forwarded → platform response")},
        {"received_outcome", NC_("stage", "Received → outcome")},
        {"share_24h", NC_("stage", "Within 24 hours")},
        {"share_48h", NC_("stage", "Within 48 hours")},
        {"share_7d", NC_("stage", "Within 7 days")},
        {"d_share_1d", NC_("stage", "Within 1 day")},
        {"d_share_2d", NC_("stage", "Within 2 days")},
        {"d_share_7d", NC_("stage", "Within 7 days")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].key, key) == 0)
            return vsp_i18n_pget(lang, "stage", t[i].name);
    return key;
}

/* "Bosnia and Herzegovina – Kosovo" for "BA-XK", with no-break spaces
 * inside each name (a long pair wraps at the dash, never inside "Bosnia
 * and Herzegovina"), and Kosovo's designation mark when marked. */
static const char *pair_label(const char *lang, const char *key, bool marked, char *buf,
                              size_t size)
{
    char a[3] = {key[0], key[1], 0}, b[3] = {key[3], key[4], 0};
    const char *names[2] = {vsp_i18n_country(lang, a), vsp_i18n_country(lang, b)};
    const char *marks[2] = {marked ? vsp_designation_mark(a) : "",
                            marked ? vsp_designation_mark(b) : ""};
    size_t o = 0;
    for (int k = 0; k < 2; k++) {
        if (k == 1 && o + 5 < size) {
            memcpy(buf + o, " \xe2\x80\x93 ", 5); /* " – " */
            o += 5;
        }
        for (const char *q = names[k]; *q && o + 3 < size; q++) {
            if (*q == ' ') {
                buf[o++] = '\xc2';
                buf[o++] = '\xa0';
            } else {
                buf[o++] = *q;
            }
        }
        for (const char *q = marks[k]; *q && o + 1 < size; q++)
            buf[o++] = *q;
    }
    if (size > 0)
        buf[o < size ? o : size - 1] = '\0';
    return buf;
}

const char *vsp_chart_key_label(const char *lang, const char *table, const char *key, char *buf,
                                size_t size)
{
    if (strcmp(table, "category") == 0)
        return vsp_i18n_category(lang, key);
    if (strcmp(table, "country") == 0)
        return vsp_i18n_country(lang, key);
    if (strcmp(table, "period") == 0)
        return vsp_i18n_period(lang, key, buf, size);
    if (strcmp(table, "pair") == 0 && strlen(key) == 5 && key[2] == '-')
        return pair_label(lang, key, false, buf, size);
    return stage_label(lang, key);
}

const char *vsp_chart_pair_codes(const char *key, char *buf, size_t size)
{
    /* "AL-XK" -> "AL – XK" with no-break spaces: one unit, never split */
    if (strlen(key) == 5 && key[2] == '-')
        snprintf(buf, size, "%.2s\xc2\xa0\xe2\x80\x93\xc2\xa0%.2s", key, key + 3);
    else
        snprintf(buf, size, "%s", key);
    return buf;
}

static const char *series_label(const char *lang, const char *metric)
{
    static const struct {
        const char *key, *name;
    } t[] = {
        {"received", NC_("series", "Received")},
        {"forwarded", NC_("series", "Forwarded to the platform")},
        {"actioned", NC_("series", "Actioned by the platform")},
        {"received_per100k", NC_("series", "Received")},
        {"forwarded_per100k", NC_("series", "Forwarded to the platform")},
        {"actioned_per100k", NC_("series", "Actioned by the platform")},
        {"median", NC_("series", "Median")},
        {"p90", NC_("series", "90th percentile")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].key, metric) == 0)
            return vsp_i18n_pget(lang, "series", t[i].name);
    return metric;
}

static const char *tr(const ctx *c, const char *context, const char *msgid)
{
    return vsp_i18n_pget(c->lang, context, msgid);
}

/* ---- text placement ------------------------------------------------ */

static void measure(const ctx *c, const char *text, double size, bool bold, double *w, double *h)
{
    c->m->measure(c->m->ctx, text, size, bold, 0, w, h);
}

static double text_w(const ctx *c, const char *text, double size, bool bold)
{
    double w, h;
    measure(c, text, size, bold, &w, &h);
    return w;
}

static double line_h(const ctx *c, double size)
{
    double w, h;
    measure(c, "Ag", size, false, &w, &h);
    return h;
}

/* Anchor: ha -1 left, 0 centre, 1 right of x; va -1 top, 0 middle, 1 bottom of y. */
static vsp_prim *put(ctx *c, vsp_role role, const char *text, double size, bool bold,
                     vsp_color color, double x, double y, int ha, int va)
{
    double w, h;
    measure(c, text, size, bold, &w, &h);
    double left = ha < 0 ? x : ha == 0 ? x - w / 2 : x - w;
    double top = va < 0 ? y : va == 0 ? y - h / 2 : y - h;
    vsp_prim *p = vsp_scene_text(c->s, role, text, left, top, w, h, size, bold, color);
    p->align = ha < 0 ? VSP_ALIGN_LEFT : ha == 0 ? VSP_ALIGN_CENTER : VSP_ALIGN_RIGHT;
    return p;
}

static vsp_prim *put_fit(ctx *c, vsp_role role, const char *text, double size, bool bold,
                         vsp_color color, double x, double y, double max_w, int max_lines,
                         int ha, int va)
{
    double w, h;
    bool wrapped;
    char *fit = vsp_fit_text(c->m, text, size, bold, max_w, max_lines, &w, &h, &wrapped);
    double left = ha < 0 ? x : ha == 0 ? x - w / 2 : x - w;
    double top = va < 0 ? y : va == 0 ? y - h / 2 : y - h;
    vsp_prim *p = vsp_scene_text(c->s, role, fit, left, top, w, h, size, bold, color);
    p->align = ha < 0 ? VSP_ALIGN_LEFT : ha == 0 ? VSP_ALIGN_CENTER : VSP_ALIGN_RIGHT;
    p->wrap = wrapped ? w : 0;
    free(fit);
    return p;
}

/* Lines a label may take in a row of height row_h (at least 1, at most 3). */
static int lines_in(const ctx *c, double row_h, double size)
{
    int n = (int)floor(row_h * 0.96 / line_h(c, size));
    return n < 1 ? 1 : n > 3 ? 3 : n;
}

/* The label column: the narrowest width from the widest label (capped at
 * soft) up to hard at which each of the n labels fits in `lines` lines.
 * Returns a width above hard when none does: the caller then gives the
 * rows more height (fewer rows) or uses a defined short form, since a
 * label is never cut. */
static double label_col(const ctx *c, const char *const *labels, size_t n, double size,
                        bool bold, int lines, double soft, double hard)
{
    double natural = 0;
    for (size_t i = 0; i < n; i++)
        natural = fmax(natural, text_w(c, labels[i], size, bold));
    double w = fmin(natural, soft);
    for (;;) {
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++)
            ok = vsp_text_lines_needed(c->m, labels[i], size, bold, w, NULL) <= lines;
        if (ok)
            return w;
        if (w >= hard)
            return hard + 1;
        w = fmin(hard, w + fmax(4, hard * 0.04));
    }
}

/* ---- frame --------------------------------------------------------- */

static void frame(ctx *c)
{
    double W = c->s->w, H = c->s->h, u = c->u;
    double mx = 64 * u, top = 48 * u, bottom = 36 * u;
    c->x0 = mx;
    c->x1 = W - mx;
    c->y0 = top;
    c->y1 = H - bottom;
    if (!c->spec->frame) {
        c->x0 = 8 * u;
        c->x1 = W - 8 * u;
        c->y0 = 8 * u;
        c->y1 = H - 8 * u;
        return;
    }
    const vsp_chart_data *d = c->d;
    const char *lang = c->lang;
    double y = top;
    vsp_prim *t = put_fit(c, VSP_ROLE_TITLE, vsp_chart_title(d->id, lang), c->f_title, true,
                          VSP_INK, mx, y, W - 2 * mx, 2, -1, -1);
    y = t->y + t->h + 6 * u;

    char period[96], sub[512];
    vsp_i18n_period(lang, d->period, period, sizeof period);
    const char *cname = vsp_i18n_country(lang, d->country);
    char regulators[256];
    vsp_chart_regulators(d, lang, regulators, sizeof regulators);
    if (strcmp(d->country, "region") != 0 && regulators[0])
        snprintf(sub, sizeof sub, "%s (%s) · %s", cname, regulators, period);
    else
        snprintf(sub, sizeof sub, "%s · %s", cname, period);
    vsp_prim *st = put_fit(c, VSP_ROLE_SUBTITLE, sub, c->f_sub, false, VSP_INK_SOFT, mx, y,
                           W - 2 * mx, 1, -1, -1);
    c->y0 = st->y + st->h + 36 * u;

    /* footer: source · data as of · the chart's base */
    char foot[768], freeze[64], n[VSP_FMT_MAX], part[256];
    size_t o = 0;
    if (regulators[0]) {
        const char *names[] = {"regulators"};
        const char *values[] = {regulators};
        vsp_i18n_subst(part, sizeof part, tr(c, "footer", "Source: case logs of {regulators}"),
                       1, names, values);
    } else {
        snprintf(part, sizeof part, "%s", tr(c, "footer", "Source: regulators' case logs"));
    }
    o += (size_t)snprintf(foot + o, sizeof foot - o, "%s", part);
    /* how current: the date the data are as of (the region: the earliest
     * regulator's, named), not when they were imported */
    if (d->data_as_of[0] && o < sizeof foot) {
        vsp_i18n_date(lang, d->data_as_of, freeze, sizeof freeze);
        const char *names[] = {"date", "who"};
        char regs[128];
        const char *values[] = {freeze,
                                vsp_i18n_regulator_list(lang, d->as_of_from, regs, sizeof regs)};
        vsp_i18n_subst(part, sizeof part,
                       d->as_of_from[0] ? tr(c, "footer", "Data as of {date} (earliest: {who})")
                                        : tr(c, "footer", "Data as of {date}"),
                       2, names, values);
        o += (size_t)snprintf(foot + o, sizeof foot - o, " · %s", part);
        if (d->provisional == 1 && o < sizeof foot)
            o += (size_t)snprintf(foot + o, sizeof foot - o, " · %s",
                                  tr(c, "footer", "provisional: outcomes still arriving"));
    }
    /* each chart its own base */
    if (isfinite(d->n) && o < sizeof foot) {
        vsp_fmt_int(lang, d->n, n, sizeof n);
        /* whose hours the region pools: the regulators by their short
         * names in the reader's language, as the as-of date names them */
        char pooled[128];
        const char *names[] = {"n", "who"};
        const char *values[] = {n, vsp_i18n_regulator_list(lang, d->hours_from, pooled,
                                                           sizeof pooled)};
        unsigned long count = d->n >= 0 ? (unsigned long)llround(d->n) : 0;
        const char *templ = vsp_i18n_npget(lang, "footer", "n = {n} report received",
                                           "n = {n} reports received", count);
        switch (d->base) {
        case VSP_BASE_RECEIVED: break;
        case VSP_BASE_ITEMS:
            templ = vsp_i18n_npget(lang, "footer", "n = {n} item reported in two or more countries",
                                   "n = {n} items reported in two or more countries", count);
            break;
        case VSP_BASE_FINAL:
            templ = tr(c, "footer", "n = {n} forwarded items with a final outcome");
            break;
        case VSP_BASE_TIMED:
            templ = d->hours_from[0]
                        ? tr(c, "footer", "n = {n} actioned items timed to the hour ({who})")
                        : tr(c, "footer", "n = {n} actioned items timed to the hour");
            break;
        case VSP_BASE_DATED:
            templ = tr(c, "footer", "n = {n} actioned items with dates; whole days (no times of day recorded)");
            break;
        case VSP_BASE_PERIODS:
            templ = tr(c, "footer", "{n} periods; hollow points: provisional periods");
            break;
        }
        o += (size_t)snprintf(foot + o, sizeof foot - o, " · ");
        if (o < sizeof foot)
            vsp_i18n_subst(foot + o, sizeof foot - o, templ, 2, names, values);
    }
    const char *brand = "vspreport";
    double bw = text_w(c, brand, c->f_foot, false);
    vsp_prim *f = put_fit(c, VSP_ROLE_FOOTER, foot, c->f_foot, false, VSP_INK_FAINT, mx,
                          H - bottom, W - 2 * mx - bw - 32 * u, 2, -1, 1);
    put(c, VSP_ROLE_FOOTER, brand, c->f_foot, false, VSP_INK_FAINT, W - mx, H - bottom, 1, 1);
    double rule = f->y - 16 * u, above = f->y;
    /* the release the chart belongs to ("Release 2026Q3-v2, 6 Dec 2026 —
     * provisional"), on its own line above the source, so that a chart
     * copied onto a slide still says which version of the figures it shows */
    if (c->spec->release) {
        char rel[256];
        vsp_release_format(c->spec->release, lang, rel, sizeof rel);
        vsp_prim *rp = put_fit(c, VSP_ROLE_FOOTER, rel, c->f_foot, false, VSP_INK_FAINT, mx,
                               above - 8 * u, W - 2 * mx, 2, -1, 1);
        above = rp->y;
        rule = above - 16 * u;
    }
    /* a regional chart names Kosovo among its neighbours (in the footer's
     * regulators at least): the designation note above the source */
    if (c->marked) {
        vsp_prim *dn = put_fit(c, VSP_ROLE_FOOTER, vsp_designation_note(lang), c->f_foot, false,
                               VSP_INK_FAINT, mx, above - 8 * u, W - 2 * mx, 2, -1, 1);
        rule = dn->y - 16 * u;
    }
    vsp_scene_line(c->s, mx, rule, W - mx, rule, VSP_GRID, 1.5 * u);
    c->y1 = rule - 28 * u;
}

static void notice(ctx *c, const char *text)
{
    put_fit(c, VSP_ROLE_LABEL, text, c->f_sub, false, VSP_INK_SOFT, (c->x0 + c->x1) / 2,
            (c->y0 + c->y1) / 2, c->x1 - c->x0, 2, 0, 0);
}

/* A horizontal legend from (x, y) flowing into rows within max_w.
 * Returns the height used. */
static double legend(ctx *c, double x, double y, double max_w, size_t n, const char *const *names,
                     const vsp_color *colors)
{
    double u = c->u, sw = 26 * u, gap = 12 * u, sep = 36 * u;
    double lh = line_h(c, c->f_legend);
    double cx = x, cy = y, row_h = fmax(lh, sw);
    for (size_t i = 0; i < n; i++) {
        double w = text_w(c, names[i], c->f_legend, false);
        if (w > max_w - sw - gap)
            w = max_w - sw - gap;
        double item = sw + gap + w;
        if (cx > x && cx + item > x + max_w) {
            cx = x;
            cy += row_h + 10 * u;
        }
        vsp_scene_rect(c->s, cx, cy + (row_h - sw) / 2, sw, sw, colors[i]);
        put_fit(c, VSP_ROLE_LEGEND, names[i], c->f_legend, false, VSP_INK, cx + sw + gap,
                cy + row_h / 2, max_w - sw - gap, 1, -1, 0);
        cx += item + sep;
    }
    return cy + row_h - y;
}

/* ---- horizontal bars ------------------------------------------------ */

typedef enum { FMT_INT, FMT_RATE, FMT_HOURS, FMT_PCT, FMT_DAYS } value_fmt;

typedef struct hbars {
    double x, y, w, h;           /* area, including labels and axis */
    size_t ng, ns;               /* groups, series per group */
    const char *labels[MAXG];    /* group labels */
    const char *sublabels[MAXG]; /* second line, small (may be NULL) */
    double v[MAXG][3];           /* values */
    double extra[MAXG][3];       /* counts shown in brackets (FMT_RATE), NAN if none */
    vsp_color colors[3];
    value_fmt fmt;
    const char *axis_title;      /* unit, under the axis (may be NULL) */
    double label_share;          /* max share of the width for labels */
    double label_max;            /* > 0: the labels may take this share (else half) */
    bool pair_codes;             /* "pair" rows by country code, not name */
    double vmax;                 /* > 0: the axis's maximum (panels that share a scale) */
    double lw_min;               /* the label column at least this wide (same) */
    char pairbuf[MAXG][320];     /* the pair rows' labels */
} hbars;

/* A legend of ns series across (x, w) at the top of the plot, and hb set
 * up as the bars under it, in the legend's colours, down to the plot's
 * foot. */
static void hbars_under_legend(ctx *c, hbars *hb, double x, double w, size_t ns,
                               const char *const *names, const vsp_color *colors)
{
    double lh = legend(c, x, c->y0, w, ns, names, colors);
    memset(hb, 0, sizeof *hb);
    hb->x = x;
    hb->y = c->y0 + lh + 28 * c->u;
    hb->w = w;
    hb->h = c->y1 - hb->y;
    hb->ns = ns;
    for (size_t s = 0; s < ns; s++)
        hb->colors[s] = colors[s];
}

/* hbars_under_legend across the whole plot for the first three columns of
 * t, each named and coloured as its metric. */
static void hbars_three_series(ctx *c, hbars *hb, const vsp_chart_table *t)
{
    const char *names[3];
    vsp_color colors[3];
    for (size_t s = 0; s < 3; s++) {
        names[s] = series_label(c->lang, t->cols[s]);
        colors[s] = vsp_color_series(t->cols[s]);
    }
    hbars_under_legend(c, hb, c->x0, c->x1 - c->x0, 3, names, colors);
}

static void fmt_value(const ctx *c, value_fmt fmt, double v, double extra, char *buf, size_t size)
{
    char a[VSP_FMT_MAX], b[VSP_FMT_MAX];
    switch (fmt) {
    case FMT_INT: vsp_fmt_int(c->lang, v, buf, size); return;
    case FMT_HOURS: vsp_fmt_hours(c->lang, v, buf, size); return;
    case FMT_DAYS: vsp_fmt_num(c->lang, v, 1, buf, size); return;
    case FMT_PCT: vsp_fmt_pct(c->lang, v, 0, buf, size); return;
    case FMT_RATE:
        vsp_fmt_num(c->lang, v, 1, a, sizeof a);
        if (isfinite(extra)) {
            vsp_fmt_int(c->lang, extra, b, sizeof b);
            if (snprintf(buf, size, "%s (%s)", a, b) >= (int)size && size > 0)
                buf[size - 1] = '\0';
        } else {
            snprintf(buf, size, "%s", a);
        }
        return;
    }
}

/* Height of the axis title under the bars: as many lines as it takes at
 * 60 % of the area's width (at most three). */
static double axis_title_h(const ctx *c, const hbars *hb)
{
    if (!hb->axis_title)
        return 0;
    int n = vsp_text_lines_needed(c->m, hb->axis_title, c->f_axis, false, hb->w * 0.6, NULL);
    return (n > 3 ? 3 : n) * line_h(c, c->f_axis) + 4 * c->u;
}

/* The tallest a group gets (few groups stay close together at the top):
 * its bars, or three lines of label and a sublabel if that is more. */
static double gh_cap(const ctx *c, const hbars *hb)
{
    bool subs = false;
    for (size_t g = 0; g < hb->ng; g++)
        subs |= hb->sublabels[g] != NULL;
    return fmax(hb->ns * 64 * c->u / 0.6,
                3 * line_h(c, c->f_label) / 0.96 + (subs ? line_h(c, c->f_axis) + 2 * c->u : 0));
}

/* The lines a group label may take and the label column's width; false
 * when some label does not fit even at half the area's width. */
static bool hbars_labels(const ctx *c, const hbars *hb, int *lines, double *lw)
{
    double u = c->u;
    double axis_h = line_h(c, c->f_axis) + 10 * u;
    double title_h = axis_title_h(c, hb);
    double gh = fmin((hb->h - axis_h - title_h) / (double)(hb->ng ? hb->ng : 1),
                     gh_cap(c, hb));
    bool subs = false;
    double sw = 0;
    for (size_t g = 0; g < hb->ng; g++)
        if (hb->sublabels[g]) {
            subs = true;
            sw = fmax(sw, text_w(c, hb->sublabels[g], c->f_axis, false));
        }
    double avail = gh - (subs ? line_h(c, c->f_axis) + 2 * u : 0);
    *lines = lines_in(c, avail, c->f_label);
    double soft = hb->w * (hb->label_share > 0 ? hb->label_share : 0.3);
    double hard = hb->w * (hb->label_max > 0 ? hb->label_max : 0.5);
    double w = label_col(c, hb->labels, hb->ng, c->f_label, false, *lines, soft, hard);
    bool ok = w <= hard;
    *lw = fmin(fmax(fmin(w, hard), fmin(sw, hard)), hard);
    return ok;
}

static void draw_hbars(ctx *c, const hbars *hb)
{
    double u = c->u;
    if (hb->ng == 0)
        return;
    /* label column: as many lines as a group's height holds, as wide as
     * the labels need up to half the area */
    int lines;
    double lw;
    hbars_labels(c, hb, &lines, &lw);
    lw = fmax(lw, hb->lw_min);
    double bx = hb->x + lw + 20 * u;
    /* widest value label, so labels always fit outside the bars */
    double max_v = 0, vw = 0;
    for (size_t g = 0; g < hb->ng; g++)
        for (size_t s = 0; s < hb->ns; s++) {
            double v = hb->v[g][s];
            if (!isfinite(v))
                continue;
            if (v > max_v)
                max_v = v;
            char buf[128];
            fmt_value(c, hb->fmt, v, hb->extra[g][s], buf, sizeof buf);
            double w = text_w(c, buf, c->f_value, true);
            if (w > vw)
                vw = w;
        }
    if (hb->vmax > max_v)
        max_v = hb->vmax;
    /* thin bars (a small box): value labels shrink to the bar pitch */
    double vf = c->f_value;
    {
        double axis_h0 = line_h(c, c->f_axis) + 10 * u;
        double title_h0 = axis_title_h(c, hb);
        double gh0 = fmin((hb->h - axis_h0 - title_h0) / hb->ng, gh_cap(c, hb));
        double pitch = fmin(gh0 * 0.78 / hb->ns, 64 * u) + 3 * u;
        double lh = line_h(c, vf);
        if (hb->ns > 1 && lh > pitch)
            vf *= pitch / lh;
        vw *= vf / c->f_value;
    }
    double right = hb->x + hb->w - vw - 14 * u;
    if (right < bx + 40 * u)
        right = bx + 40 * u;
    double axis_h = line_h(c, c->f_axis) + 10 * u;
    double title_h = axis_title_h(c, hb);
    double top = hb->y, bottom = hb->y + hb->h - axis_h - title_h;
    vsp_ticks t;
    if (hb->fmt == FMT_PCT) {
        t.lo = 0;
        t.hi = 1;
        t.step = 0.25;
        t.n = 5;
    } else {
        int max_ticks = (int)fmax(2, floor((right - bx) / (110 * u)));
        vsp_ticks_nice(0, max_v > 0 ? max_v : 1, max_ticks, &t);
    }
    vsp_scale sx = {t.lo, t.hi, bx, right};
    {
        double gh0 = fmin((bottom - top) / hb->ng, gh_cap(c, hb));
        bottom = top + gh0 * hb->ng; /* the axis sits under the last group */
    }
    /* grid and tick labels */
    for (int i = 0; i < t.n; i++) {
        double v = t.lo + i * t.step, x = vsp_scale_map(&sx, v);
        vsp_scene_line(c->s, x, top, x, bottom, i == 0 ? 0x9A9A9AFFu : VSP_GRID,
                       (i == 0 ? 2 : 1.5) * u);
        char buf[VSP_FMT_MAX];
        if (hb->fmt == FMT_PCT)
            vsp_fmt_pct(c->lang, v, 0, buf, sizeof buf);
        else
            vsp_fmt_tick(c->lang, v, t.step, buf, sizeof buf);
        put(c, VSP_ROLE_AXIS, buf, c->f_axis, false, VSP_INK_SOFT, x, bottom + 8 * u, 0, -1);
    }
    if (hb->axis_title)
        put_fit(c, VSP_ROLE_AXIS, hb->axis_title, c->f_axis, false, VSP_INK_SOFT, right,
                bottom + axis_h + 2 * u, fmin(hb->w * 0.6, right - hb->x), 3, 1, -1);
    /* bars */
    /* few groups: keep bars close together at the top, not spread out */
    double gh = fmin((bottom - top) / hb->ng, gh_cap(c, hb));
    double bar = fmin(gh * 0.78 / hb->ns, 64 * u);
    double used = bar * hb->ns + (hb->ns - 1) * 3 * u;
    for (size_t g = 0; g < hb->ng; g++) {
        double gy = top + g * gh, cy = gy + gh / 2;
        double by = cy - used / 2;
        /* label (and sublabel) right-aligned against the bars */
        if (hb->sublabels[g]) {
            double sh = line_h(c, c->f_axis);
            vsp_prim *lp = put_fit(c, VSP_ROLE_LABEL, hb->labels[g], c->f_label, false, VSP_INK,
                                   bx - 14 * u, cy - sh / 2, lw, lines, 1, 0);
            put_fit(c, VSP_ROLE_AXIS, hb->sublabels[g], c->f_axis, false, VSP_INK_SOFT,
                    bx - 14 * u, lp->y + lp->h + 2 * u, lw, 1, 1, -1);
        } else {
            put_fit(c, VSP_ROLE_LABEL, hb->labels[g], c->f_label, false, VSP_INK, bx - 14 * u,
                    cy, lw, lines, 1, 0);
        }
        for (size_t s = 0; s < hb->ns; s++) {
            double v = hb->v[g][s];
            double y = by + s * (bar + 3 * u);
            char buf[128];
            fmt_value(c, hb->fmt, v, hb->extra[g][s], buf, sizeof buf);
            if (isfinite(v) && v > 0) {
                double x = vsp_scale_map(&sx, v);
                vsp_scene_rect(c->s, bx, y, x - bx, bar, hb->colors[s]);
                put(c, VSP_ROLE_VALUE, buf, vf, true, VSP_INK, x + 8 * u, y + bar / 2, -1, 0);
            } else {
                put(c, VSP_ROLE_VALUE, buf, vf, true, VSP_INK_SOFT, bx + 8 * u, y + bar / 2, -1,
                    0);
            }
        }
    }
}

/* Font size that lets the bars of a group carry their labels. */
static size_t groups_that_fit(const ctx *c, double h, size_t ns, size_t want)
{
    /* a bar as tall as its value's line: values never shrink to fit */
    double min_bar = line_h(c, c->f_value);
    double per_group = ns * min_bar / 0.78;
    size_t fit = (size_t)floor(h / per_group);
    if (fit < 2)
        fit = 2;
    return want < fit ? want : fit;
}

/* ---- the charts ---------------------------------------------------- */

static bool table_empty(const vsp_chart_table *t)
{
    if (!t || t->n_rows == 0)
        return true;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        if (isfinite(t->v[i]) && t->v[i] != 0)
            return false;
    return true;
}

/* The note beside funnel stage i: its share of the stage before; on the
 * actioned bar also the action rate with its own denominator, so that the
 * two ratios never read as one. */
static void funnel_note(const ctx *c, const vsp_chart_table *t, size_t i, const char *of,
                        char *buf, size_t size)
{
    char pct[VSP_FMT_MAX], rate[VSP_FMT_MAX];
    vsp_fmt_pct(c->lang, t->v[i * t->n_cols + 1], 0, pct, sizeof pct);
    double ar = t->n_cols > 2 ? t->v[i * t->n_cols + 2] : NAN;
    vsp_fmt_pct(c->lang, ar, 0, rate, sizeof rate);
    const char *names[] = {"pct", "rate"};
    const char *values[] = {pct, rate};
    const char *templ =
        i == 3 && isfinite(ar)
            ? vsp_i18n_pget(c->lang, "funnel",
                            "{pct} of forwarded; action rate {rate} of those with a final outcome")
            : vsp_i18n_pget(c->lang, "funnel", of);
    vsp_i18n_subst(buf, size, templ, 2, names, values);
}

static void chart_funnel(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "stage");
    if (table_empty(t)) {
        notice(c, tr(c, "chart", "No data for this period"));
        return;
    }
    static const char *const of[] = {
        NULL,
        NC_("funnel", "{pct} of received"),
        NC_("funnel", "{pct} of assessed"),
        NC_("funnel", "{pct} of forwarded"),
    };
    static const vsp_color colors[] = {VSP_OI_SKY, 0x8CCBEFFFu, VSP_OI_VERMILLION, VSP_OI_BLUE};
    double u = c->u;
    size_t n = t->n_rows < 4 ? t->n_rows : 4;
    double lw = 0;
    for (size_t i = 0; i < n; i++) {
        double w = text_w(c, stage_label(c->lang, t->rows[i]), c->f_label, true);
        lw = fmax(lw, w);
    }
    lw = fmin(lw, (c->x1 - c->x0) * 0.3);
    double bx = c->x0 + lw + 24 * u;
    /* room on the right for "1.234" + "96 % of received" */
    double note_w = 0;
    for (size_t i = 1; i < n; i++) {
        char buf[256];
        funnel_note(c, t, i, of[i], buf, sizeof buf);
        note_w = fmax(note_w, text_w(c, buf, c->f_axis, false));
    }
    double max = t->v[0];
    for (size_t i = 0; i < n; i++)
        if (isfinite(t->v[i * t->n_cols]) && t->v[i * t->n_cols] > max)
            max = t->v[i * t->n_cols];
    char maxbuf[VSP_FMT_MAX];
    vsp_fmt_int(c->lang, max, maxbuf, sizeof maxbuf);
    double vw = text_w(c, maxbuf, c->f_value * 1.25, true);
    /* a long note (the action rate beside the last step) wraps in a
     * column of at most 40 % of the plot, never crowding the bars out */
    double note_cap = (c->x1 - c->x0) * 0.4;
    note_w = fmin(note_w, note_cap);
    double right = c->x1 - fmax(vw, note_w) - 24 * u;
    vsp_scale sx = {0, max > 0 ? max : 1, bx, right};
    /* the last note's extra lines below the last bar */
    double reserve = 0;
    if (n > 1) {
        char lb[256];
        funnel_note(c, t, n - 1, of[n - 1], lb, sizeof lb);
        int nl = vsp_text_lines_needed(c->m, lb, c->f_axis, false, note_w, NULL);
        if (nl > 1)
            reserve = (nl > 3 ? 2 : nl - 1) * line_h(c, c->f_axis);
    }
    double gh = (c->y1 - c->y0 - reserve) / n, bar = fmin(gh * 0.62, 120 * u);
    for (size_t i = 0; i < n; i++) {
        double v = t->v[i * t->n_cols], cy = c->y0 + gh * i + gh / 2;
        double x = isfinite(v) ? vsp_scale_map(&sx, v) : bx;
        if (isfinite(v) && v > 0)
            vsp_scene_rect(c->s, bx, cy - bar / 2, x - bx, bar, colors[i]);
        put_fit(c, VSP_ROLE_LABEL, stage_label(c->lang, t->rows[i]), c->f_label, true, VSP_INK,
                bx - 16 * u, cy, lw, 2, 1, 0);
        char num[VSP_FMT_MAX];
        vsp_fmt_int(c->lang, v, num, sizeof num);
        vsp_prim *vp = put(c, VSP_ROLE_VALUE, num, c->f_value * 1.25, true, VSP_INK, x + 12 * u,
                           cy, -1, i > 0 ? 1 : 0);
        if (i > 0) {
            char buf[256];
            funnel_note(c, t, i, of[i], buf, sizeof buf);
            put_fit(c, VSP_ROLE_VALUE, buf, c->f_axis, false, VSP_INK_SOFT, vp->x, cy + 2 * u,
                    fmax(note_w, c->x1 - vp->x), 3, -1, -1);
        }
    }
}

/* Fill hb's groups from table rows, folding the rows that do not fit into
 * one "All other categories (k)" group that sums them. */
static void fill_groups_n(ctx *c, hbars *hb, const vsp_chart_table *t, const size_t *cols,
                          size_t first_row, size_t fit, char *other_buf, size_t other_size)
{
    size_t rows = t->n_rows - first_row;
    size_t show = rows <= fit ? rows : fit - 1;
    hb->ng = 0;
    for (size_t r = 0; r < show; r++) {
        size_t row = first_row + r;
        char tmp[8];
        const char *key = t->rows[row];
        if (strcmp(t->name, "pair") != 0)
            hb->labels[hb->ng] = vsp_chart_key_label(c->lang, t->name, key, tmp, 0);
        else if (!hb->pair_codes || strlen(key) != 5)
            hb->labels[hb->ng] = pair_label(c->lang, key, c->marked, hb->pairbuf[hb->ng],
                                            sizeof hb->pairbuf[0]);
        else /* "AL – XK", the codes kept together (the key marks Kosovo) */
            hb->labels[hb->ng] = vsp_chart_pair_codes(key, hb->pairbuf[hb->ng],
                                                       sizeof hb->pairbuf[0]);
        for (size_t s = 0; s < hb->ns; s++) {
            hb->v[hb->ng][s] = t->v[row * t->n_cols + cols[s]];
            hb->extra[hb->ng][s] = NAN;
        }
        hb->ng++;
    }
    if (show < rows) {
        char k[VSP_FMT_MAX];
        vsp_fmt_int(c->lang, (double)(rows - show), k, sizeof k);
        const char *names[] = {"n"};
        const char *values[] = {k};
        vsp_i18n_subst(other_buf, other_size,
                       strcmp(t->name, "pair") == 0 ? tr(c, "chart", "All other pairs ({n})")
                                                    : tr(c, "chart", "All other categories ({n})"),
                       1, names, values);
        hb->labels[hb->ng] = other_buf;
        for (size_t s = 0; s < hb->ns; s++) {
            double sum = 0;
            for (size_t r = first_row + show; r < t->n_rows; r++) {
                double v = t->v[r * t->n_cols + cols[s]];
                if (isfinite(v))
                    sum += v;
            }
            hb->v[hb->ng][s] = sum;
            hb->extra[hb->ng][s] = NAN;
        }
        hb->ng++;
    }
}

/* fill_groups_n with as many groups as the height holds, fewer while a
 * label would not fit in its row (labels are never cut: a row that holds
 * them is worth more than one more row). */
static void fill_groups(ctx *c, hbars *hb, const vsp_chart_table *t, const size_t *cols,
                        size_t first_row, size_t max_groups, char *other_buf, size_t other_size)
{
    size_t rows = t->n_rows - first_row;
    size_t fit = groups_that_fit(c, hb->h, hb->ns, rows > MAXG ? MAXG : rows);
    if (max_groups >= 2 && fit > max_groups)
        fit = max_groups;
    for (;;) {
        fill_groups_n(c, hb, t, cols, first_row, fit, other_buf, other_size);
        int lines;
        double lw;
        if (fit <= 2 || hbars_labels(c, hb, &lines, &lw))
            return;
        fit--;
    }
}

/* Draw hb's groups in two columns side by side on one scale and one
 * label width: the first ceil(ng / 2) left, the rest right. */
static void draw_hbars_two(ctx *c, const hbars *hb)
{
    double u = c->u, mid = (c->x0 + c->x1) / 2;
    hbars *left = vsp_xmalloc(sizeof *left), *right = vsp_xmalloc(sizeof *right);
    *left = *hb;
    *right = *hb;
    left->w = mid - 30 * u - hb->x;
    right->x = mid + 30 * u;
    right->w = c->x1 - right->x;
    size_t nl = (hb->ng + 1) / 2;
    left->ng = nl;
    right->ng = hb->ng - nl;
    for (size_t g = 0; g < right->ng; g++) {
        right->labels[g] = hb->labels[nl + g];
        right->sublabels[g] = hb->sublabels[nl + g];
        for (size_t q = 0; q < 3; q++) {
            right->v[g][q] = hb->v[nl + g][q];
            right->extra[g][q] = hb->extra[nl + g][q];
        }
    }
    double vmax = 0;
    for (size_t g = 0; g < hb->ng; g++)
        for (size_t q = 0; q < hb->ns; q++)
            if (isfinite(hb->v[g][q]) && hb->v[g][q] > vmax)
                vmax = hb->v[g][q];
    int lines;
    double lw_l = 0, lw_r = 0;
    hbars_labels(c, left, &lines, &lw_l);
    hbars_labels(c, right, &lines, &lw_r);
    left->vmax = right->vmax = vmax;
    left->lw_min = right->lw_min = fmax(lw_l, lw_r);
    draw_hbars(c, left);
    draw_hbars(c, right);
    free(left);
    free(right);
}

/* Whether hb's values would be set smaller than slide size (bars thinner
 * than a value's line). */
static bool hbars_values_shrink(const ctx *c, const hbars *hb)
{
    double u = c->u;
    double axis_h = line_h(c, c->f_axis) + 10 * u;
    double title_h = axis_title_h(c, hb);
    double gh = fmin((hb->h - axis_h - title_h) / (double)(hb->ng ? hb->ng : 1), gh_cap(c, hb));
    double pitch = fmin(gh * 0.78 / hb->ns, 64 * u) + 3 * u;
    return hb->ns > 1 && line_h(c, c->f_value) > pitch;
}

static void chart_categories(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "category");
    if (table_empty(t)) {
        notice(c, tr(c, "chart", "No data for this period"));
        return;
    }
    /* categories with no reports are left out of the picture (not the CSV) */
    size_t rows = 0;
    while (rows < t->n_rows && isfinite(t->v[rows * t->n_cols]) && t->v[rows * t->n_cols] > 0)
        rows++;
    vsp_chart_table view = *t;
    view.n_rows = rows;
    hbars hb;
    hbars_three_series(c, &hb, t);
    hb.fmt = FMT_INT;
    hb.label_share = 0.3;
    hb.axis_title = tr(c, "axis", "Reports");
    static const size_t cols[] = {0, 1, 2};
    char other[128];
    fill_groups(c, &hb, &view, cols, 0, 0, other, sizeof other);
    if (hb.ng >= rows || (c->x1 - c->x0) < 1200 * c->u || hb.ng < 2) {
        draw_hbars(c, &hb);
        return;
    }
    /* more categories than one column holds on a wide box: two columns
     * on one scale, the first full, the second ending in "All other
     * categories" if they still do not all fit */
    double u = c->u, mid = (c->x0 + c->x1) / 2;
    hbars *left = vsp_xmalloc(sizeof *left), *right = vsp_xmalloc(sizeof *right);
    *left = hb;
    left->w = mid - 30 * u - hb.x;
    fill_groups(c, left, &view, cols, 0, 0, other, sizeof other);
    size_t n_left = left->ng < rows ? left->ng : rows;
    if (n_left < rows) {
        /* the left column holds n_left whole rows, no "other" */
        vsp_chart_table head = view;
        head.n_rows = n_left;
        fill_groups_n(c, left, &head, cols, 0, n_left, other, sizeof other);
    }
    *right = hb;
    right->x = mid + 30 * u;
    right->w = c->x1 - right->x;
    if (n_left < rows)
        fill_groups(c, right, &view, cols, n_left, 0, other, sizeof other);
    else
        right->ng = 0;
    double vmax = 0;
    for (int k = 0; k < 2; k++) {
        const hbars *p = k ? right : left;
        for (size_t g = 0; g < p->ng; g++)
            for (size_t q = 0; q < p->ns; q++)
                if (isfinite(p->v[g][q]) && p->v[g][q] > vmax)
                    vmax = p->v[g][q];
    }
    left->vmax = right->vmax = vmax;
    int lines;
    double lw_l = 0, lw_r = 0;
    hbars_labels(c, left, &lines, &lw_l);
    if (right->ng)
        hbars_labels(c, right, &lines, &lw_r);
    left->lw_min = right->lw_min = fmax(lw_l, lw_r);
    draw_hbars(c, left);
    draw_hbars(c, right);
    free(left);
    free(right);
}

static void chart_outcomes(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "category");
    if (table_empty(t) || !(isfinite(t->v[0]) && t->v[0] > 0)) {
        notice(c, tr(c, "chart", "No items were forwarded to the platform in this period"));
        return;
    }
    double u = c->u;
    size_t no = t->n_cols - 1;
    const char *names[8];
    vsp_color colors[8];
    for (size_t j = 0; j < no && j < 8; j++) {
        const char *code = t->cols[1 + j] + strlen("outcome_");
        names[j] = vsp_i18n_outcome(c->lang, code);
        colors[j] = vsp_color_outcome(code);
    }
    double lh = legend(c, c->x0, c->y0, c->x1 - c->x0, no, names, colors);
    double top = c->y0 + lh + 32 * u;
    double axis_h = line_h(c, c->f_axis) + 10 * u;
    double bottom = c->y1 - axis_h;
    /* rows: the total, then categories; fold what does not fit, and fold
     * one more while a label would not fit in its row */
    size_t rows = t->n_rows, fit = groups_that_fit(c, bottom - top, 1, rows);
    /* bars tall enough for their percentages at full size */
    size_t by_pct = (size_t)floor((bottom - top) * 0.72 / line_h(c, c->f_axis));
    if (fit > by_pct)
        fit = by_pct < 2 ? 2 : by_pct;
    fit = fit > MAXG ? MAXG : fit;
    size_t show, ng;
    double vals[MAXG][9];
    const char *labels[MAXG];
    char other[128];
    double lw;
    int lines;
    for (;;) {
        show = rows <= fit ? rows : fit - 1;
        ng = show + (show < rows ? 1 : 0);
        for (size_t g = 0; g < show; g++) {
            char tmp[8];
            labels[g] = vsp_chart_key_label(c->lang, "category", t->rows[g], tmp, 0);
            for (size_t j = 0; j <= no; j++)
                vals[g][j] = t->v[g * t->n_cols + j];
        }
        if (show < rows) {
            char k[VSP_FMT_MAX];
            vsp_fmt_int(c->lang, (double)(rows - show), k, sizeof k);
            const char *pn[] = {"n"};
            const char *pv[] = {k};
            vsp_i18n_subst(other, sizeof other, tr(c, "chart", "All other categories ({n})"), 1,
                           pn, pv);
            labels[show] = other;
            for (size_t j = 0; j <= no; j++) {
                double sum = 0;
                for (size_t r = show; r < rows; r++)
                    if (isfinite(t->v[r * t->n_cols + j]))
                        sum += t->v[r * t->n_cols + j];
                vals[show][j] = sum;
            }
        }
        double gh0 = (bottom - top) / ng;
        lines = lines_in(c, gh0, c->f_label);
        double hard = (c->x1 - c->x0) * 0.45;
        /* the total (row 0) is set in bold */
        lw = fmax(label_col(c, labels, 1, c->f_label, true, lines, (c->x1 - c->x0) * 0.28, hard),
                  label_col(c, labels + 1, ng - 1, c->f_label, false, lines,
                            (c->x1 - c->x0) * 0.28, hard));
        if (lw <= hard || fit <= 2)
            break;
        fit--;
    }
    lw = fmin(lw, (c->x1 - c->x0) * 0.45);
    double bx = c->x0 + lw + 20 * u;
    char nb[96];
    snprintf(nb, sizeof nb, "n = %s", "0.000.000");
    double nw = text_w(c, nb, c->f_axis, false);
    double right = c->x1 - nw - 20 * u;
    vsp_scale sx = {0, 1, bx, right};
    double gh = (bottom - top) / ng, bar = fmin(gh * 0.72, 72 * u);
    for (int i = 0; i <= 4; i++) {
        double x = vsp_scale_map(&sx, i / 4.0);
        vsp_scene_line(c->s, x, top, x, bottom, VSP_GRID, 1.5 * u);
        char buf[VSP_FMT_MAX];
        vsp_fmt_pct(c->lang, i / 4.0, 0, buf, sizeof buf);
        put(c, VSP_ROLE_AXIS, buf, c->f_axis, false, VSP_INK_SOFT, x, bottom + 8 * u, 0, -1);
    }
    for (size_t g = 0; g < ng; g++) {
        double cy = top + g * gh + gh / 2, y = cy - bar / 2;
        put_fit(c, VSP_ROLE_LABEL, labels[g], c->f_label, g == 0, VSP_INK, bx - 14 * u, cy, lw,
                lines, 1, 0);
        double total = vals[g][0];
        double sum = 0;
        for (size_t j = 1; j <= no; j++)
            if (isfinite(vals[g][j]))
                sum += vals[g][j];
        if (!(sum > 0))
            continue;
        double x = bx;
        for (size_t j = 1; j <= no; j++) {
            double v = vals[g][j];
            if (!(isfinite(v) && v > 0))
                continue;
            double w = (right - bx) * v / sum;
            vsp_scene_rect(c->s, x, y, w, bar, colors[j - 1]);
            char pct[VSP_FMT_MAX];
            vsp_fmt_pct(c->lang, v / sum, 0, pct, sizeof pct);
            double pw = text_w(c, pct, c->f_axis, true);
            if (pw + 12 * u <= w && bar >= line_h(c, c->f_axis))
                put(c, VSP_ROLE_VALUE, pct, c->f_axis, true, vsp_color_ink_on(colors[j - 1]),
                    x + w / 2, cy, 0, 0);
            x += w;
        }
        char n[VSP_FMT_MAX];
        vsp_fmt_int(c->lang, isfinite(total) ? total : sum, n, sizeof n);
        snprintf(nb, sizeof nb, "n = %s", n);
        put(c, VSP_ROLE_VALUE, nb, c->f_axis, false, VSP_INK_SOFT, right + 12 * u, cy, -1, 0);
    }
}

static void chart_timeliness(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "stage");
    const vsp_chart_table *sh = vsp_chart_data_table(c->d, "share");
    if (table_empty(t)) {
        /* reports but no durations: e.g. a case log with dates only */
        notice(c, isfinite(c->d->n) && c->d->n > 0
                      ? tr(c, "chart", "No durations in this period: a step is timed only when "
                                       "both of its ends have a date")
                      : tr(c, "chart", "No data for this period"));
        return;
    }
    double u = c->u;
    double split = c->x0 + (c->x1 - c->x0) * 0.66;
    const char *names[] = {series_label(c->lang, "median"), series_label(c->lang, "p90")};
    vsp_color colors[] = {VSP_OI_BLUE, VSP_OI_SKY};
    hbars hb;
    hbars_under_legend(c, &hb, c->x0, split - c->x0 - 40 * u, 2, names, colors);
    hb.fmt = c->d->days ? FMT_DAYS : FMT_HOURS;
    hb.label_share = 0.4;
    /* five steps, each a label over its "n = ": a step's label wrapped to
     * two lines leaves no room for its n, so the column may grow to keep
     * every label on one line (the values are short) */
    hb.label_max = 0.62;
    hb.axis_title = c->d->days ? tr(c, "axis", "Days (calendar dates)") : tr(c, "axis", "Hours");
    char subs[MAXG][96];
    for (size_t r = 0; r < t->n_rows && r < MAXG; r++) {
        hb.labels[hb.ng] = stage_label(c->lang, t->rows[r]);
        hb.v[hb.ng][0] = t->v[r * t->n_cols + 0];
        hb.v[hb.ng][1] = t->v[r * t->n_cols + 1];
        hb.extra[hb.ng][0] = hb.extra[hb.ng][1] = NAN;
        char n[VSP_FMT_MAX];
        vsp_fmt_int(c->lang, t->v[r * t->n_cols + 2], n, sizeof n);
        snprintf(subs[hb.ng], sizeof subs[0], "n = %s", n);
        hb.sublabels[hb.ng] = subs[hb.ng];
        hb.ng++;
    }
    draw_hbars(c, &hb);

    /* right panel: share of actioned items within 24 h / 48 h / 7 days */
    if (!sh || sh->n_rows == 0)
        return;
    double px = split + 20 * u, pw = c->x1 - px;
    vsp_scene_line(c->s, split - 10 * u, c->y0, split - 10 * u, c->y1, VSP_GRID, 1.5 * u);
    vsp_prim *hd = put_fit(c, VSP_ROLE_LABEL, tr(c, "chart", "Share of actioned items, by time to action"),
                           c->f_label, true, VSP_INK, px + 20 * u, c->y0, pw - 20 * u, 2, -1, -1);
    double top = hd->y + hd->h + 48 * u;
    double ax0 = px + 20 * u, slot0 = (c->x1 - ax0) / sh->n_rows;
    int xl = 1;
    for (size_t i = 0; i < sh->n_rows; i++)
        xl = (int)fmax(xl, fmin(4, vsp_text_lines_needed(c->m, stage_label(c->lang, sh->rows[i]),
                                                         c->f_axis, false, slot0 - 24 * u, NULL)));
    double axis_h = xl * line_h(c, c->f_axis) + 14 * u;
    double bottom = c->y1 - axis_h;
    double ax = px + 20 * u;
    double slot = (c->x1 - ax) / sh->n_rows;
    double bw = fmin(slot * 0.62, 140 * u);
    vsp_scale sy = {0, 1, bottom, top};
    vsp_scene_line(c->s, ax, bottom, c->x1, bottom, 0x9A9A9AFFu, 2 * u);
    /* a share over fewer than 20 items: muted, and said so */
    bool small = isfinite(c->d->n) && c->d->n > 0 && c->d->n < 20;
    if (small)
        put_fit(c, VSP_ROLE_LABEL, tr(c, "chart", "Fewer than 20 items: read with care"),
                c->f_axis, false, VSP_INK_SOFT, px + 20 * u, top - 40 * u, pw - 20 * u, 1, -1,
                -1);
    for (size_t i = 0; i < sh->n_rows; i++) {
        double v = sh->v[i * sh->n_cols], cx = ax + slot * i + slot / 2;
        if (isfinite(v) && v > 0) {
            double y = vsp_scale_map(&sy, v);
            vsp_scene_rect(c->s, cx - bw / 2, y, bw, bottom - y,
                           small ? 0xB8C9C2FFu : VSP_OI_GREEN);
            char pct[VSP_FMT_MAX];
            vsp_fmt_pct(c->lang, v, 0, pct, sizeof pct);
            put(c, VSP_ROLE_VALUE, pct, c->f_value, true, VSP_INK, cx, y - 6 * u, 0, 1);
        }
        put_fit(c, VSP_ROLE_AXIS, stage_label(c->lang, sh->rows[i]), c->f_axis, false,
                VSP_INK_SOFT, cx, bottom + 8 * u, slot - 24 * u, xl, 0, -1);
    }
}

/* Text colour of a series' value labels: its line colour, darkened until
 * it reads on white (WCAG contrast >= 4.5). */
static vsp_color series_ink(const char *metric)
{
    vsp_color c = vsp_color_series(metric);
    for (int k = 0; k < 12 && (1.05 / (vsp_color_luminance(c) + 0.05)) < 4.5; k++) {
        unsigned r = (c >> 24) & 0xFF, g = (c >> 16) & 0xFF, b = (c >> 8) & 0xFF;
        c = ((vsp_color)(r * 85 / 100) << 24) | ((vsp_color)(g * 85 / 100) << 16) |
            ((vsp_color)(b * 85 / 100) << 8) | 0xFFu;
    }
    return c;
}

static void chart_trend(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "period");
    const vsp_chart_table *prov = vsp_chart_data_table(c->d, "provisional");
    if (table_empty(t)) {
        notice(c, tr(c, "chart", "No data for this period"));
        return;
    }
    double u = c->u;
    const char *names[3];
    vsp_color colors[3];
    for (size_t s = 0; s < 3; s++) {
        names[s] = series_label(c->lang, t->cols[s]);
        colors[s] = vsp_color_series(t->cols[s]);
    }
    double lh = legend(c, c->x0, c->y0, c->x1 - c->x0, 3, names, colors);
    double top = c->y0 + lh + 60 * u; /* room for the axis caption */
    double max = 0;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        if (isfinite(t->v[i]) && t->v[i] > max)
            max = t->v[i];
    /* y axis labels on the left */
    vsp_ticks tk;
    vsp_ticks_nice(0, max > 0 ? max : 1, 5, &tk);
    double yw = 0;
    for (int i = 0; i < tk.n; i++) {
        char buf[VSP_FMT_MAX];
        vsp_fmt_tick(c->lang, tk.lo + i * tk.step, tk.step, buf, sizeof buf);
        yw = fmax(yw, text_w(c, buf, c->f_axis, false));
    }
    double ax = c->x0 + yw + 16 * u;
    size_t n = t->n_rows;
    double slot = (c->x1 - ax) / (double)n;
    int xl = 1;
    for (size_t i = 0; i < n; i++) {
        char pb[96];
        const char *lab = vsp_i18n_period(c->lang, t->rows[i], pb, sizeof pb);
        xl = (int)fmax(xl, fmin(4, vsp_text_lines_needed(c->m, lab, c->f_axis, i + 1 == n,
                                                         slot - 10 * u, NULL)));
    }
    double xlab_h = xl * line_h(c, c->f_axis) + 12 * u;
    double bottom = c->y1 - xlab_h;
    vsp_scale sy = {tk.lo, tk.hi, bottom, top};
    for (int i = 0; i < tk.n; i++) {
        double v = tk.lo + i * tk.step, y = vsp_scale_map(&sy, v);
        vsp_scene_line(c->s, ax, y, c->x1, y, i == 0 ? 0x9A9A9AFFu : VSP_GRID,
                       (i == 0 ? 2 : 1.5) * u);
        char buf[VSP_FMT_MAX];
        vsp_fmt_tick(c->lang, v, tk.step, buf, sizeof buf);
        put(c, VSP_ROLE_AXIS, buf, c->f_axis, false, VSP_INK_SOFT, ax - 12 * u, y, 1, 0);
    }
    put(c, VSP_ROLE_AXIS, tr(c, "axis", "Reports"), c->f_axis, false, VSP_INK_SOFT, ax,
        top - 12 * u, -1, 1);
    for (size_t i = 0; i < n; i++) {
        char buf[96];
        const char *lab = vsp_i18n_period(c->lang, t->rows[i], buf, sizeof buf);
        put_fit(c, VSP_ROLE_AXIS, lab, c->f_axis, i + 1 == n, i + 1 == n ? VSP_INK : VSP_INK_SOFT,
                ax + slot * i + slot / 2, bottom + 10 * u, slot - 10 * u, xl, 0, -1);
    }
    /* lines, then markers, then labels */
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 0; i + 1 < n; i++) {
            double a = t->v[i * t->n_cols + s], b = t->v[(i + 1) * t->n_cols + s];
            if (!isfinite(a) || !isfinite(b))
                continue;
            vsp_scene_line(c->s, ax + slot * i + slot / 2, vsp_scale_map(&sy, a),
                           ax + slot * (i + 1) + slot / 2, vsp_scale_map(&sy, b), colors[s],
                           5 * u);
        }
    }
    double vh = line_h(c, c->f_axis);
    for (size_t i = 0; i < n; i++) {
        double cx = ax + slot * i + slot / 2;
        double ys[3], ly[3];
        int order[3] = {0, 1, 2};
        for (size_t s = 0; s < 3; s++) {
            double v = t->v[i * t->n_cols + s];
            ys[s] = isfinite(v) ? vsp_scale_map(&sy, v) : NAN;
            if (!isfinite(v))
                continue;
            if (prov && isfinite(prov->v[i * prov->n_cols]) && prov->v[i * prov->n_cols] > 0) {
                /* a provisional period: a hollow point */
                vsp_prim *pt = vsp_scene_circle(c->s, cx, ys[s], 8 * u, VSP_WHITE);
                pt->stroke = colors[s];
                pt->stroke_w = 3 * u;
            } else {
                vsp_scene_circle(c->s, cx, ys[s], 8 * u, colors[s])->stroke = VSP_WHITE;
            }
        }
        /* labels: the highest point's above it, the lowest's below, the
         * middle one on its roomier side; then pushed apart so they never
         * overlap, and coloured like their line so a pushed label still
         * reads as its series */
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++)
                if ((isnan(ys[order[a]]) ? 1e9 : ys[order[a]]) >
                    (isnan(ys[order[b]]) ? 1e9 : ys[order[b]])) {
                    int tmp = order[a];
                    order[a] = order[b];
                    order[b] = tmp;
                }
        int nvis = 0;
        for (int k = 0; k < 3; k++)
            if (!isnan(ys[order[k]]))
                nvis++;
        for (int k = 0; k < nvis; k++) {
            int sidx = order[k];
            bool above = k == 0;
            if (k > 0 && k + 1 < nvis) {
                double up = ys[sidx] - ys[order[k - 1]], down = ys[order[k + 1]] - ys[sidx];
                above = up > down;
            }
            ly[sidx] = above ? ys[sidx] - 12 * u - vh : ys[sidx] + 12 * u;
        }
        /* sweep down, then up, keeping the order of the wanted positions */
        int lo[3];
        int nl = 0;
        for (int k = 0; k < nvis; k++)
            lo[nl++] = order[k];
        for (int a = 0; a < nl; a++)
            for (int b = a + 1; b < nl; b++)
                if (ly[lo[a]] > ly[lo[b]]) {
                    int tmp = lo[a];
                    lo[a] = lo[b];
                    lo[b] = tmp;
                }
        for (int k = 1; k < nl; k++)
            if (ly[lo[k]] < ly[lo[k - 1]] + vh + 2 * u)
                ly[lo[k]] = ly[lo[k - 1]] + vh + 2 * u;
        if (nl > 0 && ly[lo[nl - 1]] + vh > bottom - 2 * u)
            ly[lo[nl - 1]] = bottom - 2 * u - vh;
        for (int k = nl - 2; k >= 0; k--)
            if (ly[lo[k]] + vh + 2 * u > ly[lo[k + 1]])
                ly[lo[k]] = ly[lo[k + 1]] - vh - 2 * u;
        for (int k = 0; k < nl; k++) {
            int sidx = lo[k];
            char num[VSP_FMT_MAX];
            vsp_fmt_int(c->lang, t->v[i * t->n_cols + (size_t)sidx], num, sizeof num);
            /* a light box keeps the number legible where a line passes (a
             * box, not a text halo: outlines cost a lot in PDF and SVG) */
            double nw = text_w(c, num, c->f_axis, true);
            vsp_scene_rect(c->s, cx - nw / 2 - 4 * u, ly[sidx] + 2 * u, nw + 8 * u, vh - 4 * u,
                           0xFFFFFFD0u);
            put(c, VSP_ROLE_VALUE, num, c->f_axis, true, series_ink(t->cols[sidx]), cx, ly[sidx],
                0, -1);
        }
    }
}

static void chart_countries(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "country");
    if (table_empty(t)) {
        notice(c, tr(c, "chart", "No data for this period"));
        return;
    }
    hbars hb;
    hbars_three_series(c, &hb, t);
    hb.fmt = FMT_RATE;
    hb.label_share = 0.25;
    hb.axis_title = tr(c, "axis", "Reports per 100 000 inhabitants (count in brackets)");
    for (size_t r = 0; r < t->n_rows && r < MAXG; r++) {
        hb.labels[r] = country_name(c, t->rows[r]);
        for (size_t s = 0; s < 3; s++) {
            hb.v[r][s] = t->v[r * t->n_cols + s];
            hb.extra[r][s] = t->v[r * t->n_cols + 3 + s];
        }
        hb.ng++;
    }
    /* six countries with three bars each: on a wide box, two columns of
     * three rather than values set smaller than slide size */
    if (hbars_values_shrink(c, &hb) && (c->x1 - c->x0) >= 1200 * c->u)
        draw_hbars_two(c, &hb);
    else
        draw_hbars(c, &hb);
}

/* Sutherland-Hodgman: clip the closed ring a (n points, x y pairs) to the
 * rectangle, in place; tmp has room for cap points, as has a.  Returns the
 * new point count (each edge adds at most one point per side). */
static size_t clip_edge(const double *in, size_t n, double *out, size_t cap, int side, double v)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 <= cap; i++) {
        const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
        double pc = side < 2 ? p[side & 1] : p[side & 1], qc = q[side & 1];
        bool pin = side < 2 ? pc >= v : pc <= v, qin = side < 2 ? qc >= v : qc <= v;
        if (pin) {
            out[2 * o] = p[0];
            out[2 * o + 1] = p[1];
            o++;
        }
        if (pin != qin) {
            double t = (v - pc) / (qc - pc);
            out[2 * o] = p[0] + t * (q[0] - p[0]);
            out[2 * o + 1] = p[1] + t * (q[1] - p[1]);
            o++;
        }
    }
    return o;
}

static size_t clip_ring(double *a, size_t n, double *tmp, double x0, double y0, double x1,
                        double y1, size_t cap)
{
    /* sides: 0 x >= x0, 1 y >= y0, 2 x <= x1, 3 y <= y1 */
    n = clip_edge(a, n, tmp, cap, 0, x0);
    n = clip_edge(tmp, n, a, cap, 1, y0);
    n = clip_edge(a, n, tmp, cap, 2, x1);
    n = clip_edge(tmp, n, a, cap, 3, y1);
    return n;
}

/* Where each country's name goes on the map (degrees): the point it
 * names, and where the label sits when the country is too small for it
 * (in the sea or beside the region, with a leader line from its side
 * that faces the point, which sits at lon2/lat2);
 * lon2 = 0 puts it on the point.  wrap: the widest a label on the point
 * may be (px at slide size; 0 = 200), so that a long name breaks into
 * lines that stay inside the country ("North / Macedonia"). */
typedef struct map_label {
    const char *code;
    double lon, lat, lon2, lat2, wrap;
} map_label;

static const map_label *label_point(const char *code)
{
    static const map_label t[] = {
        {"AL", 19.98, 41.05, 19.10, 40.95, 0}, {"BA", 17.75, 44.20, 0, 0, 0},
        {"ME", 19.25, 42.78, 18.30, 42.15, 0}, {"MK", 21.75, 41.50, 23.15, 41.05, 380},
        {"RS", 20.85, 44.05, 0, 0, 0},         {"XK", 20.88, 42.60, 0, 0, 0},
        {"HR", 16.30, 45.55, 0, 0, 0},         {"SI", 14.90, 46.05, 0, 0, 0},
        {"HU", 19.30, 46.55, 0, 0, 0},         {"RO", 22.90, 45.60, 0, 0, 0},
        {"BG", 24.40, 42.75, 0, 0, 0},         {"GR", 22.20, 39.95, 0, 0, 0},
        {"IT", 16.40, 40.70, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].code, code) == 0)
            return &t[i];
    return NULL;
}

/* The outline points projected (Lambert azimuthal equal-area about
 * 20 E, 42.5 N), x and y per point: the same for every map, so projected
 * once per process (kept until exit). */
#define MAP_LON0 20.0
#define MAP_LAT0 42.5

static const double *map_points(void)
{
    static double *xy;
    if (!xy) {
        size_t n = vsp_geo_n_points();
        xy = vsp_xmalloc(n * 2 * sizeof *xy);
        for (size_t i = 0; i < n; i++) {
            double lon, lat;
            vsp_geo_point(i, &lon, &lat);
            vsp_project_laea(MAP_LON0, MAP_LAT0, lon, lat, &xy[2 * i], &xy[2 * i + 1]);
        }
    }
    return xy;
}

/* Where the map is drawn: the projected extent of the six countries
 * (padded) scaled by k into the box left of the legend, centred at
 * (ox, oy); the frame (fx0, fy0)-(fx1, fy1) is that box. */
typedef struct map_frame {
    double minx, maxx, miny, maxy, k, ox, oy;
    double fx0, fy0, fx1, fy1;
} map_frame;

static void map_fit(const ctx *c, const double *proj, double legend_w, map_frame *f)
{
    double u = c->u;
    /* extent: the six countries */
    double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
    for (size_t i = 0; i < vsp_geo_n_countries(); i++) {
        const vsp_geo_country *gc = vsp_geo_country_at(i);
        if (!gc->focus)
            continue;
        for (int32_t r = 0; r < gc->n_rings; r++) {
            const vsp_geo_ring *ring = vsp_geo_ring_at((size_t)(gc->first_ring + r));
            for (int32_t k = 0; k < ring->count; k++) {
                double x = proj[2 * (ring->first + k)], y = proj[2 * (ring->first + k) + 1];
                minx = fmin(minx, x);
                maxx = fmax(maxx, x);
                miny = fmin(miny, y);
                maxy = fmax(maxy, y);
            }
        }
    }
    double mx0 = c->x0, mx1 = c->x1 - legend_w - 40 * u, my0 = c->y0, my1 = c->y1;
    double padx = (maxx - minx) * 0.06, pady = (maxy - miny) * 0.04;
    minx -= padx;
    maxx += padx;
    miny -= pady;
    maxy += pady;
    f->minx = minx, f->maxx = maxx, f->miny = miny, f->maxy = maxy;
    f->k = fmin((mx1 - mx0) / (maxx - minx), (my1 - my0) / (maxy - miny));
    f->ox = mx0 + ((mx1 - mx0) - (maxx - minx) * f->k) / 2;
    f->oy = my0 + ((my1 - my0) - (maxy - miny) * f->k) / 2;
    /* the map frame is the projected extent, wider if the area allows */
    f->fx0 = mx0, f->fx1 = mx1, f->fy0 = my0, f->fy1 = my1;
}

/* A projected point (x, y) on the page. */
static void map_at(const map_frame *f, double x, double y, double *px, double *py)
{
    *px = f->ox + (x - f->minx) * f->k;
    *py = f->oy + (f->maxy - y) * f->k;
}

/* The colour of a country of the six: its class of reports per 100 000,
 * light grey for no value or no data at all. */
static vsp_color map_fill(const vsp_chart_table *t, const vsp_classes *cls, bool empty,
                          const char *code)
{
    double v = t ? vsp_chart_table_get(t, code, "received_per100k") : NAN;
    int ci = empty ? -1 : vsp_classes_index(cls, v);
    return ci < 0 ? 0xF4F4F4FFu : vsp_color_ramp(ci, cls->n);
}

/* The outlines: the neighbours first, in grey, then the six in their
 * classes, clipped a little beyond the frame. */
static void map_shapes(ctx *c, const double *proj, const map_frame *f, const vsp_chart_table *t,
                       const vsp_classes *cls, bool empty)
{
    double u = c->u;
    vsp_scene_clip(c->s, f->fx0, f->fy0, f->fx1 - f->fx0, f->fy1 - f->fy0);
    double *ra = NULL, *rb = NULL;
    size_t cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < vsp_geo_n_countries(); i++) {
            const vsp_geo_country *gc = vsp_geo_country_at(i);
            if (gc->focus != pass)
                continue;
            vsp_color fill = gc->focus ? map_fill(t, cls, empty, gc->code) : VSP_NEIGHBOUR;
            vsp_scene_poly(c->s, fill, VSP_WHITE, (gc->focus ? 2.5 : 1.5) * u);
            bool first = true;
            for (int32_t r = 0; r < gc->n_rings; r++) {
                const vsp_geo_ring *ring = vsp_geo_ring_at((size_t)(gc->first_ring + r));
                size_t np = (size_t)ring->count;
                if (np > cap) {
                    cap = np * 2 + 16;
                    ra = vsp_xrealloc(ra, cap * 2 * sizeof *ra);
                    rb = vsp_xrealloc(rb, cap * 2 * sizeof *rb);
                }
                for (size_t q = 0; q < np; q++)
                    map_at(f, proj[2 * ((size_t)ring->first + q)],
                           proj[2 * ((size_t)ring->first + q) + 1], &ra[2 * q], &ra[2 * q + 1]);
                /* what lies far outside the frame is never seen: clip it
                 * away (a few pixels beyond, so no edge shows) */
                double m = 12 * u;
                np = clip_ring(ra, np, rb, f->fx0 - m, f->fy0 - m, f->fx1 + m, f->fy1 + m, cap);
                if (np < 3)
                    continue;
                if (!first)
                    vsp_scene_ring_break(c->s);
                first = false;
                for (size_t q = 0; q < np; q++)
                    vsp_scene_point(c->s, ra[2 * q], ra[2 * q + 1]);
            }
        }
    }
    free(ra);
    free(rb);
    vsp_scene_unclip(c->s); /* labels are never clipped: each stays inside the frame */
}

/* The names: neighbours small and grey where they fit, the six with their
 * value, on the country or, where it is too small, beside the region with
 * a leader line to the point it names. */
static void map_labels(ctx *c, const map_frame *f, const vsp_chart_table *t,
                       const vsp_classes *cls, bool empty)
{
    double u = c->u;
    double fx0 = f->fx0, fx1 = f->fx1, fy0 = f->fy0, fy1 = f->fy1;
    for (size_t i = 0; i < vsp_geo_n_countries(); i++) {
        const vsp_geo_country *gc = vsp_geo_country_at(i);
        const map_label *ml = label_point(gc->code);
        if (!ml)
            continue;
        double x, y, px, py;
        vsp_project_laea(MAP_LON0, MAP_LAT0, ml->lon, ml->lat, &x, &y);
        map_at(f, x, y, &px, &py);
        const char *name = country_name(c, gc->code);
        if (!gc->focus) {
            double w = text_w(c, name, c->f_axis, false);
            if (px - w / 2 < fx0 + 8 * u || px + w / 2 > fx1 - 8 * u || py < fy0 + 20 * u ||
                py > fy1 - 20 * u)
                continue;
            put(c, VSP_ROLE_LABEL, name, c->f_axis, false, 0x8A8A8AFFu, px, py, 0, 0);
            continue;
        }
        double v = t ? vsp_chart_table_get(t, gc->code, "received_per100k") : NAN;
        vsp_color fill = map_fill(t, cls, empty, gc->code);
        bool outside = ml->lon2 != 0;
        double lx = px, ly = py, wrap = ml->wrap > 0 ? ml->wrap : 200;
        char num[VSP_FMT_MAX];
        vsp_fmt_num(c->lang, v, 1, num, sizeof num);
        if (outside) {
            vsp_project_laea(MAP_LON0, MAP_LAT0, ml->lon2, ml->lat2, &x, &y);
            map_at(f, x, y, &lx, &ly);
            /* (lon2, lat2) is where the label's side facing the point
             * goes: the label reaches away from the region however long
             * the name is in the language, never onto the country */
            double lw2 = fmax(fmin(text_w(c, name, c->f_axis, true), wrap * u),
                              text_w(c, num, c->f_axis, false)) / 2;
            lx = lx < px ? lx - lw2 : lx + lw2;
            /* where the frame (a narrow page's) has no room beside the
             * region, the name goes on the point, in two lines */
            if (lx - lw2 < fx0 + 8 * u || lx + lw2 > fx1 - 8 * u) {
                outside = false;
                lx = px;
                ly = py;
                wrap = 150;
            } else {
                fill = VSP_WHITE; /* the label sits on the sea */
            }
        }
        vsp_color ink = vsp_color_ink_on(fill);
        double nh = line_h(c, c->f_axis);
        vsp_prim *np = put_fit(c, VSP_ROLE_LABEL, name, c->f_axis, true, ink, lx, ly - nh / 2 + 2 * u,
                               wrap * u, 2, 0, 1);
        double name_top = np->y, name_w = np->w;
        vsp_prim *vp = put(c, VSP_ROLE_VALUE, num, c->f_axis, false, ink, lx, ly - nh / 2 + 4 * u,
                           0, -1);
        if (outside) {
            /* leader from the label's side to the point it names */
            double half = fmax(name_w, vp->w) / 2 + 6 * u;
            double box_r = lx > px ? lx - half : lx + half; /* the side facing the point */
            double box_mid = (name_top + vp->y + vp->h) / 2;
            vsp_scene_line(c->s, box_r, box_mid, px, py, VSP_INK_SOFT, 2 * u);
            vsp_scene_circle(c->s, px, py, 5 * u, VSP_INK);
        }
    }
}

/* The legend, legend_w wide at the right: its title, the classes from the
 * highest, "No data" where a country has none, and the population note. */
static void map_legend(ctx *c, const vsp_chart_table *t, const vsp_classes *cls, bool empty,
                       double legend_w)
{
    double u = c->u;
    double lx = c->x1 - legend_w, ly = c->y0 + 20 * u;
    vsp_prim *lt = put_fit(c, VSP_ROLE_LEGEND, tr(c, "axis", "Reports received per 100 000 inhabitants"),
                           c->f_label, true, VSP_INK, lx, ly, legend_w, 3, -1, -1);
    ly = lt->y + lt->h + 24 * u;
    double sw = 56 * u, shh = 40 * u;
    if (empty) {
        vsp_prim *np = put_fit(c, VSP_ROLE_LEGEND, tr(c, "chart", "No data for this period"),
                               c->f_legend, false, VSP_INK, lx, ly, legend_w, 2, -1, -1);
        ly = np->y + np->h + 10 * u;
    }
    for (int i = empty ? -1 : cls->n - 1; i >= 0; i--) {
        vsp_scene_rect(c->s, lx, ly, sw, shh, vsp_color_ramp(i, cls->n));
        char a[VSP_FMT_MAX], b[VSP_FMT_MAX], buf[160];
        vsp_fmt_tick(c->lang, cls->breaks[i], cls->breaks[1] - cls->breaks[0], a, sizeof a);
        vsp_fmt_tick(c->lang, cls->breaks[i + 1], cls->breaks[1] - cls->breaks[0], b, sizeof b);
        const char *names[] = {"from", "to"};
        const char *values[] = {a, b};
        vsp_i18n_subst(buf, sizeof buf, tr(c, "legend", "{from} to under {to}"), 2, names, values);
        put_fit(c, VSP_ROLE_LEGEND, buf, c->f_legend, false, VSP_INK, lx + sw + 16 * u,
                ly + shh / 2, legend_w - sw - 16 * u, 1, -1, 0);
        ly += shh + 10 * u;
    }
    bool any_missing = false;
    for (size_t r = 0; t && r < t->n_rows; r++)
        if (!isfinite(t->v[r * t->n_cols]))
            any_missing = true;
    if (any_missing) {
        vsp_scene_rect(c->s, lx, ly, sw, shh, 0xF4F4F4FFu)->stroke = 0xBBBBBBFFu;
        put(c, VSP_ROLE_LEGEND, tr(c, "legend", "No data"), c->f_legend, false, VSP_INK,
            lx + sw + 16 * u, ly + shh / 2, -1, 0);
        ly += shh + 10 * u;
    }
    ly += 24 * u;
    put_fit(c, VSP_ROLE_LEGEND,
            tr(c, "legend", "Population: latest census of each country. Neighbouring countries in grey."),
            c->f_axis, false, VSP_INK_SOFT, lx, ly, legend_w, 4, -1, -1);
}

/* Reports received per 100 000 inhabitants of the six, a choropleth of
 * the region with its neighbours, in classes with nice breaks. */
static void chart_map(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "country");
    const double *proj = map_points();
    double legend_w = fmin(520 * c->u, (c->x1 - c->x0) * 0.34);
    map_frame f;
    map_fit(c, proj, legend_w, &f);
    double vals[6];
    size_t nv = 0;
    for (size_t r = 0; t && r < t->n_rows && nv < 6; r++)
        vals[nv++] = t->v[r * t->n_cols];
    vsp_classes cls;
    vsp_classes_nice(vals, nv, 5, &cls);
    bool empty = table_empty(t); /* nothing reported: no classes to show */
    map_shapes(c, proj, &f, t, &cls, empty);
    map_labels(c, &f, t, &cls, empty);
    map_legend(c, t, &cls, empty, legend_w);
}

/* "AL Albania · BA Bosnia and Herzegovina · ..." for the codes cols[0..n):
 * the key to columns headed by country codes.  Returns buf. */
static const char *country_key(const ctx *c, const char *const *cols, size_t n, char *buf,
                               size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < n && o < size; j++) {
        int k = snprintf(buf + o, size - o, "%s%s\xc2\xa0%s%s", j ? " \xc2\xb7 " : "", cols[j],
                         vsp_i18n_country(c->lang, cols[j]),
                         c->marked ? vsp_designation_mark(cols[j]) : "");
        if (k < 0)
            break;
        o += (size_t)k;
    }
    return buf;
}

static void chart_heatmap(ctx *c)
{
    const vsp_chart_table *t = vsp_chart_data_table(c->d, "category");
    if (table_empty(t)) {
        notice(c, tr(c, "chart", "No data for this period"));
        return;
    }
    double u = c->u;
    size_t nc = t->n_cols; /* the last column is the region total */
    double W = c->x1 - c->x0;
    /* column heads: the country names, wrapped; where a name does not fit
     * its column even wrapped, every column is headed by its code and a
     * key under the grid names them (a defined short form, never a cut) */
    double lw_soft = W * 0.26, lw_hard = W * 0.45;
    double cw_min = (W - lw_hard - 20 * u) / nc;
    bool codes = false;
    int head_lines = 1;
    for (size_t j = 0; j + 1 < nc; j++) {
        int n = vsp_text_lines_needed(c->m, country_name(c, t->cols[j]), c->f_axis,
                                      false, cw_min - 4 * u, NULL);
        if (n > 3)
            codes = true;
        else if (n > head_lines)
            head_lines = n;
    }
    if (codes)
        head_lines = 1;
    {
        int n = vsp_text_lines_needed(c->m, tr(c, "chart", "All six"), c->f_axis, true,
                                      cw_min - 4 * u, NULL);
        if (n <= 3 && n > head_lines)
            head_lines = n;
    }
    double y1 = c->y1;
    if (codes) {
        char key[512];
        country_key(c, (const char *const *)t->cols, nc - 1, key, sizeof key);
        vsp_prim *kp = put_fit(c, VSP_ROLE_AXIS, key, c->f_axis, false, VSP_INK_SOFT, c->x0, c->y1,
                               W, 2, -1, 1);
        y1 = kp->y - 12 * u;
    }
    size_t nr = t->n_rows, show = nr;
    const char *labels[MAXG];
    char other[128];
    double lw = 0, rh = 0, top = c->y0;
    int lines = 1;
    double (*v)[8] = vsp_xmalloc(MAXG * sizeof *v);
    for (int pass = 0; pass < 3; pass++) {
    double hh = head_lines * line_h(c, c->f_axis) + 16 * u;
    top = c->y0 + hh;
    show = nr;
    /* rows: every category while its name fits its row; else the smallest
     * fold into "All other categories (n)" so the rows grow taller */
    for (;;) {
        size_t ng = show < nr ? show + 1 : nr;
        rh = (y1 - top) / ng;
        lines = lines_in(c, rh, c->f_label);
        for (size_t r = 0; r < show && r < MAXG; r++)
            labels[r] = vsp_i18n_category(c->lang, t->rows[r]);
        if (show < nr) {
            char k[VSP_FMT_MAX];
            vsp_fmt_int(c->lang, (double)(nr - show), k, sizeof k);
            const char *pn[] = {"n"};
            const char *pv[] = {k};
            vsp_i18n_subst(other, sizeof other, tr(c, "chart", "All other categories ({n})"), 1,
                           pn, pv);
            labels[show] = other;
        }
        lw = label_col(c, labels, ng, c->f_label, false, lines, lw_soft, lw_hard);
        if ((lw <= lw_hard && rh >= line_h(c, c->f_label)) || show <= 3)
            break;
        show = show == nr ? nr - 2 : show - 1;
    }
    /* the heads at the columns' real width: lay out again if they take
     * more lines than reserved */
    double cw_real = (c->x1 - (c->x0 + fmin(lw, lw_hard) + 20 * u)) / nc - 4 * u;
    double ww;
    int need = vsp_text_lines_needed(c->m, tr(c, "chart", "All six"), c->f_axis, true, cw_real,
                                     &ww);
    if (need > 3) /* a word wider than the column: the last one, it may spill a little */
        need = vsp_text_lines_needed(c->m, tr(c, "chart", "All six"), c->f_axis, true, ww, NULL);
    for (size_t j = 0; !codes && j + 1 < nc; j++)
        need = (int)fmax(need, vsp_text_lines_needed(c->m, country_name(c, t->cols[j]),
                                                     c->f_axis, false, cw_real, NULL));
    if (need <= head_lines || need > 3)
        break;
    head_lines = need;
    }
    size_t ng = show < nr ? show + 1 : nr;
    if (ng > MAXG)
        ng = MAXG;
    lw = fmin(lw, lw_hard);
    for (size_t r = 0; r < ng; r++)
        for (size_t j = 0; j < nc && j < 8; j++) {
            if (r < show) {
                v[r][j] = t->v[r * nc + j];
                continue;
            }
            double sum = 0;
            for (size_t q = show; q < nr; q++)
                if (isfinite(t->v[q * nc + j]))
                    sum += t->v[q * nc + j];
            v[r][j] = sum;
        }
    double gx = c->x0 + lw + 20 * u;
    double cw = (c->x1 - gx) / nc;
    double vals[MAXG * 8];
    size_t nv = 0;
    for (size_t r = 0; r < ng; r++)
        for (size_t j = 0; j + 1 < nc && j < 8; j++)
            vals[nv++] = v[r][j];
    vsp_classes cls;
    vsp_classes_nice(vals, nv, 6, &cls);
    for (size_t j = 0; j < nc; j++) {
        bool total = j + 1 == nc;
        const char *name = total ? tr(c, "chart", "All six")
                           : codes ? t->cols[j]
                                   : country_name(c, t->cols[j]);
        put_fit(c, VSP_ROLE_AXIS, name, c->f_axis, total, VSP_INK, gx + cw * j + cw / 2,
                top - 10 * u, cw - 4 * u, head_lines, 0, 1);
    }
    /* values at label size; smaller only in a box too small for a line */
    double fs = fmin(c->f_value, c->f_value * rh / line_h(c, c->f_value));
    for (size_t r = 0; r < ng; r++) {
        double y = top + r * rh;
        put_fit(c, VSP_ROLE_LABEL, labels[r], c->f_label, false, VSP_INK, gx - 14 * u, y + rh / 2,
                lw, lines, 1, 0);
        for (size_t j = 0; j < nc && j < 8; j++) {
            double x = v[r][j];
            bool total = j + 1 == nc;
            vsp_color fill = VSP_NONE;
            if (!total) {
                int ci = vsp_classes_index(&cls, x);
                fill = ci < 0 ? 0xF4F4F4FFu : x == 0 ? 0xF7F7F7FFu : vsp_color_ramp(ci, cls.n);
                vsp_scene_rect(c->s, gx + cw * j + 2 * u, y + 2 * u, cw - 4 * u, rh - 4 * u, fill);
            }
            char num[VSP_FMT_MAX];
            vsp_fmt_int(c->lang, x, num, sizeof num);
            put(c, VSP_ROLE_VALUE, num, fs, total, total ? VSP_INK : vsp_color_ink_on(fill),
                gx + cw * j + cw / 2, y + rh / 2, 0, 0);
        }
    }
    vsp_scene_line(c->s, gx + cw * (nc - 1) + 1 * u, top, gx + cw * (nc - 1) + 1 * u, y1,
                   0x9A9A9AFFu, 2 * u);
    free(v);
}

static void chart_crossborder(ctx *c)
{
    const vsp_chart_table *tc = vsp_chart_data_table(c->d, "category");
    const vsp_chart_table *tp = vsp_chart_data_table(c->d, "pair");
    if (table_empty(tc) && table_empty(tp)) {
        notice(c, tr(c, "chart", "No item was reported in more than one country in this period"));
        return;
    }
    double u = c->u, mid = (c->x0 + c->x1) / 2;
    const vsp_chart_table *tabs[2] = {tc, tp};
    const char *heads[2] = {tr(c, "chart", "By category"), tr(c, "chart", "By pair of countries")};
    char other[2][128];
    for (int k = 0; k < 2; k++) {
        const vsp_chart_table *t = tabs[k];
        double x = k == 0 ? c->x0 : mid + 40 * u, w = (k == 0 ? mid - 40 * u : c->x1) - x;
        vsp_prim *hd = put_fit(c, VSP_ROLE_LABEL, heads[k], c->f_label, true, VSP_INK, x, c->y0,
                               w, 1, -1, -1);
        if (!t || t->n_rows == 0)
            continue;
        hbars hb;
        memset(&hb, 0, sizeof hb);
        hb.x = x;
        hb.y = hd->y + hd->h + 24 * u;
        hb.w = w;
        hb.h = c->y1 - hb.y;
        hb.ns = 1;
        hb.fmt = FMT_INT;
        hb.label_share = 0.45;
        hb.axis_title = tr(c, "axis", "Items");
        hb.colors[0] = k == 0 ? VSP_OI_BLUE : VSP_OI_ORANGE;
        static const size_t cols[] = {0};
        /* pairs carry two country names: at most seven rows; where the
         * names do not fit their rows, the pairs are named by country code
         * with a key under the bars (a defined short form, never a cut) */
        size_t want = k == 1 ? 7 : 0;
        fill_groups(c, &hb, t, cols, 0, want, other[k], sizeof other[k]);
        if (k == 1) {
            size_t rows = t->n_rows, by_h = groups_that_fit(c, hb.h, 1, rows);
            size_t expect = rows < by_h ? rows : by_h;
            if (expect > 7)
                expect = 7;
            int lines;
            double lw;
            if (hb.ng < expect || !hbars_labels(c, &hb, &lines, &lw)) {
                char key[512];
                size_t n = 0;
                const char *codes[8];
                static const char *const all[] = {"AL", "BA", "ME", "MK", "RS", "XK"};
                for (size_t q = 0; q < 6; q++) {
                    bool used = false;
                    for (size_t r = 0; r < rows; r++)
                        used |= strstr(t->rows[r], all[q]) != NULL;
                    if (used)
                        codes[n++] = all[q];
                }
                country_key(c, codes, n, key, sizeof key);
                vsp_prim *kp = put_fit(c, VSP_ROLE_AXIS, key, c->f_axis, false, VSP_INK_SOFT, x,
                                       c->y1, w, 3, -1, 1);
                hb.h = kp->y - 16 * u - hb.y;
                hb.pair_codes = true;
                fill_groups(c, &hb, t, cols, 0, want, other[k], sizeof other[k]);
            }
        }
        draw_hbars(c, &hb);
    }
    vsp_scene_line(c->s, mid, c->y0, mid, c->y1, VSP_GRID, 1.5 * u);
}

vsp_status vsp_layout_chart(const vsp_chart_spec *spec, const vsp_chart_data *d,
                            const vsp_measurer *m, vsp_scene *out, vsp_error *err)
{
    if (!spec || !d || !m || !out)
        return vsp_error_set(err, VSP_ESOFTWARE, "vsp_layout_chart: missing argument");
    ctx c;
    memset(&c, 0, sizeof c);
    c.spec = spec;
    c.d = d;
    c.m = m;
    c.s = out;
    c.lang = vsp_i18n_lang_canon(spec->lang) ? vsp_i18n_lang_canon(spec->lang) : "en";
    c.u = spec->scale > 0 ? spec->scale : fmin(out->w / 1920.0, out->h / 1080.0);
    c.marked = strcmp(d->country, "region") == 0 && vsp_designation_on();
    double u = c.u;
    /* slide type (issue 17): titles 48, labels, values, axes and legends
     * 32, so that the back of a room reads them; the footer's sources and
     * notes 28 */
    c.f_title = 48 * u;
    c.f_sub = 36 * u;
    c.f_label = 32 * u;
    c.f_value = 32 * u;
    c.f_axis = 32 * u;
    c.f_foot = 28 * u;
    c.f_legend = 32 * u;
    frame(&c);
    switch (d->id) {
    case VSP_CHART_FUNNEL: chart_funnel(&c); break;
    case VSP_CHART_CATEGORIES: chart_categories(&c); break;
    case VSP_CHART_OUTCOMES: chart_outcomes(&c); break;
    case VSP_CHART_TIMELINESS: chart_timeliness(&c); break;
    case VSP_CHART_TREND: chart_trend(&c); break;
    case VSP_CHART_COUNTRIES: chart_countries(&c); break;
    case VSP_CHART_MAP: chart_map(&c); break;
    case VSP_CHART_HEATMAP: chart_heatmap(&c); break;
    case VSP_CHART_CROSSBORDER: chart_crossborder(&c); break;
    default: return vsp_error_set(err, VSP_ESOFTWARE, "unknown chart id %d", (int)d->id);
    }
    return VSP_OK;
}
