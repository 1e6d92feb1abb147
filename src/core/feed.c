/*
** feed: a member's calendar, for a calendar application to subscribe to at
** a secret address (GET /feed/TOKEN.ics).  The store keeps only the hash
** of the token, as for API tokens, so the address is shown once, when it
** is made; revoking it ends it, and the next 'feed url' makes a new one.
**
** What it holds, for the contacts the member owns (managers and owners:
** every contact), all as all-day VEVENTs (calendar subscriptions show
** events; most ignore to-dos):
**   - birthdays and the other yearly dates, repeating yearly.  A date
**     without its year starts in 2000 (a leap year, so 29 February can be
**     its first day); 29 February repeats on the last day of February, so
**     it is seen on the 28th in the other years;
**   - open follow-ups (facts with a follow-up date), on that date;
**   - the panel's next interviews, on the day each is due.
** UIDs name the row (birthday-CONTACT, date-ID, fact-ID, panel-CONTACT),
** so an application updates an event in place when it moves.  Titles are
** in the language the member asked for the address in.  libical writes the
** text: folding, escaping of , ; \ and line breaks.
*/
#include "core/core.h"

#include <libical/ical.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define FEED_PATH "/feed/"
#define DEFAULT_BASE "http://127.0.0.1:8080"

static int account_of(db *d, const char *login, int64_t *id, rp_err *e)
{
	int rc = db_one_int(d, e, id, "SELECT id FROM account WHERE login = $1 AND disabled_at IS NULL", "t",
			    login ? login : "");
	if (rc == RP_ENOTFOUND)
		rp_errf(e, rc, "there is no active user \"%s\"; set RAPPORT_USER to your login (see 'rapport user list')",
			login ? login : "");
	return rc;
}

int feed_url(db *d, const char *login, const char *lang, json_t **out, rp_err *e)
{
	int64_t acc, one;
	int rc = account_of(d, login, &acc, e);
	if (rc)
		return rc;
	rc = db_one_int(d, e, &one, "SELECT 1 FROM feed_token WHERE account_id = $1", "i", acc);
	if (!rc)
		return rp_errf(e, RP_ECONFLICT,
			       "your calendar address was shown when it was made, and only its hash is kept;"
			       " 'rapport feed revoke' ends it, and then 'rapport feed url' makes a new one");
	if (rc != RP_ENOTFOUND)
		return rc;
	char token[65], hash[65];
	token_new(token, hash);
	rc = db_run(d, e, "INSERT INTO feed_token(account_id, token_hash, lang, created_at) VALUES ($1, $2, $3, $4)",
		    "itti", acc, hash, lang && !strcmp(lang, "ru") ? "ru" : "en", rp_now());
	char *base = NULL;
	if (!rc)
		rc = setting_text(d, "public.url", DEFAULT_BASE, &base, e);
	if (!rc) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		char path[128], *url = malloc(n + sizeof path);
		snprintf(path, sizeof path, FEED_PATH "%s.ics", token);
		if (url)
			snprintf(url, n + sizeof path, "%.*s%s", (int)n, base, path);
		*out = url ? json_pack("{s:s,s:s}", "url", url, "path", path) : NULL;
		if (!*out)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		free(url);
	}
	free(base);
	sodium_memzero(token, sizeof token);
	return rc;
}

int feed_revoke(db *d, const char *login, rp_err *e)
{
	int64_t acc;
	int rc = account_of(d, login, &acc, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM feed_token WHERE account_id = $1", "i", acc);
	if (!rc && db_changes(d) == 0)
		rc = rp_errf(e, RP_ENOTFOUND, "you have no calendar address; 'rapport feed url' makes one");
	return rc;
}

/* ---- the calendar -------------------------------------------------------- */

typedef struct feed {
	icalcomponent *cal;
	struct icaltimetype stamp;
	const char *owner; /* NULL: every contact */
	int ru;
} feed;

static struct icaltimetype day_of(int y, int m, int dd)
{
	struct icaltimetype t = icaltime_null_date();
	t.year = y;
	t.month = m;
	t.day = dd;
	t.is_date = 1;
	return t;
}

/* A new all-day event uid on day with title summary (and description). */
static icalcomponent *event(feed *f, const char *uid, struct icaltimetype day, const char *summary,
			    const char *description)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(f->stamp));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(day));
	icalcomponent_add_property(ev, icalproperty_new_summary(summary));
	if (description && *description)
		icalcomponent_add_property(ev, icalproperty_new_description(description));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	icalcomponent_add_component(f->cal, ev);
	return ev;
}

