/*
** Alignment: the value profile, traits, the score, learning from the best
** clients, the report, and the intake form's triage (core/align.c,
** core/intake.c).  The public routes (the form and its endpoint) need no
** login and exist only over HTTP; they are throttled per address.
*/
#include "ops/ops.h"

int op_profile_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return profile_show(c->db, c->lang, result, e);
}

int op_profile_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	profile_in in = {.key = arg_str(args, "dimension"), .left = arg_str(args, "left"),
			 .right = arg_str(args, "right"), .question = arg_str(args, "question"), .by = c->user};
	in.has_position = arg_num(args, "position", &in.position);
	in.has_weight = arg_num(args, "weight", &in.weight);
	return profile_set(c->db, &in, c->lang, result, e);
}

int op_profile_rm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int rc = profile_rm(c->db, arg_str(args, "dimension"), e);
	if (!rc)
		*result = json_pack("{s:s,s:b}", "dimension", arg_str(args, "dimension"), "removed", 1);
	return rc;
}

int op_profile_preset(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return profile_preset(c->db, arg_str(args, "preset"), c->user, c->lang, result, e);
}

int op_profile_suggest(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return align_suggest(c->db, c->lang, result, e);
}

int op_trait_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	trait_in in = {.dimension = arg_str(args, "dimension"), .source = arg_str(args, "source"), .by = c->user};
	arg_num(args, "value", &in.value);
	int rc = arg_contact(c, args, "contact", &in.contact, e);
	return rc ? rc : trait_set(c->db, &in, result, e);
}

int op_trait_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : trait_list(c->db, id, result, e);
}

int op_trait_rm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (!rc)
		rc = trait_rm(c->db, id, arg_str(args, "dimension"), e);
	if (!rc)
		*result = json_pack("{s:I,s:s,s:b}", "contact_id", (json_int_t)id, "dimension", arg_str(args, "dimension"),
				    "removed", 1);
	return rc;
}

int op_align(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : align_contact(c->db, id, c->lang, result, e);
}

static int mark(op_ctx *c, json_t *args, int on, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : align_mark(c->db, id, on, c->user, result, e);
}

int op_align_mark(op_ctx *c, json_t *args, json_t **result, rp_err *e) { return mark(c, args, 1, result, e); }
int op_align_unmark(op_ctx *c, json_t *args, json_t **result, rp_err *e) { return mark(c, args, 0, result, e); }

int op_align_report(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return align_report(c->db, c->lang, result, e);
}

int op_intake_form(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return intake_form(c->db, c->lang, result, e);
}

int op_intake_form_send(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return intake_submit_form(c->db, arg_str(args, "form"), c->address, c->lang, result, e);
}

int op_intake_questions(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return intake_questions(c->db, c->lang, result, e);
}

int op_intake_send(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	intake_in in = {.name = arg_str(args, "name"), .email = arg_str(args, "email"), .phone = arg_str(args, "phone"),
			.message = arg_str(args, "message"), .website = arg_str(args, "website"),
			.answers = json_object_get(args, "answers"), .consent = json_object_get(args, "consent"),
			.address = c->address, .lang = c->lang};
	return intake_submit(c->db, &in, result, e);
}

int op_intake_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return intake_list(c->db, arg_str(args, "status"), c->lang, result, e);
}

int op_intake_accept(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return intake_accept(c->db, arg_int(args, "request", 0), arg_str(args, "stage"), c->user, result, e);
}

int op_intake_decline(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return intake_decline(c->db, arg_int(args, "request", 0), arg_str(args, "template"), c->user, result, e);
}
