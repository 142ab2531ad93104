/* site.h — the web edition: the quarterly transparency report as a static,
 * self-contained, accessible site (DESIGN §6, issue 18).
 *
 *   DIR/index.html          a language chooser, each language in its own name
 *   DIR/<lang>/index.html   the regional edition, for en sq sr sr-Latn mk bs cnr
 *   DIR/<lang>/<cc>.html    each regulator (al ba me mk rs xk), in every language
 *
 * Each page: the key figures with the period and the data freeze, every
 * chart of the edition as inline SVG with a text alternative (role="img",
 * <title> named by aria-labelledby) followed by its data as a table, data
 * quality, methodology and definitions, and links to the downloads of the
 * edition (PDF report, workbook, chart files, research export) with their
 * format and size.  Downloads are looked for in the folder that holds DIR
 * (the public root of `vspreport run`: reports/ workbooks/ charts/
 * export/); only files that exist are linked, by relative links, so the
 * site works from file:// and from any static host.
 *
 * No script, no external resource (system font stack, inline CSS), one h1
 * per page, landmarks and a skip link, lang on every page and on every
 * piece of text in another language.  Every string comes from the
 * catalogues (context "site" and the report's); numbers are formatted per
 * language (pipeline/i18n.h).  Figures are read through pipeline/metrics.h;
 * charts are drawn by charts/ (vsp_chart_svg).  With SOURCE_DATE_EPOCH set
 * the site is byte-reproducible. */
#ifndef VSP_SITE_H
#define VSP_SITE_H

#include <stddef.h>
#include "pipeline/error.h"
#include "pipeline/release.h"
#include "pipeline/store.h"

typedef struct vsp_site_opts {
    const char *period;  /* a period label that has been aggregated */
    const char *out_dir; /* DIR: created if missing; its parent holds the downloads */
    const vsp_release *release; /* the release (borrowed), NULL when made outside a release:
                                 * no release line, no (R), no revisions section */
} vsp_site_opts;

typedef struct vsp_site_result {
    size_t pages;          /* HTML files written */
    size_t bytes;          /* their total size */
    size_t largest_bytes;  /* the largest page ... */
    char largest[64];      /* ... and its path under DIR */
    size_t downloads;      /* links to downloads written, over all pages */
} vsp_site_result;

/* Render the site into opts->out_dir; every page is written to a
 * temporary name and renamed into place.  store is borrowed.  VSP_EDATA if
 * the period was not aggregated, VSP_ECANTCREAT / VSP_EIO if a page cannot
 * be written.  out may be NULL. */
vsp_status vsp_site_render(vsp_store *store, const vsp_site_opts *opts, vsp_site_result *out,
                           vsp_error *err);

/* The BCP 47 tag of a CLI language for lang="": "sr" -> "sr-Cyrl". */
const char *vsp_site_lang_tag(const char *lang);

#endif
