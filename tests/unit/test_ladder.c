/* core/ladder, core/consent, core/funnel: the permission ladder, consent
** with its evidence, the events that move clients, and the funnel. */
#define TEST_DAY "2026-04-01"
#include "testlib.h"

#include <math.h>

#define HOUR 3600LL
#define DAY 86400LL

static int64_t add(db *d, const char *name)
{
	contact_in in = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add %s: %s", name, e.msg);
	return id;
}

static const char *stage_of(db *d, int64_t id)
{
	static char buf[4][16];
	static int k;
	char *s = buf[k++ % 4];
	rp_err e = {0};
	if (ladder_stage(d, id, s, &e))
		fail_msg("ladder_stage %lld: %s", (long long)id, e.msg);
	return s;
}

static int64_t count(db *d, const char *sql, int64_t id)
{
	int64_t n = -1;
	rp_err e = {0};
	if (db_one_int(d, &e, &n, sql, "i", id))
		fail_msg("%s: %s", sql, e.msg);
	return n;
}

static int64_t moves_of(db *d, int64_t id)
{
	return count(d, "SELECT count(*) FROM stage_move WHERE contact_id = $1", id);
}

static int grant(db *d, int64_t id, const char *channel, const char *purpose, const char *evidence, rp_err *e)
{
	consent_in in = {.channel = channel, .purpose = purpose, .state = "granted", .how = "form",
			 .evidence = evidence, .by = "anna"};
	memset(e, 0, sizeof *e);
	return consent_set(d, id, &in, NULL, e);
}

static int withdraw(db *d, int64_t id, const char *channel, const char *purpose, rp_err *e)
{
	consent_in in = {.channel = channel, .purpose = purpose, .state = "revoked", .how = "call", .by = "boris"};
	memset(e, 0, sizeof *e);
	return consent_set(d, id, &in, NULL, e);
}

static void grant_ok(db *d, int64_t id, const char *channel, const char *purpose)
{
	rp_err e;
	if (grant(d, id, channel, purpose, "Signed the paper form", &e))
		fail_msg("grant: %s", e.msg);
}

static void withdraw_ok(db *d, int64_t id, const char *channel, const char *purpose)
{
	rp_err e;
	if (withdraw(d, id, channel, purpose, &e))
		fail_msg("revoke: %s", e.msg);
}

/* A person's move at a given time (0: now). */
static void move_at(db *d, int64_t id, const char *to, int64_t at)
{
	ladder_in in = {.to = to, .cause = "person", .why = "seen it", .by = "anna", .at = at};
	rp_err e = {0};
	if (ladder_move(d, id, &in, &e))
		fail_msg("ladder_move %lld to %s: %s", (long long)id, to, e.msg);
}

/* The latest move of a contact as JSON (ladder_history's first). */
static json_t *last_move(db *d, int64_t id)
{
	json_t *h = NULL;
	rp_err e = {0};
	if (ladder_history(d, id, &h, &e))
		fail_msg("ladder_history: %s", e.msg);
	json_t *m = json_incref(json_array_get(json_object_get(h, "moves"), 0));
	json_decref(h);
	if (!m)
		fail_msg("contact %lld has no moves", (long long)id);
	return m;
}

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

