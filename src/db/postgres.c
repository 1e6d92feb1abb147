/*
** The PostgreSQL backend, through libpq: one connection per db handle (the
** server opens one per worker thread, which is its pool), server-side
** prepared statements cached by SQL text, SERIALIZABLE write transactions
** (a conflicting writer fails with RP_EBUSY and the edge runs the whole
** operation again), and full-text search through tsvector.
**
** Results are fetched whole, so a statement may be stepped while another
** runs on the same connection, exactly as with SQLite.  Parameters travel
** as text; an integer or double parameter is declared int8 or float8 when
** the statement is first prepared, a text one text, so "$1" in a select
** list or beside IS NULL has a type; one bound NULL is left to the server.
*/
#include "db/vfs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define INT8OID 20
#define FLOAT8OID 701
#define TEXTOID 25
#define MAXPARAM 65535 /* the protocol's limit */

typedef struct pg_stmt {
	struct db_stmt base;
	struct pg *owner;
	char name[16]; /* on the server; a private statement runs unnamed */
	int nparam;
	int prepared; /* on the server, in this connection's life */
	char **val; /* nparam values as text, NULL for NULL */
	Oid *type;  /* nparam declared types, 0 to let the server infer */
	PGresult *res;
	int row, nrows;
	int nomem; /* a bound value could not be copied: the step fails */
} pg_stmt;

typedef struct pg {
	PGconn *conn;
	db_stmt_cache cache;
	unsigned names;
	int64_t changes;
	char **stash; /* index definitions dropped by a load */
	int nstash;
	int txn;  /* inside BEGIN ... COMMIT/ROLLBACK */
	int lost; /* the connection dropped inside it: only ROLLBACK now */
} pg;

#define T(x) ((pg_stmt *)(x))

/* Map a failed result to rapport's codes.  Conflicts between concurrent
** writers (serialization failure, deadlock) are RP_EBUSY: the edge runs the
** operation again.  res may be NULL when the connection itself failed. */
static int pg_error(pg *p, PGresult *res, rp_err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(p->conn);
	if (PQstatus(p->conn) == CONNECTION_BAD)
		return rp_errf(e, RP_EBUSY, "the connection to PostgreSQL was lost (%s); try again", msg);
	if (!state)
		return rp_errf(e, RP_EDB, "database error: %s", msg);
	if (!strcmp(state, "23505"))
		return rp_errf(e, RP_ECONFLICT, "already exists (%s)", msg);
	if (!strcmp(state, "23503"))
		return rp_errf(e, RP_ECONFLICT, "still referenced or refers to nothing (%s)", msg);
	if (!strncmp(state, "23", 2))
		return rp_errf(e, RP_EINVAL, "a rule of the store was broken (%s)", msg);
	if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		return rp_errf(e, RP_EBUSY, "another change to the same records happened at once; try again");
	if (!strcmp(state, "22P02") || !strcmp(state, "22003") || !strcmp(state, "22007"))
		return rp_errf(e, RP_EINVAL, "a value does not fit the store (%s)", msg);
	if (!strcmp(state, "53100"))
		return rp_errf(e, RP_EIO, "the database server's disk is full: %s", msg);
	if (!strcmp(state, "53200"))
		return rp_errf(e, RP_ENOMEM, "the database server is out of memory");
	if (!strcmp(state, "25006"))
		return rp_errf(e, RP_EIO, "the database is read-only: %s", msg);
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01"))
		return rp_errf(e, RP_EBUSY, "the connection to PostgreSQL failed (%s); try again", msg);
	return rp_errf(e, RP_EDB, "database error: %s", msg);
}

/* Whatever the server says besides results (notices about stop words,
** "relation already exists, skipping") is not for rapport's user. */
static void quiet(void *arg, const char *message)
{
	(void)arg, (void)message;
}

static PGconn *connect_to(const char *target, const char *dbname)
{
	const char *k[] = {"dbname", "client_encoding", "application_name", dbname ? "dbname" : NULL, NULL};
	const char *v[] = {target, "UTF8", "rapport", dbname, NULL};
	return PQconnectdbParams(k, v, 1);
}

/* `rapport --db postgres://.../name init` makes the database when the
** server has none by that name (as SQLite makes the file). */
static int create_database(const char *target, rp_err *e)
{
	PQconninfoOption *opt = PQconninfoParse(target, NULL);
	const char *name = NULL;
	for (PQconninfoOption *o = opt; o && o->keyword; o++)
		if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
			name = o->val;
	int rc = 0;
	if (!name) {
		rc = rp_errf(e, RP_EUSAGE, "name the database in the URL, e.g. postgres://user@host:5432/rapport");
	} else {
		PGconn *c = connect_to(target, "postgres");
		char *id = PQstatus(c) == CONNECTION_OK ? PQescapeIdentifier(c, name, strlen(name)) : NULL;
		char sql[600];
		PGresult *r = NULL;
		if (id && strlen(id) < 500) {
			snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", id);
			r = PQexec(c, sql);
		}
		if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK &&
			   strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "",
				  "42P04")))
			rc = rp_errf(e, RP_EIO, "cannot create the database %s: %s", name,
				     r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c));
		PQclear(r);
		PQfreemem(id);
		PQfinish(c);
	}
	PQconninfoFree(opt);
	return rc;
}

