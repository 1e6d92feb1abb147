/* db/: the store boundary, exercised through db.h only. */
#include "testlib.h"

#include <stdio.h>

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->d = test_store(f->path);
	rp_err e = {0};
	if (db_exec(f->d, "CREATE TABLE t (x INTEGER NOT NULL UNIQUE, note TEXT)", &e))
		fail_msg("%s", e.msg);
	*state = f;
	return 0;
}

static int64_t count(db *d, const char *sql)
{
	rp_err e = {0};
	int64_t n = -1;
	if (db_one_int(d, &e, &n, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
	return n;
}

/* Opening a file that is missing or not a database is a question for
** SQLite alone: a PostgreSQL store is a database on a server. */
static void sqlite_only(void)
{
	if (test_pg())
		skip();
}

/* ---- placeholders ----------------------------------------------------------- */

static void test_placeholders_by_number(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	db_stmt *s = db_query(f->d, &e, "SELECT $2 || $1 || $2", "tt", "a", "b");
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "bab");
	assert_int_equal(db_step(s, &e), DB_DONE);
	db_reset(s);

	/* the same by hand: bind the second first */
	s = db_prepare(f->d, "SELECT $3, $1 * 10 + $1, $2", &e);
	assert_non_null(s);
	db_bind_text(s, 3, "three", -1);
	db_bind_int(s, 1, 4);
	db_bind_double(s, 2, 2.5);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_int_equal(db_col_count(s), 3);
	assert_string_equal(db_col_text(s, 0), "three");
	assert_int_equal(db_col_int(s, 1), 44);
	assert_true(db_col_double(s, 2) == 2.5);
	db_reset(s);

	/* a reset statement has its bindings cleared */
	s = db_prepare(f->d, "SELECT $3, $1 * 10 + $1, $2", &e);
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_true(db_col_null(s, 0));
	assert_true(db_col_null(s, 1));
	assert_null(db_col_text(s, 2));
	db_reset(s);

	/* $10 is the tenth, not $1 followed by 0 */
	int64_t v = 0;
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT $10 - $1", "iiiiiiiiii", (int64_t)1,
				    (int64_t)2, (int64_t)3, (int64_t)4, (int64_t)5, (int64_t)6,
				    (int64_t)7, (int64_t)8, (int64_t)9, (int64_t)100),
			 0);
	assert_int_equal(v, 99);

	/* text length and NULL text */
	s = db_prepare(f->d, "SELECT $1, $2 IS NULL, $3 IS NULL", &e);
	assert_non_null(s);
	db_bind_text(s, 1, "abcdef", 3);
	db_bind_text(s, 2, NULL, -1);
	db_bind_null(s, 3);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "abc");
	assert_int_equal(db_col_int(s, 1), 1);
	assert_int_equal(db_col_int(s, 2), 1);
	db_reset(s);

	/* the 'n' letter binds NULL without an argument */
	s = db_query(f->d, &e, "SELECT $1, $2 IS NULL, $3", "ini", (int64_t)7, (int64_t)9);
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 7);
	assert_int_equal(db_col_int(s, 1), 1);
	assert_int_equal(db_col_int(s, 2), 9);
	db_reset(s);
}

static void test_placeholders_in_literals(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* no parameters at all: '$1' is text */
	db_stmt *s = db_query(f->d, &e, "SELECT '$1' || 'x', '$2'", "");
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "$1x");
	assert_string_equal(db_col_text(s, 1), "$2");
	db_reset(s);

	/* literal and parameter side by side; doubled quotes inside the literal */
	s = db_query(f->d, &e, "SELECT 'it''s $1', $1, \"$1\" FROM (SELECT 5 AS \"$1\") AS q -- $2 here\n",
		     "t", "real");
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "it's $1");
	assert_string_equal(db_col_text(s, 1), "real");
	assert_int_equal(db_col_int(s, 2), 5);
	db_reset(s);

	/* a literal written into the table keeps its dollar */
	assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x, note) VALUES ($1, 'costs $2')", "i", (int64_t)1),
			 0);
	s = db_query(f->d, &e, "SELECT note FROM t WHERE x = $1", "i", (int64_t)1);
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "costs $2");
	db_reset(s);
}

