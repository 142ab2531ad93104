/* test_fonts.c — charts/fonts.h: the font map on vspreport's own fonts
 * offers only those families, picks the very files the system's setup
 * would pick for them, and has a glyph for every character of every
 * translation catalogue (the .po files and the template, so English
 * too), so no text the charts and reports
 * show falls back to a missing-glyph box. */
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

#include "charts/fonts.h"
#include "harness.h"
#include "pipeline/util.h"

/* and Pango's own generic names, which are aliases, not fonts */
static const char *const allowed[] = {"Noto Sans", "Noto Sans Mono", "DejaVu Sans",
                                      "DejaVu Sans Mono", "Sans", "Serif", "Monospace",
                                      "System-ui", NULL};

static bool is_allowed(const char *family)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(family, allowed[i]) == 0)
            return true;
    return false;
}

static void test_only_our_families(void)
{
    PangoFontMap *m = vsp_font_map_new();
    PangoFontFamily **fams = NULL;
    int n = 0;
    pango_font_map_list_families(m, &fams, &n);
    bool noto = false;
    CHECK(n >= 1);
    for (int i = 0; i < n; i++) {
        const char *name = pango_font_family_get_name(fams[i]);
        if (!is_allowed(name))
            fprintf(stderr, "unexpected family: %s\n", name);
        CHECK(is_allowed(name));
        noto = noto || strcmp(name, "Noto Sans") == 0;
    }
    CHECK(noto);
    g_free(fams);
    g_object_unref(m);
}

/* The file fontconfig's system setup (loaded here on its own, as a
 * program without vspreport's would) matches for name. */
static char *system_file(FcConfig *sys, const char *name)
{
    FcPattern *p = FcNameParse((const FcChar8 *)name);
    FcConfigSubstitute(sys, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult r;
    FcPattern *match = FcFontMatch(sys, p, &r);
    FcChar8 *file = NULL;
    char *out = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        out = vsp_xstrdup((const char *)file);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(p);
    return out;
}

/* The file behind the font Pango loads for desc on the map. */
static char *map_file(PangoFontMap *m, const char *desc)
{
    PangoContext *c = pango_font_map_create_context(m);
    pango_context_set_language(c, pango_language_from_string("sr"));
    PangoFontDescription *fd = pango_font_description_from_string(desc);
    PangoFont *f = pango_font_map_load_font(m, c, fd);
    char *out = NULL;
    FcChar8 *file = NULL;
    if (f && PANGO_IS_FC_FONT(f) &&
        FcPatternGetString(pango_fc_font_get_pattern(PANGO_FC_FONT(f)), FC_FILE, 0, &file) ==
            FcResultMatch)
        out = vsp_xstrdup((const char *)file);
    if (f)
        g_object_unref(f);
    pango_font_description_free(fd);
    g_object_unref(c);
    return out;
}

static void test_same_files_as_system(void)
{
    FcConfig *sys = FcInitLoadConfigAndFonts();
    PangoFontMap *m = vsp_font_map_new();
    static const struct {
        const char *fc, *pango;
    } cases[] = {
        {"Noto Sans:weight=80", "Noto Sans 20"},
        {"Noto Sans:weight=200", "Noto Sans Bold 20"},
        {"DejaVu Sans Mono:weight=80", "DejaVu Sans Mono 9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *want = system_file(sys, cases[i].fc), *got = map_file(m, cases[i].pango);
        CHECK(want != NULL);
        CHECK_STR(got, want);
        free(want);
        free(got);
    }
    g_object_unref(m);
    FcConfigDestroy(sys);
}

/* Every line of every catalogue, laid out in the charts' family. */
static void test_catalogues_covered(void)
{
    const char *src = getenv("VSP_SOURCE_DIR");
    CHECK(src != NULL);
    if (!src)
        return;
    char *dir = vsp_xasprintf("%s/po", src);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    PangoFontMap *m = vsp_font_map_new();
    PangoContext *c = pango_font_map_create_context(m);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans, DejaVu Sans 12");
    int files = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        size_t ext = len > 3 && strcmp(e->d_name + len - 3, ".po") == 0    ? 3
                     : len > 4 && strcmp(e->d_name + len - 4, ".pot") == 0 ? 4
                                                                            : 0;
        if (!ext)
            continue;
        char *path = vsp_xasprintf("%s/%s", dir, e->d_name);
        gchar *text = NULL;
        gsize n = 0;
        CHECK(g_file_get_contents(path, &text, &n, NULL));
        if (text) {
            char *lang = vsp_xstrdup(e->d_name);
            lang[len - ext] = '\0'; /* "vspreport" for the template: no language */
            pango_context_set_language(c, pango_language_from_string(lang));
            free(lang);
            PangoLayout *l = pango_layout_new(c);
            pango_layout_set_font_description(l, fd);
            pango_layout_set_text(l, text, (int)n);
            int unknown = pango_layout_get_unknown_glyphs_count(l);
            if (unknown)
                fprintf(stderr, "%s: %d characters without a glyph\n", path, unknown);
            CHECK_INT(unknown, 0);
            g_object_unref(l);
            files++;
        }
        g_free(text);
        free(path);
    }
    CHECK(files >= 7);
    if (d)
        closedir(d);
    pango_font_description_free(fd);
    g_object_unref(c);
    g_object_unref(m);
    free(dir);
}

int main(void)
{
    unsetenv("FONTCONFIG_FILE"); /* which would make it the system's setup */
    RUN(test_only_our_families);
    RUN(test_same_files_as_system);
    RUN(test_catalogues_covered);
    vsp_fonts_cleanup();
    return harness_done();
}
