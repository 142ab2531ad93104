/* util.h — allocation that aborts on out-of-memory, a growable byte
 * buffer, and small string helpers shared by every stage. */
#ifndef VSP_UTIL_H
#define VSP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "pipeline/error.h"

/* Allocate or abort with a message: out of memory is not recoverable in a
 * batch tool, and one exit point keeps every caller simple. */
void *vsp_xmalloc(size_t size);
void *vsp_xcalloc(size_t count, size_t size);
void *vsp_xrealloc(void *ptr, size_t size);
char *vsp_xstrdup(const char *s);
char *vsp_xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *vsp_xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A growable byte buffer, always NUL-terminated.  Caller's struct:
 * vsp_buf_init / vsp_buf_fini. */
typedef struct vsp_buf {
    char *data;
    size_t len;
    size_t cap;
} vsp_buf;

void vsp_buf_init(vsp_buf *b);
void vsp_buf_fini(vsp_buf *b);
void vsp_buf_clear(vsp_buf *b);
void vsp_buf_append(vsp_buf *b, const void *data, size_t len);
void vsp_buf_puts(vsp_buf *b, const char *s);
void vsp_buf_putc(vsp_buf *b, char c);
void vsp_buf_printf(vsp_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The whole of the file at path appended to b.  False, with errno set and
 * whatever was read appended, when it cannot be opened or read. */
bool vsp_buf_append_file(vsp_buf *b, const char *path);

/* One RFC 4180 field appended to b: quoted when it holds a comma, quote,
 * CR or LF (quotes doubled); text a spreadsheet would run as a formula
 * (a start of =, +, -, @, TAB or CR that is not a plain number such as
 * -0.25) is quoted with an apostrophe first.  The one CSV field rule of
 * the published CSV files written through a buffer. */
void vsp_buf_csv_field(vsp_buf *b, const char *s);

/* ASCII-only helpers (locale independent). */
bool vsp_ascii_iequal(const char *a, const char *b);
/* Pointer to the first non-space byte and length without trailing spaces
 * (spaces are ' ', '\t', '\r', '\n', and U+00A0 NO-BREAK SPACE). */
const char *vsp_trim(const char *s, size_t len, size_t *out_len);
/* Last path component (borrowed pointer into path). */
const char *vsp_basename(const char *path);

/* The folder holding vspreport's data folder sub ("po", "profiles"),
 * found without compiling the source tree's path into the binary: the
 * installed layout relative to the executable (BINDIR/../DATADIR/vspreport,
 * so an installed tree can be moved), then the build tree's
 * vspreport-data/ beside the executable (links to the source's po/ and
 * profiles/ that CMake makes at configure time; never installed), then the
 * configured VSP_DATADIR.  The first that exists; else the last.  Caller
 * frees. */
char *vsp_data_path(const char *sub);

/* The time every output is stamped with (a PDF's creation date, a
 * workbook's properties, the export's timestamps, the warehouse's run
 * records): SOURCE_DATE_EPOCH when it is set and not empty, for
 * reproducible outputs, else now.  A value that is not a whole number of
 * seconds from 0 to 253402300799 (9999-12-31) is VSP_EUSAGE, saying so;
 * cli/main.c refuses it before any command runs, so every command treats
 * it the same way. */
vsp_status vsp_source_time(time_t *out, vsp_error *err);
/* The same as "YYYY-MM-DDThh:mm:ssZ" (UTC). */
vsp_status vsp_source_time_iso(char buf[32], vsp_error *err);

#endif
