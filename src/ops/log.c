/* rapport log: record an interaction; rapport timeline: read them. */
#include "ops/ops.h"

#include <string.h>

int op_log(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	interaction_in in = {.minutes = -1};
	int rc = arg_contact(c, args, "contact", &in.contact_id, e);
	if (rc)
		return rc;
	in.kind = arg_str(args, "kind") ? arg_str(args, "kind") : "note";
	in.direction = arg_str(args, "direction");
	in.summary = arg_str(args, "summary");
	in.by = arg_str(args, "by") ? arg_str(args, "by") : c->user;
	/* Whose work an interaction was counts (cost to serve, the agenda): a
	** staff member records their own; a manager may record a colleague's. */
	if (c->who && c->who->role < ROLE_MANAGER && in.by && strcmp(in.by, c->who->login))
		return rp_errf(e, RP_EDENIED, "recording an interaction by %s needs the role manager; leave \"by\" out "
			       "to record your own", in.by);
	in.currency = arg_str(args, "currency");
	in.minutes = arg_int(args, "minutes", -1);
	if (json_object_get(args, "minutes") && in.minutes < 0)
		return rp_errf(e, RP_EINVAL, "--minutes cannot be negative");
	const char *v;
	in.at = rp_now();
	if ((v = arg_str(args, "at")) && rp_ts_parse(v, &in.at) < 0)
		return rp_errf(e, RP_EINVAL, "--at \"%s\" is not a time; write 2026-11-23T10:05 or 2026-11-23", v);
	if ((v = arg_str(args, "amount"))) {
		if (rp_money_parse(v, &in.amount) < 0)
			return rp_errf(e, RP_EINVAL, "--amount \"%s\" is not a sum like 4500 or 129.99", v);
		in.has_amount = 1;
	}
	int64_t id;
	if ((rc = interaction_add(c->db, &in, &id, e)))
		return rc;
	char at[21];
	*result = json_pack("{s:I,s:I,s:s,s:s,s:s?}", "id", (json_int_t)id, "contact_id",
			    (json_int_t)in.contact_id, "kind", in.kind, "at", rp_ts_format(in.at, at), "summary",
			    in.summary);
	return 0;
}

int op_timeline(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : timeline_list(c->db, id, arg_int(args, "limit", 50), result, e);
}
