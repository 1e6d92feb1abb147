/* rapport simulate tournament|lattice: the cooperation game (model/game),
** bounded so that a request cannot hold the server for long. */
#include "ops/ops.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/game.h"

/* The most work one request may ask for: about a second or two each. */
#define SIM_MAX_ROUNDS 10000
#define SIM_MAX_REPETITIONS 1000
#define SIM_MAX_TOURNAMENT_ROUNDS 2000000 /* rounds per match x repetitions */
#define SIM_MAX_SIZE 1000
#define SIM_MAX_GENERATIONS 1000
#define SIM_MAX_CELL_UPDATES 100000000 /* cells x generations */

/* A number given as text ("0.9"): the whole of it, finite. */
static int parse_num(const char *s, const char *what, double *out, rp_err *e)
{
	char *end;
	errno = 0;
	double v = s ? strtod(s, &end) : 0;
	if (!s || end == s || *end || errno || !isfinite(v))
		return rp_errf(e, RP_EINVAL, "%s must be a number such as 0.5, not \"%s\"", what, s ? s : "");
	*out = v;
	return 0;
}

static int num_arg(json_t *args, const char *key, const char *what, double dflt, double *out, rp_err *e)
{
	const char *s = arg_str(args, key);
	if (!s) {
		*out = dflt;
		return 0;
	}
	return parse_num(s, what, out, e);
}

static int int_arg(json_t *args, const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *out, rp_err *e)
{
	*out = arg_int(args, key, dflt);
	if (*out < lo || *out > hi)
		return rp_errf(e, RP_EINVAL, "--%s must be %lld to %lld, not %lld", key, (long long)lo, (long long)hi,
			       (long long)*out);
	return 0;
}

/* "T,R,P,S" */
static int parse_payoffs(const char *s, game_payoffs *p, rp_err *e)
{
	double v[4];
	const char *at = s;
	for (int i = 0; i < 4; i++) {
		char *end;
		errno = 0;
		v[i] = strtod(at, &end);
		if (end == at || errno || *end != (i < 3 ? ',' : '\0'))
			return rp_errf(e, RP_EINVAL, "--payoffs takes four numbers T,R,P,S such as 5,3,1,0, not \"%s\"", s);
		at = end + 1;
	}
	*p = (game_payoffs){v[0], v[1], v[2], v[3]};
	return game_payoffs_check(p, e);
}

json_t *simulate_share_json(const double *share, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_real(share[i]));
	return a;
}

int op_simulate_tournament(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)c;
	game_rules r = game_rules_default();
	int64_t rounds, reps, seed;
	const char *pay = arg_str(args, "payoffs");
	if (int_arg(args, "rounds", 200, 1, SIM_MAX_ROUNDS, &rounds, e) ||
	    int_arg(args, "repetitions", 10, 1, SIM_MAX_REPETITIONS, &reps, e) ||
	    int_arg(args, "seed", 1, INT64_MIN, INT64_MAX, &seed, e) ||
	    num_arg(args, "w", "--w (the chance of another round)", 0, &r.w, e) ||
	    num_arg(args, "noise", "--noise (the chance a move is flipped)", 0, &r.noise, e) ||
	    (pay && parse_payoffs(pay, &r.pay, e)))
		return e->code;
	r.rounds = (int)rounds;
	if (arg_str(args, "w")) {
		/* Matches of uncertain length: --rounds is then the longest one. */
		if (!(r.w > 0 && r.w < 1))
			return rp_errf(e, RP_EINVAL, "--w (the chance of another round) must be above 0 and below 1, not %g",
				       r.w);
		r.max_rounds = (int)rounds;
	}
	if (rounds * reps > SIM_MAX_TOURNAMENT_ROUNDS)
		return rp_errf(e, RP_EINVAL, "--rounds %lld x --repetitions %lld is more than %d rounds per match in all;"
			       " ask for fewer", (long long)rounds, (long long)reps, SIM_MAX_TOURNAMENT_ROUNDS);
	if (game_rules_check(&r, e))
		return e->code;
	game_strategy s[GAME_TOURNAMENT_N];
	game_score sc[GAME_TOURNAMENT_N];
	for (int i = 0; i < GAME_TOURNAMENT_N; i++)
		s[i] = (game_strategy)i;
	int64_t matches;
	if (game_tournament(&r, s, GAME_TOURNAMENT_N, (int)reps, (uint64_t)seed, sc, &matches, e))
		return e->code;
	json_t *list = json_array();
	for (int i = 0; i < GAME_TOURNAMENT_N; i++)
		json_array_append_new(list, json_pack("{s:s,s:f,s:f,s:I}", "name", game_strategy_name(sc[i].strategy),
						      "score", sc[i].score, "mean_per_round", sc[i].mean_per_round,
						      "rounds", (json_int_t)sc[i].rounds));
	*result = json_pack("{s:o,s:{s:f,s:f,s:f,s:f},s:I,s:o,s:f,s:I,s:I,s:I,s:f}", "strategies", list, "payoffs",
			    "T", r.pay.T, "R", r.pay.R, "P", r.pay.P, "S", r.pay.S, "rounds", (json_int_t)rounds, "w",
			    r.w > 0 ? json_real(r.w) : json_null(), "noise", r.noise, "repetitions", (json_int_t)reps,
			    "seed", (json_int_t)seed, "matches", (json_int_t)matches, "gtft_forgiveness",
			    game_gtft_forgiveness(&r.pay));
	return *result ? 0 : rp_errf(e, RP_ENOMEM, "out of memory");
}

