/* core/complaint: opening, the first response, resolving, the agenda, the
** report, and a complaint following its contact through merge and erasure. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <math.h>
#include <string.h>

/* 2026-11-23T10:00:00Z plus minutes, as RAPPORT_NOW takes it. */
static int64_t at_minute(int minutes) { return rp_days_from_civil(2026, 11, 23) * 86400 + 10 * 3600 + minutes * 60; }

static void clock_at(int minutes)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)at_minute(minutes));
	setenv("RAPPORT_NOW", buf, 1);
	assert_int_equal(rp_now(), at_minute(minutes));
}

static int down(void **state)
{
	unsetenv("RAPPORT_NOW");
	return teardown(state);
}

static int64_t add_contact(db *d, const char *name, const char *owner, const char *birthday)
{
	contact_in c = {.name = name, .owner = owner, .birthday = birthday};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	return id;
}

static int64_t log_one(db *d, int64_t contact, const char *kind, int64_t amount, int64_t at)
{
	interaction_in in = {.contact_id = contact, .at = at, .kind = kind, .summary = kind, .minutes = -1,
			     .has_amount = amount > 0, .amount = amount, .currency = amount > 0 ? "RUB" : NULL};
	int64_t id = 0;
	rp_err e = {0};
	if (interaction_add(d, &in, &id, &e))
		fail_msg("interaction_add: %s", e.msg);
	return id;
}

static int64_t open_one(db *d, int64_t contact, const char *text, const char *duty)
{
	int64_t id = 0;
	rp_err e = {0};
	if (complaint_open(d, &(complaint_in){.contact_id = contact, .text = text, .duty = duty, .by = "anna"}, &id, &e))
		fail_msg("complaint_open: %s", e.msg);
	assert_true(id > 0);
	return id;
}

static json_t *show(db *d, int64_t id)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (complaint_show(d, id, &out, &e))
		fail_msg("complaint_show: %s", e.msg);
	return out;
}

static json_t *agenda_of(db *d, const char *owner)
{
	agenda_opts o = {.limit = 30, .owner = owner, .lang = "en", .lookahead = 3};
	o.date = rp_today();
	json_t *out = NULL;
	rp_err e = {0};
	if (agenda_build(d, &o, &out, &e))
		fail_msg("agenda_build: %s", e.msg);
	return out;
}

#define STR(o, k) json_string_value(json_object_get((o), (k)))
#define INT(o, k) json_integer_value(json_object_get((o), (k)))

/* Done means: a complaint not answered in five minutes tops the agenda. */
static void test_late_tops_agenda(void **state)
{
	fx *f = *state;
	/* A birthday today: the agenda has a person to rank too. */
	int64_t olga = add_contact(f->d, "Olga", "anna", "1980-11-23");
	int64_t boris = add_contact(f->d, "Boris", "anna", NULL);
	clock_at(0);
	int64_t first = open_one(f->d, boris, "The courier was two hours late", NULL);
	clock_at(2);
	json_t *a = agenda_of(f->d, NULL), *k = json_array_get(json_object_get(a, "complaints"), 0);
	assert_int_equal(json_array_size(json_object_get(a, "complaints")), 1);
	assert_int_equal(INT(k, "id"), first);
	assert_string_equal(STR(k, "state"), "waiting");
	assert_int_equal(INT(k, "minutes_waiting"), 2);
	assert_int_equal(INT(k, "target_minutes"), 5);
	assert_int_equal(INT(json_object_get(json_array_get(json_object_get(a, "items"), 0), "contact"), "id"), olga);
	json_decref(a);
	/* 60% of the target: near. */
	clock_at(3);
	a = agenda_of(f->d, NULL);
	assert_string_equal(STR(json_array_get(json_object_get(a, "complaints"), 0), "state"), "near");
	json_decref(a);
	int64_t second = open_one(f->d, olga, "Wrong size", NULL);
	/* Five minutes pass: exactly five is not late yet, a second more is. */
	clock_at(5);
	a = agenda_of(f->d, NULL);
	assert_string_equal(STR(json_array_get(json_object_get(a, "complaints"), 0), "state"), "near");
	json_decref(a);
	setenv("RAPPORT_NOW", "2026-11-23T10:05:01Z", 1);
	a = agenda_of(f->d, "anna");
	json_t *ks = json_object_get(a, "complaints");
	assert_int_equal(json_array_size(ks), 2);
	/* The late one first, then the one waiting. */
	assert_int_equal(INT(json_array_get(ks, 0), "id"), first);
	assert_string_equal(STR(json_array_get(ks, 0), "state"), "late");
	assert_int_equal(INT(json_array_get(ks, 1), "id"), second);
	assert_string_equal(STR(json_array_get(ks, 1), "state"), "waiting");
	json_decref(a);
	/* The target is a setting. */
	rp_err e = {0};
	assert_int_equal(setting_set(f->d, "complaint.target_minutes", "10", &e), 0);
	a = agenda_of(f->d, NULL);
	assert_string_equal(STR(json_array_get(json_object_get(a, "complaints"), 0), "state"), "waiting");
	assert_int_equal(INT(json_array_get(json_object_get(a, "complaints"), 0), "target_minutes"), 10);
	json_decref(a);
	/* Answered, it leaves the agenda. */
	assert_int_equal(complaint_answer(f->d, first, "We are so sorry; it is on its way", 1, "anna", &e), 0);
	a = agenda_of(f->d, NULL);
	assert_int_equal(json_array_size(json_object_get(a, "complaints")), 1);
	assert_int_equal(INT(json_array_get(json_object_get(a, "complaints"), 0), "id"), second);
	json_decref(a);
}

