/*
** account: team members (login, role, Argon2id password hash), their
** sessions and API tokens, throttling of failed logins, and the audit log.
**
** Secrets never rest in the store: passwords as Argon2id hashes
** (libsodium, 64 MiB and 2 passes, above OWASP's 19 MiB, t=2), session and
** API tokens as BLAKE2b hashes of 256 random bits.  A token is shown once,
** when it is made.
*/
#include "core/core.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = {"viewer", "staff", "manager", "owner", NULL};

#define SESSION_IDLE (12 * 3600)       /* a session unused this long ends */
#define SESSION_LIFE (30 * 86400)      /* and none lives longer than this */
#define TOUCH_EVERY 60                 /* last use is written at most once a minute */
#define FAIL_WINDOW (15 * 60)          /* failed logins counted over this window */
#define FAIL_PER_LOGIN 5
#define FAIL_PER_ADDRESS 20

int role_parse(const char *name, int *role)
{
	for (int i = 0; roles[i]; i++)
		if (name && !strcmp(name, roles[i])) {
			*role = i;
			return 0;
		}
	return -1;
}

const char *role_name(int role) { return role >= 0 && role < 4 ? roles[role] : "none"; }

int account_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* A new random token (hex, 64 characters) and the hex of its hash. */
void token_new(char token[65], char hash[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, 64, NULL, 0);
	sodium_bin2hex(hash, 65, h, sizeof h);
}

int token_hash(const char *token, char hash[65])
{
	size_t n = token ? strlen(token) : 0;
	if (n < 16 || n > 256)
		return -1;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, n, NULL, 0);
	sodium_bin2hex(hash, 65, h, sizeof h);
	return 0;
}

static int check_login(const char *login, rp_err *e)
{
	size_t n = login ? strlen(login) : 0;
	if (n < 1 || n > 64)
		return rp_errf(e, RP_EINVAL, "a login is 1 to 64 characters");
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return rp_errf(e, RP_EINVAL,
				       "login \"%s\" may hold only lower-case latin letters, digits, '.', '_' and '-'",
				       login);
	return 0;
}

static int check_password(const char *pw, rp_err *e)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < 10)
		return rp_errf(e, RP_EINVAL, "a password needs at least 10 characters");
	if (n > 1024)
		return rp_errf(e, RP_EINVAL, "a password is at most 1024 characters");
	return 0;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], rp_err *e)
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return rp_errf(e, RP_ENOMEM, "not enough memory to hash the password");
	return 0;
}

