/*
** intake: the public request form, and the triage of what comes in.
**
** Anyone may send a request (name, email or phone, a message, answers to
** the profile's questions, and consent to be written to about it).  It is
** refused, writing nothing but the throttle's count, when the address sent
** too many in the last 15 minutes (the same throttle as the signup), when
** it is malformed, or when it looks like spam: the hidden field filled in
** (a person never sees it), links in the message, texts over their limits.
** An accepted one is scored against the profile at once (core/align.c) and
** waits as pending with its verdict and reasons, in both languages.
**
** A person accepts it (the contact is made with the answers as traits,
** source questionnaire, at stage attention, or yes when the form recorded a
** consent) or declines it: the reply is a polite template in the request's
** language, kept with the request and given back for the team to send;
** rapport does not send it, since the person gave no consent to messages
** beyond their request.  A declined request is the person's data kept for
** no purpose: it is purged intake.keep_days (default 90) after the decision.
*/
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INTAKE_PER_ADDRESS 10 /* per 15 minutes, as many as signups */
#define NAME_MAX_BYTES 200
#define MESSAGE_MAX_BYTES 4000

static int ru(const char *lang) { return lang && !strcmp(lang, "ru"); }

/* ---- retention ---------------------------------------------------------------- */

static int purge_declined(db *d, rp_err *e)
{
	int64_t days = 90;
	int rc = setting_int(d, "intake.keep_days", 90, &days, e);
	if (!rc)
		rc = db_run(d, e, "DELETE FROM intake_request WHERE status = 'declined' AND decided_at < $1", "i",
			    rp_now() - days * 86400);
	return rc;
}

/* ---- the questions and the form ------------------------------------------------ */

int intake_questions(db *d, const char *lang, json_t **out, rp_err *e)
{
	align_profile p;
	int rc = align_profile_load(d, lang, &p, e);
	if (rc)
		return rc;
	json_t *q = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(q, json_pack("{s:s,s:s,s:s,s:s}", "key", p.dims[i].key, "question",
						   *p.dims[i].question ? p.dims[i].question : p.dims[i].key, "left",
						   p.dims[i].left, "right", p.dims[i].right));
	align_profile_free(&p);
	*out = json_pack("{s:o}", "questions", q);
	return 0;
}

static json_t *field(const char *name, const char *kind, const char *label, int required)
{
	return json_pack("{s:s,s:s,s:s,s:b}", "name", name, "kind", kind, "label", label, "required", required);
}

int intake_form(db *d, const char *lang, json_t **out, rp_err *e)
{
	json_t *q = NULL;
	int rc = intake_questions(d, lang, &q, e);
	if (rc)
		return rc;
	int r = ru(lang);
	json_t *f = json_array();
	json_array_append_new(f, field("name", "text", r ? "Как вас зовут" : "Your name", 1));
	json_array_append_new(f, field("email", "email", r ? "Электронная почта" : "Email", 0));
	json_array_append_new(f, field("phone", "tel", r ? "Телефон" : "Phone", 0));
	json_array_append_new(f, field("message", "textarea", r ? "С чем мы можем помочь?" : "How can we help?", 1));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(q, "questions"), i, x)
	{
		char name[64];
		snprintf(name, sizeof name, "a.%s", json_string_value(json_object_get(x, "key")));
		json_t *s = field(name, "scale", json_string_value(json_object_get(x, "question")), 0);
		json_object_set(s, "left", json_object_get(x, "left"));
		json_object_set(s, "right", json_object_get(x, "right"));
		json_array_append_new(f, s);
	}
	json_decref(q);
	json_array_append_new(f, field("consent_email", "check",
				       r ? "Можно написать мне на почту по поводу моей заявки"
					 : "You may email me about my request",
				       0));
	json_array_append_new(f, field("consent_phone", "check",
				       r ? "Можно позвонить мне по поводу моей заявки" : "You may call me about my request",
				       0));
	json_array_append_new(f, field("website", "trap", "Website", 0));
	*out = json_pack("{s:s,s:s,s:s,s:s,s:o}", "title", r ? "Заявка" : "Send us a request", "text",
			 r ? "Расскажите о себе и о том, что вам нужно: мы ответим, подходим ли мы друг другу."
			   : "Tell us about yourself and what you need: we will answer whether we are a good match.",
			 "button", r ? "Отправить" : "Send", "action", "/intake", "fields", f);
	return 0;
}

