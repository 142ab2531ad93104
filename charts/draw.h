/* draw.h — geometry to pixels or vectors: paints a laid-out scene onto any
 * cairo_t, with Pango for text.
 *
 * Text goes through one process-wide engine: one Pango font map, one
 * context and the font descriptions (Noto Sans, falling back to DejaVu
 * Sans), created on first use and kept until vsp_draw_cleanup.  Metrics
 * are unhinted, so a chart lays out identically in PNG, SVG and PDF.
 * Every layout carries its language (pango_language_from_string with the
 * chart's language: "sr" and "mk" shape Cyrillic their own way).
 * Not thread-safe: one thread draws. */
#ifndef VSP_DRAW_H
#define VSP_DRAW_H

#include <cairo.h>

#include "charts/layout.h"
#include "pipeline/error.h"

/* The measurer that matches vsp_draw_scene's text for lang (static; valid
 * until vsp_draw_cleanup).  Measurements are cached per process. */
const vsp_measurer *vsp_draw_measurer(const char *lang);

/* Paint scene s at cr's current origin, in cr's user units.  Returns
 * VSP_ESOFTWARE if cr ends in an error state. */
vsp_status vsp_draw_scene(cairo_t *cr, const vsp_scene *s, const char *lang, vsp_error *err);

/* Free the text engine (end of main, leak checks). */
void vsp_draw_cleanup(void);

#endif
