/*
** layout: the columns of the contact spreadsheets other programs export,
** mapped by their header names to the fields of a person (contact_up).
**
**   google   Google Contacts: Name or First/Given Name, Middle/Additional
**            Name, Last/Family Name, "E-mail N - Value" (its label in
**            "E-mail N - Type" or "- Label"), "Phone N - Value", "Address N -
**            Formatted", "Website N - Value", Organization Name or
**            "Organization 1 - Name", Birthday, Notes, Group Membership or
**            Labels (" ::: " apart; Google's own "* myContacts" and
**            "* starred" are not tags).  Several values in one cell are
**            " ::: " apart.
**   outlook  Outlook: First/Middle/Last Name, Company, E-mail Address,
**            E-mail 2 Address, E-mail 3 Address, Mobile Phone, Business
**            Phone (2), Home Phone (2), Other Phone, Primary Phone, the
**            Home/Business/Other Street, City, State, Postal Code and
**            Country/Region (one address each), Web Page, Birthday and
**            Anniversary (M/D/YYYY; 0/0/00 is none), Notes, Categories
**            (; apart).
**   rapport  our contacts CSV: name, email, phone, postal, birthday, tags,
**            note (; apart); the rest (id, tier, owner, ...) is left out:
**            'rapport import contacts' takes those.
** A column named "External ID" (any layout) or Google's "Resource Name"
** is the person's id in that system.  --map "Column=field,..." names the
** fields of any other file (layout_fields).  Columns no rule knows are
** reported as ignored, not an error: such files carry dozens.
*/
#include "core/core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum field {
	F_NONE, F_NAME, F_GIVEN, F_MIDDLE, F_FAMILY, F_EMAIL, F_PHONE, F_ADDRESS, F_ADDR_PART, F_URL,
	F_BIRTHDAY, F_ANNIVERSARY, F_NOTE, F_TAGS, F_ORG, F_XID, F_LABEL
};

const char *const layout_fields[] = {"name", "given", "middle", "family", "email", "phone", "mobile",
				     "work_phone", "home_phone", "address", "birthday", "anniversary", "note",
				     "tags", "org", "url", "external_id", NULL};
const char *const layout_names[] = {"google", "outlook", "rapport", NULL};

typedef struct col {
	enum field f;
	const char *label; /* a fixed label (outlook's Mobile Phone: mobile) */
	int group;         /* google: the N of "E-mail N"; outlook: the address group */
	int label_of;      /* F_LABEL: the field whose label this column holds */
} col;

struct layout {
	char name[16];
	col *c;
	size_t n;
	int labels[3][16]; /* google: column of the label of E-mail, Phone, Address N, or -1 */
};

/* "E-mail 12 - Value" → 12 and the rest after the number, for prefix "E-mail ". */
static int numbered(const char *h, const char *prefix, const char **rest)
{
	size_t l = strlen(prefix);
	if (strncasecmp(h, prefix, l) || !isdigit((unsigned char)h[l]))
		return 0;
	char *end;
	long n = strtol(h + l, &end, 10);
	if (n < 1 || n > 15)
		return 0;
	*rest = end;
	return (int)n;
}