/* ---- checking a request ------------------------------------------------------------ */

static int has_link(const char *s)
{
	static const char *const marks[] = {"http://", "https://", "www.", "<a ", "[url", NULL};
	for (const char *p = s; p && *p; p++)
		for (int i = 0; marks[i]; i++)
			if (!strncasecmp(p, marks[i], strlen(marks[i])))
				return 1;
	return 0;
}

static int spam(const char *lang, rp_err *e)
{
	return rp_errf(e, RP_EINVAL,
		       ru(lang) ? "Заявка отклонена как спам: уберите ссылки из сообщения и отправьте ещё раз."
				: "The request was refused as spam: remove any links from the message and send it again.");
}

/* Check in, score it against p, and fill the canonical email and phone. */
static int request_check(const intake_in *in, align_profile *p, char *email, size_t esize, char *phone, size_t psize,
			 rp_err *e)
{
	int rc;
	if (!str_blank(in->website) || has_link(in->message) || has_link(in->name))
		return spam(in->lang, e);
	if (str_blank(in->name))
		return rp_errf(e, RP_EINVAL, "send \"name\": how the person is called");
	if (str_blank(in->message))
		return rp_errf(e, RP_EINVAL, "send \"message\": what the person asks for");
	if ((rc = check_text("name", in->name, NAME_MAX_BYTES, e)) ||
	    (rc = check_text("message", in->message, MESSAGE_MAX_BYTES, e)))
		return rc;
	email[0] = phone[0] = 0;
	if (!str_blank(in->email) && (rc = contact_channel_value("email", in->email, email, esize, e)))
		return rc;
	if (!str_blank(in->phone) && (rc = contact_channel_value("phone", in->phone, phone, psize, e)))
		return rc;
	if (!email[0] && !phone[0])
		return rp_errf(e, RP_EINVAL, "send \"email\" or \"phone\": how to answer the request");
	if (in->answers && !json_is_object(in->answers))
		return rp_errf(e, RP_EINVAL, "\"answers\" must be an object {dimension: number from -1 to 1}");
	const char *k;
	json_t *v;
	json_object_foreach(in->answers, k, v)
	{
		size_t i = 0;
		while (i < p->n && strcmp(p->dims[i].key, k))
			i++;
		if (i == p->n)
			return rp_errf(e, RP_EINVAL, "\"answers\" names \"%.40s\", which is not a question of the form", k);
		if (!json_is_number(v) || (rc = align_check_number("an answer", json_number_value(v), -1, 1, e)))
			return rc ? rc : rp_errf(e, RP_EINVAL, "the answer to \"%s\" must be a number from -1 to 1", k);
	}
	if (in->consent && !json_is_object(in->consent))
		return rp_errf(e, RP_EINVAL, "\"consent\" must be an object {\"email\": true|false, \"phone\": true|false}");
	json_object_foreach(in->consent, k, v)
	{
		if ((strcmp(k, "email") && strcmp(k, "phone")) || !json_is_boolean(v))
			return rp_errf(e, RP_EINVAL, "\"consent\" takes \"email\" and \"phone\", each true or false");
		if (json_is_true(v) && !(!strcmp(k, "email") ? email[0] : phone[0]))
			return rp_errf(e, RP_EINVAL, "consent to be written to by %s needs the %s itself", k, k);
	}
	return 0;
}

