/*
** similar stories and themes: which clients tell the same thing.
**
** A story becomes a vector of features: the stems of its words (cut,
** folded and stemmed by util/words.c exactly as the search index does) and
** the concepts of data/lexicon.txt its words belong to, so "ignored",
** "nobody noticed" and "не обратили внимания" share a feature although they
** share no word, in either language.  Weights are (1 + ln tf) * idf, the
** vector is scaled to length 1 and two stories are as similar as their
** cosine.  The plain baseline (STORY_TFIDF) uses stems only, every word.
**
** Similar stories: candidates come from the search index, one query per
** strong feature of the story (a word, or every word of a concept at
** once), each reading only its newest matches, so the cost is bounded by
** the number of queries and not by the number of stories; the best
** candidates are read and compared in C.
**
** IDF at scale: the document frequencies are counted over the newest
** IDF_SAMPLE stories (a sample; a term absent from it counts as the rarest)
** and kept per thread until a story is added.  Themes count them exactly
** over the stories they cluster.
**
** Themes: the stories of a period (at most THEMES_MAX, newest first) are
** clustered by spherical k-means seeded by leader clustering: each story
** joins the most similar cluster when the cosine reaches the threshold,
** else starts one; then every story moves to its nearest centroid (or none
** below the threshold) until nothing moves.  Clusters of two stories or
** more are themes, labelled by their centroid's strongest concepts and
** words (a word shown in a form a client used).
*/
#include "core/core.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/idmap.h"
#include "util/words.h"

extern const char rp_lexicon_text[];

#define IDF_SAMPLE 2000   /* stories whose words give the document frequencies */
#define QUERY_FEATURES 24 /* features of a story searched for candidates */
#define PER_FEATURE 100   /* newest matches read per searched feature */
#define CANDIDATES 200    /* candidates compared in C */
#define CONCEPT_WEIGHT 1.5 /* a concept against a word, before idf */
#define CENTROID_TERMS 64 /* features kept in a cluster's centroid */
#define THEMES_MAX 5000   /* stories a theme listing clusters */
/* The cosine to a theme's centroid that makes a story one of it, chosen on
** the dev half of tests/data/stories_eval.tsv for each method. */
#define THEME_LEXICON 0.12
#define THEME_TFIDF 0.05

/* ---- a map from strings to ints -------------------------------------- */

typedef struct smap {
	char **key;
	int32_t *val;
	size_t cap, n;
} smap;

static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static size_t smap_slot(const smap *m, const char *k, size_t n)
{
	size_t i = (size_t)str_hash(k, n) & (m->cap - 1);
	while (m->key[i] && !(strncmp(m->key[i], k, n) == 0 && m->key[i][n] == 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value of k[0..n), or -1. */
static int32_t smap_get(const smap *m, const char *k, size_t n)
{
	if (!m->cap)
		return -1;
	size_t i = smap_slot(m, k, n);
	return m->key[i] ? m->val[i] : -1;
}

/* Insert k[0..n) with v unless present; *val receives the value kept.
** -1 when memory runs out. */
static int smap_put(smap *m, const char *k, size_t n, int32_t v, int32_t *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		smap g = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(int32_t)), cap, m->n};
		if (!g.key || !g.val) {
			free(g.key);
			free(g.val);
			return -1;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->key[i]) {
				size_t j = smap_slot(&g, m->key[i], strlen(m->key[i]));
				g.key[j] = m->key[i];
				g.val[j] = m->val[i];
			}
		free(m->key);
		free(m->val);
		*m = g;
	}
	size_t i = smap_slot(m, k, n);
	if (!m->key[i]) {
		if (!(m->key[i] = strndup(k, n)))
			return -1;
		m->val[i] = v;
		m->n++;
	}
	*val = m->val[i];
	return 0;
}

