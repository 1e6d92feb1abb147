/*
** transfer: CSV import and export of contacts, interactions and facts.
**
** An import runs in one transaction.  Every row is checked; a bad row is
** reported with its line and reason.  Unless skip_bad, one bad row means
** the whole import is rolled back and nothing changes.  The header names
** the columns (any order); an unknown column is an error rather than data
** silently dropped.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "format/csv.h"

#define MAX_ROW (1 << 20)
#define MAX_LISTED 50

enum what { W_CONTACTS, W_INTERACTIONS, W_FACTS };

static const char *const contact_cols[] = {"id",       "name",  "address", "tier",
					   "owner",    "email", "phone",   "messenger",
					   "postal",   "birthday", "tags", "note", NULL};
static const char *const interaction_cols[] = {"id",      "contact_id", "contact_email", "at",
					       "kind",    "direction",  "minutes",       "amount",
					       "currency", "by",        "summary",       NULL};
static const char *const fact_cols[] = {"id", "contact_id", "contact_email", "body", "follow_up", "done", NULL};

typedef struct imp {
	db *d;
	enum what what;
	const char *const *cols;
	int map[16];      /* known column -> field index, -1 if absent */
	int header_done;
	size_t nfields;
	uint64_t rows, added, bad;
	json_t *problems;
	int fatal;        /* a whole-file problem (header) */
	rp_err *e;
	int64_t *touch_id; /* contacts whose last touch moves, applied at the end */
	size_t touch_n, touch_cap;
	struct ibatch *batch; /* interactions waiting to be inserted */
	int64_t next_id;      /* interactions without an id get the next */
	int64_t (*range)[2];  /* ids inserted, as runs lo..hi, to index for search */
	size_t nrange, caprange;
} imp;

/* Note that id was inserted: extend the last run or start one. */
static int inserted(imp *m, int64_t id)
{
	if (m->nrange && m->range[m->nrange - 1][1] + 1 == id) {
		m->range[m->nrange - 1][1] = id;
		return 0;
	}
	if (m->nrange == m->caprange) {
		size_t cap = m->caprange ? m->caprange * 2 : 64;
		int64_t(*r)[2] = realloc(m->range, cap * sizeof *r);
		if (!r)
			return rp_errf(m->e, RP_ENOMEM, "out of memory");
		m->range = r;
		m->caprange = cap;
	}
	m->range[m->nrange][0] = m->range[m->nrange][1] = id;
	m->nrange++;
	return 0;
}

static const char *field(imp *m, char **f, int col)
{
	int i = m->map[col];
	if (i < 0 || (size_t)i >= m->nfields)
		return NULL;
	return f[i][0] ? f[i] : NULL;
}

static int col_index(imp *m, const char *name)
{
	for (int i = 0; m->cols[i]; i++)
		if (!strcmp(m->cols[i], name))
			return i;
	return -1;
}

