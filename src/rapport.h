/*
** rapport: the map.
**
** Four layers, data flowing one way:
**
**   cli/ and (later) http/   edges: turn argv or a request into an operation
**   ops/                     the one table of operations both edges share
**   core/                    the domain, one module per concept, below
**   db/ model/ format/ util/ the store boundary, pure math, pure parsing
**
** Every core function that can fail takes an rp_err* last and returns 0 or
** an RP_ code (util/err.h).  Reads return their result as a JSON value the
** caller owns (json_decref), so the CLI's --json and the API answer with the
** same document.  Writes that belong together run in one transaction.
*/
#ifndef RAPPORT_H
#define RAPPORT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

#define RAPPORT_VERSION "0.1.0"

/* A list of strings borrowed from the caller. */
typedef struct rp_strs {
	const char **v;
	size_t n;
} rp_strs;

/* ---- store (core/store.c, core/schema.c) ------------------------------ */

extern const db_migration rp_migrations[];
extern const int rp_nmigrations;

/* A data table: its name, the columns that order its rows (its primary
** key; key[0] is NULL for a table without one) and its integer columns
** (the others are text), each list ending at the first NULL. */
typedef struct rp_table {
	const char *name;
	const char *key[4];
	const char *ints[8];
} rp_table;
/* Every data table, parents before children (core/schema.c).  A new
** migration's tables and columns must be added there. */
extern const rp_table rp_tables[];
extern const int rp_ntables;

/* Open the store at target and bring its schema up to date.  create: make
** the file when it does not exist (only 'rapport init' does). */
int store_open(const char *target, int create, db **out, rp_err *e);

/* Settings: small named values with defaults (e.g. "cadence.close"). */
int setting_int(db *d, const char *key, int64_t dflt, int64_t *out, rp_err *e);
int setting_set(db *d, const char *key, const char *value, rp_err *e);
int setting_list(db *d, json_t **out, rp_err *e);

/* ---- contact (core/contact.c) ----------------------------------------- */

/* What a person tells us about a contact.  NULL fields are left alone by
** contact_edit; the lists add, and the rm_ lists (edit only) remove. */
typedef struct contact_in {
	int64_t id;           /* add: keep this id (imports); 0 assigns one */
	const char *name;
	const char *address;  /* "ty" or "vy"; "" clears (edit) */
	const char *tier;     /* panel, close, regular, distant */
	const char *owner;    /* team member's login; "" clears (edit) */
	const char *note;
	const char *birthday; /* YYYY-MM-DD or --MM-DD; "" or "none" clears (edit) */
	rp_strs email, phone, messenger, postal, tag;
	rp_strs rm_email, rm_phone, rm_messenger, rm_postal, rm_tag;
} contact_in;

/* Validate and add a contact; *id receives its id. */
int contact_add(db *d, const contact_in *in, int64_t *id, rp_err *e);
int contact_edit(db *d, int64_t id, const contact_in *in, rp_err *e);
/* Remove a contact and everything about them (facts, dates, interactions). */
int contact_rm(db *d, int64_t id, rp_err *e);
/* Move everything about other to keep and remove other. */
int contact_merge(db *d, int64_t keep, int64_t other, rp_err *e);

/* Name a contact by its id or by any unique part of its name (case, ё and
** script-insensitive).  No match is RP_ENOTFOUND; several are RP_EAMBIG
** with the candidates listed in the message. */
int contact_resolve(db *d, const char *ref, int64_t *id, rp_err *e);

/* The contact card: the contact with channels, dates, tags, facts,
** relations and recent interactions. */
int contact_card(db *d, int64_t id, json_t **out, rp_err *e);

typedef struct contact_filter {
	const char *name; /* any part of the name */
	const char *tag, *tier, *owner;
	int64_t limit, offset;
} contact_filter;
int contact_list(db *d, const contact_filter *f, json_t **out, rp_err *e);

/* A yearly date (anniversary, ...) beside the birthday. */
int contact_date_add(db *d, int64_t id, const char *kind, const char *date, const char *label,
		     rp_err *e);
/* A relationship: a is kind of b (family, friend, colleague, referred_by:
** a was referred by b).  Family, friend and colleague read both ways. */
int relation_add(db *d, int64_t a, int64_t b, const char *kind, const char *note, rp_err *e);

/* Facts worth remembering, with an optional follow-up date. */
int fact_add(db *d, int64_t contact, const char *body, const char *follow_up, const char *by,
	     int64_t *id, rp_err *e);