static void smap_free(smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/* ---- the lexicon ----------------------------------------------------- */

#define STOP (-2)

typedef struct lexicon {
	smap stem;   /* a word's stem -> its concept, or STOP */
	char **name; /* concept names */
	char **words; /* each concept's words, separated by spaces: its search */
	int n;
	int ok;
} lexicon;

static lexicon lex;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

typedef struct lex_line {
	int32_t concept;
	int oom;
} lex_line;

static int lex_word(void *ctx, const char *tok, size_t n, const char *stem, size_t sn, size_t start, size_t end)
{
	lex_line *l = ctx;
	int32_t kept;
	(void)start, (void)end;
	if (smap_put(&lex.stem, stem ? stem : tok, stem ? sn : n, l->concept, &kept))
		l->oom = 1;
	return 0;
}

static void lex_load(void)
{
	rp_words *w = rp_words_new();
	const char *p = rp_lexicon_text;
	int cap = 0;
	while (w && *p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', n);
		if (*p != '#' && colon) {
			size_t nn = (size_t)(colon - p);
			lex_line l = {STOP, 0};
			if (!(nn == 4 && !memcmp(p, "stop", 4))) {
				if (lex.n == cap) {
					cap = cap ? cap * 2 : 32;
					char **a = realloc(lex.name, (size_t)cap * sizeof *a),
					     **b = a ? realloc(lex.words, (size_t)cap * sizeof *b) : NULL;
					if (a)
						lex.name = a;
					if (!b)
						goto fail;
					lex.words = b;
				}
				lex.name[lex.n] = strndup(p, nn);
				lex.words[lex.n] = strndup(colon + 1, n - nn - 1);
				if (!lex.name[lex.n] || !lex.words[lex.n])
					goto fail;
				l.concept = lex.n++;
			}
			if (rp_words_scan(w, colon + 1, n - nn - 1, 1, lex_word, &l) || l.oom)
				goto fail;
		}
		p += n + (end != NULL);
	}
	lex.ok = w != NULL;
fail:
	rp_words_free(w);
}

static int lex_ready(rp_err *e)
{
	pthread_once(&lex_once, lex_load);
	return lex.ok ? 0 : rp_errf(e, RP_ENOMEM, "out of memory while reading the lexicon");
}

/* ---- features -------------------------------------------------------- */

typedef struct feat {
	int32_t id;
	float w;
} feat;

typedef struct vec {
	feat *f;
	int n;
} vec;

/* The features met in one computation: each id's key (a stem, or '#' and a
** concept's name), a form a client used (for labels), its concept (-1 for a
** word) and how many stories have it. */
typedef struct vocab {
	smap map;
	char **surface;
	int32_t *concept, *df, *tf;
	size_t n, cap;
	int32_t *touched; /* ids counted in tf by the story being read */
	size_t ntouched, tcap;
} vocab;

enum { MODE_TFIDF, MODE_LEXICON, MODE_ALL };

static void vocab_free(vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->surface[i]);
	free(v->surface);
	free(v->concept);
	free(v->df);
	free(v->tf);
	free(v->touched);
	smap_free(&v->map);
	memset(v, 0, sizeof *v);
}

/* The id of key[0..n) (added if new), counted once more in the story being
** read; -1 when memory runs out. */
static int32_t vocab_count(vocab *v, const char *key, size_t n, const char *surface, size_t sn, int32_t concept)
{
	int32_t id;
	if (smap_put(&v->map, key, n, (int32_t)v->n, &id))
		return -1;
	if ((size_t)id == v->n) {
		if (v->n == v->cap) {
			size_t cap = v->cap ? v->cap * 2 : 256;
			char **s = realloc(v->surface, cap * sizeof *s);
			if (s)
				v->surface = s;
			int32_t *c = s ? realloc(v->concept, cap * sizeof *c) : NULL;
			if (c)
				v->concept = c;
			int32_t *d = c ? realloc(v->df, cap * sizeof *d) : NULL;
			if (d)
				v->df = d;
			int32_t *t = d ? realloc(v->tf, cap * sizeof *t) : NULL;
			if (!t)
				return -1;
			v->tf = t;
			v->cap = cap;
		}
		if (!(v->surface[id] = strndup(surface, sn)))
			return -1;
		v->concept[id] = concept;
		v->df[id] = 0;
		v->tf[id] = 0;
		v->n++;
	}
	if (!v->tf[id]++) {
		if (v->ntouched == v->tcap) {
			size_t cap = v->tcap ? v->tcap * 2 : 64;
			int32_t *t = realloc(v->touched, cap * sizeof *t);
			if (!t)
				return -1;
			v->touched = t;
			v->tcap = cap;
		}
		v->touched[v->ntouched++] = id;
	}
	return id;
}

typedef struct reading {
	vocab *v;
	int mode;
	int oom;
} reading;

