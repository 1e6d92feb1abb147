/* core/transfer: CSV import and export through FILE streams. */
#define TEST_DAY "2025-06-15"
#include "testlib.h"

#define DAY TEST_DAY

typedef struct progress_seen {
	int calls;
	uint64_t last;
} progress_seen;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	progress_seen *p = ctx;
	(void)total;
	assert_true(done >= p->last);
	p->calls++;
	p->last = done;
}

static void import_ok(db *d, const char *what, const char *csv, int64_t want)
{
	json_t *rep = NULL;
	rp_err e;
	if (test_import(d, what, csv, (import_opts){0}, &rep, &e))
		fail_msg("import %s: %s", what, e.msg);
	assert_non_null(rep);
	assert_int_equal(json_integer_value(json_object_get(rep, "imported")), want);
	assert_int_equal(json_integer_value(json_object_get(rep, "bad")), 0);
	json_decref(rep);
}

/* The bytes export_csv writes, NUL-terminated; *len receives their count. */
static char *export_str(db *d, const char *what, size_t *len)
{
	FILE *out = tmpfile();
	assert_non_null(out);
	rp_err e = {0};
	if (export_csv(d, what, out, &e))
		fail_msg("export %s: %s", what, e.msg);
	long n = ftell(out);
	assert_true(n >= 0);
	rewind(out);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, out), (size_t)n);
	buf[n] = 0;
	fclose(out);
	*len = (size_t)n;
	return buf;
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	return json_integer_value(v);
}

/* The lines of the report's problems, in order, as "4,5". */
static const char *problem_lines(json_t *rep, char *buf, size_t size)
{
	size_t i, n = 0;
	json_t *p;
	buf[0] = 0;
	json_array_foreach(json_object_get(rep, "problems"), i, p)
	{
		assert_non_null(json_string_value(json_object_get(p, "error")));
		n += (size_t)snprintf(buf + n, size - n, "%s%lld", i ? "," : "", (long long)num(p, "line"));
	}
	return buf;
}

static json_t *card_of(db *d, const char *ref)
{
	int64_t id = 0;
	rp_err e = {0};
	json_t *c = NULL;
	if (contact_resolve(d, ref, &id, &e) || contact_card(d, id, &c, &e))
		fail_msg("%s: %s", ref, e.msg);
	return c;
}

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

static int64_t contact_ref(db *d, const char *ref)
{
	int64_t id = 0;
	rp_err e = {0};
	if (contact_resolve(d, ref, &id, &e))
		fail_msg("%s: %s", ref, e.msg);
	return id;
}

#define assert_contains(hay, needle)                                                              \
	do {                                                                                      \
		if (!strstr((hay), (needle)))                                                     \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));              \
	} while (0)

/* ---- contacts in -------------------------------------------------------------- */

