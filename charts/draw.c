/* draw.c — the scene painter and the Pango text engine behind it, and
 * vsp_chart_draw, which joins layout and drawing for any cairo_t. */
#include "charts/draw.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/i18n.h"
#include "pipeline/util.h"

#define FONT_FAMILY "Noto Sans, DejaVu Sans, sans-serif"

/* ---- the text engine ------------------------------------------------ */

/* Cache of measured text, keyed by (lang, text, size, bold, wrap). */
typedef struct mcache_entry {
    char *key;
    double w, h;
} mcache_entry;

#define MCACHE_SIZE 4096 /* open addressing; cleared when full */

typedef struct engine {
    PangoFontMap *fontmap;
    PangoContext *context;
    PangoFontDescription *regular, *bold;
    PangoAttrList *lang_attrs[VSP_I18N_N_LANGS];
    const char *lang; /* current language of the context */
    vsp_measurer measurers[VSP_I18N_N_LANGS];
    const char *measurer_lang[VSP_I18N_N_LANGS];
    mcache_entry cache[MCACHE_SIZE];
    size_t cached;
} engine;

static engine *eng;

static int lang_slot(const char *lang)
{
    for (int i = 0; vsp_i18n_langs[i]; i++)
        if (lang && vsp_ascii_iequal(lang, vsp_i18n_langs[i]))
            return i;
    return 0;
}

