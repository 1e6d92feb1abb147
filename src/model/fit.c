#include "model/fit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void quiet(void)
{
	gsl_set_error_handler_off();
}

void clv_gsl_quiet(void)
{
	pthread_once(&quiet_once, quiet);
}

int clv_check_one(const clv_customer *k, rp_err *e)
{
	if (!isfinite(k->x) || !isfinite(k->t_x) || !isfinite(k->T) || !isfinite(k->m))
		return rp_errf(e, RP_EINVAL, "a value is not a number; give x, t_x, T and m as numbers");
	if (k->x < 0 || k->t_x < 0 || k->T < 0 || k->m < 0)
		return rp_errf(e, RP_EINVAL,
			"negative value (x=%g, t_x=%g, T=%g, m=%g); counts, times and spend are never negative", k->x,
			k->t_x, k->T, k->m);
	if (k->x != floor(k->x))
		return rp_errf(e, RP_EINVAL, "x=%g is not a whole number of repeat purchases", k->x);
	if (k->t_x > k->T)
		return rp_errf(e, RP_EINVAL,
			"recency t_x=%g is after the end of the period T=%g; both run from the first purchase, "
			"so t_x <= T",
			k->t_x, k->T);
	return 0;
}

/* The common case of clv_check_one, without a 2 KB error to clear per
** customer: NaN fails every comparison, the last two keep out infinities
** (T >= t_x >= 0), and x is whole when converting it to an integer keeps
** it (every double from 2^52 up is whole). */
static int sane(const clv_customer *k)
{
	double x = k->x;
	return x >= 0 && k->t_x >= 0 && k->m >= 0 && k->t_x <= k->T && k->T < INFINITY && k->m < INFINITY &&
	       (x < 0x1p52 ? (double)(int64_t)x == x : x < INFINITY);
}

static int insane(const clv_customer *c, size_t i, rp_err *e)
{
	rp_err why = {0};
	if (clv_check_one(&c[i], &why))
		return rp_errf(e, why.code, "customer %zu: %s", i + 1, why.msg);
	return 0;
}

int clv_check(const clv_customer *c, size_t n, rp_err *e)
{
	if (!n)
		return rp_errf(e, RP_EINVAL, "no customers to fit: the model needs at least one customer's summary");
	for (size_t i = 0; i < n; i++)
		if (!sane(&c[i]) && insane(c, i, e))
			return e->code;
	return 0;
}

int clv_need_repeats(const clv_customer *c, size_t n, const char *what, double *sx, double *sT, rp_err *e)
{
	if (!n)
		return clv_check(c, n, e);
	/* checked and summed in one pass */
	double x = 0, T = 0;
	for (size_t i = 0; i < n; i++) {
		if (!sane(&c[i]) && insane(c, i, e))
			return e->code;
		x += c[i].x;
		T += c[i].T;
	}
	*sx = x;
	*sT = T;
	if (x == 0)
		return rp_errf(e, RP_EINVAL,
			"%s: none of the %zu customers made a repeat purchase, so there is nothing to fit; "
			"use a longer calibration period",
			what, n);
	return 0;
}

/* ---- distinct customers -------------------------------------------------- */

static int cmp_d(double a, double b)
{
	return (a > b) - (a < b);
}

static int cmp3(const void *pa, const void *pb)
{
	const clv_customer *a = pa, *b = pb;
	int c = cmp_d(a->x, b->x);
	if (!c)
		c = cmp_d(a->t_x, b->t_x);
	return c ? c : cmp_d(a->T, b->T);
}

static int cmp2(const void *pa, const void *pb)
{
	const clv_customer *a = pa, *b = pb;
	int c = cmp_d(a->x, b->x);
	return c ? c : cmp_d(a->m, b->m);
}

/* The key's bits, -0 read as 0 (the checks let -0 through and the order
** above makes it equal to 0), mixed into a hash. */
static uint64_t key_bits(double v)
{
	uint64_t u;
	v += 0.0;
	memcpy(&u, &v, sizeof u);
	return u;
}

static uint64_t key_hash(const clv_customer *k, int keys)
{
	uint64_t h = key_bits(k->x) * 0x9e3779b97f4a7c15u;
	h = (h ^ (h >> 29) ^ key_bits(keys == 3 ? k->t_x : k->m)) * 0xbf58476d1ce4e5b9u;
	if (keys == 3)
		h = (h ^ (h >> 31) ^ key_bits(k->T)) * 0x94d049bb133111ebu;
	return h ^ (h >> 32);
}

/* A distinct customer and how many share its key, sorted together. */
typedef struct group {
	clv_customer c;
	double w;
} group;

static int cmp3g(const void *a, const void *b)
{
	return cmp3(&((const group *)a)->c, &((const group *)b)->c);
}

static int cmp2g(const void *a, const void *b)
{
	return cmp2(&((const group *)a)->c, &((const group *)b)->c);
}

