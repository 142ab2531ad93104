/* cmd_chart.c — `vspreport chart` (one chart) and `vspreport charts` (the
 * whole catalogue for every country and the region, every language and
 * format).
 *
 * Tree written by `charts --out DIR`:
 *     DIR/<AL|BA|ME|MK|RS|XK|regional>/<lang>/<chart>.<png|svg|pdf|csv>
 * The CSV beside each chart holds the data behind it (chart.h).  Country
 * folders hold the five per-country charts (funnel categories outcomes
 * timeliness trend); regional/ holds all nine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "charts/chart.h"
#include "charts/draw.h"
#include "charts/surface.h"
#include "pipeline/designation.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/store.h"
#include "pipeline/country.h"
#include "pipeline/i18n.h"
#include "pipeline/period.h"
#include "pipeline/util.h"

/* The scopes of the catalogue: the countries, then the region. */
#define N_SCOPES (VSP_N_COUNTRIES + 1)

static const char *scope_name(size_t i)
{
    return i < VSP_N_COUNTRIES ? vsp_countries[i] : "region";
}

static void chart_list(FILE *out)
{
    for (int i = 0; i < VSP_CHART_COUNT; i++)
        fprintf(out, "%s%s%s", i ? " " : "", vsp_chart_name((vsp_chart_id)i),
                vsp_chart_regional_only((vsp_chart_id)i) ? "*" : "");
}

static void chart_help(FILE *out)
{
    fputs("Usage: vspreport chart ID --db DB --period P [--country CC|region] [--lang L]\n"
          "                       [--format png|svg|pdf] [--size slide|a4|WxH] [--dpi N]\n"
          "                       [--no-csv] -o FILE\n\n"
          "Draw one chart of the catalogue, and write the data behind it as CSV beside\n"
          "it (FILE with the extension .csv).\n\n"
          "Charts: ",
          out);
    chart_list(out);
    fputs("\n        (* for the region only)\n\n"
          "Options:\n"
          "  --db DB          the warehouse (read only)\n"
          "  --period P       2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
          "  --country CC     AL BA ME MK RS XK or region (default region)\n"
          "  --lang L         en sq sr sr-Latn mk bs cnr (default en; sr is Cyrillic)\n"
          "  --format F       png, svg or pdf (default: from the extension of FILE)\n"
          "  --size S         slide (1920x1080, default), a4 (landscape) or WxH in px\n"
          "  --dpi N          PNG resolution; 96 (default) gives WxH pixels\n"
          "  --no-csv         do not write the CSV\n"
          "  -o, --output F   the file to write\n"
          "  --kosovo-note on|off  the designation note in regional charts' footers\n"
          "                   (default on, or VSPREPORT_KOSOVO_NOTE)\n"
          "  -h, --help       this help\n\n"
          "Translations are read from VSP_PO_DIR if set (see vspreport(1)).\n",
          out);
}

static void charts_help(FILE *out)
{
    fputs("Usage: vspreport charts --db DB --period P --out DIR [--format LIST]\n"
          "                        [--lang LIST] [--country LIST] [--size S] [--dpi N]\n\n"
          "Render the whole chart catalogue: for every country its five charts, for the\n"
          "region all nine, in every language and format, each with its CSV:\n\n"
          "    DIR/<AL|BA|ME|MK|RS|XK|regional>/<lang>/<chart>.<png|svg|pdf|csv>\n\n"
          "Options:\n"
          "  --db DB          the warehouse (read only)\n"
          "  --period P       2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
          "  --out DIR        output folder (created if missing)\n"
          "  --format LIST    comma-separated subset of png,svg,pdf (default all)\n"
          "  --lang LIST      comma-separated subset of en,sq,sr,sr-Latn,mk,bs,cnr\n"
          "  --country LIST   comma-separated subset of AL,BA,ME,MK,RS,XK,region\n"
          "  --size S, --dpi N   as for `vspreport chart`\n"
          "  -q, --quiet      no summary on stderr\n"
          "  --timings        print mean CPU milliseconds per file, by chart and format\n"
          "  --kosovo-note on|off  the designation note in regional charts' footers\n"
          "                   (default on, or VSPREPORT_KOSOVO_NOTE)\n"
          "  -h, --help       this help\n",
          out);
}

static vsp_status check_period(const char *cmd, const char *period, vsp_error *err)
{
    vsp_period p;
    return vsp_cli_period(cmd, period, &p, err);
}

