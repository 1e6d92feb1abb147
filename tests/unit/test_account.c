/* core/account: users, roles, sessions, throttling, API tokens, audit. */
#define TEST_DAY "2025-06-15"
#include "testlib.h"

#include <sodium.h>

#define TODAY TEST_DAY
#define NEXT_DAY "2025-06-16"

#define PW "correct horse battery"
#define PW2 "another long secret"
#define BAD_PW "not the password"

/* The first column of the first row of sql with one text parameter, copied
** into out; returns 0 when there is no row or the value is NULL. */
static int text_of(db *d, const char *sql, const char *arg, char *out, size_t size)
{
	rp_err e = {0};
	db_stmt *s = db_query(d, &e, sql, "t", arg);
	if (!s)
		fail_msg("%s: %s", sql, e.msg);
	int rc = db_step(s, &e);
	int found = 0;
	if (rc == DB_ROW && !db_col_null(s, 0)) {
		snprintf(out, size, "%s", db_col_text(s, 0));
		found = 1;
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		fail_msg("%s: %s", sql, e.msg);
	return found;
}

static void run(db *d, const char *sql)
{
	rp_err e = {0};
	if (db_exec(d, sql, &e))
		fail_msg("%s: %s", sql, e.msg);
}

static void add_user(db *d, const char *login, const char *role, const char *pw)
{
	rp_err e = {0};
	if (user_add(d, login, role, pw, &e))
		fail_msg("user_add(%s): %s", login, e.msg);
}

static void login_ok(db *d, const char *login, const char *pw, const char *addr, account *who, char token[65],
		     char csrf[65])
{
	rp_err e = {0};
	int rc = session_login(d, login, pw, addr, who, token, csrf, &e);
	if (rc)
		fail_msg("session_login(%s, %s): %d %s", login, addr, rc, e.msg);
}

/* A failed login with the right code; returns nothing, fills e. */
static void login_fails(db *d, const char *login, const char *pw, const char *addr, int code, rp_err *e)
{
	account who;
	char token[65] = "", csrf[65] = "";
	memset(e, 0, sizeof *e);
	int rc = session_login(d, login, pw, addr, &who, token, csrf, e);
	if (rc != code)
		fail_msg("session_login(%s, %s): %d (%s), expected %d", login, addr, rc, e->msg, code);
	assert_int_equal(e->code, code);
	assert_true(e->msg[0] != 0);
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static json_t *users(db *d)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (user_list(d, &out, &e))
		fail_msg("user_list: %s", e.msg);
	json_t *a = json_object_get(out, "users");
	assert_true(json_is_array(a));
	return out;
}

static json_t *user_entry(json_t *list, const char *login)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(list, "users"), i, u)
	{
		const char *l = json_string_value(json_object_get(u, "login"));
		if (l && !strcmp(l, login))
			return u;
	}
	fail_msg("no user %s in the list", login);
	return NULL;
}

static int64_t sessions_of(db *d, const char *login)
{
	json_t *l = users(d);
	int64_t n = json_integer_value(json_object_get(user_entry(l, login), "sessions"));
	json_decref(l);
	return n;
}

/* ---- roles and users ------------------------------------------------------------ */

static void test_roles(void **state)
{
	(void)state;
	static const char *names[] = {"viewer", "staff", "manager", "owner"};
	for (int i = 0; i < 4; i++) {
		int r = -1;
		assert_int_equal(role_parse(names[i], &r), 0);
		assert_int_equal(r, i);
		assert_string_equal(role_name(i), names[i]);
	}
	int r = 42;
	assert_int_equal(role_parse("admin", &r), -1);
	assert_int_equal(role_parse("Owner", &r), -1);
	assert_int_equal(role_parse("", &r), -1);
	assert_int_equal(role_parse(NULL, &r), -1);
	assert_int_equal(r, 42);
	assert_string_equal(role_name(-1), "none");
	assert_string_equal(role_name(4), "none");
}

static void expect_user_refused(db *d, const char *login, const char *role, const char *pw, const char *why)
{
	rp_err e = {0};
	int64_t before = table_rows(d, "account");
	int rc = user_add(d, login, role, pw, &e);
	if (rc != RP_EINVAL)
		fail_msg("%s: user_add returned %d (%s), expected RP_EINVAL", why, rc, e.msg);
	assert_int_equal(e.code, RP_EINVAL);
	assert_true(e.msg[0] != 0);
	if (table_rows(d, "account") != before)
		fail_msg("%s: a refused user_add wrote a row", why);
}