/* ---- the statement cache --------------------------------------------------------- */

static void test_cache_nested_borrow(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	for (int i = 1; i <= 5; i++)
		assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x) VALUES ($1)", "i", (int64_t)i), 0);
	static const char *sql = "SELECT x FROM t WHERE x >= $1 ORDER BY x";

	db_stmt *outer = db_query(f->d, &e, sql, "i", (int64_t)2);
	assert_non_null(outer);
	assert_int_equal(db_step(outer, &e), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 2);

	/* the same SQL again while the first is still borrowed */
	db_stmt *inner = db_query(f->d, &e, sql, "i", (int64_t)4);
	assert_non_null(inner);
	assert_ptr_not_equal(inner, outer);
	assert_int_equal(db_step(inner, &e), DB_ROW);
	assert_int_equal(db_col_int(inner, 0), 4);

	/* and a third level */
	db_stmt *third = db_query(f->d, &e, sql, "i", (int64_t)5);
	assert_non_null(third);
	assert_ptr_not_equal(third, outer);
	assert_ptr_not_equal(third, inner);
	assert_int_equal(db_step(third, &e), DB_ROW);
	assert_int_equal(db_col_int(third, 0), 5);
	assert_int_equal(db_step(third, &e), DB_DONE);
	db_reset(third);

	assert_int_equal(db_step(inner, &e), DB_ROW);
	assert_int_equal(db_col_int(inner, 0), 5);
	assert_int_equal(db_step(inner, &e), DB_DONE);
	db_reset(inner);

	/* the outer one went on undisturbed */
	int64_t seen[8], n = 0;
	seen[n++] = db_col_int(outer, 0);
	int rc;
	while ((rc = db_step(outer, &e)) == DB_ROW)
		seen[n++] = db_col_int(outer, 0);
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(seen[i], i + 2);
	db_reset(outer);

	/* given back, the cached statement serves again, repeatedly */
	for (int round = 0; round < 3; round++) {
		db_stmt *s = db_query(f->d, &e, sql, "i", (int64_t)(3 + round));
		assert_non_null(s);
		assert_int_equal(db_step(s, &e), DB_ROW);
		assert_int_equal(db_col_int(s, 0), 3 + round);
		db_reset(s);
	}
	db_reset(NULL); /* harmless */
}

static void test_cache_many_statements(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* enough distinct SQL texts to make the cache grow, each still right */
	char sql[64];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 300; i++) {
			int64_t v = -1;
			snprintf(sql, sizeof sql, "SELECT %d + $1", i);
			assert_int_equal(db_one_int(f->d, &e, &v, sql, "i", (int64_t)round), 0);
			assert_int_equal(v, i + round);
		}
	}
}

static void test_wrong_type_count(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* too few */
	assert_null(db_query(f->d, &e, "SELECT $1, $2", "i", (int64_t)1));
	assert_int_equal(e.code, RP_EDB);
	assert_non_null(strstr(e.msg, "SELECT $1, $2"));
	/* too many */
	memset(&e, 0, sizeof e);
	assert_null(db_query(f->d, &e, "SELECT $1", "ii", (int64_t)1, (int64_t)2));
	assert_int_equal(e.code, RP_EDB);
	/* none given for one */
	memset(&e, 0, sizeof e);
	assert_null(db_query(f->d, &e, "SELECT $1", ""));
	assert_int_equal(e.code, RP_EDB);
	memset(&e, 0, sizeof e);
	assert_null(db_query(f->d, &e, "SELECT $1", NULL));
	assert_int_equal(e.code, RP_EDB);
	/* the conveniences say the same */
	memset(&e, 0, sizeof e);
	assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x) VALUES ($1)", "", 0), RP_EDB);
	int64_t v = 0;
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT $1 + $2", "i", (int64_t)1), RP_EDB);
	assert_int_equal(count(f->d, "SELECT count(*) FROM t"), 0);
	/* and the statement is usable right after, with the right count */
	db_stmt *s = db_query(f->d, &e, "SELECT $1, $2", "ii", (int64_t)1, (int64_t)2);
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_int_equal(db_col_int(s, 1), 2);
	db_reset(s);
}

