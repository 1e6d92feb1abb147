/*
** contact: people and organisations, and what we remember about them:
** names in any script (with a folded key for search), form of address,
** channels, yearly dates, tags, relations, facts, closeness tier, owner.
*/
#include "core/core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/fold.h"

static const char *const tiers[] = {"panel", "close", "regular", "distant", NULL};
static const char *const addresses[] = {"ty", "vy", NULL};
static const char *const date_kinds[] = {"birthday", "anniversary", "other", NULL};
static const char *const relation_kinds[] = {"family", "friend", "colleague", "referred_by", NULL};

int contact_check_tier(const char *tier, rp_err *e)
{
	char buf[128];
	if (tier && !one_of(tier, tiers))
		return rp_errf(e, RP_EINVAL, "tier \"%s\" is not one of %s", tier,
			       words_list(tiers, buf, sizeof buf));
	return 0;
}

int contact_check_address(const char *address, rp_err *e)
{
	if (address && *address && !one_of(address, addresses))
		return rp_errf(e, RP_EINVAL,
			       "form of address \"%s\" is not ty or vy (ty: informal «ты», vy: formal «вы»)",
			       address);
	return 0;
}

char *contact_name_key(const char *name)
{
	char *t = str_trim(name);
	if (!t)
		return NULL;
	/* Collapse inner runs of white space so "Анна  Иванова" == "Анна Иванова". */
	char *o = t;
	for (char *p = t; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (o > t && o[-1] == ' ')
				continue;
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	char *k = rp_fold(t, strlen(t), NULL);
	free(t);
	return k;
}

/* ---- channels ---------------------------------------------------------- */

static int check_email(const char *v, rp_err *e)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    strpbrk(v, " \t\r\n,;<>\"") || at[strlen(at) - 1] == '.')
		return rp_errf(e, RP_EINVAL, "email \"%s\" is not an address like name@example.org", v);
	return 0;
}

/* Phones are kept as '+' and digits; spaces, dashes, dots and brackets are
** dropped.  (Region-aware E.164 normalisation belongs to the importers.) */
static int normalise_phone(const char *v, char *out, size_t size, rp_err *e)
{
	size_t n = 0, digits = 0;
	for (const char *p = v; *p; p++) {
		if (*p == '+' && n == 0) {
			out[n++] = '+';
		} else if (isdigit((unsigned char)*p)) {
			if (n + 2 >= size)
				break;
			out[n++] = *p;
			digits++;
		} else if (!strchr(" -.()\t", *p)) {
			return rp_errf(e, RP_EINVAL,
				       "phone \"%s\" has a character that is not a digit; write it like +79161234567",
				       v);
		}
	}
	out[n] = 0;
	if (digits < 3 || digits > 15)
		return rp_errf(e, RP_EINVAL, "phone \"%s\" should have 3 to 15 digits, like +79161234567",
			       v);
	return 0;
}

