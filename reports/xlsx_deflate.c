/* xlsx_deflate.c — deflate in independent blocks on several cores, and a
 * workbook's parts deflated so (and rows spliced into them) by
 * interposing minizip's functions (see xlsx_deflate.h for how and when). */
#define _GNU_SOURCE /* RTLD_NEXT, for the minizip functions interposed below */
#include "reports/xlsx_deflate.h"

#include "pipeline/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <zlib.h>

#ifndef VSP_HAVE_ISAL
#define VSP_HAVE_ISAL 0
#endif
#if VSP_HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#endif

#ifndef VSP_XLSX_BLOCK_DEFLATE
#define VSP_XLSX_BLOCK_DEFLATE 0
#endif

#define BD_DICT VSP_DEFLATE_WINDOW

/* ---- the engine ------------------------------------------------------ */

/* One block: its bytes, the 32 KiB before it, its deflated bytes. */
typedef struct bd_job {
    unsigned char *in, *out;
    size_t in_len, out_len, out_cap, dict_len;
    unsigned char dict[BD_DICT];
    uLong crc;
    bool last, failed;
    int state; /* BD_FREE, BD_QUEUED, BD_BUSY, BD_DONE */
} bd_job;

enum { BD_FREE, BD_QUEUED, BD_BUSY, BD_DONE };

/* The stream.  Jobs are a ring: sequence number s lives in slot
 * s % n_slots; submitted = next to fill, taken = next for a worker,
 * written = next to store. */
struct vsp_deflate {
    vsp_deflate_sink sink;
    void *ctx;
    int level, mem_level, strategy;
    int workers, n_workers;
    pthread_t threads[VSP_DEFLATE_MAX_WORKERS];
    pthread_mutex_t lock;
    pthread_cond_t queued, done;
    bd_job *jobs;
    size_t n_slots;
    uint64_t submitted, taken, written;
    bd_job *filling; /* the slot being filled, or NULL */
    unsigned char tail[BD_DICT]; /* the last bytes submitted: the next block's dictionary */
    size_t tail_len;
    uLong crc;
    uint64_t total;
    bool quit, failed, workers_tried;
    bool unprimed; /* blocks stand alone */
    z_stream z; /* the caller's, when it deflates a block itself */
    bool z_ready;
    bool isal;               /* blocks deflated by ISA-L's igzip (bd_isal) */
    unsigned char *isal_buf; /* igzip's level buffer, the caller's */
};

/* igzip's level 1 needs a buffer of its own (hash tables), per thread;
 * without ISA-L no stream has d->isal, and none is made. */
#if VSP_HAVE_ISAL
#define BD_ISAL_BUF ISAL_DEF_LVL1_DEFAULT
#else
#define BD_ISAL_BUF 1
#endif

#if VSP_HAVE_ISAL

/* Deflate one block at igzip's level 1: raw deflate, ended by a sync
 * flush (byte-aligned, as zlib's Z_SYNC_FLUSH) or, for the last block, by
 * the final block; primed with the block's dictionary if it has one. */
static bool bd_isal(bd_job *j, unsigned char *buf)
{
    struct isal_zstream z;
    isal_deflate_init(&z);
    z.level = 1;
    z.level_buf = buf;
    z.level_buf_size = BD_ISAL_BUF;
    z.gzip_flag = IGZIP_DEFLATE;
    if (j->dict_len && isal_deflate_set_dict(&z, j->dict, (uint32_t)j->dict_len) != COMP_OK)
        return false;
    /* incompressible input: stored blocks of 64 KiB, 5 bytes each */
    size_t need = j->in_len + j->in_len / 64 + 1024;
    if (j->out_cap < need) {
        free(j->out);
        j->out = vsp_xmalloc(need);
        j->out_cap = need;
    }
    z.next_in = j->in;
    z.avail_in = (uint32_t)j->in_len;
    z.end_of_stream = j->last;
    z.flush = j->last ? NO_FLUSH : SYNC_FLUSH;
    j->out_len = 0;
    for (;;) {
        z.next_out = j->out + j->out_len;
        z.avail_out = (uint32_t)(j->out_cap - j->out_len);
        if (isal_deflate(&z) != COMP_OK)
            return false;
        j->out_len = j->out_cap - z.avail_out;
        if (z.avail_out > 0) /* all of the input, and the flush, written */
            break;
        j->out_cap *= 2;
        j->out = vsp_xrealloc(j->out, j->out_cap);
    }
    if (z.avail_in != 0 || (j->last && z.internal_state.state != ZSTATE_END))
        return false;
    j->crc = crc32_gzip_refl(0, j->in, j->in_len); /* zlib's crc32 */
    return true;
}
#endif