/* The general way, for keys too wide to pack (see clv_distinct): count the
** customers in a hash table of whole summaries and sort the distinct ones. */
static int distinct_hashed(const clv_customer *c, size_t n, int keys, clv_customer **out, double **w, size_t *nout,
	rp_err *e)
{
	int (*cmp)(const void *, const void *) = keys == 3 ? cmp3 : cmp2;
	size_t cap = 1024, k = 0, mask;
	while (cap < 2 * n && cap < ((size_t)1 << 20))
		cap *= 2;
	group *g = malloc((n ? n : 1) * sizeof *g);
	uint32_t *slot = calloc(cap, sizeof *slot); /* index + 1 of the group, 0: empty */
	if (!g || !slot || n >= UINT32_MAX)
		goto nomem;
	mask = cap - 1;
	for (size_t i = 0; i < n; i++) {
		size_t h = key_hash(&c[i], keys) & mask;
		for (;;) {
			uint32_t s = slot[h];
			if (!s) {
				slot[h] = (uint32_t)++k;
				g[k - 1] = (group){c[i], 1};
				break;
			}
			if (!cmp(&g[s - 1].c, &c[i])) {
				g[s - 1].w += 1;
				break;
			}
			h = (h + 1) & mask;
		}
		if (2 * k > cap) { /* keep it at most half full */
			free(slot);
			cap *= 2;
			mask = cap - 1;
			if (!(slot = calloc(cap, sizeof *slot)))
				goto nomem;
			for (size_t j = 0; j < k; j++) {
				size_t hj = key_hash(&g[j].c, keys) & mask;
				while (slot[hj])
					hj = (hj + 1) & mask;
				slot[hj] = (uint32_t)(j + 1);
			}
		}
	}
	free(slot);
	qsort(g, k, sizeof *g, keys == 3 ? cmp3g : cmp2g);
	clv_customer *s = malloc((k ? k : 1) * sizeof *s);
	double *wt = malloc((k ? k : 1) * sizeof *wt);
	if (!s || !wt) {
		free(s);
		free(wt);
		free(g);
		return rp_errf(e, RP_ENOMEM, "out of memory grouping %zu customers", n);
	}
	for (size_t i = 0; i < k; i++) {
		s[i] = g[i].c;
		if (keys == 3)
			s[i].m = 0;
		else
			s[i].t_x = s[i].T = 0;
		wt[i] = g[i].w;
	}
	free(g);
	*out = s;
	*w = wt;
	*nout = k;
	return 0;
nomem:
	free(g);
	free(slot);
	return rp_errf(e, RP_ENOMEM, "out of memory grouping %zu customers", n);
}

/* The distinct values of a field, in a hash table of their bits (open
** addressing, at most an eighth full while small, so that a lookup seldom
** probes twice, then half): each gets an id in the order first seen, then
** its rank among them once all are in. */
typedef struct dict {
	uint64_t *key;  /* per slot: the value's bits, EMPTY when free */
	uint32_t *id;   /* per slot: its id */
	double *v;      /* by dict_rank: the values, ascending */
	uint32_t *rank; /* per id: its rank, by dict_rank */
	size_t cap, n;
	int shift;
} dict;

#define EMPTY UINT64_MAX /* no checked value (finite, >= 0) has these bits */

static uint64_t dict_hash(uint64_t k, int shift)
{
	return (k * 0x9e3779b97f4a7c15u) >> shift;
}

static void dict_free(dict *d)
{
	free(d->key);
	free(d->id);
	free(d->v);
	free(d->rank);
}

