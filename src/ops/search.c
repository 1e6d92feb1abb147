/* rapport search: full text over contacts, facts and interactions. */
#include "ops/ops.h"

int op_search(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t limit = arg_int(args, "limit", 20);
	if (limit < 1 || limit > 1000)
		return rp_errf(e, RP_EINVAL, "--limit must be between 1 and 1000");
	return search_run(c->db, arg_str(args, "query"), limit, result, e);
}
