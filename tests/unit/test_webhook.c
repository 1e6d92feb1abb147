/* core/webhook: the signature, the backoff schedule, and events queued in
** the transaction of their write. */
#define TEST_DAY "2026-11-23"
#include "testlib.h"

#include <string.h>

/* The signed text is timestamp "." body.  RFC 4231's test case 7 has a
** "." to split at, and a key longer than SHA-256's block; a short key is
** checked against Python's hmac module (the receiver in tests/api does the
** same for every delivery). */
static void test_signature_vector(void **state)
{
	(void)state;
	char sig[72];
	/* RFC 4231, test case 7: a key longer than the block (131 bytes of
	** 0xaa), split at the text's first "." into timestamp and body. */
	char key[132];
	memset(key, 0xaa, 131);
	key[131] = 0;
	const char *rest = " The key needs to be hashed before being used by the HMAC algorithm.";
	webhook_sign(key, "This is a test using a larger than block-size key and a larger than block-size data", rest,
		     strlen(rest), sig);
	assert_string_equal(sig, "sha256=9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
	/* python3 -c 'import hmac; print(hmac.new(b"Jefe", b"1764489600.{\"id\":1}", "sha256").hexdigest())' */
	const char *body = "{\"id\":1}";
	webhook_sign("Jefe", "1764489600", body, strlen(body), sig);
	assert_string_equal(sig, "sha256=d2fe47e46c75c00c7314d35020302abf46fb1536aac61e0b2cec17b7d52feeb5");
	webhook_sign("Jefe", "1764489601", body, strlen(body), sig); /* another second, another signature */
	assert_string_not_equal(sig, "sha256=d2fe47e46c75c00c7314d35020302abf46fb1536aac61e0b2cec17b7d52feeb5");
}

static void test_backoff(void **state)
{
	(void)state;
	/* base 10: 10 s, 20 s, 40 s, ... doubling, never more than 6 hours */
	int64_t want[] = {10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 21600, 21600};
	for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
		assert_int_equal(webhook_backoff(10, i + 1), want[i]);
	assert_int_equal(webhook_backoff(1, 1), 1);
	assert_int_equal(webhook_backoff(1, 7), 64);
	assert_int_equal(webhook_backoff(0, 1), 1); /* a base below 1 s is 1 s */
	assert_int_equal(webhook_backoff(10, 1000), 21600);
	/* The tries of a day: the sum of the waits passes 24 hours at the 15th. */
	int64_t sum = 0;
	int n = 0;
	while (sum <= 86400)
		sum += webhook_backoff(10, ++n);
	assert_int_equal(n, 15);
}

static int64_t queued(db *d)
{
	return table_rows(d, "webhook_delivery");
}

static void test_same_transaction(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(webhook_add(f->d, "https://hooks.example.org/a", "contact.created, story.recorded", NULL,
				     "tester", &out, &e),
			 0);
	assert_int_equal(strlen(json_string_value(json_object_get(out, "secret"))), 64);
	json_decref(out);
	assert_int_equal(webhook_add(f->d, "https://hooks.example.org/b", "all", "a secret of our own", "tester", &out, &e),
			 0);
	assert_null(json_object_get(out, "secret")); /* a given secret is never echoed */
	json_decref(out);

	/* A write that commits queues one delivery per webhook that asked. */
	int64_t id;
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Anna"}, &id, &e), 0);
	assert_int_equal(queued(f->d), 2);
	/* One that is refused queues nothing. */
	assert_int_not_equal(contact_add(f->d, &(contact_in){.name = "Bad", .tier = "nonsense"}, &id, &e), 0);
	assert_int_equal(queued(f->d), 2);
	/* One rolled back by the caller takes its deliveries with it. */
	assert_int_equal(db_begin(f->d, &e), 0);
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Boris"}, &id, &e), 0);
	assert_int_equal(queued(f->d), 4);
	db_rollback(f->d);
	assert_int_equal(queued(f->d), 2);
	assert_int_equal(table_rows(f->d, "contact"), 1);
	/* Only the webhooks that asked for the event. */
	assert_int_equal(contact_edit(f->d, 1, &(contact_in){.note = "likes tea"}, &e), 0);
	assert_int_equal(queued(f->d), 3);

	/* The log: newest first, pending, nothing personal in the data. */
	assert_int_equal(webhook_log(f->d, 0, 10, &out, &e), 0);
	json_t *first = json_array_get(json_object_get(out, "deliveries"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "event")), "contact.updated");
	assert_string_equal(json_string_value(json_object_get(first, "status")), "pending");
	json_decref(out);
	int64_t n = -1;
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM webhook_delivery WHERE data LIKE '%Anna%'", ""), 0);
	assert_int_equal(n, 0);

	/* Removing a webhook takes its queue. */
	assert_int_equal(webhook_rm(f->d, 2, &e), 0);
	assert_int_equal(queued(f->d), 1);
	assert_int_equal(webhook_rm(f->d, 2, &e), RP_ENOTFOUND);
}

