/* The calendar feed (core/feed.c) with any text where people's text goes:
** the login in the calendar's name, contacts' names and dates' labels in
** SUMMARY, a follow-up's fact in DESCRIPTION.  The feed is read back with
** libical's parser, as a calendar application would: it must be UTF-8 in
** lines of at most 75 bytes ending in CRLF, parse without an error, hold
** exactly the events put in, each with its own properties only, and every
** text must read back as it went in after feed_clean (invalid UTF-8 bytes
** and control characters other than tab and line feed become U+FFFD, a CR
** or CRLF a line feed, and spaces and tabs at either end go; what it gives
** is checked here too).  So no text can add a property or an event, or end
** the calendar.
**
** The input, split at NUL bytes: a byte whose lowest bit asks for Russian
** titles and then the login; then per event a byte saying what it is
** (bits 0-2 the kind, 3 an empty text rather than none, 4 the year
** known, 5 on 29 February) followed by the contact's name, and the
** event's text (a label or a fact). */
#include "fuzz.h"

#include <libical/ical.h>

#include "util/fold.h"

#define MAX_EVENTS 8

/* feed_clean's text: UTF-8, no control character but tab and line feed,
** no space or tab at either end. */
static void clean(rp_buf *b, const char *s)
{
	size_t from = b->n;
	feed_clean(b, s);
	if (b->oom)
		abort();
	const char *t = b->p ? b->p + from : "";
	size_t n = b->n - from;
	if (!rp_utf8_valid(t, n) || (n && strchr(" \t", t[0])) || (n && strchr(" \t", t[n - 1])))
		abort();
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)t[i] < 0x20 && t[i] != '\t' && t[i] != '\n') || t[i] == 0x7f)
			abort();
}

static void same(const char *got, const char *want)
{
	if (!got || strcmp(got, want)) {
		fprintf(stderr, "read back:\n[%s]\nexpected:\n[%s]\n", got ? got : "(none)", want);
		abort();
	}
}

/* UTF-8 throughout, CRLF line ends, lines of at most 75 bytes, no other
** control character than a tab. */
static void check_lines(const char *t)
{
	if (!rp_utf8_valid(t, strlen(t)))
		abort();
	const char *line = t;
	for (const char *p = t; *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n' || p - line > 75) {
				fprintf(stderr, "a line of %d bytes: [%.*s]\n", (int)(p - line), (int)(p - line), line);
				abort();
			}
			line = ++p + 1;
		} else if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			fprintf(stderr, "control character %#x at byte %d\n", *p, (int)(p - t));
			abort();
		}
	}
	if (*line)
		abort(); /* the last line ends in CRLF too */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const char *const what[][2] = {
		{"Birthday", "День рождения"},	   {"Anniversary", "Годовщина"},
		{"Date", "Дата"},		   {"Follow up", "Связаться"},
		{"Panel interview", "Интервью панели"},
	};
	static const char *const uid[] = {"birthday", "date", "date", "fact", "panel"};
	if (!n)
		return 0;
	/* fields at the NUL bytes, each a C string in buf */
	char *buf = malloc(n + 1), *field[1 + 2 * MAX_EVENTS];
	memcpy(buf, data, n);
	buf[n] = 0;
	int nf = 0;
	for (char *p = buf; nf < (int)(sizeof field / sizeof *field) && p <= buf + n; p += strlen(p) + 1)
		field[nf++] = p;
	int ru = field[0][0] & 1;
	const char *login = field[0][0] ? field[0] + 1 : "";
	feed_cal *f = feed_new(login, ru, 1795392000);
	if (!f)
		abort();
	feed_item it[MAX_EVENTS];
	int ne = 0;
	for (int i = 1; i + 1 < nf; i += 2, ne++) {
		unsigned char b = (unsigned char)field[i][0];
		int kind = (b & 7) % 5;
		it[ne] = (feed_item){.kind = kind,
				     .id = ne + 1,
				     .name = b ? field[i] + 1 : "",
				     .text = field[i + 1][0] || (b & 8) ? field[i + 1] : NULL,
				     .y = (b & 16) || kind > FEED_DATE ? 1996 : 0,
				     .m = b & 32 ? 2 : 11,
				     .d = b & 32 ? 29 : 23};
		feed_add(f, &it[ne]);
	}
	char *text = feed_text(f);
	if (!text)
		abort();
	/* FUZZ_ICAL_SHOW=1: the feed on stderr, to look at a finding */
	if (getenv("FUZZ_ICAL_SHOW"))
		fputs(text, stderr);
	check_lines(text);

	icalcomponent *cal = icalparser_parse_string(text);
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT || icalcomponent_count_errors(cal))
		abort();
	rp_buf want = {0}, raw = {0}, desc = {0};
	/* VERSION, PRODID, CALSCALE and the name */
	if (icalcomponent_count_properties(cal, ICAL_ANY_PROPERTY) != 4 ||
	    icalcomponent_count_components(cal, ICAL_ANY_COMPONENT) != ne)
		abort();
	icalproperty *x = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
	if (!x || strcmp(icalproperty_get_x_name(x), "X-WR-CALNAME"))
		abort();
	rp_buf_printf(&raw, "rapport: %s", login);
	clean(&want, raw.p);
	same(icalproperty_get_x(x), want.p);

	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	for (int i = 0; i < ne; i++, ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (!ev)
			abort();
		int yearly = it[i].kind <= FEED_DATE;
		int labelled = yearly && it[i].kind != FEED_BIRTHDAY && it[i].text && *it[i].text;
		/* a fact of white space alone has no description */
		rp_buf_clear(&desc);
		if (it[i].kind == FEED_FOLLOW_UP && it[i].text)
			clean(&desc, it[i].text);
		int described = desc.n > 0;
		rp_buf_clear(&raw);
		rp_buf_clear(&want);
		rp_buf_printf(&raw, "%s-%d@rapport", uid[it[i].kind], i + 1);
		same(icalcomponent_get_uid(ev), raw.p);
		rp_buf_clear(&raw);
		if (labelled)
			rp_buf_printf(&raw, "%s: %s (%s)", what[it[i].kind][ru], it[i].name, it[i].text);
		else
			rp_buf_printf(&raw, "%s: %s", what[it[i].kind][ru], it[i].name);
		clean(&want, raw.p);
		same(icalcomponent_get_summary(ev), want.p);
		if (described)
			same(icalcomponent_get_description(ev), desc.p);
		/* UID, DTSTAMP, DTSTART, SUMMARY, TRANSP, and DESCRIPTION, RRULE */
		if (icalcomponent_count_properties(ev, ICAL_ANY_PROPERTY) != 5 + described + yearly ||
		    icalcomponent_count_properties(ev, ICAL_DESCRIPTION_PROPERTY) != described ||
		    icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) != yearly ||
		    icalcomponent_count_components(ev, ICAL_ANY_COMPONENT))
			abort();
		struct icaltimetype start = icalcomponent_get_dtstart(ev);
		if (!start.is_date || start.year != (it[i].y ? it[i].y : 2000) || start.month != it[i].m ||
		    start.day != it[i].d)
			abort();
	}
	if (ev)
		abort();
	rp_buf_free(&want);
	rp_buf_free(&raw);
	rp_buf_free(&desc);
	icalcomponent_free(cal);
	free(text);
	feed_free(f);
	free(buf);
	return 0;
}
