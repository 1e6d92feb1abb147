/* core/panel: membership, cadences, due interviews on the agenda, coverage. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <string.h>

static int64_t add_contact(db *d, const char *name, const char *tier, const char *owner)
{
	contact_in c = {.name = name, .tier = tier, .owner = owner, .birthday = "1980-05-05"};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	return id;
}

static void join(db *d, int64_t contact, int64_t cadence)
{
	rp_err e = {0};
	if (panel_add(d, contact, cadence ? &cadence : NULL, "tester", NULL, &e))
		fail_msg("panel_add: %s", e.msg);
}

static void tell(db *d, int64_t contact, const char *kind, const char *on)
{
	int64_t id;
	rp_err e = {0};
	if (story_add(d, &(story_in){.contact_id = contact, .kind = kind, .told_on = on, .text = "words"}, &id, &e))
		fail_msg("story_add: %s", e.msg);
}

static void talk(db *d, int64_t contact, const char *at)
{
	interaction_in in = {.contact_id = contact, .kind = "call", .minutes = -1, .summary = "a call"};
	int64_t id;
	rp_err e = {0};
	assert_int_equal(rp_ts_parse(at, &in.at), 0);
	if (interaction_add(d, &in, &id, &e))
		fail_msg("interaction_add: %s", e.msg);
}

static int64_t day_of(const char *s)
{
	rp_date dt;
	assert_int_equal(rp_date_parse(s, 0, &dt), 0);
	return rp_days_from_civil(dt.y, dt.m, dt.d);
}

static void text_is(db *d, const char *sql, int64_t id, const char *want)
{
	rp_err e = {0};
	db_stmt *s = db_query(d, &e, sql, "i", id);
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	if (strcmp(db_col_text(s, 0), want))
		fail_msg("%s (%lld): \"%s\", not \"%s\"", sql, (long long)id, db_col_text(s, 0), want);
	db_reset(s);
}

static void tier_is(db *d, int64_t id, const char *want)
{
	text_is(d, "SELECT tier FROM contact WHERE id = $1", id, want);
	/* the agenda's copy on the contact's dates follows */
	text_is(d, "SELECT tier FROM contact_date WHERE contact_id = $1", id, want);
}

static int64_t cadence_of(db *d, int64_t id)
{
	int64_t v = -1;
	rp_err e = {0};
	if (db_one_int(d, &e, &v, "SELECT cadence_days FROM panel WHERE contact_id = $1", "i", id))
		fail_msg("no panel row for %lld: %s", (long long)id, e.msg);
	return v;
}

/* The panel part of the agenda on day as "id:days_over:kind,kind;..." */
static void due(db *d, const char *owner, const char *day, char *buf, size_t size)
{
	json_t *a = NULL;
	rp_err e = {0};
	if (panel_agenda(d, owner, day_of(day), "en", &a, &e))
		fail_msg("panel_agenda: %s", e.msg);
	size_t i, k, n = 0;
	json_t *it, *kind;
	buf[0] = 0;
	json_array_foreach(a, i, it)
	{
		n += snprintf(buf + n, size - n, "%s%lld:%lld:", i ? ";" : "",
			      (long long)json_integer_value(json_object_get(json_object_get(it, "contact"), "id")),
			      (long long)json_integer_value(json_object_get(it, "days_over")));
		json_array_foreach(json_object_get(it, "ask_about"), k, kind)
			n += snprintf(buf + n, size - n, "%s%s", k ? "," : "", json_string_value(kind));
		assert_int_equal(json_array_size(json_object_get(it, "questions")),
				 json_array_size(json_object_get(it, "ask_about")));
	}
	json_decref(a);
}

