/*
** dupes: likely duplicate contacts, with the evidence.
**
** Evidence: the same email (case aside) or phone (as stored: '+' and
** digits), and names that fold to the same words.  A name is folded (case,
** ё/е), written in Latin letters (Cyrillic transliterated, and the spellings
** that vary between transliterations made one: y/j/i, kh/h, w/v, ii/i), cut
** into words (initials dropped) and a patronymic (-ovich, -ovna, ...) set
** aside, so "Иванова Анна", "Анна Петровна Иванова" and "Anna Ivanova" fold
** alike.  A typo of one letter in a word of five letters or more is allowed.
**
** Nothing compares all contacts with each other: each contact gets keys
** (its sorted words; the same with one letter dropped from one long word,
** which two words one edit apart share), contacts are sorted by key, and only
** contacts sharing a key are compared.  A key shared by very many contacts
** (a common name) says little and is skipped, as is an email or phone
** shared by very many (an office address).
*/
#include "core/core.h"
#include "util/fold.h"

#include <stdlib.h>
#include <string.h>

#define MAXWORDS 8
#define MAXBLOCK 30 /* contacts sharing one key or one address, beyond which it is no evidence */

typedef struct person {
	int64_t id;
	char *name;
	int cyr;  /* the name has Cyrillic letters */
	int nw;   /* words, patronymics excluded */
	int patr; /* patronymics set aside */
	char *w[MAXWORDS];
	char *order; /* the words as written (patronymic included), joined */
} person;

/* Cyrillic а..я as Latin. */
static const char *const cyr_latin[32] = {"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k",
					  "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "h",
					  "ts", "ch", "sh", "shch", "", "i", "", "e", "iu", "ia"};

static void normalise(rp_buf *w)
{
	/* One spelling for what transliterations write differently. */
	static const char *const from[] = {"kh", "y", "j", "w", "x", "ii", "ph", NULL};
	static const char *const to[] = {"h", "i", "i", "v", "ks", "i", "f"};
	for (int r = 0; from[r]; r++) {
		size_t fl = strlen(from[r]);
		rp_buf c = {0};
		for (size_t i = 0; i < w->n;)
			if (i + fl <= w->n && !memcmp(w->p + i, from[r], fl)) {
				rp_buf_puts(&c, to[r]);
				i += fl;
			} else {
				rp_buf_putc(&c, w->p[i++]);
			}
		rp_buf_clear(w);
		if (c.n)
			rp_buf_put(w, c.p, c.n);
		rp_buf_free(&c);
	}
	rp_buf_putc(w, 0);
	w->n--;
}

