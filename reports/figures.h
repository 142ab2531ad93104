/* figures.h — figures.csv: every published figure of every period as one
 * tidy time series (long form), its codebook, and reading it back.
 *
 * The columns are the contract of pipeline/release.h:
 *   period,area,category,measure,value,unit,base_n,provisional,release
 * one row per (period, area, category, measure) of the measures table
 * (pipeline/measures.h): area "AL".."XK" or "region"; category "*" (all)
 * or a category code; a star_only measure (population) for "*" only.
 * value as `vspreport stats` prints it (the one rule of measures.h), ""
 * when the figure is undefined (a zero denominator, no durations, a cohort
 * share not yet due); unit count|fraction|per100k|hours|days; base_n the
 * count the figure rests on ("" for a count, and when undefined);
 * provisional 1/0 for the area and period (vsp_metrics_provisional; ""
 * for an area without any case yet); release the id of the release that
 * wrote the file ("2026Q3-v2"; "" outside a release).
 *
 * The file: RFC 4180 (CRLF line ends, a field quoted only when it holds a
 * comma, quote, CR or LF — none of the values vspreport writes does),
 * UTF-8 without a byte-order mark (every value is ASCII: codes, numbers
 * with a '.' decimal point and no thousands separator), a header row,
 * rows sorted by period, area, category, measure as bytes (strcmp:
 * "2026" < "2026H2" < "2026Q3"; "AL" < "XK" < "region"; "*" first).
 * Written to a temporary and renamed (pipeline/outfile.h).
 *
 * Ownership: a vsp_figures owns its rows and their strings; free it with
 * vsp_figures_free.  Strings passed in are copied. */
#ifndef VSP_FIGURES_H
#define VSP_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pipeline/error.h"
#include "pipeline/period.h"
#include "pipeline/store.h"

/* The header row, without its line end. */
#define VSP_FIGURES_HEADER "period,area,category,measure,value,unit,base_n,provisional,release"

typedef struct vsp_figure {
    char *period, *area, *category, *measure; /* the key */
    char *value;   /* as stats prints it; "" = undefined */
    char *unit;    /* vsp_measure_unit_name */
    char *base_n;  /* "" for counts and when undefined */
    int provisional; /* 1, 0, or -1 = unknown (written "") */
    char *release; /* "" outside a release */
} vsp_figure;

typedef struct vsp_figures {
    vsp_figure *rows; /* sorted by key, no key twice (after collect/read) */
    size_t n, cap;
} vsp_figures;

/* An empty set; caller frees with vsp_figures_free. */
vsp_figures *vsp_figures_new(void);
void vsp_figures_free(vsp_figures *f);

/* The periods of the series in a warehouse: every quarter from the first
 * that holds a case to the last (quarters between them without a case
 * count zeros), then extra (may be NULL; a half-year, year or date range
 * a run publishes) if it is not one of them.  Each is made sure to be
 * aggregated and fresh (no ingest since): when may_aggregate, by
 * aggregating what is missing or stale (vsp_aggregate_run, a window of
 * eight quarters at a time), with a note naming cmd on `note` (may be
 * NULL); otherwise such a period is VSP_EDATA telling the user to run
 * `vspreport aggregate`.  *periods (caller frees with free()) and *n; an
 * empty warehouse gives none and VSP_OK. */
vsp_status vsp_figures_periods(vsp_store *store, const char *cmd, const vsp_period *extra,
                               bool may_aggregate, FILE *note, vsp_period **periods, size_t *n,
                               vsp_error *err);

/* Add the figures of the (aggregated) periods to f, then sort; release may
 * be NULL or "" (outside a release).  VSP_EDATA when a period is not
 * aggregated, or when f would hold a key twice. */
vsp_status vsp_figures_collect(vsp_store *store, const vsp_period *periods, size_t n,
                               const char *release, vsp_figures *f, vsp_error *err);

/* Set the release column of every row (release: "2026Q3-v2", letters,
 * digits, '.', '_' and '-' only, or ""); VSP_EUSAGE for anything else. */
vsp_status vsp_figures_set_release(vsp_figures *f, const char *release, vsp_error *err);

/* The row with this key, or NULL (binary search; f sorted). */
const vsp_figure *vsp_figures_find(const vsp_figures *f, const char *period, const char *area,
                                   const char *category, const char *measure);

/* Write f as figures.csv to path (atomically), or to fp. */
vsp_status vsp_figures_write(const vsp_figures *f, const char *path, vsp_error *err);
vsp_status vsp_figures_print(const vsp_figures *f, FILE *fp, const char *what, vsp_error *err);

/* Read a figures.csv back (as written above; a byte-order mark and LF line
 * ends are accepted too).  Errors name path:line and what is wrong:
 * another header, a row with another number of fields, an unterminated
 * quote, a measure not in the codebook, provisional not 0, 1 or empty, a
 * key twice (VSP_EDATA; VSP_ENOINPUT when it cannot be read).  Rows come
 * back sorted.  Caller frees with vsp_figures_free. */
vsp_figures *vsp_figures_read(const char *path, vsp_error *err);

/* The codebook of the measures table as CSV (RFC 4180 as above):
 *   measure,unit,base,categories,adds_up,decimals,label,definition
 * categories "all" or "*"; adds_up "categories;countries", "countries",
 * "categories" or ""; decimals the rounding ("0", "4", "2 (half up)",
 * "2 (whole days: .x0)"). */
vsp_status vsp_figures_codebook_write(const char *path, vsp_error *err);
vsp_status vsp_figures_codebook_print(FILE *fp, const char *what, vsp_error *err);

#endif
