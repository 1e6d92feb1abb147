/* core/story: stories clients tell, their checks, search and the card. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#define STRS(...) ((rp_strs){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

#define RU "Сотрудники болтали по телефону и не обратили на меня внимания"
#define EN "They ignored me at the front desk"

static int64_t add_contact(db *d, const char *name)
{
	contact_in in = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	return id;
}

static int64_t add_story(db *d, story_in in)
{
	int64_t id = 0;
	rp_err e = {0};
	if (story_add(d, &in, &id, &e))
		fail_msg("story_add: %s", e.msg);
	assert_true(id > 0);
	return id;
}

static json_t *list(db *d, int64_t contact, const char *kind, int64_t limit)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (story_list(d, contact, kind, limit, &out, &e))
		fail_msg("story_list: %s", e.msg);
	return json_object_get(out, "stories") ? out : NULL;
}

/* How many search hits of kind "story" name story id. */
static int found(db *d, const char *words, int64_t id)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (search_run(d, words, 50, &out, &e))
		fail_msg("search_run(%s): %s", words, e.msg);
	size_t i;
	json_t *h;
	int n = 0;
	json_array_foreach(json_object_get(out, "hits"), i, h)
	{
		if (!strcmp(json_string_value(json_object_get(h, "kind")), "story") &&
		    json_integer_value(json_object_get(h, "ref")) == id) {
			assert_non_null(json_string_value(json_object_get(h, "text")));
			assert_non_null(json_string_value(json_object_get(h, "told_on")));
			assert_non_null(json_string_value(json_object_get(h, "story_kind")));
			n++;
		}
	}
	json_decref(out);
	return n;
}

static void test_add_list(void **state)
{
	fx *f = *state;
	int64_t anna = add_contact(f->d, "Анна Иванова"), petr = add_contact(f->d, "Пётр Сёмин");
	int64_t a = add_story(f->d, (story_in){.contact_id = anna, .kind = "interaction", .tone = "negative",
					       .told_on = "2026-11-01", .text = "  " RU "  ", .by = "olga",
					       .tags = STRS("Reception", "reception", "ЗВОНОК")});
	int64_t b = add_story(f->d, (story_in){.contact_id = anna, .kind = "choice", .text = "A friend told me"});
	int64_t c = add_story(f->d, (story_in){.contact_id = petr, .kind = "product", .told_on = "2026-11-10",
					       .tone = "positive", .text = EN});

	json_t *out = list(f->d, 0, NULL, 0);
	json_t *s = json_object_get(out, "stories");
	assert_int_equal(json_array_size(s), 3);
	/* newest told first: today, the 10th, the 1st */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(s, 0), "id")), b);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(s, 1), "id")), c);
	json_t *first = json_array_get(s, 2);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), a);
	assert_string_equal(json_string_value(json_object_get(first, "text")), RU); /* trimmed */
	assert_string_equal(json_string_value(json_object_get(first, "told_on")), "2026-11-01");
	assert_string_equal(json_string_value(json_object_get(first, "tone")), "negative");
	assert_string_equal(json_string_value(json_object_get(first, "by")), "olga");
	assert_string_equal(json_string_value(json_object_get(json_object_get(first, "contact"), "name")),
			    "Анна Иванова");
	json_t *tags = json_object_get(first, "tags");
	assert_int_equal(json_array_size(tags), 2); /* Reception and reception are one tag */
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "reception");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "звонок");
	/* today by default, no tone */
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "told_on")), TEST_DAY);
	assert_true(json_is_null(json_object_get(json_array_get(s, 0), "tone")));
	json_decref(out);

	out = list(f->d, anna, NULL, 0);
	assert_int_equal(json_array_size(json_object_get(out, "stories")), 2);
	json_decref(out);
	out = list(f->d, 0, "product", 0);
	assert_int_equal(json_array_size(json_object_get(out, "stories")), 1);
	json_decref(out);
	out = list(f->d, 0, NULL, 1);
	assert_int_equal(json_array_size(json_object_get(out, "stories")), 1);
	json_decref(out);
	out = list(f->d, anna, "life", 0);
	assert_int_equal(json_array_size(json_object_get(out, "stories")), 0);
	json_decref(out);
}

static void expect_refused(db *d, story_in in, const char *words)
{
	int64_t id = 0;
	rp_err e = {0};
	assert_int_not_equal(story_add(d, &in, &id, &e), 0);
	if (!strstr(e.msg, words))
		fail_msg("\"%s\" does not say \"%s\"", e.msg, words);
}