static void test_user_validation(void **state)
{
	fx *f = *state;
	char long_login[66];
	memset(long_login, 'a', 65);
	long_login[65] = 0;

	expect_user_refused(f->d, "Anna", "staff", PW, "upper case");
	expect_user_refused(f->d, "an na", "staff", PW, "space");
	expect_user_refused(f->d, "anna@example.org", "staff", PW, "at sign");
	expect_user_refused(f->d, "anna;drop", "staff", PW, "semicolon");
	expect_user_refused(f->d, "анна", "staff", PW, "cyrillic");
	expect_user_refused(f->d, "", "staff", PW, "empty login");
	expect_user_refused(f->d, NULL, "staff", PW, "no login");
	expect_user_refused(f->d, long_login, "staff", PW, "65 characters");
	expect_user_refused(f->d, "anna", "staff", "123456789", "9-character password");
	expect_user_refused(f->d, "anna", "staff", "", "empty password");
	expect_user_refused(f->d, "anna", "staff", NULL, "no password");
	expect_user_refused(f->d, "anna", "admin", PW, "unknown role");
	expect_user_refused(f->d, "anna", "Staff", PW, "role in capitals");
	expect_user_refused(f->d, "anna", NULL, PW, "no role");
	assert_int_equal(table_rows(f->d, "account"), 0);

	/* the boundaries that are allowed */
	long_login[64] = 0;
	add_user(f->d, long_login, "viewer", "0123456789");
	add_user(f->d, "a.b_c-9", "owner", PW);
	assert_int_equal(table_rows(f->d, "account"), 2);

	/* the same login again */
	rp_err e = {0};
	assert_int_equal(user_add(f->d, "a.b_c-9", "staff", PW2, &e), RP_ECONFLICT);
	assert_int_equal(e.code, RP_ECONFLICT);
	assert_non_null(strstr(e.msg, "a.b_c-9"));
	assert_int_equal(table_rows(f->d, "account"), 2);
	char role[16] = "";
	assert_true(text_of(f->d, "SELECT role FROM account WHERE login = $1", "a.b_c-9", role, sizeof role));
	assert_string_equal(role, "owner");

	/* user_set checks too, and writes nothing when refusing */
	memset(&e, 0, sizeof e);
	assert_int_equal(user_set(f->d, "a.b_c-9", "root", -1, NULL, &e), RP_EINVAL);
	assert_int_equal(user_set(f->d, "a.b_c-9", NULL, -1, "short", &e), RP_EINVAL);
	assert_int_equal(user_set(f->d, "nobody", "staff", -1, NULL, &e), RP_ENOTFOUND);
	assert_int_equal(e.code, RP_ENOTFOUND);
	assert_true(text_of(f->d, "SELECT role FROM account WHERE login = $1", "a.b_c-9", role, sizeof role));
	assert_string_equal(role, "owner");
	assert_int_equal(table_rows(f->d, "account"), 2);
}

static void test_password_hash(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	char hash[crypto_pwhash_STRBYTES + 1] = "";
	assert_true(text_of(f->d, "SELECT password_hash FROM account WHERE login = $1", "anna", hash, sizeof hash));
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_null(strstr(hash, PW));
	assert_int_equal(crypto_pwhash_str_verify(hash, PW, strlen(PW)), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(hash, BAD_PW, strlen(BAD_PW)), 0);

	/* the list shows who, not the secret */
	json_t *l = users(f->d);
	assert_int_equal(json_array_size(json_object_get(l, "users")), 1);
	json_t *u = user_entry(l, "anna");
	assert_string_equal(json_string_value(json_object_get(u, "role")), "staff");
	assert_true(json_is_false(json_object_get(u, "disabled")));
	assert_int_equal(json_integer_value(json_object_get(u, "sessions")), 0);
	assert_string_equal(json_string_value(json_object_get(u, "created_at")), TODAY "T12:00:00Z");
	char *dump = json_dumps(l, 0);
	assert_non_null(dump);
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, PW));
	free(dump);
	json_decref(l);

	/* a new password is hashed afresh, with its own salt */
	rp_err e = {0};
	assert_int_equal(user_set(f->d, "anna", NULL, -1, PW2, &e), 0);
	char hash2[crypto_pwhash_STRBYTES + 1] = "";
	assert_true(text_of(f->d, "SELECT password_hash FROM account WHERE login = $1", "anna", hash2, sizeof hash2));
	assert_int_equal(strncmp(hash2, "$argon2id$", 10), 0);
	assert_string_not_equal(hash, hash2);
	assert_null(strstr(hash2, PW2));
}

