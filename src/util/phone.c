/* util/phone: the rules are in phone.h. */
#include "util/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct region {
	const char *code, *cc, *trunk, *intl, *intl2;
	int nmin, nmax; /* digits of the national number */
} region;

static const region regions[] = {
	{"RU", "7", "8", "810", "00", 10, 10},
	{"GB", "44", "0", "00", NULL, 9, 10},
	{"US", "1", "1", "011", NULL, 10, 10},
	{"DE", "49", "0", "00", NULL, 5, 13},
	{"FR", "33", "0", "00", NULL, 9, 9},
};

const char *const phone_regions[] = {"RU", "GB", "US", "DE", "FR", NULL};

static const region *find(const char *code)
{
	for (size_t i = 0; code && i < sizeof regions / sizeof *regions; i++)
		if (!strcmp(regions[i].code, code))
			return &regions[i];
	return NULL;
}

int phone_region_check(const char *code, rp_err *e)
{
	if (!find(code))
		return rp_errf(e, RP_EINVAL,
			       "region \"%s\" is not one whose phone numbers rapport knows; use RU, GB, US, DE or FR "
			       "(or write numbers with their country code, like +44 20 7946 0958)",
			       code ? code : "");
	return 0;
}

static int starts(const char *s, const char *p) { return p && !strncmp(s, p, strlen(p)); }

int phone_e164(const char *raw, const char *code, char *buf, size_t size, rp_err *e)
{
	const region *r = find(code);
	if (!r)
		return phone_region_check(code, e);
	char d[64];
	size_t n = 0;
	int plus = 0;
	const char *p = raw;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+')
		plus = 1, p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof d)
				return rp_errf(e, RP_EINVAL, "phone \"%.100s\" has too many digits", raw);
			d[n++] = *p;
		} else if (!strchr(" \t.-/()", *p)) {
			return rp_errf(e, RP_EINVAL,
				       "phone \"%.100s\" has a character that is not a digit; write it like +79161234567",
				       raw);
		}
	}
	d[n] = 0;
	const char *national = NULL, *cc = NULL, *intl = NULL;
	if (plus) {
		intl = d;
	} else if (starts(d, r->intl) || starts(d, r->intl2)) {
		intl = d + (starts(d, r->intl) ? strlen(r->intl) : strlen(r->intl2));
	} else if (!strcmp(r->code, "RU") && n == 11 && d[0] == '7') {
		cc = "7", national = d + 1;
	} else if (starts(d, r->trunk) && (int)(n - strlen(r->trunk)) >= r->nmin &&
		   (int)(n - strlen(r->trunk)) <= r->nmax) {
		cc = r->cc, national = d + strlen(r->trunk);
	} else if ((int)n >= r->nmin && (int)n <= r->nmax && !starts(d, r->trunk)) {
		cc = r->cc, national = d;
	}
	if (intl) {
		size_t k = strlen(intl);
		if (k < 8 || k > 15 || intl[0] == '0')
			return rp_errf(e, RP_EINVAL, "phone \"%.100s\" is not an international number (8 to 15 digits)",
				       raw);
		return snprintf(buf, size, "+%s", intl) >= (int)size ? rp_errf(e, RP_EINVAL, "phone too long") : 0;
	}
	if (!national)
		return rp_errf(e, RP_EINVAL,
			       "phone \"%.100s\" is not a number of region %s; write it with its country code, like +%s...",
			       raw, r->code, r->cc);
	if (strlen(cc) + strlen(national) > 15)
		return rp_errf(e, RP_EINVAL, "phone \"%.100s\" has more than 15 digits", raw);
	return snprintf(buf, size, "+%s%s", cc, national) >= (int)size ? rp_errf(e, RP_EINVAL, "phone too long")
								      : 0;
}
