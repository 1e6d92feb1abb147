/*
** align: the company's value profile, its clients' traits on the same
** dimensions, and how well the two agree (seed 001).
**
** Positions and traits are in [-1, 1] (-1 the left pole, +1 the right),
** weights in [0, 1]; the store keeps them as thousandths.
**
** The score.  For each dimension d with the company's position p, weight w
** and the client's value c known, the agreement is a = 1 - |p - c|, in
** [-1, 1]: 1 when they stand at the same place, 0 a whole unit apart (one
** of them neutral, the other at a pole), -1 at opposite poles.  The score is
** the weighted mean of the agreements over the known dimensions,
** sum(w a) / sum(w), and the coverage the weight known, sum(known w) /
** sum(all w).  The verdict: "unknown" below coverage 0.25 (too little is
** known to say), else "ours" at score >= 0.5 with coverage >= 0.5 (on
** average within half the scale of us), "not ours" at score <= 0 with
** coverage >= 0.5 (on average a whole unit or more apart: more disagreement
** than agreement), "maybe" otherwise.  The reasons are the dimensions that
** weigh most, w |a|: for when a > 0, against when a < 0, in words made
** from the pole the client leans to.  A linear measure, so that every
** reason can be read back as a share of the score.
**
** Traits come from a person, the intake questionnaire, or tags: the setting
** trait.tags maps tags to values ("bargain:price=-0.8; regular:term=0.7,
** pace=0.2"); a tag's value counts only where nothing else set the
** dimension, and is read at scoring time, so a changed mapping applies at
** once.
*/
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int ru(const char *lang) { return lang && !strcmp(lang, "ru"); }

/* ---- presets ------------------------------------------------------------- */

typedef struct preset_dim {
	const char *key;
	double position, weight;
	const char *left[2], *right[2], *question[2]; /* en, ru */
} preset_dim;

#define PRICE                                                                                                          \
	"price", {"lowest price", "самая низкая цена"}, {"quality first", "качество прежде всего"},                    \
	{"What matters more to you: a low price or the best quality?",                                                  \
	 "Что для вас важнее: низкая цена или лучшее качество?"}
#define TERM                                                                                                           \
	"term", {"a one-off purchase", "разовая покупка"}, {"long-term service", "долгое обслуживание"},                \
	{"Are you looking for a one-off purchase or for someone to look after you for years?",                         \
	 "Вам нужна разовая покупка или тот, кто будет заботиться о вас годами?"}
#define PACE                                                                                                           \
	"pace", {"fast above all", "быстро любой ценой"}, {"time to do it right", "не спеша, но как следует"},         \
	{"Should it be done fast, or done right even if it takes longer?",                                             \
	 "Сделать быстро или сделать как следует, пусть и дольше?"}
#define NOVELTY                                                                                                        \
	"novelty", {"the tried and proven", "проверенное"}, {"new ideas", "новое"},                                     \
	{"Do you prefer the tried and proven, or new ideas?", "Вы предпочитаете проверенное или новое?"}
#define FORMALITY                                                                                                      \
	"formality", {"formal", "официально"}, {"informal, first names", "неформально, на «ты»"},                      \
	{"How do you like to be spoken to: formally, or as friends?",                                                   \
	 "Как с вами лучше общаться: официально или по-дружески?"}
#define INVOLVEMENT                                                                                                    \
	"involvement", {"leaves it to the experts", "доверяет специалистам"},                                          \
	{"takes part in decisions", "участвует в решениях"},                                                           \
	{"Do you leave decisions to the experts, or want to take part in them?",                                       \
	 "Вы доверяете решения специалистам или хотите участвовать в них?"}
#define COMMUNITY                                                                                                      \
	"community", {"on their own", "сам по себе"}, {"together with others", "вместе с другими"},                    \
	{"Do you prefer to do things on your own or together with others?",                                            \
	 "Вы любите заниматься сами по себе или вместе с другими?"}

typedef struct preset {
	const char *key, *name[2];
	int n;
	struct {
		const char *key, *left[2], *right[2], *question[2];
		double position, weight;
	} dims[6];
} preset;

