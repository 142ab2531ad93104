/* cmd_run.c — `vspreport run --in DIR --out DIR [--period P]` */
#include <stdio.h>

#include "pipeline/designation.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/run.h"

static const char usage[] =
    "Usage: vspreport run --in DIR --out DIR [--period P] [options]\n"
    "\n"
    "Everything for one period, for every regulator and the region: ingest the\n"
    "case logs, aggregate, render the charts, workbooks and PDF reports (each\n"
    "regulator in its language and English, the regional edition in every\n"
    "language), write the anonymised research export and manifest.json.\n"
    "\n"
    "Output: OUT/public/ holds only what may be published, as a whole (reports/,\n"
    "workbooks/, charts/, export/, manifest.json); OUT/private/ (mode 0700) holds\n"
    "the warehouse, the rejected rows and the export key: never publish it.  An\n"
    "output folder of the older layout is moved into this one.\n"
    "\n"
    "Input: one sub-folder of DIR per regulator, named after its profile\n"
    "(DIR/al-ama/ is read with profiles/al-ama.ini) or holding its own .ini;\n"
    "every .csv in it is a case-log export.  A file already ingested (same\n"
    "SHA-256) is not read again; when nothing changed, nothing is rewritten.\n"
    "\n"
    "Options:\n"
    "  -i, --in DIR          the input folder\n"
    "  -o, --out DIR         the output folder (created if missing)\n"
    "  -p, --period P        2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
    "                        (default: the latest complete quarter in the data)\n"
    "      --db DB           the warehouse (default: OUT/private/warehouse.db)\n"
    "      --profiles DIR    where profiles are (default: ./profiles)\n"
    "      --force           render even when nothing changed\n"
    "  -q, --quiet           no summary\n"
    "      --kosovo-note on|off  the Kosovo designation note in the regional\n"
    "                        outputs (default on, or VSPREPORT_KOSOVO_NOTE)\n"
    "  -h, --help            show this help\n"
    "\n"
    "A regulator's foreword in its folder (DIR/al-ama/foreword.sq.md) opens its\n"
    "report and workbook in that language; DIR/foreword.LANG.md the regional\n"
    "edition's (Markdown subset: see vspreport report --help).\n"
    "\n"
    "Research-export pseudonyms use the key in VSP_EXPORT_KEY, or else a random\n"
    "key kept in OUT/private/export.key (never published) so reruns agree; a key\n"
    "under 32 bytes is refused.\n"
    "\n"
    "Exit status: 0 done, 65 an input could not be read (the others were\n"
    "processed), 66 no input folder, 73 cannot write, 75 another run is using OUT,\n"
    "78 the export key is too short.\n";

vsp_status vsp_cmd_run(int argc, char **argv, vsp_error *err)
{
    vsp_run_options opt = {0};
    bool help;
    const vsp_cli_opt options[] = {
        {"in", 'i', VSP_CLI_TEXT, &opt.in_dir},
        {"out", 'o', VSP_CLI_TEXT, &opt.out_dir},
        {"period", 'p', VSP_CLI_TEXT, &opt.period},
        {"db", 0, VSP_CLI_TEXT, &opt.db},
        {"profiles", 0, VSP_CLI_TEXT, &opt.profiles_dir},
        {"force", 0, VSP_CLI_SET, &opt.force},
        {"quiet", 'q', VSP_CLI_SET, &opt.quiet},
        {"kosovo-note", 0, VSP_CLI_KOSOVO_NOTE, NULL},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("run", argc, argv, options, -1, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        fputs(usage, stdout);
        return VSP_OK;
    }
    if (!opt.in_dir)
        return vsp_cli_usage(err, "run", "missing --in DIR");
    if (!opt.out_dir)
        return vsp_cli_usage(err, "run", "missing --out DIR");
    if (first < argc)
        return vsp_cli_usage(err, "run", "unexpected argument '%s'", argv[first]);
    return vsp_run(&opt, err);
}
