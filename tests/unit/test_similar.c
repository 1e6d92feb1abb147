/* core/similar: similar stories and themes, measured on tests/data/stories_eval.tsv
** against the plain TF-IDF baseline; the report; bad input. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#define EVAL "tests/data/stories_eval.tsv"
#define MAXROWS 256

typedef struct row {
	char theme[32], lang[4], split[8];
	char *text;
	int64_t id;
} row;

static row rows[MAXROWS];
static int nrows;

static void load_eval(void)
{
	if (nrows)
		return;
	FILE *f = fopen(EVAL, "r");
	if (!f)
		fail_msg("cannot read %s (run from the repository's root)", EVAL);
	char line[4096];
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f) && nrows < MAXROWS) {
		line[strcspn(line, "\n")] = 0;
		char *theme = strtok(line, "\t"), *lang = strtok(NULL, "\t"), *split = strtok(NULL, "\t"),
		     *text = strtok(NULL, "");
		assert_non_null(text);
		row *r = &rows[nrows++];
		snprintf(r->theme, sizeof r->theme, "%s", theme);
		snprintf(r->lang, sizeof r->lang, "%s", lang);
		snprintf(r->split, sizeof r->split, "%s", split);
		r->text = strdup(text);
	}
	fclose(f);
}

/* The rows of split ("dev", "test" or NULL for all), each told by a client
** of its own, into a new store. */
static db *eval_store(char path[TEST_PATH], const char *split)
{
	load_eval();
	db *d = test_store(path);
	rp_err e = {0};
	for (int i = 0; i < nrows; i++) {
		rows[i].id = 0;
		if (split && strcmp(rows[i].split, split))
			continue;
		char name[32];
		snprintf(name, sizeof name, "Client %d", i + 1);
		contact_in c = {.name = name};
		int64_t contact;
		if (contact_add(d, &c, &contact, &e))
			fail_msg("contact_add: %s", e.msg);
		story_in s = {.contact_id = contact, .kind = i % 3 ? "interaction" : "product", .text = rows[i].text};
		if (story_add(d, &s, &rows[i].id, &e))
			fail_msg("story_add: %s", e.msg);
	}
	return d;
}

static row *row_of(int64_t id)
{
	for (int i = 0; i < nrows; i++)
		if (rows[i].id == id)
			return &rows[i];
	fail_msg("story %lld is not in the set", (long long)id);
	return NULL;
}

/* precision@5: for each story, the share of its five most similar that
** tell its theme, averaged. */
static double precision5(db *d, story_method m)
{
	double sum = 0;
	int n = 0;
	for (int i = 0; i < nrows; i++) {
		if (!rows[i].id)
			continue;
		json_t *out = NULL;
		rp_err e = {0};
		if (story_similar_by(d, rows[i].id, 5, m, &out, &e))
			fail_msg("story_similar: %s", e.msg);
		size_t k;
		json_t *v;
		int good = 0;
		json_array_foreach(json_object_get(out, "similar"), k, v)
		{
			good += !strcmp(row_of(json_integer_value(json_object_get(v, "id")))->theme, rows[i].theme);
		}
		sum += good / 5.0;
		n++;
		json_decref(out);
	}
	return sum / n;
}

/* purity: the share of stories in a theme whose most common label is
** theirs; a story left out of every theme counts against it.  *nthemes
** receives how many themes there were. */
static double purity(db *d, story_method m, int *nthemes)
{
	json_t *out = NULL;
	rp_err e = {0};
	story_themes_in in = {.since = "2000-01-01", .method = m};
	if (story_themes(d, &in, &out, &e))
		fail_msg("story_themes: %s", e.msg);
	int pure = 0, n = 0;
	for (int i = 0; i < nrows; i++)
		n += rows[i].id != 0;
	size_t k, j;
	json_t *th, *id;
	json_array_foreach(json_object_get(out, "themes"), k, th)
	{
		const char *label[MAXROWS];
		int count[MAXROWS], nl = 0, best = 0;
		json_array_foreach(json_object_get(th, "story_ids"), j, id)
		{
			const char *t = row_of(json_integer_value(id))->theme;
			int l = 0;
			while (l < nl && strcmp(label[l], t))
				l++;
			if (l == nl) {
				label[nl] = t;
				count[nl++] = 0;
			}
			if (++count[l] > best)
				best = count[l];
		}
		pure += best;
	}
	*nthemes = (int)json_array_size(json_object_get(out, "themes"));
	json_decref(out);
	return (double)pure / n;
}

