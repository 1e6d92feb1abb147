/* core/agenda: today's touches, on crafted data with the clock fixed. */
#define TEST_DAY "2025-06-15"
#include "testlib.h"

#define DAY TEST_DAY

static void set_today(const char *date) { setenv("RAPPORT_TODAY", date, 1); }

/* A contact added on the day `created` (the clock is put back after). */
static int64_t person_on(db *d, const char *created, const char *name, const char *tier,
			 const char *owner, const char *birthday)
{
	set_today(created);
	contact_in in = {.name = name, .tier = tier, .owner = owner, .birthday = birthday};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	set_today(DAY);
	return id;
}

static int64_t person(db *d, const char *name, const char *tier, const char *owner,
		      const char *birthday)
{
	return person_on(d, DAY, name, tier, owner, birthday);
}

static int64_t follow_up(db *d, int64_t contact, const char *body, const char *due)
{
	int64_t id = 0;
	rp_err e = {0};
	if (fact_add(d, contact, body, due, NULL, &id, &e))
		fail_msg("fact_add: %s", e.msg);
	return id;
}

static void touch(db *d, int64_t contact, const char *when)
{
	int64_t at = 0, id;
	rp_err e = {0};
	assert_int_equal(rp_ts_parse(when, &at), 0);
	interaction_in in = {.contact_id = contact, .at = at, .kind = "call", .minutes = -1};
	if (interaction_add(d, &in, &id, &e))
		fail_msg("interaction_add: %s", e.msg);
}

static json_t *agenda_full(db *d, const char *date, int64_t limit, int lookahead, const char *owner,
			   const char *lang)
{
	agenda_opts o = {.limit = limit, .lookahead = lookahead, .owner = owner, .lang = lang};
	assert_int_equal(rp_date_parse(date, 0, &o.date), 0);
	json_t *out = NULL;
	rp_err e = {0};
	if (agenda_build(d, &o, &out, &e))
		fail_msg("agenda_build(%s): %s", date, e.msg);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "date")), date);
	return out;
}

static json_t *agenda(db *d, const char *date, int lookahead)
{
	return agenda_full(d, date, 30, lookahead, NULL, "en");
}

static json_t *items(json_t *a) { return json_object_get(a, "items"); }

static json_t *item_for(json_t *a, int64_t id)
{
	size_t i;
	json_t *it;
	json_array_foreach(items(a), i, it)
	{
		if (json_integer_value(json_object_get(json_object_get(it, "contact"), "id")) == id)
			return it;
	}
	return NULL;
}

static int64_t rank_of(json_t *a, int64_t id)
{
	json_t *it = item_for(a, id);
	if (!it)
		fail_msg("contact %lld is not on the agenda", (long long)id);
	return json_integer_value(json_object_get(it, "rank"));
}

static json_t *reason(json_t *item, const char *kind)
{
	size_t i;
	json_t *r;
	assert_non_null(item);
	json_array_foreach(json_object_get(item, "reasons"), i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "kind")), kind))
			return r;
	}
	return NULL;
}

static size_t reasons_of(json_t *item, const char *kind)
{
	size_t i, n = 0;
	json_t *r;
	json_array_foreach(json_object_get(item, "reasons"), i, r) n +=
		!strcmp(json_string_value(json_object_get(r, "kind")), kind);
	return n;
}

static const char *text(json_t *r)
{
	assert_non_null(r);
	const char *t = json_string_value(json_object_get(r, "text"));
	assert_non_null(t);
	return t;
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	return json_integer_value(v);
}

#define assert_contains(hay, needle)                                                              \
	do {                                                                                      \
		if (!strstr((hay), (needle)))                                                     \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));              \
	} while (0)

/* ---- yearly dates -------------------------------------------------------------- */