int intake_submit(db *d, const intake_in *in, json_t **out, rp_err *e)
{
	char key[128], email[320], phone[64];
	snprintf(key, sizeof key, "intake:%.100s", in->address ? in->address : "");
	int rc = throttle_check(d, key, INTAKE_PER_ADDRESS, "requests from this address", e);
	if (rc)
		return rc;
	throttle_count(d, key);
	align_profile en, rus;
	if ((rc = align_profile_load(d, "en", &en, e)))
		return rc;
	if ((rc = align_profile_load(d, "ru", &rus, e))) {
		align_profile_free(&en);
		return rc;
	}
	json_t *answers = in->answers ? json_incref(in->answers) : json_object();
	json_t *a_en = NULL, *a_ru = NULL;
	rc = request_check(in, &en, email, sizeof email, phone, sizeof phone, e);
	if (!rc) {
		a_en = align_answers(&en, answers, "en");
		a_ru = align_answers(&rus, answers, "ru");
	}
	align_profile_free(&en);
	align_profile_free(&rus);
	if (rc) {
		json_decref(answers);
		return rc;
	}
	json_t *consent = json_pack("{s:b,s:b}", "email", json_is_true(json_object_get(in->consent, "email")), "phone",
				    json_is_true(json_object_get(in->consent, "phone")));
	json_t *reasons = json_pack("{s:{s:O,s:O},s:{s:O,s:O}}", "en", "for", json_object_get(a_en, "for"), "against",
				    json_object_get(a_en, "against"), "ru", "for", json_object_get(a_ru, "for"), "against",
				    json_object_get(a_ru, "against"));
	char *ta = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS), *tc = json_dumps(consent, JSON_COMPACT),
	     *tr = json_dumps(reasons, JSON_COMPACT);
	json_t *score = json_object_get(a_en, "score");
	int64_t id = 0;
	char *name = str_trim(in->name), *message = str_trim(in->message);
	if (!ta || !tc || !tr || !name || !message)
		rc = rp_errf(e, RP_ENOMEM, "out of memory");
	if (!rc)
		rc = db_begin(d, e);
	if (!rc && !(rc = purge_declined(d, e))) {
		const char *sql =
			"INSERT INTO intake_request(received_at, name, email, phone, message, answers, consent, lang,"
			" score, coverage, verdict, reasons) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
			" RETURNING id";
		int64_t cov = llround(json_number_value(json_object_get(a_en, "coverage")) * 1000);
		const char *verdict = json_string_value(json_object_get(a_en, "verdict"));
		db_stmt *s = json_is_number(score)
				     ? db_query(d, e, sql, "itttttttiitt",
						rp_now(), name, email[0] ? email : NULL, phone[0] ? phone : NULL, message, ta,
						tc, ru(in->lang) ? "ru" : "en", (int64_t)llround(json_number_value(score) * 1000),
						cov, verdict, tr)
				     : db_query(d, e, sql, "itttttttnitt", rp_now(), name, email[0] ? email : NULL,
						phone[0] ? phone : NULL, message, ta, tc, ru(in->lang) ? "ru" : "en", cov,
						verdict, tr);
		if (!s)
			rc = e->code;
		else if ((rc = db_step(s, e)) == DB_ROW) {
			id = db_col_int(s, 0);
			rc = 0;
		}
		if (s)
			db_reset(s);
		if (!rc)
			rc = db_commit(d, e);
		else
			db_rollback(d);
	}
	free(ta);
	free(tc);
	free(tr);
	free(name);
	free(message);
	json_decref(answers);
	json_decref(consent);
	json_decref(reasons);
	json_decref(a_en);
	json_decref(a_ru);
	if (rc)
		return rc;
	*out = json_pack("{s:b,s:I}", "received", 1, "id", (json_int_t)id);
	return 0;
}

