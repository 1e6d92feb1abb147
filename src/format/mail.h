/*
** format/mail: an Internet message (RFC 5322) of UTF-8 plain text, built
** on bytes only.  Header text that is not plain ASCII travels as RFC 2047
** encoded words, the body as MIME quoted-printable (or base64 when most of
** it is in a script other than Latin), every line ends in CRLF,
** so the message is 7-bit clean and any mail server takes it as it is.
*/
#ifndef RP_MAIL_H
#define RP_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct mail_msg {
	const char *from_name, *from_addr; /* from_name may be NULL */
	const char *to_name, *to_addr;     /* to_name may be NULL */
	const char *subject;
	const char *body;        /* UTF-8 text, any line endings */
	int64_t date;            /* Unix seconds */
	const char *message_id;  /* without the angle brackets: "LOCAL@DOMAIN" */
	const char *unsubscribe; /* the one-click withdrawal URL (List-Unsubscribe), or NULL */
} mail_msg;

/* The whole message, headers and body, appended to b.  The addresses must
** already be plain (checked by their owners: no spaces, brackets or line
** breaks); the subject must hold no control characters. */
void mail_compose(rp_buf *b, const mail_msg *m);

/* Header text as it must travel: ASCII text as it is when it is safe in
** that place, otherwise RFC 2047 encoded words ("=?UTF-8?B?...?=") of whole
** characters, folded onto continuation lines.  phrase: a display name,
** where only letters, digits and spaces may stand plain. */
void mail_header_text(rp_buf *b, const char *text, int phrase);

/* Text as quoted-printable (RFC 2045) with CRLF line breaks. */
void mail_qp(rp_buf *b, const char *text);

/* The date as RFC 5322 writes it, in UTC: "Mon, 23 Nov 2026 12:00:00 +0000";
** buf needs 64 bytes. */
char *mail_date(int64_t t, char buf[64]);

/* Split "Name <addr@host>" or a bare "addr@host" into its parts (name
** empty when there is none).  -1 when it is neither, or a part is too long. */
int mail_split_address(const char *s, char *name, size_t name_size, char *addr, size_t addr_size);

#endif