static void test_membership(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add_contact(f->d, "Анна Иванова", "close", NULL);
	join(f->d, a, 21);
	tier_is(f->d, a, "panel");
	text_is(f->d, "SELECT prior_tier FROM panel WHERE contact_id = $1", a, "close");
	text_is(f->d, "SELECT joined_on FROM panel WHERE contact_id = $1", a, TEST_DAY);
	text_is(f->d, "SELECT by_user FROM panel WHERE contact_id = $1", a, "tester");

	/* again: the cadence changes only when one is given */
	join(f->d, a, 0);
	assert_int_equal(cadence_of(f->d, a), 21);
	json_t *m = NULL;
	int64_t c = 45;
	assert_int_equal(panel_add(f->d, a, &c, "tester", &m, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(m, "cadence_days")), 45);
	assert_string_equal(json_string_value(json_object_get(m, "prior_tier")), "close");
	assert_string_equal(json_string_value(json_object_get(m, "due_on")), TEST_DAY); /* never talked */
	json_decref(m);
	assert_int_equal(table_rows(f->d, "panel"), 1);

	/* leaving gives the tier back */
	assert_int_equal(panel_rm(f->d, a, &m, &e), 0);
	assert_string_equal(json_string_value(json_object_get(m, "tier")), "close");
	json_decref(m);
	tier_is(f->d, a, "close");
	assert_int_equal(table_rows(f->d, "panel"), 0);
	assert_int_equal(panel_rm(f->d, a, NULL, &e), RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "is not on the panel"));

	/* a tier someone chose while it was a member stands; joining again
	** takes it as the one to go back to */
	join(f->d, a, 0);
	assert_int_equal(contact_edit(f->d, a, &(contact_in){.tier = "distant"}, &e), 0);
	assert_int_equal(panel_rm(f->d, a, NULL, &e), 0);
	tier_is(f->d, a, "distant");
	join(f->d, a, 0);
	assert_int_equal(contact_edit(f->d, a, &(contact_in){.tier = "close"}, &e), 0);
	join(f->d, a, 0);
	tier_is(f->d, a, "panel");
	text_is(f->d, "SELECT prior_tier FROM panel WHERE contact_id = $1", a, "close");

	/* a contact at tier panel already goes back to regular */
	int64_t b = add_contact(f->d, "John Smith", "panel", NULL);
	join(f->d, b, 0);
	assert_int_equal(panel_rm(f->d, b, NULL, &e), 0);
	tier_is(f->d, b, "regular");

	/* an unknown contact: nothing written */
	assert_int_equal(panel_add(f->d, 99, NULL, "tester", NULL, &e), RP_ENOTFOUND);
	assert_int_equal(panel_rm(f->d, 99, NULL, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "panel"), 1);
}

static void test_cadence(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add_contact(f->d, "Анна Иванова", "close", NULL);
	const int64_t bad[] = {0, -5, 3651, INT64_MAX};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&e, 0, sizeof e);
		assert_int_equal(panel_add(f->d, a, &bad[i], "tester", NULL, &e), RP_EINVAL);
		assert_non_null(strstr(e.msg, "from 1 to 3650"));
		assert_int_equal(table_rows(f->d, "panel"), 0);
		tier_is(f->d, a, "close");
	}
	int64_t edge = 3650;
	assert_int_equal(panel_add(f->d, a, &edge, "tester", NULL, &e), 0);
	/* a member's cadence stays when a new one is refused */
	assert_int_equal(panel_add(f->d, a, &bad[0], "tester", NULL, &e), RP_EINVAL);
	assert_int_equal(cadence_of(f->d, a), 3650);

	/* the default: 30, or the setting */
	int64_t b = add_contact(f->d, "John Smith", NULL, NULL), c = add_contact(f->d, "Мария", NULL, NULL);
	join(f->d, b, 0);
	assert_int_equal(cadence_of(f->d, b), 30);
	assert_int_equal(setting_set(f->d, "panel.cadence", "10", &e), 0);
	join(f->d, c, 0);
	assert_int_equal(cadence_of(f->d, c), 10);
	assert_int_equal(cadence_of(f->d, b), 30);
}