/* The error of sql, from db_prepare or else from its first db_step. */
static int bad_sql(db *d, const char *sql, rp_err *e)
{
	db_stmt *s = db_prepare(d, sql, e);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	db_reset(s);
	return rc;
}

static void test_bad_sql(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	/* SQLite compiles at prepare; PostgreSQL's statements reach the server
	** at their first step (when the parameters' types are known).  Either
	** way the error comes before any row. */
	assert_int_equal(bad_sql(f->d, "SELEKT 1", &e), RP_EDB);
	memset(&e, 0, sizeof e);
	assert_int_equal(bad_sql(f->d, "SELECT * FROM no_such_table WHERE a = 1", &e), RP_EDB);
	assert_non_null(strstr(e.msg, "no_such_table"));
	assert_int_equal(db_exec(f->d, "CREATE TABLE t2 (a INTEGER); CREATE TABLE t2 (a INTEGER)", &e), RP_EDB);
	int64_t v = 0;
	assert_int_equal(db_one_int(f->d, &e, &v, "SELECT x FROM t WHERE x = $1", "i", (int64_t)7),
			 RP_ENOTFOUND);
	assert_int_equal(e.code, RP_ENOTFOUND);
}

/* ---- transactions ------------------------------------------------------------- */

static void insert(db *d, int64_t x)
{
	rp_err e = {0};
	if (db_run(d, &e, "INSERT INTO t(x) VALUES ($1)", "i", x))
		fail_msg("insert %lld: %s", (long long)x, e.msg);
}

static int64_t sum_x(db *d) { return count(d, "SELECT coalesce(sum(x), 0) FROM t"); }

static void test_nested_inner_rollback(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 1);
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 10);
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 100);
	db_rollback(f->d); /* undoes 100 only */
	insert(f->d, 1000);
	assert_int_equal(db_commit(f->d, &e), 0); /* keeps 10 and 1000 in the outer */
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 10000);
	db_rollback(f->d); /* undoes 10000 only */
	insert(f->d, 100000);
	assert_int_equal(sum_x(f->d), 101011);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(sum_x(f->d), 101011);
	/* committed for real: a new connection sees it */
	db *other = NULL;
	assert_int_equal(db_open(f->path, 0, &other, &e), 0);
	assert_int_equal(sum_x(other), 101011);
	db_close(other);
	/* and no transaction is left open */
	assert_int_equal(db_commit(f->d, &e), RP_EDB);
}

static void test_nested_outer_rollback(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	insert(f->d, 1);
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 2);
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 4);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 8);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(sum_x(f->d), 15);
	db_rollback(f->d);
	assert_int_equal(sum_x(f->d), 1);
	db_rollback(f->d); /* nothing open: harmless */
	assert_int_equal(sum_x(f->d), 1);
	/* the connection goes on normally */
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 16);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(sum_x(f->d), 17);
}

static void test_close_rolls_back(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	insert(f->d, 1);
	db *other = NULL;
	assert_int_equal(db_open(f->path, 0, &other, &e), 0);
	assert_int_equal(db_begin(other, &e), 0);
	assert_int_equal(db_begin(other, &e), 0);
	insert(other, 2);
	db_close(other); /* with two levels open */
	assert_int_equal(sum_x(f->d), 1);
	insert(f->d, 4); /* the write lock was released */
	assert_int_equal(sum_x(f->d), 5);
}

