/*
** merge: the journal that makes a merge of two contacts undoable.
**
** Which rows a merge can touch is read from the store's own catalogue: every
** column with a foreign key to contact (contact_id, relation's a and b, ...),
** so a table added later is journalled without anyone listing it here.
** Before the merge, every row of those tables that names either contact is
** read (all columns, as text), and so are the two contact rows; after it,
** the same for keep.  The difference, row by row on each table's key
** (rp_tables), is the journal:
**
**   {"t": table, "op": "add", "row": {...}}              the merge made the row
**   {"t": table, "op": "del", "row": {...}}              the merge removed it
**   {"t": table, "op": "set", "row": {...}, "old": {...}} it rewrote columns
**
** "row" is the row as the merge left it (as it was, for "del"); "old" the
** rewritten columns' values before.  Undo checks that every row is still as
** the merge left it (else it refuses: a later change would be lost), then
** removes the added rows, puts back the removed ones (the duplicate's
** contact row first, with its id) and the old values, in one transaction.
**
** Two columns are bookkeeping, not data: contact.updated_at and
** last_touch_at move with any later edit or interaction of keep; they do not
** block an undo, and get their old value back only when still as the merge
** left them.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#define MAXREF 4  /* columns of one table that refer to contacts */
#define MAXJT 64  /* tables that refer to contacts */

typedef struct jt {
	const rp_table *t;
	int nref;
	char ref[MAXREF][64];
} jt;

static const rp_table *table_of(const char *name)
{
	for (int i = 0; i < rp_ntables; i++)
		if (!strcmp(rp_tables[i].name, name))
			return &rp_tables[i];
	return NULL;
}

static int is_int(const rp_table *t, const char *col)
{
	for (int k = 0; k < RP_TABLE_INTS && t->ints[k]; k++)
		if (!strcmp(t->ints[k], col))
			return 1;
	return 0;
}

static int bookkeeping(const rp_table *t, const char *col)
{
	return !strcmp(t->name, "contact") && (!strcmp(col, "updated_at") || !strcmp(col, "last_touch_at"));
}

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

/* The columns that refer to contacts, by table, in rp_tables order (parents
** first); the contact table itself comes first, by its id. */
static int merge_refs(db *d, jt *out, int *n, rp_err *e)
{
	const char *sql = !strcmp(db_engine(d), "postgres")
				  ? "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c"
				    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)"
				    " WHERE c.contype = 'f' AND c.confrelid = 'contact'::regclass"
				  : "SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f"
				    " WHERE m.type = 'table' AND f.\"table\" = 'contact'";
	*n = 0;
	memset(out, 0, sizeof *out * MAXJT);
	out[(*n)++] = (jt){table_of("contact"), 1, {"id"}};
	db_stmt *s = db_query(d, e, sql, "");
	if (!s)
		return e ? e->code : RP_EDB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *name = db_col_text(s, 0), *col = db_col_text(s, 1);
		const rp_table *t = table_of(name);
		if (!t)
			continue; /* an engine's search table (PostgreSQL's *_tsv): triggers keep it */
		if (!t->key[0]) {
			rc = rp_errf(e, RP_EDB, "table %s refers to contacts but has no key in rp_tables; a merge cannot"
					     " journal it", name);
			break;
		}
		int i = 0;
		while (i < *n && out[i].t != t)
			i++;
		if (i == *n) {
			if (*n == MAXJT) {
				rc = rp_errf(e, RP_EDB, "too many tables refer to contacts");
				break;
			}
			out[(*n)++].t = t;
		}
		if (out[i].nref < MAXREF)
			snprintf(out[i].ref[out[i].nref++], sizeof out[i].ref[0], "%s", col);
	}
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	/* rp_tables order: parents before children, for putting rows back. */
	for (int i = 1; i < *n; i++)
		for (int j = i + 1; j < *n; j++)
			if (out[j].t < out[i].t) {
				jt x = out[i];
				out[i] = out[j];
				out[j] = x;
			}
	return 0;
}

int merge_refs_list(db *d, json_t **out, rp_err *e)
{
	jt *refs = calloc(MAXJT, sizeof *refs);
	int n = 0;
	if (!refs)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = merge_refs(d, refs, &n, e);
	*out = rc ? NULL : json_array();
	for (int i = 1; !rc && i < n; i++)
		for (int r = 0; r < refs[i].nref; r++)
			json_array_append_new(*out, json_sprintf("%s.%s", refs[i].t->name, refs[i].ref[r]));
	free(refs);
	return rc;
}

