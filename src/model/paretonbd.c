/*
** Pareto/NBD (Schmittlein, Morrison & Colombo 1987).  While alive a
** customer buys at rate lambda ~ Gamma(r, alpha); their lifetime is
** exponential with rate mu ~ Gamma(s, beta).  Given lambda and mu,
**
**   L = lambda^x e^-(lambda+mu)T + lambda^x mu Int_{t_x}^T e^-(lambda+mu)y dy
**
** (alive at T, or died at some y between the last purchase and T), so
** over the two gammas, as in Fader & Hardie's 2005 note on the model,
**
**   L = Gamma(r+x) alpha^r beta^s / Gamma(r) * (A + s I)
**   A = (alpha+T)^-(r+x) (beta+T)^-s
**   I = Int_{t_x}^T (alpha+y)^-(r+x) (beta+y)^-(s+1) dy.
**
** I has a closed form through Gauss's 2F1: for p + q > 1,
**
**   Int_y^inf (alpha+u)^-p (beta+u)^-q du
**     = 2F1(p+q-1, q'; p+q; z) / ((p+q-1) (M+y)^(p+q-1))
**
** with M = max(alpha, beta), z = |alpha-beta| / (M+y) and q' the exponent
** of the other (smaller) one: q when alpha >= beta, p when alpha < beta.
** Taking the larger of the two keeps 0 <= z < 1 on both branches, which is
** the note's numerically stable form; the two agree at alpha = beta (z = 0).
** I is that at t_x minus that at T, taken in logs.
**
** Gradient, analytic: d/dalpha and d/dbeta of I raise p or q by one, so
** they are the same closed form again.  d/dr and d/ds of I are d/dp and
** d/dq of the tail, whose 2F1 is the series
**
**   2F1(c, q'; c+1; z) / c = sum_n (q')_n z^n / (n! (c+n)),   c = p+q-1,
**
** differentiated term by term (c moves with p and q alike, q' with one of
** them, d(q')_n/dq' = (q')_n sum_{k<n} 1/(q'+k)).  Where it converges fast
** (z <= 0.9: alpha and beta within a factor of ten of each other, CDNOW's
** case) one pass of that series gives the tail, its two raised relatives
** and both derivatives, many times cheaper than six calls to GSL's 2F1.
** Beyond, the tails come from GSL's gsl_sf_hyperg_2F1 (clv_2f1, with
** Euler's integral where GSL is not reliable) and d/dr, d/ds are the
** integrals of -log(alpha+y) and -log(beta+y) times the integrand, by
** adaptive Gauss-Kronrod quadrature (GSL's qag, to a relative 1e-10): the
** only numerical integration in the gradient.
*/
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model/fit.h"

#define WS 200

/* The integrand of I scaled by exp(-shift), optionally times log(alpha+y)
** or log(beta+y). */
typedef struct integrand {
	double al, be, p, q, shift;
	int weight; /* 0: none, 1: log(alpha+y), 2: log(beta+y) */
} integrand;

static double integrand_f(double y, void *ctx)
{
	integrand *u = ctx;
	double la = log(u->al + y), lb = log(u->be + y);
	double f = exp(-u->p * la - u->q * lb - u->shift);
	return u->weight == 1 ? la * f : u->weight == 2 ? lb * f : f;
}

static double quad(integrand *u, double lo, double hi, gsl_integration_workspace *ws)
{
	gsl_function fn = {.function = integrand_f, .params = u};
	double v, err;
	int st = gsl_integration_qag(&fn, lo, hi, 1e-13, 1e-10, WS, GSL_INTEG_GAUSS21, ws, &v, &err);
	return st == GSL_SUCCESS || err <= 1e-7 * fabs(v) ? v : NAN;
}

/* log Int_y^inf (alpha+u)^-p (beta+u)^-q du, by 2F1 (NaN when that fails). */
static double ln_tail(double al, double be, double p, double q, double y)
{
	double M = fmax(al, be), c = p + q - 1;
	double z = fabs(al - be) / (M + y);
	double h = clv_2f1(c, al >= be ? q : p, c + 1, z);
	return log(h) - log(c) - c * log(M + y);
}

