/* cmd_stats.c — `vspreport stats`: print the key figures of a period, one
 * row per country and the region, as a terminal table, CSV or JSON.
 *
 * It reads the agg_* tables only.  When the period has not been aggregated
 * yet, or an ingest finished after it was, it runs
 * the aggregation first and says so on stderr; --no-aggregate makes that
 * an error instead (for a warehouse that must not be written).
 *
 * Precision, the same in every format and in figures.csv (the one rule of
 * pipeline/measures.h, whose table gives the columns): counts as integers; rates, shares
 * and per-100 000 figures with 4 decimals (printf rounding of the stored
 * double); hours with 2 decimals, rounded half up from their exact value
 * (a median or P90 is a multiple of 0.1 s, so 35.775 h prints 35.78
 * whichever way the double nearest to it falls); days with 2 decimals (a
 * median or P90 of whole days is a multiple of 0.1 day).  An
 * undefined figure (zero denominator, no durations) is an empty CSV cell,
 * JSON null, and "-" in the table. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/aggregate.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/measures.h"
#include "pipeline/metrics.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

/* The columns are the measures table (pipeline/measures.h), in its order. */
#define N_COLS vsp_measure_count()
#define COL(i) vsp_measure_at(i)

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

static void usage(FILE *out)
{
    fputs("Usage: vspreport stats --db DB [--period P] [--country CC] [--category CODE]\n"
          "                       [--format table|csv|json] [--no-aggregate] [--same-lag]\n"
          "\n"
          "Print the key figures of a period: one row per country, then the region\n"
          "(the six countries pooled).\n"
          "\n"
          "Options:\n"
          "  --db DB               the warehouse\n"
          "  --period P            2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30; by\n"
          "                        default the latest quarter that holds data and had\n"
          "                        ended by the date the data are as of\n"
          "  --country CC          only AL, BA, ME, MK, RS, XK or region\n"
          "  --category CODE       figures of one category (piracy, minors, ...);\n"
          "                        default: all categories\n"
          "  --format F            table (default), csv or json\n"
          "  --no-aggregate        fail instead of aggregating a period that is not\n"
          "                        aggregated yet, or was before the latest ingest\n"
          "  --same-lag            compare the period with the one before at the same\n"
          "                        lag: the previous period as its events stood as many\n"
          "                        days after its end as the data are now after this\n"
          "                        one's (csv or a tab-separated table)\n"
          "  -h, --help            show this help\n"
          "\n"
          "Figures come from the warehouse's agg_* tables; a period not aggregated\n"
          "yet (or aggregated before the latest ingest) is aggregated first, as\n"
          "'vspreport aggregate --period P' would, and a note says so on stderr.\n"
          "Counts are integers; rates and shares are fractions 0..1 and, like the\n"
          "per-100 000 figures, have 4 decimals; hours have 2, rounded half up.\n"
          "Undefined figures (a zero denominator, no durations) are empty in CSV,\n"
          "null in JSON and '-' in the table.\n"
          "\n"
          "Durations come at the precision the data have: in hours (_h_ columns)\n"
          "where both ends have a time of day, in whole days (_d_ columns: the\n"
          "difference of the local calendar dates, so 23:50 to 00:10 is 1 day)\n"
          "wherever both ends have a date; the end is never before the start.  A\n"
          "regulator that records dates only has day figures and no hours; the\n"
          "region pools days over every regulator and hours over those named in\n"
          "hours_from.  Medians and P90s interpolate between closest ranks (Excel's\n"
          "PERCENTILE.INC, pandas' default); days have 2 decimals.  share_d_Nd: of\n"
          "the actioned items with dates, those actioned within N calendar days of\n"
          "forwarding.  cohort_Nd: of the period's forwarded items with a date,\n"
          "those actioned within N days; empty until the data are as of N days\n"
          "after the period's end (so late outcomes cannot distort it).\n"
          "\n"
          "data_as_of: the date the regulator's figures are as of (the export date\n"
          "given with ingest --exported-at, else the latest date of any event in its\n"
          "logs); the region is as of the earliest regulator, named in\n"
          "data_as_of_from.  provisional: 1 while outcomes are still arriving\n"
          "(forwarded items without a final outcome, or data as of less than 30\n"
          "days after the period's end).  last_ingest: when the latest ingest\n"
          "finished (bookkeeping, not how current the data are).\n"
          "CSV columns: country,period,category,",
          out);
    for (size_t i = 0; i < N_COLS; i++)
        fprintf(out, "%s,", COL(i)->code);
    fputs("data_as_of,data_as_of_from,provisional,hours_from,last_ingest\n", out);
}