static int dict_grow(dict *d)
{
	size_t cap = d->cap ? 2 * d->cap : 256;
	int shift = 64;
	for (size_t c = cap; c > 1; c >>= 1)
		shift--;
	uint64_t *key = malloc(cap * sizeof *key);
	uint32_t *id = malloc(cap * sizeof *id);
	if (!key || !id) {
		free(key);
		free(id);
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		key[i] = EMPTY;
	for (size_t i = 0; i < d->cap; i++) {
		if (d->key[i] == EMPTY)
			continue;
		size_t h = dict_hash(d->key[i], shift);
		while (key[h] != EMPTY)
			h = (h + 1) & (cap - 1);
		key[h] = d->key[i];
		id[h] = d->id[i];
	}
	free(d->key);
	free(d->id);
	d->key = key;
	d->id = id;
	d->cap = cap;
	d->shift = shift;
	return 0;
}

/* Add bits k at free slot h; its id, or -1 when out of memory. */
static int64_t dict_new(dict *d, uint64_t k, size_t h)
{
	if ((d->cap < 8192 ? 8 : 2) * (d->n + 1) > d->cap) {
		if (dict_grow(d))
			return -1;
		h = dict_hash(k, d->shift);
		while (d->key[h] != EMPTY)
			h = (h + 1) & (d->cap - 1);
	}
	d->key[h] = k;
	d->id[h] = (uint32_t)d->n;
	return (int64_t)d->n++;
}

/* The id of v, added when new; -1 when out of memory. */
static inline int64_t dict_add(dict *d, double v)
{
	uint64_t k = key_bits(v);
	size_t h = dict_hash(k, d->shift);
	for (;;) {
		uint64_t s = d->key[h];
		if (s == k)
			return d->id[h];
		if (s == EMPTY)
			return dict_new(d, k, h);
		h = (h + 1) & (d->cap - 1);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Sort the values and give each id its rank.  Values are unique in the
** table, so (bits, id) pairs sort by bits alone, and non-negative doubles
** order as their bits do. */
static int dict_rank(dict *d)
{
	size_t n = d->n ? d->n : 1, j = 0;
	uint64_t *pair = malloc(2 * n * sizeof *pair);
	if (!pair || !(d->rank = malloc(n * sizeof *d->rank)) || !(d->v = malloc(n * sizeof *d->v))) {
		free(pair);
		return -1;
	}
	for (size_t i = 0; i < d->cap; i++)
		if (d->key[i] != EMPTY) {
			pair[2 * j] = d->key[i];
			pair[2 * j + 1] = d->id[i];
			j++;
		}
	qsort(pair, d->n, 2 * sizeof *pair, cmp_u64);
	for (size_t r = 0; r < d->n; r++) {
		d->rank[pair[2 * r + 1]] = (uint32_t)r;
		memcpy(&d->v[r], &pair[2 * r], sizeof *d->v);
	}
	free(pair);
	return 0;
}

/* How many bits hold the whole numbers 0..v. */
static int bits_for(uint64_t v)
{
	int b = 0;
	while (v >> b)
		b++;
	return b;
}

/* A group while counting: its key, and then its packed ranks; how many. */
typedef struct slot {
	uint64_t key;
	double w;
} slot;

/* LSD radix sort of groups by the low `bits` bits of their keys, by
** digits of at most 11 bits; tmp is as long as g.  Stable, as LSD is. */
static void radix_sort(slot *g, slot *tmp, size_t n, int bits)
{
	int passes = (bits + 10) / 11;
	if (!passes)
		return;
	int width = (bits + passes - 1) / passes;
	size_t count[1 << 11];
	uint64_t mask = ((uint64_t)1 << width) - 1;
	for (int p = 0; p < passes; p++) {
		int sh = p * width;
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(g[i].key >> sh) & mask]++;
		size_t sum = 0;
		for (size_t d = 0; d <= mask; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(g[i].key >> sh) & mask]++] = g[i];
		slot *t = g;
		g = tmp;
		tmp = t;
	}
	if (passes % 2)
		memcpy(tmp, g, n * sizeof *g);
}

/* Pack limits of the one pass of clv_distinct: x below 2^24 and fewer than
** 2^20 distinct values of each other key field, which leaves 64 bits. */
#define PACK_X 24
#define PACK_V 20
#define BATCH 16

/* The groups being counted: an open-addressing table of slots, at most
** half full. */
typedef struct groups {
	slot *g;
	size_t cap, n;
	int shift;
} groups;

static int groups_grow(groups *t)
{
	size_t cap = t->cap ? 2 * t->cap : 1024;
	int shift = t->cap ? t->shift - 1 : 54;
	slot *g = malloc(cap * sizeof *g);
	if (!g)
		return -1;
	for (size_t q = 0; q < cap; q++)
		g[q].key = EMPTY;
	for (size_t q = 0; q < t->cap; q++) {
		if (t->g[q].key == EMPTY)
			continue;
		size_t h = dict_hash(t->g[q].key, shift);
		while (g[h].key != EMPTY)
			h = (h + 1) & (cap - 1);
		g[h] = t->g[q];
	}
	free(t->g);
	*t = (groups){g, cap, t->n, shift};
	return 0;
}

/* w more customers of key k; -1 when out of memory. */
static inline int groups_add(groups *t, uint64_t k, double w)
{
	size_t h = dict_hash(k, t->shift);
	for (;;) {
		slot *q = &t->g[h];
		if (q->key == k) {
			q->w += w;
			return 0;
		}
		if (q->key == EMPTY) {
			*q = (slot){k, w};
			break;
		}
		h = (h + 1) & (t->cap - 1);
	}
	return 2 * ++t->n > t->cap ? groups_grow(t) : 0;
}

/* A million customers are a hundred thousand distinct ones or fewer, and
** their times a few hundred distinct values (whole days).  One pass over
** the customers gives each key field's value an id (a small hash table of
** the field's distinct values), packs x and the ids into one integer and
** counts those in a hash table of groups: no customer is copied.  Then the
** ids are replaced by the values' ranks, so the packed integers sort as the
** customers do (cmp3 or cmp2), and a radix sort of the groups by them gives
** the order.  Keys beyond the pack limits take the general way, with the
** same result. */
int clv_distinct(const clv_customer *c, size_t n, int keys, clv_customer **out, double **w, size_t *nout,
	rp_err *e)
{
	dict d[2] = {{0}, {0}};
	int nf = keys == 3 ? 2 : 1;
	groups t = {0};
	slot *tmp = NULL;
	clv_customer *s = NULL;
	double *wt = NULL;
	/* Customers without a repeat purchase, and so with t_x (or m) 0, are
	** most of any population: counted by T alone in zero[id of T]. */
	uint32_t *zero = NULL;
	size_t nzero = 0;
	if (groups_grow(&t) || dict_grow(&d[0]) || dict_grow(&d[1]))
		goto nomem;
	/* in batches: each group's slot is fetched while the next customers'
	** keys are made, which hides most of the wait for memory */
	for (size_t i0 = 0; i0 < n; i0 += BATCH) {
		uint64_t kb[BATCH];
		size_t nb = n - i0 < BATCH ? n - i0 : BATCH, nk = 0;
		for (size_t j = 0; j < nb; j++) {
			const clv_customer *ci = &c[i0 + j];
			double x = ci->x, v = keys == 3 ? ci->t_x : ci->m;
			int64_t b = keys == 3 ? dict_add(&d[1], ci->T) : 0;
			if (b < 0)
				goto nomem;
			if (x == 0 && v == 0) {
				if ((size_t)b >= nzero) {
					size_t nz = 2 * (size_t)b + 64;
					uint32_t *z = realloc(zero, nz * sizeof *z);
					if (!z)
						goto nomem;
					memset(z + nzero, 0, (nz - nzero) * sizeof *z);
					zero = z;
					nzero = nz;
				}
				zero[b]++;
				continue;
			}
			int64_t a = dict_add(&d[0], v);
			if (a < 0)
				goto nomem;
			if (!(x < (double)((uint64_t)1 << PACK_X)) || (double)(uint64_t)x != x || a >> PACK_V || b >> PACK_V)
				goto general;
			kb[nk] = (uint64_t)x << (2 * PACK_V) | (uint64_t)a << PACK_V | (uint64_t)b;
			__builtin_prefetch(&t.g[dict_hash(kb[nk], t.shift)]);
			nk++;
		}
		for (size_t j = 0; j < nk; j++)
			if (groups_add(&t, kb[j], 1))
				goto nomem;
	}
	if (nzero) {
		int64_t a = dict_add(&d[0], 0);
		if (a < 0)
			goto nomem;
		for (size_t b = 0; b < nzero; b++) {
			if (zero[b] && (a >> PACK_V || b >> PACK_V))
				goto general;
			if (zero[b] && groups_add(&t, (uint64_t)a << PACK_V | b, zero[b]))
				goto nomem;
		}
	}
	free(zero);
	zero = NULL;
	slot *g = t.g;
	size_t ng = t.n;
	for (int f = 0; f < nf; f++)
		if (dict_rank(&d[f]))
			goto nomem;
	/* the groups, gathered at the front, keyed by ranks */
	int b1 = keys == 3 ? bits_for(d[1].n - 1) : 0, b0 = bits_for(d[0].n ? d[0].n - 1 : 0), bx = 0;
	size_t j = 0;
	for (size_t i = 0; i < t.cap; i++)
		if (g[i].key != EMPTY)
			g[j++] = g[i];
	for (size_t i = 0; i < ng; i++) {
		uint64_t x = g[i].key >> (2 * PACK_V);
		int bi = bits_for(x);
		bx = bi > bx ? bi : bx;
	}
	uint64_t mv = ((uint64_t)1 << PACK_V) - 1;
	for (size_t i = 0; i < ng; i++) {
		uint64_t k = g[i].key;
		g[i].key = (k >> (2 * PACK_V)) << b0 << b1 | (uint64_t)d[0].rank[(k >> PACK_V) & mv] << b1 |
			   (keys == 3 ? d[1].rank[k & mv] : 0);
	}
	if (!(tmp = malloc((ng ? ng : 1) * sizeof *tmp)))
		goto nomem;
	radix_sort(g, tmp, ng, bx + b0 + b1);
	free(tmp);
	s = malloc((ng ? ng : 1) * sizeof *s);
	wt = malloc((ng ? ng : 1) * sizeof *wt);
	if (!s || !wt)
		goto nomem;
	uint64_t m0 = ((uint64_t)1 << b0) - 1, m1 = ((uint64_t)1 << b1) - 1;
	for (size_t i = 0; i < ng; i++) {
		uint64_t k = g[i].key;
		double x = (double)(k >> b1 >> b0), v0 = d[0].v[(k >> b1) & m0];
		s[i] = keys == 3 ? (clv_customer){x, v0, d[1].v[k & m1], 0} : (clv_customer){x, 0, 0, v0};
		wt[i] = g[i].w;
	}
	free(t.g);
	dict_free(&d[0]);
	dict_free(&d[1]);
	*out = s;
	*w = wt;
	*nout = ng;
	return 0;
general:
	free(t.g);
	free(zero);
	dict_free(&d[0]);
	dict_free(&d[1]);
	return distinct_hashed(c, n, keys, out, w, nout, e);
nomem:
	free(t.g);
	free(zero);
	free(s);
	free(wt);
	dict_free(&d[0]);
	dict_free(&d[1]);
	return rp_errf(e, RP_ENOMEM, "out of memory grouping %zu customers", n);
}

int clv_values(const clv_customer *c, size_t n, int field, double **v, uint32_t *idx, size_t *nv, rp_err *e)
{
	dict d = {0};
	if (dict_grow(&d))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		int64_t id = dict_add(&d, field == CLV_T ? c[i].T : c[i].t_x);
		if (id < 0)
			goto nomem;
		idx[i] = (uint32_t)id;
	}
	if (dict_rank(&d))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		idx[i] = d.rank[idx[i]];
	*v = d.v;
	*nv = d.n;
	d.v = NULL;
	dict_free(&d);
	return 0;
nomem:
	dict_free(&d);
	return rp_errf(e, RP_ENOMEM, "out of memory grouping %zu customers", n);
}