static int google(layout *L, size_t i, const char *h)
{
	static const char *const kinds[] = {"E-mail ", "Phone ", "Address "};
	col *c = &L->c[i];
	const char *rest;
	int n;
	for (int k = 0; k < 3; k++)
		if ((n = numbered(h, kinds[k], &rest))) {
			if (!strcasecmp(rest, " - Type") || !strcasecmp(rest, " - Label")) {
				L->labels[k][n] = (int)i;
				c->f = F_LABEL;
				return 1;
			}
			if (!strcasecmp(rest, k == 2 ? " - Formatted" : " - Value")) {
				c->f = k == 0 ? F_EMAIL : k == 1 ? F_PHONE : F_ADDRESS;
				c->group = n;
				c->label_of = k;
				return 1;
			}
			return 0;
		}
	if ((n = numbered(h, "Website ", &rest)) && !strcasecmp(rest, " - Value"))
		return c->f = F_URL, 1;
	if ((n = numbered(h, "Organization ", &rest)) && n == 1 && !strcasecmp(rest, " - Name"))
		return c->f = F_ORG, 1;
	static const struct {
		const char *h;
		enum field f;
	} named[] = {{"Name", F_NAME},		  {"Given Name", F_GIVEN},	  {"First Name", F_GIVEN},
		     {"Additional Name", F_MIDDLE}, {"Middle Name", F_MIDDLE},	  {"Family Name", F_FAMILY},
		     {"Last Name", F_FAMILY},	  {"Organization Name", F_ORG}, {"Birthday", F_BIRTHDAY},
		     {"Notes", F_NOTE},		  {"Group Membership", F_TAGS}, {"Labels", F_TAGS},
		     {"Resource Name", F_XID},	  {"External ID", F_XID}};
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (!strcasecmp(h, named[k].h))
			return c->f = named[k].f, 1;
	return 0;
}

static int outlook(layout *L, size_t i, const char *h)
{
	col *c = &L->c[i];
	static const struct {
		const char *h;
		enum field f;
		const char *label;
	} named[] = {{"First Name", F_GIVEN, NULL},	  {"Middle Name", F_MIDDLE, NULL},
		     {"Last Name", F_FAMILY, NULL},	  {"Company", F_ORG, NULL},
		     {"E-mail Address", F_EMAIL, NULL},	  {"E-mail 2 Address", F_EMAIL, NULL},
		     {"E-mail 3 Address", F_EMAIL, NULL}, {"Mobile Phone", F_PHONE, "mobile"},
		     {"Business Phone", F_PHONE, "work"}, {"Business Phone 2", F_PHONE, "work"},
		     {"Home Phone", F_PHONE, "home"},	  {"Home Phone 2", F_PHONE, "home"},
		     {"Other Phone", F_PHONE, NULL},	  {"Primary Phone", F_PHONE, NULL},
		     {"Web Page", F_URL, NULL},		  {"Birthday", F_BIRTHDAY, NULL},
		     {"Anniversary", F_ANNIVERSARY, NULL}, {"Notes", F_NOTE, NULL},
		     {"Categories", F_TAGS, NULL},	  {"External ID", F_XID, NULL}};
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (!strcasecmp(h, named[k].h))
			return c->f = named[k].f, c->label = named[k].label, 1;
	static const char *const groups[] = {"Home ", "Business ", "Other "};
	static const char *const parts[] = {"Street", "Street 2", "Street 3", "City", "State", "Postal Code",
					    "Country/Region", "Country", NULL};
	for (int g = 0; g < 3; g++) {
		size_t l = strlen(groups[g]);
		if (!strncasecmp(h, groups[g], l))
			for (int p = 0; parts[p]; p++)
				if (!strcasecmp(h + l, parts[p])) {
					c->f = F_ADDR_PART;
					c->group = g;
					c->label = g == 0 ? "home" : g == 1 ? "work" : NULL;
					return 1;
				}
	}
	return 0;
}

static int ours(layout *L, size_t i, const char *h)
{
	static const struct {
		const char *h;
		enum field f;
	} named[] = {{"name", F_NAME},	   {"email", F_EMAIL}, {"phone", F_PHONE}, {"postal", F_ADDRESS},
		     {"birthday", F_BIRTHDAY}, {"tags", F_TAGS},   {"note", F_NOTE},   {"external_id", F_XID}};
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (!strcmp(h, named[k].h))
			return L->c[i].f = named[k].f, 1;
	return 0;
}

