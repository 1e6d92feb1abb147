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
** on the ladder only because of it back to attention.  Only a person's
** move has a "by": an event's row says what happened in its cause and
** evidence (the consent or purchase has its own record of who noted it).
**
** The events: a consent given lifts to at least yes (core/consent.c); a
** purchase to at least customer; and when the buyer was referred by
** someone (relation kind referred_by: a was referred by b), the referrer
** to advocate.  Imports of interactions apply the last two set-based at
** their end (ladder_purchases_imported).
**
** The history is kept in order: a move is never dated before the client's
** latest move (an event learned late, such as an old purchase logged
** today, is recorded at that latest move instead) nor after now.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

const char *const ladder_stages[] = {"stranger", "attention", "yes",     "dialogue",
				     "trust",    "customer",  "advocate", NULL};
static const char *const causes[] = {"person",   "consent", "revoke", "purchase",
				     "referral", "import",  "merge",  NULL};

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

/* The time of the contact's latest move into *at, or INT64_MIN when it has
** none. */
static int latest_move(db *d, int64_t contact, int64_t *at, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT max(at) FROM stage_move WHERE contact_id = $1", "i", contact);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc = db_step(s, e);
	*at = rc == DB_ROW && !db_col_null(s, 0) ? db_col_int(s, 0) : INT64_MIN;
	db_reset(s);
	return rc == DB_ROW ? 0 : rc;
}

/* Record a move of contact from `from` to in->to and make it the current
** stage, inside the caller's transaction.  The update names the stage it
** expects to replace, so that a concurrent move is noticed, not lost. */
static int record(db *d, int64_t contact, const char *from, const ladder_in *in, rp_err *e)
{
	int64_t now = rp_now(), at = in->at ? in->at : now, latest;
	int rc = latest_move(d, contact, &latest, e);
	if (rc)
		return rc;
	if (at > now)
		at = now;
	if (latest > at)
		at = latest;
	if ((rc = db_run(d, e, "UPDATE contact SET stage = $2 WHERE id = $1 AND stage = $3", "itt", contact, in->to,
			 from)))
		return rc;
	if (db_changes(d) != 1)
		return rp_errf(e, RP_EBUSY, "the client's stage changed while it was being moved; try again");
	if ((rc = db_run(d, e,
			 "INSERT INTO stage_move(contact_id, from_stage, to_stage, at, by_user, cause, why, evidence)"
			 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			 "ittitttt", contact, from, in->to, at, in->by, in->cause, in->why, in->evidence)))
		return rc;
	return webhook_enqueue(d, "stage.moved", json_pack("{s:I,s:s,s:s,s:s}", "contact", (json_int_t)contact, "from", from, "to", in->to, "cause", in->cause), e);
}

static int check_move(const ladder_in *in, rp_err *e)
{
	char buf[200];
	int rc;
	if ((rc = ladder_check(in->to, e)))
		return rc;
	if (!one_of(in->cause, causes))
		return rp_errf(e, RP_EINVAL, "cause \"%s\" is not one of %s", in->cause ? in->cause : "",
			       words_list(causes, buf, sizeof buf));
	if ((rc = check_text("why", in->why, 10000, e)) || (rc = check_text("evidence", in->evidence, 100000, e)) ||
	    (rc = check_text("by", in->by, 200, e)))
		return rc;
	if (!strcmp(in->cause, "person") && str_blank(in->why))
		return rp_errf(e, RP_EINVAL, "say why the client moves (--why TEXT): the ladder keeps the reason");
	return 0;
}

