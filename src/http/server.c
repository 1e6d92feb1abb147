/*
** The server: libmicrohttpd with a pool of worker threads (epoll), one store
** connection per worker thread, every request turned into one operation of
** the table: route, authenticate (session cookie or bearer token), check
** the role and the CSRF token, gather arguments (path, query string, JSON
** body), run, audit writes, answer JSON.
*/
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "http/assets.h"
#include "http/cache.h"
#include "http/metrics.h"

typedef struct server {
	const http_config *cfg;
	pthread_key_t db_key;
	int tls; /* reached over TLS: cookies get Secure */
} server;

/* How much of a body too big to take is read and dropped, in bodies of
** the largest size taken, before the connection is closed. */
#define DRAIN_BODIES 8

/* Request bodies wait in memory until they are whole, and a client may
** send most of one and then nothing, on every connection it may open: a
** thousand connections holding a megabyte each would be a gigabyte.  So
** the first BODY_OWN bytes of each body are its own (a JSON write is far
** smaller: 2,000 connections hold 32 MB at most), and what is beyond comes
** out of one allowance of BODY_SHARED bodies of the largest size taken
** (32 MB) shared by all connections.  A body that finds the allowance
** spent is dropped as it comes and answered 503 with Retry-After: the
** imports of the moment, not the server's memory, are what a flood of
** large bodies can hold up. */
#define BODY_OWN ((size_t)16 << 10)
#define BODY_SHARED 32
static atomic_size_t bodies_shared;

typedef struct req {
	rp_buf body;
	int too_big;
	int too_many;   /* the shared allowance for bodies was spent */
	size_t dropped; /* bytes of a body not taken, read and dropped */
	size_t shared;  /* bytes of the body counted in bodies_shared */
	uint64_t start; /* when the headers arrived, for the latency metric */
} req;

/* What the request being answered on this thread came to, for metrics. */
static _Thread_local unsigned answer_status;
static _Thread_local int answer_route;

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- the store, one connection per worker thread ------------------------ */

static void close_db(void *d) { db_close(d); }

static db *thread_db(server *sv, rp_err *e)
{
	db *d = pthread_getspecific(sv->db_key);
	if (d)
		return d;
	if (store_open(sv->cfg->db_target, 0, &d, e))
		return NULL;
	pthread_setspecific(sv->db_key, d);
	return d;
}

/* ---- answers ------------------------------------------------------------ */

/* Set once, before the first request: clients reach us over TLS (serve --tls). */
static int over_tls;

static void common_headers(struct MHD_Response *r)
{
	/* Behind TLS, browsers are told to come back only over TLS for a year. */
	if (over_tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}


/* Send r with status (and Retry-After when retry_after > 0), and let go of
** it: the end of every answer. */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r, int retry_after)
{
	if (retry_after > 0) {
		char v[16];
		snprintf(v, sizeof v, "%d", retry_after);
		MHD_add_response_header(r, "Retry-After", v);
	}
	answer_status = status;
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_body(struct MHD_Connection *c, unsigned status, char *body, size_t len,
				 const char *type, const char *cookie, int retry_after)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	/* JSON (and metrics) are never a page: should a browser be led to
	** render one, nothing in it may load, run or be framed. */
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
	common_headers(r);
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	return queue(c, status, r, retry_after);
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j, const char *cookie,
				 int retry_after)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(j);
	if (!s)
		return MHD_NO;
	return send_body(c, status, s, strlen(s), "application/json", cookie, retry_after);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *code, const char *msg,
				  int retry_after)
{
	return send_json(c, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg), NULL,
			 retry_after);
}

