/*
** BG/NBD (Fader, Hardie & Lee 2005).  While active a customer buys at rate
** lambda ~ Gamma(r, alpha); after each repeat purchase they drop out with
** probability p ~ Beta(a, b).  For one customer (their equation 6):
**
**   L = B(a, b+x)/B(a, b) * Gamma(r+x)/Gamma(r) * alpha^r / (alpha+T)^(r+x)
**     + [x > 0] B(a+1, b+x-1)/B(a, b) * Gamma(r+x)/Gamma(r) * alpha^r / (alpha+t_x)^(r+x)
**
** written as exp(A1 + A2) * (exp(A3) + [x > 0] exp(A4)) with the two terms
** summed in logs, so that neither underflows for heavy buyers.
*/
#include <math.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model/fit.h"

/* The sum over customers (each weighted by w[i], or 1 when w is NULL) of
** the log-likelihood, and its gradient in (r, alpha, a, b). */
static double ll_sum(const double *m, const clv_customer *c, const double *w, size_t n, double *g)
{
	double r = m[0], al = m[1], a = m[2], b = m[3];
	double lg_r = gsl_sf_lngamma(r), lg_b = gsl_sf_lngamma(b), lg_ab = gsl_sf_lngamma(a + b);
	double ps_r = gsl_sf_psi(r), ps_b = gsl_sf_psi(b), ps_ab = gsl_sf_psi(a + b);
	double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0, log_al = log(al), log_a = log(a);
	/* The special functions depend on x alone, and the fits pass the
	** customers sorted by x (clv_distinct): computed once per x, they
	** leave logs and an exp per customer. */
	double px = -1, lg_rx = 0, lg_bx = 0, lg_abx = 0, ps_rx = 0, ps_bx = 0, ps_abx = 0;
	for (size_t i = 0; i < n; i++) {
		double x = c[i].x, tx = c[i].t_x, T = c[i].T, wi = w ? w[i] : 1;
		if (x != px) {
			px = x;
			lg_rx = gsl_sf_lngamma(r + x);
			lg_bx = gsl_sf_lngamma(b + x);
			lg_abx = gsl_sf_lngamma(a + b + x);
			if (g) {
				ps_rx = gsl_sf_psi(r + x);
				ps_bx = gsl_sf_psi(b + x);
				ps_abx = gsl_sf_psi(a + b + x);
			}
		}
		double A1 = lg_rx - lg_r + r * log_al;
		double A2 = lg_ab + lg_bx - lg_b - lg_abx;
		double A3 = -(r + x) * log(al + T);
		/* u: the share of the likelihood in which the customer dropped
		** out right after their last purchase */
		double u = 0;
		double l34 = A3;
		if (x > 0) {
			double A4 = log_a - log(b + x - 1) - (r + x) * log(al + tx);
			double hi = fmax(A3, A4);
			l34 = hi + log(exp(A3 - hi) + exp(A4 - hi));
			u = exp(A4 - l34);
		}
		ll += wi * (A1 + A2 + l34);
		if (!g)
			continue;
		gr += wi * (ps_rx - ps_r + log_al - (1 - u) * log(al + T) - u * log(al + tx));
		gal += wi * (r / al - (1 - u) * (r + x) / (al + T) - u * (r + x) / (al + tx));
		ga += wi * (ps_ab - ps_abx + u / a);
		gb += wi * (ps_ab + ps_bx - ps_b - ps_abx - (x > 0 ? u / (b + x - 1) : 0));
	}
	if (g) {
		g[0] = gr;
		g[1] = gal;
		g[2] = ga;
		g[3] = gb;
	}
	return ll;
}

double clv_bgnbd_ll(const clv_bgnbd *m, const clv_customer *c, size_t n, double grad[4])
{
	const double p[4] = {m->r, m->alpha, m->a, m->b};
	return ll_sum(p, c, NULL, n, grad);
}

int clv_bgnbd_fit(const clv_customer *c, size_t n, clv_bgnbd *out, clv_fit *info, rp_err *e)
{
	double sx, sT;
	if (clv_need_repeats(c, n, "BG/NBD", &sx, &sT, e))
		return e->code;
	/* Start from one purchase per observed mean inter-purchase time, and
	** a dropout probability around one half. */
	double p[4] = {1, sT > sx ? sT / sx : 1, 1, 1};
	if (clv_fit_ml(ll_sum, 4, c, n, 3, (double)n, p, info, "BG/NBD", e))
		return e->code;
	*out = (clv_bgnbd){p[0], p[1], p[2], p[3]};
	return 0;
}

double clv_bgnbd_expected_new(const clv_bgnbd *m, double t)
{
	double r = m->r, al = m->alpha, a = m->a, b = m->b;
	double z = t / (al + t);
	return (a + b - 1) / (a - 1) * (1 - pow(al / (al + t), r) * clv_2f1(r, b, a + b - 1, z));
}

/* 1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the inverse of P(alive). */
static double not_alive_odds(const clv_bgnbd *m, const clv_customer *c)
{
	if (c->x <= 0)
		return 1;
	return 1 + m->a / (m->b + c->x - 1) * exp((m->r + c->x) * log((m->alpha + c->T) / (m->alpha + c->t_x)));
}

double clv_bgnbd_alive(const clv_bgnbd *m, const clv_customer *c)
{
	return 1 / not_alive_odds(m, c);
}

/* FHL 2005 equation 10. */
double clv_bgnbd_expected(const clv_bgnbd *m, const clv_customer *c, double t)
{
	double r = m->r, al = m->alpha, a = m->a, b = m->b, x = c->x, T = c->T;
	double z = t / (al + T + t);
	double h = clv_2f1(r + x, b + x, a + b + x - 1, z);
	double num = (a + b + x - 1) / (a - 1) * (1 - exp((r + x) * log((al + T) / (al + T + t))) * h);
	return num / not_alive_odds(m, c);
}