static void test_birthday_today(void **state)
{
	fx *f = *state;
	int64_t anna = person(f->d, "Анна", "regular", NULL, "1985-06-15");
	int64_t noyear = person(f->d, "Без Года", "regular", NULL, "--06-15");
	int64_t tomorrow = person(f->d, "Завтра", "regular", NULL, "1985-06-16");
	int64_t other = person(f->d, "Другой", "regular", NULL, "1985-01-15");
	json_t *a = agenda(f->d, DAY, 0);
	assert_int_equal(json_array_size(items(a)), 2);

	json_t *r = reason(item_for(a, anna), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "age"), 40);
	assert_int_equal(num(r, "in_days"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "date")), DAY);
	assert_contains(text(r), "today");
	assert_contains(text(r), "turns 40");

	r = reason(item_for(a, noyear), "birthday");
	assert_non_null(r);
	assert_null(json_object_get(r, "age"));
	assert_int_equal(num(r, "in_days"), 0);
	assert_null(strstr(text(r), "turns"));

	assert_null(item_for(a, tomorrow));
	assert_null(item_for(a, other));
	json_decref(a);

	/* the next day, the other one */
	a = agenda(f->d, "2025-06-16", 0);
	assert_int_equal(json_array_size(items(a)), 1);
	assert_int_equal(num(reason(item_for(a, tomorrow), "birthday"), "age"), 40);
	json_decref(a);
}

static void test_feb29(void **state)
{
	fx *f = *state;
	int64_t leap = person(f->d, "Високосный", "close", NULL, "2000-02-29");
	int64_t noyear = person(f->d, "Без Года", "regular", NULL, "--02-29");
	int64_t feb28 = person(f->d, "Обычный", "regular", NULL, "2001-02-28");

	/* a year without 29 February: greeted on the 28th */
	json_t *a = agenda(f->d, "2025-02-28", 0);
	json_t *r = reason(item_for(a, leap), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "age"), 25);
	assert_int_equal(num(r, "in_days"), 0);
	assert_int_equal(reasons_of(item_for(a, leap), "birthday"), 1);
	assert_non_null(reason(item_for(a, noyear), "birthday"));
	assert_non_null(reason(item_for(a, feb28), "birthday"));
	assert_int_equal(json_array_size(items(a)), 3);
	json_decref(a);
	/* and not again on 1 March */
	a = agenda(f->d, "2025-03-01", 0);
	assert_null(item_for(a, leap));
	assert_null(item_for(a, noyear));
	json_decref(a);

	/* a leap year: on the 29th, not the 28th */
	a = agenda(f->d, "2024-02-28", 0);
	assert_null(item_for(a, leap));
	assert_null(item_for(a, noyear));
	assert_non_null(item_for(a, feb28));
	json_decref(a);
	a = agenda(f->d, "2024-02-29", 0);
	r = reason(item_for(a, leap), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "age"), 24);
	assert_non_null(item_for(a, noyear));
	assert_null(item_for(a, feb28));
	json_decref(a);

	/* looking ahead (close contact): once, on the right day */
	a = agenda(f->d, "2025-02-27", 3);
	r = reason(item_for(a, leap), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "in_days"), 1);
	assert_int_equal(reasons_of(item_for(a, leap), "birthday"), 1);
	json_decref(a);
	a = agenda(f->d, "2024-02-27", 3);
	r = reason(item_for(a, leap), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "in_days"), 2);
	assert_string_equal(json_string_value(json_object_get(r, "date")), "2024-02-29");
	assert_int_equal(reasons_of(item_for(a, leap), "birthday"), 1);
	json_decref(a);
}

