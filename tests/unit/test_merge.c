/* core/merge, core/dupes: merging two contacts keeps everything and can be
** undone exactly; likely duplicates are found with their evidence. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#define STRS(...) ((rp_strs){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

static void ok(int rc, rp_err *e, const char *what)
{
	if (rc)
		fail_msg("%s: %s", what, e->msg);
}

/* Every row of every table (the journal aside), as sorted text. */
static char *dump(db *d)
{
	static const char *const skip[] = {"merge_journal", "audit", NULL};
	return test_dump(d, skip);
}

static int64_t count(db *d, const char *sql, int64_t id)
{
	rp_err e = {0};
	int64_t n = -1;
	ok(db_one_int(d, &e, &n, sql, "i", id), &e, sql);
	return n;
}

typedef struct two {
	int64_t keep, other, third;
} two;

/* Two records of one person, each with something of every kind. */
static two populate(db *d)
{
	rp_err e = {0};
	two t;
	contact_in ka = {.name = "Анна Петровна Иванова", .email = STRS("anna@example.org"), .tag = STRS("vip"),
			 .birthday = "1980-04-15", .tier = "close", .phone = STRS("+79161234567")};
	contact_in kb = {.name = "Иванова Анна", .email = STRS("ANNA@example.org", "anna@work.example"),
			 .tag = STRS("vip", "new"), .birthday = "1981-04-15", .owner = "olga", .note = "дубль из импорта"};
	contact_in kc = {.name = "Борис"};
	ok(contact_add(d, &ka, &t.keep, &e), &e, "keep");
	ok(contact_add(d, &kb, &t.other, &e), &e, "other");
	ok(contact_add(d, &kc, &t.third, &e), &e, "third");
	ok(contact_date_add(d, t.other, "anniversary", "2010-06-01", "свадьба", &e), &e, "date");
	int64_t id;
	ok(fact_add(d, t.other, "любит чай", NULL, NULL, &id, &e), &e, "fact");
	ok(fact_add(d, t.keep, "не любит кофе", NULL, NULL, &id, &e), &e, "fact");
	interaction_in ia = {.contact_id = t.other, .at = rp_now() - 60, .kind = "visit", .summary = "зашла", .minutes = -1};
	ok(interaction_add(d, &ia, &id, &e), &e, "interaction");
	ia.contact_id = t.keep;
	ia.summary = "позвонила";
	ok(interaction_add(d, &ia, &id, &e), &e, "interaction");
	story_in st = {.contact_id = t.other, .kind = "choice", .text = "Пришла по совету подруги", .tags = STRS("friend")};
	ok(story_add(d, &st, &id, &e), &e, "story");
	ok(relation_add(d, t.other, t.third, "friend", NULL, &e), &e, "relation");
	ok(relation_add(d, t.keep, t.other, "family", NULL, &e), &e, "relation");
	return t;
}