static const preset presets[] = {
	{"atelier", {"Atelier, craft", "Ателье, ремесло"}, 5,
	 {{PRICE, 0.8, 0.9}, {TERM, 0.7, 0.7}, {PACE, 0.6, 0.5}, {FORMALITY, 0.5, 0.4}, {NOVELTY, 0.2, 0.3}}},
	{"clinic", {"Clinic, care", "Клиника, забота"}, 5,
	 {{TERM, 0.9, 0.9}, {INVOLVEMENT, 0.6, 0.7}, {PRICE, 0.5, 0.6}, {PACE, 0.4, 0.6}, {FORMALITY, -0.3, 0.5}}},
	{"camp", {"Camp, community", "Лагерь, сообщество"}, 5,
	 {{COMMUNITY, 0.9, 0.9}, {FORMALITY, 0.8, 0.6}, {NOVELTY, 0.7, 0.6}, {TERM, 0.6, 0.5}, {PRICE, 0.0, 0.3}}},
};
#define NPRESETS (int)(sizeof presets / sizeof presets[0])

static const preset *preset_find(const char *key)
{
	for (int i = 0; i < NPRESETS; i++)
		if (key && !strcmp(presets[i].key, key))
			return &presets[i];
	return NULL;
}

/* The preset's texts of a dimension, or NULL. */
static const char *preset_text(const char *pkey, const char *dim, int which, const char *lang)
{
	const preset *p = preset_find(pkey);
	for (int i = 0; p && i < p->n; i++)
		if (!strcmp(p->dims[i].key, dim)) {
			int l = ru(lang);
			return which == 0 ? p->dims[i].left[l] : which == 1 ? p->dims[i].right[l] : p->dims[i].question[l];
		}
	return NULL;
}

/* ---- numbers ------------------------------------------------------------- */

static int64_t milli(double x) { return (int64_t)llround(x * 1000.0); }
static json_t *num(int64_t m) { return json_real(m / 1000.0); }
static json_t *dec(double x) { return json_real(round(x * 1000.0) / 1000.0); }

int align_check_number(const char *what, double v, double lo, double hi, rp_err *e)
{
	if (isnan(v) || v < lo || v > hi)
		return rp_errf(e, RP_EINVAL, "%s must be a number from %g to %g (-1 the left pole, 1 the right)", what, lo,
			       hi);
	return 0;
}

/* A dimension's key: lower-case letters, digits, - and _, 1 to 32. */
static int key_check(const char *key, rp_err *e)
{
	size_t n = key ? strlen(key) : 0;
	int ok = n > 0 && n <= 32;
	for (size_t i = 0; ok && i < n; i++)
		ok = (key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9') || key[i] == '-' || key[i] == '_';
	return ok ? 0
		  : rp_errf(e, RP_EINVAL,
			    "a dimension's key is 1 to 32 lower-case letters, digits, - or _ (e.g. price), not \"%s\"",
			    key ? key : "");
}

/* ---- the score (pure) -------------------------------------------------------- */

void align_score(const align_dim *dims, size_t n, align_result *r)
{
	double all = 0, known = 0, sum = 0;
	for (size_t i = 0; i < n; i++) {
		all += dims[i].weight;
		if (!dims[i].known)
			continue;
		known += dims[i].weight;
		sum += dims[i].weight * (1.0 - fabs(dims[i].position - dims[i].client));
	}
	r->coverage = all > 0 ? known / all : 0;
	r->has_score = known > 0;
	r->score = known > 0 ? sum / known : 0;
	if (r->coverage < 0.25)
		r->verdict = "unknown";
	else if (r->coverage >= 0.5 && r->score >= 0.5)
		r->verdict = "ours";
	else if (r->coverage >= 0.5 && r->score <= 0)
		r->verdict = "not ours";
	else
		r->verdict = "maybe";
}

/* The client's pole in words: the side they lean to, or between. */
static void pole_words(const align_dim *d, const char *lang, char *buf, size_t size)
{
	if (fabs(d->client) < 0.25)
		snprintf(buf, size, ru(lang) ? "между «%s» и «%s»" : "between \"%s\" and \"%s\"", d->left, d->right);
	else
		snprintf(buf, size, "%s", d->client > 0 ? d->right : d->left);
}

typedef struct ranked {
	size_t i;
	double weight;
} ranked;

static int by_weight(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : (x->i > y->i) - (x->i < y->i);
}

#define REASONS 3

json_t *align_reasons(const align_dim *dims, size_t n, int against, const char *lang)
{
	ranked *r = calloc(n ? n : 1, sizeof *r);
	size_t m = 0;
	for (size_t i = 0; r && i < n; i++) {
		if (!dims[i].known)
			continue;
		double a = 1.0 - fabs(dims[i].position - dims[i].client);
		if ((against && a < 0) || (!against && a > 0))
			r[m++] = (ranked){i, dims[i].weight * fabs(a)};
	}
	json_t *out = json_array();
	if (r)
		qsort(r, m, sizeof *r, by_weight);
	for (size_t k = 0; r && k < m && k < REASONS; k++) {
		if (r[k].weight <= 0)
			break;
		char pole[256], line[320];
		pole_words(&dims[r[k].i], lang, pole, sizeof pole);
		if (ru(lang))
			snprintf(line, sizeof line, against ? "%s, не как мы" : "%s, как и мы", pole);
		else
			snprintf(line, sizeof line, against ? "%s, unlike us" : "%s, like us", pole);
		json_array_append_new(out, json_string(line));
	}
	free(r);
	return out;
}

json_t *align_explain(const align_dim *dims, size_t n, const char *lang)
{
	align_result r;
	align_score(dims, n, &r);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list,
				      json_pack("{s:s,s:o,s:o,s:o,s:o}", "key", dims[i].key, "company",
						dec(dims[i].position), "client", dims[i].known ? dec(dims[i].client) : json_null(),
						"weight", dec(dims[i].weight), "agreement",
						dims[i].known ? dec(1.0 - fabs(dims[i].position - dims[i].client)) : json_null()));
	return json_pack("{s:o,s:o,s:s,s:o,s:o,s:o}", "score", r.has_score ? dec(r.score) : json_null(), "coverage",
			 dec(r.coverage), "verdict", r.verdict, "for", align_reasons(dims, n, 0, lang), "against",
			 align_reasons(dims, n, 1, lang), "dimensions", list);
}

