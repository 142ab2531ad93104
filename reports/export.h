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
 * k-anonymity over the quasi-identifiers, chosen from the threat model in
 * the anonymisation report: country, received period, category and
 * outcome.  Every released combination of their values holds at least k
 * rows, a quarter and a suppressed value ("*", VSP_EXPORT_SUPPRESSED) each
 * counting as a value of its own.  Values go before rows: a month class
 * smaller than k is generalised to the quarter; a quarter class still
 * smaller loses its category, then its outcome (with the decision and the
 * durations that would tell it), filled up to k from the smallest whole
 * classes that can spare theirs; rows are left out only when their
 * country has fewer than k cases in the quarter.  Decision, channel and
 * durations are attributes, not quasi-identifiers.
 *
 * Memory does not grow with the rows: the cases are read twice as a
 * stream (once to count the classes, once to write, each country's rows
 * put in order by an external merge sort with a fixed buffer), and rows
 * go straight to the CSV and the workbook. */
#ifndef VSP_EXPORT_H
#define VSP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pipeline/error.h"
#include "pipeline/metrics.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

typedef enum vsp_export_grain { VSP_EXPORT_MONTH, VSP_EXPORT_QUARTER } vsp_export_grain;

#define VSP_EXPORT_KEY_MIN 32   /* bytes: 256 bits, as strong as HMAC-SHA-256 */
#define VSP_EXPORT_KEY_MAX 1024 /* bytes */
#define VSP_EXPORT_XLSX_ROWS 1048575 /* data rows per sheet: Excel's limit */
#define VSP_EXPORT_SUPPRESSED "*" /* the one spelling of a suppressed value */
#define VSP_EXPORT_K_DEFAULT 5    /* k of `export` and `run` */

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
    int64_t rows_suppressed;     /* left out: nothing else reached k */
    int64_t values_cat_suppressed; /* released rows whose category is "*" */
    int64_t values_out_suppressed; /* released rows whose outcome (and decision) is "*" */
    int64_t classes_month, classes_quarter, classes_suppressed; /* released / left out */
    int64_t k_achieved;          /* smallest released class; 0 when nothing released */
    bool random_key;
    int xlsx_sheets;             /* Cases sheets */
    char key_id[17];             /* public fingerprint of the key (16 hex) */
    char *files[4];              /* paths written (NULL-padded); vsp_export_result_fini */
} vsp_export_result;

void vsp_export_result_fini(vsp_export_result *res);

/* Write the export of opt->period from db (borrowed; only read, in one
 * read transaction unless the caller holds one).
 * VSP_EDATA if the period holds no case data at all is not an error: an
 * empty export is written.  res may be NULL. */
vsp_status vsp_export_write(vsp_store *store, const vsp_export_options *opt, vsp_export_result *res,
                            vsp_error *err);

/* ---- what other public outputs may say ----------------------------- */

/* The cross-border items as every other public output may give them, so
 * that none undoes the export (issue 16): by category and countries for
 * the whole period (never a day), a group only when it holds at least k
 * items; the smaller groups pooled into one last group whose category and
 * countries are NULL.  The export's content pseudonyms link an item's
 * reports across countries; a list of single items with their first day
 * would date them to the day.  Returns the number of groups (largest
 * first, then category and countries); *groups is the caller's to free,
 * its strings borrowed from m. */
typedef struct vsp_xb_group {
    const char *category;  /* category code; NULL for the pooled rest */
    const char *countries; /* "AL,RS"; NULL for the pooled rest */
    int64_t items;
} vsp_xb_group;
size_t vsp_export_crossborder_groups(const vsp_metrics *m, int k, vsp_xb_group **groups);

/* ---- the parts, public for the unit tests -------------------------- */

/* HMAC-SHA-256 pseudonyms with one key (OpenSSL). */
typedef struct vsp_pseudonymizer vsp_pseudonymizer;
vsp_pseudonymizer *vsp_pseudonymizer_new(const unsigned char *key, size_t key_len,
                                         vsp_error *err);
void vsp_pseudonymizer_free(vsp_pseudonymizer *p);
/* The first VSP_PSEUDONYM_BYTES bytes of HMAC(key, kind "\x1f" msg) into
 * out.  Returns false on a library failure. */
#define VSP_PSEUDONYM_BYTES 16
bool vsp_pseudonym_bytes(vsp_pseudonymizer *p, const char *kind, const char *msg, size_t msg_len,
                         unsigned char out[VSP_PSEUDONYM_BYTES]);
/* prefix + those bytes in lower-case hex into out (at least 33 bytes +
 * strlen(prefix)).  Returns false on a library failure. */
bool vsp_pseudonym(vsp_pseudonymizer *p, const char *prefix, const char *kind, const char *msg,
                   size_t msg_len, char *out);

/* CSV fields (RFC 4180).  A text field is quoted when it holds a comma, a
 * quote, CR or LF; one that starts with = + - @ TAB or CR gets a leading
 * apostrophe first, so no spreadsheet runs it as a formula.  Numbers are
 * written as they are (a negative number stays a number). */
void vsp_csv_text(vsp_buf *line, const char *text);
void vsp_csv_int(vsp_buf *line, int64_t v);

#endif
