/* MAP_ANONYMOUS (a mapping shared with the rendering processes) is not
 * POSIX; glibc has it under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE 1

#include "cli/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/designation.h"
#include "pipeline/aggregate.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/i18n.h"
#include "pipeline/ingest.h"
#include "pipeline/metrics.h"
#include "pipeline/outfile.h"
#include "pipeline/period.h"
#include "pipeline/profile.h"
#include "pipeline/release.h"
#include "pipeline/sha256.h"
#include "pipeline/store.h"
#include "pipeline/util.h"
#include "reports/export.h"
#include "reports/eu_template.h"
#include "reports/figures.h"

/* One regulator folder of the input. */
typedef struct regulator {
    char *dir;            /* in/<name> */
    char *name;           /* folder name */
    vsp_profile *profile; /* NULL when none was found */
    char **files;         /* case logs, sorted */
    size_t n_files;
} regulator;

/* One input file as the manifest lists it. */
typedef struct input_file {
    char *rel; /* path relative to the input folder */
    char sha256[VSP_SHA256_HEX];
    long long size;
    const char *profile; /* borrowed from the regulator */
    const char *status;  /* "ingested", "unchanged", "failed" */
} input_file;

/* public/releases/<period>/v<N>/: every release's public files. */
#define RELEASES_DIR "releases"

/* What the public manifest of the previous run said (cli/run.c, releases):
 * the release the stable paths hold and what its figures rested on. */
typedef struct release_meta {
    char id[48], period[32], date[11], status[16];
    int version, previous_version;
} release_meta;

typedef struct prev_state {
    bool found; /* the manifest names a release */
    release_meta rel;
    char vspreport[64], freeze[32], state[80];
    long long last_run; /* the newest ingest run its figures rest on; -1 unknown */
    int n_as_of;
    char as_of_cc[16][8], as_of[16][11];
    int n_profiles;
    char prof_cc[16][8], prof_name[16][64], prof_sha[16][VSP_SHA256_HEX];
} prev_state;

typedef struct run {
    const vsp_run_options *opt;
    vsp_error *err;
    char *db_path;
    char *key_path; /* the export key file; NULL: VSP_EXPORT_KEY */
    /* The output folder's halves (run.h): pub is what may be published
     * whole — every renderer writes under it (reports/, workbooks/,
     * charts/, export/, site/) and its manifest.json lists it; priv
     * (0700) holds the warehouse, the rejects and the export key. */
    char *pub;
    char *priv;
    char *lock_path;
    int lock_fd;
    regulator *regs;
    size_t n_regs;
    input_file *inputs;
    size_t n_inputs;
    int failed_files;
    vsp_buf failures; /* "file: message" lines */
    int stage, n_stages;
    bool tty;
    /* Wall seconds per stage, for the summary ("ingest 8.1 s, ..."). */
    double stage_start;
    const char *stage_name;
    vsp_buf timings;
    prev_state prev;     /* read before anything is written */
    bool release_same;   /* --force with nothing changed: the release is made again */
    long long last_run;  /* the newest ingest run this release rests on (agg_freeze.sql) */
    /* The research export, started as soon as the cases are ingested
     * (export_start): its process, what it reports, where it writes until
     * the warehouse check has passed. */
    pid_t export_pid;
    struct board *export_board;
    char *export_stage;
    int export_pipe; /* a socket: tells the waiting export its period (export_start) */
    double export_start, export_time, export_wait; /* seconds, for the summary */
    struct prehash *prehash; /* digests taken beside the web edition */
} run;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir (no dot files), sorted; NULL if the folder cannot be read. */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            names = vsp_xrealloc(names, cap * sizeof *names);
        }
        names[count++] = vsp_xstrdup(e->d_name);
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, cmp_str);
    *n = count;
    if (!names)
        names = vsp_xcalloc(1, sizeof *names);
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* One folder, created with mode if missing.  A symbolic link to a folder
 * is accepted; a link that leads nowhere, or back to itself, is named. */
static vsp_status ensure_dir(const char *p, mode_t mode, vsp_error *err)
{
    struct stat sb;
    if (mkdir(p, mode) == 0)
        return VSP_OK;
    if (errno != EEXIST)
        return vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create folder: %s", p,
                             strerror(errno));
    if (stat(p, &sb) == 0)
        return S_ISDIR(sb.st_mode)
                   ? VSP_OK
                   : vsp_error_set(err, VSP_ECANTCREAT,
                                   "%s: cannot create folder: a file of that name exists; move "
                                   "it away or choose another output folder",
                                   p);
    if (errno == ELOOP)
        return vsp_error_set(err, VSP_ECANTCREAT,
                             "%s: a symbolic link loop (the link leads back to itself); "
                             "remove the link or point it at a folder",
                             p);
    return vsp_error_set(err, VSP_ECANTCREAT,
                         "%s: a symbolic link to nothing (%s); remove the link or point it at "
                         "a folder",
                         p, strerror(errno));
}

static vsp_status mkdir_p_mode(const char *path, mode_t mode, vsp_error *err)
{
    char *p = vsp_xstrdup(path);
    vsp_status st = VSP_OK;
    for (char *s = p + 1; *s && st == VSP_OK; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        st = ensure_dir(p, 0777, err);
        *s = '/';
    }
    if (st == VSP_OK)
        st = ensure_dir(p, mode, err);
    free(p);
    return st;
}

static vsp_status mkdir_p(const char *path, vsp_error *err)
{
    return mkdir_p_mode(path, 0777, err);
}

/* Close the stage that is running (its time goes into the summary) and,
 * unless `name` is NULL, start the next. */
static void stage_end(run *r)
{
    double now = vsp_now();
    if (r->stage_name)
        vsp_buf_printf(&r->timings, "%s%s %.1f s", r->timings.len ? ", " : "", r->stage_name,
                       now - r->stage_start);
    r->stage_name = NULL;
    r->stage_start = now;
}

static void stage(run *r, const char *name, const char *what)
{
    stage_end(r);
    r->stage_name = name;
    r->stage++;
    if (r->tty)
        fprintf(stderr, "[%d/%d] %s\n", r->stage, r->n_stages, what);
}

static vsp_status tighten_private(run *r);
static release_meta *list_releases(run *r, size_t *count);
static vsp_status archive_release(run *r, const vsp_release *rel, const char *rows,
                                  const vsp_buf *manifest, char **partial, char **final);

/* ---- locking --------------------------------------------------------- */

static vsp_status lock_out(run *r)
{
    r->lock_path = vsp_xasprintf("%s/.vspreport.lock", r->opt->out_dir);
    r->lock_fd = open(r->lock_path, O_RDWR | O_CREAT, 0666);
    if (r->lock_fd < 0)
        return vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot create: %s", r->lock_path,
                             strerror(errno));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(r->lock_fd, F_SETLK, &fl) != 0) {
        struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        long pid = fcntl(r->lock_fd, F_GETLK, &who) == 0 ? (long)who.l_pid : 0;
        return vsp_error_set(r->err, VSP_ETEMPFAIL,
                             "%s is in use by another vspreport run (pid %ld); wait for it to "
                             "finish, then run again",
                             r->opt->out_dir, pid);
    }
    return VSP_OK;
}

/* ---- discovery and ingest ------------------------------------------- */

static char *find_profile(run *r, const char *dir, const char *name)
{
    size_t n = 0;
    char **names = list_dir(dir, &n);
    char *found = NULL;
    for (size_t i = 0; names && i < n && !found; i++)
        if (ends_with(names[i], ".ini"))
            found = vsp_xasprintf("%s/%s", dir, names[i]);
    free_list(names, n);
    if (found)
        return found;
    char *data = vsp_data_path("profiles");
    const char *bases[3] = {r->opt->profiles_dir, "profiles", data};
    for (int i = 0; i < 3 && !found; i++) {
        if (!bases[i])
            continue;
        char *p = vsp_xasprintf("%s/%s.ini", bases[i], name);
        if (access(p, R_OK) == 0)
            found = p;
        else
            free(p);
        if (r->opt->profiles_dir)
            break; /* an explicit folder is the only one */
    }
    free(data);
    return found;
}

/* Remember an input that could not be used; the run goes on. */
static void note_failure(run *r, const char *msg)
{
    r->failed_files++;
    vsp_buf_printf(&r->failures, "vspreport run: %s\n", msg);
}

static vsp_status discover(run *r)
{
    size_t n = 0;
    char **names = list_dir(r->opt->in_dir, &n);
    if (!names)
        return vsp_error_set(r->err, VSP_ENOINPUT, "%s: cannot read the input folder: %s",
                             r->opt->in_dir, strerror(errno));
    r->regs = vsp_xcalloc(n ? n : 1, sizeof *r->regs);
    for (size_t i = 0; i < n; i++) {
        char *dir = vsp_xasprintf("%s/%s", r->opt->in_dir, names[i]);
        if (!is_dir(dir)) {
            free(dir);
            continue;
        }
        regulator *g = &r->regs[r->n_regs++];
        g->dir = dir;
        g->name = vsp_xstrdup(names[i]);
        char *profile_path = find_profile(r, dir, names[i]);
        if (!profile_path) {
            char *msg = vsp_xasprintf("%s: no profile: put one in the folder or name the "
                                      "folder after a profile in profiles/ (e.g. al-ama)",
                                      dir);
            note_failure(r, msg);
            free(msg);
        } else {
            vsp_error perr;
            g->profile = vsp_profile_load(profile_path, &perr);
            if (!g->profile)
                note_failure(r, perr.msg);
            free(profile_path);
        }
        size_t nf = 0;
        char **files = list_dir(dir, &nf);
        g->files = vsp_xcalloc(nf ? nf : 1, sizeof *g->files);
        for (size_t k = 0; files && k < nf; k++)
            if (ends_with(files[k], ".csv") || ends_with(files[k], ".CSV") ||
                ends_with(files[k], ".tsv") || ends_with(files[k], ".txt"))
                g->files[g->n_files++] = vsp_xasprintf("%s/%s", dir, files[k]);
        free_list(files, nf);
    }
    free_list(names, n);
    if (r->n_regs == 0)
        return vsp_error_set(r->err, VSP_ENOINPUT,
                             "%s: no regulator folders; put each regulator's case logs in a "
                             "sub-folder named after its profile, e.g. %s/al-ama/",
                             r->opt->in_dir, r->opt->in_dir);
    return VSP_OK;
}

/* True when the warehouse already ingested a file with this digest. */
static bool already_ingested(vsp_store *store, const char *sha, const char *profile)
{
    sqlite3_stmt *st = vsp_store_prepare(store, "run_file_ingested", NULL);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, profile, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* The digests of the input files, computed in file order on a thread of
 * their own: the run needs a file's digest before it ingests it (an
 * unchanged file is skipped), and hashing the next file while this one is
 * ingested takes its time (0.2 s for the exports of a million cases) off
 * the run's critical path. */
typedef struct hasher {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char **paths;       /* borrowed from the regulators */
    input_file *files;  /* sha256 filled in */
    vsp_status *status; /* per file */
    vsp_error *errs;    /* per file, when status is not VSP_OK */
    size_t n, done;     /* done: files hashed so far (under mu) */
    bool stop;          /* the run gives up: hash no further (under mu) */
} hasher;

static void *hash_files(void *arg)
{
    hasher *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        pthread_mutex_lock(&h->mu);
        bool stop = h->stop;
        pthread_mutex_unlock(&h->mu);
        if (stop)
            break;
        h->status[i] = vsp_sha256_file(h->paths[i], h->files[i].sha256, &h->errs[i]);
        pthread_mutex_lock(&h->mu);
        h->done = i + 1;
        pthread_cond_signal(&h->cv);
        pthread_mutex_unlock(&h->mu);
    }
    return NULL;
}

