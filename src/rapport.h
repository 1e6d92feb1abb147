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
#define RP_TABLE_INTS 12 /* most integer columns of a table */
typedef struct rp_table {
	const char *name;
	const char *key[4];
	const char *ints[RP_TABLE_INTS];
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
/* A text setting into a malloc'd string (*out), or a copy of dflt (which
** may be NULL: then *out is NULL) when it is not set. */
int setting_text(db *d, const char *key, const char *dflt, char **out, rp_err *e);

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
	/* An email or phone of a person erased at their request is refused
	** (RP_ECONFLICT) unless this is set: they asked to be added again,
	** and their suppression entries are lifted (core/privacy.c). */
	int unsuppress;
} contact_in;

/* Validate and add a contact; *id receives its id. */
int contact_add(db *d, const contact_in *in, int64_t *id, rp_err *e);
int contact_edit(db *d, int64_t id, const contact_in *in, rp_err *e);
/* Remove a contact and everything about them (facts, dates, interactions). */
int contact_rm(db *d, int64_t id, rp_err *e);
/* Move everything about other to keep and remove other (merge_contacts
** with no one named). */
int contact_merge(db *d, int64_t keep, int64_t other, rp_err *e);
/* The merge, in one transaction that also writes its journal (core/merge.c):
** *journal (when not NULL) receives the id 'merge undo' takes; by is the
** team member merging (or NULL). */
int merge_contacts(db *d, int64_t keep, int64_t other, const char *by, int64_t *journal, rp_err *e);
/* Whether the merge says what becomes of table's rows (a rule, or a
** deliberate drop); test_merge checks every table referring to contacts. */
int merge_covers(const char *table);
/* Undo merge id within merge.undo_days (default 30): the duplicate comes
** back with its id and every row moves back.  RP_ECONFLICT when undone
** already, too old, or a row the merge touched has changed since.  *keep
** and *other receive the two contacts. */
int merge_undo(db *d, int64_t id, int64_t *keep, int64_t *other, rp_err *e);
/* {"merges":[{id, at, keep{id,name}, other{id,name}, by, undone_at,
** undo_until, undoable}]}, newest first. */
int merge_list(db *d, int limit, json_t **out, rp_err *e);
/* Likely duplicates (core/dupes.c): {"pairs":[{a{id,name}, b{id,name},
** score, reasons[]}], "found": N}, strongest first, at most limit (<= 0: all),
** without pairs dismissed. */
int dupes_find(db *d, int limit, json_t **out, rp_err *e);
/* Say a and b are two people: dupes_find leaves the pair out. */
int dupes_dismiss(db *d, int64_t a, int64_t b, const char *by, rp_err *e);
/* Remove every merge journal holding contact's rows (erasure, removal). */
int merge_forget(db *d, int64_t contact, rp_err *e);
/* "table.column" for every column with a foreign key to contact, read from
** the store's catalogue: the rows a merge journals. */
int merge_refs_list(db *d, json_t **out, rp_err *e);

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
/* How many contacts f selects (its limit and offset aside). */
int contact_count(db *d, const contact_filter *f, int64_t *n, rp_err *e);
/* A saved filter, as a lesson's segment keeps it: terms KEY:VALUE apart by
** spaces, KEY one of name, tag, tier, owner, each at most once, a value
** with spaces in double quotes (tag:"front desk").  Fills f with pointers
** into *buf, which the caller frees; RP_EINVAL says what is wrong. */
int contact_filter_parse(const char *text, contact_filter *f, char **buf, rp_err *e);

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

/* ---- stories (core/story.c) ------------------------------------------ */

/* A story a client told, in their own words: how they chose us (choice),
** how dealing with us went (interaction), what they think of the product
** (product), what their friends choose (friends), what they live by
** (life). */
typedef struct story_in {
	int64_t contact_id;
	const char *kind;
	const char *tone;    /* positive, neutral, negative, or NULL */
	const char *told_on; /* YYYY-MM-DD, not in the future; NULL: today */
	const char *text;    /* at most STORY_MAX bytes */
	const char *by;      /* who recorded it */
	rp_strs tags;
} story_in;
#define STORY_MAX 102400
/* choice, interaction, product, friends, life (NULL-ended) */
extern const char *const story_kinds[];
#define STORY_NKINDS 5

int story_check(const story_in *in, rp_err *e);
int story_add(db *d, const story_in *in, int64_t *id, rp_err *e);
/* Stories, newest told first: of one contact (contact > 0) or everyone's,
** of one kind or all; limit < 0: all of them.  {"stories": [...]} */
int story_list(db *d, int64_t contact, const char *kind, int64_t limit, json_t **out, rp_err *e);

/* ---- similar stories, themes, the report (core/similar.c, core/report.c) */

/* How stories are compared: by their words' stems and the concepts of
** data/lexicon.txt (the default), or by stems alone (plain TF-IDF cosine,
** the baseline the lexicon is measured against). */
typedef enum story_method { STORY_LEXICON, STORY_TFIDF } story_method;
/* "lexicon" (or NULL or "") or "tfidf"; RP_EINVAL otherwise. */
int story_method_parse(const char *name, story_method *m, rp_err *e);

/* The stories of other clients that tell the same thing as story, best
** first, at most limit (1..100): {"story": {"id", "contact": {"id",
** "name"}, "text"}, "similar": [{"id", "contact", "told_on", "kind", "tone",
** "text", "score"}...]}.  An unknown story is RP_ENOTFOUND.  Callable on
** any open store (benchmarks call it in process). */
int story_similar(db *d, int64_t story, int64_t limit, json_t **out, rp_err *e);
int story_similar_by(db *d, int64_t story, int64_t limit, story_method m, json_t **out, rp_err *e);

