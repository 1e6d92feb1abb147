/*
** privacy: a person's right to see what is kept about them, and to have it
** erased.
**
** privacy_export gathers everything stored about one contact into one JSON
** document, a section per kind of record (the table `sections` below).  A
** module that stores more about a person (stories, a ledger, scores: none
** exist yet) adds its section there, and its rows to privacy_erase, so that
** the export stays complete and the erasure thorough.
**
** privacy_erase removes the person's personal data in one transaction:
**   - suppression: a keyed hash of each email and phone (BLAKE2b keyed with
**     the store's own random secret, setting 'privacy.key', made on first
**     use and never shown), so that an import or a colleague cannot add the
**     person again without noticing (privacy_admit);
**   - what must stay for anonymous counts stays without them: outbox rows
**     lose their contact, address, subject and body (and a failure reason
**     that quotes them); stage moves lose their contact, why and evidence;
**   - audit rows that name them keep action, time, actor, address and
**     outcome, but their arguments become {"erased": true} and their error
**     message goes;
**   - then the contact goes, and with it (foreign keys, ON DELETE CASCADE)
**     channels, dates, tags, relations, facts, interactions, stories, their
**     place on the panel, complaints, traits, best-client mark, intake
**     requests, consent history and consent links (and intake requests
**     from their emails or phones that no one accepted);
**   - after the commit the engine's leftovers go (db_erase_traces): old
**     search-index segments, freed space in the file, the WAL.
** Out of scope, and said so in docs/API.md: what other clients'
** records say about the person (a note on a relative's card), files the
** team exported, and the engine's copies outside the store (backups,
** PostgreSQL's WAL archive and replicas).
**
** Which audit rows name a person: those whose contact or other argument
** refers to them (their id, an id merged into theirs, or a part of one of
** their names: refs are typed as parts of names, and one that was unique
** then may have meant them), and those whose arguments or error message
** contain one of their names, emails, messenger handles, postal addresses
** (as whole words, case-insensitively) or phone numbers (by their digits).
** This errs towards redacting a row too many: a redacted row still says who
** did what and when.
*/
#include "core/core.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/fold.h"

#define KEY_SETTING "privacy.key"
#define AUDIT_PAGE 500
#define ERASED_MARK "{\"erased\":true}"

/* ---- the store's secret and the keyed hash ------------------------------ */

/* The store's secret for suppression hashes into key.  Made on first use
** when create is set; RP_ENOTFOUND otherwise (nothing was ever
** suppressed).  A store copied by migrate-store takes it along with the
** setting table, so its suppression entries keep working. */
static int store_key(db *d, int create, unsigned char key[32], rp_err *e)
{
	for (int pass = 0; pass < 2; pass++) {
		db_stmt *s = db_query(d, e, "SELECT value FROM setting WHERE key = $1", "t", KEY_SETTING);
		if (!s)
			return e ? e->code : RP_EDB;
		int rc = db_step(s, e);
		size_t n = 0;
		if (rc == DB_ROW) {
			const char *hex = db_col_text(s, 0);
			if (!hex || sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &n, NULL) || n != 32)
				rc = rp_errf(e, RP_EDB,
					     "the store's privacy key (setting %s) is damaged; restore it from a backup",
					     KEY_SETTING);
			else
				rc = 0;
		}
		db_reset(s);
		if (rc != DB_DONE)
			return rc;
		if (!create || pass)
			return rp_errf(e, RP_ENOTFOUND, "the store has no privacy key yet");
		unsigned char raw[32];
		char hex[65];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
		sodium_memzero(raw, sizeof raw);
		/* Two erasures at once: the first key stored wins, both use it. */
		rc = db_run(d, e, "INSERT INTO setting(key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", "tt",
			    KEY_SETTING, hex);
		sodium_memzero(hex, sizeof hex);
		if (rc)
			return rc;
	}
	return RP_EDB;
}

static void keyed_hash(const unsigned char key[32], const char *kind, const char *value, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, key, 32, sizeof h);
	/* The kind keeps an email and a phone that spell the same apart. */
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
	crypto_generichash_update(&st, (const unsigned char *)":", 1);
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int privacy_hash(db *d, const char *kind, const char *value, int create, char out[65], rp_err *e)
{
	unsigned char key[32];
	int rc = store_key(d, create, key, e);
	if (!rc)
		keyed_hash(key, kind, value, out);
	sodium_memzero(key, sizeof key);
	return rc;
}

