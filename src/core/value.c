/*
** Customer value: the lifetime-value models of model/ fitted to the
** purchases in the timeline, and every buyer scored (seed 004).
**
** A fit reads the purchase interactions (kind 'purchase', amount > 0) of
** the currency most purchases are in, up to the end of the calibration
** day, summarises them per client in weeks (model/summary.c: purchases on
** one day are one), fits BG/NBD for how often and how long clients buy,
** and Gamma-Gamma for how much when at least GG_MIN clients bought again
** (below that the spend is each client's own mean, or everyone's).  Then,
** per client, in minor units of that currency:
**
**   clv             the revenue expected over value.horizon_months,
**                   discounted at 1% a month (clv_value, margin 1);
**   cost to serve   over the 12 months up to the end: minutes of every
**                   interaction x value.hourly_cost / 60, plus make-goods
**                   (complaint.make_good_cost) and discounts (purchases
**                   with a negative amount: refunds);
**   margin          revenue of those 12 months x value.margin_rate - cost;
**   expected margin clv x margin_rate - cost x horizon/12 x P(alive): the
**                   cost goes on at last year's rate while the client is
**                   there.
**
** The scores replace the last fit's; each keeps the P(alive) the client had
** at that fit (p_alive_before) so the agenda can see it fall.  Nothing is
** stored as a float: probabilities in millionths, money in minor units, the
** rest as JSON text (core/copy.c moves integers and text).
*/
#include "core/core.h"
#include "model/clv.h"
#include "util/idmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Fewer buyers than this and the fit is refused; fewer repeat buyers than
** GG_MIN and the spend model is skipped (three parameters from a handful
** of means say nothing). */
enum { FIT_MIN_CUSTOMERS = 10, FIT_MIN_REPEAT = 2, GG_MIN = 10 };

#define WEEK_DAYS 7.0
#define MONTH_WEEKS (365.25 / 12 / 7)
#define MONTHLY_DISCOUNT 0.01

int value_margin_rate_check(const char *key, const char *value, rp_err *e)
{
	char *end;
	double v = strtod(value, &end);
	if (!*value || *end || !(v >= 0 && v <= 1))
		return rp_errf(e, RP_EINVAL, "%s must be a decimal from 0 to 1, like 0.3 for 30%% of revenue", key);
	return 0;
}

