/* Opening the store, and settings. */
#include "rapport.h"

#include <stdlib.h>
#include <string.h>

int store_open(const char *target, int create, db **out, rp_err *e)
{
	db *d;
	int rc = db_open(target, create, &d, e);
	if (rc)
		return rc;
	if ((rc = db_migrate(d, rp_migrations, rp_nmigrations, NULL, e))) {
		db_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

int setting_int(db *d, const char *key, int64_t dflt, int64_t *out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT value FROM setting WHERE key = $1", "t", key);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	*out = dflt;
	if (rc == DB_ROW) {
		char *end;
		const char *v = db_col_text(s, 0);
		long long n = strtoll(v, &end, 10);
		if (*v && !*end)
			*out = n;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_reset(s);
	return rc;
}

int setting_text(db *d, const char *key, const char *dflt, char **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT value FROM setting WHERE key = $1", "t", key);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc = db_step(s, e);
	const char *v = rc == DB_ROW ? db_col_text(s, 0) : dflt;
	*out = NULL;
	if ((rc == DB_ROW || rc == DB_DONE) && v && !(*out = strdup(v)))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	else if (rc == DB_ROW || rc == DB_DONE)
		rc = 0;
	db_reset(s);
	return rc;
}

int setting_set(db *d, const char *key, const char *value, rp_err *e)
{
	return db_run(d, e,
		      "INSERT INTO setting(key, value) VALUES ($1, $2)"
		      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		      "tt", key, value);
}

int setting_list(db *d, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT key, value FROM setting ORDER BY key", "");
	if (!s)
		return e->code;
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_object_set_new(o, db_col_text(s, 0), json_string(db_col_text(s, 1)));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
