#include "core/core.h"

#include <ctype.h>

#include <stdlib.h>
#include <string.h>

#include "util/fold.h"

json_t *col_json_text(db_stmt *s, int i)
{
	const char *t = db_col_text(s, i);
	return t ? json_string(t) : json_null();
}

json_t *col_json_int(db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

json_t *col_json_ts(db_stmt *s, int i)
{
	char buf[21];
	return db_col_null(s, i) ? json_null() : json_string(rp_ts_format(db_col_int(s, i), buf));
}

int rows_json(db_stmt *s, json_t *(*row)(db_stmt *s), json_t **out, rp_err *e)
{
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(a, row(s));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		*out = NULL;
		return rc;
	}
	*out = a;
	return 0;
}

static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char *str_trim(const char *s)
{
	if (!s)
		return NULL;
	while (space(*s))
		s++;
	size_t n = strlen(s);
	while (n && space(s[n - 1]))
		n--;
	char *r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = 0;
	}
	return r;
}

int str_blank(const char *s)
{
	if (!s)
		return 1;
	while (space(*s))
		s++;
	return *s == 0;
}

char *like_pattern(const char *folded)
{
	size_t n = strlen(folded);
	char *p = malloc(2 * n + 3), *o = p;
	if (!p)
		return NULL;
	*o++ = '%';
	for (const char *c = folded; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	*o++ = '%';
	*o = 0;
	return p;
}

int one_of(const char *v, const char *const *allowed)
{
	for (; v && *allowed; allowed++)
		if (!strcmp(v, *allowed))
			return 1;
	return 0;
}

const char *words_list(const char *const *allowed, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; allowed[i] && n < size; i++) {
		const char *sep = i == 0 ? "" : allowed[i + 1] ? ", " : " or ";
		n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, allowed[i]);
	}
	return buf;
}

int check_text(const char *field, const char *v, size_t max, rp_err *e)
{
	if (!v)
		return 0;
	size_t n = strlen(v);
	if (!rp_utf8_valid(v, n))
		return rp_errf(e, RP_EINVAL, "%s is not valid UTF-8 text", field);
	if (n > max)
		return rp_errf(e, RP_EINVAL, "%s is too long (%zu bytes, at most %zu)", field, n, max);
	return 0;
}

int str_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}
