/* main.c — the vspreport executable: picks the subcommand, runs it, and
 * is the only place that turns a status into an exit code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/util.h"

static const vsp_command commands[] = {
    {"ingest", "read case logs into the warehouse", vsp_cmd_ingest},
    {"aggregate", "compute the metrics of a period (and its trend) into the warehouse", vsp_cmd_aggregate},
    {"stats", "print the key figures of a period per country and the region", vsp_cmd_stats},
    {"figures", "write figures.csv: every figure of every quarter as one time series", vsp_cmd_figures},
    {"chart", "draw one chart (PNG, SVG or PDF) and its data as CSV", vsp_cmd_chart},
    {"charts", "render the whole chart catalogue into a folder", vsp_cmd_charts},
    {"workbook", "write the public Excel workbook of a country or the region", vsp_cmd_workbook},
    {"export", "write the anonymised case-level research export (XLSX, CSV)", vsp_cmd_export},
    {"report", "write the PDF transparency report of a country or the region", vsp_cmd_report},
    {"site", "write the web edition: a static accessible site in every language", vsp_cmd_site},
    {"run", "everything for a period: ingest, aggregate, charts, workbooks, reports, export", vsp_cmd_run},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fputs("Usage: vspreport <command> [options]\n"
          "       vspreport <command> --help\n"
          "       vspreport --version\n\n"
          "Transparency reporting for the reports citizens send to video-sharing-platform\n"
          "regulators: ingest case logs, aggregate, and publish charts, workbooks and PDFs.\n\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nExit status follows sysexits(3): 0 success, 64 usage, 65 data error,\n"
          "66 no input, 73 cannot create output, 74 I/O error, 75 warehouse busy,\n"
          "78 configuration (profile) error.  See vspreport(1).\n",
          out);
}

int main(int argc, char **argv)
{
    /* A file-size limit must be a write error we report, not a signal that
     * kills the process in mid-file. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_help(stderr);
        return 64;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("vspreport %s\n", VSP_VERSION);
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        vsp_error err;
        vsp_error_clear(&err);
        /* one behaviour for a bad SOURCE_DATE_EPOCH in every command, before
         * anything is read or written */
        time_t stamp;
        vsp_status st = vsp_source_time(&stamp, &err);
        if (st == VSP_OK)
            st = commands[i].run(argc - 1, argv + 1, &err);
        if (st != VSP_OK) {
            bool color = vsp_use_color(stderr);
            fprintf(stderr, "%svspreport %s: %s%s\n", color ? "\033[1;31m" : "", name,
                    color ? "\033[0m" : "", err.msg[0] ? err.msg : vsp_strerror(st));
        }
        return vsp_status_exit_code(st);
    }
    fprintf(stderr, "vspreport: unknown command '%s'\nTry 'vspreport --help'.\n", name);
    return 64;
}