/* Format one value into buf; false for NULL (measures.h's one rule). */
static bool format_value(const vsp_metrics *m, const char *country, const char *category,
                         const vsp_measure *col, char *buf, size_t size)
{
    return vsp_measure_format_figure(col, m, country, category, buf, size);
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

/* What a row says about how current and how precise it is (DESIGN §5). */
typedef struct row_extra {
    char as_of[11];      /* "2026-10-07", "" unknown */
    char as_of_from[64]; /* whose date the region's is: "ME"; a country: itself */
    int provisional;     /* 1, 0, -1 unknown */
    char hours_from[64]; /* the countries whose hours the row pools */
} row_extra;

static void row_extras(const vsp_metrics *m, const char *row, const char *category, row_extra *x)
{
    int32_t day;
    memset(x, 0, sizeof *x);
    if (vsp_metrics_as_of(m, row, &day))
        vsp_day_format(day, x->as_of);
    if (strcmp(row, "region") == 0) {
        vsp_metrics_as_of_from(m, x->as_of_from, sizeof x->as_of_from);
        vsp_metrics_countries_where(m, category, "h_to_response_n", 1, x->hours_from,
                                    sizeof x->hours_from);
    } else {
        double n;
        if (x->as_of[0])
            snprintf(x->as_of_from, sizeof x->as_of_from, "%s", row);
        if (vsp_metrics_get(m, row, category, "h_to_response_n", &n) && n >= 1)
            snprintf(x->hours_from, sizeof x->hours_from, "%s", row);
    }
    x->provisional = vsp_metrics_provisional(m, row);
}

/* A list "AL, ME" as one CSV cell: "AL;ME". */
static void csv_list(FILE *out, const char *list)
{
    fputc(',', out);
    for (; *list; list++)
        if (*list == ',')
            fputc(';', out);
        else if (*list != ' ')
            fputc(*list, out);
}

static void print_csv(FILE *out, const vsp_metrics *m, const char **rows, size_t n_rows,
                      const char *category)
{
    fputs("country,period,category", out);
    for (size_t i = 0; i < N_COLS; i++)
        fprintf(out, ",%s", COL(i)->code);
    fputs(",data_as_of,data_as_of_from,provisional,hours_from,last_ingest\n", out);
    char buf[64];
    for (size_t r = 0; r < n_rows; r++) {
        fprintf(out, "%s,%s,%s", rows[r], vsp_metrics_period(m)->label, category);
        for (size_t i = 0; i < N_COLS; i++) {
            format_value(m, rows[r], category, COL(i), buf, sizeof buf);
            fprintf(out, ",%s", buf);
        }
        row_extra x;
        row_extras(m, rows[r], category, &x);
        fprintf(out, ",%s", x.as_of);
        csv_list(out, x.as_of_from);
        if (x.provisional >= 0)
            fprintf(out, ",%d", x.provisional);
        else
            fputc(',', out);
        csv_list(out, x.hours_from);
        fprintf(out, ",%s\n", vsp_metrics_data_freeze(m));
    }
}

static void print_json(FILE *out, const vsp_metrics *m, const char **rows, size_t n_rows,
                       const char *category)
{
    const vsp_period *p = vsp_metrics_period(m);
    char a[11], b[11], buf[64];
    vsp_day_format(p->start_day, a);
    vsp_day_format(p->end_day, b);
    fputs("{\n  \"period\": ", out);
    json_string(out, p->label);
    fprintf(out, ",\n  \"kind\": \"%s\",\n  \"start\": \"%s\",\n  \"end\": \"%s\",\n",
            vsp_period_kind_name(p->kind), a, b);
    fputs("  \"category\": ", out);
    json_string(out, category);
    fputs(",\n  \"last_ingest\": ", out);
    if (vsp_metrics_data_freeze(m)[0])
        json_string(out, vsp_metrics_data_freeze(m));
    else
        fputs("null", out);
    fputs(",\n  \"units\": {\"rates\": \"fraction 0..1\", \"durations\": \"hours (_h_), "
          "whole days (_d_)\"},\n"
          "  \"rows\": [\n",
          out);
    for (size_t r = 0; r < n_rows; r++) {
        fputs("    {\"country\": ", out);
        json_string(out, rows[r]);
        for (size_t i = 0; i < N_COLS; i++) {
            fprintf(out, ", \"%s\": ", COL(i)->code);
            if (format_value(m, rows[r], category, COL(i), buf, sizeof buf))
                fputs(buf, out);
            else
                fputs("null", out);
        }
        row_extra x;
        row_extras(m, rows[r], category, &x);
        fputs(", \"data_as_of\": ", out);
        if (x.as_of[0])
            json_string(out, x.as_of);
        else
            fputs("null", out);
        fputs(", \"data_as_of_from\": ", out);
        json_string(out, x.as_of_from);
        fputs(", \"provisional\": ", out);
        fputs(x.provisional < 0 ? "null" : x.provisional ? "true" : "false", out);
        fputs(", \"hours_from\": ", out);
        json_string(out, x.hours_from);
        fprintf(out, "}%s\n", r + 1 < n_rows ? "," : "");
    }
    fputs("  ]\n}\n", out);
}

static void print_table(FILE *out, const vsp_metrics *m, const char **rows, size_t n_rows,
                        const char *category)
{
    const vsp_period *p = vsp_metrics_period(m);
    char a[11], b[11], buf[64];
    vsp_day_format(p->start_day, a);
    vsp_day_format(p->end_day, b);
    int32_t day;
    char asof[11] = "none", from[64] = "";
    if (vsp_metrics_as_of(m, "region", &day))
        vsp_day_format(day, asof);
    vsp_metrics_as_of_from(m, from, sizeof from);
    fprintf(out, "%s (%s to %s), %s; region data as of %s%s%s%s; last ingest %s\n\n", p->label,
            a, b, strcmp(category, "*") == 0 ? "all categories" : category, asof,
            from[0] ? " (" : "", from, from[0] ? ")" : "",
            vsp_metrics_data_freeze(m)[0] ? vsp_metrics_data_freeze(m) : "none");
    /* width of each country column: the widest value or heading */
    size_t label_w = 0;
    for (size_t i = 0; i < N_COLS; i++)
        if (strlen(COL(i)->label) > label_w)
            label_w = strlen(COL(i)->label);
    size_t *w = vsp_xcalloc(n_rows, sizeof *w);
    for (size_t r = 0; r < n_rows; r++) {
        row_extra x;
        row_extras(m, rows[r], category, &x);
        w[r] = strlen(rows[r]);
        if (strlen(x.as_of) > w[r])
            w[r] = strlen(x.as_of);
        if (strlen(x.hours_from) > w[r])
            w[r] = strlen(x.hours_from);
        for (size_t i = 0; i < N_COLS; i++) {
            format_value(m, rows[r], category, COL(i), buf, sizeof buf);
            if (strlen(buf) > w[r])
                w[r] = strlen(buf);
        }
    }
    fprintf(out, "%-*s", (int)label_w, "");
    for (size_t r = 0; r < n_rows; r++)
        fprintf(out, "  %*s", (int)w[r], rows[r]);
    fputc('\n', out);
    for (size_t i = 0; i < N_COLS; i++) {
        fprintf(out, "%-*s", (int)label_w, COL(i)->label);
        for (size_t r = 0; r < n_rows; r++) {
            if (!format_value(m, rows[r], category, COL(i), buf, sizeof buf))
                snprintf(buf, sizeof buf, "-");
            fprintf(out, "  %*s", (int)w[r], buf);
        }
        fputc('\n', out);
    }
    static const char *const extra_label[] = {"data as of", "provisional", "hours pooled from"};
    for (int e = 0; e < 3; e++) {
        fprintf(out, "%-*s", (int)label_w, extra_label[e]);
        for (size_t r = 0; r < n_rows; r++) {
            row_extra x;
            row_extras(m, rows[r], category, &x);
            const char *t = e == 0   ? (x.as_of[0] ? x.as_of : "-")
                            : e == 1 ? (x.provisional < 0 ? "-" : x.provisional ? "yes" : "no")
                                     : (x.hours_from[0] ? x.hours_from : "-");
            fprintf(out, "  %*s", (int)w[r], t);
        }
        fputc('\n', out);
    }
    free(w);
}

/* --same-lag: the period against the previous one as its events stood the
 * same number of days after its end (agg_metric lag_prev_*), and as it
 * stands now. */
static const struct {
    const char *name, *metric;
    bool rate;
} lag_figs[] = {
    {"received", "received", false},         {"assessed", "assessed", false},
    {"forwarded", "forwarded", false},       {"actioned", "actioned", false},
    {"outcome_pending", "outcome_pending", false},
    {"violation_rate", "violation_rate", true}, {"action_rate", "action_rate", true},
};
#define N_LAG (sizeof lag_figs / sizeof lag_figs[0])

static void print_same_lag(FILE *out, enum format fmt, const vsp_metrics *m,
                           const vsp_metrics *prev, const char **rows, size_t n_rows,
                           const char *category)
{
    const char *sep = fmt == FMT_CSV ? "," : "\t";
    fprintf(out, "country%speriod%sprevious_period%slag_days%sdata_as_of%sprovisional", sep, sep,
            sep, sep, sep);
    for (size_t i = 0; i < N_LAG; i++)
        fprintf(out, "%s%s%s%s_prev_same_lag%s%s_prev_now%schange_%s", sep, lag_figs[i].name,
                sep, lag_figs[i].name, sep, lag_figs[i].name, sep, lag_figs[i].name);
    fputc('\n', out);
    for (size_t r = 0; r < n_rows; r++) {
        row_extra x;
        row_extras(m, rows[r], category, &x);
        double lag;
        fprintf(out, "%s%s%s%s%s%s", rows[r], sep, vsp_metrics_period(m)->label, sep,
                vsp_metrics_period(prev)->label, sep);
        if (vsp_metrics_get(m, rows[r], "*", "lag_days", &lag))
            fprintf(out, "%.0f", lag);
        fprintf(out, "%s%s%s", sep, x.as_of, sep);
        if (x.provisional >= 0)
            fprintf(out, "%d", x.provisional);
        for (size_t i = 0; i < N_LAG; i++) {
            char lagname[64];
            snprintf(lagname, sizeof lagname, "lag_prev_%s", lag_figs[i].metric);
            double cur, then, now;
            bool has_cur = vsp_metrics_get(m, rows[r], category, lag_figs[i].metric, &cur);
            bool has_then = vsp_metrics_get(m, rows[r], category, lagname, &then);
            bool has_now = vsp_metrics_get(prev, rows[r], category, lag_figs[i].metric, &now);
            int dec = lag_figs[i].rate ? 4 : 0;
            if (has_cur)
                fprintf(out, "%s%.*f", sep, dec, cur);
            else
                fputs(sep, out);
            if (has_then)
                fprintf(out, "%s%.*f", sep, dec, then);
            else
                fputs(sep, out);
            if (has_now)
                fprintf(out, "%s%.*f", sep, dec, now);
            else
                fputs(sep, out);
            /* counts: relative change; rates: difference (fractions) */
            if (has_cur && has_then && (lag_figs[i].rate || then != 0))
                fprintf(out, "%s%.4f", sep, lag_figs[i].rate ? cur - then : cur / then - 1.0);
            else
                fputs(sep, out);
        }
        fputc('\n', out);
    }
}

/* The countries of the warehouse, in code order, from agg_dim_countries,
 * into codes (at most max) and *n. */
static vsp_status load_countries(vsp_store *store, char codes[][8], size_t max, size_t *n,
                                 vsp_error *err)
{
    *n = 0;
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_dim_countries", err);
    if (!st)
        return err->status;
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 0);
        snprintf(codes[(*n)++], 8, "%s", c ? (const char *)c : "");
    }
    vsp_status s = VSP_OK;
    if (*n < max && rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading the countries");
    sqlite3_finalize(st);
    return s;
}

