/* outfile.h — an output file written under a temporary name beside its
 * final name and renamed over it only when it is complete, so a reader
 * (or a user after a crash, a full disk or a kill -9) sees the old file or
 * the new one, never half of one.
 *
 * The temporary name is ".NAME.vsptmp-XXXXXX" in the final name's folder
 * (hidden; the same file system, so the rename is atomic), mode
 * 0666 & ~umask.  vsp_outfile_is_temp_name recognises exactly these names,
 * so a clean-up can remove vspreport's own leftovers and nothing else. */
#ifndef VSP_OUTFILE_H
#define VSP_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pipeline/error.h"

/* Caller's struct; zero-initialise it or let begin/open fill it. */
typedef struct vsp_outfile {
    char *path; /* the final name */
    char *tmp;  /* the temporary name; NULL once committed or discarded */
    FILE *fp;   /* the temporary, open for writing after vsp_outfile_open */
    bool sync;  /* fsync before the rename (true after begin/open) */
} vsp_outfile;

/* Create the temporary file, empty and closed, for a library that writes
 * to a file by name (libxlsxwriter): it writes to o->tmp.  VSP_ECANTCREAT
 * with the path and the reason on failure; then o needs no discard. */
vsp_status vsp_outfile_begin(vsp_outfile *o, const char *path, vsp_error *err);
/* The same, with the temporary open as o->fp for the caller to write. */
vsp_status vsp_outfile_open(vsp_outfile *o, const char *path, vsp_error *err);
/* Close o->fp if open (a write error there is VSP_EIO), fsync the
 * temporary (unless o->sync was cleared) and rename it to its final name.
 * On failure the temporary is removed.  Then o needs only discard. */
vsp_status vsp_outfile_commit(vsp_outfile *o, vsp_error *err);
/* Close and remove the temporary if still there and free o's strings;
 * safe after commit, after a failed begin and twice. */
void vsp_outfile_discard(vsp_outfile *o);

/* Write len bytes of data to path through a temporary, in one call. */
vsp_status vsp_outfile_write(const char *path, const void *data, size_t len, vsp_error *err);
/* The same without the fsync: for sets of many small files (a web
 * edition's pages) re-made from the warehouse on the next run, whose
 * manifest, written and synced last, says which are complete. */
vsp_status vsp_outfile_write_unsynced(const char *path, const void *data, size_t len,
                                      vsp_error *err);

/* Whether name (a file name, or a path whose last component is looked at)
 * is a temporary that vsp_outfile made: ".NAME.vsptmp-" and six letters
 * or digits. */
bool vsp_outfile_is_temp_name(const char *name);

#endif
