/* core/privacy: a person's data exported, and erased with every trace. */
#define TEST_DAY "2025-06-15"
#include "testlib.h"

#define STRS(...) ((rp_strs){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

#define NAME "Зинаида Феоктистовна Пржевальская"
#define EMAIL "Zinaida.Przh@Example.org"
#define EMAIL_STORED "zinaida.przh@example.org"
#define PHONE "+7 (916) 555-12-34"
#define PHONE_STORED "+79165551234"

/* needle among n bytes (which may hold NULs). */
static int has_bytes(const char *bytes, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= n; i++)
		if (bytes[i] == needle[0] && !memcmp(bytes + i, needle, k))
			return 1;
	return 0;
}

static void ok(int rc, const rp_err *e, const char *what)
{
	if (rc)
		fail_msg("%s: %s", what, e->msg);
}

static int64_t one(db *d, const char *sql, int64_t arg)
{
	rp_err e = {0};
	int64_t v = -1;
	ok(db_one_int(d, &e, &v, sql, "i", arg), &e, sql);
	return v;
}

/* The person under test, with something in every table about them, and a
** second contact who must come through untouched. */
typedef struct world {
	int64_t zina, boris;
} world;

static world populate(db *d)
{
	rp_err e = {0};
	world w = {0};
	contact_in z = {.name = NAME, .note = "Любит орхидеи Phalaenopsisxq", .birthday = "1970-05-06",
			.email = STRS(EMAIL), .phone = STRS(PHONE), .messenger = STRS("telegram:@zinaida_przh"),
			.tag = STRS("vip")};
	ok(contact_add(d, &z, &w.zina, &e), &e, "add zina");
	contact_in b = {.name = "Борис Годунов", .email = STRS("boris@example.org"), .note = "брат"};
	ok(contact_add(d, &b, &w.boris, &e), &e, "add boris");
	ok(relation_add(d, w.zina, w.boris, "family", "сестра", &e), &e, "relate");
	ok(contact_date_add(d, w.zina, "anniversary", "1995-07-08", "свадьба", &e), &e, "date");
	int64_t id;
	ok(fact_add(d, w.zina, "Коллекционирует марки Qwerzy", "2025-07-01", "anna", &id, &e), &e, "fact");
	ok(fact_add(d, w.boris, "Рыбалка", NULL, "anna", &id, &e), &e, "fact boris");
	/* More interactions than a card shows: the export has them all. */
	for (int i = 0; i < 25; i++) {
		char sum[64];
		snprintf(sum, sizeof sum, "Разговор %d о фестивале Zyxwvu", i);
		interaction_in in = {.contact_id = w.zina, .at = rp_now() - 86400 * (i + 1), .kind = "call",
				     .summary = sum, .by = "anna", .minutes = 5};
		ok(interaction_add(d, &in, &id, &e), &e, "log");
	}
	interaction_in bi = {.contact_id = w.boris, .at = rp_now() - 3600, .kind = "note", .summary = "Борис звонил",
			     .minutes = -1};
	ok(interaction_add(d, &bi, &id, &e), &e, "log boris");
	consent_in c = {.channel = "email", .purpose = "news", .state = "granted", .how = "form",
			.evidence = "Форма на сайте, Зинаида Пржевальская", .by = "anna"};
	ok(consent_set(d, w.zina, &c, &id, &e), &e, "consent"); /* also moves her to 'yes' */
	ladder_in step = {.to = "dialogue", .cause = "person", .why = "Зинаида ответила на письмо", .by = "anna"};
	ok(ladder_move(d, w.zina, &step, &e), &e, "stage");
	ladder_in bstep = {.to = "attention", .cause = "person", .why = "Борис зашёл", .by = "anna"};
	ok(ladder_move(d, w.boris, &bstep, &e), &e, "stage boris");
	ok(db_run(d, &e,
		  "INSERT INTO consent_link(contact_id, channel, purpose, kind, token_hash, created_at)"
		  " VALUES ($1, 'email', 'news', 'withdraw', 'hash-of-a-link-token', $2)",
		  "ii", w.zina, rp_now()),
	   &e, "link");
	ok(db_run(d, &e,
		  "INSERT INTO outbox(contact_id, channel, purpose, address, subject, body, state, reason, created_at,"
		  " by_user) VALUES ($1, 'email', 'news', $2, 'Здравствуйте, Зинаида', 'Новости Qwerzy', 'sent', NULL,"
		  " $3, 'anna'),"
		  " ($1, 'email', 'news', $2, 'Ещё', 'Текст', 'failed', $4, $3, 'anna'),"
		  " ($1, 'email', 'news', $2, 'Ещё', 'Текст', 'refused', 'no consent', $3, 'anna')",
		  "itit", w.zina, EMAIL_STORED, rp_now(), "550 mailbox " EMAIL_STORED " unavailable"),
	   &e, "outbox");
	ok(db_run(d, &e,
		  "INSERT INTO outbox(contact_id, channel, purpose, address, subject, body, state, created_at)"
		  " VALUES ($1, 'email', 'news', 'boris@example.org', 'Борис', 'Текст', 'sent', $2)",
		  "ii", w.boris, rp_now()),
	   &e, "outbox boris");
	return w;
}

