/* core/contact and core/timeline, through rapport.h. */
#define TEST_DAY "2025-06-15"
#include "testlib.h"

#define TODAY TEST_DAY

#define STRS(...) ((rp_strs){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

/* Rows in every table a contact can write to. */
static int64_t all_rows(db *d)
{
	static const char *tables[] = {"contact", "contact_channel", "contact_date", "contact_tag",
				       "relation", "fact", "interaction"};
	int64_t n = 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		n += table_rows(d, tables[i]);
	return n;
}

static int64_t add(db *d, const char *name)
{
	contact_in in = {.name = name};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add(%s): %s", name, e.msg);
	assert_true(id > 0);
	return id;
}

static json_t *card(db *d, int64_t id)
{
	json_t *c = NULL;
	rp_err e = {0};
	if (contact_card(d, id, &c, &e))
		fail_msg("contact_card(%lld): %s", (long long)id, e.msg);
	assert_non_null(c);
	return c;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_non_null(v);
	return json_string_value(v); /* NULL for JSON null */
}

static int has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), s)) return 1;
	return 0;
}

/* ---- add and its validation ----------------------------------------------------- */

static void test_add_full(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	contact_in in = {
		.name = "  Анна   Петровна Иванова ",
		.address = "vy",
		.tier = "close",
		.owner = "masha",
		.note = "любит чай",
		.birthday = "1990-06-20",
		.email = STRS("Anna@Example.ORG", "anna@work.example"),
		.phone = STRS("+7 (916) 123-45-67"),
		.messenger = STRS("@anna"),
		.postal = STRS("Москва, Тверская 1"),
		.tag = STRS("VIP", "vip", "Ёлка"),
	};
	int64_t id = 0;
	assert_int_equal(contact_add(f->d, &in, &id, &e), 0);
	assert_true(id > 0);
	json_t *c = card(f->d, id);
	assert_int_equal(json_integer_value(json_object_get(c, "id")), id);
	assert_string_equal(str(c, "name"), "Анна   Петровна Иванова");
	assert_string_equal(str(c, "address"), "vy");
	assert_string_equal(str(c, "tier"), "close");
	assert_string_equal(str(c, "owner"), "masha");
	assert_string_equal(str(c, "note"), "любит чай");
	assert_string_equal(str(c, "birthday"), "1990-06-20");
	assert_int_equal(json_integer_value(json_object_get(c, "age")), 34);
	json_t *emails = json_object_get(c, "emails");
	assert_int_equal(json_array_size(emails), 2);
	assert_true(has_string(emails, "anna@example.org")); /* kept in lower case */
	assert_true(has_string(emails, "anna@work.example"));
	assert_true(has_string(json_object_get(c, "phones"), "+79161234567"));
	assert_true(has_string(json_object_get(c, "messengers"), "@anna"));
	assert_true(has_string(json_object_get(c, "postal"), "Москва, Тверская 1"));
	json_t *tags = json_object_get(c, "tags");
	assert_int_equal(json_array_size(tags), 2); /* VIP and vip are one tag */
	assert_true(has_string(tags, "vip"));
	assert_true(has_string(tags, "елка"));
	assert_string_equal(str(c, "created_at"), TODAY "T12:00:00Z");
	assert_string_equal(str(c, "last_touch_at"), TODAY "T12:00:00Z");
	json_decref(c);

	/* the same id again is a conflict */
	contact_in dup = {.name = "Other", .id = id};
	int64_t id2 = 0;
	assert_int_equal(contact_add(f->d, &dup, &id2, &e), RP_ECONFLICT);
	assert_int_equal(table_rows(f->d, "contact"), 1);
	/* an explicit new id is kept */
	contact_in keep = {.name = "Kept", .id = 500};
	assert_int_equal(contact_add(f->d, &keep, &id2, &e), 0);
	assert_int_equal(id2, 500);

	/* a birthday without a year has no age */
	contact_in ny = {.name = "No Year", .birthday = "--02-29"};
	assert_int_equal(contact_add(f->d, &ny, &id2, &e), 0);
	c = card(f->d, id2);
	assert_string_equal(str(c, "birthday"), "--02-29");
	assert_null(json_object_get(c, "age"));
	assert_string_equal(str(c, "tier"), "regular"); /* the default */
	assert_null(str(c, "address"));
	json_decref(c);
}

static void expect_add_refused(db *d, contact_in in, const char *why)
{
	rp_err e = {0};
	int64_t id = -77;
	int64_t before = all_rows(d);
	int rc = contact_add(d, &in, &id, &e);
	if (rc != RP_EINVAL)
		fail_msg("%s: contact_add returned %d (%s), expected RP_EINVAL", why, rc, e.msg);
	assert_int_equal(e.code, RP_EINVAL);
	assert_true(e.msg[0] != 0);
	if (all_rows(d) != before)
		fail_msg("%s: a refused add wrote rows", why);
}