static enum MHD_Result send_rp_error(struct MHD_Connection *c, const rp_err *e)
{
	return send_error(c, http_status(e->code), rp_code_name(e->code), e->msg[0] ? e->msg : "internal error",
			  e->retry_after);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const char *url)
{
	const char *path = !strcmp(url, "/") ? "/index.html" : url;
	for (size_t i = 0; i < web_assets_count; i++) {
		if (strcmp(web_assets[i].path, path))
			continue;
		struct MHD_Response *r = MHD_create_response_from_buffer(
			web_assets[i].len, (void *)web_assets[i].data, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Content-Type", web_assets[i].type);
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'self'; img-src 'self' data:; style-src 'self'; "
					"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
		common_headers(r);
		answer_status = MHD_HTTP_OK;
		enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return ok;
	}
	return send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page", 0);
}

static void html_put(rp_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': rp_buf_puts(b, "&amp;"); break;
		case '<': rp_buf_puts(b, "&lt;"); break;
		case '>': rp_buf_puts(b, "&gt;"); break;
		case '"': rp_buf_puts(b, "&quot;"); break;
		case '\'': rp_buf_puts(b, "&#39;"); break;
		default: rp_buf_putc(b, *s);
		}
	}
}

/* A person who followed a link from a message (OP_PAGE) gets a page: the
** result's title and text, and its button as a form that posts back to
** the same address; or the error. */
/* A page's form fields (the intake form): text inputs, a scale of five
** between two poles, check boxes, and a field hidden from people that
** only a program fills in. */
static void page_fields(rp_buf *b, json_t *fields)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *kind = json_string_value(json_object_get(f, "kind"));
		const char *label = json_string_value(json_object_get(f, "label"));
		const char *req = json_is_true(json_object_get(f, "required")) ? " required" : "";
		if (!name || !kind)
			continue;
		if (!strcmp(kind, "trap")) {
			rp_buf_puts(b, "<p style=\"position:absolute;left:-10000px\" aria-hidden=\"true\"><label>");
			html_put(b, label);
			rp_buf_puts(b, " <input name=\"");
			html_put(b, name);
			rp_buf_puts(b, "\" tabindex=\"-1\" autocomplete=\"off\"></label></p>");
		} else if (!strcmp(kind, "scale")) {
			static const char *const steps[] = {"-1", "-0.5", "0", "0.5", "1"};
			rp_buf_puts(b, "<fieldset><legend>");
			html_put(b, label);
			rp_buf_puts(b, "</legend>");
			html_put(b, json_string_value(json_object_get(f, "left")));
			for (int k = 0; k < 5; k++) {
				rp_buf_puts(b, " <input type=\"radio\" name=\"");
				html_put(b, name);
				rp_buf_printf(b, "\" value=\"%s\" aria-label=\"%s\">", steps[k], steps[k]);
			}
			rp_buf_puts(b, " ");
			html_put(b, json_string_value(json_object_get(f, "right")));
			rp_buf_puts(b, "</fieldset>");
		} else if (!strcmp(kind, "check")) {
			rp_buf_puts(b, "<p><label><input type=\"checkbox\" name=\"");
			html_put(b, name);
			rp_buf_puts(b, "\" value=\"1\"> ");
			html_put(b, label);
			rp_buf_puts(b, "</label></p>");
		} else {
			rp_buf_puts(b, "<p><label>");
			html_put(b, label);
			rp_buf_puts(b, "<br>");
			if (!strcmp(kind, "textarea"))
				rp_buf_printf(b, "<textarea name=\"%s\" rows=\"5\" maxlength=\"4000\"%s></textarea>", name, req);
			else {
				rp_buf_printf(b, "<input type=\"%s\" name=\"", kind);
				html_put(b, name);
				rp_buf_printf(b, "\" maxlength=\"200\"%s>", req);
			}
			rp_buf_puts(b, "</label></p>");
		}
	}
}

static enum MHD_Result send_page(struct MHD_Connection *c, unsigned status, const char *lang, const char *title,
				 const char *text, const char *button, json_t *fields, int retry_after)
{
	rp_buf b = {0};
	rp_buf_printf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
			  "<meta name=\"viewport\" content=\"width=device-width\"><title>", lang);
	html_put(&b, title);
	rp_buf_puts(&b, "</title><style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}"
			"button{font-size:1.1em;padding:.5em 1.5em}</style></head><body><main><h1>");
	html_put(&b, title);
	rp_buf_puts(&b, "</h1><p>");
	html_put(&b, text);
	rp_buf_puts(&b, "</p>");
	if (button) {
		rp_buf_puts(&b, "<form method=\"post\">");
		page_fields(&b, fields);
		rp_buf_puts(&b, "<button type=\"submit\">");
		html_put(&b, button);
		rp_buf_puts(&b, "</button></form>");
	}
	rp_buf_puts(&b, "</main></body></html>\n");
	if (b.oom) {
		rp_buf_free(&b);
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", "out of memory", 0);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(b.n, b.p, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		rp_buf_free(&b);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	common_headers(r);
	return queue(c, status, r, retry_after);
}

