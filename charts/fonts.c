/* fonts.c — a fontconfig setup of only the families vspreport sets text
 * in (fonts.h). */
#include "charts/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

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
    pthread_cond_t finalised; /* broadcast when a font map of ours is finalised */
    bool tried;
    FcConfig *config; /* NULL: the system's setup */
    size_t live;      /* font maps made here and not yet finalised */
} fonts = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, NULL, 0};

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

/* Called from GObject's own finalize, the last step of the font map's
 * finalisation (after Pango's has released its fonts), on whichever
 * thread dropped the last reference. */
static void font_map_finalised(gpointer data)
{
    (void)data;
    pthread_mutex_lock(&fonts.lock);
    fonts.live--;
    pthread_cond_broadcast(&fonts.finalised);
    pthread_mutex_unlock(&fonts.lock);
}

PangoFontMap *vsp_font_map_new(void)
{
    config_get(); /* before Pango's FcInit */
    PangoFontMap *m = pango_cairo_font_map_new();
    pthread_mutex_lock(&fonts.lock);
    fonts.live++;
    pthread_mutex_unlock(&fonts.lock);
    g_object_set_data_full(G_OBJECT(m), "vsp-fonts-live", &fonts, font_map_finalised);
    return m;
}

bool vsp_fonts_wait_released(int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&fonts.lock);
    int rc = 0;
    while (fonts.live > 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&fonts.finalised, &fonts.lock, &until);
    bool released = fonts.live == 0;
    pthread_mutex_unlock(&fonts.lock);
    return released;
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
