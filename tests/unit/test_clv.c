/* model/clv: the lifetime-value models against the published CDNOW
** estimates, against data simulated from known parameters, and their
** gradients against finite differences. */
#include "testlib.h"

#include <math.h>
#include <sys/stat.h>
#include <time.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "model/clv.h"
#include "model/fit.h"

/* ---- the CDNOW files ---------------------------------------------------------- */

/* The three files the tests read are kept in tests/data/cdnow (tests run
** from the repository's root); RAPPORT_CDNOW names another copy, e.g. the
** whole set.  Missing data is a failure: without it these tests would
** prove nothing. */
static const char *cdnow_dir(void)
{
	static const char *const tried[] = {"tests/data/cdnow"};
	const char *env = getenv("RAPPORT_CDNOW");
	struct stat st;
	if (env && *env) {
		if (stat(env, &st) || !S_ISDIR(st.st_mode))
			fail_msg("RAPPORT_CDNOW=%s is not a directory", env);
		return env;
	}
	for (size_t i = 0; i < sizeof tried / sizeof *tried; i++)
		if (!stat(tried[i], &st) && S_ISDIR(st.st_mode))
			return tried[i];
	fail_msg("the CDNOW data are missing: looked for tests/data/cdnow from the repository root;"
		 " run the tests from there or set RAPPORT_CDNOW to their directory");
	return NULL;
}

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", cdnow_dir(), name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	rewind(fp);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	b[n] = 0;
	fclose(fp);
	*len = (size_t)n;
	return b;
}

