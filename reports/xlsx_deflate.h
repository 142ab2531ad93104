/* xlsx_deflate.h — deflating a workbook's parts on several cores, and
 * splicing rows deflated beforehand into a part.
 *
 * libxlsxwriter 1.1.4 deflates every part of a workbook inside
 * workbook_close, on one core (minizip, zlib's default level): for a
 * constant-memory sheet of a million rows that is most of the time the
 * workbook costs.  While block deflate is on for the calling thread, each
 * part that thread's workbook_close writes is deflated instead in
 * independent blocks of VSP_XLSX_DEFLATE_BLOCK bytes of XML, each primed
 * with the 32 KiB before it (pigz's scheme), at the level libxlsxwriter
 * asked for, by up to `workers` threads beside the caller (0: the caller
 * alone), and the blocks are stored in order as one deflate stream.  The
 * zip is as valid as libxlsxwriter's own and about as small, and its parts
 * unzip to the same bytes; its own bytes depend only on the XML, never on
 * the number of workers or on timing.  Memory: 2 x (workers + 1) blocks in
 * flight, each with its deflated bytes (about 1.1 MiB a worker at the
 * default block size).
 *
 * The same engine is public as vsp_deflate: a stream of bytes deflated in
 * such blocks while it is written, handed in order to a sink.  Every block
 * ends byte-aligned with an empty stored block (Z_SYNC_FLUSH) and none is
 * final, so deflate streams made this way concatenate; reports/
 * xlsx_stream.h writes a sheet's rows so, while the rows are produced, and
 * a splice (vsp_xlsx_block_deflate_splice) puts those deflated bytes into
 * the sheet's part when workbook_close writes it: libxlsxwriter's XML up to
 * a marker (deflated as above, the last block not final), the spliced bytes
 * copied as they are, then the rest of the XML; the entry is closed raw
 * with the total length and the CRC-32 combined (zlib's crc32_combine).
 * The part unzips to libxlsxwriter's XML with the rows inserted before the
 * marker.
 *
 * How: this module defines minizip's zipOpenNewFileInZip4_64,
 * zipWriteInFileInZip and zipCloseFileInZip, so that libxlsxwriter's calls
 * into the shared libminizip reach these first (the executable's symbols
 * come first in the dynamic linker's search); they find minizip's own with
 * dlsym(RTLD_NEXT) and, outside begin/end and on other threads, pass
 * straight through.  That replaces three minizip functions for the whole
 * process, and it works only when libxlsxwriter links minizip as a shared
 * library (Debian's does).  CMake's VSP_XLSX_BLOCK_DEFLATE option (ON by
 * default) builds it; the configure turns it off, saying why, when the
 * libxlsxwriter found does not name libminizip among its NEEDED libraries
 * or does not import those functions.  Built without it, begin returns
 * false and libxlsxwriter deflates as usual (and nothing can be spliced:
 * vsp_xlsx_block_deflate_available says so beforehand).  Begin returns
 * false too when minizip's functions cannot be found at run time.
 *
 * tests/unit/test_xlsx_deflate.c writes one workbook with the feature off,
 * with 1 worker and with 4 and compares every part, unzipped by Python;
 * tests/unit/test_xlsx_stream.c does the same for spliced rows. */
#ifndef VSP_XLSX_DEFLATE_H
#define VSP_XLSX_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VSP_XLSX_DEFLATE_BLOCK (256 * 1024)
#define VSP_DEFLATE_WINDOW 32768 /* deflate's window: what a block is primed with */
#define VSP_DEFLATE_MAX_WORKERS 8

/* ---- the engine ------------------------------------------------------ */

/* Where the deflated bytes go, in order; false stops the stream. */
typedef bool (*vsp_deflate_sink)(void *ctx, const void *buf, size_t len);

typedef struct vsp_deflate vsp_deflate;

