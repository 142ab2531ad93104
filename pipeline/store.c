#include "pipeline/store.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/sql.h"
#include "pipeline/util.h"

struct vsp_store {
    sqlite3 *db;
    char *path;
    bool readonly;
};

/* A migration is a query whose name is NNNN_<something>. */
static int migration_version(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)name[i]))
            return 0;
    if (name[4] != '_')
        return 0;
    return atoi(name);
}

int vsp_store_latest_version(void)
{
    int latest = 0;
    for (const vsp_sql_entry *e = vsp_sql_table; e->name; e++) {
        int v = migration_version(e->name);
        if (v > latest)
            latest = v;
    }
    return latest;
}

vsp_status vsp_store_error(vsp_store *store, vsp_error *err, const char *what)
{
    int code = sqlite3_extended_errcode(store->db);
    vsp_status st = VSP_EIO;
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        st = VSP_ETEMPFAIL;
    else if ((code & 0xff) == SQLITE_FULL)
        st = VSP_EIO;
    else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
        st = VSP_EDATA;
    else if ((code & 0xff) == SQLITE_CONSTRAINT || (code & 0xff) == SQLITE_ERROR)
        st = VSP_ESOFTWARE;
    if (st == VSP_ETEMPFAIL)
        return vsp_error_set(err, st,
                             "%s: %s: the warehouse is in use by another vspreport; "
                             "try again when it has finished (%s)",
                             store->path, what, sqlite3_errmsg(store->db));
    if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR)
        return vsp_error_set(err, st,
                             "%s: %s: %s; the warehouse is unchanged — check the free space "
                             "and the permissions of its folder, then run again",
                             store->path, what, sqlite3_errmsg(store->db));
    return vsp_error_set(err, st, "%s: %s: %s", store->path, what, sqlite3_errmsg(store->db));
}

vsp_status vsp_store_exec_sql(vsp_store *store, const char *sql, const char *what,
                              vsp_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        vsp_status st = vsp_store_error(store, err, what);
        sqlite3_free(msg);
        return st;
    }
    return VSP_OK;
}

int vsp_store_schema_version(vsp_store *store)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static vsp_status migrate(vsp_store *store, vsp_error *err)
{
    int have = vsp_store_schema_version(store);
    if (have < 0)
        return vsp_store_error(store, err, "reading the schema version");
    int latest = vsp_store_latest_version();
    if (have > latest)
        return vsp_error_set(err, VSP_ECONFIG,
                             "%s: warehouse schema version %d is newer than this vspreport "
                             "knows (%d); use a newer vspreport",
                             store->path, have, latest);
    if (have == latest)
        return VSP_OK;
    /* vsp_sql_table is sorted by name, so migrations come in order. */
    for (const vsp_sql_entry *e = vsp_sql_table; e->name; e++) {
        int v = migration_version(e->name);
        if (v <= have)
            continue;
        vsp_status st = vsp_store_begin(store, err);
        if (st != VSP_OK)
            return st;
        char what[128];
        snprintf(what, sizeof what, "applying migration queries/%s.sql", e->name);
        st = vsp_store_exec_sql(store, e->text, what, err);
        if (st == VSP_OK) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
            st = vsp_store_exec_sql(store, pragma, what, err);
        }
        if (st == VSP_OK)
            st = vsp_store_commit(store, err);
        if (st != VSP_OK) {
            vsp_store_rollback(store);
            return st;
        }
    }
    return VSP_OK;
}

vsp_store *vsp_store_open(const char *path, bool create, vsp_error *err)
{
    vsp_store *store = vsp_xcalloc(1, sizeof *store);
    store->path = vsp_xstrdup(path);
    if (!create && access(path, F_OK) != 0) {
        vsp_error_set(err, VSP_ENOINPUT,
                      "%s: no such warehouse; create it with 'vspreport ingest --db %s ...'",
                      path, path);
        goto fail;
    }
    /* One thread at a time uses a connection (store.h), so SQLite need not
     * lock it on every call: a bind or step per column of a million rows
     * otherwise pays two mutex operations each. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &store->db, flags, NULL) != SQLITE_OK) {
        vsp_error_set(err, create ? VSP_ECANTCREAT : VSP_ENOINPUT, "%s: cannot open warehouse: %s",
                      path, store->db ? sqlite3_errmsg(store->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, 10000);
    /* Reading the schema checks that this is a database at all. */
    if (vsp_store_exec_sql(store, "PRAGMA foreign_keys = ON", "configuring", err) != VSP_OK)
        goto fail;
    /* Larger pages for a new warehouse: fewer B-tree levels and splits on
     * million-row ingests (ignored once the file has content). */
    if (vsp_store_exec_sql(store, "PRAGMA page_size = 8192", "configuring", err) != VSP_OK)
        goto fail;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        int code = sqlite3_errcode(store->db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            vsp_error_set(err, VSP_EDATA, "%s: not a vspreport warehouse (not an SQLite database)",
                          path);
        else
            vsp_store_error(store, err, "switching to WAL journal");
        goto fail;
    }
    if (vsp_store_exec_sql(store,
                  "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; "
                  "PRAGMA temp_store = MEMORY",
                  "configuring", err) != VSP_OK)
        goto fail;
    if (migrate(store, err) != VSP_OK)
        goto fail;
    return store;
fail:
    vsp_store_close(store);
    return NULL;
}

