/*
** webhook: other systems hear what happens here.  An owner registers a URL
** for some events; each event a write causes is queued, one delivery per
** webhook, in the write's own transaction (a rolled-back write tells
** nobody, a committed one is never lost), and delivered later by the
** server's delivery thread or 'rapport webhook deliver'.
**
** A delivery is a POST of {"id", "event", "at", "data"}, signed:
**   X-Rapport-Timestamp: Unix seconds of the attempt
**   X-Rapport-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp "." body))
** The id is the delivery's, the same on every retry, so a receiver can
** drop a repeat.  The data are ids and words (stage names, consent
** purposes, kinds), never a person's name or details: an erased person
** leaves nothing personal in the queue, and the receiver asks the API for
** what it may see.
**
** Order: a webhook's deliveries go out oldest first, and a later one waits
** while an earlier one is being retried.  A failure waits base * 2^(n-1)
** seconds after the n-th attempt (base: webhook.backoff_seconds, default
** 10: 10 s, 20 s, 40 s, ...), each wait at most 6 hours; a delivery whose
** next try would fall more than 24 hours after its event is given up
** ('failed'), and the next one goes.
**
** Addresses: only http and https.  Loopback, private and link-local
** addresses are refused when connecting (after the name is resolved, so a
** name cannot point inside) unless webhook.private is 1, for a receiver on
** this machine or network.
*/
#include "core/core.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const char *const webhook_events[] = {"contact.created",   "contact.updated",    "contact.erased",
				      "stage.moved",       "consent.changed",    "complaint.opened",
				      "complaint.answered", "story.recorded",     "lesson.done",
				      NULL};

#define WAIT_MAX (6 * 3600)  /* no wait between tries is longer */
#define GIVE_UP (24 * 3600)  /* no try later than this after the event */
#define LEASE 300            /* a delivery being sent is not taken by another sender for this long */

int64_t webhook_backoff(int64_t base, int64_t attempts)
{
	if (base < 1)
		base = 1;
	int64_t w = base;
	for (int64_t i = 1; i < attempts && w < WAIT_MAX; i++)
		w *= 2;
	return w < WAIT_MAX ? w : WAIT_MAX;
}

void webhook_sign(const char *secret, const char *timestamp, const char *body, size_t n, char out[72])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof mac);
	sodium_memzero(&st, sizeof st);
}

/* The events of a list ("a,b" or "all") checked and joined by commas into
** a malloc'd string. */
static int events_norm(const char *list, char **out, rp_err *e)
{
	char buf[400];
	*out = NULL;
	if (str_blank(list))
		return rp_errf(e, RP_EINVAL, "name the events to send (--events LIST): %s, or all",
			       words_list(webhook_events, buf, sizeof buf));
	rp_buf b = {0};
	if (!strcmp(list, "all")) {
		for (int i = 0; webhook_events[i]; i++)
			rp_buf_printf(&b, "%s%s", i ? "," : "", webhook_events[i]);
	} else {
		char *copy = strdup(list), *save = NULL;
		if (!copy)
			return rp_errf(e, RP_ENOMEM, "out of memory");
		for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
			if (!one_of(w, webhook_events)) {
				rp_errf(e, RP_EINVAL, "\"%s\" is not an event; the events are %s, or all", w,
					words_list(webhook_events, buf, sizeof buf));
				free(copy);
				rp_buf_free(&b);
				return RP_EINVAL;
			}
			rp_buf_printf(&b, "%s%s", b.n ? "," : "", w);
		}
		free(copy);
	}
	if (b.oom || !b.p) {
		rp_buf_free(&b);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	*out = b.p;
	return 0;
}

static int check_url(const char *url, rp_err *e)
{
	const char *rest = !strncmp(url, "http://", 7) ? url + 7 : !strncmp(url, "https://", 8) ? url + 8 : NULL;
	if (!rest || !*rest || *rest == '/' || strlen(url) > 2000 || strpbrk(url, " \t\r\n"))
		return rp_errf(e, RP_EINVAL,
			       "a webhook's URL is an http:// or https:// address, e.g. https://hooks.example.org/rapport");
	/* A user:password@ would be kept in clear and shown by 'webhook list'
	** and the audit log; the receiver checks the signature instead. */
	size_t host = strcspn(rest, "/?#");
	if (memchr(rest, '@', host))
		return rp_errf(e, RP_EINVAL,
			       "a webhook's URL may not hold a user or password (they would be stored and shown in "
			       "clear); the receiver checks X-Rapport-Signature with the webhook's secret instead");
	return check_text("url", url, 2000, e);
}

