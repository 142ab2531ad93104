/* chart.h — the chart catalogue: what a chart is (id, spec), the data
 * behind it, and the two ways to produce it:
 *
 *   vsp_chart_draw    vectors into any cairo_t, inside a box (the PDF report
 *                     and anything else that composes pages; charts/draw.h)
 *   vsp_chart_render  a file: PNG, SVG or PDF (charts/surface.h), plus the
 *                     data as CSV
 *
 *   vsp_chart_source *src = vsp_chart_source_open(db, "2026Q3", &err);
 *   vsp_chart_data *d = vsp_chart_data_load(src, VSP_CHART_FUNNEL, "AL", &err);
 *   vsp_chart_spec spec = vsp_chart_spec_default(VSP_CHART_FUNNEL, "AL", "sq");
 *   vsp_chart_draw(cr, x, y, w, h, &spec, d, &err);   // or vsp_chart_render
 *   vsp_chart_data_free(d);
 *   vsp_chart_source_close(src);
 *
 * Data are language-free (codes and numbers); the language is chosen per
 * draw, so one loaded vsp_chart_data serves every language and format.
 * Layout (charts/layout.h) turns data into geometry without cairo; drawing
 * (charts/draw.h) turns geometry into cairo calls; charts/surface.h alone
 * knows file formats.  This header does not include cairo, so neither does
 * the layout side (tests/cli/layering.sh checks it). */
#ifndef VSP_CHART_H
#define VSP_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/error.h"
#include "pipeline/release.h"
#include "pipeline/store.h"

typedef enum vsp_chart_id {
    VSP_CHART_FUNNEL,      /* received -> assessed -> forwarded -> actioned */
    VSP_CHART_CATEGORIES,  /* received, forwarded, actioned per category */
    VSP_CHART_OUTCOMES,    /* platform outcome per category, 100 % stacked */
    VSP_CHART_TIMELINESS,  /* median / P90 hours per stage, share within 24h/48h/7d */
    VSP_CHART_TREND,       /* received, forwarded, actioned over eight periods */
    VSP_CHART_COUNTRIES,   /* region: six countries per 100 000 inhabitants */
    VSP_CHART_MAP,         /* region: choropleth per 100 000 inhabitants */
    VSP_CHART_HEATMAP,     /* region: country x category counts */
    VSP_CHART_CROSSBORDER, /* region: items reported in two or more countries */
    VSP_CHART_COUNT
} vsp_chart_id;

/* CLI name ("funnel"...), and back.  from_name returns false if unknown. */
const char *vsp_chart_name(vsp_chart_id id);
bool vsp_chart_from_name(const char *name, vsp_chart_id *id);
/* True for the charts that only exist for the region (countries, map,
 * heatmap, crossborder). */
bool vsp_chart_regional_only(vsp_chart_id id);
/* True if the chart can be drawn for country ("AL".."XK" or "region"). */
bool vsp_chart_applies(vsp_chart_id id, const char *country);

/* How to draw.  Plain struct; strings borrowed for the call. */
typedef struct vsp_chart_spec {
    vsp_chart_id id;
    const char *country; /* "AL" "BA" "ME" "MK" "RS" "XK" or "region" */
    const char *lang;    /* en sq sr sr-Latn mk bs cnr */
    /* Type scale: 1 gives slide type (title 48, labels 24 units) and is
     * right for a 1920x1080 box; 0 means "from the box":
     * min(w / 1920, h / 1080).  A report drawing a chart into a small box
     * sets e.g. 0.45 so labels stay readable; the layout adapts. */
    double scale;
    /* Draw the title, subtitle and footer (a report that captions the
     * chart itself sets false). */
    bool frame;
    /* The release the chart belongs to (borrowed): its line closes the
     * footer when frame is set.  NULL (the default): made outside a
     * release, nothing is said of releases. */
    const vsp_release *release;
} vsp_chart_spec;

vsp_chart_spec vsp_chart_spec_default(vsp_chart_id id, const char *country, const char *lang);