vsp_status vsp_cmd_stats(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *period_text = NULL, *country = NULL, *category = "*";
    const char *format = "table";
    enum format fmt = FMT_TABLE;
    bool may_aggregate = true, same_lag = false, help;
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"period", 0, VSP_CLI_TEXT, &period_text},
        {"country", 0, VSP_CLI_TEXT, &country},
        {"category", 0, VSP_CLI_TEXT, &category},
        {"format", 0, VSP_CLI_TEXT, &format},
        {"no-aggregate", 0, VSP_CLI_CLEAR, &may_aggregate},
        {"same-lag", 0, VSP_CLI_SET, &same_lag},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("stats", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        usage(stdout);
        return VSP_OK;
    }
    if (strcmp(format, "table") == 0)
        fmt = FMT_TABLE;
    else if (strcmp(format, "csv") == 0)
        fmt = FMT_CSV;
    else if (strcmp(format, "json") == 0)
        fmt = FMT_JSON;
    else
        return vsp_cli_usage(err, "stats", "--format is table, csv or json, not '%s'", format);
    if (!db_path)
        return vsp_cli_usage(err, "stats", "--db DB is required");
    vsp_period period;
    if (period_text && vsp_cli_period("stats", period_text, &period, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    vsp_metrics *m = NULL, *prev = NULL;
    vsp_store *store = vsp_store_open(db_path, false, err);
    if (!store)
        return err->status;

    /* which rows */
    char codes[16][8];
    size_t nc = 0;
    if ((s = load_countries(store, codes, 15, &nc, err)) != VSP_OK)
        goto out;
    const char *rows[17];
    size_t n_rows = 0;
    char want[8] = "";
    if (country) {
        size_t i;
        for (i = 0; country[i] && i < sizeof want - 1; i++)
            want[i] = (char)toupper((unsigned char)country[i]);
        want[i] = '\0';
        if (vsp_ascii_iequal(country, "region"))
            snprintf(want, sizeof want, "region");
    }
    for (size_t i = 0; i < nc; i++)
        if (!country || strcmp(want, codes[i]) == 0)
            rows[n_rows++] = codes[i];
    if (!country || strcmp(want, "region") == 0)
        rows[n_rows++] = "region";
    if (n_rows == 0) {
        s = vsp_cli_usage(err, "stats", "unknown country '%s'; use AL, BA, ME, MK, RS, XK or region",
                          country);
        goto out;
    }

    if ((s = vsp_aggregate_ensure(store, "stats", period_text, may_aggregate, &period, err)) !=
        VSP_OK)
        goto out;
    if (!(m = vsp_metrics_load(store, period.label, err))) {
        s = err->status;
        goto out;
    }
    if (strcmp(category, "*") != 0 && !vsp_metrics_get(m, "region", category, "received", NULL)) {
        s = vsp_cli_usage(err, "stats",
                          "unknown category '%s'; use a code such as piracy, minors, hate "
                          "(DESIGN section 4)",
                          category);
        goto out;
    }
    if (same_lag) {
        vsp_period pp;
        if (period.kind == VSP_PERIOD_RANGE) {
            s = vsp_cli_usage(err, "stats",
                              "--same-lag compares a quarter, half-year or year with the one "
                              "before; %s is a date range",
                              period.label);
            goto out;
        }
        vsp_period_shift(&period, -1, &pp);
        if (fmt == FMT_JSON) {
            s = vsp_cli_usage(err, "stats", "--same-lag prints a table or CSV, not JSON");
            goto out;
        }
        if (!(prev = vsp_metrics_load(store, pp.label, err))) {
            s = err->status;
            goto out;
        }
        print_same_lag(stdout, fmt, m, prev, rows, n_rows, category);
    } else switch (fmt) {
    case FMT_CSV: print_csv(stdout, m, rows, n_rows, category); break;
    case FMT_JSON: print_json(stdout, m, rows, n_rows, category); break;
    case FMT_TABLE: print_table(stdout, m, rows, n_rows, category); break;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        s = vsp_error_set(err, VSP_EIO, "writing to standard output failed");
        goto out;
    }
    s = VSP_OK;
out:
    vsp_metrics_free(prev);
    vsp_metrics_free(m);
    vsp_store_close(store);
    return s;
}