int fact_done(db *d, int64_t fact, rp_err *e);
/* For imports: keep the given id (0 assigns one); done: the follow-up is done. */
int fact_import(db *d, int64_t id, int64_t contact, const char *body, const char *follow_up, int done,
		rp_err *e);
/* The canonical form of a channel value ("email": lower case;
** "phone": '+' and digits) into buf, or RP_EINVAL saying what is wrong. */
int contact_channel_value(const char *kind, const char *raw, char *buf, size_t size, rp_err *e);

/* Shared validation, also used by import. */
int contact_check_tier(const char *tier, rp_err *e);
int contact_check_address(const char *address, rp_err *e);
/* Store the folded search key of a name into a malloc'd string. */
char *contact_name_key(const char *name);

/* ---- timeline (core/timeline.c) --------------------------------------- */

typedef struct interaction_in {
	int64_t contact_id;
	int64_t at;            /* Unix seconds */
	const char *kind;      /* call, meeting, message, email, visit, purchase, complaint, note */
	const char *direction; /* in, out, or NULL */
	const char *summary;
	const char *by;        /* team member's login */
	const char *currency;  /* ISO 4217, required with an amount */
	int64_t minutes;       /* -1 when unknown */
	int64_t amount;        /* minor units; meaningful when has_amount */
	int has_amount;
} interaction_in;

int interaction_check(const interaction_in *in, rp_err *e);
int interaction_add(db *d, const interaction_in *in, int64_t *id, rp_err *e);
int timeline_list(db *d, int64_t contact, int64_t limit, json_t **out, rp_err *e);
/* Recompute contact.last_touch_at: the latest interaction, or when the
** contact was added if there is none. */
int timeline_touch(db *d, int64_t contact, rp_err *e);

/* ---- search (core/search.c) ------------------------------------------- */

/* Full-text search over contacts' names and notes, facts and interaction
** summaries, any language; hits carry their contact. */
int search_run(db *d, const char *text, int64_t limit, json_t **out, rp_err *e);

/* ---- agenda (core/agenda.c) ------------------------------------------- */

typedef struct agenda_opts {
	rp_date date;      /* the day to plan */
	int64_t limit;     /* items, default 30 */
	const char *owner; /* only this team member's contacts, or NULL */
	int lookahead;     /* days ahead for yearly dates of close contacts */
	const char *lang;  /* "en" or "ru": the language of the reasons */
} agenda_opts;

/* Today's personal touches, ranked, each with its reasons. */
int agenda_build(db *d, const agenda_opts *o, json_t **out, rp_err *e);

/* ---- account (core/account.c) ----------------------------------------- */

/* A team member acting: who and with which role (0 viewer .. 3 owner). */
typedef struct account {
	int64_t id;
	char login[65];
	int role;
} account;

int account_init(void); /* once per process, before the functions below */
int role_parse(const char *name, int *role);
const char *role_name(int role);

int user_add(db *d, const char *login, const char *role, const char *password, rp_err *e);
/* Change a user: role (NULL keeps), disabled (1, 0, or -1 keeps), password
** (NULL keeps).  Any change ends the user's sessions. */
int user_set(db *d, const char *login, const char *role, int disabled, const char *password, rp_err *e);
int user_list(db *d, json_t **out, rp_err *e);

/* Log in: check the password (throttled per login and per address: too
** many failures are RP_ETHROTTLE with e->retry_after), then start a session.
** token (shown once, sent as a cookie) and csrf receive 64 hex characters. */
int session_login(db *d, const char *login, const char *password, const char *address, account *who,
		  char token[65], char csrf[65], rp_err *e);
/* Who holds this session token (RP_EAUTH if nobody, or it ended). */
int session_check(db *d, const char *token, account *who, char csrf[65], rp_err *e);
int session_end(db *d, const char *token, rp_err *e);

/* API tokens for scripts: made for a user, shown once, revocable. */
int token_create(db *d, const char *login, const char *label, char token[65], int64_t *id, rp_err *e);
int token_check(db *d, const char *token, account *who, rp_err *e);
int token_revoke(db *d, int64_t id, rp_err *e);
int token_list(db *d, json_t **out, rp_err *e);

/* The audit log: who did what, when, from where; target holds the
** operation's arguments without secrets. */
int audit_write(db *d, const char *actor, const char *action, json_t *target, const char *address, int ok,
		const char *detail, rp_err *e);
int audit_list(db *d, int64_t limit, int64_t before, json_t **out, rp_err *e);