static void test_add_validation(void **state)
{
	fx *f = *state;
	add(f->d, "Existing Person"); /* something in the store already */
	int64_t before = all_rows(f->d);

	expect_add_refused(f->d, (contact_in){.name = ""}, "empty name");
	expect_add_refused(f->d, (contact_in){.name = " \t\n "}, "blank name");
	expect_add_refused(f->d, (contact_in){.name = NULL}, "no name");
	expect_add_refused(f->d, (contact_in){.name = "\xff\xfe"}, "name not UTF-8");
	expect_add_refused(f->d, (contact_in){.name = "A", .tier = "best"}, "bad tier");
	expect_add_refused(f->d, (contact_in){.name = "A", .tier = "Close"}, "tier in capitals");
	expect_add_refused(f->d, (contact_in){.name = "A", .address = "you"}, "bad address");
	expect_add_refused(f->d, (contact_in){.name = "A", .id = -3}, "negative id");
	/* the lists are checked after the contact row is written: it must go too */
	static const char *bad_emails[] = {"nope", "a@b", "@example.org", "a@@example.org",
					   "a@example.org.", "a b@example.org", "a@example.org;b@c.d"};
	for (size_t i = 0; i < sizeof bad_emails / sizeof bad_emails[0]; i++)
		expect_add_refused(f->d,
				   (contact_in){.name = "A", .email = {(const char *[]){"ok@example.org", bad_emails[i]}, 2}},
				   bad_emails[i]);
	expect_add_refused(f->d, (contact_in){.name = "A", .email = STRS("   ")}, "empty email");
	static const char *bad_phones[] = {"12", "+7 916 abc", "1234567890123456", "+7 916 123#45"};
	for (size_t i = 0; i < sizeof bad_phones / sizeof bad_phones[0]; i++)
		expect_add_refused(f->d, (contact_in){.name = "A", .phone = {&bad_phones[i], 1}},
				   bad_phones[i]);
	static const char *bad_birthdays[] = {"2025-02-29", "1990-13-01", "yesterday", "--13-01",
					      "1990-6-1",   "2025-06-16", "2030-01-01", "1800-01-01"};
	for (size_t i = 0; i < sizeof bad_birthdays / sizeof bad_birthdays[0]; i++)
		expect_add_refused(f->d,
				   (contact_in){.name = "A", .birthday = bad_birthdays[i], .tag = STRS("t")},
				   bad_birthdays[i]);
	expect_add_refused(f->d, (contact_in){.name = "A", .tag = STRS("a;b")}, "tag with ;");
	expect_add_refused(f->d, (contact_in){.name = "A", .tag = STRS("")}, "empty tag");

	assert_int_equal(all_rows(f->d), before);
	assert_int_equal(table_rows(f->d, "contact"), 1);

	/* a birthday today is fine, and the boundary year */
	rp_err e = {0};
	int64_t id;
	contact_in ok = {.name = "Born Today", .birthday = TODAY};
	assert_int_equal(contact_add(f->d, &ok, &id, &e), 0);
	contact_in old = {.name = "Old", .birthday = "1850-01-01"};
	assert_int_equal(contact_add(f->d, &old, &id, &e), 0);
}

/* ---- edit ---------------------------------------------------------------------- */

