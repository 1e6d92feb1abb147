/*
** model/clv: customer lifetime value, the map.
**
** Pure computation over arrays (no store, no files): a customer's purchase
** history is summarised as (x, t_x, T, m) and three published models are
** fitted to a population of such summaries by maximum likelihood.
**
**   summary.c     transactions -> one clv_customer per customer
**   load.c        a summary CSV (frequency,recency,T[,monetary]) -> customers
**   bgnbd.c       BG/NBD: how many purchases, and is the customer still there
**                 (Fader, Hardie & Lee 2005, "Counting your customers the easy way")
**   paretonbd.c   Pareto/NBD, the same questions with dropout in continuous time
**                 (Schmittlein, Morrison & Colombo 1987; Fader & Hardie's 2005
**                 note on its likelihood)
**   gammagamma.c  Gamma-Gamma: how much a customer spends per purchase
**                 (Fader & Hardie, note 025)
**   value.c       discounted lifetime value from a purchase model and spend
**   fit.c         what the fits share: checks, grouping, the optimiser, 2F1
**
** Time is in whatever unit the summaries use (weeks for CDNOW): the rate
** parameters (alpha, beta, and the horizons t) are in that unit.  Money is in
** the unit of m.  Every fit maximises the log-likelihood with analytic
** gradients, by GSL's BFGS (vector_bfgs2) over the logarithms of the
** parameters (so they stay positive), falling back to Nelder-Mead when BFGS
** stops early; above 20,000 distinct customers a fit starts from that of
** an even sample of 20,000 (itself from a sample of 2,000) and takes
** Newton's steps on all of them, with the analytic Hessians of BG/NBD and
** Gamma-Gamma (Pareto/NBD's by differences of its gradient).  Predictions assume a customer
** that passed clv_check.
*/
#ifndef RP_CLV_H
#define RP_CLV_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* One customer over a calibration period. */
typedef struct clv_customer {
	double x;   /* repeat purchases: purchase days after the first one */
	double t_x; /* recency: time from the first purchase to the last one (0 when x = 0) */
	double T;   /* age: time from the first purchase to the end of the period */
	double m;   /* mean value of the repeat purchases (0 when x = 0 or unknown) */
} clv_customer;

/* How a fit went. */
typedef struct clv_fit {
	double ll;        /* log-likelihood at the estimate */
	double grad_norm; /* Euclidean norm of the gradient of ll/n in log-parameters */
	int iterations;
	int fallback;     /* 1 when Nelder-Mead had to finish the job */
	double se[4];     /* asymptotic standard errors of the parameters, in their order */
} clv_fit;

/* Every customer sane for the purchase models: at least one, finite and
** non-negative values, x a whole number, t_x <= T.  The message names the
** first bad customer (from 1) and what is wrong with it. */
int clv_check(const clv_customer *c, size_t n, rp_err *e);

/* ---- summaries (summary.c, load.c) -------------------------------------- */

/* One purchase record; several on the same day count as one purchase. */
typedef struct clv_txn {
	int64_t customer;
	int64_t day;  /* days since 1970-01-01 (rp_days_from_civil) */
	double value; /* >= 0 */
} clv_txn;

/* Summarise transactions as of calibration end day `end` (included), with
** time measured in units of `unit_days` days (7: weeks).  Purchases after
** `end` are left out, and so are customers whose first purchase is after
** it.  x counts the distinct purchase days after the first; t_x and T run
** from the first purchase day; m is the mean of the repeat days' totals.
** *out (and *ids, the customer of each row, when ids is not NULL) are
** malloc'd, sorted by customer; free them. */
int clv_summarise(const clv_txn *t, size_t n, int64_t end, double unit_days,
	clv_customer **out, int64_t **ids, size_t *nout, rp_err *e);

/* Parse a summary CSV with a header naming its columns: frequency (or x),
** recency (or t_x), T, and optionally monetary_value (or monetary, zbar);
** other columns are ignored.  *out is malloc'd; the rows are checked with
** clv_check, and a bad value names its line. */
int clv_load_summary(const char *bytes, size_t len, clv_customer **out, size_t *n, rp_err *e);

/* ---- BG/NBD (bgnbd.c) ----------------------------------------------------- */

/* Purchase rate lambda ~ Gamma(r, alpha); after each repeat purchase the
** customer drops out with probability p ~ Beta(a, b). */
typedef struct clv_bgnbd {
	double r, alpha, a, b;
} clv_bgnbd;

