/* core/copy: the list of tables, copying a store into another, comparing. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#ifndef TEST_PATH
#define TEST_PATH 64
#endif

static int listed(const char *name)
{
	for (int i = 0; i < rp_ntables; i++)
		if (!strcmp(rp_tables[i].name, name))
			return i;
	return -1;
}

static void exec_ok(db *d, const char *sql)
{
	rp_err e = {0};
	if (db_exec(d, sql, &e))
		fail_msg("%s: %s", sql, e.msg);
}

static void run_ok(db *d, const char *sql)
{
	rp_err e = {0};
	if (db_run(d, &e, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
}

static int64_t one_int(db *d, const char *sql)
{
	rp_err e = {0};
	int64_t v = -1;
	if (db_one_int(d, &e, &v, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
	return v;
}

static void assert_contains(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* Every table of a new store is in rp_tables, and nothing else is (the
** engine's own search tables aside); each listed table can be counted;
** every table comes after the tables its foreign keys point at; and its
** integer columns are the ones listed. */
static void test_tables_listed(void **state)
{
	fx *f = *state;
	int pg = !strcmp(db_engine(f->d), "postgres");
	for (int i = 0; i < rp_ntables; i++)
		assert_int_equal(table_rows(f->d, rp_tables[i].name), 0);
	rp_err e = {0};
	db_stmt *s = db_query(f->d, &e,
			      pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
				   " AND table_type = 'BASE TABLE' AND table_name <> 'schema_version'"
				   /* the stored search vectors, built by the target like FTS5's tables */
				   " AND table_name NOT IN ('contact_tsv', 'fact_tsv', 'interaction_tsv', 'story_tsv')"
				 : "SELECT name FROM sqlite_schema AS t WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
				   " AND name <> 'schema_version' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
				   " AND NOT EXISTS (SELECT 1 FROM sqlite_schema AS v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%'"
				   "   AND t.name LIKE v.name || '\\_%' ESCAPE '\\')",
			      "");
	assert_non_null(s);
	int n = 0;
	while (db_step(s, &e) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		if (listed(name) < 0)
			fail_msg("table %s is in the store but not in rp_tables (core/schema.c)", name);
		n++;
	}
	db_reset(s);
	assert_int_equal(n, rp_ntables);
	for (int i = 0; i < rp_ntables; i++) {
		s = db_query(f->d, &e,
			     pg ? "SELECT c.table_name FROM information_schema.table_constraints AS t"
				  " JOIN information_schema.constraint_column_usage AS c"
				  "   ON c.constraint_schema = t.constraint_schema AND c.constraint_name = t.constraint_name"
				  " WHERE t.constraint_type = 'FOREIGN KEY' AND t.table_name = $1"
				  "   AND t.table_schema = current_schema()"
				: "SELECT \"table\" FROM pragma_foreign_key_list($1)",
			     "t", rp_tables[i].name);
		assert_non_null(s);
		while (db_step(s, &e) == DB_ROW) {
			int parent = listed(db_col_text(s, 0));
			if (parent < 0 || parent >= i)
				fail_msg("%s refers to %s, which must come before it in rp_tables", rp_tables[i].name,
					 db_col_text(s, 0));
		}
		db_reset(s);
		/* the integer columns are those rp_tables lists */
		s = db_query(f->d, &e,
			     pg ? "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
				  " AND table_schema = current_schema() AND data_type IN ('bigint', 'integer', 'smallint')"
				: "SELECT name FROM pragma_table_info($1) WHERE type = 'INTEGER'",
			     "t", rp_tables[i].name);
		assert_non_null(s);
		int ints = 0, want = 0;
		while (db_step(s, &e) == DB_ROW) {
			const char *col = db_col_text(s, 0);
			int k = 0;
			while (k < RP_TABLE_INTS && rp_tables[i].ints[k] && strcmp(rp_tables[i].ints[k], col))
				k++;
			if (k == RP_TABLE_INTS || !rp_tables[i].ints[k])
				fail_msg("%s.%s holds integers but is not among the ints of rp_tables", rp_tables[i].name, col);
			ints++;
		}
		db_reset(s);
		while (want < RP_TABLE_INTS && rp_tables[i].ints[want])
			want++;
		if (ints != want)
			fail_msg("rp_tables lists %d integer columns of %s, the store has %d", want, rp_tables[i].name, ints);
	}
}

