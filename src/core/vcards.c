/*
** vcards: contacts in and out as vCards (format/vcard.c reads and writes
** the text; this maps it to contacts).
**
** In: each card is one person, upserted (core/upsert.c): FN (or N) the
** name, EMAIL, TEL, ADR and URL channels with their TYPE as the label,
** BDAY the birthday, ANNIVERSARY (or X-ANNIVERSARY) and X-RAPPORT-DATE
** yearly dates, NOTE the note, ORG a fact "Organisation: ...", CATEGORIES
** tags, UID the external id "vcard:UID".  RELATED becomes a relation when
** it names a contact we have (by a UID we know, or a name that is one
** contact's), after every card is in; otherwise it is listed as
** unresolved and skipped.  PHOTO, LOGO, SOUND and KEY are never stored;
** other properties are counted under "ignored".  The whole file is one
** transaction: one bad card and nothing is imported.
**
** Out: 3.0 or 4.0, one card per contact, with everything above that the
** contact has (RELATED in 4.0 only: 3.0 has no such property).
*/
#include "core/core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "format/vcard.h"

typedef struct related {
	int64_t from;
	char *kind, *value;
	int text; /* VALUE=text: a name */
	unsigned long line;
} related;

typedef struct vimp {
	db *d;
	char region[3];
	json_t *lines, *problems, *ignored, *unresolved;
	uint64_t created, changed, unchanged, bad, relations;
	related *rel;
	size_t nrel, caprel;
} vimp;

static void problem(vimp *m, unsigned long line, const char *msg)
{
	m->bad++;
	if (json_array_size(m->problems) < 50)
		json_array_append_new(m->problems, json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", msg));
}

/* A vCard date into YYYY-MM-DD or --MM-DD (buf, 11 bytes); -1 if it is
** none of 19850415, 1985-04-15, --0415, --04-15 (a time after it is
** ignored; the year 1604 is Apple's "no year"). */
static int vdate(const char *v, char buf[11])
{
	char dig[9];
	size_t n = 0;
	int noyear = !strncmp(v, "--", 2);
	const char *p = noyear ? v + 2 : v;
	for (; *p && *p != 'T' && n < 8; p++) {
		if (isdigit((unsigned char)*p))
			dig[n++] = *p;
		else if (*p != '-')
			return -1;
	}
	if (*p && *p != 'T')
		return -1;
	dig[n] = 0;
	if (noyear ? n != 4 : n != 8)
		return -1;
	if (!noyear && !strncmp(dig, "1604", 4))
		noyear = 1, memmove(dig, dig + 4, 5);
	if (noyear)
		snprintf(buf, 11, "--%.2s-%.2s", dig, dig + 2);
	else
		snprintf(buf, 11, "%.4s-%.2s-%.2s", dig, dig + 4, dig + 6);
	rp_date dt;
	return rp_date_parse(buf, 1, &dt);
}

/* A channel's label from its TYPE list, the types that say nothing
** (pref, voice, internet, x400) left out. */
static void type_label(const vcard_prop *p, char *buf, size_t size)
{
	buf[0] = 0;
	char *t = strdup(p->types);
	if (!t)
		return;
	size_t n = 0;
	for (char *tok = strtok(t, ","); tok; tok = strtok(NULL, ",")) {
		if (!strcmp(tok, "pref") || !strcmp(tok, "voice") || !strcmp(tok, "internet") || !strcmp(tok, "x400"))
			continue;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "", tok);
	}
	if (n >= size)
		buf[0] = 0;
	free(t);
}

