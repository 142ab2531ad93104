/* cmd_aggregate.c — `vspreport aggregate`: compute the metrics of a period
 * and the seven periods before it into the warehouse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/aggregate.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/store.h"

static void usage(FILE *out)
{
    fputs("Usage: vspreport aggregate --db DB [--period P] [--population FILE.csv]\n"
          "\n"
          "Compute every metric (DESIGN section 5) for each country, the region and\n"
          "each category into the warehouse's agg_* tables, which charts, workbooks\n"
          "and reports read.  A quarter, half-year or year is computed together with\n"
          "the seven periods of the same kind before it (the trend); a date range\n"
          "alone.  Re-running replaces those periods in one transaction.\n"
          "\n"
          "Options:\n"
          "  --db DB               the warehouse (made by vspreport ingest)\n"
          "  --period P            2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30; by\n"
          "                        default the latest quarter that holds data and had\n"
          "                        ended by the date the data are as of\n"
          "  --population FILE     update the population table first, from a CSV file\n"
          "                        country,population,year,source\n"
          "  --threads N           scan on N threads (default: the cores, at most 4)\n"
          "  -h, --help            show this help\n"
          "\n"
          "Prints one line per period: its label, its cases and its cross-border items;\n"
          "then the date each regulator's data are as of (the export date stated with\n"
          "ingest --exported-at, else the latest date of any event in its logs; the\n"
          "region is as of the earliest) and when the latest ingest finished.\n"
          "Warns when the period holds events dated after today (SOURCE_DATE_EPOCH\n"
          "when set, else the clock).\n",
          out);
}

vsp_status vsp_cmd_aggregate(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *period_text = NULL, *threads = NULL;
    vsp_aggregate_options opt = {NULL, 0};
    bool help;
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"period", 0, VSP_CLI_TEXT, &period_text},
        {"population", 0, VSP_CLI_TEXT, &opt.population_csv},
        {"threads", 0, VSP_CLI_TEXT, &threads},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("aggregate", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        usage(stdout);
        return VSP_OK;
    }
    if (threads) {
        char *end;
        long n = strtol(threads, &end, 10);
        if (*end || n < 1 || n > 64)
            return vsp_cli_usage(err, "aggregate", "--threads wants a number 1..64, not '%s'",
                                 threads);
        opt.threads = (int)n;
    }
    if (!db_path)
        return vsp_cli_usage(err, "aggregate", "--db DB is required");

    vsp_period period;
    if (period_text && vsp_cli_period("aggregate", period_text, &period, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    vsp_store *store = vsp_store_open(db_path, false, err);
    if (!store)
        return err->status;
    bool complete = true;
    if (!period_text) {
        if ((s = vsp_aggregate_default_period(store, &period, &complete, err)) != VSP_OK)
            goto out;
        if (!complete)
            fprintf(stderr,
                    "vspreport aggregate: no complete quarter holds data yet; "
                    "aggregating %s, which had not ended by the date the data are as of\n",
                    period.label);
    }
    if ((s = vsp_aggregate_warn_future(store, "aggregate", &period, stderr, NULL, err)) != VSP_OK)
        goto out;
    double t0 = vsp_now();
    vsp_aggregate_result res;
    if ((s = vsp_aggregate_run(store, &period, &opt, &res, err)) != VSP_OK)
        goto out;
    double secs = vsp_now() - t0;
    printf("%-24s %10s %13s\n", "period", "cases", "cross-border");
    for (int i = 0; i < res.n_periods; i++)
        printf("%-24s %10lld %13lld\n", res.periods[i].label, (long long)res.cases[i],
               (long long)res.crossborder[i]);
    fputs("data as of:", stdout);
    for (int i = 0; i < res.n_countries; i++) {
        if (!res.as_of[i])
            continue;
        char day[11];
        vsp_day_format(res.as_of[i], day);
        printf(" %s %s%s", res.country[i], day, res.as_of_stated[i] ? " (stated)" : "");
    }
    if (res.region_as_of) {
        char day[11];
        vsp_day_format(res.region_as_of, day);
        printf("; region %s (", day);
        int named = 0;
        for (int i = 0; i < res.n_countries; i++)
            if (res.as_of[i] == res.region_as_of)
                printf("%s%s", named++ ? ", " : "", res.country[i]);
        fputs(")\n", stdout);
    } else {
        fputs(" none (no cases)\n", stdout);
    }
    printf("last ingest finished: %s\n",
           res.data_freeze[0] ? res.data_freeze : "none (no finished ingest)");
    if (vsp_stderr_is_tty())
        fprintf(stderr, "aggregated %d period%s in %.2f s on %d thread%s\n", res.n_periods,
                res.n_periods == 1 ? "" : "s", secs, res.threads, res.threads == 1 ? "" : "s");
    if (fflush(stdout) != 0) {
        s = vsp_error_set(err, VSP_EIO, "writing to standard output failed");
        goto out;
    }
    s = VSP_OK;
out:
    vsp_store_close(store);
    return s;
}
