/* Results for a person at a terminal.  --json prints the result as it is. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) ((long long)json_integer_value(json_object_get((o), (k))))

static void list_line(FILE *f, const char *label, json_t *a)
{
	if (!json_array_size(a))
		return;
	fprintf(f, "  %-10s", label);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) fprintf(f, "%s%s", i ? ", " : "", json_string_value(v));
	fputc('\n', f);
}

#define F(o, k) json_number_value(json_object_get((o), (k)))

/* The ranked strategies under the rules they played by. */
static void simulate_tournament_text(FILE *f, json_t *r)
{
	json_t *p = json_object_get(r, "payoffs"), *v;
	size_t i;
	if (json_is_number(json_object_get(r, "w")))
		fprintf(f, "matches continuing with probability %g (at most %lld rounds)", F(r, "w"), I(r, "rounds"));
	else
		fprintf(f, "matches of %lld rounds", I(r, "rounds"));
	fprintf(f, ", payoffs T,R,P,S = %g,%g,%g,%g, noise %g, %lld repetition%s (seed %lld); generous tit-for-tat"
		" forgives with probability %.4g\n", F(p, "T"), F(p, "R"), F(p, "P"), F(p, "S"), F(r, "noise"),
		I(r, "repetitions"), I(r, "repetitions") == 1 ? "" : "s", I(r, "seed"), F(r, "gtft_forgiveness"));
	fprintf(f, "%4s  %-8s %12s %15s\n", "rank", "strategy", "score", "mean per round");
	json_array_foreach(json_object_get(r, "strategies"), i, v)
		fprintf(f, "%4zu  %-8s %12.2f %15.4f\n", i + 1, S(v, "name"), F(v, "score"), F(v, "mean_per_round"));
}

/* One line per generation: the share of cooperators, and as a bar. */
/* The cooperators' share per generation, a bar each. */
static void share_rows(FILE *f, json_t *share)
{
	json_t *v;
	size_t i;
	fprintf(f, "%10s  %s\n", "generation", "cooperators");
	json_array_foreach(share, i, v)
	{
		double x = json_number_value(v);
		fprintf(f, "%10zu  %.4f ", i, x);
		for (int k = 0; k < (int)(x * 40 + 0.5); k++)
			fputc('#', f);
		fputc('\n', f);
	}
}

static void simulate_lattice_text(FILE *f, json_t *r)
{
	fprintf(f, "%lld x %lld lattice, b = %g, %g defectors at the start (seed %lld)\n", I(r, "size"), I(r, "size"),
		F(r, "b"), F(r, "defectors"), I(r, "seed"));
	share_rows(f, json_object_get(r, "share"));
}

static void simulate_community_text(FILE *f, json_t *r)
{
	json_t *who = json_object_get(r, "cheater");
	fprintf(f, "%s: %lld members; %s (#%lld) starts to cheat, we answer with %s (b = %g)\n",
		S(json_object_get(r, "community"), "name"), I(r, "members"), S(who, "name"), I(who, "id"),
		S(r, "policy"), F(r, "b"));
	share_rows(f, json_object_get(r, "share"));
}

/* One story: its id, day, kind and tone, who told it, tags, then the words. */
static void story_line(FILE *f, json_t *st)
{
	json_t *c = json_object_get(st, "contact"), *t;
	size_t i;
	fprintf(f, "%8lld  %s %-11s %-8s %s (#%lld)", I(st, "id"), S(st, "told_on"), S(st, "kind"),
		S(st, "tone") ? S(st, "tone") : "-", S(c, "name"), I(c, "id"));
	json_array_foreach(json_object_get(st, "tags"), i, t) fprintf(f, " #%s", json_string_value(t));
	fprintf(f, "\n          %s\n", S(st, "text"));
}

static void story_similar_text(FILE *f, json_t *r)
{
	json_t *st = json_object_get(r, "story"), *c = json_object_get(st, "contact"), *v;
	size_t i;
	fprintf(f, "story %lld, told by %s (#%lld):\n  %s\n", I(st, "id"), S(c, "name"), I(c, "id"), S(st, "text"));
	if (!json_array_size(json_object_get(r, "similar")))
		fprintf(f, "no other client told anything like it\n");
	else
		fprintf(f, "told by others:\n");
	json_array_foreach(json_object_get(r, "similar"), i, v)
	{
		c = json_object_get(v, "contact");
		fprintf(f, "  %.3f  story %lld, %s %s, %s (#%lld)\n         %s\n",
			json_number_value(json_object_get(v, "score")), I(v, "id"), S(v, "told_on"), S(v, "kind"),
			S(c, "name"), I(c, "id"), S(v, "text"));
	}
}

/* "interaction 3, product 1" */
static void by_kind_line(FILE *f, json_t *by)
{
	const char *k;
	json_t *n;
	int first = 1;
	json_object_foreach(by, k, n)
	{
		fprintf(f, "%s%s %lld", first ? "" : ", ", k, (long long)json_integer_value(n));
		first = 0;
	}
}

static void story_themes_text(FILE *f, json_t *r)
{
	json_t *th, *ex;
	size_t i, j;
	fprintf(f, "stories told since %s: %lld%s\n", S(r, "since"), I(r, "considered"),
		json_is_true(json_object_get(r, "capped")) ? " (the newest only: there are more)" : "");
	if (!json_array_size(json_object_get(r, "themes")))
		fprintf(f, "no theme told by more than one story yet\n");
	json_array_foreach(json_object_get(r, "themes"), i, th)
	{
		fprintf(f, "\n%s: %lld stories from %lld clients (", S(th, "label"), I(th, "stories"), I(th, "clients"));
		by_kind_line(f, json_object_get(th, "by_kind"));
		fprintf(f, ")\n");
		json_array_foreach(json_object_get(th, "examples"), j, ex)
		{
			json_t *c = json_object_get(ex, "contact");
			fprintf(f, "  story %lld, %s (#%lld): %s\n", I(ex, "id"), S(c, "name"), I(c, "id"), S(ex, "text"));
		}
	}
}

/* s in a column of w characters (not bytes: labels are often Cyrillic),
** cut when longer. */
static void column(FILE *f, const char *s, int w)
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n < w) {
		do
			fputc(*p++, f);
		while ((*p & 0xC0) == 0x80);
		n++;
	}
	fprintf(f, "%*s", w - n, "");
}