static int lookup(db *d, const char *hash, int64_t *at, rp_err *e)
{
	*at = 0;
	int rc = db_one_int(d, e, at, "SELECT at FROM suppression WHERE hash = $1", "t", hash);
	if (rc == RP_ENOTFOUND) {
		*at = 0;
		rc = 0;
	}
	return rc;
}

int privacy_suppressed(db *d, const char *kind, const char *value, int64_t *at, rp_err *e)
{
	char hash[65];
	*at = 0;
	int rc = privacy_hash(d, kind, value, 0, hash, e);
	if (rc == RP_ENOTFOUND)
		return 0;
	return rc ? rc : lookup(d, hash, at, e);
}

int privacy_admit(db *d, const contact_in *in, rp_err *e)
{
	if (!in->email.n && !in->phone.n)
		return 0;
	unsigned char key[32];
	int rc = store_key(d, 0, key, e);
	if (rc == RP_ENOTFOUND) /* no erasure ever: nothing is suppressed */
		return 0;
	const rp_strs *lists[2] = {&in->email, &in->phone};
	const char *kinds[2] = {"email", "phone"};
	for (int k = 0; !rc && k < 2; k++) {
		for (size_t i = 0; !rc && i < lists[k]->n; i++) {
			char v[512], hash[65];
			int64_t at;
			/* A value that does not parse is refused later, by the code
			** that adds channels, with the reason. */
			if (contact_channel_value(kinds[k], lists[k]->v[i], v, sizeof v, NULL))
				continue;
			keyed_hash(key, kinds[k], v, hash);
			if ((rc = lookup(d, hash, &at, e)) || !at)
				continue;
			if (in->unsuppress) {
				rc = db_run(d, e, "DELETE FROM suppression WHERE hash = $1", "t", hash);
			} else {
				char day[21];
				rc = rp_errf(e, RP_ECONFLICT,
					     "the %s %s belongs to a person erased at their request on %.10s; add it again"
					     " only if that person asks you to, with --unsuppress",
					     kinds[k], v, rp_ts_format(at, day));
			}
		}
	}
	sodium_memzero(key, sizeof key);
	return rc;
}

/* ---- who the person is: what identifies them in free text ---------------- */

typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static int strv_has(const strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

/* Add s (taken: freed on failure or when already there); 1 if it is new. */
static int strv_take(strv *l, char *s, rp_err *e)
{
	if (s && (!*s || strv_has(l, s))) {
		free(s);
		return 0;
	}
	if (s && l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			free(s);
			s = NULL;
		} else {
			l->v = v;
			l->cap = cap;
		}
	}
	if (!s) {
		rp_errf(e, RP_ENOMEM, "out of memory");
		return -1;
	}
	l->v[l->n++] = s;
	return 1;
}

static void strv_free(strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

typedef struct person {
	int64_t ids[64];   /* the contact, and contacts merged into them */
	size_t nids;
	strv names;        /* name keys (folded, spaces collapsed): now and before */
	strv emails;       /* as stored: lower case */
	strv words;        /* messenger handles and postal addresses, folded */
	strv phones;       /* their digits */
	strv channels[2];  /* emails and phones as stored, for suppression */
} person;

static void person_free(person *p)
{
	strv_free(&p->names);
	strv_free(&p->emails);
	strv_free(&p->words);
	strv_free(&p->phones);
	strv_free(&p->channels[0]);
	strv_free(&p->channels[1]);
}

static int has_id(const person *p, int64_t id)
{
	for (size_t i = 0; i < p->nids; i++)
		if (p->ids[i] == id)
			return 1;
	return 0;
}

static char *digits_of(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;
	if (!o)
		return NULL;
	for (; *s; s++)
		if (isdigit((unsigned char)*s))
			*q++ = *s;
	*q = 0;
	return o;
}

/* 1 when c belongs to a word: letters and digits of any script (every
** byte of a multibyte character), and for emails the characters an
** address is made of, so that "anna@x.org" is not found in "hanna@x.org". */
static int word_byte(unsigned char c, int email)
{
	return isalnum(c) || c >= 0x80 || c == '_' || (email && strchr(".%+-", c) && c);
}

/* needle in hay as a whole word (hay and needle folded alike). */
static int has_word(const char *hay, const char *needle, int email)
{
	size_t n = strlen(needle);
	if (!n)
		return 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++) {
		int before = p == hay || !word_byte((unsigned char)p[-1], email);
		/* An address at the end of a sentence: "write to anna@x.org." */
		const char *end = p + n;
		if (email && *end == '.' && !word_byte((unsigned char)end[1], 0))
			end++;
		int after = !word_byte((unsigned char)*end, email);
		if (before && after)
			return 1;
	}
	return 0;
}

