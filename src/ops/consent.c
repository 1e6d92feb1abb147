/* rapport consent grant|revoke|list: a client's consents, with evidence. */
#include "ops/ops.h"

#include <string.h>

/* The ways a team member hears a consent; import, link and signup are
** recorded by rapport itself. */
static const char *const person_hows[] = {"form", "call", "in_person", NULL};

static int person_how(const char *how)
{
	for (int i = 0; person_hows[i]; i++)
		if (!strcmp(how, person_hows[i]))
			return 1;
	return 0;
}

static int change(op_ctx *c, json_t *args, const char *state, json_t **result, rp_err *e)
{
	int64_t id, row;
	const char *how = arg_str(args, "how") ? arg_str(args, "how") : "call";
	int rc = arg_contact(c, args, "contact", &id, e);
	if (rc)
		return rc;
	if (!person_how(how))
		return rp_errf(e, RP_EINVAL, "--how \"%s\" is not form, call or in_person (how the client said it)", how);
	consent_in in = {.channel = arg_str(args, "channel"), .purpose = arg_str(args, "purpose"), .state = state,
			 .how = how, .evidence = arg_str(args, "evidence"), .by = c->user};
	char stage[16];
	json_t *labels;
	if ((rc = consent_set(c->db, id, &in, &row, e)) || (rc = ladder_stage(c->db, id, stage, e)) ||
	    (rc = ladder_labels(c->db, &labels, e)))
		return rc;
	*result = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s?,s:s,s:O}", "id", (json_int_t)row, "contact_id",
			    (json_int_t)id, "channel", in.channel, "purpose", in.purpose, "state", state, "how", how,
			    "evidence", in.evidence, "stage", stage, "label", json_object_get(labels, stage));
	json_decref(labels);
	return 0;
}

int op_consent_grant(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return change(c, args, "granted", result, e);
}

/* Withdrawing takes no more than giving: no evidence is asked for. */
int op_consent_revoke(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return change(c, args, "revoked", result, e);
}

int op_consent_list(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	int64_t id;
	int rc = arg_contact(c, args, "contact", &id, e);
	return rc ? rc : consent_list(c->db, id, result, e);
}
