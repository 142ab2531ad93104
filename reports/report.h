/* report.h — the quarterly transparency report as a PDF: per regulator
 * (country "AL".."XK") or the regional edition ("region"), in any of the
 * seven languages.
 *
 * Content (issue 6, DESIGN §5 and §6): cover; contents; key figures with
 * the change against the previous period; funnel, categories, platform
 * outcomes, timeliness and trend, each a chart (drawn as vectors by
 * charts/chart.h) with its data as a table; audiovisual piracy; for the
 * region also countries per 100 000 inhabitants with the map, the
 * country x category heat map and cross-border items; data quality;
 * methodology and definitions; glossary; colophon with the vspreport
 * version and the SHA-256 of every input file.
 *
 * Every figure is read through pipeline/metrics.h (what `vspreport
 * aggregate` stored, the numbers `vspreport stats` prints); the report
 * computes only presentation values (changes against the previous period).
 * Every string comes from the catalogues (context "report" and the shared
 * contexts of pipeline/i18n.h). */
#ifndef VSP_REPORT_H
#define VSP_REPORT_H

#include <cairo.h>

#include "pipeline/error.h"
#include "pipeline/release.h"
#include "pipeline/store.h"
#include "reports/document.h"

typedef struct vsp_report_opts {
    const char *country;  /* "AL" "BA" "ME" "MK" "RS" "XK" or "region" */
    const char *period;   /* a period label that has been aggregated */
    const char *lang;     /* en sq sr sr-Latn mk bs cnr */
    vsp_paper paper;
    const char *logo_png; /* optional PNG for the cover, NULL for none */
    const char *foreword; /* optional foreword (pipeline/foreword.h Markdown), NULL for none:
                           * set as the first section, before the key figures */
    const vsp_release *release; /* the release this report belongs to (borrowed), NULL when
                                 * made outside a release: then nothing is said of releases
                                 * and no figure is marked revised */
} vsp_report_opts;

typedef struct vsp_report_result {
    int pages;
    size_t bytes;
    int figures, tables;
} vsp_report_result;

/* Render the report into path (written atomically).  db is borrowed.
 * VSP_EDATA if the period was not aggregated, VSP_EUSAGE for a bad
 * country or language, VSP_ENOINPUT for a missing logo, VSP_EDATA for a
 * logo that is no PNG or too large (vsp_report_logo_load), VSP_EDATA
 * with file:line for a foreword outside its Markdown subset.  out may be
 * NULL. */
vsp_status vsp_report_render(vsp_store *store, const vsp_report_opts *opts, const char *path,
                             vsp_report_result *out, vsp_error *err);

/* The cover logo: a PNG file of at most VSP_LOGO_MAX_BYTES and
 * VSP_LOGO_MAX_PX x VSP_LOGO_MAX_PX pixels, checked from its header before
 * it is decoded.  VSP_ENOINPUT if it cannot be opened, VSP_EDATA with what
 * is wrong (another image type, too large, damaged).  On success *out is
 * a new image surface the caller destroys. */
#define VSP_LOGO_MAX_PX 4096
#define VSP_LOGO_MAX_BYTES (8 * 1024 * 1024)
vsp_status vsp_report_logo_load(const char *path, cairo_surface_t **out, vsp_error *err);

/* The BCP 47 tag written as the PDF's /Lang: "en" "sq" "sr-Cyrl"
 * "sr-Latn" "mk" "bs" "cnr". */
const char *vsp_report_pdf_lang(const char *lang);

#endif