static void hasher_wait(hasher *h, size_t i)
{
    pthread_mutex_lock(&h->mu);
    while (h->done <= i)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

/* The warehouse check (vsp_store_check), on one snapshot, before the
 * run's first ingest into the warehouse.  Passed, it holds for this
 * connection until another one commits: the aggregation after the ingests
 * does not read a million cases again to find what this run just wrote.
 * Found damaged, the run stops with nothing added. */
static vsp_status check_before_ingest(vsp_store *store, vsp_error *err)
{
    vsp_status st = vsp_store_begin(store, err);
    if (st != VSP_OK)
        return st;
    st = vsp_store_check(store, err);
    vsp_store_rollback(store); /* it only read */
    return st;
}

static vsp_status ingest_all(run *r, vsp_store *store, int *n_ingested)
{
    char *rejects = vsp_xasprintf("%s/rejects", r->priv);
    vsp_status st = mkdir_p_mode(rejects, 0700, r->err);
    if (st != VSP_OK) {
        free(rejects);
        return st;
    }
    size_t total = 0;
    for (size_t i = 0; i < r->n_regs; i++)
        total += r->regs[i].n_files;
    r->inputs = vsp_xcalloc(total ? total : 1, sizeof *r->inputs);
    regulator **reg_of = vsp_xcalloc(total ? total : 1, sizeof *reg_of);
    hasher h = {.n = total,
                .files = r->inputs,
                .paths = vsp_xcalloc(total ? total : 1, sizeof *h.paths),
                .status = vsp_xcalloc(total ? total : 1, sizeof *h.status),
                .errs = vsp_xcalloc(total ? total : 1, sizeof *h.errs)};
    size_t in_len = strlen(r->opt->in_dir);
    for (size_t i = 0; i < r->n_regs; i++) {
        regulator *g = &r->regs[i];
        for (size_t k = 0; k < g->n_files; k++) {
            input_file *f = &r->inputs[r->n_inputs];
            const char *path = g->files[k];
            f->rel = vsp_xstrdup(path + in_len + (path[in_len] == '/'));
            f->profile = g->profile ? g->profile->name_stem : "";
            struct stat sb;
            f->size = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
            h.paths[r->n_inputs] = g->files[k];
            reg_of[r->n_inputs++] = g;
        }
    }
    pthread_mutex_init(&h.mu, NULL);
    pthread_cond_init(&h.cv, NULL);
    pthread_t thread;
    bool threaded = pthread_create(&thread, NULL, hash_files, &h) == 0;
    if (!threaded)
        hash_files(&h); /* no thread: hash them all first, same result */

    size_t i = 0;
    bool checked = false;
    for (; i < r->n_inputs && st == VSP_OK; i++) {
        input_file *f = &r->inputs[i];
        regulator *g = reg_of[i];
        hasher_wait(&h, i);
        if (h.status[i] != VSP_OK) {
            f->status = "failed";
            note_failure(r, h.errs[i].msg);
            continue;
        }
        if (!g->profile) {
            f->status = "failed";
            continue;
        }
        if (already_ingested(store, f->sha256, g->profile->name_stem)) {
            f->status = "unchanged";
            continue;
        }
        if (!checked) { /* before the first file that is ingested */
            checked = true;
            if ((st = check_before_ingest(store, r->err)) != VSP_OK)
                break;
        }
        vsp_ingest_options io = {.rejects_dir = rejects, .progress = true};
        vsp_ingest_result res;
        vsp_ingest_result_init(&res);
        vsp_error ferr;
        vsp_status fs = vsp_ingest_file(store, g->profile, h.paths[i], &io, &res, &ferr);
        if (fs == VSP_OK) {
            f->status = "ingested";
            (*n_ingested)++;
            if (r->tty)
                fprintf(stderr, "      %s: %llu rows, %llu rejected\n", f->rel,
                        (unsigned long long)res.counts.rows_read,
                        (unsigned long long)res.counts.rows_rejected);
        } else {
            f->status = "failed";
            note_failure(r, ferr.msg);
            /* The warehouse itself is in trouble: stop here. */
            if (fs == VSP_ETEMPFAIL || fs == VSP_EIO || fs == VSP_ECANTCREAT)
                st = vsp_error_set(r->err, fs, "%s", ferr.msg);
        }
        vsp_ingest_result_fini(&res);
    }
    /* Stopped early: the manifest lists the files the run got to. */
    for (size_t k = i; k < r->n_inputs; k++)
        free(r->inputs[k].rel);
    r->n_inputs = i;
    if (threaded) {
        pthread_mutex_lock(&h.mu);
        h.stop = true;
        pthread_mutex_unlock(&h.mu);
        pthread_join(thread, NULL);
    }
    pthread_cond_destroy(&h.cv);
    pthread_mutex_destroy(&h.mu);
    free(h.paths);
    free(h.status);
    free(h.errs);
    free(reg_of);
    free(rejects);
    return st;
}

/* ---- manifest -------------------------------------------------------- */

static void json_str(vsp_buf *b, const char *s)
{
    vsp_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            vsp_buf_putc(b, '\\');
            vsp_buf_putc(b, (char)c);
        } else if (c < 0x20) {
            vsp_buf_printf(b, "\\u%04x", c);
        } else {
            vsp_buf_putc(b, (char)c);
        }
    }
    vsp_buf_putc(b, '"');
}

static const char *kind_of(const char *rel)
{
    static const struct {
        const char *prefix, *kind;
    } kinds[] = {{"reports/", "report"},
                 {"workbooks/", "workbook"},
                 {"charts/", "chart"},
                 {"export/", "research-export"},
                 {"site/", "web-edition"},
                 {"figures.csv", "figures"},
                 {"figures-codebook.csv", "figures-codebook"},
                 {"eu-template-", "eu-template-layout (alignment aid)"},
                 {"warehouse.db", "warehouse (personal data)"},
                 {"rejects/", "rejected rows (personal data)"},
                 {"export.key", "pseudonym key (secret)"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(rel, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
            return kinds[i].kind;
    return "other";
}

static bool skip_output(const char *rel)
{
    const char *base = strrchr(rel, '/');
    return strcmp(rel, "manifest.json") == 0 || vsp_run_is_temp_name(base ? base + 1 : rel) ||
           strncmp(rel, "warehouse.db-", 13) == 0; /* SQLite's journal: of the moment */
}

/* Files listed by size alone: the warehouse changes with every run and is
 * large, and a digest of a secret key is not worth having in a file. */
static bool size_only(const char *rel)
{
    return strncmp(rel, "warehouse.db", 12) == 0 || strcmp(rel, "export.key") == 0;
}

/* What each listed file is given to: its path relative to the root and
 * its full path; anything but VSP_OK stops the walk. */
typedef vsp_status (*walk_fn)(void *ctx, const char *rel, const char *path);

/* Every regular file under root/rel that a manifest lists, depth first,
 * names sorted, never through a symbolic link: not the manifest itself,
 * temporaries, SQLite's journals or the archive of earlier releases (each
 * release has its own manifest), nor `skip_top`, a folder directly under
 * root (NULL: none). */
static vsp_status walk_files(run *r, const char *root, const char *rel, const char *skip_top,
                             walk_fn fn, void *ctx)
{
    char *dir = *rel ? vsp_xasprintf("%s/%s", root, rel) : vsp_xstrdup(root);
    size_t n = 0;
    char **names = list_dir(dir, &n);
    vsp_status st = VSP_OK;
    for (size_t i = 0; names && i < n && st == VSP_OK; i++) {
        char *child = *rel ? vsp_xasprintf("%s/%s", rel, names[i]) : vsp_xstrdup(names[i]);
        char *path = vsp_xasprintf("%s/%s", root, child);
        struct stat lsb;
        if (lstat(path, &lsb) != 0 || S_ISLNK(lsb.st_mode)) {
            /* not vspreport's: a link is neither listed nor followed */
        } else if (S_ISDIR(lsb.st_mode)) {
            if (!(root == r->pub && strcmp(child, RELEASES_DIR) == 0) &&
                !(skip_top && strcmp(child, skip_top) == 0))
                st = walk_files(r, root, child, skip_top, fn, ctx);
        } else if (S_ISREG(lsb.st_mode) && !skip_output(child) &&
                   !(r->opt->db && strcmp(path, r->db_path) == 0)) {
            st = fn(ctx, child, path);
        }
        free(child);
        free(path);
    }
    free_list(names, n);
    free(dir);
    return st;
}

/* ---- digests taken beside the web edition --------------------------------
 *
 * The public manifest lists every output with its SHA-256: at a million
 * cases about 400 MB, most of it the research export, which the manifest
 * read and hashed on one core after the web edition while the other core
 * idled (0.4 s).  Once rendering has finished, a thread hashes what is
 * already under the public half, but the web edition, while this process
 * writes the web edition; the manifest takes a file's digest from it when
 * the file is still the one that was hashed (same device, inode, size and
 * modification time: every output is written to a temporary and renamed,
 * so a file rewritten since is another inode), and hashes any other file
 * itself. */
typedef struct prehashed {
    char *rel;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    char sha[VSP_SHA256_HEX];
} prehashed;

typedef struct prehash {
    run *r;
    pthread_t tid;
    bool joined;
    prehashed *v; /* sorted by rel once joined */
    size_t n, cap;
} prehash;

static bool same_file(const struct stat *a, dev_t dev, ino_t ino, off_t size,
                      const struct timespec *mtime)
{
    return a->st_dev == dev && a->st_ino == ino && a->st_size == size &&
           a->st_mtim.tv_sec == mtime->tv_sec && a->st_mtim.tv_nsec == mtime->tv_nsec;
}

static vsp_status prehash_file(void *ctx, const char *rel, const char *path)
{
    prehash *h = ctx;
    struct stat before, after;
    char sha[VSP_SHA256_HEX];
    vsp_error e;
    /* the file hashed is the one stat saw on both sides, or none is kept */
    if (size_only(rel) || stat(path, &before) != 0 || vsp_sha256_file(path, sha, &e) != VSP_OK ||
        stat(path, &after) != 0 ||
        !same_file(&after, before.st_dev, before.st_ino, before.st_size, &before.st_mtim))
        return VSP_OK;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = vsp_xrealloc(h->v, h->cap * sizeof *h->v);
    }
    prehashed *p = &h->v[h->n++];
    p->rel = vsp_xstrdup(rel);
    p->dev = before.st_dev;
    p->ino = before.st_ino;
    p->size = before.st_size;
    p->mtime = before.st_mtim;
    memcpy(p->sha, sha, sizeof sha);
    return VSP_OK;
}

static void *prehash_main(void *arg)
{
    prehash *h = arg;
    walk_files(h->r, h->r->pub, "", "site", prehash_file, h);
    return NULL;
}

static int cmp_prehashed(const void *a, const void *b)
{
    return strcmp(((const prehashed *)a)->rel, ((const prehashed *)b)->rel);
}

static int cmp_rel_prehashed(const void *rel, const void *p)
{
    return strcmp(rel, ((const prehashed *)p)->rel);
}

/* Start hashing the public half (no thread: the manifest hashes it all). */
static void prehash_start(run *r)
{
    prehash *h = vsp_xcalloc(1, sizeof *h);
    h->r = r;
    if (pthread_create(&h->tid, NULL, prehash_main, h) != 0) {
        free(h);
        return;
    }
    r->prehash = h;
}

/* Wait for the thread; its digests stay for prehash_find. */
static void prehash_join(run *r)
{
    prehash *h = r->prehash;
    if (!h || h->joined)
        return;
    pthread_join(h->tid, NULL);
    h->joined = true;
    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, cmp_prehashed);
}

/* The digest of rel taken beside the web edition, if the file at rel is
 * still the one hashed. */
static const char *prehash_find(run *r, const char *rel, const struct stat *sb)
{
    prehash *h = r->prehash;
    if (!h || !h->joined || !h->n)
        return NULL;
    const prehashed *p = bsearch(rel, h->v, h->n, sizeof *h->v, cmp_rel_prehashed);
    return p && same_file(sb, p->dev, p->ino, p->size, &p->mtime) ? p->sha : NULL;
}

static void prehash_free(run *r)
{
    prehash_join(r);
    prehash *h = r->prehash;
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].rel);
    free(h->v);
    free(h);
    r->prehash = NULL;
}

/* The rows of a manifest, "rel\tsize\tsha\n" (sha "-" for size_only
 * files), and how many. */
typedef struct manifest_rows {
    run *r;
    vsp_buf *rows;
    size_t *count;
} manifest_rows;

static vsp_status manifest_row(void *ctx, const char *rel, const char *path)
{
    manifest_rows *m = ctx;
    char sha[VSP_SHA256_HEX] = "-";
    struct stat sb;
    vsp_status st = VSP_OK;
    if (stat(path, &sb) != 0)
        return VSP_OK; /* gone since it was listed */
    if (!size_only(rel)) {
        const char *known = prehash_find(m->r, rel, &sb);
        if (known)
            memcpy(sha, known, sizeof sha);
        else
            st = vsp_sha256_file(path, sha, m->r->err);
    }
    if (st == VSP_OK) {
        vsp_buf_printf(m->rows, "%s\t%lld\t%s\n", rel, (long long)sb.st_size, sha);
        (*m->count)++;
    }
    return st;
}

static vsp_status walk(run *r, const char *root, vsp_buf *rows, size_t *count)
{
    manifest_rows m = {r, rows, count};
    return walk_files(r, root, "", NULL, manifest_row, &m);
}

/* The state the outputs are made from: if it is unchanged, so are they. */
static char *state_key(run *r, const char *period, const char *freeze)
{
    vsp_sha256 *h = vsp_sha256_new();
    vsp_buf b;
    vsp_buf_init(&b);
    /* "releases 1": outputs made before runs were releases are made again,
     * as the first release */
    vsp_buf_printf(&b, "vspreport %s\nreleases 1\nperiod %s\nfreeze %s\n", VSP_VERSION, period,
                   freeze);
    /* Whether a file was ingested now or before does not matter; whether
     * it could be used does. */
    for (size_t i = 0; i < r->n_inputs; i++)
        vsp_buf_printf(&b, "%s %s %s\n", r->inputs[i].rel, r->inputs[i].sha256,
                       strcmp(r->inputs[i].status, "failed") == 0 ? "failed" : "used");
    /* what else the outputs show: the designation note setting and the
     * regulators' forewords */
    vsp_buf_printf(&b, "kosovo-note %s\n", vsp_designation_on() ? "on" : "off");
    static const char *const langs[] = {"en", "sq", "sr", "sr-Latn", "mk", "bs", "cnr"};
    for (size_t i = 0; i <= r->n_regs; i++) {
        const char *dir = i < r->n_regs ? r->regs[i].dir : r->opt->in_dir;
        for (size_t k = 0; dir && k < sizeof langs / sizeof langs[0]; k++) {
            char *f = vsp_xasprintf("%s/foreword.%s.md", dir, langs[k]);
            if (access(f, F_OK) == 0) {
                vsp_buf_printf(&b, "foreword %s ", f);
                vsp_buf_append_file(&b, f); /* unreadable: its render fails */
                vsp_buf_putc(&b, '\n');
            }
            free(f);
        }
    }
    vsp_sha256_update(h, b.data, b.len);
    vsp_buf_fini(&b);
    char hex[VSP_SHA256_HEX];
    vsp_sha256_final(h, hex);
    return vsp_xstrdup(hex);
}