/* Text joined from a structured value's non-empty components. */
static char *joined(const char *value, const char *sep)
{
	char *parts[8];
	int n = vcard_split(value, ';', parts, 8);
	if (n < 0)
		return NULL;
	rp_buf b = {0};
	for (int i = 0; i < n; i++) {
		char *t = str_trim(parts[i]);
		if (t && *t) {
			if (b.n)
				rp_buf_puts(&b, sep);
			rp_buf_puts(&b, t);
		}
		free(t);
	}
	vcard_free_parts(parts, n);
	rp_buf_putc(&b, 0);
	if (b.oom) {
		rp_buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Strings a card's person points into, freed after the upsert. */
typedef struct pool {
	char *s[4 * UPSERT_MAX + 16];
	int n;
} pool;

static char *own(pool *p, char *s)
{
	if (s && p->n < (int)(sizeof p->s / sizeof *p->s))
		return p->s[p->n++] = s;
	free(s);
	return NULL;
}

static char *unescaped(pool *p, const char *v)
{
	char *parts[1];
	return vcard_split(v, 0, parts, 1) == 1 ? own(p, parts[0]) : NULL;
}

static int full(vimp *m, const vcard_prop *pr, const char *what)
{
	char msg[200];
	snprintf(msg, sizeof msg, "the card has more than %d %s", UPSERT_MAX, what);
	problem(m, pr->line, msg);
	return -1;
}

/* The card into a person; -1 with a problem noted when it is bad. */
static int person(vimp *m, const vcard *c, contact_up *u, pool *p, rp_buf *note)
{
	const char *n_name = NULL;
	char buf[512];
	for (size_t i = 0; i < c->n; i++) {
		const vcard_prop *pr = &c->prop[i];
		const char *k = pr->name;
		if (!strcmp(k, "FN")) {
			u->name = unescaped(p, pr->value);
		} else if (!strcmp(k, "N")) {
			char *parts[5];
			int np = vcard_split(pr->value, ';', parts, 5);
			if (np > 0) {
				/* given, additional, family */
				snprintf(buf, sizeof buf, "%s%s%s%s%s", np > 1 ? parts[1] : "",
					 np > 2 && *parts[2] ? " " : "", np > 2 ? parts[2] : "", *parts[0] ? " " : "",
					 parts[0]);
				n_name = own(p, str_trim(buf));
				vcard_free_parts(parts, np);
			}
		} else if (!strcmp(k, "EMAIL") || !strcmp(k, "TEL") || !strcmp(k, "ADR") || !strcmp(k, "URL")) {
			if (u->nchan == UPSERT_MAX)
				return full(m, pr, "emails, phones, addresses and links");
			char *v = !strcmp(k, "ADR") ? own(p, joined(pr->value, ", ")) : unescaped(p, pr->value);
			if (!v || str_blank(v))
				continue;
			if (!strcmp(k, "TEL") && !strncmp(v, "tel:", 4))
				v += 4;
			type_label(pr, buf, sizeof buf);
			u->chan[u->nchan++] = (upsert_chan){!strcmp(k, "EMAIL") ? "email"
							    : !strcmp(k, "TEL") ? "phone"
							    : !strcmp(k, "ADR") ? "address"
										: "web",
							    v, *buf ? own(p, strdup(buf)) : NULL};
		} else if (!strcmp(k, "BDAY") || !strcmp(k, "ANNIVERSARY") || !strcmp(k, "X-ANNIVERSARY") ||
			   !strcmp(k, "X-MS-ANNIVERSARY") || !strcmp(k, "X-RAPPORT-DATE")) {
			char d[11];
			if (!strcmp(pr->value_type, "text"))
				continue; /* "circa 1800": no date to keep */
			if (vdate(pr->value, d) < 0) {
				snprintf(buf, sizeof buf, "%s \"%.100s\" is not a date like 19850415, 1985-04-15 or --0415", k,
					 pr->value);
				problem(m, pr->line, buf);
				return -1;
			}
			char *dd = own(p, strdup(d));
			if (!strcmp(k, "BDAY"))
				u->birthday = dd;
			else if (!strcmp(k, "X-RAPPORT-DATE")) {
				if (u->nother < sizeof u->other / sizeof *u->other) {
					u->other[u->nother].label = pr->label ? own(p, strdup(pr->label)) : NULL;
					u->other[u->nother++].date = dd;
				}
			} else
				u->anniversary = dd;
		} else if (!strcmp(k, "NOTE")) {
			char *v = unescaped(p, pr->value);
			if (v && !str_blank(v)) {
				if (note->n)
					rp_buf_putc(note, '\n');
				rp_buf_puts(note, v);
			}
		} else if (!strcmp(k, "ORG")) {
			u->org = own(p, joined(pr->value, ", "));
		} else if (!strcmp(k, "CATEGORIES")) {
			char *parts[UPSERT_MAX + 1];
			int np = vcard_split(pr->value, ',', parts, UPSERT_MAX + 1);
			for (int j = 0; j < np; j++) {
				char *t = own(p, str_trim(parts[j]));
				if (t && *t) {
					if (u->ntag == UPSERT_MAX) {
						vcard_free_parts(parts, np);
						return full(m, pr, "categories");
					}
					u->tag[u->ntag++] = t;
				}
			}
			vcard_free_parts(parts, np);
		} else if (!strcmp(k, "UID")) {
			char *v = unescaped(p, pr->value);
			if (v && !str_blank(v)) {
				snprintf(buf, sizeof buf, "vcard:%.490s", v);
				u->xid = own(p, strdup(buf));
			}
		} else if (!strcmp(k, "RELATED")) {
			/* after the upsert, when the card's contact is known */
		} else if (strcmp(k, "PRODID") && strcmp(k, "REV") && strcmp(k, "KIND") && strcmp(k, "SOURCE")) {
			json_object_set_new(m->ignored, k, json_integer(json_integer_value(json_object_get(m->ignored, k)) + 1));
		}
	}
	if (c->skipped)
		json_object_set_new(m->ignored, "PHOTO",
				    json_integer(json_integer_value(json_object_get(m->ignored, "PHOTO")) + (json_int_t)c->skipped));
	if (!u->name)
		u->name = n_name;
	if (note->n) {
		rp_buf_putc(note, 0);
		u->note = note->p;
	}
	return note->oom ? -1 : 0;
}

static int remember_related(vimp *m, int64_t from, const vcard_prop *pr)
{
	if (m->nrel == m->caprel) {
		size_t cap = m->caprel ? m->caprel * 2 : 16;
		related *r = realloc(m->rel, cap * sizeof *r);
		if (!r)
			return -1;
		m->rel = r;
		m->caprel = cap;
	}
	char *parts[1];
	if (vcard_split(pr->value, 0, parts, 1) != 1)
		return -1;
	m->rel[m->nrel++] = (related){from, strdup(pr->types), parts[0], !strcmp(pr->value_type, "text"), pr->line};
	return 0;
}

static const char *upsert_words[] = {"unchanged", "created", "changed"};

static int on_card(void *ctx, const vcard *c, rp_err *e)
{
	vimp *m = ctx;
	contact_up *u = calloc(1, sizeof *u);
	pool *p = calloc(1, sizeof *p);
	rp_buf note = {0};
	int rc = 0;
	if (!u || !p) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if (person(m, c, u, p, &note) < 0) {
		if (note.oom)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	int64_t id;
	int outcome;
	json_t *kept = json_array();
	rp_err ue;
	if ((rc = contact_upsert(m->d, u, m->region, &id, &outcome, kept, &ue))) {
		json_decref(kept);
		if (ue.code != RP_EINVAL && ue.code != RP_ECONFLICT && ue.code != RP_ENOTFOUND) {
			*e = ue;
			goto out;
		}
		rc = 0;
		problem(m, c->line, ue.msg);
		goto out;
	}
	(*(outcome == UPSERT_CREATED ? &m->created : outcome == UPSERT_CHANGED ? &m->changed : &m->unchanged))++;
	json_t *l = json_pack("{s:I,s:s,s:I,s:s?}", "line", (json_int_t)c->line, "action", upsert_words[outcome],
			      "contact", (json_int_t)id, "name", u->name);
	if (json_array_size(kept))
		json_object_set(l, "kept", kept);
	json_decref(kept);
	json_array_append_new(m->lines, l);
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->prop[i].name, "RELATED") && remember_related(m, id, &c->prop[i]))
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
out:
	if (p)
		for (int i = 0; i < p->n; i++)
			free(p->s[i]);
	free(p);
	free(u);
	rp_buf_free(&note);
	return rc;
}

/* A RELATED type as our relation kind, or NULL when we keep no such tie. */
static const char *relation_kind(const char *types)
{
	static const char *const family[] = {"spouse", "child", "parent", "sibling", "kin", NULL};
	static const char *const friendly[] = {"friend", "sweetheart", "date", "crush", "acquaintance", "met", NULL};
	char *t = strdup(types);
	const char *k = NULL;
	for (char *tok = t ? strtok(t, ",") : NULL; tok && !k; tok = strtok(NULL, ","))
		k = one_of(tok, family)                                         ? "family"
		    : one_of(tok, friendly)                                     ? "friend"
		    : !strcmp(tok, "colleague") || !strcmp(tok, "co-worker") ? "colleague"
										   : NULL;
	free(t);
	return k;
}

static int relate(vimp *m, rp_err *e)
{
	for (size_t i = 0; i < m->nrel; i++) {
		related *r = &m->rel[i];
		const char *kind = relation_kind(r->kind);
		int64_t to = 0;
		rp_err re;
		int rc = RP_ENOTFOUND;
		if (kind && !r->text) {
			char xid[600];
			snprintf(xid, sizeof xid, "vcard:%.590s", r->value);
			rc = db_one_int(m->d, &re, &to, "SELECT contact_id FROM contact_xid WHERE xid = $1", "t", xid);
		}
		if (kind && rc == RP_ENOTFOUND && !str_blank(r->value) && !str_digits(r->value))
			rc = contact_resolve(m->d, r->value, &to, &re);
		if (!rc && to != r->from) {
			if ((rc = relation_add(m->d, r->from, to, kind, NULL, e)))
				return rc;
			m->relations++;
			continue;
		}
		if (rc && rc != RP_ENOTFOUND && rc != RP_EAMBIG && rc != RP_EINVAL)
			return *e = re, rc;
		json_array_append_new(m->unresolved,
				      json_pack("{s:I,s:s,s:s,s:s}", "line", (json_int_t)r->line, "related", r->value, "type",
						r->kind, "why",
						!kind ? "no relation of ours is of this type"
						: rc == RP_EAMBIG ? "the name is several contacts'"
								  : "no contact we have is named so"));
	}
	return 0;
}

int import_vcard(db *d, FILE *in, const import_opts *o, json_t **report, rp_err *e)
{
	vimp m = {.d = d, .lines = json_array(), .problems = json_array(), .ignored = json_object(),
		  .unresolved = json_array()};
	vcard_reader *r = vcard_reader_new(on_card, &m);
	char *buf = malloc(1 << 16);
	int rc = 0;
	if (!r || !buf) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = import_region(d, m.region, e)) || (rc = db_begin(d, e)))
		goto out;
	size_t got;
	uint64_t done = 0;
	while (!rc && (got = fread(buf, 1, 1 << 16, in)) > 0) {
		rc = vcard_reader_feed(r, buf, got, e);
		done += got;
		if (o->progress)
			o->progress(o->progress_ctx, done, o->total);
	}
	if (!rc && ferror(in))
		rc = rp_errf(e, RP_EIO, "reading the file failed");
	if (!rc)
		rc = vcard_reader_finish(r, e);
	if (!rc && !m.bad)
		rc = relate(&m, e);
	if (!rc && m.bad) {
		json_t *p0 = json_array_get(m.problems, 0);
		rc = rp_errf(e, RP_EINVAL, "%llu bad card%s, nothing imported; first: line %lld: %s",
			     (unsigned long long)m.bad, m.bad == 1 ? "" : "s",
			     (long long)json_integer_value(json_object_get(p0, "line")),
			     json_string_value(json_object_get(p0, "error")));
	}
	if (rc || o->dry_run)
		db_rollback(d);
	else
		rc = db_commit(d, e);
	if (!rc || m.bad)
		*report = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:O,s:O,s:O,s:O}", "what", "vcard", "cards",
				    (json_int_t)vcard_reader_cards(r), "created", (json_int_t)m.created, "changed",
				    (json_int_t)m.changed, "unchanged", (json_int_t)m.unchanged, "bad",
				    (json_int_t)m.bad, "relations", (json_int_t)m.relations, "dry_run", o->dry_run,
				    "lines", m.lines, "problems", m.problems, "unresolved", m.unresolved, "ignored",
				    m.ignored);