/* A field name of --map into the column. */
static int mapped(col *c, const char *field)
{
	static const struct {
		const char *name;
		enum field f;
		const char *label;
	} m[] = {{"name", F_NAME, NULL},	     {"given", F_GIVEN, NULL},	     {"middle", F_MIDDLE, NULL},
		 {"family", F_FAMILY, NULL},	     {"email", F_EMAIL, NULL},	     {"phone", F_PHONE, NULL},
		 {"mobile", F_PHONE, "mobile"},	     {"work_phone", F_PHONE, "work"}, {"home_phone", F_PHONE, "home"},
		 {"address", F_ADDRESS, NULL},	     {"birthday", F_BIRTHDAY, NULL},  {"anniversary", F_ANNIVERSARY, NULL},
		 {"note", F_NOTE, NULL},	     {"tags", F_TAGS, NULL},	     {"org", F_ORG, NULL},
		 {"url", F_URL, NULL},		     {"external_id", F_XID, NULL}};
	for (size_t k = 0; k < sizeof m / sizeof *m; k++)
		if (!strcmp(field, m[k].name))
			return c->f = m[k].f, c->label = m[k].label, 1;
	return 0;
}

/* Apply --map "Column A=name,Column B=email" to the header. */
static int apply_map(layout *L, const char *map, char **h, size_t n, rp_err *e)
{
	char *spec = strdup(map), buf[300];
	if (!spec)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = 0;
	for (char *item = strtok(spec, ","); item && !rc; item = strtok(NULL, ",")) {
		char *eq = strrchr(item, '=');
		if (!eq) {
			rc = rp_errf(e, RP_EUSAGE, "--map item \"%s\" is not COLUMN=FIELD", item);
			break;
		}
		*eq = 0;
		char *column = str_trim(item), *field = str_trim(eq + 1);
		size_t i = 0;
		while (i < n && strcmp(h[i], column ? column : ""))
			i++;
		if (!column || !field)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		else if (i == n)
			rc = rp_errf(e, RP_EINVAL, "--map names the column \"%s\", which the header does not have", column);
		else if (!mapped(&L->c[i], field))
			rc = rp_errf(e, RP_EUSAGE, "--map: \"%s\" is not a field; the fields are %s", field,
				     words_list(layout_fields, buf, sizeof buf));
		free(column);
		free(field);
	}
	free(spec);
	return rc;
}

static const char *detect(char **h, size_t n)
{
	int g = 0, o = 0, r = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rest;
		if (!strcasecmp(h[i], "Given Name") || !strcasecmp(h[i], "Group Membership") ||
		    numbered(h[i], "E-mail ", &rest) == 1 || numbered(h[i], "Phone ", &rest) == 1)
			g += strstr(h[i], " - ") || strchr(h[i], ' ') ? 1 : 0;
		if (!strcasecmp(h[i], "E-mail Address") || !strcasecmp(h[i], "Mobile Phone") ||
		    !strcasecmp(h[i], "Business Phone") || !strcasecmp(h[i], "Categories"))
			o++;
		if (!strcmp(h[i], "name") || !strcmp(h[i], "postal") || !strcmp(h[i], "tags"))
			r++;
	}
	return g ? "google" : o ? "outlook" : r ? "rapport" : NULL;
}

layout *layout_new(const char *name, const char *map, char **h, size_t n, json_t *ignored, rp_err *e)
{
	char buf[200];
	if (name && !one_of(name, layout_names)) {
		rp_errf(e, RP_EUSAGE, "layout \"%s\" is not one of %s; or give --map", name,
			words_list(layout_names, buf, sizeof buf));
		return NULL;
	}
	if (!name && !map && !(name = detect(h, n))) {
		rp_errf(e, RP_EINVAL,
			"the header is not that of a Google Contacts, Outlook or rapport file; say which columns "
			"hold what with --map \"Column=name,Column=email\" (fields: %s)",
			words_list(layout_fields, buf, sizeof buf));
		return NULL;
	}
	layout *L = calloc(1, sizeof *L);
	if (!L || !(L->c = calloc(n ? n : 1, sizeof *L->c))) {
		free(L);
		rp_errf(e, RP_ENOMEM, "out of memory");
		return NULL;
	}
	L->n = n;
	snprintf(L->name, sizeof L->name, "%s", name ? name : "map");
	memset(L->labels, -1, sizeof L->labels);
	for (size_t i = 0; i < n; i++) {
		/* A byte order mark or spaces around a name are no part of it. */
		char *t = str_trim(h[i]);
		int known = !t ? 0
			    : !name			 ? 0
			    : !strcmp(name, "google")	 ? google(L, i, t)
			    : !strcmp(name, "outlook") ? outlook(L, i, t)
							 : ours(L, i, t);
		free(t);
		if (!known)
			L->c[i].f = F_NONE;
	}
	if (map && apply_map(L, map, h, n, e)) {
		layout_free(L);
		return NULL;
	}
	int names = 0, any = 0;
	for (size_t i = 0; i < n; i++) {
		names += L->c[i].f == F_NAME || L->c[i].f == F_GIVEN || L->c[i].f == F_FAMILY;
		any += L->c[i].f == F_EMAIL || L->c[i].f == F_PHONE;
		if (L->c[i].f == F_NONE && *h[i] && ignored && json_array_size(ignored) < 200)
			json_array_append_new(ignored, json_string(h[i]));
	}
	if (!names && !any) {
		rp_errf(e, RP_EINVAL, "no column holds a name, an email or a phone (layout %s)", L->name);
		layout_free(L);
		return NULL;
	}
	return L;
}