/* True when manifest.json records this state and its outputs are intact. */
static bool outputs_current(run *r, const char *state)
{
    char *path = vsp_xasprintf("%s/manifest.json", r->pub);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp)
        return false;
    char line[4096];
    bool same = false;
    bool intact = true;
    char want[128];
    snprintf(want, sizeof want, "  \"state\": \"%s\",", state);
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, want) == 0)
            same = true;
        /* Output rows: {"path": "...", "kind": ..., "size": N, ...} */
        const char *p = strstr(line, "{\"path\": \"");
        if (p && strstr(line, "\"kind\"")) {
            p += 10;
            const char *q = strchr(p, '"');
            const char *sz = strstr(line, "\"size\": ");
            if (!q || !sz)
                continue;
            char *rel = vsp_xstrndup(p, (size_t)(q - p));
            char *full = vsp_xasprintf("%s/%s", r->pub, rel);
            struct stat sb;
            if (stat(full, &sb) != 0 || (long long)sb.st_size != atoll(sz + 8))
                intact = false;
            free(rel);
            free(full);
        }
    }
    fclose(fp);
    return same && intact;
}

/* "YYYY-MM-DD" of day (YYYYMMDD) into buf. */
static const char *iso_day(int32_t day, char buf[static 16])
{
    snprintf(buf, 16, "%04d-%02d-%02d", (int)(day / 10000 % 10000), (int)(day / 100 % 100),
             (int)(day % 100));
    return buf;
}

/* The public manifest's release fields: this release, the earlier ones
 * with their paths, and what the figures rest on (each regulator's
 * profile and its SHA-256; a changed profile is "re-mapped labels" in the
 * next release's revisions). */
static void manifest_release_fields(run *r, vsp_buf *j, const vsp_release *rel)
{
    char id[48];
    vsp_release_id(rel, id, sizeof id);
    vsp_buf_puts(j, "\n  \"release\": {\"id\": ");
    json_str(j, id);
    vsp_buf_puts(j, ", \"period\": ");
    json_str(j, rel->period);
    vsp_buf_printf(j, ", \"version\": %d, \"date\": ", rel->version);
    json_str(j, rel->date);
    vsp_buf_printf(j, ", \"status\": \"%s\", \"previous_version\": %d, \"previous_date\": ",
                   rel->provisional ? "provisional" : "final", rel->previous_version);
    if (rel->previous_version)
        json_str(j, rel->previous_date);
    else
        vsp_buf_puts(j, "null");
    vsp_buf_puts(j, ", \"path\": ");
    char *path = vsp_xasprintf("%s/%s/v%d/", RELEASES_DIR, rel->period, rel->version);
    json_str(j, path);
    free(path);
    vsp_buf_printf(j, ", \"revisions\": %zu, \"revisions_file\": \"revisions.csv\", "
                      "\"figures_file\": \"figures.csv\", \"ingest_run\": %lld},",
                   rel->n_revisions, r->last_run);
    size_t n = 0;
    release_meta *all = list_releases(r, &n);
    vsp_buf_puts(j, "\n  \"releases\": [");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].id, id) == 0)
            continue; /* this one (made again) is above */
        vsp_buf_puts(j, shown++ ? ",\n    {\"id\": " : "\n    {\"id\": ");
        json_str(j, all[i].id);
        vsp_buf_puts(j, ", \"period\": ");
        json_str(j, all[i].period);
        vsp_buf_printf(j, ", \"version\": %d, \"date\": ", all[i].version);
        json_str(j, all[i].date);
        vsp_buf_puts(j, ", \"status\": ");
        json_str(j, all[i].status);
        char *p = vsp_xasprintf("%s/%s/v%d/", RELEASES_DIR, all[i].period, all[i].version);
        vsp_buf_puts(j, ", \"path\": ");
        json_str(j, p);
        free(p);
        vsp_buf_puts(j, "}");
    }
    vsp_buf_puts(j, shown ? "\n  ]," : "],");
    free(all);
    vsp_buf_puts(j, "\n  \"profiles\": [");
    size_t k = 0;
    for (size_t i = 0; i < r->n_regs; i++) {
        const vsp_profile *p = r->regs[i].profile;
        char sha[VSP_SHA256_HEX];
        vsp_error herr;
        if (!p || vsp_sha256_file(p->path, sha, &herr) != VSP_OK)
            continue;
        vsp_buf_puts(j, k++ ? ",\n    {\"country\": " : "\n    {\"country\": ");
        json_str(j, p->country);
        vsp_buf_puts(j, ", \"profile\": ");
        json_str(j, p->name_stem);
        vsp_buf_printf(j, ", \"sha256\": \"%s\"}", sha);
    }
    vsp_buf_puts(j, k ? "\n  ]," : "],");
}

/* root/manifest.json: the files under root and the inputs.  The public
 * one lists "outputs" (what may be published); the private one "files".
 * How current the figures are is "data_as_of" (DESIGN §5: per regulator,
 * the region as of the earliest); "data_freeze" is the time of the last
 * ingest, bookkeeping only.  The public one of a release (rel not NULL)
 * says which release it is, and is written last, as the commit point of
 * the release's archive (releases/<period>/v<N>/, made first as
 * .v<N>.partial and renamed after it). */
static vsp_status write_manifest_of(run *r, const char *root, bool public_half,
                                    const char *period, const char *freeze,
                                    const vsp_aggregate_result *ar, const char *state,
                                    const vsp_release *rel, size_t *n_outputs)
{
    vsp_buf rows;
    vsp_buf_init(&rows);
    *n_outputs = 0;
    vsp_status st = walk(r, root, &rows, n_outputs);
    if (st != VSP_OK) {
        vsp_buf_fini(&rows);
        return st;
    }
    /* the archive is made from the list (walk writes into it below) */
    char *archive_rows = vsp_xstrdup(rows.data ? rows.data : "");
    vsp_buf j;
    vsp_buf_init(&j);
    vsp_buf_puts(&j, "{\n  \"vspreport\": ");
    json_str(&j, VSP_VERSION);
    vsp_buf_puts(&j, ",\n  \"period\": ");
    json_str(&j, period);
    vsp_buf_puts(&j, ",\n  \"data_as_of\": {");
    char day[16];
    int shown = 0;
    for (int i = 0; i < ar->n_countries; i++) {
        if (!ar->as_of[i])
            continue;
        vsp_buf_printf(&j, "%s\"%s\": \"%s\"", shown++ ? ", " : "", ar->country[i],
                       iso_day(ar->as_of[i], day));
    }
    if (ar->region_as_of)
        vsp_buf_printf(&j, "%s\"region\": \"%s\"", shown ? ", " : "",
                       iso_day(ar->region_as_of, day));
    vsp_buf_puts(&j, "},\n  \"data_freeze\": ");
    json_str(&j, freeze);
    vsp_buf_printf(&j, ",\n  \"state\": \"%s\",", state);
    if (public_half && rel)
        manifest_release_fields(r, &j, rel);
    if (!public_half)
        vsp_buf_puts(&j, "\n  \"note\": \"private: personal data and secrets; never publish "
                         "this folder\",");
    vsp_buf_puts(&j, "\n  \"inputs\": [");
    for (size_t i = 0; i < r->n_inputs; i++) {
        const input_file *f = &r->inputs[i];
        vsp_buf_puts(&j, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        json_str(&j, f->rel);
        vsp_buf_puts(&j, ", \"profile\": ");
        json_str(&j, f->profile);
        /* The state, not the history: a file ingested now or by an earlier
         * run is in the warehouse all the same. */
        vsp_buf_printf(&j, ", \"size\": %lld, \"sha256\": \"%s\", \"status\": \"%s\"}", f->size,
                       f->sha256, strcmp(f->status, "failed") == 0 ? "failed" : "ingested");
    }
    const char *list = public_half ? "outputs" : "files";
    vsp_buf_printf(&j, r->n_inputs ? "\n  ],\n  \"%s\": [" : "],\n  \"%s\": [", list);
    size_t k = 0;
    for (char *line = rows.data; line && *line;) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        char *t1 = strchr(line, '\t');
        char *t2 = strchr(t1 + 1, '\t');
        *t1 = *t2 = '\0';
        vsp_buf_puts(&j, k++ ? ",\n    {\"path\": " : "\n    {\"path\": ");
        json_str(&j, line);
        vsp_buf_puts(&j, ", \"kind\": ");
        json_str(&j, kind_of(line));
        if (strcmp(t2 + 1, "-") == 0)
            vsp_buf_printf(&j, ", \"size\": %s, \"sha256\": null}", t1 + 1);
        else
            vsp_buf_printf(&j, ", \"size\": %s, \"sha256\": \"%s\"}", t1 + 1, t2 + 1);
        line = nl + 1;
    }
    vsp_buf_puts(&j, k ? "\n  ]\n}\n" : "]\n}\n");
    char *partial = NULL, *final = NULL;
    struct stat sb;
    /* a release made again (--force, nothing changed) keeps the archive it
     * first made: an archived release is never rewritten */
    if (public_half && rel && lstat((final = vsp_xasprintf("%s/%s/%s/v%d", r->pub, RELEASES_DIR,
                                                           rel->period, rel->version)),
                                    &sb) != 0) {
        free(final);
        final = NULL;
        st = archive_release(r, rel, archive_rows, &j, &partial, &final);
    }
    char *path = vsp_xasprintf("%s/manifest.json", root);
    if (st == VSP_OK)
        st = vsp_outfile_write(path, j.data, j.len, r->err);
    if (st == VSP_OK && partial && rename(partial, final) != 0)
        st = vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot rename it to %s: %s", partial,
                           final, strerror(errno));
    free(partial);
    free(final);
    free(path);
    free(archive_rows);
    vsp_buf_fini(&j);
    vsp_buf_fini(&rows);
    return st;
}

/* The private manifest first: the public one, written last, is what says
 * the outputs are complete. */
static vsp_status write_manifest(run *r, const char *period, const char *freeze,
                                 const vsp_aggregate_result *ar, const char *state,
                                 const vsp_release *rel, size_t *n_outputs)
{
    size_t n_private = 0;
    vsp_status st =
        write_manifest_of(r, r->priv, false, period, freeze, ar, state, NULL, &n_private);
    if (st == VSP_OK)
        st = tighten_private(r);
    if (st == VSP_OK)
        st = write_manifest_of(r, r->pub, true, period, freeze, ar, state, rel, n_outputs);
    return st;
}

/* True when s ends in exactly six letters or digits (mkstemp's XXXXXX). */
static bool ends_in_random6(const char *s)
{
    size_t n = 0;
    for (; *s; s++, n++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return n == 6;
}

bool vsp_run_is_temp_name(const char *name)
{
    if (vsp_outfile_is_temp_name(name))
        return true;
    /* the names of older vspreports' temporaries */
    const char *t = NULL;
    for (const char *p = strstr(name, ".tmp"); p; p = strstr(p + 1, ".tmp"))
        t = p; /* the last ".tmp" */
    if (!t || t == name || (t == name + 1 && name[0] == '.'))
        return false; /* no NAME before it */
    t += 4;
    if (*t == '-') /* mkstemp: "NAME.tmp-XXXXXX", ".NAME.tmp-XXXXXX" */
        return ends_in_random6(t + 1);
    if (*t == '.') { /* "NAME.tmp.PID" */
        size_t n = 0;
        for (t++; *t; t++, n++)
            if (*t < '0' || *t > '9')
                return false;
        return n >= 1 && n <= 10;
    }
    return false;
}

/* Visit every regular file below dirfd, never through a symbolic link —
 * not into a linked folder, not to a linked file — at most 32 folders
 * deep; on_dir (if set) is called with each folder's fd before its
 * entries.  dirfd is consumed. */
static void walk_nofollow(int dirfd, int depth, void (*on_dir)(int dirfd),
                          void (*on_file)(int dirfd, const char *name, const struct stat *sb))
{
    if (on_dir)
        on_dir(dirfd);
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < 32) {
            int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0)
                walk_nofollow(fd, depth + 1, on_dir, on_file);
        } else if (S_ISREG(sb.st_mode)) {
            on_file(dirfd, e->d_name, &sb);
        }
    }
    closedir(d);
}

/* A run killed in mid-write leaves its temporary files (never a final
 * name); the next run holding the lock removes them: only names
 * vspreport makes (vsp_run_is_temp_name), only regular files, and it
 * never goes through a symbolic link — not into a linked folder, not to a
 * linked file. */
static void sweep_file(int dirfd, const char *name, const struct stat *sb)
{
    (void)sb;
    if (vsp_run_is_temp_name(name))
        unlinkat(dirfd, name, 0);
}

