/* rapport trust record|show: the ledger of the repeated game with a client. */
#include "ops/ops.h"

#include <string.h>

int op_trust_record(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	trust_in in = {.by = arg_str(args, "by"), .act = arg_str(args, "act"), .text = arg_str(args, "text"),
		       .on = arg_str(args, "on"), .interaction = arg_int(args, "interaction", 0), .user = c->user};
	if (json_object_get(args, "interaction") && in.interaction <= 0)
		return rp_errf(e, RP_EINVAL, "--interaction must be the id of one of the contact's interactions");
	int64_t id = 0;
	json_t *t = NULL;
	int rc = arg_contact(c, args, "contact", &in.contact_id, e);
	if (!rc)
		rc = trust_record(c->db, &in, &id, e);
	if (!rc)
		rc = trust_show(c->db, in.contact_id, c->lang, &t, e);
	if (rc)
		return rc;
	/* The act as the ledger lists it, with its contact and where the relationship now stands. */
	size_t i;
	json_t *a;
	*result = NULL;
	json_array_foreach(json_object_get(t, "acts"), i, a)
	{
		if (json_integer_value(json_object_get(a, "id")) != id)
			continue;
		*result = json_copy(a);
		json_object_set(*result, "contact", json_object_get(t, "contact"));
		json_object_set(*result, "state", json_object_get(t, "state"));
		json_object_set(*result, "recommendation", json_object_get(t, "recommendation"));
		break;
	}
	json_decref(t);
	return *result ? 0 : rp_errf(e, RP_EDB, "act %lld was recorded but cannot be read back", (long long)id);
}

int op_trust_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : trust_show(c->db, id, c->lang, result, e);
}
