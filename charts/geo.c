/* geo.c — accessors over the compiled-in outlines. */
#include "charts/geo.h"

#include "charts/data/western-balkans.inc"

size_t vsp_geo_n_countries(void)
{
    return sizeof geo_countries / sizeof geo_countries[0];
}

const vsp_geo_country *vsp_geo_country_at(size_t i)
{
    return i < vsp_geo_n_countries() ? &geo_countries[i] : NULL;
}

const vsp_geo_ring *vsp_geo_ring_at(size_t i)
{
    return i < sizeof geo_rings / sizeof geo_rings[0] ? &geo_rings[i] : NULL;
}

void vsp_geo_point(size_t i, double *lon, double *lat)
{
    *lon = geo_points[i][0] / 1000.0;
    *lat = geo_points[i][1] / 1000.0;
}

size_t vsp_geo_n_points(void)
{
    return sizeof geo_points / sizeof geo_points[0];
}
