/*
** import: contacts, interactions and facts from CSV.
**
** An import runs in one transaction.  Every row is checked; a bad row is
** reported with its line and reason.  Unless skip_bad, one bad row means
** the whole import is rolled back and nothing changes.  The header names
** the columns (any order); an unknown column is an error rather than data
** silently dropped.
**
** Interactions, the large imports, run as a pipeline on two threads: a
** reader parses and checks rows into batches while the calling thread
** writes the previous batch to the store.  Only the calling thread touches
** the store and the report.  The ladder's events of the purchases among
** them (core/ladder.c) are applied at the end, set-based.
**
** Contacts may carry consents (consent: "email:news;sms:offers", with
** consent_evidence saying what the clients were shown): each is recorded
** as granted, how "import", its evidence the file's text and the line.  A
** consent without evidence makes the row bad; without the columns, or with
** them empty, nothing is recorded.
*/
#include "core/core.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv.h"
#include "util/idmap.h"

#define MAX_ROW (1 << 20)
#define MAX_LISTED 50

/* W_PEOPLE: import csv, a spreadsheet of people in a layout (core/layout.c),
** each row upserted (core/upsert.c). */
enum what { W_CONTACTS, W_INTERACTIONS, W_FACTS, W_PEOPLE };

static const char *const contact_cols[] = {"id",       "name",     "address", "tier",
					   "owner",    "email",    "phone",   "messenger",
					   "postal",   "birthday", "tags",    "note",
					   "consent",  "consent_evidence", NULL};
static const char *const interaction_cols[] = {"id",      "contact_id", "contact_email", "at",
					       "kind",    "direction",  "minutes",       "amount",
					       "currency", "by",        "summary",       NULL};
static const char *const fact_cols[] = {"id", "contact_id", "contact_email", "body", "follow_up", "done", NULL};

struct ibatch;

/* The hand-off between the reader and the writer of a pipelined import. */
typedef struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ibatch *head, *tail; /* filled batches, in file order */
	struct ibatch *spare;       /* empty batches */
	int done;                   /* the reader has finished, with rc */
	int rc;
	int stop;                   /* the writer failed: the reader should stop */
} pipeline;

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
	int bulk;         /* a big file, or one of a size not known (import_csv) */
	rp_err *e;        /* the writer's errors */
	rp_err *re;       /* the reader's errors (the same as e without a pipeline) */
	rp_idmap touched; /* contacts whose last touch moves, applied at the end */
	struct ibatch *cur;   /* interactions being read */
	pipeline *pipe;
	int64_t next_id;      /* interactions without an id get the next */
	int64_t (*range)[2];  /* ids inserted, as runs lo..hi, to index for search */
	size_t nrange, caprange;
	char sql_one[300];    /* the INSERT of one interaction, and of a batch */
	char sql_batch[128 * 64 + 200];
	const import_opts *o;
	layout *lay;          /* W_PEOPLE: the columns */
	char region[3];       /* W_PEOPLE: of phones without a country code */
	uint64_t created, changed, unchanged;
	json_t *lines, *ignored;
} imp;