/* ---- sessions ---------------------------------------------------------------- */

static void test_login(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "manager", PW);
	account who = {0};
	char token[65] = "", csrf[65] = "";
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token, csrf);
	assert_true(is_hex64(token));
	assert_true(is_hex64(csrf));
	assert_string_not_equal(token, csrf);
	assert_true(who.id > 0);
	assert_string_equal(who.login, "anna");
	assert_int_equal(who.role, 2);
	assert_int_equal(sessions_of(f->d, "anna"), 1);

	account c = {0};
	char c_csrf[65] = "";
	rp_err e = {0};
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), 0);
	assert_int_equal(c.id, who.id);
	assert_string_equal(c.login, "anna");
	assert_int_equal(c.role, 2);
	assert_string_equal(c_csrf, csrf);

	/* a second login is a second session, with its own secrets */
	account who2 = {0};
	char token2[65] = "", csrf2[65] = "";
	login_ok(f->d, "anna", PW, "10.0.0.2", &who2, token2, csrf2);
	assert_string_not_equal(token, token2);
	assert_string_not_equal(csrf, csrf2);
	assert_int_equal(sessions_of(f->d, "anna"), 2);

	/* tokens nobody holds */
	char other[65];
	snprintf(other, sizeof other, "%s", token);
	other[0] = other[0] == '0' ? '1' : '0';
	assert_int_equal(session_check(f->d, other, &c, c_csrf, &e), RP_EAUTH);
	assert_int_equal(e.code, RP_EAUTH);
	assert_int_equal(session_check(f->d, "abc", &c, c_csrf, &e), RP_EAUTH);
	assert_int_equal(session_check(f->d, "", &c, c_csrf, &e), RP_EAUTH);
	assert_int_equal(session_check(f->d, NULL, &c, c_csrf, &e), RP_EAUTH);
	/* the csrf value is not a session token */
	assert_int_equal(session_check(f->d, csrf, &c, c_csrf, &e), RP_EAUTH);
}

static void test_login_failures_look_alike(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	rp_err wrong, unknown, empty;
	login_fails(f->d, "anna", BAD_PW, "10.0.0.1", RP_EAUTH, &wrong);
	login_fails(f->d, "boris", PW, "10.0.0.1", RP_EAUTH, &unknown);
	login_fails(f->d, "anna", "", "10.0.0.1", RP_EAUTH, &empty);
	assert_string_equal(wrong.msg, unknown.msg);
	assert_string_equal(wrong.msg, empty.msg);
	assert_null(strstr(unknown.msg, "boris"));
	assert_int_equal(table_rows(f->d, "session"), 0);
	/* each failure counts against the login and the address */
	assert_int_equal(table_rows(f->d, "auth_failure"), 6);
}

static void test_throttle_login(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	add_user(f->d, "boris", "viewer", PW2);
	rp_err e;
	for (int i = 0; i < 5; i++)
		login_fails(f->d, "anna", BAD_PW, "10.0.0.1", RP_EAUTH, &e);
	/* the sixth attempt is refused before the password is looked at */
	login_fails(f->d, "anna", PW, "10.0.0.1", RP_ETHROTTLE, &e);
	assert_true(e.retry_after > 0);
	assert_true(e.retry_after <= 15 * 60);
	login_fails(f->d, "anna", PW, "10.9.9.9", RP_ETHROTTLE, &e); /* any address */
	assert_true(e.retry_after > 0);
	assert_int_equal(table_rows(f->d, "session"), 0);
	/* throttled attempts are not counted as failures */
	assert_int_equal(table_rows(f->d, "auth_failure"), 10);

	/* someone else, from elsewhere or from the same address, gets in */
	account who = {0};
	char token[65], csrf[65];
	login_ok(f->d, "boris", PW2, "10.0.0.2", &who, token, csrf);
	assert_string_equal(who.login, "boris");
	assert_int_equal(who.role, 0);
	login_ok(f->d, "boris", PW2, "10.0.0.1", &who, token, csrf);
	assert_int_equal(table_rows(f->d, "session"), 2);
	assert_int_equal(sessions_of(f->d, "anna"), 0);
}