/* The tail from y, for (p, q), (p+1, q) and (p, q+1), as logs in v[0..2];
** and d/dp, d/dq of the (p, q) tail divided by the tail itself in d[0..1].
** One pass of the series at the top, where it converges fast (z <= 0.9);
** otherwise v by GSL's 2F1 (clv_2f1) and d left at NaN. */
static void tail(double al, double be, double p, double q, double y, double v[3], double d[2])
{
	double M = fmax(al, be), c = p + q - 1, z = fabs(al - be) / (M + y), lm = log(M + y);
	int big = al >= be; /* the 2F1's other parameter is q when alpha >= beta, else p */
	double b = big ? q : p;
	if (z > 0.9) {
		v[0] = ln_tail(al, be, p, q, y);
		v[1] = ln_tail(al, be, p + 1, q, y);
		v[2] = ln_tail(al, be, p, q + 1, y);
		d[0] = d[1] = NAN;
		return;
	}
	/* t_n = (b)_n z^n / n!; H_n = sum_{k<n} 1/(b+k) */
	double t = 1, h = 0, s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
	for (int n = 0; n < 2000; n++) {
		double e = 1 / (c + n), a = t * e, a1 = t / (c + 1 + n);
		s0 += a;          /* the tail's own series */
		s1 += a * e;      /* its derivative in c, negated */
		s2 += a * h;      /* its derivative in b, through (b)_n */
		s3 += a1;         /* c + 1: one more of the other exponent */
		s4 += a1 * (b + n); /* c + 1 and b + 1, times b */
		if (n > 0 && a * (1 + e + h) <= 1e-17 * (s0 + s1 + s2) && a1 * (b + n) <= 1e-17 * s4)
			break;
		h += 1 / (b + n);
		t *= (b + n) / (n + 1) * z;
	}
	v[0] = log(s0) - c * lm;
	double up_other = log(s3) - (c + 1) * lm, up_own = log(s4 / b) - (c + 1) * lm;
	v[1] = big ? up_other : up_own;
	v[2] = big ? up_own : up_other;
	double own = -lm + (s2 - s1) / s0, other = -lm - s1 / s0;
	d[0] = big ? other : own;
	d[1] = big ? own : other;
}

/* log(exp(lo) - exp(hi)) for hi <= lo: a tail at t_x minus the same at T. */
static double ln_diff(double lo, double hi)
{
	return hi < lo ? lo + log1p(-exp(hi - lo)) : -INFINITY;
}

/* One customer's log-likelihood; g (may be NULL) gets its gradient in
** (r, alpha, s, beta); *alive (may be NULL) gets A / (A + s I). */
static double one(const double *m, const clv_customer *k, double g[4], double *alive,
	gsl_integration_workspace *ws)
{
	double r = m[0], al = m[1], s = m[2], be = m[3];
	double x = k->x, tx = k->t_x, T = k->T, p = r + x;
	double lnA = -p * log(al + T) - s * log(be + T);
	double v0[3], d0[2], v1[3], d1[2];
	double lnI = -INFINITY; /* nothing between t_x and T */
	if (tx < T) {
		tail(al, be, p, s + 1, tx, v0, d0);
		tail(al, be, p, s + 1, T, v1, d1);
		lnI = ln_diff(v0[0], v1[0]);
		if (!isfinite(lnI)) {
			/* both tails rounded to the same value: integrate directly,
			** scaled by the integrand's largest value (at t_x) */
			double shift = -p * log(al + tx) - (s + 1) * log(be + tx);
			integrand u = {al, be, p, s + 1, shift, 0};
			lnI = shift + log(quad(&u, tx, T, ws));
		}
	}
	double lsI = log(s) + lnI;
	double hi = fmax(lnA, lsI);
	double L = hi + log(exp(lnA - hi) + exp(lsI - hi)); /* log(A + s I) */
	double wA = exp(lnA - L);                              /* A / (A + s I) */
	if (alive)
		*alive = wA;
	double ll = gsl_sf_lngamma(p) - gsl_sf_lngamma(r) + r * log(al) + s * log(be) + L;
	if (!g)
		return ll;
	/* I, I(p+1, q), I(p, q+1), and Ja, Jb (the integrals of log(alpha+y)
	** and log(beta+y) times I's integrand), each divided by A + s I */
	double I0 = exp(lnI - L), Ia = 0, Ib = 0, Ja = 0, Jb = 0;
	if (tx < T) {
		Ia = exp(ln_diff(v0[1], v1[1]) - L);
		Ib = exp(ln_diff(v0[2], v1[2]) - L);
		if (isfinite(d0[0]) && isfinite(d1[0])) {
			double f0 = exp(v0[0] - L), f1 = exp(v1[0] - L);
			Ja = -(d0[0] * f0 - d1[0] * f1);
			Jb = -(d0[1] * f0 - d1[1] * f1);
		} else {
			integrand u = {al, be, p, s + 1, L, 1};
			Ja = quad(&u, tx, T, ws);
			u.weight = 2;
			Jb = quad(&u, tx, T, ws);
		}
	}
	g[0] = gsl_sf_psi(p) - gsl_sf_psi(r) + log(al) - log(al + T) * wA - s * Ja;
	g[1] = r / al - p / (al + T) * wA - s * p * Ia;
	g[2] = log(be) - log(be + T) * wA + I0 - s * Jb;
	g[3] = s / be - s / (be + T) * wA - s * (s + 1) * Ib;
	return ll;
}