static int patronymic(const char *w)
{
	static const char *const suf[] = {"ovich", "evich", "ovna", "evna", "ichna", NULL};
	size_t n = strlen(w);
	for (int i = 0; suf[i]; i++) {
		size_t k = strlen(suf[i]);
		if (n >= k + 2 && !strcmp(w + n - k, suf[i]))
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Fold p->name into words; 0, or -1 out of memory / not UTF-8. */
static int fold_name(person *p)
{
	char *f = rp_fold(p->name, strlen(p->name), NULL);
	if (!f)
		return -1;
	rp_buf order = {0};
	rp_buf w = {0};
	const unsigned char *s = (const unsigned char *)f;
	for (;;) {
		unsigned c = *s;
		int letter = 0;
		if (c >= 0x80) {
			/* Cyrillic а..я (U+0430..U+044F) and ё (U+0451): D0 B0..D1 8F, D1 91 */
			if ((c == 0xD0 && s[1] >= 0xB0 && s[1] <= 0xBF) || (c == 0xD1 && s[1] >= 0x80 && s[1] <= 0x8F)) {
				unsigned cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
				rp_buf_puts(&w, cyr_latin[cp - 0x430]);
				p->cyr = 1;
				s += 2;
				continue;
			}
			if (c == 0xD1 && s[1] == 0x91) {
				rp_buf_putc(&w, 'e');
				p->cyr = 1;
				s += 2;
				continue;
			}
			letter = 1; /* another script's letter: kept as it is */
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			letter = 1;
		}
		if (letter && c) {
			rp_buf_putc(&w, (char)c);
			s++;
			continue;
		}
		/* A separator (or the end): the word is done. */
		if (w.n) {
			normalise(&w);
			if (w.n > 1 && p->nw + p->patr < MAXWORDS) {
				if (order.n)
					rp_buf_putc(&order, ' ');
				rp_buf_put(&order, w.p, w.n);
				if (patronymic(w.p))
					p->patr++;
				else
					p->w[p->nw++] = strndup(w.p, w.n);
			}
			rp_buf_clear(&w);
		}
		if (!c)
			break;
		s++;
	}
	free(f);
	rp_buf_free(&w);
	qsort(p->w, (size_t)p->nw, sizeof *p->w, cmp_str);
	p->order = order.p ? order.p : strdup("");
	return order.oom ? -1 : 0;
}

static void person_free(person *p)
{
	free(p->name);
	free(p->order);
	for (int i = 0; i < p->nw; i++)
		free(p->w[i]);
}

/* ---- keys ------------------------------------------------------------------- */

typedef struct key {
	uint64_t h;
	uint32_t who;
} key;

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t words_hash(char **w, int n)
{
	char *s[MAXWORDS];
	memcpy(s, w, sizeof *s * (size_t)n);
	qsort(s, (size_t)n, sizeof *s, cmp_str);
	uint64_t h = 14695981039346656037ull;
	for (int i = 0; i < n; i++)
		h = fnv(fnv(h, s[i], strlen(s[i])), " ", 1);
	return h;
}

typedef struct keys {
	key *v;
	size_t n, cap;
} keys;

static int key_add(keys *k, uint64_t h, uint32_t who)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 4096;
		key *v = realloc(k->v, cap * sizeof *v);
		if (!v)
			return -1;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = (key){h, who};
	return 0;
}

static int person_keys(const person *p, uint32_t who, keys *k)
{
	if (p->nw < 2)
		return 0; /* one word is too little to call two people one */
	if (key_add(k, words_hash((char **)p->w, p->nw), who))
		return -1;
	char *w[MAXWORDS], del[128];
	for (int i = 0; i < p->nw; i++) {
		size_t n = strlen(p->w[i]);
		if (n < 5 || n >= sizeof del)
			continue;
		memcpy(w, p->w, sizeof *w * (size_t)p->nw);
		for (size_t j = 0; j < n; j++) {
			if (j && p->w[i][j] == p->w[i][j - 1])
				continue; /* the same deletion as the letter before */
			memcpy(del, p->w[i], j);
			memcpy(del + j, p->w[i] + j + 1, n - j);
			w[i] = del;
			if (key_add(k, words_hash(w, p->nw), who))
				return -1;
		}
	}
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const key *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h ? 1 : x->who < y->who ? -1 : x->who > y->who;
}

/* ---- comparing two names ---------------------------------------------------- */

/* Levenshtein distance of a and b, up to 2 (2 means "2 or more"). */
static int within1(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > m + 1 || m > n + 1)
		return 2;
	size_t i = 0;
	while (i < n && i < m && a[i] == b[i])
		i++;
	if (i == n && i == m)
		return 0;
	if (n == m)
		return !strcmp(a + i + 1, b + i + 1) ? 1 : 2;
	return !strcmp(n > m ? a + i + 1 : a + i, n > m ? b + i : b + i + 1) ? 1 : 2;
}

/* A reason, kept when reasons are wanted (reasons not NULL). */
static void say(json_t *reasons, json_t *why)
{
	if (reasons)
		json_array_append_new(reasons, why);
	else
		json_decref(why);
}

/* The reasons two folded names say the same person (added to reasons
** unless it is NULL), and a score (0: not). */
static int names_alike(const person *a, const person *b, json_t *reasons)
{
	if (a->nw < 2 || a->nw != b->nw)
		return 0;
	int typos = 0;
	char typo_a[64] = "", typo_b[64] = "";
	int used[MAXWORDS] = {0};
	for (int i = 0; i < a->nw; i++) {
		int found = -1;
		for (int j = 0; j < b->nw && found < 0; j++)
			if (!used[j] && !strcmp(a->w[i], b->w[j]))
				found = j;
		for (int j = 0; j < b->nw && found < 0; j++)
			if (!used[j] && strlen(a->w[i]) >= 5 && strlen(b->w[j]) >= 5 && within1(a->w[i], b->w[j]) == 1) {
				found = j;
				typos++;
				snprintf(typo_a, sizeof typo_a, "%s", a->w[i]);
				snprintf(typo_b, sizeof typo_b, "%s", b->w[j]);
			}
		if (found < 0)
			return 0;
		used[found] = 1;
	}
	int score = 45;
	if (typos) {
		say(reasons, json_sprintf("similar names, %s and %s differ by one letter", typo_a, typo_b));
		score -= 15 * typos;
	} else if (!strcmp(a->order, b->order) && a->cyr == b->cyr) {
		say(reasons, json_string("same name"));
	} else if (a->patr == b->patr && !strcmp(a->order, b->order)) {
		/* the same words in the same order: only the alphabet differs */
	} else if (a->patr == b->patr) {
		say(reasons, json_string("same name, words in another order"));
		score -= 5;
	} else {
		say(reasons, json_string("same name, a patronymic on one side only"));
		score -= 10;
	}
	if (a->cyr != b->cyr) {
		say(reasons, json_string("same name in another alphabet"));
		score -= 10;
	}
	return score;
}