#define assert_contains(hay, needle)                                                              \
	do {                                                                                      \
		const char *h_ = (hay);                                                           \
		if (!h_ || !strstr(h_, (needle)))                                                 \
			fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", (needle)); \
	} while (0)

static int64_t ts(const char *iso)
{
	int64_t t;
	if (rp_ts_parse(iso, &t) < 0)
		fail_msg("not a time: %s", iso);
	return t;
}

/* ---- consent ------------------------------------------------------------ */

static void test_grant_needs_evidence(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	rp_err e;
	assert_int_equal(grant(f->d, id, "email", "news", NULL, &e), RP_EINVAL);
	assert_contains(e.msg, "evidence");
	assert_int_equal(grant(f->d, id, "email", "news", "   ", &e), RP_EINVAL);
	assert_int_equal(table_rows(f->d, "consent"), 0);
	assert_string_equal(stage_of(f->d, id), "stranger");
	assert_int_equal(moves_of(f->d, id), 0);
	/* Bad words are refused, naming what is allowed. */
	assert_int_equal(grant(f->d, id, "fax", "news", "x", &e), RP_EINVAL);
	assert_contains(e.msg, "email, phone, sms, messenger or post");
	assert_int_equal(grant(f->d, id, "email", "spam", "x", &e), RP_EINVAL);
	assert_contains(e.msg, "service, news, offers or surveys");
	assert_int_equal(grant(f->d, 999, "email", "news", "x", &e), RP_ENOTFOUND);
	/* Withdrawing needs no evidence. */
	assert_int_equal(withdraw(f->d, id, "email", "news", &e), 0);
	char st[16];
	assert_int_equal(consent_current(f->d, id, "email", "news", st, &e), 0);
	assert_string_equal(st, "revoked");
	assert_int_equal(consent_current(f->d, id, "sms", "news", st, &e), 0);
	assert_string_equal(st, "none");
}

static void test_grant_lifts_to_yes(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	grant_ok(f->d, id, "email", "news");
	assert_string_equal(stage_of(f->d, id), "yes");
	json_t *m = last_move(f->d, id);
	assert_string_equal(str(m, "from"), "stranger");
	assert_string_equal(str(m, "to"), "yes");
	assert_string_equal(str(m, "cause"), "consent");
	assert_string_equal(str(m, "why"), "consent given");
	assert_true(json_is_null(json_object_get(m, "by"))); /* an event, not a person */
	assert_contains(str(m, "evidence"), "email/news granted (form)");
	json_decref(m);
	int allowed = 0;
	rp_err e = {0};
	assert_int_equal(consent_allowed(f->d, id, "email", "news", &allowed, &e), 0);
	assert_true(allowed);
	assert_int_equal(consent_allowed(f->d, id, "email", "offers", &allowed, &e), 0);
	assert_false(allowed);
	/* Another consent does not move them again; nor does it take down a
	** client who stands higher. */
	grant_ok(f->d, id, "sms", "offers");
	assert_int_equal(moves_of(f->d, id), 1);
	move_at(f->d, id, "trust", 0);
	grant_ok(f->d, id, "post", "service");
	assert_string_equal(stage_of(f->d, id), "trust");
	assert_int_equal(moves_of(f->d, id), 2);
	/* The consent row keeps who noted it and what the client was shown. */
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE contact_id = $1 AND by_user = 'anna'"
				   " AND how = 'form' AND evidence = 'Signed the paper form'",
			       id),
			 3);
}

static void test_revoke_last_grant(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	grant_ok(f->d, id, "email", "news");
	grant_ok(f->d, id, "sms", "offers");
	withdraw_ok(f->d, id, "email", "news");
	assert_string_equal(stage_of(f->d, id), "yes"); /* still a yes for sms offers */
	withdraw_ok(f->d, id, "sms", "offers");
	assert_string_equal(stage_of(f->d, id), "attention");
	json_t *m = last_move(f->d, id);
	assert_string_equal(str(m, "from"), "yes");
	assert_string_equal(str(m, "to"), "attention");
	assert_string_equal(str(m, "cause"), "revoke");
	assert_string_equal(str(m, "why"), "consent withdrawn");
	assert_true(json_is_null(json_object_get(m, "by")));
	json_decref(m);
	/* Revoking again moves nothing; a new yes lifts again. */
	withdraw_ok(f->d, id, "sms", "offers");
	assert_int_equal(moves_of(f->d, id), 2);
	grant_ok(f->d, id, "email", "surveys");
	assert_string_equal(stage_of(f->d, id), "yes");
	assert_int_equal(moves_of(f->d, id), 3);
}

static void test_revoke_at_dialogue_stays(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	grant_ok(f->d, id, "email", "news");
	move_at(f->d, id, "dialogue", 0);
	withdraw_ok(f->d, id, "email", "news");
	assert_string_equal(stage_of(f->d, id), "dialogue");
	assert_int_equal(moves_of(f->d, id), 2);
}

static void test_consent_history_kept(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	grant_ok(f->d, id, "email", "news");
	withdraw_ok(f->d, id, "email", "news");
	rp_err e;
	assert_int_equal(grant(f->d, id, "email", "news", "Ticked the box on the website", &e), 0);
	assert_int_equal(table_rows(f->d, "consent"), 3);
	/* The first row is as it was written. */
	assert_int_equal(count(f->d,
			       "SELECT count(*) FROM consent WHERE contact_id = $1 AND state = 'granted'"
			       " AND evidence = 'Signed the paper form' AND how = 'form' AND by_user = 'anna'"
			       " AND id = (SELECT min(id) FROM consent)",
			       id),
			 1);
	json_t *l = NULL;
	assert_int_equal(consent_list(f->d, id, &l, &e), 0);
	json_t *cur = json_object_get(l, "current"), *hist = json_object_get(l, "history");
	assert_int_equal(json_array_size(cur), 1);
	assert_string_equal(str(json_array_get(cur, 0), "state"), "granted");
	assert_string_equal(str(json_array_get(cur, 0), "evidence"), "Ticked the box on the website");
	assert_int_equal(json_array_size(hist), 3);
	assert_string_equal(str(json_array_get(hist, 1), "state"), "revoked");
	assert_string_equal(str(json_array_get(hist, 1), "by"), "boris");
	assert_string_equal(str(json_array_get(hist, 2), "evidence"), "Signed the paper form");
	json_decref(l);
	/* The moves too: up, down, up again, each its own row. */
	assert_int_equal(moves_of(f->d, id), 3);
}