int op_simulate_lattice(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)c;
	int64_t size, gens, seed;
	double b, defectors;
	if (int_arg(args, "size", 0, 3, SIM_MAX_SIZE, &size, e) ||
	    int_arg(args, "generations", 0, 1, SIM_MAX_GENERATIONS, &gens, e) ||
	    int_arg(args, "seed", 1, INT64_MIN, INT64_MAX, &seed, e) ||
	    num_arg(args, "b", "--b (what a defector earns from a cooperator)", 0, &b, e) ||
	    num_arg(args, "defectors", "--defectors (their share at the start)", 0.1, &defectors, e))
		return e->code;
	if (size * size * gens > SIM_MAX_CELL_UPDATES)
		return rp_errf(e, RP_EINVAL, "--size %lld for --generations %lld is more than %d cell updates;"
			       " ask for a smaller lattice or fewer generations", (long long)size, (long long)gens,
			       SIM_MAX_CELL_UPDATES);
	double *share = malloc(((size_t)gens + 1) * sizeof *share);
	if (!share)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = game_lattice_run((int)size, b, defectors, (int)gens, (uint64_t)seed, share, e);
	if (!rc)
		*result = json_pack("{s:I,s:f,s:I,s:f,s:I,s:o}", "size", (json_int_t)size, "b", b, "generations",
				    (json_int_t)gens, "defectors", defectors, "seed", (json_int_t)seed, "share",
				    simulate_share_json(share, (int)gens + 1));
	free(share);
	return rc;
}

