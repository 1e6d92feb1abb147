/*
** trust: the ledger of the repeated game between the company and each
** client (seed 000).  Every exchange that matters is one act of one side,
** cooperate or defect, on a day, with what happened; complaints write their
** own (core/complaint.c).  From a contact's acts come the state of the
** relationship, a score and the response the company's policy recommends.
**
** The definitions (docs/ARCHITECTURE.md says the same):
**   weight    an act d days old weighs 2^(-d / H), H the setting
**             trust.half_life_days (default 90): recent acts count more and
**             every act fades, which is how time forgives.
**   score     sum of weight x (+1 cooperate, -1 defect) over sum of weight,
**             over every act of both sides (-1..1); company_score and
**             client_score the same over one side's acts.
**   window    the last 4 H days (360 by default): older acts still weigh in
**             the score, a little, but no longer set the state.
**   made good a company defection is made good by any later company
**             cooperation ("later" by day, then by order of recording),
**             except that the make-good of one complaint does not make good
**             the defection of another.
**   state     we let them down: a company defection in the window not made
**             good; they let us down: the client's latest act in the window
**             is a defection; both: mutual defection; neither, with acts in
**             the window: mutual cooperation; no act in it: no history.
**   policy    trust.policy: gtft (generous tit-for-tat, the default), tft or
**             always-cooperate.  Every policy first makes good our own
**             defection ("make good").  Then tft defects when the client's
**             latest act is a defection; gtft only when the client's last
**             two acts are defections, with no cooperation between (a single
**             defection is forgiven); always-cooperate never defects.
*/
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const trust_sides[] = {"company", "client", NULL};
const char *const trust_acts[] = {"cooperate", "defect", NULL};
const char *const trust_policies[] = {"gtft", "tft", "always-cooperate", NULL};

#define TEXT_MAX 102400
#define WINDOW_HALF_LIVES 4

int trust_setting_check(const char *key, const char *value, rp_err *e)
{
	char buf[80];
	if (!one_of(value, trust_policies))
		return rp_errf(e, RP_EINVAL, "%s must be one of %s", key, words_list(trust_policies, buf, sizeof buf));
	return 0;
}

int trust_settings_load(db *d, trust_settings *s, rp_err *e)
{
	char *policy = NULL;
	int rc = setting_int(d, "trust.half_life_days", TRUST_HALF_LIFE, &s->half_life_days, e);
	if (!rc)
		rc = setting_text(d, "trust.policy", "gtft", &policy, e);
	if (rc)
		return rc;
	s->policy = "gtft";
	for (size_t i = 0; trust_policies[i]; i++)
		if (policy && !strcmp(policy, trust_policies[i]))
			s->policy = trust_policies[i];
	free(policy);
	if (s->half_life_days < 1)
		s->half_life_days = TRUST_HALF_LIFE;
	return 0;
}

/* ---- recording ----------------------------------------------------------- */

int trust_record(db *d, const trust_in *in, int64_t *id, rp_err *e)
{
	char bs[80], as[80], day[11];
	int rc;
	if (!in->by || !one_of(in->by, trust_sides))
		return rp_errf(e, RP_EINVAL, "--by must be %s: the side that acted", words_list(trust_sides, bs, sizeof bs));
	if (!in->act || !one_of(in->act, trust_acts))
		return rp_errf(e, RP_EINVAL, "--act must be %s", words_list(trust_acts, as, sizeof as));
	if (str_blank(in->text))
		return rp_errf(e, RP_EINVAL, "say what happened, e.g. \"delivered late and said nothing\"");
	if ((rc = check_text("the text", in->text, TEXT_MAX, e)) || (rc = check_text("by", in->user, 200, e)))
		return rc;
	rp_date today = rp_today();
	if (in->on && *in->on) {
		if ((rc = day_check("--on", in->on, day, e)))
			return rc;
		char t[11];
		if (strcmp(day, rp_date_format(today, t)) > 0)
			return rp_errf(e, RP_EINVAL, "--on %s is in the future; record an act once it happened", day);
	} else {
		rp_date_format(today, day);
	}
	if (in->interaction < 0)
		return rp_errf(e, RP_EINVAL, "--interaction must be the id of one of the contact's interactions");
	char *text = str_trim(in->text);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	if ((rc = db_begin(d, e))) {
		free(text);
		return rc;
	}
	rc = contact_exists(d, in->contact_id, e);
	if (!rc && in->interaction) {
		int64_t owner = 0;
		rc = db_one_int(d, e, &owner, "SELECT contact_id FROM interaction WHERE id = $1", "i", in->interaction);
		if (rc == RP_ENOTFOUND)
			rc = rp_errf(e, RP_ENOTFOUND, "no interaction has id %lld; see 'rapport timeline CONTACT'",
				     (long long)in->interaction);
		else if (!rc && owner != in->contact_id)
			rc = rp_errf(e, RP_EINVAL, "interaction %lld is with contact %lld, not %lld; link an act to the"
				     " contact's own interaction", (long long)in->interaction, (long long)owner,
				     (long long)in->contact_id);
	}
	if (!rc)
		rc = db_one_int(d, e, id,
				"INSERT INTO trust_act(contact_id, by_side, act, body, on_day, interaction_id, complaint_id,"
				" recorded_at, by_user) VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), NULLIF($7, 0), $8, $9)"
				" RETURNING id",
				"ittttiiit", in->contact_id, in->by, in->act, text, day, in->interaction, in->complaint,
				rp_now(), in->user);
	free(text);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* ---- reading a contact's ledger ----------------------------------------- */

typedef struct act {
	int64_t id, day, complaint;
	int company, coop;
	const char *on, *text; /* owned by the row array */
} act;

typedef struct ledger {
	json_t *rows; /* the acts as the API shows them, oldest first */
	act *v;
	size_t n;
} ledger;

static void ledger_free(ledger *l)
{
	json_decref(l->rows);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static json_t *act_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "on", col_json_text(s, 1),
			 "by", col_json_text(s, 2), "act", col_json_text(s, 3), "text", col_json_text(s, 4),
			 "interaction", col_json_int(s, 5), "complaint", col_json_int(s, 6));
}