static void problem(imp *m, uint64_t line, const char *msg)
{
	m->bad++;
	if (json_array_size(m->problems) < MAX_LISTED)
		json_array_append_new(m->problems, json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", msg));
}

static int header(imp *m, char **f, size_t n, uint64_t line)
{
	char buf[512];
	for (int i = 0; i < 16; i++)
		m->map[i] = -1;
	for (size_t i = 0; i < n; i++) {
		char *name = str_trim(f[i]);
		int c = name ? col_index(m, name) : -1;
		if (c < 0) {
			rp_errf(m->e, RP_EINVAL, "line %llu: unknown column \"%s\"; the columns are %s",
				(unsigned long long)line, name ? name : f[i], words_list(m->cols, buf, sizeof buf));
			free(name);
			return m->fatal = RP_EINVAL;
		}
		if (m->map[c] >= 0) {
			rp_errf(m->e, RP_EINVAL, "line %llu: column \"%s\" appears twice", (unsigned long long)line, name);
			free(name);
			return m->fatal = RP_EINVAL;
		}
		m->map[c] = (int)i;
		free(name);
	}
	const char *need = m->what == W_CONTACTS ? "name" : m->what == W_FACTS ? "body" : "kind";
	if (m->map[col_index(m, need)] < 0 ||
	    (m->what == W_INTERACTIONS && m->map[col_index(m, "at")] < 0)) {
		rp_errf(m->e, RP_EINVAL, "line %llu: the header has no \"%s\" column; the columns are %s",
			(unsigned long long)line, m->map[col_index(m, need)] < 0 ? need : "at",
			words_list(m->cols, buf, sizeof buf));
		return m->fatal = RP_EINVAL;
	}
	if (m->what != W_CONTACTS && m->map[1] < 0 && m->map[2] < 0) {
		rp_errf(m->e, RP_EINVAL, "line %llu: the header needs a contact_id or contact_email column",
			(unsigned long long)line);
		return m->fatal = RP_EINVAL;
	}
	m->nfields = n;
	m->header_done = 1;
	return 0;
}

/* Split "a;b;c" in place into a list (empty items dropped). */
static void split(char *s, rp_strs *out, const char **slots, size_t max)
{
	out->v = slots;
	out->n = 0;
	if (!s)
		return;
	for (char *tok = strtok(s, ";"); tok && out->n < max; tok = strtok(NULL, ";"))
		if (!str_blank(tok))
			slots[out->n++] = tok;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	if (!s)
		return -1;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int contact_row(imp *m, char **f, uint64_t line)
{
	contact_in in = {0};
	const char *em[16], *ph[16], *ms[16], *po[16], *tg[32];
	char msg[600];
	const char *id = field(m, f, 0);
	if (id && parse_id(id, &in.id) < 0) {
		snprintf(msg, sizeof msg, "id \"%s\" is not a positive number", id);
		problem(m, line, msg);
		return 0;
	}
	in.name = field(m, f, 1);
	in.address = field(m, f, 2);
	in.tier = field(m, f, 3);
	in.owner = field(m, f, 4);
	split((char *)field(m, f, 5), &in.email, em, 16);
	split((char *)field(m, f, 6), &in.phone, ph, 16);
	split((char *)field(m, f, 7), &in.messenger, ms, 16);
	split((char *)field(m, f, 8), &in.postal, po, 16);
	in.birthday = field(m, f, 9);
	split((char *)field(m, f, 10), &in.tag, tg, 32);
	in.note = field(m, f, 11);
	rp_err e;
	int64_t newid;
	if (contact_add(m->d, &in, &newid, &e)) {
		if (e.code != RP_EINVAL && e.code != RP_ECONFLICT && e.code != RP_ENOTFOUND)
			return *m->e = e, e.code;
		problem(m, line, e.msg);
		return 0;
	}
	m->added++;
	return inserted(m, newid);
}

static int contact_by_email(imp *m, const char *raw, int64_t *id)
{
	char email[512];
	if (contact_channel_value("email", raw, email, sizeof email, NULL))
		return RP_ENOTFOUND;
	return db_one_int(m->d, NULL, id,
			  "SELECT contact_id FROM contact_channel WHERE kind = 'email' AND value = $1"
			  " ORDER BY contact_id LIMIT 1",
			  "t", email);
}

/* The contact a row names, by id or email; 0 with a problem noted if none. */
static int row_contact(imp *m, char **f, uint64_t line, int64_t *cid)
{
	char msg[600];
	const char *id = field(m, f, 1), *email = field(m, f, 2);
	if (id) {
		if (parse_id(id, cid) < 0) {
			snprintf(msg, sizeof msg, "contact_id \"%s\" is not a positive number", id);
			problem(m, line, msg);
			return -1;
		}
		return 0;
	}
	if (email && contact_by_email(m, email, cid) == 0)
		return 0;
	snprintf(msg, sizeof msg, email ? "no contact has the email \"%s\"" : "the row names no contact%s",
		 email ? email : "");
	problem(m, line, msg);
	return -1;
}

/* Note a contact whose last touch must be recomputed at the end. */
static int remember_touch(imp *m, int64_t cid)
{
	if (m->touch_n && m->touch_id[m->touch_n - 1] == cid)
		return 0;
	if (m->touch_n == m->touch_cap) {
		size_t cap = m->touch_cap ? m->touch_cap * 2 : 4096;
		int64_t *a = realloc(m->touch_id, cap * sizeof *a);
		if (!a)
			return -1;
		m->touch_id = a;
		m->touch_cap = cap;
	}
	m->touch_id[m->touch_n++] = cid;
	return 0;
}

/* Interactions are inserted BATCH rows per statement: the engine's
** per-statement work (index triggers, statement journal) is then paid once
** per batch instead of once per row, which makes a large import several
** times faster.  A batch the store refuses (a row naming a missing contact,
** a duplicate id) is retried row by row to find and report the bad rows. */
#define BATCH 128
#define NOSTR ((size_t)-1)

typedef struct irow {
	uint64_t line;
	int64_t id, contact, at, minutes, amount;
	int has_amount;
	size_t kind, dir, cur, by, sum; /* offsets into the batch's text, or NOSTR */
} irow;

typedef struct ibatch {
	irow row[BATCH];
	int n;
	rp_buf text;
	char sql[BATCH * 64 + 200];
} ibatch;

static size_t keep(ibatch *b, const char *s)
{
	if (!s)
		return NOSTR;
	size_t at = b->text.n;
	rp_buf_put(&b->text, s, strlen(s) + 1);
	return at;
}

static const char *text_at(ibatch *b, size_t off) { return off == NOSTR ? NULL : b->text.p + off; }

static void bind_row(ibatch *b, db_stmt *s, int base, const irow *r)
{
	db_bind_int(s, base + 1, r->contact);
	db_bind_int(s, base + 2, r->at);
	db_bind_text(s, base + 3, text_at(b, r->kind), -1);
	db_bind_text(s, base + 4, text_at(b, r->dir), -1);
	if (r->minutes >= 0)
		db_bind_int(s, base + 5, r->minutes);
	else
		db_bind_null(s, base + 5);
	if (r->has_amount) {
		db_bind_int(s, base + 6, r->amount);
		db_bind_text(s, base + 7, text_at(b, r->cur), -1);
	} else {
		db_bind_null(s, base + 6);
		db_bind_null(s, base + 7);
	}
	db_bind_text(s, base + 8, text_at(b, r->by), -1);
	db_bind_text(s, base + 9, r->sum == NOSTR ? "" : text_at(b, r->sum), -1);
	db_bind_int(s, base + 10, r->id);
}

static const char *batch_sql(ibatch *b, int rows)
{
	char *o = b->sql;
	o += sprintf(o, "INSERT INTO interaction(contact_id, at, kind, direction, minutes, amount,"
			" currency, by_user, summary, id) VALUES ");
	for (int i = 0; i < rows; i++) {
		int k = i * 10;
		o += sprintf(o, "%s($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)", i ? "," : "", k + 1, k + 2,
			     k + 3, k + 4, k + 5, k + 6, k + 7, k + 8, k + 9, k + 10);
	}
	return b->sql;
}

static int insert_rows(imp *m, ibatch *b, int first, int rows, rp_err *e)
{
	db_stmt *s = db_prepare(m->d, batch_sql(b, rows), e);
	if (!s)
		return e->code;
	for (int i = 0; i < rows; i++)
		bind_row(b, s, i * 10, &b->row[first + i]);
	int rc = db_step(s, e);
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int flush_batch(imp *m, ibatch *b)
{
	rp_err e;
	int rc = -1;
	if (b->n == BATCH) {
		rc = insert_rows(m, b, 0, BATCH, &e);
		if (rc && rc != RP_ECONFLICT && rc != RP_EINVAL)
			return *m->e = e, rc;
	}
	int whole = rc == 0;
	for (int i = 0; i < b->n; i++) {
		irow *r = &b->row[i];
		if (!whole && (rc = insert_rows(m, b, i, 1, &e)) != 0) {
			if (rc != RP_ECONFLICT && rc != RP_EINVAL)
				return *m->e = e, rc;
			char msg[700];
			int64_t one;
			if (db_one_int(m->d, NULL, &one, "SELECT 1 FROM interaction WHERE id = $1", "i", r->id) == 0)
				snprintf(msg, sizeof msg, "an interaction with id %lld already exists", (long long)r->id);
			else if (rc == RP_ECONFLICT)
				snprintf(msg, sizeof msg, "no contact has id %lld", (long long)r->contact);
			else
				snprintf(msg, sizeof msg, "%.600s", e.msg);
			problem(m, r->line, msg);
			continue;
		}
		if (remember_touch(m, r->contact))
			return rp_errf(m->e, RP_ENOMEM, "out of memory");
		if ((rc = inserted(m, r->id)))
			return rc;
		m->added++;
	}
	b->n = 0;
	int oom = b->text.oom;
	rp_buf_clear(&b->text);
	return oom ? rp_errf(m->e, RP_ENOMEM, "out of memory") : 0;
}

static int interaction_row(imp *m, char **f, uint64_t line)
{
	char msg[700];
	interaction_in in = {.minutes = -1};
	int64_t id = 0;
	const char *v;
	if ((v = field(m, f, 0)) && parse_id(v, &id) < 0) {
		snprintf(msg, sizeof msg, "id \"%s\" is not a positive number", v);
		goto bad;
	}
	if (row_contact(m, f, line, &in.contact_id))
		return 0;
	v = field(m, f, 3);
	if (!v || rp_ts_parse(v, &in.at) < 0) {
		snprintf(msg, sizeof msg, "at \"%s\" is not a time like 2026-11-23T10:05:00Z", v ? v : "");
		goto bad;
	}
	in.kind = field(m, f, 4);
	in.direction = field(m, f, 5);
	if ((v = field(m, f, 6))) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n < 0) {
			snprintf(msg, sizeof msg, "minutes \"%s\" is not a whole number", v);
			goto bad;
		}
		in.minutes = n;
	}
	if ((v = field(m, f, 7))) {
		if (rp_money_parse(v, &in.amount) < 0) {
			snprintf(msg, sizeof msg, "amount \"%s\" is not a sum like 4500.00", v);
			goto bad;
		}
		in.has_amount = 1;
	}
	in.currency = field(m, f, 8);
	in.by = field(m, f, 9);
	in.summary = field(m, f, 10);
	rp_err e;
	if (interaction_check(&in, &e)) {
		snprintf(msg, sizeof msg, "%.600s", e.msg);
		goto bad;
	}
	if (!id)
		id = m->next_id++;
	ibatch *b = m->batch;
	irow *r = &b->row[b->n++];
	*r = (irow){line, id, in.contact_id, in.at, in.minutes, in.amount, in.has_amount,
		    keep(b, in.kind), keep(b, in.direction), keep(b, in.currency), keep(b, in.by),
		    keep(b, in.summary)};
	return b->n == BATCH ? flush_batch(m, b) : 0;
bad:
	problem(m, line, msg);
	return 0;
}

static int fact_row(imp *m, char **f, uint64_t line)
{
	int64_t cid, id = 0;
	char msg[600];
	const char *v = field(m, f, 0), *done = field(m, f, 5);
	if (v && parse_id(v, &id) < 0) {
		snprintf(msg, sizeof msg, "id \"%s\" is not a positive number", v);
		problem(m, line, msg);
		return 0;
	}
	if (done && strcmp(done, "0") && strcmp(done, "1") && strcmp(done, "true") && strcmp(done, "false")) {
		snprintf(msg, sizeof msg, "done \"%s\" is not 0, 1, true or false", done);
		problem(m, line, msg);
		return 0;
	}
	if (row_contact(m, f, line, &cid))
		return 0;
	rp_err e;
	if (fact_import(m->d, id, cid, field(m, f, 3), field(m, f, 4),
			done && (!strcmp(done, "1") || !strcmp(done, "true")), &e)) {
		if (e.code != RP_EINVAL && e.code != RP_ENOTFOUND && e.code != RP_ECONFLICT)
			return *m->e = e, e.code;
		problem(m, line, e.msg);
		return 0;
	}
	m->added++;
	return 0;
}

static int on_row(void *ctx, char **f, size_t n, uint64_t line)
{
	imp *m = ctx;
	if (!m->header_done)
		return header(m, f, n, line);
	m->rows++;
	if (n != m->nfields) {
		char msg[128];
		snprintf(msg, sizeof msg, "%zu fields where the header has %zu", n, m->nfields);
		problem(m, line, msg);
		return 0;
	}
	switch (m->what) {
	case W_CONTACTS: return contact_row(m, f, line);
	case W_INTERACTIONS: return interaction_row(m, f, line);
	default: return fact_row(m, f, line);
	}
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Recompute last_touch_at of every contact the import touched, once each. */
static int apply_touches(imp *m)
{
	if (m->touch_n) /* touch_id is NULL when no interaction went in */
		qsort(m->touch_id, m->touch_n, sizeof *m->touch_id, cmp_id);
	int rc = 0;
	for (size_t i = 0; i < m->touch_n && !rc; i++)
		if (i + 1 == m->touch_n || m->touch_id[i] != m->touch_id[i + 1])
			rc = timeline_touch(m->d, m->touch_id[i], m->e);
	return rc;
}

int import_csv(db *d, const char *what, FILE *in, const import_opts *o, json_t **report, rp_err *e)
{
	imp m = {.d = d, .e = e};
	if (!strcmp(what, "contacts"))
		m.what = W_CONTACTS, m.cols = contact_cols;
	else if (!strcmp(what, "interactions"))
		m.what = W_INTERACTIONS, m.cols = interaction_cols;
	else if (!strcmp(what, "facts"))
		m.what = W_FACTS, m.cols = fact_cols;
	else
		return rp_errf(e, RP_EUSAGE, "cannot import \"%s\"; import contacts, interactions or facts", what);
	csv_reader *r = csv_reader_new(on_row, &m, MAX_ROW);
	char *buf = malloc(1 << 20);
	m.problems = json_array();
	m.batch = calloc(1, sizeof *m.batch);
	int rc = 0;
	if (!r || !buf || !m.batch) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = db_begin(d, e)))
		goto out;
	db_bulk(d, 1);
	/* New contacts and interactions are indexed for search in one pass at
	** the end rather than row by row. */
	const char *table = m.what == W_CONTACTS ? "contact" : m.what == W_INTERACTIONS ? "interaction" : NULL;
	int loading = 0;
	if (table)
		rc = db_fulltext_defer(d, table, e);
	if (!rc && table) {
		/* Into an empty table: its indexes are built once, at the end. */
		int64_t rows;
		rc = db_one_int(d, e, &rows,
				m.what == W_CONTACTS ? "SELECT count(*) FROM (SELECT 1 FROM contact LIMIT 1) AS x"
						     : "SELECT count(*) FROM (SELECT 1 FROM interaction LIMIT 1) AS x",
				"");
		if (!rc && rows == 0 && !(rc = db_load_begin(d, table, e)))
			loading = 1;
	}
	if (!rc && m.what == W_INTERACTIONS)
		rc = db_one_int(d, e, &m.next_id, "SELECT coalesce(max(id), 0) + 1 FROM interaction", "");
	uint64_t done = 0;
	size_t got;
	while (!rc && (got = fread(buf, 1, 1 << 20, in)) > 0) {
		rc = csv_reader_feed(r, buf, got, e);
		done += got;
		if (o->progress)
			o->progress(o->progress_ctx, done, o->total);
	}
	if (!rc && ferror(in))
		rc = rp_errf(e, RP_EIO, "reading the file failed");
	if (!rc)
		rc = csv_reader_finish(r, e);
	if (!rc && !m.header_done)
		rc = rp_errf(e, RP_EINVAL, "the file is empty; it needs a header row naming the columns");
	if (!rc && m.what == W_INTERACTIONS)
		rc = flush_batch(&m, m.batch);
	if (!rc && loading)
		rc = db_load_end(d, e);
	if (!rc && m.what == W_INTERACTIONS)
		rc = apply_touches(&m);
	for (size_t i = 0; !rc && table && i < m.nrange; i++)
		rc = db_fulltext_index(d, table, m.range[i][0], m.range[i][1], e);
	if (!rc && table)
		rc = db_fulltext_resume(d, table, e);
	if (!rc && m.bad && !o->skip_bad) {
		json_t *p0 = json_array_get(m.problems, 0);
		rc = rp_errf(e, RP_EINVAL,
			     "%llu bad row%s, nothing imported; first: line %lld: %s\n"
			     "fix the file, or import the good rows with --skip-bad",
			     (unsigned long long)m.bad, m.bad == 1 ? "" : "s",
			     (long long)json_integer_value(json_object_get(p0, "line")),
			     json_string_value(json_object_get(p0, "error")));
	}
	if (rc && loading)
		db_load_cancel(d);
	if (rc || o->dry_run)
		db_rollback(d);
	else
		rc = db_commit(d, e);
	db_bulk(d, 0);
	if (!m.fatal && (!rc || rc == RP_EINVAL))
		*report = json_pack("{s:s,s:I,s:I,s:I,s:I,s:b,s:O}", "what", what, "rows", (json_int_t)m.rows,
				    "imported", (json_int_t)(rc || o->dry_run ? 0 : m.added), "valid",
				    (json_int_t)m.added, "bad",
				    (json_int_t)m.bad, "dry_run", o->dry_run, "problems", m.problems);
out:
	json_decref(m.problems);
	csv_reader_free(r);
	free(buf);
	free(m.touch_id);
	free(m.range);
	if (m.batch)
		rp_buf_free(&m.batch->text);
	free(m.batch);
	return rc;
}

