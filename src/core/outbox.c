/*
** outbox: the one gate every message to a client passes.
**
** gate() is the only code that writes an outbox row, and the only caller of
** the SMTP transfer (smtp_deliver, static here), so there is no way to write
** to a client around it: outbox_send for the team's messages and
** outbox_confirmation for a signup's both come through it, and
** outbox_export, which hands the other channels' queued messages over,
** checks every one against the consent again before it counts as sent.
**
** In one transaction the gate reads the client's current consent for the
** message's channel and purpose: without a granted consent the message is
** kept as 'refused' with the reason, so a refusal is on record.  The single
** exception is the confirmation of a signup, which asks for a consent and
** so cannot wait for one: it passes only while that consent is pending,
** purpose 'service', with the gate's own text.  An allowed message is kept
** as 'queued' with the address it goes to and committed before any
** delivery, so a crash leaves 'queued', never a 'sent' that was not.  Email
** is then delivered by SMTP (libcurl) with no transaction open, and becomes
** 'sent' or 'failed' with the server's error; the other channels wait for
** outbox_export.
**
** Every message carries a link that withdraws the consent it was sent
** under, made for that message.  Its secret is in the message only: the
** outbox keeps the text without the footer, and consent_link the hash.
*/
#include "core/core.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/csv.h"
#include "format/mail.h"

static const char *const states[] = {"queued", "sent", "refused", "failed", NULL};

#define OPTIN_HOURS 48 /* a confirmation link works this long (optin.hours) */

/* ---- settings ------------------------------------------------------------ */

/* The host part of a URL after its scheme: up to the first '/'. */
static int url_host(const char *rest, const char *key, rp_err *e)
{
	size_t n = strcspn(rest, "/");
	if (!n)
		return rp_errf(e, RP_EINVAL, "%s has no host name after the scheme", key);
	for (size_t i = 0; i < n; i++)
		if (rest[i] == '@')
			return rp_errf(e, RP_EINVAL,
				       "%s must not hold a user or password (a setting is stored and shown as it is):"
				       " put them in the ~/.netrc of the account that runs rapport",
				       key);
	return 0;
}

int outbox_setting_check(const char *key, const char *value, rp_err *e)
{
	if (strlen(value) > 500)
		return rp_errf(e, RP_EINVAL, "%s is too long (at most 500 characters)", key);
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127 || (*p == ' ' && strcmp(key, "smtp.from")))
			return rp_errf(e, RP_EINVAL, "%s must be one line of text%s", key,
				       strcmp(key, "smtp.from") ? " without spaces" : "");
	int rc = 0;
	if (!strcmp(key, "smtp.url")) {
		const char *rest = !strncmp(value, "smtp://", 7) ? value + 7 : !strncmp(value, "smtps://", 8) ? value + 8 : NULL;
		if (!rest)
			return rp_errf(e, RP_EINVAL,
				       "smtp.url must start with smtp:// (STARTTLS when the server offers it) or smtps://,"
				       " e.g. smtp://mail.example.org:587");
		return url_host(rest, key, e);
	}
	if (!strcmp(key, "smtp.from")) {
		char name[256], addr[320];
		if ((rc = check_text(key, value, 500, e)))
			return rc;
		if (mail_split_address(value, name, sizeof name, addr, sizeof addr) < 0)
			return rp_errf(e, RP_EINVAL,
				       "smtp.from must be an address like shop@example.org or \"Shop <shop@example.org>\"");
		return 0;
	}
	if (!strcmp(key, "public.url")) {
		const char *rest = !strncmp(value, "http://", 7) ? value + 7 : !strncmp(value, "https://", 8) ? value + 8 : NULL;
		if (!rest)
			return rp_errf(e, RP_EINVAL,
				       "public.url must start with http:// or https://: the address clients reach this"
				       " server at, e.g. https://crm.example.org");
		if ((rc = url_host(rest, key, e)))
			return rc;
		if (strpbrk(value, "?#"))
			return rp_errf(e, RP_EINVAL, "public.url must be a plain address, without ? or #");
		return 0;
	}
	return rp_errf(e, RP_EINVAL, "the outbox has no setting \"%s\"", key);
}