int user_add(db *d, const char *login, const char *role, const char *password, rp_err *e)
{
	int r, rc;
	if ((rc = check_login(login, e)) || (rc = check_password(password, e)))
		return rc;
	if (role_parse(role, &r) < 0)
		return rp_errf(e, RP_EINVAL, "role \"%s\" is not viewer, staff, manager or owner", role ? role : "");
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = hash_password(password, hash, e)))
		return rc;
	rc = db_run(d, e,
		    "INSERT INTO account(login, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
		    "ttti", login, role, hash, rp_now());
	if (rc == RP_ECONFLICT)
		rc = rp_errf(e, RP_ECONFLICT, "there is already a user \"%s\"", login);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int user_set(db *d, const char *login, const char *role, int disabled, const char *password, rp_err *e)
{
	int r, rc;
	if (role && role_parse(role, &r) < 0)
		return rp_errf(e, RP_EINVAL, "role \"%s\" is not viewer, staff, manager or owner", role);
	if (password && (rc = check_password(password, e)))
		return rc;
	char hash[crypto_pwhash_STRBYTES] = "";
	if (password && (rc = hash_password(password, hash, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	int64_t id;
	rc = db_one_int(d, e, &id, "SELECT id FROM account WHERE login = $1", "t", login);
	if (rc == RP_ENOTFOUND)
		rp_errf(e, rc, "there is no user \"%s\"; see 'rapport user list'", login);
	if (!rc && role)
		rc = db_run(d, e, "UPDATE account SET role = $2 WHERE id = $1", "it", id, role);
	if (!rc && password)
		rc = db_run(d, e, "UPDATE account SET password_hash = $2 WHERE id = $1", "it", id, hash);
	if (!rc && disabled >= 0)
		rc = db_run(d, e,
			    disabled ? "UPDATE account SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1"
				     : "UPDATE account SET disabled_at = NULL WHERE id = $1 AND $2 = $2",
			    "ii", id, rp_now());
	/* A new role, a new password or a disabled account ends every session. */
	if (!rc && (role || password || disabled == 1))
		rc = db_run(d, e, "DELETE FROM session WHERE account_id = $1", "i", id);
	sodium_memzero(hash, sizeof hash);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

static json_t *user_row(db_stmt *s)
{
	return json_pack("{s:o,s:o,s:b,s:o,s:I}", "login", col_json_text(s, 0), "role", col_json_text(s, 1),
			 "disabled", !db_col_null(s, 2), "created_at", col_json_ts(s, 3), "sessions",
			 (json_int_t)db_col_int(s, 4));
}

int user_list(db *d, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT login, role, disabled_at, created_at,"
			      " (SELECT count(*) FROM session WHERE account_id = a.id) FROM account a ORDER BY login",
			      "");
	json_t *a;
	int rc = s ? rows_json(s, user_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "users", a);
	return rc;
}

/* ---- throttling ------------------------------------------------------ */

/* RP_ETHROTTLE when key has failed too often lately; what: "failed logins". */
static int throttled(db *d, const char *key, int limit, int64_t now, const char *what, rp_err *e)
{
	db_stmt *s = db_query(d, e, "SELECT count(*), min(at) FROM auth_failure WHERE key = $1 AND at > $2",
			      "ti", key, now - FAIL_WINDOW);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	int64_t n = rc == DB_ROW ? db_col_int(s, 0) : 0, first = rc == DB_ROW ? db_col_int(s, 1) : now;
	db_reset(s);
	if (rc != DB_ROW)
		return rc;
	if (n < limit)
		return 0;
	rc = rp_errf(e, RP_ETHROTTLE, "too many %s; try again in %lld seconds", what,
		     (long long)(first + FAIL_WINDOW - now));
	e->retry_after = (int)(first + FAIL_WINDOW - now);
	if (e->retry_after < 1)
		e->retry_after = 1;
	return rc;
}

static void failed(db *d, const char *key, int64_t now)
{
	db_run(d, NULL, "INSERT INTO auth_failure(key, at) VALUES ($1, $2)", "ti", key, now);
	db_run(d, NULL, "DELETE FROM auth_failure WHERE at < $1", "i", now - FAIL_WINDOW);
}

/* The same counting for the public routes (signups, links in messages):
** keys of their own ("signup:ADDRESS", ...) in the same table and window. */
int throttle_check(db *d, const char *key, int limit, const char *what, rp_err *e)
{
	return throttled(d, key, limit, rp_now(), what, e);
}

void throttle_count(db *d, const char *key) { failed(d, key, rp_now()); }

/* ---- sessions ---------------------------------------------------------- */

int session_login(db *d, const char *login, const char *password, const char *address, account *who,
		  char token[65], char csrf[65], rp_err *e)
{
	int64_t now = rp_now();
	char kl[128], ka[128];
	snprintf(kl, sizeof kl, "login:%.100s", login ? login : "");
	snprintf(ka, sizeof ka, "addr:%.100s", address ? address : "");
	int rc;
	if ((rc = throttled(d, kl, FAIL_PER_LOGIN, now, "failed logins", e)) ||
	    (rc = throttled(d, ka, FAIL_PER_ADDRESS, now, "failed logins", e)))
		return rc;
	db_stmt *s = db_query(d, e, "SELECT id, role, password_hash, disabled_at FROM account WHERE login = $1", "t",
			      login ? login : "");
	if (!s)
		return e->code;
	rc = db_step(s, e);
	char hash[crypto_pwhash_STRBYTES] = "";
	int known = rc == DB_ROW, disabled = 0;
	if (known) {
		who->id = db_col_int(s, 0);
		role_parse(db_col_text(s, 1), &who->role);
		snprintf(hash, sizeof hash, "%s", db_col_text(s, 2));
		disabled = !db_col_null(s, 3);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	/* An unknown login costs the same as a wrong password. */
	static char dummy[crypto_pwhash_STRBYTES];
	if (!known && !dummy[0] && hash_password("not a password at all", dummy, e))
		return e->code;
	int ok = crypto_pwhash_str_verify(known ? hash : dummy, password ? password : "",
					  password ? strlen(password) : 0) == 0;
	if (!ok || !known || disabled) {
		failed(d, kl, now);
		failed(d, ka, now);
		return rp_errf(e, RP_EAUTH, disabled && ok ? "this account is disabled" : "wrong login or password");
	}
	snprintf(who->login, sizeof who->login, "%s", login);
	char th[65], unused[65];
	token_new(token, th);
	token_new(csrf, unused);
	rc = db_run(d, e,
		    "INSERT INTO session(account_id, token_hash, csrf, created_at, last_seen_at, address)"
		    " VALUES ($1, $2, $3, $4, $4, $5)",
		    "ittit", who->id, th, csrf, now, address);
	/* Old sessions of everyone are swept now and then, here. */
	if (!rc)
		rc = db_run(d, e, "DELETE FROM session WHERE last_seen_at < $1 OR created_at < $2", "ii",
			    now - SESSION_IDLE, now - SESSION_LIFE);
	return rc;
}

/* A member's own new password.  The current one is asked for first and a
** wrong one counts as a failed login (the same throttle: a stolen session
** cannot try passwords faster than the login form); then every other
** session of theirs ends, the one asking (keep, a session token) goes on. */
int password_change(db *d, const account *who, const char *current, const char *password, const char *keep,
		    const char *address, rp_err *e)
{
	int64_t now = rp_now();
	char kl[128], ka[128];
	snprintf(kl, sizeof kl, "login:%.100s", who->login);
	snprintf(ka, sizeof ka, "addr:%.100s", address ? address : "");
	int rc;
	if ((rc = throttled(d, kl, FAIL_PER_LOGIN, now, "failed logins", e)) ||
	    (rc = throttled(d, ka, FAIL_PER_ADDRESS, now, "failed logins", e)))
		return rc;
	char hash[crypto_pwhash_STRBYTES] = "";
	db_stmt *s = db_query(d, e, "SELECT password_hash FROM account WHERE id = $1", "i", who->id);
	if (!s)
		return e->code;
	rc = db_step(s, e);
	if (rc == DB_ROW)
		snprintf(hash, sizeof hash, "%s", db_col_text(s, 0));
	db_reset(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? rp_errf(e, RP_EAUTH, "the account is gone; log in again") : rc;
	if (crypto_pwhash_str_verify(hash, current ? current : "", current ? strlen(current) : 0) != 0) {
		failed(d, kl, now);
		failed(d, ka, now);
		return rp_errf(e, RP_EDENIED, "the current password is wrong");
	}
	if ((rc = check_password(password, e)))
		return rc;
	if (!strcmp(password, current))
		return rp_errf(e, RP_EINVAL, "the new password is the current one; choose another");
	if ((rc = hash_password(password, hash, e)))
		return rc;
	char th[65] = "";
	if (keep && token_hash(keep, th) < 0)
		th[0] = 0;
	if (!(rc = db_begin(d, e)) &&
	    !(rc = db_run(d, e, "UPDATE account SET password_hash = $2 WHERE id = $1", "it", who->id, hash)))
		rc = db_run(d, e, "DELETE FROM session WHERE account_id = $1 AND token_hash <> $2", "it", who->id, th);
	sodium_memzero(hash, sizeof hash);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d, e);
}

int session_check(db *d, const char *token, account *who, char csrf[65], rp_err *e)
{
	char th[65];
	if (token_hash(token, th) < 0)
		return rp_errf(e, RP_EAUTH, "the session is not valid; log in again");
	int64_t now = rp_now();
	db_stmt *s = db_query(d, e,
			      "SELECT s.id, s.csrf, s.last_seen_at, s.created_at, a.id, a.login, a.role"
			      " FROM session s JOIN account a ON a.id = s.account_id"
			      " WHERE s.token_hash = $1 AND a.disabled_at IS NULL",
			      "t", th);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	int64_t sid = 0, seen = 0, created = 0;
	if (rc == DB_ROW) {
		sid = db_col_int(s, 0);
		snprintf(csrf, 65, "%s", db_col_text(s, 1));
		seen = db_col_int(s, 2);
		created = db_col_int(s, 3);
		who->id = db_col_int(s, 4);
		snprintf(who->login, sizeof who->login, "%s", db_col_text(s, 5));
		role_parse(db_col_text(s, 6), &who->role);
	}
	db_reset(s);
	if (rc == DB_DONE || (rc == DB_ROW && (seen < now - SESSION_IDLE || created < now - SESSION_LIFE)))
		return rp_errf(e, RP_EAUTH, "the session has ended; log in again");
	if (rc != DB_ROW)
		return rc;
	if (now - seen >= TOUCH_EVERY)
		db_run(d, NULL, "UPDATE session SET last_seen_at = $2 WHERE id = $1", "ii", sid, now);
	return 0;
}

int session_end(db *d, const char *token, rp_err *e)
{
	char th[65];
	if (token_hash(token, th) < 0)
		return 0;
	return db_run(d, e, "DELETE FROM session WHERE token_hash = $1", "t", th);
}

/* ---- API tokens -------------------------------------------------------- */

int token_create(db *d, const char *login, const char *label, char token[65], int64_t *id, rp_err *e)
{
	int rc = check_text("label", label, 200, e);
	if (rc)
		return rc;
	int64_t acc;
	rc = db_one_int(d, e, &acc, "SELECT id FROM account WHERE login = $1 AND disabled_at IS NULL", "t", login);
	if (rc == RP_ENOTFOUND)
		return rp_errf(e, rc, "there is no active user \"%s\"; see 'rapport user list'", login);
	if (rc)
		return rc;
	char th[65];
	token_new(token, th);
	return db_one_int(d, e, id,
			  "INSERT INTO api_token(account_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)"
			  " RETURNING id",
			  "itti", acc, th, label, rp_now());
}

int token_check(db *d, const char *token, account *who, rp_err *e)
{
	char th[65];
	if (token_hash(token, th) < 0)
		return rp_errf(e, RP_EAUTH, "the token is not valid");
	db_stmt *s = db_query(d, e,
			      "SELECT t.id, t.last_used_at, a.id, a.login, a.role FROM api_token t"
			      " JOIN account a ON a.id = t.account_id"
			      " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL",
			      "t", th);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	int64_t tid = 0, used = 0;
	if (rc == DB_ROW) {
		tid = db_col_int(s, 0);
		used = db_col_int(s, 1);
		who->id = db_col_int(s, 2);
		snprintf(who->login, sizeof who->login, "%s", db_col_text(s, 3));
		role_parse(db_col_text(s, 4), &who->role);
	}
	db_reset(s);
	if (rc == DB_DONE)
		return rp_errf(e, RP_EAUTH, "the token is not valid (revoked, or its user disabled)");
	if (rc != DB_ROW)
		return rc;
	int64_t now = rp_now();
	if (now - used >= TOUCH_EVERY)
		db_run(d, NULL, "UPDATE api_token SET last_used_at = $2 WHERE id = $1", "ii", tid, now);
	return 0;
}

int token_revoke(db *d, int64_t id, rp_err *e)
{
	int rc = db_run(d, e, "UPDATE api_token SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", "ii", id,
			rp_now());
	if (!rc && db_changes(d) == 0)
		rc = rp_errf(e, RP_ENOTFOUND, "no API token has id %lld", (long long)id);
	return rc;
}

static json_t *token_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:b}", "id", (json_int_t)db_col_int(s, 0), "login", col_json_text(s, 1),
			 "label", col_json_text(s, 2), "created_at", col_json_ts(s, 3), "last_used_at",
			 col_json_ts(s, 4), "revoked", !db_col_null(s, 5));
}

int token_list(db *d, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT t.id, a.login, t.label, t.created_at, t.last_used_at, t.revoked_at"
			      " FROM api_token t JOIN account a ON a.id = t.account_id ORDER BY t.id",
			      "");
	json_t *a;
	int rc = s ? rows_json(s, token_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "tokens", a);
	return rc;
}

