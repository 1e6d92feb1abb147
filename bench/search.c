/*
** bench/search DB RUNS QUERY: time rapport's search for QUERY (words as a
** person types them; a trailing '*' asks for a prefix) against the
** reference, one plain SQL statement that does the same job with the
** engine's own full-text search: the best 20 hits over contacts, facts and
** interactions, each with its text and its contact.  On SQLite the
** reference queries the store's FTS5 tables directly; on PostgreSQL it is
** the documented to_tsvector('russian', ...) @@ to_tsquery(...) over the
** expression indexes bench/run adds for it (rapport's own indexes are over
** its rp_tsv(), which the reference does not use).  Both run in this
** process on the same connection.  Prints the medians in milliseconds and
** the number of hits of each.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "rapport.h"

#define LIMIT 20

/* bm25 is negative, smaller is better: the FTS5 documentation's ranking. */
static const char *ref_sqlite =
	"WITH hit AS ("
	"  SELECT 'contact' AS kind, rowid AS ref, bm25(contact_fts) AS r FROM contact_fts"
	"   WHERE contact_fts MATCH $1"
	"  UNION ALL SELECT 'fact', rowid, bm25(fact_fts) FROM fact_fts WHERE fact_fts MATCH $1"
	"  UNION ALL SELECT 'interaction', rowid, bm25(interaction_fts) FROM interaction_fts"
	"   WHERE interaction_fts MATCH $1"
	"  ORDER BY r, kind, ref LIMIT $2)"
	" SELECT h.kind, h.ref, c.id, c.name, coalesce(f.body, i.summary, c.name), i.at, i.kind"
	" FROM hit h"
	" LEFT JOIN fact f ON h.kind = 'fact' AND f.id = h.ref"
	" LEFT JOIN interaction i ON h.kind = 'interaction' AND i.id = h.ref"
	" JOIN contact c ON c.id = CASE h.kind WHEN 'contact' THEN h.ref"
	"  WHEN 'fact' THEN f.contact_id ELSE i.contact_id END"
	" ORDER BY h.r, h.kind, h.ref";

/* The expressions of the indexes bench/run makes for the reference. */
static const char *ref_postgres =
	"WITH q AS (SELECT to_tsquery('russian', $1) AS q),"
	" hit AS ("
	"  SELECT 'contact' AS kind, c.id AS ref,"
	"   ts_rank(to_tsvector('russian', c.name || ' ' || coalesce(c.note, '')), q.q) AS r"
	"   FROM contact c, q WHERE to_tsvector('russian', c.name || ' ' || coalesce(c.note, '')) @@ q.q"
	"  UNION ALL SELECT 'fact', f.id, ts_rank(to_tsvector('russian', f.body), q.q)"
	"   FROM fact f, q WHERE to_tsvector('russian', f.body) @@ q.q"
	"  UNION ALL SELECT 'interaction', i.id, ts_rank(to_tsvector('russian', i.summary), q.q)"
	"   FROM interaction i, q WHERE to_tsvector('russian', i.summary) @@ q.q"
	"  ORDER BY r DESC, kind, ref LIMIT $2)"
	" SELECT h.kind, h.ref, c.id, c.name, coalesce(f.body, i.summary, c.name), i.at, i.kind"
	" FROM hit h"
	" LEFT JOIN fact f ON h.kind = 'fact' AND f.id = h.ref"
	" LEFT JOIN interaction i ON h.kind = 'interaction' AND i.id = h.ref"
	" JOIN contact c ON c.id = CASE h.kind WHEN 'contact' THEN h.ref"
	"  WHEN 'fact' THEN f.contact_id ELSE i.contact_id END"
	" ORDER BY h.r DESC, h.kind, h.ref";

/* The query in the engine's own syntax: words joined by AND, a trailing
** '*' a prefix.  The benchmark's words are plain letters, so nothing needs
** quoting. */
static char *engine_query(const char *text, int pg)
{
	char *q = malloc(strlen(text) * 3 + 1), *o = q;
	if (!q)
		return NULL;
	for (const char *s = text; *s;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (o != q)
			o += pg ? (strcpy(o, " & "), 3) : (strcpy(o, " "), 1);
		while (*s && *s != ' ') {
			if (*s == '*' && pg)
				o += (strcpy(o, ":*"), 2);
			else
				*o++ = *s;
			s++;
		}
	}
	*o = 0;
	return q;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench/search DB RUNS QUERY\n");
		return 2;
	}
	int runs = atoi(argv[2]);
	if (runs < 1 || runs > 1000)
		runs = 20;
	const char *text = argv[3];
	db *d;
	rp_err e;
	if (store_open(argv[1], 0, &d, &e)) {
		fprintf(stderr, "bench/search: %s\n", e.msg);
		return 1;
	}
	int pg = !strcmp(db_engine(d), "postgres");
	char *q = engine_query(text, pg);
	double *t = calloc((size_t)runs, sizeof *t), *ref = calloc((size_t)runs, sizeof *ref);
	if (!q || !t || !ref) {
		fprintf(stderr, "bench/search: out of memory\n");
		return 1;
	}

	/* Taken in turns, so that a passing load on the machine falls on both;
	** the first turn warms the cache and is not counted. */
	size_t hits = 0, n = 0;
	for (int i = 0; i <= runs; i++) {
		json_t *r;
		double a = now_ms();
		if (search_run(d, text, LIMIT, &r, &e)) {
			fprintf(stderr, "bench/search: %s\n", e.msg);
			return 1;
		}
		if (i)
			t[i - 1] = now_ms() - a;
		hits = json_array_size(json_object_get(r, "hits"));
		json_decref(r);

		a = now_ms();
		db_stmt *s = db_query(d, &e, pg ? ref_postgres : ref_sqlite, "ti", q, (int64_t)LIMIT);
		int rc;
		n = 0;
		/* Read every column, as rapport reads its hits' texts. */
		while (s && (rc = db_step(s, &e)) == DB_ROW) {
			for (int c = 0; c < db_col_count(s); c++)
				(void)db_col_text(s, c);
			n++;
		}
		db_reset(s);
		if (!s || rc != DB_DONE) {
			fprintf(stderr, "bench/search: reference: %s\n", e.msg);
			return 1;
		}
		if (i)
			ref[i - 1] = now_ms() - a;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	qsort(ref, (size_t)runs, sizeof *ref, cmp);
	printf("%.3f %.3f %zu %zu\n", t[runs / 2], ref[runs / 2], hits, n);
	free(ref);
	free(t);
	free(q);
	db_close(d);
	return 0;
}
