/*
** lessons: what the business changes because of what clients told.  A
** person turns a story into a lesson (a title saying what to change, for
** the whole process or one segment), gives it an owner, and links every
** other story that supports it.  An open or doing lesson stays on its
** owner's agenda until it is done (with a note of what was done) or
** dropped.  Erasing a client takes the links to their stories, never the
** lesson: the change stays the business's.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = {"open", "doing", "done", "dropped", NULL};
/* What "lesson set" may move a lesson to: done goes through "lesson done",
** which asks what was done. */
static const char *const settable[] = {"doing", "dropped", NULL};

static int story_known(db *d, int64_t story, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT 1 FROM story WHERE id = $1", "i", story);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	db_reset(s);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return rp_errf(e, RP_ENOTFOUND, "no story has id %lld; 'rapport story list' shows the stories",
			       (long long)story);
	return rc;
}

/* The lesson's status into buf, or RP_ENOTFOUND. */
static int lesson_status(db *d, int64_t id, char *buf, size_t size, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT status FROM lesson WHERE id = $1", "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(buf, size, "%s", db_col_text(s, 0));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no lesson has id %lld; 'rapport lesson list' shows the lessons",
			     (long long)id);
	}
	db_reset(s);
	return rc;
}

int lesson_check(const lesson_in *in, rp_err *e)
{
	int rc;
	if (in->story_id <= 0)
		return rp_errf(e, RP_EINVAL, "a lesson comes from a story; give the id of the story that taught it");
	if (str_blank(in->title))
		return rp_errf(e, RP_EINVAL, "a lesson needs a title saying what to change; give it after the story id");
	if (str_blank(in->owner))
		return rp_errf(e, RP_EINVAL, "a lesson needs an owner who sees it through; give their login with --owner");
	if ((rc = check_text("the lesson's title", in->title, 1000, e)) ||
	    (rc = check_text("the owner", in->owner, 200, e)) ||
	    (rc = check_text("the segment", in->segment, 200, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	/* The segment is a saved filter of contacts, checked now so that it
	** can be counted and listed later. */
	if (in->segment && !str_blank(in->segment)) {
		contact_filter f;
		char *buf;
		if ((rc = contact_filter_parse(in->segment, &f, &buf, e)))
			return rc;
		free(buf);
	}
	return 0;
}

int lesson_add(db *d, const lesson_in *in, int64_t *id, rp_err *e)
{
	int rc = lesson_check(in, e);
	if (rc)
		return rc;
	char *title = str_trim(in->title), *owner = str_trim(in->owner);
	char *segment = in->segment && !str_blank(in->segment) ? str_trim(in->segment) : NULL;
	if (!title || !owner || (in->segment && !str_blank(in->segment) && !segment)) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = db_begin(d, e)))
		goto out;
	if (!(rc = story_known(d, in->story_id, e)))
		rc = db_one_int(d, e, id,
				"INSERT INTO lesson(title, segment, owner, status, created_at, created_by)"
				" VALUES ($1, $2, $3, 'open', $4, $5) RETURNING id",
				"tttit", title, segment, owner, rp_now(), in->by);
	if (!rc)
		rc = db_run(d, e, "INSERT INTO lesson_story(lesson_id, story_id) VALUES ($1, $2)", "ii", *id,
			    in->story_id);
	if (rc)
		db_rollback(d);
	else
		rc = db_commit(d, e);
out:
	free(title);
	free(owner);
	free(segment);
	return rc;
}

int lesson_link(db *d, int64_t id, int64_t story, rp_err *e)
{
	char st[16];
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	if (!(rc = lesson_status(d, id, st, sizeof st, e)) && !(rc = story_known(d, story, e)))
		/* Linking a story twice is one link. */
		rc = db_run(d, e,
			    "INSERT INTO lesson_story(lesson_id, story_id) VALUES ($1, $2)"
			    " ON CONFLICT (lesson_id, story_id) DO NOTHING",
			    "ii", id, story);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int lesson_set(db *d, int64_t id, const char *status, const char *note, rp_err *e)
{
	char buf[160], st[16];
	int done = status && !strcmp(status, "done");
	if (!done && (!status || !one_of(status, settable)))
		return rp_errf(e, RP_EINVAL, "a lesson's status can be set to %s; mark it done with 'rapport lesson done'",
			       words_list(settable, buf, sizeof buf));
	if (done && str_blank(note))
		return rp_errf(e, RP_EINVAL, "say what was done with --note, so the team knows what changed");
	int rc = check_text("the note", note, 10000, e);
	if (rc || (rc = db_begin(d, e)))
		return rc;
	if (!(rc = lesson_status(d, id, st, sizeof st, e))) {
		/* A closed lesson is history: a new change is a new lesson. */
		if (!strcmp(st, "done") || !strcmp(st, "dropped"))
			rc = rp_errf(e, RP_ECONFLICT, "lesson %lld is %s already; add a new lesson for a new change",
				     (long long)id, st);
		else
			rc = db_run(d, e,
				    "UPDATE lesson SET status = $2, note = coalesce($3, note),"
				    " done_at = CASE WHEN $2 = 'done' THEN $4 ELSE done_at END WHERE id = $1",
				    "itti", id, status, note && !str_blank(note) ? note : NULL, rp_now());
	}
	if (!rc && done)
		rc = webhook_enqueue(d, "lesson.done", json_pack("{s:I}", "lesson", (json_int_t)id), e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

static json_t *lesson_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "id", (json_int_t)db_col_int(s, 0), "title",
			 col_json_text(s, 1), "segment", col_json_text(s, 2), "owner", col_json_text(s, 3), "status",
			 col_json_text(s, 4), "note", col_json_text(s, 5), "created_at", col_json_ts(s, 6), "created_by",
			 col_json_text(s, 7), "done_at", col_json_ts(s, 8), "stories", (json_int_t)db_col_int(s, 9));
}

#define LESSON_COLS                                                                                   \
	"l.id, l.title, l.segment, l.owner, l.status, l.note, l.created_at, l.created_by, l.done_at," \
	" (SELECT count(*) FROM lesson_story ls WHERE ls.lesson_id = l.id)"

int lesson_list(db *d, const char *owner, const char *status, json_t **out, rp_err *e)
{
	char buf[160];
	if (status && *status && !one_of(status, statuses))
		return rp_errf(e, RP_EINVAL, "lesson status \"%s\" is not one of %s", status,
			       words_list(statuses, buf, sizeof buf));
	db_stmt *s = db_query(d, e,
			      "SELECT " LESSON_COLS " FROM lesson l WHERE ($1 IS NULL OR l.owner = $1)"
			      " AND ($2 IS NULL OR l.status = $2) ORDER BY l.created_at, l.id",
			      "tt", owner && *owner ? owner : NULL, status && *status ? status : NULL);
	if (!s)
		return e->code;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(a, lesson_row(s));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "lessons", a);
	return 0;
}

/* The clients a lesson's segment selects today: "segment_filter" (its
** terms by key) and "segment_size", both null for the whole process or a
** segment kept as free text before segments were filters. */
static int segment_size(db *d, json_t *l, rp_err *e)
{
	const char *text = json_string_value(json_object_get(l, "segment"));
	contact_filter f;
	char *buf = NULL;
	rp_err ignored = {0};
	json_t *filter = json_null(), *size = json_null();
	if (text && !contact_filter_parse(text, &f, &buf, &ignored)) {
		int64_t n;
		int rc = contact_count(d, &f, &n, e);
		if (rc) {
			free(buf);
			return rc;
		}
		filter = json_object();
		const char *keys[] = {"name", "tag", "tier", "owner"}, *vals[] = {f.name, f.tag, f.tier, f.owner};
		for (int i = 0; i < 4; i++)
			if (vals[i])
				json_object_set_new(filter, keys[i], json_string(vals[i]));
		size = json_integer(n);
	}
	free(buf);
	json_object_set_new(l, "segment_filter", filter);
	json_object_set_new(l, "segment_size", size);
	return 0;
}

int lesson_show(db *d, int64_t id, json_t **out, rp_err *e)
{
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	json_t *l = NULL;
	db_stmt *s = db_query(d, e, "SELECT " LESSON_COLS " FROM lesson l WHERE l.id = $1", "i", id);
	if (!s) {
		rc = e->code;
		goto out;
	}
	rc = db_step(s, e);
	if (rc == DB_ROW) {
		l = lesson_row(s);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no lesson has id %lld; 'rapport lesson list' shows the lessons",
			     (long long)id);
	}
	db_reset(s);
	if (rc)
		goto out;
	s = db_query(d, e,
		     "SELECT s.id, s.contact_id, c.name, s.told_on, s.body FROM lesson_story ls"
		     " JOIN story s ON s.id = ls.story_id JOIN contact c ON c.id = s.contact_id"
		     " WHERE ls.lesson_id = $1 ORDER BY s.told_on, s.id",
		     "i", id);
	if (!s) {
		rc = e->code;
		goto out;
	}
	if ((rc = segment_size(d, l, e)))
		goto out;
	json_t *a = json_array();
	json_object_set_new(l, "supporting", a);
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:I,s:{s:I,s:o},s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
						   "contact", "id", (json_int_t)db_col_int(s, 1), "name",
						   col_json_text(s, 2), "told_on", col_json_text(s, 3), "text",
						   col_json_text(s, 4)));
	db_reset(s);
	rc = rc == DB_DONE ? 0 : rc;
out:
	db_commit(d, NULL);
	if (rc) {
		json_decref(l);
		return rc;
	}
	*out = l;
	return 0;
}

int lesson_agenda(db *d, const char *owner, int64_t day, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT l.id, l.title, l.status, l.owner, l.segment, l.created_at,"
			      " (SELECT count(*) FROM lesson_story ls WHERE ls.lesson_id = l.id) FROM lesson l"
			      " WHERE l.status IN ('open', 'doing') AND ($1 IS NULL OR l.owner = $1)"
			      " ORDER BY l.created_at, l.id",
			      "t", owner && *owner ? owner : NULL);
	if (!s)
		return e->code;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		/* Whole days from the day it was added to the agenda's day. */
		int64_t days = day - rp_day_of(db_col_int(s, 5));
		json_array_append_new(a, json_pack("{s:I,s:o,s:o,s:o,s:o,s:I,s:I}", "id", (json_int_t)db_col_int(s, 0),
						   "title", col_json_text(s, 1), "status", col_json_text(s, 2), "owner",
						   col_json_text(s, 3), "segment", col_json_text(s, 4), "days_open",
						   (json_int_t)(days > 0 ? days : 0), "stories",
						   (json_int_t)db_col_int(s, 6)));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
