/* rapport privacy export|erase: what is kept about a person, and erasing it. */
#include "ops/ops.h"

#include <string.h>

/* The audit row of these operations names the contact by its id only:
** what was typed may be the name of a person about to be erased. */
static void audit_as_id(json_t *args, int64_t id)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)id);
	json_object_set_new(args, "contact", json_string(buf));
}

int op_privacy_export(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (rc)
		return rc;
	audit_as_id(args, id);
	return privacy_export(c->db, id, result, e);
}

int op_privacy_erase(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	if (rc == RP_ENOTFOUND) {
		/* Neither the audit row nor its error message keeps what was
		** typed: it may be the name of someone erased already. */
		json_object_del(args, "contact");
		return rp_errf(e, RP_ENOTFOUND,
			       "no contact matches what was given (an erased person is not found again); name the"
			       " contact by its id, see 'rapport contact list'");
	}
	if (rc)
		return rc;
	audit_as_id(args, id);
	if (!arg_flag(args, "yes"))
		return rp_errf(e, RP_EINVAL,
			       "erasing contact %lld removes them and everything about them for good and cannot be"
			       " undone; export their data first if they asked for it ('rapport privacy export %lld'),"
			       " then confirm with --yes (over HTTP: yes=true)",
			       (long long)id, (long long)id);
	return privacy_erase(c->db, id, arg_flag(args, "rewrite"), result, e);
}
