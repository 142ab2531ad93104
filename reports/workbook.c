/* workbook.c — the public workbook (reports/workbook.h) with libxlsxwriter.
 *
 * Layout of every data sheet: row 1 title, row 2 scope and period, row 4
 * the header of the main table (frozen with the first column, autofilter),
 * rows 5.. its data; further tables below or beside it; charts to the
 * right of the tables.  Rows and columns below are 0-based. */
#include "reports/workbook.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "charts/chart.h"
#include "charts/layout.h"
#include "pipeline/designation.h"
#include "pipeline/foreword.h"
#include "pipeline/i18n.h"
#include "pipeline/measures.h"
#include "pipeline/release_text.h"
#include "pipeline/ingest.h"
#include "pipeline/metrics.h"
#include "pipeline/outfile.h"
#include "pipeline/period.h"
#include "pipeline/util.h"
#include "reports/export.h"
#include "reports/xlsx_util.h"

#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEAD 3 /* header row of the main table */
#define MAX_COLS 48
#define N_COUNTRIES 6
#define N_CATEGORIES 14
#define N_TREND 8

static const char *const country_codes[N_COUNTRIES] = {"AL", "BA", "ME", "MK", "RS", "XK"};

enum fmt_kind { F_INT /* years: no grouping */, F_COUNT, F_PCT, F_HOURS, F_DEC, F_DATE, F_DATETIME, F_KINDS };

typedef struct regulator {
    char code[4];
    char *name_en, *name, *short_name; /* name and short_name may be NULL */
} regulator;

typedef struct category_row {
    char code[24];
    char *dsa;
} category_row;

typedef struct population_row {
    char country[4];
    int year;
    char *source;
} population_row;

typedef struct wb {
    const vsp_workbook_spec *spec;
    vsp_foreword *foreword;
    const char *lang;
    const char *cc;     /* "AL" ... or "region" */
    bool region;
    vsp_store *store;
    lxw_workbook *book;
    const vsp_metrics *m;
    vsp_metrics *trend[N_TREND]; /* oldest first; NULL if not aggregated */
    vsp_period trend_period[N_TREND];
    int n_trend;
    regulator regs[N_COUNTRIES];
    category_row cats[N_CATEGORIES];
    int n_cats;
    population_row pops[N_COUNTRIES];
    int n_pops;
    vsp_xlsx_names names;
    vsp_buf scratch;
    char scope[160];    /* "Albania" / "Western Balkans", translated */
    char period_text[80];
    lxw_format *f_title, *f_subtitle, *f_head, *f_note, *f_wrap, *f_bold, *f_label;
    lxw_format *f[F_KINDS], *fb[F_KINDS]; /* plain and bold (totals) */
    const vsp_release *rel; /* borrowed; NULL: made outside a release */
    bool revised;           /* rel revised a figure of this workbook's scope */
    vsp_error *err;
    vsp_status st; /* first error, sticky */
} wb;

typedef struct sheet {
    wb *w;
    lxw_worksheet *ws;
    char name[VSP_XLSX_SHEET_NAME_BUF];
    double width[MAX_COLS];
} sheet;

/* ---- errors and text ------------------------------------------------ */

static void fail(wb *w, vsp_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(wb *w, vsp_status st, const char *fmt, ...)
{
    if (w->st != VSP_OK)
        return; /* the first failure is the one to report */
    va_list ap;
    va_start(ap, fmt);
    w->st = vsp_error_vset(w->err, st, fmt, ap);
    va_end(ap);
}

static void check(sheet *s, lxw_error e, lxw_row_t r, lxw_col_t c)
{
    if (e == LXW_NO_ERROR || s->w->st != VSP_OK)
        return;
    char where[64];
    snprintf(where, sizeof where, "row %u, column %u", (unsigned)r + 1, (unsigned)c + 1);
    s->w->st = VSP_ESOFTWARE;
    vsp_error_set(s->w->err, VSP_ESOFTWARE, "workbook sheet '%s', %s: %s", s->name, where,
                  lxw_strerror(e));
}

static const char *wtr(const wb *w, const char *msgid)
{
    return vsp_i18n_pget(w->lang, "workbook", msgid);
}

/* Fill {name} placeholders of a translated template. */
static const char *subst(const wb *w, char *buf, size_t size, const char *msgid, size_t n,
                         const char *const names[], const char *const values[])
{
    vsp_i18n_subst(buf, size, wtr(w, msgid), n, names, values);
    return buf;
}

static void widen(sheet *s, lxw_col_t c, double chars)
{
    if (c < MAX_COLS && chars > s->width[c])
        s->width[c] = chars;
}

/* ---- cells ---------------------------------------------------------- */

static void put_text(sheet *s, lxw_row_t r, lxw_col_t c, const char *text, lxw_format *f)
{
    if (s->w->st != VSP_OK)
        return;
    const char *clean = vsp_xlsx_clean_text(text ? text : "", &s->w->scratch);
    if (!clean[0]) {
        check(s, worksheet_write_blank(s->ws, r, c, f), r, c);
        return;
    }
    check(s, worksheet_write_string(s->ws, r, c, clean, f), r, c);
    widen(s, c, (double)vsp_xlsx_utf16_len(clean) * 1.1 + 2);
}

/* Text that may be long: wraps in a column of a set width, not widened. */
static void put_para(sheet *s, lxw_row_t r, lxw_col_t c, const char *text, double col_chars)
{
    if (s->w->st != VSP_OK)
        return;
    const char *clean = vsp_xlsx_clean_text(text, &s->w->scratch);
    check(s, worksheet_write_string(s->ws, r, c, clean, s->w->f_wrap), r, c);
    size_t len = vsp_xlsx_utf16_len(clean);
    double lines = ceil((double)len / (col_chars * 0.95));
    if (lines > 1)
        check(s, worksheet_set_row(s->ws, r, 15.0 * lines, NULL), r, c);
}

static double num_width(enum fmt_kind k, double v)
{
    switch (k) {
    case F_PCT: return 9;
    case F_HOURS:
    case F_DEC: {
        double digits = fabs(v) >= 1 ? floor(log10(fabs(v))) + 1 : 1;
        return digits + digits / 3 + 5;
    }
    case F_DATE: return 12;
    case F_DATETIME: return 18;
    default: {
        double digits = fabs(v) >= 1 ? floor(log10(fabs(v))) + 1 : 1;
        return digits + digits / 3 + 3;
    }
    }
}

static lxw_format *fmt_of(const wb *w, enum fmt_kind k, bool bold)
{
    return bold ? w->fb[k] : w->f[k];
}

static void put_num(sheet *s, lxw_row_t r, lxw_col_t c, double v, enum fmt_kind k, bool bold)
{
    if (s->w->st != VSP_OK)
        return;
    if (!isfinite(v)) {
        check(s, worksheet_write_blank(s->ws, r, c, fmt_of(s->w, k, bold)), r, c);
        return;
    }
    check(s, worksheet_write_number(s->ws, r, c, v, fmt_of(s->w, k, bold)), r, c);
    widen(s, c, num_width(k, v));
}

/* The revision of the figure (metric of cc, cat in period), or NULL. */
static const vsp_revision *revision_of(const wb *w, const char *period, const char *cc,
                                       const char *cat, const char *metric)
{
    if (!vsp_release_revised_metric(w->rel, period, cc, cat, metric))
        return NULL;
    char code[96];
    vsp_release_measure_code(metric, code, sizeof code);
    for (size_t i = 0; i < w->rel->n_revisions; i++) {
        const vsp_revision *v = &w->rel->revisions[i];
        if (strcmp(v->period, period) == 0 && strcmp(v->area, cc) == 0 &&
            strcmp(v->category, cat) == 0 && strcmp(v->measure, code) == 0)
            return v;
    }
    return NULL;
}

/* A revised figure's cell note: "(R) revised: was 66.7% in version 1 of
 * 1 Nov 2026 — later outcomes ...", so the number stays a number. */
static void revision_note(sheet *s, lxw_row_t r, lxw_col_t c, const vsp_revision *v)
{
    wb *w = s->w;
    if (w->st != VSP_OK)
        return;
    char was[2 * VSP_FMT_MAX], why[512], ver[16], date[64], buf[1024];
    vsp_release_value_text(v->measure, v->old_value, w->lang, was, sizeof was);
    vsp_release_reason_text(v, w->lang, why, sizeof why);
    snprintf(ver, sizeof ver, "%d", w->rel->previous_version);
    vsp_i18n_date(w->lang, w->rel->previous_date, date, sizeof date);
    const char *names[] = {"mark", "old", "version", "date", "why"};
    const char *values[] = {VSP_RELEASE_MARK, was, ver, date, why};
    /* TRANSLATORS: the note on a revised figure's cell; {mark} "(R)", {old}
     * the value published before, {version} and {date} that version,
     * {why} the reason ("later outcomes and events from the export of 5 Oct 2026"). */
    vsp_i18n_subst(buf, sizeof buf,
                   vsp_i18n_pget(w->lang, "release",
                                 "{mark} revised: {old} in version {version} of {date}; {why}"),
                   5, names, values);
    const char *clean = vsp_xlsx_clean_text(buf, &w->scratch);
    check(s, worksheet_write_comment(s->ws, r, c, clean), r, c);
}

/* A figure of the aggregates, or an empty cell when it is undefined; a
 * revised figure carries its revision as a cell note. */
static void put_metric(sheet *s, lxw_row_t r, lxw_col_t c, const vsp_metrics *m, const char *cc,
                       const char *cat, const char *metric, enum fmt_kind k, bool bold)
{
    double v = NAN;
    if (m && !vsp_metrics_get(m, cc, cat, metric, &v))
        v = NAN;
    put_num(s, r, c, v, k, bold);
    const vsp_revision *rv =
        m && s->w->rel ? revision_of(s->w, vsp_metrics_period(m)->label, cc, cat, metric) : NULL;
    if (rv)
        revision_note(s, r, c, rv);
}

/* A column of figures: the metric, its number format and its heading
 * (a msgid of the "workbook" context). */
typedef struct metric_col {
    const char *metric;
    enum fmt_kind kind;
    const char *head;
} metric_col;

/* The headings of n columns in the header row, from column c0 on. */
static void put_metric_heads(sheet *s, lxw_col_t c0, const metric_col *cols, size_t n)
{
    for (size_t j = 0; j < n; j++)
        put_text(s, HEAD, (lxw_col_t)(c0 + j), wtr(s->w, cols[j].head), s->w->f_head);
}

/* One row of the n columns' figures for (cc, cat) of m, from column c0 on. */
static void put_metric_row(sheet *s, lxw_row_t r, lxw_col_t c0, const vsp_metrics *m,
                           const char *cc, const char *cat, const metric_col *cols, size_t n,
                           bool bold)
{
    for (size_t j = 0; j < n; j++)
        put_metric(s, r, (lxw_col_t)(c0 + j), m, cc, cat, cols[j].metric, cols[j].kind, bold);
}

static void put_day(sheet *s, lxw_row_t r, lxw_col_t c, int32_t day)
{
    if (s->w->st != VSP_OK)
        return;
    lxw_datetime dt = {day / 10000, day / 100 % 100, day % 100, 0, 0, 0};
    check(s, worksheet_write_datetime(s->ws, r, c, &dt, s->w->f[F_DATE]), r, c);
    widen(s, c, num_width(F_DATE, 0));
}

/* An ISO 8601 UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" as a date-time cell
 * (empty when there is none). */
static void put_iso(sheet *s, lxw_row_t r, lxw_col_t c, const char *iso)
{
    if (s->w->st != VSP_OK)
        return;
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) < 3 ||
        !vsp_date_valid(y, mo, d)) {
        put_text(s, r, c, iso, NULL);
        return;
    }
    lxw_datetime dt = {y, mo, d, h, mi, (double)se};
    check(s, worksheet_write_datetime(s->ws, r, c, &dt, s->w->f[F_DATETIME]), r, c);
    widen(s, c, num_width(F_DATETIME, 0));
}