typedef struct story_themes_in {
	const char *since;  /* YYYY-MM-DD; NULL: 90 days ago */
	const char *kind;   /* NULL: every kind */
	story_method method;
	double threshold;   /* 0: the method's default */
	int64_t max;        /* 0: the newest 5,000 stories */
} story_themes_in;
/* Recent stories grouped into recurring themes, largest first:
** {"since", "capped", "considered", "themes": [{"label", "terms", "stories",
** "clients", "by_kind": {kind: n}, "examples": [{"id", "contact", "text"}],
** "story_ids": [...]}]}. */
int story_themes(db *d, const story_themes_in *in, json_t **out, rp_err *e);

/* Themes by kind over time, the stories no lesson was drawn from, and
** lessons by status, from since (NULL: the start of the period eleven
** months or three quarters back) by "month" (default) or "quarter":
** {"since", "by", "capped", "periods": ["2026-09"...], "themes": [{"label",
** "terms", "stories", "clients", "by_kind", "by_period": [n per period]}],
** "without_lesson": {"count", "stories": [{"id", "contact", "told_on",
** "kind", "text"}... the newest 20]}, "lessons": {"open", "doing", "done",
** "dropped"}}. */
int story_report(db *d, const char *since, const char *by, json_t **out, rp_err *e);

/* ---- lessons (core/lesson.c) ----------------------------------------- */

/* A lesson a person draws from a story: what to change, for the whole
** process or a segment (free text, e.g. "tier:close"), and who owns it. */
typedef struct lesson_in {
	int64_t story_id;    /* the story that taught it */
	const char *title;   /* what to change */
	const char *segment; /* NULL: the whole process */
	const char *owner;   /* a login */
	const char *by;      /* who recorded it */
} lesson_in;

int lesson_check(const lesson_in *in, rp_err *e);
/* A new open lesson linked to its story. */
int lesson_add(db *d, const lesson_in *in, int64_t *id, rp_err *e);
/* Link another supporting story (twice is once). */
int lesson_link(db *d, int64_t id, int64_t story, rp_err *e);
/* Move an open or doing lesson to doing, dropped, or done (which needs a
** note and sets done_at); a closed lesson is RP_ECONFLICT. */
int lesson_set(db *d, int64_t id, const char *status, const char *note, rp_err *e);
/* Lessons, oldest first, each with its count of supporting stories:
** {"lessons": [...]} */
int lesson_list(db *d, const char *owner, const char *status, json_t **out, rp_err *e);
/* One lesson with its supporting stories under "supporting". */
int lesson_show(db *d, int64_t id, json_t **out, rp_err *e);
/* The open and doing lessons (of owner, or everyone's), oldest first, with
** their days open on day (days since 1970): an array for the agenda. */
int lesson_agenda(db *d, const char *owner, int64_t day, json_t **out, rp_err *e);

/* ---- panel (core/panel.c): the few clients interviewed on a cadence --- */

/* The days between a panel member's interviews: 1 to PANEL_CADENCE_MAX,
** default the setting panel.cadence (30). */
#define PANEL_CADENCE_MAX 3650
/* A kind of story is asked about when none of it was told in the last
** PANEL_ASK_CADENCES cadences. */
#define PANEL_ASK_CADENCES 3
int panel_check_cadence(int64_t days, rp_err *e);
/* Put the contact on the panel (tier 'panel', the tier it had kept to go
** back to) with cadence days between interviews (NULL: the setting
** panel.cadence), or, for a member, change its cadence (NULL keeps it).
** *out (may be NULL) receives the member as panel_list shows it. */
int panel_add(db *d, int64_t contact, const int64_t *cadence, const char *by, json_t **out, rp_err *e);
/* Take the contact off the panel: its tier goes back to the one it had
** before joining, unless someone changed it since.  RP_ENOTFOUND when it is
** not a member.  *out (may be NULL): {"contact": {"id", "name"}, "tier"}. */
int panel_rm(db *d, int64_t contact, json_t **out, rp_err *e);
/* The members on day (days since 1970), next interview due first:
** {"members": [{"contact": {"id", "name"}, "cadence_days", "joined_on",
** "by", "prior_tier", "last_on", "due_on", "kinds": {"choice": last told
** or null, ...}}]}.  The last conversation is the latest story told or
** interaction up to day; never talked: due on the day they joined. */
int panel_list(db *d, int64_t day, json_t **out, rp_err *e);
/* The members (of owner's contacts, or everyone's) whose interview is due
** on day, most overdue first, each with the kinds of story to ask about and
** a question for each in lang ("ru" or else English): an array of
** {"contact": {"id", "name"}, "cadence_days", "last_on", "due_on",
** "days_over", "ask_about": [...], "questions": [...]} for the agenda. */
int panel_agenda(db *d, const char *owner, int64_t day, const char *lang, json_t **out, rp_err *e);
/* Stories per kind per member per month or quarter (by: "month", the
** default, or "quarter") told from..to (YYYY-MM-DD, both included; NULL:
** the twelve months or four quarters up to today): {"from", "to", "by",
** "periods": ["2026-09"...], "kinds": [...], "members": [{"contact": {"id",
** "name"}, "counts": {"choice": [n per period]...}, "total"}]}, members
** without stories with zeros. */
int panel_coverage(db *d, const char *from, const char *to, const char *by, json_t **out, rp_err *e);
/* contact_merge: other's membership becomes keep's unless keep has one. */
int panel_merge(db *d, int64_t keep, int64_t other, rp_err *e);

