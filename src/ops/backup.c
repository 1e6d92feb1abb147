/*
** rapport backup FILE and rapport restore FILE: a whole store into a file
** and back, through the store's backup capability (db/db.h), which writes
** whole files only and restores in one transaction.
*/
#include "ops/ops.h"

#include <string.h>
#include <sys/stat.h>

int op_backup(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *file = arg_str(args, "file");
	if (ops_same_store(file, c->db_target))
		return rp_errf(e, RP_EUSAGE, "%s is the store itself; write the backup to another file", file);
	int version = 0, rc = db_backup(c->db, file, &version, e);
	if (rc)
		return rc;
	struct stat st;
	*result = json_pack("{s:s,s:s,s:i,s:I}", "file", file, "engine", db_engine(c->db), "schema_version", version,
			    "bytes", (json_int_t)(stat(file, &st) ? 0 : st.st_size));
	return *result ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
}

/* A store may be replaced when it holds no row, or when the user says so. */
static int check_target(db *d, const char *shown, int force, int *have, rp_err *e)
{
	int rc = db_version(d, have, e);
	if (rc || !*have || force)
		return rc;
	rp_err why = {0};
	if (store_check_empty(d, &why)) {
		/* "the target is not empty: table contact has 3 rows; copy into ..." */
		const char *what = strstr(why.msg, "table ");
		int n = what ? (int)strcspn(what, ";") : 0;
		return rp_errf(e, RP_ECONFLICT, "%s already holds data (%.*s); restore into a new store, or add --force "
				"to replace it",
				shown, n ? n : 32, n ? what : "its tables could not be counted");
	}
	return 0;
}

static int restore(db *d, const char *file, const char *shown, int force, json_t **result, rp_err *e)
{
	int current = rp_migrations[rp_nmigrations - 1].version, from = 0, have = 0, applied = 0, version = 0;
	int rc = db_backup_version(d, file, &from, e);
	if (rc)
		return rc;
	if (from > current)
		return rp_errf(e, RP_EINVAL, "the backup %s is at schema version %d, newer than this rapport knows (%d); "
				"restore it with a newer rapport",
				file, from, current);
	if ((rc = check_target(d, shown, force, &have, e)))
		return rc;
	/* pg_restore replaces the objects the archive holds: tables that
	** migrations newer than the backup made would stay and break them. */
	if (!strcmp(db_engine(d), "postgres") && have > from)
		return rp_errf(e, RP_EINVAL, "%s is at schema version %d, newer than the backup's %d; restore into a "
				"new database (it is created) and run 'rapport init' on it",
				shown, have, from);
	if ((rc = db_restore(d, file, e)))
		return rc;
	if ((rc = db_migrate(d, rp_migrations, rp_nmigrations, &applied, e)) || (rc = db_version(d, &version, e)))
		return rc;
	*result = json_pack("{s:s,s:s,s:i,s:i,s:i}", "db", shown, "file", file, "backup_version", from,
			    "schema_version", version, "migrations_applied", applied);
	return *result ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
}

int op_restore(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *file = arg_str(args, "file");
	char shown[1024];
	db_target_shown(c->db_target, shown, sizeof shown);
	if (ops_same_store(file, c->db_target))
		return rp_errf(e, RP_EUSAGE, "%s is the store itself; name a backup file", file);
	db *d;
	int rc = db_open(c->db_target, 1, &d, e);
	if (rc)
		return rc;
	rc = restore(d, file, shown, arg_flag(args, "force"), result, e);
	db_close(d);
	return rc;
}
