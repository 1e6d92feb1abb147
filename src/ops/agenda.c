/* rapport agenda: today's personal touches, ranked, with reasons. */
#include "ops/ops.h"

int op_agenda(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	agenda_opts o = {.limit = arg_int(args, "limit", 30), .owner = arg_str(args, "owner"),
			 .lookahead = (int)arg_int(args, "lookahead", 3), .lang = c->lang};
	const char *date = arg_str(args, "date");
	if (date) {
		if (rp_date_parse(date, 0, &o.date) < 0)
			return rp_errf(e, RP_EINVAL, "--date \"%s\" is not a date; write YYYY-MM-DD", date);
	} else {
		o.date = rp_today();
	}
	return agenda_build(c->db, &o, result, e);
}
