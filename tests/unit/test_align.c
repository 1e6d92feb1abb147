/* core/align and core/intake: the score, its reasons and verdicts, the
** profile and traits, learning from the best clients, and intake triage. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <math.h>
#include <string.h>

static align_dim dim(const char *key, double p, double w, int known, double c)
{
	return (align_dim){.key = (char *)key, .left = (char *)"lowest price", .right = (char *)"quality first",
			   .position = p, .weight = w, .known = known, .client = c};
}

/* The score is the weighted mean of 1 - |p - c| over the known
** dimensions; coverage the known share of the weight; the verdicts at
** their thresholds. */
static void test_score(void **state)
{
	(void)state;
	align_result r;
	align_dim same[] = {dim("a", 0.8, 1, 1, 0.8), dim("b", -0.5, 1, 1, -0.5)};
	align_score(same, 2, &r);
	assert_true(r.has_score && fabs(r.score - 1) < 1e-9 && fabs(r.coverage - 1) < 1e-9);
	assert_string_equal(r.verdict, "ours");

	align_dim opposite[] = {dim("a", 1, 0.9, 1, -1), dim("b", 0.5, 0.1, 1, 0.5)};
	align_score(opposite, 2, &r);
	/* (0.9 * -1 + 0.1 * 1) / 1.0 */
	assert_true(fabs(r.score - -0.8) < 1e-9);
	assert_string_equal(r.verdict, "not ours");

	/* weights: a heavy agreement outweighs a light disagreement */
	align_dim mixed[] = {dim("a", 1, 0.75, 1, 1), dim("b", 1, 0.25, 1, -1)};
	align_score(mixed, 2, &r);
	assert_true(fabs(r.score - 0.5) < 1e-9);
	assert_string_equal(r.verdict, "ours"); /* 0.5 is ours */

	/* in between: maybe */
	align_dim mid[] = {dim("a", 1, 1, 1, 0.5), dim("b", 0, 1, 1, 1)};
	align_score(mid, 2, &r);
	assert_true(fabs(r.score - 0.25) < 1e-9);
	assert_string_equal(r.verdict, "maybe");

	/* coverage: a unknown dimension does not count in the score, but below
	** a quarter of the weight known nothing is said; below half a strong
	** score is only maybe */
	align_dim little[] = {dim("a", 1, 0.2, 1, 1), dim("b", 1, 0.8, 0, 0)};
	align_score(little, 2, &r);
	assert_true(fabs(r.coverage - 0.2) < 1e-9 && fabs(r.score - 1) < 1e-9);
	assert_string_equal(r.verdict, "unknown");
	align_dim some[] = {dim("a", 1, 0.4, 1, -1), dim("b", 1, 0.6, 0, 0)};
	align_score(some, 2, &r);
	assert_true(fabs(r.score - -1) < 1e-9);
	assert_string_equal(r.verdict, "maybe");
	align_dim none[] = {dim("a", 1, 1, 0, 0)};
	align_score(none, 1, &r);
	assert_false(r.has_score);
	assert_string_equal(r.verdict, "unknown");
	/* all weights zero: nothing is known */
	align_dim zero[] = {dim("a", 1, 0, 1, 1)};
	align_score(zero, 1, &r);
	assert_string_equal(r.verdict, "unknown");
}

