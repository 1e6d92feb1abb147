/* core/outbox, core/optin and format/mail: the gate, its one exception,
** the links, the export, and the message's encoding. */
#define TEST_DAY "2026-03-01"
#include "testlib.h"

#include "core/core.h"
#include "format/mail.h"

#include <sodium.h>

#define LATER_DAY "2026-03-04" /* past a 48-hour confirmation link */

static int64_t add_contact(db *d, const char *name, const char *email, const char *phone)
{
	rp_err e = {0};
	const char *em[1] = {email}, *ph[1] = {phone};
	contact_in in = {.name = name, .email = {em, email ? 1 : 0}, .phone = {ph, phone ? 1 : 0}};
	int64_t id = 0;
	if (contact_add(d, &in, &id, &e))
		fail_msg("contact_add: %s", e.msg);
	return id;
}

static void consent(db *d, int64_t contact, const char *channel, const char *purpose, const char *state)
{
	rp_err e = {0};
	consent_in in = {.channel = channel, .purpose = purpose, .state = state, .how = "form", .evidence = "the form"};
	if (consent_set(d, contact, &in, NULL, &e))
		fail_msg("consent_set: %s", e.msg);
}

static void set(db *d, const char *key, const char *value)
{
	rp_err e = {0};
	if (setting_set(d, key, value, &e))
		fail_msg("setting_set: %s", e.msg);
}

/* Settings that deliver nowhere: port 1 refuses at once. */
static void configure(db *d)
{
	set(d, "public.url", "https://crm.example.org/");
	set(d, "smtp.url", "smtp://127.0.0.1:1");
	set(d, "smtp.from", "Shop <shop@example.org>");
}

static int64_t count(db *d, const char *sql)
{
	rp_err e = {0};
	int64_t n = -1;
	if (db_one_int(d, &e, &n, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
	return n;
}

static void text_of(db *d, const char *sql, char *out, size_t size)
{
	rp_err e = {0};
	db_stmt *s = db_query(d, &e, sql, "");
	if (!s || db_step(s, &e) != DB_ROW)
		fail_msg("%s: %s", sql, e.msg);
	snprintf(out, size, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "(null)");
	db_reset(s);
}

static int send(db *d, int64_t contact, const char *channel, const char *purpose, rp_err *e)
{
	outbox_in in = {.contact = contact, .channel = channel, .purpose = purpose, .subject = "Hello",
			.body = "A few words.", .by = "tester", .lang = "en"};
	json_t *out = NULL;
	int rc = outbox_send(d, &in, &out, e);
	json_decref(out);
	return rc;
}

/* ---- the gate ------------------------------------------------------------ */

static void test_refused_without_consent(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t anna = add_contact(f->d, "Anna", "anna@example.org", NULL);
	rp_err e = {0};
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "consent: none"));
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE state = 'refused' AND reason LIKE '%consent%'"), 1);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link"), 0);
	/* A consent to another purpose or channel is not this one. */
	consent(f->d, anna, "email", "offers", "granted");
	consent(f->d, anna, "sms", "news", "granted");
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_ECONFLICT);
	consent(f->d, anna, "email", "news", "pending");
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "consent: pending"));
	assert_int_equal(table_rows(f->d, "outbox"), 3);
}

static void test_settings_first(void **state)
{
	fx *f = *state;
	int64_t anna = add_contact(f->d, "Anna", "anna@example.org", NULL);
	consent(f->d, anna, "email", "news", "granted");
	rp_err e = {0};
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "public.url"));
	set(f->d, "public.url", "https://crm.example.org");
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "smtp.url"));
	assert_int_equal(table_rows(f->d, "outbox"), 0);
	assert_int_equal(outbox_setting_check("smtp.url", "smtp://u:p@mail.example.org", &e), RP_EINVAL);
	assert_int_equal(outbox_setting_check("smtp.url", "smtps://mail.example.org:465", &e), 0);
	assert_int_equal(outbox_setting_check("smtp.url", "http://mail.example.org", &e), RP_EINVAL);
	assert_int_equal(outbox_setting_check("smtp.from", "Ателье <shop@example.org>", &e), 0);
	assert_int_equal(outbox_setting_check("smtp.from", "shop", &e), RP_EINVAL);
	assert_int_equal(outbox_setting_check("public.url", "https://crm.example.org/", &e), 0);
	assert_int_equal(outbox_setting_check("public.url", "https://crm.example.org/?a=b", &e), RP_EINVAL);
}

