/* cmd_site.c — `vspreport site`: the web edition of a period, a static
 * accessible site in every language (reports/site.h).
 *
 * Like `report`, a period that has not been aggregated yet (or was
 * aggregated before the latest ingest) is aggregated first, with a note on
 * stderr; --no-aggregate makes that an error instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/aggregate.h"
#include "pipeline/period.h"
#include "pipeline/progress.h"
#include "pipeline/store.h"
#include "pipeline/util.h"
#include "reports/site.h"

static void usage(FILE *out)
{
    fputs("Usage: vspreport site --db DB --period P --out DIR [--no-aggregate]\n\n"
          "Write the web edition: a static, self-contained, accessible site (WCAG 2.1 AA)\n"
          "with the regional edition and each regulator's edition in every language.\n\n"
          "  DIR/index.html          a language chooser, each language in its own name\n"
          "  DIR/<lang>/index.html   the regional edition (en sq sr sr-Latn mk bs cnr)\n"
          "  DIR/<lang>/<cc>.html    each regulator: al ba me mk rs xk\n\n"
          "Each page has the key figures with the period and the date the data are as of, every chart\n"
          "as inline SVG with a text alternative followed by its data table, data quality,\n"
          "methodology and definitions, and links to the downloads of its edition (PDF\n"
          "report, workbook, chart files, research export) with format and size.  The\n"
          "downloads are looked for in the folder that holds DIR, laid out as `vspreport\n"
          "run` writes them (reports/, workbooks/, charts/, export/); only files that\n"
          "exist are linked.  No script, no external resource, relative links only: the\n"
          "site works from file:// and from any static web host.\n\n"
          "Options:\n"
          "  --db DB          the warehouse\n"
          "  --period P       2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
          "                   (default: the latest complete quarter with data)\n"
          "  --out DIR        the site's folder (created if missing; pages are written\n"
          "                   to temporary names and renamed into place)\n"
          "  --no-aggregate   fail instead of aggregating a period first\n"
          "  -h, --help       this help\n\n"
          "With SOURCE_DATE_EPOCH set, the same inputs give a byte-identical site.\n"
          "Translations are read from VSP_PO_DIR if set.\n",
          out);
}

vsp_status vsp_cmd_site(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *period_text = NULL, *out = NULL;
    bool may_aggregate = true, help;
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"period", 0, VSP_CLI_TEXT, &period_text},
        {"out", 0, VSP_CLI_TEXT, &out},
        {"no-aggregate", 0, VSP_CLI_CLEAR, &may_aggregate},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("site", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        usage(stdout);
        return VSP_OK;
    }
    if (!db_path)
        return vsp_cli_usage(err, "site", "--db DB is required");
    if (!out || !out[0])
        return vsp_cli_usage(err, "site", "--out DIR is required");
    vsp_period period;
    if (period_text && vsp_cli_period("site", period_text, &period, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    vsp_store *store = vsp_store_open(db_path, false, err);
    if (!store)
        return err->status;
    if ((s = vsp_aggregate_ensure(store, "site", period_text, may_aggregate, &period, err)) != VSP_OK)
        goto out;
    vsp_site_opts opts = {period.label, out, vsp_cmd_release()};
    vsp_site_result res;
    double t0 = vsp_now();
    s = vsp_site_render(store, &opts, &res, err);
    if (s == VSP_OK && vsp_stderr_is_tty())
        fprintf(stderr,
                "vspreport site: %s: %zu pages, %zu bytes (largest %s, %zu bytes), %zu download "
                "links, %.2f s\n",
                out, res.pages, res.bytes, res.largest, res.largest_bytes, res.downloads,
                vsp_now() - t0);
out:
    vsp_store_close(store);
    return s;
}
