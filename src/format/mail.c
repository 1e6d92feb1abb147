/* format/mail: RFC 5322 messages of UTF-8 text (see mail.h). */
#include "format/mail.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Raw bytes per encoded word: 39 bytes are 52 base64 characters, so a word
** with its "=?UTF-8?B?" and "?=" is 64 characters and "Subject: " and one
** word stay within the 78 characters a line should keep to. */
#define WORD_RAW 39
#define PLAIN_MAX 70

static int plain_char(unsigned char c, int phrase)
{
	if (phrase)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
	return c >= 0x20 && c <= 0x7e;
}

void mail_header_text(rp_buf *b, const char *text, int phrase)
{
	size_t n = strlen(text);
	int plain = n <= PLAIN_MAX && !strstr(text, "=?");
	for (size_t i = 0; plain && i < n; i++)
		plain = plain_char((unsigned char)text[i], phrase);
	if (plain) {
		rp_buf_put(b, text, n);
		return;
	}
	size_t i = 0;
	while (i < n) {
		/* Whole characters only: an encoded word may not end inside one. */
		size_t k = n - i > WORD_RAW ? WORD_RAW : n - i;
		if (i + k < n)
			while (k > 1 && ((unsigned char)text[i + k] & 0xc0) == 0x80)
				k--;
		char word[sodium_base64_ENCODED_LEN(WORD_RAW, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(word, sizeof word, (const unsigned char *)text + i, k, sodium_base64_VARIANT_ORIGINAL);
		rp_buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", word);
		i += k;
	}
}

/* A space or tab must not end a line in quoted-printable: a mail system
** may strip it. */
static int at_line_end(const char *p) { return !*p || *p == '\r' || *p == '\n'; }

void mail_qp(rp_buf *b, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r' || c == '\n') {
			if (c == '\r' && p[1] == '\n')
				p++;
			rp_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		char tok[4];
		size_t len;
		/* A dot starting a line is encoded too, so that no relay's
		** end-of-data handling can ever touch the text. */
		int literal = (c > 32 && c < 127 && c != '=' && !(c == '.' && col == 0)) ||
			      ((c == ' ' || c == '\t') && !at_line_end(p + 1));
		if (literal) {
			tok[0] = (char)c;
			len = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			len = 3;
		}
		/* Lines of at most 76 characters, the soft break's '=' included. */
		if (col + len > 75) {
			rp_buf_puts(b, "=\r\n");
			col = 0;
			if (c == '.' && literal) { /* now at the start of a line */
				tok[0] = '=', tok[1] = '2', tok[2] = 'E', len = 3;
			}
		}
		rp_buf_put(b, tok, len);
		col += len;
	}
	if (col)
		rp_buf_puts(b, "\r\n");
}

char *mail_date(int64_t t, char buf[64])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(buf, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

static int addr_ok(const char *a, size_t n)
{
	const char *at = memchr(a, '@', n);
	if (!at || at == a || at == a + n - 1 || memchr(at + 1, '@', (size_t)(a + n - at - 1)))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a[i] <= 32 || (unsigned char)a[i] >= 127 || strchr("<>()[]\\,;:\"", a[i]))
			return 0;
	return 1;
}

int mail_split_address(const char *s, char *name, size_t name_size, char *addr, size_t addr_size)
{
	while (*s == ' ' || *s == '\t')
		s++;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return -1;
	const char *lt = strchr(s, '<'), *a = s, *end;
	size_t nn = 0;
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || strchr(gt + 1, '<') || strchr(gt + 1, '>'))
			return -1;
		for (const char *p = gt + 1; *p; p++)
			if (*p != ' ' && *p != '\t')
				return -1;
		a = lt + 1;
		end = gt;
		/* The name: what stands before '<', without spaces and quotes around it. */
		const char *ns = s, *ne = lt;
		while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		if (ne - ns >= 2 && *ns == '"' && ne[-1] == '"')
			ns++, ne--;
		for (const char *p = ns; p < ne; p++)
			if (*p == '"' || *p == '<' || *p == '>')
				return -1;
		nn = (size_t)(ne - ns);
		if (nn >= name_size)
			return -1;
		memcpy(name, ns, nn);
	} else {
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
	}
	name[nn] = 0;
	size_t an = (size_t)(end - a);
	if (an >= addr_size || !addr_ok(a, an))
		return -1;
	memcpy(addr, a, an);
	addr[an] = 0;
	return 0;
}

static void address_header(rp_buf *b, const char *field, const char *name, const char *addr)
{
	rp_buf_printf(b, "%s: ", field);
	if (name && *name) {
		mail_header_text(b, name, 1);
		rp_buf_puts(b, " ");
	}
	rp_buf_printf(b, "<%s>\r\n", addr);
}

/* Text as base64 in lines of 76 characters, its line breaks made CRLF
** first (a text body's lines end so, encoded or not). */
static void body_base64(rp_buf *b, const char *text)
{
	rp_buf crlf = {0};
	for (const char *p = text; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			rp_buf_puts(&crlf, "\r\n");
		} else {
			rp_buf_putc(&crlf, *p);
		}
	}
	for (size_t i = 0; !crlf.oom && i < crlf.n; i += 57) {
		size_t k = crlf.n - i < 57 ? crlf.n - i : 57; /* 57 bytes: 76 characters */
		char line[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(line, sizeof line, (const unsigned char *)crlf.p + i, k, sodium_base64_VARIANT_ORIGINAL);
		rp_buf_printf(b, "%s\r\n", line);
	}
	if (crlf.oom)
		b->oom = 1;
	rp_buf_free(&crlf);
}

void mail_compose(rp_buf *b, const mail_msg *m)
{
	char date[64];
	rp_buf_printf(b, "Date: %s\r\n", mail_date(m->date, date));
	address_header(b, "From", m->from_name, m->from_addr);
	address_header(b, "To", m->to_name, m->to_addr);
	rp_buf_puts(b, "Subject: ");
	mail_header_text(b, m->subject ? m->subject : "", 0);
	rp_buf_printf(b, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	/* Quoted-printable keeps mostly Latin text readable; text mostly in
	** another script is a third the size in base64. */
	const char *body = m->body ? m->body : "";
	size_t n = 0, high = 0;
	for (const char *p = body; *p; p++, n++)
		high += (unsigned char)*p >= 0x80;
	int b64 = high * 4 > n;
	rp_buf_printf(b, "MIME-Version: 1.0\r\n"
			 "Content-Type: text/plain; charset=UTF-8\r\n"
			 "Content-Transfer-Encoding: %s\r\n",
		      b64 ? "base64" : "quoted-printable");
	if (m->unsubscribe)
		/* RFC 2369, and RFC 8058's one-click POST to the same address. */
		rp_buf_printf(b, "List-Unsubscribe: <%s>\r\n"
				 "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			      m->unsubscribe);
	rp_buf_puts(b, "\r\n");
	if (b64)
		body_base64(b, body);
	else
		mail_qp(b, body);
}