static int yearly_dates(db *d, feed *f, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT t.id, t.contact_id, t.kind, t.label, t.year, t.month, t.day, c.name"
			      " FROM contact_date t JOIN contact c ON c.id = t.contact_id"
			      " WHERE ($1 IS NULL OR c.owner = $1) ORDER BY t.md, t.id",
			      "t", f->owner);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 2), *label = db_col_text(s, 3), *name = db_col_text(s, 7);
		int year = db_col_null(s, 4) ? 0 : (int)db_col_int(s, 4), m = (int)db_col_int(s, 5),
		    dd = (int)db_col_int(s, 6);
		char uid[80], title[600];
		int birthday = !strcmp(kind, "birthday");
		if (birthday)
			snprintf(uid, sizeof uid, "birthday-%lld@rapport", (long long)db_col_int(s, 1));
		else
			snprintf(uid, sizeof uid, "date-%lld@rapport", (long long)db_col_int(s, 0));
		const char *what = birthday ? (f->ru ? "День рождения" : "Birthday")
				   : !strcmp(kind, "anniversary") ? (f->ru ? "Годовщина" : "Anniversary")
				   : (f->ru ? "Дата" : "Date");
		if (label && *label && !birthday)
			snprintf(title, sizeof title, "%s: %s (%.200s)", what, name, label);
		else
			snprintf(title, sizeof title, "%s: %s", what, name);
		/* The year it began, or 2000: a leap year, for 29 February. */
		icalcomponent *ev = event(f, uid, day_of(year ? year : 2000, m, dd), title, NULL);
		struct icalrecurrencetype r;
		icalrecurrencetype_clear(&r);
		r.freq = ICAL_YEARLY_RECURRENCE;
		if (m == 2 && dd == 29) {
			r.by_month[0] = 2;
			r.by_month_day[0] = -1;
		}
		icalcomponent_add_property(ev, icalproperty_new_rrule(r));
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int follow_ups(db *d, feed *f, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT f.id, f.body, f.follow_up, c.name FROM fact f JOIN contact c ON c.id = f.contact_id"
			      " WHERE f.follow_up IS NOT NULL AND f.done_at IS NULL AND ($1 IS NULL OR c.owner = $1)"
			      " ORDER BY f.follow_up, f.id",
			      "t", f->owner);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		rp_date dt;
		if (rp_date_parse(db_col_text(s, 2), 0, &dt) < 0)
			continue;
		char uid[64], title[400];
		snprintf(uid, sizeof uid, "fact-%lld@rapport", (long long)db_col_int(s, 0));
		snprintf(title, sizeof title, "%s: %s", f->ru ? "Связаться" : "Follow up", db_col_text(s, 3));
		event(f, uid, day_of(dt.y, dt.m, dt.d), title, db_col_text(s, 1));
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int interviews(db *d, feed *f, rp_err *e)
{
	rp_date t = rp_today();
	json_t *list;
	int rc = panel_list(d, rp_days_from_civil(t.y, t.m, t.d), &list, e);
	if (rc)
		return rc;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(list, "members"), i, m)
	{
		json_t *c = json_object_get(m, "contact");
		int64_t id = json_integer_value(json_object_get(c, "id")), one;
		rp_date dt;
		if (rp_date_parse(json_string_value(json_object_get(m, "due_on")), 0, &dt) < 0)
			continue;
		if (f->owner) {
			rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1 AND owner = $2", "it", id,
					f->owner);
			if (rc == RP_ENOTFOUND) {
				rc = 0;
				continue;
			}
			if (rc)
				break;
		}
		char uid[64], title[400];
		snprintf(uid, sizeof uid, "panel-%lld@rapport", (long long)id);
		snprintf(title, sizeof title, "%s: %s", f->ru ? "Интервью панели" : "Panel interview",
			 json_string_value(json_object_get(c, "name")));
		event(f, uid, day_of(dt.y, dt.m, dt.d), title, NULL);
	}
	json_decref(list);
	return rc;
}

int feed_write(db *d, const char *token, FILE *out, rp_err *e)
{
	char hash[65];
	if (token_hash(token, hash) < 0)
		return rp_errf(e, RP_ENOTFOUND, "no such calendar");
	db_stmt *s = db_query(d, e,
			      "SELECT a.login, a.role, t.lang FROM feed_token t JOIN account a ON a.id = t.account_id"
			      " WHERE t.token_hash = $1 AND a.disabled_at IS NULL",
			      "t", hash);
	if (!s)
		return e->code;
	char login[80] = "", lang[8] = "";
	int role = 0;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(login, sizeof login, "%s", db_col_text(s, 0));
		role_parse(db_col_text(s, 1), &role);
		snprintf(lang, sizeof lang, "%s", db_col_text(s, 2));
	}
	db_reset(s);
	if (rc == DB_DONE)
		return rp_errf(e, RP_ENOTFOUND, "no such calendar");
	if (rc != DB_ROW)
		return rc;
	feed f = {.owner = role >= 2 ? NULL : login, .ru = !strcmp(lang, "ru")};
	f.stamp = icaltime_from_timet_with_zone((time_t)rp_now(), 0, icaltimezone_get_utc_timezone());
	f.cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
				    icalproperty_new_prodid("-//rapport//feed " RAPPORT_VERSION "//EN"),
				    icalproperty_new_calscale("GREGORIAN"), (void *)0);
	if (!f.cal)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	char name[120];
	snprintf(name, sizeof name, "rapport: %s", login);
	icalproperty *x = icalproperty_new_x(name);
	icalproperty_set_x_name(x, "X-WR-CALNAME");
	icalcomponent_add_property(f.cal, x);
	if (!(rc = yearly_dates(d, &f, e)) && !(rc = follow_ups(d, &f, e)))
		rc = interviews(d, &f, e);
	if (!rc) {
		char *text = icalcomponent_as_ical_string_r(f.cal);
		if (!text)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		else if (fputs(text, out) == EOF)
			rc = rp_errf(e, RP_EIO, "cannot write the calendar");
		free(text);
	}
	icalcomponent_free(f.cal);
	return rc;
}
