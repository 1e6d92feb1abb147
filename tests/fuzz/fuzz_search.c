/* What a person types into search, as each engine's query: SQLite's FTS5
** phrases (sq_fts_query) and PostgreSQL's tsquery terms (pg_search_terms,
** pg_search_any_terms), without a database.  The SQLite query must be
** well formed (every word a closed quoted phrase) so it can never be FTS5
** syntax; the PostgreSQL terms may hold only letters, digits, bytes of
** UTF-8 sequences and the operators the code puts between them. */
#include "fuzz.h"

#include <ctype.h>

#include "db/vfs.h"

static void check_fts(const char *q)
{
	/* outside quotes only the join, spaces and a '*' after a phrase */
	int in = 0;
	for (const char *p = q; *p; p++) {
		if (*p == '"') {
			if (in && p[1] == '"')
				p++; /* a doubled quote inside a phrase */
			else
				in = !in;
		} else if (!in && !strchr(" OR*", *p))
			abort();
	}
	if (in)
		abort();
}

static void check_ts(const char *q)
{
	for (const char *p = q; q && *p; p++)
		if (!(isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80 || strchr(" &|:*", *p)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *s = fuzz_str(data, n);
	char *q = sq_fts_query(s, " ");
	if (!q)
		abort();
	check_fts(q);
	free(q);
	if (!(q = sq_fts_query(s, " OR ")))
		abort();
	check_fts(q);
	free(q);
	char *plain, *prefix;
	if (pg_search_terms(s, &plain, &prefix))
		abort();
	check_ts(plain);
	check_ts(prefix);
	free(plain);
	free(prefix);
	if (pg_search_any_terms(s, &q))
		abort();
	check_ts(q);
	free(q);
	free(s);
	return 0;
}
