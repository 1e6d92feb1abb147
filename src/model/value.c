/*
** Lifetime value: the purchases a model expects in each period ahead,
** valued at the customer's expected spend and discounted (see clv.h).
*/
#include <math.h>

#include "model/clv.h"

double clv_expected(const clv_model *pm, const clv_customer *c, double t)
{
	return pm->kind == CLV_BGNBD ? clv_bgnbd_expected(&pm->bg, c, t) : clv_pnbd_expected(&pm->pn, c, t);
}

double clv_alive(const clv_model *pm, const clv_customer *c)
{
	return pm->kind == CLV_BGNBD ? clv_bgnbd_alive(&pm->bg, c) : clv_pnbd_alive(&pm->pn, c);
}

double clv_value(const clv_model *pm, const clv_gg *gg, const clv_customer *c, const clv_horizon *h)
{
	double spend = clv_gg_spend(gg, c) * h->margin;
	double before = 0, v = 0, factor = 1;
	for (int k = 1; k <= h->periods; k++) {
		double upto = clv_expected(pm, c, k * h->period);
		factor /= 1 + h->discount;
		v += (upto - before) * spend * factor;
		before = upto;
	}
	return v;
}
