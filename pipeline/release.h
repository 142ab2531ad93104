/* release.h — a published release of a period and what it revised
 * (DESIGN §outputs; issue "Releases people can cite").
 *
 * Each `vspreport run` that publishes a period is a release: the period,
 * a version number (1, 2, ...), the date it was made and a status
 * (provisional or final, vsp_metrics_provisional of the region).  When a
 * period is published again and a figure of figures.csv differs from the
 * previous release's figures.csv, the version goes up and every changed
 * figure is a revision: old value, new value and why.  A run with nothing
 * changed is not a new version.
 *
 * The renderers take a `const vsp_release *` (NULL when an output is made
 * outside a release, e.g. `vspreport report` on its own: then they print
 * no release line and mark nothing).  They print the release line
 * (vsp_release_format) on every output and mark a figure "(R)" when
 * vsp_release_revised() says so.
 *
 * figures.csv, the machine-readable figures every release keeps in
 * OUT/public/, is the one source of comparison.  Its columns, in order:
 *   period,area,category,measure,value,unit,base_n,provisional,release
 * period "2026Q3"; area "AL".."XK" or "region"; category a category code
 * or "*"; measure a stable code from the codebook (the `vspreport stats`
 * CSV column names: received, action_rate, median_d_to_action, ...);
 * value as `stats` prints it; unit count|fraction|per100k|hours|days;
 * base_n the count the figure rests on (empty for counts); provisional
 * 0/1; release the release id that published the file ("2026Q3-v2").
 *
 * Plain data: a caller may build a vsp_release by hand (tests do). */
#ifndef VSP_RELEASE_H
#define VSP_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

/* Why a figure changed, most specific first. */
typedef enum vsp_revision_reason {
    VSP_REVISION_LATER_EXPORT,  /* later outcomes/events from an export dated `detail` */
    VSP_REVISION_CORRECTED,     /* cases corrected by a later export (`detail`: its date) */
    VSP_REVISION_REMAPPED,      /* a profile's label mapping changed (`detail`: profile) */
    VSP_REVISION_METHODOLOGY,   /* vspreport's methodology changed (`detail`: version) */
    VSP_REVISION_OTHER          /* none of the above could be told */
} vsp_revision_reason;

typedef struct vsp_revision {
    char *period, *area, *category, *measure; /* the figures.csv key */
    char *old_value, *new_value;              /* as figures.csv has them; "" = absent */
    vsp_revision_reason reason;
    char *detail;                             /* see vsp_revision_reason; may be "" */
} vsp_revision;

typedef struct vsp_release {
    char period[32];         /* "2026Q3" */
    int version;             /* 1, 2, ... */
    char date[11];           /* YYYY-MM-DD the release was made */
    bool provisional;        /* the region's status for the period */
    int previous_version;    /* 0: the first release of the period */
    char previous_date[11];  /* "" when previous_version is 0 */
    vsp_revision *revisions; /* owned; sorted by period, area, category, measure */
    size_t n_revisions;
} vsp_release;

/* "2026Q3-v2": the release id used in figures.csv, revisions.csv, the
 * manifest and paths (OUT/public/releases/2026Q3/v2/).  buf of at least
 * 48 bytes; returns buf. */
char *vsp_release_id(const vsp_release *r, char *buf, size_t size);

/* True when the figure (period, area, category, measure code) is among the
 * release's revisions.  measure is a figures.csv measure code; renderers
 * that know a figure by its agg_metric name translate it with
 * the measures table (pipeline/measures.h).  False when r is NULL. */
bool vsp_release_revised(const vsp_release *r, const char *period, const char *area,
                         const char *category, const char *measure);

/* The reason's stable code for revisions.csv: "later_export",
 * "corrected_cases", "remapped_labels", "methodology", "other". */
const char *vsp_release_reason_code(vsp_revision_reason reason);

/* Free what r owns (not r itself); r may be NULL. */
void vsp_release_clear(vsp_release *r);

#endif