/* ---- moves by a person ---------------------------------------------------- */

static void test_person_moves(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	rp_err e = {0};
	ladder_in in = {.to = "dialogue", .cause = "person", .by = "anna"};
	assert_int_equal(ladder_move(f->d, id, &in, &e), RP_EINVAL);
	assert_contains(e.msg, "why");
	in.why = "  ";
	assert_int_equal(ladder_move(f->d, id, &in, &e), RP_EINVAL);
	assert_int_equal(moves_of(f->d, id), 0);
	in.why = "Asked for the spring catalogue";
	in.evidence = "email of 3 March";
	assert_int_equal(ladder_move(f->d, id, &in, &e), 0);
	json_t *m = last_move(f->d, id);
	assert_string_equal(str(m, "from"), "stranger");
	assert_string_equal(str(m, "to"), "dialogue");
	assert_string_equal(str(m, "by"), "anna");
	assert_string_equal(str(m, "why"), "Asked for the spring catalogue");
	assert_string_equal(str(m, "evidence"), "email of 3 March");
	assert_string_equal(str(m, "cause"), "person");
	assert_string_equal(str(m, "at"), "2026-04-01T12:00:00Z");
	json_decref(m);
	/* Down works, and is recorded like any move. */
	in.to = "attention";
	in.why = "Stopped answering";
	in.evidence = NULL;
	assert_int_equal(ladder_move(f->d, id, &in, &e), 0);
	assert_string_equal(stage_of(f->d, id), "attention");
	m = last_move(f->d, id);
	assert_string_equal(str(m, "from"), "dialogue");
	assert_string_equal(str(m, "to"), "attention");
	json_decref(m);
	/* Where they already stand: nothing to record. */
	assert_int_equal(ladder_move(f->d, id, &in, &e), 0);
	assert_int_equal(moves_of(f->d, id), 2);
	/* Unknown stages, causes and contacts. */
	in.to = "friend";
	assert_int_equal(ladder_move(f->d, id, &in, &e), RP_EINVAL);
	assert_contains(e.msg, "stranger, attention, yes, dialogue, trust, customer or advocate");
	in.to = "trust";
	in.cause = "magic";
	assert_int_equal(ladder_move(f->d, id, &in, &e), RP_EINVAL);
	in.cause = "person";
	assert_int_equal(ladder_move(f->d, 999, &in, &e), RP_ENOTFOUND);
	assert_int_equal(moves_of(f->d, id), 2);
	/* The first move is as it was written. */
	assert_int_equal(count(f->d,
			       "SELECT count(*) FROM stage_move WHERE contact_id = $1 AND from_stage = 'stranger'"
			       " AND to_stage = 'dialogue' AND by_user = 'anna' AND evidence = 'email of 3 March'",
			       id),
			 1);
}

static void test_raise_never_down(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	move_at(f->d, id, "trust", 0);
	ladder_in up = {.to = "yes", .cause = "consent", .why = "consent given"};
	rp_err e = {0};
	assert_int_equal(ladder_raise(f->d, id, &up, &e), 0);
	assert_string_equal(stage_of(f->d, id), "trust");
	up.to = "customer";
	up.cause = "purchase";
	assert_int_equal(ladder_raise(f->d, id, &up, &e), 0);
	assert_string_equal(stage_of(f->d, id), "customer");
	assert_int_equal(moves_of(f->d, id), 2);
}

/* Moves keep the history in order: never before the latest, never after now. */
static void test_move_times(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	int64_t now = rp_now();
	move_at(f->d, id, "attention", now - 10 * DAY);
	move_at(f->d, id, "yes", now - 20 * DAY); /* before the latest: at it */
	move_at(f->d, id, "dialogue", now + 5 * DAY); /* in the future: now */
	json_t *h = NULL;
	rp_err e = {0};
	assert_int_equal(ladder_history(f->d, id, &h, &e), 0);
	json_t *mv = json_object_get(h, "moves");
	assert_int_equal(json_array_size(mv), 3);
	assert_string_equal(str(json_array_get(mv, 0), "at"), "2026-04-01T12:00:00Z");
	assert_string_equal(str(json_array_get(mv, 1), "at"), "2026-03-22T12:00:00Z");
	assert_string_equal(str(json_array_get(mv, 2), "at"), "2026-03-22T12:00:00Z");
	assert_string_equal(str(json_array_get(mv, 1), "to"), "yes"); /* same second: by id */
	json_decref(h);
}