/* Deflate one block with z (set up for the stream's level), or with
 * igzip when the stream uses it. */
static bool bd_deflate(const vsp_deflate *d, z_stream *z, unsigned char *isal_buf, bd_job *j)
{
#if VSP_HAVE_ISAL
    if (d->isal)
        return bd_isal(j, isal_buf);
#else
    (void)d, (void)isal_buf;
#endif
    if (deflateReset(z) != Z_OK)
        return false;
    if (j->dict_len && deflateSetDictionary(z, j->dict, (uInt)j->dict_len) != Z_OK)
        return false;
    size_t need = deflateBound(z, (uLong)j->in_len) + 64;
    if (j->out_cap < need) {
        free(j->out);
        j->out = vsp_xmalloc(need);
        j->out_cap = need;
    }
    z->next_in = j->in;
    z->avail_in = (uInt)j->in_len;
    j->out_len = 0;
    int flush = j->last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
        z->next_out = j->out + j->out_len;
        z->avail_out = (uInt)(j->out_cap - j->out_len);
        int rc = deflate(z, flush);
        j->out_len = j->out_cap - z->avail_out;
        if (rc == Z_STREAM_END || (rc == Z_OK && z->avail_out > 0 && z->avail_in == 0 && !j->last))
            break;
        if (rc != Z_OK || z->avail_out > 0)
            return false; /* an error, or nothing left that more room would help */
        j->out_cap *= 2; /* out of room (deflateBound makes this rare) */
        j->out = vsp_xrealloc(j->out, j->out_cap);
    }
    j->crc = crc32(0L, j->in, (uInt)j->in_len);
    return true;
}

static bool bd_zinit(const vsp_deflate *d, z_stream *z)
{
    memset(z, 0, sizeof *z);
    return deflateInit2(z, d->level, Z_DEFLATED, -MAX_WBITS, d->mem_level, d->strategy) == Z_OK;
}

static void *bd_worker(void *arg)
{
    vsp_deflate *d = arg;
    z_stream z;
    unsigned char *isal_buf = d->isal ? vsp_xmalloc(BD_ISAL_BUF) : NULL;
    bool ok = d->isal || bd_zinit(d, &z);
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->quit && d->taken == d->submitted)
            pthread_cond_wait(&d->queued, &d->lock);
        if (d->taken == d->submitted)
            break;
        bd_job *j = &d->jobs[d->taken++ % d->n_slots];
        j->state = BD_BUSY;
        pthread_mutex_unlock(&d->lock);
        j->failed = !ok || !bd_deflate(d, &z, isal_buf, j);
        pthread_mutex_lock(&d->lock);
        j->state = BD_DONE;
        pthread_cond_broadcast(&d->done);
    }
    pthread_mutex_unlock(&d->lock);
    if (ok && !d->isal)
        deflateEnd(&z);
    free(isal_buf);
    return NULL;
}

/* The last 32 KiB of (tail, then len bytes of b). */
static void bd_tail_add(unsigned char *tail, size_t *tail_len, const unsigned char *b, size_t len)
{
    if (len >= BD_DICT) {
        memcpy(tail, b + len - BD_DICT, BD_DICT);
        *tail_len = BD_DICT;
        return;
    }
    size_t keep = *tail_len < BD_DICT - len ? *tail_len : BD_DICT - len;
    memmove(tail, tail + *tail_len - keep, keep);
    memcpy(tail + keep, b, len);
    *tail_len = keep + len;
}