/* Due a cadence after the last story or interaction, at once when never
** talked to; as of the agenda's day; most overdue first; only the owner's. */
static void test_due(void **state)
{
	fx *f = *state;
	char buf[256];
	setenv("RAPPORT_TODAY", "2026-09-01", 1);
	int64_t a = add_contact(f->d, "Never Talked", NULL, "anna");
	int64_t b = add_contact(f->d, "Told A Story", NULL, "boris");
	int64_t c = add_contact(f->d, "Called Lately", NULL, "anna");
	join(f->d, a, 30);
	join(f->d, b, 30);
	join(f->d, c, 30);
	setenv("RAPPORT_TODAY", TEST_DAY, 1);
	tell(f->d, b, "life", "2026-10-01");
	tell(f->d, c, "life", "2026-09-02");
	talk(f->d, c, "2026-11-20T10:00:00Z");

	/* a: due since joining (83 days); b: 2026-10-31 (23 days); c: not before 2026-12-20 */
	due(f->d, NULL, TEST_DAY, buf, sizeof buf);
	char want[256];
	snprintf(want, sizeof want,
		 "%lld:83:choice,interaction,product,friends,life;%lld:23:choice,interaction,product,friends",
		 (long long)a, (long long)b);
	assert_string_equal(buf, want);
	/* the day it falls due counts */
	due(f->d, NULL, "2026-12-20", buf, sizeof buf);
	assert_non_null(strstr(buf, ";"));
	snprintf(want, sizeof want, ";%lld:0:", (long long)c);
	assert_non_null(strstr(buf, want));
	due(f->d, NULL, "2026-12-19", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld:", (long long)c);
	assert_null(strstr(buf, want));

	/* an earlier day sees only what was told by then: on 2026-10-15 b's
	** last story is 2026-10-01 (not due) and c's 2026-09-02 (due 10-02) */
	due(f->d, NULL, "2026-10-15", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld:44:choice,interaction,product,friends,life;%lld:13:choice,interaction,product,friends",
		 (long long)a, (long long)c);
	assert_string_equal(buf, want);
	/* before joining nobody is due */
	due(f->d, NULL, "2026-08-31", buf, sizeof buf);
	assert_string_equal(buf, "");

	/* one owner's members */
	due(f->d, "boris", TEST_DAY, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld:23:", (long long)b);
	assert_int_equal(strncmp(buf, want, strlen(want)), 0);
	assert_null(strchr(buf, ';'));
	due(f->d, "carol", TEST_DAY, buf, sizeof buf);
	assert_string_equal(buf, "");

	/* the list: due first, with the last day of each kind */
	json_t *l = NULL;
	rp_err e = {0};
	assert_int_equal(panel_list(f->d, day_of(TEST_DAY), &l, &e), 0);
	json_t *ms = json_object_get(l, "members");
	assert_int_equal(json_array_size(ms), 3);
	json_t *m0 = json_array_get(ms, 0), *m2 = json_array_get(ms, 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m0, "contact"), "id")), a);
	assert_true(json_is_null(json_object_get(m0, "last_on")));
	assert_string_equal(json_string_value(json_object_get(m0, "due_on")), "2026-09-01");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m2, "contact"), "id")), c);
	assert_string_equal(json_string_value(json_object_get(m2, "last_on")), "2026-11-20");
	assert_string_equal(json_string_value(json_object_get(m2, "due_on")), "2026-12-20");
	assert_string_equal(json_string_value(json_object_get(json_object_get(m2, "kinds"), "life")), "2026-09-02");
	assert_true(json_is_null(json_object_get(json_object_get(m2, "kinds"), "choice")));
	json_decref(l);

	/* on the agenda, beside the people and lessons */
	agenda_opts o = {.limit = 30, .owner = "anna", .lang = "en"};
	assert_int_equal(rp_date_parse(TEST_DAY, 0, &o.date), 0);
	json_t *ag = NULL;
	assert_int_equal(agenda_build(f->d, &o, &ag, &e), 0);
	json_t *p = json_object_get(ag, "panel");
	assert_int_equal(json_array_size(p), 1);
	json_t *it = json_array_get(p, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(it, "contact"), "id")), a);
	assert_string_equal(json_string_value(json_object_get(it, "due_on")), "2026-09-01");
	assert_true(json_is_null(json_object_get(it, "last_on")));
	assert_int_equal(json_integer_value(json_object_get(it, "cadence_days")), 30);
	assert_non_null(json_object_get(ag, "items"));
	assert_non_null(json_object_get(ag, "lessons"));
	json_decref(ag);
}

