/* db/fault: every write path fails cleanly at every point where the store
** can fail.  In SQLite's manner (its malloc and I/O error tests): for
** N = 1, 2, 3 ... the Nth event of a kind fails (a call into the engine, a
** file write or sync, a file read, an allocation), until the operation
** succeeds without reaching N.  At every N the operation must return
** success or an error with a message, and the store must be exactly as
** before (it failed) or exactly as after a run without faults (it
** succeeded), whole (integrity checks) and still usable.  On SQLite each
** write fault (every fault, with RAPPORT_FAULT_FULL) also copies the files
** as a crash at that moment would leave them, and recovery must find the
** store as before or as after.  PostgreSQL runs the engine-independent
** kind (calls into the engine) only. */
#include "testlib.h"

#include "db/fault.h"

#define STRS(...) ((rp_strs){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

/* What the fixture made, for the operations to act on. */
typedef struct fixture {
	int64_t a, b, complaint;
} fixture;

typedef struct op {
	const char *name;
	void (*setup)(db *d, fixture *x); /* NULL: an empty store */
	int (*run)(db *d, const fixture *x, rp_err *e);
} op;

static void ok(int rc, rp_err *e, const char *what)
{
	if (rc)
		fail_msg("%s: %s", what, e->msg);
}

static int64_t add_contact(db *d, const char *name, const char *email, const char *phone, rp_strs tags)
{
	int64_t id = 0;
	rp_err e = {0};
	contact_in in = {.name = name, .email = {&email, 1}, .phone = {&phone, phone != NULL}, .tag = tags};
	ok(contact_add(d, &in, &id, &e), &e, "contact_add");
	return id;
}

static void log_one(db *d, int64_t contact, const char *kind, const char *summary, int64_t amount)
{
	int64_t id;
	rp_err e = {0};
	interaction_in in = {.contact_id = contact, .at = rp_now() - 86400, .kind = kind, .summary = summary,
			     .minutes = -1, .direction = "in", .by = "olga"};
	if (amount) {
		in.amount = amount;
		in.has_amount = 1;
		in.currency = "RUB";
	}
	ok(interaction_add(d, &in, &id, &e), &e, "interaction_add");
}

static void tell(db *d, int64_t contact, const char *kind, const char *text, rp_strs tags)
{
	int64_t id;
	rp_err e = {0};
	story_in in = {.contact_id = contact, .kind = kind, .tone = "negative", .text = text, .by = "olga", .tags = tags};
	ok(story_add(d, &in, &id, &e), &e, "story_add");
}

