/* model/game: cooperation spreading or failing on a graph (Nowak & May). */
#include "model/game.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int game_graph_check(const game_graph *g, rp_err *e)
{
	if (g->n < 1 || !g->row || !g->col)
		return rp_errf(e, RP_EINVAL, "the graph has no nodes");
	if (g->row[0] != 0)
		return rp_errf(e, RP_EINVAL, "the graph's rows must start at 0, not %d", g->row[0]);
	for (int i = 0; i < g->n; i++) {
		if (g->row[i + 1] < g->row[i])
			return rp_errf(e, RP_EINVAL, "the graph's row %d ends before it starts", i);
		for (int k = g->row[i]; k < g->row[i + 1]; k++) {
			int j = g->col[k];
			if (j < 0 || j >= g->n)
				return rp_errf(e, RP_EINVAL, "node %d has a neighbour %d outside the graph of %d nodes", i, j,
					       g->n);
			if (j == i)
				return rp_errf(e, RP_EINVAL, "node %d is listed as its own neighbour: self-play is"
					       " part of the game, leave it out of the graph", i);
		}
	}
	return 0;
}

int game_lattice(int L, int **row, int **col, rp_err *e)
{
	if (L < 3 || L > 46000)
		return rp_errf(e, RP_EINVAL, "a lattice side must be 3 to 46000 cells, not %d", L);
	int n = L * L;
	*row = malloc(((size_t)n + 1) * sizeof **row);
	*col = malloc((size_t)n * 8 * sizeof **col);
	if (!*row || !*col) {
		free(*row);
		free(*col);
		*row = *col = NULL;
		return rp_errf(e, RP_ENOMEM, "out of memory for a %d x %d lattice", L, L);
	}
	int k = 0;
	for (int y = 0; y < L; y++)
		for (int x = 0; x < L; x++) {
			(*row)[y * L + x] = k;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					if (dx || dy)
						(*col)[k++] = ((y + dy + L) % L) * L + (x + dx + L) % L;
		}
	(*row)[n] = k;
	return 0;
}

void game_place_defectors(uint8_t *state, int n, double share, game_rng *rng)
{
	int k = (int)lround(share * n);
	int *idx = malloc((size_t)n * sizeof *idx);
	memset(state, 0, (size_t)n);
	if (!idx)
		return;
	for (int i = 0; i < n; i++)
		idx[i] = i;
	for (int i = 0; i < k; i++) {
		/* A uniform pick among the n - i not yet chosen (multiply-shift). */
		int j = i + (int)(((game_rng_next(rng) >> 32) * (uint64_t)(n - i)) >> 32);
		int t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
		state[idx[i]] = 1;
	}
	free(idx);
}

static double cooperators(const uint8_t *state, int n)
{
	int64_t c = 0;
	for (int i = 0; i < n; i++)
		c += !state[i];
	return (double)c / n;
}

