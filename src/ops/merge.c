/* ops: likely duplicates, merging two contacts, and undoing a merge. */
#include "ops/ops.h"

int op_dupes(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return dupes_find(c->db, (int)arg_int(args, "limit", 100), result, e);
}

int op_dupes_dismiss(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t a, b;
	int rc;
	if ((rc = arg_contact(c, args, "contact", &a, e)) || (rc = arg_contact(c, args, "other", &b, e)))
		return rc;
	if ((rc = dupes_dismiss(c->db, a, b, c->user, e)))
		return rc;
	*result = json_pack("{s:I,s:I,s:b}", "a", (json_int_t)(a < b ? a : b), "b", (json_int_t)(a < b ? b : a),
			    "dismissed", 1);
	return 0;
}

/* The merge's answer: the kept contact's card, the duplicate's id and the
** journal's id that 'merge undo' takes. */
static int merged(op_ctx *c, const char *keep_arg, json_t *args, json_t **result, rp_err *e)
{
	int64_t keep, other, id = 0;
	int rc = arg_contact(c, args, keep_arg, &keep, e);
	if (!rc)
		rc = arg_contact(c, args, "other", &other, e);
	if (!rc)
		rc = merge_contacts(c->db, keep, other, c->user, &id, e);
	if (!rc)
		rc = contact_card(c->db, keep, result, e);
	if (!rc) {
		json_object_set_new(*result, "merged", json_integer(other));
		json_object_set_new(*result, "merge_id", json_integer(id));
	}
	return rc;
}

int op_contact_merge(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return merged(c, "contact", args, result, e);
}

int op_merge(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return merged(c, "keep", args, result, e);
}

int op_merge_undo(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "merge", 0), keep = 0, other = 0;
	int rc = merge_undo(c->db, id, &keep, &other, e);
	if (!rc)
		*result = json_pack("{s:I,s:b,s:I,s:I}", "merge_id", (json_int_t)id, "undone", 1, "keep", (json_int_t)keep,
				    "restored", (json_int_t)other);
	return rc;
}

int op_merge_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return merge_list(c->db, (int)arg_int(args, "limit", 50), result, e);
}