static void test_edit(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	contact_in in = {.name = "Пётр Сёмин", .address = "ty", .owner = "masha", .note = "n",
			 .birthday = "1980-01-02", .email = STRS("p@example.org"), .tag = STRS("a", "b")};
	int64_t id;
	assert_int_equal(contact_add(f->d, &in, &id, &e), 0);

	/* NULL leaves alone */
	contact_in nothing = {0};
	assert_int_equal(contact_edit(f->d, id, &nothing, &e), 0);
	json_t *c = card(f->d, id);
	assert_string_equal(str(c, "address"), "ty");
	assert_string_equal(str(c, "owner"), "masha");
	assert_string_equal(str(c, "birthday"), "1980-01-02");
	json_decref(c);

	/* "" clears address, owner and note; "none" clears the birthday */
	contact_in clear = {.address = "", .owner = "", .note = "", .birthday = "none"};
	assert_int_equal(contact_edit(f->d, id, &clear, &e), 0);
	c = card(f->d, id);
	assert_null(str(c, "address"));
	assert_null(str(c, "owner"));
	assert_null(str(c, "note"));
	assert_null(str(c, "birthday"));
	assert_null(json_object_get(c, "age"));
	assert_string_equal(str(c, "name"), "Пётр Сёмин");
	json_decref(c);
	assert_int_equal(table_rows(f->d, "contact_date"), 0);

	/* set again, then clear the birthday with "" */
	contact_in set = {.name = "Пётр Иванович Сёмин", .tier = "panel", .birthday = "--03-04",
			  .email = STRS("second@example.org"), .rm_email = STRS("p@EXAMPLE.org"),
			  .rm_tag = STRS("A")};
	assert_int_equal(contact_edit(f->d, id, &set, &e), 0);
	c = card(f->d, id);
	assert_string_equal(str(c, "name"), "Пётр Иванович Сёмин");
	assert_string_equal(str(c, "tier"), "panel");
	assert_string_equal(str(c, "birthday"), "--03-04");
	assert_int_equal(json_array_size(json_object_get(c, "emails")), 1);
	assert_true(has_string(json_object_get(c, "emails"), "second@example.org"));
	assert_int_equal(json_array_size(json_object_get(c, "tags")), 1);
	assert_true(has_string(json_object_get(c, "tags"), "b"));
	json_decref(c);
	contact_in clear2 = {.birthday = ""};
	assert_int_equal(contact_edit(f->d, id, &clear2, &e), 0);
	c = card(f->d, id);
	assert_null(str(c, "birthday"));
	json_decref(c);
	/* the new name resolves */
	int64_t got = 0;
	assert_int_equal(contact_resolve(f->d, "иванович", &got, &e), 0);
	assert_int_equal(got, id);

	/* a refused edit changes nothing, not even its valid parts */
	int64_t before = all_rows(f->d);
	contact_in bad = {.name = "Renamed", .email = STRS("broken"), .tag = STRS("new")};
	assert_int_equal(contact_edit(f->d, id, &bad, &e), RP_EINVAL);
	contact_in bad2 = {.name = "Renamed", .birthday = "2099-01-01"};
	assert_int_equal(contact_edit(f->d, id, &bad2, &e), RP_EINVAL);
	contact_in bad3 = {.tier = "nope"};
	assert_int_equal(contact_edit(f->d, id, &bad3, &e), RP_EINVAL);
	contact_in bad4 = {.name = "  "};
	assert_int_equal(contact_edit(f->d, id, &bad4, &e), RP_EINVAL);
	contact_in bad5 = {.name = "Renamed", .rm_email = STRS("never@example.org")};
	assert_int_equal(contact_edit(f->d, id, &bad5, &e), RP_ENOTFOUND);
	contact_in bad6 = {.name = "Renamed", .rm_tag = STRS("never")};
	assert_int_equal(contact_edit(f->d, id, &bad6, &e), RP_ENOTFOUND);
	assert_int_equal(all_rows(f->d), before);
	c = card(f->d, id);
	assert_string_equal(str(c, "name"), "Пётр Иванович Сёмин");
	json_decref(c);

	/* a missing contact */
	assert_int_equal(contact_edit(f->d, id + 100, &nothing, &e), RP_ENOTFOUND);
	json_t *none = NULL;
	assert_int_equal(contact_card(f->d, id + 100, &none, &e), RP_ENOTFOUND);
	assert_null(none);
}

/* ---- resolve -------------------------------------------------------------------- */

static void test_resolve(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t anna = add(f->d, "Анна Иванова");
	int64_t anna2 = add(f->d, "Анна Петрова");
	int64_t semin = add(f->d, "Пётр Сёмин");
	int64_t got = 0;

	/* by id */
	char ref[32];
	snprintf(ref, sizeof ref, "%lld", (long long)semin);
	assert_int_equal(contact_resolve(f->d, ref, &got, &e), 0);
	assert_int_equal(got, semin);
	snprintf(ref, sizeof ref, " %lld ", (long long)anna2);
	assert_int_equal(contact_resolve(f->d, ref, &got, &e), 0);
	assert_int_equal(got, anna2);
	assert_int_equal(contact_resolve(f->d, "999", &got, &e), RP_ENOTFOUND);
	assert_int_equal(contact_resolve(f->d, "99999999999999999999999", &got, &e), RP_ENOTFOUND);

	/* by a unique part, case, ё and spacing folded */
	got = 0;
	assert_int_equal(contact_resolve(f->d, "ИВАНОВА", &got, &e), 0);
	assert_int_equal(got, anna);
	got = 0;
	assert_int_equal(contact_resolve(f->d, "семин", &got, &e), 0);
	assert_int_equal(got, semin);
	got = 0;
	assert_int_equal(contact_resolve(f->d, "СЁМ", &got, &e), 0);
	assert_int_equal(got, semin);
	got = 0;
	assert_int_equal(contact_resolve(f->d, "  анна   петрова ", &got, &e), 0);
	assert_int_equal(got, anna2);

	/* several: both listed */
	memset(&e, 0, sizeof e);
	assert_int_equal(contact_resolve(f->d, "анна", &got, &e), RP_EAMBIG);
	assert_int_equal(e.code, RP_EAMBIG);
	assert_non_null(strstr(e.msg, "Анна Иванова"));
	assert_non_null(strstr(e.msg, "Анна Петрова"));
	assert_null(strstr(e.msg, "Сёмин"));

	/* none */
	memset(&e, 0, sizeof e);
	assert_int_equal(contact_resolve(f->d, "Сидоров", &got, &e), RP_ENOTFOUND);
	assert_int_equal(e.code, RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "Сидоров"));
	assert_int_equal(contact_resolve(f->d, "   ", &got, &e), RP_EINVAL);
	assert_int_equal(contact_resolve(f->d, "\xff", &got, &e), RP_EINVAL);

	/* two people with the same full name are ambiguous even by the full name */
	add(f->d, "пётр сёмин");
	memset(&e, 0, sizeof e);
	assert_int_equal(contact_resolve(f->d, "Петр Семин", &got, &e), RP_EAMBIG);
	assert_non_null(strstr(e.msg, "Пётр Сёмин"));
	assert_non_null(strstr(e.msg, "пётр сёмин"));
}

