/*
** Shared option parsing: every command's options come from its row in the
** table.  --name VALUE and --name=VALUE; dashes and underscores are the same
** (--follow-up is follow_up); lists repeat; positionals fill in table order;
** "--" ends options.
*/
#include "cli/cli.h"

#include <errno.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static const op_arg *by_option(const op *o, const char *name, size_t len)
{
	for (const op_arg *a = o->args; a->name; a++) {
		if (strlen(a->name) != len)
			continue;
		size_t i = 0;
		for (; i < len; i++) {
			char c = name[i] == '-' ? '_' : name[i];
			if (c != a->name[i])
				break;
		}
		if (i == len)
			return a;
	}
	return NULL;
}

static void option_name(const op_arg *a, char *buf, size_t size)
{
	snprintf(buf, size, "--%s", a->name);
	for (char *p = buf + 2; *p; p++)
		if (*p == '_')
			*p = '-';
}

static int put_value(const op *o, const op_arg *a, json_t *args, const char *v, rp_err *e)
{
	char opt[64];
	option_name(a, opt, sizeof opt);
	switch (a->type) {
	case ARG_INT: {
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end || errno)
			return rp_errf(e, RP_EUSAGE, "%s %s: \"%s\" is not a whole number",
				       o->name, a->flags & ARG_POS ? a->meta : opt, v);
		json_object_set_new(args, a->name, json_integer(n));
		return 0;
	}
	case ARG_NUM: {
		char *end;
		errno = 0;
		double x = strtod(v, &end);
		if (!*v || *end || errno || x != x)
			return rp_errf(e, RP_EUSAGE, "%s %s: \"%s\" is not a number (e.g. 0.8 or -0.5)", o->name,
				       a->flags & ARG_POS ? a->meta : opt, v);
		json_object_set_new(args, a->name, json_real(x));
		return 0;
	}
	case ARG_OBJ: {
		json_t *j = json_loads(v, 0, NULL);
		if (!json_is_object(j)) {
			json_decref(j);
			return rp_errf(e, RP_EUSAGE, "%s %s: give a JSON object, e.g. '{\"price\": 0.8}'", o->name,
				       a->flags & ARG_POS ? a->meta : opt);
		}
		json_object_set_new(args, a->name, j);
		return 0;
	}
	case ARG_LIST: {
		json_t *l = json_object_get(args, a->name);
		if (!l) {
			l = json_array();
			json_object_set_new(args, a->name, l);
		}
		if (json_array_size(l) >= ARG_LIST_MAX)
			return rp_errf(e, RP_EUSAGE, "%s: %s given more than %d times", o->name, opt, ARG_LIST_MAX);
		json_array_append_new(l, json_string(v));
		return 0;
	}
	default:
		if (json_object_get(args, a->name) && !(a->flags & ARG_POS))
			return rp_errf(e, RP_EUSAGE, "%s: %s given twice", o->name, opt);
		json_t *s = json_string(v);
		if (!s)
			return rp_errf(e, RP_EUSAGE, "%s: the value of %s is not valid UTF-8 text", o->name,
				       a->flags & ARG_POS ? a->meta : opt);
		json_object_set_new(args, a->name, s);
		return 0;
	}
}

/* Read a password: from the terminal without echo (asked twice), or the
** first line of standard input when it is not a terminal. */
static int read_secret(const op *o, const op_arg *a, json_t *args, rp_err *e)
{
	char first[1100], again[1100];
	int tty = isatty(0);
	for (int round = 0; round < (tty ? 2 : 1); round++) {
		char *buf = round ? again : first;
		struct termios saved, quiet;
		if (tty) {
			fprintf(stderr, "%s: ", round ? "again" : a->meta ? a->meta : a->name);
			fflush(stderr);
			tcgetattr(0, &saved);
			quiet = saved;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(0, TCSAFLUSH, &quiet);
		}
		char *got = fgets(buf, sizeof first, stdin);
		if (tty) {
			tcsetattr(0, TCSAFLUSH, &saved);
			fputc('\n', stderr);
		}
		if (!got)
			return rp_errf(e, RP_EUSAGE, "%s needs a password: type it, or give it as the first line of standard input",
				       o->name);
		size_t n = strlen(buf);
		if (n && buf[n - 1] != '\n' && n == sizeof first - 1)
			return rp_errf(e, RP_EINVAL, "the password is too long");
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = 0;
	}
	if (tty && strcmp(first, again)) {
		sodium_memzero(first, sizeof first);
		sodium_memzero(again, sizeof again);
		return rp_errf(e, RP_EINVAL, "the two passwords differ; nothing changed");
	}
	json_t *v = json_string(first);
	sodium_memzero(first, sizeof first);
	sodium_memzero(again, sizeof again);
	if (!v)
		return rp_errf(e, RP_EINVAL, "the password is not valid UTF-8 text");
	json_object_set_new(args, a->name, v);
	return 0;
}

