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

/* A new, migrated store in a temporary file; removed by test_store_close. */
static inline db *test_store(char path[64])
{
	snprintf(path, 64, "/tmp/rapport-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	db *d = NULL;
	rp_err e = {0};
	int rc = store_open(path, 1, &d, &e);
	if (rc)
		fail_msg("store_open: %s", e.msg);
	return d;
}

static inline void test_store_close(db *d, const char path[64])
{
	char p[80];
	db_close(d);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
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

/* The usual fixture: a fresh store per test in state, and the clock fixed
** at TEST_DAY when the test file defines it before including this. */
typedef struct fx {
	db *d;
	char path[64];
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