static void put_header(sheet *s, lxw_row_t r, lxw_col_t c0, const char *const *labels, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_text(s, r, (lxw_col_t)(c0 + i), labels[i], s->w->f_head);
}

/* ---- sheets --------------------------------------------------------- */

static bool sheet_add(wb *w, sheet *s, const char *msgid)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    if (w->st != VSP_OK)
        return false;
    vsp_xlsx_names_make(&w->names, wtr(w, msgid), s->name, sizeof s->name);
    vsp_error e;
    if (vsp_xlsx_sheet_name_check(s->name, &e) != VSP_OK) { /* never: make() fixes names */
        fail(w, VSP_ESOFTWARE, "%s", e.msg);
        return false;
    }
    s->ws = workbook_add_worksheet(w->book, s->name);
    if (!s->ws) {
        fail(w, VSP_ESOFTWARE, "cannot add the sheet '%s'", s->name);
        return false;
    }
    return true;
}

/* Title, scope line, and (for data sheets) the frozen header. */
static void sheet_head(sheet *s, const char *title, bool freeze)
{
    wb *w = s->w;
    char line[256];
    snprintf(line, sizeof line, "%s · %s", w->scope, w->period_text);
    put_text(s, TITLE_ROW, 0, title, w->f_title);
    put_text(s, SUBTITLE_ROW, 0, line, w->f_subtitle);
    /* The title runs over the empty cells to its right: it must not widen
     * the first column. */
    s->width[0] = 0;
    if (freeze)
        worksheet_freeze_panes(s->ws, HEAD + 1, 1);
}

static void sheet_finish(sheet *s, double min_first)
{
    if (s->w->st != VSP_OK)
        return;
    if (s->width[0] < min_first)
        s->width[0] = min_first;
    for (lxw_col_t c = 0; c < MAX_COLS; c++) {
        if (s->width[c] <= 0)
            continue;
        double wd = s->width[c] < 8 ? 8 : s->width[c] > 60 ? 60 : s->width[c];
        check(s, worksheet_set_column(s->ws, c, c, wd, NULL), 0, c);
    }
}

static void autofilter(sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1)
{
    if (s->w->st == VSP_OK)
        check(s, worksheet_autofilter(s->ws, r0, c0, r1, c1), r0, c0);
}

/* ---- charts --------------------------------------------------------- */

typedef struct series_spec {
    lxw_col_t col;         /* values (and the header above them names the series) */
    uint32_t color;        /* 0xRRGGBBAA, 0 for Excel's own */
} series_spec;

/* A native chart over rows r0..r1: categories in cat_col, one series per
 * spec, names from the header row head_row; placed at (at_row, at_col). */
static lxw_chart *add_chart(sheet *s, uint8_t type, const char *title, lxw_row_t head_row,
                            lxw_row_t r0, lxw_row_t r1, lxw_col_t cat_col,
                            const series_spec *series, size_t n, bool labels, lxw_row_t at_row,
                            lxw_col_t at_col, double x_scale, double y_scale)
{
    wb *w = s->w;
    if (w->st != VSP_OK || r1 < r0)
        return NULL;
    lxw_chart *ch = workbook_add_chart(w->book, type);
    if (!ch) {
        fail(w, VSP_ESOFTWARE, "cannot add a chart to the sheet '%s'", s->name);
        return NULL;
    }
    char *t = vsp_xstrdup(vsp_xlsx_clean_text(title, &w->scratch));
    chart_title_set_name(ch, t);
    lxw_chart_font tf = {0};
    tf.size = 12;
    tf.bold = LXW_TRUE;
    chart_title_set_name_font(ch, &tf);
    for (size_t i = 0; i < n; i++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se) {
            fail(w, VSP_ESOFTWARE, "cannot add a chart series on the sheet '%s'", s->name);
            free(t);
            return NULL;
        }
        chart_series_set_categories(se, s->name, r0, cat_col, r1, cat_col);
        chart_series_set_values(se, s->name, r0, series[i].col, r1, series[i].col);
        chart_series_set_name_range(se, s->name, head_row, series[i].col);
        if (series[i].color) {
            lxw_chart_fill fill = {0};
            fill.color = series[i].color >> 8;
            chart_series_set_fill(se, &fill);
            if (type == LXW_CHART_LINE) {
                lxw_chart_line line = {0};
                line.color = series[i].color >> 8;
                line.width = 2.25;
                chart_series_set_line(se, &line);
            }
        }
        if (labels)
            chart_series_set_labels(se);
    }
    if (n > 1 || type == LXW_CHART_BAR_STACKED_PERCENT)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    else
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    if (type == LXW_CHART_BAR || type == LXW_CHART_BAR_STACKED_PERCENT)
        chart_axis_set_reverse(ch->y_axis); /* first row on top, as in the table */
    lxw_chart_options opt = {0};
    opt.x_offset = 12;
    opt.x_scale = x_scale;
    opt.y_scale = y_scale;
    opt.description = t; /* alt text */
    check(s, worksheet_insert_chart_opt(s->ws, at_row, at_col, ch, &opt), at_row, at_col);
    free(t);
    return ch;
}

/* ---- the figures ---------------------------------------------------- */

typedef struct figure {
    const char *code;   /* column of `vspreport stats --format csv` */
    const char *metric; /* agg_metric.metric */
    enum fmt_kind kind;
    const char *label;  /* msgid, context "workbook" */
    const char *unit;   /* msgid */
    const char *definition;
} figure;

