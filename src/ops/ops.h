/*
** ops/: the one table of operations.
**
** Each capability of rapport is one row: its name ("contact add"), the
** arguments it takes, the role it needs, and the function that does it.
** The command line is driven from this table (cli/), and so will the HTTP
** routes be; a handler takes its arguments as a JSON object and returns its
** result as JSON, so `rapport ... --json` and the API answer with the same
** document.
*/
#ifndef RP_OPS_H
#define RP_OPS_H

#include "rapport.h"

/* ARG_NUM: a decimal number (JSON number; text on the command line);
** ARG_OBJ: a JSON object (JSON text on the command line). */
typedef enum { ARG_STR, ARG_INT, ARG_FLAG, ARG_LIST, ARG_NUM, ARG_OBJ } arg_type;

enum {
	ARG_POS = 1,    /* positional on the command line, in table order */
	ARG_REQ = 2,    /* must be given */
	ARG_REST = 4,   /* positional that takes the rest of the words, joined by spaces */
	ARG_SECRET = 8, /* a password: never from argv (the terminal or stdin), never logged */
	ARG_LOCAL = 16, /* only on the command line: a path on this machine, never from HTTP */
	ARG_NOSTORE = 32, /* given, the operation works on it alone and opens no store */
};

typedef struct op_arg {
	const char *name; /* JSON key; on the command line --name (underscores as dashes) */
	arg_type type;
	int flags;
	const char *meta; /* placeholder in usage, e.g. "DATE" */
	const char *help;
} op_arg;

/* The role an operation needs; the order is the ladder (see role_parse). */
typedef enum { ROLE_ANYONE = -1, ROLE_VIEWER, ROLE_STAFF, ROLE_MANAGER, ROLE_OWNER } op_role;

enum {
	OP_READ = 1,   /* reads only; takes --json */
	OP_WRITE = 2,  /* changes the store */
	OP_NODB = 4,   /* opens (or creates) the store itself */
	OP_STREAM = 8, /* writes its output to ctx->out instead of a JSON result */
	OP_SERVE = 16, /* only over HTTP (sessions) */
	OP_LOCAL = 32, /* only on the command line (init, serve) */
	OP_CACHE = 64, /* a read whose answer depends only on its arguments and the store */
	OP_PAGE = 128, /* a link a person follows from a message: a browser gets a small HTML page
			  of the result's "title", "text" and "button" (a form that POSTs back) */
	OP_JSON = 256, /* a write that also takes --json (its result is worth reading as JSON) */
	OP_CALENDAR = 512, /* with OP_STREAM: the output is text/calendar, not CSV */
};

/* What an operation runs with.  The edge fills it. */
typedef struct op_ctx {
	db *db;
	const char *db_target;
	const char *user; /* the team member acting, for "by" fields */
	const char *lang; /* "en" or "ru" */
	FILE *in;         /* streaming input (imports) or NULL to open the path given */
	FILE *out;        /* streaming output (exports) */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	const account *who;     /* over HTTP: the authenticated member; NULL on the command line */
	const char *address;    /* the client's address, or "cli" */
	const char *session;    /* over HTTP: the session token of the request, if any */
	char new_session[65];   /* set by "session create": the cookie to send */
	const char *csrf;       /* over HTTP with a session: its CSRF token */
} op_ctx;

typedef int (*op_fn)(op_ctx *c, json_t *args, json_t **result, rp_err *e);

#define OP_MAX_ARGS 20

typedef struct op {
	const char *name;
	const char *summary;
	op_role role;
	unsigned flags;
	const char *method, *path; /* the HTTP route, e.g. "GET", "/api/v1/contacts/{contact}" */
	op_fn fn;
	op_arg args[OP_MAX_ARGS];
	const char *help; /* a longer description with examples, or NULL */
} op;

extern const op ops_table[];
extern const size_t ops_count;

/* The row named name ("contact add"), or NULL. */
const op *ops_find(const char *name);
/* 1 if some operation's name starts with the word group ("contact"). */
int ops_is_group(const char *group);
const char *ops_role_name(op_role r);