int value_settings_load(db *d, value_settings *s, rp_err *e)
{
	char *rate = NULL;
	int rc = setting_int(d, "value.hourly_cost", 3000, &s->hourly_cost, e);
	if (!rc)
		rc = setting_int(d, "value.rfm_bins", 5, &s->rfm_bins, e);
	if (!rc)
		rc = setting_int(d, "value.horizon_months", 36, &s->horizon_months, e);
	if (!rc)
		rc = setting_text(d, "value.margin_rate", "0.3", &rate, e);
	if (!rc) {
		s->margin_rate = strtod(rate, NULL);
		if (!(s->margin_rate >= 0 && s->margin_rate <= 1))
			s->margin_rate = 0.3;
		if (s->rfm_bins < 2 || s->rfm_bins > 9)
			s->rfm_bins = 5;
		if (s->horizon_months < 1 || s->horizon_months > 120)
			s->horizon_months = 36;
	}
	free(rate);
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- a summary file ---------------------------------------------------- */

int value_fit_summary(const char *bytes, size_t len, const char *model, json_t **out, rp_err *e)
{
	int kind = !model ? -1 : !strcmp(model, "bgnbd") ? 0 : !strcmp(model, "pareto") ? 1 : !strcmp(model, "gg") ? 2 : -1;
	if (kind < 0)
		return rp_errf(e, RP_EINVAL, "--model is bgnbd, pareto or gg, not \"%s\"", model ? model : "");
	clv_customer *c;
	size_t n;
	if (clv_load_summary(bytes, len, &c, &n, e))
		return e->code;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clv_fit fi = {0};
	json_t *params = NULL;
	int rc;
	size_t used = n;
	if (kind == 0) {
		clv_bgnbd m;
		if (!(rc = clv_bgnbd_fit(c, n, &m, &fi, e)))
			params = json_pack("{s:f,s:f,s:f,s:f}", "r", m.r, "alpha", m.alpha, "a", m.a, "b", m.b);
	} else if (kind == 1) {
		clv_pnbd m;
		if (!(rc = clv_pnbd_fit(c, n, &m, &fi, e)))
			params = json_pack("{s:f,s:f,s:f,s:f}", "r", m.r, "alpha", m.alpha, "s", m.s, "beta", m.beta);
	} else {
		clv_gg m;
		used = 0;
		for (size_t i = 0; i < n; i++)
			used += c[i].x > 0;
		if (!(rc = clv_gg_fit(c, n, &m, &fi, e)))
			params = json_pack("{s:f,s:f,s:f}", "p", m.p, "q", m.q, "gamma", m.gamma);
	}
	double secs = seconds_since(&t0);
	free(c);
	if (rc)
		return rc;
	*out = json_pack("{s:s,s:I,s:o,s:f,s:f,s:i}", "model", model, "customers", (json_int_t)used, "params", params,
			 "loglik", fi.ll, "seconds", secs, "iterations", fi.iterations);
	return 0;
}

/* ---- RFM ------------------------------------------------------------------ */

typedef struct ranked {
	double v;
	size_t i;
} ranked;

static int by_v(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;
	return (a->v > b->v) - (a->v < b->v);
}

/* Quantile bins: sorted ascending, the k-th value scores 1 + bins*k/n,
** and equal values score as the first of them (so 1,000 clients with one
** purchase are all in the lowest F bin, not spread over three). */
static int quantile_scores(const double *v, size_t n, int bins, int *score)
{
	ranked *r = malloc((n ? n : 1) * sizeof *r);
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++)
		r[i] = (ranked){v[i], i};
	qsort(r, n, sizeof *r, by_v);
	size_t first = 0;
	for (size_t k = 0; k < n; k++) {
		if (k && r[k].v != r[k - 1].v)
			first = k;
		score[r[k].i] = 1 + (int)((double)first * bins / (double)n);
	}
	free(r);
	return 0;
}

/* Named segments from the R and F scores, read as shares of the scale so
** that they mean the same with any number of bins. */
static const char *segment_of(int r, int f, int bins, double purchases)
{
	double rr = (double)(r - 1) / (bins - 1), ff = (double)(f - 1) / (bins - 1);
	if (purchases <= 1 && rr >= 0.5)
		return "new";
	if (rr >= 0.75 && ff >= 0.75)
		return "champions";
	if (rr >= 0.5 && ff >= 0.5)
		return "loyal";
	if (ff >= 0.5)
		return "at risk";
	if (rr >= 0.5)
		return "promising";
	return "hibernating";
}

/* ---- the fit from the timeline --------------------------------------------- */

/* What one client cost and brought over the last 12 months. */
typedef struct client {
	int64_t id;
	double total;      /* every purchase in the calibration period, for M */
	int64_t minutes, refunds, refunded, make_goods, make_good_cost, revenue;
	int64_t before;    /* P(alive) at the last fit, ppm; -1: none */
} client;

typedef struct fit_run {
	db *d;
	rp_err *e;
	int64_t from, end; /* the cost window and the end of the calibration period, Unix seconds */
	const char *currency;
	clv_customer *c;
	client *cl;
	size_t n;
	rp_idmap pos; /* contact id -> index in c and cl */
} fit_run;

