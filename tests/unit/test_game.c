/* model/game: the engine against published results of the theory: when
** tit-for-tat cannot be invaded, generous tit-for-tat's forgiveness, and
** Nowak & May's spatial game; then tournaments and a community answered by
** a company policy.  No store. */
#include "testlib.h"

#include <math.h>

#include "model/game.h"

static const game_payoffs PD = {5, 3, 1, 0};

/* ---- payoffs and the bounds of the theory ------------------------------------ */

static void test_payoffs_checked(void **state)
{
	(void)state;
	rp_err e = {0};
	assert_int_equal(game_payoffs_check(&PD, &e), 0);
	assert_int_equal(game_payoffs_check(&(game_payoffs){3, 5, 1, 0}, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "T > R > P > S"));
	assert_int_equal(game_payoffs_check(&(game_payoffs){5, 3, 1, 1}, &e), RP_EINVAL);
	/* 2R = 6 < T + S = 7: taking turns at exploiting pays more than cooperating. */
	assert_int_equal(game_payoffs_check(&(game_payoffs){7, 3, 1, 0}, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "2R > T + S"));
	assert_int_equal(game_payoffs_check(&(game_payoffs){NAN, 3, 1, 0}, &e), RP_EINVAL);
	game_rules r = game_rules_default();
	r.noise = 0.5;
	assert_int_equal(game_rules_check(&r, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "noise"));
	r = game_rules_default();
	r.w = 1;
	assert_int_equal(game_rules_check(&r, &e), RP_EINVAL);
	r = game_rules_default();
	r.rounds = 0;
	assert_int_equal(game_rules_check(&r, &e), RP_EINVAL);
}

static void test_bounds(void **state)
{
	(void)state;
	assert_float_equal(game_tft_bound_alld(&PD), 0.5, 1e-15);          /* (T-R)/(T-P) = 2/4 */
	assert_float_equal(game_tft_bound_alternate(&PD), 2.0 / 3, 1e-15); /* (T-R)/(R-S) = 2/3 */
	assert_float_equal(game_tft_stable_w(&PD), 2.0 / 3, 1e-15);
	/* min(1 - (T-R)/(R-S), (R-P)/(T-P)) = min(1/3, 1/2) */
	assert_float_equal(game_gtft_forgiveness(&PD), 1.0 / 3, 1e-15);
	/* The other term binds for 4,3,2,0: min(1 - 1/3, 1/2). */
	assert_float_equal(game_gtft_forgiveness(&(game_payoffs){4, 3, 2, 0}), 0.5, 1e-15);
	assert_string_equal(game_strategy_name(GAME_WSLS), "wsls");
	assert_int_equal(game_strategy_parse("gtft"), GAME_GTFT);
	assert_int_equal(game_strategy_parse("nice"), -1);
}

/* ---- (a) tit-for-tat is collectively stable iff w >= 2/3 ---------------------- */

/* Mean payoffs of a against b over many matches of geometric length. */
static void simulate(const game_rules *r, game_strategy a, game_strategy b, int n, double *mean, double *se)
{
	game_rng rng;
	game_rng_seed(&rng, 7);
	double s = 0, ss = 0;
	for (int i = 0; i < n; i++) {
		double x = game_match(r, a, b, &rng).a;
		s += x;
		ss += x * x;
	}
	*mean = s / n;
	*se = sqrt((ss / n - *mean * *mean) / n);
}