/* Every act of the contact, oldest first: one query on trust_act_contact. */
static int ledger_load(db *d, int64_t contact, ledger *l, rp_err *e)
{
	memset(l, 0, sizeof *l);
	db_stmt *s = db_query(d, e,
			      "SELECT id, on_day, by_side, act, body, interaction_id, complaint_id FROM trust_act"
			      " WHERE contact_id = $1 ORDER BY on_day, id",
			      "i", contact);
	if (!s)
		return e->code;
	int rc = rows_json(s, act_row, &l->rows, e);
	if (rc)
		return rc;
	l->n = json_array_size(l->rows);
	l->v = calloc(l->n ? l->n : 1, sizeof *l->v);
	if (!l->v) {
		ledger_free(l);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < l->n; i++) {
		json_t *r = json_array_get(l->rows, i);
		act *a = &l->v[i];
		rp_date dt;
		a->id = json_integer_value(json_object_get(r, "id"));
		a->on = json_string_value(json_object_get(r, "on"));
		a->text = json_string_value(json_object_get(r, "text"));
		a->day = rp_date_parse(a->on, 0, &dt) ? 0 : rp_days_from_civil(dt.y, dt.m, dt.d);
		a->company = !strcmp(json_string_value(json_object_get(r, "by")), "company");
		a->coop = !strcmp(json_string_value(json_object_get(r, "act")), "cooperate");
		a->complaint = json_integer_value(json_object_get(r, "complaint"));
	}
	return 0;
}

/* Whether the company defection at i is made good by a later company
** cooperation (a complaint's make-good answers its own complaint only). */
static int made_good(const ledger *l, size_t i)
{
	const act *d = &l->v[i];
	for (size_t j = i + 1; j < l->n; j++) {
		const act *g = &l->v[j];
		if (g->company && g->coop && (!g->complaint || !d->complaint || g->complaint == d->complaint))
			return 1;
	}
	return 0;
}

static double weighted(const ledger *l, int64_t today, double half_life, int side, int *any)
{
	double num = 0, den = 0;
	*any = 0;
	for (size_t i = 0; i < l->n; i++) {
		const act *a = &l->v[i];
		if (side >= 0 && a->company != side)
			continue;
		double age = a->day < today ? (double)(today - a->day) : 0;
		double w = exp2(-age / half_life);
		num += w * (a->coop ? 1 : -1);
		den += w;
		*any = 1;
	}
	return den > 0 ? round(num / den * 1000) / 1000 : 0;
}

static const char *const months_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const months_ru[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
					"июля",   "августа", "сентября", "октября", "ноября", "декабря"};

/* "3 Nov" ("3 ноября"), with the year when it is not this year's. */
static const char *day_words(const char *on, int ru, char *buf, size_t size)
{
	rp_date d, t = rp_today();
	if (rp_date_parse(on, 0, &d)) {
		snprintf(buf, size, "%s", on);
		return buf;
	}
	if (d.y == t.y)
		snprintf(buf, size, "%d %s", d.d, ru ? months_ru[d.m - 1] : months_en[d.m - 1]);
	else
		snprintf(buf, size, "%d %s %d", d.d, ru ? months_ru[d.m - 1] : months_en[d.m - 1], d.y);
	return buf;
}