int clv_bgnbd_fit(const clv_customer *c, size_t n, clv_bgnbd *out, clv_fit *info, rp_err *e);
/* Sum of log-likelihoods; grad (may be NULL) gets d/d(r, alpha, a, b). */
double clv_bgnbd_ll(const clv_bgnbd *m, const clv_customer *c, size_t n, double grad[4]);
/* The same with its Hessian in (r, alpha, a, b), row-major, into hess (may
** be NULL). */
double clv_bgnbd_hessian(const clv_bgnbd *m, const clv_customer *c, size_t n, double grad[4], double hess[16]);
/* Expected purchases of a new customer in (0, t]. */
double clv_bgnbd_expected_new(const clv_bgnbd *m, double t);
/* Expected purchases of this customer in the next t. */
double clv_bgnbd_expected(const clv_bgnbd *m, const clv_customer *c, double t);
/* Probability that this customer is still active at T. */
double clv_bgnbd_alive(const clv_bgnbd *m, const clv_customer *c);

/* ---- Pareto/NBD (paretonbd.c) ------------------------------------------- */

/* Purchase rate lambda ~ Gamma(r, alpha); lifetime exponential with rate
** mu ~ Gamma(s, beta). */
typedef struct clv_pnbd {
	double r, alpha, s, beta;
} clv_pnbd;

int clv_pnbd_fit(const clv_customer *c, size_t n, clv_pnbd *out, clv_fit *info, rp_err *e);
/* Sum of log-likelihoods; grad (may be NULL) gets d/d(r, alpha, s, beta). */
double clv_pnbd_ll(const clv_pnbd *m, const clv_customer *c, size_t n, double grad[4]);
double clv_pnbd_expected_new(const clv_pnbd *m, double t);
double clv_pnbd_expected(const clv_pnbd *m, const clv_customer *c, double t);
double clv_pnbd_alive(const clv_pnbd *m, const clv_customer *c);

/* ---- Gamma-Gamma (gammagamma.c) ----------------------------------------- */

/* Each purchase's value ~ Gamma(p, nu), nu ~ Gamma(q, gamma) per customer.
** Fitted on the customers with x > 0 (their m must be > 0); the others are
** skipped. */
typedef struct clv_gg {
	double p, q, gamma;
} clv_gg;

int clv_gg_fit(const clv_customer *c, size_t n, clv_gg *out, clv_fit *info, rp_err *e);
/* Over the customers with x > 0; grad (may be NULL) gets d/d(p, q, gamma). */
double clv_gg_ll(const clv_gg *m, const clv_customer *c, size_t n, double grad[3]);
/* The same with its Hessian in (p, q, gamma), row-major, into hess (may be
** NULL). */
double clv_gg_hessian(const clv_gg *m, const clv_customer *c, size_t n, double grad[3], double hess[9]);
/* Expected value of this customer's future purchases: a weighted mean of
** the population's p*gamma/(q-1) and their own m (the population's alone
** when x = 0).  Needs q > 1. */
double clv_gg_spend(const clv_gg *m, const clv_customer *c);

/* ---- lifetime value (value.c) ------------------------------------------- */

/* A fitted purchase model of either kind. */
typedef struct clv_model {
	enum { CLV_BGNBD, CLV_PNBD } kind;
	union {
		clv_bgnbd bg;
		clv_pnbd pn;
	};
} clv_model;

double clv_expected(const clv_model *pm, const clv_customer *c, double t);
double clv_alive(const clv_model *pm, const clv_customer *c);

/* The horizon of a lifetime value: `periods` periods of `period` time units
** each (a month in weeks: 365.25 / 12 / 7), each discounted at `discount`
** per period, revenue times `margin`. */
typedef struct clv_horizon {
	int periods;
	double period;
	double discount;
	double margin;
} clv_horizon;

/* sum over k = 1..periods of
**   (E[Y(k*period)] - E[Y((k-1)*period)]) * spend * margin / (1 + discount)^k
** where E[Y(t)] is the purchase model's expected purchases in the next t and
** spend is clv_gg_spend: the purchases expected in each period, valued at
** the expected spend, discounted to today from the end of the period. */
double clv_value(const clv_model *pm, const clv_gg *gg, const clv_customer *c, const clv_horizon *h);

#endif
