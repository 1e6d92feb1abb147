/* format/csv: the pushed reader (libcsv underneath) and the writer. */
#include "testlib.h"

#include "format/csv.h"

/* ---- collecting rows ----------------------------------------------------------- */

#define MAX_ROWS 2048
#define MAX_FIELDS 16

typedef struct row {
	uint64_t line;
	size_t n;
	char *f[MAX_FIELDS];
} row;

typedef struct rows {
	row r[MAX_ROWS];
	size_t n;
	int stop_at; /* return nonzero from the callback at this row (1-based), 0: never */
} rows;

static int collect(void *ctx, char **fields, size_t n, uint64_t line)
{
	rows *rs = ctx;
	if (rs->n >= MAX_ROWS || n > MAX_FIELDS)
		return 99;
	row *r = &rs->r[rs->n++];
	r->line = line;
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		r->f[i] = strdup(fields[i]);
		assert_non_null(r->f[i]);
	}
	assert_null(fields[n]); /* the list ends with NULL */
	if (rs->stop_at && (int)rs->n == rs->stop_at)
		return 42;
	return 0;
}

static void rows_free(rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->r[i].n; k++)
			free(rs->r[i].f[k]);
	rs->n = 0;
}

static rows *rows_new(void)
{
	rows *rs = calloc(1, sizeof *rs);
	assert_non_null(rs);
	return rs;
}

static void rows_del(rows *rs)
{
	rows_free(rs);
	free(rs);
}

/* Read len bytes of s in chunks of chunk bytes (0: all at once).  Returns
** the first error code, from feed or finish; e receives its message. */
static int read_csv(const char *s, size_t len, size_t chunk, size_t max_row, rows *rs, rp_err *e)
{
	csv_reader *r = csv_reader_new(collect, rs, max_row);
	assert_non_null(r);
	int rc = 0;
	size_t off = 0;
	while (!rc && off < len) {
		size_t n = chunk && len - off > chunk ? chunk : len - off;
		rc = csv_reader_feed(r, s + off, n, e);
		off += n;
	}
	if (!rc)
		rc = csv_reader_finish(r, e);
	csv_reader_free(r);
	return rc;
}

static void expect_row(const rows *rs, size_t i, uint64_t line, size_t n, ...)
{
	if (i >= rs->n)
		fail_msg("row %zu missing: only %zu rows", i, rs->n);
	const row *r = &rs->r[i];
	if (r->line != line)
		fail_msg("row %zu: line %llu, expected %llu", i, (unsigned long long)r->line,
			 (unsigned long long)line);
	if (r->n != n)
		fail_msg("row %zu: %zu fields, expected %zu", i, r->n, n);
	va_list ap;
	va_start(ap, n);
	for (size_t k = 0; k < n; k++) {
		const char *want = va_arg(ap, const char *);
		if (strcmp(r->f[k], want))
			fail_msg("row %zu field %zu: \"%s\", expected \"%s\"", i, k, r->f[k], want);
	}
	va_end(ap);
}

/* A canonical dump of rows, to compare two readings byte for byte. */
static char *dump(const rows *rs)
{
	rp_buf b = {0};
	for (size_t i = 0; i < rs->n; i++) {
		rp_buf_printf(&b, "@%llu:", (unsigned long long)rs->r[i].line);
		for (size_t k = 0; k < rs->r[i].n; k++)
			rp_buf_printf(&b, "%zu[%s]", strlen(rs->r[i].f[k]), rs->r[i].f[k]);
		rp_buf_putc(&b, '\n');
	}
	if (!b.p)
		rp_buf_puts(&b, "");
	assert_false(b.oom);
	return b.p;
}

#define BIG (1 << 20)

/* ---- reading ----------------------------------------------------------------- */

static void test_read_basic(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "name,email,tier\nАнна,anna@example.org,close\nBob,,\n,x,\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 4);
	expect_row(rs, 0, 1, 3, "name", "email", "tier");
	expect_row(rs, 1, 2, 3, "Анна", "anna@example.org", "close");
	expect_row(rs, 2, 3, 3, "Bob", "", "");
	expect_row(rs, 3, 4, 3, "", "x", "");
	rows_del(rs);
}