typedef struct figures {
	double p5[2], purity[2];
	int themes[2];
} figures;

static figures measure(const char *split)
{
	char path[TEST_PATH];
	db *d = eval_store(path, split);
	figures f;
	for (int m = 0; m < 2; m++) {
		f.p5[m] = precision5(d, m ? STORY_TFIDF : STORY_LEXICON);
		f.purity[m] = purity(d, m ? STORY_TFIDF : STORY_LEXICON, &f.themes[m]);
	}
	printf("%-5s %-8s  precision@5 %.3f (tfidf %.3f)  purity %.3f in %d themes (tfidf %.3f in %d)\n",
	       split ? split : "all", db_engine(d), f.p5[0], f.p5[1], f.purity[0], f.themes[0], f.purity[1], f.themes[1]);
	test_store_close(d, path);
	return f;
}

/* The lexicon beats plain TF-IDF clearly, on the half it was built from,
** on the half it never saw, and on the whole set. */
static void test_beats_baseline(void **state)
{
	(void)state;
	const char *splits[] = {"dev", "test", NULL};
	for (int s = 0; s < 3; s++) {
		figures f = measure(splits[s]);
		assert_true(f.p5[0] >= f.p5[1] + 0.15);
		assert_true(f.purity[0] >= f.purity[1] + 0.15);
		assert_true(f.p5[0] >= 0.55);
		assert_true(f.purity[0] >= 0.5);
	}
}

static json_t *similar(db *d, int64_t id, int64_t limit)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (story_similar(d, id, limit, &out, &e))
		fail_msg("story_similar: %s", e.msg);
	return out;
}

static int64_t find_row(const char *start)
{
	for (int i = 0; i < nrows; i++)
		if (rows[i].id && !strncmp(rows[i].text, start, strlen(start)))
			return rows[i].id;
	fail_msg("no story begins \"%s\"", start);
	return 0;
}

/* Done means: a Russian story of being ignored at the desk while the
** staff talked on the phone finds the others told in other words, word
** forms and languages. */
static void test_ignored_at_the_desk(void **state)
{
	(void)state;
	char path[TEST_PATH];
	db *d = eval_store(path, NULL);
	int64_t id = find_row("На ресепшене мне не обратили внимания");
	json_t *out = similar(d, id, 5);
	json_t *head = json_object_get(out, "story");
	assert_int_equal(json_integer_value(json_object_get(head, "id")), id);
	assert_non_null(json_string_value(json_object_get(json_object_get(head, "contact"), "name")));
	size_t i;
	json_t *v;
	int ignored = 0, english = 0, russian = 0;
	double last = 2;
	json_array_foreach(json_object_get(out, "similar"), i, v)
	{
		row *r = row_of(json_integer_value(json_object_get(v, "id")));
		double score = json_number_value(json_object_get(v, "score"));
		assert_true(score <= last && score > 0);
		last = score;
		assert_non_null(json_string_value(json_object_get(v, "told_on")));
		assert_non_null(json_string_value(json_object_get(v, "kind")));
		assert_non_null(json_string_value(json_object_get(json_object_get(v, "contact"), "name")));
		assert_true(json_integer_value(json_object_get(v, "id")) != id);
		if (!strcmp(r->theme, "ignored")) {
			ignored++;
			english += !strcmp(r->lang, "en");
			russian += !strcmp(r->lang, "ru");
		}
	}
	assert_true(ignored >= 4);
	assert_true(english >= 1 && russian >= 1);
	/* "болтала ... не обратила ... внимания": other forms of the same words */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(out, "similar"), 0), "id")),
			 find_row("Администратор болтала по телефону"));
	json_decref(out);
	test_store_close(d, path);
}