/* ---- the HTML form's body ------------------------------------------------------------ */

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode one urlencoded component in place; -1 on a bad escape. */
static int url_decode(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '+')
			*w++ = ' ';
		else if (*r == '%') {
			int h = hex(r[1]), l = h < 0 ? -1 : hex(r[2]);
			if (h < 0 || l < 0)
				return -1;
			*w++ = (char)(h * 16 + l);
			r += 2;
		} else
			*w++ = *r;
	}
	*w = 0;
	return 0;
}

int intake_submit_form(db *d, const char *body, const char *address, const char *lang, json_t **out, rp_err *e)
{
	char *copy = strdup(body ? body : ""), *save = NULL;
	if (!copy)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	json_t *f = json_object(), *answers = json_object(), *consent = json_object();
	int rc = 0;
	for (char *pair = strtok_r(copy, "&", &save); pair && !rc; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '='), none[1] = "";
		/* A field without '=' has an empty value: a writable one, as
		** url_decode writes its end (a string literal here crashed the
		** server on a body like "name"). */
		char *v = none;
		if (eq) {
			*eq = 0;
			v = eq + 1;
		}
		if (url_decode(pair) || url_decode(v))
			rc = rp_errf(e, RP_EINVAL, "the form's data is malformed");
		else if (!strncmp(pair, "a.", 2)) {
			char *end = NULL;
			double x = strtod(v, &end);
			if (!*v)
				continue;
			if (!end || *end || !isfinite(x)) /* an infinite answer would be dropped unseen */
				rc = rp_errf(e, RP_EINVAL, "the answer to \"%.40s\" must be a number from -1 to 1", pair + 2);
			else
				json_object_set_new(answers, pair + 2, json_real(x));
		} else if (!strcmp(pair, "consent_email") || !strcmp(pair, "consent_phone"))
			json_object_set_new(consent, pair + 8, json_true());
		else {
			json_t *s = json_string(v);
			if (!s)
				rc = rp_errf(e, RP_EINVAL, "the form's field \"%.40s\" is not valid UTF-8 text", pair);
			else
				json_object_set_new(f, pair, s);
		}
	}
	free(copy);
	if (!rc) {
		intake_in in = {.name = json_string_value(json_object_get(f, "name")),
				.email = json_string_value(json_object_get(f, "email")),
				.phone = json_string_value(json_object_get(f, "phone")),
				.message = json_string_value(json_object_get(f, "message")),
				.website = json_string_value(json_object_get(f, "website")),
				.answers = answers,
				.consent = consent,
				.address = address,
				.lang = lang};
		json_t *res = NULL;
		rc = intake_submit(d, &in, &res, e);
		if (!rc) {
			*out = json_pack("{s:s,s:s,s:O}", "title", ru(lang) ? "Спасибо!" : "Thank you!", "text",
					 ru(lang) ? "Мы получили вашу заявку и скоро ответим."
						  : "We received your request and will answer soon.",
					 "id", json_object_get(res, "id"));
			json_object_set_new(*out, "received", json_true());
		}
		json_decref(res);
	}
	json_decref(f);
	json_decref(answers);
	json_decref(consent);
	return rc;
}

/* ---- triage ------------------------------------------------------------------------ */

static json_t *parsed(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	return j ? j : json_null();
}

static const char *const statuses[] = {"pending", "accepted", "declined", NULL};

#define REQUEST_COLS                                                                                               \
	"SELECT id, received_at, name, email, phone, message, answers, consent, score, verdict, reasons, status,"  \
	" decided_at, decided_by, reply, contact_id, lang, coverage FROM intake_request"