/* ---- pairs ---------------------------------------------------------------- */

typedef struct pair {
	uint32_t a, b;       /* indexes into the people, a < b */
	const char *kind;    /* NULL for a name pair, else "email" / "phone" */
	char *value;
} pair;

typedef struct pairs {
	pair *v;
	size_t n, cap;
} pairs;

static int pair_add(pairs *l, uint32_t a, uint32_t b, const char *kind, const char *value)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		pair *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	char *val = value ? strdup(value) : NULL;
	if (value && !val)
		return -1;
	l->v[l->n++] = (pair){a < b ? a : b, a < b ? b : a, kind, val};
	return 0;
}

static int cmp_pair(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->kind != NULL) - (b->kind != NULL);
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = ((const person *)x)->id, b = ((const person *)y)->id;
	return a < b ? -1 : a > b;
}

static uint32_t find_id(const person *p, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && p[lo].id == id ? (uint32_t)lo : UINT32_MAX;
}

/* A pair worth showing: its run of entries in the sorted pairs and score. */
typedef struct found {
	size_t i, j;
	int score;
	int64_t a;
} found;

static int cmp_found(const void *x, const void *y)
{
	const found *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* The score of the pair at l->v[i .. j) and, when reasons is not NULL, why. */
static int pair_score(const pairs *l, size_t i, size_t j, const person *a, const person *b, json_t *reasons)
{
	int score = 0;
	for (size_t x = i; x < j; x++) {
		if (!l->v[x].kind || (x > i && l->v[x - 1].kind && !strcmp(l->v[x - 1].kind, l->v[x].kind) &&
				      !strcmp(l->v[x - 1].value, l->v[x].value)))
			continue;
		if (reasons)
			json_array_append_new(reasons, json_sprintf("same %s %s", l->v[x].kind, l->v[x].value));
		score += !strcmp(l->v[x].kind, "email") ? 50 : 40;
	}
	score += names_alike(a, b, reasons);
	return score > 100 ? 100 : score;
}

/* The dismissed pairs, lower id first, sorted: one read, then searched. */
typedef struct idpair {
	int64_t a, b;
} idpair;

static int cmp_idpair(const void *x, const void *y)
{
	const idpair *a = x, *b = y;
	return a->a != b->a ? (a->a < b->a ? -1 : 1) : (a->b < b->b ? -1 : a->b > b->b);
}

static int dismissed_load(db *d, idpair **out, size_t *n, rp_err *e)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	db_stmt *s = db_query(d, e, "SELECT a, b FROM dupe_dismissed ORDER BY a, b", "");
	if (!s)
		return e ? e->code : RP_EDB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			idpair *v = realloc(*out, cap * sizeof *v);
			if (!v) {
				db_reset(s);
				return rp_errf(e, RP_ENOMEM, "out of memory");
			}
			*out = v;
		}
		(*out)[(*n)++] = (idpair){db_col_int(s, 0), db_col_int(s, 1)};
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