static const figure figures[] = {
    {"received", "received", F_COUNT, NC_("workbook", "Reports received"), NC_("workbook", "reports"),
     NC_("workbook", "Reports received in the period. A report belongs to the period that holds "
                     "the date it was received, in the regulator's time zone.")},
    {"assessed", "assessed", F_COUNT, NC_("workbook", "Reports assessed"), NC_("workbook", "reports"),
     NC_("workbook", "Reports on which the regulator has decided: every decision except "
                     "pending.")},
    {"forwarded", "forwarded", F_COUNT, NC_("workbook", "Violations forwarded to the platform"),
     NC_("workbook", "reports"),
     NC_("workbook", "Reports the regulator found to violate the law and forwarded to the "
                     "platform.")},
    {"actioned", "actioned", F_COUNT, NC_("workbook", "Actioned by the platform"),
     NC_("workbook", "reports"),
     NC_("workbook", "Forwarded items that the platform removed, blocked in the country or "
                     "age-restricted, or whose account it suspended or banned.")},
    {"outcome_pending", "outcome_pending", F_COUNT,
     NC_("workbook", "Awaiting the platform's response"), NC_("workbook", "reports"),
     NC_("workbook", "Forwarded items without a final response of the platform on the date "
                     "the data are as of.")},
    {"violation_rate", "violation_rate", F_PCT, NC_("workbook", "Violation rate"), "%",
     NC_("workbook", "Violations forwarded divided by reports assessed.")},
    {"action_rate", "action_rate", F_PCT, NC_("workbook", "Action rate"), "%",
     NC_("workbook", "Items actioned divided by the forwarded items that have a final response "
                     "(forwarded minus awaiting the platform's response).")},
    {"received_per100k", "received_per100k", F_DEC,
     NC_("workbook", "Reports received per 100 000 inhabitants"),
     NC_("workbook", "per 100 000 inhabitants"),
     NC_("workbook", "Reports received divided by the population, times 100 000. Population: "
                     "the latest census (see the table below).")},
    {"forwarded_per100k", "forwarded_per100k", F_DEC,
     NC_("workbook", "Violations forwarded per 100 000 inhabitants"),
     NC_("workbook", "per 100 000 inhabitants"),
     NC_("workbook", "Violations forwarded divided by the population, times 100 000.")},
    {"actioned_per100k", "actioned_per100k", F_DEC,
     NC_("workbook", "Actioned per 100 000 inhabitants"), NC_("workbook", "per 100 000 inhabitants"),
     NC_("workbook", "Items actioned divided by the population, times 100 000.")},
    {"population", "population", F_COUNT, NC_("workbook", "Population"),
     NC_("workbook", "inhabitants"),
     NC_("workbook", "Inhabitants at the latest census; the region is the sum of the six "
                     "countries.")},
    {"median_h_to_action", "h_to_action_median", F_HOURS,
     NC_("workbook", "Median time to action"), NC_("workbook", "hours"),
     NC_("workbook", "Hours from forwarding to the platform's action, for actioned items with "
                     "both times known: half of them took less, half took more.")},
    {"p90_h_to_action", "h_to_action_p90", F_HOURS,
     NC_("workbook", "Time to action, 90th percentile"), NC_("workbook", "hours"),
     NC_("workbook", "The time within which 90 % of the timed actioned items were acted on.")},
    {"n_to_action", "h_to_action_n", F_COUNT, NC_("workbook", "Actioned items timed"),
     NC_("workbook", "items"),
     NC_("workbook", "Actioned items with both times known: the base of the median and the 90th "
                     "percentile.")},
    {"median_h_to_response", "h_to_response_median", F_HOURS,
     NC_("workbook", "Median time to response"), NC_("workbook", "hours"),
     NC_("workbook", "Hours from forwarding to any final response of the platform, including "
                     "declined and already unavailable.")},
    {"p90_h_to_response", "h_to_response_p90", F_HOURS,
     NC_("workbook", "Time to response, 90th percentile"), NC_("workbook", "hours"),
     NC_("workbook", "The time within which the platform gave 90 % of its timed final "
                     "responses.")},
    {"n_to_response", "h_to_response_n", F_COUNT, NC_("workbook", "Responses timed"),
     NC_("workbook", "items"),
     NC_("workbook", "Forwarded items with a final response and both times known.")},
    {"median_h_received_decided", "h_received_decided_median", F_HOURS,
     NC_("workbook", "Median time from receipt to decision"), NC_("workbook", "hours"),
     NC_("workbook", "Hours from the receipt of a report to the regulator's decision, where "
                     "both times are known.")},
    {"p90_h_received_decided", "h_received_decided_p90", F_HOURS,
     NC_("workbook", "Time from receipt to decision, 90th percentile"), NC_("workbook", "hours"),
     NC_("workbook", "The time within which 90 % of the timed items completed this step.")},
    {"n_received_decided", "h_received_decided_n", F_COUNT, NC_("workbook", "Decisions timed"),
     NC_("workbook", "items"),
     NC_("workbook", "Items with both times known: the base of the median and the 90th "
                     "percentile.")},
    {"median_h_decided_forwarded", "h_decided_forwarded_median", F_HOURS,
     NC_("workbook", "Median time from decision to forwarding"), NC_("workbook", "hours"),
     NC_("workbook", "Hours from the regulator's decision to forwarding to the platform, where "
                     "both times are known.")},
    {"p90_h_decided_forwarded", "h_decided_forwarded_p90", F_HOURS,
     NC_("workbook", "Time from decision to forwarding, 90th percentile"),
     NC_("workbook", "hours"),
     NC_("workbook", "The time within which 90 % of the timed items completed this step.")},
    {"n_decided_forwarded", "h_decided_forwarded_n", F_COUNT,
     NC_("workbook", "Forwardings timed"), NC_("workbook", "items"),
     NC_("workbook", "Items with both times known: the base of the median and the 90th "
                     "percentile.")},
    {"median_h_received_outcome", "h_received_outcome_median", F_HOURS,
     NC_("workbook", "Median time from receipt to outcome"), NC_("workbook", "hours"),
     NC_("workbook", "Hours from the receipt of a report to the platform's final response, "
                     "where both times are known.")},
    {"p90_h_received_outcome", "h_received_outcome_p90", F_HOURS,
     NC_("workbook", "Time from receipt to outcome, 90th percentile"), NC_("workbook", "hours"),
     NC_("workbook", "The time within which 90 % of the timed items completed this step.")},
    {"n_received_outcome", "h_received_outcome_n", F_COUNT, NC_("workbook", "Outcomes timed"),
     NC_("workbook", "items"),
     NC_("workbook", "Items with both times known: the base of the median and the 90th "
                     "percentile.")},
    {"share_24h", "share_24h", F_PCT, NC_("workbook", "Actioned within 24 hours"), "%",
     NC_("workbook", "Share of the timed actioned items acted on within 24 hours of "
                     "forwarding.")},
    {"share_48h", "share_48h", F_PCT, NC_("workbook", "Actioned within 48 hours"), "%",
     NC_("workbook", "Share of the timed actioned items acted on within 48 hours of "
                     "forwarding.")},
    {"share_7d", "share_7d", F_PCT, NC_("workbook", "Actioned within 7 days"), "%",
     NC_("workbook", "Share of the timed actioned items acted on within 7 days of forwarding.")},
    {"median_d_to_action", "d_to_action_median", F_HOURS,
     NC_("workbook", "Median time to action in days"), NC_("workbook", "days"),
     NC_("workbook", "Whole days from forwarding to the platform's action (the difference of "
                     "the calendar dates), for actioned items with both dates known, with or "
                     "without a time of day.")},
    {"p90_d_to_action", "d_to_action_p90", F_HOURS,
     NC_("workbook", "Time to action in days, 90th percentile"), NC_("workbook", "days"),
     NC_("workbook", "The number of days within which 90 % of the dated actioned items were "
                     "acted on.")},
    {"n_d_to_action", "d_to_action_n", F_COUNT, NC_("workbook", "Actioned items dated"),
     NC_("workbook", "items"),
     NC_("workbook", "Actioned items with both dates known: the base of the day figures.")},
    {"median_d_to_response", "d_to_response_median", F_HOURS,
     NC_("workbook", "Median time to response in days"), NC_("workbook", "days"),
     NC_("workbook", "Whole days from forwarding to any final response of the platform.")},
    {"n_d_to_response", "d_to_response_n", F_COUNT, NC_("workbook", "Responses dated"),
     NC_("workbook", "items"),
     NC_("workbook", "Forwarded items with a final response and both dates known.")},
    {"share_d_1d", "d_share_1d", F_PCT, NC_("workbook", "Actioned within 1 day (by date)"), "%",
     NC_("workbook", "Share of the dated actioned items acted on the day of forwarding or the "
                     "day after.")},
    {"share_d_7d", "d_share_7d", F_PCT, NC_("workbook", "Actioned within 7 days (by date)"), "%",
     NC_("workbook", "Share of the dated actioned items acted on within 7 calendar days of "
                     "forwarding.")},
    {"provisional", "provisional", F_COUNT, NC_("workbook", "Provisional (1 = yes)"),
     NC_("workbook", "flag"),
     NC_("workbook", "1 while the period's outcomes are still arriving: forwarded items without "
                     "a final outcome, or data as of less than 30 days after the period's end.")},
    {"cross_border_items", "cross_border_items", F_COUNT, NC_("workbook", "Cross-border items"),
     NC_("workbook", "items"),
     NC_("workbook", "Items (the same video or account) reported in two or more of the six "
                     "countries in the period.")},
};
#define N_FIGURES (sizeof figures / sizeof figures[0])

static const char *const methodology[] = {
    NC_("workbook", "Each report belongs to the period that holds the date it was received, in "
                    "the regulator's time zone. The figures are as of the date each regulator's "
                    "export was taken (where stated), else the latest date of any event in its "
                    "case log; the region is as of the earliest regulator. Whatever was still "
                    "open on that date counts as pending."),
    NC_("workbook", "A period is provisional while its outcomes are still arriving; a change "
                    "against the previous period is then read against that period as it stood "
                    "the same number of days after its end (vspreport stats --same-lag)."),
    NC_("workbook", "Durations are also given in whole days, the difference of the calendar "
                    "dates, wherever both ends have a date: a regulator that records dates only "
                    "has day figures, and the region pools days over all regulators and hours "
                    "over those that record times."),
    NC_("workbook", "Durations are measured in hours between two recorded times, where the date "
                    "and time of both are known (a date alone gives no duration) and the later "
                    "step is not earlier. Medians and 90th percentiles "
                    "interpolate linearly between closest ranks, as Excel's PERCENTILE.INC "
                    "does."),
    NC_("workbook", "The regulators' own labels are mapped to common categories, each linked to "
                    "a category of the EU Digital Services Act Transparency Database."),
    NC_("workbook", "The figures are computed once from the case logs and stored; this "
                    "workbook, the charts, the PDF report and vspreport stats all read the same "
                    "stored figures."),
    NC_("workbook", "An empty cell means that a figure is not defined: a rate without a "
                    "denominator, or a duration without any timed item."),
    NC_("workbook", "No personal data is published: reporters, account handles, links and notes "
                    "stay with the regulator."),
};

/* ---- loading -------------------------------------------------------- */

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t && t[0] ? vsp_xstrdup((const char *)t) : NULL;
}

/* queries/<name>.sql with :period bound; NULL after a failure (the first
 * failure is the one to report). */
static sqlite3_stmt *prepare_period(wb *w, const char *name)
{
    vsp_error e;
    sqlite3_stmt *st = vsp_store_prepare(w->store, name, &e);
    if (!st) {
        fail(w, e.status, "%s", e.msg);
        return NULL;
    }
    int i = sqlite3_bind_parameter_index(st, ":period");
    if (i > 0)
        sqlite3_bind_text(st, i, vsp_metrics_period(w->m)->label, -1, SQLITE_TRANSIENT);
    return st;
}

static void finish_read(wb *w, sqlite3_stmt *st, int rc, const char *name)
{
    if (rc != SQLITE_DONE && w->st == VSP_OK) {
        char what[128];
        snprintf(what, sizeof what, "reading queries/%s.sql", name);
        w->st = vsp_store_error(w->store, w->err, what);
    }
    sqlite3_finalize(st);
}