static void test_read_no_final_newline(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "a,b\nc,\"d\"";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 2);
	expect_row(rs, 0, 1, 2, "a", "b");
	expect_row(rs, 1, 2, 2, "c", "d");
	rows_del(rs);
}

static void test_read_quoted_multiline(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "h1,h2,h3\n"
			"\"multi\nline\nfield\",\"with \"\"quotes\"\", and comma\",x\n"
			"next,\"\",\"\n\"\n"
			"last,row,here\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 4);
	expect_row(rs, 0, 1, 3, "h1", "h2", "h3");
	expect_row(rs, 1, 2, 3, "multi\nline\nfield", "with \"quotes\", and comma", "x");
	expect_row(rs, 2, 5, 3, "next", "", "\n");
	expect_row(rs, 3, 7, 3, "last", "row", "here");
	rows_del(rs);
}

static void test_read_crlf(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "a,b\r\n\"x\r\ny\",z\r\nc,d\r\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 3);
	expect_row(rs, 0, 1, 2, "a", "b");
	expect_row(rs, 1, 2, 2, "x\r\ny", "z");
	expect_row(rs, 2, 4, 2, "c", "d");
	rows_del(rs);

	/* LF and CRLF mixed in one file */
	rs = rows_new();
	s = "a,b\nc,d\r\ne,f\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 3);
	expect_row(rs, 0, 1, 2, "a", "b");
	expect_row(rs, 1, 2, 2, "c", "d");
	expect_row(rs, 2, 3, 2, "e", "f");
	rows_del(rs);
}

static void test_read_bom(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "\xEF\xBB\xBFname,note\nИван,\"\xEF\xBB\xBF kept inside\"\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 2);
	expect_row(rs, 0, 1, 2, "name", "note");
	expect_row(rs, 1, 2, 2, "Иван", "\xEF\xBB\xBF kept inside");
	rows_del(rs);

	/* only at the very start */
	rs = rows_new();
	s = "a\n\xEF\xBB\xBF" "b\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 2);
	expect_row(rs, 1, 2, 1, "\xEF\xBB\xBF" "b");
	rows_del(rs);

	/* a file that is just a BOM has no rows, whole or split */
	for (size_t chunk = 0; chunk <= 2; chunk++) {
		rs = rows_new();
		assert_int_equal(read_csv("\xEF\xBB\xBF", 3, chunk, BIG, rs, &e), 0);
		assert_int_equal(rs->n, 0);
		rows_del(rs);
	}

	/* bytes that start like a mark but are not one are data, however fed */
	static const char *const almost[] = {"\xEF\xBBx,y\n", "\xEFz\n", "\xEF", "\xEF\xBB"};
	static const char *const first[] = {"\xEF\xBBx", "\xEFz", "\xEF", "\xEF\xBB"};
	for (size_t i = 0; i < 4; i++) {
		for (size_t chunk = 0; chunk <= 2; chunk++) {
			rs = rows_new();
			assert_int_equal(read_csv(almost[i], strlen(almost[i]), chunk, BIG, rs, &e), 0);
			assert_int_equal(rs->n, 1);
			assert_int_equal(rs->r[0].line, 1);
			assert_string_equal(rs->r[0].f[0], first[i]);
			rows_del(rs);
		}
	}
}

static void test_read_blank_lines(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "\na,b\n\n\nc,d\r\n\r\n\r\ne,f\n\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 0);
	assert_int_equal(rs->n, 3);
	expect_row(rs, 0, 2, 2, "a", "b");
	expect_row(rs, 1, 5, 2, "c", "d");
	expect_row(rs, 2, 8, 2, "e", "f");
	rows_del(rs);
}

static const char *const chunk_inputs[] = {
	"a,b,c\n1,2,3\n",
	"\xEF\xBB\xBFname,note\nИван,\"multi\nline\"\n\nПётр,\"a,b\"\r\n",
	"\xEF\xBB\xBF\"quoted, first\",x\r\n\r\n\"y\"\"z\",\"\r\n\"\r\nend",
	"\n\n\"x\",\"\"\"\"\n,\n\"long field with spaces   \",   unquoted   \n",
	"h\r\n\"\"\r\n\"a\nb\nc\nd\"\r\ntail",
};

