/*
** agenda: for a date, the personal touches worth making, ranked, each with
** its reasons.  Three sources feed it:
**   - yearly dates (birthdays with the age they turn, anniversaries) on the
**     day, and for panel and close contacts the next few days too;
**   - facts whose follow-up date is due or overdue (promises to keep);
**   - contacts past their tier's keep-in-touch cadence (last_touch_at).
** Open lessons (core/lesson.c) come apart, under "lessons", oldest first;
** panel members whose interview is due (core/panel.c) under "panel", most
** overdue first, with what to ask them; unanswered complaints on duty
** (core/complaint.c) under "complaints", late first: they come before
** everything, the first response being a matter of minutes.
**
** Scoring: each reason has a weight (below); a contact's score is the sum of
** its reasons' weights times its tier's factor.  Each source contributes
** its strongest candidates through an index (the pool), so the cost does not
** grow with the number of contacts; the chosen contacts are then completed
** with every reason they have and ranked again.
*/
#include "core/core.h"
#include "util/idmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const tier_names[] = {"panel", "close", "regular", "distant"};
static const double tier_factor[] = {1.3, 1.2, 1.0, 0.8};
static const int64_t tier_cadence[] = {14, 30, 90, 365};

/* A birthday is today's or never; a late follow-up can still be made
** tomorrow, so it climbs but stays below a birthday. */
enum { W_BIRTHDAY = 70, W_ROUND_AGE = 10, W_DATE = 45, W_AHEAD = 35, W_FOLLOW_UP = 50,
       W_CADENCE = 15 };

typedef struct item {
	int64_t id;
	int tier;
	double score;
	json_t *reasons;
	json_t *contact; /* filled for the chosen ones */
	int has_cadence;
} item;

typedef struct agenda {
	db *d;
	const agenda_opts *o;
	int ru;
	int64_t day; /* the date as days since 1970 */
	rp_date date;
	int64_t cadence[4];
	item *v;
	size_t n, cap;
	rp_idmap pos; /* contact id -> its position in v */
} agenda;

static int tier_index(const char *t)
{
	for (int i = 0; i < 4; i++)
		if (t && !strcmp(t, tier_names[i]))
			return i;
	return 2;
}

/* The item of contact id; created (with tier) when absent unless tier < 0.
** NULL when absent and not created, or out of memory. */
static item *find(agenda *a, int64_t id, int tier)
{
	int64_t *at = rp_idmap_get(&a->pos, id);
	if (at)
		return &a->v[*at];
	if (tier < 0)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		item *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	if (!rp_idmap_put(&a->pos, id, (int64_t)a->n, NULL))
		return NULL;
	item *it = &a->v[a->n++];
	memset(it, 0, sizeof *it);
	it->id = id;
	it->tier = tier;
	it->reasons = json_array();
	return it;
}

/* Sorting moves the items: point the index at their new places, so find()
** still works while the chosen ones are completed. */
static void reindex(agenda *a)
{
	rp_idmap_clear(&a->pos);
	for (size_t i = 0; i < a->n; i++)
		rp_idmap_put(&a->pos, a->v[i].id, (int64_t)i, NULL); /* no growth: same count */
}

static void add_reason(item *it, double weight, json_t *r)
{
	it->score += weight;
	json_object_set_new(r, "weight", json_real(weight));
	json_array_append_new(it->reasons, r);
}

/* ---- sentences -------------------------------------------------------- */

static const char *months_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void when_text(agenda *a, int in_days, int m, int d, char *buf, size_t size)
{
	if (a->ru)
		snprintf(buf, size, in_days == 0 ? "сегодня" : in_days == 1 ? "завтра (%02d.%02d)" : "через %d дн. (%02d.%02d)",
			 in_days == 1 ? d : in_days, in_days == 1 ? m : d, m);
	else if (in_days == 0)
		snprintf(buf, size, "today");
	else if (in_days == 1)
		snprintf(buf, size, "tomorrow (%d %s)", d, months_en[m - 1]);
	else
		snprintf(buf, size, "in %d days (%d %s)", in_days, d, months_en[m - 1]);
}

