#include "pipeline/store.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/sql.h"
#include "pipeline/util.h"

struct vsp_store {
    sqlite3 *db;
    char *path;
    bool readonly;
    /* vsp_store_check passed on this connection, and PRAGMA data_version
     * then: unchanged, no other connection has committed since */
    bool checked;
    sqlite3_int64 checked_version;
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
    if (st == VSP_EDATA)
        return vsp_error_set(err, st,
                             "%s: %s: %s; the warehouse is damaged — restore it from a backup, "
                             "or make a new one by ingesting the case logs again",
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

/* The value a PRAGMA answers ("PRAGMA data_version"), or fallback when it
 * cannot be read. */
static sqlite3_int64 pragma_value(vsp_store *store, const char *pragma, sqlite3_int64 fallback)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = fallback;
    if (sqlite3_prepare_v2(store->db, pragma, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int vsp_store_schema_version(vsp_store *store)
{
    return (int)pragma_value(store, "PRAGMA user_version", -1);
}

/* Whether the warehouse has a table of that name. */
static bool has_table(vsp_store *store, const char *name, int *rc)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    *rc = sqlite3_prepare_v2(store->db,
                             "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1", -1,
                             &st, NULL);
    if (*rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        *rc = sqlite3_step(st);
        found = *rc == SQLITE_ROW;
        if (*rc == SQLITE_ROW || *rc == SQLITE_DONE)
            *rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return found;
}

/* The first table that a migration up to version creates and the warehouse
 * lacks, into missing (or "" when none). */
static vsp_status find_missing_table(vsp_store *store, int version, char missing[64],
                                     vsp_error *err)
{
    static const char create[] = "CREATE TABLE ";
    missing[0] = '\0';
    for (const vsp_sql_entry *e = vsp_sql_table; e->name; e++) {
        int v = migration_version(e->name);
        if (v == 0 || v > version)
            continue;
        for (const char *p = strstr(e->text, create); p; p = strstr(p + 1, create)) {
            if (p != e->text && p[-1] != '\n') /* a statement, not a comment's words */
                continue;
            const char *name = p + sizeof create - 1;
            size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789");
            if (n == 0 || n >= 64)
                continue;
            char table[64];
            memcpy(table, name, n);
            table[n] = '\0';
            int rc;
            bool found = has_table(store, table, &rc);
            if (rc != SQLITE_OK)
                return vsp_store_error(store, err, "reading the schema");
            if (!found) {
                snprintf(missing, 64, "%s", table);
                return VSP_OK;
            }
        }
    }
    return VSP_OK;
}

/* No object in the schema at all (user_version 0): a database SQLite has
 * just created.  False when it cannot be read (check_schema says why). */
static bool empty_schema(vsp_store *store)
{
    sqlite3_stmt *st = NULL;
    bool empty = false;
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        empty = sqlite3_column_int(st, 0) == 0 && vsp_store_schema_version(store) == 0;
    sqlite3_finalize(st);
    return empty;
}

/* Refuse a file that is not a vspreport warehouse this binary can use: not
 * an SQLite database, no schema version (another program's database, or an
 * emptied one), a version newer than this binary knows, tables of its
 * version missing; opened read-only, also an older version (it cannot be
 * upgraded without writing). */
static vsp_status check_schema(vsp_store *store, vsp_error *err)
{
    static const char restore[] =
        "restore it from a backup, or give a new --db file and ingest the case logs again";
    sqlite3_stmt *st = NULL;
    int have = -1;
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        have = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (have < 0) {
        int code = sqlite3_errcode(store->db);
        if (code == SQLITE_NOTADB)
            return vsp_error_set(err, VSP_EDATA,
                                 "%s: not a vspreport warehouse (not an SQLite database); %s",
                                 store->path, restore);
        return vsp_store_error(store, err, "reading the schema version");
    }
    int latest = vsp_store_latest_version();
    if (have == 0)
        return vsp_error_set(err, VSP_EDATA,
                             "%s: not a vspreport warehouse (it has no schema version: another "
                             "program's database, or an emptied warehouse); %s",
                             store->path, restore);
    if (have > latest)
        return vsp_error_set(err, VSP_ECONFIG,
                             "%s: warehouse schema version %d is newer than this vspreport "
                             "knows (%d); use a newer vspreport",
                             store->path, have, latest);
    char missing[64];
    vsp_status s = find_missing_table(store, have, missing, err);
    if (s != VSP_OK)
        return s;
    if (missing[0])
        return vsp_error_set(err, VSP_EDATA,
                             "%s: not a complete vspreport warehouse: schema version %d but no "
                             "table %s; %s",
                             store->path, have, missing, restore);
    if (store->readonly && have < latest)
        return vsp_error_set(err, VSP_EDATA,
                             "%s: warehouse schema version %d is older than this vspreport's "
                             "(%d); upgrade it once with 'vspreport aggregate --db %s'",
                             store->path, have, latest, store->path);
    return VSP_OK;
}

/* A file that exists and is empty: a new warehouse is never left so, an
 * emptied one (a failed copy, a full disk) must not be taken for new. */
static bool empty_file(const char *path, vsp_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size != 0)
        return false;
    vsp_error_set(err, VSP_EDATA,
                  "%s: an empty file (0 bytes), not a vspreport warehouse; if it held one, "
                  "restore it from a backup; to start a new warehouse, delete the file and "
                  "ingest the case logs",
                  path);
    return true;
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

/* SQLite counts every allocation under a global mutex unless told not to
 * before it starts; nothing here reads those counts, and an ingest
 * allocates a few times per row (cursors, records). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

vsp_store *vsp_store_open(const char *path, bool create, vsp_error *err)
{
    pthread_once(&sqlite_once, sqlite_setup);
    vsp_store *store = vsp_xcalloc(1, sizeof *store);
    store->path = vsp_xstrdup(path);
    if (!create && access(path, F_OK) != 0) {
        vsp_error_set(err, VSP_ENOINPUT,
                      "%s: no such warehouse; create it with 'vspreport ingest --db %s ...'",
                      path, path);
        goto fail;
    }
    bool existed = access(path, F_OK) == 0;
    if (existed && empty_file(path, err))
        goto fail;
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
    /* An existing file must be a warehouse before anything is written to
     * it; a new one (or one whose first migration was interrupted, with no
     * table yet) is made one by the migrations. */
    if (existed && !empty_schema(store) && check_schema(store, err) != VSP_OK)
        goto fail;
    /* Larger pages for a new warehouse: fewer B-tree levels and splits on
     * million-row ingests (ignored once the file has content: a warehouse
     * keeps the size it was made with).  A case takes about 365 bytes of
     * case_record, so an 8 KiB leaf held some twenty.  16 KiB against 8:
     * the six files of bench_scale.sh (a million cases) appended into a
     * new warehouse, five alternated pairs, 5.3-6.1 s against 6.3-7.4 s
     * wall and 7.5-8.6 s against 8.7-10.1 s of CPU; the whole `run`,
     * three pairs, 13.4-15.0 s against 13.8-16.3 s.  32 and 64 KiB gained
     * nothing more. */
    if (vsp_store_exec_sql(store, "PRAGMA page_size = 16384", "configuring", err) != VSP_OK)
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
    pthread_once(&sqlite_once, sqlite_setup);
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
    if (empty_file(path, err) || check_schema(store, err) != VSP_OK)
        goto fail;
    return store;
fail:
    vsp_store_close(store);
    return NULL;
}

bool vsp_store_is_readonly(const vsp_store *store)
{
    return store->readonly;
}

/* One step of the row hash: a word folded in (FxHash's step).  For a
 * fixed state it is a bijection of the word, and for a fixed word a
 * bijection of the state, so any one changed value changes the final
 * 64-bit state; the finaliser of MurmurHash3 then spreads it over the 32
 * bits kept. */
static uint64_t hash_step(uint64_t h, uint64_t w)
{
    return ((h << 5 | h >> 59) ^ w) * 0x517cc1b727220a95ULL;
}

static uint64_t hash_final(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* vsp_row_hash(...): a hash of each argument's type and value, in order,
 * as a 32-bit integer (the query sums a million of them in an INTEGER),
 * for store_check_case_agg.sql.  A word a step: the check reads every
 * case twice, and a byte at a time (FNV-1a) this was a tenth of
 * aggregate's time at a million cases. */
static void row_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    uint64_t h = 0;
    for (int i = 0; i < argc; i++) {
        int type = sqlite3_value_type(argv[i]);
        if (type == SQLITE_INTEGER) {
            h = hash_step(h, (uint64_t)sqlite3_value_int64(argv[i]));
        } else if (type == SQLITE_FLOAT) {
            double d = sqlite3_value_double(argv[i]);
            uint64_t v;
            memcpy(&v, &d, sizeof v);
            h = hash_step(h, v);
        } else if (type != SQLITE_NULL) {
            const unsigned char *p = sqlite3_value_blob(argv[i]);
            size_t n = (size_t)sqlite3_value_bytes(argv[i]);
            h = hash_step(h, (uint64_t)n);
            for (; n >= 8; p += 8, n -= 8) {
                uint64_t w;
                memcpy(&w, p, 8);
                h = hash_step(h, w);
            }
            if (n) {
                uint64_t w = 0;
                memcpy(&w, p, n);
                h = hash_step(h, w);
            }
        }
        h = hash_step(h, (uint64_t)type); /* NULL, 0 and 0.0 differ */
    }
    sqlite3_result_int64(ctx, (sqlite3_int64)(hash_final(h) >> 32));
}

/* The index the aggregates read, and the content keys the cross-border
 * figures read, against their table (store_check_case_agg.sql). */
static vsp_status check_case_agg(vsp_store *store, vsp_error *err)
{
    if (sqlite3_create_function(store->db, "vsp_row_hash", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, row_hash, NULL, NULL) != SQLITE_OK)
        return vsp_store_error(store, err, "registering vsp_row_hash");
    static const struct {
        int col; /* n and sum of the derived copy; of the table's at col + 2 */
        const char *what;
    } pairs[] = {{0, "the index case_agg, which the figures are computed from,"},
                 {4, "the table case_key, which the cross-border figures are computed from,"}};
    vsp_status s = VSP_OK;
    sqlite3_stmt *st = vsp_store_prepare(store, "store_check_case_agg", err);
    if (!st) {
        s = err ? err->status : VSP_ESOFTWARE;
    } else if (sqlite3_step(st) != SQLITE_ROW) {
        s = vsp_store_error(store, err, "checking the index case_agg and the table case_key");
    } else {
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && s == VSP_OK; i++) {
            int c = pairs[i].col;
            long long n_copy = sqlite3_column_int64(st, c), n_table = sqlite3_column_int64(st, c + 2);
            if (n_copy == n_table &&
                sqlite3_column_int64(st, c + 1) == sqlite3_column_int64(st, c + 3))
                continue;
            char what[96];
            if (n_copy != n_table)
                snprintf(what, sizeof what, "%lld entries for %lld cases", n_copy, n_table);
            else
                snprintf(what, sizeof what, "values that differ from the table's");
            s = vsp_error_set(err, VSP_EDATA,
                              "%s: the warehouse is damaged (%s no longer matches the table "
                              "case_record: %s); no figure was computed — restore it from a "
                              "backup, or make a new one by ingesting the case logs again",
                              store->path, pairs[i].what, what);
        }
    }
    sqlite3_finalize(st);
    sqlite3_create_function(store->db, "vsp_row_hash", -1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    return s;
}


vsp_status vsp_store_check(vsp_store *store, vsp_error *err)
{
    /* changes when another connection commits */
    sqlite3_int64 version = pragma_value(store, "PRAGMA data_version", -1);
    if (store->checked && version >= 0 && version == store->checked_version)
        return VSP_OK;
    store->checked = false;
    /* The check reads every page once, in order: a page cache would only
     * hold what it will not read again, and filled by the check it stayed
     * full through the aggregation that follows.  2 MB while it runs,
     * then the connection's own size again. */
    sqlite3_int64 cache = pragma_value(store, "PRAGMA cache_size", -16384);
    sqlite3_stmt *st = NULL;
    sqlite3_exec(store->db, "PRAGMA cache_size = -2048", NULL, NULL, NULL);
    vsp_status s = VSP_OK;
    /* up to 3 problems: the first is named, the count says there are more */
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA quick_check(3)", -1, &st, NULL);
    char first[256] = "";
    int problems = 0;
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *msg = (const char *)sqlite3_column_text(st, 0);
            /* "*** in database main ***\n" heads the problems */
            if (msg && strncmp(msg, "*** in database ", 16) == 0 && strchr(msg, '\n'))
                msg = strchr(msg, '\n') + 1;
            if (msg && strcmp(msg, "ok") != 0 && problems++ == 0) {
                snprintf(first, sizeof first, "%s", msg);
                for (char *nl = strchr(first, '\n'); nl; nl = strchr(nl, '\n'))
                    *nl = ' ';
            }
        }
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "checking the warehouse");
    else if (problems)
        s = vsp_error_set(err, VSP_EDATA,
                          "%s: the warehouse is damaged (SQLite's check: %s%s); no figure was "
                          "computed — restore it from a backup, or make a new one by ingesting "
                          "the case logs again",
                          store->path, first, problems > 1 ? ", and more" : "");
    sqlite3_finalize(st);
    if (s == VSP_OK)
        s = check_case_agg(store, err);
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache);
    sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    if (s == VSP_OK && version >= 0) {
        store->checked = true;
        store->checked_version = version;
    }
    return s;
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
    /* Changing the journal mode changes PRAGMA data_version as another
     * connection's commit would, yet writes no case: a check that held
     * before the change holds after it (vsp_store_check).  Another
     * connection's commit inside this window would go unnoticed, but a
     * commit through SQLite keeps indexes and tables in step; the damage
     * the check looks for is written outside SQLite, and data_version
     * never sees that anyway. */
    bool checked = store->checked &&
                   pragma_value(store, "PRAGMA data_version", -1) == store->checked_version;
    sqlite3_stmt *st = NULL;
    bool now = false;
    /* The pragma answers with the mode in force, which stays the old one
     * when the change is not possible. */
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        now = strcmp((const char *)sqlite3_column_text(st, 0), mode) == 0;
    sqlite3_finalize(st);
    if (checked)
        store->checked_version = pragma_value(store, "PRAGMA data_version", -1);
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
    vsp_source_time_iso(buf, NULL); /* a bad SOURCE_DATE_EPOCH: main.c refused it */
}