static void audit(db *d, const char *action, const char *target, const char *detail)
{
	rp_err e = {0};
	json_t *t = target ? json_loads(target, 0, NULL) : NULL;
	if (target && !t)
		fail_msg("bad JSON in the test: %s", target);
	ok(audit_write(d, "anna", action, t, "cli", detail == NULL, detail, &e), &e, "audit_write");
	json_decref(t);
}

static json_t *export(db *d, int64_t id)
{
	json_t *doc = NULL;
	rp_err e = {0};
	ok(privacy_export(d, id, &doc, &e), &e, "privacy_export");
	return doc;
}

static void test_export(void **state)
{
	fx *f = *state;
	world w = populate(f->d);
	char ref[64];
	snprintf(ref, sizeof ref, "{\"contact\":\"%lld\",\"summary\":\"x\"}", (long long)w.zina);
	audit(f->d, "log", ref, NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"y\"}", NULL);
	json_t *doc = export(f->d, w.zina);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "contact"), "name")), NAME);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "contact"), "stage")), "dialogue");
	assert_int_equal(json_array_size(json_object_get(doc, "channels")), 3);
	assert_int_equal(json_array_size(json_object_get(doc, "tags")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "dates")), 2); /* birthday and wedding */
	assert_int_equal(json_array_size(json_object_get(doc, "facts")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "interactions")), 25);
	assert_int_equal(json_array_size(json_object_get(doc, "consent")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "stage_moves")), 2);
	assert_int_equal(json_array_size(json_object_get(doc, "consent_links")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "outbox")), 3);
	assert_int_equal(json_array_size(json_object_get(doc, "audit")), 1);
	/* Of the related contact, only the id and the name. */
	json_t *rel = json_array_get(json_object_get(doc, "relations"), 0);
	json_t *other = json_object_get(rel, "contact");
	assert_int_equal(json_object_size(other), 2);
	assert_int_equal(json_integer_value(json_object_get(other, "id")), w.boris);
	assert_string_equal(json_string_value(json_object_get(rel, "note")), "сестра");
	/* A link's token is never stored; its hash is not the person's either. */
	char *text = json_dumps(doc, 0);
	assert_null(strstr(text, "hash-of-a-link-token"));
	assert_null(strstr(text, "token_hash"));
	assert_null(strstr(text, "Рыбалка")); /* nothing of Boris's own */
	assert_null(strstr(text, "Борис звонил"));
	free(text);
	json_decref(doc);

	rp_err e = {0};
	assert_int_equal(privacy_export(f->d, 999999, &doc, &e), RP_ENOTFOUND);
}

/* Rows in the tables that cascade from a contact. */
static int64_t rows_of(db *d, const char *table, int64_t contact)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = $1", table,
		 !strcmp(table, "relation") ? "a = $1 OR b" : "contact_id");
	return one(d, sql, contact);
}