/* A phone number in free text: runs of digits with the usual separators,
** compared by their digits.  Numbers of fewer than 6 digits (short codes)
** must match a whole run, or every number would. */
static int has_phone(const char *text, const strv *phones)
{
	if (!phones->n)
		return 0;
	const char *p = text;
	while (*p) {
		while (*p && !isdigit((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char run[256];
		size_t n = 0;
		for (; *p && (isdigit((unsigned char)*p) || strchr("+-(). \t", *p)); p++)
			if (isdigit((unsigned char)*p) && n < sizeof run - 1)
				run[n++] = *p;
		run[n] = 0;
		for (size_t i = 0; i < phones->n; i++) {
			const char *ph = phones->v[i];
			if (strlen(ph) >= 6 ? strstr(run, ph) != NULL : !strcmp(run, ph))
				return 1;
		}
	}
	return 0;
}

/* Does this text mention the person? */
static int text_names(const person *p, const char *text)
{
	if (!text || !*text)
		return 0;
	if (has_phone(text, &p->phones))
		return 1;
	char *f = contact_name_key(text);
	if (!f) /* not valid UTF-8: compare the bytes as they are */
		f = strdup(text);
	if (!f)
		return 1; /* out of memory: redact rather than keep */
	int hit = 0;
	for (size_t i = 0; !hit && i < p->names.n; i++) {
		const char *nm = p->names.v[i];
		/* A very short name would match every such word: whole text only. */
		hit = strlen(nm) < 3 ? !strcmp(f, nm) : has_word(f, nm, 0);
	}
	for (size_t i = 0; !hit && i < p->emails.n; i++)
		hit = has_word(f, p->emails.v[i], 1);
	for (size_t i = 0; !hit && i < p->words.n; i++)
		hit = strlen(p->words.v[i]) < 3 ? !strcmp(f, p->words.v[i]) : has_word(f, p->words.v[i], 0);
	free(f);
	return hit;
}

/* A contact reference as an operation received it: an id, or a part of a
** name.  strong: only an id of theirs, or one of their whole names. */
static int ref_names(const person *p, json_t *v, int strong)
{
	if (json_is_integer(v))
		return has_id(p, json_integer_value(v));
	if (!json_is_string(v))
		return 0;
	char *t = str_trim(json_string_value(v));
	if (!t)
		return 1;
	int hit = 0;
	if (str_digits(t)) {
		hit = strlen(t) < 19 && has_id(p, strtoll(t, NULL, 10));
	} else if (*t) {
		char *k = contact_name_key(t);
		for (size_t i = 0; k && *k && !hit && i < p->names.n; i++)
			hit = strong ? !strcmp(p->names.v[i], k) : strstr(p->names.v[i], k) != NULL;
		free(k);
	}
	free(t);
	return hit;
}

static const char *const ref_keys[] = {"contact", "other", "contact_id", NULL};

/* Does a JSON value (an audit row's arguments) name the person? */
static int json_names(const person *p, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;
	if (json_is_string(v))
		return text_names(p, json_string_value(v));
	if (json_is_object(v)) {
		for (int k = 0; ref_keys[k]; k++)
			if ((x = json_object_get(v, ref_keys[k])) && ref_names(p, x, 0))
				return 1;
		json_object_foreach(v, key, x) if (json_names(p, x)) return 1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) if (json_names(p, x)) return 1;
	}
	return 0;
}

static int audit_names(const person *p, const char *target, const char *detail)
{
	if (target && !strcmp(target, ERASED_MARK))
		target = NULL;
	json_t *t = target ? json_loads(target, 0, NULL) : NULL;
	int hit = t ? json_names(p, t) : text_names(p, target);
	json_decref(t);
	return hit || text_names(p, detail);
}

/* Load the contact's names and channels, then follow the audit log back:
** the name they were added under and every name a rename gave them (the
** audit rows of contact add and contact edit name the contact's id), and
** the ids of duplicates merged into them, until nothing new turns up.
** RP_ENOTFOUND when no contact has the id. */
static int person_load(db *d, int64_t id, person *p, rp_err *e)
{
	memset(p, 0, sizeof *p);
	p->ids[p->nids++] = id;
	db_stmt *s = db_query(d, e, "SELECT name FROM contact WHERE id = $1", "i", id);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		rc = strv_take(&p->names, contact_name_key(db_col_text(s, 0)), e) < 0 ? RP_ENOMEM : 0;
	else if (rc == DB_DONE)
		rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld; find one with 'rapport contact list'",
			     (long long)id);
	db_reset(s);
	if (rc)
		return rc;
	s = db_query(d, e, "SELECT kind, value FROM contact_channel WHERE contact_id = $1 ORDER BY id", "i", id);
	if (!s)
		return e ? e->code : RP_EDB;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 0), *v = db_col_text(s, 1);
		int r = 0;
		if (!strcmp(kind, "email"))
			r = strv_take(&p->emails, strdup(v), e) < 0 || strv_take(&p->channels[0], strdup(v), e) < 0;
		else if (!strcmp(kind, "phone"))
			r = strv_take(&p->phones, digits_of(v), e) < 0 || strv_take(&p->channels[1], strdup(v), e) < 0;
		else
			r = strv_take(&p->words, contact_name_key(v), e) < 0;
		if (r) {
			rc = RP_ENOMEM;
			break;
		}
	}
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	/* Renames and merges, followed until nothing new (a chain of them
	** needs a pass per link; eight are plenty). */
	for (int round = 0, grew = 1; grew && round < 8; round++) {
		grew = 0;
		for (int64_t after = 0;;) {
			s = db_query(d, e,
				     "SELECT id, action, target FROM audit WHERE id > $1"
				     " AND action IN ('contact add', 'contact edit', 'contact merge') ORDER BY id LIMIT $2",
				     "ii", after, (int64_t)AUDIT_PAGE);
			if (!s)
				return e ? e->code : RP_EDB;
			int rows = 0;
			while ((rc = db_step(s, e)) == DB_ROW) {
				rows++;
				after = db_col_int(s, 0);
				const char *text = db_col_text(s, 2);
				json_t *t = text ? json_loads(text, 0, NULL) : NULL;
				if (t && ref_names(p, json_object_get(t, "contact"), 1)) {
					json_t *name = json_object_get(t, "name"), *other = json_object_get(t, "other");
					int r = 0;
					if (strcmp(db_col_text(s, 1), "contact merge") && json_is_string(name))
						r = strv_take(&p->names, contact_name_key(json_string_value(name)), e);
					else if (json_is_string(other) && str_digits(json_string_value(other)) &&
						 strlen(json_string_value(other)) < 19 && p->nids < 64) {
						int64_t merged = strtoll(json_string_value(other), NULL, 10);
						if (!has_id(p, merged)) {
							p->ids[p->nids++] = merged;
							r = 1;
						}
					}
					if (r < 0)
						rc = RP_ENOMEM;
					grew |= r > 0;
				}
				json_decref(t);
				if (rc == RP_ENOMEM)
					break;
			}
			db_reset(s);
			if (rc != DB_DONE)
				return rc;
			if (rows < AUDIT_PAGE)
				break;
		}
	}
	return 0;
}