/* Pairs sharing an email or a phone: one group per address, read in order. */
static int channel_pairs(db *d, person *p, size_t np, pairs *out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT contact_id, kind, CASE WHEN kind = 'email' THEN lower(value) ELSE value END AS v"
			      " FROM contact_channel WHERE kind IN ('email', 'phone') ORDER BY kind, v, contact_id",
			      "");
	if (!s)
		return e ? e->code : RP_EDB;
	uint32_t group[MAXBLOCK + 1];
	size_t ng = 0;
	char last[512] = "", kind[8] = "";
	int rc, over = 0;
	for (;;) {
		rc = db_step(s, e);
		const char *k = rc == DB_ROW ? db_col_text(s, 1) : "", *v = rc == DB_ROW ? db_col_text(s, 2) : "";
		if (rc != DB_ROW || strcmp(k, kind) || strcmp(v, last)) {
			for (size_t i = 0; !over && i < ng; i++)
				for (size_t j = i + 1; j < ng; j++)
					if (group[i] != group[j] &&
					    pair_add(out, group[i], group[j], !strcmp(kind, "email") ? "email" : "phone", last))
						return rp_errf(e, RP_ENOMEM, "out of memory");
			ng = 0;
			over = 0;
			snprintf(kind, sizeof kind, "%s", k);
			snprintf(last, sizeof last, "%s", v);
		}
		if (rc != DB_ROW)
			break;
		uint32_t who = find_id(p, np, db_col_int(s, 0));
		if (who == UINT32_MAX)
			continue;
		if (ng == MAXBLOCK)
			over = 1;
		else
			group[ng++] = who;
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

int dupes_find(db *d, int limit, json_t **out, rp_err *e)
{
	int rc = db_begin_read(d, e);
	if (rc)
		return rc;
	person *p = NULL;
	size_t np = 0, cap = 0;
	keys k = {0};
	pairs l = {0};
	found *f = NULL;
	size_t nf = 0, capf = 0, ndis = 0;
	idpair *dis = NULL;
	db_stmt *s = db_query(d, e, "SELECT id, name FROM contact ORDER BY id", "");
	if (!s) {
		rc = e ? e->code : RP_EDB;
		goto out;
	}
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (np == cap) {
			cap = cap ? cap * 2 : 1024;
			person *v = realloc(p, cap * sizeof *v);
			if (!v) {
				rc = RP_ENOMEM;
				break;
			}
			p = v;
		}
		memset(&p[np], 0, sizeof *p);
		p[np].id = db_col_int(s, 0);
		p[np].name = strdup(db_col_text(s, 1));
		if (!p[np].name || fold_name(&p[np])) {
			person_free(&p[np]);
			continue;
		}
		np++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		rc = rc == RP_ENOMEM ? rp_errf(e, RP_ENOMEM, "out of memory") : rc;
		goto out;
	}
	qsort(p, np, sizeof *p, cmp_id); /* already in order; find_id relies on it */
	for (size_t i = 0; i < np; i++)
		if (person_keys(&p[i], (uint32_t)i, &k)) {
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
			goto out;
		}
	if (k.n)
		qsort(k.v, k.n, sizeof *k.v, cmp_key);
	for (size_t i = 0; i < k.n;) {
		size_t j = i + 1;
		while (j < k.n && k.v[j].h == k.v[i].h)
			j++;
		if (j - i <= MAXBLOCK)
			for (size_t x = i; x < j; x++)
				for (size_t y = x + 1; y < j; y++)
					if (k.v[x].who != k.v[y].who && pair_add(&l, k.v[x].who, k.v[y].who, NULL, NULL)) {
						rc = rp_errf(e, RP_ENOMEM, "out of memory");
						goto out;
					}
		i = j;
	}
	if ((rc = channel_pairs(d, p, np, &l, e)))
		goto out;
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, cmp_pair);
	/* Score every pair, then build the words only for those shown. */
	if ((rc = dismissed_load(d, &dis, &ndis, e)))
		goto out;
	for (size_t i = 0; i < l.n;) {
		size_t j = i;
		while (j < l.n && l.v[j].a == l.v[i].a && l.v[j].b == l.v[i].b)
			j++;
		const person *a = &p[l.v[i].a], *b = &p[l.v[i].b];
		int score = pair_score(&l, i, j, a, b, NULL);
		idpair key = {a->id < b->id ? a->id : b->id, a->id < b->id ? b->id : a->id};
		if (score && !(ndis && bsearch(&key, dis, ndis, sizeof *dis, cmp_idpair))) {
			if (nf == capf) {
				capf = capf ? capf * 2 : 256;
				found *v = realloc(f, capf * sizeof *v);
				if (!v) {
					rc = rp_errf(e, RP_ENOMEM, "out of memory");
					goto out;
				}
				f = v;
			}
			f[nf++] = (found){i, j, score, a->id};
		}
		i = j;
	}
	if (nf)
		qsort(f, nf, sizeof *f, cmp_found);
	size_t n = nf;
	json_t *top = json_array();
	for (size_t x = 0; x < nf && (limit <= 0 || x < (size_t)limit); x++) {
		const person *a = &p[l.v[f[x].i].a], *b = &p[l.v[f[x].i].b];
		json_t *reasons = json_array();
		pair_score(&l, f[x].i, f[x].j, a, b, reasons);
		json_array_append_new(top, json_pack("{s:{s:I,s:s},s:{s:I,s:s},s:i,s:o}", "a", "id", (json_int_t)a->id,
						     "name", a->name, "b", "id", (json_int_t)b->id, "name", b->name,
						     "score", f[x].score, "reasons", reasons));
	}
	*out = json_pack("{s:o,s:I}", "pairs", top, "found", (json_int_t)n);
	rc = 0;
out:
	db_rollback(d);
	free(f);
	free(dis);
	for (size_t i = 0; i < np; i++)
		person_free(&p[i]);
	free(p);
	free(k.v);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].value);
	free(l.v);
	return rc;
}

int dupes_dismiss(db *d, int64_t a, int64_t b, const char *by, rp_err *e)
{
	if (a == b)
		return rp_errf(e, RP_EINVAL, "name two different contacts");
	int rc = db_begin(d, e);
	if (rc)
		return rc;
	if (!(rc = contact_exists(d, a, e)) && !(rc = contact_exists(d, b, e)))
		rc = db_run(d, e, "INSERT INTO dupe_dismissed(a, b, at, by_user) VALUES ($1, $2, $3, $4)"
				  " ON CONFLICT (a, b) DO NOTHING",
			    "iiit", a < b ? a : b, a < b ? b : a, rp_now(), by);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}
