/*
** copy: a whole store into another, on the same engine or another, through
** db.h only, so a SQLite file becomes a PostgreSQL database and back.
**
** The tables are those of rp_tables (core/schema.c), in its order, so every
** foreign key finds its parent already copied.  Columns are whatever the
** source has (the target is at the same schema version), ids are kept, and
** the target's own triggers and indexes build its search tables.  The whole
** copy is one transaction of the target; before it commits, every table is
** read again on both sides and compared, and any difference undoes it all.
**
** Tables are read a page at a time, in the order of their key, because a
** PostgreSQL result arrives whole: one statement for a large table would
** hold all of it in memory.  Values are read as text (an integer as its
** decimal digits, as both engines give it) and written as text, or as a
** number into the columns rp_tables lists as integers: PostgreSQL takes
** nothing else there.
*/
#include "core/core.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Rows read per statement. */
#define PAGE 2000
/* Parameters per INSERT: several rows in one statement (one round trip to
** a PostgreSQL server), well within what every engine accepts. */
#define INSERT_PARAMS 1000
#define MAXCOLS 64
#define MAXKEY 4

/* What one copy or comparison carries along: the caller's options and the
** bytes of values read so far, for the progress bar. */
typedef struct run {
	const copy_opts *o;
	uint64_t bytes;
} run;

static void progress(run *r)
{
	if (r->o && r->o->progress)
		r->o->progress(r->o->progress_ctx, r->bytes, 0);
}

/* A table as a store has it: its columns, where its key columns are among
** them, and the statements that read it a page at a time in key order. */
typedef struct shape {
	const rp_table *t;
	int ncols;
	char *col[MAXCOLS];
	int nkey;
	int key[MAXKEY];
	char isint[MAXCOLS]; /* the column holds integers (rp_table.ints) */
	int id;              /* the position of an "id" column, or -1 */
	rp_buf first, next; /* SELECT the first page; the page after a key */
} shape;

/* An identifier in double quotes: the names come from rp_tables and the
** engine, but a name is never pasted bare into SQL. */
static void put_ident(rp_buf *b, const char *name)
{
	rp_buf_putc(b, '"');
	for (const char *c = name; *c; c++) {
		if (*c == '"')
			rp_buf_putc(b, '"');
		rp_buf_putc(b, *c);
	}
	rp_buf_putc(b, '"');
}

static void put_list(rp_buf *b, const shape *sh, const int *pos, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			rp_buf_puts(b, ", ");
		put_ident(b, sh->col[pos ? pos[i] : i]);
	}
}

static void shape_free(shape *sh)
{
	for (int i = 0; i < sh->ncols; i++)
		free(sh->col[i]);
	sh->ncols = 0;
	rp_buf_free(&sh->first);
	rp_buf_free(&sh->next);
}

static int column(const shape *sh, const char *name)
{
	for (int i = 0; i < sh->ncols; i++)
		if (!strcmp(sh->col[i], name))
			return i;
	return -1;
}

/* Bind value v (NULL for NULL) of column i of sh to parameter n: as a
** number in an integer column, where a value that is not one is refused
** (SQLite lets any value into any column; PostgreSQL does not). */
static int bind_value(db_stmt *s, int n, const shape *sh, int i, const char *v, rp_err *e)
{
	if (!v || !sh->isint[i]) {
		db_bind_text(s, n, v, -1);
		return 0;
	}
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno)
		return rp_errf(e, RP_EINVAL,
			       "table %s, column %s holds \"%.60s\", which is not a whole number; correct it in the "
			       "source and copy again",
			       sh->t->name, sh->col[i], v);
	db_bind_int(s, n, (int64_t)x);
	return 0;
}