static int64_t add_contact(db *d, const char *name, const char *note, const char *tag)
{
	const char *tags[] = {tag, "vip"};
	contact_in in = {.name = name, .note = note, .tier = "close", .birthday = "1980-11-23"};
	in.tag = (rp_strs){tags, tag ? 2 : 0};
	int64_t id = 0;
	rp_err e = {0};
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add: %s", e.msg);
	return id;
}

/* A little of everything: contacts (one without a note), channels, dates,
** tags, a relation, facts, interactions, complaints, settings, a panel member, a team
** member with a token, the audit log and failed logins (two alike). */
static void fill(db *d)
{
	rp_err e = {0};
	/* A webhook first: every event below queues a delivery for it. */
	json_t *hook = NULL;
	assert_int_equal(webhook_add(d, "https://hooks.example.org/rapport", "all", NULL, "tester", &hook, &e), 0);
	json_decref(hook);
	int64_t a = add_contact(d, "Анна Петровна Иванова", "Любит кофе", "wedding");
	int64_t b = add_contact(d, "John Smith", NULL, NULL);
	add_contact(d, "Мария Соколова", "", "ёлка");
	assert_int_equal(relation_add(d, a, b, "friend", "school", &e), 0);
	assert_int_equal(contact_date_add(d, a, "anniversary", "2005-06-01", "wedding", &e), 0);
	int64_t id;
	assert_int_equal(fact_add(d, a, "Операция на колене", "2026-12-01", "tester", &id, &e), 0);
	assert_int_equal(fact_add(d, b, "Has a dog", NULL, NULL, &id, &e), 0);
	interaction_in in = {.contact_id = a, .at = 1790000000, .kind = "purchase", .direction = "in",
			     .summary = "Рассказала, что дочь поступила в университет", .by = "tester",
			     .currency = "RUB", .minutes = 15, .amount = 450000, .has_amount = 1};
	assert_int_equal(interaction_add(d, &in, &id, &e), 0);
	/* A complaint from that interaction, answered and made good: the
	** table with the most integer columns, some of them NULL. */
	int64_t k;
	assert_int_equal(complaint_open(d, &(complaint_in){.contact_id = a, .text = "Не тот размер", .from = id, .by = "tester"},
				       &k, &e),
			 0);
	assert_int_equal(complaint_resolve(d, k,
					   &(complaint_resolution){.make_good = "скидка", .cost = "150.50",
								   .apology = 1, .by = "tester"},
					   &e),
			 0);
	assert_int_equal(complaint_open(d, &(complaint_in){.contact_id = a, .text = "Ещё ждёт", .duty = "anna"}, &k, &e), 0);
	in = (interaction_in){.contact_id = b, .at = 1790000100, .kind = "note", .minutes = -1,
			      .summary = "Asked about surgery"};
	assert_int_equal(interaction_add(d, &in, &id, &e), 0);
	assert_int_equal(setting_set(d, "cadence.close", "21", &e), 0);
	int64_t cadence = 21;
	assert_int_equal(panel_add(d, a, &cadence, "tester", NULL, &e), 0);
	if (user_add(d, "anna", "manager", "a long enough password", &e))
		fail_msg("user_add: %s", e.msg);
	char token[65];
	assert_int_equal(token_create(d, "anna", "scripts", token, &id, &e), 0);
	json_t *feed = NULL;
	assert_int_equal(feed_url(d, "anna", "ru", &feed, &e), 0);
	json_decref(feed);
	json_t *target = json_pack("{s:s}", "name", "x");
	assert_int_equal(audit_write(d, "anna", "contact add", target, "cli", 1, NULL, &e), 0);
	json_decref(target);
	run_ok(d, "INSERT INTO auth_failure(key, at) VALUES ('login:eve', 1790000000)");
	run_ok(d, "INSERT INTO auth_failure(key, at) VALUES ('login:eve', 1790000000)");
	/* a value fit with its scores (money as minor units, P(alive) in ppm, the
	** parameters as JSON text) and a client let go */
	run_ok(d, "INSERT INTO value_fit(id, fitted_at, until_on, currency, customers, repeat_buyers, params, by_user)"
		  " VALUES (1, 1790000000, '2026-09-20', 'RUB', 2, 1, '{\"r\": 0.243, \"alpha\": 4.414}', 'tester')");
	run_ok(d, "INSERT INTO value_score(contact_id, fit_id, clv, p_alive, p_alive_before, expected_margin, segment, detail)"
		  " VALUES (1, 1, 1234567, 873000, NULL, -34000, 'at risk', '{\"rfm\": {\"r\": 2}}')");
	run_ok(d, "INSERT INTO cadence_stop(contact_id, at, by_user, note_interaction) VALUES (2, 1790000200, 'tester', 2)");
	/* an act of the client in the trust ledger (the complaint above wrote
	** the company's, linked to its interaction), and a community with a member */
	trust_in t = {.contact_id = b, .by = "client", .act = "cooperate", .text = "paid early", .on = "2026-09-01",
		      .user = "tester"};
	int64_t tid = 0, cid = 0;
	assert_int_equal(trust_record(d, &t, &tid, &e), 0);
	assert_int_equal(community_add(d, "Книжный клуб", "приходим вовремя", "tester", &cid, &e), 0);
	assert_int_equal(community_join(d, cid, b, "founder", "2026-09-02", &e), 0);
	/* a value profile, a trait (a negative value), a best client and an
	** intake request accepted into a contact, and one still pending */
	json_t *j = NULL;
	assert_int_equal(profile_preset(d, "clinic", "tester", "en", &j, &e), 0);
	json_decref(j);
	trait_in tr = {.contact = a, .dimension = "price", .value = -0.25, .by = "tester"};
	assert_int_equal(trait_set(d, &tr, NULL, &e), 0);
	assert_int_equal(align_mark(d, b, 1, "tester", &j, &e), 0);
	json_decref(j);
	json_t *answers = json_pack("{s:f}", "term", 0.5);
	intake_in ii = {.name = "Вера", .email = "vera@example.org", .message = "Нужна консультация", .answers = answers,
			.address = "10.0.0.1", .lang = "ru"};
	assert_int_equal(intake_submit(d, &ii, &j, &e), 0);
	json_decref(j);
	assert_int_equal(intake_submit(d, &ii, &j, &e), 0);
	json_decref(j);
	json_decref(answers);
	assert_int_equal(intake_accept(d, 1, NULL, "tester", &j, &e), 0);
	json_decref(j);
}