static void test_read_chunks(void **state)
{
	(void)state;
	static const size_t chunks[] = {1, 2, 3, 5, 7};
	for (size_t i = 0; i < sizeof chunk_inputs / sizeof chunk_inputs[0]; i++) {
		const char *s = chunk_inputs[i];
		rows *whole = rows_new();
		rp_err e = {0};
		assert_int_equal(read_csv(s, strlen(s), 0, BIG, whole, &e), 0);
		assert_true(whole->n > 0);
		/* the first field never carries the byte order mark */
		assert_true(strncmp(whole->r[0].f[0], "\xEF\xBB\xBF", 3) != 0);
		char *want = dump(whole);
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			rows *part = rows_new();
			if (read_csv(s, strlen(s), chunks[c], BIG, part, &e))
				fail_msg("input %zu in %zu-byte chunks: %s", i, chunks[c], e.msg);
			char *got = dump(part);
			if (strcmp(got, want))
				fail_msg("input %zu in %zu-byte chunks:\n%s\nexpected:\n%s", i, chunks[c], got,
					 want);
			free(got);
			rows_del(part);
		}
		free(want);
		rows_del(whole);
	}
}

static void test_read_unterminated_quote(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "a,b\nc,d\n\"open,\nstill open\n";
	csv_reader *r = csv_reader_new(collect, rs, BIG);
	assert_non_null(r);
	assert_int_equal(csv_reader_feed(r, s, strlen(s), &e), 0);
	assert_int_equal(csv_reader_finish(r, &e), RP_EINVAL);
	assert_int_equal(e.code, RP_EINVAL);
	/* the error names the line where the unfinished row began */
	assert_non_null(strstr(e.msg, "line 3"));
	csv_reader_free(r);
	assert_int_equal(rs->n, 2);
	rows_del(rs);

	/* also in 1-byte chunks */
	rs = rows_new();
	memset(&e, 0, sizeof e);
	assert_int_equal(read_csv(s, strlen(s), 1, BIG, rs, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3"));
	rows_del(rs);
}

static void test_read_quote_in_unquoted(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	const char *s = "a,b\n\"x\ny\",z\nc,d\"e\nf,g\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), RP_EINVAL);
	assert_int_equal(e.code, RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 4"));
	rows_del(rs);

	/* text after a closing quote */
	rs = rows_new();
	memset(&e, 0, sizeof e);
	s = "a,b\n\"ab\"c,d\n";
	assert_int_equal(read_csv(s, strlen(s), 1, BIG, rs, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_int_equal(rs->n, 1);
	rows_del(rs);
}

static void test_read_max_row(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	/* each field costs its bytes plus one: "aaaa,bbbb" is 10 */
	const char *s = "x,y\naaaa,bbbb\n";
	assert_int_equal(read_csv(s, strlen(s), 0, 10, rs, &e), 0);
	assert_int_equal(rs->n, 2);
	rows_del(rs);

	rs = rows_new();
	assert_int_equal(read_csv(s, strlen(s), 0, 9, rs, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_int_equal(rs->n, 1);
	rows_del(rs);

	/* a long row in the middle of the file, spanning lines */
	char big[4096];
	size_t n = (size_t)snprintf(big, sizeof big, "h\nok\n\"");
	memset(big + n, 'z', 1000);
	n += 1000;
	n += (size_t)snprintf(big + n, sizeof big - n, "\n\"\nafter\n");
	rs = rows_new();
	memset(&e, 0, sizeof e);
	assert_int_equal(read_csv(big, n, 0, 256, rs, &e), RP_EINVAL);
	assert_int_equal(e.code, RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3"));
	assert_int_equal(rs->n, 2);
	rows_del(rs);
	rs = rows_new();
	memset(&e, 0, sizeof e);
	assert_int_equal(read_csv(big, n, 1, 256, rs, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3"));
	rows_del(rs);
}

static void test_read_callback_stops(void **state)
{
	(void)state;
	rows *rs = rows_new();
	rp_err e = {0};
	rs->stop_at = 2;
	const char *s = "a\nb\nc\nd\n";
	assert_int_equal(read_csv(s, strlen(s), 0, BIG, rs, &e), 42);
	assert_int_equal(rs->n, 2);
	rows_del(rs);
}

/* ---- writing ---------------------------------------------------------------- */

static void test_write_quoting(void **state)
{
	(void)state;
	rp_buf b = {0};
	csv_put(&b, "plain", 1);
	csv_put(&b, "a,b", 0);
	csv_put(&b, "say \"hi\"", 0);
	csv_put(&b, "two\nlines", 0);
	csv_put(&b, "cr\ronly", 0);
	csv_put(&b, " lead", 0);
	csv_put(&b, "trail ", 0);
	csv_put(&b, "\ttab", 0);
	csv_put(&b, "in side", 0);
	csv_put(&b, "", 0);
	csv_put(&b, NULL, 0);
	csv_put(&b, "Ёлка", 0);
	csv_end_row(&b);
	csv_put(&b, NULL, 1);
	csv_put(&b, "x", 0);
	csv_end_row(&b);
	assert_string_equal(b.p, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\ronly\","
				 "\" lead\",\"trail \",\"\ttab\",in side,,,Ёлка\r\n"
				 ",x\r\n");
	rp_buf_free(&b);
}

/* xorshift, so a failure reproduces */
static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const char *pieces[] = {
		"a", "Z", "0", " ", "  ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "\t", ";",
		"Анна", "Ёлка", "«ты»", "Сёмин", "東京", "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "'",
		"\\", "x y", "--", "=1+1",
	};
	static const char *fixed[][4] = {
		{"Анна Петровна Иванова", "ул. Тверская, д. 1", "\"Ёлки\"", " "},
		{"", "", "", ""},
		{"\n", "\r\n", ",", "\""},
		{"  padded  ", "\ttabbed\t", "a\"b", "end"},
	};
	enum { NROWS = 300, NF = 4 };
	char *fields[NROWS][NF];
	rp_buf out = {0};
	for (int i = 0; i < NROWS; i++) {
		for (int k = 0; k < NF; k++) {
			if (i < 4) {
				fields[i][k] = strdup(fixed[i][k]);
			} else {
				rp_buf f = {0};
				int parts = (int)(rnd() % 6);
				for (int p = 0; p < parts; p++)
					rp_buf_puts(&f, pieces[rnd() % (sizeof pieces / sizeof pieces[0])]);
				fields[i][k] = f.p ? f.p : strdup("");
			}
			assert_non_null(fields[i][k]);
			csv_put(&out, fields[i][k], k == 0);
		}
		csv_end_row(&out);
	}
	assert_false(out.oom);

	static const size_t chunks[] = {0, 1, 13};
	for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
		rows *rs = rows_new();
		rp_err e = {0};
		if (read_csv(out.p, out.n, chunks[c], BIG, rs, &e))
			fail_msg("reading back: %s", e.msg);
		assert_int_equal(rs->n, NROWS);
		uint64_t line = 1;
		for (int i = 0; i < NROWS; i++) {
			assert_int_equal(rs->r[i].n, NF);
			if (rs->r[i].line != line)
				fail_msg("row %d on line %llu, expected %llu", i,
					 (unsigned long long)rs->r[i].line, (unsigned long long)line);
			for (int k = 0; k < NF; k++) {
				if (strcmp(rs->r[i].f[k], fields[i][k]))
					fail_msg("row %d field %d: \"%s\", expected \"%s\"", i, k,
						 rs->r[i].f[k], fields[i][k]);
				for (const char *p = fields[i][k]; *p; p++)
					line += *p == '\n';
			}
			line++;
		}
		rows_del(rs);
	}
	for (int i = 0; i < NROWS; i++)
		for (int k = 0; k < NF; k++)
			free(fields[i][k]);
	rp_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_basic),
		cmocka_unit_test(test_read_no_final_newline),
		cmocka_unit_test(test_read_quoted_multiline),
		cmocka_unit_test(test_read_crlf),
		cmocka_unit_test(test_read_bom),
		cmocka_unit_test(test_read_blank_lines),
		cmocka_unit_test(test_read_chunks),
		cmocka_unit_test(test_read_unterminated_quote),
		cmocka_unit_test(test_read_quote_in_unquoted),
		cmocka_unit_test(test_read_max_row),
		cmocka_unit_test(test_read_callback_stops),
		cmocka_unit_test(test_write_quoting),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
