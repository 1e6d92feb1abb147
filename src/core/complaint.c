/*
** complaints: a client's complaint, opened from a message, a call or the UI,
** answered (the first response, its minutes held against the target
** complaint.target_minutes, default 5), then resolved with what was made
** good and what that cost.  Seed 004: answered within minutes, with an
** apology and a make-good, a complaint builds more trust than it cost; so
** the unanswered ones stand at the top of the agenda (complaint_agenda) and
** the report weighs the make-goods against the clients who bought again.
**
** Times are Unix seconds (rp_now).  A complaint opened from an interaction
** (--from) starts its clock when the client spoke, not when it was typed in.
** The answer given here is also an outgoing message on the timeline, so
** the timeline tells the whole exchange.
*/
#include "core/core.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const complaint_channels[] = {"call", "message", "email", "visit", "ui", NULL};

#define TEXT_MAX 100000

int complaint_target(db *d, int64_t *minutes, rp_err *e)
{
	return setting_int(d, "complaint.target_minutes", COMPLAINT_TARGET, minutes, e);
}

/* The channel a complaint came by, from the kind of the interaction that
** brought it; NULL when the kind says nothing of a channel (a note). */
static const char *channel_of_kind(const char *kind)
{
	static const char *const map[][2] = {{"call", "call"},   {"message", "message"}, {"email", "email"},
					     {"visit", "visit"}, {"meeting", "visit"}};
	for (size_t i = 0; kind && i < sizeof map / sizeof *map; i++)
		if (!strcmp(kind, map[i][0]))
			return map[i][1];
	return NULL;
}

static int check_channel(const char *channel, rp_err *e)
{
	char buf[160];
	if (channel && !one_of(channel, complaint_channels))
		return rp_errf(e, RP_EINVAL, "channel \"%s\" is not one of %s", channel,
			       words_list(complaint_channels, buf, sizeof buf));
	return 0;
}

/* A text a person must give (what the client said, what they were told). */
static int check_words(const char *what, const char *v, const char *hint, rp_err *e)
{
	if (str_blank(v))
		return rp_errf(e, RP_EINVAL, "%s is empty; %s", what, hint);
	return check_text(what, v, TEXT_MAX, e);
}

/* The interaction a complaint is opened from: it must be the contact's and
** not have opened another.  *at becomes its time (never after now), and
** *channel its channel when none was given. */
static int from_interaction(db *d, const complaint_in *in, int64_t *at, const char **channel, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT contact_id, kind, at FROM interaction WHERE id = $1", "i", in->from);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_DONE) {
		db_reset(s);
		return rp_errf(e, RP_ENOTFOUND, "no interaction has id %lld; see 'rapport timeline CONTACT'",
			       (long long)in->from);
	}
	if (rc != DB_ROW) {
		db_reset(s);
		return rc;
	}
	int64_t owner = db_col_int(s, 0), when = db_col_int(s, 2);
	const char *mapped = channel_of_kind(db_col_text(s, 1));
	db_reset(s);
	if (owner != in->contact_id)
		return rp_errf(e, RP_EINVAL, "interaction %lld is with contact %lld, not %lld; open the complaint for"
			       " the contact it belongs to", (long long)in->from, (long long)owner,
			       (long long)in->contact_id);
	if (!*channel)
		*channel = mapped;
	if (when < *at)
		*at = when;
	int64_t other = 0;
	rc = db_one_int(d, e, &other, "SELECT coalesce(max(id), 0) FROM complaint WHERE interaction_id = $1", "i",
			in->from);
	if (!rc && other)
		return rp_errf(e, RP_ECONFLICT, "interaction %lld already opened complaint %lld; see 'rapport complaint"
			       " show %lld'", (long long)in->from, (long long)other, (long long)other);
	return rc;
}