static void load_reference(wb *w)
{
    sqlite3_stmt *st;
    int rc;
    if ((st = prepare_period(w, "workbook_regulators"))) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            for (int i = 0; i < N_COUNTRIES; i++) {
                if (!code || strcmp(code, country_codes[i]) != 0)
                    continue;
                regulator *r = &w->regs[i];
                free(r->name_en), free(r->name), free(r->short_name);
                r->name_en = col_dup(st, 1);
                /* the one table, in the workbook's language; the profile's
                 * own name only where it is in that language */
                const char *own_lang = (const char *)sqlite3_column_text(st, 4);
                const char *own = (const char *)sqlite3_column_text(st, 2);
                const char *name = vsp_i18n_regulator_as(w->lang, code, false, own_lang, own);
                r->name = name ? vsp_xstrdup(name) : NULL;
                own = (const char *)sqlite3_column_text(st, 3);
                name = vsp_i18n_regulator_as(w->lang, code, true, own_lang, own);
                r->short_name = name ? vsp_xstrdup(name) : NULL;
            }
        }
        finish_read(w, st, rc, "workbook_regulators");
    }
    for (int i = 0; i < N_COUNTRIES; i++) {
        regulator *r = &w->regs[i];
        if (!r->name && !r->short_name) {
            /* the warehouse does not say (its country table is filled
             * from the profiles at ingest): the known regulator */
            r->name = vsp_xstrdup(vsp_i18n_regulator(w->lang, country_codes[i]));
            r->short_name = vsp_xstrdup(vsp_i18n_regulator_short(w->lang, country_codes[i]));
        }
    }
    if ((st = prepare_period(w, "workbook_categories"))) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->n_cats < N_CATEGORIES) {
            category_row *c = &w->cats[w->n_cats++];
            const unsigned char *code = sqlite3_column_text(st, 0);
            snprintf(c->code, sizeof c->code, "%s", code ? (const char *)code : "");
            c->dsa = col_dup(st, 1);
        }
        if (rc == SQLITE_ROW)
            rc = SQLITE_DONE;
        finish_read(w, st, rc, "workbook_categories");
    }
    if ((st = prepare_period(w, "workbook_population"))) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->n_pops < N_COUNTRIES) {
            population_row *p = &w->pops[w->n_pops++];
            const unsigned char *code = sqlite3_column_text(st, 0);
            snprintf(p->country, sizeof p->country, "%s", code ? (const char *)code : "");
            p->year = sqlite3_column_int(st, 2);
            p->source = col_dup(st, 3);
        }
        if (rc == SQLITE_ROW)
            rc = SQLITE_DONE;
        finish_read(w, st, rc, "workbook_population");
    }
}

static const population_row *population_of(const wb *w, const char *cc)
{
    for (int i = 0; i < w->n_pops; i++)
        if (strcmp(w->pops[i].country, cc) == 0)
            return &w->pops[i];
    return NULL;
}

/* "Autoriteti i Mediave Audiovizive (AMA)"; for the region the short
 * names with their countries.  Empty when nothing is known. */
static void regulator_text(const wb *w, vsp_buf *out, bool short_only)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (!w->region && strcmp(country_codes[i], w->cc) != 0)
            continue;
        const regulator *r = &w->regs[i];
        if (!r->name && !r->short_name)
            continue;
        if (out->len)
            vsp_buf_puts(out, ", ");
        if (w->region || short_only) {
            vsp_buf_puts(out, r->short_name ? r->short_name : r->name);
            if (w->region && !short_only)
                vsp_buf_printf(out, " (%s)", vsp_i18n_country(w->lang, country_codes[i]));
        } else if (r->name && r->short_name) {
            vsp_buf_printf(out, "%s (%s)", r->name, r->short_name);
        } else {
            vsp_buf_puts(out, r->name ? r->name : r->short_name);
        }
    }
}

/* ---- the sheets ----------------------------------------------------- */

/* U+00A0 (no-break space) and U+202F (narrow no-break space) to plain
 * spaces, in place. */
static void plain_spaces(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
            *o++ = ' ';
            p += 2;
        } else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
                   (unsigned char)p[2] == 0xAF) {
            *o++ = ' ';
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

static void about_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "About")))
        return;
    char title[512], buf[512];
    const char *names[] = {"scope", "period"};
    const char *values[] = {w->scope, w->period_text};
    subst(w, title, sizeof title, NC_("workbook", "Reports of harmful and illegal content on "
                                                  "video-sharing platforms: {scope}, {period}"),
          2, names, values);
    sheet_head(&s, title, false);
    const double def_width = 90;

    vsp_buf reg;
    vsp_buf_init(&reg);
    regulator_text(w, &reg, false);
    const vsp_period *p = vsp_metrics_period(w->m);
    lxw_row_t r = HEAD;
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Regulator")), w->f_label);
    put_text(&s, r++, 1, reg.len ? reg.data : "–", NULL);
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Country")), w->f_label);
    put_text(&s, r++, 1, w->scope, NULL);
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Period")), w->f_label);
    put_text(&s, r++, 1, w->period_text, NULL);
    put_text(&s, r, 0, wtr(w, NC_("workbook", "From")), w->f_label);
    put_day(&s, r++, 1, p->start_day);
    put_text(&s, r, 0, wtr(w, NC_("workbook", "To")), w->f_label);
    put_day(&s, r++, 1, p->end_day);
    /* how current the figures are (DESIGN §5): per regulator, and the
     * region as of the earliest, naming whose date it is */
    {
        int32_t as_of;
        put_text(&s, r, 0, wtr(w, NC_("workbook", "Data as of")), w->f_label);
        if (vsp_metrics_as_of(w->m, w->cc, &as_of))
            put_day(&s, r, 1, as_of);
        else
            put_text(&s, r, 1, "\xe2\x80\x93", NULL);
        r++;
        if (w->region) {
            char codes[64], who[128];
            vsp_metrics_as_of_from(w->m, codes, sizeof codes);
            vsp_i18n_regulator_list(w->lang, codes, who, sizeof who);
            put_text(&s, r, 0, wtr(w, NC_("workbook", "Data as of: the earliest regulator")),
                     w->f_label);
            put_text(&s, r++, 1, who[0] ? who : "\xe2\x80\x93", NULL);
        }
        int prov = vsp_metrics_provisional(w->m, w->cc);
        put_text(&s, r, 0, wtr(w, NC_("workbook", "Provisional")), w->f_label);
        put_text(&s, r++, 1,
                 prov < 0 ? "\xe2\x80\x93"
                 : prov   ? wtr(w, NC_("workbook", "yes: outcomes are still arriving"))
                          : wtr(w, NC_("workbook", "no")),
                 NULL);
    }
    if (w->rel) {
        vsp_release_format(w->rel, w->lang, buf, sizeof buf);
        put_text(&s, r, 0, vsp_i18n_pget(w->lang, "release", "Release"), w->f_label);
        put_text(&s, r++, 1, buf, NULL);
        if (w->revised) {
            vsp_release_legend(w->rel, w->lang, buf, sizeof buf);
            put_text(&s, r, 0, vsp_i18n_pget(w->lang, "release", "Revisions"), w->f_label);
            put_para(&s, r++, 1, buf, def_width);
        }
    }
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Last import of the case logs (UTC)")), w->f_label);
    put_iso(&s, r++, 1, vsp_metrics_data_freeze(w->m));
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Figures computed (UTC)")), w->f_label);
    put_iso(&s, r++, 1, vsp_metrics_computed_at(w->m));
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Source")), w->f_label);
    const char *vn[] = {"version"};
    const char *vv[] = {VSP_VERSION};
    subst(w, buf, sizeof buf,
          NC_("workbook", "Case logs of the regulators, aggregated by vspreport {version}"), 1, vn,
          vv);
    put_text(&s, r++, 1, buf, NULL);
    /* the regional workbook names Kosovo beside its neighbours: the
     * designation note as EU and regional bodies use it */
    const char *dnote = w->region ? vsp_designation_note(w->lang) : NULL;
    if (dnote)
        put_para(&s, r++, 1, dnote, def_width);
    r++;

    /* the regulator's foreword, as plain text (cells are strings, never
     * formulas, whatever the text starts with) */
    if (w->foreword) {
        put_text(&s, r++, 0, wtr(w, NC_("workbook", "Foreword")), w->f_bold);
        for (size_t i = 0; i < w->foreword->n; i++) {
            const vsp_fw_block *b = &w->foreword->blocks[i];
            char *t = vsp_foreword_plain(b->text);
            if (b->kind == VSP_FW_HEADING) {
                put_text(&s, r, 1, t, w->f_bold);
            } else {
                char *item = b->kind == VSP_FW_ITEM
                                 ? (b->level > 0 ? vsp_xasprintf("%d. %s", b->level, t)
                                                 : vsp_xasprintf("\xe2\x80\xa2 %s", t))
                                 : NULL;
                put_para(&s, r, 1, item ? item : t, def_width);
                free(item);
            }
            free(t);
            r++;
        }
        r++;
    }

    /* Definitions */
    put_text(&s, r++, 0, wtr(w, NC_("workbook", "Definitions")), w->f_bold);
    const char *dh[] = {wtr(w, NC_("workbook", "Figure")), wtr(w, NC_("workbook", "Definition")),
                        wtr(w, NC_("workbook", "Unit")), wtr(w, NC_("workbook", "Code"))};
    put_header(&s, r++, 0, dh, 4);
    for (size_t i = 0; i < N_FIGURES; i++, r++) {
        put_text(&s, r, 0, wtr(w, figures[i].label), w->f_wrap);
        put_para(&s, r, 1, wtr(w, figures[i].definition), def_width);
        put_text(&s, r, 2, wtr(w, figures[i].unit), NULL);
        put_text(&s, r, 3, figures[i].code, NULL);
    }
    r++;

    /* Methodology */
    put_text(&s, r++, 0, wtr(w, NC_("workbook", "Methodology")), w->f_bold);
    for (size_t i = 0; i < sizeof methodology / sizeof methodology[0]; i++)
        put_para(&s, r++, 1, wtr(w, methodology[i]), def_width);
    r++;

    /* Population */
    put_text(&s, r++, 0, wtr(w, NC_("workbook", "Population")), w->f_bold);
    const char *ph[] = {wtr(w, NC_("workbook", "Country")), wtr(w, NC_("workbook", "Source")),
                        wtr(w, NC_("workbook", "Census year")), wtr(w, NC_("workbook", "Population"))};
    put_header(&s, r++, 0, ph, 4);
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (!w->region && strcmp(country_codes[i], w->cc) != 0)
            continue;
        const population_row *pr = population_of(w, country_codes[i]);
        put_text(&s, r, 0, vsp_i18n_country(w->lang, country_codes[i]), NULL);
        put_para(&s, r, 1, pr && pr->source ? pr->source : "–", def_width);
        if (pr)
            put_num(&s, r, 2, pr->year, F_INT, false);
        put_metric(&s, r, 3, w->m, country_codes[i], "*", "population", F_COUNT, false);
        r++;
    }
    vsp_buf_fini(&reg);
    s.width[1] = 0; /* the paragraphs' column keeps its fixed width */
    if (s.width[0] > 40)
        s.width[0] = 40;
    sheet_finish(&s, 24);
    if (w->st == VSP_OK)
        check(&s, worksheet_set_column(s.ws, 1, 1, def_width, NULL), 0, 1);
}