/* ---- arguments ------------------------------------------------------------ */

typedef struct query_ctx {
	const op *o;
	json_t *args;
	rp_err *e;
	int rc;
} query_ctx;

static enum MHD_Result on_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	query_ctx *q = cls;
	if (!q->rc)
		q->rc = http_arg_text(q->o, q->args, key, value ? value : "", q->e);
	return MHD_YES;
}

/* The request's arguments: path variables, query string, JSON body. */
/* Whether an import or export is of vCards. */
static int is_vcard(json_t *args)
{
	const char *w = json_string_value(json_object_get(args, "what"));
	return w && !strcmp(w, "vcard");
}

static int gather(struct MHD_Connection *c, const op *o, json_t *path, req *r, json_t *args, FILE **in, rp_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(path, key, v)
	{
		int rc = http_arg_text(o, args, key, json_string_value(v), e);
		if (rc)
			return rc;
	}
	query_ctx q = {o, args, e, 0};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_query, &q);
	if (q.rc)
		return q.rc;
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (o->fn == op_import) {
		/* vCards come as text/vcard (RFC 6350), or as many programs send them. */
		int vcf = is_vcard(args);
		if (vcf ? !type || (strncasecmp(type, "text/vcard", 10) && strncasecmp(type, "text/x-vcard", 12) &&
				    strncasecmp(type, "text/directory", 14))
			: !type || strncasecmp(type, "text/csv", 8))
			return rp_errf(e, RP_EMEDIA, vcf ? "send the vCard file with Content-Type: text/vcard"
							 : "send the CSV file with Content-Type: text/csv");
		*in = fmemopen(r->body.p ? r->body.p : "", r->body.n, "rb");
		if (!*in)
			return rp_errf(e, RP_ENOMEM, "out of memory");
		json_object_set_new(args, "file", json_string("-"));
		return 0;
	}
	return http_body_args(o, type, r->body.p, r->body.n, args, e);
}

/* ---- who is asking ----------------------------------------------------------- */

static void client_address(struct MHD_Connection *c, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(buf, size, "unknown");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, (socklen_t)size);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf, (socklen_t)size);
}

/* stamped: *now is the cache stamp of this request (else nothing is cached). */
static int authenticate(struct MHD_Connection *c, db *d, const op *o, const char *method, account *who,
			char csrf[65], const char **session, int stamped, const cache_stamp *now, rp_err *e)
{
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "rapport_session");
	int rc, by_cookie = 0;
	char key[300];
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) || strlen(authz) > 260)
			return rp_errf(e, RP_EAUTH, "send Authorization: Bearer TOKEN (see 'rapport token create')");
		snprintf(key, sizeof key, "token:%s", authz + 7);
		if (stamped && cache_who_get(key, now, who, csrf))
			rc = 0;
		else if (!(rc = token_check(d, authz + 7, who, e)) && stamped)
			cache_who_put(key, now, who, NULL);
	} else if (cookie) {
		snprintf(key, sizeof key, "session:%.256s", cookie);
		if (stamped && cache_who_get(key, now, who, csrf))
			rc = 0;
		else if (!(rc = session_check(d, cookie, who, csrf, e)) && stamped)
			cache_who_put(key, now, who, csrf);
		by_cookie = 1;
		*session = cookie;
	} else {
		rc = rp_errf(e, RP_EAUTH, "log in first (POST /api/v1/session) or send Authorization: Bearer TOKEN");
	}
	if (rc)
		return rc;
	if (who->role < (int)o->role)
		return rp_errf(e, RP_EDENIED, "%s needs the role %s or above; %s is %s", o->name, ops_role_name(o->role),
			       who->login, role_name(who->role));
	/* A cookie rides along with any request the browser makes, so a change
	** made with one must also prove it came from our page. */
	if (by_cookie && strcmp(method, "GET") && strcmp(method, "HEAD")) {
		const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!t || strlen(t) != 64 || memcmp(t, csrf, 64))
			return rp_errf(e, RP_EDENIED, "missing or wrong X-CSRF-Token header (it comes with the login)");
	}
	return 0;
}

