/* A growable byte buffer, always NUL-terminated. */
#ifndef RP_BUF_H
#define RP_BUF_H

#include <stddef.h>

typedef struct rp_buf {
	char *p;
	size_t n, cap;
	int oom; /* set once an allocation failed; later appends do nothing */
} rp_buf;

void rp_buf_put(rp_buf *b, const char *s, size_t n);
void rp_buf_puts(rp_buf *b, const char *s);
void rp_buf_putc(rp_buf *b, char c);
void rp_buf_printf(rp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_buf_clear(rp_buf *b); /* n = 0, keeps the memory */
void rp_buf_free(rp_buf *b);

#endif
