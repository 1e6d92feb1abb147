/*
** funnel: how clients moved on the ladder (core/ladder.c) in a period,
** read from the stage_move history alone, so that it does not change when
** clients are later moved, merged or erased.
**
** The period is the days from..to (UTC), both included: moves with
** from 00:00 <= at < the day after to, 00:00.  For each stage S:
**
**   entered     how many distinct clients moved into S in the period.
**   erased      of those, how many have been erased since (their moves are
**               kept without the person, for these counts): each such move
**               counts as one client, and they cannot be followed further.
**   converted   of the clients who entered S in the period (not erased),
**               how many moved to a stage above S after entering it and
**               before the period's end (skipping rungs counts: a client
**               who goes from yes straight to customer has converted from
**               yes).  null for advocate, the top.
**   conversion  converted / (entered - erased), or null when that is 0.
**   median_days the median time in S of the moves out of S (up or down) in
**               the period, in days: from the client's latest move into S
**               before it, or, for a client who never moved into S (every
**               contact starts as a stranger), from when the contact was
**               added.  Erased clients are left out.  null without moves.
**   dropped     how many distinct clients moved down out of S in the
**               period (erased ones one per move).
**
** Moves at the same second are ordered by their id, as the history is.
*/
#include "core/core.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NSTAGES 7

/* A stage's rank in SQL, for comparing two stages. */
#define RANK(col)                                                                                      \
	"(CASE " col " WHEN 'stranger' THEN 0 WHEN 'attention' THEN 1 WHEN 'yes' THEN 2 WHEN 'dialogue' THEN 3" \
	" WHEN 'trust' THEN 4 WHEN 'customer' THEN 5 ELSE 6 END)"

typedef struct tally {
	int64_t entered, erased, converted, dropped;
	int64_t *spent; /* seconds in the stage of each move out of it */
	size_t n, cap;
} tally;

/* Run sql over the period ($1 start, $2 end) and add each row's count
** (column 1) to the field at offset `field` of the tally of the stage in
** column 0. */
static int count_by_stage(db *d, const char *sql, int64_t lo, int64_t hi, tally *t, size_t field, rp_err *e)
{
	db_stmt *s = db_query(d, e, sql, "ii", lo, hi);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int r = ladder_rank(db_col_text(s, 0));
		if (r >= 0)
			*(int64_t *)((char *)&t[r] + field) += db_col_int(s, 1);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int time_spent(db *d, int64_t lo, int64_t hi, tally *t, rp_err *e)
{
	db_stmt *s = db_query(
		d, e,
		"SELECT m.from_stage, m.at - coalesce((SELECT max(x.at) FROM stage_move x"
		"  WHERE x.contact_id = m.contact_id AND x.to_stage = m.from_stage"
		"  AND (x.at < m.at OR (x.at = m.at AND x.id < m.id))), c.created_at)"
		" FROM stage_move m JOIN contact c ON c.id = m.contact_id WHERE m.at >= $1 AND m.at < $2",
		"ii", lo, hi);
	if (!s)
		return e ? e->code : RP_EDB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int r = ladder_rank(db_col_text(s, 0));
		int64_t spent = db_col_int(s, 1);
		/* A contact added after the move it starts from (its history was
		** imported) has no time to measure. */
		if (r < 0 || spent < 0)
			continue;
		tally *k = &t[r];
		if (k->n == k->cap) {
			size_t cap = k->cap ? 2 * k->cap : 16;
			int64_t *more = realloc(k->spent, cap * sizeof *more);
			if (!more) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			k->spent = more;
			k->cap = cap;
		}
		k->spent[k->n++] = spent;
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static json_t *median_days(tally *k)
{
	if (!k->n)
		return json_null();
	qsort(k->spent, k->n, sizeof *k->spent, cmp_i64);
	double m = k->n % 2 ? (double)k->spent[k->n / 2] : ((double)k->spent[k->n / 2 - 1] + (double)k->spent[k->n / 2]) / 2;
	return json_real(round(m / 864.0) / 100.0); /* days, to two decimals */
}

int funnel_build(db *d, rp_date from, rp_date to, json_t **out, rp_err *e)
{
	int64_t lo = rp_days_from_civil(from.y, from.m, from.d) * 86400,
		hi = (rp_days_from_civil(to.y, to.m, to.d) + 1) * 86400;
	char a[11], b[11];
	if (lo >= hi)
		return rp_errf(e, RP_EINVAL, "the period starts (%s) after it ends (%s); give --from before --to",
			       rp_date_format(from, a), rp_date_format(to, b));
	tally t[NSTAGES] = {0};
	json_t *labels = NULL;
	int rc = ladder_labels(d, &labels, e);
	if (!rc)
		rc = count_by_stage(d,
				    "SELECT to_stage, count(DISTINCT contact_id) + count(*) - count(contact_id)"
				    " FROM stage_move WHERE at >= $1 AND at < $2 GROUP BY to_stage",
				    lo, hi, t, offsetof(tally, entered), e);
	if (!rc)
		rc = count_by_stage(d,
				    "SELECT to_stage, count(*) FROM stage_move"
				    " WHERE at >= $1 AND at < $2 AND contact_id IS NULL GROUP BY to_stage",
				    lo, hi, t, offsetof(tally, erased), e);
	if (!rc)
		rc = count_by_stage(d,
				    "SELECT e.to_stage, count(DISTINCT e.contact_id) FROM stage_move e"
				    " WHERE e.at >= $1 AND e.at < $2 AND e.contact_id IS NOT NULL"
				    " AND EXISTS (SELECT 1 FROM stage_move n WHERE n.contact_id = e.contact_id AND n.at < $2"
				    "  AND (n.at > e.at OR (n.at = e.at AND n.id > e.id))"
				    "  AND " RANK("n.to_stage") " > " RANK("e.to_stage") ")"
				    " GROUP BY e.to_stage",
				    lo, hi, t, offsetof(tally, converted), e);
	if (!rc)
		rc = count_by_stage(d,
				    "SELECT from_stage, count(DISTINCT contact_id) + count(*) - count(contact_id)"
				    " FROM stage_move WHERE at >= $1 AND at < $2"
				    " AND " RANK("to_stage") " < " RANK("from_stage") " GROUP BY from_stage",
				    lo, hi, t, offsetof(tally, dropped), e);
	if (!rc)
		rc = time_spent(d, lo, hi, t, e);
	if (!rc) {
		json_t *stages = json_array();
		for (int i = 0; i < NSTAGES; i++) {
			tally *k = &t[i];
			int top = !ladder_stages[i + 1];
			int64_t known = k->entered - k->erased;
			json_array_append_new(
				stages,
				json_pack("{s:s,s:O,s:I,s:I,s:o,s:o,s:o,s:I}", "stage", ladder_stages[i], "label",
					  json_object_get(labels, ladder_stages[i]), "entered", (json_int_t)k->entered,
					  "erased", (json_int_t)k->erased, "converted",
					  top ? json_null() : json_integer(k->converted), "conversion",
					  top || !known ? json_null() : json_real((double)k->converted / (double)known),
					  "median_days", median_days(k), "dropped", (json_int_t)k->dropped));
		}
		*out = json_pack("{s:s,s:s,s:o}", "from", rp_date_format(from, a), "to", rp_date_format(to, b), "stages",
				 stages);
	}
	for (int i = 0; i < NSTAGES; i++)
		free(t[i].spent);
	json_decref(labels);
	return rc;
}