const char *trust_letdown_reason(const char *on, const char *lang, char *buf, size_t size)
{
	int ru = lang && !strncmp(lang, "ru", 2);
	char w[48];
	day_words(on, ru, w, sizeof w);
	snprintf(buf, size, ru ? "мы подвели клиента %s и не загладили вину" : "we let them down on %s and have not made it good",
		 w);
	return buf;
}

/* The state and the rest of the trust object (without "acts") from l. */
static json_t *assess(const ledger *l, const trust_settings *ts, const char *lang)
{
	int ru = lang && !strncmp(lang, "ru", 2);
	rp_date t = rp_today();
	int64_t today = rp_days_from_civil(t.y, t.m, t.d), from = today - WINDOW_HALF_LIVES * ts->half_life_days;
	double h = (double)ts->half_life_days;
	int any, anyc, anyk;
	double score = weighted(l, today, h, -1, &any), sc = weighted(l, today, h, 1, &anyc),
	       sk = weighted(l, today, h, 0, &anyk);
	const act *letdown = NULL, *last = NULL, *before = NULL; /* the client's two latest in the window */
	int recent = 0;
	for (size_t i = 0; i < l->n; i++) {
		const act *a = &l->v[i];
		if (a->day < from)
			continue;
		recent = 1;
		if (a->company && !a->coop && !letdown && !made_good(l, i))
			letdown = a;
		if (!a->company) {
			before = last;
			last = a;
		}
	}
	int them = last && !last->coop, repeated = them && before && !before->coop;
	const char *state = !recent ? "no history"
			    : letdown && them ? "mutual defection"
			    : letdown ? "we let them down"
			    : them ? "they let us down"
				   : "mutual cooperation";
	char why[600], w1[48], w2[48];
	const char *rec;
	if (letdown) {
		rec = "make good";
		trust_letdown_reason(letdown->on, lang, why, sizeof why);
		size_t n = strlen(why);
		snprintf(why + n, sizeof why - n, ": %.400s", letdown->text);
	} else if (!strcmp(ts->policy, "always-cooperate")) {
		rec = "cooperate";
		snprintf(why, sizeof why, ru ? "наша политика: всегда сотрудничать" : "our policy is to always cooperate");
	} else if (!strcmp(ts->policy, "tft") && them) {
		rec = "defect";
		snprintf(why, sizeof why,
			 ru ? "клиент подвёл нас %s; «око за око» отвечает тем же" : "they defected on %s; tit-for-tat answers in kind",
			 day_words(last->on, ru, w1, sizeof w1));
	} else if (repeated && strcmp(ts->policy, "tft")) {
		rec = "defect";
		snprintf(why, sizeof why,
			 ru ? "клиент подвёл нас дважды подряд (%s и %s); щедрое «око за око» отвечает тем же, пока он не"
			      " пойдёт навстречу"
			    : "they defected twice without cooperating between (%s and %s); generous tit-for-tat answers in kind"
			      " until they cooperate",
			 day_words(before->on, ru, w1, sizeof w1), day_words(last->on, ru, w2, sizeof w2));
	} else if (them) {
		rec = "cooperate";
		snprintf(why, sizeof why,
			 ru ? "клиент подвёл нас однажды, %s; щедрое «око за око» прощает одно отступление"
			    : "they defected once, on %s; generous tit-for-tat forgives a single defection",
			 day_words(last->on, ru, w1, sizeof w1));
	} else {
		rec = "cooperate";
		snprintf(why, sizeof why, ru ? "ни одна сторона не подводит другую: продолжаем сотрудничать"
					     : "neither side has a defection standing: keep cooperating");
	}
	json_t *open = letdown ? json_pack("{s:s,s:s,s:I}", "on", letdown->on, "text", letdown->text, "id",
					   (json_int_t)letdown->id)
			       : json_null();
	(void)any; /* no act at all: the score is 0 and the state no history */
	return json_pack("{s:s,s:f,s:o,s:o,s:{s:s,s:s},s:o,s:s,s:I}", "state", state, "score", score, "company_score",
			 anyc ? json_real(sc) : json_null(), "client_score", anyk ? json_real(sk) : json_null(),
			 "recommendation", "act", rec, "why", why, "open_letdown", open, "policy", ts->policy,
			 "half_life_days", (json_int_t)ts->half_life_days);
}

static int state_of(db *d, int64_t contact, const trust_settings *ts, char state[24], rp_err *e)
{
	ledger l;
	int rc = ledger_load(d, contact, &l, e);
	if (rc)
		return rc;
	json_t *o = assess(&l, ts, NULL);
	snprintf(state, 24, "%s", json_string_value(json_object_get(o, "state")));
	json_decref(o);
	ledger_free(&l);
	return 0;
}