static void test_lookahead(void **state)
{
	fx *f = *state;
	int64_t close = person(f->d, "Близкий", "close", NULL, "1990-06-17");
	int64_t regular = person(f->d, "Обычный", "regular", NULL, "1990-06-17");
	int64_t panel = person(f->d, "Панель", "panel", NULL, "--06-18");
	int64_t distant = person(f->d, "Дальний", "distant", NULL, "--06-16");

	json_t *a = agenda(f->d, DAY, 3);
	json_t *r = reason(item_for(a, close), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "in_days"), 2);
	assert_int_equal(num(r, "age"), 35); /* the age they turn on the day */
	assert_string_equal(json_string_value(json_object_get(r, "date")), "2025-06-17");
	assert_contains(text(r), "in 2 days (17 Jun)");
	r = reason(item_for(a, panel), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "in_days"), 3);
	assert_null(item_for(a, regular));
	assert_null(item_for(a, distant));
	assert_int_equal(json_array_size(items(a)), 2);
	/* sooner is stronger */
	assert_true(rank_of(a, close) < rank_of(a, panel));
	json_decref(a);

	/* too short a look ahead */
	a = agenda(f->d, DAY, 1);
	assert_int_equal(json_array_size(items(a)), 0);
	json_decref(a);

	/* across the end of the year */
	int64_t ny = person(f->d, "Новогодний", "close", NULL, "1999-01-01");
	a = agenda(f->d, "2025-12-30", 3);
	r = reason(item_for(a, ny), "birthday");
	assert_non_null(r);
	assert_int_equal(num(r, "in_days"), 2);
	assert_int_equal(num(r, "age"), 27);
	assert_string_equal(json_string_value(json_object_get(r, "date")), "2026-01-01");
	json_decref(a);
}

static void test_anniversary(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id = person(f->d, "Пара", "regular", NULL, NULL);
	assert_int_equal(contact_date_add(f->d, id, "anniversary", "2015-06-15", "свадьба", &e), 0);
	json_t *a = agenda(f->d, DAY, 0);
	json_t *r = reason(item_for(a, id), "date");
	assert_non_null(r);
	assert_int_equal(num(r, "years"), 10);
	assert_string_equal(json_string_value(json_object_get(r, "date_kind")), "anniversary");
	assert_contains(text(r), "свадьба");
	json_decref(a);
}

/* ---- follow-ups --------------------------------------------------------------- */

static void test_follow_ups(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* added first, so a tie on score would put it first */
	int64_t due = person(f->d, "Срок Сегодня", "regular", NULL, NULL);
	int64_t late = person(f->d, "Просрочено", "regular", NULL, NULL);
	int64_t future = person(f->d, "Потом", "regular", NULL, NULL);
	int64_t done = person(f->d, "Сделано", "regular", NULL, NULL);
	int64_t f_due = follow_up(f->d, due, "спросить про отпуск", DAY);
	int64_t f_late = follow_up(f->d, late, "вернуть книгу", "2025-06-10");
	follow_up(f->d, future, "позже", "2025-06-16");
	follow_up(f->d, future, "без срока", NULL);
	int64_t f_done = follow_up(f->d, done, "уже сделано", "2025-06-01");

	json_t *a = agenda(f->d, DAY, 0);
	assert_int_equal(json_array_size(items(a)), 3);
	/* 14 days overdue, then 5, then due today */
	assert_int_equal(rank_of(a, done), 1);
	assert_int_equal(rank_of(a, late), 2);
	assert_int_equal(rank_of(a, due), 3);
	assert_null(item_for(a, future));
	json_t *r = reason(item_for(a, late), "follow_up");
	assert_int_equal(num(r, "overdue_days"), 5);
	assert_int_equal(num(r, "fact_id"), f_late);
	assert_contains(text(r), "вернуть книгу");
	assert_contains(text(r), "5 days overdue");
	r = reason(item_for(a, due), "follow_up");
	assert_int_equal(num(r, "overdue_days"), 0);
	assert_int_equal(num(r, "fact_id"), f_due);
	assert_contains(text(r), "due today");
	assert_non_null(item_for(a, done));
	json_decref(a);

	/* done ones vanish */
	assert_int_equal(fact_done(f->d, f_done, &e), 0);
	assert_int_equal(fact_done(f->d, f_due, &e), 0);
	a = agenda(f->d, DAY, 0);
	assert_int_equal(json_array_size(items(a)), 1);
	assert_null(item_for(a, done));
	assert_null(item_for(a, due));
	assert_non_null(item_for(a, late));
	json_decref(a);

	/* a more overdue promise outranks a less overdue one */
	int64_t later = person(f->d, "Очень Давно", "regular", NULL, NULL);
	follow_up(f->d, later, "давний долг", "2025-05-01");
	a = agenda(f->d, DAY, 0);
	assert_true(rank_of(a, later) < rank_of(a, late));
	json_decref(a);
}