static engine *engine_get(void)
{
    if (eng)
        return eng;
    eng = vsp_xcalloc(1, sizeof *eng);
    eng->fontmap = pango_cairo_font_map_new();
    eng->context = pango_font_map_create_context(eng->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(eng->context, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(eng->context, FALSE);
    eng->regular = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_weight(eng->regular, PANGO_WEIGHT_NORMAL);
    eng->bold = pango_font_description_copy(eng->regular);
    pango_font_description_set_weight(eng->bold, PANGO_WEIGHT_BOLD);
    for (int i = 0; i < VSP_I18N_N_LANGS; i++) {
        eng->lang_attrs[i] = pango_attr_list_new();
        pango_attr_list_insert(
            eng->lang_attrs[i],
            pango_attr_language_new(pango_language_from_string(vsp_i18n_pango_lang(vsp_i18n_langs[i]))));
    }
    return eng;
}

static void engine_set_lang(engine *e, const char *lang)
{
    int slot = lang_slot(lang);
    const char *canon = vsp_i18n_langs[slot];
    if (e->lang != canon) {
        pango_context_set_language(e->context,
                                   pango_language_from_string(vsp_i18n_pango_lang(canon)));
        e->lang = canon;
    }
}

/* A layout for text: the language, font and size set; wrap > 0 wraps. */
static PangoLayout *make_layout(engine *e, const char *text, double size, bool bold, double wrap,
                                vsp_align align)
{
    PangoLayout *l = pango_layout_new(e->context);
    pango_layout_set_attributes(l, e->lang_attrs[lang_slot(e->lang)]);
    PangoFontDescription *fd = bold ? e->bold : e->regular;
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    if (wrap > 0) {
        pango_layout_set_width(l, (int)ceil(wrap * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
        pango_layout_set_alignment(l, align == VSP_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                      : align == VSP_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_LEFT);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 ^ (unsigned char)*s;
    return h;
}

static void measure_cb(void *ctx, const char *text, double size, bool bold, double wrap,
                       double *w, double *h)
{
    engine *e = engine_get();
    const char *lang = ctx;
    char small[512];
    int n = snprintf(small, sizeof small, "%s|%.3f|%d|%.3f|%s", lang, size, bold, wrap, text);
    char *key = n >= 0 && (size_t)n < sizeof small ? small
                                                   : vsp_xasprintf("%s|%.3f|%d|%.3f|%s", lang,
                                                                   size, bold, wrap, text);
    size_t slot = hash_str(key) % MCACHE_SIZE;
    for (size_t probe = 0; probe < MCACHE_SIZE; probe++) {
        mcache_entry *ce = &e->cache[(slot + probe) % MCACHE_SIZE];
        if (!ce->key)
            break;
        if (strcmp(ce->key, key) == 0) {
            *w = ce->w;
            *h = ce->h;
            if (key != small)
                free(key);
            return;
        }
    }
    engine_set_lang(e, lang);
    PangoLayout *l = make_layout(e, text, size, bold, wrap, VSP_ALIGN_LEFT);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
    g_object_unref(l);
    if (e->cached > MCACHE_SIZE * 3 / 4) { /* full enough: start again */
        for (size_t i = 0; i < MCACHE_SIZE; i++) {
            free(e->cache[i].key);
            e->cache[i].key = NULL;
        }
        e->cached = 0;
    }
    for (size_t probe = 0; probe < MCACHE_SIZE; probe++) {
        mcache_entry *ce = &e->cache[(slot + probe) % MCACHE_SIZE];
        if (!ce->key) {
            ce->key = key == small ? vsp_xstrdup(small) : key;
            key = NULL;
            ce->w = *w;
            ce->h = *h;
            e->cached++;
            break;
        }
    }
    if (key && key != small)
        free(key);
}

const vsp_measurer *vsp_draw_measurer(const char *lang)
{
    engine *e = engine_get();
    int slot = lang_slot(lang);
    vsp_measurer *m = &e->measurers[slot];
    m->ctx = (void *)(uintptr_t)vsp_i18n_langs[slot];
    m->measure = measure_cb;
    return m;
}

void vsp_draw_cleanup(void)
{
    if (!eng)
        return;
    for (size_t i = 0; i < MCACHE_SIZE; i++)
        free(eng->cache[i].key);
    for (int i = 0; i < VSP_I18N_N_LANGS; i++)
        pango_attr_list_unref(eng->lang_attrs[i]);
    pango_font_description_free(eng->regular);
    pango_font_description_free(eng->bold);
    g_object_unref(eng->context);
    g_object_unref(eng->fontmap);
    free(eng);
    eng = NULL;
}

/* ---- painting ------------------------------------------------------ */

static void set_color(cairo_t *cr, vsp_color c)
{
    cairo_set_source_rgba(cr, ((c >> 24) & 0xFF) / 255.0, ((c >> 16) & 0xFF) / 255.0,
                          ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

static bool visible(vsp_color c)
{
    return (c & 0xFF) != 0;
}

static void draw_text(cairo_t *cr, engine *e, const vsp_scene *s, const vsp_prim *p)
{
    const char *text = vsp_scene_str(s, p);
    /* wrapped text: the measured width (plus a hair) keeps pango's line
     * breaks and aligns lines within the box */
    PangoLayout *l = make_layout(e, text, p->size, p->bold, p->wrap > 0 ? p->w + 0.5 : 0,
                                 p->align);
    pango_cairo_update_layout(cr, l);
    cairo_move_to(cr, p->x, p->y);
    if (visible(p->halo)) {
        pango_cairo_layout_path(cr, l);
        set_color(cr, p->halo);
        cairo_set_line_width(cr, fmax(2.0, p->size * 0.18));
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, p->x, p->y);
    }
    set_color(cr, p->fill);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

vsp_status vsp_draw_scene(cairo_t *cr, const vsp_scene *s, const char *lang, vsp_error *err)
{
    engine *e = engine_get();
    engine_set_lang(e, lang);
    pango_cairo_update_context(cr, e->context);
    cairo_save(cr);
    if (visible(s->background)) {
        /* SOURCE: a plain copy, no blending with what was there (the PNG
         * canvas is reused from the chart before) */
        cairo_save(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        set_color(cr, s->background);
        cairo_rectangle(cr, 0, 0, s->w, s->h);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    bool clipped = false;
    for (size_t i = 0; i < s->n; i++) {
        const vsp_prim *p = &s->prims[i];
        switch (p->kind) {
        case VSP_PRIM_RECT:
            cairo_rectangle(cr, p->x, p->y, p->w, p->h);
            if (visible(p->fill)) {
                set_color(cr, p->fill);
                if (visible(p->stroke))
                    cairo_fill_preserve(cr);
                else
                    cairo_fill(cr);
            }
            if (visible(p->stroke)) {
                set_color(cr, p->stroke);
                cairo_set_line_width(cr, p->stroke_w > 0 ? p->stroke_w : 1);
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
            break;
        case VSP_PRIM_LINE:
            cairo_move_to(cr, p->x, p->y);
            cairo_line_to(cr, p->x2, p->y2);
            set_color(cr, p->stroke);
            cairo_set_line_width(cr, p->stroke_w);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_stroke(cr);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
            break;
        case VSP_PRIM_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, p->x, p->y, p->w, 0, 2 * 3.14159265358979323846);
            set_color(cr, p->fill);
            if (visible(p->stroke)) {
                cairo_fill_preserve(cr);
                set_color(cr, p->stroke);
                cairo_set_line_width(cr, fmax(1.0, p->w * 0.35));
                cairo_stroke(cr);
            } else {
                cairo_fill(cr);
            }
            break;
        case VSP_PRIM_POLY: {
            bool start = true;
            for (size_t k = 0; k < p->npt; k++) {
                double x = s->pts[2 * (p->pt0 + k)], y = s->pts[2 * (p->pt0 + k) + 1];
                if (isnan(x)) {
                    cairo_close_path(cr);
                    start = true;
                    continue;
                }
                if (start)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
                start = false;
            }
            cairo_close_path(cr);
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
            set_color(cr, p->fill);
            cairo_fill_preserve(cr);
            if (visible(p->stroke)) {
                set_color(cr, p->stroke);
                cairo_set_line_width(cr, p->stroke_w);
                cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
            break;
        }
        case VSP_PRIM_TEXT:
            draw_text(cr, e, s, p);
            break;
        case VSP_PRIM_CLIP:
            if (clipped) {
                cairo_restore(cr);
                clipped = false;
            }
            if (p->w >= 0) {
                cairo_save(cr);
                cairo_rectangle(cr, p->x, p->y, p->w, p->h);
                cairo_clip(cr);
                clipped = true;
            }
            break;
        }
    }
    if (clipped)
        cairo_restore(cr);
    cairo_restore(cr);
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return vsp_error_set(err, VSP_ESOFTWARE, "drawing failed: %s",
                             cairo_status_to_string(cs));
    return VSP_OK;
}

const char *vsp_draw_font_family(void)
{
    return FONT_FAMILY;
}

size_t vsp_draw_text_lines(const vsp_scene *s, const vsp_prim *p, const char *lang,
                           vsp_text_line *lines, size_t max)
{
    engine *e = engine_get();
    engine_set_lang(e, lang);
    const char *text = vsp_scene_str(s, p);
    PangoLayout *l = make_layout(e, text, p->size, p->bold, p->wrap > 0 ? p->w + 0.5 : 0,
                                 p->align);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    size_t n = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        if (n < max && line->length > 0) {
            lines[n].start = (size_t)line->start_index;
            lines[n].len = (size_t)line->length;
            lines[n].x = (double)logical.x / PANGO_SCALE;
            lines[n].width = (double)logical.width / PANGO_SCALE;
            lines[n].baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            n++;
        }
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    return n;
}

vsp_status vsp_chart_draw(cairo_t *cr, double x, double y, double w, double h,
                          const vsp_chart_spec *spec, const vsp_chart_data *d, vsp_error *err)
{
    vsp_status st = VSP_ESOFTWARE;
    vsp_scene scene;
    vsp_scene_init(&scene, w, h);
    const char *lang = vsp_i18n_lang_canon(spec->lang) ? vsp_i18n_lang_canon(spec->lang) : "en";
    if (vsp_layout_chart(spec, d, vsp_draw_measurer(lang), &scene, err) != VSP_OK)
        goto out;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_clip(cr);
    st = vsp_draw_scene(cr, &scene, lang, err);
    cairo_restore(cr);
out:
    vsp_scene_fini(&scene);
    return st;
}