static json_t *request_row(db_stmt *s, const char *lang)
{
	json_t *reasons = parsed(db_col_text(s, 10));
	json_t *mine = json_object_get(reasons, ru(lang) ? "ru" : "en");
	json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:O,s:O,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
			      (json_int_t)db_col_int(s, 0), "received_at", col_json_ts(s, 1), "name", col_json_text(s, 2),
			      "email", col_json_text(s, 3), "phone", col_json_text(s, 4), "message", col_json_text(s, 5),
			      "answers", parsed(db_col_text(s, 6)), "consent", parsed(db_col_text(s, 7)), "score",
			      db_col_null(s, 8) ? json_null() : json_real(db_col_int(s, 8) / 1000.0), "verdict",
			      col_json_text(s, 9), "for", json_object_get(mine, "for") ? json_object_get(mine, "for") : json_array(),
			      "against", json_object_get(mine, "against") ? json_object_get(mine, "against") : json_array(),
			      "status", col_json_text(s, 11), "decided_at", col_json_ts(s, 12), "decided_by",
			      col_json_text(s, 13), "reply", col_json_text(s, 14), "contact_id", col_json_int(s, 15), "lang",
			      col_json_text(s, 16), "coverage", json_real(db_col_int(s, 17) / 1000.0));
	json_decref(reasons);
	return o;
}

int intake_list(db *d, const char *status, const char *lang, json_t **out, rp_err *e)
{
	if (status && !one_of(status, statuses)) {
		char buf[64];
		return rp_errf(e, RP_EINVAL, "status is %s, not \"%s\"", words_list(statuses, buf, sizeof buf), status);
	}
	db_stmt *s = db_query(d, e, REQUEST_COLS " WHERE $1 IS NULL OR status = $1 ORDER BY received_at DESC, id DESC",
			      "t", status);
	if (!s)
		return e->code;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(list, request_row(s, lang));
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o}", "requests", list);
	return 0;
}