/* Put one channel value into canonical form in buf (size bytes). */
int contact_channel_value(const char *kind, const char *raw, char *buf, size_t size, rp_err *e)
{
	char *v = str_trim(raw);
	if (!v)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = 0;
	if (!*v)
		rc = rp_errf(e, RP_EINVAL, "an empty %s was given", kind);
	else if (strlen(v) >= size)
		rc = rp_errf(e, RP_EINVAL, "%s is too long (at most %zu bytes)", kind, size - 1);
	else if ((rc = check_text(kind, v, size - 1, e)))
		;
	else if (!strcmp(kind, "email")) {
		if (!(rc = check_email(v, e))) {
			/* Kept in lower case: the domain is case-insensitive, and mail
			** systems treat the local part so too, so "Anna@Example.org"
			** and "anna@example.org" are one address for matching. */
			for (char *p = v; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			snprintf(buf, size, "%s", v);
		}
	} else if (!strcmp(kind, "phone")) {
		rc = normalise_phone(v, buf, size, e);
	} else {
		snprintf(buf, size, "%s", v);
	}
	free(v);
	return rc;
}

static int channels_add(db *d, int64_t id, const char *kind, const rp_strs *l, rp_err *e)
{
	for (size_t i = 0; i < l->n; i++) {
		char v[512];
		int rc = contact_channel_value(kind, l->v[i], v, sizeof v, e);
		if (!rc)
			rc = db_run(d, e,
				    "INSERT INTO contact_channel(contact_id, kind, value) VALUES ($1, $2, $3)"
				    " ON CONFLICT (contact_id, kind, value) DO NOTHING",
				    "itt", id, kind, v);
		if (rc)
			return rc;
	}
	return 0;
}

static int channels_rm(db *d, int64_t id, const char *kind, const rp_strs *l, rp_err *e)
{
	for (size_t i = 0; i < l->n; i++) {
		char v[512];
		int rc = contact_channel_value(kind, l->v[i], v, sizeof v, e);
		if (!rc)
			rc = db_run(d, e,
				    "DELETE FROM contact_channel WHERE contact_id = $1 AND kind = $2 AND value = $3",
				    "itt", id, kind, v);
		if (rc)
			return rc;
		if (db_changes(d) == 0)
			return rp_errf(e, RP_ENOTFOUND, "the contact has no %s \"%s\"", kind, v);
	}
	return 0;
}

/* Tags are folded (case, ё) so "VIP" and "vip" are one tag. */
char *tag_key(const char *raw, rp_err *e)
{
	char *t = str_trim(raw);
	if (!t) {
		rp_errf(e, RP_ENOMEM, "out of memory");
		return NULL;
	}
	char *k = NULL;
	if (!*t || strpbrk(t, ";,\n\r\t"))
		rp_errf(e, RP_EINVAL, "tag \"%s\" must be a non-empty word without ; , or line breaks", t);
	else if (strlen(t) > 64)
		rp_errf(e, RP_EINVAL, "tag \"%s\" is longer than 64 bytes", t);
	else if (!(k = rp_fold(t, strlen(t), NULL)))
		rp_errf(e, RP_EINVAL, "tag is not valid UTF-8 text");
	free(t);
	return k;
}

static int tags_change(db *d, int64_t id, const rp_strs *l, int add, rp_err *e)
{
	for (size_t i = 0; i < l->n; i++) {
		char *k = tag_key(l->v[i], e);
		if (!k)
			return e->code;
		int rc = db_run(d, e,
				add ? "INSERT INTO contact_tag(contact_id, tag) VALUES ($1, $2)"
				      " ON CONFLICT (contact_id, tag) DO NOTHING"
				    : "DELETE FROM contact_tag WHERE contact_id = $1 AND tag = $2",
				"it", id, k);
		if (!rc && !add && db_changes(d) == 0)
			rc = rp_errf(e, RP_ENOTFOUND, "the contact has no tag \"%s\"", k);
		free(k);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- dates --------------------------------------------------------------- */

static int parse_yearly(const char *what, const char *s, rp_date *out, rp_err *e)
{
	if (rp_date_parse(s, 1, out) < 0)
		return rp_errf(e, RP_EINVAL,
			       "%s \"%s\" is not a date; write YYYY-MM-DD, or --MM-DD when the year is unknown",
			       what, s);
	rp_date t = rp_today();
	if (out->y && rp_days_from_civil(out->y, out->m, out->d) > rp_days_from_civil(t.y, t.m, t.d))
		return rp_errf(e, RP_EINVAL, "%s %s is in the future", what, s);
	if (out->y && out->y < 1850)
		return rp_errf(e, RP_EINVAL, "%s %s is too far in the past", what, s);
	return 0;
}

static int date_put(db *d, int64_t id, const char *kind, rp_date dt, const char *label, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "INSERT INTO contact_date(contact_id, kind, label, year, month, day, md, tier, owner)"
			      " SELECT $1, $2, $3, $4, $5, $6, $7, tier, owner FROM contact WHERE id = $1",
			      "ittniii", id, kind, label, (int64_t)dt.m, (int64_t)dt.d,
			      (int64_t)(dt.m * 100 + dt.d));
	if (!s)
		return e->code;
	if (dt.y)
		db_bind_int(s, 4, dt.y);
	int rc = db_step(s, e);
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int birthday_set(db *d, int64_t id, const char *b, rp_err *e)
{
	int rc = db_run(d, e, "DELETE FROM contact_date WHERE contact_id = $1 AND kind = 'birthday'",
			"i", id);
	if (rc || !*b || !strcmp(b, "none"))
		return rc;
	rp_date dt;
	if ((rc = parse_yearly("birthday", b, &dt, e)))
		return rc;
	return date_put(d, id, "birthday", dt, NULL, e);
}

int contact_date_add(db *d, int64_t id, const char *kind, const char *date, const char *label,
		     rp_err *e)
{
	char buf[128];
	rp_date dt;
	int rc;
	if (!one_of(kind, date_kinds))
		return rp_errf(e, RP_EINVAL, "date kind \"%s\" is not one of %s", kind,
			       words_list(date_kinds, buf, sizeof buf));
	if (!strcmp(kind, "birthday"))
		return rp_errf(e, RP_EINVAL,
			       "a birthday is set with 'rapport contact edit CONTACT --birthday DATE'");
	if ((rc = check_text("label", label, 200, e)) || (rc = parse_yearly(kind, date, &dt, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t one;
	rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1", "i", id);
	if (rc == RP_ENOTFOUND)
		rp_errf(e, rc, "no contact has id %lld", (long long)id);
	if (!rc)
		rc = date_put(d, id, kind, dt, label, e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* ---- add, edit, remove --------------------------------------------------- */

static int apply_lists(db *d, int64_t id, const contact_in *in, rp_err *e)
{
	int rc;
	if ((rc = channels_add(d, id, "email", &in->email, e)) ||
	    (rc = channels_add(d, id, "phone", &in->phone, e)) ||
	    (rc = channels_add(d, id, "messenger", &in->messenger, e)) ||
	    (rc = channels_add(d, id, "address", &in->postal, e)) ||
	    (rc = channels_rm(d, id, "email", &in->rm_email, e)) ||
	    (rc = channels_rm(d, id, "phone", &in->rm_phone, e)) ||
	    (rc = channels_rm(d, id, "messenger", &in->rm_messenger, e)) ||
	    (rc = channels_rm(d, id, "address", &in->rm_postal, e)) ||
	    (rc = tags_change(d, id, &in->tag, 1, e)) || (rc = tags_change(d, id, &in->rm_tag, 0, e)))
		return rc;
	if (in->birthday)
		return birthday_set(d, id, in->birthday, e);
	return 0;
}

static int check_fields(const contact_in *in, rp_err *e)
{
	int rc;
	if ((rc = contact_check_tier(in->tier, e)) || (rc = contact_check_address(in->address, e)) ||
	    (rc = check_text("name", in->name, 1000, e)) || (rc = check_text("note", in->note, 100000, e)) ||
	    (rc = check_text("owner", in->owner, 200, e)))
		return rc;
	return 0;
}

int contact_add(db *d, const contact_in *in, int64_t *id, rp_err *e)
{
	int rc;
	if (str_blank(in->name))
		return rp_errf(e, RP_EINVAL, "a contact needs a name");
	if ((rc = check_fields(in, e)))
		return rc;
	char *name = str_trim(in->name), *key = contact_name_key(in->name);
	if (!name || !key) {
		free(name);
		free(key);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	int64_t now = rp_now();
	if ((rc = db_begin(d, e)))
		goto out;
	if (in->id < 0) {
		rc = rp_errf(e, RP_EINVAL, "a contact id must be a positive number");
		db_rollback(d);
		goto out;
	}
	/* An erased person's email or phone is not taken back silently. */
	if ((rc = privacy_admit(d, in, e))) {
		db_rollback(d);
		goto out;
	}
	rc = db_one_int(d, e, id,
			in->id ? "INSERT INTO contact(name, name_key, address, tier, owner, note, created_at,"
				 " updated_at, last_touch_at, id)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $8) RETURNING id"
			       : "INSERT INTO contact(name, name_key, address, tier, owner, note, created_at,"
				 " updated_at, last_touch_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)"
				 " RETURNING id",
			in->id ? "tttttti" "i" : "tttttti", name, key, in->address && *in->address ? in->address : NULL,
			in->tier ? in->tier : "regular", in->owner && *in->owner ? in->owner : NULL,
			in->note && *in->note ? in->note : NULL, now, in->id);
	if (rc == RP_ECONFLICT && in->id)
		rc = rp_errf(e, RP_ECONFLICT, "a contact with id %lld already exists", (long long)in->id);
	if (!rc)
		rc = apply_lists(d, *id, in, e);
	if (!rc)
		rc = webhook_enqueue(d, "contact.created", json_pack("{s:I}", "contact", (json_int_t)*id), e);
	if (rc)
		db_rollback(d);
	else
		rc = db_commit(d, e);
out:
	free(name);
	free(key);
	return rc;
}

int contact_exists(db *d, int64_t id, rp_err *e)
{
	int64_t one;
	int rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1", "i", id);
	if (rc == RP_ENOTFOUND)
		rp_errf(e, rc, "no contact has id %lld; find one with 'rapport contact list'", (long long)id);
	return rc;
}

int contact_edit(db *d, int64_t id, const contact_in *in, rp_err *e)
{
	int rc;
	if (in->name && str_blank(in->name))
		return rp_errf(e, RP_EINVAL, "a contact's name cannot be empty");
	if ((rc = check_fields(in, e)))
		return rc;
	char *name = in->name ? str_trim(in->name) : NULL;
	char *key = in->name ? contact_name_key(in->name) : NULL;
	if (in->name && (!name || !key)) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = db_begin(d, e)))
		goto out;
	if (!(rc = contact_exists(d, id, e)))
		rc = db_run(d, e,
			    "UPDATE contact SET"
			    " name = coalesce($2, name), name_key = coalesce($3, name_key),"
			    " address = CASE WHEN $4 IS NULL THEN address WHEN $4 = '' THEN NULL ELSE $4 END,"
			    " tier = coalesce($5, tier),"
			    " owner = CASE WHEN $6 IS NULL THEN owner WHEN $6 = '' THEN NULL ELSE $6 END,"
			    " note = CASE WHEN $7 IS NULL THEN note WHEN $7 = '' THEN NULL ELSE $7 END,"
			    " updated_at = $8 WHERE id = $1",
			    "itttttti", id, name, key, in->address, in->tier, in->owner, in->note,
			    rp_now());
	if (!rc)
		rc = privacy_admit(d, in, e);
	if (!rc && (in->tier || in->owner))
		rc = db_run(d, e,
			    "UPDATE contact_date SET tier = (SELECT tier FROM contact WHERE id = $1),"
			    " owner = (SELECT owner FROM contact WHERE id = $1) WHERE contact_id = $1",
			    "i", id);
	if (!rc)
		rc = apply_lists(d, id, in, e);
	if (!rc)
		rc = webhook_enqueue(d, "contact.updated", json_pack("{s:I}", "contact", (json_int_t)id), e);
	if (rc)
		db_rollback(d);
	else
		rc = db_commit(d, e);
out:
	free(name);
	free(key);
	return rc;
}

int contact_rm(db *d, int64_t id, rp_err *e)
{
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	if (!(rc = contact_exists(d, id, e)) && !(rc = merge_forget(d, id, e)))
		rc = db_run(d, e, "DELETE FROM contact WHERE id = $1", "i", id);
	if (!rc)
		rc = webhook_enqueue(d, "contact.erased", json_pack("{s:I}", "contact", (json_int_t)id), e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	/* Their stories' words leave the counts similar.c keeps. */
	story_generation++;
	return 0;
}

/* Fold other into keep: one person entered twice (an import, two team
** members).  Everything known about other moves to keep, where keep does
** not already know it (keep's birthday and card fields win, notes are
** joined, and a different birthday of other's stays as another date; the
** higher stage on the ladder wins, and the stage moves and consents of both
** are kept, and so are the complaints of both; other's place on the panel
** becomes keep's unless keep has one), and other is removed, all in one
** transaction that also writes the merge's journal (core/merge.c), from
** which 'merge undo' puts every row back.
**
** Each rule names its table: merge_covers tells test_merge that every table
** referring to contacts has one.  A rule without SQL is done in code
** (ladder_merge, panel_merge) or is a deliberate drop (the duplicate's rows
** go with it, and the journal keeps them for an undo). */
static const struct {
	const char *table, *sql;
} merge_rules[] = {
	{"stage_move", NULL}, /* ladder_merge */
	{"panel", NULL},      /* panel_merge */
	{"contact_channel", "INSERT INTO contact_channel(contact_id, kind, value, label)"
			    " SELECT $1, kind, value, label FROM contact_channel WHERE contact_id = $2 ORDER BY id"
			    " ON CONFLICT (contact_id, kind, value) DO NOTHING"},
	{"contact_tag", "INSERT INTO contact_tag(contact_id, tag) SELECT $1, tag FROM contact_tag WHERE contact_id = $2"
			" ON CONFLICT (contact_id, tag) DO NOTHING"},
	/* A second, different birthday is not thrown away: it stays as a date. */
	{"contact_date", "UPDATE contact_date SET kind = 'other', label = coalesce(label, 'birthday')"
			 " WHERE contact_id = $2 AND kind = 'birthday' AND EXISTS (SELECT 1 FROM contact_date k"
			 "  WHERE k.contact_id = $1 AND k.kind = 'birthday' AND (k.month <> contact_date.month"
			 "   OR k.day <> contact_date.day OR coalesce(k.year, contact_date.year, 0)"
			 "    <> coalesce(contact_date.year, k.year, 0)))"},
	{"contact_date", "UPDATE contact_date SET contact_id = $1,"
			 " tier = (SELECT tier FROM contact WHERE id = $1), owner = (SELECT owner FROM contact WHERE id = $1)"
			 " WHERE contact_id = $2 AND (kind <> 'birthday'"
			 "  OR NOT EXISTS (SELECT 1 FROM contact_date k WHERE k.contact_id = $1 AND k.kind = 'birthday'))"},
	/* A relation between the two would become one with themselves: it goes. */
	{"relation", "INSERT INTO relation(a, b, kind, note) SELECT $1, b, kind, note FROM relation WHERE a = $2 AND b <> $1"
		     " ON CONFLICT (a, b, kind) DO NOTHING"},
	{"relation", "INSERT INTO relation(a, b, kind, note) SELECT a, $1, kind, note FROM relation WHERE b = $2 AND a <> $1"
		     " ON CONFLICT (a, b, kind) DO NOTHING"},
	{"fact", "UPDATE fact SET contact_id = $1 WHERE contact_id = $2"},
	{"interaction", "UPDATE interaction SET contact_id = $1 WHERE contact_id = $2"},
	{"story", "UPDATE story SET contact_id = $1 WHERE contact_id = $2"},
	/* Both external ids name the one person now: a later import of either
	** system's file updates keep. */
	{"contact_xid", "UPDATE contact_xid SET contact_id = $1 WHERE contact_id = $2"},
	{"complaint", "UPDATE complaint SET contact_id = $1 WHERE contact_id = $2"},
	/* The ledger is both people's history with us; a membership moves
	** unless keep is a member already (other's then goes with other). */
	{"trust_act", "UPDATE trust_act SET contact_id = $1 WHERE contact_id = $2"},
	{"community_member", "UPDATE community_member SET contact_id = $1 WHERE contact_id = $2 AND NOT EXISTS (SELECT 1"
			     " FROM community_member k WHERE k.contact_id = $1"
			     " AND k.community_id = community_member.community_id)"},
	/* The consent history is the proof of what the person agreed to, and a
	** link already sent to them must still work. */
	{"consent", "UPDATE consent SET contact_id = $1 WHERE contact_id = $2"},
	{"consent_link", "UPDATE consent_link SET contact_id = $1 WHERE contact_id = $2"},
	{"outbox", "UPDATE outbox SET contact_id = $1 WHERE contact_id = $2"},
	/* The duplicate's value scores go (keep's stay until the next fit,
	** which scores the joined purchases); a let-go stays when keep has none. */
	{"value_score", "DELETE FROM value_score WHERE contact_id = $2"},
	{"cadence_stop", "UPDATE cadence_stop SET contact_id = $1 WHERE contact_id = $2"
			 " AND NOT EXISTS (SELECT 1 FROM cadence_stop k WHERE k.contact_id = $1)"},
	/* A trait keep has stays keep's (the person kept is the one looked
	** at); the duplicate's others move.  A best-client mark moves; the
	** intake request that made the duplicate now names keep. */
	{"contact_trait", "UPDATE contact_trait SET contact_id = $1 WHERE contact_id = $2 AND NOT EXISTS (SELECT 1 FROM"
			  " contact_trait k WHERE k.contact_id = $1 AND k.dimension = contact_trait.dimension)"},
	{"best_client", "UPDATE best_client SET contact_id = $1 WHERE contact_id = $2"
			" AND NOT EXISTS (SELECT 1 FROM best_client k WHERE k.contact_id = $1)"},
	{"intake_request", "UPDATE intake_request SET contact_id = $1 WHERE contact_id = $2"},
	/* "Not duplicates" was said of the duplicate and someone else; whether
	** it holds of keep is for a person to say again. */
	{"dupe_dismissed", NULL},
	{"contact", "UPDATE contact SET"
		    " address = coalesce(contact.address, o.address), owner = coalesce(contact.owner, o.owner),"
		    " note = CASE WHEN contact.note IS NULL THEN o.note WHEN o.note IS NULL THEN contact.note"
		    "  ELSE contact.note || ' / ' || o.note END,"
		    " created_at = CASE WHEN o.created_at < contact.created_at THEN o.created_at ELSE contact.created_at END,"
		    " last_touch_at = CASE WHEN o.last_touch_at > contact.last_touch_at THEN o.last_touch_at"
		    "  ELSE contact.last_touch_at END,"
		    " updated_at = $3"
		    " FROM contact o WHERE contact.id = $1 AND o.id = $2"},
	{"contact_date", "UPDATE contact_date SET owner = (SELECT owner FROM contact WHERE id = $1) WHERE contact_id = $1"},
	{"contact", "DELETE FROM contact WHERE id = $2"},
};

int merge_covers(const char *table)
{
	for (size_t i = 0; i < sizeof merge_rules / sizeof *merge_rules; i++)
		if (!strcmp(merge_rules[i].table, table))
			return 1;
	return 0;
}

int merge_contacts(db *d, int64_t keep, int64_t other, const char *by, int64_t *journal, rp_err *e)
{
	if (keep == other)
		return rp_errf(e, RP_EINVAL, "a contact cannot be merged into itself; name two different contacts");
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	merge_capture m = {0};
	int64_t id = 0;
	if (!(rc = contact_exists(d, keep, e)))
		rc = contact_exists(d, other, e);
	int64_t now = rp_now();
	if (!rc)
		rc = merge_begin(d, &m, keep, other, e);
	if (!rc)
		rc = ladder_merge(d, keep, other, e); /* the higher stage, both histories */
	if (!rc)
		rc = panel_merge(d, keep, other, e); /* before the dates take keep's tier */
	for (size_t i = 0; !rc && i < sizeof merge_rules / sizeof *merge_rules; i++) {
		const char *q = merge_rules[i].sql;
		if (q)
			rc = db_run(d, e, q, strstr(q, "$3") ? "iii" : strstr(q, "$2") ? "ii" : "i", keep, other, now);
	}
	if (!rc)
		rc = merge_end(d, &m, by, &id, e);
	merge_capture_free(&m);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	if (journal)
		*journal = id;
	return 0;
}

int contact_merge(db *d, int64_t keep, int64_t other, rp_err *e)
{
	return merge_contacts(d, keep, other, NULL, NULL, e);
}

/* ---- naming a contact ------------------------------------------------- */

/* Fill e with RP_EAMBIG listing the rows of s (id, name). */
static int ambiguous(db_stmt *s, const char *ref, rp_err *e)
{
	rp_buf b = {0};
	int n = 0, rc;
	rp_buf_printf(&b, "\"%s\" matches several contacts:", ref);
	while ((rc = db_step(s, NULL)) == DB_ROW) {
		if (++n > 8) {
			rp_buf_puts(&b, "\n  ...");
			break;
		}
		rp_buf_printf(&b, "\n  %lld  %s", (long long)db_col_int(s, 0), db_col_text(s, 1));
	}
	rp_buf_puts(&b, "\nname one by its id, or by a longer part of the name");
	rp_errf(e, RP_EAMBIG, "%s", b.oom ? "the name matches several contacts" : b.p);
	rp_buf_free(&b);
	return RP_EAMBIG;
}

int contact_resolve(db *d, const char *ref, int64_t *id, rp_err *e)
{
	char *t = str_trim(ref);
	if (!t)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc;
	if (!*t) {
		rc = rp_errf(e, RP_EINVAL, "no contact named; give an id or a part of a name");
		goto out;
	}
	if (str_digits(t)) {
		if (strlen(t) > 18) {
			rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %s", t);
			goto out;
		}
		*id = strtoll(t, NULL, 10);
		rc = db_one_int(d, e, id, "SELECT id FROM contact WHERE id = $1", "i", *id);
		if (rc == RP_ENOTFOUND)
			rp_errf(e, rc, "no contact has id %s; try 'rapport contact list'", t);
		goto out;
	}
	char *key = contact_name_key(t);
	if (!key) {
		rc = rp_errf(e, RP_EINVAL, "the name is not valid UTF-8 text");
		goto out;
	}
	/* An exact name wins over names that merely contain it. */
	static const char *exact = "SELECT id, name FROM contact WHERE name_key = $1 ORDER BY id LIMIT 9";
	static const char *part =
		"SELECT id, name FROM contact WHERE name_key LIKE $1 ESCAPE '\\' ORDER BY name_key, id LIMIT 9";
	char *pat = like_pattern(key);
	for (int pass = 0; pass < 2; pass++) {
		db_stmt *s = db_query(d, e, pass ? part : exact, "t", pass ? pat : key);
		if (!s) {
			rc = e->code;
			break;
		}
		int n = 0;
		while ((rc = db_step(s, e)) == DB_ROW && n < 2)
			if (n++ == 0)
				*id = db_col_int(s, 0);
		db_reset(s);
		if (rc != DB_ROW && rc != DB_DONE)
			break;
		rc = 0;
		if (n == 1)
			break;
		if (n > 1) {
			s = db_query(d, e, pass ? part : exact, "t", pass ? pat : key);
			rc = s ? ambiguous(s, t, e) : e->code;
			db_reset(s);
			break;
		}
		if (pass == 1) {
			rc = rp_errf(e, RP_ENOTFOUND,
				     "no contact matches \"%s\"; try 'rapport contact list --name %s' or 'rapport search %s'",
				     t, t, t);
		}
	}
	free(pat);
	free(key);
out:
	free(t);
	return rc;
}

/* ---- reading -------------------------------------------------------------- */

/* A yearly date as JSON: {kind, label, date, age?} with today's age. */
static json_t *date_json(db_stmt *s, int kind_col)
{
	rp_date dt = {(int)db_col_int(s, kind_col + 2), (int)db_col_int(s, kind_col + 3),
		      (int)db_col_int(s, kind_col + 4)};
	char buf[11];
	json_t *o = json_pack("{s:o,s:o,s:s}", "kind", col_json_text(s, kind_col), "label",
			      col_json_text(s, kind_col + 1), "date", rp_date_format(dt, buf));
	if (dt.y) {
		rp_date t = rp_today();
		int age = t.y - dt.y - (t.m < dt.m || (t.m == dt.m && t.d < dt.d));
		json_object_set_new(o, "years", json_integer(age));
	}
	return o;
}

/* A story as the card shows it. */
static json_t *story_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "told_on", col_json_text(s, 1),
			 "kind", col_json_text(s, 2), "tone", col_json_text(s, 3), "text", col_json_text(s, 4));
}

int contact_card(db *d, int64_t id, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT id, name, address, tier, owner, note, created_at, updated_at,"
			      " last_touch_at, stage FROM contact WHERE id = $1",
			      "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc != DB_ROW) {
		db_reset(s);
		if (rc == DB_DONE)
			rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld", (long long)id);
		return rc;
	}
	json_t *c = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)id, "name",
			      col_json_text(s, 1), "address", col_json_text(s, 2), "tier",
			      col_json_text(s, 3), "owner", col_json_text(s, 4), "note",
			      col_json_text(s, 5), "created_at", col_json_ts(s, 6), "updated_at",
			      col_json_ts(s, 7), "last_touch_at", col_json_ts(s, 8));
	json_object_set_new(c, "stage", col_json_text(s, 9));
	db_reset(s);

	/* Channels and tags in one statement: the card is the API's busiest read. */
	static const char *const lists[][2] = {{"email", "emails"}, {"phone", "phones"}, {"messenger", "messengers"},
					       {"address", "postal"}, {"tag", "tags"}};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		json_object_set_new(c, lists[i][1], json_array());
	s = db_query(d, e,
		     "SELECT kind, value FROM (SELECT kind, value, id AS k FROM contact_channel WHERE contact_id = $1"
		     " UNION ALL SELECT 'tag', tag, 0 FROM contact_tag WHERE contact_id = $1) AS x ORDER BY kind, k, value",
		     "i", id);
	if (!s)
		goto fail_code;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 0);
		for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
			if (!strcmp(kind, lists[i][0]))
				json_array_append_new(json_object_get(c, lists[i][1]), json_string(db_col_text(s, 1)));
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;

	/* dates: the birthday on its own, the others as a list */
	json_object_set_new(c, "birthday", json_null());
	json_t *dates = json_array();
	json_object_set_new(c, "dates", dates);
	s = db_query(d, e,
		     "SELECT kind, label, year, month, day FROM contact_date WHERE contact_id = $1"
		     " ORDER BY month, day, id",
		     "i", id);
	if (!s)
		goto fail_code;
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *dj = date_json(s, 0);
		if (!strcmp(db_col_text(s, 0), "birthday")) {
			json_object_set(c, "birthday", json_object_get(dj, "date"));
			json_t *years = json_object_get(dj, "years");
			if (years)
				json_object_set(c, "age", years);
		}
		json_array_append_new(dates, dj);
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;

	/* The latest stories only: a client with many keeps the rest in 'story list'. */
	json_t *stories;
	s = db_query(d, e,
		     "SELECT id, told_on, kind, tone, body FROM story WHERE contact_id = $1"
		     " ORDER BY told_on DESC, id DESC LIMIT 10",
		     "i", id);
	if (!s)
		goto fail_code;
	if ((rc = rows_json(s, story_row, &stories, e)))
		goto fail;
	json_object_set_new(c, "stories", stories);

	json_t *facts = json_array();
	json_object_set_new(c, "facts", facts);
	s = db_query(d, e,
		     "SELECT id, body, follow_up, done_at, created_at, created_by FROM fact"
		     " WHERE contact_id = $1 ORDER BY created_at DESC, id DESC",
		     "i", id);
	if (!s)
		goto fail_code;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(facts, json_pack("{s:I,s:o,s:o,s:b,s:o,s:o}", "id",
						       (json_int_t)db_col_int(s, 0), "body",
						       col_json_text(s, 1), "follow_up", col_json_text(s, 2),
						       "done", !db_col_null(s, 3), "created_at",
						       col_json_ts(s, 4), "by", col_json_text(s, 5)));
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;

	/* Relations read from this contact's side: "referred_by" when a = id,
	** "referred" when b = id; symmetric kinds read the same both ways. */
	json_t *rel = json_array();
	json_object_set_new(c, "relations", rel);
	s = db_query(d, e,
		     "SELECT r.kind, r.note, o.id, o.name, 0 FROM relation r JOIN contact o ON o.id = r.b"
		     " WHERE r.a = $1"
		     " UNION ALL SELECT r.kind, r.note, o.id, o.name, 1 FROM relation r"
		     " JOIN contact o ON o.id = r.a WHERE r.b = $1 ORDER BY 4",
		     "i", id);
	if (!s)
		goto fail_code;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 0);
		if (db_col_int(s, 4) && !strcmp(kind, "referred_by"))
			kind = "referred";
		json_array_append_new(rel, json_pack("{s:s,s:o,s:{s:I,s:o}}", "kind", kind, "note",
						     col_json_text(s, 1), "contact", "id",
						     (json_int_t)db_col_int(s, 2), "name",
						     col_json_text(s, 3)));
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;

	/* What the last value fit made of them: one lookup by primary key. */
	json_t *value;
	if ((rc = value_card(d, id, NULL, &value, e)))
		goto fail;
	json_object_set_new(c, "value", value);

	/* Where the relationship stands in the trust ledger: one query. */
	json_t *trust;
	if ((rc = trust_card(d, id, json_string_value(json_object_get(c, "name")), NULL, &trust, e)))
		goto fail;
	json_object_set_new(c, "trust", trust);

	/* How well they share the company's values: null without a profile. */
	json_t *alignment;
	if ((rc = align_card(d, id, NULL, &alignment, e)))
		goto fail;
	json_object_set_new(c, "alignment", alignment);

	json_t *tl;
	if ((rc = timeline_list(d, id, 20, &tl, e)))
		goto fail;
	json_object_set_new(c, "interactions", json_object_get(tl, "interactions") ? json_incref(json_object_get(tl, "interactions")) : json_array());
	json_decref(tl);
	*out = c;
	return 0;
fail_code:
	rc = e->code;
fail:
	json_decref(c);
	return rc;
}

/* A filter's arguments as the statements below take them: the folded name
** as a LIKE pattern and the tag's key, checked. */
typedef struct filter_args {
	char *pat, *tag;
} filter_args;

static void filter_args_free(filter_args *a)
{
	free(a->pat);
	free(a->tag);
}

static int filter_args_make(const contact_filter *f, filter_args *a, rp_err *e)
{
	*a = (filter_args){0};
	if (f->name && !str_blank(f->name)) {
		char *key = contact_name_key(f->name);
		if (!key)
			return rp_errf(e, RP_EINVAL, "the name is not valid UTF-8 text");
		a->pat = like_pattern(key);
		free(key);
		if (!a->pat)
			return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	if (f->tag && !(a->tag = tag_key(f->tag, e)))
		return e->code;
	return contact_check_tier(f->tier, e);
}

/* The contacts a filter selects: $1 name pattern, $2 tier, $3 owner, $4 tag. */
#define FILTER_WHERE                                                                                         \
	" WHERE ($1 IS NULL OR c.name_key LIKE $1 ESCAPE '\\')"                                              \
	" AND ($2 IS NULL OR c.tier = $2) AND ($3 IS NULL OR c.owner = $3)"                                  \
	" AND ($4 IS NULL OR EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = c.id AND t.tag = $4))"

int contact_list(db *d, const contact_filter *f, json_t **out, rp_err *e)
{
	filter_args fa;
	int rc = filter_args_make(f, &fa, e);
	if (rc)
		goto out;
	db_stmt *s = db_query(
		d, e,
		"SELECT c.id, c.name, c.address, c.tier, c.owner, c.last_touch_at,"
		" (SELECT value FROM contact_channel h WHERE h.contact_id = c.id AND h.kind = 'email'"
		"  ORDER BY h.id LIMIT 1),"
		" (SELECT value FROM contact_channel h WHERE h.contact_id = c.id AND h.kind = 'phone'"
		"  ORDER BY h.id LIMIT 1)"
		" FROM contact c" FILTER_WHERE " ORDER BY c.name_key, c.id LIMIT $5 OFFSET $6",
		"ttttii", fa.pat, f->tier, f->owner, fa.tag, f->limit > 0 ? f->limit : (int64_t)50,
		f->offset > 0 ? f->offset : (int64_t)0);
	if (!s) {
		rc = e->code;
		goto out;
	}
	json_t *a = json_array();
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(
			a, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
				     "name", col_json_text(s, 1), "address", col_json_text(s, 2), "tier",
				     col_json_text(s, 3), "owner", col_json_text(s, 4), "last_touch_at",
				     col_json_ts(s, 5), "email", col_json_text(s, 6), "phone",
				     col_json_text(s, 7)));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		goto out;
	}
	rc = 0;
	*out = json_pack("{s:o}", "contacts", a);
out:
	filter_args_free(&fa);
	return rc;
}