/* ---- the optimiser --------------------------------------------------------- */

#define MAXK 4

typedef struct mm {
	clv_objective f;
	void *ctx;
	size_t k;
} mm;

static void unpack(const gsl_vector *v, double *th, size_t k)
{
	for (size_t i = 0; i < k; i++)
		th[i] = gsl_vector_get(v, i);
}

static double mm_f(const gsl_vector *v, void *p)
{
	mm *o = p;
	double th[MAXK];
	unpack(v, th, o->k);
	double y = o->f(th, NULL, NULL, o->ctx);
	return isfinite(y) ? y : GSL_POSINF;
}

static void mm_fdf(const gsl_vector *v, void *p, double *y, gsl_vector *g)
{
	mm *o = p;
	double th[MAXK], gr[MAXK];
	unpack(v, th, o->k);
	double fy = o->f(th, gr, NULL, o->ctx);
	if (y)
		*y = isfinite(fy) ? fy : GSL_POSINF;
	for (size_t i = 0; i < o->k; i++)
		gsl_vector_set(g, i, isfinite(gr[i]) ? gr[i] : 0);
}

static void mm_df(const gsl_vector *v, void *p, gsl_vector *g)
{
	mm_fdf(v, p, NULL, g);
}

static double norm(const double *v, size_t k)
{
	double s = 0;
	for (size_t i = 0; i < k; i++)
		s += v[i] * v[i];
	return sqrt(s);
}