/* ---- the profile ----------------------------------------------------------- */

void align_profile_free(align_profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->dims[i].key);
		free(p->dims[i].left);
		free(p->dims[i].right);
		free(p->dims[i].question);
	}
	free(p->dims);
	memset(p, 0, sizeof *p);
}

static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s ? s : dflt ? dflt : "");
}

int align_profile_load(db *d, const char *lang, align_profile *p, rp_err *e)
{
	memset(p, 0, sizeof *p);
	db_stmt *s = db_query(d, e,
			      "SELECT key, position, weight, preset, left_label, right_label, question"
			      " FROM profile_dimension ORDER BY sort, key",
			      "");
	if (!s)
		return e->code;
	int rc;
	size_t cap = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (p->n == cap) {
			size_t c2 = cap ? cap * 2 : 8;
			align_dim *g = realloc(p->dims, c2 * sizeof *g);
			if (!g) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			p->dims = g;
			cap = c2;
		}
		const char *key = db_col_text(s, 0), *pre = db_col_text(s, 3);
		align_dim *x = &p->dims[p->n++];
		memset(x, 0, sizeof *x);
		x->key = strdup(key);
		x->position = db_col_int(s, 1) / 1000.0;
		x->weight = db_col_int(s, 2) / 1000.0;
		x->left = dup_or(db_col_text(s, 4), preset_text(pre, key, 0, lang));
		x->right = dup_or(db_col_text(s, 5), preset_text(pre, key, 1, lang));
		x->question = dup_or(db_col_text(s, 6), preset_text(pre, key, 2, lang));
		if (!x->key || !x->left || !x->right || !x->question) {
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			break;
		}
		if (!*x->left) {
			free(x->left);
			x->left = strdup(ru(lang) ? "левый полюс" : "the left pole");
		}
		if (!*x->right) {
			free(x->right);
			x->right = strdup(ru(lang) ? "правый полюс" : "the right pole");
		}
	}
	db_reset(s);
	if (rc != DB_DONE) {
		align_profile_free(p);
		return rc;
	}
	return 0;
}

static json_t *dim_json(const align_dim *x)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "key", x->key, "left", x->left, "right", x->right, "question",
			 x->question, "position", dec(x->position), "weight", dec(x->weight));
}

int profile_show(db *d, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (rc)
		return rc;
	json_t *dims = json_array(), *pres = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(dims, dim_json(&p.dims[i]));
	for (int i = 0; i < NPRESETS; i++)
		json_array_append_new(pres, json_pack("{s:s,s:s,s:i}", "key", presets[i].key, "name",
						      presets[i].name[ru(lang)], "dimensions", presets[i].n));
	align_profile_free(&p);
	*out = json_pack("{s:o,s:o}", "dimensions", dims, "presets", pres);
	return 0;
}

/* The dimension key as the profile shows it. */
static int one_dim(db *d, const char *key, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (rc)
		return rc;
	size_t i = 0;
	while (i < p.n && strcmp(p.dims[i].key, key))
		i++;
	if (i < p.n)
		*out = dim_json(&p.dims[i]);
	else
		rc = rp_errf(e, RP_ENOTFOUND, "the profile has no dimension \"%s\"; see 'rapport profile show'", key);
	align_profile_free(&p);
	return rc;
}