static void yearly_reason(agenda *a, item *it, const char *kind, const char *label, int year, int m,
			  int d, int in_days)
{
	char when[64], text[512];
	rp_date on = rp_civil_from_days(a->day + in_days);
	int years = year ? on.y - year : -1;
	int birthday = !strcmp(kind, "birthday");
	when_text(a, in_days, m, d, when, sizeof when);
	if (birthday && years >= 0)
		snprintf(text, sizeof text,
			 a->ru ? (in_days ? "день рождения %s: исполнится %d" : "день рождения %s: исполняется %d")
			       : (in_days ? "birthday %s: turns %d" : "birthday %s: turns %d"),
			 when, years);
	else if (birthday)
		snprintf(text, sizeof text, a->ru ? "день рождения %s" : "birthday %s", when);
	else {
		const char *what = label && *label ? label
				   : a->ru ? (!strcmp(kind, "anniversary") ? "годовщина" : "памятная дата")
					   : kind;
		if (years > 0)
			snprintf(text, sizeof text, a->ru ? "%s %s (%d лет)" : "%s %s (%d years)", what, when,
				 years);
		else
			snprintf(text, sizeof text, "%s %s", what, when);
	}
	/* Ahead: 5 less a day for the first days, then on towards zero (never
	** below it, so a far date still adds to the contact's score). */
	double w = !in_days ? (birthday ? W_BIRTHDAY : W_DATE)
		   : in_days <= 6 ? W_AHEAD - 5.0 * in_days
				  : (W_AHEAD - 5.0 * 6) * 6 / in_days;
	if (birthday && years > 0 && years % 10 == 0)
		w += W_ROUND_AGE;
	char date[11];
	json_t *r = json_pack("{s:s,s:s,s:s,s:i}", "kind", birthday ? "birthday" : "date", "text", text,
			      "date", rp_date_format(on, date), "in_days", in_days);
	if (years >= 0)
		json_object_set_new(r, birthday ? "age" : "years", json_integer(years));
	if (!birthday)
		json_object_set_new(r, "date_kind", json_string(kind));
	add_reason(it, w, r);
}

static void follow_up_reason(agenda *a, item *it, int64_t fact, const char *body, const char *due)
{
	rp_date dd;
	if (rp_date_parse(due, 0, &dd) < 0)
		return;
	int64_t late = a->day - rp_days_from_civil(dd.y, dd.m, dd.d);
	char text[1024];
	if (late == 0)
		snprintf(text, sizeof text, a->ru ? "пора спросить: %s (срок сегодня)" : "follow up: %s (due today)",
			 body);
	else
		snprintf(text, sizeof text,
			 a->ru ? "пора спросить: %s (просрочено на %lld дн.)" : "follow up: %s (%lld days overdue)",
			 body, (long long)late);
	/* Overdue promises climb for two weeks, then hold. */
	double w = W_FOLLOW_UP + (late > 0 ? 1 + (late < 14 ? late : 14) : 0);
	add_reason(it, w,
		   json_pack("{s:s,s:s,s:I,s:s,s:s,s:I}", "kind", "follow_up", "text", text, "fact_id",
			     (json_int_t)fact, "fact", body, "due", due, "overdue_days", (json_int_t)late));
}

static void cadence_reason(agenda *a, item *it, int64_t last, int64_t created)
{
	int64_t days = a->day - rp_day_of(last), every = a->cadence[it->tier];
	if (days <= every || it->has_cadence)
		return;
	it->has_cadence = 1;
	char text[256];
	const char *ru_tier[] = {"панель", "близкие", "обычные", "дальние"};
	if (last == created)
		snprintf(text, sizeof text,
			 a->ru ? "ни разу не общались, в базе %lld дн. (%s: раз в %lld дн.)"
			       : "not contacted since added %lld days ago (%s: every %lld days)",
			 (long long)days, a->ru ? ru_tier[it->tier] : tier_names[it->tier], (long long)every);
	else
		snprintf(text, sizeof text,
			 a->ru ? "не общались %lld дн. (%s: раз в %lld дн.)"
			       : "no contact for %lld days (%s: every %lld days)",
			 (long long)days, a->ru ? ru_tier[it->tier] : tier_names[it->tier], (long long)every);
	double ratio = (double)days / (double)every - 1.0;
	double w = W_CADENCE + 15.0 * (ratio < 2 ? ratio : 2);
	add_reason(it, w,
		   json_pack("{s:s,s:s,s:I,s:I}", "kind", "cadence", "text", text, "days", (json_int_t)days,
			     "cadence", (json_int_t)every));
}

