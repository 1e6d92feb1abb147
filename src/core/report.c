/*
** The stories report: what clients keep telling us over time and what we
** did about it.  Themes (core/similar.c) counted by kind and by month or
** quarter, the stories no lesson was drawn from yet, and the lessons by
** status.  The web UI draws its chart from this document as it is.
*/
#include "core/core.h"

#include <string.h>

#define MAX_PERIODS 120

static void period_name(int by, int y, int m, char buf[24])
{
	if (by == 'q')
		snprintf(buf, 24, "%04d-Q%d", y, (m - 1) / 3 + 1);
	else
		snprintf(buf, 24, "%04d-%02d", y, m);
}

static json_t *unlessoned_row(db_stmt *s)
{
	return json_pack("{s:I,s:{s:I,s:o},s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "contact", "id",
			 (json_int_t)db_col_int(s, 1), "name", col_json_text(s, 2), "told_on", col_json_text(s, 3),
			 "kind", col_json_text(s, 4), "text", col_json_text(s, 5));
}

/* The stories since the day that no lesson links: how many, and the newest 20. */
static int without_lesson(db *d, const char *since, json_t **out, rp_err *e)
{
	int64_t count;
	int rc = db_one_int(d, e, &count,
			    "SELECT count(*) FROM story s WHERE s.told_on >= $1"
			    " AND NOT EXISTS (SELECT 1 FROM lesson_story l WHERE l.story_id = s.id)",
			    "t", since);
	if (rc)
		return rc;
	db_stmt *s = db_query(d, e,
			      "SELECT s.id, s.contact_id, c.name, s.told_on, s.kind, s.body FROM story s"
			      " JOIN contact c ON c.id = s.contact_id WHERE s.told_on >= $1"
			      " AND NOT EXISTS (SELECT 1 FROM lesson_story l WHERE l.story_id = s.id)"
			      " ORDER BY s.told_on DESC, s.id DESC LIMIT 20",
			      "t", since);
	json_t *rows;
	if (!s || (rc = rows_json(s, unlessoned_row, &rows, e)))
		return s ? rc : e->code;
	*out = json_pack("{s:I,s:o}", "count", (json_int_t)count, "stories", rows);
	return 0;
}

static int lessons_by_status(db *d, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT status, count(*) FROM lesson GROUP BY status", "");
	if (!s)
		return e->code;
	json_t *o = json_pack("{s:i,s:i,s:i,s:i}", "open", 0, "doing", 0, "done", 0, "dropped", 0);
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_object_set_new(o, db_col_text(s, 0), json_integer(db_col_int(s, 1)));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int story_report(db *d, const char *since, const char *by, json_t **out, rp_err *e)
{
	int per;
	if (!by || !*by || !strcmp(by, "month"))
		per = 'm';
	else if (!strcmp(by, "quarter"))
		per = 'q';
	else
		return rp_errf(e, RP_EINVAL, "--by \"%s\" is not month or quarter", by);
	rp_date t = rp_today(), from;
	char day[11];
	int rc;
	if (since && *since) {
		if ((rc = day_check("--since", since, day, e)))
			return rc;
		rp_date_parse(day, 0, &from);
		if (rp_days_from_civil(from.y, from.m, from.d) > rp_days_from_civil(t.y, t.m, t.d))
			return rp_errf(e, RP_EINVAL, "--since %s is after today; give a day in the past", day);
	} else {
		/* twelve months, or four quarters, this one included */
		int back = per == 'q' ? 9 + (t.m - 1) % 3 : 11, months = t.y * 12 + (t.m - 1) - back;
		from = (rp_date){months / 12, months % 12 + 1, 1};
		rp_date_format(from, day);
	}
	themes_q q = {day, NULL, STORY_LEXICON, 0, 0, per, from, 0};
	if (per == 'q')
		q.start.m = (from.m - 1) / 3 * 3 + 1;
	q.start.d = 1;
	q.nperiods = per == 'q' ? (t.y - q.start.y) * 4 + ((t.m - 1) / 3 - (q.start.m - 1) / 3) + 1
				: (t.y - q.start.y) * 12 + (t.m - q.start.m) + 1;
	if (q.nperiods > MAX_PERIODS)
		return rp_errf(e, RP_EINVAL, "from %s the report would have %d periods, more than %d; give a later --since%s",
			       day, q.nperiods, MAX_PERIODS, per == 'm' ? " or --by quarter" : "");
	json_t *periods = json_array();
	for (int i = 0, y = q.start.y, m = q.start.m; i < q.nperiods; i++) {
		char name[24];
		period_name(per, y, m, name);
		json_array_append_new(periods, json_string(name));
		m += per == 'q' ? 3 : 1;
		if (m > 12) {
			m -= 12;
			y++;
		}
	}
	json_t *themes = NULL, *bare = NULL, *lessons = NULL;
	int capped = 0;
	int64_t n;
	if ((rc = themes_run(d, &q, &themes, &capped, &n, e)) || (rc = without_lesson(d, day, &bare, e)) ||
	    (rc = lessons_by_status(d, &lessons, e))) {
		json_decref(periods);
		json_decref(themes);
		json_decref(bare);
		return rc;
	}
	/* the report counts; the stories themselves are in 'story themes' */
	size_t i;
	json_t *th;
	json_array_foreach(themes, i, th)
	{
		json_object_del(th, "examples");
		json_object_del(th, "story_ids");
	}
	*out = json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:o}", "since", day, "by", per == 'q' ? "quarter" : "month", "capped",
			 capped, "periods", periods, "themes", themes, "without_lesson", bare, "lessons", lessons);
	return 0;
}
