/* geo.h — the map's country outlines, compiled in from
 * charts/data/western-balkans.inc (Natural Earth, public domain, via
 * world-atlas 2.0.2; see charts/data/README.md). */
#ifndef VSP_GEO_H
#define VSP_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vsp_geo_ring {
    int32_t first, count; /* points */
    int32_t hole;         /* 1 for an inner ring */
} vsp_geo_ring;

typedef struct vsp_geo_country {
    const char *code;     /* ISO 3166 alpha-2 (XK for Kosovo) */
    int32_t focus;        /* 1 for the six countries, 0 for neighbours */
    int32_t first_ring, n_rings;
} vsp_geo_country;

size_t vsp_geo_n_countries(void);
const vsp_geo_country *vsp_geo_country_at(size_t i);
const vsp_geo_ring *vsp_geo_ring_at(size_t i);
/* Point i in degrees; there are vsp_geo_n_points() of them. */
void vsp_geo_point(size_t i, double *lon, double *lat);
size_t vsp_geo_n_points(void);

#endif
