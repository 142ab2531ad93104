/* xlsx_deflate.c — a workbook's parts deflated on several cores, by
 * interposing minizip's functions (see xlsx_deflate.h for how and when). */
#define _GNU_SOURCE /* RTLD_NEXT, for the minizip functions interposed below */
#include "reports/xlsx_deflate.h"

#ifndef VSP_XLSX_BLOCK_DEFLATE
#define VSP_XLSX_BLOCK_DEFLATE 0
#endif

#if !VSP_XLSX_BLOCK_DEFLATE

bool vsp_xlsx_block_deflate_built(void)
{
    return false;
}

bool vsp_xlsx_block_deflate_begin(int workers)
{
    (void)workers;
    return false;
}

void vsp_xlsx_block_deflate_end(void)
{
}

#else

#include "pipeline/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <pthread.h>
#include <xlsxwriter/third_party/zip.h>
#include <zlib.h>

#define BD_DICT 32768 /* deflate's window */
#define BD_MAX_WORKERS 8

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

/* One block: its XML, the 32 KiB before it, its deflated bytes. */
typedef struct bd_job {
    unsigned char *in, *out;
    size_t in_len, out_len, out_cap, dict_len;
    unsigned char dict[BD_DICT];
    uLong crc;
    bool last, failed;
    int state; /* BD_FREE, BD_QUEUED, BD_BUSY, BD_DONE */
} bd_job;

enum { BD_FREE, BD_QUEUED, BD_BUSY, BD_DONE };

/* The part being written.  Jobs are a ring: sequence number s lives in
 * slot s % n_slots; submitted = next to fill, taken = next for a worker,
 * written = next to store. */
typedef struct bd_part {
    zipFile file;
    int level, mem_level, strategy;
    int workers, n_workers;
    pthread_t threads[BD_MAX_WORKERS];
    pthread_mutex_t lock;
    pthread_cond_t queued, done;
    bd_job *jobs;
    size_t n_slots;
    uint64_t submitted, taken, written;
    bd_job *filling; /* the slot being filled, or NULL */
    unsigned char tail[BD_DICT];
    size_t tail_len;
    uLong crc;
    ZPOS64_T total;
    bool quit, failed;
    z_stream z; /* the caller's, when it deflates a block itself */
    bool z_ready;
} bd_part;

static _Thread_local int bd_workers = -1; /* -1: off on this thread */
static _Thread_local bd_part *bd_current;

/* Deflate one block with z (set up for the part's level). */
static bool bd_deflate(z_stream *z, bd_job *j)
{
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

static bool bd_zinit(const bd_part *p, z_stream *z)
{
    memset(z, 0, sizeof *z);
    return deflateInit2(z, p->level, Z_DEFLATED, -MAX_WBITS, p->mem_level, p->strategy) == Z_OK;
}

static void *bd_worker(void *arg)
{
    bd_part *p = arg;
    z_stream z;
    bool ok = bd_zinit(p, &z);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->taken == p->submitted)
            pthread_cond_wait(&p->queued, &p->lock);
        if (p->taken == p->submitted)
            break;
        bd_job *j = &p->jobs[p->taken++ % p->n_slots];
        j->state = BD_BUSY;
        pthread_mutex_unlock(&p->lock);
        j->failed = !ok || !bd_deflate(&z, j);
        pthread_mutex_lock(&p->lock);
        j->state = BD_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    if (ok)
        deflateEnd(&z);
    return NULL;
}

/* Store the oldest submitted block (waiting for it); false on failure. */
static bool bd_store_oldest(bd_part *p)
{
    bd_job *j = &p->jobs[p->written % p->n_slots];
    if (p->n_workers) {
        pthread_mutex_lock(&p->lock);
        while (j->state != BD_DONE)
            pthread_cond_wait(&p->done, &p->lock);
        pthread_mutex_unlock(&p->lock);
    }
    p->written++;
    j->state = BD_FREE;
    if (j->failed) {
        p->failed = true;
        return false;
    }
    p->crc = crc32_combine(p->crc, j->crc, (z_off_t)j->in_len);
    p->total += j->in_len;
    for (size_t o = 0; o < j->out_len;) {
        unsigned n = j->out_len - o > (1u << 30) ? 1u << 30 : (unsigned)(j->out_len - o);
        if (real_zip.write(p->file, j->out + o, n) != ZIP_OK) {
            p->failed = true;
            return false;
        }
        o += n;
    }
    return true;
}

