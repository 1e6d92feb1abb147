/*
** Shared by the libFuzzer targets tests/fuzz/fuzz_*.c: the input as a
** NUL-terminated string, and an in-memory store made once per process.
*/
#ifndef RP_FUZZ_H
#define RP_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapport.h"

/* data[0..n) as a C string (it stops at the first NUL byte, as text from
** outside does once it reaches C). */
static inline char *fuzz_str(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = 0;
	return s;
}

/* Split the input at the first byte equal to sep: *rest is after it (""
** when there is none).  Modifies s. */
static inline char *fuzz_cut(char *s, char sep, char **rest)
{
	char *p = strchr(s, sep);
	if (p) {
		*p = 0;
		*rest = p + 1;
	} else {
		*rest = s + strlen(s);
	}
	return s;
}

static const char fuzz_people[] =
	"id,name,email,phone,tier,birthday,tags\n"
	"1,Анна Иванова,anna@example.org,+79161234567,close,1980-11-23,vip\n"
	"2,Bob Stone,bob@example.com,,regular,--02-29,\n"
	"3,Cécile Durand,cecile@example.fr,+33 1 23 45 67 89,distant,,\"a;b\"\n";

/* A fresh SQLite store in memory, migrated and holding the three contacts
** above (so that interactions, facts and links find someone), made on the
** first call; the same one after.  The clock is fixed so runs repeat. */
static inline db *fuzz_store(void)
{
	static db *d;
	if (d)
		return d;
	rp_err e = {0};
	setenv("RAPPORT_TODAY", "2026-11-23", 1);
	if (store_open(":memory:", 1, &d, &e)) {
		fprintf(stderr, "cannot make the store: %s\n", e.msg);
		abort();
	}
	FILE *f = fmemopen((void *)fuzz_people, sizeof fuzz_people - 1, "rb");
	json_t *report = NULL;
	import_opts o = {0};
	if (!f || import_csv(d, "contacts", f, &o, &report, &e)) {
		fprintf(stderr, "cannot import the contacts: %s\n", e.msg);
		abort();
	}
	fclose(f);
	json_decref(report);
	return d;
}

#endif
