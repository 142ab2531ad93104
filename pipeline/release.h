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

#include "pipeline/error.h"
#include "pipeline/util.h"

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

/* ---- Planning a release (cli/run.c): pure data work, no file, no clock.
 *
 *   vsp_release_figures before, now;
 *   vsp_release_figures_parse("figures.csv", text, len, &before, &err);
 *   ...
 *   vsp_release_compare(&rel, &before, &now, &evidence);
 *   vsp_release_revisions_csv(&rel, &buf);       (rows for revisions.csv)
 */

/* One row of figures.csv as the comparison sees it: the key and the value
 * (as figures.csv has it; "" = undefined). */
typedef struct vsp_release_figure {
    const char *period, *area, *category, *measure, *value;
} vsp_release_figure;

/* The rows of one figures.csv; the strings live in `store`.  Caller's
 * struct; free with vsp_release_figures_fini. */
typedef struct vsp_release_figures {
    vsp_release_figure *rows;
    size_t n;
    char *store; /* owned: the rows' strings, NUL-separated */
} vsp_release_figures;

/* Read figures.csv text by its header's names (period, area, category,
 * measure, value must be there; other columns and their order do not
 * matter).  name names the file in errors ("figures.csv:12: ...").
 * VSP_EDATA with file:line on a header without those columns, a record
 * that is not CSV or has fewer cells than the header.  out is filled (and
 * must be finied) in every case. */
vsp_status vsp_release_figures_parse(const char *name, const char *data, size_t len,
                                     vsp_release_figures *out, vsp_error *err);
void vsp_release_figures_fini(vsp_release_figures *f);

/* What a regulator's figures rested on at the previous release and now:
 * tells a later export (as of moved), re-mapped labels (the profile's
 * SHA-256 changed) apart. */
typedef struct vsp_release_area {
    char area[8];            /* "AL".."XK" */
    char as_of_before[11];   /* YYYY-MM-DD; "" unknown */
    char as_of_now[11];      /* YYYY-MM-DD; "" unknown */
    char profile[64];        /* the profile's name ("al-ama") */
    char profile_before[65]; /* its SHA-256 at the previous release; "" unknown */
    char profile_now[65];
} vsp_release_area;

/* An ingest since the previous release updated cases of (area, period). */
typedef struct vsp_release_correction {
    char area[8];
    char period[32];
    char export_day[11]; /* YYYY-MM-DD of the export that did (the latest); "" unknown */
    long long cases;
} vsp_release_correction;

typedef struct vsp_release_evidence {
    const vsp_release_area *areas; /* one per regulator; borrowed */
    size_t n_areas;
    const vsp_release_correction *corrections; /* borrowed */
    size_t n_corrections;
    const char *version_before; /* vspreport version of the previous release; NULL/"" unknown */
    const char *version_now;
} vsp_release_evidence;

/* r->revisions := every figure whose value differs between before (the
 * previous release's figures.csv) and now: a key of a period that before
 * holds and only one side has counts too (old or new ""); a period that
 * before does not hold at all is first published, not revised.  Sorted by
 * period, area, category, measure.  The reason, most specific first, for
 * a regulator's figure: its as-of date moved (later_export, detail the new
 * as-of date); an ingest since corrected cases of that period
 * (corrected_cases, the export's date); its profile changed
 * (remapped_labels, the profile); vspreport's version changed
 * (methodology, the new version); else other.  The region's figure: the
 * first of these that holds for any regulator (the latest date, the
 * profiles named).  ev may be NULL (every reason "other").  Replaces what
 * r->revisions held.  Returns r->n_revisions. */
size_t vsp_release_compare(vsp_release *r, const vsp_release_figures *before,
                           const vsp_release_figures *now, const vsp_release_evidence *ev);

/* The header line of revisions.csv, with its newline. */
#define VSP_RELEASE_REVISIONS_HEADER \
    "release,period,area,category,measure,old,new,reason,detail\n"

/* r's revisions as revisions.csv rows (no header), one a line, in r's
 * order, each naming r's release id; text quoted as CSV where needed and
 * a leading = + - @ neutralised (an apostrophe first) unless the cell is
 * a number.  Appended to out. */
void vsp_release_revisions_csv(const vsp_release *r, vsp_buf *out);

/* The rows of revisions.csv text (VSP_RELEASE_REVISIONS_HEADER first)
 * whose release is id, into r->revisions (replacing them), sorted by key;
 * an apostrophe put before a leading = + - @ is taken off again.
 * VSP_EDATA naming name:line on another header or a row of another
 * width. */
vsp_status vsp_release_revisions_parse(const char *name, const char *data, size_t len,
                                       const char *id, vsp_release *r, vsp_error *err);

#endif
