/* model/game: round-robin tournaments. */
#include "model/game.h"

#include <stdlib.h>

int game_tournament(const game_rules *r, const game_strategy *s, int n, int repetitions, uint64_t seed,
		    game_score *scores, int64_t *matches, rp_err *e)
{
	if (game_rules_check(r, e))
		return e ? e->code : RP_EINVAL;
	if (n < 1 || n > GAME_STRATEGY_N)
		return rp_errf(e, RP_EINVAL, "a tournament needs 1 to %d strategies, not %d", GAME_STRATEGY_N, n);
	if (repetitions < 1)
		return rp_errf(e, RP_EINVAL, "a tournament needs at least 1 repetition, not %d", repetitions);
	for (int i = 0; i < n; i++) {
		if ((unsigned)s[i] >= GAME_STRATEGY_N)
			return rp_errf(e, RP_EINVAL, "no strategy number %d", (int)s[i]);
		for (int j = 0; j < i; j++)
			if (s[i] == s[j])
				return rp_errf(e, RP_EINVAL, "%s is named twice: each strategy plays once",
					       game_strategy_name(s[i]));
	}
	game_rng rng;
	game_rng_seed(&rng, seed);
	double total[GAME_STRATEGY_N] = {0};
	int64_t rounds[GAME_STRATEGY_N] = {0}, played = 0;
	for (int k = 0; k < repetitions; k++)
		for (int i = 0; i < n; i++)
			for (int j = i; j < n; j++, played++) {
				game_result m = game_match(r, s[i], s[j], &rng);
				if (i == j) {
					/* Playing a copy of itself counts once, as the mean of both
					** sides (they differ only for strategies that draw). */
					total[i] += (m.a + m.b) / 2;
					rounds[i] += m.rounds;
				} else {
					total[i] += m.a;
					total[j] += m.b;
					rounds[i] += m.rounds;
					rounds[j] += m.rounds;
				}
			}
	for (int i = 0; i < n; i++)
		scores[i] = (game_score){s[i], total[i] / repetitions, rounds[i] ? total[i] / rounds[i] : 0, rounds[i]};
	/* Ranked by payoff per round (with fixed rounds the order of the scores;
	** with w it leaves out the luck of long matches), a stable insertion
	** sort: ties keep the order given. */
	for (int i = 1; i < n; i++) {
		game_score x = scores[i];
		int j = i;
		for (; j > 0 && scores[j - 1].mean_per_round < x.mean_per_round; j--)
			scores[j] = scores[j - 1];
		scores[j] = x;
	}
	if (matches)
		*matches = played;
	return 0;
}