static void test_throttle_address(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	rp_err e;
	char ghost[32];
	for (int i = 0; i < 19; i++) {
		snprintf(ghost, sizeof ghost, "ghost%d", i);
		login_fails(f->d, ghost, BAD_PW, "192.0.2.7", RP_EAUTH, &e);
	}
	/* 19 failures: the address may still log in */
	account who = {0};
	char token[65], csrf[65];
	login_ok(f->d, "anna", PW, "192.0.2.7", &who, token, csrf);

	login_fails(f->d, "ghost19", BAD_PW, "192.0.2.7", RP_EAUTH, &e);
	/* the twentieth closes the address, for every login */
	login_fails(f->d, "anna", PW, "192.0.2.7", RP_ETHROTTLE, &e);
	assert_true(e.retry_after > 0);
	assert_true(e.retry_after <= 15 * 60);
	login_fails(f->d, "ghost20", BAD_PW, "192.0.2.7", RP_ETHROTTLE, &e);
	assert_int_equal(table_rows(f->d, "session"), 1);

	/* but not another address */
	login_ok(f->d, "anna", PW, "198.51.100.1", &who, token, csrf);
	assert_int_equal(table_rows(f->d, "session"), 2);

	/* after the window the address is open again */
	setenv("RAPPORT_TODAY", NEXT_DAY, 1);
	login_ok(f->d, "anna", PW, "192.0.2.7", &who, token, csrf);
	assert_string_equal(who.login, "anna");
}

static void test_throttle_window(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "owner", PW);
	rp_err e;
	for (int i = 0; i < 5; i++)
		login_fails(f->d, "anna", BAD_PW, "10.0.0.1", RP_EAUTH, &e);
	login_fails(f->d, "anna", PW, "10.0.0.1", RP_ETHROTTLE, &e);
	assert_true(e.retry_after > 0);

	/* a day later (more than 15 minutes) the login is open again */
	setenv("RAPPORT_TODAY", NEXT_DAY, 1);
	account who = {0};
	char token[65], csrf[65];
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token, csrf);
	assert_string_equal(who.login, "anna");
	assert_int_equal(who.role, 3);
	assert_true(is_hex64(token));
	/* and the old failures are gone from the store */
	rp_err e2 = {0};
	login_fails(f->d, "anna", BAD_PW, "10.0.0.1", RP_EAUTH, &e2);
	assert_int_equal(table_rows(f->d, "auth_failure"), 2);
}

static void test_session_idle_and_life(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	account who = {0}, c = {0};
	char token[65], csrf[65], c_csrf[65];
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token, csrf);
	int64_t now = rp_now();
	char sql[160];

	/* used 11 hours ago: still valid, and the use is recorded */
	snprintf(sql, sizeof sql, "UPDATE session SET last_seen_at = %lld", (long long)(now - 11 * 3600));
	run(f->d, sql);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), 0);
	int64_t seen = 0;
	assert_int_equal(db_one_int(f->d, &e, &seen, "SELECT last_seen_at FROM session", ""), 0);
	assert_int_equal(seen, now);

	/* older than its 30 days, though used a minute ago */
	snprintf(sql, sizeof sql, "UPDATE session SET created_at = %lld", (long long)(now - 31 * 86400));
	run(f->d, sql);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), RP_EAUTH);
	snprintf(sql, sizeof sql, "UPDATE session SET created_at = %lld", (long long)now);
	run(f->d, sql);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), 0);

	/* unused for a day: ended */
	setenv("RAPPORT_TODAY", NEXT_DAY, 1);
	memset(&e, 0, sizeof e);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), RP_EAUTH);
	assert_int_equal(e.code, RP_EAUTH);

	/* a login that day sweeps the stale session away */
	char token2[65], csrf2[65];
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token2, csrf2);
	assert_int_equal(table_rows(f->d, "session"), 1);
	assert_int_equal(session_check(f->d, token2, &c, c_csrf, &e), 0);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), RP_EAUTH);
}

