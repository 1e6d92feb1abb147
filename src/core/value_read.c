/*
** Customer value, read: a client's scores (value show, the card), the
** report, the negative-value clients, the agenda's falling high-value
** clients, and the graceful let-go.  The scores are what the last fit
** stored (core/value.c); the reasons are worded here, in the reader's
** language, from the numbers kept in value_score.detail.
*/
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The agenda's rule: a client in the top fifth by CLV whose P(alive) fell
** by FALL_PPM or more since the fit before, or is below LOW_PPM. */
enum { FALL_PPM = 100000, LOW_PPM = 500000, AGENDA_MAX = 10, LIST_MAX = 20 };

static json_t *money(int64_t minor)
{
	char b[32];
	return json_string(rp_money_format(minor, b));
}

static int64_t dint(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

/* "12 hours of our time a quarter", "2 refunds (150.00 RUB)",
** "1 make-good (50.00 RUB)", "expected margin -340.00 RUB". */
static json_t *reasons(json_t *detail, int64_t expected_margin, int ru)
{
	json_t *r = json_array();
	json_t *cost = json_object_get(detail, "cost");
	const char *cur = json_string_value(json_object_get(detail, "currency"));
	char b[200], m[32];
	int64_t minutes = dint(cost, "minutes");
	if (minutes > 0) {
		double hours = round((double)minutes / 60 / 4 * 10) / 10;
		snprintf(b, sizeof b, ru ? "%g ч нашего времени в квартал (%s %s)" : "%g hours of our time a quarter (%s %s)",
			 hours, rp_money_format(dint(cost, "time_cost"), m), cur);
		json_array_append_new(r, json_string(b));
	}
	if (dint(cost, "refunds") > 0) {
		int64_t n = dint(cost, "refunds");
		if (ru)
			snprintf(b, sizeof b, "возвратов: %lld (%s %s)", (long long)n,
				 rp_money_format(dint(cost, "discounts"), m), cur);
		else
			snprintf(b, sizeof b, "%lld refund%s (%s %s)", (long long)n, n == 1 ? "" : "s",
				 rp_money_format(dint(cost, "discounts"), m), cur);
		json_array_append_new(r, json_string(b));
	}
	if (dint(cost, "make_good_count") > 0) {
		int64_t n = dint(cost, "make_good_count");
		if (ru)
			snprintf(b, sizeof b, "компенсаций: %lld (%s %s)", (long long)n,
				 rp_money_format(dint(cost, "make_goods"), m), cur);
		else
			snprintf(b, sizeof b, "%lld make-good%s (%s %s)", (long long)n, n == 1 ? "" : "s",
				 rp_money_format(dint(cost, "make_goods"), m), cur);
		json_array_append_new(r, json_string(b));
	}
	snprintf(b, sizeof b, ru ? "ожидаемая маржа %s %s" : "expected margin %s %s",
		 rp_money_format(expected_margin, m), cur);
	json_array_append_new(r, json_string(b));
	return r;
}

static json_t *prob(int64_t ppm)
{
	return json_real(round((double)ppm / 1e3) / 1e3);
}

/* The value object from a row: contact id, name, clv, p_alive,
** p_alive_before, expected_margin, segment, detail (columns 0..7). */
static json_t *value_object(db_stmt *s, int ru)
{
	json_t *d = json_loads(db_col_text(s, 7), 0, NULL);
	if (!d)
		return json_null();
	json_t *cost = json_object_get(d, "cost"), *rfm = json_object_get(d, "rfm");
	int64_t em = db_col_int(s, 5);
	json_t *o = json_pack(
		"{s:{s:I,s:o},s:O,s:O,s:O,s:O,s:O,s:o,s:o,s:o,s:O,s:o,s:O,s:o,"
		"s:{s:I,s:o,s:o,s:o,s:o},s:o,s:o,s:o,s:b,s:o}",
		"contact", "id", (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1), "fitted_at",
		json_object_get(d, "fitted_at"), "currency", json_object_get(d, "currency"), "frequency",
		json_object_get(d, "frequency"), "recency_days", json_object_get(d, "recency_days"), "age_days",
		json_object_get(d, "age_days"), "monetary", money(dint(d, "monetary")), "p_alive", prob(db_col_int(s, 3)),
		"p_alive_before", db_col_null(s, 4) ? json_null() : prob(db_col_int(s, 4)), "expected_purchases_year",
		json_object_get(d, "expected_purchases_year"), "clv", money(db_col_int(s, 2)), "rfm", rfm, "segment",
		col_json_text(s, 6), "cost_to_serve", "minutes", (json_int_t)dint(cost, "minutes"), "time_cost",
		money(dint(cost, "time_cost")), "make_goods", money(dint(cost, "make_goods")), "discounts",
		money(dint(cost, "discounts")), "total", money(dint(cost, "total")), "revenue", money(dint(d, "revenue")),
		"margin", money(dint(d, "margin")), "expected_margin", money(em), "negative", em < 0, "reasons",
		reasons(d, em, ru));
	if (o) {
		json_object_set_new(o, "refunds", json_integer(dint(cost, "refunds")));
		json_object_set_new(o, "expected_cost_to_serve", money(dint(d, "expected_cost")));
	}
	json_decref(d);
	return o ? o : json_null();
}

#define SCORE_COLS "s.contact_id, c.name, s.clv, s.p_alive, s.p_alive_before, s.expected_margin, s.segment, s.detail"

static int one_value(db *d, int64_t contact, int ru, json_t **out, rp_err *e)
{
	*out = NULL;
	db_stmt *s = db_query(d, e,
			      "SELECT " SCORE_COLS " FROM value_score s JOIN contact c ON c.id = s.contact_id"
			      " WHERE s.contact_id = $1",
			      "i", contact);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		*out = value_object(s, ru);
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

int value_show(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e)
{
	int rc = contact_exists(d, contact, e);
	if (!rc)
		rc = one_value(d, contact, lang && !strncmp(lang, "ru", 2), out, e);
	if (!rc && !*out)
		rc = rp_errf(e, RP_ENOTFOUND,
			     "contact %lld has no value scores: the last fit did not score them (no purchases in its "
			     "currency up to its end); run 'rapport value fit' after logging purchases",
			     (long long)contact);
	return rc;
}

int value_card(db *d, int64_t contact, const char *name, json_t **out, rp_err *e)
{
	(void)name;
	int rc = one_value(d, contact, 0, out, e);
	if (!rc && !*out)
		*out = json_null();
	return rc;
}

/* ---- lists ----------------------------------------------------------------- */

static int latest_fit(db *d, char *currency, size_t size, char *fitted_at, rp_err *e)
{
	*currency = 0;
	*fitted_at = 0;
	db_stmt *s = db_query(d, e, "SELECT currency, fitted_at FROM value_fit ORDER BY id DESC LIMIT 1", "");
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(currency, size, "%s", db_col_text(s, 0));
		rp_ts_format(db_col_int(s, 1), fitted_at);
	}
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

static int negative_list(db *d, int64_t threshold, int ru, int64_t limit, json_t **out, rp_err *e)
{
	json_t *a = json_array();
	db_stmt *s = db_query(d, e,
			      "SELECT " SCORE_COLS " FROM value_score s JOIN contact c ON c.id = s.contact_id"
			      " WHERE s.expected_margin < $1 ORDER BY s.expected_margin, s.contact_id LIMIT $2",
			      "ii", threshold, limit);
	if (!s) {
		json_decref(a);
		return e->code;
	}
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *v = value_object(s, ru);
		json_array_append_new(a, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "contact",
						   json_object_get(v, "contact"), "expected_margin",
						   json_object_get(v, "expected_margin"), "cost_to_serve",
						   json_object_get(json_object_get(v, "cost_to_serve"), "total"),
						   "revenue", json_object_get(v, "revenue"), "margin",
						   json_object_get(v, "margin"), "clv", json_object_get(v, "clv"),
						   "reasons", json_object_get(v, "reasons")));
		json_decref(v);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int value_negative(db *d, int64_t threshold, const char *lang, json_t **out, rp_err *e)
{
	char cur[8], at[21];
	json_t *list = NULL;
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	if (!(rc = latest_fit(d, cur, sizeof cur, at, e)))
		rc = negative_list(d, threshold, lang && !strncmp(lang, "ru", 2), 1000, &list, e);
	db_commit(d, NULL);
	if (rc)
		return rc;
	*out = json_pack("{s:o,s:s?,s:s?,s:o}", "threshold", money(threshold), "currency", *cur ? cur : NULL,
			 "fitted_at", *at ? at : NULL, "clients", list);
	return 0;
}

/* ---- report ---------------------------------------------------------------- */

/* Margin by period over the last four quarters or twelve months up to the
** fit's end: revenue x rate - (time, make-goods, refunds), for every client. */
static int periods(db *d, const char *currency, const char *until, int months, const value_settings *vs,
		   json_t **out, rp_err *e)
{
	rp_date u;
	if (rp_date_parse(until, 0, &u))
		return rp_errf(e, RP_EDB, "the last fit's end \"%s\" is not a date", until);
	int step = months ? 1 : 3, np = months ? 12 : 4;
	/* the first period: back from the period holding u */
	int m0 = (u.y * 12 + u.m - 1) / step * step - step * (np - 1);
	int64_t start = rp_days_from_civil(m0 / 12, m0 % 12 + 1, 1) * 86400;
	int64_t end = (rp_days_from_civil(u.y, u.m, u.d) + 1) * 86400;
	int64_t rev[12] = {0}, cost[12] = {0};
	int64_t mins[12] = {0};
	static const char *const sql[] = {
		"SELECT at, coalesce(minutes, 0), CASE WHEN currency = $3 THEN coalesce(amount, 0) ELSE 0 END,"
		" kind = 'purchase' FROM interaction WHERE at >= $1 AND at < $2",
		"SELECT opened_at, 0, -make_good_cost, 1 FROM complaint WHERE opened_at >= $1 AND opened_at < $2"
		" AND make_good_cost IS NOT NULL AND currency = $3",
	};
	for (int q = 0; q < 2; q++) {
		db_stmt *s = db_query(d, e, sql[q], "iit", start, end, currency);
		if (!s)
			return e->code;
		int rc;
		while ((rc = db_step(s, e)) == DB_ROW) {
			rp_date t = rp_civil_from_days(rp_day_of(db_col_int(s, 0)));
			int k = ((t.y * 12 + t.m - 1) - m0) / step;
			if (k < 0 || k >= np)
				continue;
			int64_t amount = db_col_int(s, 2);
			mins[k] += db_col_int(s, 1);
			if (db_col_int(s, 3)) {
				if (amount > 0)
					rev[k] += amount;
				else
					cost[k] -= amount; /* a refund or a make-good */
			}
		}
		db_reset(s);
		if (rc != DB_DONE)
			return rc;
	}
	json_t *a = json_array();
	for (int k = 0; k < np; k++) {
		int m = m0 + k * step;
		char label[16];
		if (months)
			snprintf(label, sizeof label, "%04d-%02d", m / 12, m % 12 + 1);
		else
			snprintf(label, sizeof label, "%04d-Q%d", m / 12, m % 12 / 3 + 1);
		int64_t c = cost[k] + (int64_t)llround((double)mins[k] * (double)vs->hourly_cost / 60);
		int64_t r = rev[k];
		json_array_append_new(a, json_pack("{s:s,s:o,s:I,s:o,s:o}", "period", label, "revenue", money(r),
						   "minutes", (json_int_t)mins[k], "cost_to_serve", money(c), "margin",
						   money((int64_t)llround((double)r * vs->margin_rate) - c)));
	}
	*out = a;
	return 0;
}

static int report_in(db *d, const char *by, int ru, json_t *o, rp_err *e)
{
	char cur[8], at[21];
	int rc = latest_fit(d, cur, sizeof cur, at, e);
	if (rc)
		return rc;
	if (!*cur)
		return rp_errf(e, RP_ENOTFOUND, "no value fit yet: run 'rapport value fit' first");
	value_settings vs;
	if ((rc = value_settings_load(d, &vs, e)))
		return rc;
	json_object_set_new(o, "fitted_at", json_string(at));
	json_object_set_new(o, "currency", json_string(cur));
	/* one pass over the scores: the distribution, segments and totals */
	int64_t n = 0, maxclv = 0, tclv = 0, trev = 0, tcost = 0;
	if ((rc = db_one_int(d, e, &n, "SELECT count(*) FROM value_score", "")) ||
	    (rc = db_one_int(d, e, &maxclv, "SELECT coalesce(max(clv), 0) FROM value_score", "")))
		return rc;
	enum { NB = 10 };
	int64_t counts[NB] = {0}, width = maxclv / NB + 1;
	json_t *segs = json_object();
	json_object_set_new(o, "segments_by_name", segs);
	db_stmt *s = db_query(d, e, "SELECT clv, segment, detail FROM value_score", "");
	if (!s)
		return e->code;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t clv = db_col_int(s, 0);
		int b = clv <= 0 ? 0 : (int)(clv / width);
		counts[b < NB ? b : NB - 1]++;
		tclv += clv;
		json_t *dj = json_loads(db_col_text(s, 2), 0, NULL);
		trev += dint(dj, "revenue");
		tcost += dint(json_object_get(dj, "cost"), "total");
		json_decref(dj);
		json_t *g = json_object_get(segs, db_col_text(s, 1));
		if (!g) {
			g = json_pack("{s:s,s:I,s:I}", "name", db_col_text(s, 1), "count", (json_int_t)0, "clv",
				      (json_int_t)0);
			json_object_set_new(segs, db_col_text(s, 1), g);
		}
		json_object_set_new(g, "count", json_integer(json_integer_value(json_object_get(g, "count")) + 1));
		json_object_set_new(g, "clv", json_integer(json_integer_value(json_object_get(g, "clv")) + clv));
	}
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	json_t *edges = json_array(), *cj = json_array(), *sa = json_array();
	for (int k = 0; k <= NB; k++)
		json_array_append_new(edges, money(k * width));
	for (int k = 0; k < NB; k++)
		json_array_append_new(cj, json_integer(counts[k]));
	const char *key;
	json_t *g;
	json_object_foreach(segs, key, g)
	{
		json_array_append_new(sa, json_pack("{s:O,s:O,s:o}", "name", json_object_get(g, "name"), "count",
						    json_object_get(g, "count"),
						    "clv", money(json_integer_value(json_object_get(g, "clv")))));
	}
	json_object_del(o, "segments_by_name");
	json_object_set_new(o, "customers", json_integer(n));
	json_object_set_new(o, "distribution", json_pack("{s:o,s:o}", "edges", edges, "counts", cj));
	json_object_set_new(o, "segments", sa);
	json_object_set_new(o, "totals", json_pack("{s:o,s:o,s:o}", "clv", money(tclv), "revenue", money(trev),
						   "cost_to_serve", money(tcost)));
	json_t *top = json_array();
	s = db_query(d, e,
		     "SELECT s.contact_id, c.name, s.clv, s.p_alive, s.segment FROM value_score s"
		     " JOIN contact c ON c.id = s.contact_id ORDER BY s.clv DESC, s.contact_id LIMIT $1",
		     "i", (int64_t)LIST_MAX);
	json_object_set_new(o, "top", top);
	if (!s)
		return e->code;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(top, json_pack("{s:{s:I,s:o},s:o,s:o,s:o}", "contact", "id",
						     (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1), "clv",
						     money(db_col_int(s, 2)), "p_alive", prob(db_col_int(s, 3)),
						     "segment", col_json_text(s, 4)));
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	json_t *neg = NULL, *per = NULL;
	if ((rc = negative_list(d, 0, ru, LIST_MAX, &neg, e)))
		return rc;
	json_object_set_new(o, "negative", neg);
	char until[11] = "";
	s = db_query(d, e, "SELECT until_on FROM value_fit ORDER BY id DESC LIMIT 1", "");
	if (!s)
		return e->code;
	if ((rc = db_step(s, e)) == DB_ROW)
		snprintf(until, sizeof until, "%s", db_col_text(s, 0));
	db_reset(s);
	int months = by && !strcmp(by, "month");
	if ((rc = periods(d, cur, until, months, &vs, &per, e)))
		return rc;
	json_object_set_new(o, "by", json_string(months ? "month" : "quarter"));
	json_object_set_new(o, "periods", per);
	return 0;
}

int value_report(db *d, const char *by, const char *lang, json_t **out, rp_err *e)
{
	if (by && strcmp(by, "month") && strcmp(by, "quarter"))
		return rp_errf(e, RP_EINVAL, "--by is month or quarter, not \"%s\"", by);
	json_t *o = json_object();
	int rc = db_begin_read(d, e);
	if (!rc) {
		rc = report_in(d, by, lang && !strncmp(lang, "ru", 2), o, e);
		db_commit(d, NULL);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- agenda ------------------------------------------------------------------ */

int value_agenda(db *d, const char *owner, const char *lang, json_t **out, rp_err *e)
{
	int ru = lang && !strncmp(lang, "ru", 2);
	json_t *a = json_array();
	int64_t n = 0, cut = 0;
	char cur[8], at[21];
	int rc = latest_fit(d, cur, sizeof cur, at, e);
	if (!rc)
		rc = db_one_int(d, e, &n, "SELECT count(*) FROM value_score", "");
	if (rc || !n) {
		if (rc)
			json_decref(a);
		else
			*out = a;
		return rc;
	}
	/* the top fifth by CLV starts at the clv of the ceil(n/5)-th client */
	if ((rc = db_one_int(d, e, &cut, "SELECT clv FROM value_score ORDER BY clv DESC LIMIT 1 OFFSET $1", "i",
			     (n + 4) / 5 - 1))) {
		json_decref(a);
		return rc;
	}
	static const char *const sql =
		"SELECT s.contact_id, c.name, s.clv, s.p_alive, s.p_alive_before FROM value_score s"
		" JOIN contact c ON c.id = s.contact_id"
		" WHERE s.clv >= $1 AND s.clv > 0 AND (s.p_alive < $2 OR s.p_alive_before - s.p_alive >= $3)"
		" AND ($5 = '' OR c.owner = $5)"
		" AND NOT EXISTS (SELECT 1 FROM cadence_stop x WHERE x.contact_id = s.contact_id)"
		" ORDER BY s.clv DESC, s.contact_id LIMIT $4";
	db_stmt *s = db_query(d, e, sql, "iiiit", cut, (int64_t)LOW_PPM, (int64_t)FALL_PPM, (int64_t)AGENDA_MAX,
			      owner ? owner : "");
	if (!s) {
		json_decref(a);
		return e->code;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		char m[32], why[240];
		double p = (double)db_col_int(s, 3) / 1e6;
		int has_before = !db_col_null(s, 4);
		double pb = (double)db_col_int(s, 4) / 1e6;
		rp_money_format(db_col_int(s, 2), m);
		if (has_before && pb - p >= FALL_PPM / 1e6)
			snprintf(why, sizeof why,
				 ru ? "ценный клиент (CLV %s %s): вероятность, что он с нами, упала с %.2f до %.2f — стоит позвонить"
				    : "high-value client (CLV %s %s): P(alive) fell from %.2f to %.2f, worth a call",
				 m, cur, pb, p);
		else
			snprintf(why, sizeof why,
				 ru ? "ценный клиент (CLV %s %s): вероятность, что он с нами, %.2f — стоит позвонить"
				    : "high-value client (CLV %s %s): P(alive) is %.2f, worth a call",
				 m, cur, p);
		json_array_append_new(a, json_pack("{s:{s:I,s:o},s:o,s:o,s:o,s:s}", "contact", "id",
						   (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1), "clv",
						   money(db_col_int(s, 2)), "p_alive", prob(db_col_int(s, 3)),
						   "p_alive_before", has_before ? prob(db_col_int(s, 4)) : json_null(),
						   "reason", why));
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- let go ------------------------------------------------------------------- */

int value_letgo(db *d, int64_t contact, const char *note, const char *handover, int stop_cadence, const char *by,
		json_t **out, rp_err *e)
{
	if (str_blank(note))
		return rp_errf(e, RP_EINVAL, "a let-go needs --note: say why and how, for whoever reads the timeline");
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	int64_t nid = 0;
	interaction_in in = {.contact_id = contact, .at = rp_now(), .kind = "note", .summary = note, .by = by,
			     .minutes = -1};
	if (!(rc = contact_exists(d, contact, e)))
		rc = interaction_add(d, &in, &nid, e);
	if (!rc && (handover || stop_cadence)) {
		contact_in ci = {.owner = handover, .tier = stop_cadence ? "distant" : NULL};
		rc = contact_edit(d, contact, &ci, e);
	}
	/* the cadence stops: the agenda asks no more to keep in touch */
	if (!rc && stop_cadence)
		rc = db_run(d, e,
			    "INSERT INTO cadence_stop(contact_id, at, by_user, note_interaction) VALUES ($1, $2, $3, $4)"
			    " ON CONFLICT (contact_id) DO UPDATE SET at = excluded.at, by_user = excluded.by_user,"
			    " note_interaction = excluded.note_interaction",
			    "iiti", contact, in.at, by, nid);
	json_t *o = NULL;
	if (!rc) {
		db_stmt *s = db_query(d, e, "SELECT name, owner, tier FROM contact WHERE id = $1", "i", contact);
		if (!s)
			rc = e->code;
		else if ((rc = db_step(s, e)) == DB_ROW) {
			o = json_pack("{s:{s:I,s:o},s:o,s:o,s:I,s:b}", "contact", "id", (json_int_t)contact, "name",
				      col_json_text(s, 0), "owner", col_json_text(s, 1), "tier", col_json_text(s, 2),
				      "note_interaction", (json_int_t)nid, "cadence_stopped", stop_cadence);
			rc = 0;
		}
		if (s)
			db_reset(s);
	}
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e))) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