/* Move (up or down), or only up when raise is set. */
static int move(db *d, int64_t contact, const ladder_in *in, int raise, rp_err *e)
{
	int rc = check_move(in, e);
	if (rc || (rc = db_begin(d, e)))
		return rc;
	char from[16];
	rc = ladder_stage(d, contact, from, e);
	if (!rc && strcmp(from, in->to) && (!raise || ladder_rank(from) < ladder_rank(in->to)))
		rc = record(d, contact, from, in, e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int ladder_move(db *d, int64_t contact, const ladder_in *in, rp_err *e) { return move(d, contact, in, 0, e); }

/* The comparison is made inside the transaction of the move, so a client
** lifted higher meanwhile is never taken down by a late event. */
int ladder_raise(db *d, int64_t contact, const ladder_in *in, rp_err *e) { return move(d, contact, in, 1, e); }

/* ---- the names shown ---------------------------------------------------- */

int ladder_labels(db *d, json_t **out, rp_err *e)
{
	json_t *o = json_object();
	for (int i = 0; ladder_stages[i]; i++)
		json_object_set_new(o, ladder_stages[i], json_string(ladder_stages[i]));
	db_stmt *s = db_query(d, e, "SELECT key, value FROM setting WHERE key LIKE 'stage.name.%'", "");
	if (!s) {
		json_decref(o);
		return e ? e->code : RP_EDB;
	}
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *stage = db_col_text(s, 0) + strlen("stage.name."), *v = db_col_text(s, 1);
		if (ladder_rank(stage) >= 0 && !str_blank(v))
			json_object_set_new(o, stage, json_string(v));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int ladder_check_label(const char *stage, const char *label, rp_err *e)
{
	int rc = ladder_check(stage, e);
	if (!rc && label && strpbrk(label, "\r\n\t"))
		rc = rp_errf(e, RP_EINVAL, "the name of a stage is one line of text");
	if (!rc)
		rc = check_text("the name of a stage", label, 64, e);
	return rc;
}

static json_t *move_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "at",
			 col_json_ts(s, 1), "from", col_json_text(s, 2), "to", col_json_text(s, 3), "by",
			 col_json_text(s, 4), "cause", col_json_text(s, 5), "why", col_json_text(s, 6), "evidence",
			 col_json_text(s, 7));
}

int ladder_history(db *d, int64_t contact, json_t **out, rp_err *e)
{
	json_t *labels, *moves;
	int rc = ladder_labels(d, &labels, e);
	if (rc)
		return rc;
	db_stmt *s = db_query(d, e, "SELECT name, stage FROM contact WHERE id = $1", "i", contact);
	if (!s) {
		json_decref(labels);
		return e ? e->code : RP_EDB;
	}
	json_t *doc = NULL;
	rc = db_step(s, e);
	if (rc == DB_ROW) {
		const char *stage = db_col_text(s, 1);
		doc = json_pack("{s:I,s:o,s:s,s:O,s:i}", "contact_id", (json_int_t)contact, "name", col_json_text(s, 0),
				"stage", stage, "label", json_object_get(labels, stage), "rank", ladder_rank(stage));
	}
	db_reset(s);
	if (rc != DB_ROW) {
		json_decref(labels);
		return rc == DB_DONE ? rp_errf(e, RP_ENOTFOUND, "no contact has id %lld", (long long)contact) : rc;
	}
	json_t *stages = json_array();
	for (int i = 0; ladder_stages[i]; i++)
		json_array_append_new(stages, json_pack("{s:s,s:O}", "stage", ladder_stages[i], "label",
							json_object_get(labels, ladder_stages[i])));
	json_object_set_new(doc, "stages", stages);
	json_decref(labels);
	s = db_query(d, e,
		     "SELECT id, at, from_stage, to_stage, by_user, cause, why, evidence FROM stage_move"
		     " WHERE contact_id = $1 ORDER BY at DESC, id DESC",
		     "i", contact);
	rc = s ? rows_json(s, move_row, &moves, e) : e ? e->code : RP_EDB;
	if (rc) {
		json_decref(doc);
		return rc;
	}
	json_object_set_new(doc, "moves", moves);
	*out = doc;
	return 0;
}

/* ---- events ------------------------------------------------------------- */

/* Lift everyone who referred `referred` to advocate: a client they sent us
** has bought.  at 0: now. */
static int lift_referrers(db *d, int64_t referred, int64_t at, rp_err *e)
{
	/* Collected first: the moves below run statements of their own. */
	db_stmt *s = db_query(d, e, "SELECT b FROM relation WHERE a = $1 AND kind = 'referred_by' ORDER BY b", "i",
			      referred);
	if (!s)
		return e ? e->code : RP_EDB;
	int64_t *who = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (n == cap) {
			int64_t *more = realloc(who, (cap = cap ? 2 * cap : 8) * sizeof *who);
			if (!more) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			who = more;
		}
		who[n++] = db_col_int(s, 0);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		free(who);
		return rc;
	}
	char evidence[64];
	snprintf(evidence, sizeof evidence, "contact #%lld bought", (long long)referred);
	ladder_in up = {.to = "advocate", .cause = "referral", .why = "a client they referred bought",
			.evidence = evidence, .at = at};
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = ladder_raise(d, who[i], &up, e);
	free(who);
	return rc;
}