/* The gradient's norm at th; *fv gets the objective there. */
static double grad_norm(mm *o, const double *th, double *fv)
{
	double gr[MAXK];
	*fv = o->f(th, gr, NULL, o->ctx);
	return norm(gr, o->k);
}

/* BFGS's line search compares values of the objective, so it stops where
** their rounding noise hides any progress: a gradient norm of about 1e-7
** for the CDNOW fits.  Newton steps on the gradient alone (which is exact
** to rounding) then take it below GRAD_TOL, far beyond the digits the
** papers print.  A gradient above GRAD_ACCEPT at the end is a failure;
** 1e-5 (of the mean log-likelihood per customer, over log parameters)
** accepts surfaces too flat for Newton to polish, such as a few hundred
** customers whose a and b are barely identified (they stop near 2e-6). */
#define GRAD_TOL 1e-10
#define GRAD_NEWTON 1e-4
#define GRAD_ACCEPT 1e-5

/* The Hessian in theta into h (k x k) at th, where the objective's
** gradient is g: the model's own (hv, when not NaN), or else forward
** differences of the analytic gradient; 0, or -1 when it is not finite.
** The differences' error of order 1e-5 slows Newton's convergence by no
** more than that factor and leaves the standard errors good to four digits. */
static int hessian(mm *o, const double *th, const double *g, const double *hv, gsl_matrix *h)
{
	double t[MAXK], gp[MAXK];
	const double step = 1e-5;
	for (size_t j = 0; j < o->k; j++) {
		if (!isnan(hv[0])) {
			for (size_t i = 0; i < o->k; i++) {
				if (!isfinite(hv[i * o->k + j]))
					return -1;
				gsl_matrix_set(h, i, j, hv[i * o->k + j]);
			}
			continue;
		}
		memcpy(t, th, o->k * sizeof *t);
		t[j] = th[j] + step;
		o->f(t, gp, NULL, o->ctx);
		for (size_t i = 0; i < o->k; i++) {
			double v = (gp[i] - g[i]) / step;
			if (!isfinite(v))
				return -1;
			gsl_matrix_set(h, i, j, v);
		}
	}
	for (size_t i = 0; i < o->k; i++)
		for (size_t j = 0; j < i; j++) {
			double v = (gsl_matrix_get(h, i, j) + gsl_matrix_get(h, j, i)) / 2;
			gsl_matrix_set(h, i, j, v);
			gsl_matrix_set(h, j, i, v);
		}
	return 0;
}

