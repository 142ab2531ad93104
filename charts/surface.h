/* surface.h — the only module that knows file formats: renders a chart to
 * PNG, SVG or PDF, and writes the data behind it as CSV.
 *
 * Sizes are in CSS pixels (1/96 inch): a slide is 1920x1080.  PNG has
 * width*dpi/96 x height*dpi/96 pixels; SVG is width x height px; PDF is
 * the same physical size in points (x 0.75).  Every file is written to a
 * temporary name in the target folder and renamed into place, so a failed
 * run never leaves a half-written file under the final name.  With
 * SOURCE_DATE_EPOCH set, PDF dates are pinned and output is reproducible.
 *
 * PNG is encoded here rather than by cairo, whose encoder takes most of a
 * chart's time (a purpose-built deflate: see surface.c). */
#ifndef VSP_SURFACE_H
#define VSP_SURFACE_H

#include <stdbool.h>

#include "charts/chart.h"
#include "pipeline/error.h"

typedef enum vsp_format { VSP_FORMAT_PNG, VSP_FORMAT_SVG, VSP_FORMAT_PDF } vsp_format;

/* "png" "svg" "pdf" (case-insensitive), and back. */
bool vsp_format_from_name(const char *name, vsp_format *f);
const char *vsp_format_ext(vsp_format f);

typedef struct vsp_render_opts {
    double width, height; /* CSS px; 1920 x 1080 for a slide */
    double dpi;           /* PNG only; 96 gives width x height pixels */
} vsp_render_opts;

/* Slide (1920x1080), "a4" (landscape, 1123x794 px = 297x210 mm) or
 * "WxH" in px.  False if text is none of them. */
bool vsp_render_size_parse(const char *text, double *w, double *h);

/* Render chart d per spec into path in format f. */
vsp_status vsp_chart_render(const vsp_chart_spec *spec, const vsp_chart_data *d, vsp_format f,
                            const vsp_render_opts *opts, const char *path, vsp_error *err);

/* The SVG document vsp_chart_render writes, into memory: a w x h px box
 * (0 for the slide's 1920 x 1080), NUL-terminated in *out (length *len),
 * which the caller frees with free().  For pages that inline their charts
 * (reports/site.c); ids inside are "clip1", "clip2"... and need a prefix
 * when several charts share a page. */
vsp_status vsp_chart_svg(const vsp_chart_spec *spec, const vsp_chart_data *d, double w, double h,
                         char **out, size_t *len, vsp_error *err);

/* path with its extension replaced by ".csv" (caller frees). */
char *vsp_chart_csv_path(const char *path);

/* Write a PNG of an RGB24/ARGB32 cairo image surface (a cairo_surface_t;
 * alpha dropped: the charts are opaque), atomically, recording dpi. */
vsp_status vsp_png_write(void *cairo_image_surface, double dpi, const char *path,
                         vsp_error *err);

/* Free the buffers kept between PNG charts (end of a command). */
void vsp_surface_cleanup(void);

#endif