/* /metrics: for Prometheus on this machine, or anyone with an owner's token. */
static enum MHD_Result send_metrics(server *sv, struct MHD_Connection *c)
{
	char address[64];
	client_address(c, address, sizeof address);
	if (strcmp(address, "127.0.0.1") && strcmp(address, "::1")) {
		rp_err e = {0};
		account who = {0};
		const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
		db *d = thread_db(sv, &e);
		if (!d)
			return send_rp_error(c, &e);
		if (!authz || strncasecmp(authz, "Bearer ", 7) || token_check(d, authz + 7, &who, &e))
			return send_error(c, MHD_HTTP_UNAUTHORIZED, "unauthenticated",
					  "metrics are served to this machine, or with an owner's API token", 0);
		if (who.role < ROLE_OWNER)
			return send_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "metrics need the role owner", 0);
	}
	rp_buf b = {0};
	metrics_write(&b);
	if (b.oom) {
		rp_buf_free(&b);
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", "out of memory", 0);
	}
	char *body = b.p ? b.p : calloc(1, 1);
	return send_body(c, MHD_HTTP_OK, body, b.n, "text/plain; version=0.0.4; charset=utf-8", NULL, 0);
}

/* ---- one request ---------------------------------------------------------- */

static enum MHD_Result dispatch(server *sv, struct MHD_Connection *c, const char *url, const char *method, req *r)
{
	rp_err e = {0};
	if (r->too_big) {
		char msg[128];
		snprintf(msg, sizeof msg, "the request body is larger than %zu bytes", sv->cfg->max_body);
		return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", msg, 0);
	}
	if (r->too_many)
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
				  "the server is receiving too many large request bodies at once; try again shortly", 5);
	if (!strcmp(url, "/metrics"))
		return send_metrics(sv, c);
	/* The public intake form is a page of its own, served from the table. */
	/* So is a calendar feed, at an address ending in .ics. */
	if (strncmp(url, "/api/", 5) && strcmp(url, "/intake") && strncmp(url, "/feed/", 6)) {
		if (strcmp(method, "GET") && strcmp(method, "HEAD"))
			return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "only GET here", 0);
		return send_asset(c, url);
	}
	json_t *path = json_object();
	int other = 0;
	const op *o = http_route(method, url, path, &other);
	if (!o) {
		json_decref(path);
		return other ? send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
					  "this path does not take that method; see docs/API.md", 0)
			     : send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such route; see docs/API.md", 0);
	}
	answer_route = (int)(o - ops_table);
	db *d = thread_db(sv, &e);
	if (!d) {
		json_decref(path);
		return send_rp_error(c, &e);
	}
	char address[64], csrf[65] = "";
	client_address(c, address, sizeof address);
	account who = {0};
	const char *session = NULL;
	op_ctx ctx = {.db = d, .db_target = sv->cfg->db_target, .address = address, .lang = "en"};
	const char *lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	if (lang && !strncasecmp(lang, "ru", 2))
		ctx.lang = "ru";
	json_t *args = json_object(), *result = NULL;
	FILE *in = NULL;
	char *out = NULL;
	size_t outlen = 0;
	int rc = 0;
	/* One stamp for the request: the store as it stands when it arrives. */
	cache_stamp stamp;
	int stamped = cache_stamp_now(d, &stamp) == 0;
	if (o->role != ROLE_ANYONE) {
		rc = authenticate(c, d, o, method, &who, csrf, &session, stamped, &stamp, &e);
		if (!rc) {
			ctx.who = &who;
			ctx.user = who.login;
			ctx.session = session;
			ctx.csrf = csrf;
		}
	}
	if (!rc)
		rc = gather(c, o, path, r, args, &in, &e);
	if (!rc)
		rc = ops_check_args(o, args, &e);
	if (!rc && (o->flags & OP_STREAM) && !(ctx.out = open_memstream(&out, &outlen)))
		rc = rp_errf(&e, RP_ENOMEM, "out of memory");
	ctx.in = in;
	/* A read that depends only on its arguments and the store may be
	** answered from this thread's cache while the store has not changed. */
	char *key = NULL;
	if (!rc && (o->flags & OP_CACHE) && stamped) {
		char *a = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);
		size_t n = a ? strlen(o->name) + strlen(a) + 8 : 0;
		if (a && (key = malloc(n)))
			snprintf(key, n, "%s|%s|%s", o->name, ctx.lang, a);
		free(a);
		size_t len;
		const char *hit = key ? cache_get(key, &stamp, &len) : NULL;
		char *copy = hit ? malloc(len ? len : 1) : NULL;
		if (copy) {
			memcpy(copy, hit, len);
			free(key);
			json_decref(args);
			json_decref(path);
			if (in)
				fclose(in);
			return send_body(c, MHD_HTTP_OK, copy, len, "application/json", NULL, 0);
		}
	}
	/* A read runs in one read transaction: one snapshot, one lock. */
	int reading = !rc && !(o->flags & OP_WRITE) && !(rc = db_begin_read(d, &e));
	if (!rc)
		rc = ops_run(o, &ctx, args, &result, &e);
	if (reading)
		db_commit(d, NULL);
	/* A write that fails may still have committed (a refused message is
	** kept in the outbox; a signup whose confirmation could not go keeps
	** the pending consent), so any write moves this process's generation. */
	if (o->flags & OP_WRITE)
		cache_wrote();
	if (ctx.out)
		fclose(ctx.out);
	if (in)
		fclose(in);
	if (rc && e.code != rc) {
		char why[sizeof e.msg];
		snprintf(why, sizeof why, "%s", e.msg);
		rp_errf(&e, rc > RP_EBUSY || rc < 0 ? RP_EDB : rc, "internal error%s%.1900s", why[0] ? ": " : "", why);
	}
	/* Every write, and every login attempt, goes to the audit log. */
	if (o->flags & OP_WRITE)
		ops_audit(&ctx, o, args, rc == 0, rc ? e.msg : NULL);
	/* The export's media type, decided while its arguments are at hand. */
	int vcard_out = o->fn == op_export && is_vcard(args);
	json_decref(args);
	json_decref(path);
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	int page = (o->flags & OP_PAGE) && accept && strstr(accept, "text/html");
	if (rc) {
		json_decref(result);
		free(out);
		free(key);
		if (page)
			return send_page(c, http_status(e.code), ctx.lang,
					 !strcmp(ctx.lang, "ru") ? "Не получилось" : "This did not work", e.msg, NULL, NULL,
					 e.retry_after);
		return send_rp_error(c, &e);
	}
	if (page) {
		enum MHD_Result ok = send_page(c, MHD_HTTP_OK, ctx.lang, json_string_value(json_object_get(result, "title")),
					       json_string_value(json_object_get(result, "text")),
					       json_string_value(json_object_get(result, "button")),
					       json_object_get(result, "fields"), 0);
		json_decref(result);
		free(key);
		return ok;
	}
	if (o->flags & OP_STREAM)
		return send_body(c, MHD_HTTP_OK, out, outlen,
				 vcard_out			? "text/vcard; charset=utf-8"
				 : (o->flags & OP_CALENDAR) ? "text/calendar; charset=utf-8"
							    : "text/csv; charset=utf-8",
				 NULL, 0);
	char cookie[256], *set = NULL;
	if (ctx.new_session[0]) {
		snprintf(cookie, sizeof cookie,
			 "rapport_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000%s", ctx.new_session,
			 sv->tls ? "; Secure" : "");
		set = cookie;
	} else if (o->fn == op_session_end) {
		snprintf(cookie, sizeof cookie, "rapport_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
			 sv->tls ? "; Secure" : "");
		set = cookie;
	}
	if (key && result) {
		char *body = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(15));
		json_decref(result);
		if (body)
			cache_put(key, &stamp, body, strlen(body));
		free(key);
		if (!body)
			return MHD_NO;
		return send_body(c, MHD_HTTP_OK, body, strlen(body), "application/json", set, 0);
	}
	free(key);
	return send_json(c, MHD_HTTP_OK, result ? result : json_object(), set, 0);
}