/* Newton steps from th while the gradient is above GRAD_TOL and they
** shrink it; each costs one evaluation of the objective with its Hessian
** (k + 1 without one).  When the Hessian at the point kept is positive
** definite, var (may be NULL) gets the diagonal of its inverse: the
** variances of theta, times n.  Returns the gradient's norm at th, and
** *fv the objective there. */
static double newton(mm *o, double *th, int *iters, double *var, double *fv)
{
	gsl_matrix *h = gsl_matrix_alloc(o->k, o->k);
	gsl_vector *gv = gsl_vector_alloc(o->k), *d = gsl_vector_alloc(o->k);
	double g[MAXK], hv[MAXK * MAXK], t[MAXK], tg[MAXK], th_[MAXK * MAXK];
	hv[0] = NAN;
	*fv = o->f(th, g, hv, o->ctx);
	double gn = norm(g, o->k);
	if (!h || !gv || !d)
		goto out;
	for (int it = 0; it < 10; it++) {
		if (hessian(o, th, g, hv, h) || gsl_linalg_cholesky_decomp1(h))
			break;
		if (gn <= GRAD_TOL) {
			if (var && !gsl_linalg_cholesky_invert(h))
				for (size_t i = 0; i < o->k; i++)
					var[i] = gsl_matrix_get(h, i, i);
			break;
		}
		for (size_t i = 0; i < o->k; i++)
			gsl_vector_set(gv, i, g[i]);
		if (gsl_linalg_cholesky_solve(h, gv, d))
			break;
		for (size_t i = 0; i < o->k; i++)
			t[i] = th[i] - gsl_vector_get(d, i);
		th_[0] = NAN;
		double tf = o->f(t, tg, th_, o->ctx), tn = norm(tg, o->k);
		if (!(tn < gn) || !isfinite(tf))
			break;
		(*iters)++;
		memcpy(th, t, o->k * sizeof *t);
		memcpy(g, tg, o->k * sizeof *g);
		memcpy(hv, th_, sizeof hv);
		*fv = tf;
		gn = tn;
	}
out:
	gsl_matrix_free(h);
	gsl_vector_free(gv);
	gsl_vector_free(d);
	return gn;
}

static int run_bfgs(mm *o, double *th, int *iters)
{
	gsl_multimin_function_fdf fdf = {.f = mm_f, .df = mm_df, .fdf = mm_fdf, .n = o->k, .params = o};
	gsl_vector *x = gsl_vector_alloc(o->k);
	gsl_multimin_fdfminimizer *s = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, o->k);
	if (!x || !s) {
		gsl_vector_free(x);
		gsl_multimin_fdfminimizer_free(s);
		return -1;
	}
	for (size_t i = 0; i < o->k; i++)
		gsl_vector_set(x, i, th[i]);
	int ok = gsl_multimin_fdfminimizer_set(s, &fdf, x, 0.1, 0.1) == GSL_SUCCESS && isfinite(s->f);
	for (int it = 0; ok && it < 1000; it++) {
		(*iters)++;
		if (gsl_multimin_fdfminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_gradient(s->gradient, GRAD_TOL) == GSL_SUCCESS)
			break;
	}
	if (ok && isfinite(s->f))
		unpack(s->x, th, o->k);
	gsl_vector_free(x);
	gsl_multimin_fdfminimizer_free(s);
	return 0;
}

static int run_simplex(mm *o, double *th, int *iters)
{
	gsl_multimin_function fn = {.f = mm_f, .n = o->k, .params = o};
	gsl_vector *x = gsl_vector_alloc(o->k), *step = gsl_vector_alloc(o->k);
	gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, o->k);
	if (!x || !step || !s) {
		gsl_vector_free(x);
		gsl_vector_free(step);
		gsl_multimin_fminimizer_free(s);
		return -1;
	}
	for (size_t i = 0; i < o->k; i++)
		gsl_vector_set(x, i, th[i]);
	gsl_vector_set_all(step, 0.2);
	int ok = gsl_multimin_fminimizer_set(s, &fn, x, step) == GSL_SUCCESS;
	for (int it = 0; ok && it < 20000; it++) {
		(*iters)++;
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-10) == GSL_SUCCESS)
			break;
	}
	if (ok && isfinite(s->fval))
		unpack(s->x, th, o->k);
	gsl_vector_free(x);
	gsl_vector_free(step);
	gsl_multimin_fminimizer_free(s);
	return 0;
}