int contact_count(db *d, const contact_filter *f, int64_t *n, rp_err *e)
{
	filter_args fa;
	int rc = filter_args_make(f, &fa, e);
	if (!rc)
		rc = db_one_int(d, e, n, "SELECT count(*) FROM contact c" FILTER_WHERE, "tttt", fa.pat, f->tier,
				f->owner, fa.tag);
	filter_args_free(&fa);
	return rc;
}

int contact_filter_parse(const char *text, contact_filter *f, char **buf, rp_err *e)
{
	static const char *const keys[] = {"name", "tag", "tier", "owner", NULL};
	char kbuf[64];
	*f = (contact_filter){0};
	if (!(*buf = strdup(text ? text : "")))
		return rp_errf(e, RP_ENOMEM, "out of memory");
	const char **slot[] = {&f->name, &f->tag, &f->tier, &f->owner};
	int rc = 0, terms = 0;
	for (char *p = *buf; !rc;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		char *key = p;
		while (*p && *p != ':' && *p != ' ' && *p != '\t')
			p++;
		int k = -1;
		if (*p == ':') {
			*p++ = 0;
			for (int i = 0; keys[i]; i++)
				if (!strcmp(key, keys[i]))
					k = i;
		} else
			*p = 0;
		if (k < 0) {
			rc = rp_errf(e, RP_EINVAL,
				     "\"%s\" is not a filter term; a segment is terms KEY:VALUE with KEY one of %s,"
				     " e.g. tier:close tag:vip",
				     key, words_list(keys, kbuf, sizeof kbuf));
			break;
		}
		char *v = p;
		if (*p == '"') {
			v = ++p;
			while (*p && *p != '"')
				p++;
			if (!*p) {
				rc = rp_errf(e, RP_EINVAL, "the value of %s: has no closing quote", keys[k]);
				break;
			}
		} else
			while (*p && *p != ' ' && *p != '\t')
				p++;
		if (*p)
			*p++ = 0;
		if (!*v)
			rc = rp_errf(e, RP_EINVAL, "%s: needs a value, e.g. %s", keys[k],
				     k == 2 ? "tier:close" : k == 1 ? "tag:vip" : k == 3 ? "owner:anna" : "name:Иванов");
		else if (*slot[k])
			rc = rp_errf(e, RP_EINVAL, "%s: is given twice; a segment takes each key once", keys[k]);
		else
			*slot[k] = v;
		terms++;
	}
	if (!rc && !terms)
		rc = rp_errf(e, RP_EINVAL, "the segment is empty; give terms such as tier:close, or none at all");
	filter_args fa;
	if (!rc) {
		rc = filter_args_make(f, &fa, e);
		filter_args_free(&fa);
	}
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

/* ---- relations and facts ------------------------------------------------ */

int relation_add(db *d, int64_t a, int64_t b, const char *kind, const char *note, rp_err *e)
{
	char buf[128];
	int rc;
	if (!one_of(kind, relation_kinds))
		return rp_errf(e, RP_EINVAL, "relation \"%s\" is not one of %s", kind,
			       words_list(relation_kinds, buf, sizeof buf));
	if (a == b)
		return rp_errf(e, RP_EINVAL, "a contact cannot be related to themselves");
	if ((rc = check_text("note", note, 2000, e)))
		return rc;
	/* Symmetric kinds are stored once, smaller id first, so a-b and b-a are one. */
	if (strcmp(kind, "referred_by") && a > b) {
		int64_t t = a;
		a = b;
		b = t;
	}
	if ((rc = db_begin(d, e)))
		return rc;
	if (!(rc = contact_exists(d, a, e)) && !(rc = contact_exists(d, b, e)))
		rc = db_run(d, e,
			    "INSERT INTO relation(a, b, kind, note) VALUES ($1, $2, $3, $4)"
			    " ON CONFLICT (a, b, kind) DO UPDATE SET note = coalesce(excluded.note, relation.note)",
			    "iitt", a, b, kind, note);
	/* A referral that has already bought makes its referrer an advocate. */
	if (!rc && !strcmp(kind, "referred_by"))
		rc = ladder_referral(d, a, e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* Insert a fact; id 0 assigns one, done marks its follow-up done now. */
static int fact_insert(db *d, int64_t id, int64_t contact, const char *body, const char *follow_up,
		       const char *by, int done, int64_t *out, rp_err *e)
{
	int rc;
	if (str_blank(body))
		return rp_errf(e, RP_EINVAL, "a fact needs some text");
	if ((rc = check_text("fact", body, 10000, e)) || (rc = check_text("by", by, 200, e)))
		return rc;
	rp_date dt;
	if (follow_up && *follow_up && rp_date_parse(follow_up, 0, &dt) < 0)
		return rp_errf(e, RP_EINVAL, "follow-up \"%s\" is not a date; write YYYY-MM-DD", follow_up);
	if (id < 0)
		return rp_errf(e, RP_EINVAL, "a fact id must be a positive number");
	char *text = str_trim(body);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int64_t now = rp_now();
	if ((rc = db_begin(d, e)))
		goto out;
	if (!(rc = contact_exists(d, contact, e))) {
		/* Without an id the store gives one (PostgreSQL does not take NULL
		** for "give one" as SQLite does). */
		db_stmt *s = id ? db_query(d, e,
					   "INSERT INTO fact(contact_id, body, follow_up, created_at, created_by, done_at, id)"
					   " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
					   "ittitnn", contact, text, follow_up && *follow_up ? follow_up : NULL, now, by)
				: db_query(d, e,
					   "INSERT INTO fact(contact_id, body, follow_up, created_at, created_by, done_at)"
					   " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
					   "ittitn", contact, text, follow_up && *follow_up ? follow_up : NULL, now, by);
		if (!s) {
			rc = e->code;
		} else {
			if (done)
				db_bind_int(s, 6, now);
			if (id)
				db_bind_int(s, 7, id);
			rc = db_step(s, e);
			if (rc == DB_ROW) {
				*out = db_col_int(s, 0);
				rc = 0;
			} else if (rc == RP_ECONFLICT) {
				rc = rp_errf(e, RP_ECONFLICT, "a fact with id %lld already exists", (long long)id);
			}
			db_reset(s);
		}
	}
	if (rc)
		db_rollback(d);
	else
		rc = db_commit(d, e);
out:
	free(text);
	return rc;
}

int fact_add(db *d, int64_t contact, const char *body, const char *follow_up, const char *by,
	     int64_t *id, rp_err *e)
{
	return fact_insert(d, 0, contact, body, follow_up, by, 0, id, e);
}

int fact_import(db *d, int64_t id, int64_t contact, const char *body, const char *follow_up, int done,
		rp_err *e)
{
	int64_t out;
	return fact_insert(d, id, contact, body, follow_up, NULL, done, &out, e);
}

int fact_done(db *d, int64_t fact, rp_err *e)
{
	int rc = db_run(d, e, "UPDATE fact SET done_at = coalesce(done_at, $2) WHERE id = $1", "ii", fact,
			rp_now());
	if (!rc && db_changes(d) == 0)
		rc = rp_errf(e, RP_ENOTFOUND, "no fact has id %lld", (long long)fact);
	return rc;
}