/* The reasons: for where they agree, against where not, heaviest first,
** in words of the pole the client leans to, in English or Russian. */
static void test_reasons(void **state)
{
	(void)state;
	align_dim d[] = {
		{.key = "price", .left = "lowest price", .right = "quality first", .position = 0.8, .weight = 0.9, .known = 1,
		 .client = -1},
		{.key = "term", .left = "a one-off purchase", .right = "long-term service", .position = 0.7, .weight = 0.7,
		 .known = 1, .client = 0.9},
		{.key = "pace", .left = "fast", .right = "right", .position = 0.6, .weight = 0.1, .known = 1, .client = 0.6},
		{.key = "tone", .left = "formal", .right = "informal", .position = 1, .weight = 0.5, .known = 1, .client = 0},
	};
	json_t *f = align_reasons(d, 4, 0, "en"), *a = align_reasons(d, 4, 1, "en");
	/* for: term 0.7 * 0.8 = 0.56 first, then pace 0.1; tone (a = 0) is neither */
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_array_get(f, 0)), "long-term service, like us");
	assert_string_equal(json_string_value(json_array_get(f, 1)), "right, like us");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "lowest price, unlike us");
	json_decref(f);
	json_decref(a);
	a = align_reasons(d, 4, 1, "ru");
	assert_string_equal(json_string_value(json_array_get(a, 0)), "lowest price, не как мы");
	json_decref(a);
	/* a neutral client is "between" the poles */
	d[3].client = 0.1;
	d[3].position = 0.2;
	f = align_reasons(d, 4, 0, "en");
	assert_int_equal(json_array_size(f), 3);
	assert_string_equal(json_string_value(json_array_get(f, 1)), "between \"formal\" and \"informal\", like us");
	json_decref(f);
	json_t *x = align_explain(d, 4, "en");
	assert_string_equal(json_string_value(json_object_get(x, "verdict")), "maybe");
	assert_int_equal(json_array_size(json_object_get(x, "dimensions")), 4);
	json_decref(x);
}

static int64_t add(db *d, const char *name)
{
	contact_in c = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add: %s", e.msg);
	return id;
}

static void trait(db *d, int64_t c, const char *dimension, double v)
{
	rp_err e = {0};
	trait_in t = {.contact = c, .dimension = dimension, .value = v, .by = "tester"};
	if (trait_set(d, &t, NULL, &e))
		fail_msg("trait_set: %s", e.msg);
}

static const char *verdict_of(db *d, int64_t c, char buf[32])
{
	json_t *a = NULL;
	rp_err e = {0};
	if (align_contact(d, c, "en", &a, &e))
		fail_msg("align_contact: %s", e.msg);
	snprintf(buf, 32, "%s", json_string_value(json_object_get(a, "verdict")));
	json_decref(a);
	return buf;
}

