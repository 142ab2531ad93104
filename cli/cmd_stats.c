/* cmd_stats.c — `vspreport stats`: print the key figures of a period, one
 * row per country and the region, as a terminal table, CSV or JSON.
 *
 * It reads the agg_* tables only.  When the period has not been aggregated
 * yet, or an ingest finished after it was (a newer data freeze), it runs
 * the aggregation first and says so on stderr; --no-aggregate makes that
 * an error instead (for a warehouse that must not be written).
 *
 * Precision, the same in every format: counts as integers; rates, shares
 * and per-100 000 figures with 4 decimals (printf rounding of the stored
 * double); hours with 2 decimals, rounded half up from their exact value
 * (a median or P90 is a multiple of 0.1 s, so 35.775 h prints 35.78
 * whichever way the double nearest to it falls).  An
 * undefined figure (zero denominator, no durations) is an empty CSV cell,
 * JSON null, and "-" in the table. */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/aggregate.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/metrics.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

enum col_kind { COL_COUNT, COL_FRACTION, COL_PER100K, COL_HOURS };

typedef struct stats_col {
    const char *name;   /* CSV/JSON column */
    const char *metric; /* agg_metric.metric */
    enum col_kind kind;
    const char *label;  /* table row label, with its unit */
} stats_col;

static const stats_col cols[] = {
    {"received", "received", COL_COUNT, "received"},
    {"assessed", "assessed", COL_COUNT, "assessed"},
    {"forwarded", "forwarded", COL_COUNT, "forwarded (violations)"},
    {"actioned", "actioned", COL_COUNT, "actioned by the platform"},
    {"outcome_pending", "outcome_pending", COL_COUNT, "outcome pending"},
    {"violation_rate", "violation_rate", COL_FRACTION, "violation rate (fraction)"},
    {"action_rate", "action_rate", COL_FRACTION, "action rate (fraction)"},
    {"population", "population", COL_COUNT, "population"},
    {"received_per100k", "received_per100k", COL_PER100K, "received per 100 000"},
    {"forwarded_per100k", "forwarded_per100k", COL_PER100K, "forwarded per 100 000"},
    {"actioned_per100k", "actioned_per100k", COL_PER100K, "actioned per 100 000"},
    {"median_h_to_action", "h_to_action_median", COL_HOURS, "time to action, median (h)"},
    {"p90_h_to_action", "h_to_action_p90", COL_HOURS, "time to action, P90 (h)"},
    {"n_to_action", "h_to_action_n", COL_COUNT, "time to action, n"},
    {"share_24h", "share_24h", COL_FRACTION, "actioned within 24 h (fraction)"},
    {"share_48h", "share_48h", COL_FRACTION, "actioned within 48 h (fraction)"},
    {"share_7d", "share_7d", COL_FRACTION, "actioned within 7 days (fraction)"},
    {"median_h_to_response", "h_to_response_median", COL_HOURS, "time to response, median (h)"},
    {"p90_h_to_response", "h_to_response_p90", COL_HOURS, "time to response, P90 (h)"},
    {"n_to_response", "h_to_response_n", COL_COUNT, "time to response, n"},
    {"median_h_received_decided", "h_received_decided_median", COL_HOURS,
     "received to decided, median (h)"},
    {"p90_h_received_decided", "h_received_decided_p90", COL_HOURS, "received to decided, P90 (h)"},
    {"n_received_decided", "h_received_decided_n", COL_COUNT, "received to decided, n"},
    {"median_h_decided_forwarded", "h_decided_forwarded_median", COL_HOURS,
     "decided to forwarded, median (h)"},
    {"p90_h_decided_forwarded", "h_decided_forwarded_p90", COL_HOURS,
     "decided to forwarded, P90 (h)"},
    {"n_decided_forwarded", "h_decided_forwarded_n", COL_COUNT, "decided to forwarded, n"},
    {"median_h_received_outcome", "h_received_outcome_median", COL_HOURS,
     "received to outcome, median (h)"},
    {"p90_h_received_outcome", "h_received_outcome_p90", COL_HOURS,
     "received to outcome, P90 (h)"},
    {"n_received_outcome", "h_received_outcome_n", COL_COUNT, "received to outcome, n"},
    {"cross_border_items", "cross_border_items", COL_COUNT, "cross-border items"},
};
#define N_COLS (sizeof cols / sizeof cols[0])

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