/* ---- cadence -------------------------------------------------------------------- */

static void test_cadence(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	const char *old = "2025-01-01";
	int64_t x = person_on(f->d, old, "Тридцать Один", "close", NULL, NULL);
	int64_t y = person_on(f->d, old, "Двадцать Девять", "close", NULL, NULL);
	int64_t z = person_on(f->d, old, "Ровно Тридцать", "close", NULL, NULL);
	int64_t r45 = person_on(f->d, old, "Обычный", "regular", NULL, NULL);
	touch(f->d, x, "2025-05-15T10:00:00Z");
	touch(f->d, y, "2025-05-17T10:00:00Z");
	touch(f->d, z, "2025-05-16T23:00:00Z");
	touch(f->d, r45, "2025-05-01T10:00:00Z");
	int64_t never = person_on(f->d, old, "Ни Разу", "regular", NULL, NULL);

	json_t *a = agenda(f->d, DAY, 0);
	json_t *r = reason(item_for(a, x), "cadence");
	assert_non_null(r);
	assert_int_equal(num(r, "days"), 31);
	assert_int_equal(num(r, "cadence"), 30);
	assert_contains(text(r), "no contact for 31 days");
	assert_null(item_for(a, y));
	assert_null(item_for(a, z));
	assert_null(item_for(a, r45));
	r = reason(item_for(a, never), "cadence");
	assert_non_null(r);
	assert_int_equal(num(r, "days"), 165);
	assert_contains(text(r), "since added");
	assert_int_equal(json_array_size(items(a)), 2);
	json_decref(a);

	/* settings change the cadence */
	assert_int_equal(setting_set(f->d, "cadence.close", "60", &e), 0);
	assert_int_equal(setting_set(f->d, "cadence.regular", "30", &e), 0);
	a = agenda(f->d, DAY, 0);
	assert_null(item_for(a, x));
	r = reason(item_for(a, r45), "cadence");
	assert_non_null(r);
	assert_int_equal(num(r, "days"), 45);
	assert_int_equal(num(r, "cadence"), 30);
	assert_non_null(item_for(a, never));
	json_decref(a);
	/* a value that is not a number falls back to the default */
	assert_int_equal(setting_set(f->d, "cadence.close", "soon", &e), 0);
	a = agenda(f->d, DAY, 0);
	r = reason(item_for(a, x), "cadence");
	assert_non_null(r);
	assert_int_equal(num(r, "cadence"), 30);
	json_decref(a);

	/* touching them takes them off */
	touch(f->d, x, "2025-06-15T09:00:00Z");
	a = agenda(f->d, DAY, 0);
	assert_null(item_for(a, x));
	json_decref(a);
}

/* ---- owners, limits, ranking ------------------------------------------------------------ */

static void test_owner(void **state)
{
	fx *f = *state;
	int64_t m1 = person(f->d, "Маша Один", "regular", "masha", "1990-06-15");
	int64_t m2 = person(f->d, "Маша Два", "regular", "masha", NULL);
	int64_t m3 = person_on(f->d, "2025-01-01", "Маша Три", "regular", "masha", NULL);
	int64_t p1 = person(f->d, "Петя Один", "regular", "petya", "1990-06-15");
	int64_t p2 = person(f->d, "Петя Два", "regular", "petya", NULL);
	person_on(f->d, "2025-01-01", "Петя Три", "regular", "petya", NULL);
	person(f->d, "Ничей", "regular", NULL, "1990-06-15");
	follow_up(f->d, m2, "маше", DAY);
	follow_up(f->d, p2, "пете", DAY);

	json_t *a = agenda_full(f->d, DAY, 30, 0, "masha", "en");
	assert_int_equal(json_array_size(items(a)), 3);
	assert_non_null(reason(item_for(a, m1), "birthday"));
	assert_non_null(reason(item_for(a, m2), "follow_up"));
	assert_non_null(reason(item_for(a, m3), "cadence"));
	size_t i;
	json_t *it;
	json_array_foreach(items(a), i, it)
	{
		assert_string_equal(json_string_value(json_object_get(json_object_get(it, "contact"), "owner")),
				    "masha");
	}
	assert_null(item_for(a, p1));
	json_decref(a);

	a = agenda(f->d, DAY, 0);
	assert_int_equal(json_array_size(items(a)), 7);
	json_decref(a);

	a = agenda_full(f->d, DAY, 30, 0, "nobody", "en");
	assert_int_equal(json_array_size(items(a)), 0);
	json_decref(a);
}