/* ---- transfer (core/import.c, core/export.c): CSV in and out ----------- */

typedef struct import_opts {
	int skip_bad;
	int dry_run;
	/* Called now and then with bytes read so far (total may be 0). */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	uint64_t total;
} import_opts;

/* Import what ("contacts", "interactions" or "facts") from a CSV stream in
** one transaction.  Bad rows are reported with their line numbers; unless
** skip_bad, any bad row means nothing is imported (RP_EINVAL). *report
** receives counts and the problems found. */
int import_csv(db *d, const char *what, FILE *in, const import_opts *o, json_t **report,
	       rp_err *e);
int export_csv(db *d, const char *what, FILE *out, rp_err *e);

/* ---- ladder (core/ladder.c): the permission ladder of seed 004 -------- */

/* stranger, attention, yes, dialogue, trust, customer, advocate (NULL-ended) */
extern const char *const ladder_stages[];
/* A stage's place on the ladder from 0, or -1 when it is not a stage. */
int ladder_rank(const char *stage);
int ladder_check(const char *stage, rp_err *e);
typedef struct ladder_in {
	const char *to;       /* the stage */
	const char *cause;    /* person, consent, revoke, purchase, referral, import */
	const char *why;      /* required when a person moves the client */
	const char *evidence; /* may be NULL */
	const char *by;       /* the team member, NULL for an event */
	int64_t at;           /* 0: now */
} ladder_in;
/* The contact's current stage into out. */
int ladder_stage(db *d, int64_t contact, char out[16], rp_err *e);
/* Move the contact to in->to (up or down), recording the move; no move
** is recorded when it already stands there. */
int ladder_move(db *d, int64_t contact, const ladder_in *in, rp_err *e);
/* Lift the contact to at least in->to (an event); never down. */
int ladder_raise(db *d, int64_t contact, const ladder_in *in, rp_err *e);

/* ---- consent (core/consent.c): per channel and purpose, with evidence - */

extern const char *const consent_channels[]; /* email, phone, sms, messenger, post */
extern const char *const consent_purposes[]; /* service, news, offers, surveys */
int consent_check(const char *channel, const char *purpose, rp_err *e);
typedef struct consent_in {
	const char *channel, *purpose;
	const char *state;    /* pending, granted or revoked */
	const char *how;      /* form, call, in_person, import, link, signup */
	const char *evidence; /* what the client was shown or said; required to grant */
	const char *by;       /* the team member, NULL for the client's own link */
	int64_t at;           /* 0: now */
} consent_in;
/* Record a change of consent (never rewriting the history) and move the
** client on the ladder: granted lifts to at least yes; revoking the last
** granted consent takes a client at yes back to attention. */
int consent_set(db *d, int64_t contact, const consent_in *in, int64_t *id, rp_err *e);
/* The current state for a channel and purpose: pending, granted, revoked,
** or none when the client was never asked. */
int consent_current(db *d, int64_t contact, const char *channel, const char *purpose, char state[16],
		    rp_err *e);
/* *allowed: 1 when the current state is granted.  The outbox's gate. */
int consent_allowed(db *d, int64_t contact, const char *channel, const char *purpose, int *allowed,
		    rp_err *e);

/* ---- copy (core/copy.c): a whole store into another engine ------------ */

typedef struct copy_opts {
	/* Called now and then with the bytes of values read so far (total 0:
	** unknown).  May be NULL. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
} copy_opts;

/* Copy every table of rp_tables from `from` into `to`, every column, ids
** kept, in one transaction of `to`, reading `from` in one snapshot.  Both
** stores must be at the same schema version; `to` must hold no rows
** (RP_ECONFLICT naming the first table that has some; nothing is written).
** Before the commit the copy is compared with the source (store_compare);
** any difference rolls it all back.  *report receives
** {"tables": [{"table", "rows", "checksum"}...], "rows": total}. */
int store_copy(db *from, db *to, const copy_opts *o, json_t **report, rp_err *e);

/* Compare every table of rp_tables in source and copy: the same columns,
** the same number of rows and the same checksum of their rows (BLAKE2b of
** each row's values, added up, so the engines' different orders of text do
** not matter).  0 when all match, with *tables (may be NULL) receiving
** [{"table", "rows", "checksum"}...]; RP_EDB naming the first table that
** differs otherwise. */
int store_compare(db *source, db *copy, const copy_opts *o, json_t **tables, rp_err *e);

#endif
