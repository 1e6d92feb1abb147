/*
** format/vcard: the reader is a byte-at-a-time state machine, so that
** chunks may split lines anywhere and a skipped property (a PHOTO of many
** megabytes, folded or not) is counted and dropped without being kept.
*/
#include "format/vcard.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct vcard_reader {
	vcard_fn fn;
	void *ctx;
	rp_buf line;          /* the logical line being read */
	unsigned long lineno; /* the physical line being read (1-based) */
	unsigned long start;  /* the physical line the logical one began on */
	int at_start;         /* at the start of a physical line */
	int cr;               /* a CR seen, not yet known to end the line */
	int known;            /* the property's name and parameters are known */
	int skip;             /* the property is dropped (PHOTO, ...) */
	int qp;               /* the property is QUOTED-PRINTABLE (soft breaks) */
	int quoted;           /* inside a quoted parameter value */
	int in_card;
	size_t card_bytes;
	size_t cards;
	vcard card;
	int failed;
};

static const char *const skipped[] = {"PHOTO", "LOGO", "SOUND", "KEY", NULL};

vcard_reader *vcard_reader_new(vcard_fn fn, void *ctx)
{
	vcard_reader *r = calloc(1, sizeof *r);
	if (r) {
		r->fn = fn;
		r->ctx = ctx;
		r->lineno = 1;
		r->at_start = 1;
	}
	return r;
}

static void card_clear(vcard *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->prop[i].name);
		free(c->prop[i].types);
		free(c->prop[i].value_type);
		free(c->prop[i].label);
		free(c->prop[i].value);
	}
	c->n = 0;
	c->version[0] = 0;
	c->skipped = 0;
}

void vcard_reader_free(vcard_reader *r)
{
	if (!r)
		return;
	card_clear(&r->card);
	free(r->card.prop);
	rp_buf_free(&r->line);
	free(r);
}

size_t vcard_reader_cards(const vcard_reader *r) { return r->cards; }

__attribute__((format(printf, 4, 5))) static int fail(vcard_reader *r, rp_err *e, unsigned long line,
						      const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return rp_errf(e, RP_EINVAL, "line %lu: %s", line, msg);
}

static int oom(vcard_reader *r, rp_err *e)
{
	r->failed = 1;
	return rp_errf(e, RP_ENOMEM, "out of memory");
}

/* The end of the property's name and parameters: the first ':' outside
** a quoted parameter value, or NULL. */
static char *colon_of(char *s)
{
	int q = 0;
	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == ':' && !q)
			return s;
	}
	return NULL;
}

