/* core/trust: the ledger, complaints in it, the state, score and
** recommendation, the agenda's block, and the acts following their contact
** through merge, export and erasure. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <math.h>

#define STR(o, k) json_string_value(json_object_get((o), (k)))
#define INT(o, k) json_integer_value(json_object_get((o), (k)))

static int64_t add_contact(db *d, const char *name, const char *owner)
{
	contact_in c = {.name = name, .owner = owner};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	return id;
}

static int64_t act(db *d, int64_t contact, const char *by, const char *what, const char *on, const char *text)
{
	trust_in in = {.contact_id = contact, .by = by, .act = what, .on = on, .text = text, .user = "anna"};
	int64_t id = 0;
	rp_err e = {0};
	if (trust_record(d, &in, &id, &e))
		fail_msg("trust_record: %s", e.msg);
	return id;
}

static json_t *show(db *d, int64_t contact, const char *lang)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (trust_show(d, contact, lang, &out, &e))
		fail_msg("trust_show: %s", e.msg);
	return out;
}

static void set(db *d, const char *key, const char *value)
{
	rp_err e = {0};
	assert_int_equal(setting_set(d, key, value, &e), 0);
}

/* Done means: a complaint resolved with a make-good shows in the ledger as
** our defect followed by our cooperation. */
static void test_complaint_in_ledger(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t c = add_contact(f->d, "Boris Petrov", NULL), k = 0;
	interaction_in in = {.contact_id = c, .at = rp_now() - 3600, .kind = "purchase", .summary = "sofa",
			     .currency = "RUB", .amount = 450000, .has_amount = 1, .minutes = -1};
	int64_t iid;
	assert_int_equal(interaction_add(f->d, &in, &iid, &e), 0);
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "The sofa came late", .by = "anna"},
					&k, &e), 0);
	json_t *t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "we let them down");
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "make good");
	json_decref(t);
	complaint_resolution r = {.make_good = "free delivery", .cost = "300", .apology = 1, .by = "anna"};
	assert_int_equal(complaint_resolve(f->d, k, &r, &e), 0);
	t = show(f->d, c, NULL);
	json_t *acts = json_object_get(t, "acts");
	assert_int_equal(json_array_size(acts), 2);
	json_t *first = json_array_get(acts, 1), *second = json_array_get(acts, 0); /* newest first */
	assert_string_equal(STR(first, "by"), "company");
	assert_string_equal(STR(first, "act"), "defect");
	assert_string_equal(STR(first, "text"), "complaint: The sofa came late");
	assert_int_equal(INT(first, "complaint"), k);
	assert_string_equal(STR(second, "by"), "company");
	assert_string_equal(STR(second, "act"), "cooperate");
	assert_string_equal(STR(second, "text"), "made good: free delivery");
	assert_int_equal(INT(second, "complaint"), k);
	assert_true(INT(second, "id") > INT(first, "id"));
	assert_string_equal(STR(t, "state"), "mutual cooperation");
	assert_true(json_is_null(json_object_get(t, "open_letdown")));
	json_decref(t);
	/* A resolution without a make-good writes nothing more. */
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "Wrong colour"}, &k, &e), 0);
	assert_int_equal(complaint_resolve(f->d, k, &(complaint_resolution){.resolution = "explained"}, &e), 0);
	assert_int_equal(table_rows(f->d, "trust_act"), 3);
	/* ... and that complaint stays unmade good: another complaint's make-good does not answer it. */
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "we let them down");
	assert_string_equal(STR(json_object_get(t, "open_letdown"), "text"), "complaint: Wrong colour");
	json_decref(t);
}