int webhook_add(db *d, const char *url, const char *events, const char *secret, const char *by, json_t **out,
		rp_err *e)
{
	int rc = check_url(url, e);
	if (rc)
		return rc;
	if (secret && (strlen(secret) < 16 || strlen(secret) > 200))
		return rp_errf(e, RP_EINVAL, "a webhook secret is 16 to 200 characters; leave it out to get a random one");
	char made[65] = "";
	if (!secret) {
		unsigned char raw[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(made, sizeof made, raw, sizeof raw);
		sodium_memzero(raw, sizeof raw);
	}
	char *ev;
	if ((rc = events_norm(events, &ev, e)))
		return rc;
	int64_t id;
	rc = db_one_int(d, e, &id,
			"INSERT INTO webhook(url, events, secret, created_at, created_by) VALUES ($1, $2, $3, $4, $5)"
			" RETURNING id",
			"tttit", url, ev, secret ? secret : made, rp_now(), by);
	if (!rc) {
		/* A secret made here is shown once, now; one given is never echoed. */
		*out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "url", url, "events", ev);
		if (!secret)
			json_object_set_new(*out, "secret", json_string(made));
	}
	sodium_memzero(made, sizeof made);
	free(ev);
	return rc;
}

int webhook_rm(db *d, int64_t id, rp_err *e)
{
	int rc = db_run(d, e, "DELETE FROM webhook WHERE id = $1", "i", id);
	if (!rc && db_changes(d) == 0)
		rc = rp_errf(e, RP_ENOTFOUND, "no webhook has id %lld; see 'rapport webhook list'", (long long)id);
	return rc;
}

static json_t *hook_row(db_stmt *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:I,s:I,s:I}", "id", (json_int_t)db_col_int(s, 0), "url",
			 col_json_text(s, 1), "events", col_json_text(s, 2), "created_at", col_json_ts(s, 3),
			 "created_by", col_json_text(s, 4), "pending", (json_int_t)db_col_int(s, 5), "delivered",
			 (json_int_t)db_col_int(s, 6), "failed", (json_int_t)db_col_int(s, 7));
}

int webhook_list(db *d, json_t **out, rp_err *e)
{
#define COUNT(st) ", (SELECT count(*) FROM webhook_delivery q WHERE q.webhook_id = w.id AND q.status = '" st "')"
	db_stmt *s = db_query(d, e,
			      "SELECT w.id, w.url, w.events, w.created_at, w.created_by" COUNT("pending")
				      COUNT("delivered") COUNT("failed") " FROM webhook w ORDER BY w.id",
			      "");
#undef COUNT
	json_t *a;
	int rc = s ? rows_json(s, hook_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "webhooks", a);
	return rc;
}

static json_t *log_row(db_stmt *s)
{
	return json_pack("{s:I,s:I,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0), "webhook",
			 (json_int_t)db_col_int(s, 1), "event", col_json_text(s, 2), "at", col_json_ts(s, 3), "status",
			 col_json_text(s, 4), "attempts", (json_int_t)db_col_int(s, 5), "next_at", col_json_ts(s, 6),
			 "last_at", col_json_ts(s, 7), "last_code", col_json_int(s, 8), "last_error",
			 col_json_text(s, 9));
}

int webhook_log(db *d, int64_t hook, int64_t limit, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT id, webhook_id, event, created_at, status, attempts, next_at, last_at, last_code,"
			      " last_error FROM webhook_delivery WHERE ($1 = 0 OR webhook_id = $1)"
			      " ORDER BY id DESC LIMIT $2",
			      "ii", hook, limit > 0 ? limit : (int64_t)100);
	json_t *a;
	int rc = s ? rows_json(s, log_row, &a, e) : e->code;
	if (!rc)
		*out = json_pack("{s:o}", "deliveries", a);
	return rc;
}

int webhook_enqueue(db *d, const char *event, json_t *data, rp_err *e)
{
	if (!data)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	char *text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(data);
	if (!text)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	char like[64];
	snprintf(like, sizeof like, "%%,%s,%%", event);
	int64_t now = rp_now();
	int rc = db_run(d, e,
			"INSERT INTO webhook_delivery(webhook_id, event, data, created_at, next_at)"
			" SELECT id, $1, $2, $3, $3 FROM webhook WHERE ',' || events || ',' LIKE $4 ORDER BY id",
			"ttit", event, text, now, like);
	free(text);
	return rc;
}