static int utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k;
		unsigned min;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			k = 1, min = 0x80, c &= 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 2, min = 0x800, c &= 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 3, min = 0x10000, c &= 0x07;
		else
			return 0;
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* QUOTED-PRINTABLE in place: =XX bytes, '=' at the end of a line a soft
** break (already joined by the reader); a stray '=' is kept. */
static size_t qp_decode(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == '=' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = {p[1], p[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = 0;
	return (size_t)(w - s);
}

/* Convert n bytes from charset to a malloc'd UTF-8 string; NULL when the
** charset is unknown or the bytes are not in it (errno says which). */
static char *to_utf8(const char *charset, const char *s, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 4 + 1, left = cap - 1;
	char *out = malloc(cap), *w = out;
	char *in = (char *)s;
	size_t inleft = n;
	if (out && iconv(cd, &in, &inleft, &w, &left) == (size_t)-1) {
		free(out);
		out = NULL;
		errno = EILSEQ;
	}
	iconv_close(cd);
	if (out)
		*w = 0;
	return out;
}

static void add_types(rp_buf *t, const char *v)
{
	char *dup = strdup(v);
	if (!dup) {
		t->oom = 1;
		return;
	}
	for (char *tok = strtok(dup, ","); tok; tok = strtok(NULL, ",")) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (t->n)
			rp_buf_putc(t, ',');
		rp_buf_puts(t, tok);
	}
	free(dup);
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* A property of the card being read. */
static int property(vcard_reader *r, char *s, rp_err *e)
{
	unsigned long line = r->start;
	char *colon = colon_of(s);
	if (!colon)
		return fail(r, e, line, "\"%.60s\" is not a property: it has no ':'", s);
	*colon = 0;
	char *value = colon + 1;
	/* The name, then the parameters at ';' outside quotes. */
	char *params[64];
	int np = 0, q = 0;
	params[np++] = s;
	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == ';' && !q) {
			*p = 0;
			if (np == 64)
				return fail(r, e, line, "%s: more than 63 parameters", s);
			params[np++] = p + 1;
		}
	}
	char *name = params[0], *dot = strrchr(name, '.');
	if (dot)
		name = dot + 1;
	if (!*name)
		return fail(r, e, line, "a property without a name%s", "");
	for (char *p = name; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '-')
			return fail(r, e, line, "\"%.60s\" is not a property name", name);
	}
	if (!strcmp(name, "BEGIN")) {
		if (strcasecmp(value, "VCARD"))
			return fail(r, e, line, "BEGIN:%.60s inside a vCard (only BEGIN:VCARD starts one)", value);
		return fail(r, e, line, "BEGIN:VCARD before the card above it ended (END:VCARD missing)%s", "");
	}
	rp_buf types = {0};
	char *enc = NULL, *charset = NULL, *vtype = NULL, *label = NULL;
	for (int i = 1; i < np; i++) {
		char *pn = params[i], *eq = strchr(pn, '='), *pv;
		if (eq) {
			*eq = 0;
			pv = eq + 1;
			size_t l = strlen(pv);
			if (l >= 2 && pv[0] == '"' && pv[l - 1] == '"') {
				pv[l - 1] = 0;
				pv++;
			}
		} else {
			/* 2.1: a bare value; the encodings are known by name, the rest are types. */
			pv = pn;
			pn = (!strcasecmp(pv, "QUOTED-PRINTABLE") || !strcasecmp(pv, "BASE64") ||
			      !strcasecmp(pv, "8BIT") || !strcasecmp(pv, "7BIT"))
				     ? "ENCODING"
				     : "TYPE";
		}
		if (!strcasecmp(pn, "TYPE"))
			add_types(&types, pv);
		else if (!strcasecmp(pn, "ENCODING"))
			enc = pv;
		else if (!strcasecmp(pn, "CHARSET"))
			charset = pv;
		else if (!strcasecmp(pn, "VALUE"))
			vtype = pv;
		else if (!strcasecmp(pn, "LABEL"))
			label = pv;
	}
	if (enc && (!strcasecmp(enc, "B") || !strcasecmp(enc, "BASE64"))) {
		/* Binary data in a property we would keep: never text we can use. */
		rp_buf_free(&types);
		r->card.skipped++;
		return 0;
	}
	size_t n = strlen(value);
	if (enc && !strcasecmp(enc, "QUOTED-PRINTABLE"))
		n = qp_decode(value);
	char *v;
	if (memchr(value, 0, n)) {
		rp_buf_free(&types);
		return fail(r, e, line, "%s: the value holds a NUL byte", name);
	}
	if (charset && strcasecmp(charset, "UTF-8") && strcasecmp(charset, "UTF8") &&
	    strcasecmp(charset, "US-ASCII")) {
		if (!(v = to_utf8(charset, value, n))) {
			rp_buf_free(&types);
			return fail(r, e, line,
				    errno == EILSEQ ? "the value is not in its CHARSET %.60s"
						    : "unknown CHARSET %.60s",
				    charset);
		}
	} else if (!(v = malloc(n + 1))) {
		rp_buf_free(&types);
		return oom(r, e);
	} else {
		memcpy(v, value, n);
		v[n] = 0;
	}
	if (!utf8_valid((unsigned char *)v, strlen(v))) {
		free(v);
		rp_buf_free(&types);
		return fail(r, e, line, "%s: the value is not UTF-8 text (give its CHARSET, or save the file as UTF-8)",
			    name);
	}
	if (!strcmp(name, "VERSION")) {
		snprintf(r->card.version, sizeof r->card.version, "%s", v);
		free(v);
		rp_buf_free(&types);
		if (strcmp(r->card.version, "2.1") && strcmp(r->card.version, "3.0") && strcmp(r->card.version, "4.0"))
			return fail(r, e, line, "VERSION %.20s is not 2.1, 3.0 or 4.0", r->card.version);
		return 0;
	}
	vcard *c = &r->card;
	if (c->n == VCARD_MAX_PROPS) {
		free(v);
		rp_buf_free(&types);
		return fail(r, e, line, "the card has more than %s properties", "1000");
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		vcard_prop *p = realloc(c->prop, cap * sizeof *p);
		if (!p) {
			free(v);
			rp_buf_free(&types);
			return oom(r, e);
		}
		c->prop = p;
		c->cap = cap;
	}
	vcard_prop *p = &c->prop[c->n];
	*p = (vcard_prop){strdup(name), types.p ? types.p : strdup(""), lower_dup(vtype ? vtype : ""),
			  label ? strdup(label) : NULL, v, line};
	c->n++;
	if (!p->name || !p->types || !p->value_type || (label && !p->label) || types.oom)
		return oom(r, e);
	return 0;
}