static void test_erase(void **state)
{
	fx *f = *state;
	world w = populate(f->d);
	char t[512];
	/* Audit rows that name her, in every way an operation's arguments or
	** error can, and rows that must stay as they are. */
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"name\":\"Зина П.\",\"tier\":\"close\"}", (long long)w.zina);
	audit(f->d, "contact add", t, NULL);
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"summary\":\"звонок\"}", (long long)w.zina);
	audit(f->d, "log", t, NULL);
	audit(f->d, "fact add", "{\"contact\":\"Пржевальская\",\"text\":\"x\"}", NULL);
	audit(f->d, "contact add", "{\"name\":\"" NAME "\",\"email\":[\"" EMAIL "\"]}", NULL);
	audit(f->d, "import", "{\"what\":\"contacts\",\"note\":\"позвонить по 8 916 555-12-34 или " PHONE "\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Анна\",\"summary\":\"письмо от ZINAIDA.PRZH@example.org\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Ан\"}", "\"Ан\" matches several contacts:\n  1  " NAME);
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"other\":\"%lld\",\"kind\":\"family\"}", (long long)w.boris,
		 (long long)w.zina);
	audit(f->d, "relate", t, NULL);
	const int64_t named = 8;
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"summary\":\"Борис звонил\"}", (long long)w.boris);
	audit(f->d, "log", t, NULL);
	audit(f->d, "login", "{\"login\":\"anna\"}", NULL);
	audit(f->d, "config set", "{\"key\":\"cadence.close\",\"value\":\"21\"}", NULL);
	int64_t audits = table_rows(f->d, "audit"), outbox = table_rows(f->d, "outbox");
	int64_t moves = table_rows(f->d, "stage_move");

	json_t *r = NULL;
	rp_err e = {0};
	ok(privacy_erase(f->d, w.zina, 0, &r, &e), &e, "privacy_erase");
	assert_true(json_is_true(json_object_get(r, "erased")));
	assert_int_equal(json_integer_value(json_object_get(r, "suppressed")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "outbox")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "stage_moves")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "audit")), named);
	assert_non_null(json_string_value(json_object_get(r, "traces")));
	assert_null(strstr(json_string_value(json_object_get(r, "traces")), "not removed"));
	char *rt = json_dumps(r, 0);
	assert_null(strstr(rt, "Зинаида"));
	free(rt);
	json_decref(r);

	/* Gone, with everything that hung off her. */
	assert_int_equal(one(f->d, "SELECT count(*) FROM contact WHERE id = $1", w.zina), 0);
	static const char *const tables[] = {"contact_channel", "contact_date", "contact_tag", "relation", "fact",
					     "interaction", "consent", "consent_link", "outbox", "stage_move"};
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		if (rows_of(f->d, tables[i], w.zina))
			fail_msg("%s still has rows of the erased contact", tables[i]);
	/* The counts stay, anonymous. */
	assert_int_equal(table_rows(f->d, "outbox"), outbox);
	assert_int_equal(table_rows(f->d, "stage_move"), moves);
	assert_int_equal(table_rows(f->d, "audit"), audits);
	assert_int_equal(one(f->d,
			     "SELECT count(*) FROM outbox WHERE contact_id IS NULL AND address IS NULL AND subject IS NULL"
			     " AND body IS NULL AND state IN ('sent', 'failed', 'refused') AND $1 > 0",
			     1),
			 3);
	assert_int_equal(one(f->d, "SELECT count(*) FROM outbox WHERE reason = 'no consent' AND $1 > 0", 1), 1);
	assert_int_equal(one(f->d,
			     "SELECT count(*) FROM stage_move WHERE contact_id IS NULL AND why IS NULL AND evidence IS NULL"
			     " AND to_stage IN ('yes', 'dialogue') AND $1 > 0",
			     1),
			 2);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target = '{\"erased\":true}' AND detail IS NULL"
				   " AND $1 > 0",
			     1),
			 named);
	assert_int_equal(table_rows(f->d, "suppression"), 2);
	/* Boris is untouched: his card, his rows, his audit rows. */
	assert_int_equal(rows_of(f->d, "fact", w.boris), 1);
	assert_int_equal(rows_of(f->d, "interaction", w.boris), 1);
	assert_int_equal(rows_of(f->d, "outbox", w.boris), 1);
	assert_int_equal(rows_of(f->d, "stage_move", w.boris), 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%Борис звонил%' AND $1 > 0", 1), 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE action = 'config set' AND target LIKE '%21%'"
				   " AND $1 > 0",
			     1),
			 1);

	/* No text column anywhere holds her name, email or phone (PostgreSQL),
	** nor any byte of the database file, its WAL or its shm (SQLite). */
	static const char *const needles[] = {"Пржевальск", "пржевальск", "евальск", "zinaida", "ZINAIDA", "Zinaida",
					      "5551234", "555-12-34", "Qwerzy", "qwerzy", "Zyxwvu", "zyxwvu",
					      "Phalaenopsisxq", "phalaenopsisxq"};
	for (int k = 0; test_pg() && k < rp_ntables; k++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s x WHERE x::text LIKE $1", rp_tables[k].name);
		for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
			char pat[64];
			snprintf(pat, sizeof pat, "%%%s%%", needles[i]);
			int64_t n = -1;
			ok(db_one_int(f->d, &e, &n, sql, "t", pat), &e, sql);
			if (n)
				fail_msg("%s holds \"%s\"", rp_tables[k].name, needles[i]);
		}
	}
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t s = 0; !test_pg() && s < 3; s++) {
		char path[TEST_PATH + 8];
		snprintf(path, sizeof path, "%s%s", f->path, suffix[s]);
		FILE *in = fopen(path, "rb");
		if (!in)
			continue;
		fseek(in, 0, SEEK_END);
		long n = ftell(in);
		rewind(in);
		char *bytes = malloc((size_t)n + 1);
		assert_non_null(bytes);
		assert_int_equal(fread(bytes, 1, (size_t)n, in), (size_t)n);
		fclose(in);
		for (size_t i = 0; i < sizeof needles / sizeof *needles; i++)
			if (has_bytes(bytes, (size_t)n, needles[i]))
				fail_msg("%s still holds \"%s\"", path, needles[i]);
		free(bytes);
	}

	/* The search index has forgotten her. */
	json_t *hits = NULL;
	ok(search_run(f->d, "Пржевальская", 10, &hits, &e), &e, "search");
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 0);
	json_decref(hits);
	ok(search_run(f->d, "Qwerzy", 10, &hits, &e), &e, "search");
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 0);
	json_decref(hits);
	ok(search_run(f->d, "Рыбалка", 10, &hits, &e), &e, "search");
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 1);
	json_decref(hits);

	assert_int_equal(privacy_erase(f->d, w.zina, 0, &r, &e), RP_ENOTFOUND);
}