/* ---- export ------------------------------------------------------------ */

static int flush(rp_buf *b, FILE *out, rp_err *e)
{
	if (b->oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (b->n && fwrite(b->p, 1, b->n, out) != b->n)
		return rp_errf(e, RP_EIO, "writing the export failed");
	rp_buf_clear(b);
	return 0;
}

/* A cursor over (contact_id, text) rows ordered by contact_id, merged with
** the contact rows in C: portable, one pass, no per-contact query. */
typedef struct side {
	db_stmt *s;
	int rc;
} side;

static void side_next(side *c, rp_err *e) { c->rc = db_step(c->s, e); }

static void side_collect(side *c, int64_t id, rp_buf *b, rp_err *e)
{
	int first = 1;
	rp_buf_clear(b);
	while (c->rc == DB_ROW && db_col_int(c->s, 0) < id)
		side_next(c, e);
	while (c->rc == DB_ROW && db_col_int(c->s, 0) == id) {
		if (!first)
			rp_buf_putc(b, ';');
		if (db_col_count(c->s) == 4) { /* a date: year (or NULL), month, day */
			char buf[11];
			rp_date dt = {(int)db_col_int(c->s, 1), (int)db_col_int(c->s, 2), (int)db_col_int(c->s, 3)};
			rp_buf_puts(b, rp_date_format(dt, buf));
		} else {
			rp_buf_puts(b, db_col_text(c->s, 1));
		}
		first = 0;
		side_next(c, e);
	}
}

static int export_contacts(db *d, FILE *out, rp_err *e)
{
	static const char *sides[] = {
		"SELECT contact_id, value FROM contact_channel WHERE kind = 'email' ORDER BY contact_id, id",
		"SELECT contact_id, value FROM contact_channel WHERE kind = 'phone' ORDER BY contact_id, id",
		"SELECT contact_id, value FROM contact_channel WHERE kind = 'messenger' ORDER BY contact_id, id",
		"SELECT contact_id, value FROM contact_channel WHERE kind = 'address' ORDER BY contact_id, id",
		("SELECT contact_id, year, month, day FROM contact_date WHERE kind = 'birthday'"
		 " ORDER BY contact_id"),
		"SELECT contact_id, tag FROM contact_tag ORDER BY contact_id, tag",
	};
	enum { NS = 6 };
	side sd[NS] = {{0}};
	rp_buf b = {0}, v[NS] = {{0}};
	int rc = 0;
	db_stmt *c = db_query(d, e, "SELECT id, name, address, tier, owner, note FROM contact ORDER BY id", "");
	if (!c)
		return e->code;
	for (int i = 0; i < NS && !rc; i++) {
		if (!(sd[i].s = db_prepare(d, sides[i], e)))
			rc = e->code;
		else
			side_next(&sd[i], e);
	}
	for (int i = 0; contact_cols[i]; i++)
		csv_put(&b, contact_cols[i], i == 0);
	csv_end_row(&b);
	while (!rc && (rc = db_step(c, e)) == DB_ROW) {
		rc = 0;
		int64_t id = db_col_int(c, 0);
		for (int i = 0; i < NS; i++)
			side_collect(&sd[i], id, &v[i], e);
		char idbuf[24];
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
		csv_put(&b, idbuf, 1);
		for (int i = 1; i <= 4; i++)
			csv_put(&b, db_col_text(c, i), 0);
		for (int i = 0; i < 4; i++)
			csv_put(&b, v[i].p ? v[i].p : "", 0);
		csv_put(&b, v[4].p ? v[4].p : "", 0);
		csv_put(&b, v[5].p ? v[5].p : "", 0);
		csv_put(&b, db_col_text(c, 5), 0);
		csv_end_row(&b);
		for (int i = 0; i < NS; i++)
			if (sd[i].rc != DB_ROW && sd[i].rc != DB_DONE)
				rc = sd[i].rc;
		if (!rc && b.n > (1 << 16))
			rc = flush(&b, out, e);
	}
	if (rc == DB_DONE)
		rc = flush(&b, out, e);
	db_reset(c);
	for (int i = 0; i < NS; i++) {
		db_reset(sd[i].s);
		rp_buf_free(&v[i]);
	}
	rp_buf_free(&b);
	return rc;
}

static int export_rows(db *d, FILE *out, const char *sql, const char *const *cols, int ts_col,
		       int money_col, rp_err *e)
{
	rp_buf b = {0};
	db_stmt *s = db_query(d, e, sql, "");
	if (!s)
		return e->code;
	int ncol = 0;
	for (; cols[ncol]; ncol++)
		csv_put(&b, cols[ncol], ncol == 0);
	csv_end_row(&b);
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		for (int i = 0; i < ncol; i++) {
			char buf[32];
			const char *v = db_col_text(s, i);
			if (i == ts_col && v)
				v = rp_ts_format(db_col_int(s, i), buf);
			else if (i == money_col && v)
				v = rp_money_format(db_col_int(s, i), buf);
			csv_put(&b, v, i == 0);
		}
		csv_end_row(&b);
		if (b.n > (1 << 16) && (rc = flush(&b, out, e)))
			break;
	}
	if (rc == DB_DONE)
		rc = flush(&b, out, e);
	db_reset(s);
	rp_buf_free(&b);
	return rc;
}

int export_csv(db *d, const char *what, FILE *out, rp_err *e)
{
	static const char *const icols[] = {"id", "contact_id", "at", "kind", "direction", "minutes",
					    "amount", "currency", "by", "summary", NULL};
	static const char *const fcols[] = {"id", "contact_id", "body", "follow_up", "done", NULL};
	int rc = db_begin(d, e); /* one snapshot */
	if (rc)
		return rc;
	if (!strcmp(what, "contacts"))
		rc = export_contacts(d, out, e);
	else if (!strcmp(what, "interactions"))
		rc = export_rows(d, out,
				 "SELECT id, contact_id, at, kind, direction, minutes, amount, currency, by_user,"
				 " summary FROM interaction ORDER BY id",
				 icols, 2, 6, e);
	else if (!strcmp(what, "facts"))
		rc = export_rows(d, out,
				 "SELECT id, contact_id, body, follow_up, CASE WHEN done_at IS NULL THEN 0 ELSE 1 END"
				 " FROM fact ORDER BY id",
				 fcols, -1, -1, e);
	else
		rc = rp_errf(e, RP_EUSAGE, "cannot export \"%s\"; export contacts, interactions or facts", what);
	db_commit(d, NULL);
	return rc;
}
