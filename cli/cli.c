#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline/designation.h"
#include "pipeline/util.h"

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

vsp_status vsp_cli_options(const char *cmd, int argc, char **argv, const vsp_cli_opt *opts,
                           int max_args, int *first_arg, bool *help, vsp_error *err)
{
    vsp_status st = VSP_OK;
    size_t n = 0;
    while (opts[n].name)
        n++;
    /* getopt's tables: every option by its index, then --help */
    struct option *longopts = vsp_xcalloc(n + 2, sizeof *longopts);
    char *shorts = vsp_xmalloc(2 * n + 4), *sp = shorts;
    *sp++ = ':'; /* a missing value is ':', not '?' */
    for (size_t i = 0; i < n; i++) {
        bool value = opts[i].kind == VSP_CLI_TEXT || opts[i].kind == VSP_CLI_KOSOVO_NOTE;
        longopts[i] = (struct option){opts[i].name, value ? required_argument : no_argument, NULL,
                                      256 + (int)i};
        if (opts[i].letter) {
            *sp++ = opts[i].letter;
            if (value)
                *sp++ = ':';
        }
    }
    longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    *sp++ = 'h';
    *sp = '\0';
    *help = false;
    optind = 0; /* glibc: start afresh, as for a new argv */
    opterr = 0;
    int ch;
    while (st == VSP_OK && (ch = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
        const vsp_cli_opt *o = NULL;
        if (ch >= 256 && ch < 256 + (int)n)
            o = &opts[ch - 256];
        for (size_t i = 0; !o && ch > 0 && ch < 256 && ch != 'h' && i < n; i++)
            if (opts[i].letter == ch)
                o = &opts[i];
        if (ch == 'h') {
            *help = true;
        } else if (ch == ':') {
            st = vsp_cli_usage(err, cmd, "option '%s' needs a value", argv[optind - 1]);
        } else if (!o) {
            st = vsp_cli_usage(err, cmd, "unknown option '%s'", argv[optind - 1]);
        } else if (o->kind == VSP_CLI_TEXT) {
            *(const char **)o->target = optarg;
        } else if (o->kind == VSP_CLI_SET || o->kind == VSP_CLI_CLEAR) {
            *(bool *)o->target = o->kind == VSP_CLI_SET;
        } else {
            st = vsp_designation_parse(optarg, "--kosovo-note", err);
        }
    }
    free(longopts);
    free(shorts);
    if (st != VSP_OK || *help)
        return st;
    *first_arg = optind;
    if (max_args >= 0 && argc - optind > max_args)
        return vsp_cli_usage(err, cmd, "unexpected argument '%s'", argv[optind + max_args]);
    return VSP_OK;
}
