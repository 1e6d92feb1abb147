/* rapport funnel: how clients moved on the ladder in a period. */
#include "ops/ops.h"

static int day_arg(json_t *args, const char *key, rp_date *out, rp_err *e)
{
	const char *v = arg_str(args, key);
	if (v && rp_date_parse(v, 0, out) < 0)
		return rp_errf(e, RP_EINVAL, "--%s \"%s\" is not a date; write YYYY-MM-DD", key, v);
	return 0;
}

/* The period defaults to the 30 days that end today. */
int op_funnel(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	rp_date to = rp_today(), from;
	int rc = day_arg(args, "to", &to, e);
	if (rc)
		return rc;
	from = rp_civil_from_days(rp_days_from_civil(to.y, to.m, to.d) - 29);
	if ((rc = day_arg(args, "from", &from, e)))
		return rc;
	return funnel_build(c->db, from, to, result, e);
}
