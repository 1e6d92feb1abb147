/* format/vcard, util/phone, core/upsert and core/vcards: reading, writing,
** the phone rules and import/export through streams. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include "format/vcard.h"
#include "util/phone.h"

/* ---- reading ----------------------------------------------------------- */

typedef struct got {
	int cards;
	char text[8192]; /* NAME|types|value\n per property */
	char version[8];
	size_t skipped;
} got;

static int collect(void *ctx, const vcard *c, rp_err *e)
{
	(void)e;
	got *g = ctx;
	g->cards++;
	snprintf(g->version, sizeof g->version, "%s", c->version);
	g->skipped += c->skipped;
	for (size_t i = 0; i < c->n; i++) {
		size_t n = strlen(g->text);
		snprintf(g->text + n, sizeof g->text - n, "%s|%s|%s\n", c->prop[i].name, c->prop[i].types,
			 c->prop[i].value);
	}
	return 0;
}

/* Read s in chunks of step bytes; 0 or the error code, message in e. */
static int read_str(const char *s, size_t len, size_t step, got *g, rp_err *e)
{
	memset(g, 0, sizeof *g);
	memset(e, 0, sizeof *e);
	vcard_reader *r = vcard_reader_new(collect, g);
	assert_non_null(r);
	int rc = 0;
	for (size_t i = 0; i < len && !rc; i += step)
		rc = vcard_reader_feed(r, s + i, len - i < step ? len - i : step, e);
	if (!rc)
		rc = vcard_reader_finish(r, e);
	vcard_reader_free(r);
	return rc;
}

static int read_all(const char *s, got *g, rp_err *e) { return read_str(s, strlen(s), 1 << 20, g, e); }

static void test_unfold_crlf_lf_tab(void **state)
{
	(void)state;
	got g;
	rp_err e;
	const char *s = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Анна\r\n  Иванова\r\nNOTE:a\n\tb\r\n c\nEND:VCARD\r\n";
	/* whole, and a byte at a time: the chunking must not matter */
	for (size_t step = 1; step <= 1 << 20; step <<= 20) {
		assert_int_equal(read_str(s, strlen(s), step, &g, &e), 0);
		assert_int_equal(g.cards, 1);
		assert_string_equal(g.version, "3.0");
		assert_string_equal(g.text, "FN||Анна Иванова\nNOTE||abc\n");
	}
}

static void test_escapes_and_split(void **state)
{
	(void)state;
	char *p[5];
	int n = vcard_split("Иванова;Анна\\; Мария;a\\,b\\nc\\\\d;;", ';', p, 5);
	assert_int_equal(n, 5);
	assert_string_equal(p[0], "Иванова");
	assert_string_equal(p[1], "Анна; Мария");
	assert_string_equal(p[2], "a,b\nc\\d");
	assert_string_equal(p[3], "");
	assert_string_equal(p[4], "");
	vcard_free_parts(p, n);
	/* more parts than room: the rest joins the last */
	n = vcard_split("a,b,c", ',', p, 2);
	assert_int_equal(n, 2);
	assert_string_equal(p[1], "b,c");
	vcard_free_parts(p, n);
	rp_buf b = {0};
	vcard_escape(&b, "a;b,c\\d\ne");
	assert_string_equal(b.p, "a\\;b\\,c\\\\d\\ne");
	rp_buf_free(&b);
}

static void test_type_forms(void **state)
{
	(void)state;
	got g;
	rp_err e;
	const char *s = "BEGIN:VCARD\nVERSION:4.0\nTEL;TYPE=HOME,CELL:1\nTEL;TYPE=home;TYPE=cell:2\n"
			"TEL;HOME;CELL:3\nitem1.TEL;TYPE=\"work,voice\";PREF=1:4\nEND:VCARD\n";
	assert_int_equal(read_all(s, &g, &e), 0);
	assert_string_equal(g.text, "TEL|home,cell|1\nTEL|home,cell|2\nTEL|home,cell|3\nTEL|work,voice|4\n");
}

