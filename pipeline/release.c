/* release.c — the release record and the questions renderers ask of it. */
#include "pipeline/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *vsp_release_id(const vsp_release *r, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    snprintf(buf, size, "%s-v%d", r->period, r->version);
    return buf;
}

static int cmp_key(const vsp_revision *v, const char *period, const char *area,
                   const char *category, const char *measure)
{
    int c = strcmp(v->period, period);
    if (c == 0)
        c = strcmp(v->area, area);
    if (c == 0)
        c = strcmp(v->category, category);
    if (c == 0)
        c = strcmp(v->measure, measure);
    return c;
}

bool vsp_release_revised(const vsp_release *r, const char *period, const char *area,
                         const char *category, const char *measure)
{
    if (!r || r->n_revisions == 0)
        return false;
    /* revisions are sorted by key: binary search */
    size_t lo = 0, hi = r->n_revisions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(&r->revisions[mid], period, area, category, measure);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

const char *vsp_release_reason_code(vsp_revision_reason reason)
{
    switch (reason) {
    case VSP_REVISION_LATER_EXPORT: return "later_export";
    case VSP_REVISION_CORRECTED: return "corrected_cases";
    case VSP_REVISION_REMAPPED: return "remapped_labels";
    case VSP_REVISION_METHODOLOGY: return "methodology";
    case VSP_REVISION_OTHER: break;
    }
    return "other";
}

void vsp_release_clear(vsp_release *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_revisions; i++) {
        vsp_revision *v = &r->revisions[i];
        free(v->period);
        free(v->area);
        free(v->category);
        free(v->measure);
        free(v->old_value);
        free(v->new_value);
        free(v->detail);
    }
    free(r->revisions);
    r->revisions = NULL;
    r->n_revisions = 0;
}