/* A whole logical line. */
static int logical(vcard_reader *r, rp_err *e)
{
	char *s = r->line.p;
	if (r->line.oom)
		return oom(r, e);
	if (r->skip || !s)
		return 0;
	if (!*s || strspn(s, " \t") == strlen(s))
		return 0;
	if (!r->in_card) {
		if (!strncasecmp(s, "BEGIN:", 6) && !strcasecmp(s + 6, "VCARD")) {
			r->in_card = 1;
			r->card_bytes = 0;
			card_clear(&r->card);
			r->card.line = r->start;
			return 0;
		}
		return fail(r, e, r->start, "\"%.60s\" is outside a card: a card starts with BEGIN:VCARD", s);
	}
	if (!strncasecmp(s, "END:", 4)) {
		if (strcasecmp(s + 4, "VCARD"))
			return fail(r, e, r->start, "END:%.60s where END:VCARD was expected", s + 4);
		r->in_card = 0;
		r->cards++;
		int rc = r->fn(r->ctx, &r->card, e);
		card_clear(&r->card);
		if (rc)
			r->failed = 1;
		return rc;
	}
	return property(r, s, e);
}

/* The name and parameters are complete (at the first ':'): decide whether
** the property is dropped, and whether soft line breaks apply. */
static void head_known(vcard_reader *r)
{
	char *s = r->line.p;
	r->known = 1;
	if (!s)
		return; /* the line starts with ':': no name (property() says so) */
	size_t n = strcspn(s, ";:");
	char *dot = memchr(s, '.', n);
	const char *name = dot ? dot + 1 : s;
	size_t nl = n - (size_t)(name - s);
	for (int i = 0; skipped[i]; i++)
		if (strlen(skipped[i]) == nl && !strncasecmp(name, skipped[i], nl)) {
			r->skip = 1;
			rp_buf_clear(&r->line);
			r->card.skipped++;
			return;
		}
	for (char *p = s; *p; p++)
		if (!strncasecmp(p, "QUOTED-PRINTABLE", 16)) {
			r->qp = 1;
			break;
		}
}

static int content(vcard_reader *r, char c, rp_err *e)
{
	if (r->in_card && ++r->card_bytes > VCARD_MAX_CARD)
		return fail(r, e, r->start, "the card is larger than %s bytes", "16 MiB");
	if (r->skip)
		return 0;
	if (!r->known) {
		if (c == '"')
			r->quoted = !r->quoted;
		else if (c == ':' && !r->quoted) {
			head_known(r);
			if (r->skip)
				return 0;
		}
	}
	if (r->line.n >= VCARD_MAX_LINE)
		return fail(r, e, r->start, "a line longer than %s bytes (after unfolding)", "65536");
	rp_buf_putc(&r->line, c);
	return r->line.oom ? oom(r, e) : 0;
}

static int new_logical(vcard_reader *r, rp_err *e)
{
	int rc = 0;
	if (r->line.n || r->skip)
		rc = logical(r, e);
	rp_buf_clear(&r->line);
	r->known = r->skip = r->qp = r->quoted = 0;
	r->start = r->lineno;
	return rc;
}

