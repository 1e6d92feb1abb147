/* rapport fact add|done: facts worth remembering, with follow-ups. */
#include "ops/ops.h"

int op_fact_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t cid, id;
	int rc = arg_contact(c, args, "contact", &cid, e);
	if (!rc)
		rc = fact_add(c->db, cid, arg_str(args, "text"), arg_str(args, "follow_up"), c->user, &id, e);
	if (!rc)
		*result = json_pack("{s:I,s:I,s:s,s:s?}", "id", (json_int_t)id, "contact_id", (json_int_t)cid,
				    "text", arg_str(args, "text"), "follow_up", arg_str(args, "follow_up"));
	return rc;
}

int op_fact_done(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "fact", 0);
	int rc = fact_done(c->db, id, e);
	if (!rc)
		*result = json_pack("{s:I,s:b}", "id", (json_int_t)id, "done", 1);
	return rc;
}