static int64_t add(db *d, int64_t contact, const char *text)
{
	story_in s = {.contact_id = contact, .kind = "interaction", .text = text};
	int64_t id;
	rp_err e = {0};
	if (story_add(d, &s, &id, &e))
		fail_msg("story_add: %s", e.msg);
	return id;
}

static int64_t client(db *d, const char *name)
{
	contact_in c = {.name = name};
	int64_t id;
	rp_err e = {0};
	if (contact_add(d, &c, &id, &e))
		fail_msg("contact_add: %s", e.msg);
	return id;
}

/* Word forms meet through their stems in both languages, and a client's
** own other stories are not "other clients". */
static void test_stems_and_other_clients(void **state)
{
	(void)state;
	char path[TEST_PATH];
	db *d = test_store(path);
	int64_t a = client(d, "Анна"), b = client(d, "Борис"), c = client(d, "Carol");
	int64_t q = add(d, a, "Мы долго ждали курьера");
	add(d, a, "Курьера ждали долго, опять");
	int64_t ru = add(d, b, "Ждать курьеров пришлось долго");
	int64_t en = add(d, c, "Waiting for couriers took ages");
	add(d, c, "The soup was cold");
	json_t *out = similar(d, q, 10);
	json_t *list = json_object_get(out, "similar");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), ru);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "id")), en);
	json_decref(out);
	/* English forms: "waited" and "waiting", "courier" and "couriers" */
	int64_t q2 = add(d, b, "I waited for the courier");
	out = similar(d, q2, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(out, "similar"), 0), "id")),
			 en);
	json_decref(out);
	test_store_close(d, path);
}

static void test_bad_input(void **state)
{
	(void)state;
	char path[TEST_PATH];
	db *d = test_store(path);
	int64_t id = add(d, client(d, "Анна"), "Никто не поздоровался");
	json_t *out = NULL;
	rp_err e = {0};
	assert_int_equal(story_similar(d, id + 100, 5, &out, &e), RP_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no story"));
	assert_int_equal(story_similar(d, id, 0, &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "between 1 and 100"));
	assert_int_equal(story_similar(d, id, 101, &out, &e), RP_EINVAL);
	assert_null(out);
	story_method m;
	assert_int_equal(story_method_parse("bm25", &m, &e), RP_EINVAL);
	assert_int_equal(story_method_parse("tfidf", &m, &e), 0);
	assert_int_equal(m, STORY_TFIDF);
	/* alone in the store: nothing similar, and no error */
	assert_int_equal(story_similar(d, id, 5, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "similar")), 0);
	json_decref(out);
	story_themes_in in = {.since = "2026-13-01"};
	assert_int_equal(story_themes(d, &in, &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "--since"));
	in = (story_themes_in){.kind = "gossip"};
	assert_int_equal(story_themes(d, &in, &out, &e), RP_EINVAL);
	assert_int_equal(story_report(d, NULL, "week", &out, &e), RP_EINVAL);
	assert_int_equal(story_report(d, "2026-12-01", NULL, &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "after today"));
	assert_int_equal(story_report(d, "1900-01-01", NULL, &out, &e), RP_EINVAL);
	test_store_close(d, path);
}

