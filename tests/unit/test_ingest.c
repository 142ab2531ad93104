/* test_ingest.c — ingest's content keys merged from sorted runs (issue 21).
 *
 * A file's content keys go into case_key in key order, one walk over the
 * table per file: those of a file with more keys than the stage holds are
 * sorted in runs written to a temporary file and merged at the end.  The
 * oracle is the same ingest with the keys sorted in memory at once: every
 * sample export (six dialects: BOM and CRLF, windows-1250 and -1251, TSV,
 * Excel and ISO dates, quoted notes over several lines, rejected rows),
 * each regulator's two exports in turn (the second updates cases, some of
 * them changing their content key), then the latest again (nothing
 * changes), into two warehouses: one with the default stage, one with a
 * stage of 256 bytes (a run every few keys, hundreds of runs per file, so
 * the merge takes its many-runs path).  Both must hold the same cases,
 * keys, rejected rows, provenance and accounting; and case_key must hold
 * exactly the content keys of case_record, read apart from ingest. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "pipeline/ingest.h"
#include "pipeline/profile.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

static const char *const regs[] = {"al-ama", "ba-cra", "me-aem", "mk-avmu", "rs-rem", "xk-kpm"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .csv files of samples/<reg>, sorted by name (the export date). */
static size_t sample_files(const char *src, const char *reg, char *out[4])
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/samples/%s", src, reg);
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 4) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0)
            out[n++] = vsp_xasprintf("%s/%s", dir, e->d_name);
    }
    if (d)
        closedir(d);
    qsort(out, n, sizeof *out, cmp_str);
    return n;
}

/* Every row of a query, as text, one line each. */
static int collect(void *ctx, int n, char **values, char **names)
{
    (void)names;
    vsp_buf *b = ctx;
    for (int i = 0; i < n; i++)
        vsp_buf_printf(b, "%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
    vsp_buf_putc(b, '\n');
    return 0;
}

static void dump(vsp_store *store, const char *sql, vsp_buf *out)
{
    vsp_buf_clear(out);
    vsp_buf_append(out, "", 0);
    char *msg = NULL;
    if (sqlite3_exec(vsp_store_db(store), sql, collect, out, &msg) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
        CHECK(!"query failed");
    }
    sqlite3_free(msg);
}

/* Ingest every sample, then each regulator's latest export again, into a
 * new warehouse at path; the number of rows read. */
static long long ingest_samples(const char *src, const char *path, size_t stage)
{
    unlink(path);
    vsp_error err;
    vsp_store *store = vsp_store_open(path, true, &err);
    CHECK(store != NULL);
    if (!store)
        return 0;
    long long rows = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t r = 0; r < sizeof regs / sizeof regs[0]; r++) {
            char ini[512];
            snprintf(ini, sizeof ini, "%s/profiles/%s.ini", src, regs[r]);
            vsp_profile *profile = vsp_profile_load(ini, &err);
            CHECK(profile != NULL);
            char *files[4];
            size_t n = sample_files(src, regs[r], files);
            CHECK(n == 2);
            for (size_t f = pass ? n - 1 : 0; f < n; f++) {
                vsp_ingest_options opt = {.key_stage_bytes = stage};
                char *rejects = vsp_xasprintf("%s.rejects", path);
                opt.rejects_dir = rejects;
                vsp_ingest_result res;
                vsp_ingest_result_init(&res);
                vsp_status st = profile ? vsp_ingest_file(store, profile, files[f], &opt, &res, &err)
                                        : VSP_ECONFIG;
                if (st != VSP_OK)
                    fprintf(stderr, "%s\n", err.msg);
                CHECK_INT(st, VSP_OK);
                const vsp_ingest_counts *c = &res.counts;
                CHECK_INT(c->rows_read, c->rows_new + c->rows_updated + c->rows_unchanged +
                                            c->rows_duplicate + c->rows_rejected);
                if (pass) /* the latest export again: nothing new, nothing changed */
                    CHECK_INT(c->rows_new + c->rows_updated, 0);
                rows += (long long)c->rows_read;
                vsp_ingest_result_fini(&res);
                free(rejects);
            }
            for (size_t f = 0; f < n; f++)
                free(files[f]);
            vsp_profile_free(profile);
        }
    vsp_store_close(store);
    return rows;
}

