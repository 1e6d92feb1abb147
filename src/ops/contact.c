/* rapport contact add|show|list|edit|rm, date add, relate. */
#include "ops/ops.h"

static void fill(json_t *args, contact_in *in, const char *slots[10][ARG_LIST_MAX])
{
	in->name = arg_str(args, "name");
	in->address = arg_str(args, "address");
	in->tier = arg_str(args, "tier");
	in->owner = arg_str(args, "owner");
	in->note = arg_str(args, "note");
	in->birthday = arg_str(args, "birthday");
	in->email = arg_list(args, "email", slots[0], ARG_LIST_MAX);
	in->phone = arg_list(args, "phone", slots[1], ARG_LIST_MAX);
	in->messenger = arg_list(args, "messenger", slots[2], ARG_LIST_MAX);
	in->postal = arg_list(args, "postal", slots[3], ARG_LIST_MAX);
	in->tag = arg_list(args, "tag", slots[4], ARG_LIST_MAX);
	in->rm_email = arg_list(args, "rm_email", slots[5], ARG_LIST_MAX);
	in->rm_phone = arg_list(args, "rm_phone", slots[6], ARG_LIST_MAX);
	in->rm_messenger = arg_list(args, "rm_messenger", slots[7], ARG_LIST_MAX);
	in->rm_postal = arg_list(args, "rm_postal", slots[8], ARG_LIST_MAX);
	in->rm_tag = arg_list(args, "rm_tag", slots[9], ARG_LIST_MAX);
	in->unsuppress = arg_flag(args, "unsuppress");
}

int op_contact_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	contact_in in = {0};
	const char *slots[10][ARG_LIST_MAX];
	fill(args, &in, slots);
	int64_t id;
	int rc = contact_add(c->db, &in, &id, e);
	if (!rc) {
		/* The audit row names the contact made, so that an erasure finds
		** it even after the name has changed. */
		char ref[24];
		snprintf(ref, sizeof ref, "%lld", (long long)id);
		json_object_set_new(args, "contact", json_string(ref));
		rc = contact_card(c->db, id, result, e);
	}
	return rc;
}

int op_contact_edit(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	contact_in in = {0};
	const char *slots[10][ARG_LIST_MAX];
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (rc)
		return rc;
	fill(args, &in, slots);
	if (!(rc = contact_edit(c->db, id, &in, e)))
		rc = contact_card(c->db, id, result, e);
	return rc;
}

int op_contact_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : contact_card(c->db, id, result, e);
}

int op_contact_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	contact_filter f = {arg_str(args, "name"), arg_str(args, "tag"), arg_str(args, "tier"),
			    arg_str(args, "owner"), arg_int(args, "limit", 50), arg_int(args, "offset", 0)};
	if (f.limit < 1 || f.limit > 100000 || f.offset < 0)
		return rp_errf(e, RP_EINVAL, "--limit must be 1 to 100000 and --offset not negative");
	return contact_list(c->db, &f, result, e);
}

int op_contact_rm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	json_t *card;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (rc || (rc = contact_card(c->db, id, &card, e)))
		return rc;
	if (!(rc = contact_rm(c->db, id, e)))
		*result = json_pack("{s:I,s:O,s:b}", "id", (json_int_t)id, "name", json_object_get(card, "name"),
				    "removed", 1);
	json_decref(card);
	return rc;
}

int op_date_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (!rc)
		rc = contact_date_add(c->db, id, arg_str(args, "kind") ? arg_str(args, "kind") : "anniversary",
				      arg_str(args, "date"), arg_str(args, "label"), e);
	return rc ? rc : contact_card(c->db, id, result, e);
}

int op_relate(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t a, b;
	int rc;
	if ((rc = arg_contact(c, args, "contact", &a, e)) || (rc = arg_contact(c, args, "other", &b, e)))
		return rc;
	if ((rc = relation_add(c->db, a, b, arg_str(args, "kind"), arg_str(args, "note"), e)))
		return rc;
	return contact_card(c->db, a, result, e);
}