/* Only the complaints on the owner's duty or everyone's. */
static void test_duty(void **state)
{
	fx *f = *state;
	int64_t c = add_contact(f->d, "Boris", NULL, NULL);
	clock_at(0);
	int64_t all = open_one(f->d, c, "Rude at the desk", NULL);
	int64_t bobs = open_one(f->d, c, "Lost parcel", "bob");
	clock_at(1);
	json_t *a = agenda_of(f->d, "anna");
	assert_int_equal(json_array_size(json_object_get(a, "complaints")), 1);
	assert_int_equal(INT(json_array_get(json_object_get(a, "complaints"), 0), "id"), all);
	json_decref(a);
	a = agenda_of(f->d, "bob");
	assert_int_equal(json_array_size(json_object_get(a, "complaints")), 2);
	assert_string_equal(STR(json_array_get(json_object_get(a, "complaints"), 1), "duty"), "bob");
	assert_int_equal(INT(json_array_get(json_object_get(a, "complaints"), 1), "id"), bobs);
	json_decref(a);
	a = agenda_of(f->d, NULL);
	assert_int_equal(json_array_size(json_object_get(a, "complaints")), 2);
	json_decref(a);
}

static void test_answer_resolve(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t c = add_contact(f->d, "Boris", NULL, NULL);
	log_one(f->d, c, "purchase", 450000, at_minute(-60 * 24));
	clock_at(0);
	int64_t id = open_one(f->d, c, "The courier was two hours late", NULL);
	json_t *k = show(f->d, id);
	assert_string_equal(STR(k, "state"), "waiting");
	assert_string_equal(STR(k, "channel"), "ui");
	assert_string_equal(STR(k, "opened_by"), "anna");
	assert_true(json_is_null(json_object_get(k, "first_response_minutes")));
	assert_false(json_is_true(json_object_get(k, "late")));
	json_decref(k);
	int64_t before = table_rows(f->d, "interaction");
	setenv("RAPPORT_NOW", "2026-11-23T10:07:30Z", 1);
	assert_int_equal(complaint_answer(f->d, id, "  Simply sorry; a new one goes today  ", 0, "bob", &e), 0);
	k = show(f->d, id);
	assert_string_equal(STR(k, "state"), "answered");
	assert_string_equal(STR(k, "answer"), "Simply sorry; a new one goes today");
	assert_string_equal(STR(k, "answered_by"), "bob");
	assert_string_equal(STR(k, "answered_at"), "2026-11-23T10:07:30Z");
	assert_true(fabs(json_number_value(json_object_get(k, "first_response_minutes")) - 7.5) < 1e-9);
	assert_true(json_is_true(json_object_get(k, "late")));
	assert_false(json_is_true(json_object_get(k, "apology")));
	json_decref(k);
	/* The answer is on the timeline, a message out. */
	assert_int_equal(table_rows(f->d, "interaction"), before + 1);
	json_t *t = NULL;
	assert_int_equal(timeline_list(f->d, c, 1, &t, &e), 0);
	json_t *m = json_array_get(json_object_get(t, "interactions"), 0);
	assert_string_equal(STR(m, "kind"), "message");
	assert_string_equal(STR(m, "direction"), "out");
	assert_string_equal(STR(m, "summary"), "Simply sorry; a new one goes today");
	json_decref(t);
	/* Twice is a conflict, and writes nothing. */
	assert_int_equal(complaint_answer(f->d, id, "again", 1, "bob", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "answered already"));
	assert_int_equal(table_rows(f->d, "interaction"), before + 1);
	/* The make-good's currency is the client's. */
	assert_int_equal(complaint_resolve(f->d, id,
					   &(complaint_resolution){.make_good = "free delivery", .cost = "300",
								   .apology = 1, .by = "bob"},
					   &e),
			 0);
	k = show(f->d, id);
	assert_string_equal(STR(k, "state"), "resolved");
	assert_string_equal(STR(k, "make_good"), "free delivery");
	assert_string_equal(STR(k, "make_good_cost"), "300.00");
	assert_string_equal(STR(k, "currency"), "RUB");
	assert_true(json_is_true(json_object_get(k, "apology")));
	assert_true(json_is_null(json_object_get(k, "resolution")));
	json_decref(k);
	assert_int_equal(complaint_resolve(f->d, id, &(complaint_resolution){.resolution = "again"}, &e), RP_ECONFLICT);
	assert_int_equal(complaint_answer(f->d, 999, "x", 0, NULL, &e), RP_ENOTFOUND);
	assert_int_equal(complaint_resolve(f->d, 999, &(complaint_resolution){.resolution = "x"}, &e), RP_ENOTFOUND);

	/* Resolving one nobody answered answers it at once, with its words. */
	clock_at(10);
	int64_t two = open_one(f->d, c, "Scratched", NULL);
	clock_at(12);
	assert_int_equal(complaint_resolve(f->d, two,
					   &(complaint_resolution){.resolution = "Polished it for you", .make_good = "voucher",
								   .cost = "12.50", .currency = "EUR"},
					   &e),
			 0);
	k = show(f->d, two);
	assert_string_equal(STR(k, "answer"), "Polished it for you");
	assert_true(fabs(json_number_value(json_object_get(k, "first_response_minutes")) - 2.0) < 1e-9);
	assert_false(json_is_true(json_object_get(k, "late")));
	assert_string_equal(STR(k, "currency"), "EUR");
	assert_string_equal(STR(k, "make_good_cost"), "12.50");
	json_decref(k);
	assert_int_equal(table_rows(f->d, "interaction"), before + 2);

	json_t *l = NULL;
	assert_int_equal(complaint_list(f->d, 0, c, 0, &l, &e), 0);
	assert_int_equal(json_array_size(json_object_get(l, "complaints")), 2);
	assert_int_equal(INT(json_array_get(json_object_get(l, "complaints"), 0), "id"), two);
	json_decref(l);
	open_one(f->d, c, "Still waiting", NULL);
	assert_int_equal(complaint_list(f->d, 1, 0, 0, &l, &e), 0);
	assert_int_equal(json_array_size(json_object_get(l, "complaints")), 1);
	json_decref(l);
}