static void summary_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Summary")))
        return;
    sheet_head(&s, wtr(w, NC_("workbook", "Key figures")), true);
    const char *h[] = {wtr(w, NC_("workbook", "Figure")), wtr(w, NC_("workbook", "Value")),
                       wtr(w, NC_("workbook", "Unit")), wtr(w, NC_("workbook", "Code")),
                       vsp_i18n_pget(w->lang, "release", "Revised")};
    /* a release that revised figures: a column marks them (R) */
    lxw_col_t last_col = w->revised ? 4 : 3;
    put_header(&s, HEAD, 0, h, (size_t)last_col + 1);
    lxw_row_t r = HEAD + 1;
    const char *period = vsp_metrics_period(w->m)->label;
    for (size_t i = 0; i < N_FIGURES; i++, r++) {
        put_text(&s, r, 0, wtr(w, figures[i].label), NULL);
        put_metric(&s, r, 1, w->m, w->cc, "*", figures[i].metric, figures[i].kind, false);
        put_text(&s, r, 2, wtr(w, figures[i].unit), NULL);
        put_text(&s, r, 3, figures[i].code, NULL);
        if (w->revised && vsp_release_revised(w->rel, period, w->cc, "*", figures[i].code))
            put_text(&s, r, 4, VSP_RELEASE_MARK, NULL);
    }
    autofilter(&s, HEAD, 0, r - 1, last_col);
    r++;
    char buf[256];
    char asof[11] = "–";
    int32_t as_of;
    if (vsp_metrics_as_of(w->m, w->cc, &as_of))
        vsp_day_format(as_of, asof);
    const char *n[] = {"asof"};
    const char *v[] = {asof};
    subst(w, buf, sizeof buf,
          vsp_metrics_provisional(w->m, w->cc) == 1
              ? NC_("workbook", "Data as of {asof}; provisional: outcomes are still arriving. "
                                "Definitions: see the About sheet.")
              : NC_("workbook", "Data as of {asof}. Definitions: see the About sheet."),
          1, n, v);
    double keep = s.width[0];
    put_text(&s, r, 0, buf, w->f_note);
    if (w->revised) {
        char legend[512];
        put_text(&s, ++r, 0, vsp_release_legend(w->rel, w->lang, legend, sizeof legend),
                 w->f_note);
    }
    s.width[0] = keep; /* the note runs over the empty cells to its right */
    sheet_finish(&s, 30);
}

/* Revisions: every changed figure of the workbook's scope (the region's:
 * all), its old and new value as numbers, and why — in words and as the
 * stable code of revisions.csv.  Only when the release revised a figure. */
static void revisions_sheet(wb *w)
{
    if (!w->rel || w->rel->n_revisions == 0)
        return;
    sheet s;
    /* TRANSLATORS: the name of the workbook's sheet of revised figures (at
     * most 31 characters). */
    if (!sheet_add(w, &s, NC_("workbook", "Revisions")))
        return;
    char buf[1024];
    sheet_head(&s, vsp_i18n_pget(w->lang, "release", "Revised figures"), true);
    /* the intro runs over the empty cells to its right */
    put_text(&s, SUBTITLE_ROW + 1, 0, vsp_release_revisions_intro(w->rel, w->lang, buf, sizeof buf),
             w->f_note);
    s.width[0] = 0;
    const char *h[] = {vsp_i18n_pget(w->lang, "release", "Period"),
                       vsp_i18n_pget(w->lang, "release", "Country"),
                       vsp_i18n_pget(w->lang, "release", "Category"),
                       vsp_i18n_pget(w->lang, "release", "Figure"),
                       vsp_i18n_pget(w->lang, "release", "Old value"),
                       vsp_i18n_pget(w->lang, "release", "New value"),
                       vsp_i18n_pget(w->lang, "release", "Why"),
                       vsp_i18n_pget(w->lang, "release", "Measure code"),
                       vsp_i18n_pget(w->lang, "release", "Reason code")};
    put_header(&s, HEAD, 0, h, 9);
    lxw_row_t r = HEAD + 1;
    /* the region's list: as its report's, with what it leaves out said
     * under the table */
    bool regional_note = w->region;
    /* in the revisions note's order: by area, reason, figure (the
     * codebook's order), category */
    size_t n = 0;
    const vsp_revision **list = vsp_release_revisions_ordered(w->rel, w->cc, &n);
    for (size_t i = 0; i < n; i++) {
        const vsp_revision *v = list[i];
        char period[96];
        put_text(&s, r, 0, vsp_i18n_period(w->lang, v->period, period, sizeof period), NULL);
        put_text(&s, r, 1, vsp_i18n_country(w->lang, v->area), NULL);
        put_text(&s, r, 2, vsp_i18n_category(w->lang, v->category), NULL);
        put_text(&s, r, 3, vsp_release_measure_label(v->measure, w->lang), NULL);
        const char *vals[] = {v->old_value, v->new_value};
        for (int k = 0; k < 2; k++) {
            enum fmt_kind fk = F_COUNT;
            const vsp_measure *ms = vsp_measure_by_code(v->measure);
            switch (ms ? ms->unit : VSP_UNIT_COUNT) {
            case VSP_UNIT_FRACTION: fk = F_PCT; break;
            case VSP_UNIT_HOURS:
            case VSP_UNIT_DAYS: fk = F_HOURS; break;
            case VSP_UNIT_PER100K: fk = F_DEC; break;
            case VSP_UNIT_COUNT: fk = F_COUNT; break;
            }
            char *end = NULL;
            double x = vals[k] && vals[k][0] ? strtod(vals[k], &end) : NAN;
            put_num(&s, r, (lxw_col_t)(4 + k), end && *end == '\0' ? x : NAN, fk, false);
        }
        put_text(&s, r, 6, vsp_release_reason_text(v, w->lang, buf, sizeof buf), NULL);
        put_text(&s, r, 7, v->measure, NULL);
        put_text(&s, r, 8, vsp_release_reason_code(v->reason), NULL);
        r++;
    }
    free(list);
    if (r > HEAD + 1)
        autofilter(&s, HEAD, 0, r - 1, 8);
    if (regional_note && r > HEAD + 1) {
        double keep = s.width[0]; /* the note runs over the empty cells to its right */
        put_text(&s, r + 1, 0, vsp_release_regional_scope(w->lang, buf, sizeof buf), w->f_note);
        s.width[0] = keep;
    }
    else {
        const char *names[] = {"scope"};
        const char *values[] = {w->scope};
        vsp_i18n_subst(buf, sizeof buf,
                       vsp_i18n_pget(w->lang, "release", "No figure of {scope} changed in this version."),
                       1, names, values);
        double keep = s.width[0];
        put_text(&s, r, 0, buf, w->f_note);
        s.width[0] = keep;
    }
    sheet_finish(&s, 14);
}

static const char *const funnel_stages[] = {"received", "assessed", "forwarded", "actioned"};
static const char *const decisions[] = {"forwarded",  "no_violation", "out_of_remit",
                                        "insufficient_info", "duplicate", "pending"};
static const char *const outcomes[] = {"removed",  "geo_blocked", "age_restricted",
                                       "account_suspended", "account_banned", "declined",
                                       "already_unavailable", "pending"};

static void funnel_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Funnel")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_FUNNEL, w->lang), true);
    char buf[128];
    const char *h[] = {wtr(w, NC_("workbook", "Stage")), wtr(w, NC_("workbook", "Reports"))};
    put_header(&s, HEAD, 0, h, 2);
    lxw_row_t r = HEAD + 1;
    for (size_t i = 0; i < 4; i++, r++) {
        put_text(&s, r, 0, vsp_chart_key_label(w->lang, "stage", funnel_stages[i], buf, sizeof buf),
                 NULL);
        put_metric(&s, r, 1, w->m, w->cc, "*", funnel_stages[i], F_COUNT, false);
    }
    autofilter(&s, HEAD, 0, r - 1, 1);
    series_spec sp = {1, vsp_color_series("received")};
    add_chart(&s, LXW_CHART_BAR, vsp_chart_title(VSP_CHART_FUNNEL, w->lang), HEAD, HEAD + 1, r - 1,
              0, &sp, 1, true, HEAD, 3, 1.3, 1.0);

    r++;
    put_text(&s, r, 0, wtr(w, figures[5].label), NULL);
    put_metric(&s, r++, 1, w->m, w->cc, "*", "violation_rate", F_PCT, false);
    put_text(&s, r, 0, wtr(w, figures[6].label), NULL);
    put_metric(&s, r++, 1, w->m, w->cc, "*", "action_rate", F_PCT, false);
    put_text(&s, r, 0, wtr(w, figures[4].label), NULL);
    put_metric(&s, r++, 1, w->m, w->cc, "*", "outcome_pending", F_COUNT, false);
    r++;
    const char *dh[] = {wtr(w, NC_("workbook", "Regulator's decision")),
                        wtr(w, NC_("workbook", "Reports"))};
    put_header(&s, r++, 0, dh, 2);
    for (size_t i = 0; i < 6; i++, r++) {
        char metric[48];
        snprintf(metric, sizeof metric, "decision_%s", decisions[i]);
        put_text(&s, r, 0, vsp_i18n_decision(w->lang, decisions[i]), NULL);
        put_metric(&s, r, 1, w->m, w->cc, "*", metric, F_COUNT, false);
    }
    sheet_finish(&s, 28);
}

