/*
** The SQLite backend: one file, WAL, foreign keys, FULL synchronous so an
** acknowledged write survives a power cut, and a statement cache keyed by
** SQL text.  Placeholders are written $1, $2, ... everywhere; SQLite reads
** "$1" as a *named* parameter numbered by first appearance, so the cache
** rewrites them to ?1, ?2, ... which bind by number exactly as PostgreSQL does.
*/
#include "db/fault.h"
#include "db/sqlite_fts.h"
#include "db/vfs.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sq_stmt {
	struct db_stmt base;
	struct sq *owner;
	sqlite3_stmt *st;
	int bind_rc; /* the first failed bind (out of memory): step fails with it */
} sq_stmt;

typedef struct sq {
	sqlite3 *db;
	char **stash;  /* CREATE INDEX statements dropped by a load, to run again */
	char *trigger; /* the search trigger dropped while indexing is deferred */
	int nstash;
	int secure_was; /* secure_delete before db_secure_delete(d, 1), restored by 0 */
	db_stmt_cache cache;
} sq;

static int sq_error(sqlite3 *db, int rc, rp_err *e)
{
	int ext = sqlite3_extended_errcode(db);
	const char *msg = sqlite3_errmsg(db);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return rp_errf(e, RP_ECONFLICT, "already exists (%s)", msg);
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return rp_errf(e, RP_ECONFLICT, "still referenced or refers to nothing (%s)", msg);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return rp_errf(e, RP_EINVAL, "a rule of the store was broken (%s)", msg);
	if ((rc & 0xff) == SQLITE_NOMEM)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return rp_errf(e, RP_EDB, "the database is busy (another rapport is writing); try again");
	if ((rc & 0xff) == SQLITE_FULL)
		return rp_errf(e, RP_EIO, "the disk is full: %s", msg);
	if ((rc & 0xff) == SQLITE_READONLY)
		return rp_errf(e, RP_EIO, "the database is read-only: %s", msg);
	return rp_errf(e, RP_EDB, "database error: %s", msg);
}

/* Before the library's first use: each connection is used by one thread
** at a time (no per-call mutexes), and no global memory statistics (a
** global lock on every allocation). */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void db_sqlite_setup(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_configure);
}

