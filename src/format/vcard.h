/*
** format/vcard: reading and writing vCard 3.0 (RFC 2426) and 4.0 (RFC 6350),
** and the 2.1 habits of old phones, on bytes only (no store).
**
** Reading: lines are unfolded (CRLF or LF, then a space or tab), parameters
** are read in every form seen in the wild (TYPE=HOME,CELL; TYPE=home;TYPE=cell;
** the bare HOME;CELL of 2.1), QUOTED-PRINTABLE values are decoded (soft line
** breaks included) and converted from their CHARSET to UTF-8.  Values are
** handed over decoded but still escaped: vcard_split unescapes them, split
** into their components.  PHOTO, LOGO, SOUND and KEY are skipped as they are
** read, whatever their size: they are never kept in memory.
**
** Limits keep a hostile or broken file from taking the memory: a logical
** line (a kept property) of at most VCARD_MAX_LINE bytes, a card of at most
** VCARD_MAX_CARD bytes (skipped properties counted) and VCARD_MAX_PROPS
** properties.  Every error names the line it was found on.
*/
#ifndef RP_VCARD_H
#define RP_VCARD_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define VCARD_MAX_LINE (64 * 1024)
#define VCARD_MAX_CARD (16 * 1024 * 1024)
#define VCARD_MAX_PROPS 1000

typedef struct vcard_prop {
	char *name;  /* upper case, the group dropped */
	char *types; /* TYPE values, lower case, comma-separated ("home,cell"), or "" */
	char *value_type; /* VALUE=, lower case, or "" */
	char *label; /* LABEL= (4.0 ADR), or NULL */
	char *value; /* decoded to UTF-8, still escaped */
	unsigned long line;
} vcard_prop;

typedef struct vcard {
	vcard_prop *prop;
	size_t n, cap;
	char version[8]; /* "2.1", "3.0", "4.0" or "" */
	unsigned long line; /* of BEGIN:VCARD */
	size_t skipped;     /* properties skipped (PHOTO, ...) */
} vcard;

/* Called once per card; nonzero stops the reading with that code (the
** callback fills e). */
typedef int (*vcard_fn)(void *ctx, const vcard *c, rp_err *e);

typedef struct vcard_reader vcard_reader;

vcard_reader *vcard_reader_new(vcard_fn fn, void *ctx);
/* Push bytes in any chunks. */
int vcard_reader_feed(vcard_reader *r, const char *buf, size_t len, rp_err *e);
/* End of input: a card left open is an error. */
int vcard_reader_finish(vcard_reader *r, rp_err *e);
void vcard_reader_free(vcard_reader *r);
/* How many cards were read. */
size_t vcard_reader_cards(const vcard_reader *r);

/* The first property of that name, or NULL. */
const vcard_prop *vcard_get(const vcard *c, const char *name);
/* Whether the property's TYPE list holds t (lower case). */
int vcard_has_type(const vcard_prop *p, const char *t);

/* Split an escaped value at the unescaped sep (';' for components, ',' for
** lists), unescaping each part (\n \N \, \; \\) into a malloc'd string.
** Up to max parts are filled (the rest joins the last); returns how many,
** or -1 when out of memory.  Free them with vcard_free_parts. */
int vcard_split(const char *value, char sep, char **parts, int max);
void vcard_free_parts(char **parts, int n);

/* Writing.  Escape text into b (\\ \, \; and line breaks as \n). */
void vcard_escape(rp_buf *b, const char *s);
/* Append one property line "NAME[;PARAMS]:VALUE" (value already escaped),
** folded at 75 bytes without splitting a UTF-8 character, ending in CRLF. */
void vcard_line(rp_buf *b, const char *name_params, const char *value);

#endif
