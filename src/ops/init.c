/* rapport init: create a store, or bring an existing one up to date. */
#include "ops/ops.h"

#include <unistd.h>

int op_init(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	int existed = access(c->db_target, F_OK) == 0;
	db *d;
	int rc = db_open(c->db_target, 1, &d, e), applied = 0, version = 0;
	if (rc)
		return rc;
	rc = db_migrate(d, rp_migrations, rp_nmigrations, &applied, e);
	if (!rc)
		rc = db_version(d, &version, e);
	db_close(d);
	if (rc)
		return rc;
	*result = json_pack("{s:s,s:b,s:i,s:i}", "db", c->db_target, "created", !existed,
			    "schema_version", version, "migrations_applied", applied);
	return 0;
}
