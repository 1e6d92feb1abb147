/*
** ladder: the permission ladder of seed 004.  A client climbs from
** stranger to attention, says "yes", a dialogue grows into trust, then
** sales (customer), and at the top recommends us (advocate).  The order is
** fixed; the names shown can be set (stage.name.yes = "Да, пишите").
**
** Every move is a stage_move row (from, to, when, by whom, why, evidence,
** cause) and contact.stage is the latest one.  A person may move a client
** anywhere, down too; events only ever lift a client to at least a rung
** (ladder_raise), except a withdrawn consent, which takes a client who was
** on the ladder only because of it back to attention.
*/
#include "core/core.h"

#include <string.h>

const char *const ladder_stages[] = {"stranger", "attention", "yes",     "dialogue",
				     "trust",    "customer",  "advocate", NULL};
static const char *const causes[] = {"person", "consent", "revoke", "purchase", "referral", "import", NULL};

int ladder_rank(const char *stage)
{
	for (int i = 0; stage && ladder_stages[i]; i++)
		if (!strcmp(stage, ladder_stages[i]))
			return i;
	return -1;
}

int ladder_check(const char *stage, rp_err *e)
{
	char buf[200];
	if (ladder_rank(stage) < 0)
		return rp_errf(e, RP_EINVAL, "stage \"%s\" is not one of %s", stage ? stage : "",
			       words_list(ladder_stages, buf, sizeof buf));
	return 0;
}

int ladder_stage(db *d, int64_t contact, char out[16], rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT stage FROM contact WHERE id = $1", "i", contact);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		snprintf(out, 16, "%s", db_col_text(s, 0));
	db_reset(s);
	if (rc == DB_DONE)
		return rp_errf(e, RP_ENOTFOUND, "no contact has id %lld; find one with 'rapport contact list'",
			       (long long)contact);
	return rc == DB_ROW ? 0 : rc;
}

int ladder_move(db *d, int64_t contact, const ladder_in *in, rp_err *e)
{
	int rc;
	if ((rc = ladder_check(in->to, e)))
		return rc;
	if (!one_of(in->cause, causes))
		return rp_errf(e, RP_EINVAL, "cause \"%s\" is not known", in->cause ? in->cause : "");
	if ((rc = check_text("why", in->why, 10000, e)) || (rc = check_text("evidence", in->evidence, 100000, e)))
		return rc;
	if (!strcmp(in->cause, "person") && str_blank(in->why))
		return rp_errf(e, RP_EINVAL, "say why the client moves (--why TEXT): the ladder keeps the reason");
	if ((rc = db_begin(d, e)))
		return rc;
	char from[16];
	rc = ladder_stage(d, contact, from, e);
	if (!rc && strcmp(from, in->to)) {
		int64_t now = in->at ? in->at : rp_now();
		rc = db_run(d, e,
			    "INSERT INTO stage_move(contact_id, from_stage, to_stage, at, by_user, cause, why, evidence)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			    "ittitttt", contact, from, in->to, now, in->by, in->cause, in->why, in->evidence);
		if (!rc)
			rc = db_run(d, e, "UPDATE contact SET stage = $2 WHERE id = $1", "it", contact, in->to);
	}
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int ladder_raise(db *d, int64_t contact, const ladder_in *in, rp_err *e)
{
	char from[16];
	int rc = ladder_stage(d, contact, from, e);
	if (rc || ladder_rank(from) >= ladder_rank(in->to))
		return rc;
	return ladder_move(d, contact, in, e);
}
