/*
** The backend interface behind db/db.h.  db.c keeps what every engine shares
** (transaction depth, migrations, conveniences) and calls a backend for the
** rest.  A backend's statement type starts with struct db_stmt_base.
*/
#ifndef RP_DB_VFS_H
#define RP_DB_VFS_H

#include "db/db.h"

struct db_vfs {
	const char *name;
	int (*open)(const char *target, int create, void **impl, rp_err *e);
	void (*close)(void *impl);
	int (*exec)(void *impl, const char *sql, rp_err *e);
	db_stmt *(*prepare)(void *impl, const char *sql, rp_err *e);
	void (*bind_int)(db_stmt *s, int n, int64_t v);
	void (*bind_double)(db_stmt *s, int n, double v);
	void (*bind_text)(db_stmt *s, int n, const char *v, int len);
	void (*bind_null)(db_stmt *s, int n);
	int (*step)(db_stmt *s, rp_err *e);
	int (*param_count)(db_stmt *s);
	int (*col_count)(db_stmt *s);
	const char *(*col_name)(db_stmt *s, int i);
	int (*col_null)(db_stmt *s, int i);
	int64_t (*col_int)(db_stmt *s, int i);
	double (*col_double)(db_stmt *s, int i);
	const char *(*col_text)(db_stmt *s, int i);
	void (*reset)(db_stmt *s);
	int64_t (*changes)(void *impl);
	void (*bulk)(void *impl, int on);
	int (*begin)(void *impl, int write, rp_err *e);
	/* Whether the engine is inside a transaction, for an engine that may
	** end one by itself after an error (NULL: it never does). */
	int (*in_txn)(void *impl);
	int (*fulltext_defer)(void *impl, const char *table, int on, rp_err *e);
	int (*fulltext_index)(void *impl, const char *table, int64_t lo, int64_t hi, rp_err *e);
	int (*data_version)(void *impl, int64_t *v);
	int (*load)(void *impl, const char *table, int begin, rp_err *e);
	int (*ids_follow)(void *impl, const char *table, rp_err *e);
	/* db_secure_delete and db_erase_traces (db.h): the erasure of a person */
	int (*secure_delete)(void *impl, int on, rp_err *e);
	int (*erase_traces)(void *impl, const char *const *tables, int rewrite, char *done, size_t size, rp_err *e);
	/* db_backup (into a file db.c then syncs and renames), db_backup_version, db_restore */
	int (*backup)(void *impl, const char *file, int *version, rp_err *e);
	int (*backup_version)(void *impl, const char *file, int *version, rp_err *e);
	int (*restore)(void *impl, const char *file, rp_err *e);
	/* db_memory (db.h); NULL: the engine keeps nothing in this process */
	int64_t (*memory)(void *impl);
	int (*fulltext)(void *impl, const char *text, int limit, db_fulltext_row row, void *ctx,
			rp_err *e);
	int (*fulltext_any)(void *impl, const char *table, const char *words, int limit, db_fulltext_row row,
			    void *ctx, rp_err *e);
};

/* Every backend's statement begins with this, so db.c can dispatch and
** the statement cache can find it. */
struct db_stmt {
	const struct db_vfs *vfs;
	char *sql;   /* the caller's text, the cache key (the backend owns it) */
	int busy;    /* borrowed and not yet reset */
	int private; /* not in the cache: the backend frees it on reset */
};

/* A connection's prepared statements by SQL text (stmt_cache.c). */
typedef struct db_stmt_cache {
	db_stmt **slots;
	size_t nslots, used;
} db_stmt_cache;
/* The cached statement for sql, borrowed; NULL when there is none or it
** is borrowed already (prepare a new one and db_cache_keep it). */
db_stmt *db_cache_borrow(db_stmt_cache *c, const char *sql);
/* Borrow s, just prepared for s->sql, and keep it in the cache; it is
** marked private instead when its SQL is cached and borrowed already or
** the cache is full. */
void db_cache_keep(db_stmt_cache *c, db_stmt *s);
/* Call fn for every cached statement. */
void db_cache_each(db_stmt_cache *c, void (*fn)(db_stmt *s));
/* Call fin for every cached statement and empty the cache. */
void db_cache_free(db_stmt_cache *c, void (*fin)(db_stmt *s));

struct db {
	const struct db_vfs *vfs;
	void *impl;
	int depth; /* transaction nesting: 1 is the transaction, more are savepoints */
};

extern const struct db_vfs db_sqlite_vfs;
extern const struct db_vfs db_postgres_vfs;

/* How each engine turns what a person typed into its search query (the
** fuzz targets reach them here).  SQLite: every word a quoted FTS5 phrase,
** joined by join; NULL when memory runs out.  PostgreSQL: the tsquery text
** of the plain words and of the prefix words ('*'), each NULL when there
** are none, and the any-of query of db_fulltext_any; -1 when memory runs
** out. */
char *sq_fts_query(const char *text, const char *join);
int pg_search_terms(const char *text, char **plain, char **prefix);
int pg_search_any_terms(const char *words, char **q);

#endif
