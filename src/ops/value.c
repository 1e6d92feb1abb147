/* rapport value fit|show|report|negative|letgo: what clients are worth. */
#include "ops/ops.h"

#include <stdio.h>
#include <stdlib.h>

static int read_file(const char *path, char **bytes, size_t *len, rp_err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return rp_errf(e, RP_EINVAL, "cannot open the summary file %s; give the path of a CSV file", path);
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	while (b) {
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *p = realloc(b, cap *= 2);
		if (!p) {
			free(b);
			b = NULL;
		} else {
			b = p;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (!b || bad) {
		free(b);
		return rp_errf(e, bad ? RP_EINVAL : RP_ENOMEM, "cannot read the summary file %s", path);
	}
	*bytes = b;
	*len = n;
	return 0;
}

int op_value_fit(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *summary = arg_str(args, "summary"), *model = arg_str(args, "model");
	if (!summary) {
		if (model)
			return rp_errf(e, RP_EINVAL,
				       "--model goes with --summary; a fit to the timeline is always BG/NBD with "
				       "Gamma-Gamma");
		return value_fit_timeline(c->db, arg_str(args, "until"), c->user, result, e);
	}
	if (arg_str(args, "until"))
		return rp_errf(e, RP_EINVAL, "--until is for the timeline; a summary file has its own period");
	if (!model)
		return rp_errf(e, RP_EINVAL, "--summary needs --model bgnbd, pareto or gg");
	char *bytes = NULL;
	size_t len = 0;
	int rc = read_file(summary, &bytes, &len, e);
	if (!rc)
		rc = value_fit_summary(bytes, len, model, result, e);
	free(bytes);
	return rc;
}

int op_value_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : value_show(c->db, id, c->lang, result, e);
}

int op_value_report(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return value_report(c->db, arg_str(args, "by"), c->lang, result, e);
}

int op_value_negative(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t threshold = 0;
	const char *t = arg_str(args, "threshold");
	if (t && rp_money_parse(t, &threshold))
		return rp_errf(e, RP_EINVAL, "--threshold is an amount of money like 0, -100 or 250.50, not \"%s\"", t);
	return value_negative(c->db, threshold, c->lang, result, e);
}

int op_value_letgo(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc
		  : value_letgo(c->db, id, arg_str(args, "note"), arg_str(args, "handover"),
				arg_flag(args, "stop_cadence"), c->user, result, e);
}