/* The identity of a row: its key columns' values. */
static char *row_key(const rp_table *t, json_t *row)
{
	rp_buf b = {0};
	for (int k = 0; k < 4 && t->key[k]; k++) {
		const char *v = json_string_value(json_object_get(row, t->key[k]));
		rp_buf_puts(&b, v ? v : "\x01");
		rp_buf_putc(&b, '\x1f');
	}
	if (b.oom) {
		rp_buf_free(&b);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}

/* Every row of j that names one of the ids (n of them), as JSON objects of
** text values in an object by row key. */
static int snapshot(db *d, const jt *j, const int64_t *ids, int n, json_t *rows, rp_err *e)
{
	rp_buf q = {0};
	rp_buf_puts(&q, "SELECT * FROM ");
	put_ident(&q, j->t->name);
	rp_buf_puts(&q, " WHERE ");
	for (int r = 0; r < j->nref; r++) {
		if (r)
			rp_buf_puts(&q, " OR ");
		put_ident(&q, j->ref[r]);
		rp_buf_puts(&q, n == 1 ? " = $1" : " IN ($1, $2)");
	}
	if (q.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_prepare(d, q.p, e);
	rp_buf_free(&q);
	if (!s)
		return e ? e->code : RP_EDB;
	for (int i = 0; i < n; i++)
		db_bind_int(s, i + 1, ids[i]);
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *row = json_object();
		for (int c = 0; c < db_col_count(s); c++)
			json_object_set_new(row, db_col_name(s, c), col_json_text(s, c));
		char *k = row_key(j->t, row);
		if (!k) {
			json_decref(row);
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			break;
		}
		json_object_set_new(rows, k, row);
		free(k);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int same_value(json_t *a, json_t *b)
{
	const char *x = json_string_value(a), *y = json_string_value(b);
	return x && y ? !strcmp(x, y) : !x && !y;
}

static json_t *entry(const char *t, const char *op, json_t *row)
{
	return json_pack("{s:s,s:s,s:O}", "t", t, "op", op, "row", row);
}

/* The journal entries of one table: before and after are objects by key. */
static void diff(const rp_table *t, json_t *before, json_t *after, json_t *out)
{
	const char *k;
	json_t *row;
	json_object_foreach(before, k, row) {
		json_t *now = json_object_get(after, k);
		if (!now) {
			json_array_append_new(out, entry(t->name, "del", row));
			continue;
		}
		json_t *old = json_object();
		const char *col;
		json_t *v;
		json_object_foreach(row, col, v) if (!same_value(v, json_object_get(now, col)))
			json_object_set(old, col, v);
		if (json_object_size(old)) {
			json_t *x = entry(t->name, "set", now);
			json_object_set_new(x, "old", old);
			json_array_append_new(out, x);
		} else {
			json_decref(old);
		}
	}
	json_object_foreach(after, k, row) if (!json_object_get(before, k))
		json_array_append_new(out, entry(t->name, "add", row));
}

int merge_begin(db *d, merge_capture *m, int64_t keep, int64_t other, rp_err *e)
{
	memset(m, 0, sizeof *m);
	m->refs = calloc(MAXJT, sizeof(jt));
	m->before = json_array();
	if (!m->refs || !m->before)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	m->keep = keep;
	m->other = other;
	int rc = merge_refs(d, m->refs, &m->nrefs, e);
	int64_t ids[2] = {keep, other};
	for (int i = 0; !rc && i < m->nrefs; i++) {
		json_t *rows = json_object();
		json_array_append_new(m->before, rows);
		rc = snapshot(d, &((jt *)m->refs)[i], ids, 2, rows, e);
	}
	return rc;
}

void merge_capture_free(merge_capture *m)
{
	free(m->refs);
	json_decref(m->before);
	memset(m, 0, sizeof *m);
}

int merge_end(db *d, merge_capture *m, const char *by, int64_t *id, rp_err *e)
{
	json_t *changes = json_array();
	int rc = 0;
	for (int i = 0; !rc && i < m->nrefs; i++) {
		const jt *j = &((jt *)m->refs)[i];
		json_t *after = json_object();
		rc = snapshot(d, j, &m->keep, 1, after, e);
		if (!rc)
			diff(j->t, json_array_get(m->before, (size_t)i), after, changes);
		json_decref(after);
	}
	json_t *o = NULL;
	char *text = rc ? NULL : json_dumps(changes, JSON_COMPACT);
	if (!rc && !text)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	/* The duplicate's name as it was: the list shows it once it is gone. */
	for (size_t i = 0; !rc && i < json_array_size(changes); i++) {
		json_t *x = json_array_get(changes, i), *row = json_object_get(x, "row");
		const char *rid = json_string_value(json_object_get(row, "id"));
		if (!strcmp(json_string_value(json_object_get(x, "t")), "contact") && rid &&
		    strtoll(rid, NULL, 10) == m->other)
			o = row;
	}
	const char *oname = json_string_value(json_object_get(o, "name"));
	if (!rc)
		rc = db_one_int(d, e, id,
				"INSERT INTO merge_journal(at, keep_id, other_id, keep_name, other_name, by_user, changes)"
				" SELECT $1, $2, $3, name, $4, $5, $6 FROM contact WHERE id = $2 RETURNING id",
				"iiittt", rp_now(), m->keep, m->other, oname ? oname : "?", by, text);
	free(text);
	json_decref(changes);
	return rc;
}

/* ---- undo ------------------------------------------------------------------ */

static void bind_value(db_stmt *s, int n, const rp_table *t, const char *col, json_t *v)
{
	const char *x = json_string_value(v);
	if (!x)
		db_bind_null(s, n);
	else if (is_int(t, col))
		db_bind_int(s, n, strtoll(x, NULL, 10));
	else
		db_bind_text(s, n, x, -1);
}

/* " WHERE k1 = $first AND k2 = $first+1 ..." with the key's values bound
** from row; returns the next parameter's number. */
static int where_key(rp_buf *q, const rp_table *t, int first)
{
	rp_buf_puts(q, " WHERE ");
	int n = first;
	for (int k = 0; k < 4 && t->key[k]; k++) {
		if (k)
			rp_buf_puts(q, " AND ");
		put_ident(q, t->key[k]);
		rp_buf_printf(q, " = $%d", n++);
	}
	return n;
}

static void bind_key(db_stmt *s, const rp_table *t, json_t *row, int first)
{
	for (int k = 0; k < 4 && t->key[k]; k++)
		bind_value(s, first + k, t, t->key[k], json_object_get(row, t->key[k]));
}

/* The row of t with row's key as the store has it now, or NULL (*out). */
static int current(db *d, const rp_table *t, json_t *row, json_t **out, rp_err *e)
{
	*out = NULL;
	rp_buf q = {0};
	rp_buf_puts(&q, "SELECT * FROM ");
	put_ident(&q, t->name);
	where_key(&q, t, 1);
	if (q.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_prepare(d, q.p, e);
	rp_buf_free(&q);
	if (!s)
		return e ? e->code : RP_EDB;
	bind_key(s, t, row, 1);
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*out = json_object();
		for (int c = 0; c < db_col_count(s); c++)
			json_object_set_new(*out, db_col_name(s, c), col_json_text(s, c));
	}
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

static const char *what(const rp_table *t, json_t *row, char *buf, size_t n)
{
	const char *k0 = json_string_value(json_object_get(row, t->key[0]));
	if (t->key[1])
		snprintf(buf, n, "a row of %s", t->name);
	else
		snprintf(buf, n, "%s #%s", t->name, k0 ? k0 : "?");
	return buf;
}

/* RP_ECONFLICT unless the store still holds x as the merge left it. */
static int check(db *d, json_t *x, rp_err *e)
{
	const rp_table *t = table_of(json_string_value(json_object_get(x, "t")));
	const char *op = json_string_value(json_object_get(x, "op"));
	json_t *row = json_object_get(x, "row"), *now = NULL;
	char name[80];
	if (!t)
		return rp_errf(e, RP_ECONFLICT, "the merge changed a table this store no longer has; it cannot be undone");
	int rc = current(d, t, row, &now, e);
	if (rc)
		return rc;
	if (!strcmp(op, "del")) {
		if (now)
			rc = rp_errf(e, RP_ECONFLICT,
				     "%s, which the merge removed, exists again; the merge cannot be undone without"
				     " overwriting it",
				     what(t, row, name, sizeof name));
	} else if (!now) {
		rc = rp_errf(e, RP_ECONFLICT, "%s, which the merge %s, has since been removed; the merge cannot be undone",
			     what(t, row, name, sizeof name), !strcmp(op, "add") ? "made" : "changed");
	} else {
		const char *col;
		json_t *v;
		json_object_foreach(row, col, v) if (!bookkeeping(t, col) && !same_value(v, json_object_get(now, col))) {
			rc = rp_errf(e, RP_ECONFLICT,
				     "%s has changed since the merge (%s); undoing would lose that change, so the merge"
				     " cannot be undone",
				     what(t, row, name, sizeof name), col);
			break;
		}
	}
	json_decref(now);
	return rc;
}

static int run_built(db *d, rp_buf *q, const rp_table *t, json_t *vals, json_t *row, int keyfirst, rp_err *e)
{
	if (q->oom)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_prepare(d, q->p, e);
	if (!s)
		return e ? e->code : RP_EDB;
	int n = 1;
	const char *col;
	json_t *v;
	if (vals)
		json_object_foreach(vals, col, v) bind_value(s, n++, t, col, v);
	if (keyfirst)
		bind_key(s, t, row, keyfirst);
	int rc = db_step(s, e);
	db_reset(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

static int undo_one(db *d, json_t *x, const char *want, rp_err *e)
{
	const char *op = json_string_value(json_object_get(x, "op"));
	if (strcmp(op, want))
		return 0;
	const rp_table *t = table_of(json_string_value(json_object_get(x, "t")));
	json_t *row = json_object_get(x, "row");
	rp_buf q = {0};
	int rc;
	if (!strcmp(op, "add")) {
		rp_buf_puts(&q, "DELETE FROM ");
		put_ident(&q, t->name);
		where_key(&q, t, 1);
		rc = run_built(d, &q, t, NULL, row, 1, e);
	} else if (!strcmp(op, "del")) {
		rp_buf_puts(&q, "INSERT INTO ");
		put_ident(&q, t->name);
		rp_buf_puts(&q, " (");
		const char *col;
		json_t *v;
		int n = 0;
		json_object_foreach(row, col, v) {
			if (n++)
				rp_buf_puts(&q, ", ");
			put_ident(&q, col);
		}
		rp_buf_puts(&q, ") VALUES (");
		for (int i = 1; i <= n; i++)
			rp_buf_printf(&q, "%s$%d", i > 1 ? ", " : "", i);
		rp_buf_puts(&q, ")");
		rc = run_built(d, &q, t, row, NULL, 0, e);
	} else {
		/* The old values, but a bookkeeping column someone moved since keeps its news. */
		json_t *old = json_deep_copy(json_object_get(x, "old")), *now = NULL;
		if (!(rc = current(d, t, row, &now, e))) {
			const char *col;
			json_t *v;
			void *tmp;
			json_object_foreach_safe(old, tmp, col, v) if (bookkeeping(t, col) &&
								  !same_value(json_object_get(row, col),
									      json_object_get(now, col)))
				json_object_del(old, col);
		}
		json_decref(now);
		if (!rc && json_object_size(old)) {
			rp_buf_puts(&q, "UPDATE ");
			put_ident(&q, t->name);
			rp_buf_puts(&q, " SET ");
			const char *col;
			json_t *v;
			int n = 1;
			json_object_foreach(old, col, v) {
				if (n > 1)
					rp_buf_puts(&q, ", ");
				put_ident(&q, col);
				rp_buf_printf(&q, " = $%d", n++);
			}
			where_key(&q, t, n);
			rc = run_built(d, &q, t, old, row, n, e);
		}
		json_decref(old);
	}
	rp_buf_free(&q);
	return rc;
}

int merge_undo(db *d, int64_t id, int64_t *keep, int64_t *other, rp_err *e)
{
	int64_t days = 30;
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	if ((rc = setting_int(d, "merge.undo_days", 30, &days, e)))
		goto out;
	db_stmt *s = db_query(d, e, "SELECT at, keep_id, other_id, undone_at, changes FROM merge_journal WHERE id = $1",
			      "i", id);
	if (!s) {
		rc = e ? e->code : RP_EDB;
		goto out;
	}
	json_t *changes = NULL;
	int64_t at = 0, undone = 0;
	if ((rc = db_step(s, e)) == DB_ROW) {
		at = db_col_int(s, 0);
		*keep = db_col_int(s, 1);
		*other = db_col_int(s, 2);
		undone = db_col_null(s, 3) ? 0 : db_col_int(s, 3);
		changes = json_loads(db_col_text(s, 4), 0, NULL);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no merge has id %lld; 'rapport merge list' shows the recent ones",
			     (long long)id);
	}
	db_reset(s);
	if (rc)
		goto out;
	if (!changes)
		rc = rp_errf(e, RP_EDB, "the journal of merge %lld cannot be read", (long long)id);
	else if (undone)
		rc = rp_errf(e, RP_ECONFLICT, "merge %lld was already undone", (long long)id);
	else if (rp_now() > at + days * 86400)
		rc = rp_errf(e, RP_ECONFLICT,
			     "merge %lld is older than the undo window (%lld days, setting merge.undo_days); it can no"
			     " longer be undone",
			     (long long)id, (long long)days);
	size_t n = json_array_size(changes);
	for (size_t i = 0; !rc && i < n; i++)
		rc = check(d, json_array_get(changes, i), e);
	/* Rows the merge made go first (children before parents), then the
	** removed rows come back (parents first: the duplicate's contact row
	** leads), then the moved rows go back to them. */
	for (size_t i = n; !rc && i > 0; i--)
		rc = undo_one(d, json_array_get(changes, i - 1), "add", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = undo_one(d, json_array_get(changes, i), "del", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = undo_one(d, json_array_get(changes, i), "set", e);
	if (!rc)
		rc = db_run(d, e, "UPDATE merge_journal SET undone_at = $2 WHERE id = $1", "ii", id, rp_now());
	json_decref(changes);
out:
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int merge_list(db *d, int limit, json_t **out, rp_err *e)
{
	int64_t days = 30;
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	if ((rc = setting_int(d, "merge.undo_days", 30, &days, e))) {
		db_rollback(d);
		return rc;
	}
	db_stmt *s = db_query(d, e,
			      "SELECT id, at, keep_id, keep_name, other_id, other_name, by_user, undone_at FROM merge_journal"
			      " ORDER BY id DESC LIMIT $1",
			      "i", (int64_t)(limit > 0 ? limit : 50));
	if (!s) {
		db_rollback(d);
		return e ? e->code : RP_EDB;
	}
	json_t *list = json_array();
	int64_t now = rp_now();
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t at = db_col_int(s, 1);
		char ts[21];
		json_t *v = json_pack("{s:I,s:o,s:{s:I,s:o},s:{s:I,s:o},s:o,s:o,s:o,s:b}", "id",
				      (json_int_t)db_col_int(s, 0), "at", col_json_ts(s, 1), "keep", "id",
				      (json_int_t)db_col_int(s, 2), "name", col_json_text(s, 3), "other", "id",
				      (json_int_t)db_col_int(s, 4), "name", col_json_text(s, 5), "by", col_json_text(s, 6),
				      "undone_at", col_json_ts(s, 7), "undo_until", json_string(rp_ts_format(at + days * 86400, ts)),
				      "undoable", db_col_null(s, 7) && now <= at + days * 86400);
		json_array_append_new(list, v);
	}
	db_reset(s);
	db_rollback(d);
	if (rc != DB_DONE) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o}", "merges", list);
	return 0;
}

/* The journals that hold a person's rows: those of merges that kept them or
** folded them in, and, through those, of every contact merged into them
** before.  Called inside the erasing transaction. */
int merge_forget(db *d, int64_t contact, rp_err *e)
{
	int64_t todo[256];
	size_t n = 0;
	todo[n++] = contact;
	int rc = 0;
	while (!rc && n) {
		int64_t id = todo[--n];
		db_stmt *s = db_query(d, e,
				      "SELECT keep_id, other_id FROM merge_journal WHERE keep_id = $1 OR other_id = $1", "i",
				      id);
		if (!s)
			return e ? e->code : RP_EDB;
		while ((rc = db_step(s, e)) == DB_ROW)
			for (int c = 0; c < 2; c++)
				if (db_col_int(s, c) != id && n < sizeof todo / sizeof *todo)
					todo[n++] = db_col_int(s, c);
		db_reset(s);
		if (rc != DB_DONE)
			return rc;
		rc = db_run(d, e, "DELETE FROM merge_journal WHERE keep_id = $1 OR other_id = $1", "i", id);
	}
	return rc;
}
