/* aggregate.h — the aggregation stage (DESIGN §5): every metric of every
 * country, the region and each category for a period and the seven
 * periods of the same kind before it, written into the agg_* tables of
 * the warehouse (queries/0002_aggregates.sql documents them).  Renderers
 * read the results through pipeline/metrics.h and never recompute.
 *
 * How it is fast: one pass over the cases of the eight periods, run on up
 * to four threads with a read-only connection each, feeding the rows straight into
 * C accumulators through an application-defined SQL aggregate (no row is
 * returned to C one column at a time).  Counts go into small dense arrays
 * (period x country x category); durations are packed with their group
 * into 64-bit keys, radix-sorted once per (period, duration), and every
 * group's median and P90 are read off in one pass.  Cross-border items
 * come from the content-key index in key order (no hash table), then one
 * indexed look-up per candidate key.
 *
 * The scan reads the covering index case_agg (0002_aggregates.sql), split
 * into day spans (each period; quarters of it when there are fewer than
 * four periods) that the threads take in turn, the cross-border scan
 * first.  Then each period's durations are sorted and their quantiles read
 * (periods in parallel), and the main connection writes the rows.
 * VSP_AGG_TRACE=1 in the environment prints the time of each phase. */
#ifndef VSP_AGGREGATE_H
#define VSP_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>


#include "pipeline/error.h"
#include "pipeline/period.h"
#include "pipeline/store.h"

#define VSP_AGG_TREND 8 /* a period and the seven before it */

typedef struct vsp_aggregate_options {
    const char *population_csv; /* NULL: keep the population table as it is */
    int threads;                /* 0: automatic (online cores, at most 4); 1: no threads */
} vsp_aggregate_options;

typedef struct vsp_aggregate_result {
    int n_periods;                     /* 8, or 1 for a date range */
    vsp_period periods[VSP_AGG_TREND]; /* oldest first; the asked period last */
    int64_t cases[VSP_AGG_TREND];      /* cases received in each */
    int64_t crossborder[VSP_AGG_TREND];/* cross-border items in each */
    char data_freeze[32];              /* "" when no ingest run has finished */
    int threads;                       /* threads the scan ran on */
    /* how current the data are (DESIGN §5), per country of the country
     * table in code order, then the region (the earliest): YYYYMMDD, 0 for
     * a country without cases */
    int n_countries;
    char country[16][8];
    int32_t as_of[16];
    bool as_of_stated[16];             /* from ingest --exported-at */
    int32_t region_as_of;
} vsp_aggregate_result;

/* Compute period (and, unless it is a date range, the seven periods of the
 * same kind before it) into the agg_* tables, replacing their rows, in one
 * BEGIN IMMEDIATE transaction on store (which must not be inside one).  With
 * options->population_csv, the population table is updated first, in the
 * same transaction.  First the warehouse is checked (vsp_store_check):
 * damage is VSP_EDATA and no figure is computed.  options and out may be
 * NULL.  On failure nothing is changed. */
vsp_status vsp_aggregate_run(vsp_store *store, const vsp_period *period,
                             const vsp_aggregate_options *options, vsp_aggregate_result *out,
                             vsp_error *err);

/* The default period of `aggregate` and `stats`: the latest quarter that
 * holds data and had ended by the date the data are as of (the latest
 * as-of date of any regulator, DESIGN §5: a stated export date, else the
 * latest event date; neither the clock nor the time of the ingest).
 * When no complete quarter holds data, the latest quarter that does, with
 * *complete = false.  VSP_EDATA when the warehouse holds no case at all.
 * complete may be NULL. */
vsp_status vsp_aggregate_default_period(vsp_store *store, vsp_period *out, bool *complete,
                                        vsp_error *err);

/* Warn on `to` (may be NULL) for each country with cases of period that
 * have an event (received, decided, forwarded, outcome) dated after today
 * as stated (SOURCE_DATE_EPOCH when set, else the clock); *n_cases (may be
 * NULL) gets their number.  cmd names the command in the messages. */
vsp_status vsp_aggregate_warn_future(vsp_store *store, const char *cmd, const vsp_period *period,
                                     FILE *to, int64_t *n_cases, vsp_error *err);

/* What every command that reads the aggregates does first: take the period
 * the user gave (period_text, already parsed into *period) or, when
 * period_text is NULL, the default period (saying on stderr when it is not
 * complete); then, if that period was never aggregated or was aggregated
 * before the latest ingest, aggregate it now (saying so on stderr) — or,
 * when may_aggregate is false, fail with VSP_EDATA telling the user to run
 * `vspreport aggregate`.  cmd names the command in messages.  Events dated
 * after today are warned about first (vsp_aggregate_warn_future), unless
 * this process, or the one it was forked from, already checked the same
 * period against the same day. */
vsp_status vsp_aggregate_ensure(vsp_store *store, const char *cmd, const char *period_text,
                                bool may_aggregate, vsp_period *period, vsp_error *err);

/* Update the population table from a CSV file: a header line
 * "country,population,year,source" (optional), then one line per country;
 * the source may be quoted.  Errors name file:line.  Runs in the caller's
 * transaction (vsp_aggregate_run calls it inside its own). */
vsp_status vsp_aggregate_load_population(vsp_store *store, const char *csv_path, vsp_error *err);

/* The data freeze of the warehouse now: max(ingest_run.finished_at) into buf ("" if
 * none). */
vsp_status vsp_aggregate_data_freeze(vsp_store *store, char buf[32], vsp_error *err);

#endif
