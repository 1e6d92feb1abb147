/*
** A summary file: one row per customer, columns named in a header.  The
** names of the CDNOW files and of the lifetimes package are both read.
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/csv.h"
#include "model/fit.h"

enum { COL_X, COL_TX, COL_T, COL_M, NCOL };

static const char *const names[NCOL][4] = {
	{"frequency", "x", NULL},
	{"recency", "t_x", NULL},
	{"T", NULL},
	{"monetary_value", "monetary", "zbar", "m"},
};

typedef struct load {
	int col[NCOL]; /* field index of each column, -1 when absent */
	int header;
	clv_customer *v;
	size_t n, cap;
	rp_err *e;
} load;

static int column_of(const char *field)
{
	for (int k = 0; k < NCOL; k++)
		for (int i = 0; i < 4 && names[k][i]; i++)
			if (!strcasecmp(field, names[k][i]))
				return k;
	return -1;
}

static int read_header(load *l, char **f, size_t n, uint64_t line)
{
	for (int k = 0; k < NCOL; k++)
		l->col[k] = -1;
	for (size_t i = 0; i < n; i++) {
		int k = column_of(f[i]);
		if (k >= 0 && l->col[k] < 0)
			l->col[k] = (int)i;
	}
	for (int k = 0; k < COL_M; k++)
		if (l->col[k] < 0)
			return rp_errf(l->e, RP_EINVAL,
				"line %llu: the header has no %s column; a summary file names frequency, recency "
				"and T (and optionally monetary_value) in its first row",
				(unsigned long long)line, names[k][0]);
	l->header = 1;
	return 0;
}

static int on_row(void *ctx, char **f, size_t n, uint64_t line)
{
	load *l = ctx;
	if (!l->header)
		return read_header(l, f, n, line);
	double v[NCOL] = {0};
	for (int k = 0; k < NCOL; k++) {
		if (l->col[k] < 0)
			continue;
		if ((size_t)l->col[k] >= n)
			return rp_errf(l->e, RP_EINVAL, "line %llu: %zu fields, the header has more",
				(unsigned long long)line, n);
		const char *s = f[l->col[k]];
		char *endp;
		v[k] = strtod(s, &endp);
		if (!*s || *endp)
			return rp_errf(l->e, RP_EINVAL, "line %llu: %s '%s' is not a number", (unsigned long long)line,
				names[k][0], s);
	}
	clv_customer c = {v[COL_X], v[COL_TX], v[COL_T], v[COL_M]};
	rp_err why = {0};
	if (clv_check_one(&c, &why))
		return rp_errf(l->e, why.code, "line %llu: %s", (unsigned long long)line, why.msg);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		clv_customer *p = realloc(l->v, cap * sizeof *p);
		if (!p)
			return rp_errf(l->e, RP_ENOMEM, "out of memory at line %llu", (unsigned long long)line);
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = c;
	return 0;
}

int clv_load_summary(const char *bytes, size_t len, clv_customer **out, size_t *n, rp_err *e)
{
	*out = NULL;
	*n = 0;
	load l = {.e = e};
	csv_reader *r = csv_reader_new(on_row, &l, 1 << 16);
	if (!r)
		return rp_errf(e, RP_ENOMEM, "out of memory reading a summary file");
	int rc = csv_reader_feed(r, bytes, len, e);
	if (!rc)
		rc = csv_reader_finish(r, e);
	csv_reader_free(r);
	if (!rc && !l.n)
		rc = rp_errf(e, RP_EINVAL, "the summary file has no customers: a header and one row per customer");
	if (rc) {
		free(l.v);
		return e && e->code ? e->code : rc;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
