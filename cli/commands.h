/* commands.h — one entry point per subcommand, each in cli/cmd_*.c
 * (or the room that owns the stage).  A command parses its own options
 * with getopt_long, prints its own --help on stdout, writes results to
 * stdout and messages to stderr, and returns a status; only main() turns
 * a status into an exit code.  On failure err holds the message. */
#ifndef VSP_COMMANDS_H
#define VSP_COMMANDS_H

#include "pipeline/error.h"
#include "pipeline/release.h"

typedef vsp_status (*vsp_command_fn)(int argc, char **argv, vsp_error *err);

typedef struct vsp_command {
    const char *name;
    const char *summary; /* one line for `vspreport --help` */
    vsp_command_fn run;
} vsp_command;

vsp_status vsp_cmd_ingest(int argc, char **argv, vsp_error *err);
vsp_status vsp_cmd_aggregate(int argc, char **argv, vsp_error *err); /* cli/cmd_aggregate.c */
vsp_status vsp_cmd_stats(int argc, char **argv, vsp_error *err);     /* cli/cmd_stats.c */
vsp_status vsp_cmd_figures(int argc, char **argv, vsp_error *err);   /* cli/cmd_figures.c */
vsp_status vsp_cmd_chart(int argc, char **argv, vsp_error *err);  /* cli/cmd_chart.c */
vsp_status vsp_cmd_charts(int argc, char **argv, vsp_error *err); /* cli/cmd_chart.c */
vsp_status vsp_cmd_workbook(int argc, char **argv, vsp_error *err); /* cli/cmd_workbook.c */
vsp_status vsp_cmd_export(int argc, char **argv, vsp_error *err);   /* cli/cmd_export.c */
vsp_status vsp_cmd_report(int argc, char **argv, vsp_error *err);   /* cli/cmd_report.c */
vsp_status vsp_cmd_site(int argc, char **argv, vsp_error *err);     /* cli/cmd_site.c */
vsp_status vsp_cmd_run(int argc, char **argv, vsp_error *err);      /* cli/cmd_run.c */

/* The release `vspreport run` publishes (cli/run.c sets it before it
 * renders and clears it after; NULL otherwise): report, workbook, site,
 * chart and charts hand it to their renderers as the `release` option, so
 * every output of a run prints its release line and marks what it
 * revised.  Borrowed: the setter keeps the pointer, not a copy. */
void vsp_cmd_set_release(const vsp_release *release);
const vsp_release *vsp_cmd_release(void);

#endif