/* --size and --dpi, shared by chart and charts: VSP_OK, or a usage error. */
static vsp_status render_option(const char *cmd, int ch, const char *arg, vsp_render_opts *ro,
                                vsp_error *err)
{
    if (ch == 's') {
        if (!vsp_render_size_parse(arg, &ro->width, &ro->height))
            return vsp_cli_usage(err, cmd, "--size: '%s' is not slide, a4 or WxH", arg);
        return VSP_OK;
    }
    char *end;
    ro->dpi = strtod(arg, &end);
    if (*end || !(ro->dpi >= 24 && ro->dpi <= 1200))
        return vsp_cli_usage(err, cmd, "--dpi: '%s' is not a number from 24 to 1200", arg);
    return VSP_OK;
}

vsp_status vsp_cmd_chart(int argc, char **argv, vsp_error *err)
{
    const char *db_path = NULL, *period = NULL, *country = "region", *lang = "en";
    const char *format = NULL, *out = NULL, *id_name = NULL, *size = NULL, *dpi = NULL;
    bool csv = true, help;
    vsp_render_opts ro = {1920, 1080, 96};
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"period", 0, VSP_CLI_TEXT, &period},
        {"country", 0, VSP_CLI_TEXT, &country},
        {"lang", 0, VSP_CLI_TEXT, &lang},
        {"format", 0, VSP_CLI_TEXT, &format},
        {"size", 0, VSP_CLI_TEXT, &size},
        {"dpi", 0, VSP_CLI_TEXT, &dpi},
        {"output", 'o', VSP_CLI_TEXT, &out},
        {"no-csv", 0, VSP_CLI_CLEAR, &csv},
        {"kosovo-note", 0, VSP_CLI_KOSOVO_NOTE, NULL},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("chart", argc, argv, options, -1, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        chart_help(stdout);
        return VSP_OK;
    }
    if (argc - first > 1) /* the chart id is the one argument */
        return vsp_cli_usage(err, "chart", "one chart at a time ('%s' and '%s')", argv[first],
                             argv[first + 1]);
    if (first < argc)
        id_name = argv[first];
    if ((size && render_option("chart", 's', size, &ro, err) != VSP_OK) ||
        (dpi && render_option("chart", 'r', dpi, &ro, err) != VSP_OK))
        return err->status;
    vsp_chart_id id;
    if (!id_name)
        return vsp_cli_usage(err, "chart", "which chart? one of: funnel categories outcomes "
                                           "timeliness trend countries map heatmap crossborder");
    if (!vsp_chart_from_name(id_name, &id))
        return vsp_cli_usage(err, "chart", "unknown chart '%s' (charts: funnel categories "
                                           "outcomes timeliness trend countries map heatmap "
                                           "crossborder)", id_name);
    if (!db_path || !period || !out)
        return vsp_cli_usage(err, "chart", "--db, --period and -o are required");
    const char *cc = vsp_country_scope(country);
    if (!cc)
        return vsp_cli_usage(err, "chart", "--country: '%s' is not AL BA ME MK RS XK or region",
                             country);
    if (!vsp_chart_applies(id, cc))
        return vsp_cli_usage(err, "chart", "chart '%s' exists for the region only "
                                           "(--country region)", id_name);
    const char *lc = vsp_i18n_lang_canon(lang);
    if (!lc)
        return vsp_cli_usage(err, "chart", "--lang: '%s' is not one of en sq sr sr-Latn mk bs cnr",
                             lang);
    vsp_format fmt;
    if (format) {
        if (!vsp_format_from_name(format, &fmt))
            return vsp_cli_usage(err, "chart", "--format: '%s' is not png, svg or pdf", format);
    } else {
        const char *dot = strrchr(vsp_basename(out), '.');
        if (!dot || !vsp_format_from_name(dot + 1, &fmt))
            return vsp_cli_usage(err, "chart", "give --format, or an output name ending in "
                                               ".png, .svg or .pdf");
    }
    vsp_status st = check_period("chart", period, err);
    if (st != VSP_OK)
        return st;
    st = vsp_i18n_load(lc, err);
    if (st != VSP_OK)
        return st;

    vsp_store *store = vsp_store_open_readonly(db_path, err);
    if (!store)
        return err->status;
    vsp_chart_source *src = NULL;
    vsp_chart_data *d = NULL;
    char *csv_path = NULL;
    st = VSP_EDATA;
    src = vsp_chart_source_open(store, period, err);
    if (!src) {
        st = err->status;
        goto out;
    }
    d = vsp_chart_data_load(src, id, cc, err);
    if (!d) {
        st = err->status;
        goto out;
    }
    vsp_chart_spec spec = vsp_chart_spec_default(id, cc, lc);
    spec.release = vsp_cmd_release();
    st = vsp_chart_render(&spec, d, fmt, &ro, out, err);
    if (st == VSP_OK && csv) {
        csv_path = vsp_chart_csv_path(out);
        st = vsp_chart_write_csv(d, lc, csv_path, err);
    }