/* Themes count stories and distinct clients; the newest are taken first
** when there are more than the cap, and the answer says so. */
static void test_themes(void **state)
{
	(void)state;
	char path[TEST_PATH];
	db *d = test_store(path);
	int64_t a = client(d, "Анна"), b = client(d, "Борис"), c = client(d, "Carol");
	add(d, a, "Администратор болтала по телефону и не обратила на меня внимания");
	add(d, a, "Снова никто не обратил внимания, все сидели в телефонах");
	add(d, b, "Nobody at the desk paid me any attention, they were on their phones");
	add(d, c, "The delivery was two weeks late");
	add(d, b, "Доставка опоздала на две недели");
	json_t *out = NULL;
	rp_err e = {0};
	story_themes_in in = {0};
	assert_int_equal(story_themes(d, &in, &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "since")), "2026-08-25");
	assert_false(json_is_true(json_object_get(out, "capped")));
	json_t *themes = json_object_get(out, "themes");
	assert_int_equal(json_array_size(themes), 2);
	json_t *first = json_array_get(themes, 0);
	assert_int_equal(json_integer_value(json_object_get(first, "stories")), 3);
	assert_int_equal(json_integer_value(json_object_get(first, "clients")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(first, "by_kind"), "interaction")), 3);
	assert_true(json_array_size(json_object_get(first, "examples")) == 3);
	assert_non_null(strstr(json_string_value(json_object_get(first, "label")), "attention"));
	json_decref(out);
	in.max = 2;
	assert_int_equal(story_themes(d, &in, &out, &e), 0);
	assert_true(json_is_true(json_object_get(out, "capped")));
	assert_int_equal(json_integer_value(json_object_get(out, "considered")), 2);
	json_decref(out);
	test_store_close(d, path);
}

/* The report: periods, themes by period, stories without a lesson, lessons by status. */
static void test_report(void **state)
{
	(void)state;
	char path[TEST_PATH];
	db *d = test_store(path);
	int64_t a = client(d, "Анна"), b = client(d, "Борис");
	rp_err e = {0};
	int64_t s1 = add(d, a, "They kept me waiting for an hour");
	story_in old = {.contact_id = b, .kind = "product", .told_on = "2026-07-14", .text = "We waited two hours"};
	int64_t s2;
	assert_int_equal(story_add(d, &old, &s2, &e), 0);
	add(d, b, "Цены слишком высокие");
	user_add(d, "anna", "staff", "correct horse battery staple", &e);
	lesson_in l = {.story_id = s1, .title = "Call clients when we run late", .owner = "anna"};
	int64_t lesson;
	assert_int_equal(lesson_add(d, &l, &lesson, &e), 0);
	json_t *out = NULL;
	assert_int_equal(story_report(d, NULL, NULL, &out, &e), 0);
	json_t *periods = json_object_get(out, "periods");
	assert_int_equal(json_array_size(periods), 12);
	assert_string_equal(json_string_value(json_array_get(periods, 0)), "2025-12");
	assert_string_equal(json_string_value(json_array_get(periods, 11)), "2026-11");
	json_t *th = json_array_get(json_object_get(out, "themes"), 0);
	assert_int_equal(json_array_size(json_object_get(out, "themes")), 1);
	assert_int_equal(json_integer_value(json_object_get(th, "stories")), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(th, "by_period"), 7)), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(th, "by_period"), 10)), 0);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(th, "by_period"), 11)), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(th, "by_kind"), "product")), 1);
	json_t *bare = json_object_get(out, "without_lesson");
	assert_int_equal(json_integer_value(json_object_get(bare, "count")), 2);
	assert_int_equal(json_array_size(json_object_get(bare, "stories")), 2);
	json_t *lessons = json_object_get(out, "lessons");
	assert_int_equal(json_integer_value(json_object_get(lessons, "open")), 1);
	assert_int_equal(json_integer_value(json_object_get(lessons, "done")), 0);
	json_decref(out);
	assert_int_equal(story_report(d, "2026-08-15", "quarter", &out, &e), 0);
	periods = json_object_get(out, "periods");
	assert_int_equal(json_array_size(periods), 2);
	assert_string_equal(json_string_value(json_array_get(periods, 0)), "2026-Q3");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "without_lesson"), "count")), 1);
	json_decref(out);
	test_store_close(d, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_beats_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_at_the_desk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stems_and_other_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_themes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
