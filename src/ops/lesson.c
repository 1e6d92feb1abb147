/* rapport lesson add|link|set|done|list|show: changes drawn from stories. */
#include "ops/ops.h"

#include <string.h>

int op_lesson_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	lesson_in in = {.story_id = arg_int(args, "story", 0),
			.title = arg_str(args, "title"),
			.segment = arg_str(args, "segment"),
			.owner = arg_str(args, "owner"),
			.by = c->user};
	int64_t id;
	int rc = lesson_add(c->db, &in, &id, e);
	if (!rc)
		*result = json_pack("{s:I,s:I}", "id", (json_int_t)id, "story_id", (json_int_t)in.story_id);
	return rc;
}

int op_lesson_link(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "lesson", 0), story = arg_int(args, "story", 0);
	int rc = lesson_link(c->db, id, story, e);
	if (!rc)
		*result = json_pack("{s:I,s:I}", "id", (json_int_t)id, "story_id", (json_int_t)story);
	return rc;
}

int op_lesson_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "lesson", 0);
	const char *st = arg_str(args, "status");
	/* done asks what was done: it has its own command. */
	if (st && !strcmp(st, "done"))
		return rp_errf(e, RP_EINVAL, "mark a lesson done with 'rapport lesson done %lld --note TEXT'",
			       (long long)id);
	int rc = lesson_set(c->db, id, st, arg_str(args, "note"), e);
	if (!rc)
		*result = json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", st);
	return rc;
}

int op_lesson_done(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "lesson", 0);
	int rc = lesson_set(c->db, id, "done", arg_str(args, "note"), e);
	if (!rc)
		*result = json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "done");
	return rc;
}

int op_lesson_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return lesson_list(c->db, arg_str(args, "owner"), arg_str(args, "status"), result, e);
}

int op_lesson_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return lesson_show(c->db, arg_int(args, "lesson", 0), result, e);
}