static void test_suppression(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id, at;
	/* Before any erasure there is no key, and nothing is suppressed. */
	ok(privacy_suppressed(f->d, "email", EMAIL_STORED, &at, &e), &e, "suppressed");
	assert_int_equal(at, 0);
	assert_int_equal(one(f->d, "SELECT count(*) FROM setting WHERE key = 'privacy.key' AND $1 > 0", 1), 0);
	world w = populate(f->d);
	json_t *r = NULL;
	ok(privacy_erase(f->d, w.zina, 0, &r, &e), &e, "erase");
	json_decref(r);
	ok(privacy_suppressed(f->d, "email", EMAIL_STORED, &at, &e), &e, "suppressed");
	assert_true(at > 0);
	ok(privacy_suppressed(f->d, "phone", PHONE_STORED, &at, &e), &e, "suppressed");
	assert_true(at > 0);
	ok(privacy_suppressed(f->d, "phone", EMAIL_STORED, &at, &e), &e, "kinds apart");
	assert_int_equal(at, 0);
	/* Kept only as keyed hashes: neither the value nor its plain hash. */
	char h1[65], h2[65];
	ok(privacy_hash(f->d, "email", EMAIL_STORED, 0, h1, &e), &e, "hash");
	assert_int_equal(one(f->d, "SELECT count(*) FROM suppression WHERE hash = (SELECT hash FROM suppression"
				   " WHERE kind = 'email') AND $1 > 0",
			     1),
			 1);
	assert_int_equal(strlen(h1), 64);
	ok(privacy_hash(f->d, "email", "someone@example.org", 0, h2, &e), &e, "hash");
	assert_string_not_equal(h1, h2);

	/* Adding her again, in any spelling of the address, is refused... */
	contact_in again = {.name = "Зина", .email = STRS("  ZINAIDA.przh@EXAMPLE.org ")};
	assert_int_equal(contact_add(f->d, &again, &id, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "erased at their request on 2025-06-15"));
	assert_non_null(strstr(e.msg, "--unsuppress"));
	contact_in by_phone = {.name = "Зина", .phone = STRS("+7 916 555 12 34")};
	assert_int_equal(contact_add(f->d, &by_phone, &id, &e), RP_ECONFLICT);
	/* ...as is giving her address to someone else... */
	contact_in edit = {.email = STRS(EMAIL)};
	assert_int_equal(contact_edit(f->d, w.boris, &edit, &e), RP_ECONFLICT);
	assert_int_equal(one(f->d, "SELECT count(*) FROM contact_channel WHERE contact_id = $1", w.boris), 1);
	/* ...and an import reports the row, adding nothing. */
	int64_t contacts = table_rows(f->d, "contact");
	static char rows[] = "name,email\nНовый,new@example.org\nЗина,Zinaida.Przh@example.org\n";
	FILE *csv = fmemopen(rows, strlen(rows), "r");
	assert_non_null(csv);
	json_t *report = NULL;
	import_opts o = {0};
	assert_int_equal(import_csv(f->d, "contacts", csv, &o, &report, &e), RP_EINVAL);
	fclose(csv);
	json_decref(report);
	assert_int_equal(table_rows(f->d, "contact"), contacts);
	csv = fmemopen(rows, strlen(rows), "r");
	assert_non_null(csv);
	o.skip_bad = 1;
	ok(import_csv(f->d, "contacts", csv, &o, &report, &e), &e, "import --skip-bad");
	fclose(csv);
	json_t *p = json_array_get(json_object_get(report, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "line")), 3);
	assert_non_null(strstr(json_string_value(json_object_get(p, "error")), "erased at their request"));
	json_decref(report);
	assert_int_equal(table_rows(f->d, "contact"), contacts + 1);

	/* She asks to be added again: the override lifts her entry. */
	again.unsuppress = 1;
	ok(contact_add(f->d, &again, &id, &e), &e, "unsuppress");
	ok(privacy_suppressed(f->d, "email", EMAIL_STORED, &at, &e), &e, "suppressed");
	assert_int_equal(at, 0);
	assert_int_equal(table_rows(f->d, "suppression"), 1); /* the phone stays suppressed */
	/* A second erasure keeps the same key. */
	char before[65];
	ok(privacy_hash(f->d, "phone", PHONE_STORED, 0, before, &e), &e, "hash");
	ok(privacy_erase(f->d, id, 1, &r, &e), &e, "erase again, rewriting the tables");
	assert_non_null(strstr(json_string_value(json_object_get(r, "traces")),
			       test_pg() ? "rewritten (VACUUM FULL)" : "database file vacuumed"));
	json_decref(r);
	ok(privacy_hash(f->d, "phone", PHONE_STORED, 1, h2, &e), &e, "hash");
	assert_string_equal(before, h2);
	assert_int_equal(table_rows(f->d, "suppression"), 2);
}

