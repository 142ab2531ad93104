/* layout.h — data to geometry, without cairo.
 *
 * A chart is laid out into a scene: a flat list of primitives (rectangles,
 * lines, polygons, circles, text boxes) in the box's own units, which
 * charts/draw.c paints onto any cairo_t.  Everything that decides where
 * things go lives here and can be tested with a fake text measurer: nice
 * tick steps, linear scales, colour classes, label fitting, the map
 * projection, and one layout function per chart.
 *
 * Sizes are in "units": a 1920x1080 slide is 1920x1080 units at type
 * scale 1 (title 48, labels 24).  Colours are 0xRRGGBBAA. */
#ifndef VSP_LAYOUT_H
#define VSP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "charts/chart.h"
#include "pipeline/util.h"

/* ---- colours ------------------------------------------------------- */

typedef uint32_t vsp_color; /* 0xRRGGBBAA; alpha 0 = nothing drawn */

#define VSP_NONE 0x00000000u
#define VSP_WHITE 0xFFFFFFFFu
#define VSP_INK 0x1A1A1AFFu       /* titles, value labels */
#define VSP_INK_SOFT 0x4D4D4DFFu  /* subtitles, axis labels */
#define VSP_INK_FAINT 0x6B6B6BFFu /* footer */
#define VSP_GRID 0xDDDDDDFFu
#define VSP_NEIGHBOUR 0xE3E3E3FFu /* map context countries */

/* Okabe & Ito (2008), colour-universal design; their greys differ too. */
#define VSP_OI_ORANGE 0xE69F00FFu
#define VSP_OI_SKY 0x56B4E9FFu
#define VSP_OI_GREEN 0x009E73FFu
#define VSP_OI_YELLOW 0xF0E442FFu
#define VSP_OI_BLUE 0x0072B2FFu
#define VSP_OI_VERMILLION 0xD55E00FFu
#define VSP_OI_PURPLE 0xCC79A7FFu
#define VSP_OI_BLACK 0x000000FFu

/* Series colours, light to dark so the funnel order survives greyscale:
 * received sky blue, forwarded vermillion, actioned blue. */
vsp_color vsp_color_series(const char *metric);
/* Outcome colours (actioned outcomes cool, declined warm, pending grey). */
vsp_color vsp_color_outcome(const char *code);
/* Relative luminance 0..1 (sRGB, WCAG). */
double vsp_color_luminance(vsp_color c);
/* Black or white ink, whichever contrasts more with bg. */
vsp_color vsp_color_ink_on(vsp_color bg);
/* Sequential single-hue ramp (light to dark blue), class k of n (n<=7). */
vsp_color vsp_color_ramp(int k, int n);

/* ---- ticks, scales, classes ---------------------------------------- */

/* A 1-2-5 step that splits span into at most max_ticks intervals. */
double vsp_nice_step(double span, int max_ticks);

typedef struct vsp_ticks {
    double lo, hi, step; /* lo and hi are multiples of step */
    int n;               /* number of ticks: (hi - lo) / step + 1 */
} vsp_ticks;

/* Ticks covering [lo, hi] with at most max_ticks intervals; lo, hi
 * expanded to multiples of the step.  An empty or zero range gives 0..1. */
void vsp_ticks_nice(double lo, double hi, int max_ticks, vsp_ticks *t);

typedef struct vsp_scale {
    double d0, d1; /* domain */
    double r0, r1; /* range */
} vsp_scale;

double vsp_scale_map(const vsp_scale *s, double v);

/* Classes for a choropleth: n classes with breaks[0] < ... < breaks[n],
 * nice (1-2-5) equal steps from 0 covering every value. */
#define VSP_CLASSES_MAX 7
typedef struct vsp_classes {
    int n;
    double breaks[VSP_CLASSES_MAX + 1];
} vsp_classes;

void vsp_classes_nice(const double *values, size_t n, int max_classes, vsp_classes *c);
/* Class of v (0..n-1), -1 for NaN. Values on a break go to the upper class
 * except the maximum, which stays in the last. */
int vsp_classes_index(const vsp_classes *c, double v);

/* ---- projection ---------------------------------------------------- */

/* Lambert azimuthal equal-area, centred on (lon0, lat0) degrees; x east,
 * y north, on the unit sphere. */
void vsp_project_laea(double lon0, double lat0, double lon, double lat, double *x, double *y);

/* ---- text measuring and fitting ------------------------------------ */

typedef struct vsp_measurer {
    void *ctx;
    /* Size of text at font size `size` (units), bold or not; wrap > 0
     * wraps at that width (word boundaries).  Writes width and height. */
    void (*measure)(void *ctx, const char *text, double size, bool bold, double wrap,
                    double *w, double *h);
} vsp_measurer;

/* Fit text into at most max_lines lines of width max_w: wrapped if it
 * needs to be.  Text is never shortened: when max_lines lines are not
 * enough it takes as many lines as its words need (and a word wider than
 * max_w keeps its width).  Returns a new string (caller frees) and its
 * measured box; *wrapped says whether it needs wrap=max_w. */
