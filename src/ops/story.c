/* rapport story add|list: what clients tell in their own words. */
#include "ops/ops.h"

int op_story_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	story_in in = {0};
	const char *slots[ARG_LIST_MAX];
	int rc = arg_contact(c, args, "contact", &in.contact_id, e);
	if (rc)
		return rc;
	/* arg_list keeps at most ARG_LIST_MAX: more must not be dropped silently. */
	if (json_array_size(json_object_get(args, "tag")) > ARG_LIST_MAX)
		return rp_errf(e, RP_EINVAL, "a story takes at most %d tags; keep the ones that matter", ARG_LIST_MAX);
	in.kind = arg_str(args, "kind");
	in.tone = arg_str(args, "tone");
	in.told_on = arg_str(args, "on");
	in.text = arg_str(args, "text");
	in.by = c->user;
	in.tags = arg_list(args, "tag", slots, ARG_LIST_MAX);
	int64_t id;
	if ((rc = story_add(c->db, &in, &id, e)))
		return rc;
	*result = json_pack("{s:I,s:I}", "id", (json_int_t)id, "contact_id", (json_int_t)in.contact_id);
	return 0;
}

int op_story_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t contact = 0;
	int rc = arg_str(args, "contact") ? arg_contact(c, args, "contact", &contact, e) : 0;
	if (!rc && json_object_get(args, "limit") && arg_int(args, "limit", 0) <= 0)
		rc = rp_errf(e, RP_EINVAL, "--limit must be a positive number of stories");
	return rc ? rc : story_list(c->db, contact, arg_str(args, "kind"), arg_int(args, "limit", 50), result, e);
}

int op_story_similar(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	story_method m;
	int rc = story_method_parse(arg_str(args, "method"), &m, e);
	return rc ? rc
		  : story_similar_by(c->db, arg_int(args, "story", 0), arg_int(args, "limit", 10), m, result, e);
}

int op_story_themes(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	story_themes_in in = {arg_str(args, "since"), arg_str(args, "kind"), STORY_LEXICON, 0, 0};
	int rc = story_method_parse(arg_str(args, "method"), &in.method, e);
	return rc ? rc : story_themes(c->db, &in, result, e);
}

int op_story_report(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return story_report(c->db, arg_str(args, "since"), arg_str(args, "by"), result, e);
}
