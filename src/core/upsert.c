/*
** upsert: one person from another system's file, matched to the contact
** we already have or added, never added twice.
**
** The match is by external id (the other system's own id for the person),
** then by any email, then by any phone in E.164.  What the file adds is
** only ever added: channels, labels of unlabelled channels, tags, yearly
** dates, the organisation (as a fact "Organisation: ..."), the external
** id; an empty note or a missing birthday is filled.  What the contact
** already has is never overwritten from a file: a different name, note or
** birthday is reported, for a person to decide.  So importing the same
** file again changes nothing.
*/
#include "core/core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/phone.h"

int import_region(db *d, char buf[3], rp_err *e)
{
	char *v;
	int rc = setting_text(d, "import.region", "RU", &v, e);
	if (rc)
		return rc;
	for (char *p = v; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (!(rc = phone_region_check(v, e)))
		snprintf(buf, 3, "%s", v);
	free(v);
	return rc;
}

typedef struct norm {
	const char *kind;
	char value[512];
	const char *label;
} norm;

/* The channels in canonical form, repeats dropped. */
static int normalise(const contact_up *in, const char *region, norm *out, size_t *n, rp_err *e)
{
	*n = 0;
	for (size_t i = 0; i < in->nchan; i++) {
		const upsert_chan *c = &in->chan[i];
		norm *o = &out[*n];
		int rc = !strcmp(c->kind, "phone") ? phone_e164(c->value, region, o->value, sizeof o->value, e)
						   : contact_channel_value(c->kind, c->value, o->value, sizeof o->value, e);
		if (rc)
			return rc;
		o->kind = c->kind;
		o->label = c->label && *c->label ? c->label : NULL;
		int dup = 0;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = out[k].kind == o->kind && !strcmp(out[k].value, o->value);
		if (!dup)
			(*n)++;
	}
	return 0;
}

/* The contact the person is, or 0. */
static int match(db *d, const contact_up *in, const norm *ch, size_t n, int64_t *id, rp_err *e)
{
	*id = 0;
	const char *by = NULL;
	int64_t f;
	int rc;
	if (in->xid) {
		rc = db_one_int(d, e, &f, "SELECT contact_id FROM contact_xid WHERE xid = $1", "t", in->xid);
		if (rc && rc != RP_ENOTFOUND)
			return rc;
		if (!rc)
			*id = f, by = "external id";
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (strcmp(ch[i].kind, pass ? "phone" : "email"))
				continue;
			rc = db_one_int(d, e, &f,
					"SELECT contact_id FROM contact_channel WHERE kind = $1 AND value = $2"
					" ORDER BY contact_id LIMIT 1",
					"tt", ch[i].kind, ch[i].value);
			if (rc == RP_ENOTFOUND)
				continue;
			if (rc)
				return rc;
			if (*id && f != *id)
				return rp_errf(e, RP_ECONFLICT,
					       "it matches two contacts: #%lld by %s and #%lld by %s %s; merge them first "
					       "('rapport merge %lld %lld') or correct the file",
					       (long long)*id, by, (long long)f, ch[i].kind, ch[i].value, (long long)*id,
					       (long long)f);
			*id = f;
			by = ch[i].kind;
		}
	return 0;
}

/* Everything the upsert can add to a contact, counted: it only grows. */
static int weight(db *d, int64_t id, int64_t *w, rp_err *e)
{
	return db_one_int(d, e, w,
			  "SELECT (SELECT count(*) FROM contact_channel WHERE contact_id = $1)"
			  " + (SELECT count(*) FROM contact_channel WHERE contact_id = $1 AND label IS NOT NULL)"
			  " + (SELECT count(*) FROM contact_tag WHERE contact_id = $1)"
			  " + (SELECT count(*) FROM contact_date WHERE contact_id = $1)"
			  " + (SELECT count(*) FROM contact_xid WHERE contact_id = $1)"
			  " + (SELECT count(*) FROM fact WHERE contact_id = $1)"
			  " + (SELECT count(*) FROM contact WHERE id = $1 AND note IS NOT NULL)",
			  "i", id);
}

static int yearly_add(db *d, int64_t id, const char *kind, const char *date, const char *label, rp_err *e)
{
	rp_date dt;
	if (rp_date_parse(date, 1, &dt) < 0)
		return rp_errf(e, RP_EINVAL, "%s \"%s\" is not a date like 1985-04-15 or --04-15", kind, date);
	int64_t one;
	int rc = db_one_int(d, e, &one,
			    "SELECT 1 FROM contact_date WHERE contact_id = $1 AND kind = $2 AND month = $3 AND day = $4"
			    " AND coalesce(label, '') = $5",
			    "itiit", id, kind, (int64_t)dt.m, (int64_t)dt.d, label ? label : "");
	if (rc != RP_ENOTFOUND)
		return rc;
	return contact_date_add(d, id, kind, date, label, e);
}

static void keep_note(json_t *kept, const char *what, const char *ours, const char *theirs)
{
	if (kept)
		json_array_append_new(kept, json_sprintf("%s: kept \"%.200s\"; the file says \"%.200s\"", what, ours,
							 theirs));
}

/* What the existing contact id lacks, from the person, into ci (lists
** pointing at ch and in). */
static int missing(db *d, int64_t id, const contact_up *in, const norm *ch, size_t n, contact_in *ci,
		   const char **em, const char **ph, const char **po, const char **tg, json_t *kept, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT c.name, coalesce(c.note, ''), b.year, b.month, b.day FROM contact c"
			      " LEFT JOIN contact_date b ON b.contact_id = c.id AND b.kind = 'birthday' WHERE c.id = $1",
			      "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc != DB_ROW) {
		db_reset(s);
		return rc == DB_DONE ? rp_errf(e, RP_ENOTFOUND, "contact #%lld is gone", (long long)id) : rc;
	}
	char *name = str_trim(db_col_text(s, 0)), *note = str_trim(db_col_text(s, 1)), bday[11] = "";
	if (!db_col_null(s, 3))
		rp_date_format((rp_date){(int)db_col_int(s, 2), (int)db_col_int(s, 3), (int)db_col_int(s, 4)}, bday);
	db_reset(s);
	rc = 0;
	if (!name || !note) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if (in->name && !str_blank(in->name)) {
		char *theirs = str_trim(in->name);
		if (theirs && strcmp(theirs, name))
			keep_note(kept, "name", name, theirs);
		free(theirs);
	}
	if (in->note && !str_blank(in->note)) {
		if (!*note)
			ci->note = in->note;
		else if (!strstr(note, in->note))
			keep_note(kept, "note", note, in->note);
	}
	if (in->birthday) {
		rp_date dt;
		char theirs[11];
		if (rp_date_parse(in->birthday, 1, &dt) == 0 && strcmp(rp_date_format(dt, theirs), bday)) {
			if (!*bday)
				ci->birthday = in->birthday;
			else
				keep_note(kept, "birthday", bday, in->birthday);
		}
	}
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t one;
		rc = db_one_int(d, e, &one, "SELECT 1 FROM contact_channel WHERE contact_id = $1 AND kind = $2 AND value = $3",
				"itt", id, ch[i].kind, ch[i].value);
		if (rc != RP_ENOTFOUND)
			continue;
		rc = 0;
		if (!strcmp(ch[i].kind, "email"))
			em[ci->email.n++] = ch[i].value;
		else if (!strcmp(ch[i].kind, "phone"))
			ph[ci->phone.n++] = ch[i].value;
		else if (!strcmp(ch[i].kind, "address"))
			po[ci->postal.n++] = ch[i].value;
	}
	for (size_t i = 0; i < in->ntag && !rc; i++) {
		char *k = tag_key(in->tag[i], e);
		int64_t one;
		if (!k)
			rc = e->code;
		else if ((rc = db_one_int(d, e, &one, "SELECT 1 FROM contact_tag WHERE contact_id = $1 AND tag = $2",
					  "it", id, k)) == RP_ENOTFOUND) {
			rc = 0;
			tg[ci->tag.n++] = in->tag[i];
		}
		free(k);
	}
