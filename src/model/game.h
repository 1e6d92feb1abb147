/*
** model/game: the iterated prisoner's dilemma and cooperation on a graph, the map.
**
** Pure computation (no store, no files).  Two sides meet again and again;
** each round both choose to cooperate (C) or defect (D) at once and are paid
** T (temptation: I defect, you cooperate), R (reward: both cooperate),
** P (punishment: both defect) or S (sucker: I cooperate, you defect).
**
**   strategy.c    payoffs and their checks, the strategies, the generous
**                 tit-for-tat forgiveness, the random numbers
**   match.c       one iterated match (fixed rounds, or continuing with
**                 probability w; noise), and its expected payoff
**   tournament.c  round robins of the strategies, scores ranked
**   evolve.c      evolutionary dynamics on a graph (CSR): Nowak & May's
**                 one-shot game per edge, synchronous imitation of the best
**                 neighbour; the square lattice as one such graph; a
**                 community with the company answering by a policy
**
** Strategies see the moves as played (after noise), never the intentions.
** Every random choice comes from a game_rng seeded explicitly, so a run is
** repeated exactly by its seed.
*/
#ifndef RP_GAME_H
#define RP_GAME_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* ---- payoffs ---------------------------------------------------------------- */

typedef struct game_payoffs {
	double T, R, P, S;
} game_payoffs;

/* The usual 5, 3, 1, 0. */
#define GAME_PAYOFFS_DEFAULT ((game_payoffs){5, 3, 1, 0})

/* A prisoner's dilemma needs T > R > P > S (defecting pays in one round,
** yet both cooperating beats both defecting) and 2R > T + S (taking turns
** at exploiting each other pays less than cooperating). */
int game_payoffs_check(const game_payoffs *p, rp_err *e);

/* Generous tit-for-tat's forgiveness: the largest probability of answering
** a defection with cooperation that still leaves defection unprofitable,
** q = min(1 - (T-R)/(R-S), (R-P)/(T-P)) (Nowak & Sigmund 1992, "Tit for tat
** in heterogeneous populations", Nature 355:250; Molander 1985).  1/3 for
** 5, 3, 1, 0.  Against always-defect, GTFT's partner earns qT + (1-q)P per
** round in the long run, below R exactly when q < (R-P)/(T-P); the other
** term keeps taking turns at defecting below R as well. */
double game_gtft_forgiveness(const game_payoffs *p);

/* The bounds on the continuation probability w above which tit-for-tat
** cannot be invaded (Axelrod 1984; Axelrod & Hamilton 1981): by always
** defecting, w >= (T-R)/(T-P); by alternating defection and cooperation,
** w >= (T-R)/(R-S).  game_tft_stable_w is the larger: 2/3 for 5, 3, 1, 0. */
double game_tft_bound_alld(const game_payoffs *p);
double game_tft_bound_alternate(const game_payoffs *p);
double game_tft_stable_w(const game_payoffs *p);

/* ---- strategies ------------------------------------------------------------- */

typedef enum game_strategy {
	GAME_ALLC,   /* always cooperate */
	GAME_ALLD,   /* always defect */
	GAME_TFT,    /* tit-for-tat: cooperate first, then copy the partner's last move */
	GAME_GTFT,   /* generous tit-for-tat: as TFT, but forgive a defection with probability q */
	GAME_GRIM,   /* grim trigger: cooperate until the partner defects once, then defect for ever */
	GAME_WSLS,   /* win-stay lose-shift (Pavlov): repeat after T or R, switch after P or S */
	GAME_RANDOM, /* cooperate with probability 1/2 */
	GAME_TOURNAMENT_N,
	/* Not in tournaments: the invader of the second stability bound. */
	GAME_ALTERNATE = GAME_TOURNAMENT_N, /* defect, cooperate, defect, ... */
	GAME_STRATEGY_N
} game_strategy;

/* "allc", "alld", "tft", "gtft", "grim", "wsls", "random", "alternate". */
const char *game_strategy_name(game_strategy s);
/* The strategy named name (the short names above), or -1. */
int game_strategy_parse(const char *name);

/* ---- random numbers ---------------------------------------------------------- */

/* xoshiro256** (Blackman & Vigna 2018), seeded through splitmix64: fast,
** small, and the same sequence on every machine for a seed. */
typedef struct game_rng {
	uint64_t s[4];
} game_rng;

void game_rng_seed(game_rng *r, uint64_t seed);

