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
#include <stdlib.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model/fit.h"

/* log(alpha+T) and log(alpha+t_x) take a few hundred distinct values over a
** million customers (times on whole days): computed once per value and
** evaluation, they leave two exps and a log per distinct customer. */
typedef struct prep {
	size_t nT, nt;
	double *T, *t;     /* the distinct values of T and t_x */
	uint32_t *iT, *it; /* each customer's index into them */
	double *lT, *lt;   /* per evaluation: log(alpha+v) */
} prep;

static void *prepare(const clv_customer *c, size_t n, rp_err *e)
{
	prep *p = calloc(1, sizeof *p);
	if (!p || !(p->iT = malloc((n ? n : 1) * sizeof *p->iT)) || !(p->it = malloc((n ? n : 1) * sizeof *p->it)))
		goto nomem;
	if (clv_values(c, n, CLV_T, &p->T, p->iT, &p->nT, e) || clv_values(c, n, CLV_TX, &p->t, p->it, &p->nt, e))
		goto fail;
	if (!(p->lT = malloc((p->nT + p->nt) * sizeof *p->lT)))
		goto nomem;
	p->lt = p->lT + p->nT;
	return p;
nomem:
	rp_errf(e, RP_ENOMEM, "out of memory preparing %zu customers", n);
fail:
	free(p ? p->iT : NULL);
	free(p ? p->it : NULL);
	free(p ? p->T : NULL);
	free(p ? p->t : NULL);
	free(p);
	return NULL;
}

static void unprepare(void *v)
{
	prep *p = v;
	if (!p)
		return;
	free(p->iT);
	free(p->it);
	free(p->T);
	free(p->t);
	free(p->lT);
	free(p);
}

static const clv_prep tabled = {prepare, unprepare};

/* The sum over customers (each weighted by w[i], or 1 when w is NULL) of
** the log-likelihood, and its gradient in (r, alpha, a, b).  Every term is
** the same expression, in the same order, as it would be without the
** tables: a fit on the edge of convergence (a and b running off together
** on a tiny population) ends where it did. */
static double ll_sum(const double *m, const clv_customer *c, const double *w, size_t n, void *pv, double *g)
{
	prep *P = pv;
	double r = m[0], al = m[1], a = m[2], b = m[3];
	double lg_r = gsl_sf_lngamma(r), lg_b = gsl_sf_lngamma(b), lg_ab = gsl_sf_lngamma(a + b);
	double ps_r = gsl_sf_psi(r), ps_b = gsl_sf_psi(b), ps_ab = gsl_sf_psi(a + b);
	double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0, log_al = log(al), log_a = log(a);
	for (size_t j = 0; j < P->nT; j++)
		P->lT[j] = log(al + P->T[j]);
	for (size_t j = 0; j < P->nt; j++)
		P->lt[j] = log(al + P->t[j]);
	/* The special functions depend on x alone, and the fits pass the
	** customers sorted by x (clv_distinct): computed once per x. */
	double px = -1, A1 = 0, A2 = 0, lb1 = 0, c_r = 0, c_a = 0, c_b = 0;
	for (size_t i = 0; i < n; i++) {
		double x = c[i].x, tx = c[i].t_x, T = c[i].T, wi = w ? w[i] : 1;
		if (x != px) {
			px = x;
			A1 = gsl_sf_lngamma(r + x) - lg_r + r * log_al;
			A2 = lg_ab + gsl_sf_lngamma(b + x) - lg_b - gsl_sf_lngamma(a + b + x);
			lb1 = x > 0 ? log(b + x - 1) : 0;
			if (g) {
				double ps_abx = gsl_sf_psi(a + b + x);
				c_r = gsl_sf_psi(r + x) - ps_r + log_al;
				c_a = ps_ab - ps_abx;
				c_b = ps_ab + gsl_sf_psi(b + x) - ps_b - ps_abx;
			}
		}
		double L = P->lT[P->iT[i]], Lt = 0;
		double A3 = -(r + x) * L;
		/* u: the share of the likelihood in which the customer dropped
		** out right after their last purchase */
		double u = 0;
		double l34 = A3;
		if (x > 0) {
			Lt = P->lt[P->it[i]];
			double A4 = log_a - lb1 - (r + x) * Lt;
			/* log(exp(A3) + exp(A4)), the larger factored out */
			double hi = fmax(A3, A4);
			l34 = hi + log(1 + exp(fmin(A3, A4) - hi));
			u = exp(A4 - l34);
		}
		ll += wi * (A1 + A2 + l34);
		if (!g)
			continue;
		gr += wi * (c_r - (1 - u) * L - u * Lt);
		gal += wi * (r / al - (1 - u) * (r + x) / (al + T) - u * (r + x) / (al + tx));
		ga += wi * (c_a + u / a);
		gb += wi * (c_b - (x > 0 ? u / (b + x - 1) : 0));
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
	rp_err e = {0};
	void *pr = prepare(c, n, &e);
	double v = pr ? ll_sum(p, c, NULL, n, pr, grad) : NAN;
	unprepare(pr);
	return v;
}

int clv_bgnbd_fit(const clv_customer *c, size_t n, clv_bgnbd *out, clv_fit *info, rp_err *e)
{
	double sx, sT;
	if (clv_need_repeats(c, n, "BG/NBD", &sx, &sT, e))
		return e->code;
	/* Start from one purchase per observed mean inter-purchase time, and
	** a dropout probability around one half. */
	double p[4] = {1, sT > sx ? sT / sx : 1, 1, 1};
	if (clv_fit_ml(ll_sum, &tabled, 4, c, n, 3, (double)n, p, info, "BG/NBD", e))
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