static void test_merge_and_undo(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	two t = populate(f->d);
	char *before = dump(f->d);
	int64_t facts = table_rows(f->d, "fact"), inter = table_rows(f->d, "interaction"),
		stories = table_rows(f->d, "story");

	int64_t id = 0;
	ok(merge_contacts(f->d, t.keep, t.other, "olga", &id, &e), &e, "merge");
	assert_true(id > 0);
	/* nothing lost: everything is the kept contact's now */
	assert_int_equal(count(f->d, "SELECT count(*) FROM contact WHERE id = $1", t.other), 0);
	assert_int_equal(count(f->d, "SELECT count(*) FROM fact WHERE contact_id = $1", t.keep), facts);
	assert_int_equal(count(f->d, "SELECT count(*) FROM interaction WHERE contact_id = $1", t.keep), inter);
	assert_int_equal(count(f->d, "SELECT count(*) FROM story WHERE contact_id = $1", t.keep), stories);
	assert_int_equal(count(f->d, "SELECT count(*) FROM contact_tag WHERE contact_id = $1", t.keep), 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM contact_channel WHERE contact_id = $1", t.keep), 3);
	/* both birthdays: the second one stays as a date */
	assert_int_equal(count(f->d, "SELECT count(*) FROM contact_date WHERE contact_id = $1", t.keep), 3);
	assert_int_equal(count(f->d, "SELECT count(*) FROM relation WHERE a = $1 AND b <> $1", t.keep), 1);
	json_t *l = NULL;
	ok(merge_list(f->d, 10, &l, &e), &e, "list");
	json_t *m0 = json_array_get(json_object_get(l, "merges"), 0);
	assert_int_equal(json_integer_value(json_object_get(m0, "id")), id);
	assert_string_equal(json_string_value(json_object_get(json_object_get(m0, "other"), "name")), "Иванова Анна");
	assert_true(json_is_true(json_object_get(m0, "undoable")));
	json_decref(l);

	int64_t k = 0, o = 0;
	ok(merge_undo(f->d, id, &k, &o, &e), &e, "undo");
	assert_int_equal(k, t.keep);
	assert_int_equal(o, t.other);
	char *after = dump(f->d);
	assert_string_equal(after, before);
	/* the search index follows the rows back */
	assert_int_equal(count(f->d, "SELECT count(*) FROM interaction WHERE contact_id = $1", t.other), 1);
	assert_int_equal(merge_undo(f->d, id, &k, &o, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "already undone"));
	free(before);
	free(after);
	/* merged again, and undone again: the journal is per merge */
	ok(merge_contacts(f->d, t.keep, t.other, NULL, &id, &e), &e, "merge again");
	ok(merge_undo(f->d, id, &k, &o, &e), &e, "undo again");
}

static int64_t named_fact(db *d, const char *name, const char *fact)
{
	rp_err e = {0};
	contact_in in = {.name = name};
	int64_t id, fid;
	ok(contact_add(d, &in, &id, &e), &e, name);
	ok(fact_add(d, id, fact, NULL, NULL, &fid, &e), &e, fact);
	return id;
}

static void test_undo_refused_after_a_change(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	two t = populate(f->d);
	int64_t id = 0, k, o;
	ok(merge_contacts(f->d, t.keep, t.other, NULL, &id, &e), &e, "merge");
	/* a later interaction with the kept contact is no conflict, an edited moved fact is */
	interaction_in ia = {.contact_id = t.keep, .at = rp_now(), .kind = "call", .summary = "позже", .minutes = -1};
	int64_t later;
	ok(interaction_add(f->d, &ia, &later, &e), &e, "interaction");
	int64_t fact = count(f->d, "SELECT min(id) FROM fact WHERE body = 'любит чай' AND contact_id = $1", t.keep);
	ok(fact_done(f->d, fact, &e), &e, "fact done");
	char *was = dump(f->d);
	assert_int_equal(merge_undo(f->d, id, &k, &o, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "fact"));
	char *now = dump(f->d);
	assert_string_equal(now, was); /* a refused undo writes nothing */
	free(was);
	free(now);
	/* a moved row removed since: refused too */
	int64_t d5 = named_fact(f->d, "Дубль Бориса", "держит собаку");
	ok(merge_contacts(f->d, t.third, d5, NULL, &id, &e), &e, "merge d5");
	ok(db_run(f->d, &e, "DELETE FROM fact WHERE contact_id = $1", "i", t.third), &e, "rm fact");
	assert_int_equal(merge_undo(f->d, id, &k, &o, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "removed"));
	/* no such merge */
	assert_int_equal(merge_undo(f->d, 999999, &k, &o, &e), RP_ENOTFOUND);
}

static void test_window(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	two t = populate(f->d);
	int64_t id = 0, k, o;
	ok(merge_contacts(f->d, t.keep, t.other, NULL, &id, &e), &e, "merge");
	setenv("RAPPORT_TODAY", "2026-12-24", 1); /* 31 days on */
	assert_int_equal(merge_undo(f->d, id, &k, &o, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "merge.undo_days"));
	ok(setting_set(f->d, "merge.undo_days", "60", &e), &e, "setting");
	ok(merge_undo(f->d, id, &k, &o, &e), &e, "undo within 60 days");
}

/* Every column that refers to a contact is journalled (it has a foreign key
** the catalogue shows), and every table holding one has a merge rule. */
static void test_every_reference_covered(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *refs = NULL;
	ok(merge_refs_list(f->d, &refs, &e), &e, "refs");
	assert_true(json_array_size(refs) >= 20);
	size_t i;
	json_t *v;
	json_array_foreach(refs, i, v) {
		char table[64];
		snprintf(table, sizeof table, "%s", json_string_value(v));
		*strchr(table, '.') = 0;
		if (!merge_covers(table))
			fail_msg("%s refers to contacts but contact_merge has no rule for it (core/contact.c)", table);
	}
	for (int t = 0; t < rp_ntables; t++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", rp_tables[t].name);
		db_stmt *s = db_query(f->d, &e, sql, "");
		assert_non_null(s);
		db_step(s, &e);
		for (int c = 0; c < db_col_count(s); c++) {
			const char *col = db_col_name(s, c);
			if (strcmp(col, "contact_id"))
				continue;
			char want[160];
			snprintf(want, sizeof want, "%s.%s", rp_tables[t].name, col);
			int found = 0;
			json_array_foreach(refs, i, v) found |= !strcmp(json_string_value(v), want);
			if (!found)
				fail_msg("%s has no foreign key to contact: a merge would not journal it", want);
		}
		db_reset(s);
	}
	json_decref(refs);
}

static void test_erasure_forgets_journal(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	two t = populate(f->d);
	int64_t id = 0, id2 = 0;
	ok(merge_contacts(f->d, t.keep, t.other, NULL, &id, &e), &e, "merge");
	contact_in kd = {.name = "Ещё одна"};
	int64_t d4;
	ok(contact_add(f->d, &kd, &d4, &e), &e, "d4");
	ok(merge_contacts(f->d, d4, t.keep, NULL, &id2, &e), &e, "merge into d4"); /* a chain */
	assert_int_equal(table_rows(f->d, "merge_journal"), 2);
	json_t *rep = NULL;
	ok(privacy_erase(f->d, d4, 0, &rep, &e), &e, "erase");
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "merge_journal"), 0);
	/* removal too */
	contact_in ke = {.name = "Дубль"};
	int64_t d5;
	ok(contact_add(f->d, &ke, &d5, &e), &e, "d5");
	ok(merge_contacts(f->d, t.third, d5, NULL, &id, &e), &e, "merge d5");
	ok(contact_rm(f->d, t.third, &e), &e, "rm");
	assert_int_equal(table_rows(f->d, "merge_journal"), 0);
}

