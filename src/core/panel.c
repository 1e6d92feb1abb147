/*
** panel: the few clients the business follows closely (seed 003).  Rather
** than scoring thousands by an abstract loyalty figure, a small panel is
** interviewed on a cadence and their stories are kept: how they chose us,
** how dealing with us went, the product, what their friends choose, what
** they live by.
**
** A member is a row of `panel` beside tier 'panel' on the contact (which
** weighs it up on the agenda); the tier it had is kept and given back when
** it leaves.  Its last conversation is the latest story it told or
** interaction with it; the next interview is due a cadence after that, or
** at once when it was never talked to.  A kind of story is asked about when
** none of it was told in the last PANEL_ASK_CADENCES cadences: three missed
** interviews' worth, so one conversation that stayed on other things does
** not bring it back yet.
**
** The panel is small (tens, not thousands): it is read whole, each member's
** latest story of each kind and latest interaction found through the
** indexes story_contact and interaction_contact.
*/
#include "core/core.h"
#include "util/idmap.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_CADENCE 30
#define NEVER INT64_MIN
#define MAX_PERIODS 120

int panel_check_cadence(int64_t days, rp_err *e)
{
	if (days < 1 || days > PANEL_CADENCE_MAX)
		return rp_errf(e, RP_EINVAL,
			       "the cadence is the number of days between interviews, from 1 to %d (ten years);"
			       " %lld is not one (e.g. --cadence 30)",
			       PANEL_CADENCE_MAX, (long long)days);
	return 0;
}

/* ---- a member's dates ---------------------------------------------------- */

typedef struct member {
	int64_t id, cadence, joined, last, due;
	int64_t told[STORY_NKINDS]; /* the day a story of each kind was last told, or NEVER */
	int ty;                     /* addressed informally ("ty") */
	json_t *contact;            /* {"id", "name"} */
	json_t *card;               /* {"joined_on", "by", "prior_tier"} */
} member;

/* The members with what they last told, as of day: $1 the day after (for
** interactions' times), $2 the day (for stories' dates), $3 one contact or
** 0, $4 an owner or NULL.  Each subquery walks one contact's rows of an
** index. */
#define TOLD(kind)                                                                                         \
	", (SELECT max(s.told_on) FROM story s WHERE s.contact_id = p.contact_id AND s.kind = '" kind "'" \
	" AND s.told_on <= $2)"
static const char members_sql[] =
	"SELECT p.contact_id, c.name, c.address, p.cadence_days, p.joined_on, p.by_user, p.prior_tier,"
	" (SELECT max(i.at) FROM interaction i WHERE i.contact_id = p.contact_id AND i.at < $1)" TOLD("choice")
		TOLD("interaction") TOLD("product") TOLD("friends") TOLD("life")
	" FROM panel p JOIN contact c ON c.id = p.contact_id"
	" WHERE ($3 = 0 OR p.contact_id = $3) AND ($4 IS NULL OR c.owner = $4)";
#undef TOLD

static int64_t date_day(const char *s)
{
	rp_date dt;
	if (!s || rp_date_parse(s, 0, &dt) < 0)
		return NEVER;
	return rp_days_from_civil(dt.y, dt.m, dt.d);
}

static json_t *day_json(int64_t day)
{
	char buf[11];
	return day == NEVER ? json_null() : json_string(rp_date_format(rp_civil_from_days(day), buf));
}

static void member_of(db_stmt *s, member *m)
{
	m->id = db_col_int(s, 0);
	m->contact = json_pack("{s:I,s:o}", "id", (json_int_t)m->id, "name", col_json_text(s, 1));
	m->card = json_pack("{s:o,s:o,s:o}", "joined_on", col_json_text(s, 4), "by", col_json_text(s, 5), "prior_tier",
			    col_json_text(s, 6));
	m->ty = db_col_text(s, 2) && !strcmp(db_col_text(s, 2), "ty");
	m->cadence = db_col_int(s, 3);
	m->joined = date_day(db_col_text(s, 4));
	m->last = db_col_null(s, 7) ? NEVER : rp_day_of(db_col_int(s, 7));
	for (int k = 0; k < STORY_NKINDS; k++) {
		m->told[k] = date_day(db_col_text(s, 8 + k));
		if (m->told[k] > m->last)
			m->last = m->told[k];
	}
	m->due = m->last == NEVER ? m->joined : m->last + m->cadence;
}

