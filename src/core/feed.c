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
** in the language the member asked for the address in.  People's text goes
** in whole, cleaned (feed_clean: no control characters, valid UTF-8);
** libical escapes , ; \ and line breaks, and its lines are folded again
** (refold).  tests/fuzz/fuzz_ical.c reads any text back through libical.
*/
#include "core/core.h"
#include "util/fold.h"

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

struct feed_cal {
	icalcomponent *cal;
	struct icaltimetype stamp;
	int ru;
	rp_buf raw, text; /* a title, and a text cleaned; reused */
};

void feed_clean(rp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	while (n) {
		int32_t cp;
		size_t k = rp_utf8_decode(p, n, &cp);
		if (k && cp == '\r') {
			rp_buf_putc(b, '\n');
			if (n > 1 && p[1] == '\n')
				k = 2;
		} else if (!k || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f) {
			rp_buf_puts(b, "\xEF\xBF\xBD");
			k = 1;
		} else {
			rp_buf_put(b, (const char *)p, k);
		}
		p += k;
		n -= k;
	}
}

/* s cleaned, as f->text.p. */
static const char *clean(feed_cal *f, const char *s)
{
	rp_buf_clear(&f->text);
	feed_clean(&f->text, s);
	return f->text.p ? f->text.p : "";
}

static struct icaltimetype day_of(int y, int m, int dd)
{
	struct icaltimetype t = icaltime_null_date();
	t.year = y;
	t.month = m;
	t.day = dd;
	t.is_date = 1;
	return t;
}

feed_cal *feed_new(const char *login, int ru, int64_t now)
{
	feed_cal *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->ru = ru;
	f->stamp = icaltime_from_timet_with_zone((time_t)now, 0, icaltimezone_get_utc_timezone());
	f->cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
				     icalproperty_new_prodid("-//rapport//feed " RAPPORT_VERSION "//EN"),
				     icalproperty_new_calscale("GREGORIAN"), (void *)0);
	if (!f->cal) {
		free(f);
		return NULL;
	}
	rp_buf_printf(&f->raw, "rapport: %s", login);
	icalproperty *x = icalproperty_new_x(clean(f, f->raw.p ? f->raw.p : ""));
	icalproperty_set_x_name(x, "X-WR-CALNAME");
	icalcomponent_add_property(f->cal, x);
	return f;
}

void feed_free(feed_cal *f)
{
	if (!f)
		return;
	icalcomponent_free(f->cal);
	rp_buf_free(&f->raw);
	rp_buf_free(&f->text);
	free(f);
}

/* libical's text folded again: libical folds a line of exactly 75 bytes
** between its CR and its LF ("...\r\r\n \n"), which strict readers take
** for a CR in the value.  Its lines are unfolded (no raw CR is in any value:
** clean turned them into line feeds, which libical writes as \n) and
** folded at 75 bytes, between whole UTF-8 characters (RFC 5545, 3.1). */
static char *refold(const char *t)
{
	rp_buf flat = {0}, out = {0};
	for (const char *p = t, *fold; *p; p = fold + 3) {
		for (fold = strstr(p, "\r\n"); fold && fold[2] != ' ' && fold[2] != '\t'; fold = strstr(fold + 2, "\r\n"))
			;
		if (!fold) {
			rp_buf_puts(&flat, p);
			break;
		}
		rp_buf_put(&flat, p, (size_t)(fold - p));
	}
	const char *line = flat.p ? flat.p : "";
	while (*line) {
		const char *end = strstr(line, "\r\n");
		size_t n = end ? (size_t)(end - line) : strlen(line), room = 75;
		while (n > room) {
			size_t cut = room;
			while (cut && ((unsigned char)line[cut] & 0xC0) == 0x80)
				cut--;
			if (!cut) /* not UTF-8 after all: cut anywhere */
				cut = room;
			rp_buf_put(&out, line, cut);
			rp_buf_puts(&out, "\r\n ");
			line += cut;
			n -= cut;
			room = 74; /* after the space */
		}
		rp_buf_put(&out, line, n);
		rp_buf_puts(&out, "\r\n");
		line += n + (end ? 2 : 0);
	}
	int oom = flat.oom || out.oom;
	rp_buf_free(&flat);
	if (oom) {
		rp_buf_free(&out);
		return NULL;
	}
	return out.p;
}

char *feed_text(feed_cal *f)
{
	if (f->raw.oom || f->text.oom)
		return NULL;
	char *t = icalcomponent_as_ical_string_r(f->cal), *folded = t ? refold(t) : NULL;
	free(t);
	return folded;
}

/* A new all-day event uid on day with title summary (and description),
** both cleaned. */
static icalcomponent *event(feed_cal *f, const char *uid, struct icaltimetype day, const char *summary,
			    const char *description)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(f->stamp));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(day));
	icalcomponent_add_property(ev, icalproperty_new_summary(clean(f, summary)));
	if (description && *(description = clean(f, description)))
		icalcomponent_add_property(ev, icalproperty_new_description(description));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	icalcomponent_add_component(f->cal, ev);
	return ev;
}

