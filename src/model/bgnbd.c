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
#include <string.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model/fit.h"

/* log(alpha+T) and log(alpha+t_x) take a few hundred distinct values over a
** million customers (times on whole days): computed once per value and
** evaluation, with 1/(alpha+T) and 1/(alpha+t_x), they leave an exp and a
** log per distinct customer. */
typedef struct prep {
	size_t nT, nt;
	double *T, *t;     /* the distinct values of T and t_x */
	uint32_t *iT, *it; /* each customer's index into them */
	double *lT, *lt;   /* per evaluation: log(alpha+v) */
	double *rT, *rt;   /* per evaluation: 1/(alpha+v) */
} prep;

static void *prepare(const clv_customer *c, size_t n, rp_err *e)
{
	prep *p = calloc(1, sizeof *p);
	if (!p || !(p->iT = malloc((n ? n : 1) * sizeof *p->iT)) || !(p->it = malloc((n ? n : 1) * sizeof *p->it)))
		goto nomem;
	if (clv_values(c, n, CLV_T, &p->T, p->iT, &p->nT, e) || clv_values(c, n, CLV_TX, &p->t, p->it, &p->nt, e))
		goto fail;
	if (!(p->lT = malloc(2 * (p->nT + p->nt) * sizeof *p->lT)))
		goto nomem;
	p->lt = p->lT + p->nT;
	p->rT = p->lt + p->nt;
	p->rt = p->rT + p->nT;
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

/* Accumulators of the Hessian's ten distinct entries, in (r, alpha, a, b). */
enum { RR, RL, RA, RB, LL, LA, LB, AA, AB, BB, NH };

/* The sum over customers (each weighted by w[i], or 1 when w is NULL) of
** the log-likelihood, its gradient in (r, alpha, a, b) into g and its
** Hessian into h (row-major 4 x 4), each when not NULL (h only with g).
**
** With u the share of the likelihood in which the customer dropped out
** right after their last purchase (0 when x = 0), log(e^A3 + e^A4) has
** gradient (1-u) dA3 + u dA4 and Hessian (1-u) d2A3 + u d2A4
** + u(1-u) (dA4-dA3)(dA4-dA3)', where A3 = -(r+x) log(alpha+T) and
** A4 = log a - log(b+x-1) - (r+x) log(alpha+t_x); the rest (A1, A2) needs
** psi and its derivative, once per x. */
static double ll_sum(const double *m, const clv_customer *c, const double *w, size_t n, void *pv, double *g,
	double *h)
{
	prep *P = pv;
	double r = m[0], al = m[1], a = m[2], b = m[3];
	double lg_r = gsl_sf_lngamma(r), lg_b = gsl_sf_lngamma(b), lg_ab = gsl_sf_lngamma(a + b);
	double ps_r = 0, ps_b = 0, ps_ab = 0, ps1_r = 0, ps1_b = 0, ps1_ab = 0;
	double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0, log_al = log(al), log_a = log(a), H[NH] = {0};
	if (!g)
		h = NULL;
	if (g) {
		ps_r = gsl_sf_psi(r), ps_b = gsl_sf_psi(b), ps_ab = gsl_sf_psi(a + b);
	}
	if (h) {
		ps1_r = gsl_sf_psi_1(r), ps1_b = gsl_sf_psi_1(b), ps1_ab = gsl_sf_psi_1(a + b);
	}
	for (size_t j = 0; j < P->nT; j++) {
		P->lT[j] = log(al + P->T[j]);
		P->rT[j] = 1 / (al + P->T[j]);
	}
	for (size_t j = 0; j < P->nt; j++) {
		P->lt[j] = log(al + P->t[j]);
		P->rt[j] = 1 / (al + P->t[j]);
	}
	/* The special functions depend on x alone, and the fits pass the
	** customers sorted by x (clv_distinct): computed once per x. */
	double px = -1, A1 = 0, A2 = 0, lb1 = 0, ib1 = 0, c_r = 0, c_a = 0, c_b = 0, h_rr = 0, h_ab = 0, h_bb = 0;
	for (size_t i = 0; i < n; i++) {
		double x = c[i].x, wi = w ? w[i] : 1, rx = r + x;
		if (x != px) {
			px = x;
			A1 = gsl_sf_lngamma(rx) - lg_r + r * log_al;
			A2 = lg_ab + gsl_sf_lngamma(b + x) - lg_b - gsl_sf_lngamma(a + b + x);
			lb1 = x > 0 ? log(b + x - 1) : 0;
			ib1 = x > 0 ? 1 / (b + x - 1) : 0;
			if (g) {
				double ps_abx = gsl_sf_psi(a + b + x);
				c_r = gsl_sf_psi(rx) - ps_r + log_al;
				c_a = ps_ab - ps_abx;
				c_b = ps_ab + gsl_sf_psi(b + x) - ps_b - ps_abx;
			}
			if (h) {
				double ps1_abx = gsl_sf_psi_1(a + b + x);
				h_rr = gsl_sf_psi_1(rx) - ps1_r;
				h_ab = ps1_ab - ps1_abx;
				h_bb = ps1_ab + gsl_sf_psi_1(b + x) - ps1_b - ps1_abx;
			}
		}
		uint32_t kT = P->iT[i];
		double L = P->lT[kT], iT = P->rT[kT];
		double A3 = -rx * L;
		if (!(x > 0)) {
			ll += wi * (A1 + A2 + A3);
			if (!g)
				continue;
			gr += wi * (c_r - L);
			gal += wi * (r / al - rx * iT);
			ga += wi * c_a;
			gb += wi * c_b;
			if (!h)
				continue;
			H[RR] += wi * h_rr;
			H[RL] += wi * (1 / al - iT);
			H[LL] += wi * (-r / (al * al) + rx * iT * iT);
			H[AA] += wi * h_ab;
			H[AB] += wi * h_ab;
			H[BB] += wi * h_bb;
			continue;
		}
		uint32_t kt = P->it[i];
		double Lt = P->lt[kt], it = P->rt[kt];
		double A4 = log_a - lb1 - rx * Lt;
		/* log(exp(A3) + exp(A4)), the larger factored out */
		double d = A4 - A3, e = exp(-fabs(d)), u = d > 0 ? 1 / (1 + e) : e / (1 + e);
		/* (log of 1 + e rather than log1p: as exact here, where e <= 1
		** and the sum is of terms of order 1, and several times faster) */
		ll += wi * (A1 + A2 + (d > 0 ? A4 : A3) + log(1 + e));
		if (!g)
			continue;
		double q = 1 - u, m_t = q * iT + u * it;
		gr += wi * (c_r - q * L - u * Lt);
		gal += wi * (r / al - rx * m_t);
		ga += wi * (c_a + u / a);
		gb += wi * (c_b - u * ib1);
		if (!h)
			continue;
		/* dA4 - dA3 in (r, alpha, a, b), and u(1-u) */
		double d_r = L - Lt, d_l = rx * (iT - it), d_a = 1 / a, d_b = -ib1, v = wi * u * q;
		H[RR] += wi * h_rr + v * d_r * d_r;
		H[RL] += wi * (1 / al - m_t) + v * d_r * d_l;
		H[RA] += v * d_r * d_a;
		H[RB] += v * d_r * d_b;
		H[LL] += wi * (-r / (al * al) + rx * (q * iT * iT + u * it * it)) + v * d_l * d_l;
		H[LA] += v * d_l * d_a;
		H[LB] += v * d_l * d_b;
		H[AA] += wi * (h_ab - u * u * d_a * d_a);
		H[AB] += wi * h_ab + v * d_a * d_b;
		H[BB] += wi * (h_bb + u * (2 - u) * ib1 * ib1);
	}
	if (g) {
		g[0] = gr;
		g[1] = gal;
		g[2] = ga;
		g[3] = gb;
	}
	if (h) {
		const double full[16] = {H[RR], H[RL], H[RA], H[RB], H[RL], H[LL], H[LA], H[LB], H[RA], H[LA], H[AA],
			H[AB], H[RB], H[LB], H[AB], H[BB]};
		memcpy(h, full, sizeof full);
	}
	return ll;
}

double clv_bgnbd_ll(const clv_bgnbd *m, const clv_customer *c, size_t n, double grad[4])
{
	return clv_bgnbd_hessian(m, c, n, grad, NULL);
}

double clv_bgnbd_hessian(const clv_bgnbd *m, const clv_customer *c, size_t n, double grad[4], double hess[16])
{
	const double p[4] = {m->r, m->alpha, m->a, m->b};
	double g[4];
	rp_err e = {0};
	void *pr = prepare(c, n, &e);
	double v = pr ? ll_sum(p, c, NULL, n, pr, grad || hess ? g : NULL, hess) : NAN;
	if (pr && grad)
		memcpy(grad, g, sizeof g);
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
