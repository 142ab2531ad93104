/* cli.h — what every subcommand shares: its options read from a table,
 * the usage-error and period helpers, and (through pipeline/progress.h) terminal detection, colour
 * that honours NO_COLOR and a progress line on stderr. */
#ifndef VSP_CLI_H
#define VSP_CLI_H

#include <stdbool.h>

#include "pipeline/error.h"
#include "pipeline/period.h"
#include "pipeline/progress.h"

/* Fill err with a usage error for `vspreport <cmd>` that points at --help. */
vsp_status vsp_cli_usage(vsp_error *err, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Parse a period given on the command line of `vspreport <cmd>`; a bad
 * one is a usage error (VSP_EUSAGE) that says why and points at --help. */
vsp_status vsp_cli_period(const char *cmd, const char *text, vsp_period *out, vsp_error *err);

/* ---- options ---------------------------------------------------------- */

typedef enum vsp_cli_kind {
    VSP_CLI_TEXT,       /* --name VALUE: target is a const char *, set to VALUE */
    VSP_CLI_SET,        /* --name: target is a bool, set true */
    VSP_CLI_CLEAR,      /* --name: target is a bool, set false */
    VSP_CLI_KOSOVO_NOTE /* --kosovo-note on|off, read at once (pipeline/designation.h) */
} vsp_cli_kind;

/* One option of a subcommand: its long name (without "--"), its short
 * letter or 0, and where it goes.  A table ends with {NULL}. */
typedef struct vsp_cli_opt {
    const char *name;
    char letter;
    vsp_cli_kind kind;
    void *target;
} vsp_cli_opt;

/* Read the options of `vspreport cmd` (argv[0] is the command's name) as
 * the table says, GNU style: in any order, "--name VALUE", "--name=VALUE",
 * "-x VALUE"; -h and --help set *help (the caller prints its help and
 * succeeds).  *first_arg is the index of the first argument that is not an
 * option (GNU getopt moves them after the options); more than max_args of
 * them is a usage error (max_args < 0: any number).  Usage errors name the
 * offending option ("unknown option '--bogus'", "option '--db' needs a
 * value", "unexpected argument 'x'") and point at --help.  Values are
 * checked by the caller, after. */
vsp_status vsp_cli_options(const char *cmd, int argc, char **argv, const vsp_cli_opt *opts,
                           int max_args, int *first_arg, bool *help, vsp_error *err);

#endif
