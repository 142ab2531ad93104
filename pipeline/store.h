/* store.h — the SQLite warehouse: open (creating and migrating it),
 * transactions, and statements prepared from queries/NAME.sql.
 *
 * Migrations are the files queries/NNNN_<name>.sql, applied in order, each
 * in its own transaction, setting PRAGMA user_version = NNNN.  Every other
 * queries/<name>.sql is a named query for vsp_store_prepare.
 * Connections run with foreign keys on, WAL journal (a rollback journal
 * for the length of a large load: vsp_store_bulk_journal), synchronous=
 * NORMAL and a busy timeout, so a second writer waits and then fails
 * clearly.
 * A connection is used by one thread at a time (opened without SQLite's
 * per-connection mutex); a worker thread opens its own. */
#ifndef VSP_STORE_H
#define VSP_STORE_H

#include <stdbool.h>
#include <sqlite3.h>

#include "pipeline/error.h"

typedef struct vsp_store vsp_store;

/* Open the warehouse at path.  create: make it if missing (otherwise a
 * missing file is VSP_ENOINPUT).  Applies pending migrations.  A warehouse
 * newer than this binary is VSP_ECONFIG.  Caller closes with
 * vsp_store_close. */
vsp_store *vsp_store_open(const char *path, bool create, vsp_error *err);

/* A read-only connection to an existing warehouse, for the commands that
 * never change it (charts, workbooks, the research export): VSP_ENOINPUT
 * naming the path if it is missing or not readable; busy timeout set.
 * Everything below works on it except writing, which fails with SQLite's
 * "attempt to write a readonly database".  Caller closes with
 * vsp_store_close. */
vsp_store *vsp_store_open_readonly(const char *path, vsp_error *err);
void vsp_store_close(vsp_store *store);
bool vsp_store_is_readonly(const vsp_store *store);

/* The underlying connection, borrowed: do not close it. */
sqlite3 *vsp_store_db(vsp_store *store);
const char *vsp_store_path(const vsp_store *store);

/* Schema version the warehouse is at, and the newest this binary knows. */
int vsp_store_schema_version(vsp_store *store);
int vsp_store_latest_version(void);

/* Check the warehouse's file before figures are computed from it, so that
 * damage (flipped bits, a torn copy) stops the computation instead of
 * changing a published figure: PRAGMA quick_check, which reads every page
 * and checks each B-tree's structure and records, then the index the
 * aggregates read (case_agg) against its table, by checksum
 * (queries/store_check_case_agg.sql): quick_check does not compare an index
 * with its table, and PRAGMA integrity_check, which does, looks every row
 * up in every index.  VSP_EDATA naming the problem and what to do; a read
 * that fails as the other reads do.  Once it has passed, it passes again
 * at once on the same connection until another connection commits (PRAGMA
 * data_version, kept across vsp_store_bulk_journal's changes of mode):
 * the damage it looks for comes from outside this process.  So `run`
 * checks once, before its first ingest, and what it then writes on that
 * connection is not read again; and it aggregates a warehouse of many
 * quarters in several windows, each of which would read every page
 * again. */
vsp_status vsp_store_check(vsp_store *store, vsp_error *err);

/* Prepare queries/<name>.sql (one statement).  NULL with err set (through
 * vsp_store_error) on failure.  Caller finalizes. */
sqlite3_stmt *vsp_store_prepare(vsp_store *store, const char *name, vsp_error *err);
/* Prepare SQL text built by the caller from queries/ text (one statement);
 * what names it in the error ("queries/agg_cases.sql").  Caller finalizes. */
sqlite3_stmt *vsp_store_prepare_sql(vsp_store *store, const char *sql, const char *what,
                                    vsp_error *err);
/* Step st until it returns no more rows (rows are ignored), then reset it
 * and clear its bindings; an error goes through vsp_store_error. */
vsp_status vsp_store_step_done(vsp_store *store, sqlite3_stmt *st, const char *what,
                               vsp_error *err);
/* Run queries/<name>.sql, which may hold several statements, no parameters. */
vsp_status vsp_store_exec(vsp_store *store, const char *name, vsp_error *err);
/* Run SQL text (several statements, no parameters); what names it in the
 * error. */
vsp_status vsp_store_exec_sql(vsp_store *store, const char *sql, const char *what,
                              vsp_error *err);

/* BEGIN IMMEDIATE (waits for the busy timeout, then VSP_ETEMPFAIL),
 * COMMIT, ROLLBACK (rollback never fails the caller). */
vsp_status vsp_store_begin(vsp_store *store, vsp_error *err);
vsp_status vsp_store_commit(vsp_store *store, vsp_error *err);
void vsp_store_rollback(vsp_store *store);

/* The journal for the next write transaction.  bulk = true: a rollback
 * journal (DELETE mode) for a load that mostly appends pages to the file:
 * SQLite journals only pages that existed before the transaction, so new
 * pages are written once instead of to the WAL and again at the
 * checkpoint.  bulk = false: WAL again, the warehouse's usual mode.  Only
 * outside a transaction.  Returns whether the connection is now in the
 * asked mode; when it is not (another connection holds the warehouse
 * open), the caller simply goes on in the mode it has: both are safe, one
 * is faster.  While a bulk load runs in DELETE mode, other connections
 * wait (busy timeout) instead of reading the last committed state. */
bool vsp_store_bulk_journal(vsp_store *store, bool bulk);

/* Fill err from the connection's current error: "<path>: <what>: <sqlite msg>".
 * The one place that turns SQLite's codes into statuses, so the same damage
 * gives the same exit code in every command: busy or locked ->
 * VSP_ETEMPFAIL, a corrupt file or not a database -> VSP_EDATA, SQL or
 * constraint errors -> VSP_ESOFTWARE, the rest (I/O, disk full,
 * permissions) -> VSP_EIO.  Returns the status. */
vsp_status vsp_store_error(vsp_store *store, vsp_error *err, const char *what);

/* vsp_source_time_iso without an error: current UTC time as ISO 8601
 * "YYYY-MM-DDTHH:MM:SSZ", or SOURCE_DATE_EPOCH when set (a bad value is
 * refused by cli/main.c before any command runs). */
void vsp_store_utc_now(char buf[32]);

#endif