int game_evolve(const game_graph *g, double b, const game_company *company, uint8_t *state, int generations,
		double *share, game_rng *rng, rp_err *e)
{
	if (!(b > 1) || !isfinite(b))
		return rp_errf(e, RP_EINVAL, "b (what a defector earns from a cooperator) must be a number above 1, not %g",
			       b);
	if (generations < 0)
		return rp_errf(e, RP_EINVAL, "generations must be 0 or more, not %d", generations);
	game_rules cr = {.pay = {b, 1, 0, 0}, .gtft_q = -1};
	if (company) {
		if ((unsigned)company->policy >= GAME_STRATEGY_N)
			return rp_errf(e, RP_EINVAL, "no policy number %d", (int)company->policy);
		if (company->rounds < 1)
			return rp_errf(e, RP_EINVAL, "the company's matches need at least 1 round, not %d", company->rounds);
		if (!(company->weight >= 0 && company->weight <= 1e6))
			return rp_errf(e, RP_EINVAL, "the weight of dealings with the company must be 0 to 1000000 ties,"
				       " not %g", company->weight);
		cr.rounds = company->rounds;
		/* The forgiveness for these payoffs: P = S makes the usual formula
		** min(1 - (b-1)/1, 1/b), kept within [0, 1]. */
		double q = game_gtft_forgiveness(&cr.pay);
		cr.gtft_q = q < 0 ? 0 : q;
		if (!rng && (company->policy == GAME_GTFT || company->policy == GAME_RANDOM))
			return rp_errf(e, RP_EINVAL, "the policy %s draws random numbers: give a seeded generator",
				       game_strategy_name(company->policy));
	}
	int n = g->n;
	double *pay = malloc((size_t)n * sizeof *pay);
	uint8_t *next = malloc((size_t)n);
	if (!pay || !next) {
		free(pay);
		free(next);
		return rp_errf(e, RP_ENOMEM, "out of memory for a graph of %d nodes", n);
	}
	const int *row = g->row, *col = g->col;
	share[0] = cooperators(state, n);
	for (int t = 1; t <= generations; t++) {
		/* Each node's payoff: 1 or b for each cooperator among itself and
		** its neighbours, as it cooperates or defects. */
		for (int i = 0; i < n; i++) {
			int c = !state[i];
			for (int k = row[i]; k < row[i + 1]; k++)
				c += !state[col[k]];
			pay[i] = state[i] ? b * c : c;
		}
		if (company) {
			/* Deterministic policies give every cooperator one payoff and every
			** defector another: two matches serve them all. */
			double fixed[2];
			int draws = company->policy == GAME_GTFT || company->policy == GAME_RANDOM;
			for (int s = 0; !draws && s < 2; s++)
				fixed[s] = game_match(&cr, s ? GAME_ALLD : GAME_ALLC, company->policy, rng).a / cr.rounds;
			for (int i = 0; i < n; i++)
				pay[i] += company->weight *
					  (draws ? game_match(&cr, state[i] ? GAME_ALLD : GAME_ALLC, company->policy, rng).a /
							   cr.rounds
						 : fixed[state[i]]);
		}
		/* All at once: the strategy of the best paid among itself and its
		** neighbours; itself on a tie, else the first listed. */
		for (int i = 0; i < n; i++) {
			double best = pay[i];
			uint8_t s = state[i];
			for (int k = row[i]; k < row[i + 1]; k++)
				if (pay[col[k]] > best) {
					best = pay[col[k]];
					s = state[col[k]];
				}
			next[i] = s;
		}
		memcpy(state, next, (size_t)n);
		share[t] = cooperators(state, n);
	}
	free(pay);
	free(next);
	return 0;
}

int game_lattice_run(int L, double b, double defectors, int generations, uint64_t seed, double *share, rp_err *e)
{
	if (!(defectors >= 0 && defectors <= 1))
		return rp_errf(e, RP_EINVAL, "the share of defectors at the start must be within 0 and 1, not %g",
			       defectors);
	int *row, *col;
	if (game_lattice(L, &row, &col, e))
		return e ? e->code : RP_EINVAL;
	int rc = 0, n = L * L;
	uint8_t *state = malloc((size_t)n);
	if (!state) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory for a %d x %d lattice", L, L);
	} else {
		game_rng rng;
		game_rng_seed(&rng, seed);
		game_place_defectors(state, n, defectors, &rng);
		rc = game_evolve(&(game_graph){n, row, col}, b, NULL, state, generations, share, NULL, e);
	}
	free(state);
	free(row);
	free(col);
	return rc;
}

int game_community_run(const game_graph *g, const uint8_t *start, int cheater, double b,
		       const game_company *company, int generations, uint64_t seed, double *share, rp_err *e)
{
	if (game_graph_check(g, e))
		return e ? e->code : RP_EINVAL;
	if (cheater < -1 || cheater >= g->n)
		return rp_errf(e, RP_EINVAL, "the member who starts to cheat, %d, is not in the community of %d", cheater,
			       g->n);
	uint8_t *state = malloc((size_t)g->n);
	if (!state)
		return rp_errf(e, RP_ENOMEM, "out of memory for a community of %d", g->n);
	for (int i = 0; i < g->n; i++)
		state[i] = start ? start[i] != 0 : 0;
	if (cheater >= 0)
		state[cheater] = 1;
	game_rng rng;
	game_rng_seed(&rng, seed);
	int rc = game_evolve(g, b, company, state, generations, share, &rng, e);
	free(state);
	return rc;
}
