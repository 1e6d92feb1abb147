/*
** bench/stories: the stories benchmark.
**
**   bench/stories load DB CONTACTS STORIES   make a store of generated stories
**   bench/stories run DB RUNS                time search and similar stories
**
** load writes CONTACTS contacts and STORIES stories, told over the last two
** years in Russian and English, into the fresh store DB (made by `rapport
** init`), in transactions of 20,000 rows; the search index is kept by the
** store's own triggers, as it is for every story a person records.  The
** same arguments always give the same store: every choice comes from a
** generator seeded by the row's number.
**
** run times, in this process on one connection, each against a raw FTS5
** query over the same text in the same run, taken in turns so that a
** passing load falls on both:
**   search   rapport's search (search_run) for a few typical queries,
**            against SELECT ... FROM story_fts WHERE story_fts MATCH ...
**            ORDER BY bm25 LIMIT 20, joined to the story and its contact;
**   similar  rapport's similar stories (story_similar) of stories picked
**            across the table, against the FTS5 query of the story's own
**            words, any of them (OR), best 20 by bm25.
** Prints one line per measure: "NAME median p99 ref_median ref_p99" in
** milliseconds.  SQLite only: the reference is FTS5.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "rapport.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LIMIT 20
#define BATCH 20000

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

typedef struct rng {
	uint64_t s;
} rng;

static unsigned pick(rng *r, unsigned n)
{
	r->s = mix(r->s);
	return (unsigned)(r->s % n);
}

/* What clients tell, by theme: each theme in several wordings, so a
** theme's stories share meaning more than words. */
static const char *const ru_core[] = {
	"на ресепшене меня никто не замечал, администратор болтала по телефону",
	"стояла у стойки десять минут, на меня не обратили внимания",
	"сотрудники разговаривали между собой и игнорировали клиентов",
	"пришлось ждать почти час, хотя я была записана",
	"очередь не двигалась, ожидание затянулось",
	"мастер нагрубил и даже не извинился",
	"менеджер разговаривал со мной свысока",
	"цены выросли, а качество осталось прежним",
	"слишком дорого для такого сервиса",
	"платье порвалось после второй стирки",
	"кофемашина сломалась через месяц",
	"подруга посоветовала вас, и я не пожалела",
	"пришла по рекомендации коллеги",
	"доставка опоздала на три дня и никто не предупредил",
	"курьер не приехал в назначенное время",
	"очень понравилось, как меня встретили и всё объяснили",
	"мастер внимательно выслушал и подобрал то, что нужно",
	"выбрала вас, потому что рядом с домом и удобно парковаться",
	"для меня главное семья и здоровье детей",
	"мои друзья покупают в интернете, говорят, что дешевле",
};
static const char *const en_core[] = {
	"nobody at the front desk looked at me, the receptionist was chatting on the phone",
	"I stood at the counter for ten minutes and was completely ignored",
	"the staff talked among themselves and paid zero attention to customers",
	"I had to wait almost an hour although I had booked",
	"the queue did not move and the waiting went on forever",
	"the technician was rude and never apologised",
	"the manager talked down to me",
	"prices went up while the quality stayed the same",
	"far too expensive for this kind of service",
	"the dress tore after the second wash",
	"the coffee machine broke within a month",
	"a friend recommended you and I do not regret it",
	"I came on a colleague's recommendation",
	"the delivery was three days late and nobody warned me",
	"the courier did not turn up at the agreed time",
	"loved how I was welcomed and everything was explained",
	"the stylist listened carefully and found exactly what I needed",
	"chose you because you are close to home and parking is easy",
	"what matters to me is family and my children's health",
	"my friends buy online and say it is cheaper",
};
static const char *const ru_open[] = {
	"В прошлый раз", "Честно говоря,", "Хочу сказать, что", "Когда я пришла в субботу,", "Вчера",
	"Как обычно,", "Не первый раз:", "Перед праздниками", "Утром", "Скажу прямо:",
};
static const char *const en_open[] = {
	"Last time", "Honestly,", "I want to say that", "When I came in on Saturday,", "Yesterday",
	"As usual,", "Not for the first time:", "Before the holidays", "In the morning", "To be frank,",
};
static const char *const ru_tail[] = {
	"Заказ", "Визит", "Примерка", "Покупка", "Ремонт", "Консультация", "Запись", "Доставка",
};
static const char *const en_tail[] = {
	"Order", "Visit", "Fitting", "Purchase", "Repair", "Consultation", "Booking", "Delivery",
};
static const char *const kinds[] = {"choice", "interaction", "product", "friends", "life"};
static const char *const tones[] = {"positive", "neutral", "negative"};