int vcard_reader_feed(vcard_reader *r, const char *buf, size_t len, rp_err *e)
{
	if (r->failed)
		return rp_errf(e, RP_EINVAL, "the reader already failed");
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		int rc = 0;
		if (r->cr) {
			r->cr = 0;
			if (c != '\n' && (rc = content(r, '\r', e)))
				return rc;
		}
		if (c == '\r') {
			r->cr = 1;
			continue;
		}
		if (c == '\n') {
			r->lineno++;
			r->at_start = 1;
			continue;
		}
		if (r->at_start) {
			r->at_start = 0;
			if ((c == ' ' || c == '\t') && r->lineno > 1) {
				continue; /* a folded line goes on; its first blank is the fold */
			}
			if (r->qp && !r->skip && r->line.n && r->line.p[r->line.n - 1] == '=') {
				r->line.p[--r->line.n] = 0; /* a soft line break */
			} else if ((rc = new_logical(r, e))) {
				return rc;
			}
		}
		if (c == 0)
			return fail(r, e, r->lineno, "a NUL byte: this is not a text file%s", "");
		if ((rc = content(r, c, e)))
			return rc;
	}
	return 0;
}

int vcard_reader_finish(vcard_reader *r, rp_err *e)
{
	if (r->failed)
		return rp_errf(e, RP_EINVAL, "the reader already failed");
	int rc = new_logical(r, e);
	if (rc)
		return rc;
	if (r->in_card)
		return fail(r, e, r->card.line, "the card begun here has no END:VCARD%s", "");
	if (!r->cards)
		return fail(r, e, r->lineno, "no card found: a vCard file holds BEGIN:VCARD ... END:VCARD%s", "");
	return 0;
}

const vcard_prop *vcard_get(const vcard *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->prop[i].name, name))
			return &c->prop[i];
	return NULL;
}

int vcard_has_type(const vcard_prop *p, const char *t)
{
	size_t n = strlen(t);
	for (const char *s = p->types; *s;) {
		size_t l = strcspn(s, ",");
		if (l == n && !strncmp(s, t, n))
			return 1;
		s += l;
		if (*s)
			s++;
	}
	return 0;
}

int vcard_split(const char *value, char sep, char **parts, int max)
{
	int n = 0;
	rp_buf b = {0};
	for (const char *p = value;; p++) {
		if (!*p || (*p == sep && n < max - 1)) {
			rp_buf_putc(&b, 0);
			if (b.oom) {
				vcard_free_parts(parts, n);
				rp_buf_free(&b);
				return -1;
			}
			parts[n++] = b.p;
			b = (rp_buf){0};
			if (!*p)
				break;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
			rp_buf_putc(&b, *p == 'n' || *p == 'N' ? '\n' : *p);
		} else {
			rp_buf_putc(&b, *p);
		}
	}
	return n;
}

void vcard_free_parts(char **parts, int n)
{
	for (int i = 0; i < n; i++)
		free(parts[i]);
}

void vcard_escape(rp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == ',' || *s == ';') {
			rp_buf_putc(b, '\\');
			rp_buf_putc(b, *s);
		} else if (*s == '\n') {
			rp_buf_puts(b, "\\n");
		} else if (*s == '\r') {
			if (s[1] != '\n')
				rp_buf_puts(b, "\\n");
		} else {
			rp_buf_putc(b, *s);
		}
	}
}

void vcard_line(rp_buf *b, const char *name_params, const char *value)
{
	size_t col = 0;
	for (int part = 0; part < 3; part++) {
		const char *s = part == 0 ? name_params : part == 1 ? ":" : value;
		for (; *s; s++) {
			unsigned char c = (unsigned char)*s;
			/* Fold before 75 bytes, never inside a UTF-8 character. */
			size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
			if (len && col + len > 75) {
				rp_buf_puts(b, "\r\n ");
				col = 1;
			}
			rp_buf_putc(b, *s);
			col++;
		}
	}
	rp_buf_puts(b, "\r\n");
}