static int64_t total_rows(db *d)
{
	int64_t n = 0;
	for (int i = 0; i < rp_ntables; i++)
		n += table_rows(d, rp_tables[i].name);
	return n;
}

static json_t *copy_ok(db *from, db *to)
{
	json_t *rep = NULL;
	rp_err e = {0};
	if (store_copy(from, to, NULL, &rep, &e))
		fail_msg("store_copy: %s", e.msg);
	assert_non_null(rep);
	return rep;
}

/* A copy holds every row, reports what it copied, compares equal, and a
** copy of the copy has the same checksums.  New ids follow the largest. */
static void test_copy(void **state)
{
	fx *f = *state;
	fill(f->d);
	char pb[TEST_PATH], pc[TEST_PATH];
	db *b = test_store(pb);
	json_t *rep = copy_ok(f->d, b);
	json_t *tables = json_object_get(rep, "tables");
	assert_int_equal(json_array_size(tables), rp_ntables);
	assert_int_equal(json_integer_value(json_object_get(rep, "rows")), total_rows(f->d));
	assert_int_equal(total_rows(b), total_rows(f->d));
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t)
	{
		const char *name = json_string_value(json_object_get(t, "table"));
		assert_string_equal(name, rp_tables[i].name);
		assert_int_equal(json_integer_value(json_object_get(t, "rows")), table_rows(f->d, name));
		assert_int_equal(strlen(json_string_value(json_object_get(t, "checksum"))), 64);
	}
	assert_int_equal(table_rows(b, "auth_failure"), 2);
	/* two of fill's contacts and the one the accepted intake request made */
	assert_int_equal(one_int(b, "SELECT count(*) FROM contact WHERE note IS NULL"), 3);
	assert_int_equal(one_int(b, "SELECT cadence_days FROM panel WHERE contact_id = 1"), 21);
	assert_int_equal(one_int(b, "SELECT make_good_cost FROM complaint WHERE interaction_id = 1"), 15050);
	assert_int_equal(one_int(b, "SELECT count(*) FROM complaint WHERE answered_at IS NULL AND duty = 'anna'"), 1);
	assert_int_equal(one_int(b, "SELECT value FROM contact_trait WHERE contact_id = 1 AND dimension = 'price'"), -250);
	assert_int_equal(one_int(b, "SELECT count(*) FROM intake_request WHERE contact_id IS NULL AND score = 600"), 1);
	assert_int_equal(table_rows(b, "feed_token"), 1);
	assert_true(one_int(b, "SELECT count(*) FROM webhook_delivery WHERE status = 'pending' AND attempts = 0") > 5);

	rp_err e = {0};
	json_t *again = NULL;
	assert_int_equal(store_compare(f->d, b, NULL, &again, &e), 0);
	assert_true(json_equal(again, tables));
	json_decref(again);

	db *c = test_store(pc);
	json_t *rep2 = copy_ok(b, c);
	assert_true(json_equal(rep2, rep));
	json_decref(rep2);
	test_store_close(c, pc);

	/* the copy searches, and gives the next ids */
	json_t *hits = NULL;
	assert_int_equal(search_run(b, "УНИВЕРСИТЕТЕ", 10, &hits, &e), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 1);
	json_decref(hits);
	assert_int_equal(add_contact(b, "Новый Клиент", NULL, NULL), 5);
	int64_t id;
	assert_int_equal(fact_add(b, 5, "Новый факт", NULL, NULL, &id, &e), 0);
	assert_int_equal(id, 3);
	json_decref(rep);
	test_store_close(b, pb);
}