/* Two people, likely one (for the merge), each with interactions, stories,
** tags, a fact or a trust act, and an open complaint. */
static void setup_people(db *d, fixture *x)
{
	rp_err e = {0};
	/* the erasure's keyed hashes come out the same in every store */
	ok(db_run(d, &e, "INSERT INTO setting(key, value) VALUES ('privacy.key', $1)", "t",
		  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
	   &e, "privacy key");
	x->a = add_contact(d, "Анна Петрова", "anna@example.com", "+79161234567", STRS("vip", "шитьё"));
	x->b = add_contact(d, "Анна Петрова", "anna.p@example.com", NULL, STRS("шитьё", "new"));
	log_one(d, x->a, "call", "обсудили платье к свадьбе", 0);
	log_one(d, x->a, "purchase", "купила пальто", 1299000);
	log_one(d, x->b, "visit", "зашла примерить", 0);
	tell(d, x->a, "interaction", "Девушка на стойке говорила по телефону и не заметила меня", STRS("desk"));
	tell(d, x->b, "friends", "Выбрала вас, потому что здесь шила сестра", STRS("sister", "desk"));
	int64_t id;
	ok(fact_add(d, x->a, "дочь поступила в университет в Казани", "2026-12-01", "olga", &id, &e), &e, "fact");
	ok(trust_record(d, &(trust_in){.contact_id = x->b, .by = "company", .act = "defect", .text = "опоздали с заказом",
				       .user = "olga"},
			&id, &e),
	   &e, "trust");
	ok(complaint_open(d, &(complaint_in){.contact_id = x->a, .text = "Пуговица оторвалась", .by = "olga"}, &x->complaint,
			  &e),
	   &e, "complaint");
}

static int op_contact_add(db *d, const fixture *x, rp_err *e)
{
	(void)x;
	int64_t id;
	contact_in in = {.name = "Борис Ким", .tier = "close", .note = "любит синий", .birthday = "1980-04-02",
			 .email = STRS("boris@example.com"), .phone = STRS("+7 916 765-43-21"), .tag = STRS("vip", "new")};
	return contact_add(d, &in, &id, e);
}

static int op_contact_edit(db *d, const fixture *x, rp_err *e)
{
	contact_in in = {.name = "Анна Петровна Петрова", .note = "предпочитает «вы»", .tag = STRS("panel"),
			 .rm_tag = STRS("vip"), .rm_email = STRS("anna@example.com"), .email = STRS("anna@work.example")};
	return contact_edit(d, x->a, &in, e);
}

static int op_interaction(db *d, const fixture *x, rp_err *e)
{
	int64_t id;
	interaction_in in = {.contact_id = x->b, .at = rp_now() - 600, .kind = "purchase", .direction = "in",
			     .summary = "купила платье", .by = "olga", .currency = "RUB", .amount = 450000,
			     .has_amount = 1, .minutes = 30};
	return interaction_add(d, &in, &id, e);
}

static int import(db *d, const char *what, const char *csv, rp_err *e)
{
	json_t *rep = NULL;
	int rc = test_import(d, what, csv, (import_opts){0}, &rep, e);
	json_decref(rep);
	return rc;
}

static int op_import_contacts(db *d, const fixture *x, rp_err *e)
{
	(void)x;
	return import(d, "contacts",
		      "name,email,phone,tags\n"
		      "Вера Лис,vera@example.com,+79160000001,new\n"
		      "Глеб Орлов,gleb@example.com,,vip;new\n"
		      "Дарья Сом,,+79160000003,\n",
		      e);
}

static int op_import_interactions(db *d, const fixture *x, rp_err *e)
{
	char csv[512];
	snprintf(csv, sizeof csv,
		 "contact_id,at,kind,amount,currency,summary\n"
		 "%lld,2026-03-01T10:00:00Z,call,,,договорились о примерке\n"
		 "%lld,2026-03-05T10:00:00Z,purchase,2000,RUB,юбка\n"
		 "%lld,2026-03-02T10:00:00Z,purchase,1000,RUB,блузка\n",
		 (long long)x->a, (long long)x->b, (long long)x->b);
	return import(d, "interactions", csv, e);
}

static int op_merge(db *d, const fixture *x, rp_err *e)
{
	int64_t journal;
	return merge_contacts(d, x->a, x->b, "olga", &journal, e);
}

static int op_erase(db *d, const fixture *x, rp_err *e)
{
	json_t *rep = NULL;
	int rc = privacy_erase(d, x->a, 0, &rep, e);
	json_decref(rep);
	return rc;
}

static int op_story(db *d, const fixture *x, rp_err *e)
{
	int64_t id;
	story_in in = {.contact_id = x->a, .kind = "product", .tone = "positive",
		       .text = "Пальто сидит идеально, подруги спрашивают, где шила", .by = "olga",
		       .tags = STRS("coat", "fit")};
	return story_add(d, &in, &id, e);
}

static int op_complaint_open(db *d, const fixture *x, rp_err *e)
{
	int64_t id;
	return complaint_open(d, &(complaint_in){.contact_id = x->b, .text = "Не перезвонили", .duty = "olga", .by = "olga"},
			      &id, e);
}

static int op_complaint_resolve(db *d, const fixture *x, rp_err *e)
{
	complaint_resolution r = {.resolution = "пришили пуговицу", .make_good = "бесплатная чистка", .cost = "500",
				  .apology = 1, .by = "olga"};
	return complaint_resolve(d, x->complaint, &r, e);
}

static int op_trust(db *d, const fixture *x, rp_err *e)
{
	int64_t id;
	trust_in in = {.contact_id = x->a, .by = "client", .act = "cooperate", .text = "привела подругу", .user = "olga"};
	return trust_record(d, &in, &id, e);
}

static const op ops[] = {
	{"contact add", setup_people, op_contact_add},
	{"contact edit", setup_people, op_contact_edit},
	{"interaction log", setup_people, op_interaction},
	{"import contacts", setup_people, op_import_contacts},
	{"import contacts, empty store", NULL, op_import_contacts},
	{"import interactions", setup_people, op_import_interactions},
	{"contact merge", setup_people, op_merge},
	{"privacy erase", setup_people, op_erase},
	{"story add", setup_people, op_story},
	{"complaint open", setup_people, op_complaint_open},
	{"complaint resolve", setup_people, op_complaint_resolve},
	{"trust record", setup_people, op_trust},
};
#define NOPS (sizeof ops / sizeof *ops)

/* The kinds each engine runs: PostgreSQL's own I/O and memory are out of
** reach, its calls are not. */
typedef struct kind {
	int kind, persistent;
} kind;
static const kind sqlite_kinds[] = {{DB_FAULT_CALL, 0}, {DB_FAULT_WRITE, 0}, {DB_FAULT_WRITE, 1},
				    {DB_FAULT_READ, 0}, {DB_FAULT_READ, 1},  {DB_FAULT_NOMEM, 0},
				    {DB_FAULT_NOMEM, 1}};
static const kind pg_kinds[] = {{DB_FAULT_CALL, 0}};

/* The schema's objects (indexes and triggers that bulk loads drop and
** build again), so that a failure that leaves one dropped shows. */
static char *schema_text(db *d)
{
	rp_err e = {0};
	db_stmt *s = db_query(d, &e,
			      test_pg() ? "SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"
					  " UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
					: "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY 1",
			      "");
	if (!s)
		fail_msg("schema: %s", e.msg);
	rp_buf b = {0};
	while (db_step(s, &e) == DB_ROW)
		rp_buf_printf(&b, "%s\n", db_col_text(s, 0));
	db_reset(s);
	return b.p;
}

/* The whole store as text: its rows and its schema. */
static char *digest(db *d)
{
	char *rows = test_dump(d, NULL), *schema = schema_text(d);
	rp_buf b = {0};
	rp_buf_printf(&b, "%s-- schema\n%s", rows, schema);
	free(rows);
	free(schema);
	return b.p;
}

/* Where two digests part, for the failure message. */
static const char *parting(const char *a, const char *b)
{
	const char *line = a;
	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line = a + 1;
	return line;
}

static void assert_digest(const char *got, const char *want, const char *what, const char *op, int kind, int64_t n)
{
	if (strcmp(got, want))
		fail_msg("%s, %s fault at %lld: the store is not %s; first difference at:\n%.300s\nexpected:\n%.300s", op,
			 db_fault_name(kind), (long long)n, what, parting(got, want), parting(want, got));
}

/* On PostgreSQL a rolled back insert still used up its id: the identity
** sequences go back to follow the largest id, as in a store that never
** failed. */
static void ids_follow(db *d)
{
	if (!test_pg())
		return;
	rp_err e = {0};
	for (int i = 0; i < rp_ntables; i++)
		if (rp_tables[i].key[0] && !strcmp(rp_tables[i].key[0], "id"))
			ok(db_ids_follow(d, rp_tables[i].name, &e), &e, "ids_follow");
}

/* The store is whole and takes a new transaction. */
static void assert_sound(db *d, const char *op, int kind, int64_t n)
{
	rp_err e = {0};
	if (!test_pg()) {
		db_stmt *s = db_query(d, &e, "PRAGMA integrity_check", "");
		assert_non_null(s);
		assert_int_equal(db_step(s, &e), DB_ROW);
		if (strcmp(db_col_text(s, 0), "ok"))
			fail_msg("%s, %s fault at %lld: integrity_check: %s", op, db_fault_name(kind), (long long)n,
				 db_col_text(s, 0));
		db_reset(s);
		s = db_query(d, &e, "PRAGMA foreign_key_check", "");
		assert_non_null(s);
		if (db_step(s, &e) != DB_DONE)
			fail_msg("%s, %s fault at %lld: a row of %s refers to nothing", op, db_fault_name(kind),
				 (long long)n, db_col_text(s, 0));
		db_reset(s);
		/* each search index holds exactly what its table holds */
		static const char *const fts[] = {"contact_fts", "fact_fts", "interaction_fts", "story_fts"};
		for (size_t i = 0; i < sizeof fts / sizeof *fts; i++) {
			char sql[128];
			snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('integrity-check')", fts[i], fts[i]);
			if (db_exec(d, sql, &e))
				fail_msg("%s, %s fault at %lld: %s: %s", op, db_fault_name(kind), (long long)n, fts[i],
					 e.msg);
		}
	}
	int64_t one = 0;
	ok(db_begin(d, &e), &e, "a new transaction");
	ok(db_run(d, &e, "INSERT INTO setting(key, value) VALUES ('fault.probe', 'x')", ""), &e, "a write");
	ok(db_one_int(d, &e, &one, "SELECT count(*) FROM setting WHERE key = 'fault.probe'", ""), &e, "a read");
	assert_int_equal(one, 1);
	db_rollback(d);
	ok(db_one_int(d, &e, &one, "SELECT count(*) FROM setting WHERE key = 'fault.probe'", ""), &e, "a read");
	assert_int_equal(one, 0);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	unlink(to);
	if (!in)
		return; /* no WAL: nothing to copy */
	FILE *out = fopen(to, "wb");
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static db *open_store(const char *path)
{
	db *d = NULL;
	rp_err e = {0};
	ok(store_open(path, 0, &d, &e), &e, "store_open");
	return d;
}

/* Figures for the report at the end. */
typedef struct tally {
	int64_t events; /* events of the kind in the operation */
	int64_t points; /* events that were made to fail, one run each */
	int64_t failed; /* runs that reported an error */
	int64_t absorbed; /* runs that succeeded although an event failed */
	int64_t recovered_after; /* failed runs whose crash copy recovered as after */
} tally;

/* The store the last failed run left, copied as a crash at that moment
** would leave its files (no -shm: recovery reads the WAL), opened again:
** it must be as before or as after. */
static void crash_copy(const char *path, const char *before, const char *after, int failed, tally *t,
		       const char *op, int kind, int64_t n)
{
	char copy[TEST_PATH + 16], from[TEST_PATH + 32], to[TEST_PATH + 32];
	snprintf(copy, sizeof copy, "%s.crash", path);
	copy_file(path, copy);
	snprintf(from, sizeof from, "%s-wal", path);
	snprintf(to, sizeof to, "%s-wal", copy);
	copy_file(from, to);
	snprintf(to, sizeof to, "%s-shm", copy);
	unlink(to);
	db *c = open_store(copy);
	char *got = digest(c);
	if (!strcmp(got, after))
		t->recovered_after += failed;
	else
		assert_digest(got, before, "as before or as after after recovery", op, kind, n);
	assert_sound(c, op, kind, n);
	free(got);
	db_close(c);
	test_target_free(copy);
}

/* The Ns to run: every one with RAPPORT_FAULT_FULL set, or when there are
** at most ALL; otherwise (allocations run to thousands) every one among
** the first and last EDGE events (an operation's opening reads and its
** commit) and SAMPLE spread evenly between, which keeps make check short. */
#define ALL 300
#define EDGE 25
#define SAMPLE 30
static int full(void) { return getenv("RAPPORT_FAULT_FULL") != NULL; }

static int64_t next_n(int64_t n, int64_t events)
{
	if (full() || events <= ALL || n < EDGE || n >= events - EDGE)
		return n + 1;
	int64_t stride = (events - 2 * EDGE) / SAMPLE + 1;
	return n + stride < events - EDGE ? n + stride : events - EDGE;
}

/* A store as the fixture leaves it, to run the operation on: on SQLite a
** copy of a template file, so every run starts from the same bytes; on
** PostgreSQL one store, as before after every failed run, made again
** after a run that succeeded. */
typedef struct bench {
	const op *o;
	fixture x;
	char tmpl[TEST_PATH], path[TEST_PATH];
	db *d;
} bench;

/* A new SQLite file name, in memory when the machine has /dev/shm: a
** sync there costs nothing, and thousands of runs each sync. */
static void file_target(char path[TEST_PATH])
{
	snprintf(path, TEST_PATH, "/dev/shm/rapport-fault-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0) {
		test_target(path);
		return;
	}
	close(fd);
	unlink(path);
}

static void bench_setup(bench *b, db *d)
{
	if (b->o->setup)
		b->o->setup(d, &b->x);
	ids_follow(d);
}

static db *bench_store(bench *b)
{
	if (test_pg()) {
		if (!b->d) {
			b->d = test_store(b->path);
			bench_setup(b, b->d);
		}
		return b->d;
	}
	if (!*b->tmpl) {
		file_target(b->tmpl);
		db *d = NULL;
		rp_err e = {0};
		ok(store_open(b->tmpl, 1, &d, &e), &e, "store_open");
		bench_setup(b, d);
		db_close(d);
		file_target(b->path);
	}
	test_target_free(b->path);
	copy_file(b->tmpl, b->path);
	return b->d = open_store(b->path);
}

/* Done with the run on the store: on PostgreSQL the store stays unless
** it changed (done). */
static void bench_next(bench *b, int done)
{
	if (!test_pg() || done) {
		if (test_pg())
			test_store_close(b->d, b->path);
		else
			db_close(b->d);
		b->d = NULL;
	}
}

static void bench_free(bench *b)
{
	if (b->d)
		bench_next(b, 1);
	if (*b->tmpl) {
		test_target_free(b->path);
		test_target_free(b->tmpl);
	}
}

/* One operation under one kind of fault. */
static void sweep(const op *o, kind k, tally *t)
{
	bench b = {.o = o};
	/* the reference: the operation without faults, counting its events */
	db *d = bench_store(&b);
	char *before = digest(d);
	if (!test_pg()) { /* from the same cold start as the runs below */
		bench_next(&b, 1);
		d = bench_store(&b);
	}
	rp_err e = {0};
	db_fault_arm(k.kind, INT64_MAX, 0);
	int rc = o->run(d, &b.x, &e);
	int64_t events = db_fault_count();
	db_fault_disarm();
	ok(rc, &e, o->name);
	char *after = digest(d);
	bench_next(&b, 1);
	if (!strcmp(before, after))
		fail_msg("%s changes nothing: no test", o->name);
	t->events += events;

	int64_t n;
	for (n = 1; n <= events + 1; n = next_n(n, events)) {
		d = bench_store(&b);
		if (test_pg()) {
			char *got = digest(d);
			assert_digest(got, before, "as the reference's", o->name, k.kind, n);
			free(got);
		}
		memset(&e, 0, sizeof e);
		db_fault_arm(k.kind, n, k.persistent);
		rc = o->run(d, &b.x, &e);
		int64_t fired = db_fault_disarm();
		if (rc && !fired)
			fail_msg("%s failed with no fault injected: %s", o->name, e.msg);
		if (rc && !*e.msg)
			fail_msg("%s, %s fault at %lld: an error without a message", o->name, db_fault_name(k.kind),
				 (long long)n);
		if (!fired != (n > events))
			fail_msg("%s: %lld %s events in the reference run, a fault at %lld %s", o->name,
				 (long long)events, db_fault_name(k.kind), (long long)n, fired ? "fired" : "did not fire");
		if (rc)
			ids_follow(d);
		char *got = digest(d);
		assert_digest(got, rc ? before : after, rc ? "as before" : "as after", o->name, k.kind, n);
		free(got);
		/* files are what writes leave (other kinds too, in the full run) */
		if (!test_pg() && (k.kind == DB_FAULT_WRITE || full()))
			crash_copy(b.path, before, after, rc != 0, t, o->name, k.kind, n);
		assert_sound(d, o->name, k.kind, n);
		bench_next(&b, !rc);
		if (fired) {
			t->points++;
			t->failed += rc != 0;
			t->absorbed += rc == 0;
		}
	}
	bench_free(&b);
	free(before);
	free(after);
}

static void test_faults(void **state)
{
	(void)state;
	const kind *kinds = test_pg() ? pg_kinds : sqlite_kinds;
	size_t nkinds = test_pg() ? sizeof pg_kinds / sizeof *pg_kinds : sizeof sqlite_kinds / sizeof *sqlite_kinds;
	/* RAPPORT_FAULT_OPS=name,name... runs only those (while looking into one) */
	const char *only = getenv("RAPPORT_FAULT_OPS");
	for (size_t i = 0; i < NOPS; i++) {
		if (only && !strstr(only, ops[i].name))
			continue;
		printf("%-30s", ops[i].name);
		for (size_t k = 0; k < nkinds; k++) {
			tally t = {0};
			sweep(&ops[i], kinds[k], &t);
			/* a loop that never reached a fault would prove nothing */
			if (t.points < 3)
				fail_msg("%s: only %lld %s fault points", ops[i].name, (long long)t.points,
					 db_fault_name(kinds[k].kind));
			printf(" %s%s %lld/%lld (%lld failed, %lld absorbed)", db_fault_name(kinds[k].kind),
			       kinds[k].persistent ? "+" : "", (long long)t.points, (long long)t.events,
			       (long long)t.failed, (long long)t.absorbed);
			if (t.recovered_after)
				printf(" [%lld failed runs recovered as after]", (long long)t.recovered_after);
			fflush(stdout);
		}
		printf("\n");
	}
}

int main(void)
{
	/* SQLite's allocator and files go through the fault hooks, which
	** must be in place before SQLite's first use. */
	if (!test_pg()) {
		rp_err e = {0};
		if (db_fault_sqlite_install(&e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
	}
	setenv("RAPPORT_TODAY", "2026-11-23", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
