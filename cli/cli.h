/* cli.h — what every subcommand shares: the usage-error and period
 * helpers, and (through pipeline/progress.h) terminal detection, colour
 * that honours NO_COLOR and a progress line on stderr. */
#ifndef VSP_CLI_H
#define VSP_CLI_H

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

#endif
