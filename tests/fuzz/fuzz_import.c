/* CSV import (core/import.c): the header, every column's checks, consent
** lists, dates and money, contact references, against an in-memory store
** that holds a few contacts (fuzz.h) (so interactions and facts find
** someone).  The first byte of the input picks what is imported,
** --skip-bad, and whether the file's size is known (the bulk way of big
** files or of stdin, or the per-row way of small files); every import is
** a dry run, so the store stays as it was.  An import either
** succeeds or fails with a message; a report must be JSON. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const char *const what[] = {"contacts", "interactions", "facts"};
	if (!n)
		return 0;
	db *d = fuzz_store();
	/* The size is known, as for a file named on the command line, so most
	** imports take the per-row way of small files; one in 32 first bytes
	** hides it, as stdin does, for the bulk way (which on SQLite changes
	** the schema, and so costs a reading of the whole schema after the
	** rollback: ten times the rest). */
	import_opts o = {.dry_run = 1, .skip_bad = data[0] & 4, .total = (data[0] & 0xF8) == 0xF8 ? 0 : n - 1};
	const char *w = what[(data[0] & 3) % 3];
	/* fmemopen wants a buffer of at least one byte */
	char *copy = calloc(1, n);
	memcpy(copy, data + 1, n - 1);
	FILE *f = fmemopen(copy, n - 1 ? n - 1 : 1, "rb");
	if (!f)
		abort();
	if (n == 1)
		fgetc(f); /* an empty file */
	json_t *report = NULL;
	rp_err e = {0};
	int rc = import_csv(d, w, f, &o, &report, &e);
	if (rc && !e.msg[0])
		abort(); /* a refusal must say why */
	if (report) {
		char *s = json_dumps(report, 0);
		if (!s)
			abort();
		free(s);
	}
	json_decref(report);
	fclose(f);
	free(copy);
	return 0;
}