/* Call fn for each audit row that names the person, oldest first. */
static int audit_each(db *d, const person *p, int (*fn)(db *d, db_stmt *s, void *ctx, rp_err *e), void *ctx,
		      rp_err *e)
{
	int rc = 0;
	for (int64_t after = 0; !rc;) {
		db_stmt *s = db_query(d, e,
				      "SELECT id, at, actor, action, target, address, ok, detail FROM audit"
				      " WHERE id > $1 AND (target IS NOT NULL OR detail IS NOT NULL) ORDER BY id LIMIT $2",
				      "ii", after, (int64_t)AUDIT_PAGE);
		if (!s)
			return e ? e->code : RP_EDB;
		int rows = 0;
		while (!rc && (rc = db_step(s, e)) == DB_ROW) {
			rows++;
			after = db_col_int(s, 0);
			rc = audit_names(p, db_col_text(s, 4), db_col_text(s, 7)) ? fn(d, s, ctx, e) : 0;
		}
		db_reset(s);
		if (rc != DB_DONE && rc)
			return rc;
		rc = rows < AUDIT_PAGE ? 1 : 0;
	}
	return 0;
}

/* ---- export ---------------------------------------------------------------- */

/* Rows of sql (one parameter: the contact's id) as objects named by the
** columns, each typed by a letter of types: i integer, t text, T a Unix
** time shown as ISO 8601, b a flag (non-NULL). */
static int rows_of(db *d, const char *sql, const char *types, int64_t id, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, sql, "i", id);
	if (!s)
		return e ? e->code : RP_EDB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *o = json_object();
		for (int i = 0; types[i]; i++) {
			json_t *v = types[i] == 'i'   ? col_json_int(s, i)
				    : types[i] == 'T' ? col_json_ts(s, i)
				    : types[i] == 'b' ? json_boolean(!db_col_null(s, i))
						      : col_json_text(s, i);
			json_object_set_new(o, db_col_name(s, i), v);
		}
		json_array_append_new(a, o);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

