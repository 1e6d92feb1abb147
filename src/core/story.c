/*
** stories: what clients tell in their own words, kept whole (any length up
** to 100 KB, any language) with the day it was told, its kind, an optional
** tone a person judged, tags and who recorded it.  The words are searched
** with the rest of what we remember (core/search.c); a contact's latest
** stories are on the card.
*/
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

_Atomic unsigned long story_generation;

const char *const story_kinds[] = {"choice", "interaction", "product", "friends", "life", NULL};
static const char *const tones[] = {"positive", "neutral", "negative", NULL};

int story_check(const story_in *in, rp_err *e)
{
	char buf[160];
	int rc;
	if (!in->kind || !one_of(in->kind, story_kinds))
		return rp_errf(e, RP_EINVAL,
			       "story kind \"%s\" is not one of %s (how they chose us, how dealing with us went,"
			       " the product, what friends choose, what they live by)",
			       in->kind ? in->kind : "", words_list(story_kinds, buf, sizeof buf));
	if (in->tone && *in->tone && !one_of(in->tone, tones))
		return rp_errf(e, RP_EINVAL, "tone \"%s\" is not one of %s; leave it out when nobody has judged it",
			       in->tone, words_list(tones, buf, sizeof buf));
	if (in->told_on && *in->told_on) {
		rp_date dt, t = rp_today();
		if (rp_date_parse(in->told_on, 0, &dt) < 0)
			return rp_errf(e, RP_EINVAL, "\"%s\" is not a date; write the day the story was told as YYYY-MM-DD",
				       in->told_on);
		if (rp_days_from_civil(dt.y, dt.m, dt.d) > rp_days_from_civil(t.y, t.m, t.d))
			return rp_errf(e, RP_EINVAL, "the story cannot be told on %s, after today; give the day it was told",
				       in->told_on);
	}
	if (str_blank(in->text))
		return rp_errf(e, RP_EINVAL, "a story needs the client's words; give its text");
	if (strlen(in->text) > STORY_MAX)
		return rp_errf(e, RP_EINVAL, "the story is %zu bytes, more than 100 KB; shorten it or split it in two",
			       strlen(in->text));
	if ((rc = check_text("the story", in->text, STORY_MAX, e)) || (rc = check_text("by", in->by, 200, e)))
		return rc;
	for (size_t i = 0; i < in->tags.n; i++) {
		char *k = tag_key(in->tags.v[i], e);
		if (!k)
			return e->code;
		free(k);
	}
	return 0;
}

int story_add(db *d, const story_in *in, int64_t *id, rp_err *e)
{
	int rc = story_check(in, e);
	if (rc)
		return rc;
	char today[11];
	const char *told_on = in->told_on && *in->told_on ? in->told_on : rp_date_format(rp_today(), today);
	char *text = str_trim(in->text);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if ((rc = db_begin(d, e))) {
		free(text);
		return rc;
	}
	if (!(rc = contact_exists(d, in->contact_id, e)))
		rc = db_one_int(d, e, id,
				"INSERT INTO story(contact_id, told_on, kind, tone, body, by_user, created_at)"
				" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
				"ittttti", in->contact_id, told_on, in->kind, in->tone && *in->tone ? in->tone : NULL,
				text, in->by, rp_now());
	/* The same tag twice (VIP and vip) is one tag. */
	for (size_t i = 0; !rc && i < in->tags.n; i++) {
		char *k = tag_key(in->tags.v[i], e);
		if (!k) {
			rc = e->code;
			break;
		}
		rc = db_run(d, e,
			    "INSERT INTO story_tag(story_id, tag) VALUES ($1, $2) ON CONFLICT (story_id, tag) DO NOTHING",
			    "it", *id, k);
		free(k);
	}
	if (!rc)
		rc = webhook_enqueue(d, "story.recorded", json_pack("{s:I,s:I,s:s}", "story", (json_int_t)*id, "contact", (json_int_t)in->contact_id, "kind", in->kind), e);
	free(text);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	story_generation++;
	return db_commit(d, e);
}

int story_kind_check(const char *kind, rp_err *e)
{
	char buf[160];
	if (kind && *kind && !one_of(kind, story_kinds))
		return rp_errf(e, RP_EINVAL, "story kind \"%s\" is not one of %s", kind, words_list(story_kinds, buf, sizeof buf));
	return 0;
}

int story_list(db *d, int64_t contact, const char *kind, int64_t limit, json_t **out, rp_err *e)
{
	if (story_kind_check(kind, e))
		return e->code;
	/* The page of stories first, then their tags joined to it: one
	** statement, rows of one story side by side. */
	db_stmt *s = db_query(d, e,
			      "SELECT s.id, s.contact_id, c.name, s.told_on, s.kind, s.tone, s.body, s.by_user,"
			      " s.created_at, t.tag FROM (SELECT id, contact_id, told_on, kind, tone, body, by_user,"
			      " created_at FROM story WHERE ($1 = 0 OR contact_id = $1) AND ($2 IS NULL OR kind = $2)"
			      " ORDER BY told_on DESC, id DESC LIMIT $3) AS s"
			      " JOIN contact c ON c.id = s.contact_id LEFT JOIN story_tag t ON t.story_id = s.id"
			      " ORDER BY s.told_on DESC, s.id DESC, t.tag",
			      "iti", contact > 0 ? contact : (int64_t)0, kind && *kind ? kind : NULL,
			      limit < 0 ? INT64_MAX : limit > 0 ? limit : (int64_t)50);
	if (!s)
		return e->code;
	json_t *a = json_array(), *cur = NULL;
	int64_t last = 0;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t id = db_col_int(s, 0);
		if (!cur || id != last) {
			cur = json_pack("{s:I,s:{s:I,s:o},s:o,s:o,s:o,s:o,s:[],s:o,s:o}", "id", (json_int_t)id, "contact",
					"id", (json_int_t)db_col_int(s, 1), "name", col_json_text(s, 2), "told_on",
					col_json_text(s, 3), "kind", col_json_text(s, 4), "tone", col_json_text(s, 5),
					"text", col_json_text(s, 6), "tags", "by", col_json_text(s, 7), "created_at",
					col_json_ts(s, 8));
			json_array_append_new(a, cur);
			last = id;
		}
		if (!db_col_null(s, 9))
			json_array_append_new(json_object_get(cur, "tags"), json_string(db_col_text(s, 9)));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "stories", a);
	return 0;
}