/* Run sql ($1 from, $2 end, $3 currency) and hand each row's contact and
** two integers to add. */
static int per_client(fit_run *f, const char *sql, void (*add)(client *, int64_t, int64_t))
{
	db_stmt *s = db_query(f->d, f->e, sql, "iit", f->from, f->end, f->currency);
	if (!s)
		return f->e->code;
	int rc;
	while ((rc = db_step(s, f->e)) == DB_ROW) {
		int64_t *at = rp_idmap_get(&f->pos, db_col_int(s, 0));
		if (at)
			add(&f->cl[*at], db_col_int(s, 1), db_col_int(s, 2));
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static void add_minutes(client *c, int64_t a, int64_t b)
{
	(void)b;
	c->minutes += a;
}
static void add_refunds(client *c, int64_t a, int64_t b)
{
	c->refunds += a;
	c->refunded += b;
}
static void add_make_goods(client *c, int64_t a, int64_t b)
{
	c->make_goods += a;
	c->make_good_cost += b;
}
static void add_revenue(client *c, int64_t a, int64_t b)
{
	(void)b;
	c->revenue += a;
}
static void add_before(client *c, int64_t a, int64_t b)
{
	(void)b;
	c->before = a;
}

static int cost_window(fit_run *f)
{
	static const char *const sql[] = {
		/* $3 keeps one parameter list for all four */
		"SELECT contact_id, sum(minutes), 0 FROM interaction WHERE at >= $1 AND at < $2 AND minutes > 0"
		" AND $3 = $3 GROUP BY contact_id",
		"SELECT contact_id, count(*), -sum(amount) FROM interaction WHERE kind = 'purchase' AND amount < 0"
		" AND currency = $3 AND at >= $1 AND at < $2 GROUP BY contact_id",
		"SELECT contact_id, count(*), sum(make_good_cost) FROM complaint WHERE make_good_cost IS NOT NULL"
		" AND currency = $3 AND opened_at >= $1 AND opened_at < $2 GROUP BY contact_id",
		"SELECT contact_id, sum(amount), 0 FROM interaction WHERE kind = 'purchase' AND amount > 0"
		" AND currency = $3 AND at >= $1 AND at < $2 GROUP BY contact_id",
		"SELECT contact_id, p_alive, 0 FROM value_score WHERE $1 = $1 AND $2 = $2 AND $3 = $3",
	};
	void (*const add[])(client *, int64_t, int64_t) = {add_minutes, add_refunds, add_make_goods, add_revenue,
							   add_before};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++)
		rc = per_client(f, sql[i], add[i]);
	return rc;
}

/* The purchases of the calibration period in currency, as transactions. */
static int load_purchases(fit_run *f, clv_txn **out, size_t *n)
{
	size_t cap = 1024, k = 0;
	clv_txn *t = malloc(cap * sizeof *t);
	if (!t)
		return rp_errf(f->e, RP_ENOMEM, "out of memory");
	db_stmt *s = db_query(f->d, f->e,
			      "SELECT contact_id, at, amount FROM interaction WHERE kind = 'purchase' AND amount > 0"
			      " AND currency = $1 AND at < $2",
			      "ti", f->currency, f->end);
	if (!s) {
		free(t);
		return f->e->code;
	}
	int rc;
	while ((rc = db_step(s, f->e)) == DB_ROW) {
		if (k == cap) {
			clv_txn *p = realloc(t, 2 * cap * sizeof *t);
			if (!p) {
				rc = rp_errf(f->e, RP_ENOMEM, "out of memory reading %zu purchases", k);
				break;
			}
			t = p;
			cap *= 2;
		}
		t[k++] = (clv_txn){db_col_int(s, 0), rp_day_of(db_col_int(s, 1)), (double)db_col_int(s, 2)};
	}
	db_reset(s);
	if (rc != DB_DONE) {
		free(t);
		return rc;
	}
	*out = t;
	*n = k;
	return 0;
}

static int64_t to_minor(double v)
{
	return isfinite(v) ? (int64_t)llround(v) : 0;
}

static int64_t ppm(double p)
{
	if (!(p >= 0))
		return 0;
	return p >= 1 ? 1000000 : (int64_t)llround(p * 1e6);
}

static int store_scores(fit_run *f, const value_settings *vs, int64_t fit_id, const clv_model *pm,
			const clv_gg *gg, double mean_spend, const char *fitted_at, int64_t *stored)
{
	size_t n = f->n;
	double *rv = malloc(n * sizeof *rv), *fv = malloc(n * sizeof *fv), *mv = malloc(n * sizeof *mv);
	int *rs = malloc(n * sizeof *rs), *fs = malloc(n * sizeof *fs), *ms = malloc(n * sizeof *ms);
	int rc = 0;
	if (!rv || !fv || !mv || !rs || !fs || !ms) {
		rc = rp_errf(f->e, RP_ENOMEM, "out of memory scoring %zu clients", n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		rv[i] = -(f->c[i].T - f->c[i].t_x); /* recent is high */
		fv[i] = f->c[i].x;
		mv[i] = f->cl[i].total;
	}
	int bins = (int)vs->rfm_bins;
	if (quantile_scores(rv, n, bins, rs) || quantile_scores(fv, n, bins, fs) || quantile_scores(mv, n, bins, ms)) {
		rc = rp_errf(f->e, RP_ENOMEM, "out of memory scoring %zu clients", n);
		goto out;
	}
	clv_horizon h = {(int)vs->horizon_months, MONTH_WEEKS, MONTHLY_DISCOUNT, 1};
	double years = (double)vs->horizon_months / 12;
	for (size_t i = 0; !rc && i < n; i++) {
		const clv_customer *c = &f->c[i];
		const client *k = &f->cl[i];
		double alive = clv_alive(pm, c);
		double year = clv_expected(pm, c, 365.25 / 7);
		double clv;
		if (gg) {
			clv = clv_value(pm, gg, c, &h);
		} else {
			/* no spend model: the client's own mean spend, or everyone's,
			** through clv_value with any spend model, rescaled */
			static const clv_gg unit = {1, 2, 1};
			clv_horizon own = h;
			own.margin = (c->x > 0 ? c->m : mean_spend) / clv_gg_spend(&unit, c);
			clv = clv_value(pm, &unit, c, &own);
		}
		int64_t time_cost = to_minor((double)k->minutes * (double)vs->hourly_cost / 60);
		int64_t cost = time_cost + k->make_good_cost + k->refunded;
		int64_t margin = to_minor((double)k->revenue * vs->margin_rate) - cost;
		int64_t exp_cost = to_minor((double)cost * years * alive);
		int64_t clv_m = to_minor(clv);
		int64_t exp_margin = to_minor(clv * vs->margin_rate) - exp_cost;
		const char *seg = segment_of(rs[i], fs[i], bins, c->x + 1);
		char score[8];
		snprintf(score, sizeof score, "%d%d%d", rs[i], fs[i], ms[i]);
		json_t *detail = json_pack(
			"{s:s,s:s,s:f,s:I,s:I,s:I,s:f,s:{s:i,s:i,s:i,s:s},"
			"s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:I,s:I,s:I,s:f,s:I}",
			"fitted_at", fitted_at, "currency", f->currency, "frequency", c->x, "recency_days",
			(json_int_t)llround(c->t_x * WEEK_DAYS), "age_days", (json_int_t)llround(c->T * WEEK_DAYS),
			"monetary", (json_int_t)to_minor(c->m), "expected_purchases_year", round(year * 1000) / 1000,
			"rfm", "r", rs[i], "f", fs[i], "m", ms[i], "score", score, "cost", "minutes",
			(json_int_t)k->minutes, "time_cost", (json_int_t)time_cost, "make_goods",
			(json_int_t)k->make_good_cost, "make_good_count", (json_int_t)k->make_goods, "discounts",
			(json_int_t)k->refunded, "refunds", (json_int_t)k->refunds, "total", (json_int_t)cost,
			"revenue", (json_int_t)k->revenue, "margin", (json_int_t)margin, "expected_cost",
			(json_int_t)exp_cost, "horizon_years", years, "hourly_cost", (json_int_t)vs->hourly_cost);
		char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
		json_decref(detail);
		if (!text) {
			rc = rp_errf(f->e, RP_ENOMEM, "out of memory");
			break;
		}
		db_stmt *s = db_query(f->d, f->e,
				      "INSERT INTO value_score(contact_id, fit_id, clv, p_alive, p_alive_before,"
				      " expected_margin, segment, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
				      "iiiinitt", k->id, fit_id, clv_m, ppm(alive), exp_margin, seg, text);
		if (!s) {
			free(text);
			rc = f->e->code;
			break;
		}
		if (k->before >= 0)
			db_bind_int(s, 5, k->before);
		rc = db_step(s, f->e);
		db_reset(s);
		free(text);
		rc = rc == DB_DONE ? 0 : rc;
		(*stored)++;
	}
out:
	free(rv);
	free(fv);
	free(mv);
	free(rs);
	free(fs);
	free(ms);
	return rc;
}

static int fit_in(fit_run *f, const value_settings *vs, const char *until, const char *by, json_t **out)
{
	rp_err *e = f->e;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the currency most purchases are in */
	char *currency = NULL;
	db_stmt *s = db_query(f->d, e,
			      "SELECT currency, count(*) FROM interaction WHERE kind = 'purchase' AND amount > 0 AND at < $1"
			      " GROUP BY currency ORDER BY 2 DESC, 1 LIMIT 1",
			      "i", f->end);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		currency = strdup(db_col_text(s, 0));
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	if (!currency)
		return rp_errf(e, RP_EINVAL,
			       "no purchases up to %s to fit: log them as interactions of kind purchase with an amount, "
			       "e.g. rapport log CONTACT purchase --amount 1500 --currency RUB",
			       until);
	f->currency = currency;
	clv_txn *t = NULL;
	size_t nt = 0;
	int64_t *ids = NULL;
	json_t *bg_j = NULL, *gg_j = NULL;
	if ((rc = load_purchases(f, &t, &nt)))
		goto out;
	if ((rc = clv_summarise(t, nt, rp_day_of(f->end - 1), WEEK_DAYS, &f->c, &ids, &f->n, e)))
		goto out;
	size_t repeat = 0;
	double spend_sum = 0;
	for (size_t i = 0; i < f->n; i++)
		repeat += f->c[i].x > 0;
	for (size_t i = 0; i < nt; i++)
		spend_sum += t[i].value;
	if (f->n < FIT_MIN_CUSTOMERS || repeat < FIT_MIN_REPEAT) {
		rc = rp_errf(e, RP_EINVAL,
			     "too few purchases to fit: %zu client%s bought in %s up to %s, %zu of them more than once; "
			     "the model needs at least %d buyers and %d who came back (log purchases with "
			     "'rapport log CONTACT purchase --amount N --currency %s', or give a later --until)",
			     f->n, f->n == 1 ? "" : "s", currency, until, repeat, FIT_MIN_CUSTOMERS, FIT_MIN_REPEAT,
			     currency);
		goto out;
	}
	f->cl = calloc(f->n, sizeof *f->cl);
	if (!f->cl) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < f->n; i++) {
		f->cl[i].id = ids[i];
		f->cl[i].before = -1;
		if (!rp_idmap_put(&f->pos, ids[i], (int64_t)i, NULL)) {
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (size_t i = 0; i < nt; i++) {
		int64_t *at = rp_idmap_get(&f->pos, t[i].customer);
		if (at && rp_day_of(f->end - 1) >= t[i].day)
			f->cl[*at].total += t[i].value;
	}
	if ((rc = cost_window(f)))
		goto out;
	clv_model pm = {.kind = CLV_BGNBD};
	clv_fit bfi;
	if ((rc = clv_bgnbd_fit(f->c, f->n, &pm.bg, &bfi, e)))
		goto out;
	bg_j = json_pack("{s:{s:f,s:f,s:f,s:f},s:f}", "params", "r", pm.bg.r, "alpha", pm.bg.alpha, "a", pm.bg.a, "b",
			 pm.bg.b, "loglik", bfi.ll);
	clv_gg gg;
	int have_gg = 0;
	const char *gg_note = NULL;
	char note[200];
	if (repeat < GG_MIN) {
		snprintf(note, sizeof note,
			 "Gamma-Gamma skipped: %zu clients bought more than once, it needs %d; spend is each client's "
			 "own mean, or everyone's",
			 repeat, GG_MIN);
		gg_note = note;
	} else {
		clv_fit gfi;
		rp_err ge = {0};
		if (clv_gg_fit(f->c, f->n, &gg, &gfi, &ge) || !(gg.q > 1)) {
			snprintf(note, sizeof note, "Gamma-Gamma skipped: %.150s",
				 ge.code ? ge.msg : "q <= 1, no finite mean spend");
			gg_note = note;
		} else {
			have_gg = 1;
			gg_j = json_pack("{s:{s:f,s:f,s:f},s:f}", "params", "p", gg.p, "q", gg.q, "gamma", gg.gamma,
					 "loglik", gfi.ll);
		}
	}
	int64_t now = rp_now(), fit_id = 0, stored = 0;
	char fitted_at[21];
	rp_ts_format(now, fitted_at);
	json_t *params = json_pack("{s:O,s:O?,s:s,s:i,s:f,s:f}", "bgnbd", bg_j, "gg", gg_j, "time_unit", "weeks",
				   "horizon_months", (int)vs->horizon_months, "monthly_discount", MONTHLY_DISCOUNT,
				   "margin_rate", vs->margin_rate);
	char *ptext = json_dumps(params, JSON_COMPACT);
	json_decref(params);
	if (!ptext) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	s = db_query(f->d, e,
		     "INSERT INTO value_fit(fitted_at, until_on, currency, customers, repeat_buyers, params, by_user)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		     "ittiitt", now, until, currency, (int64_t)f->n, (int64_t)repeat, ptext, by);
	free(ptext);
	if (!s) {
		rc = e->code;
		goto out;
	}
	rc = db_step(s, e);
	if (rc == DB_ROW)
		fit_id = db_col_int(s, 0);
	db_reset(s);
	if (rc != DB_ROW) {
		rc = rc == DB_DONE ? rp_errf(e, RP_EDB, "the fit was not stored") : rc;
		goto out;
	}
	if ((rc = db_run(f->d, e, "DELETE FROM value_score", "")))
		goto out;
	if ((rc = store_scores(f, vs, fit_id, &pm, have_gg ? &gg : NULL, spend_sum / (double)nt, fitted_at, &stored)))
		goto out;
	*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:O,s:O?,s:s?,s:I,s:i,s:f}", "fit", (json_int_t)fit_id,
			 "fitted_at", fitted_at, "until", until, "currency", currency, "time_unit", "weeks",
			 "customers", (json_int_t)f->n, "repeat_buyers", (json_int_t)repeat, "bgnbd", bg_j, "gg",
			 gg_j, "gg_note", gg_note, "stored", (json_int_t)stored, "horizon_months",
			 (int)vs->horizon_months, "seconds", seconds_since(&t0));
out:
	json_decref(bg_j);
	json_decref(gg_j);
	free(t);
	free(ids);
	free(currency);
	return rc;
}

int value_fit_timeline(db *d, const char *until, const char *by, json_t **out, rp_err *e)
{
	char day[11];
	rp_date u;
	if (until && *until) {
		if (day_check("--until", until, day, e))
			return e->code;
		rp_date_parse(day, 0, &u);
		rp_date t = rp_today();
		if (rp_days_from_civil(u.y, u.m, u.d) > rp_days_from_civil(t.y, t.m, t.d))
			return rp_errf(e, RP_EINVAL, "--until %s is after today: the calibration period ends today at the latest",
				       day);
	} else {
		u = rp_today();
		rp_date_format(u, day);
	}
	int64_t end = (rp_days_from_civil(u.y, u.m, u.d) + 1) * 86400;
	value_settings vs;
	int rc = value_settings_load(d, &vs, e);
	if (rc)
		return rc;
	fit_run f = {.d = d, .e = e, .from = end - 365 * 86400, .end = end};
	if ((rc = db_begin(d, e)))
		return rc;
	rc = fit_in(&f, &vs, day, by, out);
	free(f.c);
	free(f.cl);
	rp_idmap_free(&f.pos);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}