/* Store the oldest submitted block (waiting for it); false on failure. */
static bool bd_store_oldest(vsp_deflate *d)
{
    bd_job *j = &d->jobs[d->written % d->n_slots];
    if (d->n_workers) {
        pthread_mutex_lock(&d->lock);
        while (j->state != BD_DONE)
            pthread_cond_wait(&d->done, &d->lock);
        pthread_mutex_unlock(&d->lock);
    }
    d->written++;
    j->state = BD_FREE;
    if (j->failed || !d->sink(d->ctx, j->out, j->out_len)) {
        d->failed = true;
        return false;
    }
    d->crc = crc32_combine(d->crc, j->crc, (z_off_t)j->in_len);
    d->total += j->in_len;
    return true;
}

static void bd_start_workers(vsp_deflate *d)
{
    if (pthread_mutex_init(&d->lock, NULL) != 0)
        return;
    if (pthread_cond_init(&d->queued, NULL) != 0) {
        pthread_mutex_destroy(&d->lock);
        return;
    }
    if (pthread_cond_init(&d->done, NULL) != 0) {
        pthread_cond_destroy(&d->queued);
        pthread_mutex_destroy(&d->lock);
        return;
    }
    while (d->n_workers < d->workers &&
           pthread_create(&d->threads[d->n_workers], NULL, bd_worker, d) == 0)
        d->n_workers++;
    if (!d->n_workers) {
        pthread_cond_destroy(&d->done);
        pthread_cond_destroy(&d->queued);
        pthread_mutex_destroy(&d->lock);
    }
}

/* Hand the block being filled to the workers (or deflate it here). */
static bool bd_submit(vsp_deflate *d, bool last)
{
    bd_job *j = d->filling;
    d->filling = NULL;
    j->last = last;
    j->failed = false;
    /* the next block is primed with the end of this one (and before) */
    bd_tail_add(d->tail, &d->tail_len, j->in, j->in_len);
    if (j->in_len == VSP_XLSX_DEFLATE_BLOCK && d->workers > 0 && !d->workers_tried) {
        d->workers_tried = true;
        bd_start_workers(d); /* a stream of more than one block */
    }
    if (!d->n_workers) {
        if (d->isal && !d->isal_buf)
            d->isal_buf = vsp_xmalloc(BD_ISAL_BUF);
        if (!d->isal && !d->z_ready && !(d->z_ready = bd_zinit(d, &d->z)))
            return false;
        j->failed = !bd_deflate(d, &d->z, d->isal_buf, j);
        j->state = BD_DONE;
        d->submitted++;
        d->taken++;
        return true;
    }
    pthread_mutex_lock(&d->lock);
    j->state = BD_QUEUED;
    d->submitted++;
    pthread_cond_signal(&d->queued);
    pthread_mutex_unlock(&d->lock);
    return true;
}

/* The next free slot to fill, storing older blocks to make room. */
static bool bd_next_slot(vsp_deflate *d)
{
    while (d->submitted - d->written == d->n_slots)
        if (!bd_store_oldest(d))
            return false;
    bd_job *j = &d->jobs[d->submitted % d->n_slots];
    j->in_len = 0;
    j->dict_len = d->unprimed ? 0 : d->tail_len;
    memcpy(j->dict, d->tail, j->dict_len);
    d->filling = j;
    return true;
}

static vsp_deflate *bd_new(int level, int mem_level, int strategy, int workers,
                           vsp_deflate_sink sink, void *ctx)
{
    vsp_deflate *d = vsp_xcalloc(1, sizeof *d);
    d->sink = sink;
    d->ctx = ctx;
    d->level = level, d->mem_level = mem_level, d->strategy = strategy;
    d->workers = workers < 0 ? 0 : workers > VSP_DEFLATE_MAX_WORKERS ? VSP_DEFLATE_MAX_WORKERS
                                                                     : workers;
    d->n_slots = 2 * ((size_t)d->workers + 1);
    d->jobs = vsp_xcalloc(d->n_slots, sizeof *d->jobs);
    for (size_t i = 0; i < d->n_slots; i++)
        d->jobs[i].in = vsp_xmalloc(VSP_XLSX_DEFLATE_BLOCK);
    return d;
}

