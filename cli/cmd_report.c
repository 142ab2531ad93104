/* cmd_report.c — `vspreport report`: one PDF transparency report, per
 * regulator or the regional edition, in one language (reports/report.h).
 *
 * Like `stats`, a period that has not been aggregated yet (or was
 * aggregated before the latest ingest) is aggregated first, with a note on
 * stderr, so that the report shows the figures `vspreport stats` prints;
 * --no-aggregate makes that an error instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/aggregate.h"
#include "pipeline/designation.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/country.h"
#include "pipeline/i18n.h"
#include "pipeline/metrics.h"
#include "pipeline/period.h"
#include "pipeline/profile.h"
#include "pipeline/store.h"
#include "pipeline/util.h"
#include "reports/report.h"

static void usage(FILE *out)
{
    fputs("Usage: vspreport report --db DB --country CC|region --period P --lang L\n"
          "                        -o FILE.pdf [--paper a4|letter] [--logo FILE.png]\n"
          "                        [--profile PROFILE] [--foreword FILE.md] [--no-aggregate]\n\n"
          "Write the quarterly transparency report as a PDF: cover, contents, key\n"
          "figures with the change against the previous period, funnel, categories,\n"
          "platform outcomes, timeliness, trend and audiovisual piracy (each chart with\n"
          "its data as a table); for the region also countries per 100 000\n"
          "inhabitants, the map, the country x category heat map and cross-border\n"
          "items; data quality, methodology, glossary and the SHA-256 of every input\n"
          "file.  Bookmarks, linked contents, page numbers, document metadata, tagged\n"
          "structure, document language and alternative text for every chart.\n\n"
          "Options:\n"
          "  --db DB            the warehouse\n"
          "  --country CC       AL BA ME MK RS XK, or region for the regional edition\n"
          "  --period P         2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
          "                     (default: the latest complete quarter with data)\n"
          "  --lang L           en sq sr sr-Latn mk bs cnr (default en; sr is Cyrillic)\n"
          "  -o, --output FILE  the PDF to write (written to a temporary name beside it\n"
          "                     and renamed into place only when complete)\n"
          "  --paper P          a4 (default) or letter\n"
          "  --logo FILE.png    a logo for the cover (PNG, at most 4096x4096 and 8 MB)\n"
          "  --foreword FILE.md the regulator's foreword, set as the first section: a\n"
          "                     Markdown subset (# headings, paragraphs, - lists,\n"
          "                     *emphasis*, **strong**, [links](https://...))\n"
          "  --profile PROFILE  take the cover logo from the profile's 'logo' entry\n"
          "  --no-aggregate     fail instead of aggregating a period first\n"
          "  --kosovo-note on|off  the Kosovo designation note in the regional\n"
          "                     report (default on, or VSPREPORT_KOSOVO_NOTE)\n"
          "  -h, --help         this help\n\n"
          "With SOURCE_DATE_EPOCH set, the creation date is pinned and the same inputs\n"
          "give a byte-identical PDF.  Translations are read from VSP_PO_DIR if set.\n",
          out);
}

/* The logo named in a profile, relative to the profile's folder; caller
 * frees; NULL when the profile names none. */
static char *profile_logo(const char *path, vsp_error *err, vsp_status *st)
{
    *st = VSP_OK;
    vsp_profile *p = vsp_profile_load(path, err);
    if (!p) {
        *st = err->status;
        return NULL;
    }
    char *logo = NULL;
    if (p->logo && p->logo[0]) {
        const char *slash = strrchr(path, '/');
        if (p->logo[0] == '/' || !slash)
            logo = vsp_xstrdup(p->logo);
        else
            logo = vsp_xasprintf("%.*s/%s", (int)(slash - path), path, p->logo);
    }
    vsp_profile_free(p);
    return logo;
}

vsp_status vsp_cmd_report(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *country = NULL, *period_text = NULL, *lang = "en",
               *out = NULL, *logo = NULL, *profile = NULL, *foreword = NULL, *paper_name = NULL;
    vsp_paper paper = VSP_PAPER_A4;
    bool may_aggregate = true, help;
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"country", 0, VSP_CLI_TEXT, &country},
        {"period", 0, VSP_CLI_TEXT, &period_text},
        {"lang", 0, VSP_CLI_TEXT, &lang},
        {"output", 'o', VSP_CLI_TEXT, &out},
        {"paper", 0, VSP_CLI_TEXT, &paper_name},
        {"logo", 0, VSP_CLI_TEXT, &logo},
        {"profile", 0, VSP_CLI_TEXT, &profile},
        {"no-aggregate", 0, VSP_CLI_CLEAR, &may_aggregate},
        {"kosovo-note", 0, VSP_CLI_KOSOVO_NOTE, NULL},
        {"foreword", 0, VSP_CLI_TEXT, &foreword},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("report", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        usage(stdout);
        return VSP_OK;
    }
    if (paper_name && !vsp_paper_from_name(paper_name, &paper))
        return vsp_cli_usage(err, "report", "--paper is a4 or letter, not '%s'", paper_name);
    if (!db_path)
        return vsp_cli_usage(err, "report", "--db DB is required");
    if (!country)
        return vsp_cli_usage(err, "report", "--country CC|region is required");
    if (!out)
        return vsp_cli_usage(err, "report", "-o FILE.pdf is required");
    if (!vsp_i18n_lang_valid(lang))
        return vsp_cli_usage(err, "report",
                             "unknown language '%s'; use one of en sq sr sr-Latn mk bs cnr", lang);
    if (!vsp_country_scope(country))
        return vsp_cli_usage(err, "report",
                             "unknown country '%s'; use AL, BA, ME, MK, RS, XK or region", country);
    vsp_period period;
    if (period_text && vsp_cli_period("report", period_text, &period, err) != VSP_OK)
        return err->status;

    vsp_status s = VSP_ESOFTWARE;
    char *profile_logo_path = NULL;
    vsp_store *store = NULL;
    if (profile && !logo) {
        profile_logo_path = profile_logo(profile, err, &s);
        if (s != VSP_OK)
            goto out;
        logo = profile_logo_path;
    }
    store = vsp_store_open(db_path, false, err);
    if (!store) {
        s = err->status;
        goto out;
    }
    if ((s = vsp_aggregate_ensure(store, "report", period_text, may_aggregate, &period, err)) !=
        VSP_OK)
        goto out;

    vsp_report_opts opts = {country, period.label, lang, paper, logo, foreword,
                             vsp_cmd_release()};
    vsp_report_result res;
    double t0 = vsp_now();
    s = vsp_report_render(store, &opts, out, &res, err);
    if (s == VSP_OK && vsp_stderr_is_tty())
        fprintf(stderr, "vspreport report: %s: %d pages, %zu bytes, %.2f s\n", out, res.pages,
                res.bytes, vsp_now() - t0);
out:
    vsp_store_close(store);
    free(profile_logo_path);
    return s;
}