static void test_import_contacts(void **state)
{
	fx *f = *state;
	const char *csv =
		"name,email,phone,tags,tier,address,owner,birthday,note\n"
		"Анна Иванова,anna@example.org;anna.work@Example.org,+7 916 123-45-67,vip;Family,close,vy,"
		"masha,1985-06-15,\"любит чай, кофе\"\n"
		"Bob Smith,bob@example.com,,,regular,,,--02-29,\n"
		"  Carol  ,,,  solo  ,,,,,\n";
	progress_seen ps = {0};
	import_opts o = {.progress = on_progress, .progress_ctx = &ps};
	json_t *rep;
	rp_err e;
	assert_int_equal(test_import(f->d, "contacts", csv, o, &rep, &e), 0);
	assert_non_null(rep);
	assert_string_equal(str(rep, "what"), "contacts");
	assert_int_equal(num(rep, "rows"), 3);
	assert_int_equal(num(rep, "imported"), 3);
	assert_int_equal(num(rep, "bad"), 0);
	assert_true(json_is_false(json_object_get(rep, "dry_run")));
	assert_int_equal(json_array_size(json_object_get(rep, "problems")), 0);
	json_decref(rep);
	assert_true(ps.calls >= 1);
	assert_int_equal(ps.last, strlen(csv));

	assert_int_equal(table_rows(f->d, "contact"), 3);
	assert_int_equal(table_rows(f->d, "contact_channel"), 4);
	assert_int_equal(table_rows(f->d, "contact_tag"), 3);
	json_t *c = card_of(f->d, "Иванова");
	json_t *em = json_object_get(c, "emails");
	assert_int_equal(json_array_size(em), 2);
	assert_string_equal(json_string_value(json_array_get(em, 0)), "anna@example.org");
	assert_string_equal(json_string_value(json_array_get(em, 1)), "anna.work@example.org");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "phones"), 0)), "+79161234567");
	json_t *tags = json_object_get(c, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "family");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "vip");
	assert_string_equal(str(c, "tier"), "close");
	assert_string_equal(str(c, "address"), "vy");
	assert_string_equal(str(c, "owner"), "masha");
	assert_string_equal(str(c, "birthday"), "1985-06-15");
	assert_string_equal(str(c, "note"), "любит чай, кофе");
	json_decref(c);
	c = card_of(f->d, "bob");
	assert_string_equal(str(c, "birthday"), "--02-29");
	assert_string_equal(str(c, "tier"), "regular");
	assert_true(json_is_null(json_object_get(c, "note")));
	json_decref(c);
	c = card_of(f->d, "carol");
	assert_string_equal(str(c, "name"), "Carol");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "tags"), 0)), "solo");
	json_decref(c);

	/* imported contacts are found by search */
	json_t *hits = NULL;
	assert_int_equal(search_run(f->d, "ИВАНОВА", 10, &hits, &e), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 1);
	json_decref(hits);
}

static const char *bad_contacts =
	"name,email,tier\n"
	"Good One,g1@example.org,close\n"
	"Good Two,g2@example.org,\n"
	"Bad Email,not-an-email,regular\n"
	"Bad Tier,t@example.org,best\n"
	"Good Three,,distant\n"
	"Too,Many,Fields,Here\n"
	",nameless@example.org,close\n";

static void test_import_bad_rows_all_or_nothing(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	char lines[128];
	assert_int_equal(test_import(f->d, "contacts", bad_contacts, (import_opts){0}, &rep, &e), RP_EINVAL);
	assert_int_equal(e.code, RP_EINVAL);
	assert_contains(e.msg, "4 bad rows");
	assert_contains(e.msg, "line 4");
	assert_non_null(rep);
	assert_int_equal(num(rep, "rows"), 7);
	assert_int_equal(num(rep, "bad"), 4);
	assert_int_equal(num(rep, "imported"), 0);
	assert_string_equal(problem_lines(rep, lines, sizeof lines), "4,5,7,8");
	json_t *p = json_array_get(json_object_get(rep, "problems"), 0);
	assert_contains(str(p, "error"), "not-an-email");
	p = json_array_get(json_object_get(rep, "problems"), 1);
	assert_contains(str(p, "error"), "best");
	json_decref(rep);
	/* nothing at all was written */
	assert_int_equal(table_rows(f->d, "contact"), 0);
	assert_int_equal(table_rows(f->d, "contact_channel"), 0);

	/* skip_bad: the good rows go in, the bad are counted */
	assert_int_equal(test_import(f->d, "contacts", bad_contacts, (import_opts){.skip_bad = 1}, &rep, &e), 0);
	assert_non_null(rep);
	assert_int_equal(num(rep, "rows"), 7);
	assert_int_equal(num(rep, "imported"), 3);
	assert_int_equal(num(rep, "bad"), 4);
	assert_string_equal(problem_lines(rep, lines, sizeof lines), "4,5,7,8");
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 3);
	assert_int_equal(table_rows(f->d, "contact_channel"), 2);
	int64_t id;
	assert_int_equal(contact_resolve(f->d, "Good Three", &id, &e), 0);
	assert_int_equal(contact_resolve(f->d, "Bad", &id, &e), RP_ENOTFOUND);
}

