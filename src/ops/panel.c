/* rapport panel add|rm|list|coverage: the clients interviewed on a cadence. */
#include "ops/ops.h"

int op_panel_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id, cadence = arg_int(args, "cadence", 0);
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : panel_add(c->db, id, json_object_get(args, "cadence") ? &cadence : NULL, c->user, result, e);
}

int op_panel_rm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : panel_rm(c->db, id, result, e);
}

int op_panel_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	rp_date t = rp_today();
	return panel_list(c->db, rp_days_from_civil(t.y, t.m, t.d), result, e);
}

int op_panel_coverage(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return panel_coverage(c->db, arg_str(args, "from"), arg_str(args, "to"), arg_str(args, "by"), result, e);
}