/* A changed value, a missing row, and NULL turned into "" are all seen,
** and the message names the table. */
static void test_compare_detects(void **state)
{
	fx *f = *state;
	fill(f->d);
	char pb[TEST_PATH];
	db *b = test_store(pb);
	json_decref(copy_ok(f->d, b));
	rp_err e = {0};

	run_ok(b, "UPDATE fact SET body = body || '!' WHERE id = 2");
	assert_int_equal(store_compare(f->d, b, NULL, NULL, &e), RP_EDB);
	assert_contains(e.msg, "table fact differs");
	run_ok(b, "UPDATE fact SET body = 'Has a dog' WHERE id = 2");
	assert_int_equal(store_compare(f->d, b, NULL, NULL, &e), 0);

	run_ok(b, "UPDATE contact SET note = '' WHERE note IS NULL AND id = 2");
	assert_int_equal(store_compare(f->d, b, NULL, NULL, &e), RP_EDB);
	assert_contains(e.msg, "table contact differs");
	run_ok(b, "UPDATE contact SET note = NULL WHERE id = 2");

	run_ok(b, "DELETE FROM contact_tag WHERE tag = 'wedding'");
	assert_int_equal(store_compare(f->d, b, NULL, NULL, &e), RP_EDB);
	assert_contains(e.msg, "table contact_tag differs: the source has 4 rows, the copy 3");

	/* the same rows inserted in another order are the same table */
	run_ok(b, "DELETE FROM contact_tag");
	db_stmt *s = db_query(f->d, &e, "SELECT contact_id, tag FROM contact_tag ORDER BY contact_id DESC, tag DESC", "");
	assert_non_null(s);
	while (db_step(s, &e) == DB_ROW)
		assert_int_equal(db_run(b, &e, "INSERT INTO contact_tag(contact_id, tag) VALUES ($1, $2)", "it",
					db_col_int(s, 0), db_col_text(s, 1)),
				 0);
	db_reset(s);
	if (store_compare(f->d, b, NULL, NULL, &e))
		fail_msg("%s", e.msg);
	test_store_close(b, pb);
}

/* A target with any row is refused, naming the table, and keeps what it
** had. */
static void test_copy_refuses_nonempty(void **state)
{
	fx *f = *state;
	fill(f->d);
	char pb[TEST_PATH];
	db *b = test_store(pb);
	add_contact(b, "Someone Else", NULL, NULL);
	rp_err e = {0};
	json_t *rep = NULL;
	assert_int_equal(store_copy(f->d, b, NULL, &rep, &e), RP_ECONFLICT);
	assert_null(rep);
	assert_contains(e.msg, "table contact has 1 row;");
	assert_int_equal(table_rows(b, "contact"), 1);
	assert_int_equal(table_rows(b, "fact"), 0);
	assert_int_equal(table_rows(b, "interaction"), 0);
	assert_int_equal(table_rows(b, "account"), 0);
	test_store_close(b, pb);
}

