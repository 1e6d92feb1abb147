/*
** The arguments of a request, from text the client chose: the path's
** variables and the query string's values (typed by the operation's
** argument table) and the body (JSON, or a page's urlencoded form).  Apart
** from libmicrohttpd so that the fuzz targets can call it.
*/
#include "http/http.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const op_arg *arg_of(const op *o, const char *name)
{
	for (const op_arg *a = o->args; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* Put a text value (from the path or the query string) as its type. */
int http_arg_text(const op *o, json_t *args, const char *key, const char *v, rp_err *e)
{
	const op_arg *a = arg_of(o, key);
	if (!a || (a->flags & ARG_LOCAL))
		return rp_errf(e, RP_EINVAL, "%s takes no argument \"%s\"", o->name, key);
	json_t *j = NULL;
	switch (a->type) {
	case ARG_INT: {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end)
			return rp_errf(e, RP_EINVAL, "argument \"%s\" must be a whole number", key);
		j = json_integer(n);
		break;
	}
	case ARG_NUM: {
		char *end;
		double x = strtod(v, &end);
		/* "inf" or "1e999" too: JSON has no such number (json_real
		** would fail and the argument vanish without a word) */
		if (!*v || *end || !isfinite(x))
			return rp_errf(e, RP_EINVAL, "argument \"%s\" must be a number", key);
		j = json_real(x);
		break;
	}
	case ARG_OBJ:
		return rp_errf(e, RP_EINVAL, "argument \"%s\" is a JSON object: send it in the body", key);
	case ARG_FLAG:
		if (!strcmp(v, "true") || !strcmp(v, "1") || !*v)
			j = json_true();
		else if (!strcmp(v, "false") || !strcmp(v, "0"))
			j = json_false();
		else
			return rp_errf(e, RP_EINVAL, "argument \"%s\" must be true or false", key);
		break;
	case ARG_LIST: {
		json_t *l = json_object_get(args, key);
		if (!l)
			json_object_set_new(args, key, l = json_array());
		json_t *s = json_string(v);
		if (!s)
			return rp_errf(e, RP_EINVAL, "argument \"%s\" is not valid UTF-8 text", key);
		json_array_append_new(l, s);
		return 0;
	}
	default:
		if (!(j = json_string(v)))
			return rp_errf(e, RP_EINVAL, "argument \"%s\" is not valid UTF-8 text", key);
	}
	if (json_object_get(args, key)) {
		json_decref(j);
		return rp_errf(e, RP_EINVAL, "argument \"%s\" is given twice", key);
	}
	json_object_set_new(args, key, j);
	return 0;
}

/* The body's arguments (gather() has handled the CSV of an import). */
int http_body_args(const op *o, const char *type, const char *body, size_t n, json_t *args, rp_err *e)
{
	const char *key;
	json_t *v;
	if (!n)
		return 0;
	/* A page's button, or a mail program's one-click withdrawal (RFC
	** 8058), posts a form: its fields are not arguments. */
	if ((o->flags & OP_PAGE) && type && !strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
		/* ... except for a page whose form is its input: the body as it came. */
		if (!arg_of(o, "form"))
			return 0;
		json_t *f = json_stringn(body, n);
		if (!f)
			return rp_errf(e, RP_EINVAL, "the form's data is not valid UTF-8 text");
		json_object_set_new(args, "form", f);
		return 0;
	}
	if (!type || strncasecmp(type, "application/json", 16))
		return rp_errf(e, RP_EMEDIA, "send a JSON object with Content-Type: application/json");
	json_error_t je;
	json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return rp_errf(e, RP_EINVAL, "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return rp_errf(e, RP_EINVAL, "the body must be a JSON object");
	}
	/* key belongs to j: the error is written before j goes (it once
	** read the freed key, e.g. {"contact": 3} to /contacts/1/stage) */
	int rc = 0;
	json_object_foreach(j, key, v)
	{
		const op_arg *a = arg_of(o, key);
		if (a && (a->flags & ARG_LOCAL))
			rc = rp_errf(e, RP_EINVAL, "%s takes no argument \"%s\" over HTTP", o->name, key);
		else if (json_object_get(args, key))
			rc = rp_errf(e, RP_EINVAL, "argument \"%s\" is given twice (in the path or query and the body)",
				     key);
		if (rc)
			break;
		json_object_set(args, key, v);
	}
	json_decref(j);
	return rc;
}