static void sweep_temporaries(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0)
        walk_nofollow(fd, 0, NULL, sweep_file);
}

/* ---- the output folder's layout ---------------------------------------- */

/* What the old layout kept directly in OUT, and where it goes now. */
static const struct {
    const char *old, *dir, *now;
} old_layout[] = {
    {"warehouse.db", VSP_RUN_PRIVATE, "warehouse.db"},
    {"warehouse.db-wal", VSP_RUN_PRIVATE, "warehouse.db-wal"},
    {"warehouse.db-shm", VSP_RUN_PRIVATE, "warehouse.db-shm"},
    {"warehouse.db-journal", VSP_RUN_PRIVATE, "warehouse.db-journal"},
    {".export.key", VSP_RUN_PRIVATE, "export.key"},
    {"internal/rejects", VSP_RUN_PRIVATE, "rejects"},
    {"manifest.json", VSP_RUN_PUBLIC, "manifest.json"},
    {"reports", VSP_RUN_PUBLIC, "reports"},
    {"workbooks", VSP_RUN_PUBLIC, "workbooks"},
    {"charts", VSP_RUN_PUBLIC, "charts"},
    {"export", VSP_RUN_PUBLIC, "export"},
    {"site", VSP_RUN_PUBLIC, "site"},
};
#define N_OLD_LAYOUT (sizeof old_layout / sizeof old_layout[0])

static bool exists_nofollow(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* The private half: 0700, and every file in it 0600 (also what an older
 * vspreport or a migration left wider).  Never through a link. */
static void tighten_dir(int dirfd)
{
    fchmod(dirfd, 0700);
}

static void tighten_file(int dirfd, const char *name, const struct stat *sb)
{
    if (!(sb->st_mode & 077))
        return;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        fchmod(fd, 0600);
        close(fd);
    }
}

static vsp_status tighten_private(run *r)
{
    int fd = open(r->priv, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        walk_nofollow(fd, 0, tighten_dir, tighten_file);
        return VSP_OK;
    }
    if (errno == ELOOP) /* a link: the folder it names is the user's to guard */
        return VSP_OK;
    return vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot open: %s", r->priv, strerror(errno));
}

/* OUT/public and OUT/private, moving an old layout into them.  An OUT
 * that holds both layouts is refused: which warehouse is the right one is
 * the user's call. */
static vsp_status prepare_layout(run *r, mode_t user_umask)
{
    const char *out = r->opt->out_dir;
    r->pub = vsp_xasprintf("%s/%s", out, VSP_RUN_PUBLIC);
    r->priv = vsp_xasprintf("%s/%s", out, VSP_RUN_PRIVATE);
    bool old = false, new_layout = exists_nofollow(r->pub) || exists_nofollow(r->priv);
    const char *first_old = NULL;
    for (size_t i = 0; i < N_OLD_LAYOUT; i++) {
        char *p = vsp_xasprintf("%s/%s", out, old_layout[i].old);
        if (exists_nofollow(p) && !first_old)
            first_old = old_layout[i].old;
        old = old || exists_nofollow(p);
        free(p);
    }
    if (old && new_layout)
        return vsp_error_set(r->err, VSP_ECANTCREAT,
                             "%s holds both the old layout (%s directly in it) and the new one "
                             "(public/, private/); vspreport will not mix them: move the old "
                             "files away (or the warehouse into %s/), then run again",
                             out, first_old, r->priv);
    if (old && r->opt->db) {
        /* --db naming the old warehouse would be moved from under it */
        char *was = vsp_xasprintf("%s/warehouse.db", out);
        char *a = realpath(was, NULL), *b = realpath(r->opt->db, NULL);
        bool same = a && b && strcmp(a, b) == 0;
        free(a), free(b), free(was);
        if (same)
            return vsp_error_set(r->err, VSP_EUSAGE,
                                 "--db %s is the warehouse of an old-layout output folder; run "
                                 "without --db and it is moved to %s/warehouse.db",
                                 r->opt->db, r->priv);
    }
    vsp_status st = mkdir_p_mode(r->priv, 0700, r->err);
    mode_t was = umask(user_umask); /* public: as the user's umask says */
    if (st == VSP_OK)
        st = mkdir_p(r->pub, r->err);
    umask(was);
    if (st != VSP_OK || !old)
        return st == VSP_OK ? tighten_private(r) : st;
    vsp_buf moved;
    vsp_buf_init(&moved);
    for (size_t i = 0; i < N_OLD_LAYOUT && st == VSP_OK; i++) {
        char *from = vsp_xasprintf("%s/%s", out, old_layout[i].old);
        char *to = vsp_xasprintf("%s/%s/%s", out, old_layout[i].dir, old_layout[i].now);
        if (exists_nofollow(from)) {
            if (rename(from, to) != 0)
                st = vsp_error_set(r->err, VSP_ECANTCREAT,
                                   "%s: cannot move it to %s for the new layout: %s", from, to,
                                   strerror(errno));
            else
                vsp_buf_printf(&moved, "%s%s -> %s/%s", moved.len ? ", " : "",
                               old_layout[i].old, old_layout[i].dir, old_layout[i].now);
        }
        free(from);
        free(to);
    }
    char *internal = vsp_xasprintf("%s/internal", out);
    rmdir(internal); /* when empty */
    free(internal);
    if (st == VSP_OK)
        st = tighten_private(r);
    if (moved.len)
        fprintf(stderr,
                "vspreport run: %s had the old layout; moved %s.  Publish %s/ as a whole; "
                "never publish %s/\n",
                out, moved.data, r->pub, r->priv);
    vsp_buf_fini(&moved);
    return st;
}

/* ---- rendering --------------------------------------------------------- */

/* Run a subcommand as the user would, its stdout and stderr silenced: the
 * run prints its own summary, and a failure comes back in err. */
static vsp_status call(vsp_command_fn fn, char *const *args, vsp_error *err)
{
    int argc = 0;
    while (args[argc])
        argc++;
    char **argv = vsp_xcalloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; i < argc; i++)
        argv[i] = vsp_xstrdup(args[i]);
    fflush(stdout);
    fflush(stderr);
    int saved = dup(STDOUT_FILENO);
    int saved_err = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && saved_err >= 0 && devnull >= 0) {
        dup2(devnull, STDOUT_FILENO);
        dup2(devnull, STDERR_FILENO);
    }
    vsp_error cerr;
    vsp_error_clear(&cerr);
    vsp_status st = fn(argc, argv, &cerr);
    fflush(stdout);
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (saved_err >= 0) {
        dup2(saved_err, STDERR_FILENO);
        close(saved_err);
    }
    if (devnull >= 0)
        close(devnull);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    if (st != VSP_OK)
        vsp_error_set(err, st, "%s: %s", args[0], cerr.msg);
    return st;
}

typedef struct edition {
    const char *country; /* "AL".. or "region" */
    const char *stem;    /* "al" or "regional" */
    const char *lang;
    const char *dir;     /* where its foreword.<lang>.md may be: in/<regulator> or in/ */
} edition;

static size_t editions(run *r, edition *out, size_t cap, char stems[][8])
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_regs; i++) {
        const vsp_profile *p = r->regs[i].profile;
        if (!p)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            if (strcmp(out[k].country, p->country) == 0)
                seen = true;
        if (seen || n + 2 > cap)
            continue;
        snprintf(stems[i], 8, "%c%c", p->country[0] + 32, p->country[1] + 32);
        out[n++] = (edition){p->country, stems[i], p->language, r->regs[i].dir};
        if (strcmp(p->language, "en") != 0)
            out[n++] = (edition){p->country, stems[i], "en", r->regs[i].dir};
    }
    for (size_t k = 0; vsp_i18n_langs[k] && n < cap; k++)
        out[n++] = (edition){"region", "regional", vsp_i18n_langs[k], r->opt->in_dir};
    return n;
}

/* The key's length as `export` reads it: trailing white space is not part
 * of it. */
static size_t key_length(const char *data, size_t len)
{
    while (len && strchr(" \t\r\n", data[len - 1]))
        len--;
    return len;
}

/* The web edition in OUT/public/site, beside the downloads it links. */
static vsp_status site(run *r, const char *period)
{
    char *dir = vsp_xasprintf("%s/site", r->pub);
    const char *const args[] = {"site", "--db", r->db_path, "--period", period, "--out", dir,
                                "--no-aggregate"};
    char *argv[9] = {NULL};
    for (size_t i = 0; i < 8; i++)
        argv[i] = vsp_xstrdup(args[i]);
    vsp_status st = vsp_cmd_site(8, argv, r->err);
    for (size_t i = 0; i < 8; i++)
        free(argv[i]);
    free(dir);
    return st;
}

/* Pseudonyms need a key: VSP_EXPORT_KEY when set, else a key kept in the
 * private half of the output folder (never published, not in the public
 * manifest) so that reruns give the same pseudonyms.  Checked before
 * anything is ingested, so that a bad key costs nothing: a key under
 * VSP_EXPORT_KEY_MIN bytes is refused.  A new key is written atomically
 * (a temporary file, fsync, rename), so that a crash never leaves an empty
 * or short one.  Sets r->key_path (NULL for the environment's). */
static vsp_status export_key(run *r)
{
    const char *env = getenv("VSP_EXPORT_KEY");
    if (env && *env) {
        size_t n = key_length(env, strlen(env));
        if (n < VSP_EXPORT_KEY_MIN)
            return vsp_error_set(r->err, VSP_ECONFIG,
                                 "VSP_EXPORT_KEY: the pseudonym key has %zu bytes; it needs at "
                                 "least %d (e.g. the output of: head -c 32 /dev/urandom | "
                                 "base64), or unset it and the run keeps a key of its own",
                                 n, VSP_EXPORT_KEY_MIN);
        return VSP_OK;
    }
    char *key = vsp_xasprintf("%s/export.key", r->priv);
    r->key_path = key;
    int fd = open(key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        char buf[VSP_EXPORT_KEY_MAX + 64];
        ssize_t got = read(fd, buf, sizeof buf);
        close(fd);
        if (got < 0)
            return vsp_error_set(r->err, VSP_ENOINPUT, "%s: cannot read the export key: %s", key,
                                 strerror(errno));
        size_t n = key_length(buf, (size_t)got);
        if (n < VSP_EXPORT_KEY_MIN)
            return vsp_error_set(r->err, VSP_ECONFIG,
                                 "%s: the pseudonym key has %zu bytes; it needs at least %d.  "
                                 "Put the right key back, or delete the file and the run makes "
                                 "a new one (the research export's pseudonyms then change)",
                                 key, n, VSP_EXPORT_KEY_MIN);
        return VSP_OK;
    }
    if (errno != ENOENT)
        return vsp_error_set(r->err, VSP_ENOINPUT, "%s: cannot read the export key: %s", key,
                             strerror(errno) /* ELOOP: a link, which a key never is */);
    unsigned char raw[32];
    int rfd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = rfd >= 0 && read(rfd, raw, sizeof raw) == (ssize_t)sizeof raw;
    if (rfd >= 0)
        close(rfd);
    if (!ok)
        return vsp_error_set(r->err, VSP_EIO, "cannot read random bytes for the export key: %s",
                             strerror(errno));
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    memset(raw, 0, sizeof raw);
    char *tmp = vsp_xasprintf("%s.tmp-XXXXXX", key);
    int kfd = mkstemp(tmp); /* 0600 */
    vsp_status st = VSP_OK;
    if (kfd < 0 || write(kfd, hex, 64) != 64 || fsync(kfd) != 0)
        st = vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot create the export key: %s", key,
                           strerror(errno));
    if (kfd >= 0 && close(kfd) != 0 && st == VSP_OK)
        st = vsp_error_set(r->err, VSP_EIO, "%s: cannot write the export key: %s", key,
                           strerror(errno));
    /* link(2), not rename(2): a key another process made meanwhile is kept */
    if (st == VSP_OK && link(tmp, key) != 0 && errno != EEXIST)
        st = vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot create the export key: %s", key,
                           strerror(errno));
    if (kfd >= 0)
        unlink(tmp);
    memset(hex, 0, sizeof hex);
    free(tmp);
    return st;
}

/* One rendering command of the run: its function and arguments. */
#define JOB_ARGS 16
typedef struct job {
    vsp_command_fn fn;
    char *argv[JOB_ARGS]; /* NULL-terminated, owned */
} job;

static void job_add(job *jobs, size_t *n, vsp_command_fn fn, const char *const *args)
{
    job *j = &jobs[(*n)++];
    j->fn = fn;
    size_t i = 0;
    for (; args[i] && i + 1 < JOB_ARGS; i++)
        j->argv[i] = vsp_xstrdup(args[i]);
    j->argv[i] = NULL;
}

/* What the rendering processes share (an anonymous shared mapping): the
 * next job to take, and the first failure. */
typedef struct board {
    atomic_int next;
    atomic_int failed; /* 1 once a failure is written below */
    vsp_status status;
    char msg[VSP_ERROR_MSG_MAX];
    double done_at; /* vsp_now() when the work ended (the research export's) */
} board;