static clv_customer *load(const char *name, size_t *n)
{
	size_t len;
	char *b = slurp(name, &len);
	clv_customer *c = NULL;
	rp_err e = {0};
	if (clv_load_summary(b, len, &c, n, &e))
		fail_msg("%s: %s", name, e.msg);
	free(b);
	return c;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* |got - want| <= tol, saying which figure was off */
#define near(what, got, want, tol)                                                                        \
	do {                                                                                               \
		double g_ = (got), w_ = (want);                                                            \
		if (!(fabs(g_ - w_) <= (tol)))                                                             \
			fail_msg("%s: got %.6f, published %.6f (tolerance %g)", what, g_, w_, (double)(tol)); \
	} while (0)

/* ---- fitting the published data ----------------------------------------------- */

/* Fader, Hardie & Lee (2005), "Counting your customers the easy way": the
** BG/NBD and Pareto/NBD estimates for the 2,357 CDNOW customers over 39
** weeks, and Fader & Hardie's note 025: the Gamma-Gamma estimates on the
** 946 of them with repeat purchases.  Each figure is held to its printed
** precision, except where a caller passes a looser tol for one (see the
** callers). */
static void published_bgnbd(const clv_bgnbd *m, const clv_fit *fi)
{
	near("BG/NBD r", m->r, 0.243, 0.001);
	near("BG/NBD alpha", m->alpha, 4.414, 0.001);
	near("BG/NBD a", m->a, 0.793, 0.001);
	near("BG/NBD b", m->b, 2.426, 0.001);
	near("BG/NBD LL", fi->ll, -9582.4, 0.1);
}

static void published_pnbd(const clv_pnbd *m, const clv_fit *fi, double beta_tol)
{
	near("Pareto/NBD r", m->r, 0.553, 0.001);
	near("Pareto/NBD alpha", m->alpha, 10.578, 0.001);
	near("Pareto/NBD s", m->s, 0.606, 0.001);
	near("Pareto/NBD beta", m->beta, 11.669, beta_tol);
	near("Pareto/NBD LL", fi->ll, -9595.0, 0.1);
}

static void published_gg(const clv_gg *m, double gamma_tol)
{
	near("Gamma-Gamma p", m->p, 6.25, 0.005);
	near("Gamma-Gamma q", m->q, 3.74, 0.005);
	near("Gamma-Gamma gamma", m->gamma, 15.44, gamma_tol);
}

/* From the summary file. */
static void test_bgnbd_cdnow(void **state)
{
	(void)state;
	size_t n;
	clv_customer *c = load("cdnow_customers_summary.csv", &n);
	assert_int_equal(n, 2357);
	clv_bgnbd m;
	clv_fit fi;
	rp_err e = {0};
	double t0 = seconds();
	if (clv_bgnbd_fit(c, n, &m, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("BG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.3f (%d iterations%s, %.3f s)\n", m.r, m.alpha,
		m.a, m.b, fi.ll, fi.iterations, fi.fallback ? ", Nelder-Mead" : "", seconds() - t0);
	published_bgnbd(&m, &fi);
	near("LL again", clv_bgnbd_ll(&m, c, n, NULL), fi.ll, 1e-9);
	free(c);
}

/* The same paper's Pareto/NBD estimates on the same data.  The summary
** file rounds times to 0.01 week, which moves beta (standard error 6.2)
** by 0.001: from the file it is held to 0.002, and to the printed digits
** when fitted on exact times (test_fit_cdnow_log). */
static void test_pnbd_cdnow(void **state)
{
	(void)state;
	size_t n;
	clv_customer *c = load("cdnow_customers_summary.csv", &n);
	clv_pnbd m;
	clv_fit fi;
	rp_err e = {0};
	double t0 = seconds();
	if (clv_pnbd_fit(c, n, &m, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("Pareto/NBD r=%.4f alpha=%.4f s=%.4f beta=%.4f LL=%.3f (%d iterations%s, %.3f s)\n", m.r,
		m.alpha, m.s, m.beta, fi.ll, fi.iterations, fi.fallback ? ", Nelder-Mead" : "", seconds() - t0);
	published_pnbd(&m, &fi, 0.002);
	free(c);
}

/* Fader & Hardie, note 025: the 946 customers with repeat purchases.  The
** file's means are rounded to cents, which moves gamma (standard error 4.2)
** by 0.004: from the file it is held to 0.01, and to the printed digits
** from the log (test_fit_cdnow_log). */
static void test_gg_cdnow(void **state)
{
	(void)state;
	size_t n;
	clv_customer *c = load("cdnow_customers_summary_with_transactions.csv", &n);
	size_t buyers = 0;
	for (size_t i = 0; i < n; i++)
		buyers += c[i].x > 0;
	assert_int_equal(buyers, 946);
	clv_gg m;
	clv_fit fi;
	rp_err e = {0};
	double t0 = seconds();
	if (clv_gg_fit(c, n, &m, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("Gamma-Gamma p=%.4f q=%.4f gamma=%.4f LL=%.3f (%d iterations, %.3f s)\n", m.p, m.q, m.gamma,
		fi.ll, fi.iterations, seconds() - t0);
	published_gg(&m, 0.01);
	free(c);
}

/* ---- the summary built from the transaction log ------------------------------- */

/* CDNOW_sample.txt: id_master id_sample YYYYMMDD cds dollars, one record a
** line, several records a day possible. */
static clv_txn *read_log(size_t *n)
{
	size_t len;
	char *b = slurp("CDNOW_sample.txt", &len);
	size_t cap = 8192, k = 0;
	clv_txn *t = malloc(cap * sizeof *t);
	assert_non_null(t);
	char *p = b;
	long master, sample, date, cds;
	double value;
	int used;
	while (sscanf(p, "%ld %ld %ld %ld %lf%n", &master, &sample, &date, &cds, &value, &used) == 5) {
		if (k == cap) {
			cap *= 2;
			t = realloc(t, cap * sizeof *t);
			assert_non_null(t);
		}
		t[k++] = (clv_txn){sample, rp_days_from_civil((int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100)),
			value};
		p += used;
	}
	free(b);
	*n = k;
	return t;
}

/* The papers' calibration period: 39 weeks, to 1997-09-30. */
static clv_customer *summary_from_log(size_t *n, int64_t **ids)
{
	size_t nt;
	clv_txn *t = read_log(&nt);
	assert_int_equal(nt, 6919);
	clv_customer *c;
	rp_err e = {0};
	if (clv_summarise(t, nt, rp_days_from_civil(1997, 9, 30), 7, &c, ids, n, &e))
		fail_msg("%s", e.msg);
	free(t);
	return c;
}

static void test_summary_cdnow(void **state)
{
	(void)state;
	size_t n, nf;
	int64_t *ids;
	clv_customer *c = summary_from_log(&n, &ids);
	clv_customer *f = load("cdnow_customers_summary_with_transactions.csv", &nf);
	clv_customer *g = load("cdnow_customers_summary.csv", &nf);
	assert_int_equal(n, 2357);
	assert_int_equal(nf, 2357);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ids[i], (int64_t)i + 1); /* the file's ID column */
		if (c[i].x != f[i].x || fabs(c[i].t_x - f[i].t_x) > 0.005 + 1e-9 || fabs(c[i].T - f[i].T) > 0.005 + 1e-9 ||
			fabs(c[i].m - f[i].m) > 0.005 + 1e-9)
			fail_msg("customer %zu: built %g %.4f %.4f %.4f, file %g %.2f %.2f %.2f", i + 1, c[i].x, c[i].t_x,
				c[i].T, c[i].m, f[i].x, f[i].t_x, f[i].T, f[i].m);
		/* the two files agree on the purchase columns */
		assert_true(f[i].x == g[i].x && f[i].t_x == g[i].t_x && f[i].T == g[i].T);
	}
	/* customer 1 (master 00004): purchases on 1997-01-01, -01-18 and
	** -08-02 before the end: two repeats, 213 days, 272 days */
	assert_true(c[0].x == 2);
	assert_true(fabs(c[0].t_x - 213 / 7.0) < 1e-12);
	assert_true(fabs(c[0].T - 272 / 7.0) < 1e-12);
	assert_true(fabs(c[0].m - (29.73 + 14.96) / 2) < 1e-9);
	free(c);
	free(ids);
	free(f);
	free(g);
}

/* Same-day records merge, later purchases and later customers are left
** out, and T runs to the end day. */
static void test_summary_rules(void **state)
{
	(void)state;
	const clv_txn t[] = {
		{7, 100, 10}, {7, 100, 5}, /* first day: two records, one purchase */
		{7, 107, 20}, {7, 107, 4}, /* one repeat of 24 */
		{7, 121, 6},               /* another of 6 */
		{7, 200, 99},              /* after the end */
		{3, 150, 1},               /* a single purchase */
		{9, 181, 50},              /* first purchase after the end */
	};
	clv_customer *c;
	int64_t *ids;
	size_t n;
	rp_err e = {0};
	assert_int_equal(clv_summarise(t, sizeof t / sizeof *t, 170, 7, &c, &ids, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 7);
	assert_true(c[0].x == 0 && c[0].t_x == 0 && c[0].T == 20 / 7.0 && c[0].m == 0);
	assert_true(c[1].x == 2 && c[1].t_x == 3 && c[1].T == 10 && c[1].m == 15);
	free(c);
	free(ids);

	const clv_txn bad[] = {{1, 1, 2}, {1, 2, -3}};
	assert_int_equal(clv_summarise(bad, 2, 10, 7, &c, NULL, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "transaction 2"));
	assert_int_equal(clv_summarise(t, 1, 10, 0, &c, NULL, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "time unit"));
	assert_int_equal(clv_summarise(t, 0, 10, 7, &c, NULL, &n, &e), RP_EINVAL);
}

/* The published figures come from exact day counts: fitted on the summary
** built from the log, every one is reproduced to the digits printed. */
static void test_fit_cdnow_log(void **state)
{
	(void)state;
	size_t n;
	int64_t *ids;
	clv_customer *c = summary_from_log(&n, &ids);
	rp_err e = {0};
	clv_fit fi;
	clv_bgnbd bg;
	if (clv_bgnbd_fit(c, n, &bg, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("log BG/NBD r=%.5f alpha=%.5f a=%.5f b=%.5f LL=%.3f\n", bg.r, bg.alpha, bg.a, bg.b, fi.ll);
	published_bgnbd(&bg, &fi);

	clv_pnbd pn;
	if (clv_pnbd_fit(c, n, &pn, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("log Pareto/NBD r=%.5f alpha=%.5f s=%.5f beta=%.5f LL=%.3f (se %.4f %.4f %.4f %.4f)\n", pn.r,
		pn.alpha, pn.s, pn.beta, fi.ll, fi.se[0], fi.se[1], fi.se[2], fi.se[3]);
	published_pnbd(&pn, &fi, 0.001);

	clv_gg gg;
	if (clv_gg_fit(c, n, &gg, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("log Gamma-Gamma p=%.5f q=%.5f gamma=%.5f LL=%.3f (se %.4f %.4f %.4f)\n", gg.p, gg.q, gg.gamma,
		fi.ll, fi.se[0], fi.se[1], fi.se[2]);
	published_gg(&gg, 0.005);
	free(c);
	free(ids);
}

/* ---- gradients and special functions ------------------------------------------ */

typedef double (*ll_fn)(const double *p, const clv_customer *c, size_t n, double *g);

static double bg_ll(const double *p, const clv_customer *c, size_t n, double *g)
{
	clv_bgnbd m = {p[0], p[1], p[2], p[3]};
	return clv_bgnbd_ll(&m, c, n, g);
}

static double pn_ll(const double *p, const clv_customer *c, size_t n, double *g)
{
	clv_pnbd m = {p[0], p[1], p[2], p[3]};
	return clv_pnbd_ll(&m, c, n, g);
}

static double gg_ll(const double *p, const clv_customer *c, size_t n, double *g)
{
	clv_gg m = {p[0], p[1], p[2]};
	return clv_gg_ll(&m, c, n, g);
}

/* The analytic gradient against five-point central differences (step 1e-4
** of each parameter: truncation error of order 1e-16 and rounding of order
** 1e-7 here). */
static void check_gradient(const char *what, ll_fn f, const double *p0, int k, const clv_customer *c, size_t n)
{
	double g[4], p[4];
	memcpy(p, p0, k * sizeof *p);
	f(p, c, n, g);
	for (int i = 0; i < k; i++) {
		double h = 1e-4 * p0[i], v[4];
		const double at[4] = {-2, -1, 1, 2};
		for (int j = 0; j < 4; j++) {
			p[i] = p0[i] + at[j] * h;
			v[j] = f(p, c, n, NULL);
		}
		p[i] = p0[i];
		double fd = (v[0] - 8 * v[1] + 8 * v[2] - v[3]) / (12 * h);
		if (!(fabs(fd - g[i]) <= 1e-6 * (fabs(g[i]) + 1)))
			fail_msg("%s at (%g, %g, %g, %g): d/dp%d analytic %.10g, finite differences %.10g", what, p0[0],
				p0[1], p0[2], k > 3 ? p0[3] : 0, i, g[i], fd);
	}
}

typedef double (*hess_fn)(const double *p, const clv_customer *c, size_t n, double *g, double *h);

static double bg_hess(const double *p, const clv_customer *c, size_t n, double *g, double *h)
{
	clv_bgnbd m = {p[0], p[1], p[2], p[3]};
	return clv_bgnbd_hessian(&m, c, n, g, h);
}

static double gg_hess(const double *p, const clv_customer *c, size_t n, double *g, double *h)
{
	clv_gg m = {p[0], p[1], p[2]};
	return clv_gg_hessian(&m, c, n, g, h);
}

/* An analytic Hessian against central differences of the analytic gradient
** (step 1e-5 of each parameter: truncation of order 1e-10, rounding of
** order 1e-6 relative here), and symmetric. */
static void check_hessian(const char *what, hess_fn f, const double *p0, int k, const clv_customer *c, size_t n)
{
	double h[16], g[4], gp[4], gm[4], p[4];
	memcpy(p, p0, k * sizeof *p);
	f(p, c, n, g, h);
	for (int i = 0; i < k; i++) {
		double step = 1e-5 * p0[i];
		p[i] = p0[i] + step;
		f(p, c, n, gp, NULL);
		p[i] = p0[i] - step;
		f(p, c, n, gm, NULL);
		p[i] = p0[i];
		for (int j = 0; j < k; j++) {
			double fd = (gp[j] - gm[j]) / (2 * step), an = h[j * k + i];
			if (!(fabs(fd - an) <= 1e-5 * (fabs(an) + 1)))
				fail_msg("%s at (%g, %g, %g, %g): d2/dp%d dp%d analytic %.10g, differences %.10g", what,
					p0[0], p0[1], p0[2], k > 3 ? p0[3] : 0, j, i, an, fd);
			if (h[j * k + i] != h[i * k + j])
				fail_msg("%s Hessian not symmetric at (%d, %d)", what, i, j);
		}
	}
}

static void test_gradients(void **state)
{
	(void)state;
	size_t n;
	clv_customer *c = load("cdnow_customers_summary_with_transactions.csv", &n);
	const double bg[][4] = {{0.243, 4.414, 0.793, 2.426}, {0.5, 3, 1.5, 2}, {2, 40, 0.2, 5}};
	for (size_t i = 0; i < sizeof bg / sizeof *bg; i++)
	{
		check_gradient("BG/NBD", bg_ll, bg[i], 4, c, n);
		check_hessian("BG/NBD", bg_hess, bg[i], 4, c, n);
	}
	/* both branches of the Pareto/NBD closed form (alpha below and above
	** beta), close to where they meet, and far from it (z near 1) */
	const double pn[][4] = {{0.553, 10.578, 0.606, 11.669}, {0.553, 11.669, 0.606, 10.578},
		{0.8, 10, 1.2, 10.0001}, {2, 0.05, 3, 20}, {0.5, 30, 1.5, 0.02}};
	/* (the last two take GSL's 2F1 and quadrature for many customers: the
	** first 300 of them are enough) */
	for (size_t i = 0; i < sizeof pn / sizeof *pn; i++)
		check_gradient("Pareto/NBD", pn_ll, pn[i], 4, c, i < 3 ? n : 300);
	const double gg[][3] = {{6.25, 3.74, 15.44}, {1, 2, 50}, {20, 0.5, 3}};
	for (size_t i = 0; i < sizeof gg / sizeof *gg; i++) {
		check_gradient("Gamma-Gamma", gg_ll, gg[i], 3, c, n);
		check_hessian("Gamma-Gamma", gg_hess, gg[i], 3, c, n);
	}
	free(c);
}

/* 2F1 against closed forms, including z close to 1 where the series
** converges slowly: 2F1(1, b; 2; z) = ((1-z)^(1-b) - 1) / (z (b-1)) (the
** shape the Pareto/NBD uses, c = a + 1) and 2F1(a, b; b; z) = (1-z)^-a. */
static void test_hyp2f1(void **state)
{
	(void)state;
	const double zs[] = {0.1, 0.5, 0.9, 0.99, 0.9975, 0.9999};
	for (size_t i = 0; i < sizeof zs / sizeof *zs; i++) {
		double z = zs[i];
		for (double b = 0.5; b < 6; b += 1.25) {
			double want = (pow(1 - z, 1 - b) - 1) / (z * (b - 1));
			double got = clv_2f1(1, b, 2, z);
			if (!(fabs(got - want) <= 1e-9 * fabs(want)))
				fail_msg("2F1(1, %g; 2; %g) = %.15g, want %.15g", b, z, got, want);
			want = pow(1 - z, -2.5);
			got = clv_2f1(2.5, b, b, z);
			if (!(fabs(got - want) <= 1e-9 * fabs(want)))
				fail_msg("2F1(2.5, %g; %g; %g) = %.15g, want %.15g", b, b, z, got, want);
		}
	}
	/* whole-number parameters close to z = 1, where GSL's own answer is
	** off by 5e-4: sum_n (3)_n z^n / (n! (6+n)) * 6, by its series */
	double want = 0, t = 1;
	for (int n = 0; n < 200000; n++) {
		want += t * 6 / (6 + n);
		t *= (3.0 + n) / (n + 1) * 0.9975;
	}
	near("2F1(6, 3; 7; 0.9975)", clv_2f1(6, 3, 7, 0.9975), want, 1e-9 * want);
	assert_true(clv_2f1(3, 4, 5, 0) == 1);
}

/* One customer's Pareto/NBD likelihood from its integral, summed by
** Simpson's rule over v = log(min(alpha, beta) + y) (smooth even when the
** integrand is a spike at t_x), against the closed form on both branches. */
static double pnbd_by_quadrature(const clv_pnbd *m, const clv_customer *k)
{
	double r = m->r, al = m->alpha, s = m->s, be = m->beta, x = k->x;
	double lead = lgamma(r + x) - lgamma(r) + r * log(al) + s * log(be);
	double A = pow(al + k->T, -(r + x)) * pow(be + k->T, -s);
	double lo = fmin(al, be), v0 = log(lo + k->t_x), v1 = log(lo + k->T);
	const int steps = 20000;
	double h = (v1 - v0) / steps, sum = 0;
	for (int i = 0; i <= steps; i++) {
		double v = v0 + i * h, y = exp(v) - lo;
		double f = pow(al + y, -(r + x)) * pow(be + y, -(s + 1)) * exp(v);
		sum += f * (i == 0 || i == steps ? 1 : i % 2 ? 4 : 2);
	}
	return lead + log(A + s * sum * h / 3);
}

static void test_pnbd_closed_form(void **state)
{
	(void)state;
	const clv_pnbd ms[] = {{0.553, 10.578, 0.606, 11.669}, {0.553, 11.669, 0.606, 10.578}, {0.8, 10, 1.2, 10},
		{2, 0.05, 3, 20}, {0.5, 30, 1.5, 0.02}};
	const clv_customer cs[] = {{2, 30.43, 38.86, 0}, {0, 0, 38.86, 0}, {10, 5, 39, 0}, {26, 30.86, 31, 0},
		{1, 0.14, 27, 0}};
	for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
		for (size_t j = 0; j < sizeof cs / sizeof *cs; j++) {
			double got = clv_pnbd_ll(&ms[i], &cs[j], 1, NULL), want = pnbd_by_quadrature(&ms[i], &cs[j]);
			if (!(fabs(got - want) <= 1e-9 * (1 + fabs(want))))
				fail_msg("model %zu customer %zu: log-likelihood %.15g, by quadrature %.15g", i, j, got, want);
		}
	/* the two branches meet at alpha = beta */
	clv_pnbd a = {0.7, 9, 0.9, 9 * (1 - 1e-9)}, b = {0.7, 9, 0.9, 9 * (1 + 1e-9)};
	for (size_t j = 0; j < sizeof cs / sizeof *cs; j++)
		assert_true(fabs(clv_pnbd_ll(&a, &cs[j], 1, NULL) - clv_pnbd_ll(&b, &cs[j], 1, NULL)) < 1e-7);
}

/* ---- predictions and value ----------------------------------------------------- */

static void test_predictions(void **state)
{
	(void)state;
	/* FHL 2005: with the published estimates, a customer with two repeat
	** purchases, the last at 30.43 weeks, observed for 38.86 weeks, is
	** expected to make 1.226 purchases in the next 39 weeks. */
	const clv_bgnbd bg = {0.243, 4.414, 0.793, 2.426};
	const clv_customer one = {2, 30.43, 38.86, 0};
	near("BG/NBD E[Y(39)]", clv_bgnbd_expected(&bg, &one, 39), 1.226, 0.0005);
	/* no repeat purchase: nothing to drop out after */
	const clv_customer none = {0, 0, 38.86, 0};
	assert_true(clv_bgnbd_alive(&bg, &none) == 1);
	double p = clv_bgnbd_alive(&bg, &one);
	assert_true(p > 0 && p < 1);
	/* and the same customer seen more recently is likelier to be there */
	const clv_customer recent = {2, 38, 38.86, 0};
	assert_true(clv_bgnbd_alive(&bg, &recent) > p);
	/* expectations grow with the horizon, and a new customer's from 0 */
	assert_true(clv_bgnbd_expected_new(&bg, 0) == 0);
	assert_true(clv_bgnbd_expected(&bg, &one, 52) > clv_bgnbd_expected(&bg, &one, 39));
	/* E[X(t)] of a new customer is the limit of E[Y(t)] at x = 0, T = 0 */
	const clv_customer fresh = {0, 0, 0, 0};
	near("BG/NBD new", clv_bgnbd_expected(&bg, &fresh, 39), clv_bgnbd_expected_new(&bg, 39), 1e-9);

	const clv_pnbd pn = {0.553, 10.578, 0.606, 11.669};
	near("Pareto/NBD new", clv_pnbd_expected(&pn, &fresh, 39), clv_pnbd_expected_new(&pn, 39), 1e-9);
	assert_true(fabs(clv_pnbd_alive(&pn, &fresh) - 1) < 1e-12);
	double q = clv_pnbd_alive(&pn, &one);
	assert_true(q > 0 && q < 1 && clv_pnbd_alive(&pn, &recent) > q);
	/* s = 1 is the limit of the expectation's (1 - ratio^(s-1))/(s-1) */
	clv_pnbd s1 = pn, s1b = pn;
	s1.s = 1;
	s1b.s = 1 + 1e-7;
	near("s = 1", clv_pnbd_expected(&s1, &one, 39), clv_pnbd_expected(&s1b, &one, 39), 1e-6);

	/* note 025: E[Z] = p gamma / (q - 1) with no repeat purchase, and the
	** mix of it with the customer's own mean otherwise */
	const clv_gg gg = {6.25, 3.74, 15.44};
	near("population spend", clv_gg_spend(&gg, &none), 6.25 * 15.44 / 2.74, 1e-12);
	const clv_customer spender = {2, 30.43, 38.86, 22.35};
	double w = 6.25 * 2 / (6.25 * 2 + 3.74 - 1);
	near("customer spend", clv_gg_spend(&gg, &spender), (1 - w) * 6.25 * 15.44 / 2.74 + w * 22.35, 1e-9);
}

static void test_value(void **state)
{
	(void)state;
	const clv_model models[] = {{.kind = CLV_BGNBD, .bg = {0.243, 4.414, 0.793, 2.426}},
		{.kind = CLV_PNBD, .pn = {0.553, 10.578, 0.606, 11.669}}};
	const clv_gg gg = {6.25, 3.74, 15.44};
	const clv_customer c = {2, 30.43, 38.86, 22.35};
	const double month = 365.25 / 12 / 7;
	for (size_t i = 0; i < 2; i++) {
		const clv_model *m = &models[i];
		double spend = clv_gg_spend(&gg, &c);
		/* undiscounted, the periods add up to the whole horizon */
		clv_horizon flat = {12, month, 0, 1};
		near("undiscounted", clv_value(m, &gg, &c, &flat), clv_expected(m, &c, 12 * month) * spend, 1e-9);
		/* discounted: each month's purchases at (1 + d)^-k, times margin */
		clv_horizon h = {12, month, 0.01, 0.3};
		double want = 0, before = 0;
		for (int k = 1; k <= 12; k++) {
			double upto = clv_expected(m, &c, k * month);
			want += (upto - before) * spend * 0.3 / pow(1.01, k);
			before = upto;
		}
		near("discounted", clv_value(m, &gg, &c, &h), want, 1e-9);
		assert_true(clv_value(m, &gg, &c, &h) < 0.3 * clv_value(m, &gg, &c, &flat));
		assert_true(clv_alive(m, &c) > 0 && clv_alive(m, &c) < 1);
	}
}

/* ---- recovering known parameters from simulated data --------------------------- */

#define SIM_N 20000
#define SIM_SEED 20250611

/* Observation periods like a cohort's: 30 to 60 weeks. */
static double sim_T(gsl_rng *g)
{
	return 30 + 30 * gsl_rng_uniform(g);
}

/* BG/NBD: purchases at rate lambda; after each repeat purchase a coin
** with probability p ends the customer's activity. */
static void sim_bgnbd(gsl_rng *g, const clv_bgnbd *m, clv_customer *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double lambda = gsl_ran_gamma(g, m->r, 1 / m->alpha), p = gsl_ran_beta(g, m->a, m->b);
		double T = sim_T(g), t = 0, x = 0, tx = 0;
		for (;;) {
			t += gsl_ran_exponential(g, 1 / lambda);
			if (t > T)
				break;
			x++;
			tx = t;
			if (gsl_rng_uniform(g) < p)
				break;
		}
		c[i] = (clv_customer){x, tx, T, 0};
	}
}

/* Pareto/NBD: purchases at rate lambda until an exponential lifetime of
** rate mu ends. */
static void sim_pnbd(gsl_rng *g, const clv_pnbd *m, clv_customer *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double lambda = gsl_ran_gamma(g, m->r, 1 / m->alpha), mu = gsl_ran_gamma(g, m->s, 1 / m->beta);
		double T = sim_T(g), life = gsl_ran_exponential(g, 1 / mu), end = fmin(T, life);
		double t = 0, x = 0, tx = 0;
		for (;;) {
			t += gsl_ran_exponential(g, 1 / lambda);
			if (t > end)
				break;
			x++;
			tx = t;
		}
		c[i] = (clv_customer){x, tx, T, 0};
	}
}

/* Gamma-Gamma: 1 to 8 repeat purchases, each worth Gamma(p, nu), nu a
** customer's own Gamma(q, gamma) draw. */
static void sim_gg(gsl_rng *g, const clv_gg *m, clv_customer *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double nu = gsl_ran_gamma(g, m->q, 1 / m->gamma), x = 1 + (double)gsl_rng_uniform_int(g, 8), sum = 0;
		for (int k = 0; k < x; k++)
			sum += gsl_ran_gamma(g, m->p, 1 / nu);
		c[i] = (clv_customer){x, 0, 0, sum / x};
	}
}

/* Each estimate within 4 of its standard errors (from the fit's Hessian)
** and within rel of the truth: a fit that is biased or whose standard
** errors are wrong fails one or the other. */
static void recovered(const char *what, const double *got, const double *truth, const double *se, int k, double rel)
{
	for (int i = 0; i < k; i++) {
		print_message("  %s[%d]: true %.4f, estimate %.4f (se %.4f, %+.2f se, %+.1f%%)\n", what, i, truth[i],
			got[i], se[i], (got[i] - truth[i]) / se[i], 100 * (got[i] - truth[i]) / truth[i]);
		if (!(fabs(got[i] - truth[i]) <= 4 * se[i]) || !(fabs(got[i] - truth[i]) <= rel * truth[i]))
			fail_msg("%s parameter %d: true %g, estimate %g, standard error %g", what, i, truth[i], got[i], se[i]);
	}
}

static void test_simulated(void **state)
{
	(void)state;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	assert_non_null(g);
	gsl_rng_set(g, SIM_SEED);
	clv_customer *c = malloc(SIM_N * sizeof *c);
	assert_non_null(c);
	rp_err e = {0};
	clv_fit fi;
	double t0;

	const clv_bgnbd bg = {0.25, 4, 0.8, 2.5};
	sim_bgnbd(g, &bg, c, SIM_N);
	clv_bgnbd bgf;
	t0 = seconds();
	if (clv_bgnbd_fit(c, SIM_N, &bgf, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("BG/NBD on %d simulated customers (%.3f s, %d iterations%s):\n", SIM_N, seconds() - t0, fi.iterations, fi.fallback ? ", Nelder-Mead" : "");
	recovered("BG/NBD", &bgf.r, &bg.r, fi.se, 4, 0.15);

	const clv_pnbd pn = {0.55, 10.5, 0.6, 12};
	sim_pnbd(g, &pn, c, SIM_N);
	clv_pnbd pnf;
	t0 = seconds();
	if (clv_pnbd_fit(c, SIM_N, &pnf, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("Pareto/NBD on %d simulated customers (%.3f s, %d iterations%s):\n", SIM_N, seconds() - t0, fi.iterations, fi.fallback ? ", Nelder-Mead" : "");
	recovered("Pareto/NBD", &pnf.r, &pn.r, fi.se, 4, 0.15);

	const clv_gg gg = {6, 4, 15};
	sim_gg(g, &gg, c, SIM_N);
	clv_gg ggf;
	t0 = seconds();
	if (clv_gg_fit(c, SIM_N, &ggf, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("Gamma-Gamma on %d simulated customers (%.3f s, %d iterations%s):\n", SIM_N, seconds() - t0, fi.iterations, fi.fallback ? ", Nelder-Mead" : "");
	recovered("Gamma-Gamma", &ggf.p, &gg.p, fi.se, 3, 0.15);

	free(c);
	gsl_rng_free(g);
}

/* Above 20,000 distinct customers a fit starts from the fit of a sample,
** then takes Newton steps on all of them: the point it stops at must be
** the optimum of all the data (no gradient, and every parameter moved a
** little either way lowers the log-likelihood), not the sample's. */
#define BIG_N 45000

static void test_sampled_start(void **state)
{
	(void)state;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	assert_non_null(g);
	gsl_rng_set(g, SIM_SEED + 1);
	clv_customer *c = malloc(BIG_N * sizeof *c);
	assert_non_null(c);
	const clv_bgnbd truth = {0.25, 4, 0.8, 2.5};
	sim_bgnbd(g, &truth, c, BIG_N);
	clv_bgnbd m;
	clv_fit fi;
	rp_err e = {0};
	double t0 = seconds();
	if (clv_bgnbd_fit(c, BIG_N, &m, &fi, &e))
		fail_msg("%s", e.msg);
	print_message("BG/NBD on %d simulated customers from a sample's fit (%.3f s, %d iterations)\n", BIG_N,
		      seconds() - t0, fi.iterations);
	double grad[4], ll = clv_bgnbd_ll(&m, c, BIG_N, grad);
	assert_true(fabs(ll - fi.ll) < 1e-6 * fabs(ll));
	for (int i = 0; i < 4; i++) {
		double *p = &m.r + i, keep = *p;
		/* d ll / d log p, per customer */
		assert_true(fabs(grad[i] * keep) / BIG_N < 1e-7);
		for (int s = -1; s <= 1; s += 2) {
			*p = keep * (1 + s * 1e-3);
			assert_true(clv_bgnbd_ll(&m, c, BIG_N, NULL) < ll);
		}
		*p = keep;
	}
	recovered("BG/NBD", &m.r, &truth.r, fi.se, 4, 0.15);
	free(c);
	gsl_rng_free(g);
}

/* ---- grouping ----------------------------------------------------------------- */

static int by3(const void *pa, const void *pb)
{
	const clv_customer *a = pa, *b = pb;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	return (a->T > b->T) - (a->T < b->T);
}

static int by2(const void *pa, const void *pb)
{
	const clv_customer *a = pa, *b = pb;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return (a->m > b->m) - (a->m < b->m);
}

/* clv_distinct against sorting every customer and counting the runs. */
static void check_distinct(const clv_customer *c, size_t n, int keys)
{
	int (*cmp)(const void *, const void *) = keys == 3 ? by3 : by2;
	clv_customer *all = malloc(n * sizeof *all), *d;
	double *w;
	size_t nd, j = 0;
	rp_err e = {0};
	assert_non_null(all);
	memcpy(all, c, n * sizeof *all);
	qsort(all, n, sizeof *all, cmp);
	if (clv_distinct(c, n, keys, &d, &w, &nd, &e))
		fail_msg("%s", e.msg);
	for (size_t i = 0; i < n; j++) {
		size_t i0 = i;
		while (++i < n && !cmp(&all[i], &all[i0]))
			;
		if (j >= nd || cmp(&d[j], &all[i0]) || w[j] != (double)(i - i0))
			fail_msg("group %zu of %zu (keys %d): got x=%g t_x=%g T=%g m=%g weight %g, want x=%g t_x=%g T=%g "
				 "m=%g weight %zu",
				j, nd, keys, j < nd ? d[j].x : NAN, j < nd ? d[j].t_x : NAN, j < nd ? d[j].T : NAN,
				j < nd ? d[j].m : NAN, j < nd ? w[j] : NAN, all[i0].x, all[i0].t_x, all[i0].T, all[i0].m,
				i - i0);
	}
	assert_int_equal(j, nd);
	free(all);
	free(d);
	free(w);
}

/* The packed path (x small, few distinct times, the times of whole days),
** with -0 counted as 0 and x = 0 with t_x (m) = 0 counted apart, and the
** general path (x too large to pack, or more
** distinct values than pack). */
static void test_distinct(void **state)
{
	(void)state;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	assert_non_null(g);
	gsl_rng_set(g, SIM_SEED + 2);
	enum { N = 30000 };
	clv_customer *c = malloc(N * sizeof *c);
	assert_non_null(c);
	for (size_t i = 0; i < N; i++) {
		double T = (double)(200 + gsl_rng_uniform_int(g, 73)) / 7, x = (double)gsl_rng_uniform_int(g, 4);
		double tx = x ? (double)gsl_rng_uniform_int(g, (unsigned long)(T * 7)) / 7 : (i % 2 ? -0.0 : 0.0);
		c[i] = (clv_customer){x, tx, T, x ? (double)gsl_rng_uniform_int(g, 300) / 4 : 0};
		/* without a repeat purchase but with a recency or a spend: not
		** counted with the others of x = 0 */
		if (!x && i % 7 == 0)
			c[i].t_x = c[i].m = (double)(i % 3);
	}
	check_distinct(c, N, 3);
	check_distinct(c, N, 2);
	check_distinct(c, 1, 3);
	for (size_t i = 0; i < N; i += 3)
		c[i].x = 0x1p30 + (double)(i % 5);
	check_distinct(c, N, 3);
	check_distinct(c, N, 2);
	/* every value distinct: more than 2^20 of them takes the general way */
	enum { M = (1 << 20) + 5 };
	clv_customer *u = malloc(M * sizeof *u);
	assert_non_null(u);
	for (size_t i = 0; i < M; i++)
		u[i] = (clv_customer){(double)(i % 3), (double)(M - i) / 3, (double)(M - i) / 3 + 1, (double)(i % 7)};
	check_distinct(u, M, 3);
	free(u);
	free(c);
	gsl_rng_free(g);
}

/* ---- errors ------------------------------------------------------------------- */

static void test_errors(void **state)
{
	(void)state;
	rp_err e = {0};
	clv_bgnbd bg;
	clv_pnbd pn;
	clv_gg gg;
	assert_int_equal(clv_bgnbd_fit(NULL, 0, &bg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "no customers"));
	const clv_customer late[] = {{1, 2, 3, 5}, {2, 9, 8, 5}};
	assert_int_equal(clv_pnbd_fit(late, 2, &pn, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "customer 2: recency t_x=9 is after"));
	const clv_customer neg[] = {{1, 2, 3, 5}, {1, 1, -3, 5}};
	assert_int_equal(clv_bgnbd_fit(neg, 2, &bg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "customer 2: negative value"));
	const clv_customer frac[] = {{1.5, 2, 3, 5}};
	assert_int_equal(clv_bgnbd_fit(frac, 1, &bg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "not a whole number"));
	const clv_customer nan_[] = {{1, NAN, 3, 5}};
	assert_int_equal(clv_gg_fit(nan_, 1, &gg, NULL, &e), RP_EINVAL);
	const clv_customer idle[] = {{0, 0, 3, 0}, {0, 0, 5, 0}};
	assert_int_equal(clv_bgnbd_fit(idle, 2, &bg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "none of the 2 customers made a repeat purchase"));
	assert_int_equal(clv_pnbd_fit(idle, 2, &pn, NULL, &e), RP_EINVAL);
	assert_int_equal(clv_gg_fit(idle, 2, &gg, NULL, &e), RP_EINVAL);
	const clv_customer free_[] = {{0, 0, 3, 0}, {2, 1, 5, 0}};
	assert_int_equal(clv_gg_fit(free_, 2, &gg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "customer 2: 2 repeat purchases but a mean spend of 0"));
	/* one repeat buyer cannot pin down four parameters */
	const clv_customer few[] = {{1, 1, 5, 3}};
	int rc = clv_bgnbd_fit(few, 1, &bg, NULL, &e);
	assert_int_equal(rc, RP_EINVAL);
	assert_non_null(strstr(e.msg, "1 distinct customer summary cannot determine 4 parameters"));
	/* nor can three different ones */
	const clv_customer three[] = {{1, 1, 5, 3}, {0, 0, 4, 0}, {1, 1, 5, 3}, {2, 3, 6, 2}};
	assert_int_equal(clv_bgnbd_fit(three, 4, &bg, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "3 distinct customer summaries cannot determine 4 parameters"));

	clv_customer *c = NULL;
	size_t n;
	const char *nocol = "ID,frequency,T\n1,2,3\n";
	assert_int_equal(clv_load_summary(nocol, strlen(nocol), &c, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 1: the header has no recency column"));
	const char *bad = "frequency,recency,T\n1,2,3\n2,x,3\n";
	assert_int_equal(clv_load_summary(bad, strlen(bad), &c, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3: recency 'x' is not a number"));
	const char *after = "x,t_x,T\n1,2,3\n2,4,3\n";
	assert_int_equal(clv_load_summary(after, strlen(after), &c, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3: recency t_x=4 is after"));
	const char *empty = "frequency,recency,T\n";
	assert_int_equal(clv_load_summary(empty, strlen(empty), &c, &n, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "no customers"));
	assert_null(c);
	/* the lifetimes names, extra columns and spend */
	const char *ok = "customer_id,frequency,recency,T,monetary_value\r\n7,2,30.43,38.86,22.35\r\n8,0,0,38.86,0\r\n";
	assert_int_equal(clv_load_summary(ok, strlen(ok), &c, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(c[0].x == 2 && c[0].t_x == 30.43 && c[0].T == 38.86 && c[0].m == 22.35 && c[1].T == 38.86);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bgnbd_cdnow),
		cmocka_unit_test(test_pnbd_cdnow),
		cmocka_unit_test(test_gg_cdnow),
		cmocka_unit_test(test_summary_cdnow),
		cmocka_unit_test(test_summary_rules),
		cmocka_unit_test(test_fit_cdnow_log),
		cmocka_unit_test(test_gradients),
		cmocka_unit_test(test_hyp2f1),
		cmocka_unit_test(test_pnbd_closed_form),
		cmocka_unit_test(test_predictions),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_simulated),
		cmocka_unit_test(test_sampled_start),
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("clv", tests, NULL, NULL);
}