static void test_labels(void **state)
{
	fx *f = *state;
	int64_t id = add(f->d, "Анна Иванова");
	rp_err e = {0};
	assert_int_equal(setting_set(f->d, "stage.name.yes", "Да, пишите", &e), 0);
	assert_int_equal(setting_set(f->d, "stage.name.trust", "", &e), 0);
	grant_ok(f->d, id, "email", "news");
	json_t *h = NULL;
	assert_int_equal(ladder_history(f->d, id, &h, &e), 0);
	assert_string_equal(str(h, "stage"), "yes");
	assert_string_equal(str(h, "label"), "Да, пишите");
	assert_int_equal(json_integer_value(json_object_get(h, "rank")), 2);
	json_t *stages = json_object_get(h, "stages");
	assert_int_equal(json_array_size(stages), 7);
	assert_string_equal(str(json_array_get(stages, 4), "stage"), "trust");
	assert_string_equal(str(json_array_get(stages, 4), "label"), "trust"); /* empty: the key */
	json_decref(h);
	assert_int_equal(ladder_check_label("yes", "Said yes", &e), 0);
	assert_int_equal(ladder_check_label("maybe", "Perhaps", &e), RP_EINVAL);
	assert_int_equal(ladder_check_label("yes", "two\nlines", &e), RP_EINVAL);
	assert_int_equal(ladder_check_label("yes", "a name of more than sixty-four bytes is far too long to be shown for a stage", &e),
			 RP_EINVAL);
}

/* ---- events --------------------------------------------------------------- */

static int64_t log_kind(db *d, int64_t id, const char *kind, int64_t at)
{
	interaction_in in = {.contact_id = id, .at = at, .kind = kind, .by = "anna", .minutes = -1};
	if (!strcmp(kind, "purchase")) {
		in.has_amount = 1;
		in.amount = 450000;
		in.currency = "RUB";
	}
	int64_t iid = 0;
	rp_err e = {0};
	if (interaction_add(d, &in, &iid, &e))
		fail_msg("interaction_add: %s", e.msg);
	return iid;
}

static void relate(db *d, int64_t a, int64_t b)
{
	rp_err e = {0};
	if (relation_add(d, a, b, "referred_by", NULL, &e))
		fail_msg("relation_add: %s", e.msg);
}

static void test_purchase_events(void **state)
{
	fx *f = *state;
	int64_t buyer = add(f->d, "Анна Иванова"), referrer = add(f->d, "Борис Петров"),
		other = add(f->d, "Вера Сидорова");
	/* Anna was referred by Boris: the relation's a is the referred client,
	** b the one who referred them. */
	relate(f->d, buyer, referrer);
	assert_string_equal(stage_of(f->d, referrer), "stranger"); /* she has not bought yet */
	log_kind(f->d, buyer, "call", rp_now() - 3 * DAY);
	assert_int_equal(table_rows(f->d, "stage_move"), 0);
	int64_t iid = log_kind(f->d, buyer, "purchase", rp_now() - 2 * DAY);
	assert_string_equal(stage_of(f->d, buyer), "customer");
	json_t *m = last_move(f->d, buyer);
	assert_string_equal(str(m, "cause"), "purchase");
	assert_string_equal(str(m, "at"), "2026-03-30T12:00:00Z"); /* when she bought */
	assert_true(json_is_null(json_object_get(m, "by")));
	char ev[64];
	snprintf(ev, sizeof ev, "interaction #%lld", (long long)iid);
	assert_string_equal(str(m, "evidence"), ev);
	json_decref(m);
	assert_string_equal(stage_of(f->d, referrer), "advocate");
	m = last_move(f->d, referrer);
	assert_string_equal(str(m, "from"), "stranger");
	assert_string_equal(str(m, "cause"), "referral");
	snprintf(ev, sizeof ev, "contact #%lld bought", (long long)buyer);
	assert_string_equal(str(m, "evidence"), ev);
	json_decref(m);
	/* Buying again moves nobody again. */
	log_kind(f->d, buyer, "purchase", rp_now());
	assert_int_equal(table_rows(f->d, "stage_move"), 2);
	/* The other direction means nothing: Vera referred by Anna, and Anna
	** buying does not make Vera an advocate. */
	relate(f->d, other, buyer);
	log_kind(f->d, buyer, "purchase", rp_now());
	assert_string_equal(stage_of(f->d, other), "stranger");
	/* A referral recorded after the purchase lifts the referrer at once. */
	int64_t late = add(f->d, "Глеб Орлов");
	relate(f->d, buyer, late);
	assert_string_equal(stage_of(f->d, late), "advocate");
	/* A customer moved down by a person is lifted by the next purchase. */
	move_at(f->d, buyer, "trust", 0);
	log_kind(f->d, buyer, "purchase", rp_now());
	assert_string_equal(stage_of(f->d, buyer), "customer");
	/* An advocate who buys stays an advocate. */
	log_kind(f->d, referrer, "purchase", rp_now());
	assert_string_equal(stage_of(f->d, referrer), "advocate");
}

