/* rapport init: create a store, or bring an existing one up to date. */
#include "ops/ops.h"

int op_init(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	db *d;
	int rc = db_open(c->db_target, 1, &d, e), applied = 0, version = 0, before = 0;
	if (rc)
		return rc;
	/* "created": the store had no schema yet (a new file or database). */
	rc = db_version(d, &before, e);
	if (!rc)
		rc = db_migrate(d, rp_migrations, rp_nmigrations, &applied, e);
	if (!rc)
		rc = db_version(d, &version, e);
	db_close(d);
	if (rc)
		return rc;
	char shown[1024];
	db_target_shown(c->db_target, shown, sizeof shown);
	*result = json_pack("{s:s,s:b,s:i,s:i}", "db", shown, "created", before == 0,
			    "schema_version", version, "migrations_applied", applied);
	return 0;
}
