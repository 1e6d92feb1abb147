/*
** rapport: global options, then one operation from the table.
**
** Exit status: 0 success; 1 an error in what was asked (message on stderr,
** nothing on stdout); 2 a usage error.
*/
#include "cli/cli.h"
#ifdef RP_FAULT_ENV
#include "db/fault.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *lang_from_env(void)
{
	const char *vars[] = {"RAPPORT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 4; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "ru", 2) ? "ru" : "en";
	}
	return "en";
}

static const char *user_from_env(void)
{
	const char *vars[] = {"RAPPORT_USER", "LOGNAME", "USER"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

static int fail(const rp_err *e)
{
	fprintf(stderr, "rapport: %s\n", e->msg[0] ? e->msg : "internal error");
	return e->code == RP_OK ? 1 : rp_exit_status(e->code);
}

#ifdef RP_FAULT_ENV
/* Only in the test binary build/fault/rapport (make build/fault/rapport),
** never in ./rapport: RAPPORT_FAULT=KIND:N[:persistent] makes the Nth event
** of KIND (call, write, read, nomem; db/fault.h) fail, from the start.  At
** exit stderr says how many failed ("fault: fired N"): a run that reached
** no fault shows where the loop of a test ends. */
static void fault_report(void) { fprintf(stderr, "fault: fired %lld\n", (long long)db_fault_disarm()); }

static void fault_from_env(void)
{
	const char *v = getenv("RAPPORT_FAULT");
	char kind[16];
	long long n = 0;
	int persistent = 0;
	if (!v || sscanf(v, "%15[a-z]:%lld", kind, &n) != 2 || n < 1)
		return;
	persistent = strstr(v, ":persistent") != NULL;
	for (int k = 0; k < DB_FAULT_KINDS; k++)
		if (!strcmp(kind, db_fault_name(k))) {
			rp_err e = {0};
			if (k != DB_FAULT_CALL && db_fault_sqlite_install(&e))
				fprintf(stderr, "rapport: %s\n", e.msg);
			db_fault_arm(k, n, persistent);
			atexit(fault_report);
		}
}
#endif

int main(int argc, char **argv)
{
#ifdef RP_FAULT_ENV
	fault_from_env();
#endif
	const char *target = getenv("RAPPORT_DB");
	int i = 1;
	rp_err e = {0};
	if (!target || !*target)
		target = "rapport.db";
	if (account_init() < 0) {
		fprintf(stderr, "rapport: the cryptography library could not start\n");
		return 1;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--db") || !strncmp(a, "--db=", 5)) {
			if (a[4] == '=') {
				target = a + 5;
			} else if (i + 1 < argc) {
				target = argv[++i];
			} else {
				fprintf(stderr, "rapport: --db needs a path\n");
				return 2;
			}
			if (!*target) {
				fprintf(stderr, "rapport: --db needs a path\n");
				return 2;
			}
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cli_overview(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("rapport %s\n", RAPPORT_VERSION);
			return 0;
		} else {
			fprintf(stderr, "rapport: unknown option %s; see 'rapport --help'\n", a);
			return 2;
		}
	}
	if (i >= argc) {
		cli_overview(stderr);
		return 2;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc) {
			cli_overview(stdout);
			return 0;
		}
		char name[128];
		snprintf(name, sizeof name, "%s%s%s", argv[i + 1], i + 2 < argc ? " " : "", i + 2 < argc ? argv[i + 2] : "");
		const op *o = ops_find(name);
		if (o && (o->flags & OP_SERVE))
			o = NULL;
		if (o)
			cli_usage(stdout, o);
		else if (ops_is_group(argv[i + 1]))
			cli_group_usage(stdout, argv[i + 1]);
		else {
			fprintf(stderr, "rapport: no command \"%s\"; see 'rapport --help'\n", name);
			return 2;
		}
		return 0;
	}

	/* The longest name that matches: "contact add" before "contact". */
	const op *o = NULL;
	int words = 0;
	if (i + 1 < argc) {
		char name[128];
		snprintf(name, sizeof name, "%s %s", argv[i], argv[i + 1]);
		/* An HTTP-only row ("stage show") must not hide a one-word
		** command given a contact of that name ("stage show"). */
		if ((o = ops_find(name)) && !(o->flags & OP_SERVE))
			words = 2;
		else
			o = NULL;
	}
	if (!o && (o = ops_find(argv[i])))
		words = 1;
	if (o && (o->flags & OP_SERVE)) /* over HTTP only */
		o = NULL;
	if (!o) {
		if (ops_is_group(argv[i])) {
			if (i + 1 < argc && strcmp(argv[i + 1], "--help") && strcmp(argv[i + 1], "-h")) {
				fprintf(stderr, "rapport: %s has no command \"%s\"\n\n", argv[i], argv[i + 1]);
				cli_group_usage(stderr, argv[i]);
				return 2;
			}
			cli_group_usage(i + 1 < argc ? stdout : stderr, argv[i]);
			return i + 1 < argc ? 0 : 2;
		}
		fprintf(stderr, "rapport: no command \"%s\"; see 'rapport --help'\n", argv[i]);
		return 2;
	}

	json_t *args;
	int help, json;
	if (cli_parse(o, argc - i - words, argv + i + words, &args, &help, &json, &e))
		return fail(&e);
	if (help) {
		json_decref(args);
		cli_usage(stdout, o);
		return 0;
	}
	if (ops_check_args(o, args, &e)) {
		json_decref(args);
		e.code = RP_EUSAGE;
		return fail(&e);
	}

	op_ctx c = {.db_target = target, .user = user_from_env(), .lang = lang_from_env(), .out = stdout,
		    .progress = cli_progress, .address = "cli"};
	int rc = 0;
	if (ops_needs_store(o, args))
		rc = store_open(target, 0, &c.db, &e);
	json_t *result = NULL;
	if (!rc) {
		rc = ops_run(o, &c, args, &result, &e);
		if (c.db && (o->flags & OP_WRITE))
			ops_audit(&c, o, args, rc == 0, rc ? e.msg : NULL);
	}
	cli_progress_end();
	json_decref(args);
	db_close(c.db);
	if (rc) {
		json_decref(result);
		if (e.code != rc) { /* a code returned without its message */
			char why[sizeof e.msg];
			snprintf(why, sizeof why, "%s", e.msg);
			rp_errf(&e, rc > RP_EBUSY ? RP_EDB : rc, "internal error (%d)%s%.1900s", rc,
				why[0] ? ": " : "", why);
		}
		return fail(&e);
	}
	if (result) {
		if (json)
			json_dumpf(result, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		if (json)
			fputc('\n', stdout);
		else
			cli_render(stdout, o, result);
		json_decref(result);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "rapport: writing the output failed\n");
		return 1;
	}
	return 0;
}
