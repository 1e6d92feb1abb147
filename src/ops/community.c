/* rapport community add|join|leave|list|show|health: groups of clients
** with their own rules, and how trust goes among them. */
#include "ops/ops.h"

#include <string.h>

static int community_arg(op_ctx *c, json_t *args, int64_t *id, rp_err *e)
{
	return community_resolve(c->db, arg_str(args, "community"), id, e);
}

int op_community_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0;
	int rc = community_add(c->db, arg_str(args, "name"), arg_str(args, "rules"), c->user, &id, e);
	return rc ? rc : community_show(c->db, id, result, e);
}

/* {"community": {"id", "name"}, "contact": {"id", "name"}, "role", "joined_on", "members"} */
static int membership(op_ctx *c, int64_t community, int64_t contact, json_t **result, rp_err *e)
{
	json_t *s = NULL;
	int rc = community_show(c->db, community, &s, e);
	if (rc)
		return rc;
	json_t *members = json_object_get(s, "members"), *m;
	size_t i;
	*result = json_pack("{s:{s:O,s:O},s:I}", "community", "id", json_object_get(s, "id"), "name",
			    json_object_get(s, "name"), "members", (json_int_t)json_array_size(members));
	json_array_foreach(members, i, m)
	{
		if (json_integer_value(json_object_get(json_object_get(m, "contact"), "id")) != contact)
			continue;
		json_object_update(*result, m);
	}
	json_decref(s);
	return 0;
}

int op_community_join(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0, contact = 0;
	int rc = community_arg(c, args, &id, e);
	if (!rc)
		rc = arg_contact(c, args, "contact", &contact, e);
	if (!rc)
		rc = community_join(c->db, id, contact, arg_str(args, "role"), arg_str(args, "on"), e);
	return rc ? rc : membership(c, id, contact, result, e);
}

int op_community_leave(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0, contact = 0;
	int rc = community_arg(c, args, &id, e);
	if (!rc)
		rc = arg_contact(c, args, "contact", &contact, e);
	if (!rc)
		rc = community_leave(c->db, id, contact, e);
	if (!rc && !(rc = membership(c, id, contact, result, e)))
		json_object_set_new(*result, "contact", json_pack("{s:I}", "id", (json_int_t)contact));
	return rc;
}

int op_community_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return community_list(c->db, result, e);
}

int op_community_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0;
	int rc = community_arg(c, args, &id, e);
	return rc ? rc : community_show(c->db, id, result, e);
}

int op_community_health(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = 0;
	int rc = community_arg(c, args, &id, e);
	return rc ? rc : community_health(c->db, id, result, e);
}
