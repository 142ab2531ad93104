/* csvrec.h — split a case-log export into CSV records, one at a time,
 * with the damage a real export suffers kept to the record it is in.
 *
 * Standard CSV (RFC 4180) with any one-byte delimiter: a field that starts
 * with a quote (after optional spaces) is quoted, "" inside it is a quote,
 * and it may span lines; spaces between a closing quote and the delimiter
 * are allowed.  Lines end in LF, CRLF or CR.  A UTF-8 byte order mark at
 * the start of the stream is dropped.
 *
 * A malformed record — a quote inside an unquoted field, text after a
 * closing quote, a quoted field never closed, or a record longer than the
 * limit — is returned as an error record that holds only the first
 * physical line of the record; reading then resumes at the next physical
 * line.  So a stray quote costs its own line and not the lines after it,
 * and every physical line is accounted for.
 *
 * Memory: the longest record (bounded by max_record) plus one read block. */
#ifndef VSP_CSVREC_H
#define VSP_CSVREC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vsp_csv_reader vsp_csv_reader;

/* Reads up to n bytes into buf; returns the count, 0 at end of input.  A
 * read error is reported as 0 and through the caller's own state. */
typedef size_t (*vsp_csv_read_fn)(void *ctx, char *buf, size_t n);

typedef enum vsp_csv_error {
    VSP_CSV_OK,
    VSP_CSV_STRAY_QUOTE,   /* a quote inside an unquoted field */
    VSP_CSV_AFTER_QUOTE,   /* text after the closing quote of a field */
    VSP_CSV_UNTERMINATED,  /* a quoted field still open at the end of the input */
    VSP_CSV_TOO_LONG       /* the record runs over max_record bytes */
} vsp_csv_error;

typedef struct vsp_csv_cell {
    const char *data; /* unquoted contents, not NUL-terminated */
    size_t len;
} vsp_csv_cell;

/* One record; everything it points to is the reader's and valid until the
 * next call on the reader. */
typedef struct vsp_csv_record {
    long line;        /* physical line (1-based) where the record starts */
    long lines;       /* physical lines it spans (>= 1) */
    const char *raw;  /* the record's bytes as in the file, without its line end */
    size_t raw_len;   /* (an error record: its first line, at most max_record bytes) */
    size_t n_cells;   /* >= 1 for a record; 0 for an error record */
    const vsp_csv_cell *cells;
    vsp_csv_error error;
    long err_line, err_col; /* where: the stray or closing quote, or the opening
                               quote of the field at fault (column in
                               characters, 1-based) */
    size_t err_cell;  /* 0-based field index at fault */
} vsp_csv_record;

/* A reader over read(ctx, ...).  utf8: count error columns in UTF-8
 * characters (else in bytes).  max_record: 0 means 16 MiB.  Caller frees
 * with vsp_csv_reader_free. */
vsp_csv_reader *vsp_csv_reader_new(vsp_csv_read_fn read, void *ctx, bool utf8, size_t max_record);
void vsp_csv_reader_free(vsp_csv_reader *r);

/* The start of the input (up to one read block, BOM dropped), read now if
 * not yet read, for guessing the delimiter; valid until the next call. */
const char *vsp_csv_peek(vsp_csv_reader *r, size_t *len);

/* The delimiter (default ','). */
void vsp_csv_set_delim(vsp_csv_reader *r, char delim);

/* The next record: 1 and *rec filled, or 0 at the end of the input. */
int vsp_csv_next(vsp_csv_reader *r, vsp_csv_record *rec);

/* Skip one physical line unparsed (title lines above a header): 1, or 0 at
 * the end of the input. */
int vsp_csv_skip_line(vsp_csv_reader *r);

/* Physical line where the next record starts. */
long vsp_csv_line(const vsp_csv_reader *r);

/* Words for an error ("quote inside an unquoted field"), static. */
const char *vsp_csv_error_words(vsp_csv_error e);

#endif
