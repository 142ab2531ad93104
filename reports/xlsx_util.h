/* xlsx_util.h — what the workbook and the research export need around
 * libxlsxwriter 1.1.4, which checks too little itself (STYLE.md):
 *
 *   - UTF-8 validation and a cleaner that makes any text safe for a cell
 *     (valid UTF-8, no characters XML 1.0 forbids, at most 32 767 UTF-16
 *     units, Excel's limit);
 *   - sheet names: Excel's rules (1..31 UTF-16 units, none of []:*?/\, no
 *     apostrophe first or last, not "History") and uniqueness ignoring case,
 *     with a simple Unicode case fold that covers Latin, Greek and Cyrillic
 *     (Excel itself folds "Трend" and "ТРEND" together; 1.1.4 only folds
 *     ASCII);
 *   - a guard that keeps LC_NUMERIC at "C" while numbers are written.
 * (Output files go through pipeline/outfile.h, their timestamp through
 * vsp_source_time in pipeline/util.h.) */
#ifndef VSP_XLSX_UTIL_H
#define VSP_XLSX_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pipeline/error.h"
#include "pipeline/util.h"

/* ---- text ----------------------------------------------------------- */

/* UTF-8 decoding and validation are pipeline/encoding.h's
 * (vsp_utf8_next, vsp_utf8_put, vsp_utf8_valid). */

/* Length of UTF-8 s in UTF-16 code units (what Excel counts). */
size_t vsp_xlsx_utf16_len(const char *s);

/* Simple case fold of one code point (Latin-1, Latin Extended-A and the
 * Serbian/Croatian digraphs of Extended-B, Greek, Cyrillic, fullwidth
 * Latin); other code points are returned as they are. */
uint32_t vsp_xlsx_casefold_cp(uint32_t cp);

/* The case-folded copy of UTF-8 s, appended to out (cleared first). */
void vsp_xlsx_casefold(const char *s, vsp_buf *out);

/* Excel's cell text limit, in UTF-16 code units. */
#define VSP_XLSX_MAX_TEXT 32767

/* Make s safe for a cell: malformed bytes become U+FFFD, characters XML
 * 1.0 forbids (C0 controls but TAB and LF, CR, U+FFFE, U+FFFF) are
 * dropped, and the text is cut on a character boundary at
 * VSP_XLSX_MAX_TEXT units.  The result is in out (cleared first) and is
 * returned; never NULL. */
const char *vsp_xlsx_clean_text(const char *s, vsp_buf *out);

/* ---- sheet names ---------------------------------------------------- */

#define VSP_XLSX_SHEET_NAME_MAX 31  /* UTF-16 units */
#define VSP_XLSX_SHEET_NAME_BUF 128 /* bytes that always hold a valid name */

/* VSP_OK if name is a valid Excel sheet name on its own; otherwise
 * VSP_EDATA with the reason ("sheet name 'x': ..."). */
vsp_status vsp_xlsx_sheet_name_check(const char *name, vsp_error *err);

/* The sheet names of one workbook, for uniqueness.  Caller's struct. */
typedef struct vsp_xlsx_names {
    char **folded; /* case-folded names */
    size_t n, cap;
} vsp_xlsx_names;

void vsp_xlsx_names_init(vsp_xlsx_names *names);
void vsp_xlsx_names_fini(vsp_xlsx_names *names);

/* True if name (compared case-folded) is already taken. */
bool vsp_xlsx_names_taken(const vsp_xlsx_names *names, const char *name);

/* Check name and claim it: VSP_EDATA if invalid or taken. */
vsp_status vsp_xlsx_names_add(vsp_xlsx_names *names, const char *name, vsp_error *err);

/* Turn any wanted title (a translation, say) into a valid, unclaimed
 * sheet name and claim it: forbidden characters become '-', apostrophes
 * at either end and control characters are dropped, the name is cut on a
 * character boundary to fit, an empty result becomes "Sheet", and a taken
 * name gets " (2)", " (3)" ... .  Writes into buf (at least
 * VSP_XLSX_SHEET_NAME_BUF bytes) and returns it. */
const char *vsp_xlsx_names_make(vsp_xlsx_names *names, const char *wanted, char *buf,
                                size_t size);

/* ---- numbers ------------------------------------------------------- */

/* While a guard is held, LC_NUMERIC is "C" (libxlsxwriter and printf
 * write numbers through it).  end restores what was there. */
typedef struct vsp_xlsx_numeric_guard {
    char *saved; /* NULL when nothing had to change */
} vsp_xlsx_numeric_guard;

void vsp_xlsx_numeric_guard_begin(vsp_xlsx_numeric_guard *g);
void vsp_xlsx_numeric_guard_end(vsp_xlsx_numeric_guard *g);

/* The message of a libxlsxwriter error code (lxw_strerror), as an int so
 * that this header does not need xlsxwriter.h. */
const char *vsp_xlsx_strerror(int lxw_error_code);

#endif
