/* fonts.h — the font map every chart and report draws text with.
 *
 * vspreport sets all of its text in two families: Noto Sans (charts,
 * reports) and DejaVu Sans / DejaVu Sans Mono (fallback, tables of
 * codes).  A font map on the system's fontconfig setup sorts every
 * installed font (hundreds on a desktop or a server with fonts-noto-core)
 * for each new size, weight and language, and loads all of the system's
 * rules at start-up: about 13 ms of a single `vspreport chart` (41 ms
 * in all) and 1 to 2 ms at the first text of each size in each language.
 * The first font map made here makes a setup of only the families above,
 * found in the usual font folders, the process's current fontconfig setup
 * (fontconfig is used for nothing else here): a single chart takes 28 ms,
 * and the glyphs drawn are the same ones.
 *
 * The system's setup is used as it is when FONTCONFIG_FILE is set (a
 * user who chose fonts keeps them), and when Noto Sans is not found in
 * the usual folders (text still renders, in what the system offers). */
#ifndef VSP_FONTS_H
#define VSP_FONTS_H

#include <pango/pango.h>
#include <stdbool.h>

/* A new PangoCairo font map on the fonts above (or the system's setup, as
 * said).  Caller unrefs with g_object_unref. */
PangoFontMap *vsp_font_map_new(void);

/* Waits (up to timeout_ms) until every font map made by vsp_font_map_new
 * has been finalised, and says whether they all are.  The caller's last
 * g_object_unref is not always the last reference: Pango 1.50 gives each
 * font map a fontconfig thread whose queued font match and sort jobs each
 * hold a reference to the map, so the map, and the cairo fonts it caches,
 * may be finalised a moment later on that thread.  Whoever resets cairo's
 * or fontconfig's static state (vsp_doc_cleanup) waits here first. */
bool vsp_fonts_wait_released(int timeout_ms);

/* Drops this module's hold on the setup; the process's current setup
 * stays until FcFini (vsp_doc_cleanup).  A later vsp_font_map_new makes
 * a new one. */
void vsp_fonts_cleanup(void);

#endif