static void test_states_and_policies(void **state)
{
	fx *f = *state;
	int64_t c = add_contact(f->d, "Vera", NULL);
	json_t *t = NULL;
	rp_err e = {0};
	assert_int_equal(trust_card(f->d, c, "Vera", NULL, &t, &e), 0);
	assert_true(json_is_null(t)); /* no history: no trust object on the card */
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "no history");
	assert_int_equal(json_array_size(json_object_get(t, "acts")), 0);
	json_decref(t);

	act(f->d, c, "client", "cooperate", "2026-11-01", "paid early");
	act(f->d, c, "client", "defect", "2026-11-10", "returned a worn dress as new");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "they let us down");
	/* generous tit-for-tat forgives one defection */
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "cooperate");
	assert_non_null(strstr(STR(json_object_get(t, "recommendation"), "why"), "forgives"));
	json_decref(t);
	set(f->d, "trust.policy", "tft");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "defect");
	json_decref(t);
	set(f->d, "trust.policy", "gtft");
	act(f->d, c, "client", "defect", "2026-11-12", "did not pay");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "defect"); /* it repeats */
	json_decref(t);
	set(f->d, "trust.policy", "always-cooperate");
	t = show(f->d, c, "ru");
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "cooperate");
	assert_string_equal(STR(json_object_get(t, "recommendation"), "why"), "наша политика: всегда сотрудничать");
	json_decref(t);
	set(f->d, "trust.policy", "gtft");
	/* ours on top of theirs: mutual defection, and we make good first */
	act(f->d, c, "company", "defect", "2026-11-03", "delivered late and said nothing");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "mutual defection");
	assert_string_equal(STR(json_object_get(t, "recommendation"), "act"), "make good");
	assert_string_equal(STR(json_object_get(t, "recommendation"), "why"),
			    "we let them down on 3 Nov and have not made it good: delivered late and said nothing");
	json_decref(t);
	/* they cooperate again: only our letdown stands */
	act(f->d, c, "client", "cooperate", "2026-11-20", "paid the rest");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "we let them down");
	json_decref(t);
	/* a cooperation of ours recorded for a day before the defect does not make it good */
	act(f->d, c, "company", "cooperate", "2026-11-02", "gift wrapping");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "we let them down");
	json_decref(t);
	act(f->d, c, "company", "cooperate", "2026-11-21", "apologised and sent a replacement at once");
	t = show(f->d, c, NULL);
	assert_string_equal(STR(t, "state"), "mutual cooperation");
	/* acts newest first by day */
	assert_string_equal(STR(json_array_get(json_object_get(t, "acts"), 0), "on"), "2026-11-21");
	json_decref(t);
}

/* The score: weights halve every half-life; the window forgets. */
static void test_score(void **state)
{
	fx *f = *state;
	int64_t c = add_contact(f->d, "Gleb", NULL);
	act(f->d, c, "company", "defect", "2026-08-25", "lost the order"); /* 90 days before TEST_DAY: weight 1/2 */
	act(f->d, c, "client", "cooperate", "2026-11-23", "stayed patient");  /* weight 1 */
	json_t *t = show(f->d, c, NULL);
	assert_true(fabs(json_real_value(json_object_get(t, "score")) - 0.333) < 1e-9); /* (1 - 0.5) / 1.5 */
	assert_true(fabs(json_real_value(json_object_get(t, "company_score")) + 1) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(t, "client_score")) - 1) < 1e-9);
	json_decref(t);
	set(f->d, "trust.half_life_days", "20"); /* weight 2^-4.5 */
	t = show(f->d, c, NULL);
	double w = exp2(-4.5);
	assert_true(fabs(json_real_value(json_object_get(t, "score")) - round((1 - w) / (1 + w) * 1000) / 1000) < 1e-9);
	/* 90 days is past 4 x 20: the defection no longer sets the state */
	assert_string_equal(STR(t, "state"), "mutual cooperation");
	json_decref(t);
	int64_t old = add_contact(f->d, "Old", NULL);
	act(f->d, old, "company", "defect", "2025-01-10", "long ago");
	set(f->d, "trust.half_life_days", "90");
	t = show(f->d, old, NULL);
	assert_string_equal(STR(t, "state"), "no history");
	assert_true(json_real_value(json_object_get(t, "score")) < 0);
	json_decref(t);
}

static void test_validation(void **state)
{
	fx *f = *state;
	int64_t c = add_contact(f->d, "Dina", NULL), o = add_contact(f->d, "Other", NULL), id = 0;
	interaction_in in = {.contact_id = o, .at = rp_now() - 60, .kind = "call", .summary = "x", .minutes = -1};
	int64_t iid;
	rp_err e = {0};
	assert_int_equal(interaction_add(f->d, &in, &iid, &e), 0);
	struct {
		trust_in in;
		int code;
		const char *says;
	} bad[] = {
		{{.contact_id = c, .by = "us", .act = "defect", .text = "x"}, RP_EINVAL, "company or client"},
		{{.contact_id = c, .by = "company", .act = "cheat", .text = "x"}, RP_EINVAL, "cooperate or defect"},
		{{.contact_id = c, .by = "company", .act = "defect", .text = "  "}, RP_EINVAL, "say what happened"},
		{{.contact_id = c, .by = "company", .act = "defect", .text = "x", .on = "2026-12-01"}, RP_EINVAL, "future"},
		{{.contact_id = c, .by = "company", .act = "defect", .text = "x", .on = "yesterday"}, RP_EINVAL, "YYYY-MM-DD"},
		{{.contact_id = c, .by = "company", .act = "defect", .text = "x", .interaction = iid}, RP_EINVAL, "is with contact"},
		{{.contact_id = c, .by = "company", .act = "defect", .text = "x", .interaction = 999}, RP_ENOTFOUND, "no interaction"},
		{{.contact_id = 999, .by = "company", .act = "defect", .text = "x"}, RP_ENOTFOUND, "999"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&e, 0, sizeof e);
		assert_int_equal(trust_record(f->d, &bad[i].in, &id, &e), bad[i].code);
		if (!strstr(e.msg, bad[i].says))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, e.msg, bad[i].says);
	}
	assert_int_equal(table_rows(f->d, "trust_act"), 0);
	rp_err e2 = {0};
	assert_int_equal(trust_setting_check("trust.policy", "nice", &e2), RP_EINVAL);
	assert_int_equal(trust_setting_check("trust.policy", "tft", &e2), 0);
}