/* Check a JSON object of arguments against the row: unknown keys, types,
** required arguments.  RP_EINVAL with a message naming the argument. */
int ops_check_args(const op *o, json_t *args, rp_err *e);
/* Whether o needs a store with these arguments: not when it opens its own
** (OP_NODB) or an ARG_NOSTORE argument is given. */
int ops_needs_store(const op *o, json_t *args);

/* Argument access for handlers (after ops_check_args). */
const char *arg_str(json_t *args, const char *key);
int64_t arg_int(json_t *args, const char *key, int64_t dflt);
int arg_flag(json_t *args, const char *key);
/* A number argument into *v; 0 when it was not given. */
int arg_num(json_t *args, const char *key, double *v);
/* Borrow a list argument into slots (at most max); returns the list. */
rp_strs arg_list(json_t *args, const char *key, const char **slots, size_t max);
#define ARG_LIST_MAX 32

/* Record an operation in the audit log (writes, and logins), its secret
** arguments left out.  ok: it succeeded; detail: the error otherwise. */
void ops_audit(op_ctx *c, const op *o, json_t *args, int ok, const char *detail);
/* Run o's handler; a write that lost to a concurrent one runs again. */
int ops_run(const op *o, op_ctx *c, json_t *args, json_t **result, rp_err *e);

/* Name a contact given as an argument (id or part of the name). */
int arg_contact(op_ctx *c, json_t *args, const char *key, int64_t *id, rp_err *e);

/* The same store named twice: the same text, or two paths to one file. */
int ops_same_store(const char *a, const char *b);

