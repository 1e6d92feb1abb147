/* model/game: one iterated match, played or in expectation. */
#include "model/game.h"
#include "model/game_impl.h"

#include <math.h>

#define C 0
#define D 1
#define RANDOM 2

/* A side of a match: for each last round (own*2 + partner's, C = 0, D = 1)
** and the first round (4), the move, or RANDOM with the threshold below
** which a 32-bit draw means cooperate (2^-32 is fine enough for any
** probability a strategy or a user gives, and one 64-bit draw serves both
** sides of a round). */
typedef struct side {
	uint8_t move[5];
	uint32_t thr[5];
	int grim;
	int draws; /* some move is RANDOM */
} side;

static void side_init(side *s, game_strategy st, double q)
{
	double p[5];
	game_memory_one(st, q, p);
	s->draws = 0;
	for (int i = 0; i < 5; i++) {
		s->move[i] = p[i] >= 1 ? C : p[i] <= 0 ? D : RANDOM;
		s->thr[i] = s->move[i] == RANDOM ? (uint32_t)(p[i] * 4294967296.0) : 0;
		s->draws |= s->move[i] == RANDOM;
	}
	s->grim = st == GAME_GRIM;
}

/* The move of a side that cannot draw. */
static inline int decide(const side *s, int k, int grudge)
{
	return grudge ? D : s->move[k];
}

/* The move given a 32-bit draw, without a branch on the move: RANDOM is 2,
** its low bit C and its high bit taking the draw. */
static inline int play(const side *s, int k, int grudge, uint32_t x)
{
	int m = s->move[k];
	return (m & 1) | ((m >> 1) & (x >= s->thr[k])) | grudge;
}

game_rules game_rules_default(void)
{
	return (game_rules){.pay = GAME_PAYOFFS_DEFAULT, .rounds = 200, .w = 0, .noise = 0, .gtft_q = -1};
}

int game_rules_check(const game_rules *r, rp_err *e)
{
	if (game_payoffs_check(&r->pay, e))
		return e ? e->code : RP_EINVAL;
	if (!(r->w >= 0 && r->w < 1))
		return rp_errf(e, RP_EINVAL, "w (the chance of another round) must be at least 0 and below 1, not %g", r->w);
	if (r->w == 0 && r->rounds < 1)
		return rp_errf(e, RP_EINVAL, "a match needs at least 1 round, not %d (or give w for matches of"
			       " uncertain length)", r->rounds);
	if (!(r->noise >= 0 && r->noise < 0.5))
		return rp_errf(e, RP_EINVAL, "noise (the chance a move is flipped) must be at least 0 and below 0.5, not %g",
			       r->noise);
	if (r->gtft_q >= 0 && !(r->gtft_q <= 1))
		return rp_errf(e, RP_EINVAL, "generous tit-for-tat's forgiveness is a probability, not %g", r->gtft_q);
	if (r->max_rounds < 0)
		return rp_errf(e, RP_EINVAL, "the longest match must be positive, not %d", r->max_rounds);
	return 0;
}

static double forgiveness(const game_rules *r)
{
	return r->gtft_q >= 0 ? r->gtft_q : game_gtft_forgiveness(&r->pay);
}

static int match_length(const game_rules *r, game_rng *rng)
{
	if (r->w == 0)
		return r->rounds;
	int cap = r->max_rounds ? r->max_rounds : 1000000;
	/* P(length >= k) = w^(k-1): one draw for the whole match. */
	double u = 1 - game_rng_unif(rng); /* in (0, 1] */
	double len = 1 + floor(log(u) / log(r->w));
	return len >= cap ? cap : (int)len;
}

/* Two deterministic sides without noise: the whole match is a walk through
** at most 20 states (the last round, and each side's grudge), so the table
** of where each state leads, and what it pays, is made once and every
** round is one lookup.  Every round is still played. */
static game_result match_table(const side *sa, const side *sb, const double pay[4], int n)
{
	uint8_t next[20];
	double pa[20], pb[20];
	for (int st = 0; st < 20; st++) {
		int ka = st % 5, ga = st / 5 & 1, gb = st / 10;
		int kb = ka == 4 ? 4 : (ka & 1) * 2 + (ka >> 1);
		int ma = decide(sa, ka, ga), mb = decide(sb, kb, gb);
		int k = ma * 2 + mb;
		next[st] = (uint8_t)(k + 5 * (ga | (sa->grim & mb)) + 10 * (gb | (sb->grim & ma)));
		pa[st] = pay[k];
		pb[st] = pay[mb * 2 + ma];
	}
	double ta = 0, tb = 0;
	for (int t = 0, st = 4; t < n; t++) {
		ta += pa[st];
		tb += pb[st];
		st = next[st];
	}
	return (game_result){ta, tb, n};
}

game_result game_match(const game_rules *r, game_strategy a, game_strategy b, game_rng *rng)
{
	side sa, sb;
	double q = forgiveness(r);
	side_init(&sa, a, q);
	side_init(&sb, b, q);
	const double pay[4] = {r->pay.R, r->pay.S, r->pay.T, r->pay.P};
	const uint32_t flip = (uint32_t)(r->noise * 4294967296.0);
	int n = match_length(r, rng), ka = 4, kb = 4, ga = 0, gb = 0, draws = sa.draws | sb.draws;
	if (!flip && !draws)
		return match_table(&sa, &sb, pay, n);
	double ta = 0, tb = 0;
	for (int t = 0; t < n; t++) {
		uint64_t x = draws ? game_rng_next(rng) : 0;
		int ma = play(&sa, ka, ga, (uint32_t)(x >> 32)), mb = play(&sb, kb, gb, (uint32_t)x);
		if (flip) {
			uint64_t y = game_rng_next(rng);
			ma ^= (uint32_t)(y >> 32) < flip;
			mb ^= (uint32_t)y < flip;
		}
		ka = ma * 2 + mb;
		kb = mb * 2 + ma;
		ta += pay[ka];
		tb += pay[kb];
		ga |= sa.grim & mb;
		gb |= sb.grim & ma;
	}
	return (game_result){ta, tb, n};
}

int game_match_expected(const game_rules *r, game_strategy a, game_strategy b, double *ea, double *eb, rp_err *e)
{
	side sa, sb;
	double q = forgiveness(r);
	side_init(&sa, a, q);
	side_init(&sb, b, q);
	if (sa.draws || sb.draws)
		return rp_errf(e, RP_EINVAL, "the expected payoff is computed for deterministic strategies only,"
			       " not %s", game_strategy_name(sa.draws ? a : b));
	if (r->noise > 0)
		return rp_errf(e, RP_EINVAL, "the expected payoff is computed without noise only");
	const double pay[4] = {r->pay.R, r->pay.S, r->pay.T, r->pay.P};
	int ka = 4, kb = 4, ga = 0, gb = 0;
	double ta = 0, tb = 0, weight = 1;
	for (long t = 0; r->w > 0 ? weight >= 1e-17 : t < r->rounds; t++) {
		int ma = decide(&sa, ka, ga), mb = decide(&sb, kb, gb);
		ka = ma * 2 + mb;
		kb = mb * 2 + ma;
		ta += weight * pay[ka];
		tb += weight * pay[kb];
		ga |= sa.grim & mb;
		gb |= sb.grim & ma;
		if (r->w > 0)
			weight *= r->w;
	}
	*ea = ta;
	*eb = tb;
	return 0;
}
