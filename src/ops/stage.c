/*
** rapport stage: where a client stands on the permission ladder, and
** moving them.  On the command line one command does both (with --to it
** moves); over HTTP reading and moving are two routes with their own
** roles (stage show: viewer, stage move: staff).
*/
#include "ops/ops.h"

#include <string.h>

int op_stage_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : ladder_history(c->db, id, result, e);
}

/* --to names a stage by its key, or by the name it is shown with. */
static int stage_key(op_ctx *c, const char *to, const char **key, rp_err *e)
{
	*key = to;
	if (ladder_rank(to) >= 0)
		return 0;
	json_t *labels;
	int rc = ladder_labels(c->db, &labels, e);
	if (rc)
		return rc;
	const char *k;
	json_t *v;
	json_object_foreach(labels, k, v) if (!strcmp(json_string_value(v), to)) *key = ladder_stages[ladder_rank(k)];
	json_decref(labels);
	return ladder_check(*key, e);
}

int op_stage_move(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	char from[16];
	ladder_in in = {.cause = "person", .why = arg_str(args, "why"), .evidence = arg_str(args, "evidence"),
			.by = c->user};
	int rc = arg_contact(c, args, "contact", &id, e);
	if (!rc)
		rc = stage_key(c, arg_str(args, "to"), &in.to, e);
	if (!rc)
		rc = ladder_stage(c->db, id, from, e);
	if (!rc)
		rc = ladder_move(c->db, id, &in, e);
	if (!rc)
		rc = ladder_history(c->db, id, result, e);
	if (!rc) {
		json_object_set_new(*result, "from", json_string(from));
		json_object_set_new(*result, "moved", json_boolean(strcmp(from, in.to) != 0));
	}
	return rc;
}

/* The command line's 'stage': show, or move through the 'stage move'
** operation (retried like any write, and audited under its name). */
int op_stage(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	if (!arg_str(args, "to")) {
		if (arg_str(args, "why") || arg_str(args, "evidence"))
			return rp_errf(e, RP_EINVAL, "--why and --evidence go with --to STAGE, the stage to move the client to");
		return op_stage_show(c, args, result, e);
	}
	const op *mv = ops_find("stage move");
	int rc = ops_run(mv, c, args, result, e);
	ops_audit(c, mv, args, rc == 0, rc ? e->msg : NULL);
	return rc;
}