static int read_word(void *ctx, const char *tok, size_t n, const char *stem, size_t sn, size_t start, size_t end)
{
	reading *r = ctx;
	const char *key = stem ? stem : tok;
	size_t kn = stem ? sn : n;
	(void)start, (void)end;
	int32_t c = r->mode == MODE_TFIDF ? -1 : smap_get(&lex.stem, key, kn);
	if (c == STOP && r->mode == MODE_LEXICON)
		return 0;
	if (vocab_count(r->v, key, kn, tok, n, -1) < 0)
		return r->oom = 1;
	if (c >= 0) {
		char ck[96];
		int cn = snprintf(ck, sizeof ck, "#%s", lex.name[c]);
		if (vocab_count(r->v, ck, (size_t)cn, lex.name[c], strlen(lex.name[c]), c) < 0)
			return r->oom = 1;
	}
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const feat *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Read text into x: its features with their counts in w (weighed later,
** when the document frequencies are known), sorted by id.  Each feature's
** df counts this story. */
static int featurize(rp_words *w, vocab *v, const char *text, int mode, vec *x, rp_err *e)
{
	reading r = {v, mode, 0};
	v->ntouched = 0;
	int rc = rp_words_scan(w, text, strlen(text), 1, read_word, &r);
	x->f = malloc((v->ntouched ? v->ntouched : 1) * sizeof *x->f);
	if (rc || r.oom || !x->f) {
		for (size_t i = 0; i < v->ntouched; i++)
			v->tf[v->touched[i]] = 0;
		free(x->f);
		x->f = NULL;
		return rp_errf(e, RP_ENOMEM, "out of memory while reading stories");
	}
	x->n = (int)v->ntouched;
	for (size_t i = 0; i < v->ntouched; i++) {
		int32_t id = v->touched[i];
		x->f[i] = (feat){id, (float)v->tf[id]};
		v->tf[id] = 0;
		v->df[id]++;
	}
	qsort(x->f, (size_t)x->n, sizeof *x->f, by_id);
	return 0;
}

/* Counts to weights: (1 + ln tf) * idf, concepts worth CONCEPT_WEIGHT
** words, scaled to length 1.  ndocs: the stories df was counted over. */
static void weigh(const vocab *v, double ndocs, vec *x)
{
	double norm = 0;
	for (int i = 0; i < x->n; i++) {
		int32_t id = x->f[i].id;
		double idf = log((ndocs + 1) / (v->df[id] + 1)) + 1;
		double w = (1 + log(x->f[i].w)) * idf * (v->concept[id] >= 0 ? CONCEPT_WEIGHT : 1);
		x->f[i].w = (float)w;
		norm += w * w;
	}
	norm = sqrt(norm);
	for (int i = 0; i < x->n && norm > 0; i++)
		x->f[i].w = (float)(x->f[i].w / norm);
}

static double cosine(const vec *a, const vec *b)
{
	double s = 0;
	for (int i = 0, j = 0; i < a->n && j < b->n;) {
		if (a->f[i].id < b->f[j].id)
			i++;
		else if (a->f[i].id > b->f[j].id)
			j++;
		else
			s += (double)a->f[i++].w * b->f[j++].w;
	}
	return s;
}

int story_method_parse(const char *name, story_method *m, rp_err *e)
{
	if (!name || !*name || !strcmp(name, "lexicon"))
		*m = STORY_LEXICON;
	else if (!strcmp(name, "tfidf"))
		*m = STORY_TFIDF;
	else
		return rp_errf(e, RP_EINVAL,
			       "method \"%s\" is not one of lexicon (words and their concepts, the default) or tfidf"
			       " (words only)",
			       name);
	return 0;
}

/* ---- document frequencies of the newest stories, per thread ---------- */

typedef struct idf_cache {
	const db *d;
	int64_t max_id, stamp;
	unsigned long generation;
	smap df; /* key -> stories of the sample that have it */
	double ndocs;
} idf_cache;

static _Thread_local idf_cache cache;

static int idf_refresh(db *d, rp_words *w, rp_err *e)
{
	int64_t max_id = 0, stamp = 0;
	db_stmt *s = db_query(d, e, "SELECT id, created_at FROM story ORDER BY id DESC LIMIT 1", "");
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		max_id = db_col_int(s, 0);
		stamp = db_col_int(s, 1);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	unsigned long generation = story_generation;
	if (cache.d == d && cache.max_id == max_id && cache.stamp == stamp && cache.generation == generation &&
	    cache.df.cap)
		return 0;
	smap_free(&cache.df);
	cache.d = NULL;
	vocab v = {0};
	double n = 0;
	if (!(s = db_query(d, e, "SELECT body FROM story ORDER BY id DESC LIMIT $1", "i", (int64_t)IDF_SAMPLE))) {
		vocab_free(&v);
		return e->code;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		vec x;
		if ((rc = featurize(w, &v, db_col_text(s, 0), MODE_ALL, &x, e)))
			break;
		free(x.f);
		n++;
	}
	db_reset(s);
	if (rc == DB_DONE) {
		rc = 0;
		for (size_t i = 0; !rc && i < v.map.cap; i++) {
			int32_t kept;
			if (v.map.key[i] &&
			    smap_put(&cache.df, v.map.key[i], strlen(v.map.key[i]), v.df[v.map.val[i]], &kept))
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
		}
	}
	vocab_free(&v);
	if (rc) {
		smap_free(&cache.df);
		return rc;
	}
	if (!cache.df.cap) {
		int32_t kept;
		if (smap_put(&cache.df, "", 0, 0, &kept)) /* an empty store is a sample too */
			return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	cache.d = d;
	cache.max_id = max_id;
	cache.stamp = stamp;
	cache.generation = generation;
	cache.ndocs = n;
	return 0;
}

/* Each feature's frequency in the sample (0 when it is not there). */
static void df_from_cache(vocab *v)
{
	for (size_t i = 0; i < v->map.cap; i++)
		if (v->map.key[i]) {
			int32_t df = smap_get(&cache.df, v->map.key[i], strlen(v->map.key[i]));
			v->df[v->map.val[i]] = df > 0 ? df : 0;
		}
}

/* ---- similar stories ------------------------------------------------- */

typedef struct cand {
	int64_t id;
	double score;
	json_t *row;
	vec v;
} cand;

typedef struct gather {
	rp_idmap acc; /* story id -> summed weight of the features it matched, in millionths */
	double w;
	int oom;
} gather;

static int gather_row(void *ctx, const char *kind, int64_t ref, double rank)
{
	gather *g = ctx;
	(void)kind, (void)rank;
	int64_t *a = rp_idmap_put(&g->acc, ref, 0, NULL);
	if (!a)
		return g->oom = 1;
	*a += (int64_t)(g->w * 1e6);
	return 0;
}

static int by_weight(const void *a, const void *b)
{
	const feat *x = a, *y = b;
	return (x->w < y->w) - (x->w > y->w);
}

static int by_score(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return (x->score < y->score) - (x->score > y->score);
	return (x->id < y->id) - (x->id > y->id);
}

static json_t *contact_json(db_stmt *s, int id, int name)
{
	return json_pack("{s:I,s:o}", "id", (json_int_t)db_col_int(s, id), "name", col_json_text(s, name));
}

/* The story's strongest features searched one by one, their matches
** summed by weight; cands receives the best CANDIDATES but the story. */
static int candidates(db *d, int64_t story, const vocab *v, const vec *q, cand **cands, int *ncands, rp_err *e)
{
	feat *f = malloc((q->n ? (size_t)q->n : 1) * sizeof *f);
	gather g = {{0}, 0, 0};
	int rc = 0;
	if (!f)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	memcpy(f, q->f, (size_t)q->n * sizeof *f);
	qsort(f, (size_t)q->n, sizeof *f, by_weight);
	for (int i = 0; !rc && i < q->n && i < QUERY_FEATURES; i++) {
		int32_t c = v->concept[f[i].id];
		g.w = f[i].w;
		rc = db_fulltext_any(d, "story", c >= 0 ? lex.words[c] : v->surface[f[i].id], PER_FEATURE, gather_row, &g,
				     e);
		if (!rc && g.oom)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
	}
	free(f);
	cand *a = rc ? NULL : calloc(g.acc.n + 1, sizeof *a);
	int n = 0;
	if (!rc && !a)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < g.acc.cap; i++)
		if (g.acc.key[i] && g.acc.key[i] != story)
			a[n++] = (cand){g.acc.key[i], (double)g.acc.val[i], NULL, {NULL, 0}};
	rp_idmap_free(&g.acc);
	if (rc)
		return rc;
	qsort(a, (size_t)n, sizeof *a, by_score);
	*cands = a;
	*ncands = n < CANDIDATES ? n : CANDIDATES;
	return 0;
}

#define BATCH 16

/* Read the candidates' rows, BATCH at a time, dropping those told by
** contact; each keeps its row (for the answer) and its features. */
static int read_candidates(db *d, rp_words *w, vocab *v, int mode, int64_t contact, cand *a, int *n, rp_err *e)
{
	static const char sql[] =
		"SELECT s.id, s.contact_id, c.name, s.told_on, s.kind, s.tone, s.body FROM story s"
		" JOIN contact c ON c.id = s.contact_id"
		" WHERE s.id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
	int kept = 0, rc = 0;
	for (int at = 0; !rc && at < *n; at += BATCH) {
		db_stmt *s = db_prepare(d, sql, e);
		if (!s)
			return e->code;
		for (int k = 0; k < BATCH; k++)
			db_bind_int(s, k + 1, at + k < *n ? a[at + k].id : 0);
		while ((rc = db_step(s, e)) == DB_ROW) {
			if (db_col_int(s, 1) == contact)
				continue;
			cand c = {db_col_int(s, 0), 0, NULL, {NULL, 0}};
			if ((rc = featurize(w, v, db_col_text(s, 6), mode, &c.v, e)))
				break;
			c.row = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)c.id, "contact", contact_json(s, 1, 2),
					  "told_on", col_json_text(s, 3), "kind", col_json_text(s, 4), "tone",
					  col_json_text(s, 5), "text", col_json_text(s, 6));
			/* rows come back in any order; the slots before 'at' are done */
			a[kept++] = c;
		}
		db_reset(s);
		rc = rc == DB_DONE ? 0 : rc;
	}
	*n = kept;
	return rc;
}