/* Whether kind k is to be asked about on day. */
static int ask_about(const member *m, int k, int64_t day)
{
	return m->told[k] == NEVER || day - m->told[k] >= PANEL_ASK_CADENCES * m->cadence;
}

/* Due first (most overdue first), then by id. */
static int by_due(const void *x, const void *y)
{
	const member *a = x, *b = y;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void members_free(member *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(v[i].contact);
		json_decref(v[i].card);
	}
	free(v);
}

/* Every member (or one, or owner's) as of day into *v (malloc'd, *n of
** them), due first. */
static int members_read(db *d, int64_t one, const char *owner, int64_t day, member **v, size_t *n, rp_err *e)
{
	char today[11];
	rp_date_format(rp_civil_from_days(day), today);
	*v = NULL;
	*n = 0;
	db_stmt *s = db_query(d, e, members_sql, "itit", (day + 1) * 86400, today, one, owner && *owner ? owner : NULL);
	if (!s)
		return e->code;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			member *nv = realloc(*v, cap * sizeof *nv);
			if (!nv) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			*v = nv;
		}
		member_of(s, &(*v)[(*n)++]);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		members_free(*v, *n);
		*v = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*v, *n, sizeof **v, by_due);
	return 0;
}

/* The member as panel_list shows it. */
static json_t *member_json(const member *m)
{
	json_t *kinds = json_object();
	for (int k = 0; k < STORY_NKINDS; k++)
		json_object_set_new(kinds, story_kinds[k], day_json(m->told[k]));
	json_t *o = json_pack("{s:O,s:I}", "contact", m->contact, "cadence_days", (json_int_t)m->cadence);
	json_object_update(o, m->card);
	json_object_set_new(o, "last_on", day_json(m->last));
	json_object_set_new(o, "due_on", day_json(m->due));
	json_object_set_new(o, "kinds", kinds);
	return o;
}

int panel_list(db *d, int64_t day, json_t **out, rp_err *e)
{
	member *v;
	size_t n;
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	rc = members_read(d, 0, NULL, day, &v, &n, e);
	db_commit(d, NULL);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, member_json(&v[i]));
	members_free(v, n);
	*out = json_pack("{s:o}", "members", a);
	return 0;
}

/* One member as panel_list shows it, today, inside the caller's transaction. */
static int member_show(db *d, int64_t contact, json_t **out, rp_err *e)
{
	rp_date t = rp_today();
	member *v;
	size_t n;
	int rc = members_read(d, contact, NULL, rp_days_from_civil(t.y, t.m, t.d), &v, &n, e);
	if (rc)
		return rc;
	if (n)
		*out = member_json(&v[0]);
	else
		rc = rp_errf(e, RP_EDB, "contact %lld left the panel while it was read", (long long)contact);
	members_free(v, n);
	return rc;
}

/* ---- joining and leaving ------------------------------------------------- */

/* The contact's tier into buf, and (name not NULL) its name. */
static int tier_of(db *d, int64_t contact, char buf[16], json_t **name, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT tier, name FROM contact WHERE id = $1", "i", contact);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(buf, 16, "%s", db_col_text(s, 0));
		if (name)
			*name = col_json_text(s, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld; find one with 'rapport contact list'",
			     (long long)contact);
	}
	db_reset(s);
	return rc;
}

/* contact_edit keeps the copies of the tier on the contact's dates. */
static int set_tier(db *d, int64_t contact, const char *tier, rp_err *e)
{
	return contact_edit(d, contact, &(contact_in){.tier = tier}, e);
}

/* Put contact on the panel, inside the caller's transaction: it was at tier
** (the tier it goes back to; a contact at tier panel already goes back to
** regular). */
static int join(db *d, int64_t contact, const char *tier, int64_t cadence, const char *joined_on, const char *by,
		rp_err *e)
{
	int panel = !strcmp(tier, "panel");
	int rc = db_run(d, e,
			"INSERT INTO panel(contact_id, cadence_days, joined_on, by_user, prior_tier)"
			" VALUES ($1, $2, $3, $4, $5)",
			"iittt", contact, cadence, joined_on, by, panel ? "regular" : tier);
	return rc || panel ? rc : set_tier(d, contact, "panel", e);
}