/* Take jobs off the board until none is left or one has failed. */
static void work(const job *jobs, int n, board *b)
{
    while (!atomic_load(&b->failed)) {
        int i = atomic_fetch_add(&b->next, 1);
        if (i >= n)
            return;
        vsp_error e;
        vsp_error_clear(&e);
        vsp_status st = call(jobs[i].fn, jobs[i].argv, &e);
        int none = 0;
        if (st != VSP_OK && atomic_compare_exchange_strong(&b->failed, &none, 1)) {
            b->status = st;
            snprintf(b->msg, sizeof b->msg, "%s", e.msg);
        }
    }
}

/* How many processes render: one per core, at most four (each holds its
 * own fonts and a connection to the warehouse), less the `busy` cores the
 * research export is using, but at least one. */
static int render_processes(int n_jobs, int busy)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
    n = n - busy < 1 ? 1 : n - busy;
    return n < n_jobs ? n : n_jobs;
}

static void remove_tree_at(int dirfd, const char *name, int depth);

/* ---- the research export, beside the rest --------------------------------
 *
 * The research export reads the cases alone: not the aggregates, not the
 * release.  At a million cases in one quarter it is the longest piece of
 * rendering, so it starts as soon as the cases are ingested, in a process
 * of its own, beside aggregation (which is mostly one thread: the
 * warehouse check), figures.csv, the release and then the other renderers
 * (one per core).  Started once aggregation had passed the check instead,
 * the run was 1-1.5 s longer at a million cases (15.8-17.5 s against
 * 14.4-14.7 s, the same machine, quiet).  The two overlap in memory since
 * aggregation keeps its durations in 4 bytes (pipeline/aggregate.c,
 * durvec): 80-83 MB of PSS at the peak, where 8-byte durations made it
 * 117-130 MB.  Nothing it writes is published before the check has
 * passed: it writes into OUT/private/export-staging/, and its files are
 * moved into OUT/public/export/ only once it has finished and rendering
 * has succeeded; a failed check stops it and removes them
 * (export_abandon).  Its process is forked before this one opens the
 * warehouse (SQLite connections must not cross a fork), waits for the
 * period (export_fork, export_start) and opens its own connection,
 * reading one snapshot (WAL); this process keeps its connection from the
 * check before ingest to the end of aggregation, so the check holds for
 * what it ingested (check_before_ingest).  At a million cases in a new
 * warehouse that is the warehouse check's 1.5 s of CPU not spent again:
 * the run 11.1-13.8 s against 12.9-15.8 s, 3 alternated pairs. */
#define EXPORT_STAGE "export-staging"

/* Remove OUT/private/export-staging/: what a stopped run left, or what a
 * failed one did not publish. */
static void export_sweep(run *r)
{
    int pfd = open(r->priv, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd >= 0) {
        remove_tree_at(pfd, EXPORT_STAGE, 0);
        close(pfd);
    }
}

/* Fork the export's process now, before this process opens the warehouse:
 * it waits until export_start tells it the period, once the cases are
 * ingested, or until the pipe closes when nothing is to be exported.  Forked before any connection exists, it inherits none, so
 * this process keeps its own open from ingest through aggregation (and
 * the warehouse check it passed before ingesting stands for what it then
 * wrote, pipeline/store.c).  Without a process, the export renders with
 * the rest. */
static void export_fork(run *r, mode_t public_umask)
{
    r->export_stage = vsp_xasprintf("%s/%s", r->priv, EXPORT_STAGE);
    board *b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED)
        return; /* no shared memory: the export renders with the rest */
    atomic_init(&b->next, 0);
    atomic_init(&b->failed, 0);
    /* a socket, not a pipe: if the process has died meanwhile, telling it
     * the period is EPIPE (MSG_NOSIGNAL), not a SIGPIPE that ends the run */
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        munmap(b, sizeof *b);
        return;
    }
    pid_t self = getpid();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != self)
            _exit(1);
        close(fds[1]);
        /* the period, then end of file; nothing at all: no export */
        char period[64];
        size_t len = 0;
        for (;;) {
            ssize_t k = read(fds[0], period + len, sizeof period - 1 - len);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            len += (size_t)k;
        }
        close(fds[0]);
        if (len == 0)
            _exit(0);
        period[len] = '\0';
        umask(public_umask);
        /* without a key file, the key comes from VSP_EXPORT_KEY */
        const char *key = r->key_path;
        job j[1];
        size_t n_j = 0;
        job_add(j, &n_j, vsp_cmd_export,
                (const char *[]){"export", "--db", r->db_path, "--period", period, "--out",
                                 r->export_stage, key ? "--key-file" : NULL, key, NULL});
        vsp_error e;
        vsp_error_clear(&e);
        vsp_status cst = call(j->fn, j->argv, &e);
        b->done_at = vsp_now();
        if (cst != VSP_OK) {
            b->status = cst;
            snprintf(b->msg, sizeof b->msg, "%s", e.msg);
            atomic_store(&b->failed, 1);
        }
        fflush(stdout);
        fflush(stderr);
        _exit(cst == VSP_OK ? 0 : 1);
    }
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        munmap(b, sizeof *b); /* no process: the export renders with the rest */
        return;
    }
    r->export_pid = pid;
    r->export_board = b;
    r->export_pipe = fds[1];
}

/* Stop an export that will not be published: its process, its files. */
static void export_abandon(run *r)
{
    if (r->export_pipe >= 0) {
        close(r->export_pipe);
        r->export_pipe = -1;
    }
    if (r->export_pid > 0) {
        kill(r->export_pid, SIGKILL);
        while (waitpid(r->export_pid, NULL, 0) < 0 && errno == EINTR)
            ;
        r->export_pid = 0;
    }
    if (r->export_board) {
        munmap(r->export_board, sizeof *r->export_board);
        r->export_board = NULL;
    }
    if (r->export_stage) {
        export_sweep(r);
        free(r->export_stage);
        r->export_stage = NULL;
    }
}

/* Start the export forked by export_fork on the period, into a clean
 * staging folder.  If it cannot be told, it is stopped and the export
 * renders with the rest. */
static vsp_status export_start(run *r, const char *period)
{
    if (r->export_pid <= 0)
        return VSP_OK;
    export_sweep(r);
    vsp_status st = ensure_dir(r->export_stage, 0700, r->err);
    if (st != VSP_OK)
        return st;
    size_t len = strlen(period), done = 0;
    while (done < len) {
        ssize_t k = send(r->export_pipe, period + done, len - done, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    close(r->export_pipe);
    r->export_pipe = -1;
    if (done < len) { /* the process is gone: render the export with the rest */
        export_abandon(r);
        return VSP_OK;
    }
    r->export_start = vsp_now();
    return VSP_OK;
}

/* Wait for the export, then move its files into dir (OUT/public/export),
 * each renamed over the one of the previous run. */
static vsp_status export_finish(run *r, const char *dir)
{
    if (r->export_pid <= 0)
        return VSP_OK;
    int ws = 0;
    double waited = vsp_now();
    while (waitpid(r->export_pid, &ws, 0) < 0 && errno == EINTR)
        ;
    r->export_wait = vsp_now() - waited;
    r->export_time = r->export_board->done_at - r->export_start;
    r->export_pid = 0;
    vsp_status st = VSP_OK;
    if (atomic_load(&r->export_board->failed))
        st = vsp_error_set(r->err, r->export_board->status, "%s", r->export_board->msg);
    else if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0))
        st = vsp_error_set(r->err, VSP_ESOFTWARE,
                           "the research export's process ended abnormally (%s %d); rerun "
                           "to finish",
                           WIFSIGNALED(ws) ? "signal" : "exit status",
                           WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
    size_t n = 0;
    char **names = st == VSP_OK ? list_dir(r->export_stage, &n) : NULL;
    if (st == VSP_OK && !names)
        st = vsp_error_set(r->err, VSP_EIO, "%s: cannot read the research export: %s",
                           r->export_stage, strerror(errno));
    for (size_t i = 0; i < n && st == VSP_OK; i++) {
        if (vsp_run_is_temp_name(names[i]))
            continue;
        char *from = vsp_xasprintf("%s/%s", r->export_stage, names[i]);
        char *to = vsp_xasprintf("%s/%s", dir, names[i]);
        if (rename(from, to) != 0)
            st = vsp_error_set(r->err, VSP_ECANTCREAT, "%s: cannot move the research export "
                               "into place: %s", to, strerror(errno));
        free(from);
        free(to);
    }
    free_list(names, n);
    return st;
}

/* Charts, workbooks, PDF reports and the research export are independent
 * of each other once the warehouse is aggregated: run them as jobs taken
 * in turn by one process per core, the longest first (the export, then
 * the chart catalogue), so that on two cores the export runs beside the
 * rest.  The warehouse is closed and this process single-threaded here, so
 * forking is safe; the workers die with the run (a kill -9 of the run
 * leaves only temporary files, swept by the next run). */
/* OUT/public/figures.csv and figures-codebook.csv (reports/figures.h),
 * and eu-template-<period>.csv (reports/eu_template.h, made as eu). */
static vsp_status publish_figures(run *r, const vsp_figures *figs, const char *period,
                                  const vsp_buf *eu)
{
    char *path = vsp_xasprintf("%s/figures.csv", r->pub);
    vsp_status st = vsp_figures_write(figs, path, r->err);
    free(path);
    if (st == VSP_OK) {
        path = vsp_xasprintf("%s/figures-codebook.csv", r->pub);
        st = vsp_figures_codebook_write(path, r->err);
        free(path);
    }
    if (st == VSP_OK) {
        path = vsp_xasprintf("%s/eu-template-%s.csv", r->pub, period);
        st = vsp_outfile_write(path, eu->data ? eu->data : "", eu->len, r->err);
        free(path);
    }
    return st;
}

static vsp_status render(run *r, const char *period)
{
    /* Every rendered file goes under the public half (r->pub). */
    const char *out = r->pub;
    char *charts = vsp_xasprintf("%s/charts", out);
    char *exp = vsp_xasprintf("%s/export", out);
    char *wb_dir = vsp_xasprintf("%s/workbooks", out);
    char *rp_dir = vsp_xasprintf("%s/reports", out);
    vsp_status st = mkdir_p(wb_dir, r->err);
    if (st == VSP_OK)
        st = mkdir_p(rp_dir, r->err);
    if (st == VSP_OK)
        st = mkdir_p(charts, r->err);
    if (st == VSP_OK)
        st = mkdir_p(exp, r->err);
    const char *key = r->key_path;
    edition ed[64];
    /* one stem per regulator folder (editions indexes it by folder), as
     * many as the input folder has: a fixed table overflowed at 65 */
    char (*stems)[8] = vsp_xcalloc(r->n_regs ? r->n_regs : 1, sizeof *stems);
    size_t n_ed = st == VSP_OK ? editions(r, ed, 64, stems) : 0;

    job jobs[2 + 2 * 64];
    size_t n = 0;
    if (st == VSP_OK) {
        /* without a key file, the key comes from VSP_EXPORT_KEY */
        if (r->export_pid <= 0)
            job_add(jobs, &n, vsp_cmd_export,
                    (const char *[]){"export", "--db", r->db_path, "--period", period, "--out",
                                     exp, key ? "--key-file" : NULL, key, NULL});
        job_add(jobs, &n, vsp_cmd_charts,
                (const char *[]){"charts", "--db", r->db_path, "--period", period, "--out",
                                 charts, NULL});
    }
    /* the regulator's own words: foreword.<lang>.md beside its profile
     * (in/<regulator>/), or in in/ itself for the regional edition */
    char *fw[64] = {NULL};
    for (size_t i = 0; i < n_ed; i++) {
        char *f = vsp_xasprintf("%s/foreword.%s.md", ed[i].dir, ed[i].lang);
        if (access(f, F_OK) == 0)
            fw[i] = f;
        else
            free(f);
    }
    for (size_t i = 0; i < n_ed; i++) {
        char *file = vsp_xasprintf("%s/%s-%s-%s.pdf", rp_dir, ed[i].stem, period, ed[i].lang);
        job_add(jobs, &n, vsp_cmd_report,
                (const char *[]){"report", "--db", r->db_path, "--country", ed[i].country,
                                 "--period", period, "--lang", ed[i].lang, "-o", file,
                                 fw[i] ? "--foreword" : NULL, fw[i], NULL});
        free(file);
    }
    for (size_t i = 0; i < n_ed; i++) {
        char *file = vsp_xasprintf("%s/%s-%s-%s.xlsx", wb_dir, ed[i].stem, period, ed[i].lang);
        job_add(jobs, &n, vsp_cmd_workbook,
                (const char *[]){"workbook", "--db", r->db_path, "--country", ed[i].country,
                                 "--period", period, "--lang", ed[i].lang, "-o", file,
                                 fw[i] ? "--foreword" : NULL, fw[i], NULL});
        free(file);
    }
    for (size_t i = 0; i < n_ed; i++)
        free(fw[i]);

    int procs = render_processes((int)n, 0);
    char what[160];
    snprintf(what, sizeof what, "charts, %zu workbooks, %zu PDF reports %s (%d process%s)", n_ed,
             n_ed, r->export_pid > 0 ? "beside the research export" : "and the research export",
             procs, procs == 1 ? "" : "es");
    stage(r, "render", what);
    board *b = MAP_FAILED;
    if (st == VSP_OK && n) {
        b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (b == MAP_FAILED)
            st = vsp_error_set(r->err, VSP_ESOFTWARE, "cannot share memory between workers: %s",
                               strerror(errno));
    }
    if (st == VSP_OK && n) {
        atomic_init(&b->next, 0);
        atomic_init(&b->failed, 0);
        pid_t kids[4];
        int n_kids = 0;
        pid_t self = getpid();
        fflush(stdout);
        fflush(stderr);
        /* Ingest and aggregation leave freed heap (SQLite caches, the
         * aggregation threads' arenas) that glibc keeps mapped; hand it
         * back before the workers copy this process, or every worker
         * starts with it (at 1M cases ~40 MB each). */
        malloc_trim(0);
        /* Nothing changes the warehouse while the jobs read it: each
         * process loads a period's figures once, not once per job. */
        vsp_metrics_keep(true);
        for (int k = 1; k < procs; k++) {
            pid_t pid = fork();
            if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != self)
                    _exit(1);
                work(jobs, (int)n, b);
                fflush(stdout);
                fflush(stderr);
                _exit(0);
            }
            if (pid > 0)
                kids[n_kids++] = pid; /* no fork: fewer workers, same jobs */
        }
        work(jobs, (int)n, b);
        for (int k = 0; k < n_kids; k++) {
            int ws = 0;
            while (waitpid(kids[k], &ws, 0) < 0 && errno == EINTR)
                ;
            int none = 0;
            if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) &&
                atomic_compare_exchange_strong(&b->failed, &none, 1)) {
                b->status = VSP_ESOFTWARE;
                snprintf(b->msg, sizeof b->msg,
                         "a rendering process ended abnormally (%s %d); rerun to finish",
                         WIFSIGNALED(ws) ? "signal" : "exit status",
                         WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
            }
        }
        if (atomic_load(&b->failed))
            st = vsp_error_set(r->err, b->status, "%s", b->msg);
    }
    if (b != MAP_FAILED)
        munmap(b, sizeof *b);
    if (st == VSP_OK)
        st = export_finish(r, exp);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; jobs[i].argv[k]; k++)
            free(jobs[i].argv[k]);
    free(stems);
    free(charts);
    free(exp);
    free(wb_dir);
    free(rp_dir);
    return st;
}