static void story_report_text(FILE *f, json_t *r)
{
	json_t *periods = json_object_get(r, "periods"), *th, *v, *n;
	size_t i, j;
	fprintf(f, "stories since %s by %s%s\n\n%-32s", S(r, "since"), S(r, "by"),
		json_is_true(json_object_get(r, "capped")) ? " (the newest 5,000 grouped)" : "", "theme");
	json_array_foreach(periods, i, v) fprintf(f, " %8s", json_string_value(v));
	fprintf(f, "    total\n");
	if (!json_array_size(json_object_get(r, "themes")))
		fprintf(f, "(no theme told by more than one story)\n");
	json_array_foreach(json_object_get(r, "themes"), i, th)
	{
		column(f, S(th, "label"), 32);
		json_array_foreach(json_object_get(th, "by_period"), j, n) fprintf(f, " %8lld", (long long)json_integer_value(n));
		fprintf(f, " %8lld  (", I(th, "stories"));
		by_kind_line(f, json_object_get(th, "by_kind"));
		fprintf(f, ")\n");
	}
	json_t *bare = json_object_get(r, "without_lesson");
	fprintf(f, "\nstories without a lesson: %lld\n", I(bare, "count"));
	json_array_foreach(json_object_get(bare, "stories"), i, v)
	{
		json_t *c = json_object_get(v, "contact");
		fprintf(f, "  story %lld, %s %s, %s (#%lld): %s\n", I(v, "id"), S(v, "told_on"), S(v, "kind"), S(c, "name"),
			I(c, "id"), S(v, "text"));
	}
	json_t *l = json_object_get(r, "lessons");
	fprintf(f, "\nlessons: %lld open, %lld doing, %lld done, %lld dropped\n", I(l, "open"), I(l, "doing"), I(l, "done"),
		I(l, "dropped"));
}

static void interaction_line(FILE *f, json_t *it)
{
	const char *at = S(it, "at");
	fprintf(f, "  %.10s %s", at ? at : "", S(it, "kind"));
	if (S(it, "direction"))
		fprintf(f, " %s", S(it, "direction"));
	if (json_is_integer(json_object_get(it, "minutes")))
		fprintf(f, ", %lld min", I(it, "minutes"));
	json_t *amount = json_object_get(it, "amount");
	if (json_is_object(amount))
		fprintf(f, ", %s %s", S(amount, "value"), S(amount, "currency"));
	if (S(it, "summary") && *S(it, "summary"))
		fprintf(f, ": %s", S(it, "summary"));
	fputc('\n', f);
}

static void card(FILE *f, json_t *c)
{
	fprintf(f, "%s  (#%lld)\n", S(c, "name"), I(c, "id"));
	fprintf(f, "  %-10s%s\n", "tier", S(c, "tier"));
	if (S(c, "stage"))
		fprintf(f, "  %-10s%s\n", "stage", S(c, "stage"));
	if (S(c, "address"))
		fprintf(f, "  %-10s%s\n", "address", !strcmp(S(c, "address"), "vy") ? "vy («вы»)" : "ty («ты»)");
	if (S(c, "owner"))
		fprintf(f, "  %-10s%s\n", "owner", S(c, "owner"));
	if (S(c, "birthday")) {
		fprintf(f, "  %-10s%s", "birthday", S(c, "birthday"));
		if (json_object_get(c, "age"))
			fprintf(f, " (%lld)", I(c, "age"));
		fputc('\n', f);
	}
	list_line(f, "email", json_object_get(c, "emails"));
	list_line(f, "phone", json_object_get(c, "phones"));
	list_line(f, "messenger", json_object_get(c, "messengers"));
	list_line(f, "postal", json_object_get(c, "postal"));
	list_line(f, "tags", json_object_get(c, "tags"));
	if (S(c, "note"))
		fprintf(f, "  %-10s%s\n", "note", S(c, "note"));
	size_t i;
	json_t *v;
	int header = 0;
	json_array_foreach(json_object_get(c, "dates"), i, v)
	{
		if (!strcmp(S(v, "kind"), "birthday"))
			continue;
		if (!header++)
			fprintf(f, "Dates:\n");
		fprintf(f, "  %s %s%s%s\n", S(v, "date"), S(v, "kind"), S(v, "label") ? ": " : "",
			S(v, "label") ? S(v, "label") : "");
	}
	if (json_array_size(json_object_get(c, "facts")))
		fprintf(f, "Facts:\n");
	json_array_foreach(json_object_get(c, "facts"), i, v)
	{
		fprintf(f, "  [%lld] %s", I(v, "id"), S(v, "body"));
		if (S(v, "follow_up"))
			fprintf(f, " (follow up %s%s)", S(v, "follow_up"),
				json_is_true(json_object_get(v, "done")) ? ", done" : "");
		fputc('\n', f);
	}
	if (json_array_size(json_object_get(c, "stories")))
		fprintf(f, "Stories:\n");
	json_array_foreach(json_object_get(c, "stories"), i, v)
	{
		fprintf(f, "  [%lld] %s %s%s%s: %s\n", I(v, "id"), S(v, "told_on"), S(v, "kind"), S(v, "tone") ? ", " : "",
			S(v, "tone") ? S(v, "tone") : "", S(v, "text"));
	}
	if (json_array_size(json_object_get(c, "relations")))
		fprintf(f, "Relations:\n");
	json_array_foreach(json_object_get(c, "relations"), i, v)
	{
		json_t *o = json_object_get(v, "contact");
		fprintf(f, "  %s: %s (#%lld)%s%s\n", S(v, "kind"), S(o, "name"), I(o, "id"),
			S(v, "note") ? ", " : "", S(v, "note") ? S(v, "note") : "");
	}
	if (json_array_size(json_object_get(c, "interactions")))
		fprintf(f, "Recent:\n");
	json_array_foreach(json_object_get(c, "interactions"), i, v) interaction_line(f, v);
}

/* A stage's key, and its name when one is set: "yes (Said yes)". */
static void stage_name(FILE *f, json_t *labels, const char *stage)
{
	const char *label = S(labels, stage);
	fprintf(f, "%s", stage ? stage : "-");
	if (label && stage && strcmp(label, stage))
		fprintf(f, " (%s)", label);
}

/* The webhook commands' answers, a line each. */
static void webhook_lines(FILE *f, const char *what, json_t *r)
{
	size_t i;
	json_t *v;
	if (!strcmp(what, "add")) {
		fprintf(f, "added webhook %lld for %s\n", I(r, "id"), S(r, "events"));
		if (S(r, "secret"))
			fprintf(f, "signing secret (shown once): %s\n", S(r, "secret"));
	} else if (!strcmp(what, "rm")) {
		fprintf(f, "removed webhook %lld and its queue\n", I(r, "removed"));
	} else if (!strcmp(what, "deliver")) {
		fprintf(f, "delivered %lld, gave up %lld\n", I(r, "delivered"), I(r, "given_up"));
	} else if (!strcmp(what, "list")) {
		json_array_foreach(json_object_get(r, "webhooks"), i, v)
			fprintf(f, "%lld  %s  %s  (%lld pending, %lld delivered, %lld given up)\n", I(v, "id"), S(v, "url"),
				S(v, "events"), I(v, "pending"), I(v, "delivered"), I(v, "failed"));
	} else {
		json_array_foreach(json_object_get(r, "deliveries"), i, v)
		{
			fprintf(f, "%lld  webhook %lld  %-18s %s  %-9s tries %lld", I(v, "id"), I(v, "webhook"), S(v, "event"),
				S(v, "at"), S(v, "status"), I(v, "attempts"));
			if (json_is_integer(json_object_get(v, "last_code")))
				fprintf(f, "  HTTP %lld", I(v, "last_code"));
			const char *why = S(v, "last_error"), *next = S(v, "next_at");
			fprintf(f, "%s%s%s%s\n", why ? "  " : "", why ? why : "", next ? "  next " : "", next ? next : "");
		}
	}
}