int panel_add(db *d, int64_t contact, const int64_t *cadence, const char *by, json_t **out, rp_err *e)
{
	int rc;
	if ((cadence && (rc = panel_check_cadence(*cadence, e))) || (rc = check_text("by", by, 200, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	char tier[16], today[11];
	int64_t had;
	if ((rc = tier_of(d, contact, tier, NULL, e)))
		goto out;
	rc = db_one_int(d, e, &had, "SELECT cadence_days FROM panel WHERE contact_id = $1", "i", contact);
	if (rc == RP_ENOTFOUND) {
		int64_t days = DEFAULT_CADENCE;
		if (!cadence && (rc = setting_int(d, "panel.cadence", DEFAULT_CADENCE, &days, e)))
			goto out;
		rc = join(d, contact, tier, cadence ? *cadence : days, rp_date_format(rp_today(), today), by, e);
	} else if (!rc) {
		/* A member again: a new cadence; back at tier panel if someone
		** moved it meanwhile, and then its tier now is the one to go
		** back to. */
		if (cadence)
			rc = db_run(d, e, "UPDATE panel SET cadence_days = $2 WHERE contact_id = $1", "ii", contact,
				    *cadence);
		if (!rc && strcmp(tier, "panel") &&
		    !(rc = db_run(d, e, "UPDATE panel SET prior_tier = $2 WHERE contact_id = $1", "it", contact, tier)))
			rc = set_tier(d, contact, "panel", e);
	}
	if (!rc && out)
		rc = member_show(d, contact, out, e);
out:
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)) && out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int panel_rm(db *d, int64_t contact, json_t **out, rp_err *e)
{
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	char tier[16], prior[16] = "";
	json_t *name = NULL;
	if ((rc = tier_of(d, contact, tier, &name, e)))
		goto out;
	db_stmt *s = db_query(d, e, "SELECT prior_tier FROM panel WHERE contact_id = $1", "i", contact);
	if (!s) {
		rc = e->code;
		goto out;
	}
	if ((rc = db_step(s, e)) == DB_ROW)
		snprintf(prior, sizeof prior, "%s", db_col_text(s, 0));
	db_reset(s);
	if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "%s (#%lld) is not on the panel; 'rapport panel list' shows who is",
			     json_string_value(name), (long long)contact);
		goto out;
	}
	if (rc != DB_ROW)
		goto out;
	rc = db_run(d, e, "DELETE FROM panel WHERE contact_id = $1", "i", contact);
	/* A tier someone chose while it was a member stands. */
	if (!rc && !strcmp(tier, "panel")) {
		rc = set_tier(d, contact, prior, e);
		snprintf(tier, sizeof tier, "%s", prior);
	}
out:
	if (rc) {
		json_decref(name);
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)) || !out)
		json_decref(name);
	else
		*out = json_pack("{s:{s:I,s:o},s:s}", "contact", "id", (json_int_t)contact, "name", name, "tier", tier);
	return rc;
}

int panel_merge(db *d, int64_t keep, int64_t other, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT o.cadence_days, o.joined_on, o.by_user FROM panel o WHERE o.contact_id = $2"
			      " AND NOT EXISTS (SELECT 1 FROM panel k WHERE k.contact_id = $1)",
			      "ii", keep, other);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc != DB_ROW) {
		db_reset(s);
		return rc == DB_DONE ? 0 : rc;
	}
	int64_t cadence = db_col_int(s, 0);
	int anon = db_col_null(s, 2);
	char joined[11], *by = anon ? NULL : strdup(db_col_text(s, 2)), tier[16];
	snprintf(joined, sizeof joined, "%s", db_col_text(s, 1));
	db_reset(s);
	if (!anon && !by)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!(rc = tier_of(d, keep, tier, NULL, e)))
		rc = join(d, keep, tier, cadence, joined, by, e);
	free(by);
	return rc;
}

/* ---- the agenda ------------------------------------------------------------ */

