/* model/game: payoffs, strategies, the bounds of the theory, random numbers. */
#include "model/game.h"
#include "model/game_impl.h"

#include <math.h>
#include <string.h>

static const char *const names[GAME_STRATEGY_N] = {"allc", "alld", "tft", "gtft", "grim", "wsls", "random", "alternate"};

const char *game_strategy_name(game_strategy s)
{
	return (unsigned)s < GAME_STRATEGY_N ? names[s] : "?";
}

int game_strategy_parse(const char *name)
{
	for (int i = 0; name && i < GAME_STRATEGY_N; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int game_payoffs_check(const game_payoffs *p, rp_err *e)
{
	if (!isfinite(p->T) || !isfinite(p->R) || !isfinite(p->P) || !isfinite(p->S))
		return rp_errf(e, RP_EINVAL, "payoffs must be numbers: give T,R,P,S such as 5,3,1,0");
	if (!(p->T > p->R && p->R > p->P && p->P > p->S))
		return rp_errf(e, RP_EINVAL,
			       "payoffs %g,%g,%g,%g are not a prisoner's dilemma: T,R,P,S need T > R > P > S"
			       " (e.g. 5,3,1,0)", p->T, p->R, p->P, p->S);
	if (!(2 * p->R > p->T + p->S))
		return rp_errf(e, RP_EINVAL,
			       "payoffs %g,%g,%g,%g reward taking turns at defecting: they need 2R > T + S"
			       " (2*%g <= %g + %g); lower T or raise R", p->T, p->R, p->P, p->S, p->R, p->T, p->S);
	return 0;
}

double game_gtft_forgiveness(const game_payoffs *p)
{
	double a = 1 - (p->T - p->R) / (p->R - p->S), b = (p->R - p->P) / (p->T - p->P);
	return a < b ? a : b;
}

double game_tft_bound_alld(const game_payoffs *p)
{
	return (p->T - p->R) / (p->T - p->P);
}

double game_tft_bound_alternate(const game_payoffs *p)
{
	return (p->T - p->R) / (p->R - p->S);
}

double game_tft_stable_w(const game_payoffs *p)
{
	double a = game_tft_bound_alld(p), b = game_tft_bound_alternate(p);
	return a > b ? a : b;
}

/* Every strategy here remembers at most the last round: its probability of
** cooperating first, and after each last round (own move, partner's move),
** with grim trigger's grudge kept apart.  A probability of exactly 0 or 1
** draws no random number, so deterministic play costs no draws. */
void game_memory_one(game_strategy s, double q, double p[5])
{
	static const double t[GAME_STRATEGY_N][5] = {
		/*             CC  CD  DC  DD  first */
		[GAME_ALLC] = {1, 1, 1, 1, 1},
		[GAME_ALLD] = {0, 0, 0, 0, 0},
		[GAME_TFT] = {1, 0, 1, 0, 1},
		[GAME_GTFT] = {1, -1, 1, -1, 1}, /* -1: the forgiveness q */
		[GAME_GRIM] = {1, 0, 1, 0, 1},   /* and no cooperation once the partner defected */
		[GAME_WSLS] = {1, 0, 0, 1, 1},
		[GAME_RANDOM] = {0.5, 0.5, 0.5, 0.5, 0.5},
		[GAME_ALTERNATE] = {0, 0, 1, 1, 0},
	};
	for (int i = 0; i < 5; i++)
		p[i] = t[s][i] < 0 ? q : t[s][i];
}

void game_rng_seed(game_rng *r, uint64_t seed)
{
	/* splitmix64: spreads any seed, 0 included, over the whole state. */
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}