/* The agenda lists whom we let down and did not make it good, oldest first. */
static void test_agenda(void **state)
{
	fx *f = *state;
	int64_t a = add_contact(f->d, "Anna", "anna"), b = add_contact(f->d, "Boris", "bob"),
		c = add_contact(f->d, "Clara", "anna");
	act(f->d, b, "company", "defect", "2026-11-03", "delivered late");
	act(f->d, a, "company", "defect", "2026-11-10", "rude on the phone");
	act(f->d, a, "company", "defect", "2026-11-12", "wrong size");
	act(f->d, c, "company", "defect", "2026-11-01", "forgot the order");
	act(f->d, c, "company", "cooperate", "2026-11-02", "delivered it ourselves");
	agenda_opts o = {.date = rp_today(), .limit = 30, .lookahead = 3, .lang = "en"};
	json_t *ag = NULL;
	rp_err e = {0};
	assert_int_equal(agenda_build(f->d, &o, &ag, &e), 0);
	json_t *tr = json_object_get(ag, "trust");
	assert_int_equal(json_array_size(tr), 2);
	json_t *x = json_array_get(tr, 0), *y = json_array_get(tr, 1);
	assert_int_equal(INT(json_object_get(x, "contact"), "id"), b);
	assert_string_equal(STR(x, "reason"), "we let them down on 3 Nov and have not made it good");
	assert_string_equal(STR(x, "state"), "we let them down");
	assert_int_equal(INT(json_object_get(y, "contact"), "id"), a);
	assert_string_equal(STR(y, "on"), "2026-11-10"); /* the oldest standing */
	assert_string_equal(STR(y, "text"), "rude on the phone");
	json_decref(ag);
	o.owner = "anna";
	o.lang = "ru";
	assert_int_equal(agenda_build(f->d, &o, &ag, &e), 0);
	tr = json_object_get(ag, "trust");
	assert_int_equal(json_array_size(tr), 1);
	assert_string_equal(STR(json_array_get(tr, 0), "reason"), "мы подвели клиента 10 ноября и не загладили вину");
	json_decref(ag);
}

/* Acts and memberships follow a merge, go into the export, and go with an erasure. */
static void test_merge_export_erase(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t keep = add_contact(f->d, "Boris Petrov", NULL), dup = add_contact(f->d, "B. Petrov", NULL), g1, g2;
	act(f->d, dup, "client", "defect", "2026-11-01", "returned it worn");
	act(f->d, keep, "client", "cooperate", "2026-10-01", "paid early");
	assert_int_equal(community_add(f->d, "Club", NULL, NULL, &g1, &e), 0);
	assert_int_equal(community_add(f->d, "Choir", NULL, NULL, &g2, &e), 0);
	assert_int_equal(community_join(f->d, g1, dup, "founder", NULL, &e), 0);
	assert_int_equal(community_join(f->d, g1, keep, NULL, NULL, &e), 0);
	assert_int_equal(community_join(f->d, g2, dup, "guest", NULL, &e), 0);
	assert_int_equal(contact_merge(f->d, keep, dup, &e), 0);
	json_t *t = show(f->d, keep, NULL);
	assert_int_equal(json_array_size(json_object_get(t, "acts")), 2);
	assert_string_equal(STR(t, "state"), "they let us down");
	json_decref(t);
	int64_t n = 0;
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM community_member WHERE contact_id = $1", "i", keep), 0);
	assert_int_equal(n, 2);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM community_member WHERE contact_id = $1 AND role ="
				    " 'member'", "i", keep), 0);
	assert_int_equal(n, 1); /* keep's own membership of Club stays as it was */
	json_t *doc = NULL;
	assert_int_equal(privacy_export(f->d, keep, &doc, &e), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "trust_acts")), 2);
	assert_string_equal(STR(json_array_get(json_object_get(doc, "trust_acts"), 1), "text"), "returned it worn");
	assert_int_equal(json_array_size(json_object_get(doc, "communities")), 2);
	json_decref(doc);
	json_t *rep = NULL;
	assert_int_equal(privacy_erase(f->d, keep, 0, &rep, &e), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "trust_act"), 0);
	assert_int_equal(table_rows(f->d, "community_member"), 0);
	assert_int_equal(table_rows(f->d, "community"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complaint_in_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states_and_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_score, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_export_erase, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