static void test_key_runs(void)
{
    const char *src = getenv("VSP_SOURCE_DIR");
    const char *tmp = getenv("VSP_TEST_TMP");
    if (!src)
        src = VSP_SOURCE_DIR;
    char dir[512], one[600], many[600];
    snprintf(dir, sizeof dir, "%s/ingest", tmp ? tmp : "/tmp");
    vsp_buf cmd;
    vsp_buf_init(&cmd);
    vsp_buf_printf(&cmd, "mkdir -p '%s'", dir);
    CHECK_INT(system(cmd.data), 0);
    snprintf(one, sizeof one, "%s/keys-one.db", dir);
    snprintf(many, sizeof many, "%s/keys-many.db", dir);
    long long rows_one = ingest_samples(src, one, 0);
    long long rows_many = ingest_samples(src, many, 256);
    CHECK(rows_one > 20000); /* every sample was read */
    CHECK_INT(rows_many, rows_one);

    static const char *const queries[] = {
        "SELECT * FROM case_record ORDER BY country, case_id",
        "SELECT * FROM case_key ORDER BY content_key, country, case_id",
        "SELECT run_id, line, reason, field, message, raw FROM reject ORDER BY run_id, line",
        "SELECT * FROM case_history ORDER BY country, case_id, run_id",
        "SELECT id, file_name, sha256, rows_read, blank_lines, rows_new, rows_updated, "
        "rows_unchanged, rows_duplicate, rows_rejected, latest_event_day FROM ingest_run "
        "ORDER BY id",
        /* case_key against case_record, both ways */
        "SELECT content_key, country, case_id FROM case_record WHERE content_key IS NOT NULL "
        "EXCEPT SELECT content_key, country, case_id FROM case_key",
        "SELECT content_key, country, case_id FROM case_key EXCEPT "
        "SELECT content_key, country, case_id FROM case_record",
        "SELECT count(*) FROM case_key",
        "SELECT count(*) FROM case_record WHERE content_key IS NOT NULL",
        "SELECT sum(rows_updated) > 0 FROM ingest_run",
    };
    vsp_error err;
    vsp_store *a = vsp_store_open(one, false, &err), *b = vsp_store_open(many, false, &err);
    CHECK(a && b);
    vsp_buf da, db;
    vsp_buf_init(&da);
    vsp_buf_init(&db);
    char keys[2][32] = {"", ""};
    for (size_t q = 0; a && b && q < sizeof queries / sizeof queries[0]; q++) {
        dump(a, queries[q], &da);
        dump(b, queries[q], &db);
        if (strcmp(da.data, db.data) != 0) {
            fprintf(stderr, "differs: %s\n", queries[q]);
            CHECK(!"the warehouses differ");
        }
        if (q == 5 || q == 6)
            CHECK_STR(da.data, ""); /* case_key holds the table's keys, no other */
        if (q == 7 || q == 8)
            snprintf(keys[q - 7], sizeof keys[0], "%s", da.data);
        if (q == 9)
            CHECK_STR(da.data, "1\n"); /* the later exports updated cases */
    }
    CHECK_STR(keys[0], keys[1]);
    CHECK(atol(keys[0]) > 15000); /* 19 975 content keys in the samples */
    vsp_store_close(a);
    vsp_store_close(b);
    vsp_buf_fini(&da);
    vsp_buf_fini(&db);
    vsp_buf_fini(&cmd);
}

/* No room for the runs (TMPDIR a folder that does not exist): the file
 * fails as a whole, with the folder named and what to do, and the
 * warehouse holds nothing of it; a stage that needs no run is not
 * affected. */
static void test_key_runs_no_room(void)
{
    const char *src = getenv("VSP_SOURCE_DIR");
    const char *tmp = getenv("VSP_TEST_TMP");
    if (!src)
        src = VSP_SOURCE_DIR;
    char db[512], ini[512], csv[512];
    snprintf(db, sizeof db, "%s/ingest/keys-no-room.db", tmp ? tmp : "/tmp");
    snprintf(ini, sizeof ini, "%s/profiles/xk-kpm.ini", src);
    char *files[4];
    size_t n = sample_files(src, "xk-kpm", files);
    CHECK(n == 2);
    if (n != 2)
        return;
    snprintf(csv, sizeof csv, "%s", files[0]);
    for (size_t f = 0; f < n; f++)
        free(files[f]);
    unlink(db);
    vsp_error err;
    vsp_store *store = vsp_store_open(db, true, &err);
    vsp_profile *profile = vsp_profile_load(ini, &err);
    CHECK(store && profile);
    if (!store || !profile)
        return;
    char *old = getenv("TMPDIR") ? vsp_xstrdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", "/nonexistent/vspreport-test", 1);
    for (int pass = 0; pass < 2; pass++) {
        vsp_ingest_options opt = {.rejects_dir = tmp ? tmp : "/tmp",
                                  .key_stage_bytes = pass ? 0 : 256};
        vsp_ingest_result res;
        vsp_ingest_result_init(&res);
        vsp_status st = vsp_ingest_file(store, profile, csv, &opt, &res, &err);
        vsp_buf count;
        vsp_buf_init(&count);
        dump(store, "SELECT count(*) FROM case_record", &count);
        if (pass == 0) {
            CHECK_INT(st, VSP_EIO);
            CHECK(strstr(err.msg, "/nonexistent/vspreport-test") != NULL);
            CHECK(strstr(err.msg, "TMPDIR") != NULL);
            CHECK_STR(count.data, "0\n");
        } else { /* 4 MiB of keys: the whole file's, in memory */
            CHECK_INT(st, VSP_OK);
            CHECK(atol(count.data) > 1000);
        }
        if (res.rejects_path)
            unlink(res.rejects_path);
        vsp_ingest_result_fini(&res);
        vsp_buf_fini(&count);
    }
    if (old)
        setenv("TMPDIR", old, 1);
    else
        unsetenv("TMPDIR");
    free(old);
    vsp_profile_free(profile);
    vsp_store_close(store);
}

int main(void)
{
    RUN(test_key_runs);
    RUN(test_key_runs_no_room);
    return harness_done();
}
