/*
** communities: named groups of clients with their own rules (seed 000: the
** way out of the spiral of cheating is a community whose members trust one
** another at once).  Members have a role and the day they joined; the
** relations between contacts (referred by, friends, family, colleagues)
** tie them.
**
** Health, from the trust ledger (core/trust.c) of the members as they are
** now:
**   cooperation share  per month of the last twelve, the share of the
**                      members' acts (both sides) that were cooperation;
**                      null for a month without acts.
**   let down           members with a company defection in the last 90
**                      days that is not made good.
**   alerts             (contagion) a member let down as above ("we let them
**                      down") or whose own defection in the last 90 days no
**                      later cooperation of theirs answers ("they
**                      defected"), and who is tied to other members: those
**                      are at risk, since whoever was cheated tends to cheat
**                      next.  Ranked by touches (how many members they are
**                      tied to), most first, then the oldest first.
*/
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const community_roles[] = {"member", "founder", "organiser", "guest", NULL};

#define NAME_MAX 200
#define RULES_MAX 102400
#define RECENT_DAYS 90

int community_add(db *d, const char *name, const char *rules, const char *by, int64_t *id, rp_err *e)
{
	int rc;
	if (str_blank(name))
		return rp_errf(e, RP_EINVAL, "a community needs a name, e.g. \"Book club\"");
	if ((rc = check_text("the name", name, NAME_MAX, e)) || (rc = check_text("the rules", rules, RULES_MAX, e)) ||
	    (rc = check_text("by", by, 200, e)))
		return rc;
	if (str_digits(name))
		return rp_errf(e, RP_EINVAL, "a community's name cannot be a number (numbers name communities by id)");
	char *t = str_trim(name), *key = t ? contact_name_key(t) : NULL, *r = str_blank(rules) ? NULL : str_trim(rules);
	if (!t || !key || (!str_blank(rules) && !r)) {
		free(t), free(key), free(r);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	if (!(rc = db_begin(d, e))) {
		int64_t other = 0;
		rc = db_one_int(d, e, &other, "SELECT id FROM community WHERE name_key = $1", "t", key);
		if (!rc)
			rc = rp_errf(e, RP_ECONFLICT, "community %lld has that name already (names are told apart"
				     " regardless of case); choose another, or see 'rapport community show %lld'",
				     (long long)other, (long long)other);
		else if (rc == RP_ENOTFOUND)
			rc = db_one_int(d, e, id,
					"INSERT INTO community(name, name_key, rules, created_at, by_user)"
					" VALUES ($1, $2, $3, $4, $5) RETURNING id",
					"tttit", t, key, r, rp_now(), by);
		if (rc)
			db_rollback(d);
		else
			rc = db_commit(d, e);
	}
	free(t), free(key), free(r);
	return rc;
}

int community_resolve(db *d, const char *ref, int64_t *id, rp_err *e)
{
	char *t = str_trim(ref);
	if (!t)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc;
	if (str_digits(t)) {
		rc = db_one_int(d, e, id, "SELECT id FROM community WHERE id = $1", "i", (int64_t)strtoll(t, NULL, 10));
	} else {
		char *key = contact_name_key(t);
		rc = key ? db_one_int(d, e, id, "SELECT id FROM community WHERE name_key = $1", "t", key)
			 : rp_errf(e, RP_ENOMEM, "out of memory");
		free(key);
	}
	if (rc == RP_ENOTFOUND)
		rc = rp_errf(e, RP_ENOTFOUND, "no community is %s \"%s\"; see 'rapport community list'",
			     str_digits(t) ? "numbered" : "named", t);
	free(t);
	return rc;
}

int community_join(db *d, int64_t community, int64_t contact, const char *role, const char *on, rp_err *e)
{
	char buf[80], day[11];
	int rc;
	if (!role || !*role)
		role = "member";
	if (!one_of(role, community_roles))
		return rp_errf(e, RP_EINVAL, "role \"%s\" is not one of %s", role,
			       words_list(community_roles, buf, sizeof buf));
	if (on && *on) {
		if ((rc = day_check("--on", on, day, e)))
			return rc;
	} else {
		rp_date_format(rp_today(), day);
	}
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t n = 0;
	if (!(rc = contact_exists(d, contact, e)) &&
	    !(rc = db_one_int(d, e, &n, "SELECT count(*) FROM community_member WHERE community_id = $1"
				       " AND contact_id = $2", "ii", community, contact)) && n)
		rc = rp_errf(e, RP_ECONFLICT, "contact %lld is a member of community %lld already; to change the role,"
			     " leave and join again", (long long)contact, (long long)community);
	if (!rc)
		rc = db_run(d, e, "INSERT INTO community_member(community_id, contact_id, role, joined_on)"
			    " VALUES ($1, $2, $3, $4)", "iitt", community, contact, role, day);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int community_leave(db *d, int64_t community, int64_t contact, rp_err *e)
{
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	rc = db_run(d, e, "DELETE FROM community_member WHERE community_id = $1 AND contact_id = $2", "ii", community,
		    contact);
	if (!rc && !db_changes(d))
		rc = rp_errf(e, RP_ENOTFOUND, "contact %lld is not a member of community %lld; see 'rapport community"
			     " show %lld'", (long long)contact, (long long)community, (long long)community);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int community_list(db *d, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT c.id, c.name, c.rules, (SELECT count(*) FROM community_member m"
			      " WHERE m.community_id = c.id) FROM community c ORDER BY c.name_key, c.id",
			      "");
	if (!s)
		return e->code;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:I,s:o,s:o,s:I}", "id", (json_int_t)db_col_int(s, 0), "name",
						   col_json_text(s, 1), "rules", col_json_text(s, 2), "members",
						   (json_int_t)db_col_int(s, 3)));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "communities", a);
	return 0;
}