static void import_ok(db *d, const char *what, const char *csv, int64_t want)
{
	json_t *rep = NULL;
	rp_err e;
	if (test_import(d, what, csv, (import_opts){0}, &rep, &e))
		fail_msg("import %s: %s", what, e.msg);
	assert_int_equal(json_integer_value(json_object_get(rep, "imported")), want);
	json_decref(rep);
}

static void test_import_purchases(void **state)
{
	fx *f = *state;
	int64_t a = add(f->d, "Анна"), b = add(f->d, "Борис"), c = add(f->d, "Вера"), r = add(f->d, "Глеб"),
		s = add(f->d, "Дина");
	move_at(f->d, b, "trust", 0); /* now: his purchase below is older */
	move_at(f->d, s, "advocate", 0);
	relate(f->d, a, r);
	relate(f->d, b, r);
	relate(f->d, c, s);
	char csv[2048];
	snprintf(csv, sizeof csv,
		 "contact_id,at,kind,amount,currency,summary\n"
		 "%lld,2026-03-01T10:00:00Z,call,,,hello\n"
		 "%lld,2026-03-05T10:00:00Z,purchase,200,RUB,second\n"
		 "%lld,2026-03-02T10:00:00Z,purchase,100,RUB,first\n"
		 "%lld,2026-03-03T10:00:00Z,purchase,50,RUB,x\n"
		 "%lld,2026-03-03T10:00:00Z,note,,,not a purchase\n",
		 (long long)a, (long long)a, (long long)a, (long long)b, (long long)c);
	/* A dry run moves nobody. */
	json_t *rep;
	rp_err e;
	assert_int_equal(test_import(f->d, "interactions", csv, (import_opts){.dry_run = 1}, &rep, &e), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "stage_move"), 2);
	import_ok(f->d, "interactions", csv, 5);
	/* Anna: customer as of her first purchase. */
	assert_string_equal(stage_of(f->d, a), "customer");
	json_t *m = last_move(f->d, a);
	assert_string_equal(str(m, "cause"), "purchase");
	assert_string_equal(str(m, "at"), "2026-03-02T10:00:00Z");
	assert_string_equal(str(m, "from"), "stranger");
	assert_contains(str(m, "evidence"), "interaction #");
	assert_true(json_is_null(json_object_get(m, "by")));
	json_decref(m);
	assert_int_equal(moves_of(f->d, a), 1);
	/* Boris: from trust, and not before the move to trust. */
	assert_string_equal(stage_of(f->d, b), "customer");
	m = last_move(f->d, b);
	assert_string_equal(str(m, "from"), "trust");
	assert_string_equal(str(m, "at"), "2026-04-01T12:00:00Z");
	json_decref(m);
	/* Gleb referred both: one move, as of the first of their purchases. */
	assert_string_equal(stage_of(f->d, r), "advocate");
	assert_int_equal(moves_of(f->d, r), 1);
	m = last_move(f->d, r);
	assert_string_equal(str(m, "cause"), "referral");
	assert_string_equal(str(m, "at"), "2026-03-02T10:00:00Z");
	json_decref(m);
	/* Vera only wrote a note; Dina was an advocate already. */
	assert_string_equal(stage_of(f->d, c), "stranger");
	assert_int_equal(moves_of(f->d, s), 1);
	assert_int_equal(table_rows(f->d, "stage_move"), 2 + 3);

	/* Rows with their own ids make many runs of ids: more than one
	** statement's worth, and the last client only in the last run. */
	int64_t g = add(f->d, "Евгений"), h = add(f->d, "Жанна");
	rp_buf b2 = {0};
	rp_buf_puts(&b2, "id,contact_id,at,kind,amount,currency\n");
	for (int k = 0; k < 40; k++)
		rp_buf_printf(&b2, "%d,%lld,2026-03-%02dT09:00:00Z,purchase,10,RUB\n", 1000 + 2 * k,
			      (long long)(k < 39 ? g : h), 1 + k % 28);
	import_ok(f->d, "interactions", b2.p, 40);
	rp_buf_free(&b2);
	assert_string_equal(stage_of(f->d, g), "customer");
	assert_string_equal(stage_of(f->d, h), "customer");
	assert_int_equal(moves_of(f->d, g), 1);
	m = last_move(f->d, g);
	assert_string_equal(str(m, "at"), "2026-03-01T09:00:00Z");
	json_decref(m);
	m = last_move(f->d, h);
	assert_string_equal(str(m, "at"), "2026-03-12T09:00:00Z"); /* k = 39: day 1 + 39 % 28 */
	json_decref(m);
	/* contact.stage is always the latest move. */
	assert_int_equal(count(f->d,
			       "SELECT count(*) FROM contact c WHERE c.id > $1 AND c.stage <> coalesce((SELECT m.to_stage"
			       " FROM stage_move m WHERE m.contact_id = c.id ORDER BY m.at DESC, m.id DESC LIMIT 1),"
			       " 'stranger')",
			       0),
			 0);
}

