/*
** db/: the narrow boundary between the domain and the store.
**
** Like SQLite's VFS, this is the one place that knows which engine holds the
** data.  core/ writes SQL once in the dialect both engines share ($1, $2, ...
** placeholders, ON CONFLICT, RETURNING) and calls these functions; a backend
** (db/sqlite.c, later db/postgres.c) implements struct db_vfs.  Where engines
** really differ, core asks for a capability (db_fulltext) instead of writing
** engine-specific SQL.
**
** Statements come from a per-connection cache keyed by their SQL text, so a
** hot path prepares once.  A statement is borrowed from db_prepare() until
** db_reset(); borrowing the same SQL twice at once gets a private copy.
*/
#ifndef RP_DB_H
#define RP_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 100, DB_DONE = 101 };

/* A numbered schema change.  sql runs on every engine; engine_sql[i] runs
** after it on the engine named engine[i] (e.g. the FTS5 tables of SQLite). */
typedef struct db_migration {
	int version;
	const char *name;
	const char *sql;
	const char *engine[2];
	const char *engine_sql[2];
} db_migration;

/* Open target: a file path (created if missing when create is set) or, in
** later versions, a postgres:// URL.  On success *out owns the connection. */
int db_open(const char *target, int create, db **out, rp_err *e);
void db_close(db *d);
/* target as it may be shown: a password in a URL becomes ***. */
void db_target_shown(const char *target, char *out, size_t n);
const char *db_engine(db *d); /* "sqlite" or "postgres" */
/* Bytes the connection holds in this process's memory: SQLite's page
** cache, schema and statements; 0 for PostgreSQL, whose caches are the
** server's.  Only from the thread using d. */
int64_t db_memory(db *d);

/* Apply every migration newer than the store's version, each in its own
** transaction, in order.  *applied (may be NULL) counts them. */
int db_migrate(db *d, const db_migration *m, int n, int *applied, rp_err *e);
int db_version(db *d, int *version, rp_err *e);

/* Transactions nest: the outermost begin/commit is the engine's
** transaction, inner ones are savepoints, so a rollback undoes only the
** writes since its own begin. */
int db_begin(db *d, rp_err *e);
/* A transaction that only reads: one consistent snapshot for several
** statements, without taking the write lock (and one lock instead of one
** per statement).  Ended with db_commit or db_rollback like the others. */
int db_begin_read(db *d, rp_err *e);
int db_commit(db *d, rp_err *e);
void db_rollback(db *d);

/* Run a script of statements without parameters (schema, pragmas). */
int db_exec(db *d, const char *sql, rp_err *e);