static void check_ranks(json_t *a, size_t n)
{
	assert_int_equal(json_array_size(items(a)), n);
	double prev = 1e300;
	size_t i;
	json_t *it;
	json_array_foreach(items(a), i, it)
	{
		assert_int_equal(num(it, "rank"), (int64_t)i + 1);
		double s = json_number_value(json_object_get(it, "score"));
		assert_true(s > 0);
		assert_true(s <= prev);
		prev = s;
	}
}

static void test_limit_and_ranks(void **state)
{
	fx *f = *state;
	static const char *const tiers[] = {"distant", "regular", "close", "panel", "regular", "close"};
	static const char *const born[] = {"1980-06-15", "1985-06-15", "--06-15",
					   "2000-06-15", "1999-06-15", "1970-06-15"};
	for (int i = 0; i < 6; i++) {
		char name[32];
		snprintf(name, sizeof name, "Человек %d", i);
		person(f->d, name, tiers[i], NULL, born[i]);
	}
	json_t *a = agenda_full(f->d, DAY, 4, 0, NULL, "en");
	assert_int_equal(num(a, "limit"), 4);
	check_ranks(a, 4);
	json_t *all = agenda(f->d, DAY, 0);
	check_ranks(all, 6);
	/* the limited list is the head of the full one */
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(num(json_object_get(json_array_get(items(a), i), "contact"), "id"),
				 num(json_object_get(json_array_get(items(all), i), "contact"), "id"));
	json_decref(a);
	json_decref(all);
	a = agenda_full(f->d, DAY, 1, 0, NULL, "en");
	check_ranks(a, 1);
	json_decref(a);

	/* bad options */
	agenda_opts o = {.limit = 0, .lang = "en"};
	assert_int_equal(rp_date_parse(DAY, 0, &o.date), 0);
	json_t *out = NULL;
	rp_err e = {0};
	assert_int_equal(agenda_build(f->d, &o, &out, &e), RP_EINVAL);
	o.limit = 10;
	o.lookahead = 32;
	assert_int_equal(agenda_build(f->d, &o, &out, &e), RP_EINVAL);
	o.lookahead = -1;
	assert_int_equal(agenda_build(f->d, &o, &out, &e), RP_EINVAL);
	assert_null(out);
}