/* ---- delivery -------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_ready = CURLE_FAILED_INIT;
static void curl_start(void) { curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* Whether an address is this machine's, a private network's or link-local. */
static int inside(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		return (a >> 24) == 127 || (a >> 24) == 10 || (a >> 24) == 0 || (a >> 20) == 0xac1 ||
		       (a >> 16) == 0xc0a8 || (a >> 16) == 0xa9fe || (a >> 22) == (0x64400000u >> 22);
	}
	if (sa->sa_family == AF_INET6) {
		const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const unsigned char loop[16] = {[15] = 1}, none[16] = {0};
		static const unsigned char mapped[12] = {[10] = 0xff, [11] = 0xff};
		if (!memcmp(b, mapped, 12)) {
			struct sockaddr_in v4 = {.sin_family = AF_INET};
			memcpy(&v4.sin_addr, b + 12, 4);
			return inside((const struct sockaddr *)&v4);
		}
		return !memcmp(b, loop, 16) || !memcmp(b, none, 16) || (b[0] & 0xfe) == 0xfc ||
		       (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
	}
	return 1;
}

typedef struct guard {
	int allow_private, refused;
} guard;

static curl_socket_t open_checked(void *p, curlsocktype purpose, struct curl_sockaddr *a)
{
	guard *g = p;
	(void)purpose;
	if (!g->allow_private && inside(&a->addr)) {
		g->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

/* POST body to url signed with secret; 0 when the receiver answered 2xx.
** *code: the HTTP status (0 when there was none); why: the failure. */
static int post(const char *url, const char *secret, const char *body, int allow_private, long *code, char *why,
		size_t whysize)
{
	pthread_once(&curl_once, curl_start);
	*code = 0;
	if (curl_ready != CURLE_OK) {
		snprintf(why, whysize, "the HTTP library did not start");
		return -1;
	}
	char ts[24], sig[72], h1[64], h2[128], err[CURL_ERROR_SIZE] = "";
	snprintf(ts, sizeof ts, "%lld", (long long)rp_now());
	webhook_sign(secret, ts, body, strlen(body), sig);
	snprintf(h1, sizeof h1, "X-Rapport-Timestamp: %s", ts);
	snprintf(h2, sizeof h2, "X-Rapport-Signature: %s", sig);
	CURL *c = curl_easy_init();
	struct curl_slist *hs = NULL, *t;
	const char *lines[] = {"Content-Type: application/json", "User-Agent: rapport/" RAPPORT_VERSION, h1, h2,
			       "Expect:"};
	for (size_t i = 0; c && i < sizeof lines / sizeof lines[0]; i++) {
		if (!(t = curl_slist_append(hs, lines[i]))) {
			curl_slist_free_all(hs);
			hs = NULL;
			break;
		}
		hs = t;
	}
	if (!c || !hs) {
		curl_slist_free_all(hs);
		if (c)
			curl_easy_cleanup(c);
		snprintf(why, whysize, "out of memory");
		return -1;
	}
	guard g = {allow_private, 0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_checked);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &g);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* a server thread must not get SIGALRM */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	sodium_memzero(sig, sizeof sig);
	if (g.refused) {
		snprintf(why, whysize, "the address is on this machine or a private network (webhook.private is 0)");
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(why, whysize, "%s", err[0] ? err : curl_easy_strerror(rc));
		return -1;
	}
	if (*code < 200 || *code > 299) {
		snprintf(why, whysize, "the receiver answered %ld", *code);
		return -1;
	}
	why[0] = 0;
	return 0;
}

typedef struct job {
	int64_t id, hook, created, attempts, next;
	char *url, *secret, *body;
} job;

static void job_free(job *j)
{
	free(j->url);
	if (j->secret)
		sodium_memzero(j->secret, strlen(j->secret));
	free(j->secret);
	free(j->body);
	memset(j, 0, sizeof *j);
}

/* The oldest pending delivery of webhook hook into *j; RP_ENOTFOUND when
** there is none. */
static int oldest(db *d, int64_t hook, job *j, rp_err *e)
{
	db_stmt *s = db_query(d, e,
			      "SELECT q.id, q.event, q.data, q.created_at, q.attempts, q.next_at, w.url, w.secret"
			      " FROM webhook_delivery q JOIN webhook w ON w.id = q.webhook_id"
			      " WHERE q.webhook_id = $1 AND q.status = 'pending' ORDER BY q.id LIMIT 1",
			      "i", hook);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		j->id = db_col_int(s, 0);
		j->hook = hook;
		j->created = db_col_int(s, 3);
		j->attempts = db_col_int(s, 4);
		j->next = db_col_int(s, 5);
		j->url = strdup(db_col_text(s, 6));
		j->secret = strdup(db_col_text(s, 7));
		char at[21];
		rp_ts_format(j->created, at);
		json_t *data = json_loads(db_col_text(s, 2), 0, NULL);
		json_t *o = json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)j->id, "event", db_col_text(s, 1), "at",
				      at, "data", data ? data : json_object());
		j->body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(o);
	}
	db_reset(s);
	if (rc == DB_DONE)
		return RP_ENOTFOUND;
	if (rc != DB_ROW)
		return rc;
	if (!j->url || !j->secret || !j->body) {
		job_free(j);
		return rp_errf(e, RP_ENOMEM, "out of memory");
	}
	return 0;
}