static void stage_history(FILE *f, json_t *r)
{
	json_t *labels = json_object(), *v;
	size_t i;
	json_array_foreach(json_object_get(r, "stages"), i, v) json_object_set(labels, S(v, "stage"), json_object_get(v, "label"));
	fprintf(f, "%s  (#%lld): ", S(r, "name"), I(r, "contact_id"));
	stage_name(f, labels, S(r, "stage"));
	if (json_object_get(r, "moved") && !json_is_true(json_object_get(r, "moved")))
		fprintf(f, ", already there");
	fputc('\n', f);
	if (json_array_size(json_object_get(r, "moves")))
		fprintf(f, "Moves:\n");
	json_array_foreach(json_object_get(r, "moves"), i, v)
	{
		const char *at = S(v, "at");
		fprintf(f, "  %.10s %.5s  ", at ? at : "", at && strlen(at) > 11 ? at + 11 : "");
		stage_name(f, labels, S(v, "from"));
		fprintf(f, " -> ");
		stage_name(f, labels, S(v, "to"));
		fprintf(f, "  %s", S(v, "cause"));
		if (S(v, "by"))
			fprintf(f, " by %s", S(v, "by"));
		if (S(v, "why"))
			fprintf(f, ": %s", S(v, "why"));
		if (S(v, "evidence"))
			fprintf(f, " [%s]", S(v, "evidence"));
		fputc('\n', f);
	}
	json_decref(labels);
}

static void consents(FILE *f, json_t *r)
{
	size_t i;
	json_t *v;
	json_t *cur = json_object_get(r, "current"), *hist = json_object_get(r, "history");
	if (!json_array_size(hist)) {
		fprintf(f, "no consent recorded for contact %lld\n", I(r, "contact_id"));
		return;
	}
	fprintf(f, "Now:\n");
	json_array_foreach(cur, i, v) fprintf(f, "  %-10s %-9s %-8s since %.10s (%s%s%s)\n", S(v, "channel"), S(v, "purpose"),
					      S(v, "state"), S(v, "at"), S(v, "how"), S(v, "by") ? ", by " : "",
					      S(v, "by") ? S(v, "by") : "");
	fprintf(f, "History:\n");
	json_array_foreach(hist, i, v)
	{
		fprintf(f, "  %.10s %-8s %s/%s, %s", S(v, "at"), S(v, "state"), S(v, "channel"), S(v, "purpose"), S(v, "how"));
		if (S(v, "by"))
			fprintf(f, ", by %s", S(v, "by"));
		if (S(v, "evidence"))
			fprintf(f, ": %s", S(v, "evidence"));
		fputc('\n', f);
	}
}

static void funnel(FILE *f, json_t *r)
{
	size_t i;
	json_t *v;
	int erased = 0;
	fprintf(f, "Funnel from %s to %s\n", S(r, "from"), S(r, "to"));
	fprintf(f, "%-10s %8s %10s %11s %12s %10s\n", "stage", "entered", "converted", "conversion", "median days",
		"drop-outs");
	json_array_foreach(json_object_get(r, "stages"), i, v)
	{
		char conv[16] = "-", med[16] = "-", went[16] = "-";
		json_t *c = json_object_get(v, "conversion"), *m = json_object_get(v, "median_days");
		if (json_is_number(c))
			snprintf(conv, sizeof conv, "%.0f%%", json_number_value(c) * 100);
		if (json_is_number(m))
			snprintf(med, sizeof med, "%.1f", json_number_value(m));
		if (json_is_integer(json_object_get(v, "converted")))
			snprintf(went, sizeof went, "%lld", I(v, "converted"));
		fprintf(f, "%-10s %8lld %10s %11s %12s %10lld", S(v, "stage"), I(v, "entered"), went, conv, med,
			I(v, "dropped"));
		if (S(v, "label") && strcmp(S(v, "label"), S(v, "stage")))
			fprintf(f, "  %s", S(v, "label"));
		fputc('\n', f);
		erased |= I(v, "erased") > 0;
	}
	if (erased)
		fprintf(f, "(clients erased since count as entered, and are left out of conversions and times)\n");
}

/* The panel's interviews due on the agenda, each with what to ask. */
static void panel_due(FILE *f, json_t *a)
{
	size_t i, k;
	json_t *it, *q;
	if (json_array_size(a))
		fprintf(f, "\nPanel interviews due: %zu\n", json_array_size(a));
	json_array_foreach(a, i, it)
	{
		json_t *c = json_object_get(it, "contact");
		fprintf(f, "  %s (#%lld): due %s", S(c, "name"), I(c, "id"), S(it, "due_on"));
		if (I(it, "days_over"))
			fprintf(f, ", %lld day%s over", I(it, "days_over"), I(it, "days_over") == 1 ? "" : "s");
		if (S(it, "last_on"))
			fprintf(f, "; last talked %s", S(it, "last_on"));
		else
			fprintf(f, "; never talked");
		fprintf(f, " (every %lld days)\n", I(it, "cadence_days"));
		json_array_foreach(json_object_get(it, "questions"), k, q)
			fprintf(f, "    - %s: %s\n", json_string_value(json_array_get(json_object_get(it, "ask_about"), k)),
				json_string_value(q));
	}
}

static void panel_members(FILE *f, json_t *r)
{
	size_t i;
	json_t *m;
	if (!json_array_size(json_object_get(r, "members")))
		fprintf(f, "nobody is on the panel; add a client with 'rapport panel add CONTACT'\n");
	json_array_foreach(json_object_get(r, "members"), i, m)
	{
		json_t *c = json_object_get(m, "contact"), *v;
		const char *k;
		fprintf(f, "%8lld  %s: every %lld days since %s; last talked %s, next due %s\n          ", I(c, "id"),
			S(c, "name"), I(m, "cadence_days"), S(m, "joined_on"), S(m, "last_on") ? S(m, "last_on") : "never",
			S(m, "due_on"));
		int first = 1;
		json_object_foreach(json_object_get(m, "kinds"), k, v)
		{
			fprintf(f, "%s%s %s", first ? "" : ", ", k, json_is_string(v) ? json_string_value(v) : "never");
			first = 0;
		}
		fputc('\n', f);
	}
}