static void usage(FILE *out)
{
    fputs("Usage: vspreport stats --db DB [--period P] [--country CC] [--category CODE]\n"
          "                       [--format table|csv|json] [--no-aggregate]\n"
          "\n"
          "Print the key figures of a period: one row per country, then the region\n"
          "(the six countries pooled).\n"
          "\n"
          "Options:\n"
          "  --db DB               the warehouse\n"
          "  --period P            2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30; by\n"
          "                        default the latest quarter that holds data and had\n"
          "                        ended at the data freeze (the latest ingest)\n"
          "  --country CC          only AL, BA, ME, MK, RS, XK or region\n"
          "  --category CODE       figures of one category (piracy, minors, ...);\n"
          "                        default: all categories\n"
          "  --format F            table (default), csv or json\n"
          "  --no-aggregate        fail instead of aggregating a period that is not\n"
          "                        aggregated yet, or was before the latest ingest\n"
          "  -h, --help            show this help\n"
          "\n"
          "Figures come from the warehouse's agg_* tables; a period not aggregated\n"
          "yet (or aggregated before the latest ingest) is aggregated first, as\n"
          "'vspreport aggregate --period P' would, and a note says so on stderr.\n"
          "Counts are integers; rates and shares are fractions 0..1 and, like the\n"
          "per-100 000 figures, have 4 decimals; hours have 2, rounded half up.\n"
          "Undefined figures (a zero denominator, no durations) are empty in CSV,\n"
          "null in JSON and '-' in the table.  A duration counts only where both of\n"
          "its ends have a date and a time of day and the end is not before the\n"
          "start: a regulator that records dates only has n = 0 and no median.\n"
          "CSV columns: country,period,category,",
          out);
    for (size_t i = 0; i < N_COLS; i++)
        fprintf(out, "%s,", cols[i].name);
    fputs("data_freeze\n", out);
}