static void test_resolve_exact_wins(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	add(f->d, "Ivanov Petr");
	int64_t ivan = add(f->d, "Ivan");
	add(f->d, "Ivanka Trump");
	int64_t got = 0;
	assert_int_equal(contact_resolve(f->d, "ivan", &got, &e), 0);
	assert_int_equal(got, ivan);
	assert_int_equal(contact_resolve(f->d, "IVAN", &got, &e), 0);
	assert_int_equal(got, ivan);
	/* a longer part is still a part */
	assert_int_equal(contact_resolve(f->d, "ivano", &got, &e), 0);
	assert_int_not_equal(got, ivan);
	assert_int_equal(contact_resolve(f->d, "iva", &got, &e), RP_EAMBIG);
}

static void test_resolve_like_is_literal(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t pct = add(f->d, "100% Club");
	add(f->d, "1000 Club");
	int64_t under = add(f->d, "a_b");
	add(f->d, "axb");
	add(f->d, "back\\slash");
	int64_t got = 0;
	assert_int_equal(contact_resolve(f->d, "%", &got, &e), 0);
	assert_int_equal(got, pct);
	assert_int_equal(contact_resolve(f->d, "0% c", &got, &e), 0);
	assert_int_equal(got, pct);
	assert_int_equal(contact_resolve(f->d, "_", &got, &e), 0);
	assert_int_equal(got, under);
	assert_int_equal(contact_resolve(f->d, "_b", &got, &e), 0);
	assert_int_equal(got, under);
	assert_int_equal(contact_resolve(f->d, "%%", &got, &e), RP_ENOTFOUND);
	assert_int_equal(contact_resolve(f->d, "k\\s", &got, &e), 0);

	/* the same in list filters */
	json_t *out = NULL;
	contact_filter flt = {.name = "_"};
	assert_int_equal(contact_list(f->d, &flt, &out, &e), 0);
	json_t *a = json_object_get(out, "contacts");
	assert_int_equal(json_array_size(a), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "id")), under);
	json_decref(out);
}

/* ---- list ---------------------------------------------------------------------- */

static void test_list(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id;
	contact_in a = {.name = "Борис", .tier = "close", .owner = "masha", .tag = STRS("Golf"),
			.email = STRS("b@example.org", "b2@example.org"), .phone = STRS("+1 555 0100")};
	contact_in b = {.name = "Алла", .tier = "regular", .owner = "petya", .tag = STRS("golf")};
	contact_in c = {.name = "Вера", .tier = "close", .owner = "masha"};
	assert_int_equal(contact_add(f->d, &a, &id, &e), 0);
	assert_int_equal(contact_add(f->d, &b, &id, &e), 0);
	assert_int_equal(contact_add(f->d, &c, &id, &e), 0);

	json_t *out = NULL;
	contact_filter all = {0};
	assert_int_equal(contact_list(f->d, &all, &out, &e), 0);
	json_t *l = json_object_get(out, "contacts");
	assert_int_equal(json_array_size(l), 3);
	/* ordered by name */
	assert_string_equal(str(json_array_get(l, 0), "name"), "Алла");
	assert_string_equal(str(json_array_get(l, 1), "name"), "Борис");
	assert_string_equal(str(json_array_get(l, 2), "name"), "Вера");
	assert_string_equal(str(json_array_get(l, 1), "email"), "b@example.org");
	assert_string_equal(str(json_array_get(l, 1), "phone"), "+15550100");
	assert_null(str(json_array_get(l, 0), "email"));
	json_decref(out);

	contact_filter by_tag = {.tag = "GOLF"};
	assert_int_equal(contact_list(f->d, &by_tag, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "contacts")), 2);
	json_decref(out);

	contact_filter by_tier_owner = {.tier = "close", .owner = "masha"};
	assert_int_equal(contact_list(f->d, &by_tier_owner, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "contacts")), 2);
	json_decref(out);

	contact_filter page = {.limit = 1, .offset = 1};
	assert_int_equal(contact_list(f->d, &page, &out, &e), 0);
	l = json_object_get(out, "contacts");
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(str(json_array_get(l, 0), "name"), "Борис");
	json_decref(out);

	contact_filter by_name = {.name = "ВЕР"};
	assert_int_equal(contact_list(f->d, &by_name, &out, &e), 0);
	l = json_object_get(out, "contacts");
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(str(json_array_get(l, 0), "name"), "Вера");
	json_decref(out);

	out = NULL;
	contact_filter bad = {.tier = "best"};
	assert_int_equal(contact_list(f->d, &bad, &out, &e), RP_EINVAL);
	assert_null(out);
}