/* Allowed: queued and committed before delivery; a server that cannot be
** reached leaves it 'failed' with the error, never lost. */
static void test_failed_delivery_is_kept(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t anna = add_contact(f->d, "Anna", "anna@example.org", NULL);
	consent(f->d, anna, "email", "news", "granted");
	rp_err e = {0};
	assert_int_equal(send(f->d, anna, "email", "news", &e), RP_EIO);
	assert_non_null(strstr(e.msg, "not delivered"));
	char buf[600];
	text_of(f->d, "SELECT state || ' ' || address FROM outbox", buf, sizeof buf);
	assert_string_equal(buf, "failed anna@example.org");
	text_of(f->d, "SELECT reason FROM outbox", buf, sizeof buf);
	assert_non_null(strstr(buf, "mail server"));
	/* Its withdrawal link was made with it. */
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link WHERE kind = 'withdraw' AND expires_at IS NULL"), 1);
	/* No address to send to: refused, saying so. */
	int64_t bob = add_contact(f->d, "Bob", NULL, NULL);
	consent(f->d, bob, "email", "news", "granted");
	assert_int_equal(send(f->d, bob, "email", "news", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "has no email"));
	assert_int_equal(send(f->d, 999, "email", "news", &e), RP_ENOTFOUND);
}

/* The one exception: the confirmation of a signup, only while pending. */
static void test_confirmation_only_while_pending(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t vera = add_contact(f->d, "Vera", "vera@example.org", NULL);
	rp_err e = {0};
	assert_int_equal(outbox_confirmation(f->d, vera, "news", "en", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "none"));
	consent(f->d, vera, "email", "news", "pending");
	/* A team's message of purpose service is no confirmation. */
	assert_int_equal(send(f->d, vera, "email", "service", &e), RP_ECONFLICT);
	/* Allowed through the gate: delivery then fails here (port 1). */
	assert_int_equal(outbox_confirmation(f->d, vera, "news", "en", &e), RP_EIO);
	char buf[600];
	text_of(f->d, "SELECT state || ' ' || purpose FROM outbox ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_string_equal(buf, "failed service");
	text_of(f->d, "SELECT body FROM outbox ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_non_null(strstr(buf, "[confirmation link]")); /* the secret is not kept */
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link WHERE kind = 'confirm' AND purpose = 'news'"
				     " AND expires_at = created_at + 48 * 3600"), 1);
	consent(f->d, vera, "email", "news", "granted");
	assert_int_equal(outbox_confirmation(f->d, vera, "news", "en", &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "granted"));
}

/* ---- the other channels' export -------------------------------------- */

typedef struct sink_buf {
	rp_buf b;
	int fail;
} sink_buf;

static int take(void *ctx, const char *csv, size_t n, rp_err *e)
{
	sink_buf *s = ctx;
	if (s->fail)
		return rp_errf(e, RP_EIO, "the disk is full");
	rp_buf_put(&s->b, csv, n);
	return 0;
}

static void test_export(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t bob = add_contact(f->d, "Bob", NULL, "+7 916 123-45-67");
	consent(f->d, bob, "sms", "offers", "granted");
	rp_err e = {0};
	assert_int_equal(send(f->d, bob, "sms", "offers", &e), 0);
	assert_int_equal(send(f->d, bob, "sms", "offers", &e), 0);
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE state = 'queued' AND address = '+79161234567'"), 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link"), 0);
	/* A sink that fails: nothing counts as sent. */
	sink_buf s = {{0}, 1};
	json_t *report = NULL;
	assert_int_equal(outbox_export(f->d, "sms", "en", take, &s, &report, &e), RP_EIO);
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE state = 'queued'"), 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link"), 0);
	s.fail = 0;
	assert_int_equal(outbox_export(f->d, "sms", "en", take, &s, &report, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "exported")), 2);
	json_decref(report);
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at IS NOT NULL"), 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link WHERE kind = 'withdraw' AND channel = 'sms'"), 2);
	assert_non_null(strstr(s.b.p, "id,contact_id,name,address,purpose,subject,text,withdraw_url\r\n"));
	assert_non_null(strstr(s.b.p, "https://crm.example.org/api/v1/public/withdraw/"));
	/* Withdrawn between queueing and export: refused at the export. */
	rp_buf_clear(&s.b);
	assert_int_equal(send(f->d, bob, "sms", "offers", &e), 0);
	consent(f->d, bob, "sms", "offers", "revoked");
	assert_int_equal(outbox_export(f->d, "sms", "en", take, &s, &report, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "refused")), 1);
	json_decref(report);
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE state = 'refused' AND reason LIKE '%withdrew%'"), 1);
	assert_null(strstr(s.b.p, "\r\n3,"));
	assert_int_equal(outbox_export(f->d, "email", "en", take, &s, &report, &e), RP_EINVAL);
	rp_buf_free(&s.b);
}