/* Borrow a prepared statement for sql; NULL on error (e filled). */
db_stmt *db_prepare(db *d, const char *sql, rp_err *e);
/* Bind the n-th ($n) parameter, n from 1.  db_bind_text with s == NULL binds
** NULL; len < 0 means NUL-terminated. */
void db_bind_int(db_stmt *s, int n, int64_t v);
void db_bind_double(db_stmt *s, int n, double v);
void db_bind_text(db_stmt *s, int n, const char *v, int len);
void db_bind_null(db_stmt *s, int n);
/* Advance: DB_ROW, DB_DONE, or an RP_ error code (RP_ECONFLICT for a broken
** unique or foreign key rule). */
int db_step(db_stmt *s, rp_err *e);
/* Nanoseconds this thread spent stepping statements since the last call. */
uint64_t db_time_take(void);
int db_col_count(db_stmt *s);
const char *db_col_name(db_stmt *s, int i); /* the i-th result column's name */
int db_col_null(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
const char *db_col_text(db_stmt *s, int i); /* NULL for NULL; valid until the next step */
/* Give the statement back (clears its bindings). NULL is fine. */
void db_reset(db_stmt *s);

/* Conveniences over the above.  types holds one letter per parameter:
**   i int64_t   d double   t const char * (NULL binds NULL)   n NULL (no argument)
** db_query prepares and binds, ready to step; db_run runs to completion;
** db_one_int returns the first column of the first row, or RP_ENOTFOUND. */
db_stmt *db_query(db *d, rp_err *e, const char *sql, const char *types, ...);
int db_run(db *d, rp_err *e, const char *sql, const char *types, ...);
int db_one_int(db *d, rp_err *e, int64_t *out, const char *sql, const char *types, ...);
int64_t db_changes(db *d); /* rows changed by the last statement */

/* Bulk mode: the engine may trade memory for speed during a large import
** (never durability). */
void db_bulk(db *d, int on);

/* Capability: a number that changes whenever another connection commits
** a change to the store (caches use it to know they are still good).
** RP_EDB when the engine cannot tell. */
int db_data_version(db *d, int64_t *v);

/* Capability: full-text search over contacts, facts, interactions and
** stories.  Calls row() for each hit, best first, up to limit; row returns
** nonzero to stop.  kind is "contact", "fact", "interaction" or "story";
** ref is that row's id.  Of each kind, the DB_FULLTEXT_WINDOW newest
** matches are ranked: a word that a hundred thousand rows contain costs
** the same as a rare one, and what a person looks for is most often
** recent.  Older matches are found by adding words. */
#define DB_FULLTEXT_WINDOW 1000
typedef int (*db_fulltext_row)(void *ctx, const char *kind, int64_t ref, double rank);
int db_fulltext(db *d, const char *text, int limit, db_fulltext_row row, void *ctx, rp_err *e);

/* Capability: the rows of table (only "story" so far) whose text holds any
** of words (separated by white space; each is searched as the search index
** stems it), newest (largest id) first, up to limit: row() gets each id with
** rank 0.  Reading a term's newest matches stops after limit, so the cost
** does not grow with the number of rows (core/similar.c gathers candidates
** this way, one concept or word at a time). */
int db_fulltext_any(db *d, const char *table, const char *words, int limit, db_fulltext_row row, void *ctx,
		    rp_err *e);

/* Capability: bulk inserts.  Between db_fulltext_defer and
** db_fulltext_resume (inside one transaction) new rows of table ("contact"
** or "interaction") are not indexed as they are inserted; db_fulltext_index
** indexes the rows with ids lo..hi in one pass, which is several times
** faster.  Only for inserts: the deferred rows must not be updated or
** deleted before they are indexed.  A rollback undoes it all (call resume
** before it, so the connection forgets the deferral too). */
int db_fulltext_defer(db *d, const char *table, rp_err *e);
int db_fulltext_index(db *d, const char *table, int64_t lo, int64_t hi, rp_err *e);
int db_fulltext_resume(db *d, const char *table, rp_err *e);

/* Capability: loading many rows into an empty table.  db_load_begin drops
** the table's non-unique indexes inside the current transaction and
** db_load_end builds them again in one sorted pass, much faster than
** keeping them row by row (PostgreSQL's documentation advises the same for
** bulk loads).  Rules and unique indexes stay in force throughout; a
** rollback restores everything. */
int db_load_begin(db *d, const char *table, rp_err *e);
int db_load_end(db *d, rp_err *e);
/* Before rolling back a failed load: forget the dropped indexes (the
** rollback brings them back). */
void db_load_cancel(db *d);

/* After rows were inserted with explicit ids (an import that keeps ids, a
** copy between stores): make the ids the engine gives from now on follow
** the largest in table.  SQLite does so by itself; PostgreSQL's identity
** sequences must be moved. */
int db_ids_follow(db *d, const char *table, rp_err *e);

/* Capability: erasing a person for good (core/privacy.c).  A deleted row
** is gone for queries at once, but engines keep its bytes for a while:
** in freed space of the file, in search indexes until they merge, in the
** write-ahead log.  db_secure_delete(d, 1) before the deletes asks the
** engine to overwrite what they free (SQLite's secure_delete; nothing to
** do on PostgreSQL), and 0 after restores the usual behaviour.  After the
** commit, outside any transaction, db_erase_traces removes what is left
** of deleted rows in tables (NULL-ended): SQLite rewrites its search
** indexes without them, then the whole file (VACUUM) and empties the WAL;
** PostgreSQL vacuums those tables, so that no query, index or snapshot
** reaches the rows, and with rewrite writes them anew (VACUUM FULL, which
** locks each table while it runs), so that no file of theirs keeps the
** bytes (docs/POSTGRES.md says what its WAL, replicas and backups keep).
** *done (may be NULL) receives a short account of what was done, e.g.
** "search indexes optimized, database file vacuumed, WAL truncated". */
int db_secure_delete(db *d, int on, rp_err *e);
int db_erase_traces(db *d, const char *const *tables, int rewrite, char *done, size_t size, rp_err *e);

/* Capability: backups.  db_backup writes a copy of the whole store into
** file, consistent as of one moment while others go on writing (SQLite's
** online backup API in one read transaction, which WAL lets writers pass;
** PostgreSQL's pg_dump in its custom format, which reads one snapshot).
** The copy is written to file.tmp, checked (SQLite: integrity_check of the
** copy; PostgreSQL: the archive read back by pg_restore), synced to disk
** and renamed: a backup killed half way never leaves a half file under
** file's name.  *version receives the schema version the copy holds.
** db_backup_version reads that version from a backup file without
** restoring it, checking that the engine can read it.  db_restore puts a
** backup in place of the store's contents: SQLite copies it in with the
** backup API in one write transaction of the store (a restore killed half
** way leaves the store as it was), PostgreSQL runs pg_restore --clean
** --if-exists --no-owner in one transaction.  A password of the store is
** given to pg_dump and pg_restore in their environment, never on their
** command line. */
int db_backup(db *d, const char *file, int *version, rp_err *e);
int db_backup_version(db *d, const char *file, int *version, rp_err *e);
int db_restore(db *d, const char *file, rp_err *e);

#endif
