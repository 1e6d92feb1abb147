/* core/lesson: lessons drawn from stories, their links and the agenda. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <string.h>

static int64_t add_story(db *d, const char *name, const char *text)
{
	contact_in c = {.name = name};
	int64_t cid = 0, id = 0;
	rp_err e = {0};
	if (contact_add(d, &c, &cid, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	if (story_add(d, &(story_in){.contact_id = cid, .kind = "interaction", .text = text}, &id, &e))
		fail_msg("story_add: %s", e.msg);
	return id;
}

static int64_t add_lesson(db *d, int64_t story, const char *title, const char *owner)
{
	int64_t id = 0;
	rp_err e = {0};
	if (lesson_add(d, &(lesson_in){.story_id = story, .title = title, .owner = owner, .by = "tester"}, &id, &e))
		fail_msg("lesson_add: %s", e.msg);
	assert_true(id > 0);
	return id;
}

static json_t *show(db *d, int64_t id)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (lesson_show(d, id, &out, &e))
		fail_msg("lesson_show: %s", e.msg);
	return out;
}

/* The ids of the agenda's lessons for owner (NULL: everyone's), as "1,2". */
static void agenda_lessons(db *d, const char *owner, char *buf, size_t size)
{
	agenda_opts o = {.limit = 30, .owner = owner, .lang = "en"};
	assert_int_equal(rp_date_parse(TEST_DAY, 0, &o.date), 0);
	json_t *out = NULL;
	rp_err e = {0};
	if (agenda_build(d, &o, &out, &e))
		fail_msg("agenda_build: %s", e.msg);
	assert_non_null(json_object_get(out, "items"));
	size_t i, n = 0;
	json_t *l;
	buf[0] = 0;
	json_array_foreach(json_object_get(out, "lessons"), i, l)
	{
		assert_non_null(json_object_get(l, "days_open"));
		n += snprintf(buf + n, size - n, "%s%lld", i ? "," : "",
			      (long long)json_integer_value(json_object_get(l, "id")));
	}
	json_decref(out);
}

static void test_add_link_done(void **state)
{
	fx *f = *state;
	int64_t s1 = add_story(f->d, "Анна Иванова", "Сотрудники болтали по телефону");
	int64_t s2 = add_story(f->d, "John Smith", "They ignored me at the front desk");
	int64_t id = add_lesson(f->d, s1, "Greet every client at the front desk", "anna");
	rp_err e = {0};

	json_t *l = show(f->d, id);
	assert_string_equal(json_string_value(json_object_get(l, "status")), "open");
	assert_int_equal(json_array_size(json_object_get(l, "supporting")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(l, "supporting"), 0), "id")),
			 s1);
	assert_true(json_is_null(json_object_get(l, "done_at")));
	json_decref(l);

	assert_int_equal(lesson_link(f->d, id, s2, &e), 0);
	assert_int_equal(lesson_link(f->d, id, s2, &e), 0); /* twice is once */
	l = show(f->d, id);
	assert_int_equal(json_array_size(json_object_get(l, "supporting")), 2);
	assert_int_equal(json_integer_value(json_object_get(l, "stories")), 2);
	json_decref(l);

	assert_int_equal(lesson_set(f->d, id, "done", "a greeter from December", &e), 0);
	l = show(f->d, id);
	assert_string_equal(json_string_value(json_object_get(l, "status")), "done");
	assert_string_equal(json_string_value(json_object_get(l, "note")), "a greeter from December");
	assert_false(json_is_null(json_object_get(l, "done_at")));
	json_decref(l);

	/* erasing a client takes the link, never the lesson */
	assert_int_equal(contact_rm(f->d, 2, &e), 0);
	l = show(f->d, id);
	assert_int_equal(json_array_size(json_object_get(l, "supporting")), 1);
	json_decref(l);
	assert_int_equal(table_rows(f->d, "lesson"), 1);
}