static int pg_open(const char *target, int create, void **impl, rp_err *e)
{
	char shown[512];
	db_target_shown(target, shown, sizeof shown);
	char *why = NULL;
	PQconninfoOption *opt = PQconninfoParse(target, &why);
	if (!opt) {
		int rc = rp_errf(e, RP_EUSAGE, "%s is not a valid PostgreSQL URL: %s", shown, why ? why : "out of memory");
		PQfreemem(why);
		return rc;
	}
	PQconninfoFree(opt);
	pg *p = calloc(1, sizeof *p);
	if (!p)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	p->conn = connect_to(target, NULL);
	if (PQstatus(p->conn) != CONNECTION_OK && create && strstr(PQerrorMessage(p->conn), "does not exist")) {
		int rc = create_database(target, e);
		if (rc) {
			PQfinish(p->conn);
			free(p);
			return rc;
		}
		PQfinish(p->conn);
		p->conn = connect_to(target, NULL);
	}
	if (PQstatus(p->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(p->conn);
		int missing = strstr(m, "does not exist") != NULL;
		if (missing)
			rp_errf(e, RP_ENOTFOUND, "no database at %s; create one with 'rapport --db %s init'", shown, shown);
		else
			rp_errf(e, RP_EIO, "cannot connect to %s: %.*s", shown, (int)strcspn(m, "\n"), m);
		PQfinish(p->conn);
		free(p);
		return e ? e->code : RP_EIO;
	}
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	*impl = p;
	return 0;
}

static void stmt_free(db_stmt *x)
{
	pg_stmt *t = T(x);
	for (int i = 0; i < t->nparam; i++)
		free(t->val[i]);
	free(t->val);
	free(t->type);
	PQclear(t->res);
	free(x->sql);
	free(t);
}

static void unprepared(db_stmt *x) { T(x)->prepared = 0; }

static void pg_close(void *impl)
{
	pg *p = impl;
	db_cache_free(&p->cache, stmt_free);
	for (int i = 0; i < p->nstash; i++)
		free(p->stash[i]);
	free(p->stash);
	PQfinish(p->conn);
	free(p);
}

/* A lost connection (the server restarted) is made again at the next
** statement outside a transaction; its prepared statements are gone. */
static void revive(pg *p)
{
	if (PQstatus(p->conn) != CONNECTION_BAD)
		return;
	/* The transaction died with the connection: never let its remaining
	** statements run on their own, nor its COMMIT succeed. */
	p->lost |= p->txn;
	PQreset(p->conn);
	db_cache_each(&p->cache, unprepared);
}

/*
** The schema is written once for both engines in SQLite's words.  Two
** differ in meaning: SQLite's INTEGER is 64 bits where PostgreSQL's is 32,
** and "INTEGER PRIMARY KEY" is SQLite's way to say the store gives ids.
** Scripts (migrations) are translated word by word outside quotes.
*/
static char *translate_ddl(const char *sql)
{
	static const char pk[] = "INTEGER PRIMARY KEY", word[] = "INTEGER";
	static const char pk_to[] = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", word_to[] = "BIGINT";
	size_t n = strlen(sql);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *s = sql; *s;) {
		if (*s == '\'' || *s == '"') {
			char q = *s;
			*o++ = *s++;
			while (*s && *s != q)
				*o++ = *s++;
			if (*s)
				*o++ = *s++;
		} else if (*s == '$' && s[1] == '$') { /* a function body */
			const char *end = strstr(s + 2, "$$");
			size_t len = end ? (size_t)(end + 2 - s) : strlen(s);
			memcpy(o, s, len);
			o += len;
			s += len;
		} else if ((s == sql || !isalnum((unsigned char)s[-1])) && !strncmp(s, pk, sizeof pk - 1)) {
			memcpy(o, pk_to, sizeof pk_to - 1);
			o += sizeof pk_to - 1;
			s += sizeof pk - 1;
		} else if ((s == sql || !(isalnum((unsigned char)s[-1]) || s[-1] == '_')) &&
			   !strncmp(s, word, sizeof word - 1) && !(isalnum((unsigned char)s[7]) || s[7] == '_')) {
			memcpy(o, word_to, sizeof word_to - 1);
			o += sizeof word_to - 1;
			s += sizeof word - 1;
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return out;
}

static int run_script(pg *p, const char *sql, rp_err *e)
{
	revive(p);
	int end = !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK");
	if (p->lost) {
		if (end)
			p->txn = p->lost = 0;
		if (!strcmp(sql, "ROLLBACK"))
			return 0;
		return rp_errf(e, RP_EBUSY, "the connection to PostgreSQL was lost during the change; try again");
	}
	if (end)
		p->txn = 0;
	else if (!strncmp(sql, "BEGIN", 5))
		p->txn = 1;
	PGresult *r = PQexec(p->conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_error(p, r, e);
	PQclear(r);
	return rc;
}

static int pg_exec(void *impl, const char *sql, rp_err *e)
{
	char *t = translate_ddl(sql);
	if (!t)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = run_script(impl, t, e);
	free(t);
	return rc;
}

static int pg_begin(void *impl, int write, rp_err *e)
{
	/* Writers are SERIALIZABLE: PostgreSQL then finds every interleaving
	** that could lose an update (a merge racing an insert, two edits of one
	** card) and fails one side, which the edge runs again.  A reader gets
	** one snapshot and never fails that way. */
	return run_script(impl,
			  write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
				: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			  e);
}

/* The highest $N outside quotes and comments: the statement's parameters. */
static int count_params(const char *sql)
{
	int max = 0;
	for (const char *s = sql; *s;) {
		if (*s == '\'' || *s == '"') {
			char q = *s++;
			while (*s && *s != q)
				s++;
			if (*s)
				s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else if (*s == '$' && isdigit((unsigned char)s[1])) {
			int n = atoi(s + 1);
			if (n > max)
				max = n;
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		} else {
			s++;
		}
	}
	return max;
}

static db_stmt *pg_prepare(void *impl, const char *sql, rp_err *e)
{
	pg *p = impl;
	db_stmt *cached = db_cache_borrow(&p->cache, sql);
	if (cached)
		return cached;
	int n = count_params(sql);
	if (n > MAXPARAM) {
		rp_errf(e, RP_EDB, "internal error: more than %d parameters in: %.200s", MAXPARAM, sql);
		return NULL;
	}
	pg_stmt *t = calloc(1, sizeof *t);
	if (!t || !(t->base.sql = strdup(sql)) || !(t->val = calloc((size_t)n + 1, sizeof *t->val)) ||
	    !(t->type = calloc((size_t)n + 1, sizeof *t->type))) {
		if (t) {
			free(t->base.sql);
			free(t->val);
		}
		free(t);
		rp_errf(e, RP_ENOMEM, "out of memory");
		return NULL;
	}
	t->base.vfs = &db_postgres_vfs;
	t->owner = p;
	t->nparam = n;
	db_cache_keep(&p->cache, &t->base);
	if (!t->base.private)
		snprintf(t->name, sizeof t->name, "rp%u", ++p->names);
	return &t->base;
}

/* v is the copy of a value (NULL for NULL, unless the copy failed: want
** says a value was given, and binding NULL in its place would write NULL
** where the caller meant a value). */
static void set(pg_stmt *t, int n, char *v, int want, Oid type)
{
	if (want && !v)
		t->nomem = 1;
	if (n < 1 || n > t->nparam) {
		free(v);
		return;
	}
	free(t->val[n - 1]);
	t->val[n - 1] = v;
	if (!t->prepared)
		t->type[n - 1] = type;
}

static void pg_bind_int(db_stmt *x, int n, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	set(T(x), n, strdup(buf), 1, INT8OID);
}

static void pg_bind_double(db_stmt *x, int n, double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.17g", v);
	set(T(x), n, strdup(buf), 1, FLOAT8OID);
}

static void pg_bind_text(db_stmt *x, int n, const char *v, int len)
{
	set(T(x), n, !v ? NULL : len < 0 ? strdup(v) : strndup(v, (size_t)len), v != NULL, v ? TEXTOID : 0);
}

static void pg_bind_null(db_stmt *x, int n) { set(T(x), n, NULL, 0, 0); }

/* A parameter only ever tested with IS NULL, or bound NULL the first
** time, gives the server nothing to infer its type from: it says so
** (42P08 or 42P18), and the parameter is declared text and the statement prepared
** again.  Returns 1 when that happened and another try is due. */
static int untyped(pg_stmt *t, PGresult *r, int tries)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *at = msg ? strchr(msg, '$') : NULL;
	if (!state || (strcmp(state, "42P18") && strcmp(state, "42P08")) || !at || tries >= t->nparam)
		return 0;
	int n = atoi(at + 1);
	if (n < 1 || n > t->nparam || t->type[n - 1])
		return 0;
	t->type[n - 1] = TEXTOID;
	return 1;
}

static int pg_step(db_stmt *x, rp_err *e)
{
	pg_stmt *t = T(x);
	pg *p = t->owner;
	if (t->nomem)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!t->res) {
		revive(p);
		if (p->lost)
			return rp_errf(e, RP_EBUSY, "the connection to PostgreSQL was lost during the change; try again");
		const char *const *vals = (const char *const *)t->val;
		/* A failed prepare would abort the transaction around it: when a
		** parameter's type is left to the server, try under a savepoint. */
		int guard = 0;
		for (int i = 0; p->txn && (t->base.private || !t->prepared) && i < t->nparam; i++)
			guard |= !t->type[i];
		if (guard && run_script(p, "SAVEPOINT rp_prepare", e))
			return e ? e->code : RP_EDB;
		for (int tries = 0; t->base.private || !t->prepared; tries++) {
			if (t->base.private)
				t->res = PQexecParams(p->conn, t->base.sql, t->nparam, t->type, vals, NULL, NULL, 0);
			else
				t->res = PQprepare(p->conn, t->name, t->base.sql, t->nparam, t->type);
			int again = t->res && untyped(t, t->res, tries);
			ExecStatusType st = PQresultStatus(t->res);
			if (guard && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
				run_script(p, "ROLLBACK TO SAVEPOINT rp_prepare", NULL);
			if (!again)
				break;
			PQclear(t->res);
			t->res = NULL;
		}
		if (guard)
			run_script(p, "RELEASE SAVEPOINT rp_prepare", NULL);
		if (!t->base.private && !t->prepared) {
			if (PQresultStatus(t->res) != PGRES_COMMAND_OK) {
				int rc = pg_error(p, t->res, e);
				PQclear(t->res);
				t->res = NULL;
				return rc;
			}
			PQclear(t->res);
			t->prepared = 1;
		}
		if (!t->base.private)
			t->res = PQexecPrepared(p->conn, t->name, t->nparam, vals, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(t->res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			int rc = pg_error(p, t->res, e);
			PQclear(t->res);
			t->res = NULL;
			return rc;
		}
		const char *n = PQcmdTuples(t->res);
		p->changes = *n ? strtoll(n, NULL, 10) : 0;
		t->nrows = st == PGRES_TUPLES_OK ? PQntuples(t->res) : 0;
		t->row = -1;
	}
	if (t->row + 1 >= t->nrows) {
		t->row = t->nrows;
		return DB_DONE;
	}
	t->row++;
	return DB_ROW;
}

static int pg_param_count(db_stmt *x) { return T(x)->nparam; }
static int pg_col_count(db_stmt *x) { return T(x)->res ? PQnfields(T(x)->res) : 0; }
static const char *pg_col_name(db_stmt *x, int i) { return T(x)->res ? PQfname(T(x)->res, i) : NULL; }

static const char *value(db_stmt *x, int i)
{
	pg_stmt *t = T(x);
	if (!t->res || t->row < 0 || t->row >= t->nrows || i >= PQnfields(t->res) ||
	    PQgetisnull(t->res, t->row, i))
		return NULL;
	return PQgetvalue(t->res, t->row, i);
}

static int pg_col_null(db_stmt *x, int i) { return value(x, i) == NULL; }

/* Integers arrive as decimal text; a boolean (EXISTS, a comparison) as t or
** f, which SQLite would have given as 1 or 0. */
static int64_t pg_col_int(db_stmt *x, int i)
{
	const char *v = value(x, i);
	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(db_stmt *x, int i)
{
	const char *v = value(x, i);
	return v ? strtod(v, NULL) : 0;
}

static const char *pg_col_text(db_stmt *x, int i) { return value(x, i); }

static void pg_reset(db_stmt *x)
{
	pg_stmt *t = T(x);
	PQclear(t->res);
	t->res = NULL;
	t->nomem = 0;
	for (int i = 0; i < t->nparam; i++) {
		free(t->val[i]);
		t->val[i] = NULL;
	}
	x->busy = 0;
	if (x->private)
		stmt_free(x);
}

static int64_t pg_changes(void *impl) { return ((pg *)impl)->changes; }

/* A large import may sort more in memory when it builds indexes again. */
static void pg_bulk(void *impl, int on)
{
	run_script(impl, on ? "SET maintenance_work_mem = '256MB'" : "RESET maintenance_work_mem", NULL);
}

/* One statement with integer parameters, run to completion. */
static int run(pg *p, const char *sql, const char *text, rp_err *e)
{
	db_stmt *s = pg_prepare(p, sql, e);
	if (!s)
		return e ? e->code : RP_EDB;
	if (text)
		pg_bind_text(s, 1, text, -1);
	int rc;
	while ((rc = pg_step(s, e)) == DB_ROW)
		;
	pg_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

/*
** Search.  Each searched table has a side table of stored tsvectors with a
** GIN index (migration 1's PostgreSQL part): Russian stems (Latin words
** take English stems in that configuration) beside the unstemmed words, ё
** folded to е.  A person's words become a tsquery from letters and digits
** only, so nothing typed is syntax: plain words match stems, a word ending
** in '*' matches any word it begins.
*/
static int add_words(char **q, size_t *len, const char *w, size_t n, int prefix, const char *op)
{
	/* each run of letters and digits is a term; the others separate them */
	size_t i = 0;
	while (i < n) {
		while (i < n && !(isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80))
			i++;
		size_t start = i;
		while (i < n && (isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80))
			i++;
		if (i == start)
			continue;
		char *grown = realloc(*q, *len + (i - start) + 8);
		if (!grown)
			return -1;
		*q = grown;
		if (*len)
			*len += (size_t)sprintf(*q + *len, " %s ", op);
		memcpy(*q + *len, w + start, i - start);
		*len += i - start;
		if (prefix)
			*len += (size_t)sprintf(*q + *len, ":*");
		(*q)[*len] = 0;
	}
	return 0;
}

int pg_search_terms(const char *text, char **plain, char **prefix)
{
	size_t np = 0, nx = 0;
	int oom = 0;
	*plain = *prefix = NULL;
	for (const char *s = text; *s;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		const char *w = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		size_t n = (size_t)(s - w);
		int star = 0;
		while (n && w[n - 1] == '*') {
			n--;
			star = 1;
		}
		oom |= star ? add_words(prefix, &nx, w, n, 1, "&") : add_words(plain, &np, w, n, 0, "&");
	}
	if (oom) {
		free(*plain);
		free(*prefix);
		*plain = *prefix = NULL;
		return -1;
	}
	return 0;
}

int pg_search_any_terms(const char *words, char **q)
{
	size_t nq = 0;
	*q = NULL;
	if (add_words(q, &nq, words, strlen(words), 0, "|")) {
		free(*q);
		*q = NULL;
		return -1;
	}
	return 0;
}

static int pg_fulltext(void *impl, const char *text, int limit, db_fulltext_row row, void *ctx, rp_err *e)
{
	pg *p = impl;
	char *plain, *prefix;
	if (pg_search_terms(text, &plain, &prefix))
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!plain && !prefix)
		return rp_errf(e, RP_EINVAL, "nothing to search for; give one or more words");
	/* ts_rank grows with relevance; the interface ranks smaller first, as
	** SQLite's bm25 does.  Only each kind's newest matches are ranked:
	** ts_rank reads the whole vector of every row it ranks. */
#define WINDOW(t) "SELECT id AS ref, v FROM " t ", t WHERE v @@ t.q ORDER BY id DESC LIMIT $4"
	static const char *sql =
		"WITH q AS (SELECT CASE WHEN $1::text IS NULL THEN NULL"
		"   ELSE to_tsquery('russian', translate($1, 'ёЁ', 'еЕ')) END AS a,"
		"  CASE WHEN $2::text IS NULL THEN NULL"
		"   ELSE to_tsquery('simple', translate($2, 'ёЁ', 'еЕ')) END AS b),"
		" t AS (SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE a && b END AS q FROM q)"
		"SELECT kind, ref, -ts_rank(v, t.q) AS r FROM ("
		" SELECT 'contact' AS kind, ref, v FROM (" WINDOW("contact_tsv") ") AS w"
		" UNION ALL SELECT 'fact', ref, v FROM (" WINDOW("fact_tsv") ") AS w"
		" UNION ALL SELECT 'interaction', ref, v FROM (" WINDOW("interaction_tsv") ") AS w"
		" UNION ALL SELECT 'story', ref, v FROM (" WINDOW("story_tsv") ") AS w"
		") AS hits, t ORDER BY r, kind, ref LIMIT $3";
#undef WINDOW
	db_stmt *st = pg_prepare(p, sql, e);
	int rc = st ? 0 : (e ? e->code : RP_EDB);
	if (st) {
		pg_bind_text(st, 1, plain, -1);
		pg_bind_text(st, 2, prefix, -1);
		pg_bind_int(st, 3, limit);
		pg_bind_int(st, 4, DB_FULLTEXT_WINDOW);
		while ((rc = pg_step(st, e)) == DB_ROW)
			if (row(ctx, pg_col_text(st, 0), pg_col_int(st, 1), pg_col_double(st, 2)))
				break;
		pg_reset(st);
		rc = rc == DB_ROW || rc == DB_DONE ? 0 : rc;
	}
	free(plain);
	free(prefix);
	return rc;
}

static int pg_fulltext_any(void *impl, const char *table, const char *words, int limit, db_fulltext_row row,
			   void *ctx, rp_err *e)
{
	pg *p = impl;
	(void)table; /* db.c lets only "story" through */
	char *q;
	if (pg_search_any_terms(words, &q))
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!q)
		return 0;
	db_stmt *st = pg_prepare(p,
				 "SELECT id FROM story_tsv WHERE v @@ to_tsquery('russian', translate($1, 'ёЁ', 'еЕ'))"
				 " ORDER BY id DESC LIMIT $2",
				 e);
	int rc = st ? 0 : (e ? e->code : RP_EDB);
	if (st) {
		pg_bind_text(st, 1, q, -1);
		pg_bind_int(st, 2, limit);
		while ((rc = pg_step(st, e)) == DB_ROW)
			if (row(ctx, "story", pg_col_int(st, 0), 0))
				break;
		pg_reset(st);
		rc = rc == DB_ROW || rc == DB_DONE ? 0 : rc;
	}
	free(q);
	return rc;
}

/* Deferring is a setting of the transaction that the side tables'
** trigger reads (no lock, undone by a rollback); indexing fills the side
** table for the ids in one statement. */
static int pg_fulltext_defer(void *impl, const char *table, int on, rp_err *e)
{
	if (strcmp(table, "contact") && strcmp(table, "interaction"))
		return rp_errf(e, RP_EDB, "no deferred indexing for table %s", table);
	char sql[96];
	snprintf(sql, sizeof sql, "SET LOCAL rapport.defer_%s = '%s'", table, on ? "on" : "off");
	return run_script(impl, sql, e);
}

static int pg_fulltext_index(void *impl, const char *table, int64_t lo, int64_t hi, rp_err *e)
{
	int contact = !strcmp(table, "contact");
	if (!contact && strcmp(table, "interaction"))
		return rp_errf(e, RP_EDB, "no deferred indexing for table %s", table);
	db_stmt *s = pg_prepare(impl,
				contact ? "INSERT INTO contact_tsv(id, v) SELECT id, rp_tsv(name, note) FROM contact"
					  " WHERE id BETWEEN $1 AND $2 ON CONFLICT (id) DO UPDATE SET v = excluded.v"
					: "INSERT INTO interaction_tsv(id, v) SELECT id, rp_tsv(summary, NULL) FROM interaction"
					  " WHERE id BETWEEN $1 AND $2 ON CONFLICT (id) DO UPDATE SET v = excluded.v",
				e);
	if (!s)
		return e ? e->code : RP_EDB;
	pg_bind_int(s, 1, lo);
	pg_bind_int(s, 2, hi);
	int rc;
	while ((rc = pg_step(s, e)) == DB_ROW)
		;
	pg_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int plain_name(const char *t, rp_err *e)
{
	for (const char *c = t; *c; c++)
		if (!(islower((unsigned char)*c) || *c == '_'))
			return rp_errf(e, RP_EDB, "internal error: not a table name: %.60s", t);
	return *t ? 0 : rp_errf(e, RP_EDB, "internal error: no table name");
}

static int pg_load(void *impl, const char *table, int begin, rp_err *e)
{
	pg *p = impl;
	int rc = 0;
	if (begin <= 0) { /* 0: build the indexes again; -1: forget them (a rollback follows) */
		for (int i = 0; i < p->nstash; i++) {
			if (!rc && begin == 0)
				rc = run_script(p, p->stash[i], e);
			free(p->stash[i]);
		}
		p->nstash = 0;
		return rc;
	}
	if (p->nstash)
		return rp_errf(e, RP_EDB, "a load is already in progress");
	if ((rc = plain_name(table, e)))
		return rc;
	db_stmt *st = pg_prepare(p,
				 "SELECT quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)"
				 " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
				 " JOIN pg_class tc ON tc.oid = i.indrelid"
				 " WHERE tc.relname IN ($1, $1 || '_tsv')"
				 " AND tc.relnamespace = to_regnamespace(current_schema())"
				 " AND NOT i.indisunique AND NOT i.indisprimary",
				 e);
	if (!st)
		return e ? e->code : RP_EDB;
	pg_bind_text(st, 1, table, -1);
	char *drop[32];
	int n = 0;
	while ((rc = pg_step(st, e)) == DB_ROW && n < 32) {
		char **stash = realloc(p->stash, (size_t)(p->nstash + 1) * sizeof *stash);
		size_t len = strlen(pg_col_text(st, 0)) + 16;
		if (!stash || !(drop[n] = malloc(len))) {
			if (stash)
				p->stash = stash;
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			break;
		}
		p->stash = stash;
		p->stash[p->nstash++] = strdup(pg_col_text(st, 1));
		snprintf(drop[n++], len, "DROP INDEX %s", pg_col_text(st, 0));
	}
	pg_reset(st);
	rc = rc == DB_DONE || rc == DB_ROW ? 0 : rc;
	for (int i = 0; i < n; i++) {
		if (!rc)
			rc = run_script(p, drop[i], e);
		free(drop[i]);
	}
	for (int i = 0; i < p->nstash && !rc; i++)
		if (!p->stash[i])
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
	return rc;
}

static int pg_ids_follow(void *impl, const char *table, rp_err *e)
{
	int rc = plain_name(table, e);
	if (rc)
		return rc;
	char sql[300];
	snprintf(sql, sizeof sql,
		 "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, false) FROM %s",
		 table, table);
	return run(impl, sql, NULL, e);
}

/* Any commit anywhere in the cluster moves the WAL insert position (the
** commit record is inserted before the change becomes visible; the write
** position may lag behind with synchronous_commit off): when it has not
** moved, nothing a cached answer was built from can have changed. */
static int pg_data_version(void *impl, int64_t *v)
{
	db_stmt *st = pg_prepare(impl, "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::int8", NULL);
	if (!st)
		return RP_EDB;
	int rc = pg_step(st, NULL);
	if (rc == DB_ROW)
		*v = pg_col_int(st, 0);
	pg_reset(st);
	return rc == DB_ROW ? 0 : RP_EDB;
}

/* Erasing a person: PostgreSQL never overwrites a row in place, so there
** is nothing to switch on before the deletes. */
static int pg_secure_delete(void *impl, int on, rp_err *e)
{
	(void)impl, (void)on, (void)e;
	return 0;
}

/* After the commit, VACUUM the tables that held the person's rows: it
** removes the dead row versions and their index entries, so that no
** snapshot, index or page scan reaches them again, without locking out
** readers or writers.  It does not overwrite the space they held (nor does
** a GIN search index forget its words), so the bytes stay in the files
** until reused; rewrite runs VACUUM FULL instead, which writes each table
** and its indexes anew and locks the table while it does.  Neither can run
** in a transaction.  The server's WAL, its archive, replicas and backups
** keep the old bytes until they are recycled: docs/POSTGRES.md. */
static int pg_erase_traces(void *impl, const char *const *tables, int rewrite, char *done, size_t size, rp_err *e)
{
	pg *p = impl;
	char sql[1024];
	size_t n = (size_t)snprintf(sql, sizeof sql, "VACUUM %s", rewrite ? "FULL " : ""), head = n;
	int rc;
	for (int i = 0; tables && tables[i]; i++) {
		if ((rc = plain_name(tables[i], e)))
			return rc;
		if (n + 2 * strlen(tables[i]) + 8 >= sizeof sql)
			return rp_errf(e, RP_EDB, "internal error: too many tables to vacuum");
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", i ? ", " : "", tables[i]);
		/* a searched table's stored vectors held the person's words too */
		if (!strcmp(tables[i], "contact") || !strcmp(tables[i], "fact") || !strcmp(tables[i], "interaction") ||
		    !strcmp(tables[i], "story"))
			n += (size_t)snprintf(sql + n, sizeof sql - n, ", %s_tsv", tables[i]);
	}
	if (!tables || !tables[0])
		return 0;
	if ((rc = run_script(p, sql, e)))
		return rc;
	if (done)
		snprintf(done, size, "tables %s: %s", rewrite ? "rewritten (VACUUM FULL)" : "vacuumed", sql + head);
	return 0;
}

/*
** Backups through PostgreSQL's own programs: pg_dump reads the database in
** one snapshot (a consistent copy while others write) into its custom
** format, pg_restore puts it back.  They connect as this connection did:
** its parameters (host, port, user, database, password, TLS) go into the
** child's environment as libpq's PG* variables, so that no password is
** ever on a command line (which any user of the machine can read) or in
** a message.
*/

/* Our environment without PG* variables, plus the connection's parameters;
** NULL when out of memory. */
static char **tool_env(pg *p)
{
	PQconninfoOption *opt = PQconninfo(p->conn);
	size_t n = 0, k = 0;
	for (char **v = environ; *v; v++)
		n++;
	for (PQconninfoOption *o = opt; o && o->keyword; o++)
		n++;
	char **env = calloc(n + 1, sizeof *env);
	for (char **v = environ; env && *v; v++)
		if (strncmp(*v, "PG", 2) && !(env[k++] = strdup(*v)))
			goto oom;
	for (PQconninfoOption *o = opt; env && o && o->keyword; o++) {
		if (!o->envvar || !o->val || !*o->val)
			continue;
		size_t len = strlen(o->envvar) + strlen(o->val) + 2;
		if (!(env[k] = malloc(len)))
			goto oom;
		snprintf(env[k++], len, "%s=%s", o->envvar, o->val);
	}
	PQconninfoFree(opt);
	return env;
oom:
	for (size_t i = 0; i < k; i++)
		free(env[i]);
	free(env);
	PQconninfoFree(opt);
	return NULL;
}

/* The first line of what f holds, into why. */
static void first_line(FILE *f, char *why, size_t n)
{
	why[0] = 0;
	rewind(f);
	if (!fgets(why, (int)n, f))
		snprintf(why, n, "no message");
	why[strcspn(why, "\n")] = 0;
}

/* Run PostgreSQL's program argv[0] with the connection's environment and
** wait for it.  Its standard output goes to *out (a temporary file, rewound;
** NULL: nowhere), its errors into the message when it fails. */
static int run_tool(pg *p, char *const argv[], FILE **out, rp_err *e)
{
	char **env = tool_env(p);
	FILE *err = tmpfile(), *o = out ? tmpfile() : NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	int rc = 0;
	if (!env || !err || (out && !o)) {
		rc = rp_errf(e, RP_EIO, "cannot run %s: %s", argv[0], env ? strerror(errno) : "out of memory");
		goto done;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (o)
		posix_spawn_file_actions_adddup2(&fa, fileno(o), 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
	pid_t pid;
	int status, sp = posix_spawnp(&pid, argv[0], &fa, NULL, argv, env);
	if (sp == ENOENT) {
		rc = rp_errf(e, RP_EIO,
			     "%s was not found on PATH; install PostgreSQL's client programs (Debian: apt install "
			     "postgresql-client), of the server's major version or newer",
			     argv[0]);
		goto done;
	}
	if (sp) {
		rc = rp_errf(e, RP_EIO, "cannot run %s: %s", argv[0], strerror(sp));
		goto done;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char why[400];
		first_line(err, why, sizeof why);
		rc = rp_errf(e, RP_EDB, "%s failed: %s", argv[0], why);
		goto done;
	}
	if (o)
		rewind(o);
done:
	posix_spawn_file_actions_destroy(&fa);
	for (char **v = env; v && *v; v++)
		free(*v);
	free(env);
	if (err)
		fclose(err);
	if (o && (rc || !out))
		fclose(o);
	else if (out)
		*out = o;
	return rc;
}

/* The schema version a custom-format archive holds: the rows of its
** schema_version table, as pg_restore writes them out (which also proves
** the archive readable). */
static int pg_backup_version(void *impl, const char *file, int *version, rp_err *e)
{
	char *argv[] = {"pg_restore", "--data-only", "--table=schema_version", "--file=-", (char *)file, NULL};
	FILE *out = NULL;
	int rc = run_tool(impl, argv, &out, e);
	if (rc) {
		if (e && strstr(e->msg, "input file does not appear to be a valid archive"))
			rc = rp_errf(e, RP_EINVAL, "%s is not a rapport backup (not a pg_dump archive)", file);
		return rc;
	}
	char line[256];
	int in = 0;
	long max = 0;
	while (fgets(line, sizeof line, out)) {
		if (!in && !strncmp(line, "COPY ", 5) && strstr(line, "schema_version"))
			in = 1;
		else if (in && !strncmp(line, "\\.", 2))
			in = 0;
		else if (in && atol(line) > max)
			max = atol(line);
	}
	fclose(out);
	if (max < 1)
		return rp_errf(e, RP_EINVAL, "%s is not a rapport backup (no schema version in it)", file);
	*version = (int)max;
	return 0;
}

static int pg_backup(void *impl, const char *file, int *version, rp_err *e)
{
	char arg[4200];
	if (snprintf(arg, sizeof arg, "--file=%s", file) >= (int)sizeof arg)
		return rp_errf(e, RP_EINVAL, "the backup's path is too long");
	char *argv[] = {"pg_dump", "--format=custom", "--no-password", arg, NULL};
	int rc = run_tool(impl, argv, NULL, e);
	return rc ? rc : pg_backup_version(impl, file, version, e);
}

/* pg_restore drops what the archive holds and makes it again, in one
** transaction: a failure or a kill leaves the database as it was. */
static int pg_restore(void *impl, const char *file, rp_err *e)
{
	pg *p = impl;
	char db[600];
	if (snprintf(db, sizeof db, "--dbname=%s", PQdb(p->conn)) >= (int)sizeof db)
		return rp_errf(e, RP_EINVAL, "the database's name is too long");
	char *argv[] = {"pg_restore",    "--clean",	   "--if-exists", "--no-owner",	 "--no-privileges",
			"--single-transaction", "--exit-on-error", "--no-password", db,		 (char *)file,
			NULL};
	return run_tool(p, argv, NULL, e);
}

const struct db_vfs db_postgres_vfs = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.param_count = pg_param_count,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.reset = pg_reset,
	.changes = pg_changes,
	.bulk = pg_bulk,
	.begin = pg_begin,
	.fulltext_defer = pg_fulltext_defer,
	.fulltext_index = pg_fulltext_index,
	.data_version = pg_data_version,
	.load = pg_load,
	.ids_follow = pg_ids_follow,
	.fulltext = pg_fulltext,
	.fulltext_any = pg_fulltext_any,
	.secure_delete = pg_secure_delete,
	.erase_traces = pg_erase_traces,
	.backup = pg_backup,
	.backup_version = pg_backup_version,
	.restore = pg_restore,
};
