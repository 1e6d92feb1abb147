/*
** http/: the HTTP edge.  rapport serve answers the JSON API under /api/v1/
** from the operation table (http/router.c finds the row for a method and a
** path) and serves the embedded web UI at /.
*/
#ifndef RP_HTTP_H
#define RP_HTTP_H

#include "ops/ops.h"

typedef struct http_config {
	const char *db_target; /* the store every worker thread opens */
	const char *listen;    /* "HOST:PORT" (IPv4); port 0 picks a free one */
	int threads;           /* worker threads; 0: one per processor */
	size_t max_body;       /* larger request bodies are refused (413) */
	int secure;            /* reached over TLS (through a TLS front end): cookies get Secure */
} http_config;

/* Serve until SIGINT or SIGTERM.  Prints "listening on http://HOST:PORT"
** on stdout once ready. */
int http_serve(const http_config *cfg, rp_err *e);

/* The operation for method and path (an already decoded URL path), with
** the path's {variables} put into params as strings.  NULL when no route
** matches; *other_method is set when the path matches another method. */
const op *http_route(const char *method, const char *path, json_t *params, int *other_method);

/* A text value (path variable or query string) put into args as the
** operation's argument key is typed; an error when o has no such argument,
** the text is not of its type, or it is given twice. */
int http_arg_text(const op *o, json_t *args, const char *key, const char *v, rp_err *e);
/* The arguments in a request body of n bytes with Content-Type type (NULL
** when absent): a JSON object's members, or a page's form as "form". */
int http_body_args(const op *o, const char *type, const char *body, size_t n, json_t *args, rp_err *e);

/* HTTP status for an error code. */
unsigned http_status(int code);

#endif