/* The pending request id, as request_row shows it (inside the caller's transaction). */
static int pending(db *d, int64_t id, json_t **out, rp_err *e)
{
	db_stmt *s = db_query(d, e, REQUEST_COLS " WHERE id = $1", "i", id);
	if (!s)
		return e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		*out = request_row(s, "en");
	db_reset(s);
	if (rc == DB_DONE)
		return rp_errf(e, RP_ENOTFOUND, "no intake request %lld; see 'rapport intake list'", (long long)id);
	if (rc != DB_ROW)
		return rc;
	const char *st = json_string_value(json_object_get(*out, "status"));
	if (strcmp(st, "pending")) {
		rc = rp_errf(e, RP_ECONFLICT, "intake request %lld was %s already", (long long)id, st);
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

static int decide(db *d, int64_t id, const char *status, const char *by, const char *reply, int64_t contact,
		  rp_err *e)
{
	int rc = contact ? db_run(d, e,
				  "UPDATE intake_request SET status = $2, decided_at = $3, decided_by = $4, contact_id = $5"
				  " WHERE id = $1",
				  "ititi", id, status, rp_now(), by, contact)
			 : db_run(d, e,
				  "UPDATE intake_request SET status = $2, decided_at = $3, decided_by = $4, reply = $5"
				  " WHERE id = $1",
				  "ititt", id, status, rp_now(), by, reply);
	return rc ? rc : purge_declined(d, e);
}

int intake_accept(db *d, int64_t id, const char *stage, const char *by, json_t **out, rp_err *e)
{
	if (!stage)
		stage = "attention";
	if (strcmp(stage, "attention") && strcmp(stage, "yes"))
		return rp_errf(e, RP_EINVAL, "an accepted request starts at stage attention or yes, not \"%s\"", stage);
	json_t *r = NULL;
	int rc = db_begin(d, e);
	if (!rc)
		rc = pending(d, id, &r, e);
	json_t *consent = json_object_get(r, "consent");
	int by_email = json_is_true(json_object_get(consent, "email")), by_phone = json_is_true(json_object_get(consent, "phone"));
	if (!rc && !strcmp(stage, "yes") && !by_email && !by_phone)
		rc = rp_errf(e, RP_EINVAL,
			     "stage yes needs the person's consent, and the form recorded none: accept at stage attention");
	const char *email = json_string_value(json_object_get(r, "email")),
		   *phone = json_string_value(json_object_get(r, "phone"));
	const char *emails[1] = {email}, *phones[1] = {phone};
	contact_in in = {.name = json_string_value(json_object_get(r, "name")),
			 .email = {emails, email ? 1 : 0},
			 .phone = {phones, phone ? 1 : 0}};
	int64_t contact = 0;
	if (!rc)
		rc = contact_add(d, &in, &contact, e);
	char why[64];
	snprintf(why, sizeof why, "intake request %lld accepted", (long long)id);
	ladder_in move = {.to = "attention", .cause = "person", .why = why, .by = by};
	if (!rc)
		rc = ladder_move(d, contact, &move, e);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(r, "answers"), k, v)
	{
		trait_in t = {.contact = contact, .dimension = k, .value = json_number_value(v), .source = "questionnaire",
			      .by = by};
		if (!rc)
			rc = trait_set(d, &t, NULL, e);
	}
	/* The consent the form recorded, with what the person was shown; a
	** granted consent lifts them to yes. */
	char *ev = NULL;
	if (!rc && (by_email || by_phone)) {
		/* What the form showed beside the boxes, in the language it was shown in. */
		int r_ru = ru(json_string_value(json_object_get(r, "lang")));
		json_t *j = json_pack("{s:s,s:I,s:O,s:s}", "how", "intake form", "request", (json_int_t)id, "at",
				      json_object_get(r, "received_at"), "shown",
				      r_ru ? "Можно написать мне на почту / позвонить мне по поводу моей заявки"
					   : "You may email me / call me about my request");
		ev = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
	}
	static const char *const channels[] = {"email", "phone"};
	for (int i = 0; i < 2 && !rc; i++) {
		if (!(i ? by_phone : by_email))
			continue;
		consent_in c = {.channel = channels[i], .purpose = "service", .state = "granted", .how = "form",
				.evidence = ev, .by = by};
		rc = consent_set(d, contact, &c, NULL, e);
	}
	free(ev);
	if (!rc && !strcmp(stage, "yes")) {
		ladder_in up = {.to = "yes", .cause = "person", .why = why, .by = by};
		rc = ladder_raise(d, contact, &up, e);
	}
	if (!rc)
		rc = decide(d, id, "accepted", by, NULL, contact, e);
	if (!rc)
		rc = db_commit(d, e);
	else
		db_rollback(d);
	if (!rc)
		*out = json_pack("{s:I,s:s,s:{s:I,s:O}}", "id", (json_int_t)id, "status", "accepted", "contact", "id",
				 (json_int_t)contact, "name", json_object_get(r, "name"));
	json_decref(r);
	return rc;
}

int intake_decline(db *d, int64_t id, const char *text, const char *by, json_t **out, rp_err *e)
{
	json_t *r = NULL;
	int rc = check_text("template", text, 1000, e);
	if (rc || (rc = db_begin(d, e)))
		return rc;
	rc = pending(d, id, &r, e);
	char reply[1024];
	if (!rc) {
		const char *name = json_string_value(json_object_get(r, "name"));
		const char *lang = json_string_value(json_object_get(r, "lang"));
		if (!str_blank(text))
			snprintf(reply, sizeof reply, "%s", text);
		else if (ru(lang))
			snprintf(reply, sizeof reply,
				 "Здравствуйте, %s! Спасибо, что написали нам. Мы внимательно прочитали вашу заявку и думаем,"
				 " что другие смогут помочь вам лучше, чем мы: мы работаем иначе, чем вам нужно. Желаем"
				 " вам найти именно то, что вы ищете.",
				 name);
		else
			snprintf(reply, sizeof reply,
				 "Dear %s, thank you for writing to us. We read your request carefully and believe others"
				 " can serve you better than we can: the way we work is not what you are looking for. We wish"
				 " you every success in finding just the right match.",
				 name);
		rc = decide(d, id, "declined", by, reply, 0, e);
	}
	if (!rc)
		rc = db_commit(d, e);
	else
		db_rollback(d);
	if (!rc)
		*out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "declined", "reply", reply);
	json_decref(r);
	return rc;
}
