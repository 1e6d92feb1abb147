/* rapport webhook add|list|rm|log|deliver: other systems hear what happens. */
#include "ops/ops.h"

int op_webhook_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return webhook_add(c->db, arg_str(args, "url"), arg_str(args, "events"), arg_str(args, "secret"), c->user,
			   result, e);
}

int op_webhook_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return webhook_list(c->db, result, e);
}

int op_webhook_rm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "id", 0);
	int rc = webhook_rm(c->db, id, e);
	if (!rc)
		*result = json_pack("{s:I}", "removed", (json_int_t)id);
	return rc;
}

int op_webhook_log(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return webhook_log(c->db, arg_int(args, "webhook", 0), arg_int(args, "limit", 100), result, e);
}

int op_webhook_deliver(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return webhook_deliver(c->db, result, e);
}