typedef struct section {
	const char *name;
	const char *sql;   /* the rows, $1 the contact's id; NULL: fn makes the section */
	const char *types; /* see rows_of */
	int (*fn)(db *d, const person *p, int64_t id, json_t **out, rp_err *e);
} section;

static int sec_contact(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)p;
	json_t *a;
	int rc = rows_of(d,
			 "SELECT id, name, address, tier, owner, note, stage, created_at, updated_at, last_touch_at"
			 " FROM contact WHERE id = $1",
			 "itttttt" "TTT", id, &a, e);
	if (rc)
		return rc;
	*out = json_incref(json_array_get(a, 0));
	json_decref(a);
	return *out ? 0 : rp_errf(e, RP_ENOTFOUND, "no contact has id %lld", (long long)id);
}

static int sec_tags(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)p;
	json_t *a;
	int rc = rows_of(d, "SELECT tag FROM contact_tag WHERE contact_id = $1 ORDER BY tag", "t", id, &a, e);
	if (rc)
		return rc;
	*out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) json_array_append(*out, json_object_get(v, "tag"));
	json_decref(a);
	return 0;
}

/* Relations from this contact's side; of the other contact only its id and
** name (its own data is not this person's). */
static int sec_relations(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)p;
	db_stmt *s = db_query(d, e,
			      "SELECT r.kind, r.note, o.id, o.name, 0 FROM relation r JOIN contact o ON o.id = r.b"
			      " WHERE r.a = $1"
			      " UNION ALL SELECT r.kind, r.note, o.id, o.name, 1 FROM relation r"
			      " JOIN contact o ON o.id = r.a WHERE r.b = $1 ORDER BY 3, 1",
			      "i", id);
	if (!s)
		return e ? e->code : RP_EDB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 0);
		if (db_col_int(s, 4) && !strcmp(kind, "referred_by"))
			kind = "referred";
		json_array_append_new(a, json_pack("{s:s,s:o,s:{s:I,s:o}}", "kind", kind, "note", col_json_text(s, 1),
						   "contact", "id", (json_int_t)db_col_int(s, 2), "name",
						   col_json_text(s, 3)));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int audit_collect(db *d, db_stmt *s, void *ctx, rp_err *e)
{
	(void)d, (void)e;
	const char *t = db_col_text(s, 4);
	json_t *target = t ? json_loads(t, 0, NULL) : NULL;
	json_array_append_new(ctx, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:o}", "id", (json_int_t)db_col_int(s, 0),
					     "at", col_json_ts(s, 1), "actor", col_json_text(s, 2), "action",
					     col_json_text(s, 3), "target", target ? target : col_json_text(s, 4),
					     "address", col_json_text(s, 5), "ok", (int)db_col_int(s, 6), "detail",
					     col_json_text(s, 7)));
	return 0;
}

static int sec_audit(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)id;
	json_t *a = json_array();
	int rc = audit_each(d, p, audit_collect, a, e);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Every story they told, with its tags. */
static int sec_stories(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)p;
	json_t *doc;
	int rc = story_list(d, id, NULL, -1, &doc, e);
	if (rc)
		return rc;
	*out = json_incref(json_object_get(doc, "stories"));
	json_decref(doc);
	return 0;
}

/* Every complaint they made, as 'complaint show' has it. */
static int sec_complaints(db *d, const person *p, int64_t id, json_t **out, rp_err *e)
{
	(void)p;
	json_t *doc;
	int rc = complaint_list(d, 0, id, INT64_MAX, &doc, e);
	if (rc)
		return rc;
	*out = json_incref(json_object_get(doc, "complaints"));
	json_decref(doc);
	return 0;
}