/* The question of a community: if one member starts to cheat and the
** company answers with policy, how does cooperation among the members go?
** The members' ties (any relation, either way) are the graph; everyone
** cooperates at the start but the cheater: the member named, else the one
** tied to the most others (the worst case). */
int op_simulate_community(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t cid, gens, seed, rounds, cheater_contact = 0;
	double b, weight;
	const char *pname = arg_str(args, "policy");
	int policy = pname ? game_strategy_parse(pname) : GAME_GTFT;
	if (policy < 0 || policy >= GAME_TOURNAMENT_N) {
		char names[200] = "";
		for (int i = 0; i < GAME_TOURNAMENT_N; i++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
				 game_strategy_name((game_strategy)i));
		return rp_errf(e, RP_EINVAL, "--policy \"%s\" is not one of %s", pname, names);
	}
	if (int_arg(args, "generations", 30, 1, SIM_MAX_GENERATIONS, &gens, e) ||
	    int_arg(args, "seed", 1, INT64_MIN, INT64_MAX, &seed, e) ||
	    int_arg(args, "rounds", 10, 1, 1000, &rounds, e) ||
	    num_arg(args, "b", "--b (what a cheater earns from an honest member)", 1.6, &b, e) ||
	    num_arg(args, "weight", "--weight (how many ties dealings with us weigh)", 1, &weight, e))
		return e->code;
	if (!(weight >= 0 && weight <= 100))
		return rp_errf(e, RP_EINVAL, "--weight must be 0 to 100, not %g", weight);
	if (community_resolve(c->db, arg_str(args, "name"), &cid, e) ||
	    (arg_str(args, "cheater") && arg_contact(c, args, "cheater", &cheater_contact, e)))
		return e->code;
	int64_t *ids = NULL;
	size_t n = 0, *rowptr = NULL, *col = NULL;
	if (community_graph(c->db, cid, &ids, &n, &rowptr, &col, e))
		return e->code;
	int rc = 0, *row = NULL, *cl = NULL, cheater = -1;
	double *share = NULL;
	if (n < 2) {
		rc = rp_errf(e, RP_EINVAL, "the community has %zu member%s; a simulation needs at least two", n,
			     n == 1 ? "" : "s");
		goto out;
	}
	if (n > SIM_MAX_CELL_UPDATES / (size_t)gens) {
		rc = rp_errf(e, RP_EINVAL, "%zu members for %lld generations is too much work; ask for fewer", n,
			     (long long)gens);
		goto out;
	}
	row = malloc((n + 1) * sizeof *row);
	cl = malloc((rowptr[n] ? rowptr[n] : 1) * sizeof *cl);
	share = malloc(((size_t)gens + 1) * sizeof *share);
	if (!row || !cl || !share) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i <= n; i++)
		row[i] = (int)rowptr[i];
	for (size_t k = 0; k < rowptr[n]; k++)
		cl[k] = (int)col[k];
	size_t most = 0;
	for (size_t i = 0; i < n; i++) {
		size_t ties = rowptr[i + 1] - rowptr[i];
		if (cheater_contact ? ids[i] == cheater_contact : cheater < 0 || ties > most) {
			cheater = (int)i;
			most = ties;
		}
	}
	if (cheater < 0) {
		if (cheater_contact) {
			rc = rp_errf(e, RP_EINVAL, "contact %lld is not a member of this community; name a member with"
				     " --cheater", (long long)cheater_contact);
			goto out;
		}
	}
	game_graph g = {(int)n, row, cl};
	game_company company = {(game_strategy)policy, (int)rounds, weight};
	if ((rc = game_community_run(&g, NULL, cheater, b, &company, (int)gens, (uint64_t)seed, share, e)))
		goto out;
	/* Who cheats and where, by name. */
	json_t *who = NULL, *where = NULL;
	db_stmt *s = db_query(c->db, e,
			      "SELECT c.name, m.name FROM contact c, community m WHERE c.id = $1 AND m.id = $2", "ii",
			      ids[cheater], cid);
	if (!s) {
		rc = e->code;
		goto out;
	}
	if ((rc = db_step(s, e)) == DB_ROW) {
		who = json_pack("{s:I,s:s}", "id", (json_int_t)ids[cheater], "name", db_col_text(s, 0));
		where = json_pack("{s:I,s:s}", "id", (json_int_t)cid, "name", db_col_text(s, 1));
		rc = 0;
	}
	db_reset(s);
	if (rc) {
		rc = rc == DB_DONE ? rp_errf(e, RP_ECONFLICT, "the community changed while it was read; ask again") : rc;
		goto out;
	}
	*result = json_pack("{s:o,s:s,s:I,s:o,s:f,s:I,s:f,s:I,s:I,s:o}", "community", where, "policy",
			    game_strategy_name((game_strategy)policy), "members", (json_int_t)n, "cheater", who, "b",
			    b, "rounds", (json_int_t)rounds, "weight", weight, "generations", (json_int_t)gens, "seed",
			    (json_int_t)seed, "share", simulate_share_json(share, (int)gens + 1));
	if (!*result)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
out:
	free(row);
	free(cl);
	free(share);
	free(ids);
	free(rowptr);
	free(col);
	return rc;
}
