/* Helpers shared by the core modules only. */
#ifndef RP_CORE_H
#define RP_CORE_H

#include "rapport.h"

/* A text column as a JSON string, or JSON null for SQL NULL. */
json_t *col_json_text(db_stmt *s, int i);
/* An integer column as a JSON integer, or null. */
json_t *col_json_int(db_stmt *s, int i);
/* A Unix-seconds column as an ISO 8601 UTC string, or null. */
json_t *col_json_ts(db_stmt *s, int i);

/* Step s to the end, turning each row into a JSON value with row(s), and
** give back the statement.  *out receives the array; on an error it is
** NULL and the code is returned. */
int rows_json(db_stmt *s, json_t *(*row)(db_stmt *s), json_t **out, rp_err *e);

/* Copy of s without leading and trailing ASCII white space (malloc'd). */
char *str_trim(const char *s);
/* 1 if s is one or more ASCII digits and nothing else (an id). */
int str_digits(const char *s);
/* 1 if s is NULL or only white space. */
int str_blank(const char *s);
/* Escape % _ and \ for LIKE ... ESCAPE '\', wrapped in % on both sides. */
char *like_pattern(const char *folded);

/* Check a value against a NULL-terminated list of allowed words. */
int one_of(const char *v, const char *const *allowed);
/* "a, b or c" for messages. */
const char *words_list(const char *const *allowed, char *buf, size_t size);

/* Valid UTF-8 text of at most max bytes, else RP_EINVAL naming the field. */
int check_text(const char *field, const char *v, size_t max, rp_err *e);

/* RP_ENOTFOUND, with a message saying how to find one, unless contact id exists. */
int contact_exists(db *d, int64_t id, rp_err *e);
/* A tag folded (case, ё) as contacts' tags are, malloc'd; NULL with e set
** when it is empty, too long or holds ; , or a line break. */
char *tag_key(const char *raw, rp_err *e);

/* ---- spreadsheet layouts (core/layout.c), for import csv ------------- */

typedef struct layout layout;
/* Strings a person read from a row points into, freed with layout_pool_free. */
typedef struct layout_pool {
	char *s[4 * UPSERT_MAX + 32];
	int n, oom;
} layout_pool;
char *layout_keep(layout_pool *p, char *s);
void layout_pool_free(layout_pool *p);
extern const char *const layout_fields[];
/* The columns of header h (n names): by the layout named (google,
** outlook, rapport), or the one the header shows (name NULL), with map
** ("Column=field,...") on top.  The columns no rule knows are appended to
** ignored.  NULL with e set when the header cannot be read so. */
layout *layout_new(const char *name, const char *map, char **h, size_t n, json_t *ignored, rp_err *e);
const char *layout_name(const layout *l);
void layout_free(layout *l);
/* A row into a person (pointing into f and pool): 0, or -1 with msg
** saying what is wrong with the row, or -2 when out of memory. */
int layout_person(const layout *l, char **f, size_t n, contact_up *u, layout_pool *pool, char *msg, size_t size);

/* Moved by every story added, and every contact removed or erased, in this
** process: what similar.c's per-thread document frequencies were counted
** at (other processes' stories show as a new largest id). */
extern _Atomic unsigned long story_generation;

/* 0 when kind is NULL, empty or a story kind, else RP_EINVAL listing them. */
int story_kind_check(const char *kind, rp_err *e);

/* A day given by a person (YYYY-MM-DD, what names it in the message) in
** its canonical form into buf, or RP_EINVAL. */
int day_check(const char *what, const char *day, char buf[11], rp_err *e);

/* The defections of side ("company" or "client") on or after since
** (YYYY-MM-DD) that no later cooperation of that side answers (the
** made-good rule of core/trust.c), the oldest per contact, oldest first,
** of owner's contacts (NULL: all) and members of community (0: any):
** [{"contact": {"id", "name"}, "on", "text", "act"}]. */
int trust_standing(db *d, const char *side, const char *since, const char *owner, int64_t community, json_t **out,
		   rp_err *e);

/* ---- themes (core/similar.c), for the report (core/report.c) ---------- */

typedef struct themes_q {
	const char *since;   /* YYYY-MM-DD: stories told on or after it */
	const char *kind;    /* NULL: every kind */
	story_method method;
	double threshold;    /* cosine to join a theme; 0: the method's default */
	int64_t max;         /* newest stories considered; 0: 5,000 */
	int by;              /* 0, or 'm' (month) or 'q' (quarter): count each theme's stories by period */
	rp_date start;       /* the first period's first day, with by */
	int nperiods;
} themes_q;
/* The themes of the stories q selects, largest first, as story_themes
** lists them (with "by_period" when q->by is set).  *capped: more stories
** matched than were considered; *considered: how many were. */
int themes_run(db *d, const themes_q *q, json_t **themes, int *capped, int64_t *considered, rp_err *e);

/* ---- links in messages (core/optin.c), for the outbox ---------------- */

/* A link's secret: 256 random bits as base64url, 43 characters. */
#define LINK_TOKEN 44
/* A new link of kind "confirm" or "withdraw" for the contact's consent to
** purpose by channel, expiring at expires (0: never).  token receives the
** secret for the message; the store keeps only its hash. */
int link_make(db *d, int64_t contact, const char *channel, const char *purpose, const char *kind, int64_t expires,
	      char token[LINK_TOKEN], rp_err *e);
/* public_url + the route that follows a link of kind, malloc'd. */
char *link_url(const char *public_url, const char *kind, const char *token);
/* Words for messages and pages: "news", "by email" (lang "en" or "ru"). */
const char *purpose_words(const char *purpose, const char *lang);
const char *channel_words(const char *channel, const char *lang);

/* The confirmation of a signup (core/outbox.c), for optin_signup only: the
** one message the gate lets through without a granted consent, because it
** asks for one.  It goes only while the consent to purpose by email is
** pending, and its text is the gate's own. */
int outbox_confirmation(db *d, int64_t contact, const char *purpose, const char *lang, rp_err *e);

/* A merge's journal in the making (core/merge.c): merge_begin reads every
** row naming either contact, merge_end compares with what the merge left
** and writes merge_journal.  Both run inside the merge's transaction. */
typedef struct merge_capture {
	void *refs;
	int nrefs;
	json_t *before;
	int64_t keep, other;
} merge_capture;
int merge_begin(db *d, merge_capture *m, int64_t keep, int64_t other, rp_err *e);
int merge_end(db *d, merge_capture *m, const char *by, int64_t *id, rp_err *e);
void merge_capture_free(merge_capture *m);

/* Secrets shown once (core/account.c): a new random token (64 hex
** characters) with the hex of its BLAKE2b hash, which is all the store
** keeps; and the hash of a token given back (-1 when its length cannot be
** one's).  Looking up the hash, not the token, leaves no timing clue. */
void token_new(char token[65], char hash[65]);
int token_hash(const char *token, char hash[65]);

#endif
