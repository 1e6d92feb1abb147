/*
** bench/agenda DB DATE [RUNS]: time the agenda on a store (a SQLite file or a
** postgres:// URL) against the reference, the plain SQL a straightforward
** implementation would run for the same three sources (yearly dates, due
** follow-ups, contacts past their cadence, the last touch found from the
** interactions), in this process on the same connection.  Prints medians in
** milliseconds.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "rapport.h"

/* In the dialect both engines share (as core/ writes its SQL), so the same
** text is the reference on SQLite and on PostgreSQL. */
static const char *naive =
	"WITH last AS (SELECT contact_id, max(at) AS t FROM interaction GROUP BY contact_id),"
	" cand AS ("
	"  SELECT d.contact_id AS id, 60 AS w FROM contact_date d WHERE d.month = $1 AND d.day = $2"
	"  UNION ALL SELECT f.contact_id, 50 FROM fact f"
	"   WHERE f.follow_up <= $3 AND f.done_at IS NULL"
	"  UNION ALL SELECT c.id, 20 FROM contact c LEFT JOIN last l ON l.contact_id = c.id"
	"   WHERE coalesce(l.t, c.created_at) < $4 - 86400 * CASE c.tier WHEN 'panel' THEN 14"
	"    WHEN 'close' THEN 30 WHEN 'regular' THEN 90 ELSE 365 END)"
	" SELECT id, sum(w) AS s FROM cand GROUP BY id ORDER BY s DESC, id LIMIT 30";

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench/agenda DB|URL YYYY-MM-DD [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 20;
	if (runs < 1 || runs > 1000)
		runs = 20;
	db *d;
	rp_err e;
	agenda_opts o = {.limit = 30, .lookahead = 3, .lang = "en"};
	if (rp_date_parse(argv[2], 0, &o.date) < 0 || store_open(argv[1], 0, &d, &e)) {
		fprintf(stderr, "bench/agenda: %s\n", rp_date_parse(argv[2], 0, &o.date) < 0 ? "bad date" : e.msg);
		return 1;
	}
	double *t = calloc((size_t)runs, sizeof *t);
	size_t items = 0;
	for (int i = 0; i <= runs; i++) { /* the first run warms the cache and is not counted */
		json_t *r;
		double a = now_ms();
		if (agenda_build(d, &o, &r, &e)) {
			fprintf(stderr, "bench/agenda: %s\n", e.msg);
			return 1;
		}
		if (i)
			t[i - 1] = now_ms() - a;
		items = json_array_size(json_object_get(r, "items"));
		json_decref(r);
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	double ours = t[runs / 2];

	int nref = runs < 3 ? runs : 3;
	char day[11];
	rp_date_format(o.date, day);
	int64_t midnight = rp_days_from_civil(o.date.y, o.date.m, o.date.d) * 86400;
	for (int i = 0; i <= nref; i++) {
		double a = now_ms();
		db_stmt *s = db_query(d, &e, naive, "iiti", (int64_t)o.date.m, (int64_t)o.date.d, day, midnight);
		int rc;
		size_t n = 0;
		while (s && (rc = db_step(s, &e)) == DB_ROW)
			n++;
		db_reset(s);
		if (!s || rc != DB_DONE) {
			fprintf(stderr, "bench/agenda: reference: %s\n", e.msg);
			return 1;
		}
		if (i)
			t[i - 1] = now_ms() - a;
		(void)n;
	}
	qsort(t, (size_t)nref, sizeof *t, cmp);
	double ref = t[nref / 2];
	printf("%.3f %.3f %zu\n", ours, ref, items);
	free(t);
	db_close(d);
	return 0;
}