void feed_add(feed_cal *f, const feed_item *it)
{
	static const char *const what[][2] = {
		[FEED_BIRTHDAY] = {"Birthday", "День рождения"},
		[FEED_ANNIVERSARY] = {"Anniversary", "Годовщина"},
		[FEED_DATE] = {"Date", "Дата"},
		[FEED_FOLLOW_UP] = {"Follow up", "Связаться"},
		[FEED_INTERVIEW] = {"Panel interview", "Интервью панели"},
	};
	static const char *const uid_of[] = {
		[FEED_BIRTHDAY] = "birthday", [FEED_ANNIVERSARY] = "date", [FEED_DATE] = "date",
		[FEED_FOLLOW_UP] = "fact",    [FEED_INTERVIEW] = "panel",
	};
	char uid[80];
	snprintf(uid, sizeof uid, "%s-%lld@rapport", uid_of[it->kind], (long long)it->id);
	const char *t = what[it->kind][f->ru];
	int yearly = it->kind <= FEED_DATE;
	/* the whole of the name and label, never cut (in the middle of a
	** character, as a fixed buffer would) */
	rp_buf_clear(&f->raw);
	if (yearly && it->kind != FEED_BIRTHDAY && it->text && *it->text)
		rp_buf_printf(&f->raw, "%s: %s (%s)", t, it->name, it->text);
	else
		rp_buf_printf(&f->raw, "%s: %s", t, it->name);
	/* The year it began, or 2000: a leap year, for 29 February. */
	icalcomponent *ev = event(f, uid, day_of(it->y ? it->y : 2000, it->m, it->d), f->raw.p ? f->raw.p : "",
				  it->kind == FEED_FOLLOW_UP ? it->text : NULL);
	if (!yearly)
		return;
	struct icalrecurrencetype r;
	icalrecurrencetype_clear(&r);
	r.freq = ICAL_YEARLY_RECURRENCE;
	if (it->m == 2 && it->d == 29) {
		r.by_month[0] = 2;
		r.by_month_day[0] = -1;
	}
	icalcomponent_add_property(ev, icalproperty_new_rrule(r));
}

static int yearly_dates(db *d, feed_cal *f, const char *owner, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT t.id, t.contact_id, t.kind, t.label, t.year, t.month, t.day, c.name"
			      " FROM contact_date t JOIN contact c ON c.id = t.contact_id"
			      " WHERE ($1 IS NULL OR c.owner = $1) ORDER BY t.md, t.id",
			      "t", owner);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *kind = db_col_text(s, 2);
		feed_item it = {
			.kind = !strcmp(kind, "birthday")	 ? FEED_BIRTHDAY
				: !strcmp(kind, "anniversary") ? FEED_ANNIVERSARY
							       : FEED_DATE,
			.name = db_col_text(s, 7),
			.text = db_col_text(s, 3),
			.y = db_col_null(s, 4) ? 0 : (int)db_col_int(s, 4),
			.m = (int)db_col_int(s, 5),
			.d = (int)db_col_int(s, 6),
		};
		/* a birthday is the contact's one, the other dates rows of their own */
		it.id = db_col_int(s, it.kind == FEED_BIRTHDAY ? 1 : 0);
		feed_add(f, &it);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int follow_ups(db *d, feed_cal *f, const char *owner, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT f.id, f.body, f.follow_up, c.name FROM fact f JOIN contact c ON c.id = f.contact_id"
			      " WHERE f.follow_up IS NOT NULL AND f.done_at IS NULL AND ($1 IS NULL OR c.owner = $1)"
			      " ORDER BY f.follow_up, f.id",
			      "t", owner);
	if (!s)
		return e->code;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		rp_date dt;
		if (rp_date_parse(db_col_text(s, 2), 0, &dt) < 0)
			continue;
		feed_item it = {.kind = FEED_FOLLOW_UP,
				.id = db_col_int(s, 0),
				.name = db_col_text(s, 3),
				.text = db_col_text(s, 1),
				.y = dt.y,
				.m = dt.m,
				.d = dt.d};
		feed_add(f, &it);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static int interviews(db *d, feed_cal *f, const char *owner, rp_err *e)
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
		if (owner) {
			rc = db_one_int(d, e, &one, "SELECT 1 FROM contact WHERE id = $1 AND owner = $2", "it", id,
					owner);
			if (rc == RP_ENOTFOUND) {
				rc = 0;
				continue;
			}
			if (rc)
				break;
		}
		feed_item it = {.kind = FEED_INTERVIEW,
				.id = id,
				.name = json_string_value(json_object_get(c, "name")),
				.y = dt.y,
				.m = dt.m,
				.d = dt.d};
		feed_add(f, &it);
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
	const char *owner = role >= 2 ? NULL : login;
	feed_cal *f = feed_new(login, !strcmp(lang, "ru"), rp_now());
	if (!f)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if (!(rc = yearly_dates(d, f, owner, e)) && !(rc = follow_ups(d, f, owner, e)))
		rc = interviews(d, f, owner, e);
	if (!rc) {
		char *text = feed_text(f);
		if (!text)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		else if (fputs(text, out) == EOF)
			rc = rp_errf(e, RP_EIO, "cannot write the calendar");
		free(text);
	}
	feed_free(f);
	return rc;
}