vsp_deflate *vsp_deflate_new(int level, int workers, bool primed, vsp_deflate_sink sink,
                             void *ctx)
{
    vsp_deflate *d = bd_new(level, 8, Z_DEFAULT_STRATEGY, workers, sink, ctx);
    d->unprimed = !primed;
    d->isal = VSP_HAVE_ISAL && level == 1;
    return d;
}

bool vsp_deflate_write(vsp_deflate *d, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    while (len > 0 && !d->failed) {
        if (d->filling && d->filling->in_len == VSP_XLSX_DEFLATE_BLOCK && !bd_submit(d, false))
            d->failed = true;
        if (!d->failed && !d->filling && !bd_next_slot(d))
            d->failed = true;
        if (d->failed)
            break;
        bd_job *j = d->filling;
        size_t n = VSP_XLSX_DEFLATE_BLOCK - j->in_len;
        if (n > len)
            n = len;
        memcpy(j->in + j->in_len, b, n);
        j->in_len += n, b += n, len -= n;
    }
    return !d->failed;
}

bool vsp_deflate_flush(vsp_deflate *d, bool final)
{
    if (d->failed)
        return false;
    if (final) {
        if (!(d->filling || bd_next_slot(d)) || !bd_submit(d, true))
            d->failed = true;
    } else if (d->filling && d->filling->in_len > 0) {
        if (!bd_submit(d, false))
            d->failed = true;
    } else {
        d->filling = NULL; /* an empty slot: nothing to deflate */
    }
    while (!d->failed && d->written < d->submitted)
        bd_store_oldest(d);
    return !d->failed;
}

uint64_t vsp_deflate_total(const vsp_deflate *d)
{
    return d->total;
}

uint32_t vsp_deflate_crc(const vsp_deflate *d)
{
    return (uint32_t)d->crc;
}

size_t vsp_deflate_window(const vsp_deflate *d, unsigned char window[VSP_DEFLATE_WINDOW])
{
    memcpy(window, d->tail, d->tail_len);
    return d->tail_len;
}

bool vsp_deflate_isal_built(void)
{
    return VSP_HAVE_ISAL;
}

void vsp_deflate_free(vsp_deflate *d)
{
    if (!d)
        return;
    if (d->n_workers) {
        pthread_mutex_lock(&d->lock);
        d->quit = true;
        pthread_cond_broadcast(&d->queued);
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < d->n_workers; i++)
            pthread_join(d->threads[i], NULL);
        pthread_cond_destroy(&d->done);
        pthread_cond_destroy(&d->queued);
        pthread_mutex_destroy(&d->lock);
    }
    if (d->z_ready)
        deflateEnd(&d->z);
    free(d->isal_buf);
    for (size_t i = 0; i < d->n_slots; i++) {
        free(d->jobs[i].in);
        free(d->jobs[i].out);
    }
    free(d->jobs);
    free(d);
}

/* ---- workbook_close ------------------------------------------------- */

#if !VSP_XLSX_BLOCK_DEFLATE

bool vsp_xlsx_block_deflate_built(void)
{
    return false;
}

bool vsp_xlsx_block_deflate_available(void)
{
    return false;
}

bool vsp_xlsx_block_deflate_begin(int workers)
{
    (void)workers;
    return false;
}

void vsp_xlsx_block_deflate_splices(const vsp_xlsx_splice *splices, size_t n)
{
    (void)splices;
    (void)n;
}

void vsp_xlsx_block_deflate_end(void)
{
}

#else

#include <dlfcn.h>
#include <xlsxwriter/third_party/zip.h>

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt,
                           const void *, uInt, const char *, int, int, int, int, int, int,
                           const char *, uLong, uLong, uLong, int);
typedef int (*zip_write_fn)(zipFile, const void *, unsigned);
typedef int (*zip_close_fn)(zipFile);
typedef int (*zip_close_raw_fn)(zipFile, ZPOS64_T, uLong);

static struct {
    zip_open_fn open;
    zip_write_fn write;
    zip_close_fn close;
    zip_close_raw_fn close_raw;
} real_zip;
static pthread_once_t real_zip_once = PTHREAD_ONCE_INIT;

/* Object and function pointers differ in ISO C; POSIX makes dlsym's
 * result convertible, and memcpy says so without a cast warning. */