/* ---- the members' graph ----------------------------------------------------- */

/* The members by contact id, each tie once, as CSR; names[i] is {"id", "name"}. */
typedef struct graph {
	int64_t *ids;
	size_t n;
	size_t *rowptr, *col;
	json_t *names;
} graph;

static void graph_free(graph *g)
{
	free(g->ids);
	free(g->rowptr);
	free(g->col);
	json_decref(g->names);
	memset(g, 0, sizeof *g);
}

static size_t index_of(const graph *g, int64_t id)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->ids[lo] == id ? lo : (size_t)-1;
}

static int cmp_pair(const void *x, const void *y)
{
	const size_t *a = x, *b = y;
	return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] != b[1] ? (a[1] < b[1] ? -1 : 1) : 0;
}

/* The ties between members: both ends members, either direction, any kind. */
#define TIES_SQL                                                                                                 \
	"SELECT r.a, r.b, r.kind FROM relation r"                                                                  \
	" JOIN community_member x ON x.community_id = $1 AND x.contact_id = r.a"                                     \
	" JOIN community_member y ON y.community_id = $1 AND y.contact_id = r.b ORDER BY r.a, r.b, r.kind"

static json_t *tie_row(db_stmt *s)
{
	return json_pack("{s:I,s:I,s:o}", "a", (json_int_t)db_col_int(s, 0), "b", (json_int_t)db_col_int(s, 1), "kind",
			 col_json_text(s, 2));
}

static int graph_load(db *d, int64_t community, graph *g, json_t **ties, rp_err *e)
{
	memset(g, 0, sizeof *g);
	g->names = json_array();
	db_stmt *s = db_query(d, e,
			      "SELECT m.contact_id, c.name FROM community_member m JOIN contact c ON c.id = m.contact_id"
			      " WHERE m.community_id = $1 ORDER BY m.contact_id",
			      "i", community);
	if (!s)
		return e->code;
	int rc;
	size_t cap = 0, np = 0, pcap = 0;
	size_t *pairs = NULL;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (g->n == cap) {
			cap = cap ? 2 * cap : 16;
			int64_t *v = realloc(g->ids, cap * sizeof *v);
			if (!v) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			g->ids = v;
		}
		g->ids[g->n++] = db_col_int(s, 0);
		json_array_append_new(g->names, json_pack("{s:I,s:o}", "id", (json_int_t)db_col_int(s, 0), "name",
							  col_json_text(s, 1)));
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	if (ties)
		*ties = json_array();
	if (!(s = db_query(d, e, TIES_SQL, "i", community))) {
		rc = e->code;
		goto fail;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		size_t a = index_of(g, db_col_int(s, 0)), b = index_of(g, db_col_int(s, 1));
		if (ties)
			json_array_append_new(*ties, tie_row(s));
		if (a == (size_t)-1 || b == (size_t)-1)
			continue;
		if (np + 2 > pcap) {
			pcap = pcap ? 2 * pcap : 64;
			size_t *v = realloc(pairs, pcap * 2 * sizeof *v);
			if (!v) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			pairs = v;
		}
		pairs[2 * np] = a, pairs[2 * np + 1] = b, np++;
		pairs[2 * np] = b, pairs[2 * np + 1] = a, np++;
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	if (np)
		qsort(pairs, np, 2 * sizeof *pairs, cmp_pair);
	g->rowptr = calloc(g->n + 1, sizeof *g->rowptr);
	g->col = malloc((np ? np : 1) * sizeof *g->col);
	if (!g->rowptr || !g->col) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto fail;
	}
	size_t m = 0;
	for (size_t i = 0; i < np; i++) {
		if (i && pairs[2 * i] == pairs[2 * i - 2] && pairs[2 * i + 1] == pairs[2 * i - 1])
			continue; /* two kinds of tie, or both directions: one edge */
		g->col[m++] = pairs[2 * i + 1];
		g->rowptr[pairs[2 * i] + 1]++;
	}
	for (size_t i = 0; i < g->n; i++)
		g->rowptr[i + 1] += g->rowptr[i];
	free(pairs);
	return 0;
fail:
	free(pairs);
	if (ties) {
		json_decref(*ties);
		*ties = NULL;
	}
	graph_free(g);
	return rc;
}