/* Handlers, one file each under ops/. */
int op_init(op_ctx *, json_t *, json_t **, rp_err *);
int op_migrate_store(op_ctx *, json_t *, json_t **, rp_err *);
int op_backup(op_ctx *, json_t *, json_t **, rp_err *);
int op_restore(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_edit(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_rm(op_ctx *, json_t *, json_t **, rp_err *);
int op_contact_merge(op_ctx *, json_t *, json_t **, rp_err *);
int op_merge(op_ctx *, json_t *, json_t **, rp_err *);
int op_merge_undo(op_ctx *, json_t *, json_t **, rp_err *);
int op_merge_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_dupes(op_ctx *, json_t *, json_t **, rp_err *);
int op_dupes_dismiss(op_ctx *, json_t *, json_t **, rp_err *);
int op_date_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_relate(op_ctx *, json_t *, json_t **, rp_err *);
int op_fact_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_fact_done(op_ctx *, json_t *, json_t **, rp_err *);
int op_story_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_story_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_story_similar(op_ctx *, json_t *, json_t **, rp_err *);
int op_story_themes(op_ctx *, json_t *, json_t **, rp_err *);
int op_story_report(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_link(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_set(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_done(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_lesson_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_open(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_answer(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_resolve(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_complaint_report(op_ctx *, json_t *, json_t **, rp_err *);
int op_trust_record(op_ctx *, json_t *, json_t **, rp_err *);
int op_trust_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_join(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_leave(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_community_health(op_ctx *, json_t *, json_t **, rp_err *);
int op_panel_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_panel_rm(op_ctx *, json_t *, json_t **, rp_err *);
int op_panel_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_panel_coverage(op_ctx *, json_t *, json_t **, rp_err *);
int op_log(op_ctx *, json_t *, json_t **, rp_err *);
int op_timeline(op_ctx *, json_t *, json_t **, rp_err *);
int op_search(op_ctx *, json_t *, json_t **, rp_err *);
int op_agenda(op_ctx *, json_t *, json_t **, rp_err *);
int op_value_fit(op_ctx *, json_t *, json_t **, rp_err *);
int op_value_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_value_report(op_ctx *, json_t *, json_t **, rp_err *);
int op_value_negative(op_ctx *, json_t *, json_t **, rp_err *);
int op_value_letgo(op_ctx *, json_t *, json_t **, rp_err *);
int op_import(op_ctx *, json_t *, json_t **, rp_err *);
int op_export(op_ctx *, json_t *, json_t **, rp_err *);
int op_config_get(op_ctx *, json_t *, json_t **, rp_err *);
int op_config_set(op_ctx *, json_t *, json_t **, rp_err *);
int op_serve(op_ctx *, json_t *, json_t **, rp_err *);
int op_user_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_user_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_user_set(op_ctx *, json_t *, json_t **, rp_err *);
int op_token_create(op_ctx *, json_t *, json_t **, rp_err *);
int op_token_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_token_revoke(op_ctx *, json_t *, json_t **, rp_err *);
int op_session_create(op_ctx *, json_t *, json_t **, rp_err *);
int op_session_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_session_end(op_ctx *, json_t *, json_t **, rp_err *);
int op_password_change(op_ctx *, json_t *, json_t **, rp_err *);
int op_audit(op_ctx *, json_t *, json_t **, rp_err *);
int op_openapi(op_ctx *, json_t *, json_t **, rp_err *);
int op_send(op_ctx *, json_t *, json_t **, rp_err *);
int op_outbox(op_ctx *, json_t *, json_t **, rp_err *);
int op_outbox_export(op_ctx *, json_t *, json_t **, rp_err *);
int op_signup(op_ctx *, json_t *, json_t **, rp_err *);
int op_confirm_page(op_ctx *, json_t *, json_t **, rp_err *);
int op_confirm(op_ctx *, json_t *, json_t **, rp_err *);
int op_withdraw(op_ctx *, json_t *, json_t **, rp_err *);
int op_stage(op_ctx *, json_t *, json_t **, rp_err *);
int op_stage_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_stage_move(op_ctx *, json_t *, json_t **, rp_err *);
int op_consent_grant(op_ctx *, json_t *, json_t **, rp_err *);
int op_consent_revoke(op_ctx *, json_t *, json_t **, rp_err *);
int op_consent_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_funnel(op_ctx *, json_t *, json_t **, rp_err *);
int op_feed_url(op_ctx *, json_t *, json_t **, rp_err *);
int op_feed_revoke(op_ctx *, json_t *, json_t **, rp_err *);
int op_feed(op_ctx *, json_t *, json_t **, rp_err *);
int op_webhook_add(op_ctx *, json_t *, json_t **, rp_err *);
int op_webhook_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_webhook_rm(op_ctx *, json_t *, json_t **, rp_err *);
int op_webhook_log(op_ctx *, json_t *, json_t **, rp_err *);
int op_webhook_deliver(op_ctx *, json_t *, json_t **, rp_err *);
int op_privacy_export(op_ctx *, json_t *, json_t **, rp_err *);
int op_privacy_erase(op_ctx *, json_t *, json_t **, rp_err *);
int op_simulate_tournament(op_ctx *, json_t *, json_t **, rp_err *);
int op_simulate_lattice(op_ctx *, json_t *, json_t **, rp_err *);
int op_simulate_community(op_ctx *, json_t *, json_t **, rp_err *);
int op_profile_show(op_ctx *, json_t *, json_t **, rp_err *);
int op_profile_set(op_ctx *, json_t *, json_t **, rp_err *);
int op_profile_rm(op_ctx *, json_t *, json_t **, rp_err *);
int op_profile_preset(op_ctx *, json_t *, json_t **, rp_err *);
int op_profile_suggest(op_ctx *, json_t *, json_t **, rp_err *);
int op_trait_set(op_ctx *, json_t *, json_t **, rp_err *);
int op_trait_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_trait_rm(op_ctx *, json_t *, json_t **, rp_err *);
int op_align(op_ctx *, json_t *, json_t **, rp_err *);
int op_align_mark(op_ctx *, json_t *, json_t **, rp_err *);
int op_align_unmark(op_ctx *, json_t *, json_t **, rp_err *);
int op_align_report(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_form(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_form_send(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_questions(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_send(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_list(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_accept(op_ctx *, json_t *, json_t **, rp_err *);
int op_intake_decline(op_ctx *, json_t *, json_t **, rp_err *);

/* A run's cooperator share per generation as a JSON array of numbers. */
json_t *simulate_share_json(const double *share, int n);

#endif
