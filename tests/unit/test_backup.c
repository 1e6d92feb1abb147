/* db/: the backup capability, on the engine the tests run on. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

static void backup_name(char *out, size_t n, const char *ext)
{
	snprintf(out, n, "/tmp/rapport-unit-backup-%d%s", (int)getpid(), ext);
}

static void round_trip(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e = {0};
	assert_int_equal(test_import(f->d, "contacts", "name,tags\nAnn Lee,a\nBo Wu,b\n", (import_opts){0}, &rep, &e), 0);
	json_decref(rep);
	char file[128], tmp[160];
	backup_name(file, sizeof file, "");
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	int version = 0, read_back = 0;
	if (db_backup(f->d, file, &version, &e))
		fail_msg("db_backup: %s", e.msg);
	assert_int_equal(version, rp_migrations[rp_nmigrations - 1].version);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(db_backup_version(f->d, file, &read_back, &e), 0);
	assert_int_equal(read_back, version);

	char path[TEST_PATH];
	db *to = test_store(path);
	if (db_restore(to, file, &e))
		fail_msg("db_restore: %s", e.msg);
	assert_int_equal(table_rows(to, "contact"), 2);
	assert_int_equal(table_rows(to, "contact_tag"), 2);
	test_store_close(to, path);
	unlink(file);
}

static void refuses_what_is_no_backup(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	char file[128];
	int version = 0;
	backup_name(file, sizeof file, ".junk");
	unlink(file);
	assert_int_equal(db_backup_version(f->d, file, &version, &e), RP_ENOTFOUND);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("not a backup at all, just some words in a file\n", fp);
	fclose(fp);
	assert_int_equal(db_backup_version(f->d, file, &version, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "not a rapport backup"));
	/* a restore of it changes nothing */
	assert_int_not_equal(db_restore(f->d, file, &e), 0);
	assert_int_equal(table_rows(f->d, "contact"), 0);
	unlink(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_what_is_no_backup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