int community_graph(db *d, int64_t id, int64_t **ids, size_t *n, size_t **rowptr, size_t **col, rp_err *e)
{
	graph g;
	int rc = graph_load(d, id, &g, NULL, e);
	if (rc)
		return rc;
	*ids = g.ids, *n = g.n, *rowptr = g.rowptr, *col = g.col;
	json_decref(g.names);
	return 0;
}

/* ---- show and health --------------------------------------------------------- */

/* The community's id, name and rules into *out, or RP_ENOTFOUND. */
static int head(db *d, int64_t id, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT id, name, rules, created_at FROM community WHERE id = $1", "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*out = json_pack("{s:I,s:o,s:o,s:o}", "id", (json_int_t)id, "name", col_json_text(s, 1), "rules",
				 col_json_text(s, 2), "created_at", col_json_ts(s, 3));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = rp_errf(e, RP_ENOTFOUND, "no community is numbered %lld; see 'rapport community list'", (long long)id);
	}
	db_reset(s);
	return rc;
}

int community_show(db *d, int64_t id, json_t **out, rp_err *e)
{
	json_t *c = NULL, *ties = NULL, *members = json_array();
	int rc = db_begin_read(d, e);
	if (rc) {
		json_decref(members);
		return rc;
	}
	rc = head(d, id, &c, e);
	db_stmt *s = rc ? NULL
			: db_query(d, e,
				   "SELECT m.contact_id, c.name, m.role, m.joined_on FROM community_member m"
				   " JOIN contact c ON c.id = m.contact_id WHERE m.community_id = $1"
				   " ORDER BY m.joined_on, m.contact_id",
				   "i", id);
	if (!rc && !s)
		rc = e->code;
	while (s && (rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(members, json_pack("{s:{s:I,s:o},s:o,s:o}", "contact", "id",
							 (json_int_t)db_col_int(s, 0), "name", col_json_text(s, 1),
							 "role", col_json_text(s, 2), "joined_on", col_json_text(s, 3)));
	db_reset(s);
	if (rc == DB_DONE)
		rc = 0;
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		char state[24];
		if (rc || (rc = trust_state(d, json_integer_value(json_object_get(json_object_get(m, "contact"), "id")),
					    state, e)))
			break;
		json_object_set_new(m, "trust_state", json_string(state));
	}
	if (!rc) {
		db_stmt *t = db_query(d, e, TIES_SQL, "i", id);
		rc = t ? 0 : e->code;
		if (!rc)
			rc = rows_json(t, tie_row, &ties, e);
	}
	db_commit(d, NULL);
	if (rc) {
		json_decref(c);
		json_decref(members);
		return rc;
	}
	json_object_set_new(c, "members", members);
	json_object_set_new(c, "ties", ties);
	*out = c;
	return 0;
}

/* "YYYY-MM" of the month k months before today's. */
static void month_back(int k, char out[8])
{
	rp_date t = rp_today();
	unsigned m = (unsigned)(t.y * 12 + (t.m - 1) - k);
	snprintf(out, 8, "%04u-%02u", (m / 12) % 10000, m % 12 + 1);
}

/* The standing defections of side among the members since the day. */
static int standing(db *d, int64_t id, const char *side, const char *since, json_t **out, rp_err *e)
{
	int rc = trust_standing(d, side, since, NULL, id, out, e);
	size_t i;
	json_t *v;
	if (!rc)
		json_array_foreach(*out, i, v) json_object_del(v, "act");
	return rc;
}

/* One alert per member of list who is tied to others, unless alerted already. */
static void alerts_of(const graph *g, json_t *list, const char *why, json_t *alerts, json_t *seen)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		json_t *c = json_object_get(v, "contact");
		char key[24];
		int64_t cid = json_integer_value(json_object_get(c, "id"));
		size_t k = index_of(g, cid);
		snprintf(key, sizeof key, "%lld", (long long)cid);
		if (k == (size_t)-1 || g->rowptr[k] == g->rowptr[k + 1] || json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		json_t *risk = json_array();
		for (size_t j = g->rowptr[k]; j < g->rowptr[k + 1]; j++)
			json_array_append(risk, json_array_get(g->names, g->col[j]));
		json_array_append_new(alerts, json_pack("{s:O,s:s,s:O,s:O,s:I,s:o}", "contact", c, "why", why, "on",
							json_object_get(v, "on"), "text", json_object_get(v, "text"),
							"touches", (json_int_t)json_array_size(risk), "at_risk", risk));
	}
}

