/* cmd_workbook.c — `vspreport workbook`: the public Excel workbook of one
 * country or the region for one period (reports/workbook.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/designation.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/store.h"
#include "pipeline/country.h"
#include "pipeline/i18n.h"
#include "pipeline/period.h"
#include "pipeline/util.h"
#include "reports/workbook.h"

static const char usage[] =
    "Usage: vspreport workbook --db DB --country CC|region --period P [--lang L]\n"
    "                          (-o FILE.xlsx | --out DIR)\n"
    "\n"
    "Write the public Excel workbook of one country or of the region for an\n"
    "aggregated period: About (definitions, methodology, sources), Summary,\n"
    "Funnel, Categories, Outcomes, Timeliness, Trend, for the region also\n"
    "Countries and Cross-border, and Data quality; native Excel charts beside\n"
    "the tables.  Every figure is read from the aggregates (the same values as\n"
    "`vspreport stats`).  The file appears only when complete.\n"
    "\n"
    "Options:\n"
    "  -d, --db DB          the warehouse (read only)\n"
    "  -c, --country CC     AL BA ME MK RS XK, or region\n"
    "  -p, --period P       2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
    "                       (run `vspreport aggregate --period P` first)\n"
    "  -l, --lang L         en sq sr sr-Latn mk bs cnr (default en; sr is Cyrillic)\n"
    "  -o, --output FILE    the workbook to write (.xlsx)\n"
    "      --out DIR        write DIR/<CC|regional>-<period>-<lang>.xlsx instead\n"
    "  -v, --verbose        say what was written, on stderr\n"
    "  --foreword FILE.md   the regulator's foreword on the About sheet (the report's\n"
    "                       Markdown subset, see vspreport report --help)\n"
    "  --kosovo-note on|off the Kosovo designation note in the regional\n"
    "                       workbook (default on, or VSPREPORT_KOSOVO_NOTE)\n"
    "  -h, --help           show this help\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, pins the creation time in the document\n"
    "properties: the same warehouse then gives byte-identical files.\n"
    "Translations are read from VSP_PO_DIR if set (see vspreport(1)).\n"
    "\n"
    "Exit status: 0 written, 64 usage, 65 period not aggregated, 66 no\n"
    "warehouse, 73 cannot create the file, 74 I/O error.\n";

vsp_status vsp_cmd_workbook(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *country = NULL, *period = NULL, *lang = "en";
    const char *output = NULL, *out_dir = NULL, *foreword = NULL;
    bool verbose = false, help;
    const vsp_cli_opt options[] = {
        {"db", 'd', VSP_CLI_TEXT, &db_path},
        {"country", 'c', VSP_CLI_TEXT, &country},
        {"period", 'p', VSP_CLI_TEXT, &period},
        {"lang", 'l', VSP_CLI_TEXT, &lang},
        {"output", 'o', VSP_CLI_TEXT, &output},
        {"out", 0, VSP_CLI_TEXT, &out_dir},
        {"verbose", 'v', VSP_CLI_SET, &verbose},
        {"kosovo-note", 0, VSP_CLI_KOSOVO_NOTE, NULL},
        {"foreword", 0, VSP_CLI_TEXT, &foreword},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("workbook", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        fputs(usage, stdout);
        return VSP_OK;
    }
    if (!db_path || !country || !period)
        return vsp_cli_usage(err, "workbook", "--db, --country and --period are required");
    if (!output == !out_dir)
        return vsp_cli_usage(err, "workbook", "give either -o FILE.xlsx or --out DIR");
    const char *cc = vsp_country_scope(country);
    if (!cc)
        return vsp_cli_usage(err, "workbook",
                             "--country: '%s' is not AL BA ME MK RS XK or region", country);
    const char *lc = vsp_i18n_lang_canon(lang);
    if (!lc)
        return vsp_cli_usage(err, "workbook",
                             "--lang: '%s' is not one of en sq sr sr-Latn mk bs cnr", lang);
    vsp_period p;
    if (vsp_cli_period("workbook", period, &p, err) != VSP_OK)
        return err->status;
    vsp_status st = vsp_i18n_load(lc, err);
    if (st != VSP_OK)
        return st;

    char *path = NULL;
    if (out_dir) {
        if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
            return vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create the folder: %s",
                                 out_dir, strerror(errno));
        path = vsp_xasprintf("%s/%s-%s-%s.xlsx", out_dir,
                             strcmp(cc, "region") == 0 ? "regional" : cc, p.label, lc);
    } else {
        path = vsp_xstrdup(output);
    }
    vsp_store *store = vsp_store_open_readonly(db_path, err);
    if (!store) {
        free(path);
        vsp_i18n_cleanup();
        return err->status;
    }
    vsp_workbook_spec spec = {cc, p.label, lc, foreword, vsp_cmd_release()};
    st = vsp_workbook_write(store, &spec, path, err);
    if (st == VSP_OK && verbose)
        fprintf(stderr, "vspreport workbook: wrote %s\n", path);
    vsp_store_close(store);
    free(path);
    vsp_i18n_cleanup();
    return st;
}