/* Note that id was inserted: extend the last run or start one. */
static int inserted(imp *m, int64_t id)
{
	/* The last run's end may be the largest id there is (a file can name it). */
	if (m->nrange && m->range[m->nrange - 1][1] < INT64_MAX && m->range[m->nrange - 1][1] + 1 == id) {
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
			rp_errf(m->re, RP_EINVAL, "line %llu: unknown column \"%s\"; the columns are %s",
				(unsigned long long)line, name ? name : f[i], words_list(m->cols, buf, sizeof buf));
			free(name);
			return m->fatal = RP_EINVAL;
		}
		if (m->map[c] >= 0) {
			rp_errf(m->re, RP_EINVAL, "line %llu: column \"%s\" appears twice", (unsigned long long)line, name);
			free(name);
			return m->fatal = RP_EINVAL;
		}
		m->map[c] = (int)i;
		free(name);
	}
	const char *need = m->what == W_CONTACTS ? "name" : m->what == W_FACTS ? "body" : "kind";
	if (m->map[col_index(m, need)] < 0 ||
	    (m->what == W_INTERACTIONS && m->map[col_index(m, "at")] < 0)) {
		rp_errf(m->re, RP_EINVAL, "line %llu: the header has no \"%s\" column; the columns are %s",
			(unsigned long long)line, m->map[col_index(m, need)] < 0 ? need : "at",
			words_list(m->cols, buf, sizeof buf));
		return m->fatal = RP_EINVAL;
	}
	if (m->what != W_CONTACTS && m->map[1] < 0 && m->map[2] < 0) {
		rp_errf(m->re, RP_EINVAL, "line %llu: the header needs a contact_id or contact_email column",
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

/* The word of list equal to w (which is freed before the word is used). */
static const char *word_of(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return *list;
	return NULL;
}

/* A contact row's consents: "email:news;sms:offers" into channel and
** purpose pairs (split in place), checked.  0, or -1 with msg filled. */
typedef struct consent_pair {
	const char *channel, *purpose;
} consent_pair;

static int consent_pairs(char *list, consent_pair *out, size_t max, size_t *n, char *msg, size_t size)
{
	const char *items[32];
	rp_strs l;
	split(list, &l, items, 32);
	*n = 0;
	for (size_t i = 0; i < l.n; i++) {
		char *item = (char *)l.v[i], *colon = strchr(item, ':');
		if (!colon) {
			snprintf(msg, size, "consent \"%.200s\" is not CHANNEL:PURPOSE, like email:news", item);
			return -1;
		}
		*colon = 0;
		char *ch = str_trim(item), *pu = str_trim(colon + 1);
		rp_err e;
		int rc = consent_check(ch, pu, &e);
		if (rc)
			snprintf(msg, size, "consent: %.500s", e.msg);
		else if (*n == max) {
			snprintf(msg, size, "more than %zu consents in one row", max);
			rc = -1;
		} else
			out[(*n)++] = (consent_pair){word_of(ch, consent_channels), word_of(pu, consent_purposes)};
		free(ch);
		free(pu);
		if (rc)
			return -1;
	}
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
	/* Consent is recorded only when the file gives it, with its evidence:
	** nothing is assumed from a missing or empty column. */
	consent_pair said[20];
	size_t nsaid = 0;
	const char *evidence = field(m, f, 13);
	if (consent_pairs((char *)field(m, f, 12), said, sizeof said / sizeof *said, &nsaid, msg, sizeof msg) < 0) {
		problem(m, line, msg);
		return 0;
	}
	if (nsaid && str_blank(evidence)) {
		problem(m, line, "a consent needs its evidence: say in consent_evidence what the client was shown or said");
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
	/* The contact and its consents go in together or not at all. */
	int rc = nsaid ? db_begin(m->d, &e) : 0, begun = nsaid && !rc;
	if (!rc)
		rc = contact_add(m->d, &in, &newid, &e);
	if (!rc && nsaid) {
		char *text = malloc(strlen(evidence) + 64);
		if (!text)
			rc = rp_errf(&e, RP_ENOMEM, "out of memory");
		else
			sprintf(text, "%s (import, line %llu)", evidence, (unsigned long long)line);
		for (size_t i = 0; !rc && i < nsaid; i++) {
			consent_in c = {.channel = said[i].channel, .purpose = said[i].purpose, .state = "granted",
					.how = "import", .evidence = text};
			rc = consent_set(m->d, newid, &c, NULL, &e);
		}
		free(text);
	}
	if (begun && (rc || (rc = db_commit(m->d, &e))))
		db_rollback(m->d);
	if (rc) {
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

/* The contact a row names by id or email (fact rows, read and written on
** one thread); -1 with a problem noted if none. */
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
	return rp_idmap_put(&m->touched, cid, 0, NULL) ? 0 : -1;
}

/* Interactions are inserted BATCH rows per statement: the engine's
** per-statement work (index triggers, statement journal) is then paid once
** per batch instead of once per row, which makes a large import several
** times faster.  A batch the store refuses (a row naming a missing contact,
** a duplicate id) is retried row by row to find and report the bad rows. */
#define BATCH 128
#define NOSTR ((size_t)-1)
#define NBATCH 4 /* batches in flight: one being read, the rest queued or written */

typedef struct irow {
	uint64_t line;
	int64_t id, contact, at, minutes, amount;
	int has_amount, skip;
	size_t email, kind, dir, cur, by, sum; /* offsets into the batch's text, or NOSTR */
} irow;

typedef struct note { /* a problem the reader found */
	uint64_t line;
	size_t msg;
} note;

typedef struct ibatch {
	irow row[BATCH];
	int n;
	note note[BATCH];
	int nnote;
	rp_buf text;
	struct ibatch *next;
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

static void batch_clear(ibatch *b)
{
	b->n = b->nnote = 0;
	b->next = NULL;
	rp_buf_clear(&b->text);
}

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

/* The INSERT of rows rows (1 or BATCH), built once per import. */
static const char *batch_sql(imp *m, int rows)
{
	char *sql = rows == 1 ? m->sql_one : m->sql_batch;
	if (*sql)
		return sql;
	char *o = sql;
	o += sprintf(o, "INSERT INTO interaction(contact_id, at, kind, direction, minutes, amount,"
			" currency, by_user, summary, id) VALUES ");
	for (int i = 0; i < rows; i++) {
		int k = i * 10;
		o += sprintf(o, "%s($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)", i ? "," : "", k + 1, k + 2,
			     k + 3, k + 4, k + 5, k + 6, k + 7, k + 8, k + 9, k + 10);
	}
	return sql;
}

/* A batch that breaks a rule is tried again row by row, so the rows go in
** under a savepoint: on PostgreSQL a failed statement would otherwise spoil
** the whole transaction. */
static int insert_rows(imp *m, ibatch *b, int first, int rows, rp_err *e)
{
	int rc = db_begin(m->d, e);
	if (rc)
		return rc;
	db_stmt *s = db_prepare(m->d, batch_sql(m, rows), e);
	if (!s) {
		db_rollback(m->d);
		return e->code;
	}
	for (int i = 0; i < rows; i++)
		bind_row(b, s, i * 10, &b->row[first + i]);
	rc = db_step(s, e);
	db_reset(s);
	if (rc != DB_DONE) {
		db_rollback(m->d);
		return rc;
	}
	return db_commit(m->d, e);
}

/* Write one batch (the writer's side): the reader's problems, then the
** rows, resolving emails and giving ids first. */
static int write_batch(imp *m, ibatch *b)
{
	if (b->text.oom)
		return rp_errf(m->e, RP_ENOMEM, "out of memory");
	for (int i = 0; i < b->nnote; i++)
		problem(m, b->note[i].line, text_at(b, b->note[i].msg));
	int whole = b->n == BATCH;
	for (int i = 0; i < b->n; i++) {
		irow *r = &b->row[i];
		if (!r->contact) {
			const char *email = text_at(b, r->email);
			if (contact_by_email(m, email, &r->contact)) {
				char msg[600];
				snprintf(msg, sizeof msg, "no contact has the email \"%.500s\"", email);
				problem(m, r->line, msg);
				r->skip = 1;
				whole = 0;
				continue;
			}
		}
		if (!r->id)
			r->id = m->next_id++;
	}
	rp_err e;
	int rc = -1;
	if (whole) {
		rc = insert_rows(m, b, 0, BATCH, &e);
		if (rc && rc != RP_ECONFLICT && rc != RP_EINVAL)
			return *m->e = e, rc;
		whole = rc == 0;
	}
	for (int i = 0; i < b->n; i++) {
		irow *r = &b->row[i];
		if (r->skip)
			continue;
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
	return 0;
}

/* The reader hands a full batch to the writer and takes an empty one,
** waiting while all are in use.  Nonzero when the writer has stopped. */
static int hand_off(imp *m)
{
	pipeline *p = m->pipe;
	int stopped;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = m->cur;
	else
		p->head = m->cur;
	p->tail = m->cur;
	m->cur = NULL;
	pthread_cond_broadcast(&p->cv);
	while (!p->spare && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	if (!(stopped = p->stop)) {
		m->cur = p->spare;
		p->spare = m->cur->next;
		batch_clear(m->cur);
	}
	pthread_mutex_unlock(&p->mu);
	return stopped ? -1 : 0;
}

/* A problem found while reading: noted in the batch on the reader's side
** of a pipeline, reported at once otherwise. */
static int row_problem(imp *m, uint64_t line, const char *msg)
{
	ibatch *b = m->cur;
	if (!b) {
		problem(m, line, msg);
		return 0;
	}
	b->note[b->nnote++] = (note){line, keep(b, msg)};
	return b->nnote == BATCH ? hand_off(m) : 0;
}

/* Read one interaction row into the current batch (the reader's side: no
** store access; emails are resolved by the writer). */
static int interaction_row(imp *m, char **f, uint64_t line)
{
	char msg[700];
	interaction_in in = {.minutes = -1};
	int64_t id = 0;
	const char *v, *email = NULL;
	if ((v = field(m, f, 0)) && parse_id(v, &id) < 0) {
		snprintf(msg, sizeof msg, "id \"%.500s\" is not a positive number", v);
		goto bad;
	}
	if ((v = field(m, f, 1))) {
		if (parse_id(v, &in.contact_id) < 0) {
			snprintf(msg, sizeof msg, "contact_id \"%.500s\" is not a positive number", v);
			goto bad;
		}
	} else if (!(email = field(m, f, 2))) {
		snprintf(msg, sizeof msg, "the row names no contact");
		goto bad;
	}
	v = field(m, f, 3);
	if (!v || rp_ts_parse(v, &in.at) < 0) {
		snprintf(msg, sizeof msg, "at \"%.500s\" is not a time like 2026-11-23T10:05:00Z", v ? v : "");
		goto bad;
	}
	in.kind = field(m, f, 4);
	in.direction = field(m, f, 5);
	if ((v = field(m, f, 6))) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n < 0) {
			snprintf(msg, sizeof msg, "minutes \"%.500s\" is not a whole number", v);
			goto bad;
		}
		in.minutes = n;
	}
	if ((v = field(m, f, 7))) {
		if (rp_money_parse(v, &in.amount) < 0) {
			snprintf(msg, sizeof msg, "amount \"%.500s\" is not a sum like 4500.00", v);
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
	ibatch *b = m->cur;
	b->row[b->n++] = (irow){line,
				id,
				in.contact_id,
				in.at,
				in.minutes,
				in.amount,
				in.has_amount,
				0,
				keep(b, email),
				keep(b, in.kind),
				keep(b, in.direction),
				keep(b, in.currency),
				keep(b, in.by),
				keep(b, in.summary)};
	return b->n == BATCH ? hand_off(m) : 0;
bad:
	return row_problem(m, line, msg);
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

static const char *const upsert_actions[] = {"unchanged", "created", "changed"};

/* A row of a spreadsheet of people: matched and updated, or created. */
static int people_row(imp *m, char **f, size_t n, uint64_t line)
{
	contact_up u = {0};
	layout_pool pool = {0};
	char msg[600];
	int rc = layout_person(m->lay, f, n, &u, &pool, msg, sizeof msg);
	if (rc == -2) {
		layout_pool_free(&pool);
		return rp_errf(m->e, RP_ENOMEM, "out of memory");
	}
	if (rc) {
		problem(m, line, msg);
		layout_pool_free(&pool);
		return 0;
	}
	int64_t id;
	int outcome;
	json_t *kept = json_array();
	rp_err e;
	if ((rc = contact_upsert(m->d, &u, m->region, &id, &outcome, kept, &e))) {
		json_decref(kept);
		layout_pool_free(&pool);
		if (e.code != RP_EINVAL && e.code != RP_ECONFLICT && e.code != RP_ENOTFOUND)
			return *m->e = e, e.code;
		problem(m, line, e.msg);
		return 0;
	}
	(*(outcome == UPSERT_CREATED ? &m->created : outcome == UPSERT_CHANGED ? &m->changed : &m->unchanged))++;
	json_t *l = json_pack("{s:I,s:s,s:I,s:s?}", "line", (json_int_t)line, "action", upsert_actions[outcome],
			      "contact", (json_int_t)id, "name", u.name);
	if (json_array_size(kept))
		json_object_set(l, "kept", kept);
	json_decref(kept);
	json_array_append_new(m->lines, l);
	layout_pool_free(&pool);
	return 0;
}

static int on_row(void *ctx, char **f, size_t n, uint64_t line)
{
	imp *m = ctx;
	if (!m->header_done && m->what == W_PEOPLE) {
		if (!(m->lay = layout_new(m->o->layout, m->o->map, f, n, m->ignored, m->re)))
			return m->fatal = m->re->code;
		m->nfields = n;
		m->header_done = 1;
		return 0;
	}
	if (!m->header_done)
		return header(m, f, n, line);
	m->rows++;
	if (n != m->nfields) {
		char msg[128];
		snprintf(msg, sizeof msg, "%zu fields where the header has %zu", n, m->nfields);
		return row_problem(m, line, msg);
	}
	switch (m->what) {
	case W_CONTACTS: return contact_row(m, f, line);
	case W_INTERACTIONS: return interaction_row(m, f, line);
	case W_PEOPLE: return people_row(m, f, n, line);
	default: return fact_row(m, f, line);
	}
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Recompute last_touch_at of every contact the import touched.  When the
** import of a big file touched a large share of all contacts, one
** statement recomputes them all with the contact indexes dropped and built
** again (twice as fast as keeping them); otherwise each touched contact,
** in id order. */
static int apply_touches(imp *m)
{
	rp_idmap *t = &m->touched;
	int64_t contacts;
	int rc = db_one_int(m->d, m->e, &contacts, "SELECT count(*) FROM contact", "");
	if (rc || !t->n)
		return rc;
	if (m->bulk && (int64_t)t->n * 4 > contacts) {
		if ((rc = db_load_begin(m->d, "contact", m->e)))
			return rc;
		rc = db_run(m->d, m->e,
			    "UPDATE contact SET last_touch_at = t.latest FROM"
			    " (SELECT contact_id, max(at) AS latest FROM interaction GROUP BY contact_id) AS t"
			    " WHERE contact.id = t.contact_id AND contact.last_touch_at <> t.latest",
			    "");
		if (rc)
			db_load_cancel(m->d);
		else
			rc = db_load_end(m->d, m->e);
		return rc;
	}
	int64_t *ids = malloc(t->n * sizeof *ids);
	if (!ids)
		return rp_errf(m->e, RP_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->key[i])
			ids[n++] = t->key[i];
	qsort(ids, n, sizeof *ids, cmp_id);
	for (size_t i = 0; i < n && !rc; i++)
		rc = timeline_touch(m->d, ids[i], m->e);
	free(ids);
	return rc;
}

/* Read and parse the whole stream; nonzero stops (an error in m->re, or
** -1 when the writer of a pipeline stopped). */
typedef struct reading {
	imp *m;
	csv_reader *r;
	FILE *in;
	const import_opts *o;
	char *buf;
} reading;

static int writer_stopped(imp *m)
{
	if (!m->pipe)
		return 0;
	pthread_mutex_lock(&m->pipe->mu);
	int stop = m->pipe->stop;
	pthread_mutex_unlock(&m->pipe->mu);
	return stop;
}

static int read_all(reading *g)
{
	imp *m = g->m;
	uint64_t done = 0;
	size_t got;
	int rc = 0;
	while (!rc && (got = fread(g->buf, 1, 1 << 20, g->in)) > 0) {
		rc = csv_reader_feed(g->r, g->buf, got, m->re);
		done += got;
		if (g->o->progress)
			g->o->progress(g->o->progress_ctx, done, g->o->total);
		if (!rc && writer_stopped(m))
			rc = -1;
	}
	if (!rc && ferror(g->in))
		rc = rp_errf(m->re, RP_EIO, "reading the file failed");
	if (!rc)
		rc = csv_reader_finish(g->r, m->re);
	if (!rc && !m->header_done)
		rc = rp_errf(m->re, RP_EINVAL, "the file is empty; it needs a header row naming the columns");
	if (!rc && m->cur && (m->cur->n || m->cur->nnote))
		rc = hand_off(m);
	return rc;
}

static void *reader_main(void *arg)
{
	reading *g = arg;
	int rc = read_all(g);
	pipeline *p = g->m->pipe;
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	p->rc = rc;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Interactions: the reader thread parses into batches, this thread writes
** them as they come. */
static int read_and_write(reading *g, rp_err *e)
{
	imp *m = g->m;
	pipeline p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	ibatch *all[NBATCH] = {0};
	rp_err reader_err = {0};
	int rc = 0;
	for (int i = 0; i < NBATCH; i++)
		if (!(all[i] = calloc(1, sizeof *all[i])))
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
	pthread_t t;
	if (!rc) {
		for (int i = 2; i < NBATCH; i++)
			all[i - 1]->next = all[i];
		p.spare = all[1];
		m->cur = all[0];
		m->pipe = &p;
		m->re = &reader_err;
		if (pthread_create(&t, NULL, reader_main, g))
			rc = rp_errf(e, RP_ENOMEM, "cannot start a thread to read the file");
	}
	if (!rc) {
		for (;;) {
			pthread_mutex_lock(&p.mu);
			while (!p.head && !p.done)
				pthread_cond_wait(&p.cv, &p.mu);
			ibatch *b = p.head;
			if (b && !(p.head = b->next))
				p.tail = NULL;
			pthread_mutex_unlock(&p.mu);
			if (!b)
				break;
			if (!rc)
				rc = write_batch(m, b);
			batch_clear(b);
			pthread_mutex_lock(&p.mu);
			b->next = p.spare;
			p.spare = b;
			if (rc)
				p.stop = 1;
			pthread_cond_broadcast(&p.cv);
			pthread_mutex_unlock(&p.mu);
		}
		pthread_join(t, NULL);
		if (!rc && p.rc) {
			*e = reader_err;
			rc = p.rc;
		}
	}
	m->pipe = NULL;
	m->cur = NULL;
	m->re = e;
	for (int i = 0; i < NBATCH; i++) {
		if (all[i])
			rp_buf_free(&all[i]->text);
		free(all[i]);
	}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return rc;
}

static int by_line(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "line"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "line"));
	return x < y ? -1 : x > y;
}

/* Problems arrive batch by batch; list them in file order. */
static void sort_problems(json_t *a)
{
	size_t n = json_array_size(a);
	json_t *v[MAX_LISTED];
	if (n < 2 || n > MAX_LISTED)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof *v, by_line);
	json_array_clear(a);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
}

int import_csv(db *d, const char *what, FILE *in, const import_opts *o, json_t **report, rp_err *e)
{
	imp m = {.d = d, .e = e, .re = e, .o = o};
	if (!strcmp(what, "csv"))
		m.what = W_PEOPLE;
	else if (!strcmp(what, "contacts"))
		m.what = W_CONTACTS, m.cols = contact_cols;
	else if (!strcmp(what, "interactions"))
		m.what = W_INTERACTIONS, m.cols = interaction_cols;
	else if (!strcmp(what, "facts"))
		m.what = W_FACTS, m.cols = fact_cols;
	else
		return rp_errf(e, RP_EUSAGE, "cannot import \"%s\"; import contacts, interactions, facts, csv or vcard",
			       what);
	reading g = {.m = &m, .r = csv_reader_new(on_row, &m, MAX_ROW), .in = in, .o = o, .buf = malloc(1 << 20)};
	m.problems = json_array();
	m.lines = json_array();
	m.ignored = json_array();
	int rc = 0;
	if (!g.r || !g.buf) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if (m.what == W_PEOPLE && (rc = import_region(d, m.region, e)))
		goto out;
	if ((rc = db_begin(d, e)))
		goto out;
	/* New contacts and interactions are indexed for search in one pass at
	** the end rather than row by row, an empty table's indexes built once,
	** and the engine given a bigger cache.  That pays over many rows; on
	** SQLite it changes the schema, so every connection prepares its
	** statements again after, and after a rollback (a dry run, a refusal)
	** reads the whole schema again.  A file known to be small (its size is
	** known when it is a file) takes the per-row way, as 'contact add'
	** does. */
	int bulk = m.bulk = !o->total || o->total >= IMPORT_BULK_BYTES;
	if (bulk)
		db_bulk(d, 1);
	const char *table = !bulk ? NULL
			    : m.what == W_CONTACTS ? "contact"
			    : m.what == W_INTERACTIONS ? "interaction"
						       : NULL;
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
	if (!rc)
		rc = m.what == W_INTERACTIONS ? read_and_write(&g, e) : read_all(&g);
	if (!rc && loading)
		rc = db_load_end(d, e);
	if (!rc && m.what == W_INTERACTIONS)
		rc = apply_touches(&m);
	/* Purchases move their buyers (and referrers) up the ladder: a few
	** statements over the inserted rows, not one per row. */
	if (!rc && m.what == W_INTERACTIONS)
		rc = ladder_purchases_imported(d, (const int64_t(*)[2])m.range, m.nrange, e);
	/* Interactions are given ids here and facts keep theirs: the store's
	** own ids must go on after them. */
	if (!rc && (m.what == W_INTERACTIONS || m.what == W_FACTS))
		rc = db_ids_follow(d, m.what == W_FACTS ? "fact" : "interaction", e);
	for (size_t i = 0; !rc && table && i < m.nrange; i++)
		rc = db_fulltext_index(d, table, m.range[i][0], m.range[i][1], e);
	if (!rc && table)
		rc = db_fulltext_resume(d, table, e);
	sort_problems(m.problems);
	if (!rc && m.bad && !o->skip_bad) {
		json_t *p0 = json_array_get(m.problems, 0);
		rc = rp_errf(e, RP_EINVAL,
			     "%llu bad row%s, nothing imported; first: line %lld: %s\n%s",
			     (unsigned long long)m.bad, m.bad == 1 ? "" : "s",
			     (long long)json_integer_value(json_object_get(p0, "line")),
			     json_string_value(json_object_get(p0, "error")),
			     m.what == W_PEOPLE ? "fix the file and import it again"
						: "fix the file, or import the good rows with --skip-bad");
	}
	if (rc && loading)
		db_load_cancel(d);
	if (rc && table)
		db_fulltext_resume(d, table, NULL); /* forget what was deferred; the rollback restores it */
	if (rc || o->dry_run)
		db_rollback(d);
	else
		rc = db_commit(d, e);
	if (bulk)
		db_bulk(d, 0);
	if (!m.fatal && (!rc || rc == RP_EINVAL) && m.what == W_PEOPLE)
		*report = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:O,s:O,s:O}", "what", what, "layout",
				    m.lay ? layout_name(m.lay) : "", "rows", (json_int_t)m.rows, "created",
				    (json_int_t)m.created, "changed", (json_int_t)m.changed, "unchanged",
				    (json_int_t)m.unchanged, "bad", (json_int_t)m.bad, "dry_run", o->dry_run, "lines",
				    m.lines, "problems", m.problems, "ignored_columns", m.ignored);
	else if (!m.fatal && (!rc || rc == RP_EINVAL))
		*report = json_pack("{s:s,s:I,s:I,s:I,s:I,s:b,s:O}", "what", what, "rows", (json_int_t)m.rows,
				    "imported", (json_int_t)(rc || o->dry_run ? 0 : m.added), "valid",
				    (json_int_t)m.added, "bad", (json_int_t)m.bad, "dry_run", o->dry_run, "problems",
				    m.problems);
out:
	json_decref(m.problems);
	json_decref(m.lines);
	json_decref(m.ignored);
	layout_free(m.lay);
	csv_reader_free(g.r);
	free(g.buf);
	rp_idmap_free(&m.touched);
	free(m.range);
	return rc;
}