static void test_validation(void **state)
{
	fx *f = *state;
	int64_t anna = add_contact(f->d, "Анна Иванова");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "gossip", .text = "x"}, "choice, interaction");
	expect_refused(f->d, (story_in){.contact_id = anna, .text = "x"}, "is not one of");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .tone = "angry", .text = "x"},
		       "positive, neutral or negative");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .told_on = "23.11.2026", .text = "x"},
		       "YYYY-MM-DD");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .told_on = "2026-02-30", .text = "x"},
		       "YYYY-MM-DD");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .told_on = "2026-11-24", .text = "x"},
		       "after today");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .text = " \n "}, "client's words");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life"}, "client's words");
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .text = "x", .tags = STRS("a;b")},
		       "tag");
	expect_refused(f->d, (story_in){.contact_id = anna + 100, .kind = "life", .text = "x"}, "no contact");
	char *big = malloc(STORY_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', STORY_MAX + 1);
	big[STORY_MAX + 1] = 0;
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .text = big}, "100 KB");
	big[STORY_MAX] = 0; /* exactly 100 KB is taken */
	add_story(f->d, (story_in){.contact_id = anna, .kind = "life", .text = big});
	free(big);
	expect_refused(f->d, (story_in){.contact_id = anna, .kind = "life", .text = "\xff\xfe"}, "UTF-8");
	assert_int_equal(table_rows(f->d, "story"), 1);
	assert_int_equal(table_rows(f->d, "story_tag"), 0);

	json_t *out = NULL;
	rp_err e = {0};
	assert_int_equal(story_list(f->d, 0, "gossip", 10, &out, &e), RP_EINVAL);
}

static void test_search_card_rm(void **state)
{
	fx *f = *state;
	int64_t anna = add_contact(f->d, "Анна Иванова");
	int64_t ru = add_story(f->d, (story_in){.contact_id = anna, .kind = "interaction", .tone = "negative",
						.told_on = "2026-10-05", .text = RU});
	int64_t en = add_story(f->d, (story_in){.contact_id = anna, .kind = "interaction", .text = EN});
	/* other word forms find them, on either engine */
	assert_int_equal(found(f->d, "болтал", ru), 1);
	assert_int_equal(found(f->d, "внимание", ru), 1);
	assert_int_equal(found(f->d, "ВНИМАНИЯ", ru), 1);
	assert_int_equal(found(f->d, "ignoring", en), 1);
	assert_int_equal(found(f->d, "ignoring", ru), 0);

	json_t *c = NULL;
	rp_err e = {0};
	if (contact_card(f->d, anna, &c, &e))
		fail_msg("contact_card: %s", e.msg);
	json_t *s = json_object_get(c, "stories");
	assert_int_equal(json_array_size(s), 2);
	json_t *last = json_array_get(s, 1);
	assert_int_equal(json_integer_value(json_object_get(last, "id")), ru);
	assert_string_equal(json_string_value(json_object_get(last, "text")), RU);
	assert_string_equal(json_string_value(json_object_get(last, "kind")), "interaction");
	assert_string_equal(json_string_value(json_object_get(last, "tone")), "negative");
	assert_string_equal(json_string_value(json_object_get(last, "told_on")), "2026-10-05");
	json_decref(c);

	/* the card keeps the latest ten */
	for (int i = 0; i < 12; i++)
		add_story(f->d, (story_in){.contact_id = anna, .kind = "life", .text = "Живу работой"});
	if (contact_card(f->d, anna, &c, &e))
		fail_msg("contact_card: %s", e.msg);
	assert_int_equal(json_array_size(json_object_get(c, "stories")), 10);
	json_decref(c);

	add_story(f->d, (story_in){.contact_id = anna, .kind = "choice", .text = "x", .tags = STRS("vip")});
	assert_int_equal(contact_rm(f->d, anna, &e), 0);
	assert_int_equal(table_rows(f->d, "story"), 0);
	assert_int_equal(table_rows(f->d, "story_tag"), 0);
	assert_int_equal(found(f->d, "болтал", ru), 0);
	assert_int_equal(found(f->d, "ignoring", en), 0);
}

/* A merge keeps the duplicate's stories with the contact that stays. */
/* Of a word that many rows contain, only the newest DB_FULLTEXT_WINDOW
** matches are ranked: an old story that says it often is found by a word
** of its own, not by the common word alone. */
static void test_search_window(void **state)
{
	fx *f = *state;
	int64_t anna = add_contact(f->d, "Анна Иванова");
	int64_t old = add_story(f->d, (story_in){.contact_id = anna, .kind = "interaction",
						 .text = "очередь, очередь, снова очередь у кассы"});
	rp_err e = {0};
	assert_int_equal(db_begin(f->d, &e), 0);
	for (int i = 0; i < DB_FULLTEXT_WINDOW; i++)
		assert_int_equal(db_run(f->d, &e,
					"INSERT INTO story(contact_id, told_on, kind, body, created_at)"
					" VALUES ($1, '2026-11-20', 'interaction', 'была очередь', 1)",
					"i", anna),
				 0);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(found(f->d, "очередь", old), 0);
	assert_int_equal(found(f->d, "очередь кассы", old), 1);
}

static void test_merge_keeps_stories(void **state)
{
	fx *f = *state;
	int64_t keep = add_contact(f->d, "Анна Иванова"), dup = add_contact(f->d, "Анна И.");
	int64_t id = add_story(f->d, (story_in){.contact_id = dup, .kind = "friends", .text = "Подруги ходят к вам"});
	rp_err e = {0};
	if (contact_merge(f->d, keep, dup, &e))
		fail_msg("contact_merge: %s", e.msg);
	json_t *out = list(f->d, keep, NULL, 0);
	json_t *s = json_object_get(out, "stories");
	assert_int_equal(json_array_size(s), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(s, 0), "id")), id);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_card_rm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_keeps_stories, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