static void test_from_interaction(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t c = add_contact(f->d, "Boris", NULL, NULL), other = add_contact(f->d, "Olga", NULL, NULL);
	int64_t call = log_one(f->d, c, "call", 0, at_minute(-3));
	int64_t note = log_one(f->d, c, "note", 0, at_minute(-1));
	int64_t hers = log_one(f->d, other, "email", 0, at_minute(-1));
	clock_at(0);
	int64_t id = 0;
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "Shouted at", .from = call}, &id, &e),
			 0);
	json_t *k = show(f->d, id);
	/* The channel and the clock are the call's. */
	assert_string_equal(STR(k, "channel"), "call");
	assert_string_equal(STR(k, "opened_at"), "2026-11-23T09:57:00Z");
	assert_int_equal(INT(k, "from"), call);
	json_decref(k);
	/* A note says nothing of the channel: ui, unless one is given. */
	assert_int_equal(
		complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "x", .from = note, .channel = "visit"}, &id, &e),
		0);
	k = show(f->d, id);
	assert_string_equal(STR(k, "channel"), "visit");
	json_decref(k);
	int64_t n = table_rows(f->d, "complaint");
	/* Someone else's interaction, an unknown one, one used already. */
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "x", .from = hers}, &id, &e),
			 RP_EINVAL);
	assert_non_null(strstr(e.msg, "is with contact"));
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "x", .from = 9999}, &id, &e),
			 RP_ENOTFOUND);
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "x", .from = call}, &id, &e),
			 RP_ECONFLICT);
	assert_int_equal(table_rows(f->d, "complaint"), n);
}