/* ---- sources ------------------------------------------------------------ */

static int pool_size(agenda *a) { return (int)(a->o->limit * 4 > 100 ? a->o->limit * 4 : 100); }

static int dates_on(agenda *a, int md, int in_days, int close_only, rp_err *e)
{
	db_stmt *s = db_query(a->d, e,
			      "SELECT contact_id, kind, label, year, md, tier FROM contact_date"
			      " WHERE md = $1 AND ($2 IS NULL OR owner = $2)"
			      " AND ($3 = 0 OR tier IN ('panel', 'close'))",
			      "iti", (int64_t)md, a->o->owner, (int64_t)close_only);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		item *it = find(a, db_col_int(s, 0), tier_index(db_col_text(s, 5)));
		if (!it) {
			db_reset(s);
			return rp_errf(e, RP_ENOMEM, "out of memory");
		}
		int dmd = (int)db_col_int(s, 4);
		yearly_reason(a, it, db_col_text(s, 1), db_col_text(s, 2), (int)db_col_int(s, 3), dmd / 100,
			      dmd % 100, in_days);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int source_dates(agenda *a, rp_err *e)
{
	for (int k = 0; k <= a->o->lookahead; k++) {
		rp_date on = rp_civil_from_days(a->day + k);
		int rc = dates_on(a, on.m * 100 + on.d, k, k > 0, e);
		/* In a year without 29 February, those born on it are greeted on the 28th. */
		if (!rc && on.m == 2 && on.d == 28 && rp_days_in_month(on.y, 2) == 28)
			rc = dates_on(a, 229, k, k > 0, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Two statements so each uses its index: the pool walks fact_due in date
** order; completing one contact walks that contact's facts. */
static const char *follow_up_pool_sql =
	"SELECT f.id, f.contact_id, f.body, f.follow_up, c.tier FROM fact f"
	" JOIN contact c ON c.id = f.contact_id"
	" WHERE f.follow_up IS NOT NULL AND f.done_at IS NULL AND f.follow_up <= $1"
	" AND ($2 IS NULL OR c.owner = $2)"
	" ORDER BY f.follow_up, f.id LIMIT $3";
static const char *follow_up_one_sql =
	"SELECT f.id, f.contact_id, f.body, f.follow_up FROM fact f"
	" WHERE f.contact_id = $1 AND f.follow_up IS NOT NULL AND f.done_at IS NULL"
	" AND f.follow_up <= $2 ORDER BY f.follow_up, f.id LIMIT $3";

static int source_follow_ups(agenda *a, int64_t only, int64_t limit, rp_err *e)
{
	char today[11];
	rp_date_format(a->date, today);
	db_stmt *s = only ? db_query(a->d, e, follow_up_one_sql, "iti", only, today, limit)
			  : db_query(a->d, e, follow_up_pool_sql, "tti", today, a->o->owner, limit);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		item *it = find(a, db_col_int(s, 1), only ? -1 : tier_index(db_col_text(s, 4)));
		if (!it && only)
			continue;
		if (!it) {
			db_reset(s);
			return rp_errf(e, RP_ENOMEM, "out of memory");
		}
		/* When completing one contact, skip the facts its pool already gave. */
		int64_t fact = db_col_int(s, 0);
		size_t i;
		json_t *r;
		int seen = 0;
		json_array_foreach(it->reasons, i, r) seen |=
			json_integer_value(json_object_get(r, "fact_id")) == fact;
		if (!seen)
			follow_up_reason(a, it, fact, db_col_text(s, 2), db_col_text(s, 3));
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

/* A client let go gracefully (value letgo --stop-cadence) is not asked
** about again: their cadence stopped. */
#define NOT_STOPPED " AND NOT EXISTS (SELECT 1 FROM cadence_stop x WHERE x.contact_id = contact.id)"

static int source_cadence(agenda *a, rp_err *e)
{
	/* Two statements so each can use its index (tier, last_touch_at) or
	** (owner, tier, last_touch_at). */
	static const char *all = "SELECT id, last_touch_at, created_at FROM contact"
				 " WHERE tier = $1 AND last_touch_at < $2" NOT_STOPPED " ORDER BY last_touch_at LIMIT $3";
	static const char *mine = "SELECT id, last_touch_at, created_at FROM contact"
				  " WHERE owner = $4 AND tier = $1 AND last_touch_at < $2" NOT_STOPPED
				  " ORDER BY last_touch_at LIMIT $3";
	for (int t = 0; t < 4; t++) {
		/* Overdue when the last touch was more than cadence days before the date. */
		int64_t cut = (a->day - a->cadence[t]) * 86400;
		db_stmt *s = a->o->owner ? db_query(a->d, e, mine, "tiit", tier_names[t], cut,
						    (int64_t)pool_size(a), a->o->owner)
					 : db_query(a->d, e, all, "tii", tier_names[t], cut,
						    (int64_t)pool_size(a));
		if (!s)
			return e->code;
		int rc;
		while ((rc = db_step(s, e)) == DB_ROW) {
			item *it = find(a, db_col_int(s, 0), t);
			if (!it) {
				db_reset(s);
				return rp_errf(e, RP_ENOMEM, "out of memory");
			}
			cadence_reason(a, it, db_col_int(s, 1), db_col_int(s, 2));
		}
		db_reset(s);
		if (rc != DB_DONE)
			return rc;
	}
	return 0;
}

/* ---- ranking ------------------------------------------------------------ */

static double final_score(const item *it) { return it->score * tier_factor[it->tier]; }

static int by_score(const void *x, const void *y)
{
	const item *a = x, *b = y;
	double sa = final_score(a), sb = final_score(b);
	if (sa != sb)
		return sa < sb ? 1 : -1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int by_weight(const void *x, const void *y)
{
	double a = json_real_value(json_object_get(*(json_t *const *)x, "weight"));
	double b = json_real_value(json_object_get(*(json_t *const *)y, "weight"));
	return a < b ? 1 : a > b ? -1 : 0;
}

/* Complete a chosen contact: its card summary, its cadence and every due
** follow-up (the pools may have held only some). */
static int complete(agenda *a, item *it, rp_err *e)
{
	db_stmt *s = db_query(a->d, e,
			      "SELECT name, address, tier, owner, last_touch_at, created_at,"
			      " EXISTS (SELECT 1 FROM cadence_stop x WHERE x.contact_id = contact.id) FROM contact"
			      " WHERE id = $1",
			      "i", it->id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		it->contact = json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)it->id, "name",
				     col_json_text(s, 0), "address", col_json_text(s, 1), "tier",
				     col_json_text(s, 2), "owner", col_json_text(s, 3));
		if (!db_col_int(s, 6))
			cadence_reason(a, it, db_col_int(s, 4), db_col_int(s, 5));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_EDB, "contact %lld vanished while the agenda was built", (long long)it->id);
	}
	db_reset(s);
	if (!rc)
		rc = source_follow_ups(a, it->id, 1000, e);
	return rc;
}

int agenda_build(db *d, const agenda_opts *o, json_t **out, rp_err *e)
{
	agenda a = {.d = d, .o = o};
	a.ru = o->lang && !strncmp(o->lang, "ru", 2);
	a.date = o->date;
	a.day = rp_days_from_civil(o->date.y, o->date.m, o->date.d);
	if (o->limit <= 0 || o->limit > 10000)
		return rp_errf(e, RP_EINVAL, "the agenda's limit must be between 1 and 10000");
	if (o->lookahead < 0 || o->lookahead > 31)
		return rp_errf(e, RP_EINVAL, "lookahead must be between 0 and 31 days");
	int rc = 0;
	for (int t = 0; t < 4 && !rc; t++) {
		char key[32];
		snprintf(key, sizeof key, "cadence.%s", tier_names[t]);
		rc = setting_int(d, key, tier_cadence[t], &a.cadence[t], e);
	}
	if (rc)
		return rc;
	/* One read transaction: a consistent snapshot across the sources. */
	json_t *items = json_array();
	if ((rc = db_begin_read(d, e)))
		goto out;
	if (!(rc = source_dates(&a, e)) && !(rc = source_follow_ups(&a, 0, pool_size(&a), e)))
		rc = source_cadence(&a, e);
	/* Lessons are about the business, not a contact: they are listed
	** apart, never ranked among the people. */
	json_t *lessons = NULL, *panel = NULL, *complaints = NULL, *value = NULL, *trust = NULL;
	if (!rc)
		rc = complaint_agenda(d, o->owner, rp_now(), &complaints, e);
	if (!rc)
		rc = lesson_agenda(d, o->owner, a.day, &lessons, e);
	/* High-value clients whose P(alive) is falling: worth a call, apart
	** from the touches (core/value_read.c). */
	if (!rc)
		rc = value_agenda(d, o->owner, o->lang, &value, e);
	/* Clients we let down and have not made it good (core/trust.c). */
	if (!rc)
		rc = trust_agenda(d, o->owner, o->lang, &trust, e);
	/* Interviews are not touches: they are listed apart too. */
	if (!rc)
		rc = panel_agenda(d, o->owner, a.day, o->lang, &panel, e);
	if (a.n) /* a.v is NULL when nothing is due */
		qsort(a.v, a.n, sizeof *a.v, by_score);
	reindex(&a);
	size_t n = a.n < (size_t)o->limit ? a.n : (size_t)o->limit;
	for (size_t i = 0; i < n && !rc; i++)
		rc = complete(&a, &a.v[i], e);
	db_commit(d, NULL);
	if (rc) {
		json_decref(lessons);
		json_decref(panel);
		json_decref(complaints);
		json_decref(value);
		json_decref(trust);
		goto out;
	}
	/* Completion may have added reasons: rank the chosen again. */
	if (n)
		qsort(a.v, n, sizeof *a.v, by_score);
	for (size_t i = 0; i < n; i++) {
		item *it = &a.v[i];
		size_t nr = json_array_size(it->reasons);
		json_t **rs = calloc(nr ? nr : 1, sizeof *rs);
		if (!rs) {
			json_decref(lessons);
			json_decref(panel);
			json_decref(complaints);
			json_decref(value);
		json_decref(trust);
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < nr; k++)
			rs[k] = json_array_get(it->reasons, k);
		qsort(rs, nr, sizeof *rs, by_weight);
		json_t *sorted = json_array();
		for (size_t k = 0; k < nr; k++)
			json_array_append(sorted, rs[k]);
		free(rs);
		json_array_append_new(items, json_pack("{s:I,s:O,s:f,s:o}", "rank", (json_int_t)(i + 1),
						       "contact", it->contact, "score",
						       round(final_score(it) * 10) / 10, "reasons", sorted));
	}
	char date[11];
	*out = json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "date", rp_date_format(o->date, date), "limit",
			 (json_int_t)o->limit, "complaints", complaints, "items", items, "lessons", lessons, "panel",
			 panel, "value", value, "trust", trust);
	items = NULL;
out:
	json_decref(items);
	for (size_t i = 0; i < a.n; i++) {
		json_decref(a.v[i].reasons);
		json_decref(a.v[i].contact);
	}
	free(a.v);
	rp_idmap_free(&a.pos);
	return rc;
}