/* Answer, and count the answer. */
static enum MHD_Result answer(server *sv, struct MHD_Connection *c, const char *url, const char *method, req *r)
{
	answer_status = 0;
	answer_route = -1;
	db_time_take();
	enum MHD_Result ok = dispatch(sv, c, url, method, r);
	metrics_record(answer_route, answer_status, now_ns() - r->start, db_time_take());
	db *d = pthread_getspecific(sv->db_key);
	if (d)
		metrics_store_memory(db_memory(d));
	return ok;
}

/* Count a body of n bytes against the shared allowance; 0 if spent. */
static int body_reserve(req *r, size_t n, size_t max_body)
{
	size_t want = n > BODY_OWN ? n - BODY_OWN : 0;
	if (want <= r->shared)
		return 1;
	size_t more = want - r->shared;
	if (atomic_fetch_add(&bodies_shared, more) + more > BODY_SHARED * max_body) {
		atomic_fetch_sub(&bodies_shared, more);
		return 0;
	}
	r->shared = want;
	return 1;
}

/* Let go of a request's body and its share of the allowance. */
static void body_release(req *r)
{
	atomic_fetch_sub(&bodies_shared, r->shared);
	r->shared = 0;
	rp_buf_free(&r->body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)version;
	server *sv = cls;
	req *r = *state;
	if (!r) {
		/* First call: the headers.  Answer on a later call, so the
		** connection stays open for the next request. */
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		*state = r;
		r->start = now_ns();
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > sv->cfg->max_body) {
			/* Refused before a byte of the body is read (no 100 Continue). */
			r->too_big = 1;
			return answer(sv, c, url, method, r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->body.n + *upload_size > sv->cfg->max_body) {
			r->too_big = 1;
			body_release(r);
		}
		if (!r->too_big && !r->too_many && !body_reserve(r, r->body.n + *upload_size, sv->cfg->max_body)) {
			r->too_many = 1;
			body_release(r);
		}
		if (r->too_big || r->too_many) {
			/* A body sent without its length (chunked) is found too
			** big only as it comes.  The library answers a request
			** only once it is whole, so the rest is read and dropped
			** to answer at its end; but not for ever: past
			** DRAIN_BODIES times the limit the connection is closed,
			** and an endless body costs no more than that. */
			r->dropped += *upload_size;
			if (r->dropped > DRAIN_BODIES * sv->cfg->max_body)
				return MHD_NO;
		} else {
			rp_buf_put(&r->body, upload, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->body.oom)
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", "out of memory", 0);
	return answer(sv, c, url, method, r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	req *r = *state;
	if (r) {
		body_release(r);
		free(r);
		*state = NULL;
	}
}

/* ---- the daemon ---------------------------------------------------------- */

static int parse_listen(const char *s, struct sockaddr_in *sa, rp_err *e)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return rp_errf(e, RP_EUSAGE, "--listen \"%s\" is not HOST:PORT, e.g. 127.0.0.1:8080", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (*end || port < 0 || port > 65535 || !colon[1])
		return rp_errf(e, RP_EUSAGE, "--listen: \"%s\" is not a port number", colon + 1);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return rp_errf(e, RP_EUSAGE, "--listen: \"%s\" is not an IPv4 address", host);
	return 0;
}

/* Webhook deliveries go from one thread of their own, so a slow receiver
** holds up no request: a pass over the queue every second. */
typedef struct sender {
	const char *db_target;
	atomic_int stop;
} sender;

/* Every TRIM_SECONDS this thread also gives the memory freed by the
** workers back to the system.  The C library keeps what a thread freed in
** that thread's arena for its next use, and SQLite frees and allocates its
** page cache over and over (it empties it whenever another connection has
** written): under load a server of 15 MB in use held 97 MB, and a trim
** brought it to 33 MB.  A trim takes a millisecond or so. */
#define TRIM_SECONDS 10

static void *send_webhooks(void *p)
{
	sender *s = p;
	db *d = NULL;
	for (unsigned pass = 1; !atomic_load(&s->stop); pass++) {
		rp_err e = {0};
		if (pass % TRIM_SECONDS == 0)
			malloc_trim(0);
		if (!d && store_open(s->db_target, 0, &d, &e))
			d = NULL;
		if (d && webhook_deliver(d, NULL, &e))
			fprintf(stderr, "rapport: webhook deliveries: %s\n", e.msg);
		for (int i = 0; i < 10 && !atomic_load(&s->stop); i++)
			usleep(100 * 1000);
	}
	if (d)
		db_close(d);
	return NULL;
}

/* Connections at once, from all clients and from one address.  Each
** connection costs a descriptor and at most the library's 32 kB buffer for
** its headers (a longer header is answered 431, a longer URL 414) and
** BODY_OWN of body: 2,000 connections, some 100 MB at worst.  A client
** that sends a header a byte at a time keeps its connection (the timeout
** below counts silence, not slowness), so one address may hold a quarter
** of them and the others still get in; 500 leaves room for a load test
** (256 connections) or a TLS front end, whose clients all come from its
** own address.  See docs/OPERATIONS.md, "Load and soak". */
#define CONNECTIONS 2000u
#define CONNECTIONS_PER_ADDRESS 500u
/* Seconds of silence after which a connection is closed. */
#define CONNECTION_TIMEOUT 30u

/* The connection limit, within the descriptors the process may open.  The
** usual soft limit of 1,024 would run out first, and then not only new
** connections but the store's own files fail: so the soft limit is raised
** to the hard one, and the connections kept below it by what each worker's
** store connection (SQLite's file, journal and shared memory) and the rest
** of the process need. */
static unsigned connection_limit(int threads)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return CONNECTIONS;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = {rl.rlim_max, rl.rlim_max};
		if (!setrlimit(RLIMIT_NOFILE, &up))
			rl = up;
	}
	rlim_t reserve = 64 + 4 * (rlim_t)threads;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= CONNECTIONS + reserve)
		return CONNECTIONS;
	return rl.rlim_cur > 2 * reserve ? (unsigned)(rl.rlim_cur - reserve) : (unsigned)(rl.rlim_cur / 2);
}