/* The document, section by section.  A module that keeps more about a
** person adds its row here (and its rows to privacy_erase). */
static const section sections[] = {
	{"contact", NULL, NULL, sec_contact},
	{"channels", "SELECT id, kind, value, label FROM contact_channel WHERE contact_id = $1 ORDER BY id", "ittt",
	 NULL},
	{"tags", NULL, NULL, sec_tags},
	{"dates",
	 "SELECT id, kind, label, year, month, day FROM contact_date WHERE contact_id = $1 ORDER BY month, day, id",
	 "ittiii", NULL},
	{"relations", NULL, NULL, sec_relations},
	/* The ids other systems know them by (vCard UID, Google resource name). */
	{"external_ids", "SELECT xid, created_at FROM contact_xid WHERE contact_id = $1 ORDER BY xid", "tT", NULL},
	{"facts",
	 "SELECT id, body, follow_up, done_at, created_at, created_by AS \"by\" FROM fact WHERE contact_id = $1"
	 " ORDER BY created_at, id",
	 "ittTTt", NULL},
	{"interactions",
	 "SELECT id, at, kind, direction, minutes, amount, currency, by_user AS \"by\", summary FROM interaction"
	 " WHERE contact_id = $1 ORDER BY at, id",
	 "iTttiittt", NULL},
	{"stories", NULL, NULL, sec_stories},
	/* What they complained of, how fast and how it was answered, and what was made good. */
	{"complaints", NULL, NULL, sec_complaints},
	/* Their place on the panel: interviewed every cadence_days since joined_on. */
	{"panel", "SELECT cadence_days, joined_on, by_user AS \"by\", prior_tier FROM panel WHERE contact_id = $1", "ittt",
	 NULL},
	/* What the last value fit made of them (money in minor units, P(alive)
	** in millionths, the numbers behind it in detail) and whether they were let go. */
	{"value",
	 "SELECT s.fit_id, f.fitted_at, f.currency, s.clv, s.p_alive, s.p_alive_before, s.expected_margin, s.segment,"
	 " s.detail FROM value_score s JOIN value_fit f ON f.id = s.fit_id WHERE s.contact_id = $1",
	 "iTtiiiitt", NULL},
	{"cadence_stop", "SELECT at, by_user AS \"by\", note_interaction FROM cadence_stop WHERE contact_id = $1", "Tti",
	 NULL},
	/* The trust ledger: every act of either side in their relationship with us. */
	{"trust_acts",
	 "SELECT id, on_day AS \"on\", by_side AS \"by\", act, body AS text, interaction_id AS interaction,"
	 " complaint_id AS complaint, recorded_at, by_user AS recorded_by FROM trust_act WHERE contact_id = $1"
	 " ORDER BY on_day, id",
	 "ittttiiTt", NULL},
	{"communities",
	 "SELECT m.community_id AS id, c.name, m.role, m.joined_on FROM community_member m"
	 " JOIN community c ON c.id = m.community_id WHERE m.contact_id = $1 ORDER BY m.joined_on, c.id",
	 "ittt", NULL},
	/* Their traits on the company's value dimensions (values in thousandths
	** of the scale -1..1), whether they were marked one of the best clients,
	** and the intake requests they sent (the form's answers and consent as
	** JSON text, the score in thousandths). */
	{"traits",
	 "SELECT dimension, value, source, set_at, set_by AS \"by\" FROM contact_trait WHERE contact_id = $1"
	 " ORDER BY dimension",
	 "titTt", NULL},
	{"best_client", "SELECT marked_at, marked_by AS \"by\" FROM best_client WHERE contact_id = $1", "Tt", NULL},
	{"intake_requests",
	 "SELECT id, received_at, name, email, phone, message, answers, consent, lang, score, coverage, verdict, reasons,"
	 " status, decided_at, decided_by AS \"by\", reply FROM intake_request WHERE contact_id = $1 ORDER BY id",
	 "iTtttttttiitttTtt", NULL},
	{"consent",
	 "SELECT id, channel, purpose, state, at, how, evidence, by_user AS \"by\" FROM consent WHERE contact_id = $1"
	 " ORDER BY id",
	 "itttTttt", NULL},
	{"stage_moves",
	 "SELECT id, from_stage, to_stage, at, by_user AS \"by\", cause, why, evidence FROM stage_move"
	 " WHERE contact_id = $1 ORDER BY at, id",
	 "ittTtttt", NULL},
	/* Never the token (it is not stored) nor its hash: not the person's. */
	{"consent_links",
	 "SELECT id, channel, purpose, kind, created_at, expires_at, used_at FROM consent_link"
	 " WHERE contact_id = $1 ORDER BY id",
	 "itttTTT", NULL},
	{"outbox",
	 "SELECT id, channel, purpose, address, subject, body, state, reason, created_at, sent_at, by_user AS \"by\""
	 " FROM outbox WHERE contact_id = $1 ORDER BY id",
	 "itttttttTTt", NULL},
	{"audit", NULL, NULL, sec_audit},
};