/* An invader against a population of TFT: what it earns against TFT, next
** to what TFT earns against TFT; analytically (closed form), by the engine's
** expectation, and by 200,000 simulated matches. */
static void invasion(double w, game_strategy invader, double closed_form, int invades)
{
	game_rules r = game_rules_default();
	r.w = w;
	double tft = PD.R / (1 - w), inv, tt, dummy, m, se;
	assert_int_equal(game_match_expected(&r, GAME_TFT, GAME_TFT, &tt, &dummy, NULL), 0);
	assert_int_equal(game_match_expected(&r, invader, GAME_TFT, &inv, &dummy, NULL), 0);
	assert_float_equal(tt, tft, 1e-9);
	assert_float_equal(inv, closed_form, 1e-9);
	assert_true(invades ? inv > tft : inv < tft);
	simulate(&r, invader, GAME_TFT, 200000, &m, &se);
	assert_true(fabs(m - closed_form) < 5 * se);
	assert_true(invades ? m > tft : m < tft);
	simulate(&r, GAME_TFT, GAME_TFT, 200000, &m, &se);
	assert_true(fabs(m - tft) < 5 * se);
	print_message("w = %.2f: %s against TFT earns %.4f, TFT against TFT %.4f\n", w, game_strategy_name(invader),
		      closed_form, tft);
}

static void test_tft_stability(void **state)
{
	(void)state;
	const double T = PD.T, P = PD.P, S = PD.S;
	/* Always defect: T then P for ever, T + wP/(1-w); beats R/(1-w) iff w < 1/2. */
	invasion(0.45, GAME_ALLD, T + 0.45 * P / 0.55, 1);
	invasion(0.55, GAME_ALLD, T + 0.55 * P / 0.45, 0);
	/* Alternate D, C, ...: TFT answers C, D, ...: T, S, T, S: (T + wS)/(1 - w^2);
	** beats R/(1-w) iff w < (T-R)/(R-S) = 2/3, the bound that binds for 5,3,1,0. */
	invasion(0.60, GAME_ALTERNATE, (T + 0.60 * S) / (1 - 0.36), 1);
	invasion(0.70, GAME_ALTERNATE, (T + 0.70 * S) / (1 - 0.49), 0);
	/* Between the bounds always defect fails while alternation succeeds:
	** the stability bound is the larger of the two. */
	invasion(0.60, GAME_ALLD, T + 0.60 * P / 0.40, 0);
}

/* ---- (b) generous tit-for-tat with noise ------------------------------------- */

/* The long-run payoff per round of memory-one a against b when each move is
** flipped with probability e: the stationary distribution of the chain on
** the last round (a's move, b's move).  Independent of the engine. */
static double stationary(const double pa[4], const double pb[4], double e, const double pay[4])
{
	double pi[4] = {0.25, 0.25, 0.25, 0.25};
	for (int it = 0; it < 20000; it++) {
		double nx[4] = {0};
		for (int k = 0; k < 4; k++) {
			int kb = (k & 1) * 2 + (k >> 1); /* the same round from b's side */
			double ca = pa[k] * (1 - e) + (1 - pa[k]) * e, cb = pb[kb] * (1 - e) + (1 - pb[kb]) * e;
			nx[0] += pi[k] * ca * cb;
			nx[1] += pi[k] * ca * (1 - cb);
			nx[2] += pi[k] * (1 - ca) * cb;
			nx[3] += pi[k] * (1 - ca) * (1 - cb);
		}
		memcpy(pi, nx, sizeof pi);
	}
	return pi[0] * pay[0] + pi[1] * pay[1] + pi[2] * pay[2] + pi[3] * pay[3];
}

/* The engine's mean per round over one long noisy match. */
static double long_run(double q, double e, game_strategy a, game_strategy b)
{
	game_rules r = game_rules_default();
	r.rounds = 400000;
	r.noise = e;
	r.gtft_q = q;
	game_rng rng;
	game_rng_seed(&rng, 11);
	return game_match(&r, a, b, &rng).a / r.rounds;
}