static inline uint64_t game_rng_next(game_rng *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform on [0, 1), 53 bits. */
static inline double game_rng_unif(game_rng *r)
{
	return (double)(game_rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- matches ------------------------------------------------------------------ */

/* How matches are played. */
typedef struct game_rules {
	game_payoffs pay;
	int rounds;    /* a fixed number of rounds when w is 0 */
	double w;      /* else: after each round another follows with probability w (0 <= w < 1) */
	double noise;  /* each move is flipped with this probability (0 <= noise < 1/2) */
	double gtft_q; /* GTFT's forgiveness; negative: game_gtft_forgiveness(pay) */
	int max_rounds; /* with w: a match stops here at the latest (0: 1,000,000) */
} game_rules;

/* Payoffs 5,3,1,0, 200 rounds, no noise, the theoretical forgiveness. */
game_rules game_rules_default(void);

/* The rules sane: payoffs, rounds >= 1 or 0 < w < 1, 0 <= noise < 1/2,
** forgiveness within [0, 1]. */
int game_rules_check(const game_rules *r, rp_err *e);

/* One match of a against b: each side's total payoff, and the rounds
** played (with w, a geometric number, at least 1). */
typedef struct game_result {
	double a, b;
	int rounds;
} game_result;

/* Play one match; the rules must have passed game_rules_check. */
game_result game_match(const game_rules *r, game_strategy a, game_strategy b, game_rng *rng);

/* The expected total payoffs of a match between two deterministic
** strategies without noise (ALLC, ALLD, TFT, GRIM, WSLS, ALTERNATE): with w,
** round t counts with the probability w^(t-1) that it is played (summed
** until that is below 1e-17); without w, the fixed rounds.  RP_EINVAL for
** a strategy that draws random numbers or for noise. */
int game_match_expected(const game_rules *r, game_strategy a, game_strategy b, double *ea, double *eb, rp_err *e);

/* ---- tournaments ------------------------------------------------------------- */

typedef struct game_score {
	game_strategy strategy;
	double score;          /* total payoff over its matches, per repetition */
	double mean_per_round; /* total payoff over the rounds it played */
	int64_t rounds;        /* rounds it played, over every repetition */
} game_score;

/* A round robin of the n strategies given (each once): every pair meets
** once per repetition, and every strategy also meets a copy of itself (as in
** Axelrod's tournaments), where its payoff is the mean of the two sides.
** scores gets n rows ranked by mean payoff per round, highest first (with
** fixed rounds the order of the scores; with w it leaves out the luck of
** long matches; ties by the order given).  matches, if not NULL, gets the matches played. */
int game_tournament(const game_rules *r, const game_strategy *s, int n, int repetitions, uint64_t seed,
		    game_score *scores, int64_t *matches, rp_err *e);

/* ---- evolution on a graph ---------------------------------------------------- */

/* A graph of n nodes in compressed sparse rows: the neighbours of node i are
** col[row[i]] .. col[row[i+1]-1].  Edges are listed from both ends; a node
** is never listed as its own neighbour (self-play is a rule of the game). */
typedef struct game_graph {
	int n;
	const int *row; /* n + 1 offsets */
	const int *col;
} game_graph;

/* Each row within bounds, increasing, no self-loops. */
int game_graph_check(const game_graph *g, rp_err *e);

/* The L x L square lattice with periodic boundaries, each cell tied to its 8
** Moore neighbours; node y*L + x.  row and col are allocated (free them);
** L >= 3. */
int game_lattice(int L, int **row, int **col, rp_err *e);

/* The company's answer, played in iterated matches with every member. */
typedef struct game_company {
	game_strategy policy; /* what the company plays */
	int rounds;           /* rounds of each match with a member (>= 1) */
	double weight;        /* how many ties to other members a member's dealings
				 with the company weigh (>= 0; 1: as one more neighbour) */
} game_company;

/* Nowak & May (1992, "Evolutionary games and spatial chaos", Nature
** 359:826): each generation every node plays the one-shot game with each
** neighbour and with itself, cooperators (0) and defectors (1) paid R = 1,
** T = b, P = S = 0; then all at once each node takes the strategy of the
** highest-paid among itself and its neighbours (itself when tied; among
** tied neighbours, the first listed).
**
** With company set, every member is also a client of the company, a node
** outside the graph that never imitates and is never imitated: each
** generation each member plays one match of company->rounds rounds with it
** (a cooperator as ALLC, a defector as ALLD; the company as its policy, on
** the same payoffs, no noise), and adds its mean payoff per round times
** company->weight, as that many more ties.  So a defector the company answers in kind (TFT, GRIM) earns
** b once in the match and then nothing; one the company keeps serving
** (ALLC) earns b every round, and looks the best to imitate.
**
** state: n entries, 0 cooperate or 1 defect, updated in place.
** share: generations + 1 entries, the cooperators' share before the first
** generation and after each one.  rng draws only the company's random
** moves (GTFT, RANDOM); NULL when there are none. */
int game_evolve(const game_graph *g, double b, const game_company *company, uint8_t *state, int generations,
		double *share, game_rng *rng, rp_err *e);

/* Defectors placed at random: exactly round(share * n) of them, chosen
** uniformly by the rng (a partial Fisher-Yates shuffle); the rest
** cooperate. */
void game_place_defectors(uint8_t *state, int n, double share, game_rng *rng);

/* Nowak & May on the L x L lattice from defectors placed at random by seed. */
int game_lattice_run(int L, double b, double defectors, int generations, uint64_t seed, double *share, rp_err *e);

/* The question of a community: its members' graph, who cooperates at the
** start (start: n entries 0/1, or NULL for everyone), the member who starts
** to cheat (-1 for none), and the company's policy.  share as game_evolve. */
int game_community_run(const game_graph *g, const uint8_t *start, int cheater, double b,
		       const game_company *company, int generations, uint64_t seed, double *share, rp_err *e);

#endif
