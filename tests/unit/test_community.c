/* core/community: names, membership and its errors, show with ties, health
** with contagion alerts, and the members' graph for the simulator. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <math.h>

#define STR(o, k) json_string_value(json_object_get((o), (k)))
#define INT(o, k) json_integer_value(json_object_get((o), (k)))

static int64_t add_contact(db *d, const char *name)
{
	contact_in c = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	return id;
}

static void act(db *d, int64_t contact, const char *by, const char *what, const char *on)
{
	trust_in in = {.contact_id = contact, .by = by, .act = what, .on = on, .text = what};
	int64_t id = 0;
	rp_err e = {0};
	if (trust_record(d, &in, &id, &e))
		fail_msg("trust_record: %s", e.msg);
}

static void join(db *d, int64_t g, int64_t c)
{
	rp_err e = {0};
	if (community_join(d, g, c, NULL, "2026-01-10", &e))
		fail_msg("community_join: %s", e.msg);
}

static void test_names_and_members(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t g = 0, x = 0, a = add_contact(f->d, "Anna");
	assert_int_equal(community_add(f->d, "Книжный Клуб", "приходим вовремя", "anna", &g, &e), 0);
	assert_int_equal(community_add(f->d, "  книжный клуб ", NULL, NULL, &x, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "regardless of case"));
	assert_int_equal(community_add(f->d, " ", NULL, NULL, &x, &e), RP_EINVAL);
	assert_int_equal(community_add(f->d, "42", NULL, NULL, &x, &e), RP_EINVAL);
	assert_int_equal(community_resolve(f->d, "КНИЖНЫЙ КЛУБ", &x, &e), 0);
	assert_int_equal(x, g);
	assert_int_equal(community_resolve(f->d, "1", &x, &e), 0);
	assert_int_equal(community_resolve(f->d, "Choir", &x, &e), RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "community list"));
	assert_int_equal(community_join(f->d, g, a, "king", NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "member, founder, organiser or guest"));
	assert_int_equal(community_join(f->d, g, a, NULL, "someday", &e), RP_EINVAL);
	assert_int_equal(community_join(f->d, g, 99, NULL, NULL, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "community_member"), 0);
	assert_int_equal(community_join(f->d, g, a, "founder", NULL, &e), 0);
	assert_int_equal(community_join(f->d, g, a, NULL, NULL, &e), RP_ECONFLICT);
	json_t *s = NULL;
	assert_int_equal(community_show(f->d, g, &s, &e), 0);
	json_t *m = json_array_get(json_object_get(s, "members"), 0);
	assert_string_equal(STR(s, "rules"), "приходим вовремя");
	assert_string_equal(STR(m, "role"), "founder");
	assert_string_equal(STR(m, "joined_on"), TEST_DAY);
	assert_string_equal(STR(m, "trust_state"), "no history");
	json_decref(s);
	assert_int_equal(community_list(f->d, &s, &e), 0);
	assert_int_equal(INT(json_array_get(json_object_get(s, "communities"), 0), "members"), 1);
	json_decref(s);
	assert_int_equal(community_leave(f->d, g, a, &e), 0);
	assert_int_equal(community_leave(f->d, g, a, &e), RP_ENOTFOUND);
	assert_int_equal(community_show(f->d, 77, &s, &e), RP_ENOTFOUND);
}

/* Done means: a community with a member we let down raises a contagion
** alert naming who is at risk. */
static void test_health_contagion(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t g = 0, a = add_contact(f->d, "Anna"), b = add_contact(f->d, "Boris"), c = add_contact(f->d, "Clara"),
		d = add_contact(f->d, "Dmitri"), out = add_contact(f->d, "Outsider");
	assert_int_equal(community_add(f->d, "Club", NULL, NULL, &g, &e), 0);
	join(f->d, g, a), join(f->d, g, b), join(f->d, g, c), join(f->d, g, d);
	/* Boris is Anna's friend and Clara's family (two kinds to Clara count once); Dmitri referred by Clara */
	assert_int_equal(relation_add(f->d, b, a, "friend", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, c, b, "family", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, b, c, "colleague", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, d, c, "referred_by", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, b, out, "friend", NULL, &e), 0); /* not a member: no tie */
	act(f->d, b, "company", "defect", "2026-11-03");
	act(f->d, d, "client", "defect", "2026-10-20");
	act(f->d, a, "client", "cooperate", "2026-10-05");
	act(f->d, a, "company", "cooperate", "2026-10-06");
	act(f->d, c, "company", "defect", "2026-06-01"); /* longer than 90 days ago */
	act(f->d, out, "company", "defect", "2026-11-01");
	json_t *h = NULL;
	assert_int_equal(community_health(f->d, g, &h, &e), 0);
	json_t *periods = json_object_get(h, "periods"), *share = json_object_get(h, "cooperation_share");
	assert_int_equal(json_array_size(periods), 12);
	assert_string_equal(json_string_value(json_array_get(periods, 0)), "2025-12");
	assert_string_equal(json_string_value(json_array_get(periods, 11)), "2026-11");
	assert_true(fabs(json_real_value(json_array_get(share, 10)) - 0.667) < 1e-9); /* Oct: 2 of 3 */
	assert_true(fabs(json_real_value(json_array_get(share, 11))) < 1e-9);         /* Nov: Boris's only */
	assert_true(json_is_null(json_array_get(share, 0)));
	json_t *ld = json_object_get(h, "let_down");
	assert_int_equal(json_array_size(ld), 1);
	assert_int_equal(INT(json_object_get(json_array_get(ld, 0), "contact"), "id"), b);
	json_t *al = json_object_get(h, "alerts");
	assert_int_equal(json_array_size(al), 2);
	json_t *top = json_array_get(al, 0), *next = json_array_get(al, 1);
	assert_int_equal(INT(json_object_get(top, "contact"), "id"), b);
	assert_string_equal(STR(top, "why"), "we let them down");
	assert_string_equal(STR(top, "on"), "2026-11-03");
	assert_int_equal(INT(top, "touches"), 2);
	json_t *risk = json_object_get(top, "at_risk");
	assert_int_equal(INT(json_array_get(risk, 0), "id"), a);
	assert_string_equal(STR(json_array_get(risk, 0), "name"), "Anna");
	assert_int_equal(INT(json_array_get(risk, 1), "id"), c);
	assert_int_equal(INT(json_object_get(next, "contact"), "id"), d);
	assert_string_equal(STR(next, "why"), "they defected");
	assert_int_equal(INT(next, "touches"), 1);
	json_decref(h);
	/* made good: the alert goes */
	act(f->d, b, "company", "cooperate", "2026-11-04");
	assert_int_equal(community_health(f->d, g, &h, &e), 0);
	assert_int_equal(json_array_size(json_object_get(h, "let_down")), 0);
	assert_int_equal(json_array_size(json_object_get(h, "alerts")), 1);
	json_decref(h);
	json_t *s = NULL;
	assert_int_equal(community_show(f->d, g, &s, &e), 0);
	assert_int_equal(json_array_size(json_object_get(s, "ties")), 4);
	json_decref(s);
}