static double ll_sum(const double *m, const clv_customer *c, const double *w, size_t n, void *prep, double *g,
	double *h)
{
	(void)prep;
	(void)h;
	clv_gsl_quiet();
	gsl_integration_workspace *ws = gsl_integration_workspace_alloc(WS);
	if (!ws)
		return NAN;
	double ll = 0, gi[4];
	if (g)
		g[0] = g[1] = g[2] = g[3] = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		ll += wi * one(m, &c[i], g ? gi : NULL, NULL, ws);
		if (g)
			for (int j = 0; j < 4; j++)
				g[j] += wi * gi[j];
	}
	gsl_integration_workspace_free(ws);
	return ll;
}

static void params(const clv_pnbd *m, double p[4])
{
	p[0] = m->r;
	p[1] = m->alpha;
	p[2] = m->s;
	p[3] = m->beta;
}

double clv_pnbd_ll(const clv_pnbd *m, const clv_customer *c, size_t n, double grad[4])
{
	double p[4];
	params(m, p);
	return ll_sum(p, c, NULL, n, NULL, grad, NULL);
}

int clv_pnbd_fit(const clv_customer *c, size_t n, clv_pnbd *out, clv_fit *info, rp_err *e)
{
	double sx, sT;
	if (clv_need_repeats(c, n, "Pareto/NBD", &sx, &sT, e))
		return e->code;
	/* purchases at the observed mean rate, lifetimes of the order of the
	** period observed */
	double p[4] = {1, sT > sx ? sT / sx : 1, 1, sT / n > 0 ? sT / n : 1};
	if (clv_fit_ml(ll_sum, NULL, 4, c, n, 3, (double)n, p, info, "Pareto/NBD", e))
		return e->code;
	*out = (clv_pnbd){p[0], p[1], p[2], p[3]};
	return 0;
}

/* (1 - (b/(b+t))^(s-1)) / (s-1), which tends to log((b+t)/b) at s = 1. */
static double survival_term(double s, double b, double t)
{
	double lr = log(b / (b + t));
	if (fabs(s - 1) < 1e-10)
		return -lr;
	return -expm1((s - 1) * lr) / (s - 1);
}

double clv_pnbd_expected_new(const clv_pnbd *m, double t)
{
	return m->r * m->beta / m->alpha * survival_term(m->s, m->beta, t);
}

double clv_pnbd_alive(const clv_pnbd *m, const clv_customer *c)
{
	clv_gsl_quiet();
	gsl_integration_workspace *ws = gsl_integration_workspace_alloc(WS);
	if (!ws)
		return NAN;
	double alive, p[4];
	params(m, p);
	one(p, c, NULL, &alive, ws);
	gsl_integration_workspace_free(ws);
	return alive;
}

double clv_pnbd_expected(const clv_pnbd *m, const clv_customer *c, double t)
{
	double bT = m->beta + c->T;
	return (m->r + c->x) * bT / (m->alpha + c->T) * survival_term(m->s, bT, t) * clv_pnbd_alive(m, c);
}