static void test_two_reasons_outrank_one(void **state)
{
	fx *f = *state;
	/* b and c are added first: lower ids win ties */
	int64_t b = person(f->d, "Только Рождение", "regular", NULL, "1991-06-15");
	int64_t c = person(f->d, "Только Обещание", "regular", NULL, NULL);
	int64_t both = person(f->d, "Оба Повода", "regular", NULL, "1991-06-15");
	follow_up(f->d, c, "обещание", DAY);
	follow_up(f->d, both, "обещание", DAY);
	json_t *a = agenda(f->d, DAY, 0);
	check_ranks(a, 3);
	assert_int_equal(rank_of(a, both), 1);
	json_t *it = item_for(a, both);
	assert_int_equal(json_array_size(json_object_get(it, "reasons")), 2);
	assert_non_null(reason(it, "birthday"));
	assert_non_null(reason(it, "follow_up"));
	/* strongest reason first */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(it, "reasons"), 0), "kind")),
			    "birthday");
	assert_int_equal(rank_of(a, b), 2);
	assert_int_equal(rank_of(a, c), 3);
	json_decref(a);

	/* however far ahead a birthday is, it adds to a contact's rank */
	int64_t p1 = person(f->d, "Только Долг", "close", NULL, NULL);
	int64_t p2 = person(f->d, "Долг И Скоро", "close", NULL, NULL);
	int64_t p3 = person(f->d, "Долг И Нескоро", "close", NULL, NULL);
	rp_err e = {0};
	contact_in bd = {.birthday = "1990-06-25"};
	assert_int_equal(contact_edit(f->d, p2, &bd, &e), 0);
	bd.birthday = "1990-07-14";
	assert_int_equal(contact_edit(f->d, p3, &bd, &e), 0);
	follow_up(f->d, p1, "долг", DAY);
	follow_up(f->d, p2, "долг", DAY);
	follow_up(f->d, p3, "долг", DAY);
	a = agenda(f->d, DAY, 31);
	assert_int_equal(num(reason(item_for(a, p2), "birthday"), "in_days"), 10);
	assert_int_equal(num(reason(item_for(a, p3), "birthday"), "in_days"), 29);
	assert_true(rank_of(a, p2) < rank_of(a, p1));
	assert_true(rank_of(a, p3) < rank_of(a, p1));
	/* and the sooner one more */
	assert_true(rank_of(a, p2) < rank_of(a, p3));
	size_t i, k;
	json_t *it2, *r;
	json_array_foreach(items(a), i, it2) json_array_foreach(json_object_get(it2, "reasons"), k, r)
		assert_true(json_number_value(json_object_get(r, "weight")) > 0);
	json_decref(a);
}

static void test_all_follow_ups_of_a_chosen_contact(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* first in the pool, later outranked: the order changes before completion */
	int64_t first = person(f->d, "Именинник", "regular", NULL, "1990-06-15");
	int64_t busy = person(f->d, "Много Обещаний", "regular", NULL, NULL);
	assert_int_equal(db_begin(f->d, &e), 0);
	for (int i = 0; i < 120; i++) {
		char body[64], due[11];
		snprintf(body, sizeof body, "обещание %d", i);
		rp_date dd = rp_civil_from_days(rp_days_from_civil(2025, 6, 14) - i % 40);
		follow_up(f->d, busy, body, rp_date_format(dd, due));
	}
	assert_int_equal(db_commit(f->d, &e), 0);
	/* a small limit keeps the follow-up pool (100) below the 120 due */
	json_t *a = agenda_full(f->d, DAY, 5, 0, NULL, "en");
	assert_int_equal(rank_of(a, busy), 1);
	assert_int_equal(rank_of(a, first), 2);
	json_t *it = item_for(a, busy);
	assert_int_equal(reasons_of(it, "follow_up"), 120);
	/* each fact once */
	char seen[121] = {0};
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(it, "reasons"), i, r)
	{
		int64_t fid = num(r, "fact_id");
		assert_true(fid >= 1 && fid <= 120);
		assert_int_equal(seen[fid], 0);
		seen[fid] = 1;
	}
	json_decref(a);
}

/* ---- language and shape ---------------------------------------------------------- */

static void build_mixed(db *d, int64_t ids[5])
{
	rp_err e = {0};
	ids[0] = person(d, "Юбиляр", "close", "masha", "1985-06-15");
	ids[1] = person(d, "Без Года", "regular", NULL, "--06-15");
	ids[2] = person(d, "Должник", "regular", NULL, NULL);
	follow_up(d, ids[2], "позвонить врачу", "2025-06-12");
	ids[3] = person_on(d, "2025-01-01", "Забытый", "close", NULL, NULL);
	touch(d, ids[3], "2025-04-01T10:00:00Z");
	ids[4] = person(d, "Скоро", "panel", NULL, "1990-06-16");
	assert_int_equal(contact_date_add(d, ids[1], "anniversary", "2020-06-15", NULL, &e), 0);
}