/* Only whole words and whole numbers name her: a longer address that
** contains hers, or a number that shares some digits, is someone else's. */
static void test_erase_matches_whole_words(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t id;
	contact_in in = {.name = "Ян", .email = STRS("ann@example.org"), .phone = STRS("+79165551234")};
	ok(contact_add(f->d, &in, &id, &e), &e, "add");
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"hann@example.org.ru, ann@example.organic\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"звонили на 89165551 и 165551234\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"Янтарь и яна\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"пишите на Ann@Example.org.\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"тел. 8-916-555-12-34 / +7 916 555 12 34\"}", NULL);
	audit(f->d, "log", "{\"contact\":\"Годунов\",\"summary\":\"ян\"}", NULL);
	/* A family's shared address: his messages stay his; one that names no
	** contact goes with her. */
	int64_t petr;
	contact_in p = {.name = "Пётр", .email = STRS("ann@example.org")};
	ok(contact_add(f->d, &p, &petr, &e), &e, "add petr");
	ok(db_run(f->d, &e,
		  "INSERT INTO outbox(contact_id, channel, purpose, address, subject, body, state, created_at)"
		  " VALUES ($1, 'email', 'news', 'ann@example.org', 'Пётр', 'Текст', 'sent', $2),"
		  " (NULL, 'email', 'news', 'ann@example.org', 'Кому-то', 'Текст', 'sent', $2)",
		  "ii", petr, rp_now()),
	   &e, "outbox");
	json_t *r = NULL;
	ok(privacy_erase(f->d, id, 0, &r, &e), &e, "erase");
	assert_int_equal(json_integer_value(json_object_get(r, "audit")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "outbox")), 1);
	json_decref(r);
	assert_int_equal(one(f->d, "SELECT count(*) FROM outbox WHERE contact_id = $1 AND address = 'ann@example.org'",
			     petr),
			 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM outbox WHERE address IS NULL AND $1 > 0", 1), 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%organic%' AND $1 > 0", 1), 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%165551234%' AND $1 > 0", 1), 1);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%Янтарь%' AND $1 > 0", 1), 1);
}