static void test_session_end(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	account who = {0}, c = {0};
	char t1[65], s1[65], t2[65], s2[65], c_csrf[65];
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, t1, s1);
	login_ok(f->d, "anna", PW, "10.0.0.2", &who, t2, s2);
	assert_int_equal(session_end(f->d, t1, &e), 0);
	assert_int_equal(session_check(f->d, t1, &c, c_csrf, &e), RP_EAUTH);
	/* the other session goes on */
	assert_int_equal(session_check(f->d, t2, &c, c_csrf, &e), 0);
	assert_string_equal(c_csrf, s2);
	assert_int_equal(table_rows(f->d, "session"), 1);
	/* ending again, or a token nobody holds, is harmless */
	assert_int_equal(session_end(f->d, t1, &e), 0);
	assert_int_equal(session_end(f->d, "short", &e), 0);
	assert_int_equal(session_end(f->d, NULL, &e), 0);
	assert_int_equal(table_rows(f->d, "session"), 1);
}

/* One's own new password: the current one first, counted like a login
** when wrong; the other sessions end, the one asking goes on. */
static void test_password_change(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	account who = {0}, c = {0};
	char t1[65], s1[65], t2[65], s2[65], c_csrf[65];
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, t1, s1);
	login_ok(f->d, "anna", PW, "10.0.0.2", &who, t2, s2);
	assert_int_equal(password_change(f->d, &who, BAD_PW, PW2, t1, "10.0.0.1", &e), RP_EDENIED);
	assert_int_equal(table_rows(f->d, "auth_failure"), 2); /* the login's and the address's */
	assert_int_equal(password_change(f->d, &who, PW, "short", t1, "10.0.0.1", &e), RP_EINVAL);
	assert_int_equal(password_change(f->d, &who, PW, PW, t1, "10.0.0.1", &e), RP_EINVAL);
	assert_int_equal(session_check(f->d, t2, &c, c_csrf, &e), 0); /* nothing changed yet */
	assert_int_equal(password_change(f->d, &who, PW, PW2, t1, "10.0.0.1", &e), 0);
	assert_int_equal(session_check(f->d, t1, &c, c_csrf, &e), 0);
	assert_int_equal(session_check(f->d, t2, &c, c_csrf, &e), RP_EAUTH);
	login_fails(f->d, "anna", PW, "10.0.0.3", RP_EAUTH, &e);
	login_ok(f->d, "anna", PW2, "10.0.0.3", &who, t2, s2);
	/* without a session to keep (an API token), every session ends */
	assert_int_equal(password_change(f->d, &who, PW2, PW, NULL, "10.0.0.1", &e), 0);
	assert_int_equal(table_rows(f->d, "session"), 0);
	/* wrong current passwords are throttled like logins */
	for (int i = 0; i < 5; i++)
		password_change(f->d, &who, BAD_PW, PW2, NULL, "10.0.0.9", &e);
	assert_int_equal(password_change(f->d, &who, PW, PW2, NULL, "10.0.0.9", &e), RP_ETHROTTLE);
	assert_true(e.retry_after > 0);
}

static void test_disable(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "manager", PW);
	account who = {0}, c = {0};
	char token[65], csrf[65], c_csrf[65], api[65];
	int64_t tid = 0;
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token, csrf);
	assert_int_equal(token_create(f->d, "anna", "backup", api, &tid, &e), 0);
	assert_int_equal(token_check(f->d, api, &c, &e), 0);

	assert_int_equal(user_set(f->d, "anna", NULL, 1, NULL, &e), 0);
	assert_int_equal(table_rows(f->d, "session"), 0);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), RP_EAUTH);
	memset(&e, 0, sizeof e);
	assert_int_equal(token_check(f->d, api, &c, &e), RP_EAUTH);
	assert_int_equal(e.code, RP_EAUTH);
	/* no new sessions or tokens either */
	login_fails(f->d, "anna", PW, "10.0.0.1", RP_EAUTH, &e);
	assert_int_equal(table_rows(f->d, "session"), 0);
	char t2[65];
	int64_t tid2 = 0;
	assert_int_equal(token_create(f->d, "anna", "another", t2, &tid2, &e), RP_ENOTFOUND);
	assert_int_equal(table_rows(f->d, "api_token"), 1);
	json_t *l = users(f->d);
	assert_true(json_is_true(json_object_get(user_entry(l, "anna"), "disabled")));
	json_decref(l);
	/* disabling twice keeps the first date */
	int64_t at = 0;
	assert_int_equal(db_one_int(f->d, &e, &at, "SELECT disabled_at FROM account", ""), 0);
	setenv("RAPPORT_TODAY", NEXT_DAY, 1);
	assert_int_equal(user_set(f->d, "anna", NULL, 1, NULL, &e), 0);
	int64_t at2 = 0;
	assert_int_equal(db_one_int(f->d, &e, &at2, "SELECT disabled_at FROM account", ""), 0);
	assert_int_equal(at, at2);

	/* enabled again: the old session stays ended, a new login works */
	assert_int_equal(user_set(f->d, "anna", NULL, 0, NULL, &e), 0);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), RP_EAUTH);
	l = users(f->d);
	assert_true(json_is_false(json_object_get(user_entry(l, "anna"), "disabled")));
	json_decref(l);
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, token, csrf);
	assert_int_equal(session_check(f->d, token, &c, c_csrf, &e), 0);
}

