/* core/value: a fit to the timeline's purchases, the scores it stores, and
** a client whose time costs more than his margin brings. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

static int64_t add(db *d, const char *name)
{
	contact_in in = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add: %s", e.msg);
	return id;
}

static void log_at(db *d, int64_t contact, const char *kind, const char *when, int64_t amount, int64_t minutes)
{
	interaction_in in = {.contact_id = contact, .kind = kind, .summary = "x", .minutes = minutes,
			     .currency = amount ? "RUB" : NULL, .amount = amount, .has_amount = amount != 0};
	rp_err e = {0};
	int64_t id;
	assert_int_equal(rp_ts_parse(when, &in.at), 0);
	if (interaction_add(d, &in, &id, &e))
		fail_msg("interaction_add: %s", e.msg);
}

/* 24 buyers of different habits, and client 25: small purchases, a refund,
** eight hours of calls every other month. */
static void fill(db *d)
{
	char name[32], when[32];
	for (int i = 1; i <= 24; i++) {
		snprintf(name, sizeof name, "Client %d", i);
		int64_t id = add(d, name);
		int first = (i * 37) % 200, n = i % 5, gap = (i * 13) % 40 + 7, amount = 100000 + (i * 731) % 5000 * 100;
		for (int k = 0; k <= n; k++) {
			rp_date t = rp_civil_from_days(rp_days_from_civil(2025, 11, 1) + first + k * gap);
			snprintf(when, sizeof when, "%04d-%02d-%02dT12:00", t.y, t.m, t.d);
			log_at(d, id, "purchase", when, amount + k * 10000, -1);
		}
	}
	int64_t c = add(d, "Costly Client");
	log_at(d, c, "purchase", "2026-02-01T10:00", 30000, -1);
	log_at(d, c, "purchase", "2026-05-01T10:00", 30000, -1);
	log_at(d, c, "purchase", "2026-08-01T10:00", 30000, -1);
	log_at(d, c, "purchase", "2026-05-03T10:00", -15000, -1);
	for (int m = 1; m <= 11; m += 2) {
		snprintf(when, sizeof when, "2026-%02d-15T10:00", m);
		log_at(d, c, "call", when, 0, 480);
	}
}

static void test_too_few(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(value_fit_timeline(f->d, NULL, "tester", &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "no purchases up to 2026-11-23"));
	int64_t a = add(f->d, "Only Buyer");
	log_at(f->d, a, "purchase", "2026-01-01T10:00", 1000, -1);
	log_at(f->d, a, "purchase", "2026-02-01T10:00", 1000, -1);
	e = (rp_err){0};
	assert_int_equal(value_fit_timeline(f->d, NULL, "tester", &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "too few purchases to fit: 1 client bought in RUB"));
	assert_int_equal(table_rows(f->d, "value_fit"), 0);
	assert_int_equal(table_rows(f->d, "value_score"), 0);
	e = (rp_err){0};
	assert_int_equal(value_fit_timeline(f->d, "2026-13-01", "tester", &out, &e), RP_EINVAL);
}

static void test_negative_client(void **state)
{
	fx *f = *state;
	fill(f->d);
	rp_err e = {0};
	json_t *out = NULL;
	if (value_fit_timeline(f->d, NULL, "tester", &out, &e))
		fail_msg("value_fit_timeline: %s", e.msg);
	assert_int_equal(json_integer_value(json_object_get(out, "customers")), 25);
	assert_int_equal(json_integer_value(json_object_get(out, "stored")), 25);
	json_decref(out);
	assert_int_equal(table_rows(f->d, "value_score"), 25);

	assert_int_equal(value_negative(f->d, 0, "en", &out, &e), 0);
	json_t *c = json_array_get(json_object_get(out, "clients"), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "contact"), "id")), 25);
	json_t *r = json_object_get(c, "reasons");
	assert_string_equal(json_string_value(json_array_get(r, 0)), "12 hours of our time a quarter (1440.00 RUB)");
	assert_string_equal(json_string_value(json_array_get(r, 1)), "1 refund (150.00 RUB)");
	assert_non_null(strstr(json_string_value(json_array_get(r, 2)), "expected margin -"));
	/* time 1440.00 + refund 150.00; margin 0.3 x 900.00 - 1590.00 */
	assert_string_equal(json_string_value(json_object_get(c, "cost_to_serve")), "1590.00");
	assert_string_equal(json_string_value(json_object_get(c, "margin")), "-1320.00");
	json_decref(out);

	assert_int_equal(value_negative(f->d, 0, "ru", &out, &e), 0);
	c = json_array_get(json_object_get(out, "clients"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "reasons"), 1)),
			    "возвратов: 1 (150.00 RUB)");
	json_decref(out);

	assert_int_equal(value_show(f->d, 25, "en", &out, &e), 0);
	assert_true(json_is_true(json_object_get(out, "negative")));
	assert_true(json_is_null(json_object_get(out, "p_alive_before")));
	double p = json_real_value(json_object_get(out, "p_alive"));
	assert_true(p >= 0 && p <= 1);
	json_decref(out);

	/* a second fit keeps the first's P(alive) */
	if (value_fit_timeline(f->d, NULL, "tester", &out, &e))
		fail_msg("value_fit_timeline: %s", e.msg);
	json_decref(out);
	int64_t n = 0;
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM value_score WHERE p_alive_before = p_alive", ""),
			 0);
	assert_int_equal(n, 25);

	/* an unknown contact has no value; a contact never scored neither */
	e = (rp_err){0};
	assert_int_equal(value_show(f->d, 999, "en", &out, &e), RP_ENOTFOUND);
	int64_t none = add(f->d, "Never Bought");
	e = (rp_err){0};
	assert_int_equal(value_show(f->d, none, "en", &out, &e), RP_ENOTFOUND);
	assert_int_equal(value_card(f->d, none, NULL, &out, &e), 0);
	assert_true(json_is_null(out));
	json_decref(out);
}

static void test_letgo(void **state)
{
	fx *f = *state;
	int64_t a = add(f->d, "Leaving Client");
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(value_letgo(f->d, a, "  ", NULL, 1, "tester", &out, &e), RP_EINVAL);
	assert_int_equal(table_rows(f->d, "interaction"), 0);
	assert_int_equal(value_letgo(f->d, a, "We part kindly", NULL, 1, "tester", &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "tier")), "distant");
	json_decref(out);
	assert_int_equal(table_rows(f->d, "cadence_stop"), 1);
	assert_int_equal(table_rows(f->d, "interaction"), 1);
	assert_int_equal(table_rows(f->d, "contact"), 1);
}

static void test_summary_model(void **state)
{
	(void)state;
	static const char csv[] = "frequency,recency,T\n1,2,3\n";
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(value_fit_summary(csv, sizeof csv - 1, "weibull", &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "bgnbd, pareto or gg"));
	e = (rp_err){0};
	assert_int_equal(value_fit_summary(csv, sizeof csv - 1, "bgnbd", &out, &e), RP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_too_few, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_letgo, setup, teardown),
		cmocka_unit_test(test_summary_model),
	};
	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
