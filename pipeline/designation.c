/* designation.c — the Kosovo designation footnote (see designation.h). */
#include "pipeline/designation.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/i18n.h"
#include "pipeline/util.h"

static int setting = -1; /* -1: not set, look at the environment */

static int parse_bool(const char *v)
{
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    for (size_t i = 0; v && i < 4; i++) {
        if (vsp_ascii_iequal(v, yes[i]))
            return 1;
        if (vsp_ascii_iequal(v, no[i]))
            return 0;
    }
    return -1;
}

void vsp_designation_set(bool on)
{
    setting = on ? 1 : 0;
}

vsp_status vsp_designation_parse(const char *value, const char *what, vsp_error *err)
{
    int b = parse_bool(value);
    if (b < 0)
        return vsp_error_set(err, VSP_EUSAGE, "%s: '%s' is neither on nor off", what,
                             value ? value : "");
    setting = b;
    return VSP_OK;
}

bool vsp_designation_on(void)
{
    if (setting >= 0)
        return setting == 1;
    int b = parse_bool(getenv("VSPREPORT_KOSOVO_NOTE"));
    return b != 0; /* unset or unreadable: on */
}

const char *vsp_designation_note(const char *lang)
{
    if (!vsp_designation_on())
        return NULL;
    /* TRANSLATORS: the designation footnote of EU institutions and the
     * regional bodies, word for word in its official translation where
     * there is one; keep the leading asterisk. */
    return vsp_i18n_pget(lang, "designation", NC_("designation", VSP_DESIGNATION_MSGID));
}

const char *vsp_designation_mark(const char *country)
{
    return country && strcmp(country, "XK") == 0 && vsp_designation_on() ? "*" : "";
}
