/*
** optin: double opt-in, and the links every message carries.
**
** A public signup records a pending consent for email and the purpose, with
** what the person was shown, from where and when, and sends the
** confirmation through the outbox.  Its link works once, for optin.hours
** (48 by default); following it grants the consent at once.  A withdrawal
** link, in every message, revokes the consent the message was sent under,
** whenever it is followed, as often as it is followed.
**
** A link is 256 random bits; the store keeps only their BLAKE2b hash and
** finds a link by it (a unique index), so the secret is never at rest and a
** lookup tells nothing about other links.  Unknown links and signups are
** counted per network address and throttled like failed logins.
*/
#include "core/core.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SIGNUPS_PER_ADDRESS 10 /* per 15 minutes */
#define SIGNUPS_PER_EMAIL 3    /* confirmations to one mailbox per 15 minutes */
#define BAD_LINKS_PER_ADDRESS 20

static int ru(const char *lang) { return lang && !strcmp(lang, "ru"); }

const char *purpose_words(const char *purpose, const char *lang)
{
	static const char *const en[] = {"service", "service messages", "news", "news", "offers", "offers",
					 "surveys", "surveys", NULL};
	static const char *const rus[] = {"service", "служебные сообщения", "news", "новости", "offers",
					  "предложения", "surveys", "опросы", NULL};
	const char *const *t = ru(lang) ? rus : en;
	for (int i = 0; t[i]; i += 2)
		if (purpose && !strcmp(purpose, t[i]))
			return t[i + 1];
	return purpose ? purpose : "";
}

const char *channel_words(const char *channel, const char *lang)
{
	static const char *const en[] = {"email", "by email", "phone", "by phone", "sms", "by SMS", "messenger",
					 "by messenger", "post", "by post", NULL};
	static const char *const rus[] = {"email", "по электронной почте", "phone", "по телефону", "sms", "в SMS",
					  "messenger", "в мессенджере", "post", "по почте", NULL};
	const char *const *t = ru(lang) ? rus : en;
	for (int i = 0; t[i]; i += 2)
		if (channel && !strcmp(channel, t[i]))
			return t[i + 1];
	return channel ? channel : "";
}

/* ---- links ------------------------------------------------------------- */

/* The hash a link is kept and found by; -1 when token cannot be one. */
static int link_hash(const char *token, char hash[65])
{
	if (!token || strlen(token) != LINK_TOKEN - 1)
		return -1;
	for (const char *p = token; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return -1;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, LINK_TOKEN - 1, NULL, 0);
	sodium_bin2hex(hash, 65, h, sizeof h);
	return 0;
}