/* The profile from a preset and by hand, traits by a person and from tags,
** and a contact's alignment read from them. */
static void test_profile_traits(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *j = NULL;
	int64_t c = add(f->d, "Анна");
	assert_int_equal(align_contact(f->d, c, "en", &j, &e), RP_ENOTFOUND); /* no profile yet */
	assert_int_equal(align_card(f->d, c, "en", &j, &e), 0);
	assert_true(json_is_null(j));
	json_decref(j);
	assert_int_equal(profile_preset(f->d, "nowhere", "t", "en", &j, &e), RP_EINVAL);
	assert_int_equal(profile_preset(f->d, "atelier", "t", "ru", &j, &e), 0);
	json_t *d0 = json_array_get(json_object_get(j, "dimensions"), 0);
	assert_string_equal(json_string_value(json_object_get(d0, "key")), "price");
	assert_string_equal(json_string_value(json_object_get(d0, "left")), "самая низкая цена");
	assert_true(json_array_size(json_object_get(j, "presets")) >= 3);
	json_decref(j);
	/* by hand: a new dimension needs its poles; a position outside -1..1 is refused */
	profile_in in = {.key = "warmth", .position = 0.5, .weight = 0.5, .has_position = 1, .has_weight = 1};
	assert_int_equal(profile_set(f->d, &in, "en", &j, &e), RP_EINVAL);
	in.left = "cool";
	in.right = "warm";
	in.position = 1.5;
	assert_int_equal(profile_set(f->d, &in, "en", &j, &e), RP_EINVAL);
	in.position = 0.5;
	assert_int_equal(profile_set(f->d, &in, "en", &j, &e), 0);
	assert_string_equal(json_string_value(json_object_get(j, "right")), "warm");
	json_decref(j);
	/* a preset dimension's weight changed keeps its texts */
	profile_in w = {.key = "novelty", .weight = 0, .has_weight = 1};
	assert_int_equal(profile_set(f->d, &w, "en", &j, &e), 0);
	assert_string_equal(json_string_value(json_object_get(j, "right")), "new ideas");
	json_decref(j);
	assert_int_equal(profile_rm(f->d, "warmth", &e), 0);
	assert_int_equal(profile_rm(f->d, "warmth", &e), RP_ENOTFOUND);

	char buf[32];
	assert_string_equal(verdict_of(f->d, c, buf), "unknown");
	trait(f->d, c, "price", 1);
	trait(f->d, c, "term", 0.8);
	assert_string_equal(verdict_of(f->d, c, buf), "ours");
	trait_in bad = {.contact = c, .dimension = "price", .value = 2};
	assert_int_equal(trait_set(f->d, &bad, NULL, &e), RP_EINVAL);
	bad = (trait_in){.contact = c, .dimension = "price", .value = 1, .source = "rumour"};
	assert_int_equal(trait_set(f->d, &bad, NULL, &e), RP_EINVAL);

	/* from tags: only where nothing else set the dimension */
	int64_t b = add(f->d, "Boris");
	assert_int_equal(align_tags_check("trait.tags", "bargain:price=-2", &e), RP_EINVAL);
	assert_int_equal(align_tags_check("trait.tags", "bargain price", &e), RP_EINVAL);
	assert_int_equal(setting_set(f->d, "trait.tags", "bargain:price=-0.9,term=-1; rush:pace=-1", &e), 0);
	contact_in edit = {.tag = {(const char *[]){"Bargain"}, 1}};
	assert_int_equal(contact_edit(f->d, b, &edit, &e), 0);
	assert_int_equal(trait_list(f->d, b, &j, &e), 0);
	json_t *t0 = json_array_get(json_object_get(j, "traits"), 0);
	assert_int_equal(json_array_size(json_object_get(j, "traits")), 2);
	assert_string_equal(json_string_value(json_object_get(t0, "source")), "tag");
	json_decref(j);
	assert_string_equal(verdict_of(f->d, b, buf), "not ours");
	trait(f->d, b, "price", 1); /* a person's word overrides the tag's */
	assert_int_equal(trait_list(f->d, b, &j, &e), 0);
	json_t *list = json_object_get(j, "traits");
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t) if (!strcmp(json_string_value(json_object_get(t, "dimension")), "price"))
		assert_string_equal(json_string_value(json_object_get(t, "source")), "person");
	json_decref(j);
	assert_int_equal(trait_rm(f->d, b, "price", &e), 0);
	assert_int_equal(trait_rm(f->d, b, "price", &e), RP_ENOTFOUND);
}