/* ---- releases ---------------------------------------------------------- */

/* Each run that publishes a period is a release (pipeline/release.h):
 * "2026Q3-v2".  Its public files are also kept under
 * public/releases/<period>/v<N>/ (hard links: every output is written to
 * a temporary and renamed, so a link keeps the content it was made with),
 * and the public manifest says which release the stable paths hold.
 *
 * The archive is made as public/releases/<period>/.v<N>.partial/ and
 * renamed to v<N> right after the stable manifest.json, the commit point,
 * is written: a run that dies before that leaves a .partial that the next
 * run removes (its manifest never named that release); one that dies
 * between the two leaves a .partial that the next run finishes, because
 * the manifest names it. */

static const vsp_release *current_release;

void vsp_cmd_set_release(const vsp_release *release)
{
    current_release = release;
}

const vsp_release *vsp_cmd_release(void)
{
    return current_release;
}


/* The whole of a small file, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    vsp_buf b;
    vsp_buf_init(&b);
    if (!vsp_buf_append_file(&b, path)) {
        vsp_buf_fini(&b);
        return NULL;
    }
    if (!b.data)
        vsp_buf_puts(&b, "");
    if (len)
        *len = b.len;
    return b.data;
}

/* The value of "key" on a line of a manifest vspreport wrote (one object
 * a line): a string, unescaped, or a number, into buf. */
static bool json_field(const char *line, const char *key, char *buf, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    if (!p || size == 0)
        return false;
    p += strlen(pat);
    size_t n = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            if (n + 1 < size)
                buf[n++] = *p;
        }
    } else {
        for (; *p && *p != ',' && *p != '}' && *p != '\n'; p++)
            if (n + 1 < size)
                buf[n++] = *p;
    }
    buf[n] = '\0';
    return true;
}

static bool parse_release_line(const char *line, release_meta *m)
{
    char num[16];
    memset(m, 0, sizeof *m);
    if (!json_field(line, "id", m->id, sizeof m->id) ||
        !json_field(line, "period", m->period, sizeof m->period) ||
        !json_field(line, "version", num, sizeof num))
        return false;
    m->version = atoi(num);
    json_field(line, "date", m->date, sizeof m->date);
    json_field(line, "status", m->status, sizeof m->status);
    if (json_field(line, "previous_version", num, sizeof num))
        m->previous_version = atoi(num);
    return m->version > 0 && m->period[0];
}

/* The release named by the manifest at path (its line `  "release": {`). */
static bool manifest_release(const char *path, release_meta *m)
{
    char *text = slurp(path, NULL);
    bool found = false;
    for (char *line = text; line && *line && !found;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "  \"release\": {", 14) == 0)
            found = parse_release_line(line, m);
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(text);
    return found;
}

/* What the public manifest of the previous run says: the release its
 * stable paths hold, and what its figures rested on. */
static void read_previous(run *r)
{
    prev_state *p = &r->prev;
    memset(p, 0, sizeof *p);
    p->last_run = -1;
    char *path = vsp_xasprintf("%s/manifest.json", r->pub);
    char *text = slurp(path, NULL);
    free(path);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "  \"release\": {", 14) == 0) {
            p->found = parse_release_line(line, &p->rel);
            char num[32];
            if (json_field(line, "ingest_run", num, sizeof num))
                p->last_run = atoll(num);
        } else if (strncmp(line, "  \"vspreport\": ", 15) == 0) {
            json_field(line, "vspreport", p->vspreport, sizeof p->vspreport);
        } else if (strncmp(line, "  \"data_freeze\": ", 17) == 0) {
            json_field(line, "data_freeze", p->freeze, sizeof p->freeze);
        } else if (strncmp(line, "  \"state\": ", 11) == 0) {
            json_field(line, "state", p->state, sizeof p->state);
        } else if (strncmp(line, "  \"data_as_of\": {", 17) == 0) {
            static const char *const cc[] = {"AL", "BA", "ME", "MK", "RS", "XK"};
            for (size_t i = 0; i < 6 && p->n_as_of < 16; i++)
                if (json_field(line, cc[i], p->as_of[p->n_as_of], sizeof p->as_of[0]))
                    snprintf(p->as_of_cc[p->n_as_of++], sizeof p->as_of_cc[0], "%s", cc[i]);
        } else if (strncmp(line, "    {\"country\": ", 16) == 0 && p->n_profiles < 16) {
            int k = p->n_profiles;
            if (json_field(line, "country", p->prof_cc[k], sizeof p->prof_cc[0]) &&
                json_field(line, "profile", p->prof_name[k], sizeof p->prof_name[0]) &&
                json_field(line, "sha256", p->prof_sha[k], sizeof p->prof_sha[0]))
                p->n_profiles++;
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(text);
}

/* "v12" -> 12; 0 for any other name. */
static int version_dir(const char *name)
{
    if (name[0] != 'v' || !name[1])
        return 0;
    long v = 0;
    for (const char *s = name + 1; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return (int)v;
}

/* ".v12.partial" -> 12; 0 for any other name. */
static int partial_dir(const char *name)
{
    if (name[0] != '.' || !ends_with(name, ".partial"))
        return 0;
    char v[32];
    size_t n = strlen(name) - 1 - strlen(".partial");
    if (n == 0 || n >= sizeof v)
        return 0;
    memcpy(v, name + 1, n);
    v[n] = '\0';
    return version_dir(v);
}

/* Remove the tree at dirfd/name, never through a symbolic link (a link
 * is removed, not followed). */
static void remove_tree_at(int dirfd, const char *name, int depth)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && depth < 32) {
        DIR *d = fdopendir(fd);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                struct stat sb;
                if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
                    continue;
                if (S_ISDIR(sb.st_mode))
                    remove_tree_at(fd, e->d_name, depth + 1);
                else
                    unlinkat(fd, e->d_name, 0);
            }
            closedir(d); /* closes fd */
        } else {
            close(fd);
        }
    } else if (fd >= 0) {
        close(fd);
    }
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* The versions made of period: the highest N of releases/<period>/vN. */
static int highest_version(run *r, const char *period)
{
    char *dir = vsp_xasprintf("%s/%s/%s", r->pub, RELEASES_DIR, period);
    size_t n = 0;
    char **names = list_dir(dir, &n);
    int best = 0;
    for (size_t i = 0; names && i < n; i++) {
        int v = version_dir(names[i]);
        if (v > best)
            best = v;
    }
    free_list(names, n);
    free(dir);
    return best;
}

/* A run that died while archiving: finish the archive the manifest names
 * (the rename that follows the manifest), remove any other. */
static void finish_archives(run *r)
{
    char *root = vsp_xasprintf("%s/%s", r->pub, RELEASES_DIR);
    size_t n = 0;
    char **periods = list_dir(root, &n);
    for (size_t i = 0; periods && i < n; i++) {
        char *pdir = vsp_xasprintf("%s/%s", root, periods[i]);
        int fd = open(pdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (fd >= 0 && !d)
            close(fd);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            int v = partial_dir(e->d_name);
            if (!v)
                continue;
            char final[32];
            snprintf(final, sizeof final, "v%d", v);
            struct stat sb;
            if (r->prev.found && r->prev.rel.version == v &&
                strcmp(r->prev.rel.period, periods[i]) == 0 &&
                fstatat(fd, final, &sb, AT_SYMLINK_NOFOLLOW) != 0 &&
                renameat(fd, e->d_name, fd, final) == 0) {
                fprintf(stderr, "vspreport run: finished archiving release %s (%s/%s/%s/)\n",
                        r->prev.rel.id, RELEASES_DIR, periods[i], final);
                continue;
            }
            remove_tree_at(fd, e->d_name, 0);
        }
        if (d)
            closedir(d);
        free(pdir);
    }
    free_list(periods, n);
    free(root);
}

