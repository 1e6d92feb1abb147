/* rapport config get|set: the few settings rapport has. */
#include "ops/ops.h"

#include <stdlib.h>
#include <string.h>

#include "util/phone.h"

/* The stages' names (core/ladder.c); an empty one shows the stage's key. */
static int stage_name(const char *key, const char *value, rp_err *e)
{
	return ladder_check_label(key + strlen("stage.name."), value, e);
}

/* The default region of imported phone numbers (util/phone.h). */
static int import_region_check(const char *key, const char *value, rp_err *e)
{
	(void)key;
	return phone_region_check(value, e);
}

static const struct {
	const char *key, *help;
	int64_t min, max; /* a whole number from min to max, unless text is set */
	int (*text)(const char *key, const char *value, rp_err *e); /* checks a text value */
} known[] = {
	{"cadence.panel", "days between touches with panel contacts (default 14)", 1, 3650, NULL},
	{"cadence.close", "days between touches with close contacts (default 30)", 1, 3650, NULL},
	{"cadence.regular", "days between touches with regular contacts (default 90)", 1, 3650, NULL},
	{"cadence.distant", "days between touches with distant contacts (default 365)", 1, 3650, NULL},
	{"merge.undo_days", "days in which a merge can be undone (default 30)", 0, 3650, NULL},
	{"panel.cadence", "days between interviews of a new panel member (default 30)", 1, 3650, NULL},
	{"stage.name.stranger", "the name shown for the stage stranger (empty: \"stranger\")", 0, 0, stage_name},
	{"stage.name.attention", "the name shown for the stage attention (empty: \"attention\")", 0, 0, stage_name},
	{"stage.name.yes", "the name shown for the stage yes (empty: \"yes\")", 0, 0, stage_name},
	{"stage.name.dialogue", "the name shown for the stage dialogue (empty: \"dialogue\")", 0, 0, stage_name},
	{"stage.name.trust", "the name shown for the stage trust (empty: \"trust\")", 0, 0, stage_name},
	{"stage.name.customer", "the name shown for the stage customer (empty: \"customer\")", 0, 0, stage_name},
	{"stage.name.advocate", "the name shown for the stage advocate (empty: \"advocate\")", 0, 0, stage_name},
	{"complaint.target_minutes", "minutes to a complaint's first response (default 5)", 1, 1440, NULL},
	{"value.hourly_cost", "what an hour of the team's time costs, in minor units (default 3000 = 30.00)", 0,
	 100000000, NULL},
	{"value.margin_rate", "the share of revenue that is margin, 0 to 1 (default 0.3)", 0, 0,
	 value_margin_rate_check},
	{"value.rfm_bins", "quantile bins of the RFM scores, 2 to 9 (default 5)", 2, 9, NULL},
	{"value.horizon_months", "months of the lifetime value's horizon (default 36)", 1, 120, NULL},
	{"trust.half_life_days", "days in which a trust act's weight halves (default 90); the state reads 4 of them",
	 1, 3650, NULL},
	{"trust.policy", "the response to a client's acts: gtft (generous tit-for-tat, default), tft or"
	 " always-cooperate", 0, 0, trust_setting_check},
	{"trait.tags", "traits from tags: TAG:DIMENSION=VALUE[,DIMENSION=VALUE]; ... (e.g. bargain:price=-0.8)", 0, 0,
	 align_tags_check},
	{"intake.keep_days", "days a declined intake request is kept after the decision (default 90)", 1, 3650, NULL},
	{"import.region", "the country of imported phone numbers written without +: RU (default), GB, US, DE or FR", 0, 0,
	 import_region_check},
	{"optin.hours", "hours a signup's confirmation link works (default 48)", 1, 720, NULL},
	{"webhook.backoff_seconds", "seconds before a failed webhook delivery's first retry; doubles each time"
	 " (default 10)", 1, 3600, NULL},
	{"webhook.private", "1: webhooks may deliver to this machine and private networks (default 0)", 0, 1, NULL},
	{"public.url", "the address clients reach this server at, for the links in messages", 0, 0,
	 outbox_setting_check},
	{"smtp.url", "the mail server: smtp://HOST:PORT (STARTTLS if offered) or smtps://...; login in ~/.netrc", 0, 0,
	 outbox_setting_check},
	{"smtp.from", "the sender of every email: shop@example.org or \"Shop <shop@example.org>\"", 0, 0,
	 outbox_setting_check},
};

int op_config_get(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)args;
	json_t *set;
	int rc = setting_list(c->db, &set, e);
	if (rc)
		return rc;
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		json_t *v = json_object_get(set, known[i].key);
		json_object_set_new(o, known[i].key, json_pack("{s:O?,s:s}", "value", v, "help", known[i].help));
	}
	json_decref(set);
	*result = o;
	return 0;
}

int op_config_set(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *key = arg_str(args, "key"), *value = arg_str(args, "value");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(known[i].key, key))
			continue;
		if (known[i].text) {
			int rc = known[i].text(key, value, e);
			if (!rc)
				rc = setting_set(c->db, key, value, e);
			if (!rc)
				*result = json_pack("{s:s,s:s}", "key", key, "value", value);
			return rc;
		}
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v < known[i].min || v > known[i].max)
			return rp_errf(e, RP_EINVAL, "%s must be a whole number from %lld to %lld", key,
				       (long long)known[i].min, (long long)known[i].max);
		int rc = setting_set(c->db, key, value, e);
		if (!rc)
			*result = json_pack("{s:s,s:I}", "key", key, "value", (json_int_t)v);
		return rc;
	}
	return rp_errf(e, RP_EINVAL, "there is no setting \"%s\"; see 'rapport config get'", key);
}