static void test_import_dry_run(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	const char *csv = "name,email,tags\nA,a@example.org,x\nB,b@example.org,y\n";
	assert_int_equal(test_import(f->d, "contacts", csv, (import_opts){.dry_run = 1}, &rep, &e), 0);
	assert_non_null(rep);
	assert_true(json_is_true(json_object_get(rep, "dry_run")));
	assert_int_equal(num(rep, "rows"), 2);
	assert_int_equal(num(rep, "bad"), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);
	assert_int_equal(table_rows(f->d, "contact_channel"), 0);
	assert_int_equal(table_rows(f->d, "contact_tag"), 0);

	/* a dry run still finds the bad rows */
	csv = "name,tier\nA,close\nB,best\n";
	assert_int_equal(test_import(f->d, "contacts", csv, (import_opts){.dry_run = 1, .skip_bad = 1}, &rep, &e),
			 0);
	assert_int_equal(num(rep, "bad"), 1);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);

	/* and interactions too */
	import_ok(f->d, "contacts", "id,name\n7,Seven\n", 1);
	csv = "contact_id,at,kind\n7,2025-06-15T15:00:00Z,call\n";
	assert_int_equal(test_import(f->d, "interactions", csv, (import_opts){.dry_run = 1}, &rep, &e), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "interaction"), 0);
	json_t *c = card_of(f->d, "7");
	assert_string_equal(str(c, "last_touch_at"), DAY "T12:00:00Z");
	json_decref(c);
}

static void test_import_header_problems(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	static const struct {
		const char *what, *csv, *says;
	} cases[] = {
		{"contacts", "name,colour\nA,red\n", "colour"},
		{"contacts", "name,email,name\nA,a@example.org,B\n", "twice"},
		{"contacts", "email\na@example.org\n", "name"},
		{"interactions", "contact_id,kind\n1,call\n", "no \"at\" column"},
		{"interactions", "at,kind,summary\n2025-01-01,call,x\n", "contact_id"},
		{"facts", "contact_id,text\n1,x\n", "text"},
		{"contacts", "", "empty"},
		{"contacts", "\n\n\r\n", "empty"},
		{"contacts", "name,note\nA,\"never closed\n", "line 2"},
		{"contacts", "name,note\nA,b\"c\n", "line 2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = test_import(f->d, cases[i].what, cases[i].csv, (import_opts){.skip_bad = 1}, &rep, &e);
		if (rc != RP_EINVAL)
			fail_msg("case %zu: %d (%s), expected RP_EINVAL", i, rc, e.msg);
		assert_contains(e.msg, cases[i].says);
		json_decref(rep);
	}
	/* an unknown column is a whole-file error: no report of rows */
	assert_int_equal(test_import(f->d, "contacts", "name,colour\nA,red\n", (import_opts){0}, &rep, &e),
			 RP_EINVAL);
	assert_null(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);
	assert_int_equal(test_import(f->d, "people", "name\nA\n", (import_opts){0}, &rep, &e), RP_EUSAGE);
	assert_null(rep);
}

static void test_import_header_only(void **state)
{
	fx *f = *state;
	static const char *const csvs[] = {
		"name,email\n",
		"name,email",
		"\xEF\xBB\xBFname,email\r\n\r\n",
		" name , email \n",
	};
	for (size_t i = 0; i < sizeof csvs / sizeof csvs[0]; i++) {
		json_t *rep;
		rp_err e;
		if (test_import(f->d, "contacts", csvs[i], (import_opts){0}, &rep, &e))
			fail_msg("case %zu: %s", i, e.msg);
		assert_int_equal(num(rep, "rows"), 0);
		assert_int_equal(num(rep, "imported"), 0);
		assert_int_equal(num(rep, "bad"), 0);
		json_decref(rep);
	}
	import_ok(f->d, "interactions", "contact_id,at,kind\n", 0);
	import_ok(f->d, "facts", "contact_email,body\n", 0);
	assert_int_equal(table_rows(f->d, "contact"), 0);
}

static void test_import_line_numbers(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	char lines[128];
	const char *csv = "\xEF\xBB\xBF"
			  "name,note,tier\r\n"
			  "A,\"l1\nl2\r\nl3\",close\r\n" /* lines 2-4 */
			  "B,\"x\",wrong\n"              /* 5 */
			  "\n"                            /* 6: blank */
			  "\"C\nD\",\"ok, fine\",regular\n" /* 7-8 */
			  "E,,bogus\n"                    /* 9 */
			  "F,\"\"\"q\"\"\",close\n";      /* 10 */
	assert_int_equal(test_import(f->d, "contacts", csv, (import_opts){0}, &rep, &e), RP_EINVAL);
	assert_contains(e.msg, "line 5");
	assert_string_equal(problem_lines(rep, lines, sizeof lines), "5,9");
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);

	assert_int_equal(test_import(f->d, "contacts", csv, (import_opts){.skip_bad = 1}, &rep, &e), 0);
	assert_string_equal(problem_lines(rep, lines, sizeof lines), "5,9");
	assert_int_equal(num(rep, "imported"), 3);
	json_decref(rep);
	json_t *c = card_of(f->d, "A");
	assert_string_equal(str(c, "note"), "l1\nl2\r\nl3");
	json_decref(c);
	c = card_of(f->d, "F");
	assert_string_equal(str(c, "note"), "\"q\"");
	json_decref(c);
}