int story_similar_by(db *d, int64_t story, int64_t limit, story_method method, json_t **out, rp_err *e)
{
	if (limit < 1 || limit > 100)
		return rp_errf(e, RP_EINVAL, "the limit must be between 1 and 100 stories; %lld is not", (long long)limit);
	int rc = lex_ready(e);
	if (rc)
		return rc;
	db_stmt *s = db_query(d, e,
			      "SELECT s.contact_id, c.name, s.body FROM story s JOIN contact c ON c.id = s.contact_id"
			      " WHERE s.id = $1",
			      "i", story);
	if (!s)
		return e->code;
	if ((rc = db_step(s, e)) != DB_ROW) {
		db_reset(s);
		return rc == DB_DONE ? rp_errf(e, RP_ENOTFOUND,
					       "there is no story %lld; 'rapport story list' shows the stories and their ids",
					       (long long)story)
				     : rc;
	}
	int64_t contact = db_col_int(s, 0);
	json_t *head = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)story, "contact", contact_json(s, 0, 1), "text",
				 col_json_text(s, 2));
	char *body = strdup(db_col_text(s, 2));
	db_reset(s);
	rc = 0;

	int mode = method == STORY_TFIDF ? MODE_TFIDF : MODE_LEXICON;
	rp_words *w = rp_words_new();
	vocab v = {0};
	vec q = {NULL, 0};
	cand *a = NULL;
	int n = 0;
	if (!w || !body)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	if (!rc)
		rc = idf_refresh(d, w, e);
	if (!rc)
		rc = featurize(w, &v, body, mode, &q, e);
	if (!rc) {
		/* the query's own weights, for choosing what to search */
		df_from_cache(&v);
		weigh(&v, cache.ndocs, &q);
		rc = candidates(d, story, &v, &q, &a, &n, e);
	}
	if (!rc)
		rc = read_candidates(d, w, &v, mode, contact, a, &n, e);
	if (!rc) {
		df_from_cache(&v);
		for (int i = 0; i < n; i++) {
			weigh(&v, cache.ndocs, &a[i].v);
			a[i].score = cosine(&q, &a[i].v);
		}
		qsort(a, (size_t)n, sizeof *a, by_score);
		json_t *list = json_array();
		for (int i = 0; i < n && (int64_t)json_array_size(list) < limit && a[i].score > 0; i++) {
			json_object_set_new(a[i].row, "score", json_real(round(a[i].score * 1000) / 1000));
			json_array_append(list, a[i].row);
		}
		*out = json_pack("{s:o,s:o}", "story", head, "similar", list);
		head = NULL;
	}
	for (int i = 0; a && i < n; i++) {
		json_decref(a[i].row);
		free(a[i].v.f);
	}
	free(a);
	free(q.f);
	free(body);
	vocab_free(&v);
	rp_words_free(w);
	json_decref(head);
	return rc;
}