static void test_gtft(void **state)
{
	(void)state;
	const double pay[4] = {PD.R, PD.S, PD.T, PD.P}, e = 0.01, q = game_gtft_forgiveness(&PD);
	const double alld[4] = {0, 0, 0, 0}, tft[4] = {1, 0, 1, 0};
	/* GTFT forgives a defection with probability q: after CC, CD, DC, DD. */
	double gtft[4] = {1, q, 1, q}, lax[4] = {1, 0.6, 1, 0.6};
	double gg = stationary(gtft, gtft, e, pay), dg = stationary(alld, gtft, e, pay);
	double tt = stationary(tft, tft, e, pay), dl = stationary(alld, lax, e, pay), ll = stationary(lax, lax, e, pay);
	print_message("noise 1%%: GTFT(1/3)-GTFT %.4f, ALLD-GTFT %.4f, TFT-TFT %.4f; GTFT(0.6)-GTFT %.4f,"
		      " ALLD-GTFT(0.6) %.4f\n", gg, dg, tt, ll, dl);
	/* With q = 1/3 always-defect earns about qT + (1-q)P = 7/3 per round
	** against GTFT, well below what GTFT earns against itself. */
	assert_true(dg < gg - 0.5);
	assert_float_equal(dg, 7.0 / 3, 0.05);
	/* GTFT against itself recovers from errors: close to R, where TFT's
	** echoes of each error bring it down to about (R+S+T+P)/4 = 2.25. */
	assert_true(gg > 2.85);
	assert_float_equal(tt, 2.25, 0.05);
	/* Forgiving beyond (R-P)/(T-P) = 1/2 lets always-defect in. */
	assert_true(dl > ll);
	/* The engine agrees with the chain. */
	assert_float_equal(long_run(q, e, GAME_GTFT, GAME_GTFT), gg, 0.02);
	assert_float_equal(long_run(q, e, GAME_ALLD, GAME_GTFT), dg, 0.02);
	assert_float_equal(long_run(q, e, GAME_TFT, GAME_TFT), tt, 0.03);
	assert_float_equal(long_run(0.6, e, GAME_ALLD, GAME_GTFT), dl, 0.02);
}

/* ---- tournaments -------------------------------------------------------------- */

static void test_tournament(void **state)
{
	(void)state;
	game_rules r = game_rules_default();
	const game_strategy s[] = {GAME_ALLC, GAME_ALLD, GAME_TFT, GAME_GRIM, GAME_WSLS};
	game_score sc[5];
	int64_t matches;
	rp_err e = {0};
	assert_int_equal(game_tournament(&r, s, 5, 3, 1, sc, &matches, &e), 0);
	assert_int_equal(matches, 3 * 15); /* every pair and every strategy with itself */
	/* Deterministic strategies: each score is the sum of the exact matches,
	** self-play included once. */
	for (int i = 0; i < 5; i++) {
		double want = 0, a, b;
		for (int j = 0; j < 5; j++) {
			assert_int_equal(game_match_expected(&r, sc[i].strategy, s[j], &a, &b, NULL), 0);
			want += a;
		}
		assert_float_equal(sc[i].score, want, 1e-9);
		assert_int_equal(sc[i].rounds, 3 * 5 * 200);
		assert_float_equal(sc[i].mean_per_round, want / 1000, 1e-12);
		if (i)
			assert_true(sc[i - 1].score >= sc[i].score && sc[i - 1].mean_per_round >= sc[i].mean_per_round);
	}
	/* TFT: 600 against ALLC, TFT, GRIM and WSLS, 199 against ALLD. */
	for (int i = 0; i < 5; i++)
		if (sc[i].strategy == GAME_TFT)
			assert_float_equal(sc[i].score, 4 * 600 + 199, 1e-9);

	/* All seven with w: the same seed plays the same tournament. */
	const game_strategy all[] = {GAME_ALLC, GAME_ALLD, GAME_TFT, GAME_GTFT, GAME_GRIM, GAME_WSLS, GAME_RANDOM};
	game_score x[7], y[7];
	r.w = 0.99;
	r.noise = 0.05;
	assert_int_equal(game_tournament(&r, all, 7, 50, 42, x, NULL, &e), 0);
	assert_int_equal(game_tournament(&r, all, 7, 50, 42, y, NULL, &e), 0);
	/* Each strategy plays 7 matches of mean length 1/(1-w) = 100 per repetition. */
	for (int i = 0; i < 7; i++) {
		assert_int_equal(x[i].strategy, y[i].strategy);
		assert_true(x[i].score == y[i].score && x[i].rounds == y[i].rounds);
		assert_float_equal(x[i].rounds / (50.0 * 7), 100, 12);
		if (i)
			assert_true(x[i - 1].mean_per_round >= x[i].mean_per_round);
	}
	assert_int_equal(game_tournament(&r, (game_strategy[]){GAME_TFT, GAME_TFT}, 2, 1, 1, x, NULL, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "tft is named twice"));
	assert_int_equal(game_tournament(&r, all, 7, 0, 1, x, NULL, &e), RP_EINVAL);
	assert_int_equal(game_match_expected(&r, GAME_RANDOM, GAME_TFT, &x[0].score, &y[0].score, &e), RP_EINVAL);
}

