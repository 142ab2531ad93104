#include "pipeline/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *text;
    int exit_code;
} status_table[] = {
    [VSP_OK] = {"success", 0},
    [VSP_EUSAGE] = {"usage error", 64},
    [VSP_EDATA] = {"data error", 65},
    [VSP_ENOINPUT] = {"cannot open input", 66},
    [VSP_ESOFTWARE] = {"internal error", 70},
    [VSP_ECANTCREAT] = {"cannot create output", 73},
    [VSP_EIO] = {"input/output error", 74},
    [VSP_ETEMPFAIL] = {"temporary failure", 75},
    [VSP_ECONFIG] = {"configuration error", 78},
};

const char *vsp_strerror(vsp_status status)
{
    if ((unsigned)status >= sizeof status_table / sizeof status_table[0])
        return "unknown error";
    return status_table[status].text;
}

int vsp_status_exit_code(vsp_status status)
{
    if ((unsigned)status >= sizeof status_table / sizeof status_table[0])
        return 70;
    return status_table[status].exit_code;
}

void vsp_error_clear(vsp_error *err)
{
    if (!err)
        return;
    err->status = VSP_OK;
    err->msg[0] = '\0';
}

vsp_status vsp_error_set(vsp_error *err, vsp_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsp_error_vset(err, status, fmt, ap);
    va_end(ap);
    return status;
}

vsp_status vsp_error_vset(vsp_error *err, vsp_status status, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    char msg[VSP_ERROR_MSG_MAX]; /* the arguments may be err->msg itself */
    vsnprintf(msg, sizeof msg, fmt, ap);
    memcpy(err->msg, msg, sizeof msg);
    err->status = status;
    return status;
}