static void test_import_consent(void **state)
{
	fx *f = *state;
	import_ok(f->d, "contacts",
		  "name,email,consent,consent_evidence\n"
		  "Анна Иванова,anna@example.org,email:news; sms:offers ,\"Paper form v2 \"\"News and offers\"\"\"\n"
		  "Борис Петров,boris@example.org,,\n"
		  "Вера Сидорова,vera@example.org,,Evidence without a consent says nothing\n",
		  3);
	int64_t anna = 0, boris = 0, vera = 0;
	rp_err e = {0};
	assert_int_equal(contact_resolve(f->d, "Анна", &anna, &e), 0);
	assert_int_equal(contact_resolve(f->d, "Борис", &boris, &e), 0);
	assert_int_equal(contact_resolve(f->d, "Вера", &vera, &e), 0);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE contact_id = $1", anna), 2);
	assert_int_equal(count(f->d,
			       "SELECT count(*) FROM consent WHERE contact_id = $1 AND state = 'granted'"
			       " AND how = 'import' AND by_user IS NULL"
			       " AND evidence = 'Paper form v2 \"News and offers\" (import, line 2)'",
			       anna),
			 2);
	char st[16];
	assert_int_equal(consent_current(f->d, anna, "sms", "offers", st, &e), 0);
	assert_string_equal(st, "granted");
	assert_string_equal(stage_of(f->d, anna), "yes");
	/* Nothing assumed for the others. */
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE contact_id <> $1", anna), 0);
	assert_string_equal(stage_of(f->d, boris), "stranger");
	assert_string_equal(stage_of(f->d, vera), "stranger");

	/* A consent without its evidence, or one that is not CHANNEL:PURPOSE,
	** makes its row bad: nothing of the file is imported. */
	static const char *const bad[] = {
		"name,consent,consent_evidence\nГлеб,email:news,\n",
		"name,consent\nГлеб,email:news\n",
		"name,consent,consent_evidence\nГлеб,email-news,form\n",
		"name,consent,consent_evidence\nГлеб,fax:news,form\n",
		"name,consent,consent_evidence\nГлеб,email:spam,form\n",
	};
	static const char *const why[] = {"evidence", "evidence", "CHANNEL:PURPOSE", "channel \"fax\"",
					  "purpose \"spam\""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *rep = NULL;
		assert_int_equal(test_import(f->d, "contacts", bad[i], (import_opts){0}, &rep, &e), RP_EINVAL);
		json_t *p = json_array_get(json_object_get(rep, "problems"), 0);
		assert_int_equal(json_integer_value(json_object_get(p, "line")), 2);
		assert_contains(str(p, "error"), why[i]);
		json_decref(rep);
	}
	assert_int_equal(table_rows(f->d, "contact"), 3);
	assert_int_equal(table_rows(f->d, "consent"), 2);
	/* With --skip-bad the good rows go in, each with its consents. */
	json_t *rep = NULL;
	assert_int_equal(test_import(f->d, "contacts",
				    "name,consent,consent_evidence\n"
				    "Глеб,email:news,\n"
				    "Дина,phone:service,Said yes on the phone\n",
				    (import_opts){.skip_bad = 1}, &rep, &e),
			 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "imported")), 1);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 4);
	assert_int_equal(table_rows(f->d, "consent"), 3);
}

/* ---- merge ------------------------------------------------------------------ */

