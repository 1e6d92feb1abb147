#ifndef RP_UTIL_FOLD_H
#define RP_UTIL_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Text folding used for search keys and the full-text tokenizer.
 *
 * The fold of a string is: NFC normalisation + full Unicode case folding
 * (utf8proc options STABLE|COMPOSE|CASEFOLD, nothing stripped), after which
 * every U+0451 CYRILLIC SMALL LETTER IO is replaced by U+0435 CYRILLIC SMALL
 * LETTER IE (the capital U+0401 has already been folded to U+0451).
 */

/* Returns a malloc'd, NUL-terminated folded copy of s[0..len), or NULL if
 * the input is not valid UTF-8 or memory runs out. When outlen is not NULL
 * it receives the byte length of the result (excluding the terminator; the
 * result may contain embedded NULs if the input did). Free with free(). */
char *rp_fold(const char *s, size_t len, size_t *outlen);

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), else 0. */
int rp_utf8_valid(const char *s, size_t len);

#define RP_FOLD_EINVAL (-1)
#define RP_FOLD_ENOMEM (-2)

/* Non-allocating variant for hot loops. *scratch is a buffer owned by the
 * caller (initially NULL with *scratch_cap == 0; the capacity is opaque)
 * that is grown with realloc as needed and reused across calls; release it
 * with free(). On success the folded UTF-8 bytes are at *scratch,
 * NUL-terminated, and their length is returned. Returns RP_FOLD_EINVAL on
 * invalid UTF-8, RP_FOLD_ENOMEM on OOM (the scratch buffer stays valid in
 * both cases). */
ptrdiff_t rp_fold_into(const char *s, size_t len, void **scratch,
                       size_t *scratch_cap);

/* Decodes one code point from s[0..n), n >= 1. Returns the number of bytes
 * consumed (1..4) and stores the code point in *cp, or returns 0 if the
 * bytes at s do not start a well-formed UTF-8 sequence. */
static inline size_t rp_utf8_decode(const unsigned char *s, size_t n,
                                    int32_t *cp)
{
    unsigned c = s[0];
    uint32_t v;

    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (s[1] & 0x3Fu));
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        v = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = (int32_t)v;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        v = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
            ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = (int32_t)v;
        return 4;
    }
    return 0;
}

#endif
