/* progress.h — the terminal side of a long task: terminal detection,
 * colour that honours NO_COLOR, a monotonic clock, and a progress line on
 * stderr (only on a terminal).  The stages use it to report progress; the
 * command line (cli/) decides whether they are asked to. */
#ifndef VSP_PROGRESS_H
#define VSP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* True when stderr is a terminal (progress is shown only then). */
bool vsp_stderr_is_tty(void);
/* True when colour may be used on stream (a terminal and NO_COLOR unset). */
bool vsp_use_color(FILE *stream);

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

#endif