static int cmp_meta(const void *a, const void *b)
{
    const release_meta *x = a, *y = b;
    int c = strcmp(x->period, y->period);
    return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* Every archived release (releases/<period>/vN/ with its manifest), by
 * period and version. */
static release_meta *list_releases(run *r, size_t *count)
{
    char *root = vsp_xasprintf("%s/%s", r->pub, RELEASES_DIR);
    size_t np = 0, n = 0, cap = 0;
    release_meta *out = NULL;
    char **periods = list_dir(root, &np);
    for (size_t i = 0; periods && i < np; i++) {
        char *pdir = vsp_xasprintf("%s/%s", root, periods[i]);
        size_t nv = 0;
        char **vers = list_dir(pdir, &nv);
        for (size_t k = 0; vers && k < nv; k++) {
            int v = version_dir(vers[k]);
            if (!v)
                continue;
            release_meta m;
            char *mf = vsp_xasprintf("%s/%s/manifest.json", pdir, vers[k]);
            bool ok = manifest_release(mf, &m);
            free(mf);
            if (!ok) { /* an archive without its manifest: named by its path */
                memset(&m, 0, sizeof m);
                snprintf(m.period, sizeof m.period, "%s", periods[i]);
                m.version = v;
                snprintf(m.id, sizeof m.id, "%s-v%d", periods[i], v);
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                out = vsp_xrealloc(out, cap * sizeof *out);
            }
            out[n++] = m;
        }
        free_list(vers, nv);
        free(pdir);
    }
    free_list(periods, np);
    free(root);
    if (n > 1)
        qsort(out, n, sizeof *out, cmp_meta);
    *count = n;
    return out;
}

/* The figures the previous release published: its archived figures.csv,
 * else the stable one if it says it is that release's.  false (with a
 * note) when neither can be read. */
static bool previous_figures(run *r, vsp_release_figures *out, char **text_out)
{
    const release_meta *p = &r->prev.rel;
    char *paths[2] = {vsp_xasprintf("%s/%s/%s/v%d/figures.csv", r->pub, RELEASES_DIR, p->period,
                                    p->version),
                      vsp_xasprintf("%s/figures.csv", r->pub)};
    bool ok = false;
    for (int i = 0; i < 2 && !ok; i++) {
        size_t len = 0;
        char *text = slurp(paths[i], &len);
        if (!text)
            continue;
        vsp_error perr;
        if (vsp_release_figures_parse(paths[i], text, len, out, &perr) != VSP_OK) {
            fprintf(stderr, "vspreport run: %s\n", perr.msg);
        } else if (i == 0 || (out->n && strstr(text, p->id))) {
            ok = true;
            *text_out = text;
            continue;
        }
        vsp_release_figures_fini(out);
        free(text);
    }
    if (!ok)
        fprintf(stderr,
                "vspreport run: the figures of the previous release %s are not in %s (nor in "
                "%s); revisions since it cannot be listed\n",
                p->id, paths[0], paths[1]);
    free(paths[0]);
    free(paths[1]);
    return ok;
}

/* "YYYY-MM-DD" of day (YYYYMMDD, years 0..9999) into dst. */
static void day_copy(char dst[static 11], int32_t day)
{
    char buf[16];
    iso_day(day, buf);
    memcpy(dst, buf, 10);
    dst[10] = '\0';
}

/* The cases of each period that ingests since the previous release's data
 * freeze corrected (queries/release_corrections.sql). */
static vsp_status find_corrections(run *r, vsp_store *store, const vsp_release *pre,
                                   vsp_release_correction **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (r->prev.last_run < 0 && !r->prev.freeze[0])
        return VSP_OK;
    sqlite3_stmt *st = vsp_store_prepare(store, "release_corrections", r->err);
    if (!st)
        return r->err->status;
    size_t cap = 0;
    vsp_status rc = VSP_OK;
    for (size_t i = 0; i < pre->n_revisions && rc == VSP_OK; i++) {
        const char *period = pre->revisions[i].period;
        if (i > 0 && strcmp(period, pre->revisions[i - 1].period) == 0)
            continue; /* sorted by period: each once */
        vsp_period p;
        vsp_error perr;
        if (vsp_period_parse(period, &p, &perr) != VSP_OK)
            continue;
        sqlite3_bind_int64(st, 1, r->prev.last_run);
        sqlite3_bind_int(st, 2, p.start_day);
        sqlite3_bind_int(st, 3, p.end_day);
        sqlite3_bind_text(st, 4, r->prev.freeze, -1, SQLITE_STATIC);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (*n_out == cap) {
                cap = cap ? cap * 2 : 16;
                *out = vsp_xrealloc(*out, cap * sizeof **out);
            }
            vsp_release_correction *c = &(*out)[(*n_out)++];
            memset(c, 0, sizeof *c);
            snprintf(c->area, sizeof c->area, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(c->period, sizeof c->period, "%s", period);
            if (sqlite3_column_type(st, 1) != SQLITE_NULL)
                day_copy(c->export_day, (int32_t)sqlite3_column_int(st, 1));
            c->cases = sqlite3_column_int64(st, 2);
        }
        if (s != SQLITE_DONE)
            rc = vsp_store_error(store, r->err, "queries/release_corrections.sql");
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The comparison's view of this run's figures (borrowed strings). */
static void figures_view(const vsp_figures *f, vsp_release_figures *out)
{
    memset(out, 0, sizeof *out);
    out->rows = vsp_xcalloc(f->n ? f->n : 1, sizeof *out->rows);
    out->n = f->n;
    for (size_t i = 0; i < f->n; i++) {
        const vsp_figure *g = &f->rows[i];
        out->rows[i] = (vsp_release_figure){g->period, g->area, g->category, g->measure, g->value};
    }
}

/* Decide the release this run publishes: its version (one more than any
 * made of the period; the same release when nothing it is made from
 * changed and the run only renders again), date, status, and its
 * revisions against the previous release's figures (now: this run's). */
static vsp_status plan_release(run *r, vsp_store *store, const vsp_period *period,
                               const vsp_aggregate_result *ar, const char *state,
                               const vsp_release_figures *now, vsp_release *rel)
{
    memset(rel, 0, sizeof *rel);
    snprintf(rel->period, sizeof rel->period, "%s", period->label);
    const prev_state *pv = &r->prev;
    bool same = pv->found && strcmp(pv->state, state) == 0 &&
                strcmp(pv->rel.period, period->label) == 0;
    int highest = highest_version(r, period->label);
    if (pv->found && strcmp(pv->rel.period, period->label) == 0 && pv->rel.version > highest)
        highest = pv->rel.version;
    time_t t;
    vsp_status st = vsp_source_time(&t, r->err);
    if (st != VSP_OK)
        return st;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(rel->date, sizeof rel->date, "%Y-%m-%d", &tm);
    if (same) {
        /* --force with nothing changed: the same release, made again */
        rel->version = pv->rel.version;
        snprintf(rel->date, sizeof rel->date, "%s", pv->rel.date);
        rel->previous_version = pv->rel.previous_version;
    } else {
        rel->version = highest + 1;
        rel->previous_version = highest;
    }
    r->release_same = same;
    if (rel->previous_version) {
        char *mf = vsp_xasprintf("%s/%s/%s/v%d/manifest.json", r->pub, RELEASES_DIR,
                                 period->label, rel->previous_version);
        release_meta m;
        if (manifest_release(mf, &m))
            snprintf(rel->previous_date, sizeof rel->previous_date, "%s", m.date);
        free(mf);
    }
    /* the newest ingest run behind this release: the next one's
     * corrections are the runs after it */
    sqlite3_stmt *fz = vsp_store_prepare(store, "agg_freeze", r->err);
    if (!fz)
        return r->err->status;
    r->last_run = -1;
    if (sqlite3_step(fz) == SQLITE_ROW && sqlite3_column_type(fz, 1) != SQLITE_NULL)
        r->last_run = sqlite3_column_int64(fz, 1);
    sqlite3_finalize(fz);
    vsp_metrics *m = vsp_metrics_load(store, period->label, r->err);
    if (!m)
        return r->err->status;
    rel->provisional = vsp_metrics_provisional(m, "region") != 0;
    vsp_metrics_free(m);

    if (same) {
        /* its revisions as the cumulative revisions.csv lists them */
        char *path = vsp_xasprintf("%s/revisions.csv", r->pub);
        size_t len = 0;
        char *text = slurp(path, &len);
        char id[48];
        vsp_release_id(rel, id, sizeof id);
        if (text)
            st = vsp_release_revisions_parse(path, text, len, id, rel, r->err);
        free(text);
        free(path);
        return st;
    }
    if (!pv->found || !now)
        return VSP_OK;
    vsp_release_figures before;
    char *before_text = NULL;
    if (!previous_figures(r, &before, &before_text))
        return VSP_OK;

    /* what tells why: each regulator's as-of date and profile, then and now */
    vsp_release_area *areas = vsp_xcalloc(r->n_regs ? r->n_regs : 1, sizeof *areas);
    size_t n_areas = 0;
    for (size_t i = 0; i < r->n_regs; i++) {
        const vsp_profile *p = r->regs[i].profile;
        if (!p)
            continue;
        vsp_release_area *a = &areas[n_areas++];
        snprintf(a->area, sizeof a->area, "%s", p->country);
        snprintf(a->profile, sizeof a->profile, "%s", p->name_stem);
        vsp_error herr;
        if (vsp_sha256_file(p->path, a->profile_now, &herr) != VSP_OK)
            a->profile_now[0] = '\0';
        for (int k = 0; k < ar->n_countries; k++)
            if (strcmp(ar->country[k], p->country) == 0 && ar->as_of[k])
                day_copy(a->as_of_now, ar->as_of[k]);
        for (int k = 0; k < pv->n_as_of; k++)
            if (strcmp(pv->as_of_cc[k], p->country) == 0)
                snprintf(a->as_of_before, sizeof a->as_of_before, "%s", pv->as_of[k]);
        for (int k = 0; k < pv->n_profiles; k++)
            if (strcmp(pv->prof_cc[k], p->country) == 0)
                snprintf(a->profile_before, sizeof a->profile_before, "%s", pv->prof_sha[k]);
    }
    vsp_release_evidence ev = {areas, n_areas, NULL, 0, pv->vspreport, VSP_VERSION};
    vsp_release_correction *corr = NULL;
    size_t n_corr = 0;
    /* which periods changed first, then which of their cases were corrected */
    if (vsp_release_compare(rel, &before, now, &ev) > 0) {
        st = find_corrections(r, store, rel, &corr, &n_corr);
        ev.corrections = corr;
        ev.n_corrections = n_corr;
        if (st == VSP_OK)
            vsp_release_compare(rel, &before, now, &ev);
    }
    free(corr);
    free(areas);
    vsp_release_figures_fini(&before);
    free(before_text);
    return st;
}

/* revisions.csv: the previous release's (every revision ever made,
 * oldest release first), then this release's. */
static vsp_status write_revisions(run *r, const vsp_release *rel)
{
    char *path = vsp_xasprintf("%s/revisions.csv", r->pub);
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_buf_puts(&b, VSP_RELEASE_REVISIONS_HEADER);
    if (r->prev.found) {
        char *from = vsp_xasprintf("%s/%s/%s/v%d/revisions.csv", r->pub, RELEASES_DIR,
                                   r->prev.rel.period, r->prev.rel.version);
        size_t len = 0;
        char *text = slurp(from, &len);
        size_t hl = strlen(VSP_RELEASE_REVISIONS_HEADER);
        if (text && len >= hl && memcmp(text, VSP_RELEASE_REVISIONS_HEADER, hl) == 0)
            vsp_buf_append(&b, text + hl, len - hl);
        else if (text)
            fprintf(stderr, "vspreport run: %s: not a revisions.csv (another header); the new "
                            "one starts afresh\n", from);
        free(text);
        free(from);
    }
    vsp_release_revisions_csv(rel, &b);
    vsp_status st = vsp_outfile_write(path, b.data, b.len, r->err);
    vsp_buf_fini(&b);
    free(path);
    return st;
}

/* Hard-link (else copy) pub/rel into dir/rel. */
static vsp_status archive_file(run *r, const char *dir, const char *rel)
{
    char *from = vsp_xasprintf("%s/%s", r->pub, rel);
    char *to = vsp_xasprintf("%s/%s", dir, rel);
    char *parent = vsp_xstrdup(to);
    *strrchr(parent, '/') = '\0';
    vsp_status st = mkdir_p(parent, r->err);
    if (st == VSP_OK && link(from, to) != 0) {
        /* a file system without hard links: a copy */
        size_t len = 0;
        char *data = slurp(from, &len);
        st = data ? vsp_outfile_write(to, data, len, r->err)
                  : vsp_error_set(r->err, VSP_EIO, "%s: cannot read it to archive it: %s", from,
                                  strerror(errno));
        free(data);
    }
    free(parent);
    free(from);
    free(to);
    return st;
}

/* A page of the web edition, site/<lang>/<page>.html: the pages whose
 * links archive_page may have to rewrite. */
static bool archived_site_page(const char *rel)
{
    return strncmp(rel, "site/", 5) == 0 && strchr(rel + 5, '/') && ends_with(rel, ".html");
}

/* The archived copy of a page of the web edition, or NULL when it is the
 * stable page's bytes.  A page at site/<lang>/ links to the same page of
 * the period's earlier versions as "../../releases/<P>/v<K>/site/...";
 * its copy at releases/<P>/v<N>/site/<lang>/ lies three folders deeper,
 * so those links become "../../../v<K>/site/..." (another period's:
 * "../../../../../releases/<Q>/...").  Its other links ("../../reports/",
 * "../index.html", "#main") stay as they are: from the archive they reach
 * the version's own files. */
static char *archived_page(const char *period, const char *html, size_t len, size_t *out_len)
{
    static const char from[] = "href=\"../../" RELEASES_DIR "/";
    const size_t nfrom = sizeof from - 1, nperiod = strlen(period);
    vsp_buf b;
    vsp_buf_init(&b);
    size_t done = 0, n = 0;
    /* html is text vspreport wrote, NUL-terminated by slurp */
    for (const char *at = html; (at = strstr(at, from)) != NULL;) {
        const char *rest = at + nfrom; /* "<P>/v<K>/site/..." */
        vsp_buf_append(&b, html + done, (size_t)(at - html) - done);
        if ((size_t)(html + len - rest) > nperiod && memcmp(rest, period, nperiod) == 0 &&
            rest[nperiod] == '/') {
            vsp_buf_puts(&b, "href=\"../../../");
            rest += nperiod + 1;
        } else {
            vsp_buf_puts(&b, "href=\"../../../../../" RELEASES_DIR "/");
        }
        done = (size_t)(rest - html);
        at = rest;
        n++;
    }
    if (n == 0) {
        vsp_buf_fini(&b);
        return NULL;
    }
    vsp_buf_append(&b, html + done, len - done);
    *out_len = b.len;
    return b.data;
}

/* In the manifest text m (write_manifest_of's, one output a line), the
 * output rel's size and SHA-256 set to those of the archive's bytes. */
static void manifest_set_output(vsp_buf *m, const char *rel, size_t size, const char *sha)
{
    vsp_buf key;
    vsp_buf_init(&key);
    vsp_buf_puts(&key, "{\"path\": ");
    json_str(&key, rel);
    vsp_buf_puts(&key, ", \"kind\": ");
    const char *at = m->data ? strstr(m->data, key.data) : NULL;
    const char *size_at = at ? strstr(at, ", \"size\": ") : NULL;
    const char *end = size_at ? strchr(size_at, '}') : NULL;
    const char *nl = at ? strchr(at, '\n') : NULL;
    if (end && (!nl || end < nl)) {
        vsp_buf out;
        vsp_buf_init(&out);
        vsp_buf_append(&out, m->data, (size_t)(size_at - m->data));
        vsp_buf_printf(&out, ", \"size\": %zu, \"sha256\": \"%s\"", size, sha);
        vsp_buf_append(&out, end, m->len - (size_t)(end - m->data));
        vsp_buf_fini(m);
        *m = out;
    }
    vsp_buf_fini(&key);
}

/* pub/rel, a page of the web edition, into dir/rel: a link to the stable
 * file when its links work from the archive as they are, else its
 * archived copy (archived_page), whose size and SHA-256 the archived
 * manifest m then lists. */
static vsp_status archive_site_page(run *r, const vsp_release *rel, const char *dir,
                                    const char *relpath, vsp_buf *m)
{
    char *from = vsp_xasprintf("%s/%s", r->pub, relpath);
    size_t len = 0, out_len = 0;
    char *html = slurp(from, &len);
    char *page = html ? archived_page(rel->period, html, len, &out_len) : NULL;
    vsp_status st = VSP_OK;
    if (!html) {
        st = vsp_error_set(r->err, VSP_EIO, "%s: cannot read it to archive it: %s", from,
                           strerror(errno));
    } else if (!page) {
        st = archive_file(r, dir, relpath);
    } else {
        char *to = vsp_xasprintf("%s/%s", dir, relpath);
        char *parent = vsp_xstrdup(to);
        *strrchr(parent, '/') = '\0';
        st = mkdir_p(parent, r->err);
        if (st == VSP_OK)
            st = vsp_outfile_write(to, page, out_len, r->err);
        if (st == VSP_OK) {
            char sha[VSP_SHA256_HEX];
            vsp_sha256 *h = vsp_sha256_new();
            vsp_sha256_update(h, page, out_len);
            vsp_sha256_final(h, sha);
            manifest_set_output(m, relpath, out_len, sha);
        }
        free(parent);
        free(to);
    }
    free(page);
    free(html);
    free(from);
    return st;
}

/* releases/<period>/.vN.partial/: every public output listed in rows
 * ("rel\tsize\tsha\n") and the manifest text, which lists the archive's
 * own bytes (a page of the web edition may differ from the stable one:
 * archive_site_page). */
static vsp_status archive_release(run *r, const vsp_release *rel, const char *rows,
                                  const vsp_buf *manifest, char **partial, char **final)
{
    char *pdir = vsp_xasprintf("%s/%s/%s", r->pub, RELEASES_DIR, rel->period);
    *partial = vsp_xasprintf("%s/.v%d.partial", pdir, rel->version);
    *final = vsp_xasprintf("%s/v%d", pdir, rel->version);
    vsp_buf m;
    vsp_buf_init(&m);
    vsp_buf_append(&m, manifest->data ? manifest->data : "", manifest->len);
    vsp_status st = mkdir_p(pdir, r->err);
    int pfd = st == VSP_OK ? open(pdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (pfd >= 0) {
        char name[32];
        snprintf(name, sizeof name, ".v%d.partial", rel->version);
        remove_tree_at(pfd, name, 0);
        close(pfd);
    }
    if (st == VSP_OK)
        st = mkdir_p(*partial, r->err);
    const char *line = rows;
    while (st == VSP_OK && line && *line) {
        const char *tab = strchr(line, '\t');
        const char *nl = strchr(line, '\n');
        if (!tab || !nl)
            break;
        char *relpath = vsp_xstrndup(line, (size_t)(tab - line));
        st = archived_site_page(relpath) ? archive_site_page(r, rel, *partial, relpath, &m)
                                         : archive_file(r, *partial, relpath);
        free(relpath);
        line = nl + 1;
    }
    if (st == VSP_OK) {
        char *mf = vsp_xasprintf("%s/manifest.json", *partial);
        st = vsp_outfile_write(mf, m.data, m.len, r->err);
        free(mf);
    }
    vsp_buf_fini(&m);
    free(pdir);
    return st;
}

/* ---- the run ----------------------------------------------------------- */

static void run_fini(run *r)
{
    prehash_free(r);
    for (size_t i = 0; i < r->n_regs; i++) {
        regulator *g = &r->regs[i];
        free(g->dir);
        free(g->name);
        vsp_profile_free(g->profile);
        free_list(g->files, g->n_files);
    }
    free(r->regs);
    for (size_t i = 0; i < r->n_inputs; i++)
        free(r->inputs[i].rel);
    free(r->inputs);
    vsp_buf_fini(&r->failures);
    vsp_buf_fini(&r->timings);
    if (r->lock_fd >= 0)
        close(r->lock_fd);
    free(r->lock_path);
    free(r->db_path);
    free(r->key_path);
    free(r->pub);
    free(r->priv);
}

vsp_status vsp_run(const vsp_run_options *opt, vsp_error *err)
{
    vsp_status result = VSP_ESOFTWARE;
    run r;
    memset(&r, 0, sizeof r);
    r.opt = opt;
    r.err = err;
    r.lock_fd = -1;
    r.export_pipe = -1;
    r.n_stages = 5; /* ingest, aggregate, render, site, manifest */
    r.tty = vsp_stderr_is_tty();
    vsp_buf_init(&r.failures);
    vsp_buf_init(&r.timings);
    vsp_store *store = NULL;
    vsp_release rel; /* the release this run publishes */
    memset(&rel, 0, sizeof rel);
    /* Until rendering, everything this process creates is private (the
     * warehouse and its journal, the rejects): owner only. */
    mode_t umask_was = umask(077);
    bool umask_set = true;

    if (!is_dir(opt->in_dir)) {
        result = vsp_error_set(err, VSP_ENOINPUT, "%s: no such input folder", opt->in_dir);
        goto out;
    }
    umask(umask_was); /* OUT itself is the user's folder */
    result = mkdir_p(opt->out_dir, err);
    umask(077);
    if (result != VSP_OK || (result = lock_out(&r)) != VSP_OK ||
        (result = prepare_layout(&r, umask_was)) != VSP_OK)
        goto out;
    sweep_temporaries(r.pub);
    sweep_temporaries(r.priv);
    export_sweep(&r);
    read_previous(&r);
    finish_archives(&r);
    r.db_path = opt->db ? vsp_xstrdup(opt->db) : vsp_xasprintf("%s/warehouse.db", r.priv);
    if ((result = export_key(&r)) != VSP_OK || (result = discover(&r)) != VSP_OK)
        goto out;
    export_fork(&r, umask_was);
    if (!(store = vsp_store_open(r.db_path, true, err))) {
        result = err->status;
        goto out;
    }
    stage(&r, "ingest", "ingest");
    int n_ingested = 0;
    if ((result = ingest_all(&r, store, &n_ingested)) != VSP_OK)
        goto out;

    vsp_period period;
    if (opt->period) {
        if ((result = vsp_period_parse(opt->period, &period, err)) != VSP_OK)
            goto out;
    } else if ((result = vsp_aggregate_default_period(store, &period, NULL, err)) !=
               VSP_OK) {
        goto out;
    }
    char freeze[32];
    if ((result = vsp_aggregate_data_freeze(store, freeze, err)) != VSP_OK)
        goto out;
    char *state = state_key(&r, period.label, freeze);
    vsp_aggregate_result ar;
    memset(&ar, 0, sizeof ar);
    bool current = !opt->force && outputs_current(&r, state);
    size_t n_outputs = 0;
    if (current) {
        r.stage = r.n_stages;
        if (!opt->quiet) {
            printf("Nothing changed since the last run: the outputs in %s are up to date "
                   "(period %s, last ingest %s).\n",
                   r.pub, period.label, freeze);
            if (r.prev.found)
                printf("  release %s of %s stays the current one; no new version.\n",
                       r.prev.rel.id, r.prev.rel.date);
        }
    } else {
        /* The research export starts now, beside aggregation and then the
         * other renderers (export_start). */
        if ((result = export_start(&r, period.label)) != VSP_OK) {
            free(state);
            goto out;
        }
        stage(&r, "aggregate", "aggregate");
        vsp_aggregate_options ao = {0};
        /* Events dated after today are warned about here, once: the
         * renderers, forked later, do not scan the cases for it again
         * (vsp_aggregate_ensure), and their own messages go nowhere. */
        if ((result = vsp_aggregate_run(store, &period, &ao, &ar, err)) != VSP_OK ||
            (result = vsp_aggregate_warn_future(store, "run", &period, stderr, NULL, err)) !=
                VSP_OK) {
            free(state);
            goto out;
        }
        /* figures.csv: every quarter that holds data, aggregated */
        vsp_figures *figs = vsp_figures_new();
        vsp_period *series = NULL;
        size_t n_series = 0;
        result = vsp_figures_periods(store, "run", &period, true, NULL, &series, &n_series, err);
        if (result == VSP_OK)
            result = vsp_figures_collect(store, series, n_series, "", figs, err);
        free(series);
        /* The release: its version, and its revisions against the previous
         * release's figures, before anything is rendered (the renderers
         * mark what it revised); figures.csv and the EU template name it. */
        if (result == VSP_OK) {
            vsp_release_figures now;
            figures_view(figs, &now);
            result = plan_release(&r, store, &period, &ar, state, &now, &rel);
            vsp_release_figures_fini(&now);
        }
        char rel_id[48];
        vsp_release_id(&rel, rel_id, sizeof rel_id);
        if (result == VSP_OK)
            result = vsp_figures_set_release(figs, rel_id, err);
        vsp_buf eu;
        vsp_buf_init(&eu);
        if (result == VSP_OK)
            result = vsp_eu_template_build(store, &period, rel_id, &eu, err);
        vsp_cmd_set_release(&rel);
        /* Renderers open the warehouse themselves. */
        vsp_store_close(store);
        store = NULL;
        umask(umask_was); /* the public outputs: as the user's umask says */
        umask_set = false;
        if (result == VSP_OK)
            result = publish_figures(&r, figs, period.label, &eu);
        vsp_figures_free(figs);
        vsp_buf_fini(&eu);
        if (result != VSP_OK) {
            free(state);
            goto out;
        }
        if ((result = render(&r, period.label)) != VSP_OK) {
            free(state);
            goto out;
        }
        /* the web edition last: it links the files rendered above, with
         * their sizes; meanwhile a thread hashes those files for the
         * manifest */
        stage(&r, "site", "web edition");
        prehash_start(&r);
        if ((result = site(&r, period.label)) != VSP_OK) {
            free(state);
            goto out;
        }
        /* revisions.csv: every revision of every release so far (made
         * again with the release, it stands as it is) */
        if (!r.release_same && (result = write_revisions(&r, &rel)) != VSP_OK) {
            free(state);
            goto out;
        }
        stage(&r, "manifest", "manifest");
        prehash_join(&r);
        if ((result = write_manifest(&r, period.label, freeze, &ar, state, &rel, &n_outputs)) !=
            VSP_OK) {
            free(state);
            goto out;
        }
    }
    free(state);
    stage_end(&r);
    if (!opt->quiet && !current) {
        char asof[64] = "";
        for (int i = 0; i < ar.n_countries; i++)
            if (ar.as_of[i] && ar.as_of[i] == ar.region_as_of) {
                char day[16];
                snprintf(asof, sizeof asof, ", data as of %s (%s, the earliest)",
                         iso_day(ar.region_as_of, day), ar.country[i]);
                break;
            }
        printf("vspreport run: period %s%s, %d file(s) ingested, %zu output(s); last ingest %s\n",
               period.label, asof, n_ingested, n_outputs, freeze);
        char id[48];
        vsp_release_id(&rel, id, sizeof id);
        if (r.release_same)
            printf("  release %s of %s (%s), made again: nothing it is made from changed\n", id,
                   rel.date, rel.provisional ? "provisional" : "final");
        else if (rel.previous_version)
            printf("  release %s of %s (%s): %zu figure(s) revised since v%d (revisions.csv); "
                   "v%d stays in %s/%s/%s/v%d/\n",
                   id, rel.date, rel.provisional ? "provisional" : "final", rel.n_revisions,
                   rel.previous_version, rel.previous_version, r.pub, RELEASES_DIR, rel.period,
                   rel.previous_version);
        else
            printf("  release %s of %s (%s), the first of %s%s\n", id, rel.date,
                   rel.provisional ? "provisional" : "final", rel.period,
                   rel.n_revisions ? "; figures of other periods revised (revisions.csv)" : "");
        printf("  time: %s\n", r.timings.data ? r.timings.data : "");
        if (r.export_time > 0)
            printf("        the research export: %.1f s from the end of ingest, beside "
                   "aggregate and render (render waited %.1f s for it)\n",
                   r.export_time, r.export_wait);
        printf("  %s/   publish this folder as a whole:\n", r.pub);
        printf("    manifest.json                   every output and input with its SHA-256\n");
        printf("    site/index.html                 the web edition, in every language (open first)\n");
        printf("    reports/regional-%s-en.pdf   the regional report\n",
               period.label);
        printf("    workbooks/regional-%s-en.xlsx   its figures as a workbook\n",
               period.label);
        printf("    charts/                         charts for slides\n");
        printf("    export/                         the anonymised research export\n");
        printf("    figures.csv                     every figure of every quarter, one time series\n");
        printf("    eu-template-%s.csv          the notices in the EU template layout (an aid)\n",
               period.label);
        printf("  %s/  never publish: the warehouse, rejected rows (personal data) and the "
               "export key\n",
               r.priv);
    }
    result = VSP_OK;
    if (r.failed_files) {
        fputs(r.failures.data ? r.failures.data : "", stderr);
        result = vsp_error_set(err, VSP_EDATA,
                               "%d input problem(s), listed above; the other inputs were "
                               "processed",
                               r.failed_files);
    }
out:
    export_abandon(&r); /* after a failure; after success, nothing is left to stop */
    vsp_cmd_set_release(NULL);
    vsp_release_clear(&rel);
    vsp_store_close(store);
    if (umask_set)
        umask(umask_was);
    run_fini(&r);
    return result;
}