out:
    free(csv_path);
    vsp_chart_data_free(d);
    vsp_chart_source_close(src);
    vsp_store_close(store);
    vsp_surface_cleanup();
    vsp_draw_cleanup();
    vsp_i18n_cleanup();
    return st;
}

/* CPU seconds of this process: per-chart timings that a busy machine
 * (other jobs on the same cores) does not inflate. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse a comma-separated list against allowed names; fills on[]. */
static bool parse_list(const char *text, const char *const *names, size_t n, bool *on,
                       const char **bad)
{
    for (size_t i = 0; i < n; i++)
        on[i] = false;
    char *copy = vsp_xstrdup(text), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (vsp_ascii_iequal(tok, names[i]))
                on[i] = found = true;
        if (!found) {
            static char badbuf[64];
            snprintf(badbuf, sizeof badbuf, "%s", tok);
            *bad = badbuf;
            ok = false;
            break;
        }
    }
    free(copy);
    return ok;
}

static vsp_status make_dir(const char *path, vsp_error *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return VSP_OK;
    return vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create folder: %s", path,
                         strerror(errno));
}

vsp_status vsp_cmd_charts(int argc, char **argv, vsp_error *err)
{
    static const char *const formats[] = {"png", "svg", "pdf"};
    bool timings = false;
    double spent[VSP_CHART_COUNT][4] = {{0}}; /* png svg pdf csv, seconds */
    int made[VSP_CHART_COUNT][4] = {{0}};
    const char *db_path = NULL, *period = NULL, *out = NULL, *bad = NULL;
    const char *format = NULL, *langs = NULL, *countries = NULL, *size = NULL, *dpi = NULL;
    bool fmt_on[3] = {true, true, true}, lang_on[VSP_I18N_N_LANGS], cc_on[N_SCOPES];
    bool quiet = false, help;
    for (size_t i = 0; i < VSP_I18N_N_LANGS; i++)
        lang_on[i] = true;
    for (size_t i = 0; i < N_SCOPES; i++)
        cc_on[i] = true;
    vsp_render_opts ro = {1920, 1080, 96};
    const vsp_cli_opt options[] = {
        {"db", 0, VSP_CLI_TEXT, &db_path},
        {"period", 0, VSP_CLI_TEXT, &period},
        {"out", 0, VSP_CLI_TEXT, &out},
        {"format", 0, VSP_CLI_TEXT, &format},
        {"lang", 0, VSP_CLI_TEXT, &langs},
        {"country", 0, VSP_CLI_TEXT, &countries},
        {"size", 0, VSP_CLI_TEXT, &size},
        {"dpi", 0, VSP_CLI_TEXT, &dpi},
        {"quiet", 'q', VSP_CLI_SET, &quiet},
        {"kosovo-note", 0, VSP_CLI_KOSOVO_NOTE, NULL},
        {"timings", 0, VSP_CLI_SET, &timings},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("charts", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        charts_help(stdout);
        return VSP_OK;
    }
    if (format && !parse_list(format, formats, 3, fmt_on, &bad))
        return vsp_cli_usage(err, "charts", "--format: '%s' is not png, svg or pdf", bad);
    if (langs && !parse_list(langs, vsp_i18n_langs, VSP_I18N_N_LANGS, lang_on, &bad))
        return vsp_cli_usage(err, "charts", "--lang: '%s' is not a language", bad);
    if (countries) {
        const char *scopes[N_SCOPES];
        for (size_t i = 0; i < N_SCOPES; i++)
            scopes[i] = scope_name(i);
        if (!parse_list(countries, scopes, N_SCOPES, cc_on, &bad))
            return vsp_cli_usage(err, "charts", "--country: '%s' is not a country", bad);
    }
    if ((size && render_option("charts", 's', size, &ro, err) != VSP_OK) ||
        (dpi && render_option("charts", 'r', dpi, &ro, err) != VSP_OK))
        return err->status;
    if (!db_path || !period || !out)
        return vsp_cli_usage(err, "charts", "--db, --period and --out are required");
    vsp_status st = check_period("charts", period, err);
    if (st != VSP_OK)
        return st;
    for (size_t i = 0; i < VSP_I18N_N_LANGS; i++)
        if (lang_on[i] && (st = vsp_i18n_load(vsp_i18n_langs[i], err)) != VSP_OK)
            return st;

    vsp_store *store = vsp_store_open_readonly(db_path, err);
    if (!store)
        return err->status;
    vsp_chart_source *src = vsp_chart_source_open(store, period, err);
    size_t files = 0;
    double t0 = vsp_now();
    vsp_progress prog;
    vsp_progress_init(&prog, "charts", 0);
    if (!src) {
        st = err->status;
        goto out;
    }
    if ((st = make_dir(out, err)) != VSP_OK)
        goto out;
    for (size_t ci = 0; ci < N_SCOPES; ci++) {
        if (!cc_on[ci])
            continue;
        const char *cc = scope_name(ci);
        char *cdir = vsp_xasprintf("%s/%s", out, strcmp(cc, "region") == 0 ? "regional" : cc);
        st = make_dir(cdir, err);
        for (size_t li = 0; st == VSP_OK && li < VSP_I18N_N_LANGS; li++) {
            if (!lang_on[li])
                continue;
            char *ldir = vsp_xasprintf("%s/%s", cdir, vsp_i18n_langs[li]);
            st = make_dir(ldir, err);
            free(ldir);
        }
        for (int id = 0; st == VSP_OK && id < VSP_CHART_COUNT; id++) {
            if (!vsp_chart_applies((vsp_chart_id)id, cc))
                continue;
            vsp_chart_data *d = vsp_chart_data_load(src, (vsp_chart_id)id, cc, err);
            if (!d) {
                st = err->status;
                break;
            }
            /* one format at a time through the languages (the PNGs, the
             * SVGs, the PDFs, then the CSVs): a format's working memory
             * (the PNG canvas and the map's outlines, cairo's PDF
             * machinery) stays in the CPU's caches from one file to the
             * next; taken language by language, each PDF in between cost
             * the next PNG 0.5-0.8 ms */
            for (size_t fi = 0; st == VSP_OK && fi < 4; fi++) {
                if (fi < 3 && !fmt_on[fi])
                    continue;
                for (size_t li = 0; st == VSP_OK && li < VSP_I18N_N_LANGS; li++) {
                    if (!lang_on[li])
                        continue;
                    const char *lang = vsp_i18n_langs[li];
                    char *path = vsp_xasprintf("%s/%s/%s.%s", cdir, lang,
                                               vsp_chart_name((vsp_chart_id)id),
                                               fi < 3 ? formats[fi] : "csv");
                    vsp_chart_spec spec = vsp_chart_spec_default((vsp_chart_id)id, cc, lang);
                    spec.release = vsp_cmd_release();
                    double t1 = cpu_now();
                    st = fi < 3 ? vsp_chart_render(&spec, d, (vsp_format)fi, &ro, path, err)
                                : vsp_chart_write_csv(d, lang, path, err);
                    spent[id][fi] += cpu_now() - t1;
                    made[id][fi]++;
                    free(path);
                    files++;
                    vsp_progress_update(&prog, files, 0);
                }
            }
            vsp_chart_data_free(d);
        }
        free(cdir);
        if (st != VSP_OK)
            goto out;
    }
    vsp_progress_fini(&prog);
    if (timings) { /* mean CPU milliseconds per file, for bench/bench_charts.sh */
        printf("chart\tpng_ms\tsvg_ms\tpdf_ms\tcsv_ms\tfiles\n");
        for (int id = 0; id < VSP_CHART_COUNT; id++) {
            int total = made[id][0] + made[id][1] + made[id][2] + made[id][3];
            if (!total)
                continue;
            printf("%s", vsp_chart_name((vsp_chart_id)id));
            for (int k = 0; k < 4; k++)
                printf("\t%.2f", made[id][k] ? spent[id][k] * 1000.0 / made[id][k] : 0.0);
            printf("\t%d\n", total);
        }
    }
    if (!quiet)
        fprintf(stderr, "vspreport charts: %zu files in %s (%.1f s)\n", files, out,
                vsp_now() - t0);
out:
    vsp_chart_source_close(src);
    vsp_store_close(store);
    vsp_surface_cleanup();
    vsp_draw_cleanup();
    vsp_i18n_cleanup();
    return st;
}
