#include "pipeline/progress.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

bool vsp_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

bool vsp_use_color(FILE *stream)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0])
        return false;
    return isatty(fileno(stream)) == 1;
}

double vsp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vsp_progress_init(vsp_progress *p, const char *label, uint64_t total_bytes)
{
    p->enabled = vsp_stderr_is_tty();
    p->label = label;
    p->total_bytes = total_bytes;
    p->started = vsp_now();
    p->last_draw = 0;
}

void vsp_progress_update(vsp_progress *p, uint64_t rows, uint64_t bytes_done)
{
    if (!p->enabled)
        return;
    double now = vsp_now();
    if (now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    double secs = now - p->started;
    double mbps = secs > 0 ? (double)bytes_done / 1e6 / secs : 0;
    double pct = p->total_bytes ? 100.0 * (double)bytes_done / (double)p->total_bytes : 0;
    fprintf(stderr, "\r%s: %llu rows, %.1f MB/s, %3.0f%%\033[K", p->label,
            (unsigned long long)rows, mbps, pct);
    fflush(stderr);
}

void vsp_progress_fini(vsp_progress *p)
{
    if (p->enabled && p->last_draw > 0) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}