/* Read t's columns from d (a statement that returns no row still names its
** columns), find its key among them and write its page statements. */
static int shape_read(db *d, const rp_table *t, shape *sh, rp_err *e)
{
	memset(sh, 0, sizeof *sh);
	sh->t = t;
	sh->id = -1;
	rp_buf sql = {0};
	rp_buf_puts(&sql, "SELECT * FROM ");
	put_ident(&sql, t->name);
	rp_buf_puts(&sql, " LIMIT 0");
	if (sql.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_prepare(d, sql.p, e);
	rp_buf_free(&sql);
	int rc = s ? db_step(s, e) : e ? e->code : RP_EDB;
	if (rc != DB_DONE && rc != DB_ROW) {
		db_reset(s);
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e ? e->msg : "");
		return rp_errf(e, rc, "cannot read table %s: %s", t->name, why);
	}
	rc = 0;
	int n = db_col_count(s);
	if (n > MAXCOLS)
		rc = rp_errf(e, RP_EDB, "table %s has %d columns, more than a copy handles (%d)", t->name, n, MAXCOLS);
	for (int i = 0; !rc && i < n; i++) {
		const char *name = db_col_name(s, i);
		if (!(sh->col[i] = strdup(name ? name : "")))
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		sh->ncols = i + 1;
		if (!rc && !strcmp(sh->col[i], "id"))
			sh->id = i;
	}
	db_reset(s);
	for (int k = 0; !rc && k < MAXKEY && t->key[k]; k++) {
		int i = column(sh, t->key[k]);
		if (i < 0)
			rc = rp_errf(e, RP_EDB, "table %s has no column %s, the key rp_tables names for it", t->name,
				     t->key[k]);
		else
			sh->key[sh->nkey++] = i;
	}
	for (int k = 0; !rc && k < RP_TABLE_INTS && t->ints[k]; k++) {
		int i = column(sh, t->ints[k]);
		if (i < 0)
			rc = rp_errf(e, RP_EDB, "table %s has no column %s, an integer column in rp_tables", t->name,
				     t->ints[k]);
		else
			sh->isint[i] = 1;
	}
	if (!rc && sh->ncols == 0)
		rc = rp_errf(e, RP_EDB, "table %s shows no columns", t->name);
	if (rc) {
		shape_free(sh);
		return rc;
	}
	/* SELECT cols FROM t [WHERE (key) > ($1, ...)] [ORDER BY key LIMIT PAGE];
	** a table without a key is small and read whole. */
	for (int which = 0; which < 2; which++) {
		rp_buf *b = which ? &sh->next : &sh->first;
		rp_buf_puts(b, "SELECT ");
		put_list(b, sh, NULL, sh->ncols);
		rp_buf_puts(b, " FROM ");
		put_ident(b, t->name);
		if (!sh->nkey)
			continue;
		if (which) {
			rp_buf_puts(b, " WHERE (");
			put_list(b, sh, sh->key, sh->nkey);
			rp_buf_puts(b, ") > (");
			for (int k = 0; k < sh->nkey; k++)
				rp_buf_printf(b, "%s$%d", k ? ", " : "", k + 1);
			rp_buf_puts(b, ")");
		}
		rp_buf_puts(b, " ORDER BY ");
		put_list(b, sh, sh->key, sh->nkey);
		rp_buf_printf(b, " LIMIT %d", PAGE);
	}
	if (sh->first.oom || sh->next.oom) {
		shape_free(sh);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	return 0;
}

/* The two stores must have the same columns; the rows are read from both in
** a's column order. */
static int shape_same(const shape *a, const shape *b, rp_err *e)
{
	int same = a->ncols == b->ncols;
	for (int i = 0; same && i < a->ncols; i++) {
		int j = 0;
		while (j < b->ncols && strcmp(a->col[i], b->col[j]))
			j++;
		same = j < b->ncols;
	}
	if (!same)
		return rp_errf(e, RP_EDB,
			       "table %s has different columns in the two stores (%d and %d); bring both up to "
			       "date with 'rapport --db STORE init'",
			       a->t->name, a->ncols, b->ncols);
	return 0;
}

typedef int (*row_fn)(void *ctx, db_stmt *s, rp_err *e);

/* Call row() for each row of sh's table in d, a page at a time: the next
** page starts after the key of the last row of the one before. */
static int each_row(db *d, const shape *sh, run *r, row_fn row, void *ctx, rp_err *e)
{
	char *last[MAXKEY] = {0};
	int rc = 0, more = 1;
	for (int page = 0; more && !rc; page++) {
		db_stmt *s = db_prepare(d, page ? sh->next.p : sh->first.p, e);
		if (!s) {
			rc = e ? e->code : RP_EDB;
			break;
		}
		for (int k = 0; page && !rc && k < sh->nkey; k++)
			rc = bind_value(s, k + 1, sh, sh->key[k], last[k], e);
		int n = 0;
		while (!rc && (rc = db_step(s, e)) == DB_ROW) {
			rc = row(ctx, s, e);
			if (!rc && ++n == PAGE) {
				for (int k = 0; !rc && k < sh->nkey; k++) {
					free(last[k]);
					const char *v = db_col_text(s, sh->key[k]);
					if (!v || !(last[k] = strdup(v)))
						rc = rp_errf(e, RP_ENOMEM, "out of memory");
				}
			}
		}
		db_reset(s);
		if (rc == DB_DONE)
			rc = 0;
		more = sh->nkey && n == PAGE;
		progress(r);
	}
	for (int k = 0; k < MAXKEY; k++)
		free(last[k]);
	return rc;
}

/* ---- checksums ---------------------------------------------------------- */

/* A table's checksum: the sum, modulo 2^256, of the BLAKE2b-256 digests of
** its rows.  A sum does not depend on the order the rows are read in, and
** the engines order text differently (SQLite by bytes, PostgreSQL by the
** database's collation).  Each row is hashed from its values as text, each
** value as a length and its bytes, NULL as a marker of its own, so NULL,
** "" and "NULL" differ. */
typedef struct sum {
	uint8_t total[32]; /* little-endian */
	int64_t rows;
	int ncols;
	rp_buf b;
	run *r;
} sum;

static int sum_row(void *ctx, db_stmt *s, rp_err *e)
{
	sum *m = ctx;
	rp_buf_clear(&m->b);
	for (int i = 0; i < m->ncols; i++) {
		if (db_col_null(s, i)) {
			rp_buf_putc(&m->b, 'N');
			continue;
		}
		const char *v = db_col_text(s, i);
		if (!v)
			return rp_errf(e, RP_ENOMEM, "out of memory");
		size_t n = strlen(v);
		char len[9] = {'V'};
		for (int k = 0; k < 8; k++)
			len[1 + k] = (char)(uint8_t)((uint64_t)n >> (8 * k));
		rp_buf_put(&m->b, len, sizeof len);
		rp_buf_put(&m->b, v, n);
		m->r->bytes += n;
	}
	if (m->b.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	uint8_t h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)m->b.p, m->b.n, NULL, 0);
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		carry += (unsigned)m->total[i] + h[i];
		m->total[i] = (uint8_t)carry;
		carry >>= 8;
	}
	m->rows++;
	return 0;
}