/* Coverage as a table: a block per member, a row per kind, a column per
** period; zeros shown as dots so the gaps stand out. */
static void coverage_table(FILE *f, json_t *r)
{
	size_t i, k, p;
	json_t *m, *kind, *per;
	fprintf(f, "Panel coverage by %s, %s to %s: stories told\n%-13s", S(r, "by"), S(r, "from"), S(r, "to"), "");
	json_array_foreach(json_object_get(r, "periods"), p, per) fprintf(f, " %7s", json_string_value(per));
	fprintf(f, " %7s\n", "total");
	if (!json_array_size(json_object_get(r, "members")))
		fprintf(f, "nobody is on the panel\n");
	json_array_foreach(json_object_get(r, "members"), i, m)
	{
		json_t *c = json_object_get(m, "contact");
		fprintf(f, "%s (#%lld): %lld\n", S(c, "name"), I(c, "id"), I(m, "total"));
		json_array_foreach(json_object_get(r, "kinds"), k, kind)
		{
			json_t *row = json_object_get(json_object_get(m, "counts"), json_string_value(kind)), *n;
			long long sum = 0;
			fprintf(f, "  %-11s", json_string_value(kind));
			json_array_foreach(row, p, n)
			{
				sum += json_integer_value(n);
				if (json_integer_value(n))
					fprintf(f, " %7lld", (long long)json_integer_value(n));
				else
					fprintf(f, " %7s", ".");
			}
			fprintf(f, " %7lld\n", sum);
		}
	}
}

/* The unanswered complaints, above everything else on the agenda. */
static void complaints_due(FILE *f, json_t *a)
{
	if (!json_array_size(a))
		return;
	fprintf(f, "Complaints waiting for an answer: %zu\n", json_array_size(a));
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		json_t *c = json_object_get(v, "contact");
		const char *st = S(v, "state");
		fprintf(f, "  %s #%lld %s (#%lld), %lld min waiting (target %lld)%s%s: %s\n",
			!strcmp(st, "late") ? "LATE" : !strcmp(st, "near") ? "NEAR" : "    ", I(v, "id"), S(c, "name"),
			I(c, "id"), I(v, "minutes_waiting"), I(v, "target_minutes"), S(v, "duty") ? ", duty " : "",
			S(v, "duty") ? S(v, "duty") : "", S(v, "text"));
	}
	fputc('\n', f);
}

/* One complaint: id, state, client, then what was said and done. */
static void complaint_text(FILE *f, json_t *k, int full)
{
	json_t *c = json_object_get(k, "contact"), *m = json_object_get(k, "first_response_minutes");
	fprintf(f, "%6lld  %-8s %s %-7s %s (#%lld)", I(k, "id"), S(k, "state"), S(k, "opened_at"), S(k, "channel"),
		S(c, "name"), I(c, "id"));
	if (json_is_number(m))
		fprintf(f, ", answered in %.1f min", json_number_value(m));
	fprintf(f, "%s\n        %s\n", json_is_true(json_object_get(k, "late")) ? ", LATE" : "", S(k, "text"));
	if (!full)
		return;
	if (S(k, "answer"))
		fprintf(f, "  answer: %s (%s, %s)%s\n", S(k, "answer"), S(k, "answered_by") ? S(k, "answered_by") : "-",
			S(k, "answered_at"), json_is_true(json_object_get(k, "apology")) ? ", with an apology" : "");
	if (S(k, "make_good"))
		fprintf(f, "  make-good: %s (%s %s)\n", S(k, "make_good"), S(k, "make_good_cost"), S(k, "currency"));
	if (S(k, "resolution"))
		fprintf(f, "  resolution: %s\n", S(k, "resolution"));
	if (S(k, "resolved_at"))
		fprintf(f, "  resolved at %s\n", S(k, "resolved_at"));
}

static void complaint_report_text(FILE *f, json_t *r)
{
	json_t *share = json_object_get(r, "share_in_time"), *med = json_object_get(r, "median_first_response_minutes");
	json_t *g = json_object_get(r, "make_goods"), *k = json_object_get(r, "kept");
	fprintf(f, "Complaints since %s: %lld, %lld answered, %lld in time (target %lld min)", S(r, "since"),
		I(r, "count"), I(r, "answered"), I(r, "answered_in_time"), I(r, "target_minutes"));
	if (json_is_number(share))
		fprintf(f, ": %.0f%%", 100 * json_number_value(share));
	fputc('\n', f);
	if (json_is_number(med))
		fprintf(f, "median first response: %.1f min\n", json_number_value(med));
	fprintf(f, "make-goods: %lld, cost %s %s\n", I(g, "count"), S(g, "cost"), S(g, "currency") ? S(g, "currency") : "");
	fprintf(f, "clients kept (bought again since): %lld, revenue %s %s\n", I(k, "clients"), S(k, "revenue"),
		S(k, "currency") ? S(k, "currency") : "");
}

/* ---- trust and communities ------------------------------------------------- */

static void contact_ref(FILE *f, json_t *c) { fprintf(f, "%s (#%lld)", S(c, "name"), I(c, "id")); }

static void trust_text(FILE *f, json_t *r)
{
	json_t *rec = json_object_get(r, "recommendation"), *open = json_object_get(r, "open_letdown");
	contact_ref(f, json_object_get(r, "contact"));
	fprintf(f, ": %s, score %+.2f\n", S(r, "state"), json_number_value(json_object_get(r, "score")));
	if (json_is_object(open))
		fprintf(f, "  not made good: %s %s\n", S(open, "on"), S(open, "text"));
	fprintf(f, "  %s (%s): %s\n", S(rec, "act"), S(r, "policy"), S(rec, "why"));
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(r, "acts"), i, a)
	{
		fprintf(f, "%6lld  %s  %-7s %-9s %s", I(a, "id"), S(a, "on"), S(a, "by"), S(a, "act"), S(a, "text"));
		if (json_is_integer(json_object_get(a, "complaint")))
			fprintf(f, " [complaint %lld]", I(a, "complaint"));
		fputc('\n', f);
	}
}

static void community_text(FILE *f, json_t *r)
{
	fprintf(f, "%s (#%lld): %zu member%s\n", S(r, "name"), I(r, "id"), json_array_size(json_object_get(r, "members")),
		json_array_size(json_object_get(r, "members")) == 1 ? "" : "s");
	if (S(r, "rules"))
		fprintf(f, "  rules: %s\n", S(r, "rules"));
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r, "members"), i, m)
	{
		fprintf(f, "  ");
		contact_ref(f, json_object_get(m, "contact"));
		fprintf(f, ", %s since %s: %s\n", S(m, "role"), S(m, "joined_on"), S(m, "trust_state"));
	}
	json_array_foreach(json_object_get(r, "ties"), i, m)
		fprintf(f, "  tie: #%lld %s #%lld\n", I(m, "a"), S(m, "kind"), I(m, "b"));
}