int story_similar(db *d, int64_t story, int64_t limit, json_t **out, rp_err *e)
{
	return story_similar_by(d, story, limit, STORY_LEXICON, out, e);
}

/* ---- themes ---------------------------------------------------------- */

/* The clusters holding each feature, with the feature's weight in them. */
typedef struct post {
	int32_t *c;
	float *w;
	int n, cap;
} post;

typedef struct clusters {
	post *p;
	size_t nfeat;
	vec *cent; /* centroid of each cluster, length 1 */
	int k;
	double *acc;
	int *touched;
} clusters;

static int post_add(post *p, int32_t c, float w)
{
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		int32_t *a = realloc(p->c, (size_t)cap * sizeof *a);
		if (a)
			p->c = a;
		float *b = a ? realloc(p->w, (size_t)cap * sizeof *b) : NULL;
		if (!b)
			return -1;
		p->w = b;
		p->cap = cap;
	}
	p->c[p->n] = c;
	p->w[p->n++] = w;
	return 0;
}

static int cluster_index(clusters *cl, int c)
{
	for (int i = 0; i < cl->cent[c].n; i++)
		if (post_add(&cl->p[cl->cent[c].f[i].id], c, cl->cent[c].f[i].w))
			return -1;
	return 0;
}

/* The cluster nearest x and its cosine (-1 and 0 when none shares a feature). */
static int nearest(clusters *cl, const vec *x, double *sim)
{
	int nt = 0, best = -1;
	for (int i = 0; i < x->n; i++) {
		const post *p = &cl->p[x->f[i].id];
		for (int j = 0; j < p->n; j++) {
			if (cl->acc[p->c[j]] == 0)
				cl->touched[nt++] = p->c[j];
			cl->acc[p->c[j]] += (double)x->f[i].w * p->w[j];
		}
	}
	*sim = 0;
	for (int i = 0; i < nt; i++) {
		int c = cl->touched[i];
		if (cl->acc[c] > *sim || (cl->acc[c] == *sim && c < best)) {
			*sim = cl->acc[c];
			best = c;
		}
		cl->acc[c] = 0;
	}
	return best;
}

