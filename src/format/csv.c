#include "format/csv.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
	struct csv_parser p;
	csv_row_fn fn;
	void *ctx;
	size_t max_row;
	uint64_t line;     /* physical line being fed, from 1 */
	uint64_t row_line; /* where the current row began */
	int started;       /* past the byte order mark check */
	int bom;           /* bytes of a byte order mark seen so far, held back */
	int stop;          /* the callback's nonzero answer */
	int too_big;
	rp_buf fields;     /* the row's fields, NUL-separated */
	size_t *off;
	size_t noff, capoff;
	char **argv;
	size_t capargv;
};

csv_reader *csv_reader_new(csv_row_fn fn, void *ctx, size_t max_row)
{
	csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		return NULL;
	}
	r->fn = fn;
	r->ctx = ctx;
	r->max_row = max_row;
	r->line = 1;
	return r;
}

void csv_reader_free(csv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	rp_buf_free(&r->fields);
	free(r->off);
	free(r->argv);
	free(r);
}

static void on_field(void *s, size_t len, void *data)
{
	csv_reader *r = data;
	if (r->stop || r->too_big)
		return;
	if (r->fields.n + len + 1 > r->max_row) {
		r->too_big = 1;
		return;
	}
	if (r->noff == r->capoff) {
		size_t cap = r->capoff ? r->capoff * 2 : 16;
		size_t *o = realloc(r->off, cap * sizeof *o);
		if (!o) {
			r->fields.oom = 1;
			return;
		}
		r->off = o;
		r->capoff = cap;
	}
	r->off[r->noff++] = r->fields.n;
	rp_buf_put(&r->fields, s ? s : "", s ? len : 0);
	rp_buf_putc(&r->fields, 0);
}

static void on_row(int c, void *data)
{
	csv_reader *r = data;
	(void)c;
	if (!r->stop && !r->too_big && !r->fields.oom) {
		if (r->capargv < r->noff + 1) {
			char **a = realloc(r->argv, (r->noff + 1) * sizeof *a);
			if (!a) {
				r->fields.oom = 1;
				goto clear;
			}
			r->argv = a;
			r->capargv = r->noff + 1;
		}
		for (size_t i = 0; i < r->noff; i++)
			r->argv[i] = r->fields.p + r->off[i];
		r->argv[r->noff] = NULL;
		r->stop = r->fn(r->ctx, r->argv, r->noff, r->row_line);
	}
clear:
	rp_buf_clear(&r->fields);
	r->noff = 0;
}

static int check(csv_reader *r, rp_err *e)
{
	if (r->fields.oom)
		return rp_errf(e, RP_ENOMEM, "out of memory while reading CSV");
	if (r->too_big)
		return rp_errf(e, RP_EINVAL, "line %llu: a row longer than %zu bytes; is this a CSV file?",
			       (unsigned long long)r->row_line, r->max_row);
	return r->stop;
}

static const char bom[] = "\xEF\xBB\xBF";

/* Feed one physical line at a time so each row knows where it began. */
static int feed_lines(csv_reader *r, const char *buf, size_t len, rp_err *e)
{
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) + 1 : len;
		if (r->p.pstate == 0)
			r->row_line = r->line;
		if (csv_parse(&r->p, buf, n, on_field, on_row, r) != n) {
			if (csv_error(&r->p) == CSV_EPARSE)
				return rp_errf(e, RP_EINVAL,
					       "line %llu: malformed CSV (a quote in an unquoted field, or text after a closing quote)",
					       (unsigned long long)r->line);
			return rp_errf(e, RP_ENOMEM, "out of memory while reading CSV");
		}
		int rc = check(r, e);
		if (rc)
			return rc;
		if (nl)
			r->line++;
		buf += n;
		len -= n;
	}
	return 0;
}

/* The byte order mark may arrive split over several feeds: hold its bytes
** back until it is complete (skipped) or proves not to be one (fed). */
static int skip_bom(csv_reader *r, const char **buf, size_t *len, rp_err *e)
{
	while (!r->started && *len) {
		if (**buf == bom[r->bom]) {
			++*buf;
			--*len;
			r->started = ++r->bom == 3;
			continue;
		}
		r->started = 1;
		return feed_lines(r, bom, (size_t)r->bom, e);
	}
	return 0;
}

int csv_reader_feed(csv_reader *r, const char *buf, size_t len, rp_err *e)
{
	int rc = skip_bom(r, &buf, &len, e);
	return rc ? rc : feed_lines(r, buf, len, e);
}

int csv_reader_finish(csv_reader *r, rp_err *e)
{
	if (!r->started && r->bom) { /* the input was a part of a mark only */
		r->started = 1;
		int rc = feed_lines(r, bom, (size_t)r->bom, e);
		if (rc)
			return rc;
	}
	if (r->p.pstate == 0)
		r->row_line = r->line;
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		return rp_errf(e, RP_EINVAL, "line %llu: the file ends inside a quoted field",
			       (unsigned long long)r->row_line);
	return check(r, e);
}

void csv_put(rp_buf *b, const char *field, int first)
{
	if (!first)
		rp_buf_putc(b, ',');
	if (!field)
		return;
	if (!strpbrk(field, ",\"\r\n") && field[0] != ' ' && field[0] != '\t' &&
	    !(field[0] && (field[strlen(field) - 1] == ' ' || field[strlen(field) - 1] == '\t'))) {
		rp_buf_puts(b, field);
		return;
	}
	rp_buf_putc(b, '"');
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			rp_buf_putc(b, '"');
		rp_buf_putc(b, *p);
	}
	rp_buf_putc(b, '"');
}

void csv_end_row(rp_buf *b) { rp_buf_put(b, "\r\n", 2); }