static void bd_start_workers(bd_part *p)
{
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return;
    if (pthread_cond_init(&p->queued, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        return;
    }
    if (pthread_cond_init(&p->done, NULL) != 0) {
        pthread_cond_destroy(&p->queued);
        pthread_mutex_destroy(&p->lock);
        return;
    }
    while (p->n_workers < p->workers &&
           pthread_create(&p->threads[p->n_workers], NULL, bd_worker, p) == 0)
        p->n_workers++;
    if (!p->n_workers) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->queued);
        pthread_mutex_destroy(&p->lock);
    }
}

/* Hand the block being filled to the workers (or deflate it here). */
static bool bd_submit(bd_part *p, bool last)
{
    bd_job *j = p->filling;
    p->filling = NULL;
    j->last = last;
    j->failed = false;
    /* the next block is primed with the end of this one */
    if (j->in_len >= BD_DICT) {
        memcpy(p->tail, j->in + j->in_len - BD_DICT, BD_DICT);
        p->tail_len = BD_DICT;
    }
    if (!last && p->workers > 0 && !p->n_workers && p->submitted == 0)
        bd_start_workers(p); /* a part of more than one block */
    if (!p->n_workers) {
        if (!p->z_ready && !(p->z_ready = bd_zinit(p, &p->z)))
            return false;
        j->failed = !bd_deflate(&p->z, j);
        j->state = BD_DONE;
        p->submitted++;
        p->taken++;
        return true;
    }
    pthread_mutex_lock(&p->lock);
    j->state = BD_QUEUED;
    p->submitted++;
    pthread_cond_signal(&p->queued);
    pthread_mutex_unlock(&p->lock);
    return true;
}

/* The next free slot to fill, storing older blocks to make room. */
static bool bd_next_slot(bd_part *p)
{
    while (p->submitted - p->written == p->n_slots)
        if (!bd_store_oldest(p))
            return false;
    bd_job *j = &p->jobs[p->submitted % p->n_slots];
    j->in_len = 0;
    memcpy(j->dict, p->tail, p->tail_len);
    j->dict_len = p->tail_len;
    p->filling = j;
    return true;
}

static void bd_part_free(bd_part *p)
{
    if (!p)
        return;
    if (p->n_workers) {
        pthread_mutex_lock(&p->lock);
        p->quit = true;
        pthread_cond_broadcast(&p->queued);
        pthread_mutex_unlock(&p->lock);
        for (int i = 0; i < p->n_workers; i++)
            pthread_join(p->threads[i], NULL);
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->queued);
        pthread_mutex_destroy(&p->lock);
    }
    if (p->z_ready)
        deflateEnd(&p->z);
    for (size_t i = 0; i < p->n_slots; i++) {
        free(p->jobs[i].in);
        free(p->jobs[i].out);
    }
    free(p->jobs);
    free(p);
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
    p->level = level, p->mem_level = memLevel, p->strategy = strategy;
    p->workers = bd_workers;
    p->n_slots = 2 * ((size_t)bd_workers + 1);
    p->jobs = vsp_xcalloc(p->n_slots, sizeof *p->jobs);
    for (size_t i = 0; i < p->n_slots; i++)
        p->jobs[i].in = vsp_xmalloc(VSP_XLSX_DEFLATE_BLOCK);
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
    const unsigned char *b = buf;
    while (len > 0 && !p->failed) {
        if (p->filling && p->filling->in_len == VSP_XLSX_DEFLATE_BLOCK && !bd_submit(p, false))
            p->failed = true;
        if (!p->failed && !p->filling && !bd_next_slot(p))
            p->failed = true;
        if (p->failed)
            break;
        bd_job *j = p->filling;
        size_t n = VSP_XLSX_DEFLATE_BLOCK - j->in_len;
        if (n > len)
            n = len;
        memcpy(j->in + j->in_len, b, n);
        j->in_len += n, b += n, len -= (unsigned)n;
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
    bool ok = !p->failed && (p->filling || bd_next_slot(p)) && bd_submit(p, true);
    while (ok && p->written < p->submitted)
        ok = bd_store_oldest(p);
    int rc = real_zip.close_raw(file, p->total, p->crc);
    bd_current = NULL;
    bd_part_free(p);
    return ok ? rc : ZIP_INTERNALERROR;
}

bool vsp_xlsx_block_deflate_built(void)
{
    return true;
}

bool vsp_xlsx_block_deflate_begin(int workers)
{
    if (!have_real_zip())
        return false;
    bd_workers = workers < 0 ? 0 : workers > BD_MAX_WORKERS ? BD_MAX_WORKERS : workers;
    return true;
}

void vsp_xlsx_block_deflate_end(void)
{
    bd_part_free(bd_current); /* only after a failure half-way through a part */
    bd_current = NULL;
    bd_workers = -1;
}

#endif /* VSP_XLSX_BLOCK_DEFLATE */
