/*
** model/fit: what the CLV fits share (internal to model/).
*/
#ifndef RP_MODEL_FIT_H
#define RP_MODEL_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "model/clv.h"

/* clv_check for one customer, the message without naming it. */
int clv_check_one(const clv_customer *k, rp_err *e);

/* Customers with the same summary give the same likelihood: the fits work
** on the distinct ones, each weighted by how many there are (CDNOW's 2,357
** customers are 1,100 distinct triples).  keys: 3 compares (x, t_x, T), 2
** compares (x, m); the distinct customers come sorted by those, with the
** other fields 0.  *w gets the weights; both arrays are malloc'd.  The
** customers must have passed clv_check. */
int clv_distinct(const clv_customer *c, size_t n, int keys, clv_customer **out, double **w, size_t *nout,
	rp_err *e);

/* The objective the optimiser minimises: minus the mean log-likelihood at
** exp(theta), and when grad is not NULL its gradient in theta; when hess is
** not NULL (and grad too), its Hessian in theta (row-major k x k), or NaN
** in hess[0] when the model has none. */
typedef double (*clv_objective)(const double *theta, double *grad, double *hess, void *ctx);

/* Minimise f over k <= 4 log-parameters from theta (updated in place); n
** is the number of customers f averages over (for the standard errors);
** warm says theta is near the optimum (Newton's steps first).
** what names the model in error messages.  info gets how it went, with
** ll minus the objective at the estimate. */
int clv_minimise(clv_objective f, void *ctx, size_t k, double n, double *theta, int warm, clv_fit *info,
	const char *what, rp_err *e);

/* The distinct values of one field of the customers (CLV_T: T, CLV_TX:
** t_x), ascending, into *v (malloc'd, *nv of them), and each customer's
** index into them into idx[i]. */
enum { CLV_TX, CLV_T };
int clv_values(const clv_customer *c, size_t n, int field, double **v, uint32_t *idx, size_t *nv, rp_err *e);

/* What a model's likelihood needs of the customers that does not depend on
** its parameters (logs of the data, indexes into tables of distinct
** values), made once per fit rather than once per evaluation: make
** returns it (NULL with e set on failure), release frees it. */
typedef struct clv_prep {
	void *(*make)(const clv_customer *c, size_t n, rp_err *e);
	void (*release)(void *prep);
} clv_prep;

/* A model's log-likelihood at natural parameters p, summed over customers
** each weighted by w[i] (1 when w is NULL); prep is what the model's
** clv_prep made of these customers (NULL when it has none); g (may be
** NULL) gets its gradient in p, and h (may be NULL; only with g) its
** Hessian in p, row-major, when the model has one: a model without leaves
** h alone. */
typedef double (*clv_llfn)(const double *p, const clv_customer *c, const double *w, size_t n, void *prep,
	double *g, double *h);

/* Fit a model of k parameters by maximum likelihood (prep may be NULL):
** p holds the starting
** point and gets the estimate; total is the number of customers the
** likelihood covers; keys as for clv_distinct.  info (may be NULL) gets
** how it went, ll included. */
int clv_fit_ml(clv_llfn ll, const clv_prep *prep, size_t k, const clv_customer *c, size_t n, int keys, double total, double *p,
	clv_fit *info, const char *what, rp_err *e);

/* For the purchase models: the data checked, and at least one repeat
** purchase; *sx and *sT get the sums of x and T. */
int clv_need_repeats(const clv_customer *c, size_t n, const char *what, double *sx, double *sT, rp_err *e);

/* Gauss's 2F1(a, b; c; z) for 0 <= z < 1: GSL's when it reports success
** with a small error (and can be trusted to, see fit.c), otherwise the
** power series or Euler's integral.  NaN when none works. */
double clv_2f1(double a, double b, double c, double z);

/* GSL reports errors by aborting unless told otherwise: the model code
** reads status codes instead. */
void clv_gsl_quiet(void);

#endif
