/* Routes are the rows of the operation table that have a method and a path. */
#include "http/http.h"

#include <string.h>

/* Match path against a template like /api/v1/contacts/{contact}/facts. */
static int match(const char *tpl, const char *path, json_t *params)
{
	while (*tpl && *path) {
		if (*tpl == '{') {
			const char *close = strchr(tpl, '}');
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (!close || n == 0)
				return 0;
			if (params) {
				char name[64];
				snprintf(name, sizeof name, "%.*s", (int)(close - tpl - 1), tpl + 1);
				json_t *v = json_stringn(path, n);
				if (!v) /* not valid UTF-8 */
					return 0;
				json_object_set_new(params, name, v);
			}
			tpl = close + 1;
			path += n;
		} else if (*tpl++ != *path++) {
			return 0;
		}
	}
	return !*tpl && (!*path || !strcmp(path, "/"));
}

const op *http_route(const char *method, const char *path, json_t *params, int *other_method)
{
	*other_method = 0;
	for (size_t i = 0; i < ops_count; i++) {
		const op *o = &ops_table[i];
		if (!o->path || !match(o->path, path, NULL))
			continue;
		if (strcmp(o->method, method) && !(!strcmp(method, "HEAD") && !strcmp(o->method, "GET"))) {
			*other_method = 1;
			continue;
		}
		json_object_clear(params);
		match(o->path, path, params);
		return o;
	}
	return NULL;
}

unsigned http_status(int code)
{
	switch (code) {
	case RP_OK: return 200;
	case RP_EINVAL:
	case RP_EUSAGE: return 400;
	case RP_EAUTH: return 401;
	case RP_EDENIED: return 403;
	case RP_ENOTFOUND: return 404;
	case RP_EAMBIG:
	case RP_ECONFLICT: return 409;
	case RP_ETOOBIG: return 413;
	case RP_EMEDIA: return 415;
	case RP_ETHROTTLE: return 429;
	case RP_EBUSY: return 503;
	default: return 500;
	}
}