char *layout_keep(layout_pool *p, char *s)
{
	if (!s || p->n == (int)(sizeof p->s / sizeof *p->s)) {
		free(s);
		p->oom = 1;
		return NULL;
	}
	return p->s[p->n++] = s;
}

void layout_pool_free(layout_pool *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->s[i]);
	p->n = 0;
}

static char *lower_label(const char *s)
{
	char *d = str_trim(s);
	for (char *q = d; q && *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

const char *layout_name(const layout *L) { return L->name; }

void layout_free(layout *L)
{
	if (L)
		free(L->c);
	free(L);
}

/* Outlook's M/D/YYYY (or D.M.YYYY as Russian Outlook writes it), or ours
** and Google's YYYY-MM-DD and --MM-DD, into buf; 0/0/00 and empty: none. */
static int spreadsheet_date(const char *v, char buf[11])
{
	int a, b, y;
	char sep;
	rp_date dt;
	buf[0] = 0;
	if (!strcmp(v, "0/0/00") || !strcmp(v, "00.00.0000"))
		return 0;
	if (sscanf(v, "%d%c%d%*c%d", &a, &sep, &b, &y) == 4 && (sep == '/' || sep == '.') && y > 1000) {
		int m = sep == '/' ? a : b, d = sep == '/' ? b : a;
		if (m < 1 || m > 12 || d < 1 || d > 31 || y > 9999)
			return -1;
		snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	} else
		snprintf(buf, 11, "%.10s", v);
	return rp_date_parse(buf, 1, &dt);
}

/* Split a cell into values: " ::: " (Google), ';' (Outlook, ours). */
static int values(const char *cell, const char *layout, char **out, int max)
{
	int n = 0;
	const char *sep = !strcmp(layout, "google") ? ":::" : ";";
	const char *p = cell;
	while (*p && n < max) {
		const char *q = strstr(p, sep);
		size_t l = q ? (size_t)(q - p) : strlen(p);
		char *v = malloc(l + 1);
		if (!v)
			break;
		memcpy(v, p, l);
		v[l] = 0;
		char *t = str_trim(v);
		free(v);
		if (t && *t)
			out[n++] = t;
		else
			free(t);
		p += l;
		if (q)
			p += strlen(sep);
	}
	return n;
}

int layout_person(const layout *L, char **f, size_t n, contact_up *u, layout_pool *pool, char *msg, size_t size)
{
	rp_buf name = {0}, addr[3] = {{0}};
	char *v[UPSERT_MAX];
	int rc = 0;
	const char *full = NULL;
	for (size_t i = 0; i < n && i < L->n && !rc; i++) {
		const col *c = &L->c[i];
		const char *cell = f[i];
		if (c->f == F_NONE || c->f == F_LABEL || str_blank(cell))
			continue;
		switch (c->f) {
		case F_NAME: full = cell; break;
		case F_GIVEN:
		case F_MIDDLE:
		case F_FAMILY:
			break; /* below, in order */
		case F_ADDR_PART:
			if (addr[c->group].n)
				rp_buf_puts(&addr[c->group], ", ");
			rp_buf_puts(&addr[c->group], cell);
			break;
		case F_EMAIL:
		case F_PHONE:
		case F_ADDRESS:
		case F_URL: {
			const char *label = c->label;
			if (!label && c->group && L->labels[c->label_of][c->group] >= 0 &&
			    (size_t)L->labels[c->label_of][c->group] < n)
				label = f[L->labels[c->label_of][c->group]];
			/* Google's "* Mobile" marks the primary; the star is no part of the label. */
			if (label && !strncmp(label, "* ", 2))
				label += 2;
			int k = c->f == F_ADDRESS && strcmp(L->name, "google") ? (v[0] = str_trim(cell)) != NULL
										: values(cell, L->name, v, UPSERT_MAX);
			for (int j = 0; j < k; j++) {
				char *val = layout_keep(pool, v[j]);
				if (u->nchan == UPSERT_MAX) {
					snprintf(msg, size, "more than %d emails, phones and addresses", UPSERT_MAX);
					rc = -1;
					continue;
				}
				u->chan[u->nchan++] = (upsert_chan){c->f == F_EMAIL ? "email" : c->f == F_PHONE ? "phone"
												   : c->f == F_URL ? "web"
												: "address",
								    val, label && *label ? layout_keep(pool, lower_label(label)) : NULL};
			}
			break;
		}
		case F_BIRTHDAY:
		case F_ANNIVERSARY: {
			char d[11];
			if (spreadsheet_date(cell, d) < 0) {
				snprintf(msg, size, "%s \"%.100s\" is not a date like 1985-04-15, --04-15 or 4/15/1985",
					 c->f == F_BIRTHDAY ? "birthday" : "anniversary", cell);
				rc = -1;
			} else if (*d) {
				char *dd = layout_keep(pool, strdup(d));
				if (c->f == F_BIRTHDAY)
					u->birthday = dd;
				else
					u->anniversary = dd;
			}
			break;
		}
		case F_NOTE: u->note = cell; break;
		case F_ORG: u->org = cell; break;
		case F_XID: {
			char x[600];
			snprintf(x, sizeof x, "%s:%.500s", L->name, cell);
			u->xid = layout_keep(pool, strdup(x));
			break;
		}
		case F_TAGS: {
			int k = values(cell, L->name, v, UPSERT_MAX);
			for (int j = 0; j < k; j++) {
				char *t = layout_keep(pool, v[j]);
				/* Google's system groups are not the user's tags. */
				if (!t || !strncmp(t, "* ", 2) || !strcmp(t, "myContacts") || !strcmp(t, "starred"))
					continue;
				if (u->ntag == UPSERT_MAX) {
					snprintf(msg, size, "more than %d tags", UPSERT_MAX);
					rc = -1;
					break;
				}
				u->tag[u->ntag++] = t;
			}
			break;
		}
		default: break;
		}
	}
	for (int g = 0; g < 3 && !rc; g++)
		if (addr[g].n && !addr[g].oom && u->nchan < UPSERT_MAX)
			u->chan[u->nchan++] = (upsert_chan){"address", layout_keep(pool, strdup(addr[g].p)),
							    g == 0 ? "home" : g == 1 ? "work" : NULL};
	if (!full) {
		static const enum field order[] = {F_GIVEN, F_MIDDLE, F_FAMILY};
		for (int o = 0; o < 3; o++)
			for (size_t i = 0; i < n && i < L->n; i++)
				if (L->c[i].f == order[o] && !str_blank(f[i])) {
					char *t = str_trim(f[i]);
					if (t && name.n)
						rp_buf_putc(&name, ' ');
					if (t)
						rp_buf_puts(&name, t);
					free(t);
				}
		if (name.n)
			full = layout_keep(pool, strdup(name.p));
	}
	u->name = full;
	for (int g = 0; g < 3; g++)
		rp_buf_free(&addr[g]);
	rp_buf_free(&name);
	if (!rc && pool->oom) {
		snprintf(msg, size, "out of memory");
		rc = -2;
	}
	return rc;
}
