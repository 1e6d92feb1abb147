/*
** consent: what each client has said yes (or no) to, per channel (email,
** phone, sms, messenger, post) and purpose (service, news, offers,
** surveys), with when, how, by whom and what the client was shown.  Every
** change is a row and none is ever rewritten: the history is the proof.
** The current answer for a channel and purpose is the latest row; no row
** means no consent.
**
** Granting lifts the client to at least "yes" on the ladder.  Withdrawing
** the last granted consent takes a client who stood at "yes" back to
** "attention"; one who has since reached dialogue or beyond stays there
** (what they said in person is not undone by an unsubscribe).
*/
#include "core/core.h"

#include <string.h>

const char *const consent_channels[] = {"email", "phone", "sms", "messenger", "post", NULL};
const char *const consent_purposes[] = {"service", "news", "offers", "surveys", NULL};
static const char *const states[] = {"pending", "granted", "revoked", NULL};
static const char *const hows[] = {"form", "call", "in_person", "import", "link", "signup", NULL};

int consent_check(const char *channel, const char *purpose, rp_err *e)
{
	char buf[200];
	if (!channel || !one_of(channel, consent_channels))
		return rp_errf(e, RP_EINVAL, "channel \"%s\" is not one of %s", channel ? channel : "",
			       words_list(consent_channels, buf, sizeof buf));
	if (!purpose || !one_of(purpose, consent_purposes))
		return rp_errf(e, RP_EINVAL, "purpose \"%s\" is not one of %s", purpose ? purpose : "",
			       words_list(consent_purposes, buf, sizeof buf));
	return 0;
}

int consent_current(db *d, int64_t contact, const char *channel, const char *purpose, char state[16], rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT state FROM consent WHERE contact_id = $1 AND channel = $2 AND purpose = $3"
			      " ORDER BY id DESC LIMIT 1",
			      "itt", contact, channel, purpose);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc = db_step(s, e);
	snprintf(state, 16, "%s", rc == DB_ROW ? db_col_text(s, 0) : "none");
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

int consent_allowed(db *d, int64_t contact, const char *channel, const char *purpose, int *allowed, rp_err *e)
{
	char state[16];
	int rc = consent_current(d, contact, channel, purpose, state, e);
	*allowed = !rc && !strcmp(state, "granted");
	return rc;
}

int consent_set(db *d, int64_t contact, const consent_in *in, int64_t *id, rp_err *e)
{
	char buf[200];
	int rc;
	if ((rc = consent_check(in->channel, in->purpose, e)))
		return rc;
	if (!in->state || !one_of(in->state, states))
		return rp_errf(e, RP_EINVAL, "state \"%s\" is not one of %s", in->state ? in->state : "",
			       words_list(states, buf, sizeof buf));
	if (!in->how || !one_of(in->how, hows))
		return rp_errf(e, RP_EINVAL, "how \"%s\" is not one of %s", in->how ? in->how : "",
			       words_list(hows, buf, sizeof buf));
	if ((rc = check_text("evidence", in->evidence, 100000, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	if (!strcmp(in->state, "granted") && str_blank(in->evidence))
		return rp_errf(e, RP_EINVAL,
			       "a consent needs its evidence: what the client was shown or said (--evidence TEXT)");
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t now = in->at ? in->at : rp_now(), one, row = 0;
	rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1", "i", contact);
	if (rc == RP_ENOTFOUND)
		rp_errf(e, rc, "no contact has id %lld; find one with 'rapport contact list'", (long long)contact);
	if (!rc)
		rc = db_one_int(d, e, &row,
				"INSERT INTO consent(contact_id, channel, purpose, state, at, how, evidence, by_user)"
				" VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				"itttittt", contact, in->channel, in->purpose, in->state, now, in->how, in->evidence,
				in->by);
	if (!rc)
		rc = webhook_enqueue(d, "consent.changed", json_pack("{s:I,s:I,s:s,s:s,s:s}", "contact", (json_int_t)contact, "consent", (json_int_t)row, "channel", in->channel, "purpose", in->purpose, "state", in->state), e);
	/* The move is an event: it points at the consent row, which keeps who
	** noted it and what the client was shown. */
	char evidence[128];
	snprintf(evidence, sizeof evidence, "consent #%lld: %s/%s %s (%s)", (long long)row,
		 in->channel, in->purpose, in->state, in->how);
	ladder_in step = {.cause = "consent", .at = now, .evidence = evidence};
	if (!rc && !strcmp(in->state, "granted")) {
		step.to = "yes";
		step.why = "consent given";
		rc = ladder_raise(d, contact, &step, e);
	} else if (!rc && !strcmp(in->state, "revoked")) {
		/* Still a yes on any other channel or purpose? */
		int64_t left = 0;
		char stage[16];
		rc = db_one_int(d, e, &left,
				"SELECT count(*) FROM consent c WHERE c.contact_id = $1 AND c.state = 'granted'"
				" AND c.id = (SELECT max(id) FROM consent l WHERE l.contact_id = c.contact_id"
				"  AND l.channel = c.channel AND l.purpose = c.purpose)",
				"i", contact);
		if (!rc && !left && !(rc = ladder_stage(d, contact, stage, e)) && !strcmp(stage, "yes")) {
			step.to = "attention";
			step.cause = "revoke";
			step.why = "consent withdrawn";
			rc = ladder_move(d, contact, &step, e);
		}
	}
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if (id)
		*id = row;
	return db_commit(d, e);
}

static json_t *consent_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "channel",
			 col_json_text(s, 1), "purpose", col_json_text(s, 2), "state", col_json_text(s, 3), "at",
			 col_json_ts(s, 4), "how", col_json_text(s, 5), "evidence", col_json_text(s, 6), "by",
			 col_json_text(s, 7));
}

int consent_list(db *d, int64_t contact, json_t **out, rp_err *e)
{
	int64_t one;
	int rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1", "i", contact);
	if (rc == RP_ENOTFOUND)
		return rp_errf(e, rc, "no contact has id %lld; find one with 'rapport contact list'", (long long)contact);
	if (rc)
		return rc;
	json_t *history;
	db_stmt *s = db_query(d, e,
			      "SELECT id, channel, purpose, state, at, how, evidence, by_user FROM consent"
			      " WHERE contact_id = $1 ORDER BY id DESC",
			      "i", contact);
	if (!s)
		return e ? e->code : RP_EDB;
	if ((rc = rows_json(s, consent_row, &history, e)))
		return rc;
	/* The current answer for each channel and purpose is its newest row,
	** listed in the order of the channels and purposes. */
	json_t *current = json_array();
	for (int c = 0; consent_channels[c]; c++)
		for (int p = 0; consent_purposes[p]; p++) {
			size_t i;
			json_t *v;
			json_array_foreach(history, i, v)
			{
				if (strcmp(json_string_value(json_object_get(v, "channel")), consent_channels[c]) ||
				    strcmp(json_string_value(json_object_get(v, "purpose")), consent_purposes[p]))
					continue;
				json_array_append(current, v);
				break;
			}
		}
	*out = json_pack("{s:I,s:o,s:o}", "contact_id", (json_int_t)contact, "current", current, "history", history);
	return 0;
}