static void test_merge(void **state)
{
	fx *f = *state;
	int64_t now = rp_now();
	int64_t keep = add(f->d, "Анна Иванова"), other = add(f->d, "Анна И.");
	move_at(f->d, keep, "attention", now - 9 * DAY);
	grant_ok(f->d, other, "email", "news");
	rp_err e = {0};
	assert_int_equal(contact_merge(f->d, keep, other, &e), 0);
	assert_string_equal(stage_of(f->d, keep), "yes"); /* the higher one, and its latest move */
	assert_int_equal(moves_of(f->d, keep), 2);
	assert_int_equal(table_rows(f->d, "stage_move"), 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE contact_id = $1", keep), 1);
	char st[16];
	assert_int_equal(consent_current(f->d, keep, "email", "news", st, &e), 0);
	assert_string_equal(st, "granted");

	/* The higher stage is the older one: a move says so. */
	int64_t k2 = add(f->d, "Борис Петров"), o2 = add(f->d, "Борис П.");
	move_at(f->d, k2, "customer", now - 20 * DAY);
	move_at(f->d, o2, "attention", now - 2 * DAY);
	assert_int_equal(contact_merge(f->d, k2, o2, &e), 0);
	assert_string_equal(stage_of(f->d, k2), "customer");
	assert_int_equal(moves_of(f->d, k2), 3);
	json_t *m = last_move(f->d, k2);
	assert_string_equal(str(m, "from"), "attention");
	assert_string_equal(str(m, "to"), "customer");
	assert_string_equal(str(m, "cause"), "merge");
	assert_contains(str(m, "why"), "merged with contact #");
	json_decref(m);
	/* Merging into the lower record: the higher one wins still. */
	int64_t k3 = add(f->d, "Вера"), o3 = add(f->d, "Вера С.");
	move_at(f->d, o3, "trust", now - DAY);
	assert_int_equal(contact_merge(f->d, k3, o3, &e), 0);
	assert_string_equal(stage_of(f->d, k3), "trust");
	assert_int_equal(moves_of(f->d, k3), 1);
}

/* ---- the funnel ------------------------------------------------------------- */

static json_t *stage_row(json_t *fun, const char *stage)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(fun, "stages"), i, v) if (!strcmp(str(v, "stage"), stage)) return v;
	fail_msg("no stage %s in the funnel", stage);
	return NULL;
}

static void expect(json_t *fun, const char *stage, int entered, int erased, int converted, double conversion,
		   double median, int dropped)
{
	json_t *v = stage_row(fun, stage);
	if (json_integer_value(json_object_get(v, "entered")) != entered ||
	    json_integer_value(json_object_get(v, "erased")) != erased ||
	    json_integer_value(json_object_get(v, "dropped")) != dropped)
		fail_msg("%s: entered %lld erased %lld dropped %lld, want %d %d %d", stage,
			 (long long)json_integer_value(json_object_get(v, "entered")),
			 (long long)json_integer_value(json_object_get(v, "erased")),
			 (long long)json_integer_value(json_object_get(v, "dropped")), entered, erased, dropped);
	json_t *c = json_object_get(v, "converted"), *r = json_object_get(v, "conversion"),
	       *m = json_object_get(v, "median_days");
	if (converted < 0)
		assert_true(json_is_null(c));
	else if (json_integer_value(c) != converted)
		fail_msg("%s: converted %lld, want %d", stage, (long long)json_integer_value(c), converted);
	if (conversion < 0)
		assert_true(json_is_null(r));
	else if (!json_is_number(r) || fabs(json_number_value(r) - conversion) > 1e-9)
		fail_msg("%s: conversion %g, want %g", stage, json_number_value(r), conversion);
	if (median < 0)
		assert_true(json_is_null(m));
	else if (!json_is_number(m) || fabs(json_number_value(m) - median) > 1e-9)
		fail_msg("%s: median %g days, want %g", stage, json_number_value(m), median);
}