vsp_store *vsp_store_open_readonly(const char *path, vsp_error *err)
{
    vsp_store *store = vsp_xcalloc(1, sizeof *store);
    store->path = vsp_xstrdup(path);
    store->readonly = true;
    sqlite3 *db = NULL;
    if (access(path, R_OK) != 0) {
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open the warehouse: %s", path,
                      strerror(errno));
        goto fail;
    }
    /* A large ingest runs with a rollback journal (vsp_store_bulk_journal).
     * If it was killed, the journal is hot: the warehouse must be rolled
     * back before it can be read, which a read-only connection cannot do
     * ("attempt to write a readonly database").  A read-write connection
     * does it on its first read; a journal still in use by a live ingest
     * is not hot, and that read only waits the busy timeout. */
    char *journal = vsp_xasprintf("%s-journal", path);
    if (access(journal, F_OK) == 0 &&
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
            SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    }
    free(journal);
    sqlite3_close(db);
    if (sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open the warehouse: %s", path,
                      store->db ? sqlite3_errmsg(store->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, 10000);
    return store;
fail:
    vsp_store_close(store);
    return NULL;
}

bool vsp_store_is_readonly(const vsp_store *store)
{
    return store->readonly;
}

void vsp_store_close(vsp_store *store)
{
    if (!store)
        return;
    if (store->db)
        sqlite3_close_v2(store->db);
    free(store->path);
    free(store);
}

sqlite3 *vsp_store_db(vsp_store *store)
{
    return store->db;
}

const char *vsp_store_path(const vsp_store *store)
{
    return store->path;
}

bool vsp_store_bulk_journal(vsp_store *store, bool bulk)
{
    const char *mode = bulk ? "delete" : "wal";
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
    sqlite3_stmt *st = NULL;
    bool now = false;
    /* The pragma answers with the mode in force, which stays the old one
     * when the change is not possible. */
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        now = strcmp((const char *)sqlite3_column_text(st, 0), mode) == 0;
    sqlite3_finalize(st);
    return now;
}

sqlite3_stmt *vsp_store_prepare_sql(vsp_store *store, const char *sql, const char *what,
                                    vsp_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "preparing %s", what);
        vsp_store_error(store, err, msg);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

sqlite3_stmt *vsp_store_prepare(vsp_store *store, const char *name, vsp_error *err)
{
    const char *sql = vsp_sql_get(name);
    if (!sql) {
        vsp_error_set(err, VSP_ESOFTWARE, "no query named queries/%s.sql in this build", name);
        return NULL;
    }
    char what[128];
    snprintf(what, sizeof what, "queries/%s.sql", name);
    return vsp_store_prepare_sql(store, sql, what, err);
}

vsp_status vsp_store_step_done(vsp_store *store, sqlite3_stmt *st, const char *what,
                               vsp_error *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return s;
}

vsp_status vsp_store_exec(vsp_store *store, const char *name, vsp_error *err)
{
    const char *sql = vsp_sql_get(name);
    if (!sql)
        return vsp_error_set(err, VSP_ESOFTWARE, "no query named queries/%s.sql in this build",
                             name);
    char what[128];
    snprintf(what, sizeof what, "running queries/%s.sql", name);
    return vsp_store_exec_sql(store, sql, what, err);
}

vsp_status vsp_store_begin(vsp_store *store, vsp_error *err)
{
    return vsp_store_exec_sql(store, "BEGIN IMMEDIATE", "starting a transaction", err);
}

vsp_status vsp_store_commit(vsp_store *store, vsp_error *err)
{
    return vsp_store_exec_sql(store, "COMMIT", "committing", err);
}

void vsp_store_rollback(vsp_store *store)
{
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

void vsp_store_utc_now(char buf[32])
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end = NULL;
        long long v = strtoll(sde, &end, 10);
        if (end && *end == '\0' && v >= 0)
            now = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