typedef struct gate_cfg {
	char *public_url, *smtp_url, *smtp_from;
	int64_t optin_hours;
} gate_cfg;

static void cfg_free(gate_cfg *g)
{
	free(g->public_url);
	free(g->smtp_url);
	free(g->smtp_from);
}

/* What sending on channel needs, or an error saying which setting to make. */
static int cfg_load(db *d, const char *channel, gate_cfg *g, rp_err *e)
{
	memset(g, 0, sizeof *g);
	int rc;
	if ((rc = setting_text(d, "public.url", NULL, &g->public_url, e)) ||
	    (rc = setting_text(d, "smtp.url", NULL, &g->smtp_url, e)) ||
	    (rc = setting_text(d, "smtp.from", NULL, &g->smtp_from, e)) ||
	    (rc = setting_int(d, "optin.hours", OPTIN_HOURS, &g->optin_hours, e)))
		return rc;
	if (!g->public_url)
		return rp_errf(e, RP_EINVAL,
			       "set public.url first (rapport config set public.url https://crm.example.org): every"
			       " message carries a link to withdraw consent, and the link needs the address clients"
			       " reach this server at");
	if (!strcmp(channel, "email") && !g->smtp_url)
		return rp_errf(e, RP_EINVAL,
			       "set smtp.url first (rapport config set smtp.url smtp://mail.example.org:587): email is"
			       " delivered through that server");
	if (!strcmp(channel, "email") && !g->smtp_from)
		return rp_errf(e, RP_EINVAL,
			       "set smtp.from first (rapport config set smtp.from \"Shop <shop@example.org>\"): the"
			       " sender of every email");
	return 0;
}

/* ---- texts ------------------------------------------------------------- */

static int ru(const char *lang) { return lang && !strcmp(lang, "ru"); }

/* The note under every message, with its withdrawal link. */
static void footer(rp_buf *b, const char *channel, const char *purpose, const char *lang, const char *url)
{
	rp_buf_printf(b, ru(lang) ? "\n\n-- \nЧтобы больше не получать %s %s, перейдите по ссылке: %s\n"
				  : "\n\n-- \nTo stop receiving %s %s, follow this link: %s\n",
		      purpose_words(purpose, lang), channel_words(channel, lang), url);
}

static const char *confirmation_subject(const char *lang)
{
	return ru(lang) ? "Подтвердите подписку" : "Please confirm your subscription";
}

/* The confirmation's text; url is the link, or a stand-in for the copy
** the outbox keeps (the link's secret is never stored). */
static void confirmation_body(rp_buf *b, const char *name, const char *asks, int64_t hours, const char *lang,
			      const char *url)
{
	if (ru(lang))
		rp_buf_printf(b,
			      "Здравствуйте, %s!\n\n"
			      "С этого адреса попросили присылать %s по электронной почте. Чтобы подтвердить,"
			      " перейдите по ссылке (она действует %lld ч.):\n\n%s\n\n"
			      "Если это были не вы, ничего не делайте: без подтверждения мы ничего больше не пришлём.",
			      name, purpose_words(asks, lang), (long long)hours, url);
	else
		rp_buf_printf(b,
			      "Hello, %s!\n\n"
			      "Someone, we hope you, asked us to send %s to this address by email. To confirm,"
			      " follow this link (it works for %lld hours):\n\n%s\n\n"
			      "If it was not you, do nothing: without the confirmation we send nothing more.",
			      name, purpose_words(asks, lang), (long long)hours, url);
}