int link_make(db *d, int64_t contact, const char *channel, const char *purpose, const char *kind, int64_t expires,
	      char token[LINK_TOKEN], rp_err *e)
{
	unsigned char raw[32];
	char hash[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, LINK_TOKEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	link_hash(token, hash);
	const char *sql = "INSERT INTO consent_link(contact_id, channel, purpose, kind, token_hash, created_at, expires_at)"
			  " VALUES ($1, $2, $3, $4, $5, $6, $7)";
	return expires ? db_run(d, e, sql, "ittttii", contact, channel, purpose, kind, hash, rp_now(), expires)
		       : db_run(d, e, sql, "ittttin", contact, channel, purpose, kind, hash, rp_now());
}

char *link_url(const char *public_url, const char *kind, const char *token)
{
	size_t base = strlen(public_url), n = base + strlen(kind) + strlen(token) + 32;
	while (base && public_url[base - 1] == '/')
		base--;
	char *u = malloc(n);
	if (u)
		snprintf(u, n, "%.*s/api/v1/public/%s/%s", (int)base, public_url, kind, token);
	return u;
}

typedef struct link_row {
	int64_t id, contact, created, expires, used; /* expires, used: 0 when NULL */
	char channel[16], purpose[16];
} link_row;

/* The link of kind with this token; RP_ENOTFOUND when there is none,
** counted against the address when count is set (a route that writes:
** a read runs in a read-only transaction). */
static int link_find(db *d, const char *token, const char *kind, const char *address, const char *lang, int count,
		     link_row *r, rp_err *e)
{
	char hash[65], key[128];
	snprintf(key, sizeof key, "link:%.100s", address ? address : "");
	int rc = 0;
	if (link_hash(token, hash) == 0) {
		db_stmt *s = db_query(d, e,
				      "SELECT id, contact_id, channel, purpose, created_at, expires_at, used_at"
				      " FROM consent_link WHERE token_hash = $1 AND kind = $2",
				      "tt", hash, kind);
		if (!s)
			return e->code;
		rc = db_step(s, e);
		if (rc == DB_ROW) {
			r->id = db_col_int(s, 0);
			r->contact = db_col_int(s, 1);
			snprintf(r->channel, sizeof r->channel, "%s", db_col_text(s, 2));
			snprintf(r->purpose, sizeof r->purpose, "%s", db_col_text(s, 3));
			r->created = db_col_int(s, 4);
			r->expires = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
			r->used = db_col_null(s, 6) ? 0 : db_col_int(s, 6);
		}
		db_reset(s);
		if (rc == DB_ROW)
			return 0;
		if (rc != DB_DONE)
			return rc;
	}
	/* Outside any transaction of the caller's: the count must stay. */
	if (count)
		throttle_count(d, key);
	return rp_errf(e, RP_ENOTFOUND,
		       ru(lang) ? "Эта ссылка нам не известна: проверьте, что адрес скопирован из письма целиком."
				: "This link is not known: check that the whole address was copied from the message.");
}

static int link_throttle(db *d, const char *address, rp_err *e)
{
	char key[128];
	snprintf(key, sizeof key, "link:%.100s", address ? address : "");
	return throttle_check(d, key, BAD_LINKS_PER_ADDRESS, "unknown links from this address", e);
}

/* Why a confirmation link cannot be used any more, or 0. */
static int link_spent(const link_row *r, const char *lang, rp_err *e)
{
	char when[21];
	if (r->used)
		return rp_errf(e, RP_ECONFLICT,
			       ru(lang) ? "Эта ссылка уже использована (%.10s): она действует один раз."
					: "This link was already used (on %.10s): it works once.",
			       rp_ts_format(r->used, when));
	if (r->expires && rp_now() > r->expires)
		return rp_errf(e, RP_ECONFLICT,
			       ru(lang) ? "Срок действия ссылки истёк (%.16s UTC): подпишитесь ещё раз, чтобы получить новую."
					: "This link expired (at %.16s UTC): sign up again to get a new one.",
			       rp_ts_format(r->expires, when));
	return 0;
}

/* Evidence as JSON text: what happened, from where, when, and more. */
static char *evidence(const char *what, const char *address, const char *key, json_t *more)
{
	char when[21];
	json_t *j = json_pack("{s:s,s:s?,s:s}", "how", what, "address", address, "at", rp_ts_format(rp_now(), when));
	if (more)
		json_object_set(j, key, more);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static json_t *page(json_t *o, const char *title, const char *button, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static json_t *page(json_t *o, const char *title, const char *button, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "text", json_string(text));
	if (button)
		json_object_set_new(o, "button", json_string(button));
	return o;
}

int optin_confirm_page(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e)
{
	link_row r;
	int rc;
	if ((rc = link_throttle(d, address, e)) || (rc = link_find(d, token, "confirm", address, lang, 0, &r, e)) ||
	    (rc = link_spent(&r, lang, e)))
		return rc;
	/* Only a person's press of the button confirms: a program that opens
	** links in mail to check them must not give consent for anyone. */
	*out = page(json_pack("{s:s,s:s,s:s}", "state", "pending", "channel", r.channel, "purpose", r.purpose),
		    ru(lang) ? "Подтвердите подписку" : "Confirm your subscription",
		    ru(lang) ? "Подтвердить" : "Confirm",
		    ru(lang) ? "Нажмите кнопку, чтобы получать %s %s." : "Press the button to receive %s %s.",
		    purpose_words(r.purpose, lang), channel_words(r.channel, lang));
	return 0;
}

/* ---- following links ------------------------------------------------------ */

int optin_confirm(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e)
{
	link_row r;
	int rc;
	if ((rc = link_throttle(d, address, e)) || (rc = link_find(d, token, "confirm", address, lang, 1, &r, e)) ||
	    (rc = link_spent(&r, lang, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	char state[16], *ev = NULL;
	/* Once: of two clicks at the same moment, one finds it used. */
	rc = db_run(d, e, "UPDATE consent_link SET used_at = $2 WHERE id = $1 AND used_at IS NULL", "ii", r.id, rp_now());
	if (!rc && db_changes(d) != 1) {
		r.used = rp_now();
		rc = link_spent(&r, lang, e);
	}
	if (!rc)
		rc = consent_current(d, r.contact, r.channel, r.purpose, state, e);
	if (!rc && strcmp(state, "granted")) {
		/* The granted row's evidence: this confirmation, with the signup's. */
		db_stmt *s = db_query(d, e,
				      "SELECT evidence FROM consent WHERE contact_id = $1 AND channel = $2 AND purpose = $3"
				      " AND state = 'pending' ORDER BY id DESC LIMIT 1",
				      "itt", r.contact, r.channel, r.purpose);
		json_t *signup = NULL;
		if (!s)
			rc = e->code;
		else if ((rc = db_step(s, e)) == DB_ROW || rc == DB_DONE) {
			const char *t = rc == DB_ROW ? db_col_text(s, 0) : NULL;
			signup = t ? json_loads(t, 0, NULL) : NULL;
			if (t && !signup)
				signup = json_string(t);
			rc = 0;
		}
		db_reset(s);
		if (!rc && !(ev = evidence("confirmation link", address, "signup", signup)))
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		json_decref(signup);
		consent_in in = {.channel = r.channel, .purpose = r.purpose, .state = "granted", .how = "link",
				 .evidence = ev};
		if (!rc)
			rc = consent_set(d, r.contact, &in, NULL, e);
	}
	free(ev);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	*out = page(json_pack("{s:s,s:s,s:s}", "state", "granted", "channel", r.channel, "purpose", r.purpose),
		    ru(lang) ? "Подписка подтверждена" : "Subscription confirmed", NULL,
		    ru(lang) ? "Вы будете получать %s %s. В каждом сообщении есть ссылка, чтобы отказаться."
			     : "You will receive %s %s. Every message has a link to stop them.",
		    purpose_words(r.purpose, lang), channel_words(r.channel, lang));
	return 0;
}

int optin_withdraw(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e)
{
	link_row r;
	int rc;
	if ((rc = link_throttle(d, address, e)) || (rc = link_find(d, token, "withdraw", address, lang, 1, &r, e)))
		return rc;
	if ((rc = db_begin(d, e)))
		return rc;
	char state[16], *ev = NULL;
	rc = db_run(d, e, "UPDATE consent_link SET used_at = coalesce(used_at, $2) WHERE id = $1", "ii", r.id, rp_now());
	if (!rc)
		rc = consent_current(d, r.contact, r.channel, r.purpose, state, e);
	/* Withdrawn already: the same answer, and no second row. */
	if (!rc && strcmp(state, "revoked") && strcmp(state, "none")) {
		consent_in in = {.channel = r.channel, .purpose = r.purpose, .state = "revoked", .how = "link",
				 .evidence = ev = evidence("withdrawal link", address, NULL, NULL)};
		rc = ev ? consent_set(d, r.contact, &in, NULL, e) : rp_errf(e, RP_ENOMEM, "out of memory");
	}
	free(ev);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	*out = page(json_pack("{s:s,s:s,s:s}", "state", "revoked", "channel", r.channel, "purpose", r.purpose),
		    ru(lang) ? "Вы отписались" : "You are unsubscribed", NULL,
		    ru(lang) ? "Вы больше не будете получать %s %s." : "You will receive no more %s %s.",
		    purpose_words(r.purpose, lang), channel_words(r.channel, lang));
	return 0;
}

/* ---- signup ------------------------------------------------------------- */

/* The contact with this email (the oldest of several), or a new one. */
static int contact_by_email(db *d, const char *email, const char *name, int64_t *id, rp_err *e)
{
	int rc = db_one_int(d, e, id,
			    "SELECT contact_id FROM contact_channel WHERE kind = 'email' AND value = $1"
			    " ORDER BY contact_id LIMIT 1",
			    "t", email);
	if (rc != RP_ENOTFOUND)
		return rc;
	const char *emails[1] = {email};
	contact_in in = {.name = str_blank(name) ? email : name, .email = {emails, 1}};
	return contact_add(d, &in, id, e);
}

int optin_signup(db *d, const signup_in *in, json_t **out, rp_err *e)
{
	char key[128], email[320];
	snprintf(key, sizeof key, "signup:%.100s", in->address ? in->address : "");
	int rc = throttle_check(d, key, SIGNUPS_PER_ADDRESS, "signups from this address", e);
	if (rc)
		return rc;
	throttle_count(d, key);
	if ((rc = contact_channel_value("email", in->email ? in->email : "", email, sizeof email, e)) ||
	    (rc = consent_check("email", in->purpose, e)))
		return rc;
	if (!strcmp(in->purpose, "service"))
		return rp_errf(e, RP_EINVAL, "one signs up for news, offers or surveys; service messages need no signup");
	if (str_blank(in->shown))
		return rp_errf(e, RP_EINVAL,
			       "send \"shown\": the text the person saw when signing up, kept as the evidence of the consent");
	if ((rc = check_text("shown", in->shown, 10000, e)) || (rc = check_text("name", in->name, 200, e)))
		return rc;
	/* One mailbox gets a few confirmations at most, whoever asks for them. */
	unsigned char h[16];
	char hex[33];
	crypto_generichash(h, sizeof h, (const unsigned char *)email, strlen(email), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(key, sizeof key, "signup-to:%s", hex);
	if ((rc = throttle_check(d, key, SIGNUPS_PER_EMAIL, "signups for this address", e)))
		return rc;
	throttle_count(d, key);

	json_t *shown = json_string(in->shown);
	char *ev = evidence("signup", in->address, "shown", shown), state[16];
	json_decref(shown);
	if (!ev)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	int64_t contact = 0, erased = 0;
	if ((rc = db_begin(d, e))) {
		free(ev);
		return rc;
	}
	/* The address of a person erased at their request is not added back by
	** a request anyone could have made: the team does that when the person
	** asks them (contact add --unsuppress). */
	rc = privacy_suppressed(d, "email", email, &erased, e);
	if (!rc && !erased)
		rc = contact_by_email(d, email, in->name, &contact, e);
	if (!rc && !erased)
		rc = consent_current(d, contact, "email", in->purpose, state, e);
	/* Someone already subscribed is not asked again, nor told apart. */
	int ask = !rc && !erased && strcmp(state, "granted");
	consent_in c = {.channel = "email", .purpose = in->purpose, .state = "pending", .how = "signup", .evidence = ev};
	if (ask)
		rc = consent_set(d, contact, &c, NULL, e);
	free(ev);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	if (ask && (rc = outbox_confirmation(d, contact, in->purpose, in->lang, e))) {
		/* The reason is in the outbox; the person needs to know only this. */
		if (rc != RP_ENOMEM)
			rc = rp_errf(e, RP_EIO, ru(in->lang) ? "Не удалось отправить письмо для подтверждения; попробуйте позже."
							    : "The confirmation could not be sent just now; please try again later.");
		return rc;
	}
	int64_t hours = 48;
	setting_int(d, "optin.hours", 48, &hours, NULL);
	*out = page(json_pack("{s:s,s:s,s:s}", "state", "pending", "email", email, "purpose", in->purpose),
		    ru(in->lang) ? "Проверьте почту" : "Check your email", NULL,
		    ru(in->lang) ? "Мы отправили на %s письмо со ссылкой для подтверждения. Ссылка действует %lld ч."
				 : "We sent a message to %s with a link to confirm. The link works for %lld hours.",
		    email, (long long)hours);
	return 0;
}