static void categories_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Categories")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_CATEGORIES, w->lang), true);
    static const metric_col cols[] = {
        {"received", F_COUNT, NC_("workbook", "Received")},
        {"assessed", F_COUNT, NC_("workbook", "Assessed")},
        {"forwarded", F_COUNT, NC_("workbook", "Forwarded")},
        {"actioned", F_COUNT, NC_("workbook", "Actioned")},
        {"outcome_pending", F_COUNT, NC_("workbook", "Awaiting the platform")},
        {"violation_rate", F_PCT, NC_("workbook", "Violation rate")},
        {"action_rate", F_PCT, NC_("workbook", "Action rate")},
        {"h_to_action_median", F_HOURS, NC_("workbook", "Median hours to action")},
        {"cross_border_items", F_COUNT, NC_("workbook", "Cross-border items")},
    };
    const size_t nc = sizeof cols / sizeof cols[0];
    put_text(&s, HEAD, 0, wtr(w, NC_("workbook", "Category")), w->f_head);
    put_text(&s, HEAD, 1, wtr(w, NC_("workbook", "DSA category")), w->f_head);
    put_metric_heads(&s, 2, cols, nc);
    lxw_row_t r = HEAD + 1;
    for (int i = 0; i < w->n_cats; i++, r++) {
        put_text(&s, r, 0, vsp_i18n_category(w->lang, w->cats[i].code), NULL);
        put_text(&s, r, 1, w->cats[i].dsa, NULL);
        put_metric_row(&s, r, 2, w->m, w->cc, w->cats[i].code, cols, nc, false);
    }
    lxw_row_t last = r - 1;
    autofilter(&s, HEAD, 0, last, (lxw_col_t)(1 + nc));
    put_text(&s, r, 0, vsp_i18n_category(w->lang, "*"), w->f_bold);
    put_metric_row(&s, r, 2, w->m, w->cc, "*", cols, nc, true);
    series_spec sp[] = {{2, vsp_color_series("received")},
                        {4, vsp_color_series("forwarded")},
                        {5, vsp_color_series("actioned")}};
    add_chart(&s, LXW_CHART_BAR, vsp_chart_title(VSP_CHART_CATEGORIES, w->lang), HEAD, HEAD + 1,
              last, 0, sp, 3, false, HEAD, (lxw_col_t)(3 + nc), 1.6, 2.0);
    sheet_finish(&s, 24);
}

static void outcomes_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Outcomes")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_OUTCOMES, w->lang), true);
    put_text(&s, HEAD, 0, wtr(w, NC_("workbook", "Category")), w->f_head);
    put_text(&s, HEAD, 1, wtr(w, NC_("workbook", "Forwarded")), w->f_head);
    for (size_t j = 0; j < 8; j++)
        put_text(&s, HEAD, (lxw_col_t)(2 + j), vsp_i18n_outcome(w->lang, outcomes[j]), w->f_head);
    lxw_row_t r = HEAD + 1;
    char metric[48];
    for (int i = 0; i <= w->n_cats; i++, r++) {
        bool total = i == w->n_cats;
        const char *cat = total ? "*" : w->cats[i].code;
        put_text(&s, r, 0, vsp_i18n_category(w->lang, cat), total ? w->f_bold : NULL);
        put_metric(&s, r, 1, w->m, w->cc, cat, "forwarded", F_COUNT, total);
        for (size_t j = 0; j < 8; j++) {
            snprintf(metric, sizeof metric, "outcome_%s", outcomes[j]);
            put_metric(&s, r, (lxw_col_t)(2 + j), w->m, w->cc, cat, metric, F_COUNT, total);
        }
        if (i == w->n_cats - 1)
            autofilter(&s, HEAD, 0, r, 9);
    }
    series_spec sp[8];
    for (size_t j = 0; j < 8; j++)
        sp[j] = (series_spec){(lxw_col_t)(2 + j), vsp_color_outcome(outcomes[j])};
    add_chart(&s, LXW_CHART_BAR_STACKED_PERCENT, vsp_chart_title(VSP_CHART_OUTCOMES, w->lang),
              HEAD, HEAD + 1, r - 1, 0, sp, 8, false, HEAD, 11, 1.6, 2.0);
    sheet_finish(&s, 24);
}

static const char *const steps[] = {"received_decided", "decided_forwarded", "to_action",
                                    "to_response", "received_outcome"};

static void timeliness_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Timeliness")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_TIMELINESS, w->lang), true);
    char buf[128], metric[64];
    const char *h[] = {wtr(w, NC_("workbook", "Step")), wtr(w, NC_("workbook", "Median (hours)")),
                       wtr(w, NC_("workbook", "90th percentile (hours)")),
                       wtr(w, NC_("workbook", "Items timed"))};
    put_header(&s, HEAD, 0, h, 4);
    lxw_row_t r = HEAD + 1;
    for (size_t i = 0; i < 5; i++, r++) {
        put_text(&s, r, 0, vsp_chart_key_label(w->lang, "stage", steps[i], buf, sizeof buf), NULL);
        snprintf(metric, sizeof metric, "h_%s_median", steps[i]);
        put_metric(&s, r, 1, w->m, w->cc, "*", metric, F_HOURS, false);
        snprintf(metric, sizeof metric, "h_%s_p90", steps[i]);
        put_metric(&s, r, 2, w->m, w->cc, "*", metric, F_HOURS, false);
        snprintf(metric, sizeof metric, "h_%s_n", steps[i]);
        put_metric(&s, r, 3, w->m, w->cc, "*", metric, F_COUNT, false);
    }
    lxw_row_t last = r - 1;
    autofilter(&s, HEAD, 0, last, 3);
    series_spec sp[] = {{1, VSP_OI_BLUE}, {2, VSP_OI_SKY}};
    add_chart(&s, LXW_CHART_BAR, vsp_chart_title(VSP_CHART_TIMELINESS, w->lang), HEAD, HEAD + 1,
              last, 0, sp, 2, true, HEAD, 5, 1.4, 1.2);

    r++;
    lxw_row_t h2 = r;
    const char *h2l[] = {wtr(w, NC_("workbook", "Actioned within")),
                         wtr(w, NC_("workbook", "Share of actioned items timed"))};
    put_header(&s, r++, 0, h2l, 2);
    static const char *const shares[] = {"share_24h", "share_48h", "share_7d"};
    for (size_t i = 0; i < 3; i++, r++) {
        put_text(&s, r, 0, vsp_chart_key_label(w->lang, "stage", shares[i], buf, sizeof buf), NULL);
        put_metric(&s, r, 1, w->m, w->cc, "*", shares[i], F_PCT, false);
    }
    series_spec sp2 = {1, VSP_OI_GREEN};
    add_chart(&s, LXW_CHART_COLUMN, wtr(w, NC_("workbook", "Share of actioned items timed")), h2,
              h2 + 1, r - 1, 0, &sp2, 1, true, HEAD + 18, 5, 1.0, 1.0);
    sheet_finish(&s, 28);
}

static void trend_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Trend")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_TREND, w->lang), true);
    static const metric_col cols[] = {
        {"received", F_COUNT, NC_("workbook", "Received")},
        {"assessed", F_COUNT, NC_("workbook", "Assessed")},
        {"forwarded", F_COUNT, NC_("workbook", "Forwarded")},
        {"actioned", F_COUNT, NC_("workbook", "Actioned")},
        {"violation_rate", F_PCT, NC_("workbook", "Violation rate")},
        {"action_rate", F_PCT, NC_("workbook", "Action rate")},
        {"h_to_action_median", F_HOURS, NC_("workbook", "Median hours to action")},
        {"received_per100k", F_DEC, NC_("workbook", "Received per 100 000")},
    };
    const size_t nc = sizeof cols / sizeof cols[0];
    put_text(&s, HEAD, 0, wtr(w, NC_("workbook", "Period")), w->f_head);
    put_text(&s, HEAD, 1, wtr(w, NC_("workbook", "From")), w->f_head);
    put_text(&s, HEAD, 2, wtr(w, NC_("workbook", "To")), w->f_head);
    put_metric_heads(&s, 3, cols, nc);
    lxw_row_t r = HEAD + 1;
    char label[80];
    for (int i = 0; i < w->n_trend; i++, r++) {
        const vsp_period *p = &w->trend_period[i];
        put_text(&s, r, 0, vsp_i18n_period(w->lang, p->label, label, sizeof label), NULL);
        put_day(&s, r, 1, p->start_day);
        put_day(&s, r, 2, p->end_day);
        put_metric_row(&s, r, 3, w->trend[i], w->cc, "*", cols, nc, false);
    }
    autofilter(&s, HEAD, 0, r - 1, (lxw_col_t)(2 + nc));
    series_spec sp[] = {{3, vsp_color_series("received")},
                        {5, vsp_color_series("forwarded")},
                        {6, vsp_color_series("actioned")}};
    add_chart(&s, w->n_trend > 1 ? LXW_CHART_LINE : LXW_CHART_COLUMN,
              vsp_chart_title(VSP_CHART_TREND, w->lang), HEAD, HEAD + 1, r - 1, 0, sp, 3, false,
              r + 1, 0, 1.6, 1.2);
    sheet_finish(&s, 14);
}