/* A rename and a merge: the audit rows under the old name and of the
** duplicate are hers too. */
static void test_erase_follows_renames_and_merges(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a, dup;
	contact_in in = {.name = "Ольга Старая"};
	ok(contact_add(f->d, &in, &a, &e), &e, "add");
	contact_in in2 = {.name = "Ольга Дубль"};
	ok(contact_add(f->d, &in2, &dup, &e), &e, "add");
	char t[256];
	/* as 'contact add' records them: its arguments and the id it made */
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"name\":\"Ольга Старая\"}", (long long)a);
	audit(f->d, "contact add", t, NULL);
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"name\":\"Ольга Дубль\"}", (long long)dup);
	audit(f->d, "contact add", t, NULL);
	audit(f->d, "log", "{\"contact\":\"Ольга Старая\",\"summary\":\"первая встреча\"}", NULL);
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"name\":\"Ольга Новая\"}", (long long)a);
	audit(f->d, "contact edit", t, NULL);
	contact_in rn = {.name = "Ольга Новая"};
	ok(contact_edit(f->d, a, &rn, &e), &e, "rename");
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"summary\":\"дубль\"}", (long long)dup);
	audit(f->d, "log", t, NULL);
	snprintf(t, sizeof t, "{\"contact\":\"%lld\",\"other\":\"%lld\"}", (long long)a, (long long)dup);
	audit(f->d, "contact merge", t, NULL);
	ok(contact_merge(f->d, a, dup, &e), &e, "merge");
	audit(f->d, "log", "{\"contact\":\"Пётр\",\"summary\":\"не о ней\"}", NULL);
	json_t *r = NULL;
	ok(privacy_erase(f->d, a, 0, &r, &e), &e, "erase");
	assert_int_equal(json_integer_value(json_object_get(r, "audit")), 6);
	json_decref(r);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%Ольга%' AND $1 > 0", 1), 0);
	assert_int_equal(one(f->d, "SELECT count(*) FROM audit WHERE target LIKE '%Пётр%' AND $1 > 0", 1), 1);
}

int main(void)
{
	if (account_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_follows_renames_and_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_matches_whole_words, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