int cli_parse(const op *o, int argc, char **argv, json_t **out, int *help, int *json, rp_err *e)
{
	json_t *args = json_object();
	const op_arg *pos[OP_MAX_ARGS];
	int npos = 0, next = 0, rc = 0, dashdash = 0;
	rp_buf rest = {0};
	const op_arg *rest_arg = NULL;
	for (const op_arg *a = o->args; a->name; a++)
		if (a->flags & ARG_POS)
			pos[npos++] = a;
	*help = *json = 0;
	for (int i = 0; i < argc && !rc; i++) {
		const char *w = argv[i];
		if (!dashdash && !strcmp(w, "--")) {
			dashdash = 1;
		} else if (!dashdash && w[0] == '-' && w[1] == '-' && w[2]) {
			const char *name = w + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			if (len == 4 && !strncmp(name, "help", 4)) {
				*help = 1;
				continue;
			}
			if (len == 4 && !strncmp(name, "json", 4) && (o->flags & (OP_READ | OP_JSON)) && !(o->flags & OP_STREAM)) {
				*json = 1;
				continue;
			}
			const op_arg *a = by_option(o, name, len);
			if (a && (a->flags & ARG_SECRET)) {
				/* Never from argv, where other users and the shell's history see it. */
				if (eq)
					rc = rp_errf(e, RP_EUSAGE,
						     "%s: a password is never taken from the command line; give --%.*s alone "
						     "and type it, or pipe it on standard input",
						     o->name, (int)len, name);
				else
					json_object_set_new(args, a->name, json_true()); /* asked for below */
				continue;
			}
			if (!a || (a->flags & ARG_POS)) {
				rc = rp_errf(e, RP_EUSAGE, "%s has no option --%.*s; see 'rapport %s --help'", o->name,
					     (int)len, name, o->name);
			} else if (a->type == ARG_FLAG) {
				if (eq)
					rc = rp_errf(e, RP_EUSAGE, "%s: --%.*s takes no value", o->name, (int)len, name);
				else
					json_object_set_new(args, a->name, json_true());
			} else if (eq) {
				rc = put_value(o, a, args, eq + 1, e);
			} else if (i + 1 < argc) {
				rc = put_value(o, a, args, argv[++i], e);
			} else {
				rc = rp_errf(e, RP_EUSAGE, "%s: --%.*s needs a value (%s)", o->name, (int)len, name,
					     a->meta ? a->meta : "a value");
			}
		} else if (!dashdash && w[0] == '-' && w[1] == 'h' && !w[2]) {
			*help = 1;
		} else if (next < npos) {
			const op_arg *a = pos[next];
			if (a->flags & ARG_REST) {
				rest_arg = a;
				if (rest.n)
					rp_buf_putc(&rest, ' ');
				rp_buf_puts(&rest, w);
			} else {
				rc = put_value(o, a, args, w, e);
				next++;
			}
		} else {
			rc = rp_errf(e, RP_EUSAGE, "%s: unexpected argument \"%s\"; see 'rapport %s --help'", o->name,
				     w, o->name);
		}
	}
	if (!rc && rest_arg)
		rc = rest.oom ? rp_errf(e, RP_ENOMEM, "out of memory") : put_value(o, rest_arg, args, rest.p, e);
	for (const op_arg *a = o->args; !rc && !*help && a->name; a++)
		if ((a->flags & ARG_SECRET) && ((a->flags & ARG_REQ) || json_object_get(args, a->name)))
			rc = read_secret(o, a, args, e);
	rp_buf_free(&rest);
	if (!rc && !*help) {
		for (int k = 0; k < npos; k++) {
			if ((pos[k]->flags & ARG_REQ) && !json_object_get(args, pos[k]->name)) {
				rc = rp_errf(e, RP_EUSAGE, "%s needs %s; usage: rapport %s", o->name, pos[k]->meta,
					     o->name);
				break;
			}
		}
		for (const op_arg *a = o->args; !rc && a->name; a++) {
			if ((a->flags & ARG_REQ) && !(a->flags & ARG_POS) && !json_object_get(args, a->name)) {
				char opt[64];
				option_name(a, opt, sizeof opt);
				rc = rp_errf(e, RP_EUSAGE, "%s needs %s %s", o->name, opt, a->meta);
			}
		}
	}
	if (rc) {
		json_decref(args);
		return rc;
	}
	*out = args;
	return 0;
}