static void test_user_set_ends_sessions(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	add_user(f->d, "boris", "staff", PW2);
	account who = {0}, c = {0};
	char ta[65], sa[65], tb[65], sb[65], c_csrf[65];
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, ta, sa);
	login_ok(f->d, "boris", PW2, "10.0.0.2", &who, tb, sb);

	/* no change, no effect */
	assert_int_equal(user_set(f->d, "anna", NULL, -1, NULL, &e), 0);
	assert_int_equal(session_check(f->d, ta, &c, c_csrf, &e), 0);
	assert_int_equal(c.role, 1);

	/* a new role ends anna's sessions, not boris's */
	assert_int_equal(user_set(f->d, "anna", "owner", -1, NULL, &e), 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(session_check(f->d, ta, &c, c_csrf, &e), RP_EAUTH);
	assert_int_equal(e.code, RP_EAUTH);
	assert_int_equal(session_check(f->d, tb, &c, c_csrf, &e), 0);
	assert_string_equal(c.login, "boris");
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, ta, sa);
	assert_int_equal(who.role, 3);
	assert_int_equal(session_check(f->d, ta, &c, c_csrf, &e), 0);
	assert_int_equal(c.role, 3);

	/* so does a new password; the old one no longer opens */
	assert_int_equal(user_set(f->d, "anna", NULL, -1, PW2, &e), 0);
	assert_int_equal(session_check(f->d, ta, &c, c_csrf, &e), RP_EAUTH);
	login_fails(f->d, "anna", PW, "10.0.0.1", RP_EAUTH, &e);
	login_ok(f->d, "anna", PW2, "10.0.0.1", &who, ta, sa);
	assert_int_equal(sessions_of(f->d, "anna"), 1);
	assert_int_equal(sessions_of(f->d, "boris"), 1);
}

/* ---- API tokens -------------------------------------------------------------- */

static json_t *tokens(db *d)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (token_list(d, &out, &e))
		fail_msg("token_list: %s", e.msg);
	assert_true(json_is_array(json_object_get(out, "tokens")));
	return out;
}

