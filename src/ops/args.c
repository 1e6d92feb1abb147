/* Checking and reading the arguments of an operation, for every edge. */
#include "ops/ops.h"

#include <string.h>

const char *ops_role_name(op_role r) { return r == ROLE_ANYONE ? "anyone" : role_name((int)r); }

void ops_audit(op_ctx *c, const op *o, json_t *args, int ok, const char *detail)
{
	json_t *t = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(args, key, v)
	{
		const op_arg *a = o->args;
		while (a->name && strcmp(a->name, key))
			a++;
		if (!a->name || !(a->flags & ARG_SECRET))
			json_object_set(t, key, v);
	}
	const char *actor = c->who ? c->who->login : c->user;
	if (!strcmp(o->name, "session create"))
		actor = json_string_value(json_object_get(args, "login"));
	audit_write(c->db, actor, o->name, t, c->address, ok, detail, NULL);
	json_decref(t);
}

const op *ops_find(const char *name)
{
	for (size_t i = 0; i < ops_count; i++)
		if (!strcmp(ops_table[i].name, name))
			return &ops_table[i];
	return NULL;
}

int ops_is_group(const char *group)
{
	size_t n = strlen(group);
	for (size_t i = 0; i < ops_count; i++)
		if (!strncmp(ops_table[i].name, group, n) && ops_table[i].name[n] == ' ' &&
		    !(ops_table[i].flags & OP_SERVE))
			return 1;
	return 0;
}

static const op_arg *find_arg(const op *o, const char *key)
{
	for (const op_arg *a = o->args; a->name; a++)
		if (!strcmp(a->name, key))
			return a;
	return NULL;
}

int ops_check_args(const op *o, json_t *args, rp_err *e)
{
	const char *key;
	json_t *v;
	if (!json_is_object(args))
		return rp_errf(e, RP_EINVAL, "the arguments must be a JSON object");
	json_object_foreach(args, key, v)
	{
		const op_arg *a = find_arg(o, key);
		if (!a)
			return rp_errf(e, RP_EINVAL, "%s takes no argument \"%s\"; see 'rapport %s --help'",
				       o->name, key, o->name);
		int ok = 1;
		switch (a->type) {
		case ARG_STR: ok = json_is_string(v); break;
		case ARG_INT: ok = json_is_integer(v); break;
		case ARG_FLAG: ok = json_is_boolean(v); break;
		case ARG_NUM: ok = json_is_number(v); break;
		case ARG_OBJ: ok = json_is_object(v); break;
		case ARG_LIST:
			ok = json_is_array(v) && json_array_size(v) <= ARG_LIST_MAX;
			for (size_t i = 0; ok && i < json_array_size(v); i++)
				ok = json_is_string(json_array_get(v, i));
			break;
		}
		if (!ok)
			return rp_errf(e, RP_EINVAL, "argument \"%s\" must be %s", key,
				       a->type == ARG_STR    ? "a string"
				       : a->type == ARG_INT  ? "a whole number"
				       : a->type == ARG_FLAG ? "true or false"
				       : a->type == ARG_NUM  ? "a number"
				       : a->type == ARG_OBJ  ? "a JSON object"
							     : "a list of at most 32 strings");
	}
	for (const op_arg *a = o->args; a->name; a++)
		if ((a->flags & ARG_REQ) && !json_object_get(args, a->name))
			return rp_errf(e, RP_EINVAL, "%s needs %s; see 'rapport %s --help'", o->name,
				       a->meta ? a->meta : a->name, o->name);
	return 0;
}

const char *arg_str(json_t *args, const char *key)
{
	return json_string_value(json_object_get(args, key));
}

int64_t arg_int(json_t *args, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(args, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

int arg_flag(json_t *args, const char *key) { return json_is_true(json_object_get(args, key)); }

int arg_num(json_t *args, const char *key, double *v)
{
	json_t *j = json_object_get(args, key);
	if (!json_is_number(j))
		return 0;
	*v = json_number_value(j);
	return 1;
}

rp_strs arg_list(json_t *args, const char *key, const char **slots, size_t max)
{
	rp_strs l = {slots, 0};
	json_t *a = json_object_get(args, key);
	for (size_t i = 0; i < json_array_size(a) && l.n < max; i++)
		slots[l.n++] = json_string_value(json_array_get(a, i));
	return l;
}

int arg_contact(op_ctx *c, json_t *args, const char *key, int64_t *id, rp_err *e)
{
	const char *ref = arg_str(args, key);
	if (!ref)
		return rp_errf(e, RP_EINVAL, "no contact named");
	return contact_resolve(c->db, ref, id, e);
}

int ops_needs_store(const op *o, json_t *args)
{
	if (o->flags & OP_NODB)
		return 0;
	for (int i = 0; i < OP_MAX_ARGS && o->args[i].name; i++)
		if ((o->args[i].flags & ARG_NOSTORE) && json_object_get(args, o->args[i].name))
			return 0;
	return 1;
}