int http_serve(const http_config *cfg, rp_err *e)
{
	struct sockaddr_in sa;
	int rc = parse_listen(cfg->listen, &sa, e);
	if (rc)
		return rc;
	server sv = {.cfg = cfg, .tls = cfg->secure};
	over_tls = cfg->secure;
	/* The socket is bound here rather than by the library, so that a port
	** in use or an address of another machine is said as it is. */
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), yes = 1;
	if (fd < 0)
		return rp_errf(e, RP_EIO, "cannot make a socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes); /* a restart need not wait */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 511)) {
		int err = errno;
		close(fd);
		return rp_errf(e, RP_EIO, "cannot listen on %s: %s%s", cfg->listen, strerror(err),
			       err == EADDRINUSE ? " (another server has the port; choose another with --listen)"
			       : err == EADDRNOTAVAIL ? " (not an address of this machine)" : "");
	}
	socklen_t salen = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &salen);
	if (pthread_key_create(&sv.db_key, close_db)) {
		close(fd);
		return rp_errf(e, RP_ENOMEM, "cannot make thread storage");
	}
	int threads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	/* The workers inherit a mask without SIGINT and SIGTERM; this thread
	** waits for them below. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	unsigned limit = connection_limit(threads);
	struct MHD_Daemon *daemon = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, &sv,
		MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, limit < CONNECTIONS_PER_ADDRESS ? limit : CONNECTIONS_PER_ADDRESS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 << 10,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
	if (!daemon) {
		pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
		pthread_key_delete(sv.db_key);
		close(fd);
		return rp_errf(e, RP_EIO, "cannot serve on %s: the HTTP library did not start", cfg->listen);
	}
	char host[64];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	printf("listening on http://%s:%u\n", host, (unsigned)ntohs(sa.sin_port));
	fflush(stdout);
	sender snd = {.db_target = cfg->db_target};
	pthread_t sender_thread;
	int sending = pthread_create(&sender_thread, NULL, send_webhooks, &snd) == 0;
	int sig;
	sigwait(&stop, &sig);
	atomic_store(&snd.stop, 1);
	if (sending)
		pthread_join(sender_thread, NULL);
	MHD_stop_daemon(daemon);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	pthread_key_delete(sv.db_key);
	return 0;
}