static void countries_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Countries")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_COUNTRIES, w->lang), true);
    static const metric_col cols[] = {
        {"population", F_COUNT, NC_("workbook", "Population")},
        {"received", F_COUNT, NC_("workbook", "Received")},
        {"forwarded", F_COUNT, NC_("workbook", "Forwarded")},
        {"actioned", F_COUNT, NC_("workbook", "Actioned")},
        {"received_per100k", F_DEC, NC_("workbook", "Received per 100 000")},
        {"forwarded_per100k", F_DEC, NC_("workbook", "Forwarded per 100 000")},
        {"actioned_per100k", F_DEC, NC_("workbook", "Actioned per 100 000")},
        {"violation_rate", F_PCT, NC_("workbook", "Violation rate")},
        {"action_rate", F_PCT, NC_("workbook", "Action rate")},
        {"h_to_action_median", F_HOURS, NC_("workbook", "Median hours to action")},
        {"cross_border_items", F_COUNT, NC_("workbook", "Cross-border items")},
    };
    const size_t nc = sizeof cols / sizeof cols[0];
    put_text(&s, HEAD, 0, wtr(w, NC_("workbook", "Country")), w->f_head);
    put_text(&s, HEAD, 1, wtr(w, NC_("workbook", "Code")), w->f_head);
    put_text(&s, HEAD, 2, wtr(w, NC_("workbook", "Census year")), w->f_head);
    put_metric_heads(&s, 3, cols, nc);
    lxw_row_t r = HEAD + 1;
    for (int i = 0; i <= N_COUNTRIES; i++, r++) {
        bool total = i == N_COUNTRIES;
        const char *cc = total ? "region" : country_codes[i];
        put_text(&s, r, 0, vsp_i18n_country(w->lang, cc), total ? w->f_bold : NULL);
        put_text(&s, r, 1, cc, total ? w->f_bold : NULL);
        const population_row *p = total ? NULL : population_of(w, cc);
        if (p)
            put_num(&s, r, 2, p->year, F_INT, false);
        put_metric_row(&s, r, 3, w->m, cc, "*", cols, nc, total);
        if (i == N_COUNTRIES - 1)
            autofilter(&s, HEAD, 0, r, (lxw_col_t)(2 + nc));
    }
    series_spec sp[] = {{7, vsp_color_series("received_per100k")},
                        {8, vsp_color_series("forwarded_per100k")},
                        {9, vsp_color_series("actioned_per100k")}};
    add_chart(&s, LXW_CHART_COLUMN, vsp_chart_title(VSP_CHART_COUNTRIES, w->lang), HEAD, HEAD + 1,
              HEAD + N_COUNTRIES, 0, sp, 3, false, HEAD, (lxw_col_t)(4 + nc), 1.6, 1.4);

    /* Received by category and country, coloured as a heat map. */
    r++;
    put_text(&s, r++, 0, vsp_chart_title(VSP_CHART_HEATMAP, w->lang), w->f_bold);
    lxw_row_t hh = r;
    put_text(&s, r, 0, wtr(w, NC_("workbook", "Category")), w->f_head);
    for (int i = 0; i < N_COUNTRIES; i++)
        put_text(&s, r, (lxw_col_t)(1 + i), country_codes[i], w->f_head);
    put_text(&s, r++, N_COUNTRIES + 1, vsp_i18n_country(w->lang, "region"), w->f_head);
    for (int c = 0; c <= w->n_cats; c++, r++) {
        bool total = c == w->n_cats;
        const char *cat = total ? "*" : w->cats[c].code;
        put_text(&s, r, 0, vsp_i18n_category(w->lang, cat), total ? w->f_bold : NULL);
        for (int i = 0; i <= N_COUNTRIES; i++)
            put_metric(&s, r, (lxw_col_t)(1 + i), w->m, i < N_COUNTRIES ? country_codes[i] : "region",
                       cat, "received", F_COUNT, total);
    }
    if (w->st == VSP_OK && w->n_cats > 0) {
        lxw_conditional_format cf = {0};
        cf.type = LXW_CONDITIONAL_3_COLOR_SCALE;
        cf.min_color = 0xF7FBFF;
        cf.mid_color = 0x6BAED6;
        cf.max_color = 0x08519C;
        check(&s, worksheet_conditional_format_range(s.ws, hh + 1, 1, hh + (lxw_row_t)w->n_cats,
                                                     N_COUNTRIES, &cf),
              hh + 1, 1);
    }
    sheet_finish(&s, 24);
}

static void crossborder_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Cross-border")))
        return;
    sheet_head(&s, vsp_chart_title(VSP_CHART_CROSSBORDER, w->lang), true);
    /* At the research export's grain (vsp_export_crossborder_groups): by
     * category and countries for the whole period, groups of at least k
     * items — one row per item with its first day would date the export's
     * linked rows to the day. */
    const char *h[] = {wtr(w, NC_("workbook", "Category")), wtr(w, NC_("workbook", "Countries")),
                       wtr(w, NC_("workbook", "Number of countries")),
                       wtr(w, NC_("workbook", "Items"))};
    put_header(&s, HEAD, 0, h, 4);
    vsp_xb_group *g = NULL;
    size_t n = vsp_metrics_crossborder_count(w->m) > 0
                   ? vsp_export_crossborder_groups(w->m, VSP_EXPORT_K_DEFAULT, &g)
                   : 0;
    lxw_row_t r = HEAD + 1;
    for (size_t i = 0; i < n; i++, r++) {
        int n_countries = 0;
        for (const char *c = g[i].countries; c && *c; c++)
            n_countries += c == g[i].countries || c[-1] == ',';
        put_text(&s, r, 0,
                 g[i].category ? vsp_i18n_category(w->lang, g[i].category)
                               : wtr(w, NC_("workbook", "Other")),
                 NULL);
        put_text(&s, r, 1, g[i].countries ? g[i].countries : "", NULL);
        if (g[i].countries)
            put_num(&s, r, 2, n_countries, F_COUNT, false);
        put_num(&s, r, 3, (double)g[i].items, F_COUNT, false);
    }
    free(g);
    if (n == 0) {
        put_text(&s, r++, 0, wtr(w, NC_("workbook", "No item was reported in more than one "
                                                   "country in this period.")),
                 w->f_note);
    } else {
        autofilter(&s, HEAD, 0, r - 1, 3);
        char note_k[16], text[512];
        snprintf(note_k, sizeof note_k, "%d", VSP_EXPORT_K_DEFAULT);
        const char *kn[] = {"k"};
        const char *kv[] = {note_k};
        subst(w, text, sizeof text,
              NC_("workbook", "Counted by category and countries for the whole period, as in the "
                              "research export; combinations of fewer than {k} items are counted "
                              "together as Other."),
              1, kn, kv);
        put_text(&s, ++r, 0, text, w->f_note);
        r++;
    }

    /* Pairs of countries, all categories, beside the items. */
    const lxw_col_t pc = 6;
    const char *ph[] = {wtr(w, NC_("workbook", "Pair of countries")),
                        wtr(w, NC_("workbook", "Country")), wtr(w, NC_("workbook", "Country")),
                        wtr(w, NC_("workbook", "Items"))};
    put_header(&s, HEAD, pc, ph, 4);
    lxw_row_t pr = HEAD + 1;
    char label[160];
    for (size_t i = 0; i < vsp_metrics_pair_count(w->m); i++) {
        const vsp_crossborder_pair *p = vsp_metrics_pair(w->m, i);
        if (strcmp(p->category, "*") != 0)
            continue;
        snprintf(label, sizeof label, "%s-%s", p->country_a, p->country_b);
        char buf[160];
        /* plain spaces in cells: the chart's no-break spaces (set text)
         * would break lookups and filters on the names */
        vsp_chart_key_label(w->lang, "pair", label, buf, sizeof buf);
        plain_spaces(buf);
        put_text(&s, pr, pc, buf, NULL);
        put_text(&s, pr, pc + 1, p->country_a, NULL);
        put_text(&s, pr, pc + 2, p->country_b, NULL);
        put_num(&s, pr, pc + 3, (double)p->items, F_COUNT, false);
        pr++;
    }
    if (pr > HEAD + 1) {
        series_spec sp = {pc + 3, VSP_OI_PURPLE};
        add_chart(&s, LXW_CHART_BAR, wtr(w, NC_("workbook", "Cross-border items per pair of "
                                                          "countries")),
                  HEAD, HEAD + 1, pr - 1, pc, &sp, 1, true, HEAD, pc + 5, 1.3, 1.4);
    }
    sheet_finish(&s, 8);
}

/* A stored reason code in words, in the workbook's language. */
static const char *reason_text(const wb *w, const char *code)
{
    vsp_reject_reason r = vsp_reject_reason_from_code(code);
    return r < VSP_REJECT_COUNT ? vsp_i18n_pget(w->lang, "reject", vsp_reject_reason_words(r))
                                : code;
}

static void quality_sheet(wb *w)
{
    sheet s;
    if (!sheet_add(w, &s, NC_("workbook", "Data quality")))
        return;
    sheet_head(&s, wtr(w, NC_("workbook", "Case-log files behind these figures")), true);
    const char *h[] = {wtr(w, NC_("workbook", "Country")),    wtr(w, NC_("workbook", "File")),
                       wtr(w, NC_("workbook", "Profile")),    wtr(w, NC_("workbook", "Read at (UTC)")),
                       wtr(w, NC_("workbook", "Rows read")),  wtr(w, NC_("workbook", "New")),
                       wtr(w, NC_("workbook", "Updated")),    wtr(w, NC_("workbook", "Unchanged")),
                       wtr(w, NC_("workbook", "Duplicates")), wtr(w, NC_("workbook", "Rejected")),
                       wtr(w, NC_("workbook", "Blank lines")),
                       wtr(w, NC_("workbook", "Cases of the period")), "SHA-256"};
    put_header(&s, HEAD, 0, h, 13);
    lxw_row_t r = HEAD + 1;
    for (size_t i = 0; i < vsp_metrics_quality_count(w->m); i++) {
        const vsp_quality_run *q = vsp_metrics_quality(w->m, i);
        if (!w->region && strcmp(q->country, w->cc) != 0)
            continue;
        put_text(&s, r, 0, q->country, NULL);
        put_text(&s, r, 1, q->file_name, NULL);
        put_text(&s, r, 2, q->profile, NULL);
        put_iso(&s, r, 3, q->finished_at);
        const int64_t v[] = {q->rows_read,      q->rows_new,      q->rows_updated,
                             q->rows_unchanged, q->rows_duplicate, q->rows_rejected,
                             q->blank_lines,    q->cases};
        for (int j = 0; j < 8; j++)
            put_num(&s, r, (lxw_col_t)(4 + j), (double)v[j], F_COUNT, false);
        put_text(&s, r, 12, q->sha256, NULL);
        r++;
    }
    if (r == HEAD + 1)
        put_text(&s, r++, 0, wtr(w, NC_("workbook", "No case-log file holds cases of this "
                                                   "period.")),
                 w->f_note);
    else
        autofilter(&s, HEAD, 0, r - 1, 12);
    r++;
    put_text(&s, r++, 0, wtr(w, NC_("workbook", "Rows read = new + updated + unchanged + "
                                               "duplicates + rejected; blank lines are skipped.")),
             w->f_note);
    r++;
    put_text(&s, r++, 0, wtr(w, NC_("workbook", "Rejected rows by reason")), w->f_bold);
    const char *rh[] = {wtr(w, NC_("workbook", "Country")), wtr(w, NC_("workbook", "File")),
                        wtr(w, NC_("workbook", "Reason")), wtr(w, NC_("workbook", "Code")),
                        wtr(w, NC_("workbook", "Rows"))};
    put_header(&s, r++, 0, rh, 5);
    sqlite3_stmt *st = prepare_period(w, "workbook_quality_reasons");
    if (st) {
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *cc = (const char *)sqlite3_column_text(st, 1);
            if (!cc || (!w->region && strcmp(cc, w->cc) != 0))
                continue;
            const char *reason = (const char *)sqlite3_column_text(st, 3);
            put_text(&s, r, 0, cc, NULL);
            put_text(&s, r, 1, (const char *)sqlite3_column_text(st, 2), NULL);
            put_text(&s, r, 2, reason_text(w, reason ? reason : ""), NULL);
            put_text(&s, r, 3, reason, NULL);
            put_num(&s, r, 4, sqlite3_column_double(st, 4), F_COUNT, false);
            r++;
        }
        finish_read(w, st, rc, "workbook_quality_reasons");
    }
    sheet_finish(&s, 10);
}