int ladder_purchase(db *d, int64_t contact, int64_t interaction, int64_t at, rp_err *e)
{
	char evidence[64];
	snprintf(evidence, sizeof evidence, "interaction #%lld", (long long)interaction);
	ladder_in up = {.to = "customer", .cause = "purchase", .why = "bought", .evidence = evidence, .at = at};
	int rc = ladder_raise(d, contact, &up, e);
	return rc ? rc : lift_referrers(d, contact, at, e);
}

int ladder_referral(db *d, int64_t referred, rp_err *e)
{
	int64_t one;
	int rc = db_one_int(d, e, &one, "SELECT 1 FROM interaction WHERE contact_id = $1 AND kind = 'purchase' LIMIT 1",
			    "i", referred);
	if (rc == RP_ENOTFOUND)
		return 0; /* not bought yet: the purchase will lift the referrer */
	return rc ? rc : lift_referrers(d, referred, 0, e);
}

/* The event statements of an import, over the interactions it inserted
** (ids in runs lo..hi, $2 to $2k+1; $1 is now).  RANGES is replaced by the
** runs' condition on i.id.  Each gives a client at most one move: a buyer's
** earliest purchase in the file, a referrer's earliest purchase of a
** client they referred; not after now, nor before the client's latest
** move. */
static const char customers_sql[] =
	"INSERT INTO stage_move(contact_id, from_stage, to_stage, at, by_user, cause, why, evidence)"
	" SELECT id, stage, 'customer', CASE WHEN latest IS NOT NULL AND latest > t THEN latest ELSE t END,"
	"  NULL, 'purchase', 'bought', 'interaction #' || first"
	" FROM (SELECT c.id, c.stage, CASE WHEN p.at > $1 THEN $1 ELSE p.at END AS t,"
	"   (SELECT min(i.id) FROM interaction i WHERE i.contact_id = c.id AND i.kind = 'purchase'"
	"    AND i.at = p.at AND (RANGES)) AS first,"
	"   (SELECT max(s.at) FROM stage_move s WHERE s.contact_id = c.id) AS latest"
	"  FROM (SELECT i.contact_id, min(i.at) AS at FROM interaction i"
	"   WHERE i.kind = 'purchase' AND (RANGES) GROUP BY i.contact_id) AS p"
	"  JOIN contact c ON c.id = p.contact_id"
	"  WHERE c.stage IN ('stranger', 'attention', 'yes', 'dialogue', 'trust')) AS x"
	" ORDER BY id";
static const char referrers_sql[] =
	"INSERT INTO stage_move(contact_id, from_stage, to_stage, at, by_user, cause, why, evidence)"
	" SELECT id, stage, 'advocate', CASE WHEN latest IS NOT NULL AND latest > t THEN latest ELSE t END,"
	"  NULL, 'referral', 'a client they referred bought', 'contact #' || who || ' bought'"
	" FROM (SELECT b.id, b.stage, CASE WHEN p.at > $1 THEN $1 ELSE p.at END AS t, p.who,"
	"   (SELECT max(s.at) FROM stage_move s WHERE s.contact_id = b.id) AS latest"
	"  FROM (SELECT r.b AS referrer, min(i.at) AS at, min(r.a) AS who FROM interaction i"
	"   JOIN relation r ON r.a = i.contact_id AND r.kind = 'referred_by'"
	"   WHERE i.kind = 'purchase' AND (RANGES) GROUP BY r.b) AS p"
	"  JOIN contact b ON b.id = p.referrer WHERE b.stage <> 'advocate') AS x"
	" ORDER BY id";

#define RUNS_PER_STATEMENT 32