/* A kind is asked about when none of it was told in the last three
** cadences; the questions follow the language and the form of address. */
static void test_ask_about(void **state)
{
	fx *f = *state;
	char buf[256], want[256];
	int64_t a = add_contact(f->d, "Анна Иванова", NULL, NULL);
	setenv("RAPPORT_TODAY", "2026-01-01", 1);
	join(f->d, a, 10);
	setenv("RAPPORT_TODAY", TEST_DAY, 1);
	tell(f->d, a, "life", "2026-10-25");    /* 29 days before: within 30 */
	tell(f->d, a, "friends", "2026-10-24"); /* 30 days before: three cadences ago */
	tell(f->d, a, "product", "2026-11-10"); /* the last conversation: due 11-20 */
	due(f->d, NULL, TEST_DAY, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld:3:choice,interaction,friends", (long long)a);
	assert_string_equal(buf, want);

	json_t *en = NULL, *ru = NULL, *ty = NULL;
	rp_err e = {0};
	assert_int_equal(panel_agenda(f->d, NULL, day_of(TEST_DAY), "en", &en, &e), 0);
	assert_int_equal(panel_agenda(f->d, NULL, day_of(TEST_DAY), "ru", &ru, &e), 0);
	assert_int_equal(contact_edit(f->d, a, &(contact_in){.address = "ty"}, &e), 0);
	assert_int_equal(panel_agenda(f->d, NULL, day_of(TEST_DAY), "ru", &ty, &e), 0);
	const char *q_en = json_string_value(json_array_get(json_object_get(json_array_get(en, 0), "questions"), 2));
	const char *q_ru = json_string_value(json_array_get(json_object_get(json_array_get(ru, 0), "questions"), 2));
	const char *q_ty = json_string_value(json_array_get(json_object_get(json_array_get(ty, 0), "questions"), 2));
	assert_non_null(strstr(q_en, "friends"));
	assert_non_null(strstr(q_ru, "ваши друзья"));
	assert_non_null(strstr(q_ty, "твои друзья"));
	json_decref(en);
	json_decref(ru);
	json_decref(ty);
}

static json_t *coverage(db *d, const char *from, const char *to, const char *by)
{
	json_t *c = NULL;
	rp_err e = {0};
	if (panel_coverage(d, from, to, by, &c, &e))
		fail_msg("panel_coverage: %s", e.msg);
	return c;
}

static int64_t count_at(json_t *c, size_t member, const char *kind, size_t period)
{
	json_t *m = json_array_get(json_object_get(c, "members"), member);
	return json_integer_value(json_array_get(json_object_get(json_object_get(m, "counts"), kind), period));
}

static void test_coverage(void **state)
{
	fx *f = *state;
	int64_t a = add_contact(f->d, "Анна Иванова", NULL, NULL);
	int64_t b = add_contact(f->d, "Quiet Member", NULL, NULL);
	int64_t x = add_contact(f->d, "Not On The Panel", NULL, NULL);
	join(f->d, a, 0);
	join(f->d, b, 0);
	tell(f->d, a, "life", "2026-07-31");
	tell(f->d, a, "life", "2026-08-01");
	tell(f->d, a, "life", "2026-08-31");
	tell(f->d, a, "choice", "2026-09-15");
	tell(f->d, a, "product", "2026-06-30"); /* before the report */
	tell(f->d, x, "life", "2026-08-10");    /* not a member */

	json_t *c = coverage(f->d, "2026-07-01", "2026-09-30", NULL);
	assert_string_equal(json_string_value(json_object_get(c, "by")), "month");
	json_t *ps = json_object_get(c, "periods");
	assert_int_equal(json_array_size(ps), 3);
	assert_string_equal(json_string_value(json_array_get(ps, 0)), "2026-07");
	assert_string_equal(json_string_value(json_array_get(ps, 2)), "2026-09");
	assert_int_equal(json_array_size(json_object_get(c, "kinds")), STORY_NKINDS);
	assert_int_equal(json_array_size(json_object_get(c, "members")), 2);
	assert_int_equal(count_at(c, 0, "life", 0), 1);
	assert_int_equal(count_at(c, 0, "life", 1), 2);
	assert_int_equal(count_at(c, 0, "life", 2), 0);
	assert_int_equal(count_at(c, 0, "choice", 2), 1);
	assert_int_equal(count_at(c, 0, "product", 0), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(c, "members"), 0), "total")), 4);
	/* the quiet member: all zeros */
	json_t *q = json_array_get(json_object_get(c, "members"), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(q, "contact"), "id")), b);
	assert_int_equal(json_integer_value(json_object_get(q, "total")), 0);
	for (int k = 0; k < STORY_NKINDS; k++)
		for (size_t p = 0; p < 3; p++)
			assert_int_equal(count_at(c, 1, story_kinds[k], p), 0);
	json_decref(c);

	/* by quarter, days inside a period bound it */
	c = coverage(f->d, "2026-06-30", "2026-08-31", "quarter");
	ps = json_object_get(c, "periods");
	assert_int_equal(json_array_size(ps), 2);
	assert_string_equal(json_string_value(json_array_get(ps, 0)), "2026-Q2");
	assert_string_equal(json_string_value(json_array_get(ps, 1)), "2026-Q3");
	assert_int_equal(count_at(c, 0, "product", 0), 1);
	assert_int_equal(count_at(c, 0, "life", 1), 3);
	json_decref(c);

	/* the default: twelve months up to today */
	c = coverage(f->d, NULL, NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(c, "from")), "2025-12-01");
	assert_string_equal(json_string_value(json_object_get(c, "to")), TEST_DAY);
	assert_int_equal(json_array_size(json_object_get(c, "periods")), 12);
	json_decref(c);

	rp_err e = {0};
	json_t *none = NULL;
	assert_int_equal(panel_coverage(f->d, "2026-09-01", "2026-08-01", NULL, &none, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "after --to"));
	assert_int_equal(panel_coverage(f->d, "2000-01-01", "2026-08-01", NULL, &none, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "--by quarter"));
	assert_int_equal(panel_coverage(f->d, NULL, NULL, "week", &none, &e), RP_EINVAL);
	assert_int_equal(panel_coverage(f->d, "1.9.2026", NULL, NULL, &none, &e), RP_EINVAL);
	assert_null(none);
}