int profile_set(db *d, const profile_in *in, const char *lang, json_t **out, rp_err *e)
{
	int rc;
	if ((rc = key_check(in->key, e)) || (rc = check_text("left", in->left, 200, e)) ||
	    (rc = check_text("right", in->right, 200, e)) || (rc = check_text("question", in->question, 1000, e)))
		return rc;
	if (in->has_position && (rc = align_check_number("position", in->position, -1, 1, e)))
		return rc;
	if (in->has_weight && (rc = align_check_number("weight", in->weight, 0, 1, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t exists = 0;
	rc = db_one_int(d, e, &exists, "SELECT count(*) FROM profile_dimension WHERE key = $1", "t", in->key);
	if (!rc && !exists && (!in->has_position || !in->has_weight))
		rc = rp_errf(e, RP_EINVAL, "a new dimension needs --position (-1 to 1) and --weight (0 to 1)");
	if (!rc && !exists && (str_blank(in->left) || str_blank(in->right)))
		rc = rp_errf(e, RP_EINVAL,
			     "a new dimension needs --left and --right: what its two poles mean (e.g. \"lowest price\","
			     " \"quality first\")");
	if (!rc && !exists)
		rc = db_run(d, e,
			    "INSERT INTO profile_dimension(key, position, weight, sort, updated_at, updated_by)"
			    " VALUES ($1, $2, $3, (SELECT coalesce(max(sort), 0) + 1 FROM profile_dimension), $4, $5)",
			    "tiiit", in->key, milli(in->position), milli(in->weight), rp_now(), in->by);
	if (!rc && in->has_position)
		rc = db_run(d, e, "UPDATE profile_dimension SET position = $2 WHERE key = $1", "ti", in->key,
			    milli(in->position));
	if (!rc && in->has_weight)
		rc = db_run(d, e, "UPDATE profile_dimension SET weight = $2 WHERE key = $1", "ti", in->key,
			    milli(in->weight));
	static const char *const cols[] = {"left_label", "right_label", "question"};
	const char *vals[] = {in->left, in->right, in->question};
	for (int i = 0; i < 3 && !rc; i++) {
		if (!vals[i])
			continue;
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE profile_dimension SET %s = $2 WHERE key = $1", cols[i]);
		rc = db_run(d, e, sql, "tt", in->key, str_blank(vals[i]) ? NULL : vals[i]);
	}
	if (!rc)
		rc = db_run(d, e, "UPDATE profile_dimension SET updated_at = $2, updated_by = $3 WHERE key = $1", "tit",
			    in->key, rp_now(), in->by);
	if (!rc)
		rc = one_dim(d, in->key, lang, out, e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int profile_rm(db *d, const char *key, rp_err *e)
{
	int rc = db_begin(d, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM profile_dimension WHERE key = $1", "t", key ? key : "");
	if (!rc && db_changes(d) != 1)
		rc = rp_errf(e, RP_ENOTFOUND, "the profile has no dimension \"%s\"; see 'rapport profile show'",
			     key ? key : "");
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int profile_preset(db *d, const char *name, const char *by, const char *lang, json_t **out, rp_err *e)
{
	const preset *p = preset_find(name);
	if (!p) {
		char list[128] = "";
		for (int i = 0; i < NPRESETS; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", presets[i].key);
		return rp_errf(e, RP_EINVAL, "no preset \"%s\"; the presets are %s", name ? name : "", list);
	}
	int rc = db_begin(d, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM profile_dimension", "");
	for (int i = 0; i < p->n && !rc; i++)
		rc = db_run(d, e,
			    "INSERT INTO profile_dimension(key, position, weight, preset, sort, updated_at, updated_by)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
			    "tiitiit", p->dims[i].key, milli(p->dims[i].position), milli(p->dims[i].weight), p->key,
			    (int64_t)i + 1, rp_now(), by);
	if (!rc)
		rc = profile_show(d, lang, out, e);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* ---- traits ------------------------------------------------------------------ */

static const char *const sources[] = {"person", "questionnaire", "tag", NULL};

int trait_set(db *d, const trait_in *in, json_t **out, rp_err *e)
{
	int rc;
	const char *source = in->source ? in->source : "person";
	if ((rc = key_check(in->dimension, e)) || (rc = align_check_number("the value", in->value, -1, 1, e)))
		return rc;
	if (!one_of(source, sources)) {
		char buf[64];
		return rp_errf(e, RP_EINVAL, "a trait's source is %s, not \"%s\"", words_list(sources, buf, sizeof buf),
			       source);
	}
	if ((rc = contact_exists(d, in->contact, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	rc = db_run(d, e, "DELETE FROM contact_trait WHERE contact_id = $1 AND dimension = $2", "it", in->contact,
		    in->dimension);
	if (!rc)
		rc = db_run(d, e,
			    "INSERT INTO contact_trait(contact_id, dimension, value, source, set_at, set_by)"
			    " VALUES ($1, $2, $3, $4, $5, $6)",
			    "ititit", in->contact, in->dimension, milli(in->value), source,
			    rp_now(), in->by);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	if (!out)
		return 0;
	json_t *list = NULL;
	if ((rc = trait_list(d, in->contact, &list, e)))
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(list, "traits"), i, t)
	{
		if (!strcmp(json_string_value(json_object_get(t, "dimension")), in->dimension)) {
			*out = json_deep_copy(t);
			json_object_set(*out, "contact", json_object_get(list, "contact"));
		}
	}
	json_decref(list);
	return 0;
}

int trait_rm(db *d, int64_t contact, const char *dimension, rp_err *e)
{
	int rc = db_begin(d, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM contact_trait WHERE contact_id = $1 AND dimension = $2", "it", contact,
			    dimension ? dimension : "");
	if (!rc && db_changes(d) != 1)
		rc = rp_errf(e, RP_ENOTFOUND, "contact %lld has no trait \"%s\" set; see 'rapport align %lld'",
			     (long long)contact, dimension ? dimension : "", (long long)contact);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

/* The mapping of trait.tags: "TAG:DIM=VALUE[,DIM=VALUE]; ...".  Calls f
** for each (tag, dim, value); RP_EINVAL saying what is wrong. */
static int tags_walk(const char *text, int (*f)(void *ctx, const char *tag, const char *dim, double v), void *ctx,
		     rp_err *e)
{
	char *copy = strdup(text ? text : ""), *save = NULL;
	if (!copy)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int rc = 0;
	for (char *item = strtok_r(copy, ";", &save); item && !rc; item = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(item, ':');
		char *tag = str_trim(item);
		if (tag && str_blank(tag)) {
			free(tag);
			continue;
		}
		free(tag);
		if (!colon) {
			rc = rp_errf(e, RP_EINVAL, "trait.tags: \"%s\" needs TAG:DIMENSION=VALUE", item);
			break;
		}
		*colon = 0;
		char *t = str_trim(item), *s2 = NULL;
		for (char *pair = strtok_r(colon + 1, ",", &s2); pair && !rc; pair = strtok_r(NULL, ",", &s2)) {
			char *eq = strchr(pair, '='), *end = NULL;
			if (!eq) {
				rc = rp_errf(e, RP_EINVAL, "trait.tags: \"%s\" needs DIMENSION=VALUE", pair);
				break;
			}
			*eq = 0;
			char *dim = str_trim(pair);
			double v = strtod(eq + 1, &end);
			while (end && (*end == ' ' || *end == '\t'))
				end++;
			if (!(rc = key_check(dim, e)) && (!end || *end || end == eq + 1))
				rc = rp_errf(e, RP_EINVAL, "trait.tags: the value of %s for tag %s is not a number", dim, t);
			if (!rc)
				rc = align_check_number("trait.tags: a value", v, -1, 1, e);
			if (!rc && f)
				rc = f(ctx, t, dim, v);
			free(dim);
		}
		free(t);
	}
	free(copy);
	return rc;
}

int align_tags_check(const char *key, const char *value, rp_err *e)
{
	(void)key;
	return tags_walk(value, NULL, NULL, e);
}

typedef struct tag_ctx {
	db *d;
	int64_t contact;
	json_t *traits; /* dimension -> trait object */
	rp_err *e;
} tag_ctx;

static int tag_apply(void *ctx, const char *tag, const char *dim, double v)
{
	tag_ctx *t = ctx;
	if (json_object_get(t->traits, dim))
		return 0;
	char *k = tag_key(tag, t->e);
	if (!k)
		return t->e->code;
	int64_t has = 0;
	int rc = db_one_int(t->d, t->e, &has, "SELECT count(*) FROM contact_tag WHERE contact_id = $1 AND tag = $2",
			    "it", t->contact, k);
	if (!rc && has)
		json_object_set_new(t->traits, dim,
				    json_pack("{s:s,s:o,s:s,s:n,s:s}", "dimension", dim, "value", dec(v), "source", "tag",
					      "set_at", "by", tag));
	free(k);
	return rc;
}

/* The contact's traits as {dimension: trait}: those set, then the tags'. */
static int traits_of(db *d, int64_t contact, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT dimension, value, source, set_at, set_by FROM contact_trait WHERE contact_id = $1"
			      " ORDER BY dimension",
			      "i", contact);
	if (!s)
		return e->code;
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_object_set_new(o, db_col_text(s, 0),
				    json_pack("{s:s,s:o,s:s,s:o,s:o}", "dimension", db_col_text(s, 0), "value",
					      num(db_col_int(s, 1)), "source", db_col_text(s, 2), "set_at",
					      col_json_ts(s, 3), "by", col_json_text(s, 4)));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	char *map = NULL;
	if ((rc = setting_text(d, "trait.tags", NULL, &map, e))) {
		json_decref(o);
		return rc;
	}
	tag_ctx t = {d, contact, o, e};
	if (map)
		rc = tags_walk(map, tag_apply, &t, e);
	free(map);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int contact_ref(db *d, int64_t contact, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT name FROM contact WHERE id = $1", "i", contact);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		*out = json_pack("{s:I,s:s}", "id", (json_int_t)contact, "name", db_col_text(s, 0));
	db_reset(s);
	if (rc == DB_DONE)
		return contact_exists(d, contact, e);
	return rc == DB_ROW ? 0 : rc;
}

int trait_list(db *d, int64_t contact, json_t **out, rp_err *e)
{
	json_t *who = NULL, *o = NULL;
	int rc = contact_ref(d, contact, &who, e);
	if (!rc)
		rc = traits_of(d, contact, &o, e);
	if (rc) {
		json_decref(who);
		return rc;
	}
	json_t *list = json_array(), *v;
	const char *k;
	json_object_foreach(o, k, v) json_array_append(list, v);
	json_decref(o);
	*out = json_pack("{s:o,s:o}", "contact", who, "traits", list);
	return 0;
}

/* ---- alignment ------------------------------------------------------------------ */

/* Fill p's client values from traits {dimension: {value}}. */
static void fill_client(align_profile *p, json_t *traits)
{
	for (size_t i = 0; i < p->n; i++) {
		json_t *t = json_object_get(traits, p->dims[i].key);
		json_t *v = json_is_object(t) ? json_object_get(t, "value") : t;
		p->dims[i].known = json_is_number(v);
		p->dims[i].client = json_is_number(v) ? json_number_value(v) : 0;
	}
}

json_t *align_answers(align_profile *p, json_t *answers, const char *lang)
{
	fill_client(p, answers);
	return align_explain(p->dims, p->n, lang);
}

/* The alignment of a contact under profile p (loaded), or JSON null when p is empty. */
static int align_with(db *d, align_profile *p, int64_t contact, const char *lang, json_t **out, rp_err *e)
{
	if (!p->n) {
		*out = json_null();
		return 0;
	}
	json_t *traits = NULL;
	int rc = traits_of(d, contact, &traits, e);
	if (rc)
		return rc;
	*out = align_answers(p, traits, lang);
	json_decref(traits);
	return 0;
}

int align_contact(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e)
{
	json_t *who = NULL;
	int rc = contact_ref(d, contact, &who, e);
	if (rc)
		return rc;
	align_profile p;
	if ((rc = align_profile_load(d, lang, &p, e))) {
		json_decref(who);
		return rc;
	}
	if (!p.n) {
		align_profile_free(&p);
		json_decref(who);
		return rp_errf(e, RP_ENOTFOUND,
			       "the company has no value profile yet: start from a preset ('rapport profile preset atelier')"
			       " or set a dimension ('rapport profile set')");
	}
	rc = align_with(d, &p, contact, lang, out, e);
	align_profile_free(&p);
	if (rc) {
		json_decref(who);
		return rc;
	}
	json_object_set_new(*out, "contact", who);
	return 0;
}

int align_card(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (!rc)
		rc = align_with(d, &p, contact, lang, out, e);
	align_profile_free(&p);
	return rc;
}

int align_mark(db *d, int64_t contact, int on, const char *by, json_t **out, rp_err *e)
{
	json_t *who = NULL;
	int rc = contact_ref(d, contact, &who, e);
	if (!rc)
		rc = db_begin(d, e);
	if (rc) {
		json_decref(who);
		return rc;
	}
	rc = on ? db_run(d, e,
			 "INSERT INTO best_client(contact_id, marked_at, marked_by) VALUES ($1, $2, $3)"
			 " ON CONFLICT (contact_id) DO NOTHING",
			 "iit", contact, rp_now(), by)
		: db_run(d, e, "DELETE FROM best_client WHERE contact_id = $1", "i", contact);
	if (!rc)
		rc = db_commit(d, e);
	else
		db_rollback(d);
	if (rc) {
		json_decref(who);
		return rc;
	}
	*out = json_pack("{s:o,s:b}", "contact", who, "best", on);
	return 0;
}

/* ---- learning from the best clients, and the report ------------------------------- */

typedef struct client_row {
	int64_t id;
	int64_t clv;
	int has_clv;
	double trust;
	int has_trust;
	int64_t complaints;
	const char *verdict;
	double score;
	int has_score;
} client_row;

static int trust_of(db *d, int64_t contact, double *score, int *has, rp_err *e)
{
	json_t *t = NULL;
	int rc = trust_card(d, contact, "", NULL, &t, e);
	if (rc)
		return rc;
	json_t *s = json_object_get(t, "score");
	*has = json_is_number(s);
	*score = *has ? json_number_value(s) : 0;
	json_decref(t);
	return 0;
}

/* The contacts with a trait or a value score, with what the groups need. */
static int clients_load(db *d, align_profile *p, client_row **out, size_t *n, rp_err *e)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_query(d, e,
			      "SELECT c.id, v.clv, (SELECT count(*) FROM complaint k WHERE k.contact_id = c.id)"
			      " FROM contact c LEFT JOIN value_score v ON v.contact_id = c.id"
			      " WHERE v.contact_id IS NOT NULL OR EXISTS (SELECT 1 FROM contact_trait t WHERE t.contact_id = c.id)"
			      " OR EXISTS (SELECT 1 FROM contact_tag g WHERE g.contact_id = c.id)"
			      " OR EXISTS (SELECT 1 FROM best_client b WHERE b.contact_id = c.id)"
			      " ORDER BY c.id",
			      "");
	if (!s)
		return e->code;
	int rc;
	size_t cap = 0;
	client_row *r = NULL;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			client_row *g = realloc(r, cap * sizeof *g);
			if (!g) {
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
				break;
			}
			r = g;
		}
		client_row *x = &r[(*n)++];
		memset(x, 0, sizeof *x);
		x->id = db_col_int(s, 0);
		x->has_clv = !db_col_null(s, 1);
		x->clv = x->has_clv ? db_col_int(s, 1) : 0;
		x->complaints = db_col_int(s, 2);
	}
	db_reset(s);
	for (size_t i = 0; rc == DB_DONE && i < *n; i++) {
		json_t *a = NULL;
		int r2 = trust_of(d, r[i].id, &r[i].trust, &r[i].has_trust, e);
		if (!r2 && p->n)
			r2 = align_with(d, p, r[i].id, "en", &a, e);
		if (r2) {
			rc = r2;
			break;
		}
		if (a) {
			static const char *const verdicts[] = {"ours", "maybe", "not ours", "unknown", NULL};
			const char *v = json_string_value(json_object_get(a, "verdict"));
			for (int k = 0; verdicts[k]; k++)
				if (v && !strcmp(v, verdicts[k]))
					r[i].verdict = verdicts[k];
			json_t *sc = json_object_get(a, "score");
			r[i].has_score = json_is_number(sc);
			r[i].score = json_number_value(sc);
			json_decref(a);
		}
	}
	if (rc != DB_DONE) {
		free(r);
		*out = NULL;
		*n = 0;
		return rc;
	}
	*out = r;
	return 0;
}

/* Per verdict: clients, mean CLV, complaints per client, mean trust. */
static json_t *groups(const client_row *r, size_t n)
{
	static const char *const verdicts[] = {"ours", "maybe", "not ours", "unknown"};
	json_t *out = json_array();
	for (int v = 0; v < 4; v++) {
		int64_t clients = 0, complaints = 0, nclv = 0, ntrust = 0;
		double clv = 0, trust = 0;
		for (size_t i = 0; i < n; i++) {
			if (!r[i].verdict || strcmp(r[i].verdict, verdicts[v]))
				continue;
			clients++;
			complaints += r[i].complaints;
			if (r[i].has_clv)
				nclv++, clv += r[i].clv / 100.0;
			if (r[i].has_trust)
				ntrust++, trust += r[i].trust;
		}
		json_array_append_new(out, json_pack("{s:s,s:I,s:o,s:o,s:o}", "verdict", verdicts[v], "clients",
						     (json_int_t)clients, "mean_clv", nclv ? dec(clv / nclv) : json_null(),
						     "complaints_per_client",
						     clients ? dec((double)complaints / clients) : json_null(), "mean_trust",
						     ntrust ? dec(trust / ntrust) : json_null()));
	}
	return out;
}

static int by_clv(const void *a, const void *b)
{
	const client_row *x = a, *y = b;
	return x->clv < y->clv ? 1 : x->clv > y->clv ? -1 : (x->id > y->id) - (x->id < y->id);
}

int align_suggest(db *d, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (rc)
		return rc;
	client_row *r = NULL;
	size_t n = 0;
	if ((rc = clients_load(d, &p, &r, &n, e))) {
		align_profile_free(&p);
		return rc;
	}
	/* The best: the top fifth by lifetime value whose trust is not
	** negative, when values were fitted; else the clients marked best. */
	client_row *scored = calloc(n ? n : 1, sizeof *scored);
	size_t ns = 0;
	for (size_t i = 0; scored && i < n; i++)
		if (r[i].has_clv)
			scored[ns++] = r[i];
	int64_t *best = calloc(n ? n : 1, sizeof *best);
	size_t nb = 0;
	const char *from = "marked";
	if (!scored || !best)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	if (!rc && ns) {
		from = "value and trust";
		qsort(scored, ns, sizeof *scored, by_clv);
		size_t top = (ns + 4) / 5;
		for (size_t i = 0; i < top; i++)
			if (!scored[i].has_trust || scored[i].trust >= 0)
				best[nb++] = scored[i].id;
	} else if (!rc) {
		db_stmt *s = db_query(d, e, "SELECT contact_id FROM best_client ORDER BY contact_id", "");
		if (!s)
			rc = e->code;
		else {
			while ((rc = db_step(s, e)) == DB_ROW)
				if (nb < n)
					best[nb++] = db_col_int(s, 0);
			db_reset(s);
			if (rc == DB_DONE)
				rc = 0;
		}
	}
	/* Per dimension (the profile's, then any the best have traits on): the
	** mean of their traits, and a weight that is higher where they agree. */
	json_t *sum = json_object(); /* key -> [values] */
	for (size_t i = 0; i < p.n; i++)
		json_object_set_new(sum, p.dims[i].key, json_array());
	for (size_t i = 0; !rc && i < nb; i++) {
		json_t *t = NULL;
		if ((rc = traits_of(d, best[i], &t, e)))
			break;
		const char *k;
		json_t *v;
		json_object_foreach(t, k, v)
		{
			json_t *l = json_object_get(sum, k);
			if (!l)
				json_object_set_new(sum, k, l = json_array());
			json_array_append(l, json_object_get(v, "value"));
		}
		json_decref(t);
	}
	json_t *suggested = json_array();
	const char *k;
	json_t *l;
	json_object_foreach(sum, k, l)
	{
		size_t m = json_array_size(l);
		if (!m)
			continue;
		double mean = 0, var = 0;
		for (size_t i = 0; i < m; i++)
			mean += json_number_value(json_array_get(l, i));
		mean /= m;
		for (size_t i = 0; i < m; i++) {
			double x = json_number_value(json_array_get(l, i)) - mean;
			var += x * x;
		}
		double spread = sqrt(var / m);
		json_array_append_new(suggested, json_pack("{s:s,s:o,s:o,s:I}", "key", k, "position", dec(mean), "weight",
							   dec(spread >= 1 ? 0 : 1 - spread), "clients", (json_int_t)m));
	}
	json_decref(sum);
	if (!rc)
		*out = json_pack("{s:s,s:I,s:o,s:o}", "from", from, "clients", (json_int_t)nb, "suggested", suggested,
				 "sorted", groups(r, n));
	else
		json_decref(suggested);
	free(scored);
	free(best);
	free(r);
	align_profile_free(&p);
	return rc;
}

int align_report(db *d, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (rc)
		return rc;
	client_row *r = NULL;
	size_t n = 0;
	if ((rc = clients_load(d, &p, &r, &n, e))) {
		align_profile_free(&p);
		return rc;
	}
	/* Four bins of the score: [-1,-0.5) [-0.5,0) [0,0.5) [0.5,1]. */
	int64_t counts[4] = {0};
	for (size_t i = 0; i < n; i++) {
		if (!r[i].has_score)
			continue;
		int b = r[i].score < -0.5 ? 0 : r[i].score < 0 ? 1 : r[i].score < 0.5 ? 2 : 3;
		counts[b]++;
	}
	*out = json_pack("{s:b,s:{s:[f,f,f,f,f],s:[I,I,I,I]},s:o}", "profile", p.n > 0, "distribution", "edges", -1.0,
			 -0.5, 0.0, 0.5, 1.0, "counts", (json_int_t)counts[0], (json_int_t)counts[1],
			 (json_int_t)counts[2], (json_int_t)counts[3], "groups", groups(r, n));
	free(r);
	align_profile_free(&p);
	return 0;
}
