/* fonts.c — a fontconfig setup of only the families vspreport sets text
 * in (fonts.h). */
#include "charts/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* The folders Debian's /etc/fonts/fonts.conf scans and the caches
 * fc-cache writes for them (the same caches, so nothing is scanned
 * again), and of all the fonts there, the families named in
 * charts/draw.c and reports/document.c.  Accepting wins over rejecting;
 * every font is either scalable or not, so the two reject patterns
 * between them reject the rest.  No rules: the families are asked for by
 * name, and the font options (hinting, antialiasing) are set on each
 * Pango context, so none of the system's rules applied to them. */
static const char config_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
    "<fontconfig>\n"
    "  <dir>/usr/share/fonts</dir>\n"
    "  <dir>/usr/local/share/fonts</dir>\n"
    "  <dir prefix=\"xdg\">fonts</dir>\n"
    "  <cachedir>/var/cache/fontconfig</cachedir>\n"
    "  <cachedir prefix=\"xdg\">fontconfig</cachedir>\n"
    "  <selectfont>\n"
    "    <acceptfont>\n"
    "      <pattern><patelt name=\"family\"><string>Noto Sans</string></patelt></pattern>\n"
    "      <pattern><patelt name=\"family\"><string>Noto Sans Mono</string></patelt></pattern>\n"
    "      <pattern><patelt name=\"family\"><string>DejaVu Sans</string></patelt></pattern>\n"
    "      <pattern><patelt name=\"family\"><string>DejaVu Sans Mono</string></patelt></pattern>\n"
    "    </acceptfont>\n"
    "    <rejectfont>\n"
    "      <pattern><patelt name=\"scalable\"><bool>true</bool></patelt></pattern>\n"
    "      <pattern><patelt name=\"scalable\"><bool>false</bool></patelt></pattern>\n"
    "    </rejectfont>\n"
    "  </selectfont>\n"
    "</fontconfig>\n";

static struct {
    pthread_mutex_t lock;
    bool tried;
    FcConfig *config; /* NULL: the system's setup */
} fonts = {PTHREAD_MUTEX_INITIALIZER, false, NULL};

static bool has_family(FcConfig *c, const char *family)
{
    FcPattern *p = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, (const FcChar8 *)family,
                                  (char *)NULL);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = p && os ? FcFontList(c, p, os) : NULL;
    bool found = fs && fs->nfont > 0;
    if (fs)
        FcFontSetDestroy(fs);
    if (os)
        FcObjectSetDestroy(os);
    if (p)
        FcPatternDestroy(p);
    return found;
}

/* The private setup, made on first use; NULL to use the system's. */
static FcConfig *config_get(void)
{
    pthread_mutex_lock(&fonts.lock);
    if (!fonts.tried) {
        fonts.tried = true;
        const char *file = getenv("FONTCONFIG_FILE");
        FcConfig *c = file && *file ? NULL : FcConfigCreate();
        if (c && (!FcConfigParseAndLoadFromMemory(c, (const FcChar8 *)config_xml, FcFalse) ||
                  !FcConfigBuildFonts(c) || !has_family(c, "Noto Sans"))) {
            FcConfigDestroy(c);
            c = NULL;
        }
        /* made the process's current setup, which every Pango font map
         * uses (none is given a setup of its own: Pango 1.50 never lets go
         * of one, so FcFini could not free it), before the first font map
         * starts Pango's thread that loads the current setup (FcInit) and
         * would otherwise load the system's, 15 ms of CPU, for nothing */
        if (c && !FcConfigSetCurrent(c)) {
            FcConfigDestroy(c);
            c = NULL;
        }
        fonts.config = c;
    }
    FcConfig *c = fonts.config;
    pthread_mutex_unlock(&fonts.lock);
    return c;
}

PangoFontMap *vsp_font_map_new(void)
{
    config_get(); /* before Pango's FcInit */
    return pango_cairo_font_map_new();
}

void vsp_fonts_cleanup(void)
{
    pthread_mutex_lock(&fonts.lock);
    if (fonts.config)
        FcConfigDestroy(fonts.config);
    fonts.config = NULL;
    fonts.tried = false;
    pthread_mutex_unlock(&fonts.lock);
}
