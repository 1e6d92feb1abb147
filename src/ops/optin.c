/*
** The public routes: a signup, and the links in messages.  They need no
** login (ROLE_ANYONE) and exist only over HTTP; each is throttled per
** network address (core/optin.c).  The links answer a browser with a small
** page (OP_PAGE) and a program with JSON.
*/
#include "ops/ops.h"

int op_signup(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	signup_in in = {.name = arg_str(args, "name"), .email = arg_str(args, "email"),
			.purpose = arg_str(args, "purpose"), .shown = arg_str(args, "shown"), .address = c->address,
			.lang = c->lang};
	return optin_signup(c->db, &in, result, e);
}

int op_confirm_page(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return optin_confirm_page(c->db, arg_str(args, "token"), c->address, c->lang, result, e);
}

int op_confirm(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return optin_confirm(c->db, arg_str(args, "token"), c->address, c->lang, result, e);
}

int op_withdraw(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return optin_withdraw(c->db, arg_str(args, "token"), c->address, c->lang, result, e);
}