/* Format one value into buf; false for NULL. */
static bool format_value(const vsp_metrics *m, const char *country, const char *category,
                         const stats_col *col, char *buf, size_t size)
{
    double v;
    const char *cat = strcmp(col->metric, "population") == 0 ? "*" : category;
    if (!vsp_metrics_get(m, country, cat, col->metric, &v) || !isfinite(v)) {
        buf[0] = '\0';
        return false;
    }
    switch (col->kind) {
    case COL_COUNT: snprintf(buf, size, "%.0f", v); break;
    case COL_FRACTION:
    case COL_PER100K: snprintf(buf, size, "%.4f", v); break;
    case COL_HOURS: {
        /* snap to the exact multiple of 0.1 s, then round half up */
        double tenths = round(v * 36000.0);
        long long cents = (long long)((fabs(tenths) + 180.0) / 360.0);
        snprintf(buf, size, "%s%lld.%02lld", tenths < 0 && cents ? "-" : "", cents / 100,
                 cents % 100);
        break;
    }
    }
    /* never print "-0.00" */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return true;
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

static void print_csv(FILE *out, const vsp_metrics *m, const char **rows, size_t n_rows,
                      const char *category)
{
    fputs("country,period,category", out);
    for (size_t i = 0; i < N_COLS; i++)
        fprintf(out, ",%s", cols[i].name);
    fputs(",data_freeze\n", out);
    char buf[64];
    for (size_t r = 0; r < n_rows; r++) {
        fprintf(out, "%s,%s,%s", rows[r], vsp_metrics_period(m)->label, category);
        for (size_t i = 0; i < N_COLS; i++) {
            format_value(m, rows[r], category, &cols[i], buf, sizeof buf);
            fprintf(out, ",%s", buf);
        }
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
    fputs(",\n  \"data_freeze\": ", out);
    if (vsp_metrics_data_freeze(m)[0])
        json_string(out, vsp_metrics_data_freeze(m));
    else
        fputs("null", out);
    fputs(",\n  \"units\": {\"rates\": \"fraction 0..1\", \"durations\": \"hours\"},\n"
          "  \"rows\": [\n",
          out);
    for (size_t r = 0; r < n_rows; r++) {
        fputs("    {\"country\": ", out);
        json_string(out, rows[r]);
        for (size_t i = 0; i < N_COLS; i++) {
            fprintf(out, ", \"%s\": ", cols[i].name);
            if (format_value(m, rows[r], category, &cols[i], buf, sizeof buf))
                fputs(buf, out);
            else
                fputs("null", out);
        }
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
    fprintf(out, "%s (%s to %s), %s; data freeze %s\n\n", p->label, a, b,
            strcmp(category, "*") == 0 ? "all categories" : category,
            vsp_metrics_data_freeze(m)[0] ? vsp_metrics_data_freeze(m) : "none");
    /* width of each country column: the widest value or heading */
    size_t label_w = 0;
    for (size_t i = 0; i < N_COLS; i++)
        if (strlen(cols[i].label) > label_w)
            label_w = strlen(cols[i].label);
    size_t *w = vsp_xcalloc(n_rows, sizeof *w);
    for (size_t r = 0; r < n_rows; r++) {
        w[r] = strlen(rows[r]);
        for (size_t i = 0; i < N_COLS; i++) {
            format_value(m, rows[r], category, &cols[i], buf, sizeof buf);
            if (strlen(buf) > w[r])
                w[r] = strlen(buf);
        }
    }
    fprintf(out, "%-*s", (int)label_w, "");
    for (size_t r = 0; r < n_rows; r++)
        fprintf(out, "  %*s", (int)w[r], rows[r]);
    fputc('\n', out);
    for (size_t i = 0; i < N_COLS; i++) {
        fprintf(out, "%-*s", (int)label_w, cols[i].label);
        for (size_t r = 0; r < n_rows; r++) {
            if (!format_value(m, rows[r], category, &cols[i], buf, sizeof buf))
                snprintf(buf, sizeof buf, "-");
            fprintf(out, "  %*s", (int)w[r], buf);
        }
        fputc('\n', out);
    }
    free(w);
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
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"period", required_argument, NULL, 'p'},
        {"country", required_argument, NULL, 'c'},
        {"category", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {"no-aggregate", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *period_text = NULL, *country = NULL, *category = "*";
    enum format fmt = FMT_TABLE;
    bool may_aggregate = true;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'p': period_text = optarg; break;
        case 'c': country = optarg; break;
        case 'k': category = optarg; break;
        case 'n': may_aggregate = false; break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                fmt = FMT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                fmt = FMT_CSV;
            else if (strcmp(optarg, "json") == 0)
                fmt = FMT_JSON;
            else
                return vsp_cli_usage(err, "stats", "--format is table, csv or json, not '%s'",
                                     optarg);
            break;
        case 'h': usage(stdout); return VSP_OK;
        case ':': return vsp_cli_usage(err, "stats", "option '%s' needs a value", argv[optind - 1]);
        default: return vsp_cli_usage(err, "stats", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return vsp_cli_usage(err, "stats", "unexpected argument '%s'", argv[optind]);
    if (!db_path)
        return vsp_cli_usage(err, "stats", "--db DB is required");
    vsp_period period;
    if (period_text && vsp_cli_period("stats", period_text, &period, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    vsp_metrics *m = NULL;
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
    switch (fmt) {
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
    vsp_metrics_free(m);
    vsp_store_close(store);
    return s;
}