static void test_agenda(void **state)
{
	fx *f = *state;
	int64_t s = add_story(f->d, "Анна Иванова", "Сотрудники болтали по телефону");
	int64_t a = add_lesson(f->d, s, "Greet every client", "anna");
	int64_t b = add_lesson(f->d, s, "Answer the phone elsewhere", "boris");
	char buf[64], want[64];
	rp_err e = {0};

	agenda_lessons(f->d, "anna", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld", (long long)a);
	assert_string_equal(buf, want);
	agenda_lessons(f->d, "boris", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld", (long long)b);
	assert_string_equal(buf, want);
	agenda_lessons(f->d, "carol", buf, sizeof buf);
	assert_string_equal(buf, "");
	agenda_lessons(f->d, NULL, buf, sizeof buf);
	snprintf(want, sizeof want, "%lld,%lld", (long long)a, (long long)b);
	assert_string_equal(buf, want);

	/* doing stays; done and dropped leave */
	assert_int_equal(lesson_set(f->d, a, "doing", NULL, &e), 0);
	agenda_lessons(f->d, "anna", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld", (long long)a);
	assert_string_equal(buf, want);
	assert_int_equal(lesson_set(f->d, a, "done", "done it", &e), 0);
	agenda_lessons(f->d, "anna", buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_int_equal(lesson_set(f->d, b, "dropped", NULL, &e), 0);
	agenda_lessons(f->d, NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_validation(void **state)
{
	fx *f = *state;
	int64_t s = add_story(f->d, "Анна Иванова", "Сотрудники болтали по телефону"), id = 0;
	rp_err e = {0};
	assert_int_equal(lesson_add(f->d, &(lesson_in){.story_id = s, .title = " ", .owner = "anna"}, &id, &e),
			 RP_EINVAL);
	assert_non_null(strstr(e.msg, "title"));
	assert_int_equal(lesson_add(f->d, &(lesson_in){.story_id = s, .title = "x"}, &id, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "--owner"));
	assert_int_equal(lesson_add(f->d, &(lesson_in){.story_id = 99, .title = "x", .owner = "anna"}, &id, &e),
			 RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no story has id 99"));
	assert_int_equal(table_rows(f->d, "lesson"), 0);

	id = add_lesson(f->d, s, "Greet every client", "anna");
	assert_int_equal(lesson_link(f->d, id, 99, &e), RP_ENOTFOUND);
	assert_int_equal(lesson_link(f->d, 42, s, &e), RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no lesson has id 42"));
	assert_int_equal(lesson_set(f->d, id, "maybe", NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "doing or dropped"));
	assert_int_equal(lesson_set(f->d, id, "done", NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "--note"));
	assert_int_equal(lesson_set(f->d, id, "done", "ok", &e), 0);
	assert_int_equal(lesson_set(f->d, id, "dropped", NULL, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "new lesson"));
	json_t *out = NULL;
	assert_int_equal(lesson_list(f->d, NULL, "later", &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "open, doing, done or dropped"));
}

/* A segment is a saved filter of contacts: checked when the lesson is
** made, counted when it is shown. */
static void test_segment(void **state)
{
	fx *f = *state;
	int64_t s = add_story(f->d, "Анна Иванова", "Никто не поздоровался"), id = 0, cid = 0;
	rp_err e = {0};
	const char *vip[] = {"VIP"};
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "Client %d", i);
		contact_in c = {.name = name, .tier = i < 2 ? "close" : "regular", .tag = {vip, 1}};
		if (contact_add(f->d, &c, &cid, &e))
			fail_msg("contact_add: %s", e.msg);
	}
	static const struct {
		const char *segment, *says;
	} bad[] = {
		{"close clients", "\"close\" is not a filter term"},
		{"colour:red", "\"colour\" is not a filter term"},
		{"tier:gold", "gold"},
		{"tier:close tier:distant", "given twice"},
		{"tag:", "needs a value"},
		{"tag:\"front desk", "no closing quote"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e = (rp_err){0};
		assert_int_equal(lesson_add(f->d,
					    &(lesson_in){.story_id = s, .title = "x", .owner = "anna",
							 .segment = bad[i].segment},
					    &id, &e),
				 RP_EINVAL);
		if (!strstr(e.msg, bad[i].says))
			fail_msg("segment \"%s\": %s", bad[i].segment, e.msg);
	}
	assert_int_equal(table_rows(f->d, "lesson"), 0);

	assert_int_equal(lesson_add(f->d,
				    &(lesson_in){.story_id = s, .title = "Greet close clients by name", .owner = "anna",
						 .segment = " tier:close  tag:\"vip\" "},
				    &id, &e),
			 0);
	json_t *l = show(f->d, id);
	assert_int_equal(json_integer_value(json_object_get(l, "segment_size")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(l, "segment_filter"), "tier")), "close");
	assert_string_equal(json_string_value(json_object_get(json_object_get(l, "segment_filter"), "tag")), "vip");
	json_decref(l);
	/* The whole process: no filter, no count. */
	id = add_lesson(f->d, s, "Greet everyone", "anna");
	l = show(f->d, id);
	assert_true(json_is_null(json_object_get(l, "segment_size")));
	assert_true(json_is_null(json_object_get(l, "segment_filter")));
	json_decref(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_link_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