int privacy_export(db *d, int64_t contact, json_t **out, rp_err *e)
{
	person p;
	int rc = db_begin_read(d, e); /* one snapshot for every section */
	if (rc)
		return rc;
	rc = person_load(d, contact, &p, e);
	char now[21];
	json_t *doc = json_pack("{s:s,s:i,s:s}", "format", "rapport personal data", "version", 1, "exported_at",
				rp_ts_format(rp_now(), now));
	for (size_t i = 0; !rc && i < sizeof sections / sizeof *sections; i++) {
		const section *x = &sections[i];
		json_t *v = NULL;
		rc = x->fn ? x->fn(d, &p, contact, &v, e) : rows_of(d, x->sql, x->types, contact, &v, e);
		if (!rc)
			json_object_set_new(doc, x->name, v);
	}
	person_free(&p);
	db_commit(d, NULL);
	if (rc) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

/* ---- erase ----------------------------------------------------------------- */

/* The tables that hold a person's rows, or held them before the erasure
** rewrote or removed them: their engine's leftovers are removed after the
** commit. */
static const char *const person_tables[] = {
	"contact", "contact_channel", "contact_date", "contact_tag", "relation", "fact", "interaction",
	"story", "story_tag", "panel", "complaint", "value_score", "cadence_stop", "trust_act", "community_member",
	"contact_trait", "best_client", "intake_request", "contact_xid", "consent", "consent_link", "stage_move", "outbox", "audit",
	"merge_journal", "dupe_dismissed", NULL};

typedef struct idv {
	int64_t *v;
	size_t n, cap;
} idv;

/* Note a row to redact; the updates run once the scan is over, so that
** no statement changes the table another is reading. */
static int audit_mark(db *d, db_stmt *s, void *ctx, rp_err *e)
{
	(void)d;
	idv *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int64_t *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return rp_errf(e, RP_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = db_col_int(s, 0);
	return 0;
}

static int audit_redact(db *d, const person *p, int64_t *n, rp_err *e)
{
	idv l = {0};
	int rc = audit_each(d, p, audit_mark, &l, e);
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = db_run(d, e, "UPDATE audit SET target = $2, detail = NULL WHERE id = $1", "it", l.v[i],
			    ERASED_MARK);
	*n = (int64_t)l.n;
	free(l.v);
	return rc;
}

/* Outbox rows to the person stay, for the counts of what was sent,
** refused and failed, without anything that says who they were for. */
static int outbox_anonymise(db *d, const person *p, int64_t id, int64_t *n, rp_err *e)
{
	/* A failure reason may quote the address (a mail server's answer). */
	db_stmt *s = db_query(d, e, "SELECT id, reason FROM outbox WHERE contact_id = $1 AND reason IS NOT NULL", "i",
			      id);
	if (!s)
		return e ? e->code : RP_EDB;
	int64_t quoting[256];
	size_t nq = 0;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		if (nq < 256 && text_names(p, db_col_text(s, 1)))
			quoting[nq++] = db_col_int(s, 0);
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	for (size_t i = 0; i < nq; i++)
		if ((rc = db_run(d, e, "UPDATE outbox SET reason = NULL WHERE id = $1", "i", quoting[i])))
			return rc;
	if (nq == 256 && (rc = db_run(d, e, "UPDATE outbox SET reason = NULL WHERE contact_id = $1", "i", id)))
		return rc;
	if ((rc = db_run(d, e,
			 "UPDATE outbox SET contact_id = NULL, address = NULL, subject = NULL, body = NULL"
			 " WHERE contact_id = $1",
			 "i", id)))
		return rc;
	*n = db_changes(d);
	/* Messages addressed to them that name no contact (another contact
	** who shares the address keeps their own messages). */
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < p->channels[k].n; i++) {
			rc = db_run(d, e,
				    "UPDATE outbox SET address = NULL, subject = NULL, body = NULL, reason = NULL"
				    " WHERE address = $1 AND contact_id IS NULL",
				    "t", p->channels[k].v[i]);
			if (rc)
				return rc;
			*n += db_changes(d);
		}
	return 0;
}

int privacy_erase(db *d, int64_t contact, int rewrite, json_t **report, rp_err *e)
{
	person p;
	int64_t suppressed = 0, outbox = 0, moves = 0, audit = 0;
	int rc = db_secure_delete(d, 1, e); /* before the deletes free anything */
	if (rc)
		return rc;
	if ((rc = db_begin(d, e))) {
		db_secure_delete(d, 0, NULL);
		return rc;
	}
	rc = person_load(d, contact, &p, e);
	/* Suppression first: the key is made inside this transaction, so an
	** erasure that fails leaves neither. */
	unsigned char key[32] = {0};
	if (!rc && (p.channels[0].n || p.channels[1].n))
		rc = store_key(d, 1, key, e);
	static const char *const kinds[2] = {"email", "phone"};
	int64_t now = rp_now();
	for (int k = 0; !rc && k < 2; k++)
		for (size_t i = 0; !rc && i < p.channels[k].n; i++) {
			char hash[65];
			keyed_hash(key, kinds[k], p.channels[k].v[i], hash);
			rc = db_run(d, e,
				    "INSERT INTO suppression(hash, kind, at) VALUES ($1, $2, $3)"
				    " ON CONFLICT (hash) DO UPDATE SET at = excluded.at",
				    "tti", hash, kinds[k], now);
			suppressed++;
		}
	sodium_memzero(key, sizeof key);
	if (!rc)
		rc = outbox_anonymise(d, &p, contact, &outbox, e);
	/* The funnel counts moves between stages: they stay, anonymous (the
	** foreign key would clear contact_id; why and evidence are about them). */
	if (!rc && !(rc = db_run(d, e,
				 "UPDATE stage_move SET contact_id = NULL, why = NULL, evidence = NULL WHERE contact_id = $1",
				 "i", contact)))
		moves = db_changes(d);
	if (!rc)
		rc = audit_redact(d, &p, &audit, e);
	/* Requests they sent through the intake form that no one accepted
	** carry their address too (an accepted one goes with the contact). */
	if (!rc)
		rc = db_run(d, e,
			    "DELETE FROM intake_request WHERE email IN (SELECT value FROM contact_channel WHERE contact_id = $1"
			    " AND kind = 'email') OR phone IN (SELECT value FROM contact_channel WHERE contact_id = $1"
			    " AND kind = 'phone')",
			    "i", contact);
	/* A merge's journal holds copies of their rows, for an undo. */
	if (!rc)
		rc = merge_forget(d, contact, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM contact WHERE id = $1", "i", contact);
	if (!rc)
		rc = webhook_enqueue(d, "contact.erased", json_pack("{s:I}", "contact", (json_int_t)contact), e);
	person_free(&p);
	if (rc) {
		db_rollback(d);
		db_secure_delete(d, 0, NULL);
		return rc;
	}
	if ((rc = db_commit(d, e))) {
		db_secure_delete(d, 0, NULL);
		return rc;
	}
	/* No count of their stories' words stays in memory past the next
	** similar-stories question (similar.c counts again). */
	story_generation++;
	/* The erasure stands once committed; what the engine still holds is
	** removed now, and a failure here is reported, not undone. */
	char done[300];
	rp_err te = {0};
	if (db_erase_traces(d, person_tables, rewrite, done, sizeof done, &te))
		snprintf(done, sizeof done, "not removed: %.250s", te.msg);
	db_secure_delete(d, 0, NULL);
	*report = json_pack("{s:I,s:b,s:I,s:I,s:I,s:I,s:s}", "id", (json_int_t)contact, "erased", 1, "suppressed",
			    (json_int_t)suppressed, "outbox", (json_int_t)outbox, "stage_moves", (json_int_t)moves,
			    "audit", (json_int_t)audit, "traces", done);
	return 0;
}