/* Run one event statement over runs, then move the clients it gave a move
** to their new stage. */
static int apply_event(db *d, const char *tpl, const char *to, const int64_t (*runs)[2], size_t n, rp_err *e)
{
	int64_t before;
	int rc = db_one_int(d, e, &before, "SELECT coalesce(max(id), 0) FROM stage_move", "");
	if (rc)
		return rc;
	rp_buf cond = {0}, sql = {0};
	for (size_t i = 0; i < n; i++)
		rp_buf_printf(&cond, "%si.id BETWEEN $%zu AND $%zu", i ? " OR " : "", 2 * i + 2, 2 * i + 3);
	for (const char *mark; (mark = strstr(tpl, "RANGES")); tpl = mark + strlen("RANGES")) {
		rp_buf_put(&sql, tpl, (size_t)(mark - tpl));
		rp_buf_puts(&sql, cond.p ? cond.p : "");
	}
	rp_buf_puts(&sql, tpl);
	db_stmt *s = NULL;
	if (cond.oom || sql.oom)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	else if (!(s = db_prepare(d, sql.p, e)))
		rc = e ? e->code : RP_EDB;
	if (s) {
		db_bind_int(s, 1, rp_now());
		for (size_t i = 0; i < n; i++) {
			db_bind_int(s, (int)(2 * i + 2), runs[i][0]);
			db_bind_int(s, (int)(2 * i + 3), runs[i][1]);
		}
		rc = db_step(s, e);
		db_reset(s);
		rc = rc == DB_DONE ? 0 : rc;
	}
	rp_buf_free(&cond);
	rp_buf_free(&sql);
	if (!rc)
		rc = db_run(d, e, "UPDATE contact SET stage = $2 WHERE id IN (SELECT contact_id FROM stage_move WHERE id > $1)",
			    "it", before, to);
	return rc;
}

int ladder_purchases_imported(db *d, const int64_t (*runs)[2], size_t n, rp_err *e)
{
	/* Most stores record no referrals: then the second pass over the
	** rows is not needed. */
	int64_t one;
	int rc = db_one_int(d, e, &one, "SELECT 1 FROM relation WHERE kind = 'referred_by' LIMIT 1", "");
	int referrals = rc == 0;
	if (rc == RP_ENOTFOUND)
		rc = 0;
	for (size_t i = 0; i < n && !rc; i += RUNS_PER_STATEMENT) {
		size_t k = n - i < RUNS_PER_STATEMENT ? n - i : RUNS_PER_STATEMENT;
		if (!(rc = apply_event(d, customers_sql, "customer", runs + i, k, e)) && referrals)
			rc = apply_event(d, referrers_sql, "advocate", runs + i, k, e);
	}
	return rc;
}

/* ---- two records of one client ------------------------------------------ */

int ladder_merge(db *d, int64_t keep, int64_t other, rp_err *e)
{
	char ks[16], os[16], told[16] = "stranger";
	int rc;
	if ((rc = ladder_stage(d, keep, ks, e)) || (rc = ladder_stage(d, other, os, e)))
		return rc;
	if ((rc = db_run(d, e, "UPDATE stage_move SET contact_id = $1 WHERE contact_id = $2", "ii", keep, other)))
		return rc;
	/* The joined history's latest move says where the client stands; when
	** that is not the higher of the two stages, a move says how they got
	** there, so that contact.stage stays the latest move. */
	const char *high = ladder_rank(os) > ladder_rank(ks) ? os : ks;
	db_stmt *s = db_query(d, e,
			      "SELECT to_stage FROM stage_move WHERE contact_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
			      "i", keep);
	if (!s)
		return e ? e->code : RP_EDB;
	rc = db_step(s, e);
	if (rc == DB_ROW)
		snprintf(told, sizeof told, "%s", db_col_text(s, 0));
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	if ((rc = db_run(d, e, "UPDATE contact SET stage = $2 WHERE id = $1", "it", keep, told)))
		return rc;
	if (!strcmp(told, high))
		return 0;
	char why[64];
	snprintf(why, sizeof why, "merged with contact #%lld", (long long)other);
	ladder_in in = {.to = high, .cause = "merge", .why = why};
	return record(d, keep, told, &in, e);
}