/* Count and checksum sh's table in d, in one snapshot of d. */
static int table_sum(db *d, const shape *sh, run *r, int64_t *count, sum *m, rp_err *e)
{
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	rp_buf sql = {0};
	rp_buf_puts(&sql, "SELECT count(*) FROM ");
	put_ident(&sql, sh->t->name);
	rc = sql.oom ? rp_errf(e, RP_ENOMEM, "out of memory") : db_one_int(d, e, count, sql.p, "");
	rp_buf_free(&sql);
	m->ncols = sh->ncols;
	m->r = r;
	if (!rc)
		rc = each_row(d, sh, r, sum_row, m, e);
	rp_buf_free(&m->b);
	if (rc)
		db_rollback(d);
	else
		rc = db_commit(d, e);
	if (!rc && m->rows != *count)
		rc = rp_errf(e, RP_EDB, "internal error: reading table %s a page at a time gave %lld rows of %lld",
			     sh->t->name, (long long)m->rows, (long long)*count);
	return rc;
}

static int compare(db *a, db *b, run *r, json_t *list, rp_err *e)
{
	for (int i = 0; i < rp_ntables; i++) {
		const rp_table *t = &rp_tables[i];
		shape sa, sb;
		int rc = shape_read(a, t, &sa, e);
		if (rc)
			return rc;
		if ((rc = shape_read(b, t, &sb, e))) {
			shape_free(&sa);
			return rc;
		}
		rc = shape_same(&sa, &sb, e);
		shape_free(&sb);
		int64_t na = 0, nb = 0;
		sum ma = {0}, mb = {0};
		if (!rc)
			rc = table_sum(a, &sa, r, &na, &ma, e);
		if (!rc) /* read in a's column order, so the values hash alike */
			rc = table_sum(b, &sa, r, &nb, &mb, e);
		shape_free(&sa);
		if (rc)
			return rc;
		char ha[65], hb[65];
		sodium_bin2hex(ha, sizeof ha, ma.total, sizeof ma.total);
		sodium_bin2hex(hb, sizeof hb, mb.total, sizeof mb.total);
		if (na != nb)
			return rp_errf(e, RP_EDB, "table %s differs: the source has %lld rows, the copy %lld", t->name,
				       (long long)na, (long long)nb);
		if (memcmp(ma.total, mb.total, sizeof ma.total))
			return rp_errf(e, RP_EDB,
				       "table %s differs: its %lld rows have checksum %.16s... in the source and "
				       "%.16s... in the copy",
				       t->name, (long long)na, ha, hb);
		if (list && json_array_append_new(list, json_pack("{s:s,s:I,s:s}", "table", t->name, "rows",
								  (json_int_t)na, "checksum", ha)))
			return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	return 0;
}

int store_compare(db *a, db *b, const copy_opts *o, json_t **tables, rp_err *e)
{
	run r = {.o = o};
	json_t *list = tables ? json_array() : NULL;
	if (tables && !list)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = compare(a, b, &r, list, e);
	if (rc || !tables)
		json_decref(list);
	else
		*tables = list;
	return rc;
}

/* ---- the copy ----------------------------------------------------------- */

/* Rows waiting to be inserted together: their values one after another in
** b, each NUL-terminated, found by its offset (NONE for NULL). */
#define NONE ((size_t)-1)

typedef struct batch {
	db *d;
	const shape *sh;
	run *r;
	int per; /* rows per INSERT */
	int n;   /* rows held */
	size_t *off;
	rp_buf b, sql;
	int64_t rows, lo, hi; /* rows copied; the smallest and largest id */
} batch;

/* INSERT INTO t (cols) VALUES ($1, ...), ... for n rows. */
static const char *insert_sql(batch *bt, int n)
{
	const shape *sh = bt->sh;
	rp_buf *q = &bt->sql;
	rp_buf_clear(q);
	rp_buf_puts(q, "INSERT INTO ");
	put_ident(q, sh->t->name);
	rp_buf_puts(q, " (");
	put_list(q, sh, NULL, sh->ncols);
	rp_buf_puts(q, ") VALUES ");
	for (int k = 0, p = 1; k < n; k++) {
		rp_buf_puts(q, k ? ", (" : "(");
		for (int i = 0; i < sh->ncols; i++)
			rp_buf_printf(q, "%s$%d", i ? ", " : "", p++);
		rp_buf_putc(q, ')');
	}
	return q->oom ? NULL : q->p;
}

static int flush(batch *bt, rp_err *e)
{
	if (!bt->n)
		return 0;
	if (bt->b.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	const char *sql = insert_sql(bt, bt->n);
	if (!sql)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_prepare(bt->d, sql, e);
	if (!s)
		return e ? e->code : RP_EDB;
	int nc = bt->sh->ncols, nv = bt->n * nc, rc = 0;
	for (int i = 0; !rc && i < nv; i++)
		rc = bind_value(s, i + 1, bt->sh, i % nc, bt->off[i] == NONE ? NULL : bt->b.p + bt->off[i], e);
	if (!rc) {
		rc = db_step(s, e);
		if (rc == DB_DONE || rc == DB_ROW) {
			rc = 0;
		} else {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e ? e->msg : "");
			rp_errf(e, rc, "copying table %s failed: %s", bt->sh->t->name, why);
		}
	}
	db_reset(s);
	bt->n = 0;
	rp_buf_clear(&bt->b);
	return rc;
}

static int put_row(void *ctx, db_stmt *s, rp_err *e)
{
	batch *bt = ctx;
	int nc = bt->sh->ncols;
	size_t *off = bt->off + (size_t)bt->n * (size_t)nc;
	for (int i = 0; i < nc; i++) {
		if (db_col_null(s, i)) {
			off[i] = NONE;
			continue;
		}
		const char *v = db_col_text(s, i);
		if (!v)
			return rp_errf(e, RP_ENOMEM, "out of memory");
		size_t n = strlen(v);
		off[i] = bt->b.n;
		rp_buf_put(&bt->b, v, n + 1); /* with its NUL */
		bt->r->bytes += n;
	}
	if (bt->sh->id >= 0 && !db_col_null(s, bt->sh->id)) {
		int64_t id = db_col_int(s, bt->sh->id);
		if (!bt->rows || id < bt->lo)
			bt->lo = id;
		if (!bt->rows || id > bt->hi)
			bt->hi = id;
	}
	bt->rows++;
	return ++bt->n == bt->per ? flush(bt, e) : 0;
}

/* The tables whose search indexing a bulk load may put off to one pass at
** the end (db_fulltext_defer). */
static int deferrable(const char *table) { return !strcmp(table, "contact") || !strcmp(table, "interaction"); }

static int copy_table(db *from, db *to, const rp_table *t, run *r, int64_t *rows, rp_err *e)
{
	shape sf, st;
	int rc = shape_read(from, t, &sf, e);
	if (rc)
		return rc;
	if ((rc = shape_read(to, t, &st, e))) {
		shape_free(&sf);
		return rc;
	}
	rc = shape_same(&sf, &st, e);
	shape_free(&st);
	batch bt = {.d = to, .sh = &sf, .r = r};
	bt.per = sf.ncols < INSERT_PARAMS ? INSERT_PARAMS / sf.ncols : 1;
	if (!rc && !(bt.off = malloc((size_t)bt.per * (size_t)sf.ncols * sizeof *bt.off)))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	/* The target's table is empty: its indexes are built once at the end,
	** and so is its search index where the engine can put it off. */
	int loading = 0, deferred = 0;
	if (!rc && !(rc = db_load_begin(to, t->name, e)))
		loading = 1;
	if (!rc && deferrable(t->name) && !(rc = db_fulltext_defer(to, t->name, e)))
		deferred = 1;
	if (!rc)
		rc = each_row(from, &sf, r, put_row, &bt, e);
	if (!rc)
		rc = flush(&bt, e);
	if (!rc) {
		loading = 0;
		rc = db_load_end(to, e);
	}
	if (!rc && deferred && bt.rows)
		rc = db_fulltext_index(to, t->name, bt.lo, bt.hi, e);
	if (!rc && deferred) {
		deferred = 0;
		rc = db_fulltext_resume(to, t->name, e);
	}
	/* Ids the target gives from now on follow the largest copied. */
	if (!rc && sf.id >= 0)
		rc = db_ids_follow(to, t->name, e);
	if (rc && loading)
		db_load_cancel(to); /* the rollback that follows restores the indexes */
	if (rc && deferred)
		db_fulltext_resume(to, t->name, NULL);
	*rows = bt.rows;
	free(bt.off);
	rp_buf_free(&bt.b);
	rp_buf_free(&bt.sql);
	shape_free(&sf);
	return rc;
}

static int version_of(db *d, int64_t *v, rp_err *e)
{
	return db_one_int(d, e, v, "SELECT coalesce(max(version), 0) FROM schema_version", "");
}

/* Nothing may be overwritten: the first table holding rows is named. */
int store_check_empty(db *to, rp_err *e)
{
	for (int i = 0; i < rp_ntables; i++) {
		rp_buf sql = {0};
		rp_buf_puts(&sql, "SELECT count(*) FROM ");
		put_ident(&sql, rp_tables[i].name);
		int64_t n = 0;
		int rc = sql.oom ? rp_errf(e, RP_ENOMEM, "out of memory") : db_one_int(to, e, &n, sql.p, "");
		rp_buf_free(&sql);
		if (rc)
			return rc;
		if (n)
			return rp_errf(e, RP_ECONFLICT,
				       "the target is not empty: table %s has %lld row%s; copy into a new or empty "
				       "store",
				       rp_tables[i].name, (long long)n, n == 1 ? "" : "s");
	}
	return 0;
}

int store_copy(db *from, db *to, const copy_opts *o, json_t **report, rp_err *e)
{
	run r = {.o = o};
	int64_t vf = 0, vt = 0;
	int rc = version_of(from, &vf, e);
	if (!rc)
		rc = version_of(to, &vt, e);
	if (rc)
		return rc;
	if (vf != vt)
		return rp_errf(e, RP_EINVAL,
			       "the source is at schema version %lld and the target at %lld; bring both up to "
			       "date with 'rapport --db STORE init'",
			       (long long)vf, (long long)vt);
	/* One snapshot of the source for the copy and the comparison. */
	if ((rc = db_begin_read(from, e)))
		return rc;
	db_bulk(to, 1);
	if ((rc = db_begin(to, e))) {
		db_bulk(to, 0);
		db_rollback(from);
		return rc;
	}
	rc = store_check_empty(to, e);
	int64_t total = 0;
	for (int i = 0; !rc && i < rp_ntables; i++) {
		int64_t n = 0;
		rc = copy_table(from, to, &rp_tables[i], &r, &n, e);
		total += n;
	}
	json_t *tables = NULL;
	if (!rc && !(tables = json_array()))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	if (!rc && (rc = compare(from, to, &r, tables, e))) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e ? e->msg : "");
		rc = rp_errf(e, rc, "the copy does not match the source, so nothing was copied: %s", why);
	}
	if (rc)
		db_rollback(to);
	else
		rc = db_commit(to, e);
	db_bulk(to, 0);
	db_rollback(from);
	if (rc) {
		json_decref(tables);
		return rc;
	}
	if (!(*report = json_pack("{s:o,s:I}", "tables", tables, "rows", (json_int_t)total)))
		return rp_errf(e, RP_ENOMEM, "out of memory");
	return 0;
}
