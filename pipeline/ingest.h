/* ingest.h — read one regulator case-log export into the warehouse.
 *
 * A file is one transaction: either every row is accounted for and
 * committed with its ingest_run record, or (failure, kill) nothing of it
 * is in the warehouse.  Memory is bounded by the longest row, not the
 * file.  Accounting per file:
 *   rows read = new + updated + unchanged + duplicates + rejected
 * with blank lines and declared total lines skipped and counted apart.
 * Refused as a whole (nothing stored, VSP_EDATA): a header that lacks a
 * mapped column the profile does not call optional, or names a mapped
 * column twice; a file in another encoding than the profile's; a file
 * that changed while it was read. */
#ifndef VSP_INGEST_H
#define VSP_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/error.h"
#include "pipeline/profile.h"
#include "pipeline/sha256.h"
#include "pipeline/store.h"

/* Why a row was rejected; the code is stored in reject.reason. */
typedef enum vsp_reject_reason {
    VSP_REJECT_MISSING_VALUE,   /* a required field is empty */
    VSP_REJECT_BAD_DATE,        /* a date that no profile format reads, or no such day */
    VSP_REJECT_UNMAPPED_LABEL,  /* a label the profile does not map */
    VSP_REJECT_BAD_ENCODING,    /* bytes invalid in the declared encoding, or NUL */
    VSP_REJECT_EXTRA_FIELDS,    /* non-empty cells beyond the header's columns */
    VSP_REJECT_INCONSISTENT,    /* e.g. a platform outcome on a case not forwarded */
    VSP_REJECT_FIELD_TOO_LONG,  /* a cell longer than the limit */
    VSP_REJECT_BAD_QUOTING,     /* a quote out of place: stray, text after it, never closed */
    VSP_REJECT_SHORT_ROW,       /* fewer cells than the header's columns */
    VSP_REJECT_TOTAL_LINE,      /* a total line the profile does not declare */
    VSP_REJECT_COUNT
} vsp_reject_reason;

const char *vsp_reject_reason_code(vsp_reject_reason r);
/* The reason in words, untranslated: the msgid of its catalogue entry in
 * context "reject" (translate with vsp_i18n_pget). */
const char *vsp_reject_reason_words(vsp_reject_reason r);
/* The reason a stored code (reject.reason) names; VSP_REJECT_COUNT when
 * it names none. */
vsp_reject_reason vsp_reject_reason_from_code(const char *code);

typedef struct vsp_ingest_counts {
    uint64_t rows_read;
    uint64_t blank_lines;
    uint64_t total_lines;  /* total lines the profile declares (total_lines), skipped */
    uint64_t rows_new;
    uint64_t rows_updated;
    uint64_t rows_unchanged;
    uint64_t rows_duplicate;
    uint64_t rows_rejected;
    uint64_t duplicate_conflicts; /* duplicates whose content differed (first kept) */
    uint64_t rejected_by[VSP_REJECT_COUNT];
} vsp_ingest_counts;

#define VSP_INGEST_SAMPLE_REJECTS 5

typedef struct vsp_ingest_options {
    const char *rejects_dir; /* where <file>.rejects.csv goes; NULL: beside the warehouse */
    bool progress;           /* progress line on stderr (only shown on a terminal) */
    size_t max_cell_bytes;   /* 0: 1 MiB; longer cells reject their row */
    int32_t exported_day;    /* YYYYMMDD the export was taken (ingest_run.exported_day,
                              * DESIGN §5 "as of"); 0: not stated */
    size_t key_stage_bytes;  /* memory for the file's content keys before they go to
                              * sorted runs in a temporary file; 0: 4 MiB (tests set
                              * it small to merge many runs) */
} vsp_ingest_options;

typedef struct vsp_ingest_result {
    int64_t run_id;
    char sha256[VSP_SHA256_HEX];
    uint64_t file_size;
    double seconds;
    vsp_ingest_counts counts;
    char *rejects_path; /* written rejects report, or NULL */
    /* The first few reject messages, "file:line: field: what; how to fix". */
    char samples[VSP_INGEST_SAMPLE_REJECTS][512];
    int n_samples;
} vsp_ingest_result;

void vsp_ingest_result_init(vsp_ingest_result *r);
void vsp_ingest_result_fini(vsp_ingest_result *r);

/* Ingest one file with a profile.  Rejected rows are not failures: they
 * are counted, stored and reported.  Failures (unreadable file, missing
 * required column, an I/O or warehouse error) roll the file back and
 * return the status with a file:line message. */
vsp_status vsp_ingest_file(vsp_store *store, const vsp_profile *profile, const char *path,
                           const vsp_ingest_options *opt, vsp_ingest_result *res,
                           vsp_error *err);

#endif