/* ---- SMTP -------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_ready = CURLE_FAILED_INIT;

/* Once per process, whichever thread sends first (libcurl's global start
** is not safe to run twice at once). */
static void curl_start(void) { curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct upload {
	const char *p;
	size_t left;
} upload;

static size_t feed(char *buf, size_t size, size_t nitems, void *ctx)
{
	upload *u = ctx;
	size_t n = size * nitems < u->left ? size * nitems : u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Hand msg to the SMTP server at url for one recipient.  0, or -1 with the
** reason in why.  Credentials, when the server wants them, come from
** ~/.netrc; smtp:// upgrades to TLS when the server offers STARTTLS. */
static int smtp_deliver(const char *url, const char *from, const char *to, const rp_buf *msg, char *why,
			size_t whysize)
{
	pthread_once(&curl_once, curl_start);
	if (curl_ready != CURLE_OK) {
		snprintf(why, whysize, "the mail library did not start: %s", curl_easy_strerror(curl_ready));
		return -1;
	}
	CURL *c = curl_easy_init();
	char mfrom[330], rcpt[330], err[CURL_ERROR_SIZE] = "";
	snprintf(mfrom, sizeof mfrom, "<%s>", from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = c ? curl_slist_append(NULL, rcpt) : NULL;
	if (!c || !rcpts) {
		curl_slist_free_all(rcpts);
		curl_easy_cleanup(c);
		snprintf(why, whysize, "out of memory");
		return -1;
	}
	upload u = {msg->p, msg->n};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* a server thread must not get SIGALRM */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	if (code)
		snprintf(why, whysize, "the mail server answered %ld: %s", code, err[0] ? err : curl_easy_strerror(rc));
	else
		snprintf(why, whysize, "the mail server could not be reached: %s", err[0] ? err : curl_easy_strerror(rc));
	return -1;
}

/* ---- the gate ------------------------------------------------------------- */

/* The contact_channel kind that holds a channel's address. */
static const char *address_kind(const char *channel)
{
	return !strcmp(channel, "sms") ? "phone" : !strcmp(channel, "post") ? "address" : channel;
}

static json_t *row_json(db_stmt *s)
{
	json_t *contact = db_col_null(s, 1) ? json_null()
					     : json_pack("{s:I,s:o}", "id", (json_int_t)db_col_int(s, 1), "name",
							 col_json_text(s, 2));
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
			 "contact", contact, "channel", col_json_text(s, 3), "purpose", col_json_text(s, 4), "address",
			 col_json_text(s, 5), "subject", col_json_text(s, 6), "body", col_json_text(s, 7), "state",
			 col_json_text(s, 8), "reason", col_json_text(s, 9), "created_at", col_json_ts(s, 10),
			 "sent_at", col_json_ts(s, 11), "by", col_json_text(s, 12));
}

#define ROW_SQL                                                                                         \
	"SELECT o.id, o.contact_id, c.name, o.channel, o.purpose, o.address, o.subject, o.body, o.state," \
	" o.reason, o.created_at, o.sent_at, o.by_user FROM outbox o LEFT JOIN contact c ON c.id = o.contact_id"

static int message_json(db *d, int64_t id, json_t **out, rp_err *e)
{
	if (!out)
		return 0;
	db_stmt *s = db_query(d, e, ROW_SQL " WHERE o.id = $1", "i", id);
	json_t *a;
	int rc = s ? rows_json(s, row_json, &a, e) : e->code;
	if (rc)
		return rc;
	*out = json_incref(json_array_get(a, 0));
	json_decref(a);
	return *out ? 0 : rp_errf(e, RP_ENOTFOUND, "outbox message %lld is gone", (long long)id);
}

/* The outcome of a delivery, in its own short transaction.  A write that
** loses to a concurrent one is tried again here: the message has gone, and
** running the whole operation again would send it twice. */
static int record_outcome(db *d, int64_t id, const char *failed, rp_err *e)
{
	int rc = 0;
	for (int attempt = 0; attempt < 8; attempt++) {
		rc = failed ? db_run(d, e, "UPDATE outbox SET state = 'failed', reason = $2 WHERE id = $1 AND state = 'queued'",
				     "it", id, failed)
			    : db_run(d, e, "UPDATE outbox SET state = 'sent', sent_at = $2 WHERE id = $1 AND state = 'queued'",
				     "ii", id, rp_now());
		if (rc != RP_EBUSY)
			break;
		struct timespec t = {0, 20000000L << (attempt < 4 ? attempt : 4)};
		nanosleep(&t, NULL);
	}
	if (rc) {
		char cause[sizeof e->msg];
		snprintf(cause, sizeof cause, "%s", e->msg);
		rc = rp_errf(e, rc == RP_EBUSY ? RP_EDB : rc,
			     "outbox message %lld was %s, but that could not be recorded (%.1500s); it stays 'queued'",
			     (long long)id, failed ? "not delivered" : "delivered", cause);
	}
	return rc;
}

/* The message as it goes out: the text, the withdrawal note, the headers. */
static int compose(const gate_cfg *g, const char *to_name, const char *to_addr, const char *subject,
		   const char *text, const char *channel, const char *purpose, const char *lang, const char *withdraw,
		   rp_buf *msg, char *from_addr, size_t from_size, rp_err *e)
{
	char from_name[256], mid[80];
	if (mail_split_address(g->smtp_from, from_name, sizeof from_name, from_addr, from_size) < 0)
		return rp_errf(e, RP_EINVAL, "smtp.from \"%s\" is not an address; set it again with 'rapport config set'",
			       g->smtp_from);
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(mid, 33, raw, sizeof raw);
	snprintf(mid + 32, sizeof mid - 32, "%s", strchr(from_addr, '@'));
	rp_buf body = {0};
	rp_buf_puts(&body, text);
	footer(&body, channel, purpose, lang, withdraw);
	mail_msg m = {.from_name = from_name, .from_addr = from_addr, .to_name = to_name, .to_addr = to_addr,
		      .subject = subject, .body = body.p, .date = rp_now(), .message_id = mid, .unsubscribe = withdraw};
	if (!body.oom)
		mail_compose(msg, &m);
	int oom = body.oom || msg->oom;
	rp_buf_free(&body);
	return oom ? rp_errf(e, RP_ENOMEM, "out of memory") : 0;
}

/* Why the gate refuses, if it does, into why (empty when it allows). */
static int decide(db *d, const outbox_in *in, const char *name, const char *asks, char *why, size_t size, rp_err *e)
{
	char state[16];
	int rc = consent_current(d, in->contact, in->channel, asks ? asks : in->purpose, state, e);
	if (rc)
		return rc;
	why[0] = 0;
	if (asks && strcmp(state, "pending"))
		snprintf(why, size, "a confirmation goes only while the consent to %s by email waits for it, and it is %s",
			 asks, state);
	else if (!asks && strcmp(state, "granted"))
		snprintf(why, size,
			 "%s has not agreed to receive %s by %s (consent: %s); a message goes only with the"
			 " client's consent, recorded with its evidence",
			 name, in->purpose, in->channel, state);
	return 0;
}

/* in->subject and in->body are the team's; with asks (the purpose a signup
** asked for) the message is that signup's confirmation and its text is
** made here. */
static int gate(db *d, const outbox_in *in, const char *asks, json_t **out, rp_err *e)
{
	int rc;
	if ((rc = consent_check(in->channel, in->purpose, e)))
		return rc;
	if (asks && (strcmp(in->channel, "email") || strcmp(in->purpose, "service")))
		return rp_errf(e, RP_EINVAL, "a confirmation is an email of purpose service");
	if (!asks) {
		if (str_blank(in->body))
			return rp_errf(e, RP_EINVAL, "the message has no text (--body TEXT)");
		if (!strcmp(in->channel, "email") && str_blank(in->subject))
			return rp_errf(e, RP_EINVAL, "an email needs a subject (--subject TEXT)");
		if ((rc = check_text("body", in->body, 100000, e)) || (rc = check_text("subject", in->subject, 500, e)))
			return rc;
		for (const char *p = in->subject; p && *p; p++)
			if ((unsigned char)*p < 32 || *p == 127)
				return rp_errf(e, RP_EINVAL, "the subject must be one line, without control characters");
	}
	if ((rc = check_text("by", in->by, 200, e)))
		return rc;
	gate_cfg g;
	if ((rc = cfg_load(d, in->channel, &g, e))) {
		cfg_free(&g);
		return rc;
	}
	int email = !strcmp(in->channel, "email");
	int64_t id = 0, now = rp_now();
	char *name = NULL, *address = NULL, why[600];
	char wtoken[LINK_TOKEN] = "", ctoken[LINK_TOKEN] = "";
	rp_buf kept = {0}; /* the confirmation's text as the outbox keeps it */
	const char *subject = asks ? confirmation_subject(in->lang) : in->subject;
	if ((rc = db_begin(d, e)))
		goto out;
	db_stmt *s = db_query(d, e, "SELECT name FROM contact WHERE id = $1", "i", in->contact);
	if (!s) {
		rc = e->code;
		goto rollback;
	}
	if ((rc = db_step(s, e)) == DB_ROW && !(name = strdup(db_col_text(s, 0))))
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	db_reset(s);
	if (rc == DB_DONE)
		rc = rp_errf(e, RP_ENOTFOUND, "no contact has id %lld; find one with 'rapport contact list'",
			     (long long)in->contact);
	if (rc != DB_ROW)
		goto rollback;
	if ((rc = decide(d, in, name, asks, why, sizeof why, e)))
		goto rollback;
	if (!why[0]) {
		s = db_query(d, e, "SELECT value FROM contact_channel WHERE contact_id = $1 AND kind = $2 ORDER BY id LIMIT 1",
			     "it", in->contact, address_kind(in->channel));
		if (!s) {
			rc = e->code;
			goto rollback;
		}
		if ((rc = db_step(s, e)) == DB_ROW && !(address = strdup(db_col_text(s, 0))))
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		db_reset(s);
		if (rc != DB_ROW && rc != DB_DONE)
			goto rollback;
		if (!address)
			snprintf(why, sizeof why, "%s has no %s to send to; add one with 'rapport contact edit'", name,
				 !strcmp(address_kind(in->channel), "address") ? "postal address" : address_kind(in->channel));
	}
	/* An address of a person erased at their request stays silent, even
	** if it came back on another card. */
	int64_t erased = 0;
	if (!why[0] && (!strcmp(address_kind(in->channel), "email") || !strcmp(address_kind(in->channel), "phone"))) {
		if ((rc = privacy_suppressed(d, address_kind(in->channel), address, &erased, e)))
			goto rollback;
		if (erased)
			snprintf(why, sizeof why, "%s belongs to a person erased at their request", address);
	}
	if (asks)
		confirmation_body(&kept, name, asks, g.optin_hours, in->lang, "[confirmation link]");
	if (kept.oom) {
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
		goto rollback;
	}
	rc = db_one_int(d, e, &id,
			"INSERT INTO outbox(contact_id, channel, purpose, address, subject, body, state, reason,"
			" created_at, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
			"itttttttit", in->contact, in->channel, in->purpose, address, subject, asks ? kept.p : in->body,
			why[0] ? "refused" : "queued", why[0] ? why : NULL, now, in->by);
	/* The links of an email are made with it, so that a message on its way
	** has them; other channels get theirs when they are exported. */
	if (!rc && !why[0] && email)
		rc = link_make(d, in->contact, "email", asks ? asks : in->purpose, "withdraw", 0, wtoken, e);
	if (!rc && !why[0] && asks)
		rc = link_make(d, in->contact, "email", asks, "confirm", now + g.optin_hours * 3600, ctoken, e);
	if (rc)
		goto rollback;
	if ((rc = db_commit(d, e)))
		goto out;
	if (why[0]) {
		rc = rp_errf(e, RP_ECONFLICT, "refused: %s (outbox message %lld)", why, (long long)id);
		goto out;
	}
	if (email) {
		char *wurl = link_url(g.public_url, "withdraw", wtoken), *confirm_url = asks ? link_url(g.public_url, "confirm", ctoken) : NULL;
		rp_buf text = {0}, msg = {0};
		char from[320], fail[CURL_ERROR_SIZE + 200];
		if (asks && confirm_url)
			confirmation_body(&text, name, asks, g.optin_hours, in->lang, confirm_url);
		else
			rp_buf_puts(&text, in->body);
		if (!wurl || (asks && !confirm_url) || text.oom)
			rc = rp_errf(e, RP_ENOMEM, "out of memory");
		else
			rc = compose(&g, name, address, subject, text.p, "email", asks ? asks : in->purpose, in->lang, wurl,
				     &msg, from, sizeof from, e);
		/* Nothing was handed over: the message did not go. */
		if (rc)
			snprintf(fail, sizeof fail, "%.400s", e->msg);
		int failed = rc || smtp_deliver(g.smtp_url, from, address, &msg, fail, sizeof fail) < 0;
		sodium_memzero(msg.p, msg.n);
		if (text.p)
			sodium_memzero(text.p, text.n);
		rp_buf_free(&msg);
		rp_buf_free(&text);
		free(wurl);
		free(confirm_url);
		if ((rc = record_outcome(d, id, failed ? fail : NULL, e)))
			goto out;
		if (failed) {
			rc = rp_errf(e, RP_EIO, "not delivered: %s (outbox message %lld, kept as failed)", fail, (long long)id);
			goto out;
		}
	}
	rc = message_json(d, id, out, e);
	goto out;
rollback:
	db_rollback(d);
out:
	sodium_memzero(wtoken, sizeof wtoken);
	sodium_memzero(ctoken, sizeof ctoken);
	rp_buf_free(&kept);
	free(name);
	free(address);
	cfg_free(&g);
	return rc;
}

int outbox_send(db *d, const outbox_in *in, json_t **out, rp_err *e) { return gate(d, in, NULL, out, e); }

int outbox_confirmation(db *d, int64_t contact, const char *purpose, const char *lang, rp_err *e)
{
	outbox_in in = {.contact = contact, .channel = "email", .purpose = "service", .lang = lang};
	return gate(d, &in, purpose, NULL, e);
}

/* ---- reading and exporting ------------------------------------------------ */

int outbox_list(db *d, const outbox_filter *f, json_t **out, rp_err *e)
{
	char buf[200];
	if (f->state && !one_of(f->state, states))
		return rp_errf(e, RP_EINVAL, "state \"%s\" is not one of %s", f->state, words_list(states, buf, sizeof buf));
	if (f->channel && !one_of(f->channel, consent_channels))
		return rp_errf(e, RP_EINVAL, "channel \"%s\" is not one of %s", f->channel,
			       words_list(consent_channels, buf, sizeof buf));
	if (f->limit < 1 || f->limit > 10000)
		return rp_errf(e, RP_EINVAL, "--limit must be between 1 and 10000");
	db_stmt *s = db_query(d, e,
			      ROW_SQL " WHERE ($1 = '' OR o.state = $1) AND ($2 = '' OR o.channel = $2)"
				      " AND ($3 = 0 OR o.contact_id = $3) ORDER BY o.id DESC LIMIT $4",
			      "ttii", f->state ? f->state : "", f->channel ? f->channel : "", f->contact, f->limit);
	json_t *a;
	int rc = s ? rows_json(s, row_json, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "messages", a);
	return rc;
}

static json_t *queued_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "contact_id",
			 col_json_int(s, 1), "name", col_json_text(s, 2), "purpose", col_json_text(s, 3), "address",
			 col_json_text(s, 4), "subject", col_json_text(s, 5), "body", col_json_text(s, 6));
}

