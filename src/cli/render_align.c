/* Alignment's results for a person at a terminal (cli/render.c calls it). */
#include "cli/cli.h"

#include <string.h>

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) ((long long)json_integer_value(json_object_get((o), (k))))

static void number(FILE *f, json_t *v, const char *none)
{
	if (json_is_number(v))
		fprintf(f, "%+.2f", json_number_value(v));
	else
		fputs(none, f);
}

static void lines(FILE *f, const char *label, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) fprintf(f, "  %s %s\n", label, json_string_value(v));
}

static void dimension(FILE *f, json_t *d)
{
	fprintf(f, "%-12s ", S(d, "key"));
	number(f, json_object_get(d, "position"), "?");
	fprintf(f, "  weight %.2f  (%s <-> %s)\n", json_number_value(json_object_get(d, "weight")), S(d, "left"),
		S(d, "right"));
}

static void groups(FILE *f, json_t *g)
{
	size_t i;
	json_t *v;
	fprintf(f, "%-9s %7s %10s %11s %7s\n", "verdict", "clients", "mean CLV", "complaints", "trust");
	json_array_foreach(g, i, v)
	{
		fprintf(f, "%-9s %7lld ", S(v, "verdict"), I(v, "clients"));
		json_t *c = json_object_get(v, "mean_clv");
		if (json_is_number(c))
			fprintf(f, "%10.2f ", json_number_value(c));
		else
			fprintf(f, "%10s ", "-");
		c = json_object_get(v, "complaints_per_client");
		if (json_is_number(c))
			fprintf(f, "%11.2f ", json_number_value(c));
		else
			fprintf(f, "%11s ", "-");
		c = json_object_get(v, "mean_trust");
		if (json_is_number(c))
			fprintf(f, "%+7.2f\n", json_number_value(c));
		else
			fprintf(f, "%7s\n", "-");
	}
}

static void request(FILE *f, json_t *r)
{
	fprintf(f, "#%lld %s  %s  %s", I(r, "id"), S(r, "received_at"), S(r, "name"),
		S(r, "email") ? S(r, "email") : S(r, "phone") ? S(r, "phone") : "");
	fprintf(f, "\n  %s (score ", S(r, "verdict"));
	number(f, json_object_get(r, "score"), "none");
	fprintf(f, "), %s\n  \"%s\"\n", S(r, "status"), S(r, "message"));
	lines(f, "+", json_object_get(r, "for"));
	lines(f, "-", json_object_get(r, "against"));
}

int cli_render_align(FILE *f, const char *n, json_t *r)
{
	size_t i;
	json_t *v;
	if (!strcmp(n, "profile show") || !strcmp(n, "profile preset")) {
		if (!json_array_size(json_object_get(r, "dimensions")))
			fputs("no value profile yet; start from a preset: rapport profile preset NAME\n", f);
		json_array_foreach(json_object_get(r, "dimensions"), i, v) dimension(f, v);
		fputs("presets:", f);
		json_array_foreach(json_object_get(r, "presets"), i, v) fprintf(f, " %s (%s)", S(v, "key"), S(v, "name"));
		fputc('\n', f);
	} else if (!strcmp(n, "profile set")) {
		dimension(f, r);
	} else if (!strcmp(n, "profile suggest")) {
		fprintf(f, "from %lld best clients (%s)\n", I(r, "clients"), S(r, "from"));
		json_array_foreach(json_object_get(r, "suggested"), i, v)
		{
			fprintf(f, "  %-12s ", S(v, "key"));
			number(f, json_object_get(v, "position"), "?");
			fprintf(f, "  weight %.2f  (%lld clients)\n", json_number_value(json_object_get(v, "weight")),
				I(v, "clients"));
		}
		groups(f, json_object_get(r, "sorted"));
	} else if (!strcmp(n, "trait set")) {
		fprintf(f, "%s (#%lld): %s ", S(json_object_get(r, "contact"), "name"), I(json_object_get(r, "contact"), "id"),
			S(r, "dimension"));
		number(f, json_object_get(r, "value"), "?");
		fprintf(f, " (%s)\n", S(r, "source"));
	} else if (!strcmp(n, "trait list")) {
		json_array_foreach(json_object_get(r, "traits"), i, v)
		{
			fprintf(f, "%-12s ", S(v, "dimension"));
			number(f, json_object_get(v, "value"), "?");
			fprintf(f, "  %s\n", S(v, "source"));
		}
	} else if (!strcmp(n, "align")) {
		fprintf(f, "%s (#%lld): %s, score ", S(json_object_get(r, "contact"), "name"),
			I(json_object_get(r, "contact"), "id"), S(r, "verdict"));
		number(f, json_object_get(r, "score"), "none");
		fprintf(f, ", coverage %.0f%%\n", 100 * json_number_value(json_object_get(r, "coverage")));
		lines(f, "+", json_object_get(r, "for"));
		lines(f, "-", json_object_get(r, "against"));
	} else if (!strcmp(n, "align report")) {
		json_t *d = json_object_get(r, "distribution");
		fputs("score     clients\n", f);
		for (i = 0; i < json_array_size(json_object_get(d, "counts")); i++)
			fprintf(f, "%+.1f..%+.1f %5lld\n", json_number_value(json_array_get(json_object_get(d, "edges"), i)),
				json_number_value(json_array_get(json_object_get(d, "edges"), i + 1)),
				(long long)json_integer_value(json_array_get(json_object_get(d, "counts"), i)));
		groups(f, json_object_get(r, "groups"));
	} else if (!strcmp(n, "intake list")) {
		if (!json_array_size(json_object_get(r, "requests")))
			fputs("no requests\n", f);
		json_array_foreach(json_object_get(r, "requests"), i, v) request(f, v);
	} else if (!strcmp(n, "intake accept")) {
		fprintf(f, "accepted request %lld: contact %s (#%lld)\n", I(r, "id"), S(json_object_get(r, "contact"), "name"),
			I(json_object_get(r, "contact"), "id"));
	} else if (!strcmp(n, "intake decline")) {
		fprintf(f, "declined request %lld; the reply to send:\n%s\n", I(r, "id"), S(r, "reply"));
	} else {
		return 0;
	}
	return 1;
}
