#include "pipeline/country.h"

#include <string.h>

#include "pipeline/util.h"

const char *const vsp_countries[VSP_N_COUNTRIES + 1] = {"AL", "BA", "ME", "MK", "RS", "XK", NULL};

int vsp_country_index(const char *code)
{
    for (int i = 0; code && i < VSP_N_COUNTRIES; i++)
        if (strcmp(code, vsp_countries[i]) == 0)
            return i;
    return -1;
}

const char *vsp_country_scope(const char *name)
{
    if (!name)
        return NULL;
    if (vsp_ascii_iequal(name, "region"))
        return "region";
    for (int i = 0; i < VSP_N_COUNTRIES; i++)
        if (vsp_ascii_iequal(name, vsp_countries[i]))
            return vsp_countries[i];
    return NULL;
}