/* ---- interactions and facts in ------------------------------------------------------ */

static void two_contacts(db *d, int64_t *anna, int64_t *bob)
{
	setenv("RAPPORT_TODAY", "2025-06-01", 1);
	import_ok(d, "contacts",
		  "name,email\nАнна Иванова,anna@example.org\nBob,bob@example.com;bob2@example.com\n", 2);
	setenv("RAPPORT_TODAY", DAY, 1);
	*anna = contact_ref(d, "Анна");
	*bob = contact_ref(d, "Bob");
}

static void test_import_interactions(void **state)
{
	fx *f = *state;
	int64_t anna, bob;
	two_contacts(f->d, &anna, &bob);
	char csv[1024];
	snprintf(csv, sizeof csv,
		 "contact_id,contact_email,at,kind,direction,minutes,amount,currency,by,summary\n"
		 "%lld,,2025-06-10T10:00:00Z,call,out,15,,,masha,звонок\n"
		 ",bob2@example.com,2025-06-12 09:30,meeting,,,1500.50,RUB,,обед\n"
		 "%lld,,2025-06-11T08:00:00+03:00,message,in,,,,,\"письмо, длинное\"\n"
		 ",anna@example.org,2025-06-03,note,,,,,,\n"
		 "%lld,,1749373200,email,,,,,,по секундам\n",
		 (long long)anna, (long long)anna, (long long)bob);
	json_t *rep;
	rp_err e;
	assert_int_equal(test_import(f->d, "interactions", csv, (import_opts){0}, &rep, &e), 0);
	assert_int_equal(num(rep, "imported"), 5);
	assert_int_equal(num(rep, "rows"), 5);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "interaction"), 5);

	/* last touch: the latest of each contact's interactions */
	json_t *c = card_of(f->d, "Анна");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-11T05:00:00Z");
	json_t *tl = json_object_get(c, "interactions");
	assert_int_equal(json_array_size(tl), 3);
	json_t *i0 = json_array_get(tl, 0);
	assert_string_equal(str(i0, "kind"), "message");
	assert_string_equal(str(i0, "direction"), "in");
	assert_string_equal(str(i0, "summary"), "письмо, длинное");
	json_t *i1 = json_array_get(tl, 1);
	assert_string_equal(str(i1, "by"), "masha");
	assert_int_equal(num(i1, "minutes"), 15);
	json_decref(c);
	c = card_of(f->d, "Bob");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-12T09:30:00Z");
	tl = json_object_get(c, "interactions");
	assert_int_equal(json_array_size(tl), 2);
	json_t *amt = json_object_get(json_array_get(tl, 0), "amount");
	assert_int_equal(num(amt, "minor"), 150050);
	assert_string_equal(str(amt, "currency"), "RUB");
	assert_string_equal(str(json_array_get(tl, 1), "at"), "2025-06-08T09:00:00Z");
	json_decref(c);

	/* imported summaries are found by search */
	json_t *hits = NULL;
	assert_int_equal(search_run(f->d, "обед", 10, &hits, &e), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 1);
	json_decref(hits);

	/* an older import does not move last touch back */
	snprintf(csv, sizeof csv, "contact_id,at,kind\n%lld,2025-06-02,call\n", (long long)anna);
	import_ok(f->d, "interactions", csv, 1);
	c = card_of(f->d, "Анна");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-11T05:00:00Z");
	json_decref(c);
}

