/* draw.h — geometry to pixels or vectors: paints a laid-out scene onto any
 * cairo_t, with Pango for text.
 *
 * Text goes through one process-wide engine: one Pango font map, one
 * context per language and the font descriptions (Noto Sans, falling back
 * to DejaVu Sans), created on first use and kept until vsp_draw_cleanup,
 * with every measured or drawn text's layout cached.  Metrics are
 * unhinted, so a chart lays out identically in PNG, SVG and PDF.
 *
 * On an image surface, polygon outlines are rasterised by draw.c itself
 * (see draw.c); other targets get cairo's strokes.
 * Every layout carries its language (pango_language_from_string with the
 * chart's language: "sr" and "mk" shape Cyrillic their own way).
 * Not thread-safe: one thread draws. */
#ifndef VSP_DRAW_H
#define VSP_DRAW_H

#include <cairo.h>
#include <stdint.h>

#include "charts/layout.h"
#include "pipeline/error.h"

/* The measurer that matches vsp_draw_scene's text for lang (static; valid
 * until vsp_draw_cleanup).  Measurements are cached per process. */
const vsp_measurer *vsp_draw_measurer(const char *lang);

/* Paint scene s at cr's current origin, in cr's user units.  Returns
 * VSP_ESOFTWARE if cr ends in an error state. */
vsp_status vsp_draw_scene(cairo_t *cr, const vsp_scene *s, const char *lang, vsp_error *err);

/* Draw the chart into the box (x, y, w, h) of cr, in cr's user units, as
 * vectors (text stays text in PDF/SVG): layout, then vsp_draw_scene.
 * Saves and restores cr's state.  Returns VSP_ESOFTWARE with the cairo
 * status if cr ends in error. */
vsp_status vsp_chart_draw(cairo_t *cr, double x, double y, double w, double h,
                          const vsp_chart_spec *spec, const vsp_chart_data *d, vsp_error *err);

/* Note that every pixel of image surface img holds pixel (as cairo stores
 * it): vsp_draw_scene then leaves out a background that would write that
 * very pixel over all of img.  Drawing on img drops the note, so only a
 * surface drawn on through vsp_draw_scene alone may carry one (surface.c's
 * PNG canvas, cleared as it is encoded). */
void vsp_draw_canvas_uniform(cairo_surface_t *img, uint32_t pixel);

/* The lines of text primitive p as vsp_draw_scene breaks them (for
 * writers that emit text as text, e.g. SVG): each line's byte range in
 * the scene's string, its left edge x relative to p->x, its width, and
 * its baseline relative to p->y.  Fills at most max lines; returns the
 * number of lines. */
typedef struct vsp_text_line {
    size_t start, len; /* bytes of vsp_scene_str(s, p) */
    double x, width, baseline;
} vsp_text_line;
size_t vsp_draw_text_lines(const vsp_scene *s, const vsp_prim *p, const char *lang,
                           vsp_text_line *lines, size_t max);

/* The font family list the text engine uses (for SVG font-family). */
const char *vsp_draw_font_family(void);

/* Free the text engine (end of main, leak checks). */
void vsp_draw_cleanup(void);

#endif