void cli_usage(FILE *f, const op *o)
{
	fprintf(f, "usage: rapport [--db PATH] %s", o->name);
	for (const op_arg *a = o->args; a->name; a++)
		if (a->flags & ARG_POS)
			fprintf(f, (a->flags & ARG_REQ) ? " %s%s" : " [%s%s]", a->meta, a->flags & ARG_REST ? "..." : "");
	int any = 0;
	for (const op_arg *a = o->args; a->name; a++)
		any |= !(a->flags & ARG_POS);
	if (any)
		fprintf(f, " [options]");
	fprintf(f, "\n\n%s.\n", o->summary);
	fprintf(f, "\n");
	for (const op_arg *a = o->args; a->name; a++) {
		char left[96];
		if (a->flags & ARG_POS) {
			snprintf(left, sizeof left, "%s", a->meta);
		} else {
			char opt[64];
			option_name(a, opt, sizeof opt);
			int value = a->meta && !(a->flags & ARG_SECRET);
			snprintf(left, sizeof left, "%s%s%s%s", opt, value ? " " : "", value ? a->meta : "",
				 a->type == ARG_LIST ? " ..." : "");
		}
		fprintf(f, "  %-28s %s\n", left, a->help);
	}
	if ((o->flags & (OP_READ | OP_JSON)) && !(o->flags & OP_STREAM))
		fprintf(f, "  %-28s %s\n", "--json", "print the result as one JSON document");
	fprintf(f, "  %-28s %s\n", "--help", "show this help");
	if (o->help)
		fprintf(f, "\n%s\n", o->help);
	fprintf(f, "\nNeeds the role %s or above.\n", ops_role_name(o->role));
}

void cli_group_usage(FILE *f, const char *group)
{
	size_t n = strlen(group);
	fprintf(f, "usage: rapport %s COMMAND [options]\n\n", group);
	for (size_t i = 0; i < ops_count; i++)
		if (!strncmp(ops_table[i].name, group, n) && ops_table[i].name[n] == ' ' &&
		    !(ops_table[i].flags & OP_SERVE))
			fprintf(f, "  %-18s %s\n", ops_table[i].name, ops_table[i].summary);
	fprintf(f, "\nSee 'rapport %s COMMAND --help'.\n", group);
}

void cli_overview(FILE *f)
{
	fprintf(f,
		"usage: rapport [--db PATH] COMMAND [options]\n\n"
		"rapport keeps a business's relationships with its clients personal.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < ops_count; i++)
		if (!(ops_table[i].flags & OP_SERVE))
			fprintf(f, "  %-18s %s\n", ops_table[i].name, ops_table[i].summary);
	fprintf(f,
		"\nGlobal options:\n"
		"  --db PATH|URL      the store: a SQLite file or postgres://USER@HOST:PORT/DB\n"
		"                     (default: $RAPPORT_DB, else ./rapport.db)\n"
		"  --version          print the version\n"
		"  --help             show this help\n"
		"\nEvery read command takes --json.  See 'rapport COMMAND --help'.\n");
}