static void test_import_interactions_bad_rows(void **state)
{
	fx *f = *state;
	int64_t anna, bob;
	two_contacts(f->d, &anna, &bob);
	char csv[1024];
	snprintf(csv, sizeof csv,
		 "contact_id,contact_email,at,kind,amount,currency\n"
		 "%lld,,2025-06-10T10:00:00Z,call,,\n"      /* 2 good */
		 "999,,2025-06-10T10:00:00Z,call,,\n"       /* 3 no such contact */
		 ",nobody@example.org,2025-06-10,call,,\n"  /* 4 no such email */
		 "%lld,,yesterday,call,,\n"                 /* 5 bad time */
		 "%lld,,2025-06-10,lunch,,\n"               /* 6 bad kind */
		 "%lld,,2025-06-10,purchase,12.5,\n"        /* 7 amount, no currency */
		 ",,2025-06-10,call,,\n"                    /* 8 names no contact */
		 "abc,,2025-06-10,call,,\n"                 /* 9 bad id */
		 "%lld,,2025-06-11T10:00:00Z,visit,,\n",    /* 10 good */
		 (long long)anna, (long long)anna, (long long)anna, (long long)anna, (long long)bob);
	json_t *rep;
	rp_err e;
	assert_int_equal(test_import(f->d, "interactions", csv, (import_opts){0}, &rep, &e), RP_EINVAL);
	assert_contains(e.msg, "7 bad rows");
	assert_contains(e.msg, "line ");
	assert_int_equal(num(rep, "bad"), 7);
	assert_int_equal(num(rep, "imported"), 0);
	/* every bad line is named, whatever the order */
	char lines[128];
	problem_lines(rep, lines, sizeof lines);
	int seen[16] = {0};
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rep, "problems"), i, p)
	{
		int64_t l = num(p, "line");
		assert_true(l >= 3 && l <= 9);
		assert_int_equal(seen[l], 0);
		seen[l] = 1;
		if (l == 3)
			assert_contains(str(p, "error"), "999");
		if (l == 4)
			assert_contains(str(p, "error"), "nobody@example.org");
	}
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "interaction"), 0);
	json_t *c = card_of(f->d, "Анна");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-01T12:00:00Z");
	json_decref(c);

	assert_int_equal(test_import(f->d, "interactions", csv, (import_opts){.skip_bad = 1}, &rep, &e), 0);
	assert_int_equal(num(rep, "bad"), 7);
	assert_int_equal(num(rep, "imported"), 2);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "interaction"), 2);
	c = card_of(f->d, "Анна");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-10T10:00:00Z");
	json_decref(c);
	c = card_of(f->d, "Bob");
	assert_string_equal(str(c, "last_touch_at"), "2025-06-11T10:00:00Z");
	json_decref(c);
}

static void test_import_facts(void **state)
{
	fx *f = *state;
	int64_t anna, bob;
	two_contacts(f->d, &anna, &bob);
	char csv[512];
	snprintf(csv, sizeof csv,
		 "contact_id,contact_email,body,follow_up,done\n"
		 "%lld,,операция на колене,2025-07-01,0\n"
		 ",bob@example.com,вернуть книгу,,1\n"
		 ",nobody@example.org,потерянный,,\n"
		 "%lld,,,,\n",
		 (long long)anna, (long long)anna);
	json_t *rep;
	rp_err e;
	assert_int_equal(test_import(f->d, "facts", csv, (import_opts){.skip_bad = 1}, &rep, &e), 0);
	assert_int_equal(num(rep, "imported"), 2);
	assert_int_equal(num(rep, "bad"), 2);
	char lines[64];
	assert_string_equal(problem_lines(rep, lines, sizeof lines), "4,5");
	json_decref(rep);
	json_t *c = card_of(f->d, "Bob");
	json_t *fact = json_array_get(json_object_get(c, "facts"), 0);
	assert_string_equal(str(fact, "body"), "вернуть книгу");
	assert_true(json_is_true(json_object_get(fact, "done")));
	json_decref(c);
	c = card_of(f->d, "Анна");
	fact = json_array_get(json_object_get(c, "facts"), 0);
	assert_string_equal(str(fact, "follow_up"), "2025-07-01");
	assert_true(json_is_false(json_object_get(fact, "done")));
	json_decref(c);
}