static void test_validation(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t c = add_contact(f->d, "Boris", NULL, NULL), id = 0;
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = 999, .text = "x"}, &id, &e), RP_ENOTFOUND);
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "  "}, &id, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "x", .channel = "fax"}, &id, &e),
			 RP_EINVAL);
	assert_non_null(strstr(e.msg, "call, message, email, visit or ui"));
	assert_int_equal(complaint_open(f->d, &(complaint_in){.contact_id = c, .text = "\xff"}, &id, &e), RP_EINVAL);
	assert_int_equal(table_rows(f->d, "complaint"), 0);

	clock_at(0);
	id = open_one(f->d, c, "Broken", NULL);
	int64_t inter = table_rows(f->d, "interaction");
	assert_int_equal(complaint_answer(f->d, id, "", 0, NULL, &e), RP_EINVAL);
	static const struct {
		complaint_resolution r;
		const char *says;
	} bad[] = {
		{{.make_good = "voucher", .cost = "-5", .currency = "RUB"}, "cannot be negative"},
		{{.make_good = "voucher", .cost = "five", .currency = "RUB"}, "is not a sum"},
		{{.make_good = "voucher", .currency = "RUB"}, "needs its cost"},
		{{.resolution = "fixed", .cost = "5"}, "give --make-good"},
		{{.make_good = "voucher", .cost = "5", .currency = "rub"}, "three capital letters"},
		{{.apology = 1}, "give --make-good"},
		/* No sum was ever recorded: no currency to take. */
		{{.make_good = "voucher", .cost = "5"}, "--currency"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e = (rp_err){0};
		assert_int_equal(complaint_resolve(f->d, id, &bad[i].r, &e), RP_EINVAL);
		if (!strstr(e.msg, bad[i].says))
			fail_msg("case %zu: %s", i, e.msg);
	}
	/* Nothing was written: still waiting, no message on the timeline. */
	json_t *k = show(f->d, id);
	assert_string_equal(STR(k, "state"), "waiting");
	json_decref(k);
	assert_int_equal(table_rows(f->d, "interaction"), inter);
	assert_int_equal(complaint_show(f->d, 999, &k, &e), RP_ENOTFOUND);
}