/* ---- relations, facts, dates ----------------------------------------------------------- */

static json_t *find_relation(json_t *c, int64_t other)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(c, "relations"), i, r)
	{
		if (json_integer_value(json_object_get(json_object_get(r, "contact"), "id")) == other)
			return r;
	}
	return NULL;
}

static void test_relations(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add(f->d, "Мама"), b = add(f->d, "Сын"), c = add(f->d, "Клиент");
	assert_int_equal(relation_add(f->d, b, a, "family", "мать", &e), 0);
	/* the other way round is the same relation */
	assert_int_equal(relation_add(f->d, a, b, "family", NULL, &e), 0);
	assert_int_equal(table_rows(f->d, "relation"), 1);
	assert_int_equal(relation_add(f->d, c, a, "referred_by", NULL, &e), 0);

	json_t *ca = card(f->d, a);
	json_t *r = find_relation(ca, b);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "family");
	assert_string_equal(str(r, "note"), "мать"); /* kept when added again without one */
	r = find_relation(ca, c);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "referred"); /* a referred c */
	json_decref(ca);
	json_t *cc = card(f->d, c);
	r = find_relation(cc, a);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "referred_by");
	assert_string_equal(str(json_object_get(r, "contact"), "name"), "Мама");
	json_decref(cc);
	json_t *cb = card(f->d, b);
	r = find_relation(cb, a);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "family");
	json_decref(cb);

	int64_t before = table_rows(f->d, "relation");
	assert_int_equal(relation_add(f->d, a, a, "family", NULL, &e), RP_EINVAL);
	assert_int_equal(relation_add(f->d, a, b, "enemy", NULL, &e), RP_EINVAL);
	assert_int_equal(relation_add(f->d, a, 999, "friend", NULL, &e), RP_ENOTFOUND);
	assert_int_equal(relation_add(f->d, 999, a, "friend", NULL, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "relation"), before);
}

static void test_facts(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id = add(f->d, "Ольга");
	int64_t fact = 0, fact2 = 0;
	assert_int_equal(fact_add(f->d, id, "  Операция на колене  ", "2025-07-01", "masha", &fact, &e), 0);
	assert_true(fact > 0);
	assert_int_equal(fact_add(f->d, id, "Любит розы", NULL, NULL, &fact2, &e), 0);
	json_t *c = card(f->d, id);
	json_t *facts = json_object_get(c, "facts");
	assert_int_equal(json_array_size(facts), 2);
	json_t *fj = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(facts, i, v) if (json_integer_value(json_object_get(v, "id")) == fact) fj = v;
	assert_non_null(fj);
	assert_string_equal(str(fj, "body"), "Операция на колене");
	assert_string_equal(str(fj, "follow_up"), "2025-07-01");
	assert_string_equal(str(fj, "by"), "masha");
	assert_true(json_is_false(json_object_get(fj, "done")));
	json_decref(c);

	assert_int_equal(fact_done(f->d, fact, &e), 0);
	assert_int_equal(fact_done(f->d, fact, &e), 0); /* again: harmless */
	c = card(f->d, id);
	json_array_foreach(json_object_get(c, "facts"), i, v)
	{
		int done = json_is_true(json_object_get(v, "done"));
		assert_int_equal(done, json_integer_value(json_object_get(v, "id")) == fact);
	}
	json_decref(c);
	assert_int_equal(fact_done(f->d, 12345, &e), RP_ENOTFOUND);

	int64_t before = table_rows(f->d, "fact");
	assert_int_equal(fact_add(f->d, id, "   ", NULL, NULL, &fact2, &e), RP_EINVAL);
	assert_int_equal(fact_add(f->d, id, NULL, NULL, NULL, &fact2, &e), RP_EINVAL);
	assert_int_equal(fact_add(f->d, id, "x", "tomorrow", NULL, &fact2, &e), RP_EINVAL);
	assert_int_equal(fact_add(f->d, id, "x", "2025-02-29", NULL, &fact2, &e), RP_EINVAL);
	assert_int_equal(fact_add(f->d, 999, "x", NULL, NULL, &fact2, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "fact"), before);
}