/* Suggesting the profile: from the clients marked best when no value was
** fitted, from the top fifth by value with non-negative trust otherwise. */
static void test_suggest(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *j = NULL;
	assert_int_equal(profile_preset(f->d, "atelier", "t", "en", &j, &e), 0);
	json_decref(j);
	int64_t ids[10];
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof name, "Client %d", i);
		ids[i] = add(f->d, name);
		trait(f->d, ids[i], "price", i < 2 ? 0.6 + 0.2 * i : -0.8);
		trait(f->d, ids[i], "term", i == 0 ? 1 : i == 1 ? -1 : 0);
	}
	assert_int_equal(align_mark(f->d, ids[0], 1, "t", &j, &e), 0);
	json_decref(j);
	assert_int_equal(align_mark(f->d, ids[1], 1, "t", &j, &e), 0);
	json_decref(j);
	assert_int_equal(align_suggest(f->d, "en", &j, &e), 0);
	assert_string_equal(json_string_value(json_object_get(j, "from")), "marked");
	assert_int_equal(json_integer_value(json_object_get(j, "clients")), 2);
	json_t *s;
	size_t i;
	int seen = 0;
	json_array_foreach(json_object_get(j, "suggested"), i, s)
	{
		const char *k = json_string_value(json_object_get(s, "key"));
		double p = json_number_value(json_object_get(s, "position")), w = json_number_value(json_object_get(s, "weight"));
		if (!strcmp(k, "price")) { /* 0.6 and 0.8: mean 0.7, spread 0.1 */
			assert_true(fabs(p - 0.7) < 1e-9 && fabs(w - 0.9) < 1e-9);
			seen++;
		} else if (!strcmp(k, "term")) { /* 1 and -1: they disagree, no weight */
			assert_true(fabs(p) < 1e-9 && fabs(w) < 1e-9);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	/* the current profile sorts the ten: price 0.8 against -0.8 for eight */
	json_t *g = json_object_get(j, "sorted");
	assert_string_equal(json_string_value(json_object_get(json_array_get(g, 0), "verdict")), "ours");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 2), "clients")), 8);
	json_decref(j);

	/* with values fitted: the top fifth (2 of 10) by CLV, but not one whose
	** trust is negative */
	char sql[256];
	assert_int_equal(db_run(f->d, &e,
				"INSERT INTO value_fit(id, fitted_at, until_on, currency, customers, repeat_buyers, params)"
				" VALUES (1, 1, '2026-11-01', 'RUB', 10, 5, '{}')",
				""),
			 0);
	for (int i = 0; i < 10; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO value_score(contact_id, fit_id, clv, p_alive, expected_margin, segment, detail)"
			 " VALUES (%lld, 1, %d, 500000, 0, 'x', '{}')",
			 (long long)ids[i], i == 9 ? 900000 : i == 8 ? 800000 : 1000 * i);
		assert_int_equal(db_run(f->d, &e, sql, ""), 0);
	}
	trust_in tr = {.contact_id = ids[8], .by = "client", .act = "defect", .text = "did not pay", .user = "t"};
	int64_t tid;
	assert_int_equal(trust_record(f->d, &tr, &tid, &e), 0);
	assert_int_equal(align_suggest(f->d, "en", &j, &e), 0);
	assert_string_equal(json_string_value(json_object_get(j, "from")), "value and trust");
	assert_int_equal(json_integer_value(json_object_get(j, "clients")), 1); /* client 9 only */
	g = json_object_get(j, "sorted");
	json_t *notours = json_array_get(g, 2);
	assert_true(json_number_value(json_object_get(notours, "mean_clv")) > 0);
	assert_true(json_number_value(json_object_get(notours, "mean_trust")) < 0); /* client 8's defection */
	json_decref(j);
	assert_int_equal(align_report(f->d, "en", &j, &e), 0);
	json_t *counts = json_object_get(json_object_get(j, "distribution"), "counts");
	int64_t total = 0;
	for (i = 0; i < json_array_size(counts); i++)
		total += json_integer_value(json_array_get(counts, i));
	assert_int_equal(total, 10);
	json_decref(j);
}

static json_t *request(db *d, const char *name, const char *email, const char *message, json_t *answers,
		       const char *website, int *rc)
{
	rp_err e = {0};
	json_t *out = NULL;
	intake_in in = {.name = name, .email = email, .message = message, .answers = answers, .website = website,
			.address = "192.0.2.1", .lang = "en"};
	*rc = intake_submit(d, &in, &out, &e);
	json_decref(answers);
	return out;
}

