/* rapport complaint open|answer|resolve|list|show|report: complaints and
** how fast and how well they were answered. */
#include "ops/ops.h"

/* Writes answer with the complaint as it now stands. */
static int shown(op_ctx *c, int64_t id, int rc, json_t **result, rp_err *e)
{
	return rc ? rc : complaint_show(c->db, id, result, e);
}

int op_complaint_open(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	complaint_in in = {.text = arg_str(args, "text"), .channel = arg_str(args, "channel"),
			   .from = arg_int(args, "from", 0), .duty = arg_str(args, "duty"), .by = c->user};
	if (json_object_get(args, "from") && in.from <= 0)
		return rp_errf(e, RP_EINVAL, "--from must be the id of one of the contact's interactions");
	int64_t id = 0;
	int rc = arg_contact(c, args, "contact", &in.contact_id, e);
	if (!rc)
		rc = complaint_open(c->db, &in, &id, e);
	return shown(c, id, rc, result, e);
}

int op_complaint_answer(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "complaint", 0);
	return shown(c, id, complaint_answer(c->db, id, arg_str(args, "text"), arg_flag(args, "apology"), c->user, e),
		     result, e);
}

int op_complaint_resolve(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "complaint", 0);
	complaint_resolution in = {.resolution = arg_str(args, "resolution"), .make_good = arg_str(args, "make_good"),
				   .cost = arg_str(args, "cost"), .currency = arg_str(args, "currency"),
				   .apology = arg_flag(args, "apology"), .by = c->user};
	return shown(c, id, complaint_resolve(c->db, id, &in, e), result, e);
}

int op_complaint_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t contact = 0;
	int rc = arg_str(args, "contact") ? arg_contact(c, args, "contact", &contact, e) : 0;
	if (!rc && json_object_get(args, "limit") && arg_int(args, "limit", 0) <= 0)
		rc = rp_errf(e, RP_EINVAL, "--limit must be a positive number of complaints");
	return rc ? rc
		  : complaint_list(c->db, arg_flag(args, "open"), contact, arg_int(args, "limit", 100), result, e);
}

int op_complaint_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return complaint_show(c->db, arg_int(args, "complaint", 0), result, e);
}

int op_complaint_report(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return complaint_report(c->db, arg_str(args, "since"), result, e);
}