/* Send the due deliveries of one webhook, in order, until one fails or
** none is due. */
static int deliver_hook(db *d, int64_t hook, int64_t base, int allow_private, int64_t *sent, int64_t *failed,
			rp_err *e)
{
	for (;;) {
		job j = {0};
		int64_t now = rp_now();
		int rc = oldest(d, hook, &j, e);
		if (rc == RP_ENOTFOUND)
			return 0;
		if (rc)
			return rc;
		if (j.next > now) {
			job_free(&j);
			return 0;
		}
		/* Take it: another sender (the server, a second 'webhook deliver')
		** sees it due only after the lease. */
		rc = db_run(d, e,
			    "UPDATE webhook_delivery SET next_at = $2 WHERE id = $1 AND status = 'pending' AND next_at = $3",
			    "iii", j.id, now + LEASE, j.next);
		if (rc || db_changes(d) != 1) {
			job_free(&j);
			return rc;
		}
		long code;
		char why[CURL_ERROR_SIZE + 100];
		int ok = post(j.url, j.secret, j.body, allow_private, &code, why, sizeof why) == 0;
		int64_t done = rp_now(), tries = j.attempts + 1;
		int64_t next = done + webhook_backoff(base, tries);
		const char *status = ok ? "delivered" : next > j.created + GIVE_UP ? "failed" : "pending";
		rc = db_run(d, e,
			    "UPDATE webhook_delivery SET status = $2, attempts = $3,"
			    " next_at = CASE WHEN $2 = 'pending' THEN $4 END, last_at = $5,"
			    " last_code = NULLIF($6, 0), last_error = $7 WHERE id = $1",
			    "itiii" "it", j.id, status, tries, next, done,
			    (int64_t)code, ok ? NULL : why);
		job_free(&j);
		if (rc)
			return rc;
		if (ok)
			++*sent;
		else if (!strcmp(status, "failed"))
			++*failed;
		else
			return 0; /* the later ones wait for this one */
	}
}

int webhook_deliver(db *d, json_t **out, rp_err *e)
{
	int64_t base, priv, sent = 0, failed = 0;
	int rc;
	if ((rc = setting_int(d, "webhook.backoff_seconds", 10, &base, e)) ||
	    (rc = setting_int(d, "webhook.private", 0, &priv, e)))
		return rc;
	db_stmt *s = db_query(d, e,
			      "SELECT DISTINCT webhook_id FROM webhook_delivery WHERE status = 'pending' AND next_at <= $1"
			      " ORDER BY webhook_id",
			      "i", rp_now());
	if (!s)
		return e->code;
	int64_t hooks[256];
	size_t n = 0;
	while ((rc = db_step(s, e)) == DB_ROW)
		if (n < sizeof hooks / sizeof hooks[0])
			hooks[n++] = db_col_int(s, 0);
	db_reset(s);
	if (rc != DB_DONE)
		return rc;
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = deliver_hook(d, hooks[i], base, priv != 0, &sent, &failed, e);
	if (!rc && out)
		*out = json_pack("{s:I,s:I}", "delivered", (json_int_t)sent, "given_up", (json_int_t)failed);
	return rc;
}