static void test_quoted_printable(void **state)
{
	(void)state;
	got g;
	rp_err e;
	/* UTF-8 with a soft line break; windows-1251; a bare QUOTED-PRINTABLE */
	const char *s = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
			"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=90=D0=BD=\r\n=D0=BD=D0=B0\r\n"
			"N;CHARSET=WINDOWS-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED=EE=E2=E0;=C0=ED=ED=E0\r\n"
			"NOTE;QUOTED-PRINTABLE:a=3Db=0D=0Ac\r\nEND:VCARD\r\n";
	assert_int_equal(read_all(s, &g, &e), 0);
	assert_string_equal(g.text, "FN||Анна\nN||Иванова;Анна\nNOTE||a=b\r\nc\n");
	/* bytes that are not in their charset, and an unknown charset */
	assert_int_equal(read_all("BEGIN:VCARD\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE\nEND:VCARD\n", &g, &e),
			 RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_int_equal(read_all("BEGIN:VCARD\nFN;CHARSET=NOPE-99:x\nEND:VCARD\n", &g, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "unknown CHARSET NOPE-99"));
	/* =00 would put a NUL inside the text */
	assert_int_equal(read_all("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:a=00b\nEND:VCARD\n", &g, &e), RP_EINVAL);
}

static void test_photo_skipped(void **state)
{
	(void)state;
	/* 3 MB of base64 folded over 40,000 lines, then one line of 1 MB: never kept */
	rp_buf b = {0};
	rp_buf_puts(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b;TYPE=JPEG:");
	for (int i = 0; i < 40000; i++)
		rp_buf_puts(&b, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n ");
	rp_buf_puts(&b, "AA\r\nLOGO:data:image/png;base64,");
	for (int i = 0; i < 1 << 20; i++)
		rp_buf_putc(&b, 'A');
	rp_buf_puts(&b, "\r\nFN:Анна\r\nEND:VCARD\r\n");
	assert_false(b.oom);
	got g;
	rp_err e;
	assert_int_equal(read_str(b.p, b.n, 4096, &g, &e), 0);
	assert_string_equal(g.text, "FN||Анна\n");
	assert_int_equal(g.skipped, 2);
	rp_buf_free(&b);
}

static void test_limits_name_the_line(void **state)
{
	(void)state;
	got g;
	rp_err e;
	rp_buf b = {0};
	rp_buf_puts(&b, "BEGIN:VCARD\nVERSION:3.0\nNOTE:");
	for (int i = 0; i < VCARD_MAX_LINE; i++)
		rp_buf_putc(&b, 'x');
	rp_buf_puts(&b, "\nEND:VCARD\n");
	assert_int_equal(read_str(b.p, b.n, 1000, &g, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 3: a line longer than 65536 bytes"));
	rp_buf_clear(&b);
	rp_buf_puts(&b, "BEGIN:VCARD\n");
	for (int i = 0; i <= VCARD_MAX_PROPS; i++)
		rp_buf_puts(&b, "EMAIL:a@b.c\n");
	rp_buf_puts(&b, "END:VCARD\n");
	assert_int_equal(read_str(b.p, b.n, 1000, &g, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 1002: the card has more than 1000 properties"));
	/* a skipped property still counts to the card's size */
	rp_buf_clear(&b);
	rp_buf_puts(&b, "BEGIN:VCARD\nPHOTO:");
	for (int i = 0; i < VCARD_MAX_CARD; i++)
		rp_buf_putc(&b, 'A');
	rp_buf_puts(&b, "\nEND:VCARD\n");
	assert_false(b.oom);
	assert_int_equal(read_str(b.p, b.n, 1 << 16, &g, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "line 2: the card is larger than 16 MiB bytes"));
	rp_buf_free(&b);
}

static void test_structure_errors(void **state)
{
	(void)state;
	got g;
	rp_err e;
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{"FN:x\n", "line 1: \"FN:x\" is outside a card"},
		{"BEGIN:VCARD\nFN:x\n", "line 1: the card begun here has no END:VCARD"},
		{"BEGIN:VCARD\nBEGIN:VCARD\n", "line 2: BEGIN:VCARD before the card above it ended"},
		{"BEGIN:VCARD\nEND:VCALENDAR\n", "line 2: END:VCALENDAR where END:VCARD was expected"},
		{"BEGIN:VCARD\nno colon here\nEND:VCARD\n", "line 2: \"no colon here\" is not a property"},
		{"BEGIN:VCARD\nVERSION:5.0\nEND:VCARD\n", "line 2: VERSION 5.0 is not 2.1, 3.0 or 4.0"},
		{"BEGIN:VCARD\nFN:\xff\xfe\nEND:VCARD\n", "line 2: FN: the value is not UTF-8"},
		{"BEGIN:VCARD\nF N:x\nEND:VCARD\n", "line 2: \"F N\" is not a property name"},
		{"", "no card found"},
		/* found by fuzzing: a line that starts with its ':' */
		{"BEGIN:VCARD\n:x\nEND:VCARD\n", "line 2: a property without a name"},
		{"BEGIN:VCARD\r\n:\r\n", "line 2: a property without a name"},
		{"\n\n", "no card found"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(read_all(bad[i].in, &g, &e), RP_EINVAL);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: got \"%s\"", bad[i].in, e.msg);
	}
	/* feeding after a failure is refused, not undefined */
	vcard_reader *r = vcard_reader_new(collect, &g);
	assert_int_equal(vcard_reader_feed(r, "FN:x\nX", 6, &e), RP_EINVAL);
	assert_int_equal(vcard_reader_feed(r, "BEGIN:VCARD\n", 12, &e), RP_EINVAL);
	vcard_reader_free(r);
}

static void test_writer_folds_utf8(void **state)
{
	(void)state;
	rp_buf b = {0};
	rp_buf v = {0};
	for (int i = 0; i < 60; i++)
		rp_buf_puts(&v, "Ж");
	vcard_line(&b, "NOTE", v.p);
	/* no physical line over 75 bytes, no split character, CRLF, and it reads back */
	size_t col = 0;
	for (size_t i = 0; i < b.n; i++) {
		if (b.p[i] == '\r') {
			assert_int_equal(b.p[i + 1], '\n');
			assert_true(col <= 75);
			col = 0;
			i++;
			continue;
		}
		if (col == 0 && i > 0 && b.p[i] == ' ')
			assert_true(((unsigned char)b.p[i + 1] & 0xc0) != 0x80);
		col++;
	}
	rp_buf card = {0};
	rp_buf_printf(&card, "BEGIN:VCARD\r\n%sEND:VCARD\r\n", b.p);
	got g;
	rp_err e;
	assert_int_equal(read_all(card.p, &g, &e), 0);
	char want[300];
	snprintf(want, sizeof want, "NOTE||%s\n", v.p);
	assert_string_equal(g.text, want);
	rp_buf_free(&b);
	rp_buf_free(&v);
	rp_buf_free(&card);
}

/* ---- phones -------------------------------------------------------------- */

static void test_phone_rules(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *region, *want;
	} ok[] = {
		{"8 (916) 123-45-67", "RU", "+79161234567"}, {"89161234567", "RU", "+79161234567"},
		{"79161234567", "RU", "+79161234567"},	     {"916 123 45 67", "RU", "+79161234567"},
		{"+7 916 123-45-67", "GB", "+79161234567"},  {"810 44 20 7946 0958", "RU", "+442079460958"},
		{"020 7946 0958", "GB", "+442079460958"},    {"00 33 1 23 45 67 89", "GB", "+33123456789"},
		{"(212) 555-0123", "US", "+12125550123"},    {"1-212-555-0123", "US", "+12125550123"},
		{"011 49 30 1234567", "US", "+49301234567"}, {"030 1234567", "DE", "+49301234567"},
		{"06 12 34 56 78", "FR", "+33612345678"},    {"06.12.34.56.78", "FR", "+33612345678"},
	};
	char buf[32];
	rp_err e;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		if (phone_e164(ok[i].raw, ok[i].region, buf, sizeof buf, &e))
			fail_msg("%s in %s: %s", ok[i].raw, ok[i].region, e.msg);
		assert_string_equal(buf, ok[i].want);
	}
	static const struct {
		const char *raw, *region, *msg;
	} bad[] = {
		{"12345", "RU", "is not a number of region RU"},
		{"8 916 123", "RU", "is not a number of region RU"},
		{"+7 916 abc", "RU", "not a digit"},
		{"+0123456789", "RU", "is not an international number"},
		{"+1234", "RU", "is not an international number"},
		{"916 123 45 67", "XX", "RU, GB, US, DE or FR"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(phone_e164(bad[i].raw, bad[i].region, buf, sizeof buf, &e), RP_EINVAL);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: got \"%s\"", bad[i].raw, e.msg);
	}
}

/* ---- import and export through the store --------------------------------- */

static int import_str(db *d, const char *s, int dry, json_t **rep, rp_err *e)
{
	FILE *in = test_stream(s, strlen(s));
	import_opts o = {.dry_run = dry};
	*rep = NULL;
	memset(e, 0, sizeof *e);
	int rc = import_vcard(d, in, &o, rep, e);
	fclose(in);
	return rc;
}

static char *export_str(db *d, int64_t id, const char *version)
{
	char *p = NULL;
	size_t n;
	FILE *out = open_memstream(&p, &n);
	rp_err e;
	if (export_vcard(d, id, version, out, &e))
		fail_msg("export: %s", e.msg);
	fclose(out);
	/* unfolded, to compare whole properties */
	char *w = p;
	for (char *q = p; *q; q++) {
		if (q[0] == '\r' && q[1] == '\n' && q[2] == ' ') {
			q += 2;
			continue;
		}
		*w++ = *q;
	}
	*w = 0;
	return p;
}

static const char card_anna[] = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna-1\r\nN:Иванова;Анна;;;\r\n"
				 "TEL;TYPE=CELL:8 916 123 45 67\r\nEMAIL;TYPE=work:Anna@Example.org\r\n"
				 "ADR;TYPE=home:;;ул. Тверская\\, 1;Москва;;125009;Россия\r\n"
				 "BDAY:--04-15\r\nX-ANNIVERSARY:2010-06-20\r\nNOTE:чай\\; кофе\r\n"
				 "ORG:Ромашка;Отдел продаж\r\nCATEGORIES:vip,Друзья\r\nX-FOO:bar\r\nEND:VCARD\r\n";

static void test_import_round_trip(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	assert_int_equal(import_str(f->d, card_anna, 0, &rep, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "created")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rep, "ignored"), "X-FOO")), 1);
	json_decref(rep);
	char *s = export_str(f->d, 0, "4.0");
	/* N without FN: given then family; each field mapped */
	const char *want[] = {"VERSION:4.0\r\n", "UID:anna-1\r\n", "FN:Анна Иванова\r\n", "TEL;TYPE=cell:+79161234567\r\n",
			      "EMAIL;TYPE=work:anna@example.org\r\n",
			      "ADR;TYPE=home:;;ул. Тверская\\, 1\\, Москва\\, 125009\\, Россия;;;;\r\n",
			      "BDAY:--0415\r\n", "ANNIVERSARY:20100620\r\n", "NOTE:чай\\; кофе\r\n",
			      "ORG:Ромашка\\, Отдел продаж\r\n", "CATEGORIES:vip,друзья\r\n"};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!strstr(s, want[i]))
			fail_msg("no %s in\n%s", want[i], s);
	/* our export read back in: the same person, nothing changes */
	int64_t rows = table_rows(f->d, "contact_channel") + table_rows(f->d, "fact") + table_rows(f->d, "contact_date");
	assert_int_equal(import_str(f->d, s, 0, &rep, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "unchanged")), 1);
	assert_int_equal(json_integer_value(json_object_get(rep, "created")), 0);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact_channel") + table_rows(f->d, "fact") + table_rows(f->d, "contact_date"),
			 rows);
	free(s);
	s = export_str(f->d, 0, NULL);
	assert_non_null(strstr(s, "VERSION:3.0\r\n"));
	assert_non_null(strstr(s, "BDAY:--04-15\r\n"));
	assert_non_null(strstr(s, "X-ANNIVERSARY:2010-06-20\r\n"));
	free(s);
	assert_int_equal(export_vcard(f->d, 0, "2.1", stdout, &e), RP_EINVAL);
}