static void health_text(FILE *f, json_t *r)
{
	size_t i;
	json_t *v;
	contact_ref(f, json_object_get(r, "community"));
	fprintf(f, "\n  cooperation share by month:");
	json_array_foreach(json_object_get(r, "periods"), i, v)
	{
		json_t *s = json_array_get(json_object_get(r, "cooperation_share"), i);
		if (json_is_number(s))
			fprintf(f, " %s %.0f%%", json_string_value(v), 100 * json_number_value(s));
	}
	fputc('\n', f);
	json_array_foreach(json_object_get(r, "let_down"), i, v)
	{
		fprintf(f, "  let down: ");
		contact_ref(f, json_object_get(v, "contact"));
		fprintf(f, " on %s, not made good: %s\n", S(v, "on"), S(v, "text"));
	}
	json_array_foreach(json_object_get(r, "alerts"), i, v)
	{
		fprintf(f, "  ALERT ");
		contact_ref(f, json_object_get(v, "contact"));
		fprintf(f, ": %s on %s; tied to %lld member%s at risk:", S(v, "why"), S(v, "on"), I(v, "touches"),
			I(v, "touches") == 1 ? "" : "s");
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(v, "at_risk"), k, c) fprintf(f, "%s %s (#%lld)", k ? "," : "", S(c, "name"),
									       I(c, "id"));
		fputc('\n', f);
	}
	if (!json_array_size(json_object_get(r, "alerts")))
		fprintf(f, "  no contagion alerts\n");
}

/* import csv|vcard: counts, then each line's fate. */
static void upsert_report(FILE *f, json_t *r)
{
	int dry = json_is_true(json_object_get(r, "dry_run"));
	size_t i;
	json_t *v, *k;
	const char *key;
	fprintf(f, "%s %lld, %s %lld, %lld unchanged (%s, %lld %s)\n", dry ? "would create" : "created",
		I(r, "created"), dry ? "would change" : "changed", I(r, "changed"), I(r, "unchanged"), S(r, "what"),
		json_object_get(r, "cards") ? I(r, "cards") : I(r, "rows"), json_object_get(r, "cards") ? "cards" : "rows");
	json_array_foreach(json_object_get(r, "lines"), i, v)
	{
		fprintf(f, "  line %lld: %s #%lld %s\n", I(v, "line"), S(v, "action"), I(v, "contact"),
			S(v, "name") ? S(v, "name") : "");
		size_t j;
		json_array_foreach(json_object_get(v, "kept"), j, k)
			fprintf(f, "    %s\n", json_string_value(k));
	}
	json_array_foreach(json_object_get(r, "skipped"), i, v)
		fprintf(f, "  line %lld: skipped: %s\n", I(v, "line"), S(v, "why"));
	json_array_foreach(json_object_get(r, "unresolved"), i, v)
		fprintf(f, "  line %lld: RELATED %s (%s) skipped: %s\n", I(v, "line"), S(v, "related"), S(v, "type"),
			S(v, "why"));
	if (I(r, "relations"))
		fprintf(f, "%lld relation%s added\n", I(r, "relations"), I(r, "relations") == 1 ? "" : "s");
	json_object_foreach(json_object_get(r, "ignored"), key, v)
		fprintf(f, "ignored: %s x%lld\n", key, (long long)json_integer_value(v));
	json_array_foreach(json_object_get(r, "problems"), i, v)
		fprintf(f, "  line %lld: %s\n", I(v, "line"), S(v, "error"));
}

static void agenda(FILE *f, json_t *r)
{
	json_t *items = json_object_get(r, "items");
	complaints_due(f, json_object_get(r, "complaints"));
	fprintf(f, "Agenda for %s: %zu %s\n", S(r, "date"), json_array_size(items),
		json_array_size(items) == 1 ? "person" : "people");
	size_t i, k;
	json_t *it, *why;
	json_array_foreach(items, i, it)
	{
		json_t *c = json_object_get(it, "contact");
		fprintf(f, "\n%2zu. %s  (#%lld, %s%s)\n", i + 1, S(c, "name"), I(c, "id"), S(c, "tier"),
			S(c, "address") ? (!strcmp(S(c, "address"), "vy") ? ", «вы»" : ", «ты»") : "");
		json_array_foreach(json_object_get(it, "reasons"), k, why) fprintf(f, "    - %s\n", S(why, "text"));
	}
	json_t *ls = json_object_get(r, "lessons");
	if (json_array_size(ls))
		fprintf(f, "\nLessons: %zu\n", json_array_size(ls));
	json_array_foreach(ls, i, it)
		fprintf(f, "  #%lld %s (%s, %lld day%s open, %lld stor%s)\n", I(it, "id"), S(it, "title"),
			S(it, "status"), I(it, "days_open"), I(it, "days_open") == 1 ? "" : "s", I(it, "stories"),
			I(it, "stories") == 1 ? "y" : "ies");
	panel_due(f, json_object_get(r, "panel"));
	json_t *vs = json_object_get(r, "value");
	if (json_array_size(vs))
		fprintf(f, "\nValue: %zu high-value client%s to call\n", json_array_size(vs),
			json_array_size(vs) == 1 ? "" : "s");
	json_array_foreach(vs, i, it)
	{
		json_t *c = json_object_get(it, "contact");
		fprintf(f, "  %s (#%lld): %s\n", S(c, "name"), I(c, "id"), S(it, "reason"));
	}
	json_t *ts = json_object_get(r, "trust");
	if (json_array_size(ts))
		fprintf(f, "\nTrust: %zu client%s to make good\n", json_array_size(ts), json_array_size(ts) == 1 ? "" : "s");
	json_array_foreach(ts, i, it)
	{
		fprintf(f, "  ");
		contact_ref(f, json_object_get(it, "contact"));
		fprintf(f, ": %s (%s)\n", S(it, "reason"), S(it, "text"));
	}
}

static void lesson_line(FILE *f, json_t *l)
{
	fprintf(f, "%6lld  %-7s %-16s %s", I(l, "id"), S(l, "status"), S(l, "owner"), S(l, "title"));
	if (S(l, "segment"))
		fprintf(f, " [%s]", S(l, "segment"));
	fprintf(f, " (%lld stor%s)\n", I(l, "stories"), I(l, "stories") == 1 ? "y" : "ies");
}

static void outbox_lines(FILE *f, json_t *r)
{
	size_t i;
	json_t *v;
	if (!json_array_size(json_object_get(r, "messages")))
		fprintf(f, "no messages\n");
	json_array_foreach(json_object_get(r, "messages"), i, v)
	{
		json_t *c = json_object_get(v, "contact");
		fprintf(f, "%6lld  %.16s  %-8s %s/%s  %s", I(v, "id"), S(v, "created_at"), S(v, "state"), S(v, "channel"),
			S(v, "purpose"), json_is_object(c) ? S(c, "name") : "(erased)");
		if (S(v, "address"))
			fprintf(f, " <%s>", S(v, "address"));
		if (S(v, "subject"))
			fprintf(f, ": %s", S(v, "subject"));
		fputc('\n', f);
		if (S(v, "reason"))
			fprintf(f, "        %s\n", S(v, "reason"));
	}
}

/* ---- value ------------------------------------------------------------------ */

