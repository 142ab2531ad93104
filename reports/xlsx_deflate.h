/* xlsx_deflate.h — deflating a workbook's parts on several cores.
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
 * false and libxlsxwriter deflates as usual.  Begin returns false too when
 * minizip's functions cannot be found at run time.
 *
 * tests/unit/test_xlsx_deflate.c writes one workbook with the feature off,
 * with 1 worker and with 4 and compares every part, unzipped by Python. */
#ifndef VSP_XLSX_DEFLATE_H
#define VSP_XLSX_DEFLATE_H

#include <stdbool.h>

#define VSP_XLSX_DEFLATE_BLOCK (256 * 1024)

/* True if this build has block deflate (VSP_XLSX_BLOCK_DEFLATE). */
bool vsp_xlsx_block_deflate_built(void);

/* Turn block deflate on for the calling thread, with up to `workers`
 * threads (clamped to 0..8) beside it; false, and nothing changed, when it
 * is not built or minizip's functions cannot be found. */
bool vsp_xlsx_block_deflate_begin(int workers);

/* Turn it off for the calling thread (after a successful begin). */
void vsp_xlsx_block_deflate_end(void);

#endif