char *vsp_fit_text(const vsp_measurer *m, const char *text, double size, bool bold,
                   double max_w, int max_lines, double *w, double *h, bool *wrapped);

/* Lines text takes wrapped at max_w (1 if it fits on one); 1000 when a
 * word is wider than max_w.  *w (may be NULL) gets the widest line. */
int vsp_text_lines_needed(const vsp_measurer *m, const char *text, double size, bool bold,
                          double max_w, double *w);

/* ---- scene --------------------------------------------------------- */

typedef enum vsp_prim_kind {
    VSP_PRIM_RECT,   /* x y w h */
    VSP_PRIM_LINE,   /* x y -> x2 y2 */
    VSP_PRIM_POLY,   /* points pt0.. pt0+npt-1; a NaN point starts a new ring */
    VSP_PRIM_CIRCLE, /* centre x y, radius w */
    VSP_PRIM_TEXT,   /* box x y w h (top-left, measured) */
    VSP_PRIM_CLIP    /* clip to x y w h until the next CLIP; w < 0 ends clipping */
} vsp_prim_kind;

typedef enum vsp_align { VSP_ALIGN_LEFT, VSP_ALIGN_CENTER, VSP_ALIGN_RIGHT } vsp_align;

/* What a text is, so tests can check that labels never overlap. */
typedef enum vsp_role {
    VSP_ROLE_NONE,
    VSP_ROLE_TITLE,
    VSP_ROLE_SUBTITLE,
    VSP_ROLE_FOOTER,
    VSP_ROLE_AXIS,   /* tick labels, axis titles */
    VSP_ROLE_LABEL,  /* category / country names */
    VSP_ROLE_VALUE,  /* numbers on bars and cells */
    VSP_ROLE_LEGEND
} vsp_role;

typedef struct vsp_prim {
    vsp_prim_kind kind;
    vsp_role role;
    vsp_color fill, stroke;
    double stroke_w;
    bool dashed;
    double x, y, w, h, x2, y2;
    size_t pt0, npt;  /* POLY */
    size_t text;      /* TEXT: offset in the scene's text pool */
    double size;      /* TEXT: font size in units */
    bool bold;
    vsp_align align;  /* within the box, for wrapped text */
    double wrap;      /* > 0: wrap at this width */
    vsp_color halo;   /* TEXT: outline colour for legibility on fills */
} vsp_prim;

typedef struct vsp_scene {
    double w, h;
    vsp_color background;
    vsp_prim *prims;
    size_t n, cap;
    double *pts; /* x, y pairs */
    size_t npts, ptcap;
    vsp_buf text;
} vsp_scene;

void vsp_scene_init(vsp_scene *s, double w, double h);
void vsp_scene_fini(vsp_scene *s);
vsp_prim *vsp_scene_rect(vsp_scene *s, double x, double y, double w, double h, vsp_color fill);
vsp_prim *vsp_scene_line(vsp_scene *s, double x, double y, double x2, double y2, vsp_color c,
                         double width);
vsp_prim *vsp_scene_circle(vsp_scene *s, double x, double y, double r, vsp_color fill);
/* Start a polygon; add points with vsp_scene_point, rings split by
 * vsp_scene_ring_break. */
vsp_prim *vsp_scene_poly(vsp_scene *s, vsp_color fill, vsp_color stroke, double stroke_w);
void vsp_scene_point(vsp_scene *s, double x, double y);
void vsp_scene_ring_break(vsp_scene *s);
/* A text box whose top-left is (x, y), measured size w x h. */
vsp_prim *vsp_scene_text(vsp_scene *s, vsp_role role, const char *text, double x, double y,
                         double w, double h, double size, bool bold, vsp_color color);
const char *vsp_scene_str(const vsp_scene *s, const vsp_prim *p);
/* Clip what follows to a rectangle; vsp_scene_unclip ends it. */
void vsp_scene_clip(vsp_scene *s, double x, double y, double w, double h);
void vsp_scene_unclip(vsp_scene *s);
/* Pointers returned by the adders are valid only until the next add. */

/* ---- charts -------------------------------------------------------- */

/* Lay chart d out into a w x h box (units) per spec.  Fills out, which the
 * caller has initialised with vsp_scene_init(out, w, h).  A chart whose
 * data are empty shows a "No data for this period" notice. */
vsp_status vsp_layout_chart(const vsp_chart_spec *spec, const vsp_chart_data *d,
                            const vsp_measurer *m, vsp_scene *out, vsp_error *err);

/* The name, in lang, of a row key of a chart table (table names as in
 * vsp_chart_table: "category" -> category name, "country" -> country,
 * "period" -> "Q3 2026", "pair" -> "Albania – Kosovo", "stage", "share").
 * Returns a catalogue string or buf. */
const char *vsp_chart_key_label(const char *lang, const char *table, const char *key, char *buf,
                                size_t size);
/* The short form of a pair key "BA-RS": "BA – RS" (no-break spaces), into
 * buf; used where the names do not fit, with a key naming the codes. */
const char *vsp_chart_pair_codes(const char *key, char *buf, size_t size);

#endif