out:
	for (size_t i = 0; i < m.nrel; i++) {
		free(m.rel[i].kind);
		free(m.rel[i].value);
	}
	free(m.rel);
	json_decref(m.lines);
	json_decref(m.problems);
	json_decref(m.ignored);
	json_decref(m.unresolved);
	vcard_reader_free(r);
	free(buf);
	return rc;
}

/* ---- out ------------------------------------------------------------------ */

/* A label as a TYPE value: lower case letters, digits and dashes, commas
** between several; anything else and there is no TYPE. */
static int type_param(rp_buf *b, const char *name, const char *label)
{
	if (!label || !*label)
		return 0;
	for (const char *p = label; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != ',')
			return 0;
	rp_buf_printf(b, "%s;TYPE=", name);
	for (const char *p = label; *p; p++)
		rp_buf_putc(b, (char)tolower((unsigned char)*p));
	return 1;
}

static void prop(rp_buf *out, const char *name, const char *label, const char *text)
{
	rp_buf head = {0}, val = {0};
	if (!type_param(&head, name, label))
		rp_buf_puts(&head, name);
	vcard_escape(&val, text);
	vcard_line(out, head.p, val.p ? val.p : "");
	out->oom |= head.oom | val.oom;
	rp_buf_free(&head);
	rp_buf_free(&val);
}