static void find_real(void *dst, size_t size, const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    if (p && size == sizeof p)
        memcpy(dst, &p, size);
}

static void find_real_zip(void)
{
    find_real(&real_zip.open, sizeof real_zip.open, "zipOpenNewFileInZip4_64");
    find_real(&real_zip.write, sizeof real_zip.write, "zipWriteInFileInZip");
    find_real(&real_zip.close, sizeof real_zip.close, "zipCloseFileInZip");
    find_real(&real_zip.close_raw, sizeof real_zip.close_raw, "zipCloseFileInZipRaw64");
}

static bool have_real_zip(void)
{
    pthread_once(&real_zip_once, find_real_zip);
    return real_zip.open && real_zip.write && real_zip.close && real_zip.close_raw;
}

/* Bytes deflated elsewhere, in the sink after everything written so far
 * (flushed first, not final): len bytes unzipped with CRC-32 crc, whose
 * last bytes are window.  They are read from fd. */
static bool bd_splice(vsp_deflate *d, int fd, off_t offset, uint64_t deflated, uint64_t len,
                      uint32_t crc, const unsigned char *window, size_t window_len)
{
    if (!vsp_deflate_flush(d, false))
        return false;
    size_t cap = 1 << 20;
    unsigned char *buf = vsp_xmalloc(cap);
    while (deflated > 0 && !d->failed) {
        size_t want = deflated < cap ? (size_t)deflated : cap;
        ssize_t k = pread(fd, buf, want, offset);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || !d->sink(d->ctx, buf, (size_t)k))
            d->failed = true;
        else
            offset += k, deflated -= (uint64_t)k;
    }
    free(buf);
    if (d->failed)
        return false;
    d->crc = crc32_combine(d->crc, crc, (z_off_t)len);
    d->total += len;
    bd_tail_add(d->tail, &d->tail_len, window, window_len);
    return true;
}

/* The part being written, and its splice if it has one. */
typedef struct bd_part {
    zipFile file;
    vsp_deflate *d;
    const vsp_xlsx_splice *splice;
    size_t marker_len;
    size_t matched; /* bytes of the marker seen at the end of what came, held back */
    bool spliced, failed;
} bd_part;

static _Thread_local int bd_workers = -1; /* -1: off on this thread */
static _Thread_local bd_part *bd_current;
static _Thread_local const vsp_xlsx_splice *bd_splices;
static _Thread_local size_t bd_n_splices;

static bool zip_sink(void *ctx, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    while (len > 0) {
        unsigned n = len > (1u << 30) ? 1u << 30 : (unsigned)len;
        if (real_zip.write(ctx, b, n) != ZIP_OK)
            return false;
        b += n, len -= n;
    }
    return true;
}

static void bd_part_free(bd_part *p)
{
    if (!p)
        return;
    vsp_deflate_free(p->d);
    free(p);
}

/* The splice itself, where its marker begins: the spliced bytes, then the
 * late ones. */
static bool bd_do_splice(bd_part *p)
{
    const vsp_xlsx_splice *s = p->splice;
    p->spliced = true;
    if (!bd_splice(p->d, s->fd, s->offset, s->deflated, s->len, s->crc, s->window,
                   s->window_len))
        return false;
    const char *late = NULL;
    size_t late_len = 0;
    if (s->late && !s->late(s->late_ctx, &late, &late_len))
        return false;
    return late_len == 0 || vsp_deflate_write(p->d, late, late_len);
}

/* Bytes of a part with a splice still to come: everything before the
 * marker goes on, the marker's first bytes are held back until it is
 * known whether they are the marker.  The marker's first byte occurs in
 * it only there ("</sheetData>"), so a mismatch starts the match anew. */
