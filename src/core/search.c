/*
** search: one query over what we remember (names and notes of contacts,
** facts, interaction summaries, stories), through the store's full-text capability.
** Each hit is completed with its contact and its text.
*/
#include "core/core.h"

#include <string.h>

typedef struct hits {
	json_t *a;
} hits;

static int collect(void *ctx, const char *kind, int64_t ref, double rank)
{
	hits *h = ctx;
	json_array_append_new(h->a, json_pack("{s:s,s:I,s:f}", "kind", kind, "ref", (json_int_t)ref,
					      "rank", -rank));
	return 0;
}

int search_run(db *d, const char *text, int64_t limit, json_t **out, rp_err *e)
{
	int rc;
	if (str_blank(text))
		return rp_errf(e, RP_EINVAL, "nothing to search for; give one or more words");
	if ((rc = check_text("query", text, 1000, e)))
		return rc;
	hits h = {json_array()};
	if ((rc = db_fulltext(d, text, limit > 0 ? (int)limit : 20, collect, &h, e))) {
		json_decref(h.a);
		return rc;
	}
	/* Fill in each hit's text and contact. */
	static const char *sql[] = {
		"SELECT c.id, c.name, c.name FROM contact c WHERE c.id = $1",
		"SELECT c.id, c.name, f.body FROM fact f JOIN contact c ON c.id = f.contact_id WHERE f.id = $1",
		("SELECT c.id, c.name, i.summary, i.at, i.kind FROM interaction i"
		 " JOIN contact c ON c.id = i.contact_id WHERE i.id = $1"),
		("SELECT c.id, c.name, s.body, s.told_on, s.kind FROM story s"
		 " JOIN contact c ON c.id = s.contact_id WHERE s.id = $1"),
	};
	size_t i;
	json_t *hit;
	json_array_foreach(h.a, i, hit)
	{
		const char *kind = json_string_value(json_object_get(hit, "kind"));
		int k = !strcmp(kind, "contact") ? 0 : !strcmp(kind, "fact") ? 1 : !strcmp(kind, "story") ? 3 : 2;
		db_stmt *s = db_query(d, e, sql[k], "i", (int64_t)json_integer_value(json_object_get(hit, "ref")));
		if (!s) {
			rc = e->code;
			break;
		}
		if ((rc = db_step(s, e)) == DB_ROW) {
			json_object_set_new(hit, "contact", json_pack("{s:I,s:o}", "id",
								      (json_int_t)db_col_int(s, 0), "name",
								      col_json_text(s, 1)));
			json_object_set_new(hit, "text", col_json_text(s, 2));
			if (k == 2) {
				json_object_set_new(hit, "at", col_json_ts(s, 3));
				json_object_set_new(hit, "interaction_kind", col_json_text(s, 4));
			} else if (k == 3) {
				json_object_set_new(hit, "told_on", col_json_text(s, 3));
				json_object_set_new(hit, "story_kind", col_json_text(s, 4));
			}
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_reset(s);
		if (rc)
			break;
	}
	if (rc) {
		json_decref(h.a);
		return rc;
	}
	*out = json_pack("{s:s,s:o}", "query", text, "hits", h.a);
	return 0;
}