/* Story n's text: an opening, one or two things told, and the number of
** the order or visit it was about, which makes the vocabulary as wide as a
** real one. */
static void story_text(uint64_t n, char *buf, size_t size)
{
	rng r = {n * 2654435761u + 17};
	int ru = pick(&r, 100) < 60;
	const char *const *core = ru ? ru_core : en_core;
	unsigned a = pick(&r, COUNT(ru_core)), b = pick(&r, COUNT(ru_core));
	int two = pick(&r, 3) == 0;
	snprintf(buf, size, "%s %s%s%s. %s %u.", (ru ? ru_open : en_open)[pick(&r, COUNT(ru_open))], core[a],
		 two ? (ru ? ", а ещё " : ", and also ") : "", two ? core[b] : "",
		 (ru ? ru_tail : en_tail)[pick(&r, COUNT(ru_tail))], 1000 + pick(&r, 900000));
}

static int load(db *d, int64_t contacts, int64_t stories, rp_err *e)
{
	int64_t now = rp_now(), day0 = rp_days_from_civil(2024, 11, 23);
	char name[64], body[1024], date[11];
	int rc = 0;
	for (int64_t i = 1; !rc && i <= contacts; i++) {
		if (i % BATCH == 1 && (rc = db_begin(d, e)))
			break;
		snprintf(name, sizeof name, "Client %lld", (long long)i);
		rc = db_run(d, e,
			    "INSERT INTO contact(id, name, name_key, created_at, updated_at, last_touch_at)"
			    " VALUES ($1, $2, $3, $4, $4, $4)",
			    "itti", i, name, name, now);
		if (!rc && (i % BATCH == 0 || i == contacts))
			rc = db_commit(d, e);
	}
	for (int64_t i = 1; !rc && i <= stories; i++) {
		if (i % BATCH == 1 && (rc = db_begin(d, e)))
			break;
		rng r = {(uint64_t)i};
		story_text((uint64_t)i, body, sizeof body);
		rp_date t = rp_civil_from_days(day0 + pick(&r, 730));
		rc = db_run(d, e,
			    "INSERT INTO story(contact_id, told_on, kind, tone, body, by_user, created_at)"
			    " VALUES ($1, $2, $3, $4, $5, 'bench', $6)",
			    "itttti", (int64_t)(1 + pick(&r, (unsigned)contacts)), rp_date_format(t, date),
			    kinds[pick(&r, COUNT(kinds))], tones[pick(&r, COUNT(tones))], body, now);
		if (!rc && (i % BATCH == 0 || i == stories))
			rc = db_commit(d, e);
		if (i % 100000 == 0)
			fprintf(stderr, "\r%lld stories", (long long)i);
	}
	fputc('\n', stderr);
	if (rc)
		db_rollback(d);
	return rc;
}

/* Every column of every row, as rapport reads its results' texts. */
static int drain(db_stmt *s, rp_err *e)
{
	int rc;
	if (!s)
		return e->code;
	while ((rc = db_step(s, e)) == DB_ROW)
		for (int c = 0; c < db_col_count(s); c++)
			(void)db_col_text(s, c);
	db_reset(s);
	return rc == DB_DONE ? 0 : rc;
}

static const char *ref_search = "SELECT s.id, c.id, c.name, s.body, s.told_on, s.kind FROM"
				" (SELECT rowid AS id, bm25(story_fts) AS r FROM story_fts WHERE story_fts MATCH $1"
				"  ORDER BY r LIMIT $2) AS h"
				" JOIN story s ON s.id = h.id JOIN contact c ON c.id = s.contact_id ORDER BY h.r";