static void test_dates(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id = add(f->d, "Семья Петровых");
	assert_int_equal(contact_date_add(f->d, id, "anniversary", "2010-09-01", "свадьба", &e), 0);
	assert_int_equal(contact_date_add(f->d, id, "other", "--12-25", NULL, &e), 0);
	json_t *c = card(f->d, id);
	json_t *dates = json_object_get(c, "dates");
	assert_int_equal(json_array_size(dates), 2);
	json_t *d0 = json_array_get(dates, 0); /* by month and day */
	assert_string_equal(str(d0, "kind"), "anniversary");
	assert_string_equal(str(d0, "label"), "свадьба");
	assert_string_equal(str(d0, "date"), "2010-09-01");
	assert_int_equal(json_integer_value(json_object_get(d0, "years")), 14);
	json_t *d1 = json_array_get(dates, 1);
	assert_string_equal(str(d1, "date"), "--12-25");
	assert_null(json_object_get(d1, "years"));
	assert_null(str(c, "birthday"));
	json_decref(c);

	int64_t before = table_rows(f->d, "contact_date");
	assert_int_equal(contact_date_add(f->d, id, "birthday", "1990-01-01", NULL, &e), RP_EINVAL);
	assert_int_equal(contact_date_add(f->d, id, "party", "1990-01-01", NULL, &e), RP_EINVAL);
	assert_int_equal(contact_date_add(f->d, id, "other", "2026-01-01", NULL, &e), RP_EINVAL);
	assert_int_equal(contact_date_add(f->d, id, "other", "2023-02-29", NULL, &e), RP_EINVAL);
	assert_int_equal(contact_date_add(f->d, 999, "other", "2020-01-01", NULL, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "contact_date"), before);
}

/* ---- remove -------------------------------------------------------------------- */

static int64_t hits(db *d, const char *q, int64_t contact)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (search_run(d, q, 50, &out, &e))
		fail_msg("search_run(%s): %s", q, e.msg);
	int64_t n = 0;
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(out, "hits"), i, h)
	{
		json_t *c = json_object_get(h, "contact");
		if (contact == 0 || (c && json_integer_value(json_object_get(c, "id")) == contact))
			n++;
	}
	json_decref(out);
	return n;
}

static void test_rm_cascades(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t keep = add(f->d, "Остаётся Рядом");
	contact_in in = {.name = "Уходит Навсегда", .email = STRS("gone@example.org"),
			 .phone = STRS("+7 900 000 00 00"), .tag = STRS("vip"), .birthday = "1970-05-05",
			 .note = "заметка про велосипед"};
	int64_t gone;
	assert_int_equal(contact_add(f->d, &in, &gone, &e), 0);
	int64_t fact;
	assert_int_equal(fact_add(f->d, gone, "собирается в Тбилиси", "2025-07-01", NULL, &fact, &e), 0);
	assert_int_equal(contact_date_add(f->d, gone, "anniversary", "2000-01-01", NULL, &e), 0);
	interaction_in ia = {.contact_id = gone, .at = rp_now() - 3600, .kind = "call",
			     .summary = "обсудили ремонт крыши", .minutes = 5};
	int64_t iid;
	assert_int_equal(interaction_add(f->d, &ia, &iid, &e), 0);
	interaction_in ib = {.contact_id = keep, .at = rp_now() - 3600, .kind = "call",
			     .summary = "тоже про ремонт", .minutes = -1};
	assert_int_equal(interaction_add(f->d, &ib, &iid, &e), 0);
	assert_int_equal(relation_add(f->d, gone, keep, "friend", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, keep, gone, "referred_by", NULL, &e), 0);

	assert_int_equal(hits(f->d, "крыши", gone), 1);
	assert_int_equal(hits(f->d, "Тбилиси", gone), 1);
	assert_int_equal(hits(f->d, "велосипед", gone), 1);
	assert_int_equal(hits(f->d, "ремонт", 0), 2);

	assert_int_equal(contact_rm(f->d, gone, &e), 0);
	assert_int_equal(table_rows(f->d, "contact"), 1);
	assert_int_equal(table_rows(f->d, "contact_channel"), 0);
	assert_int_equal(table_rows(f->d, "contact_tag"), 0);
	assert_int_equal(table_rows(f->d, "contact_date"), 0);
	assert_int_equal(table_rows(f->d, "fact"), 0);
	assert_int_equal(table_rows(f->d, "relation"), 0);
	assert_int_equal(table_rows(f->d, "interaction"), 1);
	/* search no longer finds anything of theirs */
	assert_int_equal(hits(f->d, "крыши", 0), 0);
	assert_int_equal(hits(f->d, "Тбилиси", 0), 0);
	assert_int_equal(hits(f->d, "велосипед", 0), 0);
	assert_int_equal(hits(f->d, "Уходит", 0), 0);
	assert_int_equal(hits(f->d, "ремонт", 0), 1);
	assert_int_equal(hits(f->d, "ремонт", keep), 1);

	assert_int_equal(contact_rm(f->d, gone, &e), RP_ENOTFOUND);
	int64_t got;
	assert_int_equal(contact_resolve(f->d, "Уходит", &got, &e), RP_ENOTFOUND);
	/* the one left is whole */
	json_t *c = card(f->d, keep);
	assert_int_equal(json_array_size(json_object_get(c, "relations")), 0);
	assert_int_equal(json_array_size(json_object_get(c, "interactions")), 1);
	json_decref(c);
}