/* ---- complaints (core/complaint.c) ------------------------------------- */

/* call, message, email, visit, ui (NULL-ended) */
extern const char *const complaint_channels[];
/* Minutes to the first response, unless the setting
** complaint.target_minutes (1..1440) says otherwise. */
#define COMPLAINT_TARGET 5
int complaint_target(db *d, int64_t *minutes, rp_err *e);

typedef struct complaint_in {
	int64_t contact_id;
	const char *text;    /* what the client complained of */
	const char *channel; /* NULL: the kind of the interaction it came from, else ui */
	int64_t from;        /* the contact's interaction (call, message...) it came from; 0: none */
	const char *duty;    /* the login on duty for it; NULL: everyone */
	const char *by;      /* who opened it */
} complaint_in;
/* Open a complaint, its clock running from now or, with from, from the
** interaction's time (which must be the contact's, and not have opened
** another: RP_ECONFLICT).  *id receives its id.  Nothing goes on the
** timeline: the interaction, if any, is there already. */
int complaint_open(db *d, const complaint_in *in, int64_t *id, rp_err *e);
/* The first response: answered now by by (a second is RP_ECONFLICT), with
** an apology or not; also an outgoing message on the contact's timeline
** whose summary is the answer. */
int complaint_answer(db *d, int64_t id, const char *answer, int apology, const char *by, rp_err *e);
typedef struct complaint_resolution {
	const char *resolution; /* how it was put right */
	const char *make_good;  /* what was given, with cost */
	const char *cost;       /* a sum like 500 or 12.50, not negative */
	const char *currency;   /* NULL: the client's latest currency, else the store's */
	int apology;
	const char *by;
} complaint_resolution;
/* Resolve (once: again is RP_ECONFLICT).  Needs a resolution or a
** make-good; one not answered yet is answered at once by the resolution
** (or the make-good's text), as complaint_answer would. */
int complaint_resolve(db *d, int64_t id, const complaint_resolution *in, rp_err *e);
/* {"id", "contact": {"id", "name"}, "channel", "text", "opened_at",
** "opened_by", "duty", "answered_at", "answer", "answered_by",
** "first_response_minutes", "resolved_at", "resolution", "apology",
** "make_good", "make_good_cost", "currency", "state", "late", "from"} */
int complaint_show(db *d, int64_t id, json_t **out, rp_err *e);
/* {"complaints": [...]}, newest first: the unresolved only (open_only), of
** one contact (contact > 0) or all, at most limit (0: 100). */
int complaint_list(db *d, int open_only, int64_t contact, int64_t limit, json_t **out, rp_err *e);
/* The unanswered complaints on duty for owner (theirs and everyone's; all
** when owner is NULL), oldest first (late first, then longest waiting), as
** at now: [{"id", "contact", "text", "opened_at", "minutes_waiting",
** "target_minutes", "state" (late, near: 60% of the target waited, or
** waiting), "duty"}]. */
int complaint_agenda(db *d, const char *owner, int64_t now, json_t **out, rp_err *e);
/* The complaints opened since (YYYY-MM-DD; NULL: 90 days ago): {"since",
** "target_minutes", "count", "answered", "answered_in_time",
** "share_in_time", "median_first_response_minutes", "make_goods": {"count",
** "cost", "currency", "by_currency"}, "kept": {"clients", "revenue",
** "currency", "by_currency"}}. */
int complaint_report(db *d, const char *since, json_t **out, rp_err *e);

/* ---- trust (core/trust.c): the ledger of the repeated game (seed 000) -- */

/* company, client; cooperate, defect; gtft, tft, always-cooperate (NULL-ended) */
extern const char *const trust_sides[];
extern const char *const trust_acts[];
extern const char *const trust_policies[];
/* Days in which an act's weight halves, unless trust.half_life_days says
** otherwise; the state reads the last 4 half-lives (the window). */
#define TRUST_HALF_LIFE 90
typedef struct trust_settings {
	int64_t half_life_days;
	const char *policy; /* one of trust_policies (static) */
} trust_settings;
int trust_settings_load(db *d, trust_settings *s, rp_err *e);
/* Whether value may be trust.policy. */
int trust_setting_check(const char *key, const char *value, rp_err *e);