static double N(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static void params_line(FILE *f, json_t *params)
{
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach(params, k, v)
	{
		fprintf(f, "%s%s = %.6g", first ? "  " : ", ", k, json_number_value(v));
		first = 0;
	}
	fputc('\n', f);
}

static void value_fit_text(FILE *f, json_t *r)
{
	if (S(r, "model")) { /* a summary file */
		fprintf(f, "%s fitted to %lld customers in %lld iterations: log-likelihood %.3f\n", S(r, "model"),
			I(r, "customers"), I(r, "iterations"), N(r, "loglik"));
		params_line(f, json_object_get(r, "params"));
		return;
	}
	json_t *bg = json_object_get(r, "bgnbd"), *gg = json_object_get(r, "gg");
	fprintf(f, "fitted to %lld buyers (%lld bought again) up to %s; %lld clients scored\n", I(r, "customers"),
		I(r, "repeat_buyers"), S(r, "until") ? S(r, "until") : "today", I(r, "stored"));
	fprintf(f, "BG/NBD, log-likelihood %.3f:\n", N(bg, "loglik"));
	params_line(f, json_object_get(bg, "params"));
	if (json_is_object(gg)) {
		fprintf(f, "Gamma-Gamma, log-likelihood %.3f:\n", N(gg, "loglik"));
		params_line(f, json_object_get(gg, "params"));
	} else if (S(r, "gg_note"))
		fprintf(f, "%s\n", S(r, "gg_note"));
}

static void reasons_lines(FILE *f, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) fprintf(f, "    - %s\n", json_string_value(v));
}

static void value_show_text(FILE *f, json_t *r)
{
	json_t *c = json_object_get(r, "contact"), *rfm = json_object_get(r, "rfm"),
	       *cost = json_object_get(r, "cost_to_serve");
	const char *cur = S(r, "currency") ? S(r, "currency") : "";
	fprintf(f, "%s (#%lld), scored %s\n", S(c, "name"), I(c, "id"), S(r, "fitted_at"));
	fprintf(f, "  lifetime value %s %s; P(alive) %.2f", S(r, "clv"), cur, N(r, "p_alive"));
	if (json_is_number(json_object_get(r, "p_alive_before")))
		fprintf(f, " (was %.2f)", N(r, "p_alive_before"));
	fprintf(f, "; %.1f purchases expected in a year\n", N(r, "expected_purchases_year"));
	fprintf(f, "  RFM %s, %s\n", S(rfm, "score"), S(r, "segment"));
	fprintf(f, "  last 12 months: revenue %s, cost to serve %s (%lld minutes, %s of time, make-goods %s,"
		   " refunds %s), margin %s %s\n",
		S(r, "revenue"), S(cost, "total"), I(cost, "minutes"), S(cost, "time_cost"), S(cost, "make_goods"),
		S(cost, "discounts"), S(r, "margin"), cur);
	fprintf(f, "  expected margin %s %s%s\n", S(r, "expected_margin"), cur,
		json_is_true(json_object_get(r, "negative")) ? ": costs more than it brings" : "");
	reasons_lines(f, json_object_get(r, "reasons"));
}

static void value_negative_text(FILE *f, json_t *r)
{
	json_t *a = json_object_get(r, "clients"), *v;
	size_t i;
	fprintf(f, "%zu client%s with an expected margin below %s %s\n", json_array_size(a),
		json_array_size(a) == 1 ? "" : "s", S(r, "threshold"), S(r, "currency") ? S(r, "currency") : "");
	json_array_foreach(a, i, v)
	{
		json_t *c = json_object_get(v, "contact");
		fprintf(f, "  %s (#%lld): expected margin %s\n", S(c, "name"), I(c, "id"), S(v, "expected_margin"));
		reasons_lines(f, json_object_get(v, "reasons"));
	}
}

static void value_report_text(FILE *f, json_t *r)
{
	json_t *t = json_object_get(r, "totals"), *v;
	const char *cur = S(r, "currency") ? S(r, "currency") : "";
	size_t i;
	fprintf(f, "%lld clients scored %s: lifetime value %s %s, revenue %s, cost to serve %s\n", I(r, "customers"),
		S(r, "fitted_at"), S(t, "clv"), cur, S(t, "revenue"), S(t, "cost_to_serve"));
	json_array_foreach(json_object_get(r, "segments"), i, v)
		fprintf(f, "  %-12s %6lld  %s\n", S(v, "name"), I(v, "count"), S(v, "clv"));
	if (json_array_size(json_object_get(r, "top")))
		fprintf(f, "top:\n");
	json_array_foreach(json_object_get(r, "top"), i, v)
	{
		json_t *c = json_object_get(v, "contact");
		fprintf(f, "  %s (#%lld): %s, P(alive) %.2f, %s\n", S(c, "name"), I(c, "id"), S(v, "clv"),
			N(v, "p_alive"), S(v, "segment"));
	}
	json_t *neg = json_pack("{s:O,s:s,s:s}", "clients", json_object_get(r, "negative"), "threshold", "0", "currency",
				cur);
	value_negative_text(f, neg);
	json_decref(neg);
}