/* ---- round trips --------------------------------------------------------------- */

static void populate(db *d)
{
	rp_err e = {0};
	int64_t id;
	contact_in a = {
		.name = "Анна Петровна Иванова", .tier = "close", .address = "vy", .owner = "masha",
		.birthday = "1985-06-15", .note = "любит \"Earl Grey\",\nи кофе",
		.email = {(const char *[]){"anna@example.org", "a.ivanova@work.example"}, 2},
		.phone = {(const char *[]){"+7 916 123-45-67"}, 1},
		.messenger = {(const char *[]){"@anna_i"}, 1},
		.postal = {(const char *[]){"Москва, Тверская ул., д. 1"}, 1},
		.tag = {(const char *[]){"VIP", "семья"}, 2},
	};
	assert_int_equal(contact_add(d, &a, &id, &e), 0);
	contact_in b = {.name = "Bob", .birthday = "--02-29", .note = "  leading and trailing  "};
	assert_int_equal(contact_add(d, &b, &id, &e), 0);
	contact_in gone = {.name = "Temporary"};
	assert_int_equal(contact_add(d, &gone, &id, &e), 0);
	assert_int_equal(contact_rm(d, id, &e), 0); /* a gap in the ids */
	contact_in z = {.name = "Zoë, \"the\" Quoted", .tier = "distant", .address = "ty",
			.tag = {(const char *[]){"a", "b", "c"}, 3},
			.phone = {(const char *[]){"+1 (555) 010-0000", "8 800 555 35 35"}, 2}};
	assert_int_equal(contact_add(d, &z, &id, &e), 0);
	contact_in far = {.id = 1000, .name = "Пётр Сёмин", .tier = "panel", .note = "Ёлка;точка с запятой"};
	assert_int_equal(contact_add(d, &far, &id, &e), 0);
	assert_int_equal(id, 1000);
	contact_in plain = {.name = "Plain"};
	assert_int_equal(contact_add(d, &plain, &id, &e), 0);
}

static void test_contacts_round_trip(void **state)
{
	fx *f = *state;
	populate(f->d);
	size_t n1, n2;
	char *first = export_str(f->d, "contacts", &n1);
	const char *header = "id,name,address,tier,owner,email,phone,messenger,postal,birthday,tags,note\r\n";
	assert_memory_equal(first, header, strlen(header));
	assert_contains(first, "\"Zoë, \"\"the\"\" Quoted\"");
	assert_contains(first, "anna@example.org;a.ivanova@work.example");
	assert_contains(first, "1000,Пётр Сёмин");

	char path[TEST_PATH];
	db *fresh = test_store(path);
	json_t *rep;
	rp_err e = {0};
	FILE *in = test_stream(first, n1);
	import_opts o = {0};
	if (import_csv(fresh, "contacts", in, &o, &rep, &e))
		fail_msg("re-import: %s", e.msg);
	fclose(in);
	assert_int_equal(num(rep, "imported"), 5);
	json_decref(rep);
	char *second = export_str(fresh, "contacts", &n2);
	if (n1 != n2 || memcmp(first, second, n1))
		fail_msg("the second export differs:\n%s\n---- first:\n%s", second, first);

	/* importing the same file again conflicts on every id, and changes nothing */
	in = test_stream(first, n1);
	assert_int_equal(import_csv(fresh, "contacts", in, &o, &rep, &e), RP_EINVAL);
	fclose(in);
	assert_int_equal(num(rep, "bad"), 5);
	assert_contains(str(json_array_get(json_object_get(rep, "problems"), 0), "error"), "already exists");
	json_decref(rep);
	free(second);
	second = export_str(fresh, "contacts", &n2);
	assert_true(n1 == n2 && !memcmp(first, second, n1));

	free(first);
	free(second);
	test_store_close(fresh, path);
}