static void date_prop(rp_buf *out, const char *name, const char *label, int v4, int y, int mo, int d)
{
	char head[300], v[16];
	if (label && *label && !strpbrk(label, "\"\r\n"))
		snprintf(head, sizeof head, "%s;LABEL=\"%.200s\"", name, label);
	else
		snprintf(head, sizeof head, "%s", name);
	if (y)
		snprintf(v, sizeof v, v4 ? "%04d%02d%02d" : "%04d-%02d-%02d", y, mo, d);
	else
		snprintf(v, sizeof v, v4 ? "--%02d%02d" : "--%02d-%02d", mo, d);
	vcard_line(out, head, v);
}

static int card(db *d, int64_t id, int v4, rp_buf *out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT name, note FROM contact WHERE id = $1", "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc != DB_ROW) {
		db_reset(s);
		return rc == DB_DONE ? 0 : rc;
	}
	char *name = strdup(db_col_text(s, 0)), *note = db_col_null(s, 1) ? NULL : strdup(db_col_text(s, 1));
	db_reset(s);
	vcard_line(out, "BEGIN", "VCARD");
	vcard_line(out, "VERSION", v4 ? "4.0" : "3.0");
	vcard_line(out, "PRODID", "-//rapport//rapport " RAPPORT_VERSION "//EN");
	/* The UID another system gave the person, else our own. */
	char uid[600];
	snprintf(uid, sizeof uid, "rapport-contact-%lld", (long long)id);
	if ((s = db_query(d, e, "SELECT xid FROM contact_xid WHERE contact_id = $1 AND xid LIKE 'vcard:%' ORDER BY xid",
			  "i", id))) {
		if (db_step(s, e) == DB_ROW)
			snprintf(uid, sizeof uid, "%s", db_col_text(s, 0) + 6);
		db_reset(s);
	}
	prop(out, "UID", NULL, uid);
	prop(out, "FN", NULL, name ? name : "");
	/* One name field: which part is the family name is not known. */
	rp_buf nv = {0};
	vcard_escape(&nv, name ? name : "");
	rp_buf_puts(&nv, ";;;;");
	vcard_line(out, "N", nv.p);
	rp_buf_free(&nv);
	if (!(s = db_query(d, e, "SELECT kind, value, label FROM contact_channel WHERE contact_id = $1 ORDER BY id", "i",
			   id)))
		goto fail;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *k = db_col_text(s, 0), *v = db_col_text(s, 1), *l = db_col_text(s, 2);
		if (!strcmp(k, "email"))
			prop(out, "EMAIL", l, v);
		else if (!strcmp(k, "phone"))
			prop(out, "TEL", l, v);
		else if (!strcmp(k, "web"))
			prop(out, "URL", l, v);
		else if (!strcmp(k, "address")) {
			rp_buf head = {0}, val = {0};
			if (!type_param(&head, "ADR", l))
				rp_buf_puts(&head, "ADR");
			rp_buf_puts(&val, ";;");
			vcard_escape(&val, v);
			rp_buf_puts(&val, ";;;;");
			vcard_line(out, head.p, val.p);
			rp_buf_free(&head);
			rp_buf_free(&val);
		}
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	if (!(s = db_query(d, e,
			   "SELECT kind, label, year, month, day FROM contact_date WHERE contact_id = $1 ORDER BY id", "i",
			   id)))
		goto fail;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *k = db_col_text(s, 0);
		int y = db_col_null(s, 2) ? 0 : (int)db_col_int(s, 2), mo = (int)db_col_int(s, 3),
		    dd = (int)db_col_int(s, 4);
		date_prop(out,
			  !strcmp(k, "birthday")      ? "BDAY"
			  : !strcmp(k, "anniversary") ? (v4 ? "ANNIVERSARY" : "X-ANNIVERSARY")
						      : "X-RAPPORT-DATE",
			  db_col_text(s, 1), v4, y, mo, dd);
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	if (!(s = db_query(d, e,
			   "SELECT substr(body, 15) FROM fact WHERE contact_id = $1 AND body LIKE 'Organisation: %'"
			   " ORDER BY id DESC LIMIT 1",
			   "i", id)))
		goto fail;
	if ((rc = db_step(s, e)) == DB_ROW) {
		rp_buf v = {0};
		vcard_escape(&v, db_col_text(s, 0));
		vcard_line(out, "ORG", v.p ? v.p : "");
		rp_buf_free(&v);
	}
	db_reset(s);
	if (note)
		prop(out, "NOTE", NULL, note);
	if (!(s = db_query(d, e, "SELECT tag FROM contact_tag WHERE contact_id = $1 ORDER BY tag", "i", id)))
		goto fail;
	rp_buf cats = {0};
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (cats.n)
			rp_buf_putc(&cats, ',');
		vcard_escape(&cats, db_col_text(s, 0));
	}
	db_reset(s);
	if (cats.n)
		vcard_line(out, "CATEGORIES", cats.p);
	rp_buf_free(&cats);
	if (v4) {
		/* referred_by has no RELATED type; the others read both ways. */
		if (!(s = db_query(d, e,
				   "SELECT c.name, r.kind FROM relation r JOIN contact c"
				   " ON c.id = CASE WHEN r.a = $1 THEN r.b ELSE r.a END"
				   " WHERE (r.a = $1 OR r.b = $1) AND r.kind <> 'referred_by' ORDER BY c.id, r.kind",
				   "i", id)))
			goto fail;
		while ((rc = db_step(s, e)) == DB_ROW) {
			const char *k = db_col_text(s, 1);
			char head[64];
			snprintf(head, sizeof head, "RELATED;TYPE=%s;VALUE=text", !strcmp(k, "family") ? "kin" : k);
			rp_buf v = {0};
			vcard_escape(&v, db_col_text(s, 0));
			vcard_line(out, head, v.p);
			rp_buf_free(&v);
		}
		db_reset(s);
	}
	vcard_line(out, "END", "VCARD");
	free(name);
	free(note);
	return out->oom ? rp_errf(e, RP_ENOMEM, "out of memory") : 0;