/* The words of a text as an FTS5 query: each in quotes, joined by sep. */
static char *fts_words(const char *text, const char *sep)
{
	size_t n = strlen(text);
	char *q = malloc(n * (4 + strlen(sep)) + 1), *o = q;
	if (!q)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)text; *s;) {
		while (*s && (*s < 0x80 && !((*s | 32) >= 'a' && (*s | 32) <= 'z') && !(*s >= '0' && *s <= '9')))
			s++;
		if (!*s)
			break;
		if (o != q)
			o += sprintf(o, "%s", sep);
		*o++ = '"';
		while (*s && (*s >= 0x80 || ((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9')))
			*o++ = (char)*s++;
		*o++ = '"';
	}
	*o = 0;
	return q;
}

typedef struct times {
	double *t, *ref;
	int n;
} times;

static void report(const char *name, times *m)
{
	qsort(m->t, (size_t)m->n, sizeof *m->t, cmp);
	qsort(m->ref, (size_t)m->n, sizeof *m->ref, cmp);
	int p99 = (int)((m->n - 1) * 0.99 + 0.5);
	printf("%s %.3f %.3f %.3f %.3f\n", name, m->t[m->n / 2], m->t[p99], m->ref[m->n / 2], m->ref[p99]);
}

static const char *const queries[] = {"не обратили внимания", "ignored", "доставка опоздала", "rude manager",
				      "болтала по телефону", "recommended friend"};

static int run(db *d, int runs, rp_err *e)
{
	times se = {calloc((size_t)runs, sizeof(double)), calloc((size_t)runs, sizeof(double)), runs};
	times si = {calloc((size_t)runs, sizeof(double)), calloc((size_t)runs, sizeof(double)), runs};
	if (!se.t || !se.ref || !si.t || !si.ref)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int64_t max = 0;
	if (db_one_int(d, e, &max, "SELECT coalesce(max(id), 0) FROM story", ""))
		return e->code;
	if (max < 1)
		return rp_errf(e, RP_EINVAL, "the store has no stories; run bench/stories load first");
	/* Turn -1 warms the caches and is not counted. */
	for (int i = -1; i < runs; i++) {
		const char *text = queries[(i + 1) % (int)COUNT(queries)];
		char *q = fts_words(text, " ");
		json_t *r;
		double a = now_ms();
		if (search_run(d, text, LIMIT, &r, e))
			return e->code;
		double b = now_ms();
		json_decref(r);
		if (drain(db_query(d, e, ref_search, "ti", q, (int64_t)LIMIT), e))
			return e->code;
		double c = now_ms();
		free(q);
		if (i >= 0)
			se.t[i] = b - a, se.ref[i] = c - b;

		rng g = {(uint64_t)i + 99};
		int64_t id = 1 + (int64_t)(mix(g.s) % (uint64_t)max);
		char *body = NULL;
		db_stmt *s = db_query(d, e, "SELECT body FROM story WHERE id = $1", "i", id);
		if (s && db_step(s, e) == DB_ROW)
			body = strdup(db_col_text(s, 0));
		db_reset(s);
		if (!body)
			return rp_errf(e, RP_EDB, "story %lld is missing", (long long)id);
		q = fts_words(body, " OR ");
		free(body);
		a = now_ms();
		if (story_similar(d, id, LIMIT, &r, e))
			return e->code;
		b = now_ms();
		json_decref(r);
		if (drain(db_query(d, e, ref_search, "ti", q, (int64_t)LIMIT), e))
			return e->code;
		c = now_ms();
		free(q);
		if (i >= 0)
			si.t[i] = b - a, si.ref[i] = c - b;
	}
	report("search", &se);
	report("similar", &si);
	free(se.t), free(se.ref), free(si.t), free(si.ref);
	return 0;
}

int main(int argc, char **argv)
{
	int loading = argc == 5 && !strcmp(argv[1], "load");
	if (!loading && !(argc == 4 && !strcmp(argv[1], "run"))) {
		fprintf(stderr, "usage: bench/stories load DB CONTACTS STORIES\n"
				"       bench/stories run DB RUNS\n");
		return 2;
	}
	db *d;
	rp_err e;
	if (store_open(argv[2], 0, &d, &e)) {
		fprintf(stderr, "bench/stories: %s\n", e.msg);
		return 1;
	}
	if (strcmp(db_engine(d), "sqlite")) {
		fprintf(stderr, "bench/stories: the reference is FTS5; run it on SQLite\n");
		return 2;
	}
	int rc;
	if (loading) {
		int64_t contacts = atoll(argv[3]), stories = atoll(argv[4]);
		if (contacts < 1 || stories < 1 || contacts > UINT32_MAX) {
			fprintf(stderr, "bench/stories: give a positive number of contacts and of stories\n");
			return 2;
		}
		rc = load(d, contacts, stories, &e);
	} else {
		int runs = atoi(argv[3]);
		rc = run(d, runs >= 1 && runs <= 100000 ? runs : 100, &e);
	}
	if (rc)
		fprintf(stderr, "bench/stories: %s\n", e.msg);
	db_close(d);
	return rc ? 1 : 0;
}
