/* rapport feed url|revoke, and the feed itself (GET /feed/TOKEN.ics). */
#include "ops/ops.h"

#include <string.h>

int op_feed_url(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return feed_url(c->db, c->user, c->lang, result, e);
}

int op_feed_revoke(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	int rc = feed_revoke(c->db, c->user, e);
	if (!rc)
		*result = json_pack("{s:b}", "revoked", 1);
	return rc;
}

int op_feed(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)result;
	/* The address ends in .ics, which calendar applications expect. */
	const char *file = arg_str(args, "token");
	size_t n = strlen(file);
	char token[80];
	if (n < 5 || n - 4 >= sizeof token || strcmp(file + n - 4, ".ics"))
		return rp_errf(e, RP_ENOTFOUND, "no such calendar");
	snprintf(token, sizeof token, "%.*s", (int)(n - 4), file);
	return feed_write(c->db, token, c->out, e);
}