fail:
	free(name);
	free(note);
	return e->code ? e->code : RP_EIO;
}

int export_vcard(db *d, int64_t contact, const char *version, FILE *out, rp_err *e)
{
	if (version && strcmp(version, "3.0") && strcmp(version, "4.0"))
		return rp_errf(e, RP_EINVAL, "vCard version \"%s\" is not 3.0 or 4.0", version);
	int v4 = version && !strcmp(version, "4.0");
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	db_stmt *s = contact ? db_query(d, e, "SELECT id FROM contact WHERE id = $1", "i", contact)
			     : db_query(d, e, "SELECT id FROM contact ORDER BY id", "");
	if (!s) {
		db_rollback(d);
		return e->code;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *v = realloc(ids, cap * sizeof *v);
			if (!v) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			ids = v;
		}
		ids[n++] = db_col_int(s, 0);
	}
	db_reset(s);
	rc = rc == DB_DONE ? 0 : rc;
	rp_buf b = {0};
	for (size_t i = 0; i < n && !rc; i++) {
		rp_buf_clear(&b);
		if (!(rc = card(d, ids[i], v4, &b, e)) && b.n && fwrite(b.p, 1, b.n, out) != b.n)
			rc = rp_errf(e, RP_EIO, "writing the cards failed");
	}
	rp_buf_free(&b);
	free(ids);
	db_rollback(d);
	return rc;
}
