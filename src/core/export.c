/*
** export: contacts, interactions and facts as RFC 4180 CSV, in the layouts
** that import reads back, from one snapshot of the store.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "format/csv.h"

/* The layout import reads: keep the two in step. */
static const char *const contact_cols[] = {"id",     "name",  "address",  "tier",     "owner",
					   "email",  "phone", "messenger", "postal", "birthday",
					   "tags",   "note",  NULL};

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
	int rc = db_begin_read(d, e); /* one snapshot */
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