/* ---- audit ----------------------------------------------------------- */

int audit_write(db *d, const char *actor, const char *action, json_t *target, const char *address, int ok,
		const char *detail, rp_err *e)
{
	char *t = target ? json_dumps(target, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = db_run(d, e,
			"INSERT INTO audit(at, actor, action, target, address, ok, detail)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7)",
			"itttt" "it", rp_now(), actor, action, t, address, (int64_t)(ok != 0), detail);
	free(t);
	return rc;
}

static json_t *audit_row(db_stmt *s)
{
	const char *t = db_col_text(s, 4);
	json_t *target = t ? json_loads(t, 0, NULL) : NULL;
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:o}", "id", (json_int_t)db_col_int(s, 0), "at",
			 col_json_ts(s, 1), "actor", col_json_text(s, 2), "action", col_json_text(s, 3), "target",
			 target ? target : json_null(), "address", col_json_text(s, 5), "ok", (int)db_col_int(s, 6),
			 "detail", col_json_text(s, 7));
}

int audit_list(db *d, int64_t limit, int64_t before, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT id, at, actor, action, target, address, ok, detail FROM audit"
			      " WHERE ($1 = 0 OR id < $1) ORDER BY id DESC LIMIT $2",
			      "ii", before, limit > 0 ? limit : (int64_t)100);
	json_t *a;
	int rc = s ? rows_json(s, audit_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "entries", a);
	return rc;
}
