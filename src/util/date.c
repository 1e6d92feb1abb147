#include "util/date.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days-from-civil algorithm: exact for all Gregorian
** dates, no tables, no time zone database. */
int64_t rp_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

rp_date rp_civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	rp_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int rp_days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && (y == 0 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return 29;
	return dim[m - 1];
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int rp_date_parse(const char *s, int allow_noyear, rp_date *out)
{
	rp_date d = {0, 0, 0};
	if (!s)
		return -1;
	if (s[0] == '-' && s[1] == '-') {
		if (!allow_noyear || strlen(s) != 7 || s[4] != '-')
			return -1;
		d.m = digits(s + 2, 2);
		d.d = digits(s + 5, 2);
	} else {
		if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
			return -1;
		d.y = digits(s, 4);
		d.m = digits(s + 5, 2);
		d.d = digits(s + 8, 2);
		if (d.y < 1)
			return -1;
	}
	if (d.m < 1 || d.m > 12 || d.d < 1 || d.d > rp_days_in_month(d.y, d.m))
		return -1;
	*out = d;
	return 0;
}

char *rp_date_format(rp_date d, char buf[11])
{
	if (d.y)
		snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
			 (unsigned)d.d % 100u);
	else
		snprintf(buf, 11, "--%02u-%02u", (unsigned)d.m % 100u, (unsigned)d.d % 100u);
	return buf;
}

static const char *fixed_today(void)
{
	const char *t = getenv("RAPPORT_TODAY");
	return t && *t ? t : NULL;
}

/* RAPPORT_NOW (Unix seconds or an ISO time) fixes the clock to the second:
** what minutes decide (a complaint's first response) is tested with it.
** Like RAPPORT_TODAY, nothing sets it but tests and demos; a value that is
** not a time is ignored. */
static int fixed_now(int64_t *t)
{
	const char *s = getenv("RAPPORT_NOW");
	return s && *s && rp_ts_parse(s, t) == 0;
}

rp_date rp_today(void)
{
	rp_date d;
	int64_t now;
	if (fixed_now(&now))
		return rp_civil_from_days(rp_day_of(now));
	const char *t = fixed_today();
	if (t && rp_date_parse(t, 0, &d) == 0)
		return d;
	return rp_civil_from_days((int64_t)time(NULL) / 86400);
}

int64_t rp_now(void)
{
	rp_date d;
	int64_t now;
	if (fixed_now(&now))
		return now;
	const char *t = fixed_today();
	if (t && rp_date_parse(t, 0, &d) == 0)
		return rp_days_from_civil(d.y, d.m, d.d) * 86400 + 12 * 3600;
	return (int64_t)time(NULL);
}

int rp_ts_parse(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -1;
	/* Plain Unix seconds. */
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p && strspn(p, "0123456789") == strlen(p) && strlen(p) <= 12) {
		*out = strtoll(s, NULL, 10);
		return 0;
	}
	char date[11];
	if (strlen(s) < 10)
		return -1;
	memcpy(date, s, 10);
	date[10] = 0;
	rp_date d;
	if (rp_date_parse(date, 0, &d) < 0)
		return -1;
	int64_t t = rp_days_from_civil(d.y, d.m, d.d) * 86400;
	p = s + 10;
	if (*p == 0) {
		*out = t;
		return 0;
	}
	if (*p != 'T' && *p != ' ' && *p != 't')
		return -1;
	p++;
	int hh = digits(p, 2), mm = -1, ss = 0;
	if (hh < 0 || p[2] != ':')
		return -1;
	mm = digits(p + 3, 2);
	if (mm < 0)
		return -1;
	p += 5;
	if (*p == ':') {
		ss = digits(p + 1, 2);
		if (ss < 0)
			return -1;
		p += 3;
		if (*p == '.') { /* fractions of a second are dropped */
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	t += hh * 3600 + mm * 60 + ss;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '+' ? 1 : -1;
		int oh = digits(p + 1, 2), om;
		if (oh < 0)
			return -1;
		if (p[3] == ':') {
			om = digits(p + 4, 2);
			p += 6;
		} else {
			om = digits(p + 3, 2);
			p += 5;
		}
		if (om < 0 || oh > 14 || om > 59)
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	}
	if (*p)
		return -1;
	*out = t;
	return 0;
}

int64_t rp_day_of(int64_t t) { return t >= 0 ? t / 86400 : -((-t + 86399) / 86400); }

char *rp_ts_format(int64_t t, char buf[21])
{
	int64_t days = rp_day_of(t);
	int64_t sec = t - days * 86400;
	rp_date d = rp_civil_from_days(days);
	snprintf(buf, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
		 (unsigned)d.d % 100u, (unsigned)(sec / 3600) % 100u, (unsigned)(sec / 60 % 60),
		 (unsigned)(sec % 60));
	return buf;
}

int rp_money_parse(const char *s, int64_t *minor)
{
	if (!s || !*s)
		return -1;
	int neg = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		return -1;
	int64_t units = 0;
	while (isdigit((unsigned char)*s)) {
		if (units > (INT64_MAX / 100 - 9) / 10)
			return -1;
		units = units * 10 + (*s++ - '0');
	}
	int64_t cents = 0;
	if (*s == '.' || *s == ',') {
		s++;
		int n = 0;
		while (isdigit((unsigned char)*s) && n < 3) {
			cents = cents * 10 + (*s++ - '0');
			n++;
		}
		if (n == 0 || n > 2)
			return -1;
		if (n == 1)
			cents *= 10;
	}
	if (*s)
		return -1;
	*minor = (units * 100 + cents) * (neg ? -1 : 1);
	return 0;
}

char *rp_money_format(int64_t minor, char buf[32])
{
	uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	snprintf(buf, 32, "%s%" PRIu64 ".%02" PRIu64, minor < 0 ? "-" : "", a / 100, a % 100);
	return buf;
}