static void test_russian(void **state)
{
	fx *f = *state;
	int64_t ids[5];
	build_mixed(f->d, ids);
	json_t *a = agenda_full(f->d, DAY, 30, 3, NULL, "ru");
	assert_contains(text(reason(item_for(a, ids[0]), "birthday")), "день рождения сегодня: исполняется 40");
	json_t *r = reason(item_for(a, ids[1]), "birthday");
	assert_contains(text(r), "день рождения сегодня");
	assert_null(strstr(text(r), "исполня"));
	assert_contains(text(reason(item_for(a, ids[1]), "date")), "годовщина сегодня (5 лет)");
	assert_contains(text(reason(item_for(a, ids[2]), "follow_up")),
			"пора спросить: позвонить врачу (просрочено на 3 дн.)");
	assert_contains(text(reason(item_for(a, ids[3]), "cadence")), "не общались 75 дн. (близкие: раз в 30 дн.)");
	assert_contains(text(reason(item_for(a, ids[4]), "birthday")), "завтра (16.06)");
	assert_contains(text(reason(item_for(a, ids[4]), "birthday")), "исполнится 35");
	json_decref(a);

	/* the same in English */
	a = agenda_full(f->d, DAY, 30, 3, NULL, "en");
	assert_contains(text(reason(item_for(a, ids[0]), "birthday")), "birthday today: turns 40");
	assert_contains(text(reason(item_for(a, ids[2]), "follow_up")),
			"follow up: позвонить врачу (3 days overdue)");
	assert_contains(text(reason(item_for(a, ids[3]), "cadence")), "no contact for 75 days (close: every 30 days)");
	assert_contains(text(reason(item_for(a, ids[4]), "birthday")), "tomorrow (16 Jun)");
	json_decref(a);
}

static void test_shape(void **state)
{
	fx *f = *state;
	int64_t ids[5];
	build_mixed(f->d, ids);
	json_t *a = agenda_full(f->d, DAY, 30, 3, NULL, "en");
	assert_int_equal(json_array_size(items(a)), 5);
	size_t i, k;
	json_t *it, *r;
	json_array_foreach(items(a), i, it)
	{
		assert_int_equal(num(it, "rank"), (int64_t)i + 1);
		json_t *c = json_object_get(it, "contact");
		assert_true(json_is_object(c));
		assert_true(num(c, "id") > 0);
		const char *name = json_string_value(json_object_get(c, "name"));
		assert_non_null(name);
		assert_true(name[0] != 0);
		json_t *rs = json_object_get(it, "reasons");
		assert_true(json_is_array(rs));
		assert_true(json_array_size(rs) > 0);
		double prev = 1e300;
		json_array_foreach(rs, k, r)
		{
			const char *kind = json_string_value(json_object_get(r, "kind"));
			assert_non_null(kind);
			assert_true(!strcmp(kind, "birthday") || !strcmp(kind, "date") ||
				    !strcmp(kind, "follow_up") || !strcmp(kind, "cadence"));
			assert_true(text(r)[0] != 0);
			double w = json_number_value(json_object_get(r, "weight"));
			assert_true(w > 0 && w <= prev);
			prev = w;
		}
	}
	/* the contact carries its details */
	json_t *c = json_object_get(item_for(a, ids[0]), "contact");
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Юбиляр");
	assert_string_equal(json_string_value(json_object_get(c, "tier")), "close");
	assert_string_equal(json_string_value(json_object_get(c, "owner")), "masha");
	json_decref(a);

	/* an empty store has an empty agenda */
	char path[TEST_PATH];
	db *empty = test_store(path);
	a = agenda(empty, DAY, 3);
	assert_int_equal(json_array_size(items(a)), 0);
	json_decref(a);
	test_store_close(empty, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_birthday_today, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feb29, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anniversary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_ups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cadence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_and_ranks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_reasons_outrank_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_follow_ups_of_a_chosen_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_russian, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shape, setup, teardown),
	};
	return cmocka_run_group_tests_name("agenda", tests, NULL, NULL);
}