static void test_validation(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(webhook_add(f->d, "ftp://example.org/", "all", NULL, NULL, &out, &e), RP_EINVAL);
	assert_int_equal(webhook_add(f->d, "http://", "all", NULL, NULL, &out, &e), RP_EINVAL);
	assert_int_equal(webhook_add(f->d, "https://example.org/", "contact.made", NULL, NULL, &out, &e), RP_EINVAL);
	assert_non_null(strstr(e.msg, "\"contact.made\" is not an event"));
	assert_int_equal(webhook_add(f->d, "https://example.org/", "", NULL, NULL, &out, &e), RP_EINVAL);
	assert_int_equal(webhook_add(f->d, "https://example.org/", "all", "short", NULL, &out, &e), RP_EINVAL);
	assert_int_equal(table_rows(f->d, "webhook"), 0);
}

/* A pass over the queue: a loopback receiver is refused unless allowed;
** a failure is counted and waits its backoff; later ones wait behind it. */
static void test_deliver_failure(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(webhook_add(f->d, "http://127.0.0.1:1/hook", "all", NULL, NULL, &out, &e), 0);
	json_decref(out);
	int64_t id;
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Anna"}, &id, &e), 0);
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Boris"}, &id, &e), 0);
	assert_int_equal(webhook_deliver(f->d, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "delivered")), 0);
	json_decref(out);
	char *why = NULL;
	int64_t n = -1;
	db_stmt *s = db_query(f->d, &e, "SELECT attempts, last_error, next_at - last_at, last_code FROM webhook_delivery WHERE id = 1", "");
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	why = strdup(db_col_text(s, 1));
	assert_int_equal(db_col_int(s, 2), 10); /* the default base */
	assert_true(db_col_null(s, 3));
	db_reset(s);
	assert_non_null(strstr(why, "private network"));
	free(why);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT count(*) FROM webhook_delivery WHERE attempts = 0", ""), 0);
	assert_int_equal(n, 1); /* the second waits behind the first */

	/* Allowed, the address answers nothing: a connection error, and the
	** second failure waits twice the base. */
	assert_int_equal(setting_set(f->d, "webhook.private", "1", &e), 0);
	assert_int_equal(setting_set(f->d, "webhook.backoff_seconds", "3", &e), 0);
	assert_int_equal(db_run(f->d, &e, "UPDATE webhook_delivery SET next_at = 0 WHERE id = 1", ""), 0);
	assert_int_equal(webhook_deliver(f->d, NULL, &e), 0);
	s = db_query(f->d, &e, "SELECT attempts, last_error, next_at - last_at, status FROM webhook_delivery WHERE id = 1", "");
	assert_non_null(s);
	assert_int_equal(db_step(s, &e), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	assert_null(strstr(db_col_text(s, 1), "private network"));
	assert_int_equal(db_col_int(s, 2), 6);
	assert_string_equal(db_col_text(s, 3), "pending");
	db_reset(s);
	/* Not due yet: a pass sends nothing. */
	assert_int_equal(webhook_deliver(f->d, NULL, &e), 0);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT attempts FROM webhook_delivery WHERE id = 1", ""), 0);
	assert_int_equal(n, 2);
	/* A day after its event it is given up, and the next one goes. */
	assert_int_equal(db_run(f->d, &e, "UPDATE webhook_delivery SET next_at = 0, created_at = created_at - 86400 WHERE id = 1", ""), 0);
	assert_int_equal(webhook_deliver(f->d, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "given_up")), 1);
	json_decref(out);
	assert_int_equal(db_one_int(f->d, &e, &n, "SELECT attempts FROM webhook_delivery WHERE id = 2", ""), 0);
	assert_int_equal(n, 1);
}

/* The calendar feed: only the hash kept, libical's text, 404 when revoked. */
static void test_feed(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *out = NULL;
	assert_int_equal(feed_url(f->d, "anna", "en", &out, &e), RP_ENOTFOUND);
	assert_int_equal(user_add(f->d, "anna", "staff", "a long enough password", &e), 0);
	int64_t id;
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Smith, John; Jr.", .owner = "anna", .birthday = "--02-29"}, &id, &e), 0);
	assert_int_equal(contact_add(f->d, &(contact_in){.name = "Not Hers", .birthday = "1990-01-02"}, &id, &e), 0);
	assert_int_equal(feed_url(f->d, "anna", "en", &out, &e), 0);
	char token[80];
	snprintf(token, sizeof token, "%.64s", json_string_value(json_object_get(out, "path")) + 6);
	json_decref(out);
	assert_int_equal(feed_url(f->d, "anna", "en", &out, &e), RP_ECONFLICT);
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_int_equal(feed_write(f->d, token, fp, &e), 0);
	fclose(fp);
	assert_non_null(strstr(text, "SUMMARY:Birthday: Smith\\, John\\; Jr."));
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20000229"));
	assert_non_null(strstr(text, "RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2"));
	assert_null(strstr(text, "Not Hers"));
	free(text);
	fp = open_memstream(&text, &len);
	token[0] = token[0] == '0' ? '1' : '0';
	assert_int_equal(feed_write(f->d, token, fp, &e), RP_ENOTFOUND);
	assert_int_equal(feed_write(f->d, "short", fp, &e), RP_ENOTFOUND);
	assert_int_equal(feed_revoke(f->d, "anna", &e), 0);
	token[0] = token[0] == '0' ? '1' : '0';
	assert_int_equal(feed_write(f->d, token, fp, &e), RP_ENOTFOUND);
	fclose(fp);
	free(text);
	assert_int_equal(feed_revoke(f->d, "anna", &e), RP_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_vector),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_same_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deliver_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