static void test_tokens(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	char t1[65] = "", t2[65] = "";
	int64_t id1 = 0, id2 = 0;
	rp_err e = {0};
	assert_int_equal(token_create(f->d, "anna", "backup script", t1, &id1, &e), 0);
	assert_int_equal(token_create(f->d, "anna", NULL, t2, &id2, &e), 0);
	assert_true(is_hex64(t1));
	assert_true(is_hex64(t2));
	assert_string_not_equal(t1, t2);
	assert_true(id1 > 0);
	assert_true(id2 > id1);

	json_t *l = tokens(f->d);
	json_t *a = json_object_get(l, "tokens");
	assert_int_equal(json_array_size(a), 2);
	json_t *x = json_array_get(a, 0);
	assert_int_equal(json_integer_value(json_object_get(x, "id")), id1);
	assert_string_equal(json_string_value(json_object_get(x, "login")), "anna");
	assert_string_equal(json_string_value(json_object_get(x, "label")), "backup script");
	assert_true(json_is_null(json_object_get(x, "last_used_at")));
	assert_true(json_is_false(json_object_get(x, "revoked")));
	assert_string_equal(json_string_value(json_object_get(x, "created_at")), TODAY "T12:00:00Z");
	assert_true(json_is_null(json_object_get(json_array_get(a, 1), "label")));
	json_decref(l);

	account who = {0};
	assert_int_equal(token_check(f->d, t1, &who, &e), 0);
	assert_string_equal(who.login, "anna");
	assert_int_equal(who.role, 1);
	assert_true(who.id > 0);
	l = tokens(f->d);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(json_object_get(l, "tokens"), 0), "last_used_at")),
		TODAY "T12:00:00Z");
	json_decref(l);

	/* revoked: refused; the other token still works */
	assert_int_equal(token_revoke(f->d, id1, &e), 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(token_check(f->d, t1, &who, &e), RP_EAUTH);
	assert_int_equal(e.code, RP_EAUTH);
	assert_int_equal(token_check(f->d, t2, &who, &e), 0);
	assert_int_equal(token_revoke(f->d, id1, &e), 0); /* again: still revoked */
	assert_int_equal(token_check(f->d, t1, &who, &e), RP_EAUTH);
	l = tokens(f->d);
	a = json_object_get(l, "tokens");
	assert_true(json_is_true(json_object_get(json_array_get(a, 0), "revoked")));
	assert_true(json_is_false(json_object_get(json_array_get(a, 1), "revoked")));
	json_decref(l);

	/* what does not exist, or is not acceptable */
	assert_int_equal(token_revoke(f->d, id2 + 100, &e), RP_ENOTFOUND);
	assert_int_equal(token_check(f->d, "short", &who, &e), RP_EAUTH);
	assert_int_equal(token_check(f->d, NULL, &who, &e), RP_EAUTH);
	char other[65];
	snprintf(other, sizeof other, "%s", t2);
	other[63] = other[63] == 'a' ? 'b' : 'a';
	assert_int_equal(token_check(f->d, other, &who, &e), RP_EAUTH);
	char t3[65];
	int64_t id3 = 0;
	assert_int_equal(token_create(f->d, "nobody", "x", t3, &id3, &e), RP_ENOTFOUND);
	char label[202];
	memset(label, 'l', 201);
	label[201] = 0;
	assert_int_equal(token_create(f->d, "anna", label, t3, &id3, &e), RP_EINVAL);
	assert_int_equal(token_create(f->d, "anna", "\xff\xfe", t3, &id3, &e), RP_EINVAL);
	assert_int_equal(table_rows(f->d, "api_token"), 2);
	/* a session token is not an API token */
	account s = {0};
	char st[65], sc[65];
	login_ok(f->d, "anna", PW, "10.0.0.1", &s, st, sc);
	assert_int_equal(token_check(f->d, st, &who, &e), RP_EAUTH);
	char c_csrf[65];
	assert_int_equal(session_check(f->d, t2, &who, c_csrf, &e), RP_EAUTH);
}

