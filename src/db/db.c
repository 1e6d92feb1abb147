/*
** What every engine shares: dispatch to the backend, nested transactions,
** migrations, and the typed-argument conveniences.
*/
#include "db/fault.h"
#include "db/vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int db_open(const char *target, int create, db **out, rp_err *e)
{
	const struct db_vfs *vfs = &db_sqlite_vfs;
	if (!strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13))
		vfs = &db_postgres_vfs;
	db *d = calloc(1, sizeof *d);
	if (!d)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	d->vfs = vfs;
	int rc = vfs->open(target, create, &d->impl, e);
	if (rc) {
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void db_target_shown(const char *target, char *out, size_t n)
{
	const char *scheme = strstr(target, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (colon)
		snprintf(out, n, "%.*s:***%s", (int)(colon - target), target, at);
	else
		snprintf(out, n, "%s", target);
}

void db_close(db *d)
{
	if (!d)
		return;
	if (d->depth) {
		d->depth = 1;
		db_rollback(d);
	}
	d->vfs->close(d->impl);
	free(d);
}

const char *db_engine(db *d) { return d->vfs->name; }

/* An injected failure (db/fault.h) of a call into the engine: one test
** while disarmed. */
#define FAULT(e) (db_fault_on && db_fault_fire(DB_FAULT_CALL) ? db_fault_err(e) : 0)

/* The engine runs sql, unless a failure is injected. */
static int run_sql(db *d, const char *sql, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->exec(d->impl, sql, e);
}

/*
** Before a statement: the engine's transaction is where ours is.  SQLite
** ends a transaction by itself on some errors (an I/O error, memory
** exhausted; its documentation says to check sqlite3_get_autocommit), and
** its ROLLBACK may itself fail for want of memory.  Statements that went on
** as if inside the dead transaction would each commit on its own, half an
** operation; a transaction left open would swallow the statements of the
** next operations and never commit them.  (PostgreSQL refuses every
** statement of a failed transaction by itself until the rollback.)
*/
static int ready(db *d, rp_err *e)
{
	if (!d->vfs->in_txn)
		return 0;
	int in = d->vfs->in_txn(d->impl);
	if (d->depth && !in)
		return rp_errf(e, RP_EDB,
			       "database error: the store rolled back the change after an error; nothing was written");
	if (!d->depth && in) {
		d->vfs->exec(d->impl, "ROLLBACK", NULL);
		if (d->vfs->in_txn(d->impl))
			return rp_errf(e, RP_EDB, "database error: the store cannot roll back a failed change");
	}
	return 0;
}

int64_t db_memory(db *d) { return d->vfs->memory ? d->vfs->memory(d->impl) : 0; }

/* The outermost level is the engine's transaction; inner levels are
** savepoints, so an inner failure undoes only its own writes. */
static int begin(db *d, int write, rp_err *e)
{
	int rc = ready(d, e);
	if (rc)
		return rc;
	if (d->depth == 0) {
		if (!(rc = FAULT(e)))
			rc = d->vfs->begin(d->impl, write, e);
	} else {
		char sql[32];
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", d->depth);
		rc = run_sql(d, sql, e);
	}
	if (!rc)
		d->depth++;
	return rc;
}

int db_begin(db *d, rp_err *e) { return begin(d, 1, e); }
int db_begin_read(db *d, rp_err *e) { return begin(d, 0, e); }

int db_commit(db *d, rp_err *e)
{
	if (d->depth == 0)
		return rp_errf(e, RP_EDB, "commit without a transaction");
	int rc = ready(d, e);
	if (rc) {
		d->depth = d->depth > 1 ? d->depth - 1 : 0;
		if (!d->depth)
			d->vfs->exec(d->impl, "ROLLBACK", NULL);
		return rc;
	}
	if (--d->depth > 0) {
		char sql[32];
		snprintf(sql, sizeof sql, "RELEASE sp%d", d->depth);
		rc = run_sql(d, sql, e);
	} else {
		rc = run_sql(d, "COMMIT", e);
		if (rc)
			d->vfs->exec(d->impl, "ROLLBACK", NULL);
	}
	return rc;
}

void db_rollback(db *d)
{
	if (d->depth == 0)
		return;
	if (--d->depth > 0) {
		char sql[64];
		snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", d->depth, d->depth);
		d->vfs->exec(d->impl, sql, NULL);
	} else {
		d->vfs->exec(d->impl, "ROLLBACK", NULL);
	}
}

int db_exec(db *d, const char *sql, rp_err *e)
{
	int rc = ready(d, e);
	return rc ? rc : run_sql(d, sql, e);
}

db_stmt *db_prepare(db *d, const char *sql, rp_err *e)
{
	if (ready(d, e) || FAULT(e))
		return NULL;
	return d->vfs->prepare(d->impl, sql, e);
}
void db_bind_int(db_stmt *s, int n, int64_t v) { s->vfs->bind_int(s, n, v); }
void db_bind_double(db_stmt *s, int n, double v) { s->vfs->bind_double(s, n, v); }
void db_bind_text(db_stmt *s, int n, const char *v, int len) { s->vfs->bind_text(s, n, v, len); }
void db_bind_null(db_stmt *s, int n) { s->vfs->bind_null(s, n); }
/* Time spent in the engine by this thread, for the server's metrics. */
static _Thread_local uint64_t step_ns;

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int db_step(db_stmt *s, rp_err *e)
{
	int rc = FAULT(e);
	if (rc)
		return rc;
	uint64_t t = now_ns();
	rc = s->vfs->step(s, e);
	step_ns += now_ns() - t;
	return rc;
}

uint64_t db_time_take(void)
{
	uint64_t t = step_ns;
	step_ns = 0;
	return t;
}
int db_col_count(db_stmt *s) { return s->vfs->col_count(s); }
const char *db_col_name(db_stmt *s, int i) { return s->vfs->col_name(s, i); }
int db_col_null(db_stmt *s, int i) { return s->vfs->col_null(s, i); }
int64_t db_col_int(db_stmt *s, int i) { return s->vfs->col_int(s, i); }
double db_col_double(db_stmt *s, int i) { return s->vfs->col_double(s, i); }
const char *db_col_text(db_stmt *s, int i) { return s->vfs->col_text(s, i); }
void db_reset(db_stmt *s)
{
	if (s)
		s->vfs->reset(s);
}
int64_t db_changes(db *d) { return d->vfs->changes(d->impl); }
void db_bulk(db *d, int on) { d->vfs->bulk(d->impl, on); }

int db_fulltext(db *d, const char *text, int limit, db_fulltext_row row, void *ctx, rp_err *e)
{
	return d->vfs->fulltext(d->impl, text, limit, row, ctx, e);
}

int db_fulltext_any(db *d, const char *table, const char *words, int limit, db_fulltext_row row, void *ctx,
		    rp_err *e)
{
	if (strcmp(table, "story"))
		return rp_errf(e, RP_EDB, "no search by any word for table %s", table);
	return d->vfs->fulltext_any(d->impl, table, words, limit, row, ctx, e);
}

int db_fulltext_defer(db *d, const char *table, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->fulltext_defer(d->impl, table, 1, e);
}

/* An injected failure still lets the connection forget the deferral, as
** a real one does (the caller rolls back next). */
int db_fulltext_resume(db *d, const char *table, rp_err *e)
{
	int rc = d->vfs->fulltext_defer(d->impl, table, 0, e);
	return rc ? rc : FAULT(e);
}

int db_fulltext_index(db *d, const char *table, int64_t lo, int64_t hi, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->fulltext_index(d->impl, table, lo, hi, e);
}

int db_data_version(db *d, int64_t *v) { return d->vfs->data_version(d->impl, v); }
int db_load_begin(db *d, const char *table, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->load(d->impl, table, 1, e);
}
int db_load_end(db *d, rp_err *e)
{
	int rc = FAULT(e);
	if (rc) /* the connection forgets the load, as after a real failure */
		d->vfs->load(d->impl, NULL, -1, NULL);
	return rc ? rc : d->vfs->load(d->impl, NULL, 0, e);
}
int db_ids_follow(db *d, const char *table, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->ids_follow(d->impl, table, e);
}
void db_load_cancel(db *d) { d->vfs->load(d->impl, NULL, -1, NULL); }
int db_secure_delete(db *d, int on, rp_err *e)
{
	int rc = FAULT(e);
	return rc ? rc : d->vfs->secure_delete(d->impl, on, e);
}

/* VACUUM and a WAL checkpoint cannot run inside a transaction: the caller
** commits the erasure first. */
int db_erase_traces(db *d, const char *const *tables, int rewrite, char *done, size_t size, rp_err *e)
{
	if (done && size)
		*done = 0;
	if (d->depth)
		return rp_errf(e, RP_EDB, "internal error: the traces of erased rows are removed after the commit");
	return d->vfs->erase_traces(d->impl, tables, rewrite, done, size, e);
}

/* Bind per the types string; a count that differs from the statement's
** parameters is a programming error, caught here rather than as a crash. */
static int bind_va(db_stmt *s, const char *sql, const char *types, va_list ap, rp_err *e)
{
	int want = s->vfs->param_count(s);
	if ((int)strlen(types ? types : "") != want) {
		db_reset(s);
		return rp_errf(e, RP_EDB, "internal error: %zu arguments for %d parameters in: %.200s",
			       strlen(types ? types : ""), want, sql);
	}
	for (int n = 1; types && types[n - 1]; n++) {
		switch (types[n - 1]) {
		case 'i': db_bind_int(s, n, va_arg(ap, int64_t)); break;
		case 'd': db_bind_double(s, n, va_arg(ap, double)); break;
		case 't': db_bind_text(s, n, va_arg(ap, const char *), -1); break;
		default: db_bind_null(s, n); break;
		}
	}
	return 0;
}

db_stmt *db_query(db *d, rp_err *e, const char *sql, const char *types, ...)
{
	db_stmt *s = db_prepare(d, sql, e);
	if (!s)
		return NULL;
	va_list ap;
	va_start(ap, types);
	int rc = bind_va(s, sql, types, ap, e);
	va_end(ap);
	return rc ? NULL : s;
}

int db_run(db *d, rp_err *e, const char *sql, const char *types, ...)
{
	db_stmt *s = db_prepare(d, sql, e);
	if (!s)
		return e ? e->code : RP_EDB;
	va_list ap;
	va_start(ap, types);
	int rc = bind_va(s, sql, types, ap, e);
	va_end(ap);
	if (rc)
		return rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		;
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

int db_one_int(db *d, rp_err *e, int64_t *out, const char *sql, const char *types, ...)
{
	db_stmt *s = db_prepare(d, sql, e);
	if (!s)
		return e ? e->code : RP_EDB;
	va_list ap;
	va_start(ap, types);
	int rc = bind_va(s, sql, types, ap, e);
	va_end(ap);
	if (rc)
		return rc;
	rc = db_step(s, e);
	if (rc == DB_ROW) {
		*out = db_col_int(s, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = RP_ENOTFOUND;
		rp_errf(e, rc, "no such row");
	}
	db_reset(s);
	return rc;
}

int db_version(db *d, int *version, rp_err *e)
{
	int rc = db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", e);
	if (rc)
		return rc;
	int64_t v = 0;
	rc = db_one_int(d, e, &v, "SELECT coalesce(max(version), 0) FROM schema_version", "");
	*version = (int)v;
	return rc;
}

int db_migrate(db *d, const db_migration *m, int n, int *applied, rp_err *e)
{
	int have, rc, count = 0;
	if ((rc = db_begin(d, e)))
		return rc;
	rc = db_version(d, &have, e);
	db_commit(d, NULL);
	if (rc)
		return rc;
	if (n > 0 && have > m[n - 1].version)
		return rp_errf(e, RP_EDB,
			       "the store is at schema version %d, newer than this rapport knows (%d); "
			       "upgrade rapport",
			       have, m[n - 1].version);
	for (int i = 0; i < n; i++) {
		if (m[i].version <= have)
			continue;
		if ((rc = db_begin(d, e)))
			return rc;
		rc = db_exec(d, m[i].sql, e);
		for (int k = 0; !rc && k < 2 && m[i].engine[k]; k++)
			if (!strcmp(m[i].engine[k], db_engine(d)))
				rc = db_exec(d, m[i].engine_sql[k], e);
		if (!rc)
			rc = db_run(d, e, "INSERT INTO schema_version(version) VALUES ($1)", "i",
				    (int64_t)m[i].version);
		if (rc) {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e ? e->msg : "");
			db_rollback(d);
			return rp_errf(e, rc, "migration %d (%s) failed: %s", m[i].version, m[i].name, why);
		}
		if ((rc = db_commit(d, e)))
			return rc;
		count++;
	}
	if (applied)
		*applied = count;
	return 0;
}

/* fsync path (a file, or a directory so that a rename in it is durable). */
static int sync_path(const char *path, int dir, rp_err *e)
{
	int fd = open(path, O_RDONLY | (dir ? O_DIRECTORY : 0) | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return rp_errf(e, RP_EIO, "cannot write %s to disk: %s", path, strerror(err));
	}
	close(fd);
	return 0;
}

/* Backups are whole files or nothing: the engine writes file.tmp, which is
** synced, renamed over file, and the rename synced with its directory. */
int db_backup(db *d, const char *file, int *version, rp_err *e)
{
	if (d->depth)
		return rp_errf(e, RP_EDB, "internal error: a backup runs outside any transaction");
	size_t n = strlen(file);
	char *tmp = malloc(n + 5), *dir = strdup(file);
	if (!tmp || !dir) {
		free(tmp), free(dir);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	snprintf(tmp, n + 5, "%s.tmp", file);
	char *slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else
		slash[slash == dir] = 0; /* "/x" keeps its "/" */
	unlink(tmp); /* what a killed backup left */
	int rc = d->vfs->backup(d->impl, tmp, version, e);
	if (!rc)
		rc = sync_path(tmp, 0, e);
	if (!rc && rename(tmp, file))
		rc = rp_errf(e, RP_EIO, "cannot rename %s to %s: %s", tmp, file, strerror(errno));
	if (!rc)
		rc = sync_path(dir, 1, e);
	if (rc)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

int db_backup_version(db *d, const char *file, int *version, rp_err *e)
{
	if (access(file, R_OK))
		return rp_errf(e, errno == ENOENT ? RP_ENOTFOUND : RP_EIO, "cannot read the backup %s: %s", file,
			       strerror(errno));
	return d->vfs->backup_version(d->impl, file, version, e);
}

int db_restore(db *d, const char *file, rp_err *e)
{
	if (d->depth)
		return rp_errf(e, RP_EDB, "internal error: a restore runs outside any transaction");
	return d->vfs->restore(d->impl, file, e);
}
