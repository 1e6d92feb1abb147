/* What strangers send without logging in: the public intake form (its
** application/x-www-form-urlencoded body, decoded and checked by
** core/intake.c) and the tokens of confirmation and withdrawal links
** (core/optin.c), and the credentials a request carries (an API token
** after "Authorization: Bearer", a session cookie: core/account.c).  The
** first byte picks which (its value modulo 6) and the language (its top
** bit); the rest is the body, the token or the cookie.  Each call runs inside a transaction that is
** rolled back, so the store (and its throttles) stay as they were.  Two
** links with known tokens exist, so the seeds reach a real confirmation
** and withdrawal. */
#include "fuzz.h"

#include <sodium.h>

#include "core/core.h"

#define CONFIRM_TOKEN "confirm-token-for-the-fuzz-target-000000000"
#define WITHDRAW_TOKEN "withdraw-token-for-the-fuzz-target-00000000"

/* A link with a token chosen here, as link_make stores it (by its hash). */
static void known_link(db *d, const char *token, const char *kind, int64_t expires)
{
	unsigned char h[32];
	char hash[65];
	rp_err e = {0};
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hash, sizeof hash, h, sizeof h);
	const char *sql = "INSERT INTO consent_link(contact_id, channel, purpose, kind, token_hash, created_at, expires_at)"
			  " VALUES (1, 'email', 'news', $1, $2, $3, $4)";
	if (db_run(d, &e, sql, expires ? "ttii" : "ttin", kind, hash, rp_now(), expires)) {
		fprintf(stderr, "cannot make a link: %s\n", e.msg);
		abort();
	}
}

static db *store(void)
{
	static int ready;
	db *d = fuzz_store();
	if (!ready) {
		_Static_assert(sizeof CONFIRM_TOKEN == LINK_TOKEN && sizeof WITHDRAW_TOKEN == LINK_TOKEN,
			       "tokens of the length links have");
		known_link(d, CONFIRM_TOKEN, "confirm", rp_now() + 86400);
		known_link(d, WITHDRAW_TOKEN, "withdraw", 0);
		ready = 1;
	}
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (!n)
		return 0;
	db *d = store();
	const char *lang = data[0] & 0x80 ? "ru" : "en";
	char *s = fuzz_str(data + 1, n - 1);
	json_t *out = NULL;
	rp_err e = {0};
	if (db_begin(d, &e))
		abort();
	int rc;
	account who;
	char csrf[65];
	switch ((data[0] & 0x7f) % 6) {
	case 0: rc = intake_submit_form(d, s, "192.0.2.1", lang, &out, &e); break;
	case 1: rc = optin_confirm_page(d, s, "192.0.2.1", lang, &out, &e); break;
	case 2: rc = optin_confirm(d, s, "192.0.2.1", lang, &out, &e); break;
	case 3: rc = optin_withdraw(d, s, "192.0.2.1", lang, &out, &e); break;
	case 4: rc = token_check(d, s, &who, &e), out = rc ? NULL : json_object(); break;
	default: rc = session_check(d, s, &who, csrf, &e), out = rc ? NULL : json_object(); break;
	}
	if (rc && !e.msg[0])
		abort(); /* a refusal must say why */
	if (!rc && !out)
		abort();
	db_rollback(d);
	json_decref(out);
	free(s);
	return 0;
}
