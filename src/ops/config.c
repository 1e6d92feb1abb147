/* rapport config get|set: the few settings rapport has. */
#include "ops/ops.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *key, *help;
	int64_t min, max;
} known[] = {
	{"cadence.panel", "days between touches with panel contacts (default 14)", 1, 3650},
	{"cadence.close", "days between touches with close contacts (default 30)", 1, 3650},
	{"cadence.regular", "days between touches with regular contacts (default 90)", 1, 3650},
	{"cadence.distant", "days between touches with distant contacts (default 365)", 1, 3650},
};

int op_config_get(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	json_t *set;
	int rc = setting_list(c->db, &set, e);
	if (rc)
		return rc;
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		json_t *v = json_object_get(set, known[i].key);
		json_object_set_new(o, known[i].key, json_pack("{s:O?,s:s}", "value", v, "help", known[i].help));
	}
	json_decref(set);
	*result = o;
	return 0;
}

int op_config_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *key = arg_str(args, "key"), *value = arg_str(args, "value");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(known[i].key, key))
			continue;
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v < known[i].min || v > known[i].max)
			return rp_errf(e, RP_EINVAL, "%s must be a whole number from %lld to %lld", key,
				       (long long)known[i].min, (long long)known[i].max);
		int rc = setting_set(c->db, key, value, e);
		if (!rc)
			*result = json_pack("{s:s,s:I}", "key", key, "value", (json_int_t)v);
		return rc;
	}
	return rp_errf(e, RP_EINVAL, "there is no setting \"%s\"; see 'rapport config get'", key);
}
