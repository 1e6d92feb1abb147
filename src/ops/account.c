/* rapport user|token|session|audit: team accounts and what they did. */
#include "ops/ops.h"

#include <sodium.h>
#include <string.h>

int op_user_add(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int rc = user_add(c->db, arg_str(args, "login"), arg_str(args, "role"), arg_str(args, "password"), e);
	if (!rc)
		*result = json_pack("{s:s,s:s}", "login", arg_str(args, "login"), "role", arg_str(args, "role"));
	return rc;
}

int op_user_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return user_list(c->db, result, e);
}

int op_user_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int dis = arg_flag(args, "disabled"), en = arg_flag(args, "enabled");
	if (dis && en)
		return rp_errf(e, RP_EINVAL, "give disabled or enabled, not both");
	const char *login = arg_str(args, "login");
	if (c->who && dis && !strcmp(c->who->login, login))
		return rp_errf(e, RP_ECONFLICT, "you cannot disable your own account");
	/* Nor lower it: an owner who did would be locked out of the owner's
	** routes at once, and the last owner would leave nobody to undo it. */
	int r;
	if (c->who && arg_str(args, "role") && !strcmp(c->who->login, login) && !role_parse(arg_str(args, "role"), &r) &&
	    r < c->who->role)
		return rp_errf(e, RP_ECONFLICT, "you cannot lower your own role; another owner can");
	int rc = user_set(c->db, login, arg_str(args, "role"), dis ? 1 : en ? 0 : -1, arg_str(args, "password"), e);
	if (!rc)
		*result = json_pack("{s:s,s:b}", "login", login, "changed", 1);
	return rc;
}

int op_token_create(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	char token[65];
	int64_t id;
	int rc = token_create(c->db, arg_str(args, "login"), arg_str(args, "label"), token, &id, e);
	if (!rc)
		*result = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "login", arg_str(args, "login"), "token", token);
	sodium_memzero(token, sizeof token);
	return rc;
}

int op_token_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	return token_list(c->db, result, e);
}

int op_token_revoke(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id = arg_int(args, "id", 0);
	int rc = token_revoke(c->db, id, e);
	if (!rc)
		*result = json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1);
	return rc;
}

int op_session_create(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	account who = {0};
	char csrf[65];
	int rc = session_login(c->db, arg_str(args, "login"), arg_str(args, "password"), c->address, &who,
			       c->new_session, csrf, e);
	if (!rc)
		*result = json_pack("{s:s,s:s,s:s}", "login", who.login, "role", role_name(who.role), "csrf", csrf);
	return rc;
}

int op_session_show(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	(void)e;
	*result = json_pack("{s:s,s:s,s:s?}", "login", c->who->login, "role", role_name(c->who->role), "csrf", c->csrf);
	return 0;
}

int op_session_end(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	int rc = c->session ? session_end(c->db, c->session, e) : 0;
	if (!rc)
		*result = json_pack("{s:b}", "logged_out", 1);
	return rc;
}

int op_password_change(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int rc = password_change(c->db, c->who, arg_str(args, "current"), arg_str(args, "password"), c->session,
				 c->address, e);
	if (!rc)
		*result = json_pack("{s:s,s:b}", "login", c->who->login, "changed", 1);
	return rc;
}

int op_audit(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t limit = arg_int(args, "limit", 100);
	if (limit < 1 || limit > 10000)
		return rp_errf(e, RP_EINVAL, "--limit must be between 1 and 10000");
	return audit_list(c->db, limit, arg_int(args, "before", 0), result, e);
}