static void test_report(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add_contact(f->d, "Anna", NULL, NULL), b = add_contact(f->d, "Boris", NULL, NULL),
		c = add_contact(f->d, "Clara", NULL, NULL);
	/* Long ago: outside the report's 90 days. */
	setenv("RAPPORT_NOW", "2026-01-05T10:00:00Z", 1);
	open_one(f->d, a, "Old one", NULL);
	clock_at(0);
	int64_t ka = open_one(f->d, a, "Late delivery", NULL), kb = open_one(f->d, b, "Rude", NULL);
	int64_t kc = open_one(f->d, c, "Broken", NULL);
	clock_at(2); /* 2 min: in time */
	assert_int_equal(complaint_answer(f->d, ka, "Sorry", 1, "anna", &e), 0);
	clock_at(9); /* 9 min: late */
	assert_int_equal(complaint_answer(f->d, kb, "Sorry", 1, "anna", &e), 0);
	assert_int_equal(complaint_resolve(f->d, ka, &(complaint_resolution){.make_good = "voucher", .cost = "10", .currency = "RUB"}, &e), 0);
	assert_int_equal(complaint_resolve(f->d, kb, &(complaint_resolution){.make_good = "flowers", .cost = "25.50", .currency = "RUB"}, &e), 0);
	/* Anna bought again after complaining (twice), Boris before only. */
	log_one(f->d, b, "purchase", 100000, at_minute(-5));
	log_one(f->d, a, "purchase", 200000, at_minute(5));
	log_one(f->d, a, "purchase", 50000, at_minute(8));
	clock_at(20); /* Clara's complaint is late and unanswered */
	json_t *r = NULL;
	assert_int_equal(complaint_report(f->d, NULL, &r, &e), 0);
	assert_string_equal(STR(r, "since"), "2026-08-25");
	assert_int_equal(INT(r, "count"), 3);
	assert_int_equal(INT(r, "answered"), 2);
	assert_int_equal(INT(r, "answered_in_time"), 1);
	assert_true(fabs(json_number_value(json_object_get(r, "share_in_time")) - 0.333) < 1e-9);
	assert_true(fabs(json_number_value(json_object_get(r, "median_first_response_minutes")) - 5.5) < 1e-9);
	json_t *g = json_object_get(r, "make_goods"), *k = json_object_get(r, "kept");
	assert_int_equal(INT(g, "count"), 2);
	assert_string_equal(STR(g, "cost"), "35.50");
	assert_string_equal(STR(g, "currency"), "RUB");
	assert_int_equal(INT(k, "clients"), 1);
	assert_string_equal(STR(k, "revenue"), "2500.00");
	assert_string_equal(STR(k, "currency"), "RUB");
	json_decref(r);
	(void)kc;
	/* Since a day: the old complaint counts, and an empty period is empty. */
	assert_int_equal(complaint_report(f->d, "2026-01-01", &r, &e), 0);
	assert_int_equal(INT(r, "count"), 4);
	json_decref(r);
	assert_int_equal(complaint_report(f->d, "2026-11-24", &r, &e), 0);
	assert_int_equal(INT(r, "count"), 0);
	assert_true(json_is_null(json_object_get(r, "share_in_time")));
	assert_true(json_is_null(json_object_get(r, "median_first_response_minutes")));
	assert_string_equal(STR(json_object_get(r, "make_goods"), "cost"), "0.00");
	json_decref(r);
	assert_int_equal(complaint_report(f->d, "23.11.2026", &r, &e), RP_EINVAL);
}

/* A complaint follows its client: into a merge, out with an erasure, and
** into the export of their data. */
static void test_merge_export_erase(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t keep = add_contact(f->d, "Boris Petrov", NULL, NULL), dup = add_contact(f->d, "B. Petrov", NULL, NULL);
	clock_at(0);
	int64_t id = open_one(f->d, dup, "Never called back", NULL);
	assert_int_equal(contact_merge(f->d, keep, dup, &e), 0);
	json_t *k = show(f->d, id);
	assert_int_equal(INT(json_object_get(k, "contact"), "id"), keep);
	json_decref(k);
	json_t *doc = NULL;
	assert_int_equal(privacy_export(f->d, keep, &doc, &e), 0);
	json_t *ks = json_object_get(doc, "complaints");
	assert_int_equal(json_array_size(ks), 1);
	assert_string_equal(STR(json_array_get(ks, 0), "text"), "Never called back");
	json_decref(doc);
	json_t *rep = NULL;
	assert_int_equal(privacy_erase(f->d, keep, 0, &rep, &e), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "complaint"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_late_tops_agenda, setup, down),
		cmocka_unit_test_setup_teardown(test_duty, setup, down),
		cmocka_unit_test_setup_teardown(test_answer_resolve, setup, down),
		cmocka_unit_test_setup_teardown(test_from_interaction, setup, down),
		cmocka_unit_test_setup_teardown(test_validation, setup, down),
		cmocka_unit_test_setup_teardown(test_report, setup, down),
		cmocka_unit_test_setup_teardown(test_merge_export_erase, setup, down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