int clv_minimise(clv_objective f, void *ctx, size_t k, double n, double *theta, int warm, clv_fit *info,
	const char *what, rp_err *e)
{
	clv_gsl_quiet();
	mm o = {f, ctx, k};
	clv_fit fi = {0};
	if (k > MAXK)
		return rp_errf(e, RP_EINVAL, "%s: %zu parameters, at most %d", what, k, MAXK);
	double var[MAXK] = {0}, g = 1, fv = NAN;
	/* Near the optimum Newton's steps converge in a handful, where BFGS
	** takes dozens of evaluations to learn the curvature. */
	if (warm)
		g = newton(&o, theta, &fi.iterations, var, &fv);
	else
		fv = f(theta, NULL, NULL, ctx);
	if (!isfinite(fv))
		return rp_errf(e, RP_EINVAL, "%s: the likelihood is not finite at the starting point; check the data", what);
	if (!(g <= GRAD_TOL) && run_bfgs(&o, theta, &fi.iterations))
		return rp_errf(e, RP_ENOMEM, "%s: out of memory in the optimiser", what);
	if (!(g <= GRAD_TOL))
		g = grad_norm(&o, theta, &fv);
	if (!(g <= GRAD_TOL) && g <= GRAD_NEWTON)
		g = newton(&o, theta, &fi.iterations, var, &fv);
	if (!(g <= GRAD_TOL)) {
		/* BFGS stopped short (a line search that found no progress far
		** from the optimum): Nelder-Mead needs no gradient to move on,
		** and BFGS then polishes what it found. */
		fi.fallback = 1;
		if (run_simplex(&o, theta, &fi.iterations) || run_bfgs(&o, theta, &fi.iterations))
			return rp_errf(e, RP_ENOMEM, "%s: out of memory in the optimiser", what);
		g = newton(&o, theta, &fi.iterations, var, &fv);
	}
	for (size_t i = 0; i < k; i++)
		if (!isfinite(theta[i]) || fabs(theta[i]) > 30)
			return rp_errf(e, RP_EINVAL,
				"%s did not converge: a parameter ran off to %s; the data may not support this model "
				"(too few customers, or no repeat purchases)",
				what, theta[i] > 0 ? "infinity" : "zero");
	if (!(g <= GRAD_ACCEPT))
		return rp_errf(e, RP_EINVAL,
			"%s did not converge: the gradient is still %.3g after %d iterations; "
			"the data may not support this model",
			what, g, fi.iterations);
	fi.grad_norm = g;
	fi.ll = -fv;
	for (size_t i = 0; i < k; i++)
		fi.se[i] = var[i] > 0 ? exp(theta[i]) * sqrt(var[i] / n) : NAN;
	if (info)
		*info = fi;
	return 0;
}

/* ---- Gauss's hypergeometric function --------------------------------------- */

typedef struct euler {
	double a, b, c, z;
} euler;

/* The integrand of Euler's integral, with b the parameter that must lie
** between 0 and c. */
static double euler_f(double t, void *p)
{
	euler *u = p;
	return pow(t, u->b - 1) * pow(1 - t, u->c - u->b - 1) * pow(1 - u->z * t, -u->a);
}

static double by_euler(double a, double b, double c, double z)
{
	if (!(c > b && b > 0)) {
		double t = a;
		a = b;
		b = t;
	}
	if (!(c > b && b > 0))
		return NAN;
	euler u = {a, b, c, z};
	gsl_function fn = {.function = euler_f, .params = &u};
	/* Near z = 1 the integrand peaks at t = 1 with a width of about 1 - z:
	** break the interval there, at decades of that width. */
	double pts[8];
	size_t np = 0;
	pts[np++] = 0;
	for (double k = 1000; k >= 1; k /= 10)
		if (1 - k * (1 - z) > pts[np - 1])
			pts[np++] = 1 - k * (1 - z);
	pts[np++] = 1;
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
	if (!w)
		return NAN;
	double v, err;
	int st = gsl_integration_qagp(&fn, pts, np, 0, 1e-12, 200, w, &v, &err);
	gsl_integration_workspace_free(w);
	if (st != GSL_SUCCESS && !(err <= 1e-10 * fabs(v)))
		return NAN;
	return exp(gsl_sf_lngamma(c) - gsl_sf_lngamma(b) - gsl_sf_lngamma(c - b)) * v;
}

/* The power series itself, while it converges fast enough. */
static double by_series(double a, double b, double c, double z)
{
	double sum = 1, term = 1;
	for (int n = 0; n < 1000000; n++) {
		term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
		sum += term;
		if (fabs(term) <= 1e-16 * fabs(sum))
			return sum;
	}
	return NAN;
}

double clv_2f1(double a, double b, double c, double z)
{
	clv_gsl_quiet();
	if (z == 0)
		return 1;
	/* Above 0.99 GSL switches to a transformation about 1 - z which, when
	** c - a - b is a whole number (integer parameters, as in r = 2,
	** s = 3), returns values off by 1e-4 while claiming 1e-14: there
	** Euler's integral comes first. */
	double v = z > 0.99 ? by_euler(a, b, c, z) : NAN;
	if (isfinite(v))
		return v;
	gsl_sf_result r;
	if (gsl_sf_hyperg_2F1_e(a, b, c, z, &r) == GSL_SUCCESS && isfinite(r.val) && r.err <= 1e-10 * fabs(r.val) &&
		!(z > 0.99 && c - a - b == floor(c - a - b)))
		return r.val;
	/* the series is quick only well inside the unit disc */
	if (z <= 0.9 || !isfinite(v = by_euler(a, b, c, z)))
		v = by_series(a, b, c, z);
	return v;
}

