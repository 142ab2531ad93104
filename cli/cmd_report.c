/* cmd_report.c — `vspreport report`: one PDF transparency report, per
 * regulator or the regional edition, in one language (reports/report.h).
 *
 * Like `stats`, a period that has not been aggregated yet (or was
 * aggregated before the latest ingest) is aggregated first, with a note on
 * stderr, so that the report shows the figures `vspreport stats` prints;
 * --no-aggregate makes that an error instead. */
#include <getopt.h>
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

    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"country", required_argument, NULL, 'c'},
        {"period", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"paper", required_argument, NULL, 'P'},
        {"logo", required_argument, NULL, 'L'},
        {"profile", required_argument, NULL, 'f'},
        {"no-aggregate", no_argument, NULL, 'n'},
        {"kosovo-note", required_argument, NULL, 'K'},
        {"foreword", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *country = NULL, *period_text = NULL, *lang = "en",
               *out = NULL, *logo = NULL, *profile = NULL, *foreword = NULL;
    vsp_paper paper = VSP_PAPER_A4;
    bool may_aggregate = true;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'c': country = optarg; break;
        case 'p': period_text = optarg; break;
        case 'l': lang = optarg; break;
        case 'o': out = optarg; break;
        case 'L': logo = optarg; break;
        case 'F': foreword = optarg; break;
        case 'f': profile = optarg; break;
        case 'n': may_aggregate = false; break;
        case 'P':
            if (!vsp_paper_from_name(optarg, &paper))
                return vsp_cli_usage(err, "report", "--paper is a4 or letter, not '%s'", optarg);
            break;
        case 'K': {
            vsp_status ks = vsp_designation_parse(optarg, "--kosovo-note", err);
            if (ks != VSP_OK)
                return ks;
            break;
        }
        case 'h': usage(stdout); return VSP_OK;
        case ':':
            return vsp_cli_usage(err, "report", "option '%s' needs a value", argv[optind - 1]);
        default: return vsp_cli_usage(err, "report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return vsp_cli_usage(err, "report", "unexpected argument '%s'", argv[optind]);
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

    vsp_report_opts opts = {country, period.label, lang, paper, logo, foreword, NULL};
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