typedef struct trust_in {
	int64_t contact_id;
	const char *by;      /* the side that acted: company or client */
	const char *act;     /* cooperate or defect */
	const char *text;    /* what happened */
	const char *on;      /* YYYY-MM-DD, not in the future; NULL: today */
	int64_t interaction; /* the contact's interaction it came from; 0: none */
	int64_t complaint;   /* the complaint it came from; 0: none */
	const char *user;    /* who recorded it */
} trust_in;
/* Record one act (its own transaction, or a savepoint in the caller's). */
int trust_record(db *d, const trust_in *in, int64_t *id, rp_err *e);
/* The relationship from the ledger (definitions in core/trust.c):
** {"contact": {"id", "name"}, "state", "score", "company_score",
** "client_score", "recommendation": {"act", "why"}, "open_letdown": {"on",
** "text", "id"} or null, "policy", "half_life_days", "acts": [{"id", "on",
** "by", "act", "text", "interaction", "complaint"}...] newest first}.
** lang ("ru" or else English) is the language of "why". */
int trust_show(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e);
/* The same without "acts" for the card, or JSON null with no act: one
** query on the contact's acts. */
int trust_card(db *d, int64_t contact, const char *name, const char *lang, json_t **out, rp_err *e);
/* The state alone ("mutual cooperation", "we let them down", ...). */
int trust_state(db *d, int64_t contact, char state[24], rp_err *e);
/* For the agenda: the clients (of owner's, or everyone's) we let down in
** the window and have not made it good, oldest first: [{"contact": {"id",
** "name"}, "state", "on", "text", "reason"}]. */
int trust_agenda(db *d, const char *owner, const char *lang, json_t **out, rp_err *e);
/* "we let them down on 3 Nov and have not made it good" (in lang) into buf. */
const char *trust_letdown_reason(const char *on, const char *lang, char *buf, size_t size);

/* ---- communities (core/community.c) ---------------------------------- */

/* member, founder, organiser, guest (NULL-ended) */
extern const char *const community_roles[];
/* A new community; names are unique case-insensitively (RP_ECONFLICT). */
int community_add(db *d, const char *name, const char *rules, const char *by, int64_t *id, rp_err *e);
/* A community by its id or its name (any case): RP_ENOTFOUND otherwise. */
int community_resolve(db *d, const char *ref, int64_t *id, rp_err *e);
/* Join (role NULL: member; on NULL: today): RP_ECONFLICT when already a
** member; leave: RP_ENOTFOUND when not one. */
int community_join(db *d, int64_t community, int64_t contact, const char *role, const char *on, rp_err *e);
int community_leave(db *d, int64_t community, int64_t contact, rp_err *e);
/* {"communities": [{"id", "name", "rules", "members"}...]} by name. */
int community_list(db *d, json_t **out, rp_err *e);
/* {"id", "name", "rules", "created_at", "members": [{"contact": {"id",
** "name"}, "role", "joined_on", "trust_state"}], "ties": [{"a", "b",
** "kind"}]} (ties: the relations between members). */
int community_show(db *d, int64_t id, json_t **out, rp_err *e);
/* {"community": {"id", "name"}, "periods": [12 months to this one],
** "cooperation_share": [share of cooperative acts of members, or null],
** "acts": [n per period], "let_down": [{"contact", "on", "text"}],
** "alerts": [{"contact", "why", "on", "touches", "at_risk": [{"id",
** "name"}]}]} (definitions in core/community.c). */
int community_health(db *d, int64_t id, json_t **out, rp_err *e);
/* The members and their ties as a graph for the simulator: *n members,
** their contact ids ascending in *ids, and the neighbours of member i
** (indices into ids, ascending, each tie once whatever its kinds and
** direction) at col[rowptr[i] .. rowptr[i+1]).  The caller frees the
** three arrays (NULL when there are no members). */
int community_graph(db *d, int64_t id, int64_t **ids, size_t *n, size_t **rowptr, size_t **col, rp_err *e);

/* ---- search (core/search.c) ------------------------------------------- */

/* Full-text search over contacts' names and notes, facts, interaction
** summaries and stories, any language; hits carry their contact. */
int search_run(db *d, const char *text, int64_t limit, json_t **out, rp_err *e);

/* ---- customer value (core/value.c, core/value_read.c) ---------------- */

/* The value settings with their defaults: value.hourly_cost (minor units
** an hour of the team's time costs, 3000), value.margin_rate (the share of
** revenue that is margin, "0.3"), value.rfm_bins (2..9, 5) and
** value.horizon_months (the lifetime value's horizon, 36). */
typedef struct value_settings {
	int64_t hourly_cost;
	double margin_rate;
	int64_t rfm_bins;
	int64_t horizon_months;
} value_settings;
int value_settings_load(db *d, value_settings *s, rp_err *e);
/* A margin rate as config set takes it: a decimal from 0 to 1. */
int value_margin_rate_check(const char *key, const char *value, rp_err *e);

/* Fit a summary file's bytes with model "bgnbd", "pareto" or "gg":
** {"model", "customers", "params": {...}, "loglik", "seconds"}. */
int value_fit_summary(const char *bytes, size_t len, const char *model, json_t **out, rp_err *e);
/* Fit BG/NBD (and Gamma-Gamma when enough clients bought again) to the
** purchases in the timeline up to until (YYYY-MM-DD; NULL: today), in
** weeks, and store every buyer's scores, replacing the last fit's. */
int value_fit_timeline(db *d, const char *until, const char *by, json_t **out, rp_err *e);
/* A client's value as the last fit scored it (RP_ENOTFOUND when none did). */
int value_show(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e);
/* The same object for the card, or JSON null: one lookup by primary key. */
int value_card(db *d, int64_t contact, const char *name, json_t **out, rp_err *e);
/* Distribution, segments, top and negative clients, totals, and margin by
** period (by: "quarter", the default, or "month"). */
int value_report(db *d, const char *by, const char *lang, json_t **out, rp_err *e);
/* Clients whose expected margin is below threshold (minor units). */
int value_negative(db *d, int64_t threshold, const char *lang, json_t **out, rp_err *e);
/* A graceful let-go: a note on the timeline, optionally a new owner and the
** end of the keep-in-touch cadence; nothing is deleted. */
int value_letgo(db *d, int64_t contact, const char *note, const char *handover, int stop_cadence, const char *by,
		json_t **out, rp_err *e);
