/* A request as the server takes it apart before running anything: the
** route (http_route: method and decoded path, with its {variables}), the
** query string's values and the body (http/args.c: typed by the
** operation's arguments, JSON or a page's form), then the operation's own
** argument checks (ops_check_args).  No operation runs.  The input is
**   METHOD PATH[?QUERY] LF CONTENT-TYPE LF BODY
** the path and the query decoded as libmicrohttpd decodes them. */
#include "fuzz.h"

#include <microhttpd.h>

#include "http/http.h"

static void check_args(const op *o, json_t *args)
{
	rp_err e = {0};
	if (ops_check_args(o, args, &e) && !e.msg[0])
		abort(); /* a refusal must say why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *s = fuzz_str(data, n), *rest, *type, *target, *query;
	/* the body is what follows the second LF, NUL bytes and all */
	char *line = fuzz_cut(s, '\n', &rest);
	type = fuzz_cut(rest, '\n', &rest);
	size_t off = (size_t)(rest - s), blen = off <= n ? n - off : 0;
	const char *body = (const char *)data + (off <= n ? off : n);
	char *method = fuzz_cut(line, ' ', &target);
	char *path = fuzz_cut(target, '?', &query);
	MHD_http_unescape(path);
	json_t *params = json_object(), *args = json_object();
	int other = 0;
	rp_err e = {0};
	const op *o = http_route(method, path, params, &other);
	if (o) {
		const char *key;
		json_t *v;
		int rc = 0;
		json_object_foreach(params, key, v)
		{
			if (!json_is_string(v))
				abort(); /* path variables are text */
			if (!rc)
				rc = http_arg_text(o, args, key, json_string_value(v), &e);
		}
		/* the query string: '&'-separated KEY[=VALUE], each decoded */
		for (char *save = NULL, *pair = strtok_r(query, "&", &save); pair && !rc;
		     pair = strtok_r(NULL, "&", &save)) {
			char *value;
			char *k = fuzz_cut(pair, '=', &value);
			MHD_http_unescape(k);
			MHD_http_unescape(value);
			rc = http_arg_text(o, args, k, value, &e);
		}
		if (!rc && o->fn != op_import)
			rc = http_body_args(o, *type ? type : NULL, body, blen, args, &e);
		if (rc && !e.msg[0])
			abort();
		if (!rc)
			check_args(o, args);
	}
	json_decref(params);
	json_decref(args);
	free(s);
	return 0;
}
