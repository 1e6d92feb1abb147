/*
** rapport openapi: the OpenAPI 3.1 document of the whole API, made from
** the operation table, so it cannot drift from what the server does.
*/
#include "ops/ops.h"

#include <string.h>

static json_t *schema_of(const op_arg *a)
{
	switch (a->type) {
	case ARG_INT: return json_pack("{s:s}", "type", "integer");
	case ARG_FLAG: return json_pack("{s:s}", "type", "boolean");
	case ARG_NUM: return json_pack("{s:s}", "type", "number");
	case ARG_OBJ: return json_pack("{s:s}", "type", "object");
	case ARG_LIST: return json_pack("{s:s,s:{s:s},s:i}", "type", "array", "items", "type", "string", "maxItems", ARG_LIST_MAX);
	default: return json_pack("{s:s}", "type", "string");
	}
}

static int in_path(const op *o, const char *name)
{
	char var[80];
	snprintf(var, sizeof var, "{%s}", name);
	return strstr(o->path, var) != NULL;
}

static json_t *error_response(const char *why)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", why, "content", "application/json", "schema", "$ref",
			 "#/components/schemas/Error");
}

static json_t *operation(const op *o)
{
	int body = !strcmp(o->method, "POST") || !strcmp(o->method, "PATCH") || !strcmp(o->method, "PUT");
	json_t *params = json_array(), *props = json_object(), *required = json_array();
	for (const op_arg *a = o->args; a->name; a++) {
		if (a->flags & ARG_LOCAL)
			continue; /* command line only (the import's file is the body) */
		if (in_path(o, a->name)) {
			json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", a->name, "in", "path",
								"required", 1, "description", a->help, "schema",
								schema_of(a)));
		} else if (!body || o->fn == op_import) {
			json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", a->name, "in", "query",
								"required", (a->flags & ARG_REQ) != 0, "description",
								a->help, "schema", schema_of(a)));
		} else {
			json_t *sch = schema_of(a);
			json_object_set_new(sch, "description", json_string(a->help));
			if (a->flags & ARG_SECRET)
				json_object_set_new(sch, "format", json_string("password"));
			json_object_set_new(props, a->name, sch);
			if (a->flags & ARG_REQ)
				json_array_append_new(required, json_string(a->name));
		}
	}
	int cal = (o->flags & OP_CALENDAR) != 0;
	json_t *ok = (o->flags & OP_STREAM)
			     ? json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", cal ? "iCalendar" : "CSV", "content",
					 cal ? "text/calendar" : "text/csv", "schema", "type", "string")
			     : json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", "the result, as 'rapport ... --json' prints it",
					 "content", "application/json", "schema", "type", "object");
	json_t *responses = json_pack("{s:o,s:o,s:o,s:o,s:o}", "200", ok, "400", error_response("a bad argument"),
				      "404", error_response("not found"), "409", error_response("a conflict"), "500",
				      error_response("the store failed"));
	if (o->role != ROLE_ANYONE) {
		json_object_set_new(responses, "401", error_response("not logged in"));
		json_object_set_new(responses, "403", error_response("the role is too low, or the CSRF token is missing"));
	}
	if (o->fn == op_session_create)
		json_object_set_new(responses, "429", error_response("too many failed logins; see Retry-After"));
	if (o->fn == op_signup || o->fn == op_confirm_page || o->fn == op_confirm || o->fn == op_withdraw)
		json_object_set_new(responses, "429", error_response("too many requests from this address; see Retry-After"));
	/* A link from a message answers a browser with a page (Accept: text/html). */
	if (o->flags & OP_PAGE)
		json_object_set_new(json_object_get(ok, "content"), "text/html",
				    json_pack("{s:{s:s}}", "schema", "type", "string"));
	if (body) {
		json_object_set_new(responses, "413", error_response("the body is over 1 MiB"));
		json_object_set_new(responses, "415", error_response("the body is not of the expected content type"));
	}
	json_t *x = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s}", "operationId", o->name, "summary", o->summary, "description",
			      o->help ? o->help : o->summary, "parameters", params, "responses", responses, "x-role",
			      ops_role_name(o->role));
	/* operationId must be unique and simple: "contact add" -> "contact_add". */
	char id[64];
	snprintf(id, sizeof id, "%s", o->name);
	for (char *p = id; *p; p++)
		if (*p == ' ')
			*p = '_';
	json_object_set_new(x, "operationId", json_string(id));
	if (o->role == ROLE_ANYONE)
		json_object_set_new(x, "security", json_array());
	if (o->fn == op_import) {
		json_object_set_new(x, "requestBody", json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content", "text/csv",
								"schema", "type", "string"));
	} else if (body) {
		json_t *sch = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props, "additionalProperties", 0);
		if (json_array_size(required))
			json_object_set(sch, "required", required);
		json_object_set_new(x, "requestBody",
				    json_pack("{s:b,s:{s:{s:o}}}", "required", json_array_size(required) > 0, "content",
					      "application/json", "schema", sch));
		props = NULL;
	}
	json_decref(props);
	json_decref(required);
	return x;
}

int op_openapi(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)c;
	(void)args;
	(void)e;
	json_t *paths = json_object();
	for (size_t i = 0; i < ops_count; i++) {
		const op *o = &ops_table[i];
		if (!o->path)
			continue;
		json_t *item = json_object_get(paths, o->path);
		if (!item)
			json_object_set_new(paths, o->path, item = json_object());
		char method[16];
		size_t k = 0;
		for (; o->method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(o->method[k] | 0x20);
		method[k] = 0;
		json_object_set_new(item, method, operation(o));
	}
	*result = json_pack(
		"{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s}},s:{s:{s:s,s:[s],s:{s:{s:s,s:[s,s],s:{s:{s:s},s:{s:s}}}}}}},s:[{s:[]},{s:[]}]}",
		"openapi", "3.1.0", "info", "title", "rapport", "version", RAPPORT_VERSION, "description",
		"Every route is a row of rapport's operation table; the JSON is what 'rapport COMMAND --json' prints.",
		"servers", "url", "/", "paths", paths, "components", "securitySchemes", "session", "type", "apiKey", "in",
		"cookie", "name", "rapport_session", "description",
		"from POST /api/v1/session; writes also need the header X-CSRF-Token", "bearer", "type", "http", "scheme",
		"bearer", "description", "an API token from 'rapport token create'", "schemas", "Error", "type", "object",
		"required", "error", "properties", "error", "type", "object", "required", "code", "message", "properties",
		"code", "type", "string", "message", "type", "string", "security", "session", "bearer");
	return *result ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
}