/* For the agenda: high-value clients whose P(alive) is falling. */
int value_agenda(db *d, const char *owner, const char *lang, json_t **out, rp_err *e);

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
int password_change(db *d, const account *who, const char *current, const char *password, const char *keep,
		    const char *address, rp_err *e);

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

/* Throttling beyond logins (the public routes): RP_ETHROTTLE with
** e->retry_after when key ("signup:ADDRESS", ...) was counted limit times in
** the last 15 minutes ("too many WHAT; try again in N seconds"). */
int throttle_check(db *d, const char *key, int limit, const char *what, rp_err *e);
void throttle_count(db *d, const char *key);

/* ---- transfer (core/import.c, core/export.c): CSV in and out ----------- */

typedef struct import_opts {
	int skip_bad;
	int dry_run;
	/* Called now and then with bytes read so far (total may be 0). */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	uint64_t total; /* the file's size, 0 when not known */
	const char *layout; /* import csv: google, outlook, rapport, or NULL to read the header */
	const char *map;    /* import csv: "Column=field,..." */
} import_opts;

/* A file at least this big (or of a size not known) is imported in bulk:
** search indexing deferred to the end, an empty table's indexes built once. */
#define IMPORT_BULK_BYTES 65536
/* Import what ("contacts", "interactions" or "facts") from a CSV stream in
** one transaction.  Bad rows are reported with their line numbers; unless
** skip_bad, any bad row means nothing is imported (RP_EINVAL). *report
** receives counts and the problems found. */
int import_csv(db *d, const char *what, FILE *in, const import_opts *o, json_t **report,
	       rp_err *e);
int export_csv(db *d, const char *what, FILE *out, rp_err *e);

/* ---- upsert (core/upsert.c): one imported person, never twice --------- */

/* A person as another system describes them (a vCard, a row of a Google
** or Outlook spreadsheet).  Channels carry an optional label (home, work,
** mobile, ...).  Dates are YYYY-MM-DD or --MM-DD. */
#define UPSERT_MAX 64
typedef struct upsert_chan {
	const char *kind; /* email, phone, address, web */
	const char *value, *label;
} upsert_chan;
typedef struct contact_up {
	const char *xid;  /* "SOURCE:ID" (vcard:UID, google:people/c...), or NULL */
	const char *name; /* NULL: the first email, phone or organisation names them */
	const char *note, *org, *birthday, *anniversary;
	upsert_chan chan[UPSERT_MAX];
	size_t nchan;
	const char *tag[UPSERT_MAX];
	size_t ntag;
	struct {
		const char *label, *date;
	} other[8];      /* other yearly dates */
	size_t nother;
} contact_up;

enum { UPSERT_UNCHANGED, UPSERT_CREATED, UPSERT_CHANGED };
/* Find the contact in matches by external id, then email, then phone
** (in E.164 with the default region) and fill in what it lacks: new
** channels, tags, dates and ids are added, an empty note or birthday is
** set.  A name, note or birthday that differs from the one kept is not
** overwritten: the difference is appended to kept (a JSON array of
** strings) for the report.  No match: the contact is added.  Matches of
** two different contacts are refused (RP_ECONFLICT) naming both.  *id and
** *outcome (UPSERT_...) receive the result. */
int contact_upsert(db *d, const contact_up *in, const char *region, int64_t *id, int *outcome, json_t *kept,
		   rp_err *e);
/* vCards (core/vcards.c): every card of the stream upserted in one
** transaction (one bad card: nothing imported, RP_EINVAL, the report
** listing the problems); and out, version "3.0" (NULL) or "4.0", one
** contact (contact > 0) or all of them. */
int import_vcard(db *d, FILE *in, const import_opts *o, json_t **report, rp_err *e);
int export_vcard(db *d, int64_t contact, const char *version, FILE *out, rp_err *e);
/* The region phone numbers without a country code are read in: the
** setting import.region (default RU), checked, into buf (3 bytes). */
int import_region(db *d, char buf[3], rp_err *e);

/* ---- ladder (core/ladder.c): the permission ladder of seed 004 -------- */

