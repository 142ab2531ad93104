/* foreword.h — the regulator's own words: a foreword per period and
 * language in a small Markdown subset, set as the first section of the PDF
 * report, in the workbook's About sheet and on the web edition's page.
 *
 * The subset, one construct per line:
 *   # Heading, ## Heading, ### Heading   (levels 1-3)
 *   a paragraph: lines of text, ended by a blank line
 *   - item / * item   (a bulleted list), 1. item (a numbered list)
 *   inline: *emphasis* or _emphasis_, **strong**, [text](https://...)
 *           (http, https and mailto links only), \* \_ \[ \] \\ escapes
 * Anything else — raw HTML, code, block quotes, tables, images, deeper
 * headings, a link to another scheme, control characters, invalid UTF-8,
 * unclosed emphasis — is refused with file:line and what to write instead.
 * The text is input: every output escapes it (Pango markup, HTML, cells
 * that are always strings), so nothing in it can inject markup, PDF
 * operators or spreadsheet formulas.
 *
 * Ownership: vsp_foreword_load/_parse return a foreword the caller frees
 * with vsp_foreword_free; the strings of the render functions are new,
 * caller frees. */
#ifndef VSP_FOREWORD_H
#define VSP_FOREWORD_H

#include <stddef.h>

#include "pipeline/error.h"

#define VSP_FOREWORD_MAX_BYTES (64 * 1024)

typedef enum vsp_fw_kind {
    VSP_FW_HEADING, /* level 1..3 */
    VSP_FW_PARA,
    VSP_FW_ITEM     /* level 0: bulleted; n > 0: item n of a numbered list */
} vsp_fw_kind;

typedef struct vsp_fw_block {
    vsp_fw_kind kind;
    int level;
    int line;   /* where it starts in the file */
    char *text; /* inline Markdown, validated */
} vsp_fw_block;

typedef struct vsp_foreword {
    vsp_fw_block *blocks;
    size_t n;
} vsp_foreword;

/* Read and check path.  VSP_ENOINPUT if it cannot be read, VSP_EDATA with
 * "path:line: ..." for anything outside the subset. */
vsp_foreword *vsp_foreword_load(const char *path, vsp_error *err);
/* The same from memory; name is used in messages. */
vsp_foreword *vsp_foreword_parse(const char *text, size_t len, const char *name, vsp_error *err);
void vsp_foreword_free(vsp_foreword *f);

/* A block's inline text as Pango markup (escaped; <b>, <i>; a link as
 * "text (url)"), as plain text (emphasis dropped; "text (url)"), or as
 * HTML (escaped; <strong>, <em>, <a href="url">text</a>) for the web
 * edition. */
char *vsp_foreword_markup(const char *text);
char *vsp_foreword_plain(const char *text);
char *vsp_foreword_html(const char *text);

#endif