/* A question per kind of story: English, Russian with «вы», Russian with «ты». */
static const char *const questions[STORY_NKINDS][3] = {
	{"If you were choosing today, would you choose us again? What would decide it?",
	 "Если бы вы выбирали сегодня, выбрали бы снова нас? Что решило бы выбор?",
	 "Если бы ты выбирал сегодня, выбрал бы снова нас? Что решило бы выбор?"},
	{"How did your last dealings with us go? What pleased or annoyed you?",
	 "Как прошло ваше последнее обращение к нам? Что порадовало, что раздосадовало?",
	 "Как прошло твоё последнее обращение к нам? Что порадовало, что раздосадовало?"},
	{"How do you use what you have from us these days? What is missing?",
	 "Как вы сейчас пользуетесь тем, что у вас от нас? Чего не хватает?",
	 "Как ты сейчас пользуешься тем, что у тебя от нас? Чего не хватает?"},
	{"What do your friends choose in our line, and what do you make of it?",
	 "Что выбирают ваши друзья в том, чем мы занимаемся, и что вы об этом думаете?",
	 "Что выбирают твои друзья в том, чем мы занимаемся, и что ты об этом думаешь?"},
	{"What are you busy with these days? What are you hoping for, what worries you?",
	 "Чем вы сейчас живёте? На что надеетесь, что беспокоит?",
	 "Чем ты сейчас живёшь? На что надеешься, что беспокоит?"},
};

int panel_agenda(db *d, const char *owner, int64_t day, const char *lang, json_t **out, rp_err *e)
{
	int ru = lang && !strncmp(lang, "ru", 2);
	member *v;
	size_t n;
	int rc = members_read(d, 0, owner, day, &v, &n, e);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < n && v[i].due <= day; i++) {
		const member *m = &v[i];
		json_t *kinds = json_array(), *qs = json_array();
		for (int k = 0; k < STORY_NKINDS; k++)
			if (ask_about(m, k, day)) {
				json_array_append_new(kinds, json_string(story_kinds[k]));
				json_array_append_new(qs, json_string(questions[k][ru ? 1 + m->ty : 0]));
			}
		json_array_append_new(a, json_pack("{s:O,s:I,s:o,s:o,s:I,s:o,s:o}", "contact", m->contact,
						   "cadence_days", (json_int_t)m->cadence, "last_on", day_json(m->last),
						   "due_on", day_json(m->due), "days_over", (json_int_t)(day - m->due),
						   "ask_about", kinds, "questions", qs));
	}
	members_free(v, n);
	*out = a;
	return 0;
}

/* ---- coverage -------------------------------------------------------------- */

/* The period of a date: months or quarters counted from year 0. */
static int64_t period_of(rp_date dt, int quarter) { return quarter ? dt.y * 4 + (dt.m - 1) / 3 : dt.y * 12 + dt.m - 1; }

static json_t *period_name(int64_t p, int quarter)
{
	char buf[48];
	if (quarter)
		snprintf(buf, sizeof buf, "%04lld-Q%lld", (long long)(p / 4), (long long)(p % 4 + 1));
	else
		snprintf(buf, sizeof buf, "%04lld-%02lld", (long long)(p / 12), (long long)(p % 12 + 1));
	return json_string(buf);
}

static int coverage_dates(const char *from, const char *to, int quarter, rp_date *f, rp_date *t, rp_err *e)
{
	if (to && *to) {
		if (rp_date_parse(to, 0, t) < 0)
			return rp_errf(e, RP_EINVAL, "--to \"%s\" is not a date; write YYYY-MM-DD", to);
	} else {
		*t = rp_today();
	}
	if (from && *from) {
		if (rp_date_parse(from, 0, f) < 0)
			return rp_errf(e, RP_EINVAL, "--from \"%s\" is not a date; write YYYY-MM-DD", from);
	} else {
		/* The first day of the twelfth month, or fourth quarter, back. */
		int64_t p = period_of(*t, quarter) - (quarter ? 3 : 11);
		*f = (rp_date){.y = (int)(quarter ? p / 4 : p / 12), .m = (int)(quarter ? p % 4 * 3 + 1 : p % 12 + 1), .d = 1};
	}
	if (rp_days_from_civil(f->y, f->m, f->d) > rp_days_from_civil(t->y, t->m, t->d)) {
		char a[11], b[11];
		return rp_errf(e, RP_EINVAL, "--from %s is after --to %s; give the earlier day first",
			       rp_date_format(*f, a), rp_date_format(*t, b));
	}
	int64_t n = period_of(*t, quarter) - period_of(*f, quarter) + 1;
	if (n > MAX_PERIODS)
		return rp_errf(e, RP_EINVAL,
			       "that is %lld %s; a report covers at most %d periods: narrow --from and --to%s",
			       (long long)n, quarter ? "quarters" : "months", MAX_PERIODS, quarter ? "" : " or use --by quarter");
	return 0;
}