/* ---- links --------------------------------------------------------------- */

static void test_confirm_once_and_expiry(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t vera = add_contact(f->d, "Vera", "vera@example.org", NULL);
	consent(f->d, vera, "email", "news", "pending");
	char t1[LINK_TOKEN], t2[LINK_TOKEN], w[LINK_TOKEN];
	rp_err e = {0};
	int64_t now = rp_now();
	assert_int_equal(link_make(f->d, vera, "email", "news", "confirm", now + 48 * 3600, t1, &e), 0);
	assert_int_equal(link_make(f->d, vera, "email", "news", "confirm", now + 48 * 3600, t2, &e), 0);
	assert_int_equal(link_make(f->d, vera, "email", "news", "withdraw", 0, w, &e), 0);
	assert_int_equal((int)strlen(t1), LINK_TOKEN - 1);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM consent_link WHERE token_hash = '%s'", t1);
	assert_int_equal(count(f->d, sql), 0); /* only the hash is kept */

	json_t *out = NULL;
	assert_int_equal(optin_confirm_page(f->d, t1, "10.0.0.1", "en", &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "button")), "Confirm");
	json_decref(out);
	char st[16];
	assert_int_equal(consent_current(f->d, vera, "email", "news", st, &e), 0);
	assert_string_equal(st, "pending"); /* the page alone confirms nothing */

	assert_int_equal(optin_confirm(f->d, t1, "10.0.0.1", "en", &out, &e), 0);
	json_decref(out);
	assert_int_equal(consent_current(f->d, vera, "email", "news", st, &e), 0);
	assert_string_equal(st, "granted");
	char stage[16];
	assert_int_equal(ladder_stage(f->d, vera, stage, &e), 0);
	assert_string_equal(stage, "yes");
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE how = 'link' AND by_user IS NULL"
				     " AND evidence LIKE '%10.0.0.1%' AND evidence LIKE '%the form%'"),
			 1);
	assert_int_equal(optin_confirm(f->d, t1, "10.0.0.1", "en", &out, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "already used"));

	/* Expired: refused, nothing changes, the link stays unused. */
	consent(f->d, vera, "email", "news", "pending");
	setenv("RAPPORT_TODAY", LATER_DAY, 1);
	assert_int_equal(optin_confirm(f->d, t2, "10.0.0.1", "en", &out, &e), RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "expired"));
	assert_int_equal(optin_confirm_page(f->d, t2, "10.0.0.1", "en", &out, &e), RP_ECONFLICT);
	assert_int_equal(consent_current(f->d, vera, "email", "news", st, &e), 0);
	assert_string_equal(st, "pending");
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent_link WHERE kind = 'confirm' AND used_at IS NULL"), 1);

	/* Withdrawal links never expire, and work again. */
	assert_int_equal(optin_withdraw(f->d, w, "10.0.0.2", "ru", &out, &e), 0);
	assert_non_null(strstr(json_string_value(json_object_get(out, "text")), "новости"));
	json_decref(out);
	assert_int_equal(consent_current(f->d, vera, "email", "news", st, &e), 0);
	assert_string_equal(st, "revoked");
	int64_t rows = table_rows(f->d, "consent");
	assert_int_equal(optin_withdraw(f->d, w, "10.0.0.2", "en", &out, &e), 0);
	json_decref(out);
	assert_int_equal(table_rows(f->d, "consent"), rows);
	/* A link only does its own kind; unknown ones are counted. */
	assert_int_equal(optin_confirm(f->d, w, "10.0.0.3", "en", &out, &e), RP_ENOTFOUND);
	assert_int_equal(optin_withdraw(f->d, t2, "10.0.0.3", "en", &out, &e), RP_ENOTFOUND);
	assert_int_equal(optin_withdraw(f->d, "short", "10.0.0.3", "en", &out, &e), RP_ENOTFOUND);
	assert_int_equal(count(f->d, "SELECT count(*) FROM auth_failure WHERE key = 'link:10.0.0.3'"), 3);
}

