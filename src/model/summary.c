/*
** From purchase records to the (x, t_x, T, m) the models read.  As in the
** papers, a customer's purchases on one day are one transaction: x counts
** purchase days after the first, and m averages those days' totals (the
** first purchase is left out of m, as in Fader & Hardie's note 025).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/clv.h"

static int by_customer_day(const void *pa, const void *pb)
{
	const clv_txn *a = pa, *b = pb;
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

int clv_summarise(const clv_txn *t, size_t n, int64_t end, double unit_days,
	clv_customer **out, int64_t **ids, size_t *nout, rp_err *e)
{
	*out = NULL;
	if (ids)
		*ids = NULL;
	*nout = 0;
	if (!(unit_days > 0))
		return rp_errf(e, RP_EINVAL, "the time unit must be a positive number of days (7 for weeks), not %g",
			unit_days);
	if (!n)
		return rp_errf(e, RP_EINVAL, "no transactions to summarise");
	for (size_t i = 0; i < n; i++)
		if (!isfinite(t[i].value) || t[i].value < 0)
			return rp_errf(e, RP_EINVAL,
				"transaction %zu (customer %lld): value %g; purchase values must be numbers >= 0 "
				"(leave refunds out)",
				i + 1, (long long)t[i].customer, t[i].value);
	clv_txn *s = malloc(n * sizeof *s);
	clv_customer *c = malloc(n * sizeof *c);
	int64_t *id = malloc(n * sizeof *id);
	if (!s || !c || !id) {
		free(s);
		free(c);
		free(id);
		return rp_errf(e, RP_ENOMEM, "out of memory summarising %zu transactions", n);
	}
	memcpy(s, t, n * sizeof *s);
	qsort(s, n, sizeof *s, by_customer_day);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j].customer == s[i].customer)
			j++;
		int64_t first = s[i].day, last = first;
		double x = 0, repeat = 0;
		for (size_t a = i; a < j && s[a].day <= end;) {
			/* one day's records are one purchase */
			size_t b = a;
			double total = 0;
			while (b < j && s[b].day == s[a].day)
				total += s[b++].value;
			if (s[a].day > first) {
				x++;
				repeat += total;
				last = s[a].day;
			}
			a = b;
		}
		if (first <= end) {
			c[k] = (clv_customer){x, (double)(last - first) / unit_days, (double)(end - first) / unit_days,
				x > 0 ? repeat / x : 0};
			id[k++] = s[i].customer;
		}
		i = j;
	}
	free(s);
	*out = c;
	if (ids)
		*ids = id;
	else
		free(id);
	*nout = k;
	return 0;
}