/* The normalised mean of the members of each cluster, cut to its
** CENTROID_TERMS strongest features.  Clusters left without members are
** dropped and the others numbered anew in out. */
static int centroids(clusters *cl, const vec *x, int n, int *out)
{
	double *sum = calloc(cl->nfeat ? cl->nfeat : 1, sizeof *sum);
	int *order = malloc((size_t)(n ? n : 1) * sizeof *order), *first = calloc((size_t)cl->k + 1, sizeof *first);
	int32_t *feats = malloc((cl->nfeat ? cl->nfeat : 1) * sizeof *feats);
	int rc = sum && order && first && feats ? 0 : -1, k = 0;
	/* members of each cluster side by side (counting sort) */
	for (int i = 0; !rc && i < n; i++)
		if (out[i] >= 0)
			first[out[i] + 1]++;
	for (int c = 0; !rc && c < cl->k; c++)
		first[c + 1] += first[c];
	for (int i = 0; !rc && i < n; i++)
		if (out[i] >= 0)
			order[first[out[i]]++] = i;
	for (int c = cl->k; !rc && c > 0; c--)
		first[c] = first[c - 1];
	if (!rc)
		first[0] = 0;
	for (size_t f = 0; f < cl->nfeat; f++)
		cl->p[f].n = 0;
	for (int c = 0; !rc && c < cl->k; c++) {
		int from = first[c], to = c + 1 < cl->k ? first[c + 1] : first[cl->k];
		free(cl->cent[c].f);
		cl->cent[c] = (vec){NULL, 0};
		if (from == to)
			continue;
		int nf = 0;
		for (int m = from; m < to; m++) {
			const vec *v = &x[order[m]];
			for (int i = 0; i < v->n; i++) {
				if (sum[v->f[i].id] == 0)
					feats[nf++] = v->f[i].id;
				sum[v->f[i].id] += v->f[i].w;
			}
		}
		feat *f = malloc((size_t)nf * sizeof *f);
		if (!f) {
			rc = -1;
			break;
		}
		for (int i = 0; i < nf; i++) {
			f[i] = (feat){feats[i], (float)sum[feats[i]]};
			sum[feats[i]] = 0;
		}
		qsort(f, (size_t)nf, sizeof *f, by_weight);
		if (nf > CENTROID_TERMS)
			nf = CENTROID_TERMS;
		double norm = 0;
		for (int i = 0; i < nf; i++)
			norm += (double)f[i].w * f[i].w;
		norm = sqrt(norm);
		for (int i = 0; i < nf; i++)
			f[i].w = (float)(f[i].w / norm);
		qsort(f, (size_t)nf, sizeof *f, by_id);
		for (int m = from; m < to; m++)
			out[order[m]] = k;
		cl->cent[k++] = (vec){f, nf};
	}
	for (int c = k; c < cl->k; c++) {
		free(cl->cent[c].f);
		cl->cent[c] = (vec){NULL, 0};
	}
	cl->k = k;
	for (int c = 0; !rc && c < k; c++)
		if (cluster_index(cl, c))
			rc = -1;
	free(sum);
	free(order);
	free(first);
	free(feats);
	return rc;
}

/* Cluster the n vectors (features below nfeat) at cosine tau: out[i]
** receives story i's cluster, or -1.  -1 when memory runs out. */
static int cluster_run(const vec *x, int n, size_t nfeat, double tau, int *out)
{
	clusters cl = {calloc(nfeat ? nfeat : 1, sizeof(post)), nfeat, calloc((size_t)(n ? n : 1), sizeof(vec)), 0,
		       calloc((size_t)(n ? n : 1), sizeof(double)), malloc((size_t)(n ? n : 1) * sizeof(int))};
	int rc = cl.p && cl.cent && cl.acc && cl.touched ? 0 : -1;
	/* leaders: the first story of each cluster stands for it */
	for (int i = 0; !rc && i < n; i++) {
		double sim;
		int c = nearest(&cl, &x[i], &sim);
		if (c >= 0 && sim >= tau) {
			out[i] = c;
			continue;
		}
		out[i] = cl.k;
		cl.cent[cl.k].f = malloc((size_t)(x[i].n ? x[i].n : 1) * sizeof(feat));
		if (!cl.cent[cl.k].f) {
			rc = -1;
			break;
		}
		memcpy(cl.cent[cl.k].f, x[i].f, (size_t)x[i].n * sizeof(feat));
		cl.cent[cl.k].n = x[i].n;
		rc = cluster_index(&cl, cl.k++);
	}
	/* then each to its nearest centroid, until nothing moves */
	for (int pass = 0; !rc && pass < 10; pass++) {
		if ((rc = centroids(&cl, x, n, out)))
			break;
		int moved = 0;
		for (int i = 0; i < n; i++) {
			double sim;
			int c = nearest(&cl, &x[i], &sim);
			c = c >= 0 && sim >= tau ? c : -1;
			moved += c != out[i];
			out[i] = c;
		}
		if (!moved)
			break;
	}
	for (size_t f = 0; cl.p && f < nfeat; f++) {
		free(cl.p[f].c);
		free(cl.p[f].w);
	}
	for (int c = 0; cl.cent && c < n; c++)
		free(cl.cent[c].f);
	free(cl.p);
	free(cl.cent);
	free(cl.acc);
	free(cl.touched);
	return rc;
}

/* A story of a theme listing. */
typedef struct tstory {
	int64_t id, contact;
	char told_on[11], kind[16];
	json_t *brief; /* {"id", "contact", "text"} */
	vec v;
	int cluster;
} tstory;

static int by_size(const void *a, const void *b)
{
	const int *x = a, *y = b; /* {size, clients, cluster} */
	if (x[0] != y[0])
		return y[0] - x[0];
	if (x[1] != y[1])
		return y[1] - x[1];
	return x[2] - y[2];
}