/* ---- maximum likelihood ---------------------------------------------------- */

/* Above SUB_MAX distinct customers (and twice as many customers), a fit
** starts from that of an even sample of SUB_MAX of them, which itself
** starts from a sample of SUB_MIN when it has more distinct customers than
** that: a million customers start from 20,000, which start from 2,000,
** where BFGS works from the usual start.  Each level's optimum is within a
** few of its standard errors of the next one's, where Newton's steps
** converge in three or four. */
#define SUB_MIN 2000
#define SUB_MAX 20000

typedef struct ml {
	clv_llfn ll;
	size_t k;
	const clv_customer *c;
	const double *w;
	size_t n;
	void *prep;
	double total;
} ml;

/* Minus the mean log-likelihood at exp(theta), its gradient in theta
** (d/dtheta = p d/dp) and its Hessian (d2/dtheta_i dtheta_j = p_i p_j
** d2/dp_i dp_j, plus p_i d/dp_i on the diagonal). */
static double ml_objective(const double *th, double *grad, double *hess, void *ctx)
{
	ml *o = ctx;
	double p[MAXK], g[MAXK], h[MAXK * MAXK];
	size_t k = o->k;
	for (size_t i = 0; i < k; i++)
		p[i] = exp(th[i]);
	h[0] = NAN;
	double v = o->ll(p, o->c, o->w, o->n, o->prep, grad ? g : NULL, grad && hess ? h : NULL);
	if (grad)
		for (size_t i = 0; i < k; i++)
			grad[i] = -g[i] * p[i] / o->total;
	if (grad && hess) {
		hess[0] = NAN;
		if (!isnan(h[0]))
			for (size_t i = 0; i < k; i++)
				for (size_t j = 0; j < k; j++)
					hess[i * k + j] = -(h[i * k + j] * p[i] * p[j] + (i == j ? g[i] * p[i] : 0)) / o->total;
	}
	return -v / o->total;
}

/* clv_fit_ml, of a sample when depth > 0. */
static int fit_ml(clv_llfn ll, const clv_prep *prep, size_t k, const clv_customer *c, size_t n, int keys,
	double total, double *p, clv_fit *info, const char *what, int depth, rp_err *e)
{
	clv_customer *d;
	double *w, th[MAXK];
	size_t nd;
	if (k > MAXK)
		return rp_errf(e, RP_EINVAL, "%s: %zu parameters, at most %d", what, k, MAXK);
	if (clv_distinct(c, n, keys, &d, &w, &nd, e))
		return e->code;
	if (nd < k) {
		free(d);
		free(w);
		/* fewer distinct terms than parameters: a ridge, no maximum */
		return rp_errf(e, RP_EINVAL,
			"%s: %zu distinct customer summar%s cannot determine %zu parameters; fit at least %zu "
			"customers with different histories",
			what, nd, nd == 1 ? "y" : "ies", k, k);
	}
	void *pr = NULL;
	if (prep && !(pr = prep->make(d, nd, e))) {
		free(d);
		free(w);
		return e->code;
	}
	ml o = {ll, k, d, w, nd, pr, total};
	int warm = 0;
	size_t sub = depth ? SUB_MIN : SUB_MAX;
	if (nd > sub && n > 2 * sub) {
		/* Many distinct customers: the optimum of an even sample of
		** them is a start from which Newton's steps on all of them
		** converge; failing that, the usual start. */
		clv_customer *sc = malloc(sub * sizeof *sc);
		double sp[MAXK];
		memcpy(sp, p, k * sizeof *sp);
		if (sc) {
			for (size_t i = 0; i < sub; i++)
				sc[i] = c[(size_t)((double)i * n / sub)];
			rp_err se = {0};
			if (!fit_ml(ll, prep, k, sc, sub, keys, total * sub / n, sp, NULL, what, depth + 1, &se)) {
				memcpy(p, sp, k * sizeof *sp);
				warm = 1;
			}
		}
		free(sc);
	}
	for (size_t i = 0; i < k; i++)
		th[i] = log(p[i]);
	clv_fit fi;
	int rc = clv_minimise(ml_objective, &o, k, total, th, warm, &fi, what, e);
	if (!rc) {
		for (size_t i = 0; i < k; i++)
			p[i] = exp(th[i]);
		fi.ll *= total;
		if (info)
			*info = fi;
	}
	if (pr)
		prep->release(pr);
	free(d);
	free(w);
	return rc;
}

int clv_fit_ml(clv_llfn ll, const clv_prep *prep, size_t k, const clv_customer *c, size_t n, int keys,
	double total, double *p, clv_fit *info, const char *what, rp_err *e)
{
	return fit_ml(ll, prep, k, c, n, keys, total, p, info, what, 0, e);
}