/* A stream deflated at zlib `level` (-1..9) with up to `workers` threads
 * (clamped to 0..VSP_DEFLATE_MAX_WORKERS; 0: on the calling thread) into
 * sink.  Level 1 is deflated by ISA-L's igzip (its level 1) where the build
 * has it (vsp_deflate_isal_built): the same stream of raw deflate blocks,
 * about five times faster than zlib's level 1 and a little smaller.  `primed`: each block is primed with the 32 KiB before it (the
 * first with nothing); else every block stands alone, which costs less
 * CPU (setting a dictionary is about a tenth of a level-1 block's time)
 * and, on the research export's rows, 0.6 % in size.  Never NULL (aborts
 * when out of memory, like vsp_xmalloc). */
vsp_deflate *vsp_deflate_new(int level, int workers, bool primed, vsp_deflate_sink sink,
                             void *ctx);

/* len bytes into the stream; false after any failure (of zlib, a thread or
 * the sink), and every later call fails too. */
bool vsp_deflate_write(vsp_deflate *d, const void *buf, size_t len);

/* Every byte written so far deflated and in the sink, the last block not
 * final (the stream can go on) or final (the deflate stream ends); false
 * after any failure.  Writing may go on after a non-final flush. */
bool vsp_deflate_flush(vsp_deflate *d, bool final);

/* The bytes written so far: how many, their CRC-32, and the last
 * min(total, 32 KiB) of them into window (returns how many). */
uint64_t vsp_deflate_total(const vsp_deflate *d);
uint32_t vsp_deflate_crc(const vsp_deflate *d);
size_t vsp_deflate_window(const vsp_deflate *d, unsigned char window[VSP_DEFLATE_WINDOW]);

/* Stops the workers and frees d (NULL is fine); the sink gets no more. */
void vsp_deflate_free(vsp_deflate *d);

/* True if this build deflates level 1 with ISA-L (VSP_HAVE_ISAL). */
bool vsp_deflate_isal_built(void);

/* ---- workbook_close ------------------------------------------------- */

/* True if this build has block deflate (VSP_XLSX_BLOCK_DEFLATE). */
bool vsp_xlsx_block_deflate_built(void);

/* True if block deflate and splices will work here (built, and minizip's
 * functions found at run time). */
bool vsp_xlsx_block_deflate_available(void);

/* Turn block deflate on for the calling thread, with up to `workers`
 * threads (clamped to 0..8) beside it; false, and nothing changed, when it
 * is not built or minizip's functions cannot be found. */
bool vsp_xlsx_block_deflate_begin(int workers);

/* Bytes deflated beforehand for one part of the workbook: raw deflate,
 * every block non-final and the last ending byte-aligned (what
 * vsp_deflate_flush(d, false) leaves), at `offset` of file descriptor fd,
 * `deflated` bytes long; `len` bytes and CRC-32 `crc` unzipped, of which
 * the last window_len (up to 32 KiB) are `window`.  Inserted before the
 * first occurrence of `marker` in the part named `part`, followed by what
 * `late` appends to its buffer, called then (the caller's bytes that can
 * only be known when the part is written; NULL: none).  The struct and
 * everything it points to are the caller's, and must live until
 * vsp_xlsx_block_deflate_end. */
typedef struct vsp_xlsx_splice {
    char part[64];
    const char *marker;
    int fd;
    off_t offset;
    uint64_t deflated, len;
    uint32_t crc;
    const unsigned char *window;
    size_t window_len;
    bool (*late)(void *ctx, const char **data, size_t *len);
    void *late_ctx;
} vsp_xlsx_splice;

/* The splices for the calling thread's workbook_close (after a successful
 * begin).  A part named by a splice whose marker never comes, or a failed
 * copy, makes workbook_close fail. */
void vsp_xlsx_block_deflate_splices(const vsp_xlsx_splice *splices, size_t n);

/* Turn it off for the calling thread (after a successful begin). */
void vsp_xlsx_block_deflate_end(void);

#endif