static void test_signup(void **state)
{
	fx *f = *state;
	configure(f->d);
	int64_t known = add_contact(f->d, "Known", "known@example.org", NULL);
	rp_err e = {0};
	json_t *out = NULL;
	signup_in in = {.name = "Вера", .email = "Vera@Example.org", .purpose = "news", .shown = "News? [Yes]",
			.address = "10.1.1.1", .lang = "en"};
	/* Delivery fails here (port 1): the person is told to try later, and
	** what was asked is on record. */
	assert_int_equal(optin_signup(f->d, &in, &out, &e), RP_EIO);
	assert_int_equal(count(f->d, "SELECT count(*) FROM contact_channel WHERE value = 'vera@example.org'"), 1);
	assert_int_equal(count(f->d, "SELECT count(*) FROM consent WHERE state = 'pending' AND how = 'signup'"
				     " AND evidence LIKE '%News? [Yes]%' AND evidence LIKE '%10.1.1.1%'"),
			 1);
	assert_int_equal(count(f->d, "SELECT count(*) FROM outbox WHERE purpose = 'service' AND state = 'failed'"), 1);
	/* A known address: the same contact. */
	in.email = "known@example.org";
	assert_int_equal(optin_signup(f->d, &in, &out, &e), RP_EIO);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM consent WHERE contact_id = %lld AND state = 'pending'", (long long)known);
	assert_int_equal(count(f->d, sql), 1);
	/* Subscribed already: nothing is sent, and the answer does not tell. */
	consent(f->d, known, "email", "news", "granted");
	int64_t sent = table_rows(f->d, "outbox");
	assert_int_equal(optin_signup(f->d, &in, &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "state")), "pending");
	json_decref(out);
	assert_int_equal(table_rows(f->d, "outbox"), sent);
	in.purpose = "service";
	assert_int_equal(optin_signup(f->d, &in, &out, &e), RP_EINVAL);
	in.purpose = "news";
	in.shown = " ";
	assert_int_equal(optin_signup(f->d, &in, &out, &e), RP_EINVAL);
	/* Throttled per network address: 10 in 15 minutes. */
	in.shown = "News? [Yes]";
	int rc = 0, n = 0;
	for (; n < 20 && rc != RP_ETHROTTLE; n++) {
		char email[64];
		snprintf(email, sizeof email, "flood%d@example.org", n);
		in.email = email;
		rc = optin_signup(f->d, &in, &out, &e);
		if (!rc)
			json_decref(out);
	}
	assert_int_equal(rc, RP_ETHROTTLE);
	assert_true(e.retry_after > 0);
	assert_int_equal(n, 6); /* 5 counted before, and the 11th is refused */
	in.address = "10.1.1.2";
	in.email = "other@example.org";
	assert_int_equal(optin_signup(f->d, &in, &out, &e), RP_EIO); /* another address may */
}

/* ---- the message's bytes ---------------------------------------------------- */

static int hexval(char c) { return c >= 'A' ? c - 'A' + 10 : c - '0'; }

/* Quoted-printable back to text with LF line ends. */
static void qp_decode(const char *in, rp_buf *out)
{
	for (const char *p = in; *p; p++) {
		if (*p == '=' && p[1] == '\r' && p[2] == '\n')
			p += 2;
		else if (*p == '=')
			rp_buf_putc(out, (char)(hexval(p[1]) * 16 + hexval(p[2]))), p += 2;
		else if (*p == '\r')
			;
		else
			rp_buf_putc(out, *p);
	}
}

static void test_quoted_printable(void **state)
{
	(void)state;
	const char *text = "Привет, Анна! = equals\n.dot at start\ntrailing space \nlong "
			   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			   "ёёёёёёёёёёёёёёёёёёёёёёёёёёёёёёёё\r\nend";
	rp_buf b = {0}, back = {0};
	mail_qp(&b, text);
	/* Lines of at most 76 characters, only printable ASCII, CRLF. */
	size_t col = 0;
	for (const char *p = b.p; *p; p++) {
		if (*p == '\r') {
			assert_int_equal(p[1], '\n');
			assert_true(p == b.p || (p[-1] != ' ' && p[-1] != '\t'));
			col = 0;
			p++;
			continue;
		}
		assert_true(*p >= 32 && *p < 127);
		assert_true(col > 0 || *p != '.');
		assert_true(++col <= 76);
	}
	qp_decode(b.p, &back);
	assert_string_equal(back.p, "Привет, Анна! = equals\n.dot at start\ntrailing space \nlong "
				    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				    "ёёёёёёёёёёёёёёёёёёёёёёёёёёёёёёёё\nend\n");
	rp_buf_free(&b);
	rp_buf_free(&back);
}