static int by_int64(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* How many different values a[0..n) holds (sorting it). */
static int distinct(int64_t *a, int n)
{
	int k = 0;
	qsort(a, (size_t)n, sizeof *a, by_int64);
	for (int i = 0; i < n; i++)
		k += i == 0 || a[i] != a[i - 1];
	return k;
}

/* The period (0 ...) of a day for a report that starts at start. */
static int period_of(const themes_q *q, const char *day)
{
	rp_date d;
	if (rp_date_parse(day, 0, &d) < 0)
		return -1;
	if (q->by == 'q')
		return (d.y - q->start.y) * 4 + ((d.m - 1) / 3 - (q->start.m - 1) / 3);
	return (d.y - q->start.y) * 12 + (d.m - q->start.m);
}

/* One theme: cluster c of the stories t[0..n). */
static json_t *theme_json(const themes_q *q, const vocab *v, tstory *t, int n, int c)
{
	int size = 0;
	for (int i = 0; i < n; i++)
		size += t[i].cluster == c;
	int64_t *contacts = malloc((size_t)size * sizeof *contacts);
	vec *members = malloc((size_t)size * sizeof *members);
	int *pos = malloc((size_t)size * sizeof *pos);
	if (!contacts || !members || !pos) {
		free(contacts);
		free(members);
		free(pos);
		return NULL;
	}
	json_t *kinds = json_object(), *ids = json_array(), *periods = json_array();
	for (int p = 0; p < q->nperiods; p++)
		json_array_append_new(periods, json_integer(0));
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (t[i].cluster != c)
			continue;
		contacts[m] = t[i].contact;
		members[m] = t[i].v;
		pos[m++] = i;
		json_int_t k = json_integer_value(json_object_get(kinds, t[i].kind));
		json_object_set_new(kinds, t[i].kind, json_integer(k + 1));
		json_array_append_new(ids, json_integer(t[i].id));
		int p = q->by ? period_of(q, t[i].told_on) : -1;
		if (p >= 0 && p < q->nperiods)
			json_array_set_new(periods, (size_t)p,
					   json_integer(json_integer_value(json_array_get(periods, (size_t)p)) + 1));
	}
	int clients = distinct(contacts, size);
	/* the centroid's strongest features name the theme */
	clusters one = {NULL, v->n, NULL, 0, NULL, NULL};
	vec centroid = {NULL, 0};
	one.cent = &centroid;
	one.k = 1;
	one.p = calloc(v->n ? v->n : 1, sizeof(post));
	int *all = calloc((size_t)size, sizeof *all);
	json_t *terms = json_array(), *examples = json_array();
	char label[200] = "";
	if (one.p && all && !centroids(&one, members, size, all) && one.k == 1) {
		feat *f = malloc((size_t)(centroid.n ? centroid.n : 1) * sizeof *f);
		if (f) {
			memcpy(f, centroid.f, (size_t)centroid.n * sizeof *f);
			qsort(f, (size_t)centroid.n, sizeof *f, by_weight);
			for (int i = 0; i < centroid.n && json_array_size(terms) < 5; i++) {
				const char *word = v->surface[f[i].id];
				json_array_append_new(terms, json_string(word));
				if (json_array_size(terms) <= 3) {
					size_t l = strlen(label);
					snprintf(label + l, sizeof label - l, "%s%s", l ? ", " : "", word);
				}
			}
			free(f);
		}
		/* the stories nearest the centroid stand for it */
		double best[3] = {-1, -1, -1};
		int at[3] = {-1, -1, -1};
		for (int i = 0; i < size; i++) {
			double s = cosine(&members[i], &centroid);
			for (int k = 0; k < 3; k++)
				if (s > best[k]) {
					memmove(best + k + 1, best + k, (size_t)(2 - k) * sizeof *best);
					memmove(at + k + 1, at + k, (size_t)(2 - k) * sizeof *at);
					best[k] = s;
					at[k] = i;
					break;
				}
		}
		for (int k = 0; k < 3; k++)
			if (at[k] >= 0)
				json_array_append(examples, t[pos[at[k]]].brief);
	}
	if (one.p) {
		for (size_t f = 0; f < v->n; f++) {
			free(one.p[f].c);
			free(one.p[f].w);
		}
	}
	free(centroid.f);
	free(one.p);
	free(all);
	free(contacts);
	free(members);
	free(pos);
	json_t *th = json_pack("{s:s,s:o,s:i,s:i,s:o,s:o,s:o}", "label", label, "terms", terms, "stories", size, "clients",
			       clients, "by_kind", kinds, "examples", examples, "story_ids", ids);
	if (q->by)
		json_object_set_new(th, "by_period", periods);
	else
		json_decref(periods);
	return th;
}