/* The trust ledger's act for a complaint (opened: our defection; made
** good: our cooperation), on the day of at, inside the caller's
** transaction: "<prefix>: <text>". */
static int ledger_act(db *d, int64_t complaint, int64_t contact, int64_t interaction, const char *act,
		      const char *prefix, const char *text, int64_t at, const char *by, rp_err *e)
{
	char day[11];
	rp_buf b = {0};
	rp_buf_printf(&b, "%s: %s", prefix, text);
	if (b.oom) {
		rp_buf_free(&b);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	trust_in t = {.contact_id = contact, .by = "company", .act = act, .text = b.p,
		      .on = rp_date_format(rp_civil_from_days(rp_day_of(at)), day), .interaction = interaction,
		      .complaint = complaint, .user = by};
	int64_t id;
	int rc = trust_record(d, &t, &id, e);
	rp_buf_free(&b);
	return rc;
}

int complaint_open(db *d, const complaint_in *in, int64_t *id, rp_err *e)
{
	const char *channel = in->channel && *in->channel ? in->channel : NULL;
	const char *duty = str_blank(in->duty) ? NULL : in->duty;
	int rc;
	if ((rc = check_channel(channel, e)) ||
	    (rc = check_words("the complaint", in->text, "give the client's words: what went wrong", e)) ||
	    (rc = check_text("duty", duty, 200, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	if (in->from < 0)
		return rp_errf(e, RP_EINVAL, "--from must be the id of an interaction");
	char *text = str_trim(in->text);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if ((rc = db_begin(d, e))) {
		free(text);
		return rc;
	}
	int64_t at = rp_now();
	rc = contact_exists(d, in->contact_id, e);
	if (!rc && in->from)
		rc = from_interaction(d, in, &at, &channel, e);
	if (!rc)
		rc = db_one_int(d, e, id,
				"INSERT INTO complaint(contact_id, interaction_id, channel, body, opened_at, opened_by, duty)"
				" VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, $7) RETURNING id",
				"iittitt", in->contact_id, in->from, channel ? channel : "ui", text, at, in->by, duty);
	/* A complaint is our defection in the ledger, until a make-good answers it. */
	if (!rc)
		rc = ledger_act(d, *id, in->contact_id, in->from, "defect", "complaint", text, at, in->by, e);
	if (!rc)
		rc = webhook_enqueue(d, "complaint.opened", json_pack("{s:I,s:I}", "complaint", (json_int_t)*id, "contact", (json_int_t)in->contact_id), e);
	free(text);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* ---- reading ------------------------------------------------------------- */

#define COMPLAINT_COLS                                                                                   \
	"k.id, k.contact_id, c.name, k.channel, k.body, k.opened_at, k.opened_by, k.duty, k.answered_at," \
	" k.answer, k.answered_by, k.resolved_at, k.resolution, k.apology, k.make_good, k.make_good_cost,"   \
	" k.currency, k.interaction_id"
#define COMPLAINT_FROM " FROM complaint k JOIN contact c ON c.id = k.contact_id"

static double minutes_between(int64_t from, int64_t to) { return round((double)(to - from) / 6.0) / 10.0; }

/* One complaint as the API shows it; late is judged against target at now. */
static json_t *complaint_row(db_stmt *s, int64_t target, int64_t now)
{
	int64_t opened = db_col_int(s, 5);
	int answered = !db_col_null(s, 8), resolved = !db_col_null(s, 11);
	int64_t until = answered ? db_col_int(s, 8) : now;
	json_t *cost = json_null(), *first = answered ? json_real(minutes_between(opened, until)) : json_null();
	if (!db_col_null(s, 15)) {
		char buf[32];
		cost = json_string(rp_money_format(db_col_int(s, 15), buf));
	}
	return json_pack("{s:I,s:{s:I,s:o},s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:s,s:b,s:o}",
			 "id", (json_int_t)db_col_int(s, 0), "contact", "id", (json_int_t)db_col_int(s, 1), "name",
			 col_json_text(s, 2), "channel", col_json_text(s, 3), "text", col_json_text(s, 4), "opened_at",
			 col_json_ts(s, 5), "opened_by", col_json_text(s, 6), "duty", col_json_text(s, 7),
			 "answered_at", col_json_ts(s, 8), "answer", col_json_text(s, 9), "answered_by",
			 col_json_text(s, 10), "first_response_minutes", first, "resolved_at", col_json_ts(s, 11),
			 "resolution", col_json_text(s, 12), "apology", (int)db_col_int(s, 13), "make_good",
			 col_json_text(s, 14), "make_good_cost", cost, "currency", col_json_text(s, 16), "state",
			 resolved ? "resolved" : answered ? "answered" : "waiting", "late",
			 until - opened > target * 60, "from", col_json_int(s, 17));
}

/* Step s to the end, each row a complaint into *out. */
static int complaint_rows(db *d, db_stmt *s, json_t **out, rp_err *e)
{
	int64_t target;
	int rc = complaint_target(d, &target, e);
	if (rc) {
		db_reset(s);
		return rc;
	}
	int64_t now = rp_now();
	json_t *a = json_array();
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(a, complaint_row(s, target, now));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int complaint_show(db *d, int64_t id, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT " COMPLAINT_COLS COMPLAINT_FROM " WHERE k.id = $1", "i", id);
	json_t *a;
	int rc = s ? complaint_rows(d, s, &a, e) : e->code;
	if (rc)
		return rc;
	if (!json_array_size(a)) {
		json_decref(a);
		return rp_errf(e, RP_ENOTFOUND, "no complaint has id %lld; see 'rapport complaint list'", (long long)id);
	}
	*out = json_incref(json_array_get(a, 0));
	json_decref(a);
	return 0;
}

int complaint_list(db *d, int open_only, int64_t contact, int64_t limit, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT " COMPLAINT_COLS COMPLAINT_FROM " WHERE ($1 = 0 OR k.resolved_at IS NULL)"
			      " AND ($2 = 0 OR k.contact_id = $2) ORDER BY k.opened_at DESC, k.id DESC LIMIT $3",
			      "iii", (int64_t)(open_only != 0), contact, limit > 0 ? limit : (int64_t)100);
	json_t *a;
	int rc = s ? complaint_rows(d, s, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "complaints", a);
	return rc;
}

/* ---- answering and resolving ---------------------------------------------- */

/* The complaint's contact and whether it was answered or resolved, inside
** the caller's transaction; RP_ENOTFOUND for an unknown id. */
static int load_state(db *d, int64_t id, int64_t *contact, int64_t *answered, int64_t *resolved, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT contact_id, answered_at, resolved_at FROM complaint WHERE id = $1", "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*contact = db_col_int(s, 0);
		*answered = db_col_null(s, 1) ? 0 : db_col_int(s, 1);
		*resolved = db_col_null(s, 2) ? 0 : db_col_int(s, 2);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no complaint has id %lld; see 'rapport complaint list'", (long long)id);
	}
	db_reset(s);
	return rc;
}

/* The first response: on the complaint, and on the timeline as a message
** to the client (what they were told, by whom, when). */
static int first_response(db *d, int64_t id, int64_t contact, const char *answer, int apology, const char *by,
			  int64_t now, rp_err *e)
{
	int rc = db_run(d, e,
			"UPDATE complaint SET answered_at = $2, answer = $3, answered_by = $4,"
			" apology = CASE WHEN $5 = 1 THEN 1 ELSE apology END WHERE id = $1",
			"iitti", id, now, answer, by, (int64_t)(apology != 0));
	if (rc)
		return rc;
	interaction_in in = {.contact_id = contact, .at = now, .kind = "message", .direction = "out",
			     .summary = answer, .by = by, .minutes = -1};
	int64_t iid;
	return interaction_add(d, &in, &iid, e);
}

int complaint_answer(db *d, int64_t id, const char *answer, int apology, const char *by, rp_err *e)
{
	int rc;
	if ((rc = check_words("the answer", answer, "give what the client was told", e)) ||
	    (rc = check_text("by", by, 200, e)))
		return rc;
	char *text = str_trim(answer);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if ((rc = db_begin(d, e))) {
		free(text);
		return rc;
	}
	int64_t contact, answered, resolved, now = rp_now();
	rc = load_state(d, id, &contact, &answered, &resolved, e);
	if (!rc && answered) {
		char at[21];
		rc = rp_errf(e, RP_ECONFLICT,
			     "complaint %lld was answered already, at %s; the first response is given once: resolve it"
			     " with 'rapport complaint resolve %lld'",
			     (long long)id, rp_ts_format(answered, at), (long long)id);
	}
	if (!rc)
		rc = first_response(d, id, contact, text, apology, by, now, e);
	if (!rc)
		rc = webhook_enqueue(d, "complaint.answered", json_pack("{s:I,s:I,s:b}", "complaint", (json_int_t)id, "contact", (json_int_t)contact, "apology", apology), e);
	free(text);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

static int currency_ok(const char *c)
{
	return c && strlen(c) == 3 && isupper((unsigned char)c[0]) && isupper((unsigned char)c[1]) &&
	       isupper((unsigned char)c[2]);
}

/* The currency of a make-good given without one: the client's latest sum
** on the timeline, else the store's latest; RP_EINVAL when no sum was ever
** recorded. */
static int default_currency(db *d, int64_t contact, char out[4], rp_err *e)
{
	static const char *const sql[] = {
		"SELECT currency FROM interaction WHERE contact_id = $1 AND currency IS NOT NULL ORDER BY at DESC, id DESC"
		" LIMIT 1",
		"SELECT currency FROM interaction WHERE currency IS NOT NULL ORDER BY id DESC LIMIT 1"};
	for (size_t i = 0; i < 2; i++) {
		db_stmt *s = db_query(d, e, sql[i], i ? "" : "i", contact);
		if (!s)
			return e->code;
		int rc = db_step(s, e);
		if (rc == DB_ROW && currency_ok(db_col_text(s, 0))) {
			memcpy(out, db_col_text(s, 0), 4);
			rc = 0;
		} else if (rc == DB_ROW || rc == DB_DONE) {
			rc = RP_ENOTFOUND;
		}
		db_reset(s);
		if (rc != RP_ENOTFOUND)
			return rc;
	}
	return rp_errf(e, RP_EINVAL, "no sum was ever recorded to take a currency from; give the make-good's"
		       " currency with --currency, like RUB or EUR");
}

int complaint_resolve(db *d, int64_t id, const complaint_resolution *in, rp_err *e)
{
	const char *resolution = str_blank(in->resolution) ? NULL : in->resolution;
	const char *make_good = str_blank(in->make_good) ? NULL : in->make_good;
	const char *currency = in->currency && *in->currency ? in->currency : NULL;
	int64_t cost = 0;
	int rc;
	if ((rc = check_text("the resolution", resolution, TEXT_MAX, e)) ||
	    (rc = check_text("the make-good", make_good, TEXT_MAX, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	if (!resolution && !make_good)
		return rp_errf(e, RP_EINVAL, "a resolution says how it was put right: give --make-good TEXT --cost"
			       " AMOUNT, or --resolution TEXT, or both");
	if (in->cost && rp_money_parse(in->cost, &cost) < 0)
		return rp_errf(e, RP_EINVAL, "--cost \"%s\" is not a sum like 500 or 12.50", in->cost);
	if (cost < 0)
		return rp_errf(e, RP_EINVAL, "a make-good's cost cannot be negative (%s); give what it cost us, 0 when"
			       " nothing", in->cost);
	if (make_good && !in->cost)
		return rp_errf(e, RP_EINVAL, "a make-good needs its cost: give --cost AMOUNT (0 when it cost nothing)");
	if (!make_good && (in->cost || currency))
		return rp_errf(e, RP_EINVAL, "--cost and --currency are the make-good's: give --make-good TEXT too");
	if (currency && !currency_ok(currency))
		return rp_errf(e, RP_EINVAL, "currency \"%s\" is not a code of three capital letters, like RUB or EUR",
			       currency);
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t contact, answered, resolved, now = rp_now();
	char cur[4] = "";
	rc = load_state(d, id, &contact, &answered, &resolved, e);
	if (!rc && resolved) {
		char at[21];
		rc = rp_errf(e, RP_ECONFLICT, "complaint %lld was resolved already, at %s; see 'rapport complaint show"
			     " %lld'", (long long)id, rp_ts_format(resolved, at), (long long)id);
	}
	if (!rc && make_good && !currency && !(rc = default_currency(d, contact, cur, e)))
		currency = cur;
	/* Resolving one nobody answered yet answers it at once: the resolution
	** is the first thing the client hears, and its minutes count. */
	char *told = !rc && !answered ? str_trim(resolution ? resolution : make_good) : NULL;
	if (!rc && !answered)
		rc = told ? first_response(d, id, contact, told, in->apology, in->by, now, e)
			  : rp_errf(e, RP_ENOMEM, "out of memory");
	free(told);
	if (!rc) {
		db_stmt *s = db_query(d, e,
				      "UPDATE complaint SET resolved_at = $2, resolution = $3, make_good = $4,"
				      " make_good_cost = $5, currency = $6,"
				      " apology = CASE WHEN $7 = 1 THEN 1 ELSE apology END WHERE id = $1",
				      "iittnti", id, now, resolution, make_good, make_good ? currency : NULL,
				      (int64_t)(in->apology != 0));
		if (!s) {
			rc = e->code;
		} else {
			if (make_good)
				db_bind_int(s, 5, cost);
			rc = db_step(s, e);
			rc = rc == DB_DONE ? 0 : rc == DB_ROW ? rp_errf(e, RP_EDB, "unexpected row") : rc;
			db_reset(s);
		}
	}
	if (!rc && make_good) {
		char *given = str_trim(make_good);
		rc = given ? ledger_act(d, id, contact, 0, "cooperate", "made good", given, now, in->by, e)
			   : rp_errf(e, RP_ENOMEM, "out of memory");
		free(given);
	}
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* ---- the agenda ----------------------------------------------------------- */

int complaint_agenda(db *d, const char *owner, int64_t now, json_t **out, rp_err *e)
{
	int64_t target;
	int rc = complaint_target(d, &target, e);
	if (rc)
		return rc;
	/* Oldest first is late first, then longest waiting: one target for all. */
	db_stmt *s = db_query(d, e,
			      "SELECT k.id, k.contact_id, c.name, k.body, k.opened_at, k.duty" COMPLAINT_FROM
			      " WHERE k.answered_at IS NULL AND ($1 IS NULL OR k.duty IS NULL OR k.duty = $1)"
			      " ORDER BY k.opened_at, k.id",
			      "t", owner && *owner ? owner : NULL);
	if (!s)
		return e->code;
	json_t *a = json_array();
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t waited = now - db_col_int(s, 4);
		const char *state = waited > target * 60 ? "late" : waited * 10 >= target * 60 * 6 ? "near" : "waiting";
		json_array_append_new(a, json_pack("{s:I,s:{s:I,s:o},s:o,s:o,s:I,s:I,s:s,s:o}", "id",
						   (json_int_t)db_col_int(s, 0), "contact", "id",
						   (json_int_t)db_col_int(s, 1), "name", col_json_text(s, 2), "text",
						   col_json_text(s, 3), "opened_at", col_json_ts(s, 4), "minutes_waiting",
						   (json_int_t)(waited > 0 ? waited / 60 : 0), "target_minutes",
						   (json_int_t)target, "state", state, "duty", col_json_text(s, 5)));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- the report ------------------------------------------------------------ */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Sums by currency, the most used currency first: {"count", "cost" or
** "revenue", "currency"} for it, and every currency under "by_currency". */
static int money_by_currency(db *d, const char *sql, int64_t since, const char *sum_key, json_t *into, rp_err *e)
{
	db_stmt *s = db_query(d, e, sql, "i", since);
	if (!s)
		return e->code;
	json_t *by = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		char buf[32];
		json_array_append_new(by, json_pack("{s:o,s:I,s:s}", "currency", col_json_text(s, 0), "count",
						    (json_int_t)db_col_int(s, 1), sum_key,
						    rp_money_format(db_col_int(s, 2), buf)));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(by);
		return rc;
	}
	json_t *top = json_array_get(by, 0);
	json_object_set_new(into, sum_key, top ? json_incref(json_object_get(top, sum_key)) : json_string("0.00"));
	json_object_set_new(into, "currency", top ? json_incref(json_object_get(top, "currency")) : json_null());
	json_object_set_new(into, "by_currency", by);
	return 0;
}

int complaint_report(db *d, const char *since, json_t **out, rp_err *e)
{
	char day[11];
	int64_t target, now = rp_now();
	int rc;
	if (since && *since) {
		if ((rc = day_check("--since", since, day, e)))
			return rc;
	} else {
		rp_date_format(rp_civil_from_days(rp_day_of(now) - 90), day);
	}
	rp_date sd;
	rp_date_parse(day, 0, &sd);
	int64_t from = rp_days_from_civil(sd.y, sd.m, sd.d) * 86400;
	if ((rc = complaint_target(d, &target, e)) || (rc = db_begin_read(d, e)))
		return rc;
	/* First responses, for the count in time and the median. */
	db_stmt *s = db_query(d, e, "SELECT opened_at, answered_at FROM complaint WHERE opened_at >= $1", "i", from);
	int64_t count = 0, answered = 0, in_time = 0, pending = 0, *waits = NULL;
	size_t cap = 0;
	if (!s)
		rc = e->code;
	while (s && (rc = db_step(s, e)) == DB_ROW) {
		count++;
		int64_t opened = db_col_int(s, 0);
		if (db_col_null(s, 1)) {
			pending += now - opened <= target * 60; /* may still be answered in time */
			continue;
		}
		int64_t w = db_col_int(s, 1) - opened;
		in_time += w <= target * 60;
		if ((size_t)answered == cap) {
			cap = cap ? cap * 2 : 64;
			int64_t *v = realloc(waits, cap * sizeof *v);
			if (!v) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			waits = v;
		}
		waits[answered++] = w;
	}
	db_reset(s);
	rc = rc == DB_DONE ? 0 : rc;
	json_t *median = json_null(), *share = json_null();
	if (!rc && answered) {
		qsort(waits, (size_t)answered, sizeof *waits, cmp_i64);
		int64_t m2 = waits[(answered - 1) / 2] + waits[answered / 2];
		median = json_real(round((double)m2 / 12.0) / 10.0);
	}
	free(waits);
	/* In time out of those whose outcome is known: a complaint still inside
	** its target may yet be answered in time. */
	if (count - pending > 0)
		share = json_real(round(1000.0 * (double)in_time / (double)(count - pending)) / 1000.0);
	json_t *goods = json_object(), *kept = json_object();
	int64_t clients = 0;
	if (!rc)
		rc = money_by_currency(d,
				       "SELECT currency, count(*), coalesce(sum(make_good_cost), 0) FROM complaint"
				       " WHERE opened_at >= $1 AND make_good IS NOT NULL GROUP BY currency"
				       " ORDER BY count(*) DESC, currency",
				       from, "cost", goods, e);
	if (!rc) {
		int64_t n = 0;
		rc = db_one_int(d, e, &n, "SELECT count(*) FROM complaint WHERE opened_at >= $1 AND make_good IS NOT NULL",
				"i", from);
		json_object_set_new(goods, "count", json_integer(n));
	}
	/* Kept: a complaining client who bought again after the (first) complaint
	** of the period was opened; their revenue is what they bought since. */
#define KEPT_FROM                                                                                              \
	" FROM interaction i JOIN (SELECT contact_id, min(opened_at) AS first FROM complaint WHERE opened_at >= $1" \
	" GROUP BY contact_id) k ON k.contact_id = i.contact_id WHERE i.kind = 'purchase' AND i.at > k.first"
	if (!rc)
		rc = db_one_int(d, e, &clients, "SELECT count(DISTINCT i.contact_id)" KEPT_FROM, "i", from);
	json_object_set_new(kept, "clients", json_integer(clients));
	if (!rc)
		rc = money_by_currency(d,
				       "SELECT i.currency, count(DISTINCT i.contact_id), sum(i.amount)" KEPT_FROM
				       " AND i.amount IS NOT NULL GROUP BY i.currency ORDER BY count(DISTINCT i.contact_id)"
				       " DESC, sum(i.amount) DESC, i.currency",
				       from, "revenue", kept, e);
#undef KEPT_FROM
	db_commit(d, NULL);
	if (rc) {
		json_decref(median);
		json_decref(share);
		json_decref(goods);
		json_decref(kept);
		return rc;
	}
	*out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "since", day, "target_minutes", (json_int_t)target,
			 "count", (json_int_t)count, "answered", (json_int_t)answered, "answered_in_time",
			 (json_int_t)in_time, "share_in_time", share, "median_first_response_minutes", median,
			 "make_goods", goods, "kept", kept);
	return 0;
}
