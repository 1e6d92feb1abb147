/* Shared by the unit tests: cmocka, and a fresh store per test. */
#ifndef RP_TESTLIB_H
#define RP_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rapport.h"

/* The paths of the stores under test: a file name or a postgres:// URL. */
#define TEST_PATH 256

/* The PostgreSQL server the tests run against (tests/pg sets it, as a URL
** without a database name), or NULL for SQLite files. */
static inline const char *test_pg(void)
{
	const char *url = getenv("RAPPORT_TEST_PG");
	return url && *url ? url : NULL;
}

/* On PostgreSQL each store a test holds open at once is its own database:
** rapport_unit, rapport_unit_1, ...  A bit per database in use. */
static unsigned test_pg_busy;

static inline void test_pg_url(char path[TEST_PATH], int slot)
{
	if (slot)
		snprintf(path, TEST_PATH, "%s/rapport_unit_%d", test_pg(), slot);
	else
		snprintf(path, TEST_PATH, "%s/rapport_unit", test_pg());
}

/* A fresh target for db_open(path, 1, ...): on SQLite a temporary file
** name that does not exist yet; on PostgreSQL a database emptied of every
** table, sequence and function.  test_target_free gives it back. */
static inline void test_target(char path[TEST_PATH])
{
	if (!test_pg()) {
		snprintf(path, TEST_PATH, "/tmp/rapport-unit-XXXXXX");
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		unlink(path);
		return;
	}
	int slot = 0;
	while (slot < 16 && test_pg_busy & 1u << slot)
		slot++;
	if (slot == 16)
		fail_msg("more than 16 PostgreSQL stores open at once");
	test_pg_url(path, slot);
	db *d = NULL;
	rp_err e = {0};
	/* made on first use, as a SQLite file would be */
	if (db_open(path, 1, &d, &e))
		fail_msg("db_open %s: %s", path, e.msg);
	int rc = db_exec(d, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public", &e);
	db_close(d);
	if (rc)
		fail_msg("emptying %s: %s", path, e.msg);
	test_pg_busy |= 1u << slot;
}

static inline void test_target_free(const char *path)
{
	if (!test_pg()) {
		static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
		char p[TEST_PATH + 16];
		for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
			snprintf(p, sizeof p, "%s%s", path, suffix[i]);
			unlink(p);
		}
		return;
	}
	/* the database stays, to be emptied by the next test that takes it */
	char url[TEST_PATH];
	for (int slot = 0; slot < 16; slot++) {
		test_pg_url(url, slot);
		if (!strcmp(url, path))
			test_pg_busy &= ~(1u << slot);
	}
}

/* A new, migrated store; given back by test_store_close. */
static inline db *test_store(char path[TEST_PATH])
{
	test_target(path);
	db *d = NULL;
	rp_err e = {0};
	int rc = store_open(path, 1, &d, &e);
	if (rc)
		fail_msg("store_open: %s", e.msg);
	return d;
}

static inline void test_store_close(db *d, const char path[TEST_PATH])
{
	db_close(d);
	test_target_free(path);
}

/* How many rows a table holds (a test's "nothing was written" check). */
static inline int64_t table_rows(db *d, const char *table)
{
	char sql[128];
	rp_err e = {0};
	int64_t n = -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (db_one_int(d, &e, &n, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
	return n;
}

static inline int test_strcmp_ptr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every row of every table of rp_tables but those in skip (NULL-ended, or
** NULL), as sorted text: two dumps are equal when the stores hold the same
** rows, byte for byte.  The caller frees it. */
static inline char *test_dump(db *d, const char *const *skip)
{
	rp_buf b = {0};
	rp_err e = {0};
	for (int i = 0; i < rp_ntables; i++) {
		int skipped = 0;
		for (int k = 0; skip && skip[k]; k++)
			skipped |= !strcmp(rp_tables[i].name, skip[k]);
		if (skipped)
			continue;
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT * FROM %s", rp_tables[i].name);
		db_stmt *s = db_query(d, &e, sql, "");
		if (!s)
			fail_msg("%s: %s", sql, e.msg);
		json_t *rows = json_array();
		int rc;
		while ((rc = db_step(s, &e)) == DB_ROW) {
			rp_buf r = {0};
			for (int c = 0; c < db_col_count(s); c++)
				rp_buf_printf(&r, "%s=%s|", db_col_name(s, c), db_col_null(s, c) ? "NULL" : db_col_text(s, c));
			json_array_append_new(rows, json_string(r.p ? r.p : ""));
			rp_buf_free(&r);
		}
		db_reset(s);
		if (rc != DB_DONE)
			fail_msg("%s: %s", sql, e.msg);
		/* in a set's order, whatever order the engine gives */
		size_t n = json_array_size(rows);
		const char **v = calloc(n + 1, sizeof *v);
		for (size_t k = 0; k < n; k++)
			v[k] = json_string_value(json_array_get(rows, k));
		qsort(v, n, sizeof *v, test_strcmp_ptr);
		rp_buf_printf(&b, "== %s\n", rp_tables[i].name);
		for (size_t k = 0; k < n; k++)
			rp_buf_printf(&b, "%s\n", v[k]);
		free(v);
		json_decref(rows);
	}
	return b.p;
}

/* len bytes as a readable stream (an uploaded file, a pipe). */
static inline FILE *test_stream(const char *bytes, size_t len)
{
	FILE *fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	rewind(fp);
	return fp;
}

/* Import csv as `what` with options o; *rep gets the report (or NULL). */
static inline int test_import(db *d, const char *what, const char *csv, import_opts o, json_t **rep, rp_err *e)
{
	FILE *in = test_stream(csv, strlen(csv));
	*rep = NULL;
	memset(e, 0, sizeof *e);
	int rc = import_csv(d, what, in, &o, rep, e);
	fclose(in);
	return rc;
}

/* The usual fixture: a fresh store per test in state, and the clock fixed
** at TEST_DAY when the test file defines it before including this. */
typedef struct fx {
	db *d;
	char path[TEST_PATH];
} fx;

#ifdef TEST_DAY
static int setup(void **state)
{
	setenv("RAPPORT_TODAY", TEST_DAY, 1);
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->d = test_store(f->path);
	*state = f;
	return 0;
}
#endif

static inline int teardown(void **state)
{
	fx *f = *state;
	test_store_close(f->d, f->path);
	free(f);
#ifdef TEST_DAY
	setenv("RAPPORT_TODAY", TEST_DAY, 1); /* a test may have moved the clock */
#endif
	return 0;
}

#endif