int panel_coverage(db *d, const char *from, const char *to, const char *by, json_t **out, rp_err *e)
{
	if (by && *by && strcmp(by, "month") && strcmp(by, "quarter"))
		return rp_errf(e, RP_EINVAL, "--by \"%s\" is not month or quarter", by);
	int quarter = by && !strcmp(by, "quarter");
	rp_date f, t;
	int rc = coverage_dates(from, to, quarter, &f, &t, e);
	if (rc)
		return rc;
	int64_t first = period_of(f, quarter), np = period_of(t, quarter) - first + 1;
	char fs[11], ts[11];
	rp_date_format(f, fs);
	rp_date_format(t, ts);
	json_t *periods = json_array(), *kinds = json_array(), *members = json_array();
	for (int64_t p = 0; p < np; p++)
		json_array_append_new(periods, period_name(first + p, quarter));
	for (int k = 0; k < STORY_NKINDS; k++)
		json_array_append_new(kinds, json_string(story_kinds[k]));
	rp_idmap pos = {0};
	if ((rc = db_begin_read(d, e)))
		goto out;
	db_stmt *s = db_query(d, e,
			      "SELECT p.contact_id, c.name FROM panel p JOIN contact c ON c.id = p.contact_id"
			      " ORDER BY p.contact_id",
			      "");
	if (!s) {
		rc = e->code;
		goto done;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *counts = json_object();
		for (int k = 0; k < STORY_NKINDS; k++) {
			json_t *zeros = json_array();
			for (int64_t p = 0; p < np; p++)
				json_array_append_new(zeros, json_integer(0));
			json_object_set_new(counts, story_kinds[k], zeros);
		}
		if (!rp_idmap_put(&pos, db_col_int(s, 0), (int64_t)json_array_size(members), NULL)) {
			json_decref(counts);
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			break;
		}
		json_array_append_new(members, json_pack("{s:{s:I,s:o},s:o,s:I}", "contact", "id",
							 (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1),
							 "counts", counts, "total", (json_int_t)0));
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto done;
	/* Stories by member, kind and month (a quarter adds up its months). */
	s = db_query(d, e,
		     "SELECT s.contact_id, s.kind, substr(s.told_on, 1, 7), count(*) FROM story s"
		     " JOIN panel p ON p.contact_id = s.contact_id WHERE s.told_on >= $1 AND s.told_on <= $2"
		     " GROUP BY s.contact_id, s.kind, substr(s.told_on, 1, 7)",
		     "tt", fs, ts);
	if (!s) {
		rc = e->code;
		goto done;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t *at = rp_idmap_get(&pos, db_col_int(s, 0));
		rp_date m;
		char day[11];
		snprintf(day, sizeof day, "%.7s-01", db_col_text(s, 2));
		if (!at || rp_date_parse(day, 0, &m) < 0)
			continue;
		json_t *mem = json_array_get(members, (size_t)*at);
		json_t *cell = json_array_get(json_object_get(json_object_get(mem, "counts"), db_col_text(s, 1)),
					      (size_t)(period_of(m, quarter) - first));
		if (!cell)
			continue;
		int64_t c = db_col_int(s, 3);
		json_integer_set(cell, json_integer_value(cell) + c);
		json_t *total = json_object_get(mem, "total");
		json_integer_set(total, json_integer_value(total) + c);
	}
	db_reset(s);
	rc = rc == DB_DONE ? 0 : rc;
done:
	db_commit(d, NULL);
out:
	rp_idmap_free(&pos);
	if (rc) {
		json_decref(periods);
		json_decref(kinds);
		json_decref(members);
		return rc;
	}
	*out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "from", fs, "to", ts, "by", quarter ? "quarter" : "month",
			 "periods", periods, "kinds", kinds, "members", members);
	return 0;
}