void cli_render(FILE *f, const op *o, json_t *r)
{
	const char *n = o->name;
	size_t i;
	json_t *v;
	if (!strcmp(n, "init")) {
		fprintf(f, "%s %s (schema version %lld)\n", json_is_true(json_object_get(r, "created")) ? "created" : "updated",
			S(r, "db"), I(r, "schema_version"));
	} else if (!strcmp(n, "migrate-store")) {
		fprintf(f, "copied %lld rows from %s to %s\n", I(r, "rows"), S(r, "from"), S(r, "to"));
		json_array_foreach(json_object_get(r, "tables"), i, v)
			fprintf(f, "  %-16s %10lld  %s\n", S(v, "table"), I(v, "rows"), S(v, "checksum"));
	} else if (!strcmp(n, "contact add") || !strcmp(n, "contact merge") || !strcmp(n, "contact show") || !strcmp(n, "contact edit") ||
		   !strcmp(n, "date add") || !strcmp(n, "relate")) {
		card(f, r);
		if (json_object_get(r, "merge_id"))
			fprintf(f, "merged #%lld into #%lld; undo with: rapport merge undo %lld\n", I(r, "merged"), I(r, "id"),
				I(r, "merge_id"));
	} else if (!strcmp(n, "merge")) {
		card(f, r);
		fprintf(f, "merged #%lld into #%lld; undo with: rapport merge undo %lld\n", I(r, "merged"), I(r, "id"),
			I(r, "merge_id"));
	} else if (!strcmp(n, "merge undo")) {
		fprintf(f, "undid merge %lld: contact #%lld is back, apart from #%lld\n", I(r, "merge_id"), I(r, "restored"),
			I(r, "keep"));
	} else if (!strcmp(n, "merge list")) {
		json_array_foreach(json_object_get(r, "merges"), i, v) {
			json_t *k = json_object_get(v, "keep"), *o = json_object_get(v, "other");
			fprintf(f, "%6lld  %s  #%lld %s <- #%lld %s  %s\n", I(v, "id"), S(v, "at"), I(k, "id"), S(k, "name"),
				I(o, "id"), S(o, "name"),
				S(v, "undone_at") ? "undone" : json_is_true(json_object_get(v, "undoable")) ? "undoable" : "final");
		}
	} else if (!strcmp(n, "dupes")) {
		json_array_foreach(json_object_get(r, "pairs"), i, v) {
			json_t *a = json_object_get(v, "a"), *b = json_object_get(v, "b"), *w;
			size_t j;
			fprintf(f, "%3lld  #%lld %s  ~  #%lld %s\n", I(v, "score"), I(a, "id"), S(a, "name"), I(b, "id"),
				S(b, "name"));
			json_array_foreach(json_object_get(v, "reasons"), j, w) fprintf(f, "       %s\n", json_string_value(w));
		}
		if (!json_array_size(json_object_get(r, "pairs")))
			fprintf(f, "no likely duplicates\n");
	} else if (!strcmp(n, "dupes dismiss")) {
		fprintf(f, "#%lld and #%lld are not duplicates; dupes leaves them out\n", I(r, "a"), I(r, "b"));
	} else if (!strcmp(n, "contact list")) {
		json_array_foreach(json_object_get(r, "contacts"), i, v)
			fprintf(f, "%8lld  %-36s %-8s %s\n", I(v, "id"), S(v, "name"), S(v, "tier"),
				S(v, "email") ? S(v, "email") : S(v, "phone") ? S(v, "phone") : "");
	} else if (!strcmp(n, "contact rm")) {
		fprintf(f, "removed contact %lld: %s\n", I(r, "id"), S(r, "name"));
	} else if (!strcmp(n, "fact add")) {
		fprintf(f, "remembered fact %lld about contact %lld", I(r, "id"), I(r, "contact_id"));
		if (S(r, "follow_up"))
			fprintf(f, "; follow up on %s", S(r, "follow_up"));
		fputc('\n', f);
	} else if (!strcmp(n, "story add")) {
		fprintf(f, "%lld\n", I(r, "id"));
	} else if (!strcmp(n, "lesson add")) {
		fprintf(f, "%lld\n", I(r, "id"));
	} else if (!strcmp(n, "lesson list")) {
		if (!json_array_size(json_object_get(r, "lessons")))
			fprintf(f, "no lessons\n");
		json_array_foreach(json_object_get(r, "lessons"), i, v) lesson_line(f, v);
	} else if (!strcmp(n, "lesson show")) {
		lesson_line(f, r);
		if (S(r, "note"))
			fprintf(f, "  note: %s\n", S(r, "note"));
		json_array_foreach(json_object_get(r, "supporting"), i, v)
		{
			json_t *c = json_object_get(v, "contact");
			fprintf(f, "  story %lld, %s, %s (#%lld): %s\n", I(v, "id"), S(v, "told_on"), S(c, "name"),
				I(c, "id"), S(v, "text"));
		}
	} else if (!strcmp(n, "panel add")) {
		json_t *c = json_object_get(r, "contact");
		fprintf(f, "%s (#%lld) is on the panel: an interview every %lld days, next due %s\n", S(c, "name"),
			I(c, "id"), I(r, "cadence_days"), S(r, "due_on"));
	} else if (!strcmp(n, "panel rm")) {
		json_t *c = json_object_get(r, "contact");
		fprintf(f, "%s (#%lld) left the panel; tier %s\n", S(c, "name"), I(c, "id"), S(r, "tier"));
	} else if (!strcmp(n, "panel list")) {
		panel_members(f, r);
	} else if (!strcmp(n, "panel coverage")) {
		coverage_table(f, r);
	} else if (!strcmp(n, "story list")) {
		if (!json_array_size(json_object_get(r, "stories")))
			fprintf(f, "no stories\n");
		json_array_foreach(json_object_get(r, "stories"), i, v) story_line(f, v);
	} else if (!strcmp(n, "story similar")) {
		story_similar_text(f, r);
	} else if (!strcmp(n, "story themes")) {
		story_themes_text(f, r);
	} else if (!strcmp(n, "simulate tournament")) {
		simulate_tournament_text(f, r);
	} else if (!strcmp(n, "simulate lattice")) {
		simulate_lattice_text(f, r);
	} else if (!strcmp(n, "simulate community")) {
		simulate_community_text(f, r);
	} else if (!strcmp(n, "story report")) {
		story_report_text(f, r);
	} else if (!strcmp(n, "complaint open")) {
		fprintf(f, "%lld\n", I(r, "id"));
	} else if (!strcmp(n, "complaint answer") || !strcmp(n, "complaint resolve") || !strcmp(n, "complaint show")) {
		complaint_text(f, r, 1);
	} else if (!strcmp(n, "complaint list")) {
		if (!json_array_size(json_object_get(r, "complaints")))
			fprintf(f, "no complaints\n");
		json_array_foreach(json_object_get(r, "complaints"), i, v) complaint_text(f, v, 0);
	} else if (!strcmp(n, "complaint report")) {
		complaint_report_text(f, r);
	} else if (!strcmp(n, "trust record")) {
		fprintf(f, "%lld\n", I(r, "id"));
	} else if (!strcmp(n, "trust show")) {
		trust_text(f, r);
	} else if (!strcmp(n, "community add")) {
		fprintf(f, "%lld\n", I(r, "id"));
	} else if (!strcmp(n, "community join") || !strcmp(n, "community leave")) {
		json_t *k = json_object_get(r, "community");
		if (S(r, "role"))
			fprintf(f, "%s (#%lld) joined %s as %s on %s\n", S(json_object_get(r, "contact"), "name"),
				I(json_object_get(r, "contact"), "id"), S(k, "name"), S(r, "role"), S(r, "joined_on"));
		else
			fprintf(f, "contact %lld left %s\n", I(json_object_get(r, "contact"), "id"), S(k, "name"));
	} else if (!strcmp(n, "community list")) {
		if (!json_array_size(json_object_get(r, "communities")))
			fprintf(f, "no communities; add one with 'rapport community add NAME'\n");
		json_array_foreach(json_object_get(r, "communities"), i, v)
			fprintf(f, "%6lld  %-30s %lld member%s\n", I(v, "id"), S(v, "name"), I(v, "members"),
				I(v, "members") == 1 ? "" : "s");
	} else if (!strcmp(n, "community show")) {
		community_text(f, r);
	} else if (!strcmp(n, "community health")) {
		health_text(f, r);
	} else if (!strcmp(n, "value fit")) {
		value_fit_text(f, r);
	} else if (!strcmp(n, "value show")) {
		value_show_text(f, r);
	} else if (!strcmp(n, "value negative")) {
		value_negative_text(f, r);
	} else if (!strcmp(n, "value report")) {
		value_report_text(f, r);
	} else if (!strcmp(n, "value letgo")) {
		json_t *c = json_object_get(r, "contact");
		fprintf(f, "%s (#%lld) let go gracefully: owner %s, tier %s%s\n", S(c, "name"), I(c, "id"),
			S(r, "owner") ? S(r, "owner") : "none", S(r, "tier"),
			json_is_true(json_object_get(r, "cadence_stopped")) ? ", no more cadence reminders" : "");
	} else if (!strcmp(n, "fact done")) {
		fprintf(f, "fact %lld: follow-up done\n", I(r, "id"));
	} else if (!strcmp(n, "log")) {
		fprintf(f, "logged %s %lld with contact %lld at %s\n", S(r, "kind"), I(r, "id"), I(r, "contact_id"),
			S(r, "at"));
	} else if (!strcmp(n, "timeline")) {
		json_array_foreach(json_object_get(r, "interactions"), i, v) interaction_line(f, v);
	} else if (!strcmp(n, "search")) {
		json_t *hits = json_object_get(r, "hits");
		if (!json_array_size(hits))
			fprintf(f, "nothing found for \"%s\"\n", S(r, "query"));
		json_array_foreach(hits, i, v)
		{
			json_t *c = json_object_get(v, "contact");
			fprintf(f, "%-11s %s (#%lld)", S(v, "kind"), S(c, "name"), I(c, "id"));
			if (S(v, "at"))
				fprintf(f, ": %.10s %s", S(v, "at"), S(v, "text"));
			else if (S(v, "told_on"))
				fprintf(f, ": %s %s: %s", S(v, "told_on"), S(v, "story_kind"), S(v, "text"));
			else if (strcmp(S(v, "kind"), "contact"))
				fprintf(f, ": %s", S(v, "text"));
			fputc('\n', f);
		}
	} else if (!strcmp(n, "agenda")) {
		agenda(f, r);
	} else if (!strcmp(n, "import") && json_object_get(r, "created")) {
		upsert_report(f, r);
	} else if (!strcmp(n, "import")) {
		fprintf(f, "%s %lld %s", json_is_true(json_object_get(r, "dry_run")) ? "would import" : "imported",
			json_is_true(json_object_get(r, "dry_run")) ? I(r, "valid") : I(r, "imported"),
			S(r, "what"));
		if (I(r, "bad"))
			fprintf(f, "; skipped %lld bad row%s", I(r, "bad"), I(r, "bad") == 1 ? "" : "s");
		fputc('\n', f);
		json_array_foreach(json_object_get(r, "problems"), i, v)
			fprintf(f, "  line %lld: %s\n", I(v, "line"), S(v, "error"));
	} else if (!strcmp(n, "config get")) {
		const char *k;
		json_object_foreach(r, k, v)
		{
			json_t *val = json_object_get(v, "value");
			fprintf(f, "%-21s %-6s %s\n", k, json_is_string(val) ? json_string_value(val) : "-",
				S(v, "help"));
		}
	} else if (!strcmp(n, "user list")) {
		json_array_foreach(json_object_get(r, "users"), i, v)
			fprintf(f, "%-20s %-8s %s%lld session%s\n", S(v, "login"), S(v, "role"),
				json_is_true(json_object_get(v, "disabled")) ? "disabled, " : "", I(v, "sessions"),
				I(v, "sessions") == 1 ? "" : "s");
	} else if (!strcmp(n, "token list")) {
		json_array_foreach(json_object_get(r, "tokens"), i, v)
			fprintf(f, "%6lld  %-20s %-24s %s\n", I(v, "id"), S(v, "login"), S(v, "label") ? S(v, "label") : "",
				json_is_true(json_object_get(v, "revoked")) ? "revoked" : "");
	} else if (!strcmp(n, "audit")) {
		json_array_foreach(json_object_get(r, "entries"), i, v)
		{
			char *t = json_dumps(json_object_get(v, "target"), JSON_COMPACT);
			fprintf(f, "%s  %-10s %-14s %-16s %s %s%s%s\n", S(v, "at"), S(v, "actor") ? S(v, "actor") : "-",
				S(v, "address") ? S(v, "address") : "-", S(v, "action"),
				json_is_true(json_object_get(v, "ok")) ? "ok" : "REFUSED", t ? t : "",
				S(v, "detail") ? ": " : "", S(v, "detail") ? S(v, "detail") : "");
			free(t);
		}
	} else if (!strcmp(n, "token create")) {
		fprintf(f, "%s\n", S(r, "token")); /* alone on its line, for scripts */
	} else if (!strcmp(n, "feed url")) {
		fprintf(f, "%s\n", S(r, "url")); /* alone on its line, for scripts */
	} else if (!strcmp(n, "feed revoke")) {
		fprintf(f, "your calendar address is revoked; 'rapport feed url' makes a new one\n");
	} else if (!strncmp(n, "webhook ", 8)) {
		webhook_lines(f, n + 8, r);
	} else if (!strcmp(n, "user add")) {
		fprintf(f, "added user %s (%s)\n", S(r, "login"), S(r, "role"));
	} else if (!strcmp(n, "user set")) {
		fprintf(f, "changed user %s\n", S(r, "login"));
	} else if (!strcmp(n, "token revoke")) {
		fprintf(f, "revoked token %lld\n", I(r, "id"));
	} else if (!strcmp(n, "privacy erase")) {
		fprintf(f, "erased contact %lld: %lld email and phone suppression entries, %lld outbox messages and"
			" %lld stage moves kept anonymous, %lld audit entries redacted\n  traces: %s\n",
			I(r, "id"), I(r, "suppressed"), I(r, "outbox"), I(r, "stage_moves"), I(r, "audit"), S(r, "traces"));
	} else if (!strcmp(n, "config set")) {
		if (json_is_string(json_object_get(r, "value")))
			fprintf(f, "%s = %s\n", S(r, "key"), S(r, "value"));
		else
			fprintf(f, "%s = %lld\n", S(r, "key"), I(r, "value"));
	} else if (!strcmp(n, "stage") || !strcmp(n, "stage show") || !strcmp(n, "stage move")) {
		stage_history(f, r);
	} else if (!strcmp(n, "consent grant") || !strcmp(n, "consent revoke")) {
		fprintf(f, "%s %s/%s for contact %lld (%s); stage now %s\n", S(r, "state"), S(r, "channel"), S(r, "purpose"),
			I(r, "contact_id"), S(r, "how"), S(r, "stage"));
	} else if (!strcmp(n, "consent list")) {
		consents(f, r);
	} else if (!strcmp(n, "funnel")) {
		funnel(f, r);
	} else if (!strcmp(n, "send")) {
		if (!strcmp(S(r, "state"), "sent"))
			fprintf(f, "sent message %lld to %s\n", I(r, "id"), S(r, "address"));
		else
			fprintf(f, "queued message %lld to %s; hand it over with 'rapport outbox export --channel %s FILE'\n",
				I(r, "id"), S(r, "address"), S(r, "channel"));
	} else if (!strcmp(n, "outbox")) {
		outbox_lines(f, r);
	} else if (!strcmp(n, "outbox export")) {
		fprintf(f, "exported %lld %s message%s to %s", I(r, "exported"), S(r, "channel"), I(r, "exported") == 1 ? "" : "s",
			S(r, "file"));
		if (I(r, "refused"))
			fprintf(f, "; refused %lld whose consent was withdrawn since", I(r, "refused"));
		fputc('\n', f);
	} else if (!cli_render_align(f, n, r)) {
		json_dumpf(r, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', f);
	}
}