static void test_interactions_round_trip(void **state)
{
	fx *f = *state;
	populate(f->d);
	rp_err e = {0};
	int64_t anna = contact_ref(f->d, "Анна"), bob = contact_ref(f->d, "Bob");
	int64_t now = rp_now(), iid;
	interaction_in list[] = {
		{.contact_id = anna, .at = now - 86400 * 30, .kind = "call", .direction = "out", .minutes = 15,
		 .by = "masha", .summary = "Рассказала, что дочь поступила в университет"},
		{.contact_id = bob, .at = now - 86400 * 2 + 17, .kind = "purchase", .direction = "in",
		 .minutes = -1, .amount = 1299050, .has_amount = 1, .currency = "RUB",
		 .summary = "пальто, \"зимнее\"\nи шарф"},
		{.contact_id = anna, .at = now - 3600, .kind = "complaint", .minutes = 0, .amount = -1230,
		 .has_amount = 1, .currency = "EUR", .summary = "  отступы  "},
		{.contact_id = 1000, .at = -86400 * 365 * 20, .kind = "note", .minutes = -1},
		{.contact_id = bob, .at = now, .kind = "email", .minutes = 100000, .by = "petya",
		 .summary = "Ёлка; запятая, кавычка \" и перевод\r\nстроки"},
	};
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
		if (interaction_add(f->d, &list[i], &iid, &e))
			fail_msg("interaction %zu: %s", i, e.msg);

	size_t nc, ni, n2;
	char *contacts = export_str(f->d, "contacts", &nc);
	char *inter = export_str(f->d, "interactions", &ni);
	const char *header = "id,contact_id,at,kind,direction,minutes,amount,currency,by,summary\r\n";
	assert_memory_equal(inter, header, strlen(header));
	assert_contains(inter, "12990.50,RUB");
	assert_contains(inter, "-12.30,EUR");

	char path[TEST_PATH];
	db *fresh = test_store(path);
	json_t *rep;
	import_opts o = {0};
	FILE *in = test_stream(contacts, nc);
	if (import_csv(fresh, "contacts", in, &o, &rep, &e))
		fail_msg("contacts: %s", e.msg);
	fclose(in);
	json_decref(rep);
	in = test_stream(inter, ni);
	if (import_csv(fresh, "interactions", in, &o, &rep, &e))
		fail_msg("interactions: %s", e.msg);
	fclose(in);
	assert_int_equal(num(rep, "imported"), 5);
	json_decref(rep);

	char *again = export_str(fresh, "interactions", &n2);
	if (n2 != ni || memcmp(again, inter, ni))
		fail_msg("the second export differs:\n%s\n---- first:\n%s", again, inter);
	free(again);
	again = export_str(fresh, "contacts", &n2);
	assert_true(n2 == nc && !memcmp(again, contacts, nc));
	free(again);

	/* the search index came along */
	json_t *hits = NULL;
	assert_int_equal(search_run(fresh, "университете", 10, &hits, &e), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 1);
	json_decref(hits);
	/* and so did the last touches */
	json_t *c = card_of(fresh, "Bob");
	char buf[21];
	assert_string_equal(str(c, "last_touch_at"), rp_ts_format(now, buf));
	json_decref(c);

	free(contacts);
	free(inter);
	test_store_close(fresh, path);
}

static void test_export_unknown(void **state)
{
	fx *f = *state;
	FILE *out = tmpfile();
	assert_non_null(out);
	rp_err e = {0};
	assert_int_equal(export_csv(f->d, "people", out, &e), RP_EUSAGE);
	assert_int_equal(ftell(out), 0);
	fclose(out);
	/* an empty store exports just the headers */
	size_t n;
	char *s = export_str(f->d, "contacts", &n);
	assert_string_equal(s, "id,name,address,tier,owner,email,phone,messenger,postal,birthday,tags,note\r\n");
	free(s);
	s = export_str(f->d, "facts", &n);
	assert_string_equal(s, "id,contact_id,body,follow_up,done\r\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_bad_rows_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_header_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_header_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_line_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_interactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_interactions_bad_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interactions_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_unknown, setup, teardown),
	};
	return cmocka_run_group_tests_name("transfer", tests, NULL, NULL);
}
