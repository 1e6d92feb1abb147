/*
** timeline: interactions with a contact (calls, meetings, messages, visits,
** purchases, complaints, notes), each with its time, direction, who on the
** team, summary, money and minutes.  Logging one moves the contact's
** last_touch_at, which the agenda's keep-in-touch cadence reads; logging a
** purchase moves the buyer up the ladder (core/ladder.c).
*/
#include "core/core.h"

#include <ctype.h>
#include <string.h>

static const char *const kinds[] = {"call",     "meeting",   "message", "email", "visit",
				    "purchase", "complaint", "note",    NULL};
static const char *const directions[] = {"in", "out", NULL};

int interaction_check(const interaction_in *in, rp_err *e)
{
	char buf[160];
	int rc;
	if (!in->kind || !one_of(in->kind, kinds))
		return rp_errf(e, RP_EINVAL, "kind \"%s\" is not one of %s", in->kind ? in->kind : "",
			       words_list(kinds, buf, sizeof buf));
	if (in->direction && *in->direction && !one_of(in->direction, directions))
		return rp_errf(e, RP_EINVAL, "direction \"%s\" is not in or out", in->direction);
	if ((rc = check_text("summary", in->summary, 100000, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	if (in->minutes < -1 || in->minutes > 100000)
		return rp_errf(e, RP_EINVAL, "minutes must be between 0 and 100000");
	if (in->has_amount) {
		const char *c = in->currency;
		if (!c || strlen(c) != 3 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1]) ||
		    !isupper((unsigned char)c[2]))
			return rp_errf(e, RP_EINVAL,
				       "an amount needs a currency code of three capital letters, like RUB or EUR");
	} else if (in->currency && *in->currency) {
		return rp_errf(e, RP_EINVAL, "a currency was given without an amount");
	}
	/* A year of slack for clocks; nothing from before the 1900s. */
	if (in->at < -2208988800LL || in->at > rp_now() + 366 * 86400LL)
		return rp_errf(e, RP_EINVAL, "the time of the interaction is out of range");
	return 0;
}

/* The last touch is the latest interaction; a contact with none keeps the
** time it was added (so the cadence counts from then).  An index lookup. */
int timeline_touch(db *d, int64_t contact, rp_err *e)
{
	return db_run(d, e,
		      "UPDATE contact SET last_touch_at = coalesce("
		      " (SELECT max(at) FROM interaction WHERE contact_id = $1), created_at) WHERE id = $1",
		      "i", contact);
}

int interaction_add(db *d, const interaction_in *in, int64_t *id, rp_err *e)
{
	int rc = interaction_check(in, e);
	if (rc)
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	db_stmt *s = db_query(d, e,
			      "INSERT INTO interaction(contact_id, at, kind, direction, minutes, amount,"
			      " currency, by_user, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
			      " RETURNING id",
			      "iittnnttt", in->contact_id, in->at, in->kind,
			      in->direction && *in->direction ? in->direction : NULL,
			      in->has_amount ? in->currency : NULL, in->by, in->summary ? in->summary : "");
	if (!s) {
		rc = e->code;
		goto fail;
	}
	if (in->minutes >= 0)
		db_bind_int(s, 5, in->minutes);
	if (in->has_amount)
		db_bind_int(s, 6, in->amount);
	rc = db_step(s, e);
	if (rc == DB_ROW) {
		*id = db_col_int(s, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_EDB, "the interaction was not stored");
	}
	db_reset(s);
	if (rc == RP_ECONFLICT)
		rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld", (long long)in->contact_id);
	if (!rc)
		rc = timeline_touch(d, in->contact_id, e);
	/* A purchase moves the buyer, and whoever referred them, up the ladder. */
	if (!rc && !strcmp(in->kind, "purchase"))
		rc = ladder_purchase(d, in->contact_id, *id, in->at, e);
	if (rc)
		goto fail;
	return db_commit(d, e);
fail:
	db_rollback(d);
	return rc;
}

static json_t *interaction_row(db_stmt *s)
{
	json_t *amount = json_null();
	if (!db_col_null(s, 5)) {
		char buf[32];
		amount = json_pack("{s:I,s:s,s:o}", "minor", (json_int_t)db_col_int(s, 5), "value",
				   rp_money_format(db_col_int(s, 5), buf), "currency", col_json_text(s, 6));
	}
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "at",
			 col_json_ts(s, 1), "kind", col_json_text(s, 2), "direction", col_json_text(s, 3), "minutes",
			 col_json_int(s, 4), "amount", amount, "by", col_json_text(s, 7), "summary",
			 col_json_text(s, 8));
}

int timeline_list(db *d, int64_t contact, int64_t limit, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT id, at, kind, direction, minutes, amount, currency, by_user, summary"
			      " FROM interaction WHERE contact_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
			      "ii", contact, limit > 0 ? limit : (int64_t)50);
	json_t *a;
	int rc = s ? rows_json(s, interaction_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:I,s:o}", "contact_id", (json_int_t)contact, "interactions", a);
	return rc;
}