static void test_merge(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	contact_in ka = {.name = "Анна Иванова", .email = STRS("anna@example.org"), .tag = STRS("vip"),
			 .birthday = "1980-01-02", .tier = "close"};
	contact_in kb = {.name = "Анна И.", .email = STRS("ANNA@example.org", "anna@work.example"),
			 .tag = STRS("vip", "new"), .birthday = "1981-03-04", .owner = "olga",
			 .note = "дубль из импорта"};
	int64_t keep, dup, third = add(f->d, "Борис");
	assert_int_equal(contact_add(f->d, &ka, &keep, &e), 0);
	assert_int_equal(contact_add(f->d, &kb, &dup, &e), 0);
	assert_int_equal(contact_date_add(f->d, dup, "anniversary", "2010-06-01", "свадьба", &e), 0);
	int64_t fact, iid;
	assert_int_equal(fact_add(f->d, dup, "любит чай", NULL, NULL, &fact, &e), 0);
	interaction_in ia = {.contact_id = dup, .at = rp_now() - 60, .kind = "visit", .summary = "зашла", .minutes = -1};
	assert_int_equal(interaction_add(f->d, &ia, &iid, &e), 0);
	assert_int_equal(relation_add(f->d, dup, third, "friend", NULL, &e), 0);
	assert_int_equal(relation_add(f->d, keep, dup, "family", NULL, &e), 0);

	assert_int_equal(contact_merge(f->d, keep, keep, &e), RP_EINVAL);
	assert_int_equal(contact_merge(f->d, keep, 999999, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "contact"), 3);
	assert_int_equal(contact_merge(f->d, keep, dup, &e), 0);

	json_t *c = card(f->d, keep);
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Анна Иванова");
	assert_string_equal(json_string_value(json_object_get(c, "tier")), "close");
	assert_string_equal(json_string_value(json_object_get(c, "owner")), "olga");
	assert_string_equal(json_string_value(json_object_get(c, "note")), "дубль из импорта");
	assert_string_equal(json_string_value(json_object_get(c, "birthday")), "1980-01-02");
	assert_int_equal(json_array_size(json_object_get(c, "emails")), 2);
	assert_int_equal(json_array_size(json_object_get(c, "tags")), 2);
	/* the kept birthday, the wedding, and the duplicate's other birthday as a date */
	assert_int_equal(json_array_size(json_object_get(c, "dates")), 3);
	assert_int_equal(json_array_size(json_object_get(c, "facts")), 1);
	assert_int_equal(json_array_size(json_object_get(c, "interactions")), 1);
	/* the friendship moved; the family tie to the duplicate itself is gone */
	assert_int_equal(json_array_size(json_object_get(c, "relations")), 1);
	json_decref(c);
	int64_t got;
	assert_int_equal(contact_resolve(f->d, "Анна И.", &got, &e), RP_ENOTFOUND);
	assert_int_equal(hits(f->d, "зашла", keep), 1);
	/* the agenda's copies follow the kept contact */
	int64_t bad;
	assert_int_equal(db_one_int(f->d, &e, &bad,
				    "SELECT count(*) FROM contact_date d JOIN contact c ON c.id = d.contact_id"
				    " WHERE d.tier <> c.tier OR coalesce(d.owner, '') <> coalesce(c.owner, '')",
				    ""),
			 0);
	assert_int_equal(bad, 0);
	assert_int_equal(contact_merge(f->d, keep, dup, &e), RP_ENOTFOUND);
}

/* ---- timeline ---------------------------------------------------------------------- */

