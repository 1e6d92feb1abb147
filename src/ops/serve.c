/* rapport serve: the web UI and the JSON API. */
#include "http/http.h"

int op_serve(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)result;
	/* Make or update the schema once, before the workers open the store. */
	db *d;
	int rc = store_open(c->db_target, 0, &d, e);
	if (rc)
		return rc;
	db_close(d);
	const char *listen = arg_str(args, "listen");
	int64_t threads = arg_int(args, "threads", 0);
	if (threads < 0 || threads > 256)
		return rp_errf(e, RP_EINVAL, "--threads must be between 1 and 256");
	http_config cfg = {c->db_target, listen ? listen : "127.0.0.1:8080", (int)threads, 1 << 20,
			   arg_flag(args, "tls")};
	return http_serve(&cfg, e);
}
