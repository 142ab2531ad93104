/* cli.h — what every subcommand shares: terminal detection, colour that
 * honours NO_COLOR, a progress line on stderr (only on a terminal), and
 * the usage-error helper. */
#ifndef VSP_CLI_H
#define VSP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pipeline/error.h"
#include "pipeline/period.h"

/* True when stderr is a terminal (progress is shown only then). */
bool vsp_cli_stderr_is_tty(void);
/* True when colour may be used on stream (a terminal and NO_COLOR unset). */
bool vsp_cli_use_color(FILE *stream);

/* Progress of one long task, redrawn at most ~10 times a second on one
 * stderr line; silent when stderr is not a terminal. Caller's struct. */
typedef struct vsp_progress {
    bool enabled;
    const char *label;   /* borrowed for the lifetime of the progress */
    uint64_t total_bytes;
    double started;      /* monotonic seconds */
    double last_draw;
} vsp_progress;

void vsp_progress_init(vsp_progress *p, const char *label, uint64_t total_bytes);
void vsp_progress_update(vsp_progress *p, uint64_t rows, uint64_t bytes_done);
/* Clear the progress line. */
void vsp_progress_fini(vsp_progress *p);

/* Monotonic clock in seconds. */
double vsp_now(void);

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
