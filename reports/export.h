/* export.h — the anonymised research export (DESIGN §6, issue 5): one row
 * per case received in a period, safe to publish.
 *
 * Files written into the output folder (BASE = "research-<period>"):
 *     BASE.xlsx                 sheets Cases (split into "Cases (2)" ... past
 *                               Excel's 1 048 575 rows), Dictionary,
 *                               Anonymisation; constant-memory mode
 *     BASE.csv                  the same rows: UTF-8 with BOM, RFC 4180
 *                               (CRLF, quotes doubled), text that a
 *                               spreadsheet would run as a formula
 *                               neutralised with a leading apostrophe
 *     BASE-dictionary.csv       the data dictionary as a plain file
 *     BASE-anonymisation.md     what was generalised and suppressed, the k
 *                               achieved, what was removed, residual risks
 * Every file is written under a temporary name and renamed only when all
 * of them are complete; on failure none is left behind.
 *
 * What a row holds: keyed pseudonyms of the case and of the content item
 * (HMAC-SHA-256 with a secret key, truncated to 128 bits, hex), country,
 * the received month (or quarter), category and its DSA category,
 * decision, outcome, channel, and four durations in whole hours.  Never a
 * URL, handle, reporter detail, note, label as written, legal basis, case
 * id or exact date.
 *
 * k-anonymity over the quasi-identifiers (country, received period,
 * category, decision, outcome, channel): every released row shares them
 * with at least k-1 others.  Classes of the month grain smaller than k are
 * generalised to the quarter; quarter classes still smaller than k are
 * suppressed (their rows are left out).
 *
 * Memory does not grow with the rows: the cases are read twice as a
 * stream (once to count the classes, once to write, sorted by SQLite's
 * external sorter), and rows go straight to the CSV and the workbook. */
#ifndef VSP_EXPORT_H
#define VSP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pipeline/error.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

typedef enum vsp_export_grain { VSP_EXPORT_MONTH, VSP_EXPORT_QUARTER } vsp_export_grain;

#define VSP_EXPORT_KEY_MIN 32   /* bytes: 256 bits, as strong as HMAC-SHA-256 */
#define VSP_EXPORT_KEY_MAX 1024 /* bytes */
#define VSP_EXPORT_XLSX_ROWS 1048575 /* data rows per sheet: Excel's limit */

typedef struct vsp_export_options {
    const char *period;        /* period label */
    const char *out_dir;       /* created if missing */
    const char *base_name;     /* NULL: "research-<period>" */
    int k;                     /* >= 1; 5 is the usual */
    vsp_export_grain grain;
    const unsigned char *key;  /* the pseudonym key; NULL: a random key for this export */
    size_t key_len;            /* VSP_EXPORT_KEY_MIN..VSP_EXPORT_KEY_MAX */
    const char *key_source;    /* how the key was given, for the report ("--key-file") */
    bool xlsx, csv;            /* which data files (the dictionary and report always) */
    uint32_t rows_per_sheet;   /* 0: VSP_EXPORT_XLSX_ROWS */
} vsp_export_options;

/* Fill the defaults: k 5, month grain, both formats, random key. */
void vsp_export_options_init(vsp_export_options *opt);

typedef struct vsp_export_result {
    int64_t cases;               /* received in the period */
    int64_t released;            /* rows written */
    int64_t rows_month;          /* released at month grain */
    int64_t rows_generalised;    /* released at quarter grain after generalisation */
    int64_t rows_suppressed;
    int64_t classes_month, classes_quarter, classes_suppressed; /* released / left out */
    int64_t k_achieved;          /* smallest released class; 0 when nothing released */
    bool random_key;
    int xlsx_sheets;             /* Cases sheets */
    char key_id[17];             /* public fingerprint of the key (16 hex) */
    char *files[4];              /* paths written (NULL-padded); vsp_export_result_fini */
} vsp_export_result;

void vsp_export_result_fini(vsp_export_result *res);

/* Write the export of opt->period from db (borrowed; read only, but a
 * TEMP table and a SQL function are created on it for the duration).
 * VSP_EDATA if the period holds no case data at all is not an error: an
 * empty export is written.  res may be NULL. */
vsp_status vsp_export_write(vsp_store *store, const vsp_export_options *opt, vsp_export_result *res,
                            vsp_error *err);

/* ---- the parts, public for the unit tests -------------------------- */

/* HMAC-SHA-256 pseudonyms with one key (OpenSSL). */
typedef struct vsp_pseudonymizer vsp_pseudonymizer;
vsp_pseudonymizer *vsp_pseudonymizer_new(const unsigned char *key, size_t key_len,
                                         vsp_error *err);
void vsp_pseudonymizer_free(vsp_pseudonymizer *p);
/* prefix + the first 16 bytes of HMAC(key, kind "\x1f" msg) in lower-case
 * hex into out (at least 34 bytes + strlen(prefix)).  Returns false on a
 * library failure. */
bool vsp_pseudonym(vsp_pseudonymizer *p, const char *prefix, const char *kind, const char *msg,
                   size_t msg_len, char *out);

/* CSV fields (RFC 4180).  A text field is quoted when it holds a comma, a
 * quote, CR or LF; one that starts with = + - @ TAB or CR gets a leading
 * apostrophe first, so no spreadsheet runs it as a formula.  Numbers are
 * written as they are (a negative number stays a number). */
void vsp_csv_text(vsp_buf *line, const char *text);
void vsp_csv_int(vsp_buf *line, int64_t v);

#endif
