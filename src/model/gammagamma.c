/*
** Gamma-Gamma (Fader & Hardie, note 025).  Each purchase of a customer is
** worth z ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across customers.  The mean
** zbar of x purchases is Gamma(p x, nu x), so over nu
**
**   f(zbar | x) = Gamma(px+q) / (Gamma(px) Gamma(q))
**                 * gamma^q x^(px) zbar^(px-1) / (gamma + x zbar)^(px+q).
**
** Only the repeat purchases are used (x of them, mean m), as in the note.
*/
#include <math.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model/fit.h"

/* The log-likelihood, its gradient in (p, q, gamma) into g and its Hessian
** into h (row-major 3 x 3), each when not NULL (h only with g). */
static double ll_sum(const double *mo, const clv_customer *c, const double *w, size_t n, void *prep, double *g,
	double *h)
{
	(void)prep;
	double p = mo[0], q = mo[1], ga = mo[2];
	double lg_q = gsl_sf_lngamma(q), ps_q = gsl_sf_psi(q), ps1_q = h && g ? gsl_sf_psi_1(q) : 0;
	double ll = 0, gp = 0, gq = 0, gg = 0, log_ga = log(ga);
	double hpp = 0, hpq = 0, hpg = 0, hqq = 0, hqg = 0, hgg = 0;
	/* What depends on x alone is computed once per x: the fits pass the
	** customers sorted by x (clv_distinct). */
	double prev = -1, lg = 0, ps = 0, ps_px = 0, log_x = 0, ps1 = 0, ps1_px = 0;
	for (size_t i = 0; i < n; i++) {
		double x = c[i].x, z = c[i].m, wi = w ? w[i] : 1;
		if (x <= 0)
			continue;
		double px = p * x, lgz = log(ga + x * z), log_z = log(z);
		if (x != prev) {
			prev = x;
			log_x = log(x);
			lg = gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px);
			if (g) {
				ps = gsl_sf_psi(px + q);
				ps_px = gsl_sf_psi(px);
			}
			if (g && h) {
				ps1 = gsl_sf_psi_1(px + q);
				ps1_px = gsl_sf_psi_1(px);
			}
		}
		ll += wi * (lg - lg_q + q * log_ga + px * log_x + (px - 1) * log_z - (px + q) * lgz);
		if (!g)
			continue;
		gp += wi * x * (ps - ps_px + log_x + log_z - lgz);
		gq += wi * (ps - ps_q + log_ga - lgz);
		gg += wi * (q / ga - (px + q) / (ga + x * z));
		if (!h)
			continue;
		double iz = 1 / (ga + x * z);
		hpp += wi * x * x * (ps1 - ps1_px);
		hpq += wi * x * ps1;
		hpg -= wi * x * iz;
		hqq += wi * (ps1 - ps1_q);
		hqg += wi * (1 / ga - iz);
		hgg += wi * (-q / (ga * ga) + (px + q) * iz * iz);
	}
	if (g) {
		g[0] = gp;
		g[1] = gq;
		g[2] = gg;
	}
	if (g && h) {
		const double full[9] = {hpp, hpq, hpg, hpq, hqq, hqg, hpg, hqg, hgg};
		memcpy(h, full, sizeof full);
	}
	return ll;
}

double clv_gg_ll(const clv_gg *m, const clv_customer *c, size_t n, double grad[3])
{
	return clv_gg_hessian(m, c, n, grad, NULL);
}

double clv_gg_hessian(const clv_gg *m, const clv_customer *c, size_t n, double grad[3], double hess[9])
{
	const double p[3] = {m->p, m->q, m->gamma};
	double g[3];
	double v = ll_sum(p, c, NULL, n, NULL, grad || hess ? g : NULL, hess);
	if (grad)
		memcpy(grad, g, sizeof g);
	return v;
}

int clv_gg_fit(const clv_customer *c, size_t n, clv_gg *out, clv_fit *info, rp_err *e)
{
	if (clv_check(c, n, e))
		return e->code;
	size_t buyers = 0;
	double sm = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].x <= 0)
			continue;
		if (!(c[i].m > 0))
			return rp_errf(e, RP_EINVAL,
				"customer %zu: %g repeat purchases but a mean spend of 0; the Gamma-Gamma model needs "
				"positive spends: leave such customers out",
				i + 1, c[i].x);
		buyers++;
		sm += c[i].m;
	}
	if (!buyers)
		return rp_errf(e, RP_EINVAL,
			"Gamma-Gamma: none of the %zu customers made a repeat purchase, and the spend model is "
			"fitted on repeat purchases only",
			n);
	/* a population mean spend p gamma / (q - 1) equal to the observed one */
	double p[3] = {1, 2, sm / buyers};
	if (clv_fit_ml(ll_sum, NULL, 3, c, n, 2, (double)buyers, p, info, "Gamma-Gamma", e))
		return e->code;
	*out = (clv_gg){p[0], p[1], p[2]};
	return 0;
}

/* Note 025 equation 5: E[Z | p, q, gamma, m, x] = p (gamma + x m) / (p x + q - 1). */
double clv_gg_spend(const clv_gg *mo, const clv_customer *c)
{
	double x = c->x > 0 ? c->x : 0;
	return mo->p * (mo->gamma + x * c->m) / (mo->p * x + mo->q - 1);
}