/* Intake: triage, refusals that write nothing, accept and decline, retention. */
static void test_intake(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *j = NULL;
	int rc;
	assert_int_equal(profile_preset(f->d, "clinic", "t", "en", &j, &e), 0);
	json_decref(j);
	j = request(f->d, "Near", "near@example.org", "Care for my family", json_pack("{s:f,s:f,s:f}", "term", 1.0,
			"involvement", 0.5, "price", 0.5), NULL, &rc);
	assert_int_equal(rc, 0);
	json_decref(j);
	j = request(f->d, "Far", "far@example.org", "One visit, cheap", json_pack("{s:f,s:f,s:f}", "term", -1.0,
			"involvement", -1.0, "price", -1.0), NULL, &rc);
	json_decref(j);
	int64_t n = table_rows(f->d, "intake_request");
	j = request(f->d, "Bot", "bot@example.org", "see www.spam.example", NULL, NULL, &rc);
	assert_int_equal(rc, RP_EINVAL);
	j = request(f->d, "Bot", "bot@example.org", "hello", NULL, "http://x", &rc);
	assert_int_equal(rc, RP_EINVAL);
	j = request(f->d, "Bot", "not an email", "hello", NULL, NULL, &rc);
	assert_int_equal(rc, RP_EINVAL);
	j = request(f->d, "Bot", "b@example.org", "hello", json_pack("{s:s}", "term", "yes"), NULL, &rc);
	assert_int_equal(rc, RP_EINVAL);
	assert_int_equal(table_rows(f->d, "intake_request"), n);

	assert_int_equal(intake_list(f->d, "pending", "en", &j, &e), 0);
	json_t *far = json_array_get(json_object_get(j, "requests"), 0), *near = json_array_get(json_object_get(j, "requests"), 1);
	assert_string_equal(json_string_value(json_object_get(near, "verdict")), "ours");
	assert_true(json_array_size(json_object_get(near, "for")) > 0);
	assert_string_equal(json_string_value(json_object_get(far, "verdict")), "not ours");
	assert_string_equal(json_string_value(json_array_get(json_object_get(far, "against"), 0)),
			    "a one-off purchase, unlike us");
	json_decref(j);
	assert_int_equal(intake_list(f->d, "lost", "en", &j, &e), RP_EINVAL);

	assert_int_equal(intake_accept(f->d, 1, "yes", "t", &j, &e), RP_EINVAL); /* no consent recorded */
	assert_int_equal(table_rows(f->d, "contact"), 0);
	assert_int_equal(intake_accept(f->d, 1, NULL, "t", &j, &e), 0);
	int64_t c = json_integer_value(json_object_get(json_object_get(j, "contact"), "id"));
	json_decref(j);
	char stage[16];
	assert_int_equal(ladder_stage(f->d, c, stage, &e), 0);
	assert_string_equal(stage, "attention");
	char buf[32];
	assert_string_equal(verdict_of(f->d, c, buf), "ours");
	assert_int_equal(intake_decline(f->d, 1, NULL, "t", &j, &e), RP_ECONFLICT);
	assert_int_equal(intake_decline(f->d, 2, NULL, "t", &j, &e), 0);
	assert_true(strstr(json_string_value(json_object_get(j, "reply")), "Dear Far") != NULL);
	json_decref(j);
	assert_int_equal(intake_decline(f->d, 9, NULL, "t", &j, &e), RP_ENOTFOUND);

	/* the declined request is purged after intake.keep_days */
	assert_int_equal(table_rows(f->d, "intake_request"), 2);
	assert_int_equal(db_run(f->d, &e, "UPDATE intake_request SET decided_at = decided_at - 91 * 86400 WHERE id = 2", ""),
			 0);
	j = request(f->d, "Next", "next@example.org", "Hello", NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	json_decref(j);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM intake_request WHERE name = 'Far'", ""), 0);
	assert_int_equal(n, 0);

	/* erasure of the contact takes the request that made it */
	assert_int_equal(privacy_erase(f->d, c, 0, &j, &e), 0);
	json_decref(j);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM intake_request WHERE id = 1", ""), 0);
	assert_int_equal(n, 0);
}

/* A merge keeps the kept contact's traits and takes the duplicate's others. */
static void test_merge(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add(f->d, "Анна"), b = add(f->d, "Анна И.");
	trait(f->d, a, "price", 1);
	trait(f->d, b, "price", -1);
	trait(f->d, b, "term", 0.5);
	json_t *j;
	assert_int_equal(align_mark(f->d, b, 1, "t", &j, &e), 0);
	json_decref(j);
	assert_int_equal(contact_merge(f->d, a, b, &e), 0);
	int64_t v;
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT value FROM contact_trait WHERE contact_id = $1 AND dimension = 'price'", "i", a), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT count(*) FROM contact_trait WHERE contact_id = $1", "i", a), 0);
	assert_int_equal(v, 2);
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT count(*) FROM best_client WHERE contact_id = $1", "i", a), 0);
	assert_int_equal(v, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test_setup_teardown(test_profile_traits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suggest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