static void test_import_all_or_nothing(void **state)
{
	fx *f = *state;
	json_t *rep;
	rp_err e;
	char two[2048];
	snprintf(two, sizeof two, "%sBEGIN:VCARD\r\nFN:Плохой\r\nTEL:12\r\nEND:VCARD\r\n", card_anna);
	assert_int_equal(import_str(f->d, two, 0, &rep, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "1 bad card, nothing imported; first: line 15"));
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);
	assert_int_equal(table_rows(f->d, "contact_xid"), 0);
	/* dry run: reported, not written */
	assert_int_equal(import_str(f->d, card_anna, 1, &rep, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "created")), 1);
	json_decref(rep);
	assert_int_equal(table_rows(f->d, "contact"), 0);
}

static void test_upsert_rules(void **state)
{
	fx *f = *state;
	rp_err e;
	contact_in in = {.name = "Анна Иванова", .note = "старая заметка"};
	const char *ph[] = {"+79161234567"};
	in.phone = (rp_strs){ph, 1};
	int64_t id, got;
	assert_int_equal(contact_add(f->d, &in, &id, &e), 0);
	contact_up u = {.name = "Аня", .note = "новая", .birthday = "1985-04-15", .nchan = 2, .ntag = 1,
			.xid = "google:people/c1"};
	u.chan[0] = (upsert_chan){"phone", "8 (916) 123-45-67", "mobile"};
	u.chan[1] = (upsert_chan){"email", "anna@example.org", NULL};
	u.tag[0] = "vip";
	int outcome;
	json_t *kept = json_array();
	assert_int_equal(contact_upsert(f->d, &u, "RU", &got, &outcome, kept, &e), 0);
	assert_int_equal(got, id);
	assert_int_equal(outcome, UPSERT_CHANGED);
	/* the name and the note kept, both reported; the birthday filled */
	assert_int_equal(json_array_size(kept), 2);
	assert_non_null(strstr(json_string_value(json_array_get(kept, 0)), "name: kept \"Анна Иванова\""));
	json_decref(kept);
	json_t *card;
	assert_int_equal(contact_card(f->d, id, &card, &e), 0);
	assert_string_equal(json_string_value(json_object_get(card, "name")), "Анна Иванова");
	assert_string_equal(json_string_value(json_object_get(card, "note")), "старая заметка");
	assert_string_equal(json_string_value(json_object_get(card, "birthday")), "1985-04-15");
	json_decref(card);
	/* again: nothing changes; by the external id alone it is the same contact */
	assert_int_equal(contact_upsert(f->d, &u, "RU", &got, &outcome, NULL, &e), 0);
	assert_int_equal(outcome, UPSERT_UNCHANGED);
	contact_up by_xid = {.name = "X", .xid = "google:people/c1"};
	assert_int_equal(contact_upsert(f->d, &by_xid, "RU", &got, &outcome, NULL, &e), 0);
	assert_int_equal(got, id);
	/* matches of two different contacts are refused */
	contact_in other = {.name = "Пётр"};
	const char *em[] = {"petr@example.org"};
	other.email = (rp_strs){em, 1};
	int64_t pid;
	assert_int_equal(contact_add(f->d, &other, &pid, &e), 0);
	contact_up both = {.xid = "google:people/c1", .nchan = 1};
	both.chan[0] = (upsert_chan){"email", "petr@example.org", NULL};
	assert_int_equal(contact_upsert(f->d, &both, "RU", &got, &outcome, NULL, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "it matches two contacts"));
	/* no name, email or phone: nothing to know them by */
	contact_up none = {.note = "x"};
	assert_int_equal(contact_upsert(f->d, &none, "RU", &got, &outcome, NULL, &e), RP_EINVAL);
	/* merged: the external id follows the contact kept */
	assert_int_equal(contact_merge(f->d, pid, id, &e), 0);
	assert_int_equal(contact_upsert(f->d, &by_xid, "RU", &got, &outcome, NULL, &e), 0);
	assert_int_equal(got, pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unfold_crlf_lf_tab),
		cmocka_unit_test(test_escapes_and_split),
		cmocka_unit_test(test_type_forms),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_photo_skipped),
		cmocka_unit_test(test_limits_name_the_line),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_writer_folds_utf8),
		cmocka_unit_test(test_phone_rules),
		cmocka_unit_test_setup_teardown(test_import_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upsert_rules, setup, teardown),
	};
	return cmocka_run_group_tests_name("vcard", tests, NULL, NULL);
}