/* A copy that comes out different (here a trigger of the target changes
** who wrote each fact) is rolled back whole. */
static void test_copy_rolls_back_on_difference(void **state)
{
	fx *f = *state;
	fill(f->d);
	char pb[TEST_PATH];
	db *b = test_store(pb);
	if (!strcmp(db_engine(b), "postgres"))
		exec_ok(b, "CREATE FUNCTION rp_test_bang() RETURNS trigger LANGUAGE plpgsql AS"
			   " $$ BEGIN NEW.created_by := 'mallory'; RETURN NEW; END $$;"
			   "CREATE TRIGGER rp_test_bang BEFORE INSERT ON fact FOR EACH ROW EXECUTE FUNCTION rp_test_bang()");
	else
		exec_ok(b, "CREATE TRIGGER rp_test_bang AFTER INSERT ON fact BEGIN"
			   "  UPDATE fact SET created_by = 'mallory' WHERE id = new.id;"
			   "END");
	rp_err e = {0};
	json_t *rep = NULL;
	assert_int_equal(store_copy(f->d, b, NULL, &rep, &e), RP_EDB);
	assert_null(rep);
	assert_contains(e.msg, "nothing was copied");
	assert_contains(e.msg, "table fact differs");
	assert_int_equal(total_rows(b), 0);
	test_store_close(b, pb);
}

/* Stores at different schema versions are not copied between. */
static void test_copy_needs_same_version(void **state)
{
	fx *f = *state;
	fill(f->d);
	char pb[TEST_PATH];
	test_target(pb);
	db *b = NULL;
	rp_err e = {0};
	assert_int_equal(db_open(pb, 1, &b, &e), 0);
	assert_int_equal(db_migrate(b, rp_migrations, 1, NULL, &e), 0);
	json_t *rep = NULL;
	assert_int_equal(store_copy(f->d, b, NULL, &rep, &e), RP_EINVAL);
	assert_contains(e.msg, "schema version");
	assert_int_equal(table_rows(b, "contact"), 0);
	test_store_close(b, pb);
}

typedef struct seen {
	int calls;
	uint64_t last;
} seen;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	seen *p = ctx;
	(void)total;
	assert_true(done >= p->last);
	p->calls++;
	p->last = done;
}

/* Tables larger than a page (by id, and by a two-column key) come over
** whole, and their search index is built. */
static void test_copy_pages(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int64_t a = add_contact(f->d, "Анна Иванова", NULL, NULL);
	assert_int_equal(a, 1);
	assert_int_equal(db_begin(f->d, &e), 0);
	for (int i = 0; i < 4500; i++) {
		char tag[32], summary[64];
		snprintf(tag, sizeof tag, "tag%05d", i);
		snprintf(summary, sizeof summary, "звонок номер %d", i);
		assert_int_equal(db_run(f->d, &e, "INSERT INTO contact_tag(contact_id, tag) VALUES (1, $1)", "t", tag), 0);
		assert_int_equal(db_run(f->d, &e,
					"INSERT INTO interaction(contact_id, at, kind, summary) VALUES (1, $1, 'call', $2)",
					"it", (int64_t)1790000000 + i, summary),
				 0);
	}
	assert_int_equal(db_commit(f->d, &e), 0);
	char pb[TEST_PATH];
	db *b = test_store(pb);
	seen p = {0};
	copy_opts o = {.progress = on_progress, .progress_ctx = &p};
	json_t *rep = NULL;
	if (store_copy(f->d, b, &o, &rep, &e))
		fail_msg("store_copy: %s", e.msg);
	assert_true(p.calls > 3);
	assert_true(p.last > 4500 * 8);
	assert_int_equal(table_rows(b, "contact_tag"), 4500);
	assert_int_equal(table_rows(b, "interaction"), 4500);
	json_t *hits = NULL;
	assert_int_equal(search_run(b, "звонок", 7, &hits, &e), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 7);
	json_decref(hits);
	int64_t id;
	interaction_in in = {.contact_id = 1, .at = 1800000000, .kind = "note", .minutes = -1, .summary = "x"};
	assert_int_equal(interaction_add(b, &in, &id, &e), 0);
	assert_int_equal(id, 4501);
	json_decref(rep);
	test_store_close(b, pb);
}

int main(void)
{
	if (account_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tables_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_detects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_refuses_nonempty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_rolls_back_on_difference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_needs_same_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_pages, setup, teardown),
	};
	return cmocka_run_group_tests_name("copy", tests, NULL, NULL);
}