/* The example of docs/API.md, worked by hand.  T is 1 March 2026, 00:00
** UTC; the period is 1 to 20 March; every contact was added on 1
** February at noon (T - 27.5 days).
**
**   a: attention T-5d, yes T+1d, dialogue T+2.5d, trust T+4d, customer T+10d
**   b: attention T+1d, yes T+3d, attention T+4d, yes T+25d (after the period)
**   c: customer T+6d, advocate T+8d
**   d: attention T+2d, yes T+2d (the same second), stranger T+5d
**   e: yes T+3d, then removed (its move stays, without the person)
**   f: attention T+19d23h, yes T+20d (the first second after the period)
**
**   stage      entered  erased  converted      median days (moves out)       dropped
**   stranger   1 (d)    0       0 of 1         b 28.5 d 29.5 c 33.5 f 47.46 -> 31.5   0
**   attention  3 b d f  0       2 (b, d) of 3  a 6, b 2, d 0 -> 2                     0
**   yes        4 a b d e 1      1 (a) of 3     a 1.5, b 1, d 3 -> 1.5                 2 (b, d)
**   dialogue   1 a      0       1 of 1         a 1.5                                  0
**   trust      1 a      0       1 of 1         a 6                                    0
**   customer   2 a c    0       1 (c) of 2     c 2                                    0
**   advocate   1 c      0       -              -                                      0 */
static void test_funnel_example(void **state)
{
	fx *f = *state;
	setenv("RAPPORT_TODAY", "2026-02-01", 1);
	int64_t a = add(f->d, "a"), b = add(f->d, "b"), c = add(f->d, "c"), d = add(f->d, "d"), e5 = add(f->d, "e"),
		f6 = add(f->d, "f");
	setenv("RAPPORT_TODAY", TEST_DAY, 1);
	int64_t T = ts("2026-03-01T00:00:00Z");
	move_at(f->d, a, "attention", T - 5 * DAY);
	move_at(f->d, a, "yes", T + DAY);
	move_at(f->d, a, "dialogue", T + 2 * DAY + 12 * HOUR);
	move_at(f->d, a, "trust", T + 4 * DAY);
	move_at(f->d, a, "customer", T + 10 * DAY);
	move_at(f->d, b, "attention", T + DAY);
	move_at(f->d, b, "yes", T + 3 * DAY);
	move_at(f->d, b, "attention", T + 4 * DAY);
	move_at(f->d, b, "yes", T + 25 * DAY);
	move_at(f->d, c, "customer", T + 6 * DAY);
	move_at(f->d, c, "advocate", T + 8 * DAY);
	move_at(f->d, d, "attention", T + 2 * DAY);
	move_at(f->d, d, "yes", T + 2 * DAY);
	move_at(f->d, d, "stranger", T + 5 * DAY);
	move_at(f->d, e5, "yes", T + 3 * DAY);
	move_at(f->d, f6, "attention", T + 19 * DAY + 23 * HOUR);
	move_at(f->d, f6, "yes", T + 20 * DAY);
	rp_err e = {0};
	assert_int_equal(contact_rm(f->d, e5, &e), 0);

	json_t *fun = NULL;
	rp_date from = {2026, 3, 1}, to = {2026, 3, 20};
	assert_int_equal(funnel_build(f->d, from, to, &fun, &e), 0);
	assert_string_equal(str(fun, "from"), "2026-03-01");
	assert_string_equal(str(fun, "to"), "2026-03-20");
	assert_int_equal(json_array_size(json_object_get(fun, "stages")), 7);
	expect(fun, "stranger", 1, 0, 0, 0.0, 31.5, 0);
	expect(fun, "attention", 3, 0, 2, 2.0 / 3, 2.0, 0);
	expect(fun, "yes", 4, 1, 1, 1.0 / 3, 1.5, 2);
	expect(fun, "dialogue", 1, 0, 1, 1.0, 1.5, 0);
	expect(fun, "trust", 1, 0, 1, 1.0, 6.0, 0);
	expect(fun, "customer", 2, 0, 1, 0.5, 2.0, 0);
	expect(fun, "advocate", 1, 0, -1, -1, -1, 0);
	json_decref(fun);

	/* A period with nothing in it, and one the wrong way round. */
	rp_date jan1 = {2026, 1, 1}, jan31 = {2026, 1, 31};
	assert_int_equal(funnel_build(f->d, jan1, jan31, &fun, &e), 0);
	expect(fun, "yes", 0, 0, 0, -1, -1, 0);
	expect(fun, "advocate", 0, 0, -1, -1, -1, 0);
	json_decref(fun);
	assert_int_equal(funnel_build(f->d, jan31, jan1, &fun, &e), RP_EINVAL);
	assert_contains(e.msg, "after it ends");

	/* One day: the 5th, when b dropped from yes (entered the day before)
	** and a moved up from dialogue (entered 1.5 days before). */
	rp_date d4 = {2026, 3, 5};
	assert_int_equal(funnel_build(f->d, d4, d4, &fun, &e), 0);
	expect(fun, "attention", 1, 0, 0, 0.0, -1, 0);
	expect(fun, "trust", 1, 0, 0, 0.0, -1, 0);
	expect(fun, "yes", 0, 0, 0, -1, 1.0, 1);
	expect(fun, "dialogue", 0, 0, 0, -1, 1.5, 0);
	json_decref(fun);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grant_needs_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_lifts_to_yes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_last_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_at_dialogue_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_history_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raise_never_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purchase_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_purchases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel_example, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