static void test_graph(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t g = 0, a = add_contact(f->d, "A"), b = add_contact(f->d, "B"), c = add_contact(f->d, "C"),
		d = add_contact(f->d, "D");
	assert_int_equal(community_add(f->d, "Ring", NULL, NULL, &g, &e), 0);
	int64_t *ids = NULL;
	size_t n = 9, *rowptr = NULL, *col = NULL;
	assert_int_equal(community_graph(f->d, g, &ids, &n, &rowptr, &col, &e), 0);
	assert_int_equal(n, 0);
	free(ids), free(rowptr), free(col);
	join(f->d, g, d), join(f->d, g, a), join(f->d, g, b), join(f->d, g, c);
	assert_int_equal(relation_add(f->d, a, b, "friend", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, b, a, "referred_by", NULL, &e), 0); /* the same edge */
	assert_int_equal(relation_add(f->d, c, a, "family", NULL, &e), 0);
	assert_int_equal(community_graph(f->d, g, &ids, &n, &rowptr, &col, &e), 0);
	assert_int_equal(n, 4);
	int64_t want_ids[] = {a, b, c, d};
	size_t want_rows[] = {0, 2, 3, 4, 4}, want_col[] = {1, 2, 0, 0};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(ids[i], want_ids[i]);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(rowptr[i], want_rows[i]);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(col[i], want_col[i]);
	free(ids), free(rowptr), free(col);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_and_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_health_contagion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_graph, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