int themes_run(db *d, const themes_q *q, json_t **themes, int *capped, int64_t *considered, rp_err *e)
{
	int rc = lex_ready(e);
	if (rc)
		return rc;
	int64_t max = q->max > 0 ? q->max : THEMES_MAX;
	db_stmt *s = db_query(d, e,
			      "SELECT s.id, s.contact_id, c.name, s.told_on, s.kind, s.body FROM story s"
			      " JOIN contact c ON c.id = s.contact_id"
			      " WHERE s.told_on >= $1 AND ($2 IS NULL OR s.kind = $2)"
			      " ORDER BY s.told_on DESC, s.id DESC LIMIT $3",
			      "tti", q->since, q->kind && *q->kind ? q->kind : NULL, max + 1);
	if (!s)
		return e->code;
	int mode = q->method == STORY_TFIDF ? MODE_TFIDF : MODE_LEXICON;
	rp_words *w = rp_words_new();
	vocab v = {0};
	tstory *t = calloc((size_t)max + 1, sizeof *t);
	int n = 0;
	if (!w || !t)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	while (!rc && (rc = db_step(s, e)) == DB_ROW) {
		rc = 0;
		if (n == max) {
			*capped = 1;
			continue;
		}
		tstory *x = &t[n];
		x->id = db_col_int(s, 0);
		x->contact = db_col_int(s, 1);
		snprintf(x->told_on, sizeof x->told_on, "%s", db_col_text(s, 3));
		snprintf(x->kind, sizeof x->kind, "%s", db_col_text(s, 4));
		x->brief = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)x->id, "contact", contact_json(s, 1, 2), "text",
				     col_json_text(s, 5));
		n++;
		rc = featurize(w, &v, db_col_text(s, 5), mode, &x->v, e);
	}
	db_reset(s);
	rc = rc == DB_DONE || rc == DB_ROW ? 0 : rc;
	int *out = rc ? NULL : malloc((size_t)(n ? n : 1) * sizeof *out);
	vec *xs = rc ? NULL : malloc((size_t)(n ? n : 1) * sizeof *xs);
	if (!rc && (!out || !xs))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	if (!rc) {
		for (int i = 0; i < n; i++) {
			weigh(&v, n, &t[i].v);
			xs[i] = t[i].v;
		}
		double tau = q->threshold > 0 ? q->threshold : q->method == STORY_TFIDF ? THEME_TFIDF : THEME_LEXICON;
		if (cluster_run(xs, n, v.n, tau, out))
			rc = rp_errf(e, RP_ENOMEM, "out of memory while grouping stories");
	}
	if (!rc) {
		/* themes: clusters of two stories or more, the largest first */
		int *rank = calloc((size_t)(n ? n : 1) * 3, sizeof *rank), k = 0;
		int64_t *seen = calloc((size_t)(n ? n : 1), sizeof *seen);
		if (!rank || !seen)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		for (int i = 0; !rc && i < n; i++)
			t[i].cluster = out[i];
		for (int c = 0; !rc && c < n; c++) {
			int size = 0, clients;
			for (int i = 0; i < n; i++)
				if (out[i] == c)
					seen[size++] = t[i].contact;
			if (size < 2)
				continue;
			clients = distinct(seen, size);
			rank[3 * k] = size;
			rank[3 * k + 1] = clients;
			rank[3 * k++ + 2] = c;
		}
		if (!rc)
			qsort(rank, (size_t)k, 3 * sizeof *rank, by_size);
		json_t *list = json_array();
		for (int i = 0; !rc && i < k; i++) {
			json_t *th = theme_json(q, &v, t, n, rank[3 * i + 2]);
			if (!th)
				rc = rp_errf(e, RP_ENOMEM, "out of memory");
			json_array_append_new(list, th);
		}
		free(rank);
		free(seen);
		if (rc)
			json_decref(list);
		else
			*themes = list;
	}
	*considered = n;
	for (int i = 0; i < n; i++) {
		json_decref(t[i].brief);
		free(t[i].v.f);
	}
	free(t);
	free(out);
	free(xs);
	vocab_free(&v);
	rp_words_free(w);
	return rc;
}

/* A day given by a person (YYYY-MM-DD) into buf, or RP_EINVAL. */
int day_check(const char *what, const char *day, char buf[11], rp_err *e)
{
	rp_date d;
	if (rp_date_parse(day, 0, &d) < 0)
		return rp_errf(e, RP_EINVAL, "%s \"%s\" is not a date; write it as YYYY-MM-DD", what, day);
	rp_date_format(d, buf);
	return 0;
}

int story_themes(db *d, const story_themes_in *in, json_t **out, rp_err *e)
{
	char since[11];
	int rc = story_kind_check(in->kind, e);
	if (rc)
		return rc;
	if (in->since && *in->since) {
		if ((rc = day_check("--since", in->since, since, e)))
			return rc;
	} else {
		rp_date t = rp_today();
		rp_date_format(rp_civil_from_days(rp_days_from_civil(t.y, t.m, t.d) - 90), since);
	}
	themes_q q = {since, in->kind, in->method, in->threshold, in->max, 0, {0, 0, 0}, 0};
	json_t *themes = NULL;
	int capped = 0;
	int64_t n = 0;
	if ((rc = themes_run(d, &q, &themes, &capped, &n, e)))
		return rc;
	*out = json_pack("{s:s,s:b,s:I,s:o}", "since", since, "capped", capped, "considered", (json_int_t)n, "themes",
			 themes);
	return 0;
}