#define S(o, k) json_string_value(json_object_get((o), (k)))

/* One queued message: refused now, or a CSV row with its new link. */
static int export_one(db *d, const char *channel, const char *lang, const gate_cfg *g, json_t *m, rp_buf *csv,
		      int64_t *exported, int64_t *refused, rp_err *e)
{
	int64_t id = json_integer_value(json_object_get(m, "id"));
	json_t *cid = json_object_get(m, "contact_id");
	char state[16] = "none", why[400] = "", token[LINK_TOKEN], idbuf[24], cidbuf[24];
	int rc = 0;
	if (!json_is_integer(cid))
		snprintf(why, sizeof why, "the client was erased before the message was sent");
	else if (!(rc = consent_current(d, json_integer_value(cid), channel, S(m, "purpose"), state, e)) &&
		 strcmp(state, "granted"))
		snprintf(why, sizeof why, "%s withdrew consent to %s by %s before the message was sent (consent: %s)",
			 S(m, "name"), S(m, "purpose"), channel, state);
	if (rc)
		return rc;
	if (why[0]) {
		++*refused;
		return db_run(d, e, "UPDATE outbox SET state = 'refused', reason = $2 WHERE id = $1", "it", id, why);
	}
	if ((rc = link_make(d, json_integer_value(cid), channel, S(m, "purpose"), "withdraw", 0, token, e)))
		return rc;
	char *url = link_url(g->public_url, "withdraw", token);
	sodium_memzero(token, sizeof token);
	rp_buf text = {0};
	rp_buf_puts(&text, S(m, "body") ? S(m, "body") : "");
	if (url)
		footer(&text, channel, S(m, "purpose"), lang, url);
	if (!url || text.oom) {
		free(url);
		rp_buf_free(&text);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	snprintf(cidbuf, sizeof cidbuf, "%lld", (long long)json_integer_value(cid));
	const char *fields[] = {idbuf, cidbuf, S(m, "name"), S(m, "address"), S(m, "purpose"), S(m, "subject"), text.p, url};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		csv_put(csv, fields[i] ? fields[i] : "", i == 0);
	csv_end_row(csv);
	free(url);
	rp_buf_free(&text);
	++*exported;
	return db_run(d, e, "UPDATE outbox SET state = 'sent', sent_at = $2 WHERE id = $1", "ii", id, rp_now());
}

int outbox_export(db *d, const char *channel, const char *lang, outbox_sink sink, void *ctx, json_t **report,
		  rp_err *e)
{
	char buf[200];
	if (!channel || !one_of(channel, consent_channels))
		return rp_errf(e, RP_EINVAL, "channel \"%s\" is not one of %s", channel ? channel : "",
			       words_list(consent_channels, buf, sizeof buf));
	if (!strcmp(channel, "email"))
		return rp_errf(e, RP_EINVAL,
			       "email is delivered through smtp.url as it is sent; export is for phone, sms, messenger"
			       " and post");
	gate_cfg g;
	int rc = cfg_load(d, channel, &g, e);
	if (rc) {
		cfg_free(&g);
		return rc;
	}
	if ((rc = db_begin(d, e))) {
		cfg_free(&g);
		return rc;
	}
	/* Read first, then write: the rows change as they are handed over. */
	db_stmt *s = db_query(d, e,
			      "SELECT o.id, o.contact_id, c.name, o.purpose, o.address, o.subject, o.body FROM outbox o"
			      " LEFT JOIN contact c ON c.id = o.contact_id WHERE o.state = 'queued' AND o.channel = $1"
			      " ORDER BY o.id",
			      "t", channel);
	json_t *rows = NULL, *m;
	rc = s ? rows_json(s, queued_row, &rows, e) : e->code;
	rp_buf csv = {0};
	static const char *const cols[] = {"id", "contact_id", "name", "address", "purpose", "subject", "text", "withdraw_url"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csv_put(&csv, cols[i], i == 0);
	csv_end_row(&csv);
	int64_t exported = 0, refused = 0;
	size_t i;
	json_array_foreach(rows, i, m)
	{
		if (rc)
			break;
		rc = export_one(d, channel, lang, &g, m, &csv, &exported, &refused, e);
	}
	if (!rc && csv.oom)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	/* Only what the sink took counts as sent. */
	if (!rc)
		rc = sink(ctx, csv.p, csv.n, e);
	if (csv.p)
		sodium_memzero(csv.p, csv.n); /* it holds the links' secrets */
	rp_buf_free(&csv);
	json_decref(rows);
	cfg_free(&g);
	if (rc) {
		db_rollback(d);
		return rc;
	}
	if ((rc = db_commit(d, e)))
		return rc;
	*report = json_pack("{s:s,s:I,s:I}", "channel", channel, "exported", (json_int_t)exported, "refused",
			    (json_int_t)refused);
	return 0;
}