static void test_header_words(void **state)
{
	(void)state;
	rp_buf b = {0};
	mail_header_text(&b, "Plain subject", 0);
	assert_string_equal(b.p, "Plain subject");
	rp_buf_clear(&b);
	mail_header_text(&b, "O'Brien", 1); /* a phrase may not hold it plain */
	assert_non_null(strstr(b.p, "=?UTF-8?B?"));
	rp_buf_clear(&b);
	const char *s = "Новая коллекция — осень, и ещё много слов, чтобы заголовок был длинным";
	mail_header_text(&b, s, 0);
	/* Each encoded word at most 75 characters, of whole characters. */
	rp_buf joined = {0};
	char *copy = strdup(b.p), *save = NULL;
	for (char *w = strtok_r(copy, "\r\n ", &save); w; w = strtok_r(NULL, "\r\n ", &save)) {
		assert_true(strlen(w) <= 75);
		assert_int_equal(strncmp(w, "=?UTF-8?B?", 10), 0);
		size_t n = strlen(w) - 12;
		unsigned char raw[64];
		size_t len = 0;
		assert_int_equal(sodium_base642bin(raw, sizeof raw, w + 10, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		assert_true((raw[0] & 0xc0) != 0x80); /* starts a character */
		rp_buf_put(&joined, (const char *)raw, len);
	}
	assert_string_equal(joined.p, s);
	free(copy);
	rp_buf_free(&joined);
	rp_buf_free(&b);
}

static void test_addresses_and_message(void **state)
{
	(void)state;
	char name[64], addr[64];
	assert_int_equal(mail_split_address("Ателье «Шов» <shop@example.org>", name, sizeof name, addr, sizeof addr), 0);
	assert_string_equal(name, "Ателье «Шов»");
	assert_string_equal(addr, "shop@example.org");
	assert_int_equal(mail_split_address(" shop@example.org ", name, sizeof name, addr, sizeof addr), 0);
	assert_string_equal(name, "");
	assert_int_equal(mail_split_address("\"Shop\" <shop@example.org>", name, sizeof name, addr, sizeof addr), 0);
	assert_string_equal(name, "Shop");
	assert_int_equal(mail_split_address("Shop <shop@example.org> x", name, sizeof name, addr, sizeof addr), -1);
	assert_int_equal(mail_split_address("shop", name, sizeof name, addr, sizeof addr), -1);
	assert_int_equal(mail_split_address("a@b@c", name, sizeof name, addr, sizeof addr), -1);
	assert_int_equal(mail_split_address("Shop <shop@example.org>\r\nBcc: x@y.z", name, sizeof name, addr, sizeof addr), -1);

	char date[64];
	assert_string_equal(mail_date(1796040000, date), "Mon, 30 Nov 2026 12:00:00 +0000");
	mail_msg m = {.from_name = "Shop", .from_addr = "shop@example.org", .to_name = "Анна", .to_addr = "anna@example.org",
		      .subject = "Hi", .body = "Почти всё по-русски.\n", .date = 1796040000, .message_id = "abc@example.org",
		      .unsubscribe = "https://crm.example.org/api/v1/public/withdraw/x"};
	rp_buf b = {0};
	mail_compose(&b, &m);
	assert_non_null(strstr(b.p, "Date: Mon, 30 Nov 2026 12:00:00 +0000\r\nFrom: Shop <shop@example.org>\r\n"));
	assert_non_null(strstr(b.p, "To: =?UTF-8?B?0JDQvdC90LA=?= <anna@example.org>\r\n"));
	assert_non_null(strstr(b.p, "Subject: Hi\r\nMessage-ID: <abc@example.org>\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(b.p, "Content-Transfer-Encoding: base64\r\n")); /* mostly Cyrillic */
	assert_non_null(strstr(b.p, "List-Unsubscribe: <https://crm.example.org/api/v1/public/withdraw/x>\r\n"
				   "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n"));
	rp_buf_free(&b);
}

int main(void)
{
	if (account_init() < 0)
		return 1;
	const struct CMUnitTest store_tests[] = {
		cmocka_unit_test_setup_teardown(test_refused_without_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_delivery_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirmation_only_while_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirm_once_and_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signup, setup, teardown),
	};
	const struct CMUnitTest mail_tests[] = {
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_header_words),
		cmocka_unit_test(test_addresses_and_message),
	};
	return cmocka_run_group_tests_name("outbox", store_tests, NULL, NULL) |
	       cmocka_run_group_tests_name("mail", mail_tests, NULL, NULL);
}
