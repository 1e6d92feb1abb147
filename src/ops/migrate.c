/*
** rapport migrate-store --from SOURCE --to TARGET: copy a whole store into
** another one, on the same engine or the other (a SQLite file into a
** PostgreSQL database, or back).  The source must be at this rapport's
** schema version and is only read; the target is created or brought up to
** date, must hold no rows, and receives everything in one transaction that
** is compared with the source before it commits (core/copy.c).
**
** A PostgreSQL URL may carry a password (postgres://user:secret@host/db or
** ?password=secret): it is shown as *** in the result and in every message.
*/
#include "ops/ops.h"

#include <string.h>
#include <sys/stat.h>

static int is_url(const char *target)
{
	return !strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13);
}

/* The spans of url that are passwords: the one after "user:" in the
** authority and the values of password= parameters.  Calls span(ctx,
** start, length) for each. */
static void passwords(const char *url, void (*span)(void *ctx, size_t at, size_t n), void *ctx)
{
	if (!is_url(url))
		return;
	size_t start = (size_t)(strstr(url, "://") - url) + 3;
	size_t end = start + strcspn(url + start, "/?#");
	const char *at = NULL;
	for (const char *p = url + start; p < url + end; p++) /* the last @: user info ends there */
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(url + start, ':', (size_t)(at - (url + start))) : NULL;
	if (colon)
		span(ctx, (size_t)(colon + 1 - url), (size_t)(at - colon - 1));
	const char *q = strchr(url + end, '?');
	for (const char *p = q ? q + 1 : NULL; p && *p;) {
		size_t n = strcspn(p, "&#");
		if (n > 9 && !strncmp(p, "password=", 9))
			span(ctx, (size_t)(p + 9 - url), n - 9);
		p += n;
		p = *p == '&' ? p + 1 : NULL;
	}
}

typedef struct masking {
	const char *url;
	rp_buf *out;
	size_t done; /* bytes of url already written */
} masking;

static void mask_span(void *ctx, size_t at, size_t n)
{
	masking *m = ctx;
	rp_buf_put(m->out, m->url + m->done, at - m->done);
	rp_buf_puts(m->out, n ? "***" : "");
	m->done = at + n;
}

/* url with its passwords shown as ***, into out. */
static void mask_url(const char *url, rp_buf *out)
{
	masking m = {url, out, 0};
	passwords(url, mask_span, &m);
	rp_buf_puts(out, url + m.done);
}

/* Replace every copy of s in e's message with ***. */
static void scrub_text(rp_err *e, const char *s)
{
	size_t n = strlen(s);
	if (!n || !strstr(e->msg, s))
		return;
	char out[sizeof e->msg];
	size_t k = 0;
	for (const char *p = e->msg; *p && k + 1 < sizeof out;) {
		if (!strncmp(p, s, n)) {
			for (int i = 0; i < 3 && k + 1 < sizeof out; i++)
				out[k++] = '*';
			p += n;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = 0;
	memcpy(e->msg, out, k + 1);
}

typedef struct scrubbing {
	rp_err *e;
	const char *url;
} scrubbing;

static int hex(char c)
{
	int l = c | 0x20;
	return c >= '0' && c <= '9' ? c - '0' : l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}

/* A password as written and as libpq reads it (%XX decoded). */
static void scrub_span(void *ctx, size_t at, size_t n)
{
	scrubbing *s = ctx;
	const char *p = s->url + at;
	char raw[256], plain[256];
	if (n >= sizeof raw)
		n = sizeof raw - 1; /* a longer password still loses its first 255 bytes */
	memcpy(raw, p, n);
	raw[n] = 0;
	scrub_text(s->e, raw);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n && hex(p[i + 1]) >= 0 && hex(p[i + 2]) >= 0) {
			plain[k++] = (char)(hex(p[i + 1]) * 16 + hex(p[i + 2]));
			i += 2;
		} else {
			plain[k++] = p[i];
		}
	}
	plain[k] = 0;
	scrub_text(s->e, plain);
}

/* No message leaves with a password of url in it, whoever wrote it. */
static void scrub(rp_err *e, const char *url)
{
	scrubbing s = {e, url};
	if (e)
		passwords(url, scrub_span, &s);
}

int ops_same_store(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 1;
	struct stat sa, sb;
	return !is_url(a) && !is_url(b) && !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The source is read as it is: at this rapport's schema version, or the
** user brings it there first (a copy never changes its source). */
static int check_source(db *src, const char *shown, rp_err *e)
{
	int current = rp_migrations[rp_nmigrations - 1].version;
	int64_t v = 0;
	rp_err why = {0};
	if (db_one_int(src, &why, &v, "SELECT coalesce(max(version), 0) FROM schema_version", ""))
		v = 0; /* no schema_version table: never initialised */
	if (v < current)
		return rp_errf(e, RP_EINVAL,
			       "%s is at schema version %lld, older than this rapport's %d, and a copy does not "
			       "change its source; bring it up to date first with 'rapport --db %s init'",
			       shown, (long long)v, current, shown);
	if (v > current)
		return rp_errf(e, RP_EINVAL,
			       "%s is at schema version %lld, newer than this rapport knows (%d); copy it with a "
			       "newer rapport",
			       shown, (long long)v, current);
	return 0;
}

static int migrate(op_ctx *c, const char *from, const char *to, const char *shown_from, const char *shown_to,
		   json_t **result, rp_err *e)
{
	if (ops_same_store(from, to))
		return rp_errf(e, RP_EUSAGE, "--from and --to both name %s; copy into another store", shown_from);
	db *src = NULL, *dst = NULL;
	int rc = db_open(from, 0, &src, e);
	if (rc == RP_ENOTFOUND)
		return rp_errf(e, rc, "no store at %s to copy from; check the --from path or URL", shown_from);
	if (rc)
		return rc;
	if ((rc = check_source(src, shown_from, e))) {
		db_close(src);
		return rc;
	}
	if ((rc = store_open(to, 1, &dst, e))) {
		db_close(src);
		return rc;
	}
	copy_opts o = {.progress = c->progress, .progress_ctx = c->progress_ctx};
	json_t *report = NULL;
	rc = store_copy(src, dst, &o, &report, e);
	db_close(dst);
	db_close(src);
	if (rc) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e ? e->msg : "");
		return rp_errf(e, rc, "cannot copy %s into %s: %s", shown_from, shown_to, why);
	}
	*result = json_pack("{s:s,s:s,s:O,s:O}", "from", shown_from, "to", shown_to, "tables",
			    json_object_get(report, "tables"), "rows", json_object_get(report, "rows"));
	json_decref(report);
	return *result ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
}

int op_migrate_store(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *from = arg_str(args, "from"), *to = arg_str(args, "to");
	rp_buf shown_from = {0}, shown_to = {0};
	mask_url(from, &shown_from);
	mask_url(to, &shown_to);
	int rc = shown_from.oom || shown_to.oom
			 ? rp_errf(e, RP_ENOMEM, "out of memory")
			 : migrate(c, from, to, shown_from.p, shown_to.p, result, e);
	if (rc) {
		scrub(e, from);
		scrub(e, to);
	}
	rp_buf_free(&shown_from);
	rp_buf_free(&shown_to);
	return rc;
}