/* ---- (c) Nowak & May on the lattice ------------------------------------------ */

enum { L = 100, GEN = 200 };

static double lattice_mean(double b, uint64_t seed, int from)
{
	double share[GEN + 1], m = 0;
	assert_int_equal(game_lattice_run(L, b, 0.1, GEN, seed, share, NULL), 0);
	assert_float_equal(share[0], 0.9, 1e-12); /* exactly 10% defectors */
	for (int t = from; t <= GEN; t++)
		m += share[t];
	return m / (GEN - from + 1);
}

static void test_lattice(void **state)
{
	(void)state;
	/* The graph: 8 neighbours each, wrapping round the edges. */
	int *row, *col;
	assert_int_equal(game_lattice(L, &row, &col, NULL), 0);
	assert_int_equal(row[L * L], 8 * L * L);
	assert_int_equal(game_graph_check(&(game_graph){L * L, row, col}, NULL), 0);
	int corner[8];
	memcpy(corner, col, sizeof corner);
	const int want[8] = {L * L - 1, (L - 1) * L, (L - 1) * L + 1, L - 1, 1, 2 * L - 1, L, L + 1};
	assert_memory_equal(corner, want, sizeof want);
	free(row);
	free(col);

	/* b = 1.7 < 1.8: cooperators hold most of the lattice (about 0.71). */
	double lo = lattice_mean(1.7, 1, GEN - 49);
	/* b = 2.1 > 2: defection wins; a few static islands of cooperators
	** survive (0.02 to 0.05). */
	double hi = lattice_mean(2.1, 1, GEN - 49);
	/* 1.8 < b < 2: spatial chaos; Nowak & May give the long-run share of
	** cooperators as about 0.318 (12 ln 2 - 8) whatever the start.  One
	** generation swings by about 0.04 on 100 x 100; the mean of the last 100
	** generations is within 0.003 of 0.316 across seeds. */
	double mid = lattice_mean(1.9, 1, GEN - 99), mid2 = lattice_mean(1.9, 2, GEN - 99);
	print_message("Nowak & May 100x100, 10%% defectors: b=1.7 %.4f, b=1.9 %.4f and %.4f, b=2.1 %.4f\n", lo, mid,
		      mid2, hi);
	assert_true(lo > 0.6);
	assert_true(hi < 0.1);
	assert_true(mid > 0.29 && mid < 0.35);
	assert_true(mid2 > 0.29 && mid2 < 0.35);

	/* The same seed gives the same run, another seed another. */
	double a[21], b[21], c[21];
	assert_int_equal(game_lattice_run(50, 1.9, 0.1, 20, 5, a, NULL), 0);
	assert_int_equal(game_lattice_run(50, 1.9, 0.1, 20, 5, b, NULL), 0);
	assert_int_equal(game_lattice_run(50, 1.9, 0.1, 20, 6, c, NULL), 0);
	assert_memory_equal(a, b, sizeof a);
	assert_memory_not_equal(a, c, sizeof a);
	rp_err e = {0};
	assert_int_equal(game_lattice_run(50, 0.9, 0.1, 20, 5, a, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "above 1"));
	assert_int_equal(game_lattice_run(50, 1.9, 1.5, 20, 5, a, &e), RP_EINVAL);
	assert_int_equal(game_lattice_run(2, 1.9, 0.1, 20, 5, a, &e), RP_EINVAL);
}