/* A merge moves a membership to the kept contact unless it has one;
** removing a contact removes its membership; the export shows it. */
static void test_merge_erase(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t keep = add_contact(f->d, "Анна Иванова", "close", NULL);
	int64_t dup = add_contact(f->d, "Анна И.", NULL, NULL);
	join(f->d, dup, 12);
	assert_int_equal(contact_merge(f->d, keep, dup, &e), 0);
	assert_int_equal(table_rows(f->d, "panel"), 1);
	assert_int_equal(cadence_of(f->d, keep), 12);
	tier_is(f->d, keep, "panel");
	text_is(f->d, "SELECT prior_tier FROM panel WHERE contact_id = $1", keep, "close");

	int64_t dup2 = add_contact(f->d, "Анна Ив.", NULL, NULL);
	join(f->d, dup2, 50);
	assert_int_equal(contact_merge(f->d, keep, dup2, &e), 0);
	assert_int_equal(table_rows(f->d, "panel"), 1);
	assert_int_equal(cadence_of(f->d, keep), 12);

	json_t *doc = NULL;
	assert_int_equal(privacy_export(f->d, keep, &doc, &e), 0);
	json_t *p = json_array_get(json_object_get(doc, "panel"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "cadence_days")), 12);
	assert_string_equal(json_string_value(json_object_get(p, "prior_tier")), "close");
	json_decref(doc);

	assert_int_equal(contact_rm(f->d, keep, &e), 0);
	assert_int_equal(table_rows(f->d, "panel"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_membership, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cadence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ask_about, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_erase, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