static void hash_hex(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void test_only_hashes_stored(void **state)
{
	fx *f = *state;
	add_user(f->d, "anna", "staff", PW);
	account who = {0};
	char st[65], csrf[65], at[65];
	int64_t id = 0;
	rp_err e = {0};
	login_ok(f->d, "anna", PW, "10.0.0.1", &who, st, csrf);
	assert_int_equal(token_create(f->d, "anna", "ci", at, &id, &e), 0);

	char sh[128] = "", ah[128] = "", want[65];
	assert_true(text_of(f->d, "SELECT token_hash FROM session WHERE $1 = $1", "", sh, sizeof sh));
	assert_true(text_of(f->d, "SELECT token_hash FROM api_token WHERE $1 = $1", "", ah, sizeof ah));
	assert_string_not_equal(sh, st);
	assert_string_not_equal(ah, at);
	assert_true(is_hex64(sh));
	assert_true(is_hex64(ah));
	hash_hex(st, want);
	assert_string_equal(sh, want);
	hash_hex(at, want);
	assert_string_equal(ah, want);

	/* neither token is anywhere in those tables (replace() finds a
	** substring in both engines' SQL; instr() is SQLite's alone) */
	int64_t n = -1;
	assert_int_equal(db_one_int(f->d, &e, &n,
				    "SELECT count(*) FROM (SELECT token_hash || csrf || coalesce(address, '') AS s"
				    " FROM session) AS q WHERE replace(s, $1, '') <> s OR replace(s, $2, '') <> s",
				    "tt", st, at),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_one_int(f->d, &e, &n,
				    "SELECT count(*) FROM (SELECT token_hash || coalesce(label, '') AS s"
				    " FROM api_token) AS q WHERE replace(s, $1, '') <> s OR replace(s, $2, '') <> s",
				    "tt", st, at),
			 0);
	assert_int_equal(n, 0);

	/* nor in what token_list shows */
	json_t *l = tokens(f->d);
	char *dump = json_dumps(l, 0);
	assert_non_null(dump);
	assert_null(strstr(dump, at));
	assert_null(strstr(dump, ah));
	free(dump);
	json_decref(l);
}

/* ---- audit ------------------------------------------------------------------- */

static json_t *audit(db *d, int64_t limit, int64_t before)
{
	json_t *out = NULL;
	rp_err e = {0};
	if (audit_list(d, limit, before, &out, &e))
		fail_msg("audit_list: %s", e.msg);
	json_t *a = json_object_get(out, "entries");
	assert_true(json_is_array(a));
	return out;
}

static void test_audit(void **state)
{
	fx *f = *state;
	rp_err e = {0};
	json_t *target = json_pack("{s:I,s:s,s:[s,s]}", "id", (json_int_t)7, "name", "Анна", "tags", "vip", "x");
	assert_non_null(target);
	assert_int_equal(audit_write(f->d, "anna", "contact.edit", target, "10.0.0.1", 1, NULL, &e), 0);
	assert_int_equal(audit_write(f->d, NULL, "login", NULL, "203.0.113.5", 0, "wrong login or password", &e), 0);
	assert_int_equal(table_rows(f->d, "audit"), 2);

	json_t *l = audit(f->d, 0, 0);
	json_t *a = json_object_get(l, "entries");
	assert_int_equal(json_array_size(a), 2);
	/* newest first */
	json_t *x = json_array_get(a, 0);
	assert_true(json_is_null(json_object_get(x, "actor")));
	assert_string_equal(json_string_value(json_object_get(x, "action")), "login");
	assert_true(json_is_null(json_object_get(x, "target")));
	assert_string_equal(json_string_value(json_object_get(x, "address")), "203.0.113.5");
	assert_true(json_is_false(json_object_get(x, "ok")));
	assert_string_equal(json_string_value(json_object_get(x, "detail")), "wrong login or password");
	x = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(x, "actor")), "anna");
	assert_string_equal(json_string_value(json_object_get(x, "action")), "contact.edit");
	assert_true(json_equal(json_object_get(x, "target"), target));
	assert_string_equal(json_string_value(json_object_get(x, "address")), "10.0.0.1");
	assert_true(json_is_true(json_object_get(x, "ok")));
	assert_true(json_is_null(json_object_get(x, "detail")));
	assert_string_equal(json_string_value(json_object_get(x, "at")), TODAY "T12:00:00Z");
	assert_true(json_integer_value(json_object_get(x, "id")) <
		    json_integer_value(json_object_get(json_array_get(a, 0), "id")));
	json_decref(l);
	json_decref(target);

	/* paging: newest first, then before the last id seen */
	char action[16];
	for (int i = 0; i < 5; i++) {
		snprintf(action, sizeof action, "op%d", i);
		json_t *t = json_pack("{s:i}", "n", i);
		assert_int_equal(audit_write(f->d, "boris", action, t, "cli", i % 2, NULL, &e), 0);
		json_decref(t);
	}
	const char *want[] = {"op4", "op3", "op2", "op1", "op0", "login", "contact.edit"};
	size_t seen = 0;
	int64_t before = 0;
	for (int page = 0; page < 10; page++) {
		l = audit(f->d, 3, before);
		a = json_object_get(l, "entries");
		size_t n = json_array_size(a);
		assert_true(n <= 3);
		if (n == 0) {
			json_decref(l);
			break;
		}
		size_t i;
		json_array_foreach(a, i, x)
		{
			assert_true(seen < 7);
			assert_string_equal(json_string_value(json_object_get(x, "action")), want[seen]);
			int64_t id = json_integer_value(json_object_get(x, "id"));
			if (before)
				assert_true(id < before);
			before = id;
			seen++;
		}
		json_decref(l);
	}
	assert_int_equal(seen, 7);

	l = audit(f->d, 2, 0);
	a = json_object_get(l, "entries");
	assert_int_equal(json_array_size(a), 2);
	x = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(x, "action")), "op3");
	assert_true(json_is_true(json_object_get(x, "ok")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(x, "target"), "n")), 3);
	assert_string_equal(json_string_value(json_object_get(x, "address")), "cli");
	json_decref(l);
}

int main(void)
{
	if (account_init() != 0) {
		fprintf(stderr, "account_init failed\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_failures_look_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_idle_and_life, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_set_ends_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_hashes_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	};
	return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