static int by_touches(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_int_t ta = json_integer_value(json_object_get(a, "touches")), tb = json_integer_value(json_object_get(b, "touches"));
	if (ta != tb)
		return ta > tb ? -1 : 1;
	int c = strcmp(json_string_value(json_object_get(a, "on")), json_string_value(json_object_get(b, "on")));
	if (c)
		return c;
	json_int_t ia = json_integer_value(json_object_get(json_object_get(a, "contact"), "id")),
		   ib = json_integer_value(json_object_get(json_object_get(b, "contact"), "id"));
	return ia < ib ? -1 : ia > ib;
}

int community_health(db *d, int64_t id, json_t **out, rp_err *e)
{
	json_t *c = NULL, *letdown = NULL, *defected = NULL;
	graph g = {0};
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	if ((rc = head(d, id, &c, e))) {
		db_commit(d, NULL);
		return rc;
	}
	json_t *periods = json_array(), *share = json_array(), *counts = json_array();
	char first[8], since[11];
	month_back(11, first);
	for (int k = 11; k >= 0; k--) {
		char p[8];
		month_back(k, p);
		json_array_append_new(periods, json_string(p));
		json_array_append_new(share, json_null());
		json_array_append_new(counts, json_integer(0));
	}
	/* Acts of both sides of the members as they are now, by month. */
	snprintf(since, sizeof since, "%s-01", first);
	db_stmt *s = db_query(d, e,
			      "SELECT substr(t.on_day, 1, 7), sum(CASE WHEN t.act = 'cooperate' THEN 1 ELSE 0 END),"
			      " count(*) FROM trust_act t JOIN community_member m ON m.contact_id = t.contact_id"
			      " AND m.community_id = $1 WHERE t.on_day >= $2 GROUP BY substr(t.on_day, 1, 7)",
			      "it", id, since);
	if (!s)
		rc = e->code;
	while (s && (rc = db_step(s, e)) == DB_ROW) {
		const char *p = db_col_text(s, 0);
		for (size_t k = 0; p && k < json_array_size(periods); k++)
			if (!strcmp(json_string_value(json_array_get(periods, k)), p)) {
				int64_t coop = db_col_int(s, 1), n = db_col_int(s, 2);
				json_array_set_new(share, k, json_real(n ? round((double)coop / (double)n * 1000) / 1000 : 0));
				json_array_set_new(counts, k, json_integer(n));
			}
	}
	db_reset(s);
	if (rc == DB_DONE)
		rc = 0;
	rp_date t = rp_today();
	rp_date_format(rp_civil_from_days(rp_days_from_civil(t.y, t.m, t.d) - RECENT_DAYS), since);
	if (!rc)
		rc = standing(d, id, "company", since, &letdown, e);
	if (!rc)
		rc = standing(d, id, "client", since, &defected, e);
	if (!rc)
		rc = graph_load(d, id, &g, NULL, e);
	db_commit(d, NULL);
	if (rc) {
		json_decref(c), json_decref(periods), json_decref(share), json_decref(counts);
		json_decref(letdown), json_decref(defected);
		return rc;
	}
	json_t *alerts = json_array(), *seen = json_object();
	alerts_of(&g, letdown, "we let them down", alerts, seen);
	alerts_of(&g, defected, "they defected", alerts, seen);
	json_decref(seen);
	size_t na = json_array_size(alerts);
	json_t **v = malloc((na ? na : 1) * sizeof *v), *ranked = json_array();
	for (size_t i = 0; v && i < na; i++)
		v[i] = json_array_get(alerts, i);
	if (v && na)
		qsort(v, na, sizeof *v, by_touches);
	for (size_t i = 0; v && i < na; i++)
		json_array_append(ranked, v[i]);
	free(v);
	json_decref(alerts);
	graph_free(&g);
	*out = json_pack("{s:{s:O,s:O},s:o,s:o,s:o,s:o,s:o,s:o}", "community", "id", json_object_get(c, "id"), "name",
			 json_object_get(c, "name"), "periods", periods, "cooperation_share", share, "acts", counts,
			 "let_down", letdown, "they_defected", defected, "alerts", ranked);
	json_decref(c);
	return 0;
}