/* The chart's title in lang ("From citizen report to platform action"),
 * from the catalogue; for captions, bookmarks and alt text.  Never NULL. */
const char *vsp_chart_title(vsp_chart_id id, const char *lang);

/* ---- data ---------------------------------------------------------- */

/* One table of a chart's data: rows (keys) x columns (metrics). */
typedef struct vsp_chart_table {
    char *name;    /* "stage", "category", "period", "country", "pair", "share" */
    size_t n_rows, n_cols;
    char **rows;   /* keys: category codes, country codes, period labels ... */
    char **cols;   /* metric names, or country codes for the heat map */
    double *v;     /* n_rows x n_cols, row-major; NAN where there is no value */
} vsp_chart_table;

typedef struct vsp_chart_data {
    vsp_chart_id id;
    char country[8];      /* as asked, "AL" or "region" */
    char period[40];      /* period label */
    char data_freeze[40]; /* ISO 8601, "" if unknown */
    /* the regulators in scope as their profiles name them (the country
     * table): code, profile language, short name; vsp_chart_regulators
     * names them in a chart's language from the one table */
    int n_regs;
    struct {
        char code[4], lang[16], short_name[48];
    } regs[6];
    /* how current (DESIGN §5): the date the figures are as of, ISO
     * "2026-10-05" ("" unknown); for the region, whose date it is ("ME") */
    char data_as_of[11];
    char as_of_from[32];
    int provisional;      /* 1 outcomes still arriving, 0 final, -1 unknown */
    bool days;            /* timeliness at day precision (no times of day) */
    char hours_from[32];  /* timeliness in hours, region: whose hours it pools */
    /* what n counts, stated in the footer (each chart its own base) */
    enum {
        VSP_BASE_RECEIVED,  /* reports received */
        VSP_BASE_FINAL,     /* forwarded items with a final outcome */
        VSP_BASE_TIMED,     /* actioned items with a time to action (hours) */
        VSP_BASE_DATED,     /* actioned items with dates (days) */
        VSP_BASE_PERIODS,   /* the trend: eight periods */
        VSP_BASE_ITEMS      /* cross-border items */
    } base;
    double n;             /* the base's count (NAN if unknown) */
    size_t n_tables;
    vsp_chart_table tables[2];
} vsp_chart_data;

/* Per-period access to the aggregated metrics (agg_* tables, filled by
 * `vspreport aggregate`).  db is borrowed and must outlive the source. */
typedef struct vsp_chart_source vsp_chart_source;
vsp_chart_source *vsp_chart_source_open(vsp_store *store, const char *period, vsp_error *err);
void vsp_chart_source_close(vsp_chart_source *src);

/* Load the data behind chart id for country.  VSP_EDATA if the period was
 * never aggregated.  Caller frees with vsp_chart_data_free. */
vsp_chart_data *vsp_chart_data_load(vsp_chart_source *src, vsp_chart_id id,
                                    const char *country, vsp_error *err);
void vsp_chart_data_free(vsp_chart_data *d);
/* "AMA" / "АМА, РАК, АЕМ, АВМУ, РЕМ, НКМ": the short names of d's
 * regulators in lang (vsp_i18n_regulator_as), ", "-separated; "" if none
 * is known.  Returns buf. */
char *vsp_chart_regulators(const vsp_chart_data *d, const char *lang, char *buf, size_t size);

/* Value at (row key, col key) of table t, NAN if absent. */
double vsp_chart_table_get(const vsp_chart_table *t, const char *row, const char *col);
const vsp_chart_table *vsp_chart_data_table(const vsp_chart_data *d, const char *name);

/* ---- output -------------------------------------------------------- */

/* Write the data as CSV (UTF-8 with a byte order mark, for Excel; header
 * row, one row per value):
 *   chart,country,period,table,key,label,metric,value
 * label is the key's name in lang; value is a plain C-locale number
 * (empty when there is none). */
vsp_status vsp_chart_write_csv(const vsp_chart_data *d, const char *lang, const char *path,
                               vsp_error *err);

#endif