static json_t *pair_of(json_t *r, int64_t a, int64_t b)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r, "pairs"), i, v) {
		int64_t x = json_integer_value(json_object_get(json_object_get(v, "a"), "id"));
		int64_t y = json_integer_value(json_object_get(json_object_get(v, "b"), "id"));
		if ((x == a && y == b) || (x == b && y == a))
			return v;
	}
	return NULL;
}

static int has_reason(json_t *p, const char *part)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, "reasons"), i, v) if (strstr(json_string_value(v), part)) return 1;
	return 0;
}

static int64_t named(db *d, const char *name)
{
	rp_err e = {0};
	contact_in in = {.name = name};
	int64_t id;
	ok(contact_add(d, &in, &id, &e), &e, name);
	return id;
}

static void test_dupes(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	two t = populate(f->d);
	int64_t lat = named(f->d, "Anna Ivanova"), s1 = named(f->d, "Сергей Смирнов"),
		s2 = named(f->d, "сергей смирнова"), p1 = named(f->d, "Пётр Кузнецов"), p2 = named(f->d, "Кузнецов Петр"),
		x1 = named(f->d, "Ольга Новикова"), x2 = named(f->d, "Ольга Никитина"), sh1 = named(f->d, "Олег Иванов"),
		sh2 = named(f->d, "Олег Ивана");
	json_t *r = NULL;
	ok(dupes_find(f->d, 0, &r, &e), &e, "dupes");
	json_t *p = pair_of(r, t.keep, t.other);
	assert_non_null(p);
	assert_true(has_reason(p, "same email anna@example.org"));
	assert_true(has_reason(p, "patronymic"));
	assert_true(json_integer_value(json_object_get(p, "score")) > 50);
	assert_non_null(p = pair_of(r, t.other, lat));
	assert_true(has_reason(p, "another alphabet"));
	assert_true(has_reason(p, "another order"));
	assert_non_null(p = pair_of(r, s1, s2));
	assert_true(has_reason(p, "one letter"));
	assert_non_null(p = pair_of(r, p1, p2));
	assert_true(has_reason(p, "another order"));
	assert_null(pair_of(r, x1, x2));   /* another person */
	assert_null(pair_of(r, sh1, sh2)); /* two letters apart */
	assert_null(pair_of(r, t.keep, t.third));
	/* the strongest first */
	json_t *first = json_array_get(json_object_get(r, "pairs"), 0);
	assert_ptr_equal(first, pair_of(r, t.keep, t.other));
	json_decref(r);
	ok(dupes_dismiss(f->d, p2, p1, "olga", &e), &e, "dismiss");
	ok(dupes_dismiss(f->d, p1, p2, "olga", &e), &e, "dismiss twice");
	ok(dupes_find(f->d, 1, &r, &e), &e, "dupes");
	assert_int_equal(json_array_size(json_object_get(r, "pairs")), 1);
	json_decref(r);
	ok(dupes_find(f->d, 0, &r, &e), &e, "dupes");
	assert_null(pair_of(r, p1, p2));
	json_decref(r);
	assert_int_equal(dupes_dismiss(f->d, p1, p1, NULL, &e), RP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_merge_and_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_refused_after_a_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_reference_covered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erasure_forgets_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dupes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