static bool bd_scan(bd_part *p, const unsigned char *b, size_t len)
{
    const char *m = p->splice->marker;
    size_t held = p->matched;
    for (size_t i = 0; i < len; i++) {
        if (b[i] == (unsigned char)m[p->matched]) {
            if (++p->matched < p->marker_len)
                continue;
            /* the marker ends at i: what precedes it, the splice, the marker */
            size_t begins = held ? 0 : i + 1 - p->marker_len;
            if (begins > 0 && !vsp_deflate_write(p->d, b, begins))
                return false;
            if (!bd_do_splice(p) || !vsp_deflate_write(p->d, m, p->marker_len))
                return false;
            p->matched = 0;
            return i + 1 == len || vsp_deflate_write(p->d, b + i + 1, len - i - 1);
        }
        if (held) { /* the bytes held back were not the marker after all */
            if (!vsp_deflate_write(p->d, m, held))
                return false;
            held = 0;
        }
        p->matched = b[i] == (unsigned char)m[0];
    }
    /* hold back this call's part of a marker begun */
    size_t keep = p->matched - held;
    return len == keep || vsp_deflate_write(p->d, b, len - keep);
}

/* The interposed minizip functions (declared in minizip's zip.h). */

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            uLong crcForCrypting, uLong versionMadeBy, uLong flagBase, int zip64)
{
    if (!have_real_zip())
        return ZIP_INTERNALERROR;
    bool blocks = bd_workers >= 0 && !bd_current && method == Z_DEFLATED && !raw &&
                  !password && windowBits == -MAX_WBITS;
    int rc = real_zip.open(file, filename, zipfi, extrafield_local, size_extrafield_local,
                           extrafield_global, size_extrafield_global, comment, method, level,
                           blocks ? 1 : raw, windowBits, memLevel, strategy, password,
                           crcForCrypting, versionMadeBy, flagBase, zip64);
    if (rc != ZIP_OK || !blocks)
        return rc;
    bd_part *p = vsp_xcalloc(1, sizeof *p);
    p->file = file;
    p->d = bd_new(level, memLevel, strategy, bd_workers, zip_sink, file);
    for (size_t i = 0; filename && i < bd_n_splices; i++)
        if (strcmp(bd_splices[i].part, filename) == 0 && bd_splices[i].marker &&
            bd_splices[i].marker[0]) {
            p->splice = &bd_splices[i];
            p->marker_len = strlen(p->splice->marker);
        }
    bd_current = p;
    return ZIP_OK;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
    if (!have_real_zip())
        return ZIP_INTERNALERROR;
    bd_part *p = bd_current;
    if (!p || p->file != file)
        return real_zip.write(file, buf, len);
    if (!p->failed) {
        if (p->splice && !p->spliced)
            p->failed = !bd_scan(p, buf, len);
        else
            p->failed = !vsp_deflate_write(p->d, buf, len);
    }
    return p->failed ? ZIP_INTERNALERROR : ZIP_OK;
}

int zipCloseFileInZip(zipFile file)
{
    if (!have_real_zip())
        return ZIP_INTERNALERROR;
    bd_part *p = bd_current;
    if (!p || p->file != file)
        return real_zip.close(file);
    if (p->splice && !p->spliced)
        p->failed = true; /* its marker never came */
    bool ok = !p->failed && vsp_deflate_flush(p->d, true);
    int rc = real_zip.close_raw(file, vsp_deflate_total(p->d), vsp_deflate_crc(p->d));
    bd_current = NULL;
    bd_part_free(p);
    return ok ? rc : ZIP_INTERNALERROR;
}

bool vsp_xlsx_block_deflate_built(void)
{
    return true;
}

bool vsp_xlsx_block_deflate_available(void)
{
    return have_real_zip();
}

bool vsp_xlsx_block_deflate_begin(int workers)
{
    if (!have_real_zip())
        return false;
    bd_workers = workers < 0 ? 0 : workers > VSP_DEFLATE_MAX_WORKERS ? VSP_DEFLATE_MAX_WORKERS
                                                                    : workers;
    bd_splices = NULL;
    bd_n_splices = 0;
    return true;
}

void vsp_xlsx_block_deflate_splices(const vsp_xlsx_splice *splices, size_t n)
{
    if (bd_workers < 0)
        return;
    bd_splices = splices;
    bd_n_splices = n;
}

void vsp_xlsx_block_deflate_end(void)
{
    bd_part_free(bd_current); /* only after a failure half-way through a part */
    bd_current = NULL;
    bd_workers = -1;
    bd_splices = NULL;
    bd_n_splices = 0;
}

#endif /* VSP_XLSX_BLOCK_DEFLATE */