/* ---- the workbook --------------------------------------------------- */

static lxw_format *new_format(wb *w, const char *num, bool bold)
{
    lxw_format *f = workbook_add_format(w->book);
    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(wb *w)
{
    w->f_title = new_format(w, NULL, true);
    format_set_font_size(w->f_title, 14);
    w->f_subtitle = new_format(w, NULL, false);
    format_set_font_color(w->f_subtitle, 0x4D4D4D);
    w->f_head = new_format(w, NULL, true);
    format_set_bottom(w->f_head, LXW_BORDER_THIN);
    format_set_bg_color(w->f_head, 0xEDF3F9);
    format_set_text_wrap(w->f_head);
    format_set_align(w->f_head, LXW_ALIGN_VERTICAL_TOP);
    w->f_note = new_format(w, NULL, false);
    format_set_italic(w->f_note);
    format_set_font_color(w->f_note, 0x4D4D4D);
    w->f_wrap = new_format(w, NULL, false);
    format_set_text_wrap(w->f_wrap);
    format_set_align(w->f_wrap, LXW_ALIGN_VERTICAL_TOP);
    w->f_bold = new_format(w, NULL, true);
    w->f_label = new_format(w, NULL, true);
    format_set_align(w->f_label, LXW_ALIGN_VERTICAL_TOP);
    static const char *const nums[F_KINDS] = {
        "0", "#,##0", "0.0%", "#,##0.0", "#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"};
    for (int k = 0; k < F_KINDS; k++) {
        w->f[k] = new_format(w, nums[k], false);
        w->fb[k] = new_format(w, nums[k], true);
    }
}

static void load_trend(wb *w)
{
    const vsp_period *p = vsp_metrics_period(w->m);
    w->n_trend = p->kind == VSP_PERIOD_RANGE ? 1 : N_TREND;
    for (int i = 0; i < w->n_trend; i++) {
        vsp_period_shift(p, i - (w->n_trend - 1), &w->trend_period[i]);
        vsp_error e;
        bool aggregated = false;
        if (vsp_metrics_status(w->store, w->trend_period[i].label, &aggregated, NULL, &e) != VSP_OK)
            aggregated = false;
        if (aggregated)
            w->trend[i] = vsp_metrics_load(w->store, w->trend_period[i].label, &e);
    }
}

static void set_properties(wb *w, time_t created)
{
    char title[512], subject[256], keywords[256], comments[256];
    const char *names[] = {"scope", "period"};
    const char *values[] = {w->scope, w->period_text};
    subst(w, title, sizeof title, NC_("workbook", "Reports of harmful and illegal content on "
                                                  "video-sharing platforms: {scope}, {period}"),
          2, names, values);
    subst(w, subject, sizeof subject, NC_("workbook", "Transparency report, {period}"), 2, names,
          values);
    snprintf(keywords, sizeof keywords, "TikTok, DSA, %s, %s, %s", w->cc,
             vsp_metrics_period(w->m)->label, w->lang);
    snprintf(comments, sizeof comments, "vspreport %s", VSP_VERSION);
    vsp_buf author, company;
    vsp_buf_init(&author);
    vsp_buf_init(&company);
    regulator_text(w, &author, true);
    regulator_text(w, &company, false);
    /* libxlsxwriter escapes XML but does not check UTF-8: clean copies. */
    vsp_buf b;
    vsp_buf_init(&b);
    char *t = vsp_xstrdup(vsp_xlsx_clean_text(title, &b));
    char *su = vsp_xstrdup(vsp_xlsx_clean_text(subject, &b));
    char *a = vsp_xstrdup(vsp_xlsx_clean_text(author.len ? author.data : "vspreport", &b));
    char *co = vsp_xstrdup(vsp_xlsx_clean_text(company.len ? company.data : "", &b));
    char *k = vsp_xstrdup(vsp_xlsx_clean_text(keywords, &b));
    lxw_doc_properties props = {0};
    props.title = t;
    props.subject = su;
    props.author = a;
    props.company = co[0] ? co : NULL;
    props.keywords = k;
    props.comments = comments;
    props.created = created;
    lxw_error e = workbook_set_properties(w->book, &props);
    if (e != LXW_NO_ERROR)
        fail(w, VSP_ESOFTWARE, "workbook properties: %s", lxw_strerror(e));
    free(t), free(su), free(a), free(co), free(k);
    vsp_buf_fini(&b);
    vsp_buf_fini(&author);
    vsp_buf_fini(&company);
}

vsp_status vsp_workbook_write(vsp_store *store, const vsp_workbook_spec *spec, const char *path,
                              vsp_error *err)
{
    wb w;
    memset(&w, 0, sizeof w);
    w.spec = spec;
    w.store = store;
    sqlite3 *db = vsp_store_db(store);
    w.err = err;
    w.st = VSP_OK;
    vsp_xlsx_names_init(&w.names);
    vsp_buf_init(&w.scratch);
    vsp_outfile out = {NULL, NULL, NULL, false};
    vsp_metrics *m = NULL;
    vsp_xlsx_numeric_guard guard;
    vsp_xlsx_numeric_guard_begin(&guard);
    bool own_txn = false;

    w.lang = vsp_i18n_lang_canon(spec->lang);
    if (!w.lang) {
        fail(&w, VSP_EUSAGE, "unknown language '%s'", spec->lang);
        goto out;
    }
    w.cc = spec->country;
    w.rel = spec->release;
    w.revised = vsp_release_revisions_in(w.rel, w.cc) > 0;
    w.region = strcmp(spec->country, "region") == 0;
    bool known = w.region;
    for (int i = 0; i < N_COUNTRIES; i++)
        known = known || strcmp(spec->country, country_codes[i]) == 0;
    if (!known) {
        fail(&w, VSP_EUSAGE, "unknown country '%s'", spec->country);
        goto out;
    }
    time_t created;
    if (vsp_source_time(&created, err) != VSP_OK) {
        w.st = err->status;
        goto out;
    }
    /* One read transaction: every figure from the same aggregation, even if
     * `aggregate` commits while the workbook is read. */
    if (sqlite3_get_autocommit(db)) {
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            if (w.st == VSP_OK)
                w.st = vsp_store_error(store, err, "starting a read");
            goto out;
        }
        own_txn = true;
    }
    if (spec->foreword && spec->foreword[0] && !(w.foreword = vsp_foreword_load(spec->foreword, err))) {
        w.st = err->status;
        goto out;
    }
    if (!(m = vsp_metrics_load(store, spec->period, err))) {
        w.st = err->status;
        goto out;
    }
    w.m = m;
    snprintf(w.scope, sizeof w.scope, "%s", vsp_i18n_country(w.lang, w.cc));
    vsp_i18n_period(w.lang, vsp_metrics_period(m)->label, w.period_text, sizeof w.period_text);
    load_reference(&w);
    load_trend(&w);
    if (w.st != VSP_OK)
        goto out;

    if (vsp_outfile_begin(&out, path, err) != VSP_OK) {
        w.st = err->status;
        goto out;
    }
    lxw_workbook_options opts = {0};
    w.book = workbook_new_opt(out.tmp, &opts);
    if (!w.book) {
        fail(&w, VSP_ECANTCREAT, "%s: cannot start the workbook", path);
        goto out;
    }
    make_formats(&w);
    set_properties(&w, created);
    about_sheet(&w);
    summary_sheet(&w);
    funnel_sheet(&w);
    categories_sheet(&w);
    outcomes_sheet(&w);
    timeliness_sheet(&w);
    trend_sheet(&w);
    if (w.region) {
        countries_sheet(&w);
        crossborder_sheet(&w);
    }
    quality_sheet(&w);
    revisions_sheet(&w);

    lxw_error e = workbook_close(w.book);
    w.book = NULL;
    if (e != LXW_NO_ERROR && w.st == VSP_OK) {
        vsp_status st = e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE
                            ? VSP_ECANTCREAT
                            : VSP_EIO;
        fail(&w, st, "%s: cannot write the workbook: %s", path, lxw_strerror(e));
    }
    if (w.st == VSP_OK && vsp_outfile_commit(&out, err) != VSP_OK)
        w.st = err->status;

out:
    if (own_txn)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (w.book) /* an error while building: close to free, then discard the file */
        workbook_close(w.book);
    vsp_outfile_discard(&out);
    for (int i = 0; i < N_TREND; i++)
        vsp_metrics_free(w.trend[i]);
    vsp_metrics_free(m);
    vsp_foreword_free(w.foreword);
    for (int i = 0; i < N_COUNTRIES; i++) {
        free(w.regs[i].name_en), free(w.regs[i].name), free(w.regs[i].short_name);
        free(w.pops[i].source);
    }
    for (int i = 0; i < w.n_cats; i++)
        free(w.cats[i].dsa);
    vsp_xlsx_names_fini(&w.names);
    vsp_buf_fini(&w.scratch);
    vsp_xlsx_numeric_guard_end(&guard);
    return w.st;
}
