#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>

vsp_status vsp_cli_usage(vsp_error *err, const char *cmd, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return vsp_error_set(err, VSP_EUSAGE, "%s\nTry 'vspreport %s --help' for more information.",
                         what, cmd);
}

vsp_status vsp_cli_period(const char *cmd, const char *text, vsp_period *out, vsp_error *err)
{
    vsp_error perr;
    if (vsp_period_parse(text, out, &perr) != VSP_OK)
        return vsp_cli_usage(err, cmd, "%s", perr.msg);
    return VSP_OK;
}