/* stranger, attention, yes, dialogue, trust, customer, advocate (NULL-ended) */
extern const char *const ladder_stages[];
/* A stage's place on the ladder from 0, or -1 when it is not a stage. */
int ladder_rank(const char *stage);
int ladder_check(const char *stage, rp_err *e);
typedef struct ladder_in {
	const char *to;       /* the stage */
	const char *cause;    /* person, consent, revoke, purchase, referral, import, merge */
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
/* The names shown for the stages: {"stranger": "stranger", ...}, each the
** setting stage.name.<stage> when it is set, else the stage's key. */
int ladder_labels(db *d, json_t **out, rp_err *e);
/* Whether label may name stage (config set stage.name.<stage> LABEL). */
int ladder_check_label(const char *stage, const char *label, rp_err *e);
/* The contact's stage and every move, newest first: {"contact_id", "name",
** "stage", "label", "rank", "stages": [{"stage", "label"}...], "moves":
** [{"id", "at", "from", "to", "by", "cause", "why", "evidence"}...]}. */
int ladder_history(db *d, int64_t contact, json_t **out, rp_err *e);
/* Events.  A purchase (interaction id, at its time) lifts the buyer to at
** least customer, and whoever referred them (relation referred_by) to
** advocate. */
int ladder_purchase(db *d, int64_t contact, int64_t interaction, int64_t at, rp_err *e);
/* A referral was recorded: when the referred contact has bought, lift their
** referrers to advocate. */
int ladder_referral(db *d, int64_t referred, rp_err *e);
/* The same events for the interactions an import inserted (ids in runs
** lo..hi), set-based: a few statements, whatever the number of rows. */
int ladder_purchases_imported(db *d, const int64_t (*runs)[2], size_t n, rp_err *e);
/* contact_merge: other's moves become keep's, keep stands at the higher of
** the two stages (a 'merge' move says so when the joined history does not). */
int ladder_merge(db *d, int64_t keep, int64_t other, rp_err *e);

/* ---- funnel (core/funnel.c): how clients moved on the ladder ----------- */

/* For the days from..to (UTC, both included), per stage: clients who
** entered it, converted to a higher one, their median time in it, and who
** dropped down (the exact definitions are in core/funnel.c and
** docs/API.md).  {"from", "to", "stages": [{"stage", "label", "entered",
** "erased", "converted", "conversion", "median_days", "dropped"}...]}. */
int funnel_build(db *d, rp_date from, rp_date to, json_t **out, rp_err *e);

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
/* The contact's consents: {"contact_id", "current": [the newest row of each
** channel and purpose that has one], "history": [every row, newest first]},
** rows as {"id", "channel", "purpose", "state", "at", "how", "evidence", "by"}. */
int consent_list(db *d, int64_t contact, json_t **out, rp_err *e);

/* ---- privacy (core/privacy.c): a person's data out, or erased --------- */

/* Everything stored about one person as one JSON document: the card,
** channels, tags, dates, relations, facts, every interaction, consent
** history, stage moves, consent links (never their tokens), the outbox's
** messages to them and the audit entries that name them. */
int privacy_export(db *d, int64_t contact, json_t **out, rp_err *e);
/* Remove every trace of the person's personal data, in one transaction:
** suppression entries for their emails and phones, their outbox messages
** and stage moves kept anonymous (for the counts), the audit entries that
** name them redacted, then the contact and everything hanging off it; and
** after the commit the engine's leftovers (db_erase_traces; rewrite: on
** PostgreSQL also rewrite the tables).  *report receives {"id", "erased",
** "suppressed", "outbox", "stage_moves", "audit", "traces"}. */
int privacy_erase(db *d, int64_t contact, int rewrite, json_t **report, rp_err *e);
/* The keyed hash (64 hex digits) under which a normalised email or phone
** is suppressed.  create: make the store's secret key if it has none
** (otherwise RP_ENOTFOUND: nothing was ever suppressed). */
int privacy_hash(db *d, const char *kind, const char *value, int create, char out[65], rp_err *e);
/* *at receives when the person with this normalised email or phone was
** erased, or 0 when the value is not suppressed. */
int privacy_suppressed(db *d, const char *kind, const char *value, int64_t *at, rp_err *e);
/* contact_add and contact_edit: refuse in's emails and phones that are
** suppressed (RP_ECONFLICT, saying when and how to override), or with
** in->unsuppress lift their entries.  Inside the caller's transaction. */
int privacy_admit(db *d, const contact_in *in, rp_err *e);

/* ---- outbox (core/outbox.c): the one way to write to a client --------- */

/* Every message to a client passes outbox_send, which decides at send time,
** in one transaction, whether the client's consent for that channel and
** purpose allows it: a refused message is kept as 'refused' with the reason
** (and the call fails with RP_ECONFLICT saying it); an allowed one is kept
** as 'queued' with the client's address, then email is delivered by SMTP
** (smtp.url, smtp.from) outside any transaction and becomes 'sent' or
** 'failed'; the other channels stay 'queued' until outbox_export.  Each
** message carries its own link to withdraw that consent (public.url).
** Call it outside a transaction: delivery must not hold one open. */
typedef struct outbox_in {
	int64_t contact;
	const char *channel, *purpose; /* consent_channels, consent_purposes */
	const char *subject;           /* required for email */
	const char *body;
	const char *by;   /* the team member; NULL when the client's own request sends it */
	const char *lang; /* "en" or "ru": the language of the withdrawal note */
} outbox_in;
/* *out (may be NULL) receives the message as outbox_list shows it. */
int outbox_send(db *d, const outbox_in *in, json_t **out, rp_err *e);

typedef struct outbox_filter {
	const char *state, *channel; /* NULL: any */
	int64_t contact;             /* 0: any */
	int64_t limit;
} outbox_filter;
/* {"messages": [...]}, newest first. */
int outbox_list(db *d, const outbox_filter *f, json_t **out, rp_err *e);

/* Hand the queued messages of a channel other than email to whoever sends
** them: in one transaction each is checked against the consent again (now
** is its send time: a consent withdrawn since it was queued refuses it), the
** allowed ones are written as CSV (id, contact_id, name, address, purpose,
** subject, text, withdraw_url) and given to sink, and only when sink took
** them are they marked sent.  *report receives {"channel", "exported",
** "refused"}. */
typedef int (*outbox_sink)(void *ctx, const char *csv, size_t n, rp_err *e);
int outbox_export(db *d, const char *channel, const char *lang, outbox_sink sink, void *ctx, json_t **report,
		  rp_err *e);

/* Whether value may be the setting key the outbox reads (smtp.url,
** smtp.from, public.url); RP_EINVAL saying what is wrong. */
int outbox_setting_check(const char *key, const char *value, rp_err *e);

/* ---- optin (core/optin.c): double opt-in and the links in messages ---- */

typedef struct signup_in {
	const char *name;    /* may be NULL: the address stands for it */
	const char *email;
	const char *purpose; /* news, offers or surveys */
	const char *shown;   /* what the person saw when signing up: the evidence */
	const char *address; /* the client's network address */
	const char *lang;    /* of the confirmation message */
} signup_in;
/* A public signup: finds or adds the contact by email, records a pending
** consent for email and purpose with the evidence, and sends the
** confirmation through the outbox.  The answer is the same whether or not
** the address was known or already subscribed.  Throttled per network
** address (RP_ETHROTTLE). */
int optin_signup(db *d, const signup_in *in, json_t **out, rp_err *e);
/* The page a confirmation link opens: what it confirms and a button that
** confirms it (only a person's press does); RP_ENOTFOUND for an unknown
** link, RP_ECONFLICT for a used or expired one. */
int optin_confirm_page(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e);
/* Follow a confirmation link: grants the consent at once (how 'link'), once;
** RP_ECONFLICT when it was used already or has expired (nothing changes). */
int optin_confirm(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e);
/* Follow a withdrawal link: revokes the consent (how 'link'); again is fine. */
int optin_withdraw(db *d, const char *token, const char *address, const char *lang, json_t **out, rp_err *e);

/* ---- align (core/align.c, core/intake.c): values and triage (seed 001) -- */

/* One dimension: the company's position (-1 left pole .. 1 right) and
** weight (0..1), and a client's value when known. */
typedef struct align_dim {
	char *key, *left, *right, *question;
	double position, weight;
	int known;
	double client;
} align_dim;
typedef struct align_profile {
	align_dim *dims;
	size_t n;
} align_profile;
typedef struct align_result {
	double score, coverage; /* score only when has_score */
	int has_score;
	const char *verdict; /* "ours", "maybe", "not ours", "unknown" (static) */
} align_result;
/* The score, coverage and verdict of dims (definition in core/align.c). */
void align_score(const align_dim *dims, size_t n, align_result *r);
/* The top reasons for (against = 0) or against, in words, as a JSON array. */
json_t *align_reasons(const align_dim *dims, size_t n, int against, const char *lang);
/* {"score", "coverage", "verdict", "for", "against", "dimensions": [{"key",
** "company", "client", "weight", "agreement"}]}. */
json_t *align_explain(const align_dim *dims, size_t n, const char *lang);
/* The same for answers {dimension: value} under p (its client values set). */
json_t *align_answers(align_profile *p, json_t *answers, const char *lang);
int align_check_number(const char *what, double v, double lo, double hi, rp_err *e);
/* The profile with its texts in lang (a preset's) or as typed. */
int align_profile_load(db *d, const char *lang, align_profile *p, rp_err *e);
void align_profile_free(align_profile *p);

typedef struct profile_in {
	const char *key;
	double position, weight;
	int has_position, has_weight;
	const char *left, *right, *question; /* NULL: unchanged; "": back to the preset's */
	const char *by;
} profile_in;
/* {"dimensions": [{"key", "left", "right", "question", "position",
** "weight"}], "presets": [{"key", "name", "dimensions"}]}. */
int profile_show(db *d, const char *lang, json_t **out, rp_err *e);
int profile_set(db *d, const profile_in *in, const char *lang, json_t **out, rp_err *e);
int profile_rm(db *d, const char *key, rp_err *e);
/* Replace the profile with preset name's dimensions. */
int profile_preset(db *d, const char *name, const char *by, const char *lang, json_t **out, rp_err *e);

typedef struct trait_in {
	int64_t contact;
	const char *dimension;
	double value;
	const char *source; /* person (NULL), questionnaire or tag */
	const char *by;
} trait_in;
/* *out (may be NULL): {"contact": {"id", "name"}, "dimension", "value",
** "source", "set_at", "by"}. */
int trait_set(db *d, const trait_in *in, json_t **out, rp_err *e);
int trait_rm(db *d, int64_t contact, const char *dimension, rp_err *e);
/* {"contact", "traits": [...]}: those set, then those of trait.tags. */
int trait_list(db *d, int64_t contact, json_t **out, rp_err *e);
/* Whether value may be the setting trait.tags ("TAG:DIM=V[,DIM=V]; ..."). */
int align_tags_check(const char *key, const char *value, rp_err *e);
/* The contact's alignment (align_explain with "contact"); RP_ENOTFOUND
** when there is no profile.  align_card: the same or JSON null, for the card. */
int align_contact(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e);
int align_card(db *d, int64_t contact, const char *lang, json_t **out, rp_err *e);
/* Mark (on) or unmark a client as one of the best: {"contact", "best"}. */
int align_mark(db *d, int64_t contact, int on, const char *by, json_t **out, rp_err *e);
/* {"from", "clients", "suggested": [{"key", "position", "weight",
** "clients"}], "sorted": [{"verdict", "clients", "mean_clv",
** "complaints_per_client", "mean_trust"}]}. */
int align_suggest(db *d, const char *lang, json_t **out, rp_err *e);
/* {"profile", "distribution": {"edges", "counts"}, "groups": [as sorted]}. */
int align_report(db *d, const char *lang, json_t **out, rp_err *e);

/* The public intake form's request. */
typedef struct intake_in {
	const char *name, *email, *phone, *message;
	const char *website; /* the hidden field: a person leaves it empty */
	json_t *answers;     /* {dimension: number in [-1, 1]} */
	json_t *consent;     /* {"email": bool, "phone": bool} or NULL */
	const char *address, *lang;
} intake_in;
/* {"questions": [{"key", "question", "left", "right"}]}. */
int intake_questions(db *d, const char *lang, json_t **out, rp_err *e);
/* Check, score and keep a request: {"received": true, "id"}.  Throttled
** per address (RP_ETHROTTLE); malformed input and spam are RP_EINVAL, and
** a refused request writes nothing but the throttle's count. */
int intake_submit(db *d, const intake_in *in, json_t **out, rp_err *e);
/* The same from an HTML form's urlencoded body. */
int intake_submit_form(db *d, const char *body, const char *address, const char *lang, json_t **out, rp_err *e);
/* The form page: {"title", "text", "button", "fields": [...]}. */
int intake_form(db *d, const char *lang, json_t **out, rp_err *e);
/* {"requests": [...]}, newest first; status NULL: every one. */
int intake_list(db *d, const char *status, const char *lang, json_t **out, rp_err *e);
/* Accept (stage attention or yes) or decline (a reply) a pending request. */
int intake_accept(db *d, int64_t id, const char *stage, const char *by, json_t **out, rp_err *e);
int intake_decline(db *d, int64_t id, const char *text, const char *by, json_t **out, rp_err *e);

/* ---- webhook (core/webhook.c): other systems hear what happens --------- */

/* The events a webhook may ask for, NULL-terminated. */
extern const char *const webhook_events[];
/* Register url for events (a comma list, or "all"), signed with secret
** (NULL: a random one, given back once in *out as "secret"). */
int webhook_add(db *d, const char *url, const char *events, const char *secret, const char *by, json_t **out,
		rp_err *e);
int webhook_rm(db *d, int64_t id, rp_err *e);
int webhook_list(db *d, json_t **out, rp_err *e);
/* The newest deliveries (of webhook hook, 0: all): {"deliveries": [...]}. */
int webhook_log(db *d, int64_t hook, int64_t limit, json_t **out, rp_err *e);
/* Queue event with data (taken: its reference is dropped) for every
** webhook that asked for it, inside the caller's transaction: call it
** beside the write the event tells of. */
int webhook_enqueue(db *d, const char *event, json_t *data, rp_err *e);
/* One pass over the queue: send what is due; *out (may be NULL) gets
** {"delivered", "given_up"}. */
int webhook_deliver(db *d, json_t **out, rp_err *e);
/* "sha256=" and the hex HMAC-SHA256 of timestamp "." body under secret. */
void webhook_sign(const char *secret, const char *timestamp, const char *body, size_t n, char out[72]);
/* Seconds to wait after the attempts-th failed try, with base seconds. */
int64_t webhook_backoff(int64_t base, int64_t attempts);

/* ---- feed (core/feed.c): a member's calendar at a secret address ------- */

/* A new feed token for login (RP_ECONFLICT when one exists: it was shown
** once), its titles in lang; *out: {"url", "path"}. */
int feed_url(db *d, const char *login, const char *lang, json_t **out, rp_err *e);
/* End login's feed address; the next feed_url makes a new one. */
int feed_revoke(db *d, const char *login, rp_err *e);
/* The iCalendar text of the feed whose token is token into f; RP_ENOTFOUND
** for a token that is not (or no longer) one. */
int feed_write(db *d, const char *token, FILE *f, rp_err *e);

/* The calendar feed_write writes, built from the store's rows; apart so
** that any text can be tried in it (tests/fuzz/fuzz_ical.c).  What comes
** from people (names, labels, facts, the login) goes into SUMMARY,
** DESCRIPTION and X-WR-CALNAME as text, cleaned by feed_clean. */
typedef struct feed_cal feed_cal;
enum { FEED_BIRTHDAY, FEED_ANNIVERSARY, FEED_DATE, FEED_FOLLOW_UP, FEED_INTERVIEW };
typedef struct feed_item {
	int kind;	  /* FEED_... */
	int64_t id;	  /* the contact (birthdays, interviews), the date or the fact */
	const char *name; /* the contact's */
	const char *text; /* a date's label, a follow-up's fact (its description); may be NULL */
	int y, m, d;	  /* the day; for yearly dates y is 0 when the year is not known */
} feed_item;
/* An empty calendar named after login, its titles in Russian when ru,
** stamped now (Unix seconds); NULL when out of memory. */
feed_cal *feed_new(const char *login, int ru, int64_t now);
/* One event: yearly dates repeat yearly. */
void feed_add(feed_cal *f, const feed_item *it);
/* People's text fit for an iCalendar TEXT value (which libical then
** escapes), appended to b.  RFC 5545 allows no control characters there,
** and a reader may take a lone CR for a line end, so: a CR or CRLF becomes
** a line feed (written \n), an invalid UTF-8 byte or another control
** character than tab and line feed U+FFFD; and spaces and tabs at either
** end go, as readers (libical's too) drop them. */
void feed_clean(rp_buf *b, const char *s);
/* The VCALENDAR text, malloc'd; NULL when out of memory.  Lines are folded
** at 75 bytes between whole UTF-8 characters. */
char *feed_text(feed_cal *f);
void feed_free(feed_cal *f);

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

/* 0 when no table of rp_tables holds a row; RP_ECONFLICT naming the first
** that does ("the target is not empty: table contact has 3 rows; ..."). */
int store_check_empty(db *to, rp_err *e);

#endif