/* ---- a community, and the company's answer ------------------------------------- */

static void test_community(void **state)
{
	(void)state;
	/* Twenty by twenty members, each tied to eight; member 17 starts to cheat.
	** b = 1.9: among cooperators the cheater earns 8b = 15.2 from its ties,
	** its cooperating neighbours 8, so they follow it; left alone,
	** cheating takes the whole community. */
	int *row, *col;
	assert_int_equal(game_lattice(20, &row, &col, NULL), 0);
	game_graph g = {400, row, col};
	double none[31], tft[31], allc[31], grim[31];
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, NULL, 30, 1, none, NULL), 0);
	/* Dealings with the company weigh as four ties, matches of 10 rounds.
	** Answered in kind (TFT), a cheater earns b once in ten rounds, 0.19 a
	** round against a cooperator's 1: the neighbours it tempts (9 cheat
	** after the first generation) return at once, and the cheater with them
	** every other generation: cheating never gets beyond the first ring. */
	game_company co = {GAME_TFT, 10, 4};
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, &co, 30, 1, tft, NULL), 0);
	co.policy = GAME_GRIM;
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, &co, 30, 1, grim, NULL), 0);
	/* Served as if nothing happened (ALLC), a cheater earns b a round from
	** the company too, and cheating spreads as fast as with no company. */
	co.policy = GAME_ALLC;
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, &co, 30, 1, allc, NULL), 0);
	print_message("community of 400, member 17 cheats, b=1.9: after 30 generations no company %.3f,"
		      " TFT %.3f, GRIM %.3f, ALLC %.3f\n", none[30], tft[30], grim[30], allc[30]);
	assert_float_equal(tft[0], 399.0 / 400, 1e-12);
	assert_float_equal(tft[1], 391.0 / 400, 1e-12);
	for (int t = 0; t <= 30; t++) {
		assert_true(tft[t] >= 391.0 / 400);
		assert_true(grim[t] >= 391.0 / 400);
	}
	assert_float_equal(none[30], 0, 1e-12);
	assert_float_equal(allc[30], 0, 1e-12);

	/* A random policy needs the generator, which the run seeds. */
	co.policy = GAME_GTFT;
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, &co, 30, 1, tft, NULL), 0);
	assert_true(tft[30] > 0.9);
	rp_err e = {0};
	assert_int_equal(game_community_run(&g, NULL, 400, 1.9, &co, 30, 1, tft, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "not in the community"));
	col[0] = 0; /* member 0 tied to itself */
	assert_int_equal(game_community_run(&g, NULL, 17, 1.9, &co, 30, 1, tft, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "its own neighbour"));
	free(row);
	free(col);

	/* Given explicitly: who cooperates at the start. */
	const int r3[] = {0, 1, 3, 4}, c3[] = {1, 0, 2, 1};
	const uint8_t start[3] = {0, 0, 1};
	double sh[2];
	assert_int_equal(game_community_run(&(game_graph){3, r3, c3}, start, -1, 1.5, NULL, 1, 1, sh, NULL), 0);
	assert_float_equal(sh[0], 2.0 / 3, 1e-12);
	/* Node 2 (D) earns 1.5 from node 1; node 1 (C) earns 2 (itself, node 0);
	** node 0 earns 2: node 2 sees 2 > 1.5 at node 1 and turns to cooperate. */
	assert_float_equal(sh[1], 1, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payoffs_checked), cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_tft_stability),   cmocka_unit_test(test_gtft),
		cmocka_unit_test(test_tournament),      cmocka_unit_test(test_lattice),
		cmocka_unit_test(test_community),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
