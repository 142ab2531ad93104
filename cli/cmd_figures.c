/* cmd_figures.c — `vspreport figures`: write figures.csv, every figure of
 * every quarter in the warehouse as one tidy time series, and its
 * codebook (reports/figures.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/aggregate.h"
#include "pipeline/store.h"
#include "reports/eu_template.h"
#include "reports/figures.h"

static void usage(FILE *out)
{
    fputs("Usage: vspreport figures --db DB -o FILE [--codebook FILE] [--period P]\n"
          "                         [--eu-template FILE] [--release ID] [--no-aggregate]\n"
          "\n"
          "Write figures.csv: every key figure of every quarter in the warehouse, from\n"
          "the first quarter that holds a case to the last, as one tidy time series in\n"
          "long form, one row per figure:\n"
          "\n"
          "  " VSP_FIGURES_HEADER "\n"
          "\n"
          "area is AL, BA, ME, MK, RS, XK or region; category '*' (all) or a category\n"
          "code; measure a stable code (the columns of 'vspreport stats --format csv':\n"
          "received, action_rate, median_d_to_action, ...; the codebook defines each);\n"
          "value exactly as 'stats' prints it, empty when undefined; unit count,\n"
          "fraction, per100k, hours or days; base_n the count the figure rests on\n"
          "(empty for counts); provisional 1 while the area's outcomes are still\n"
          "arriving; release the release that published the file (empty here unless\n"
          "--release is given).  RFC 4180 (CRLF), UTF-8 without a byte-order mark,\n"
          "rows sorted by period, area, category, measure.\n"
          "\n"
          "Options:\n"
          "  --db DB           the warehouse\n"
          "  -o, --output FILE where to write figures.csv ('-': standard output)\n"
          "  --codebook FILE   also write the codebook (figures-codebook.csv: measure,\n"
          "                    unit, base, categories, adds_up, decimals, label,\n"
          "                    definition)\n"
          "  --period P        add a half-year, year or date range to the quarters;\n"
          "                    the period of --eu-template (default: the latest\n"
          "                    quarter that holds data and had ended by the date the\n"
          "                    data are as of)\n"
          "  --eu-template FILE  the period's forwarded notices in the layout of the\n"
          "                    EU transparency reporting templates (Implementing\n"
          "                    Regulation (EU) 2024/2835): an alignment aid for\n"
          "                    comparison with platforms' DSA reports, not anyone's\n"
          "                    DSA report\n"
          "  --release ID      fill the release column (e.g. 2026Q3-v2)\n"
          "  --no-aggregate    fail instead of aggregating a quarter that is not\n"
          "                    aggregated yet, or was before the latest ingest\n"
          "  -h, --help        show this help\n"
          "\n"
          "Quarters not aggregated yet, or aggregated before the latest ingest, are\n"
          "aggregated first (eight at a time), and a note says so on stderr.  Files are\n"
          "written to a temporary name and renamed.  -o may be left out when\n"
          "--codebook or --eu-template is given.\n",
          out);
}

vsp_status vsp_cmd_figures(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *out_path = NULL, *codebook = NULL, *period_text = NULL,
               *release = "", *eu = NULL;
    bool may_aggregate = true, help;
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"output", 'o', VSP_CLI_TEXT, &out_path},
        {"codebook", 0, VSP_CLI_TEXT, &codebook},
        {"period", 0, VSP_CLI_TEXT, &period_text},
        {"release", 0, VSP_CLI_TEXT, &release},
        {"eu-template", 0, VSP_CLI_TEXT, &eu},
        {"no-aggregate", 0, VSP_CLI_CLEAR, &may_aggregate},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("figures", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        usage(stdout);
        return VSP_OK;
    }
    if (!db_path)
        return vsp_cli_usage(err, "figures", "--db DB is required");
    if (!out_path && !codebook && !eu)
        return vsp_cli_usage(err, "figures", "-o FILE is required (- for standard output)");
    int to_stdout = (out_path && strcmp(out_path, "-") == 0) +
                    (codebook && strcmp(codebook, "-") == 0) + (eu && strcmp(eu, "-") == 0);
    if (to_stdout > 1)
        return vsp_cli_usage(err, "figures", "only one of the files can go to standard output");
    vsp_period extra;
    memset(&extra, 0, sizeof extra);
    if (period_text && vsp_cli_period("figures", period_text, &extra, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    vsp_period *periods = NULL;
    size_t n = 0;
    vsp_figures *f = vsp_figures_new();
    if ((s = vsp_figures_set_release(f, release, err)) != VSP_OK) { /* a usage error */
        vsp_figures_free(f);
        return s;
    }
    vsp_store *store = vsp_store_open(db_path, false, err);
    if (!store) {
        vsp_figures_free(f);
        return err->status;
    }
    if ((s = vsp_figures_periods(store, "figures", period_text ? &extra : NULL, may_aggregate,
                                 stderr, &periods, &n, err)) != VSP_OK)
        goto out;
    if (out_path) {
        if ((s = vsp_figures_collect(store, periods, n, release, f, err)) != VSP_OK)
            goto out;
        if (strcmp(out_path, "-") == 0)
            s = vsp_figures_print(f, stdout, "standard output", err);
        else
            s = vsp_figures_write(f, out_path, err);
        if (s != VSP_OK)
            goto out;
    }
    if (eu) {
        vsp_period ep = extra;
        if (!period_text &&
            (s = vsp_aggregate_default_period(store, &ep, NULL, err)) != VSP_OK)
            goto out;
        if (strcmp(eu, "-") == 0)
            s = vsp_eu_template_print(store, &ep, release, stdout, "standard output", err);
        else
            s = vsp_eu_template_write(store, &ep, release, eu, err);
        if (s != VSP_OK)
            goto out;
    }
    if (codebook) {
        if (strcmp(codebook, "-") == 0)
            s = vsp_figures_codebook_print(stdout, "standard output", err);
        else
            s = vsp_figures_codebook_write(codebook, err);
    }
out:
    free(periods);
    vsp_figures_free(f);
    vsp_store_close(store);
    return s;
}