/* The trust object of a contact whose name is known. */
static int trust_object(db *d, int64_t contact, const char *name, const char *lang, int with_acts, json_t **out,
			rp_err *e)
{
	trust_settings ts;
	ledger l;
	int rc = trust_settings_load(d, &ts, e);
	if (rc || (rc = ledger_load(d, contact, &l, e)))
		return rc;
	if (!l.n && !with_acts) {
		ledger_free(&l);
		*out = json_null();
		return 0;
	}
	json_t *o = assess(&l, &ts, lang);
	json_object_set_new(o, "contact", json_pack("{s:I,s:s}", "id", (json_int_t)contact, "name", name));
	if (with_acts) {
		json_t *acts = json_array();
		for (size_t i = l.n; i-- > 0;) /* newest first */
			json_array_append(acts, json_array_get(l.rows, i));
		json_object_set_new(o, "acts", acts);
	}
	ledger_free(&l);
	*out = o;
	return 0;
}

int trust_card(db *d, int64_t contact, const char *name, const char *lang, json_t **out, rp_err *e)
{
	return trust_object(d, contact, name, lang, 0, out, e);
}

int trust_show(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e)
{
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	db_stmt *s = db_query(d, e, "SELECT name FROM contact WHERE id = $1", "i", contact);
	char *name = NULL;
	if (!s) {
		rc = e->code;
	} else if ((rc = db_step(s, e)) == DB_ROW) {
		name = strdup(db_col_text(s, 0));
		rc = name ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld", (long long)contact);
	}
	db_reset(s);
	if (!rc)
		rc = trust_object(d, contact, name, lang, 1, out, e);
	free(name);
	db_commit(d, NULL);
	return rc;
}

int trust_state(db *d, int64_t contact, char state[24], rp_err *e)
{
	trust_settings ts;
	int rc = trust_settings_load(d, &ts, e);
	return rc ? rc : state_of(d, contact, &ts, state, e);
}

/* ---- standing defections across contacts --------------------------------- */

int trust_standing(db *d, const char *side, const char *since, const char *owner, int64_t community, json_t **out,
		   rp_err *e)
{
	/* The oldest defection of side since the day that no later cooperation
	** of the same side answers (by the made-good rule above), per contact,
	** oldest first.  Candidates come from trust_act_side. */
	db_stmt *s = db_query(
		d, e,
		"SELECT t.contact_id, c.name, t.on_day, t.body, t.id FROM trust_act t JOIN contact c ON c.id = t.contact_id"
		" WHERE t.by_side = $1 AND t.act = 'defect' AND t.on_day >= $2"
		" AND ($3 = '' OR c.owner = $3)"
		" AND ($4 = 0 OR EXISTS (SELECT 1 FROM community_member m WHERE m.community_id = $4"
		"  AND m.contact_id = t.contact_id))"
		" AND NOT EXISTS (SELECT 1 FROM trust_act g WHERE g.contact_id = t.contact_id AND g.by_side = $1"
		"  AND g.act = 'cooperate' AND (g.on_day > t.on_day OR (g.on_day = t.on_day AND g.id > t.id))"
		"  AND (g.complaint_id IS NULL OR t.complaint_id IS NULL OR g.complaint_id = t.complaint_id))"
		" ORDER BY t.on_day, t.id",
		"ttti", side, since, owner ? owner : "", community);
	if (!s)
		return e->code;
	json_t *a = json_array(), *seen = json_object();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_col_int(s, 0));
		if (json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		json_array_append_new(a, json_pack("{s:{s:I,s:o},s:o,s:o,s:I}", "contact", "id",
						   (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1), "on",
						   col_json_text(s, 2), "text", col_json_text(s, 3), "act",
						   (json_int_t)db_col_int(s, 4)));
	}
	db_reset(s);
	json_decref(seen);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int trust_agenda(db *d, const char *owner, const char *lang, json_t **out, rp_err *e)
{
	trust_settings ts;
	int rc = trust_settings_load(d, &ts, e);
	if (rc)
		return rc;
	rp_date t = rp_today();
	char since[11];
	rp_date_format(rp_civil_from_days(rp_days_from_civil(t.y, t.m, t.d) - WINDOW_HALF_LIVES * ts.half_life_days),
		       since);
	json_t *a;
	if ((rc = trust_standing(d, "company", since, owner, 0, &a, e)))
		return rc;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		char state[24], reason[200];
		json_object_del(v, "act");
		if ((rc = state_of(d, json_integer_value(json_object_get(json_object_get(v, "contact"), "id")), &ts, state,
				   e))) {
			json_decref(a);
			return rc;
		}
		json_object_set_new(v, "state", json_string(state));
		json_object_set_new(v, "reason", json_string(trust_letdown_reason(json_string_value(json_object_get(v, "on")), lang, reason, sizeof reason)));
	}
	*out = a;
	return 0;
}