static int sq_open(const char *target, int create, void **impl, rp_err *e)
{
	db_sqlite_setup();
	sq *s = calloc(1, sizeof *s);
	if (!s)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(target, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (!create && rc == SQLITE_CANTOPEN)
			rp_errf(e, RP_ENOTFOUND,
				"no database at %s; create one with 'rapport --db %s init'", target, target);
		else
			rp_errf(e, RP_EIO, "cannot open %s: %s", target,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return e ? e->code : RP_EIO;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	/* Plans that do not depend on the values bound: otherwise SQLite
	** compiles a statement again at every new value bound to a LIKE's
	** pattern (webhook_enqueue's, once per contact added, so per row of
	** an import). */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
	rc = rp_fts_register(s->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db,
				  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
				  "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int code = rc == SQLITE_NOTADB
				   ? rp_errf(e, RP_EINVAL, "%s is not a rapport database", target)
				   : sq_error(s->db, rc, e);
		sqlite3_close(s->db);
		free(s);
		return code;
	}
	*impl = s;
	return 0;
}

static void sq_free(db_stmt *x)
{
	sqlite3_finalize(((sq_stmt *)x)->st);
	free(x->sql);
	free(x);
}

static void sq_close(void *impl)
{
	sq *s = impl;
	db_cache_free(&s->cache, sq_free);
	for (int i = 0; i < s->nstash; i++)
		free(s->stash[i]);
	free(s->stash);
	free(s->trigger);
	sqlite3_close_v2(s->db);
	free(s);
}

static int sq_exec(void *impl, const char *sql, rp_err *e)
{
	sq *s = impl;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sq_error(s->db, rc, e);
}

static int sq_begin(void *impl, int write, rp_err *e)
{
	/* IMMEDIATE takes the write lock at once, so two writers queue on the
	** busy timeout instead of failing at their first write; a reader's
	** DEFERRED transaction takes only a snapshot. */
	return sq_exec(impl, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", e);
}

static int sq_in_txn(void *impl) { return !sqlite3_get_autocommit(((sq *)impl)->db); }

/* $N -> ?N outside string literals, quoted identifiers and comments. */
static char *rewrite_placeholders(const char *sql)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			*o++ = '?';
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

static db_stmt *sq_prepare(void *impl, const char *sql, rp_err *e)
{
	sq *s = impl;
	db_stmt *cached = db_cache_borrow(&s->cache, sql);
	if (cached)
		return cached;
	char *native = rewrite_placeholders(sql);
	sq_stmt *t = calloc(1, sizeof *t);
	char *key = strdup(sql);
	if (!native || !t || !key) {
		free(native);
		free(t);
		free(key);
		rp_errf(e, RP_ENOMEM, "out of memory");
		return NULL;
	}
	int rc = sqlite3_prepare_v3(s->db, native, -1, SQLITE_PREPARE_PERSISTENT, &t->st, NULL);
	free(native);
	if (rc != SQLITE_OK) {
		sq_error(s->db, rc, e);
		free(t);
		free(key);
		return NULL;
	}
	t->base.vfs = &db_sqlite_vfs;
	t->base.sql = key;
	t->owner = s;
	db_cache_keep(&s->cache, &t->base);
	return &t->base;
}

#define T(x) ((sq_stmt *)(x))

/* A bind that fails (a text copied when memory is short) would leave the
** parameter NULL and the statement would write NULL in its place: the
** failure is kept and the step reports it instead of running. */
static void bound(db_stmt *x, int rc)
{
	if (rc != SQLITE_OK && rc != SQLITE_RANGE && !T(x)->bind_rc)
		T(x)->bind_rc = rc;
}
static void sq_bind_int(db_stmt *x, int n, int64_t v) { bound(x, sqlite3_bind_int64(T(x)->st, n, v)); }
static void sq_bind_double(db_stmt *x, int n, double v) { bound(x, sqlite3_bind_double(T(x)->st, n, v)); }
static void sq_bind_null(db_stmt *x, int n) { bound(x, sqlite3_bind_null(T(x)->st, n)); }
static void sq_bind_text(db_stmt *x, int n, const char *v, int len)
{
	if (v)
		bound(x, sqlite3_bind_text(T(x)->st, n, v, len, SQLITE_TRANSIENT));
	else
		bound(x, sqlite3_bind_null(T(x)->st, n));
}

static int sq_step(db_stmt *x, rp_err *e)
{
	if (T(x)->bind_rc)
		return T(x)->bind_rc == SQLITE_NOMEM ? rp_errf(e, RP_ENOMEM, "out of memory")
						     : rp_errf(e, RP_EDB, "database error: %s", sqlite3_errstr(T(x)->bind_rc));
	int rc = sqlite3_step(T(x)->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return sq_error(T(x)->owner->db, rc, e);
}

static int sq_param_count(db_stmt *x) { return sqlite3_bind_parameter_count(T(x)->st); }
static int sq_col_count(db_stmt *x) { return sqlite3_column_count(T(x)->st); }
static const char *sq_col_name(db_stmt *x, int i) { return sqlite3_column_name(T(x)->st, i); }
static int sq_col_null(db_stmt *x, int i) { return sqlite3_column_type(T(x)->st, i) == SQLITE_NULL; }
static int64_t sq_col_int(db_stmt *x, int i) { return sqlite3_column_int64(T(x)->st, i); }
static double sq_col_double(db_stmt *x, int i) { return sqlite3_column_double(T(x)->st, i); }
static const char *sq_col_text(db_stmt *x, int i)
{
	return (const char *)sqlite3_column_text(T(x)->st, i);
}

static void sq_reset(db_stmt *x)
{
	sqlite3_reset(T(x)->st);
	sqlite3_clear_bindings(T(x)->st);
	T(x)->bind_rc = 0;
	x->busy = 0;
	if (x->private)
		sq_free(x);
}

static int64_t sq_changes(void *impl) { return sqlite3_changes64(((sq *)impl)->db); }

static void sq_bulk(void *impl, int on)
{
	sq *s = impl;
	sqlite3_exec(s->db, on ? "PRAGMA cache_size=-524288; PRAGMA threads=2" : "PRAGMA cache_size=-32768; PRAGMA threads=0", NULL,
		     NULL, NULL);
}

/* Turn what a person typed into an FTS5 query that cannot be a syntax error
** or an injection: every word becomes a quoted phrase (AND of all), and a
** trailing '*' on a word keeps its prefix meaning. */
char *sq_fts_query(const char *text, const char *join)
{
	size_t n = strlen(text), jn = strlen(join);
	/* each word of at least one byte and its separator grow by at most
	** the quotes, a star and the join */
	char *q = malloc(n * (3 + jn) + 8), *o = q;
	if (!q)
		return NULL;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		while (*p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (!*p)
			break;
		const unsigned char *w = p;
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		const unsigned char *end = p;
		int prefix = 0;
		while (end > w && end[-1] == '*') {
			end--;
			prefix = 1;
		}
		if (end == w)
			continue;
		if (o != q) {
			memcpy(o, join, jn);
			o += jn;
		}
		*o++ = '"';
		for (const unsigned char *c = w; c < end; c++) {
			if (*c == '"')
				*o++ = '"';
			*o++ = (char)*c;
		}
		*o++ = '"';
		if (prefix)
			*o++ = '*';
	}
	*o = 0;
	return q;
}

static int sq_fulltext(void *impl, const char *text, int limit, db_fulltext_row row, void *ctx,
		       rp_err *e)
{
	sq *s = impl;
	char *q = sq_fts_query(text, " ");
	if (!q)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!*q) {
		free(q);
		return rp_errf(e, RP_EINVAL, "nothing to search for; give one or more words");
	}
	/* bm25 is negative, smaller is better; the four indexes rank on one
	** scale.  Each takes its newest matches by rowid, which FTS5 reads in
	** order without visiting the rest. */
#define WINDOW(t) "SELECT rowid AS ref, bm25(" t ") AS r FROM " t " WHERE " t " MATCH $1 ORDER BY rowid DESC LIMIT $3"
	static const char *sql =
		"SELECT kind, ref, r FROM ("
		" SELECT 'contact' AS kind, ref, r FROM (" WINDOW("contact_fts") ")"
		" UNION ALL SELECT 'fact', ref, r FROM (" WINDOW("fact_fts") ")"
		" UNION ALL SELECT 'interaction', ref, r FROM (" WINDOW("interaction_fts") ")"
		" UNION ALL SELECT 'story', ref, r FROM (" WINDOW("story_fts") ")"
		") ORDER BY r LIMIT $2";
#undef WINDOW
	db_stmt *st = sq_prepare(s, sql, e);
	if (!st) {
		free(q);
		return e ? e->code : RP_EDB;
	}
	sq_bind_text(st, 1, q, -1);
	sq_bind_int(st, 2, limit);
	sq_bind_int(st, 3, DB_FULLTEXT_WINDOW);
	free(q);
	int rc;
	while ((rc = sq_step(st, e)) == DB_ROW)
		if (row(ctx, sq_col_text(st, 0), sq_col_int(st, 1), sq_col_double(st, 2)))
			break;
	sq_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

static int sq_fulltext_any(void *impl, const char *table, const char *words, int limit, db_fulltext_row row,
			   void *ctx, rp_err *e)
{
	sq *s = impl;
	(void)table; /* db.c lets only "story" through */
	char *q = sq_fts_query(words, " OR ");
	if (!q)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!*q) {
		free(q);
		return 0;
	}
	/* FTS5 walks a query's matches in rowid order, so newest first with a
	** limit reads only that many. */
	db_stmt *st = sq_prepare(s, "SELECT rowid FROM story_fts WHERE story_fts MATCH $1 ORDER BY rowid DESC LIMIT $2",
				 e);
	if (!st) {
		free(q);
		return e ? e->code : RP_EDB;
	}
	sq_bind_text(st, 1, q, -1);
	sq_bind_int(st, 2, limit);
	free(q);
	int rc;
	while ((rc = sq_step(st, e)) == DB_ROW)
		if (row(ctx, "story", sq_col_int(st, 0), 0))
			break;
	sq_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

static int sq_run(sq *s, const char *sql, const char *text, int64_t lo, int64_t hi, rp_err *e)
{
	db_stmt *st = sq_prepare(s, sql, e);
	if (!st)
		return e ? e->code : RP_EDB;
	if (text)
		sq_bind_text(st, 1, text, -1);
	else {
		sq_bind_int(st, 1, lo);
		sq_bind_int(st, 2, hi);
	}
	int rc = sq_step(st, e);
	sq_reset(st);
	return rc == DB_DONE ? 0 : rc;
}

static int known_table(const char *t, rp_err *e)
{
	if (strcmp(t, "contact") && strcmp(t, "interaction"))
		return rp_errf(e, RP_EDB, "no deferred indexing for table %s", t);
	return 0;
}

/* Deferring is dropping the table's insert trigger inside the transaction
** (kept to be created again on resume): no per-row test is left on the
** insert path, and a rollback brings the trigger back by itself. */
static int sq_fulltext_defer(void *impl, const char *table, int on, rp_err *e)
{
	sq *s = impl;
	int rc = known_table(table, e);
	if (rc)
		return rc;
	if (!on) {
		if (!s->trigger)
			return 0;
		rc = sq_exec(s, s->trigger, e);
		free(s->trigger);
		s->trigger = NULL;
		return rc;
	}
	if (s->trigger)
		return rp_errf(e, RP_EDB, "search indexing is already deferred");
	db_stmt *st = sq_prepare(s, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = $1", e);
	if (!st)
		return e ? e->code : RP_EDB;
	char name[64];
	snprintf(name, sizeof name, "%s_fts_ai", table);
	sq_bind_text(st, 1, name, -1);
	rc = sq_step(st, e);
	if (rc == DB_ROW && !(s->trigger = strdup(sq_col_text(st, 0))))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	else if (rc == DB_DONE)
		rc = rp_errf(e, RP_EDB, "the search trigger %s is missing", name);
	sq_reset(st);
	if (rc != DB_ROW)
		return rc;
	char sql[96];
	snprintf(sql, sizeof sql, "DROP TRIGGER %s", name);
	return sq_exec(s, sql, e);
}

static int sq_fulltext_index(void *impl, const char *table, int64_t lo, int64_t hi, rp_err *e)
{
	int rc = known_table(table, e);
	if (rc)
		return rc;
	/* When lo..hi are all the table's rows, FTS5's own rebuild reads the
	** content table directly and is faster than inserting row by row. */
	int contact = !strcmp(table, "contact");
	db_stmt *st = sq_prepare(impl,
				 contact ? "SELECT EXISTS (SELECT 1 FROM contact WHERE id < $1 OR id > $2)"
					 : "SELECT EXISTS (SELECT 1 FROM interaction WHERE id < $1 OR id > $2)",
				 e);
	if (!st)
		return e ? e->code : RP_EDB;
	sq_bind_int(st, 1, lo);
	sq_bind_int(st, 2, hi);
	rc = sq_step(st, e);
	int others = rc == DB_ROW && sq_col_int(st, 0);
	sq_reset(st);
	if (rc != DB_ROW)
		return rc;
	if (!others)
		return sq_exec(impl,
			       contact ? "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')"
				       : "INSERT INTO interaction_fts(interaction_fts) VALUES ('rebuild')",
			       e);
	return sq_run(impl,
		      contact
			      ? "INSERT INTO contact_fts(rowid, name, note)"
				" SELECT id, name, note FROM contact WHERE id BETWEEN $1 AND $2"
			      : "INSERT INTO interaction_fts(rowid, summary)"
				" SELECT id, summary FROM interaction WHERE id BETWEEN $1 AND $2",
		      NULL, lo, hi, e);
}

static int sq_load(void *impl, const char *table, int begin, rp_err *e)
{
	sq *s = impl;
	int rc = 0;
	if (begin <= 0) { /* 0: build the indexes again; -1: forget them (a rollback follows) */
		for (int i = 0; i < s->nstash; i++) {
			if (!rc && begin == 0)
				rc = sq_exec(s, s->stash[i], e);
			free(s->stash[i]);
		}
		s->nstash = 0;
		return rc;
	}
	if (s->nstash)
		return rp_errf(e, RP_EDB, "a load is already in progress");
	db_stmt *st = sq_prepare(s,
				 "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1"
				 " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
				 e);
	if (!st)
		return e ? e->code : RP_EDB;
	sq_bind_text(st, 1, table, -1);
	char *drop[32];
	int n = 0;
	while ((rc = sq_step(st, e)) == DB_ROW && n < 32) {
		const char *name = sq_col_text(st, 0), *sql = sq_col_text(st, 1);
		char **stash = realloc(s->stash, (size_t)(s->nstash + 1) * sizeof *stash);
		if (!stash)
			break;
		s->stash = stash;
		s->stash[s->nstash++] = strdup(sql);
		drop[n++] = sqlite3_mprintf("DROP INDEX \"%w\"", name);
	}
	sq_reset(st);
	rc = rc == DB_DONE || rc == DB_ROW ? 0 : rc;
	for (int i = 0; i < n; i++) {
		if (!rc && !drop[i])
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		if (!rc)
			rc = sq_exec(s, drop[i], e);
		sqlite3_free(drop[i]);
	}
	for (int i = 0; i < s->nstash && !rc; i++)
		if (!s->stash[i])
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
	return rc;
}

static int sq_data_version(void *impl, int64_t *v)
{
	db_stmt *st = sq_prepare(impl, "PRAGMA data_version", NULL);
	if (!st)
		return RP_EDB;
	int rc = sq_step(st, NULL);
	if (rc == DB_ROW)
		*v = sq_col_int(st, 0);
	sq_reset(st);
	return rc == DB_ROW ? 0 : RP_EDB;
}

/* A rowid table gives max(rowid) + 1 by itself. */
static int sq_ids_follow(void *impl, const char *table, rp_err *e)
{
	(void)impl, (void)table, (void)e;
	return 0;
}

/*
** Erasing a person.  With secure_delete SQLite overwrites with zeros what a
** delete frees: the cells of deleted rows and index entries, and pages put
** on the freelist.  (Debian builds SQLite with it on, SQLite's own default
** is off, and the setting belongs to the connection: it is set here, and
** restored after.)
*/
static int sq_secure_delete(void *impl, int on, rp_err *e)
{
	sq *s = impl;
	if (on) {
		db_stmt *st = sq_prepare(s, "PRAGMA secure_delete", e);
		if (!st)
			return e ? e->code : RP_EDB;
		int rc = sq_step(st, e);
		s->secure_was = rc == DB_ROW ? (int)sq_col_int(st, 0) : 0;
		sq_reset(st);
		if (rc != DB_ROW)
			return rc;
	}
	return sq_exec(s, on || s->secure_was ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF", e);
}

/*
** What is left of deleted rows after the commit, removed:
** - FTS5 external-content indexes record a deletion as a tombstone in a
**   new segment and keep the old segments, with the deleted words, until
**   segments merge: 'optimize' merges every segment into one without them.
** - Space a row held inside a page that stays in use is zeroed by
**   secure_delete, but bytes moved by earlier page splits and merges, or
**   freed while secure_delete was off, may linger in unused parts of pages:
**   VACUUM writes the database anew from its live rows, leaving none.  It
**   keeps writers waiting while it runs, but not readers (WAL), and a
**   SQLite store is one machine's: it always runs.
** - The WAL holds copies of pages as they were (its old frames stay in the
**   file after a checkpoint until overwritten): a TRUNCATE checkpoint moves
**   everything into the database file and cuts the WAL to zero bytes.  The
**   -shm file holds only the WAL's index (page numbers), never row data.
** Each step waits for other connections (the busy timeout); a reader that
** holds an old snapshot for longer keeps the WAL from being truncated,
** which *done reports.
*/
static int sq_erase_traces(void *impl, const char *const *tables, int rewrite, char *done, size_t size, rp_err *e)
{
	sq *s = impl;
	(void)tables, (void)rewrite; /* VACUUM rewrites every table, always */
	db_stmt *st = sq_prepare(s,
				 "SELECT name FROM sqlite_schema WHERE type = 'table'"
				 " AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name",
				 e);
	if (!st)
		return e ? e->code : RP_EDB;
	char *names[16];
	int n = 0, rc;
	while ((rc = sq_step(st, e)) == DB_ROW && n < 16)
		names[n++] = sqlite3_mprintf("INSERT INTO \"%w\"(\"%w\") VALUES ('optimize')", sq_col_text(st, 0),
					     sq_col_text(st, 0));
	sq_reset(st);
	rc = rc == DB_DONE || rc == DB_ROW ? 0 : rc;
	for (int i = 0; i < n; i++) {
		if (!rc && !names[i])
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		if (!rc)
			rc = sq_exec(s, names[i], e);
		sqlite3_free(names[i]);
	}
	if (rc)
		return rc;
	if ((rc = sq_exec(s, "VACUUM", e)))
		return rc;
	if (!(st = sq_prepare(s, "PRAGMA wal_checkpoint(TRUNCATE)", e)))
		return e ? e->code : RP_EDB;
	rc = sq_step(st, e);
	int busy = rc == DB_ROW && sq_col_int(st, 0) != 0;
	sq_reset(st);
	if (rc != DB_ROW)
		return rc;
	if (done)
		snprintf(done, size, "search indexes optimized, database file vacuumed, %s",
			 busy ? "WAL not truncated: another connection was reading it (the next erasure"
				" truncates it)"
			      : "WAL truncated");
	return 0;
}

/*
** Backups.  The copy is made by the online backup API in one step: one
** read transaction on the store, so the copy is the store as of one
** commit, and with WAL writers go on meanwhile (a copy made in several
** steps would start again whenever another connection writes).  The copy
** is then a file of its own: its journal is a rollback journal, not a WAL
** that would have to travel with it.
*/

/* Open a backup file (create: a new one to write), with the search
** tokenizer that checking the search tables needs. */
static int backup_open(const char *file, int create, sqlite3 **out, rp_err *e)
{
	int flags = (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
		    SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(file, out, flags, NULL);
	if (rc == SQLITE_OK)
		rc = rp_fts_register(*out);
	if (rc != SQLITE_OK) {
		rp_errf(e, RP_EIO, "cannot open %s: %s", file, *out ? sqlite3_errmsg(*out) : "out of memory");
		sqlite3_close(*out);
		*out = NULL;
		return e ? e->code : RP_EIO;
	}
	sqlite3_extended_result_codes(*out, 1);
	sqlite3_busy_timeout(*out, 10000);
	return 0;
}

/* The first integer column of the first row of sql on db, or an error. */
static int one_int(sqlite3 *db, const char *sql, int64_t *v, rp_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		rc = sq_error(db, rc, e);
	sqlite3_finalize(st);
	return rc;
}

/* A backup file is whole (integrity_check says ok) and a rapport store:
** *version is its schema version. */
static int backup_check(sqlite3 *db, const char *file, int *version, rp_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_NOTADB)
		return rp_errf(e, RP_EINVAL, "%s is not a rapport backup (not a SQLite database)", file);
	if (rc != SQLITE_OK)
		return sq_error(db, rc, e);
	rc = sqlite3_step(st);
	const char *res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (rc == SQLITE_NOTADB)
		rc = rp_errf(e, RP_EINVAL, "%s is not a rapport backup (not a SQLite database)", file);
	else if (rc != SQLITE_ROW)
		rc = sq_error(db, rc, e);
	else if (!res || strcmp(res, "ok"))
		rc = rp_errf(e, RP_EDB, "the backup %s is damaged: integrity_check says %.200s", file,
			     res ? res : "nothing");
	else
		rc = 0;
	sqlite3_finalize(st);
	if (rc)
		return rc;
	int64_t v = 0;
	rp_err why = {0};
	if (one_int(db, "SELECT coalesce(max(version), 0) FROM schema_version", &v, &why) || v < 1)
		return rp_errf(e, RP_EINVAL, "%s is not a rapport backup (no schema version in it)", file);
	*version = (int)v;
	return 0;
}

/* Copy all of from's main database into to's in one step; a busy store
** (a writer checkpointing, another restore) is tried again for a while. */
static int backup_copy(sqlite3 *to, sqlite3 *from, rp_err *e)
{
	for (int tries = 0;; tries++) {
		sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
		if (!b)
			return sq_error(to, sqlite3_errcode(to), e);
		int rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		if (rc == SQLITE_DONE)
			return 0;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 100) {
			sqlite3_sleep(100);
			continue;
		}
		if (rc == SQLITE_READONLY)
			return rp_errf(e, RP_EINVAL,
				       "the backup's page size differs from the store's, which WAL cannot change; "
				       "restore into a new store");
		return sq_error(to, rc, e);
	}
}

static int sq_backup(void *impl, const char *file, int *version, rp_err *e)
{
	sq *s = impl;
	sqlite3 *to;
	int rc = backup_open(file, 1, &to, e);
	if (rc)
		return rc;
	rc = backup_copy(to, s->db, e);
	if (!rc)
		rc = sq_exec(&(sq){.db = to}, "PRAGMA journal_mode=DELETE", e);
	if (!rc)
		rc = backup_check(to, file, version, e);
	if (sqlite3_close(to) != SQLITE_OK && !rc)
		rc = rp_errf(e, RP_EIO, "cannot close %s", file);
	return rc;
}

static int sq_backup_version(void *impl, const char *file, int *version, rp_err *e)
{
	(void)impl;
	sqlite3 *from;
	int rc = backup_open(file, 0, &from, e);
	if (!rc)
		rc = backup_check(from, file, version, e);
	sqlite3_close(from);
	return rc;
}

/* Into this connection's store, in one write transaction of it: other
** connections wait (the busy timeout) and then see the restored store;
** a restore killed half way is rolled back like any transaction. */
static int sq_restore(void *impl, const char *file, rp_err *e)
{
	sq *s = impl;
	sqlite3 *from;
	int version, rc = backup_open(file, 0, &from, e);
	if (!rc)
		rc = backup_check(from, file, &version, e);
	if (!rc)
		rc = backup_copy(s->db, from, e);
	sqlite3_close(from);
	return rc;
}

/* The connection's own counts: the global one is off (sq_configure). */
static int64_t sq_memory(void *impl)
{
	sqlite3 *h = ((sq *)impl)->db;
	int64_t sum = 0;
	const int ops[] = {SQLITE_DBSTATUS_CACHE_USED, SQLITE_DBSTATUS_SCHEMA_USED, SQLITE_DBSTATUS_STMT_USED};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		int cur = 0, hi = 0;
		if (sqlite3_db_status(h, ops[i], &cur, &hi, 0) == SQLITE_OK)
			sum += cur;
	}
	return sum;
}

const struct db_vfs db_sqlite_vfs = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.param_count = sq_param_count,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.reset = sq_reset,
	.changes = sq_changes,
	.bulk = sq_bulk,
	.begin = sq_begin,
	.in_txn = sq_in_txn,
	.fulltext_defer = sq_fulltext_defer,
	.fulltext_index = sq_fulltext_index,
	.data_version = sq_data_version,
	.load = sq_load,
	.ids_follow = sq_ids_follow,
	.fulltext = sq_fulltext,
	.fulltext_any = sq_fulltext_any,
	.secure_delete = sq_secure_delete,
	.erase_traces = sq_erase_traces,
	.backup = sq_backup,
	.backup_version = sq_backup_version,
	.restore = sq_restore,
	.memory = sq_memory,
};