static void test_unique_violation(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	insert(f->d, 7);
	assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x) VALUES ($1)", "i", (int64_t)7), RP_ECONFLICT);
	assert_int_equal(e.code, RP_ECONFLICT);
	/* a primary key too */
	assert_int_equal(db_run(f->d, &e, "INSERT INTO setting(key, value) VALUES ('k', '1')", ""), 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(db_run(f->d, &e, "INSERT INTO setting(key, value) VALUES ('k', '2')", ""),
			 RP_ECONFLICT);
	/* and a broken foreign key */
	memset(&e, 0, sizeof e);
	assert_int_equal(db_run(f->d, &e,
				"INSERT INTO fact(contact_id, body, created_at) VALUES (999, 'x', 0)", ""),
			 RP_ECONFLICT);
	/* inside a savepoint, the failure leaves the outer writes alone */
	assert_int_equal(db_begin(f->d, &e), 0);
	insert(f->d, 8);
	assert_int_equal(db_begin(f->d, &e), 0);
	assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x) VALUES ($1)", "i", (int64_t)8), RP_ECONFLICT);
	db_rollback(f->d);
	assert_int_equal(db_commit(f->d, &e), 0);
	assert_int_equal(sum_x(f->d), 15);
	/* a CHECK rule is bad input, not a conflict */
	assert_int_equal(db_run(f->d, &e, "INSERT INTO t(x) VALUES (NULL)", ""), RP_EINVAL);
	assert_int_equal(db_run(f->d, &e, "UPDATE t SET note = 'n'", ""), 0);
	assert_int_equal(db_changes(f->d), 2);
}

/* ---- migrations ------------------------------------------------------------------ */

static const db_migration mig[] = {
	{1, "first", "CREATE TABLE a (v INTEGER); INSERT INTO a VALUES (1);", {NULL}, {NULL}},
	{2, "second", "CREATE TABLE b (w TEXT); INSERT INTO a VALUES (2);",
	 {"postgres", "sqlite"},
	 {"INSERT INTO a VALUES (1000);", "INSERT INTO b VALUES ('sqlite only');"}},
	{5, "third", "INSERT INTO a VALUES (5);", {NULL}, {NULL}},
	/* fails half way: its first statements ran */
	{6, "broken", "INSERT INTO a VALUES (6); CREATE TABLE c (z INTEGER); INSERT INTO nope VALUES (1);",
	 {NULL}, {NULL}},
};

