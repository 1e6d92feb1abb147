/* bench/game: the cooperation game's engine, in process.
**   bench/game ROUNDS REPS L GENERATIONS
** prints "MATCHES SECONDS CELL_UPDATES SECONDS": a full round robin of the
** seven strategies (each pair and each with itself) of ROUNDS-round matches,
** REPS times, then Nowak & May on an L x L lattice for GENERATIONS. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "model/game.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: bench/game ROUNDS REPETITIONS SIZE GENERATIONS\n");
		return 2;
	}
	int rounds = atoi(argv[1]), reps = atoi(argv[2]), L = atoi(argv[3]), gens = atoi(argv[4]);
	game_rules r = game_rules_default();
	r.rounds = rounds;
	game_strategy s[GAME_TOURNAMENT_N];
	game_score sc[GAME_TOURNAMENT_N];
	for (int i = 0; i < GAME_TOURNAMENT_N; i++)
		s[i] = (game_strategy)i;
	rp_err e = {0};
	int64_t matches;
	double t0 = now_ms();
	if (game_tournament(&r, s, GAME_TOURNAMENT_N, reps, 1, sc, &matches, &e)) {
		fprintf(stderr, "bench/game: %s\n", e.msg);
		return 1;
	}
	double t1 = now_ms();
	double *share = malloc(((size_t)gens + 1) * sizeof *share);
	if (!share || game_lattice_run(L, 1.9, 0.1, gens, 1, share, &e)) {
		fprintf(stderr, "bench/game: %s\n", share ? e.msg : "out of memory");
		return 1;
	}
	double t2 = now_ms();
	free(share);
	printf("%lld %.6f %lld %.6f\n", (long long)matches, (t1 - t0) / 1e3, (long long)L * L * gens, (t2 - t1) / 1e3);
	return 0;
}