out:
	free(name);
	free(note);
	return rc;
}

int contact_upsert(db *d, const contact_up *in, const char *region, int64_t *id, int *outcome, json_t *kept,
		   rp_err *e)
{
	norm *ch = malloc(UPSERT_MAX * sizeof *ch);
	const char *em[UPSERT_MAX], *ph[UPSERT_MAX], *po[UPSERT_MAX], *tg[UPSERT_MAX];
	contact_in ci = {.email = {em, 0}, .phone = {ph, 0}, .postal = {po, 0}, .tag = {tg, 0}};
	size_t n = 0;
	int64_t before = 0, after = 0;
	if (!ch)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = db_begin(d, e);
	if (rc) {
		free(ch);
		return rc;
	}
	if ((rc = normalise(in, region, ch, &n, e)) || (rc = match(d, in, ch, n, id, e)))
		goto out;
	if (!*id) {
		ci.name = in->name && !str_blank(in->name) ? in->name : in->org;
		for (size_t i = 0; i < n; i++) {
			if (!ci.name && strcmp(ch[i].kind, "address"))
				ci.name = ch[i].value;
			if (!strcmp(ch[i].kind, "email"))
				em[ci.email.n++] = ch[i].value;
			else if (!strcmp(ch[i].kind, "phone"))
				ph[ci.phone.n++] = ch[i].value;
			else if (!strcmp(ch[i].kind, "address"))
				po[ci.postal.n++] = ch[i].value;
		}
		if (!ci.name) {
			rc = rp_errf(e, RP_EINVAL, "the person has no name, email or phone to know them by");
			goto out;
		}
		for (size_t i = 0; i < in->ntag; i++)
			tg[ci.tag.n++] = in->tag[i];
		ci.note = in->note && !str_blank(in->note) ? in->note : NULL;
		ci.birthday = in->birthday;
		if ((rc = contact_add(d, &ci, id, e)))
			goto out;
		*outcome = UPSERT_CREATED;
	} else {
		*outcome = UPSERT_UNCHANGED;
		if ((rc = weight(d, *id, &before, e)) ||
		    (rc = missing(d, *id, in, ch, n, &ci, em, ph, po, tg, kept, e)))
			goto out;
		if ((ci.email.n || ci.phone.n || ci.postal.n || ci.tag.n || ci.note || ci.birthday) &&
		    (rc = contact_edit(d, *id, &ci, e)))
			goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (!strcmp(ch[i].kind, "web"))
			rc = db_run(d, e,
				    "INSERT INTO contact_channel(contact_id, kind, value, label) VALUES ($1, 'web', $2, $3)"
				    " ON CONFLICT (contact_id, kind, value) DO NOTHING",
				    "itt", *id, ch[i].value, ch[i].label);
		if (!rc && ch[i].label)
			rc = db_run(d, e,
				    "UPDATE contact_channel SET label = $4 WHERE contact_id = $1 AND kind = $2"
				    " AND value = $3 AND label IS NULL",
				    "ittt", *id, ch[i].kind, ch[i].value, ch[i].label);
	}
	if (!rc && in->anniversary)
		rc = yearly_add(d, *id, "anniversary", in->anniversary, NULL, e);
	for (size_t i = 0; i < in->nother && !rc; i++)
		rc = yearly_add(d, *id, "other", in->other[i].date, in->other[i].label, e);
	if (!rc && in->org && !str_blank(in->org)) {
		char body[600];
		int64_t one;
		snprintf(body, sizeof body, "Organisation: %.500s", in->org);
		rc = db_one_int(d, e, &one, "SELECT 1 FROM fact WHERE contact_id = $1 AND body = $2", "it", *id, body);
		if (rc == RP_ENOTFOUND)
			rc = fact_add(d, *id, body, NULL, NULL, &one, e);
	}
	if (!rc && in->xid)
		rc = db_run(d, e,
			    "INSERT INTO contact_xid(xid, contact_id, created_at) VALUES ($1, $2, $3)"
			    " ON CONFLICT (xid) DO NOTHING",
			    "tii", in->xid, *id, rp_now());
	if (!rc && *outcome != UPSERT_CREATED && !(rc = weight(d, *id, &after, e)) && after != before)
		*outcome = UPSERT_CHANGED;
out:
	free(ch);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}