static void test_migrate(void **state)
{
	(void)state;
	char path[TEST_PATH];
	test_target(path);
	db *d = NULL;
	rp_err e = {0};
	assert_int_equal(db_open(path, 1, &d, &e), 0);
	/* migration 2 has a part for each engine: only this one's runs */
	int pg = test_pg() != NULL;
	assert_string_equal(db_engine(d), pg ? "postgres" : "sqlite");
	int64_t other = pg ? 1000 : 0;
	int v = -1, applied = -1;
	assert_int_equal(db_version(d, &v, &e), 0);
	assert_int_equal(v, 0);

	/* the first two, once */
	assert_int_equal(db_migrate(d, mig, 2, &applied, &e), 0);
	assert_int_equal(applied, 2);
	assert_int_equal(db_version(d, &v, &e), 0);
	assert_int_equal(v, 2);
	assert_int_equal(count(d, "SELECT sum(v) FROM a"), 3 + other);
	assert_int_equal(count(d, "SELECT count(*) FROM b WHERE w = 'sqlite only'"), pg ? 0 : 1);

	/* again: nothing to do */
	applied = -1;
	assert_int_equal(db_migrate(d, mig, 2, &applied, &e), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(count(d, "SELECT sum(v) FROM a"), 3 + other);
	assert_int_equal(db_migrate(d, mig, 2, NULL, &e), 0);

	/* a longer list applies only the new one */
	assert_int_equal(db_migrate(d, mig, 3, &applied, &e), 0);
	assert_int_equal(applied, 1);
	assert_int_equal(db_version(d, &v, &e), 0);
	assert_int_equal(v, 5);
	assert_int_equal(count(d, "SELECT sum(v) FROM a"), 8 + other);

	/* a store newer than the list is refused, untouched */
	memset(&e, 0, sizeof e);
	assert_int_equal(db_migrate(d, mig, 2, &applied, &e), RP_EDB);
	assert_int_equal(e.code, RP_EDB);
	assert_non_null(strstr(e.msg, "version 5"));
	assert_int_equal(count(d, "SELECT sum(v) FROM a"), 8 + other);

	/* a failing migration leaves the version and the data as they were */
	memset(&e, 0, sizeof e);
	assert_int_not_equal(db_migrate(d, mig, 4, &applied, &e), 0);
	assert_non_null(strstr(e.msg, "migration 6"));
	assert_non_null(strstr(e.msg, "broken"));
	assert_int_equal(db_version(d, &v, &e), 0);
	assert_int_equal(v, 5);
	assert_int_equal(count(d, "SELECT sum(v) FROM a"), 8 + other);
	assert_int_equal(count(d, pg ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'c'"
				     : "SELECT count(*) FROM sqlite_master WHERE name = 'c'"),
			 0);
	/* and nothing is left open */
	assert_int_equal(db_commit(d, &e), RP_EDB);
	db_close(d);

	/* the version is what a new connection sees too */
	assert_int_equal(db_open(path, 0, &d, &e), 0);
	assert_int_equal(db_version(d, &v, &e), 0);
	assert_int_equal(v, 5);
	applied = -1;
	assert_int_equal(db_migrate(d, mig, 3, &applied, &e), 0);
	assert_int_equal(applied, 0);
	db_close(d);
	test_target_free(path);
}

static void test_store_migrations(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	int v = 0, applied = -1;
	assert_int_equal(db_version(f->d, &v, &e), 0);
	assert_int_equal(v, rp_migrations[rp_nmigrations - 1].version);
	assert_int_equal(db_migrate(f->d, rp_migrations, rp_nmigrations, &applied, &e), 0);
	assert_int_equal(applied, 0);
}

/* ---- opening ---------------------------------------------------------------------- */

static void test_open_missing(void **state)
{
	(void)state;
	sqlite_only();
	char path[TEST_PATH];
	test_target(path);
	db *d = NULL;
	rp_err e = {0};
	assert_int_equal(db_open(path, 0, &d, &e), RP_ENOTFOUND);
	assert_int_equal(e.code, RP_ENOTFOUND);
	assert_null(d);
	assert_int_equal(access(path, F_OK), -1); /* not created */

	memset(&e, 0, sizeof e);
	assert_int_equal(store_open(path, 0, &d, &e), RP_ENOTFOUND);
	assert_null(d);

	/* in a directory that does not exist, even with create */
	memset(&e, 0, sizeof e);
	assert_int_not_equal(db_open("/nonexistent-rapport-dir/x.db", 1, &d, &e), 0);
	assert_int_not_equal(e.code, 0);
	assert_null(d);

	/* a PostgreSQL URL where no server listens (port 1): an error, nothing open */
	memset(&e, 0, sizeof e);
	assert_int_not_equal(db_open("postgres://rapport@127.0.0.1:1/x", 0, &d, &e), 0);
	assert_int_not_equal(e.code, 0);
	assert_null(d);
}

static void test_open_not_a_database(void **state)
{
	(void)state;
	sqlite_only();
	char path[TEST_PATH];
	snprintf(path, sizeof path, "/tmp/rapport-notadb-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fprintf(fp, "name,email\nАнна,anna@example.org line %d\n", i);
	fclose(fp);

	db *d = NULL;
	rp_err e = {0};
	int rc = db_open(path, 0, &d, &e);
	assert_int_equal(rc, RP_EINVAL);
	assert_int_equal(e.code, rc);
	assert_non_null(strstr(e.msg, "not a rapport database"));
	assert_null(d);

	memset(&e, 0, sizeof e);
	rc = store_open(path, 1, &d, &e);
	assert_int_not_equal(rc, 0);
	assert_int_equal(e.code, rc);
	assert_null(d);
	test_target_free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_placeholders_by_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_placeholders_in_literals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_nested_borrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_many_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_type_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_inner_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_outer_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_violation, setup, teardown),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test_setup_teardown(test_store_migrations, setup, teardown),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_open_not_a_database),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