static void test_interactions(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id = add(f->d, "Клиентка");
	int64_t now = rp_now(); /* noon of TODAY */
	int64_t iid = 0;

	interaction_in later = {.contact_id = id, .at = now + 3 * 3600, .kind = "purchase",
				.direction = "in", .summary = "купила пальто", .by = "masha",
				.currency = "RUB", .amount = 1299050, .has_amount = 1, .minutes = 40};
	assert_int_equal(interaction_add(f->d, &later, &iid, &e), 0);
	assert_true(iid > 0);
	json_t *c = card(f->d, id);
	assert_string_equal(str(c, "last_touch_at"), TODAY "T15:00:00Z");
	json_decref(c);

	/* an older one does not move it back */
	interaction_in older = {.contact_id = id, .at = now - 30 * 86400, .kind = "call",
				.summary = "звонок", .minutes = -1};
	assert_int_equal(interaction_add(f->d, &older, &iid, &e), 0);
	c = card(f->d, id);
	assert_string_equal(str(c, "last_touch_at"), TODAY "T15:00:00Z");
	json_decref(c);

	/* a newer one does */
	interaction_in newer = {.contact_id = id, .at = now + 5 * 3600, .kind = "note", .minutes = -1};
	assert_int_equal(interaction_add(f->d, &newer, &iid, &e), 0);
	c = card(f->d, id);
	assert_string_equal(str(c, "last_touch_at"), TODAY "T17:00:00Z");
	json_decref(c);

	/* the timeline, newest first */
	json_t *tl = NULL;
	assert_int_equal(timeline_list(f->d, id, 10, &tl, &e), 0);
	json_t *a = json_object_get(tl, "interactions");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(str(json_array_get(a, 0), "kind"), "note");
	assert_string_equal(str(json_array_get(a, 0), "summary"), "");
	json_t *p = json_array_get(a, 1);
	assert_string_equal(str(p, "kind"), "purchase");
	assert_string_equal(str(p, "direction"), "in");
	assert_string_equal(str(p, "by"), "masha");
	assert_string_equal(str(p, "at"), TODAY "T15:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(p, "minutes")), 40);
	json_t *amt = json_object_get(p, "amount");
	assert_int_equal(json_integer_value(json_object_get(amt, "minor")), 1299050);
	assert_string_equal(str(amt, "value"), "12990.50");
	assert_string_equal(str(amt, "currency"), "RUB");
	assert_true(json_is_null(json_object_get(json_array_get(a, 2), "minutes")));
	assert_true(json_is_null(json_object_get(json_array_get(a, 2), "amount")));
	json_decref(tl);
	assert_int_equal(timeline_list(f->d, id, 1, &tl, &e), 0);
	assert_int_equal(json_array_size(json_object_get(tl, "interactions")), 1);
	json_decref(tl);
}

static void test_interaction_validation(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id = add(f->d, "Проверка");
	int64_t now = rp_now(), iid = -5;
	struct {
		interaction_in in;
		int code;
		const char *why;
	} cases[] = {
		{{.contact_id = id, .at = now, .kind = "purchase", .amount = 100, .has_amount = 1, .minutes = -1},
		 RP_EINVAL, "amount without currency"},
		{{.contact_id = id, .at = now, .kind = "purchase", .amount = 100, .has_amount = 1,
		  .currency = "rub", .minutes = -1},
		 RP_EINVAL, "currency in lower case"},
		{{.contact_id = id, .at = now, .kind = "purchase", .amount = 100, .has_amount = 1,
		  .currency = "RUBL", .minutes = -1},
		 RP_EINVAL, "four letters"},
		{{.contact_id = id, .at = now, .kind = "purchase", .amount = 100, .has_amount = 1,
		  .currency = "R1B", .minutes = -1},
		 RP_EINVAL, "a digit"},
		{{.contact_id = id, .at = now, .kind = "purchase", .currency = "EUR", .minutes = -1},
		 RP_EINVAL, "currency without amount"},
		{{.contact_id = id, .at = now, .kind = "lunch", .minutes = -1}, RP_EINVAL, "bad kind"},
		{{.contact_id = id, .at = now, .kind = NULL, .minutes = -1}, RP_EINVAL, "no kind"},
		{{.contact_id = id, .at = now, .kind = "call", .direction = "up", .minutes = -1}, RP_EINVAL,
		 "bad direction"},
		{{.contact_id = id, .at = now, .kind = "call", .minutes = -2}, RP_EINVAL, "negative minutes"},
		{{.contact_id = id, .at = now + 400 * 86400LL, .kind = "call", .minutes = -1}, RP_EINVAL,
		 "far future"},
		{{.contact_id = id, .at = -2208988801LL, .kind = "call", .minutes = -1}, RP_EINVAL,
		 "before 1900"},
		{{.contact_id = id, .at = now, .kind = "call", .summary = "\xc3", .minutes = -1}, RP_EINVAL,
		 "summary not UTF-8"},
		{{.contact_id = 999, .at = now, .kind = "call", .minutes = -1}, RP_ENOTFOUND,
		 "missing contact"},
		{{.contact_id = 999, .at = now, .kind = "purchase", .amount = 5, .has_amount = 1,
		  .currency = "USD", .minutes = -1},
		 RP_ENOTFOUND, "missing contact, with money"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		int rc = interaction_add(f->d, &cases[i].in, &iid, &e);
		if (rc != cases[i].code)
			fail_msg("%s: %d (%s), expected %d", cases[i].why, rc, e.msg, cases[i].code);
		assert_int_equal(e.code, cases[i].code);
	}
	assert_int_equal(table_rows(f->d, "interaction"), 0);
	json_t *c = card(f->d, id);
	assert_string_equal(str(c, "last_touch_at"), TODAY "T12:00:00Z");
	json_decref(c);

	/* the valid neighbour of the first case */
	interaction_in ok = {.contact_id = id, .at = now, .kind = "purchase", .amount = -1230,
			     .has_amount = 1, .currency = "EUR", .minutes = 0, .direction = ""};
	assert_int_equal(interaction_add(f->d, &ok, &iid, &e), 0);
	assert_int_equal(table_rows(f->d, "interaction"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_exact_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_like_is_literal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rm_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interaction_validation, setup, teardown),
	};
	return cmocka_run_group_tests_name("contact", tests, NULL, NULL);
}
