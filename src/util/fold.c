#include "util/fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define RP_FOLD_OPTIONS \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD))

int rp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    if (len == 0)
        return 1;
    if (!s)
        return 0;
    while (i < len) {
        int32_t cp;
        size_t n;

        /* Skip pure-ASCII stretches eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = rp_utf8_decode(p + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* U+0451 (D1 91) -> U+0435 (D0 B5); same byte length, done in place. */
static void replace_yo(unsigned char *p, size_t len)
{
    unsigned char *end = p + len;

    while (len >= 2) {
        unsigned char *q = memchr(p, 0xD1, len - 1);
        if (!q)
            return;
        if (q[1] == 0x91) {
            q[0] = 0xD0;
            q[1] = 0xB5;
        }
        p = q + 1;
        len = (size_t)(end - p);
    }
}

char *rp_fold(const char *s, size_t len, size_t *outlen)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n;

    if (outlen)
        *outlen = 0;
    if (len == 0) {
        char *e = malloc(1);
        if (e)
            e[0] = '\0';
        return e;
    }
    if (!s || len > (size_t)PTRDIFF_MAX || !rp_utf8_valid(s, len))
        return NULL;
    n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                     RP_FOLD_OPTIONS);
    if (n < 0) {
        free(dst);
        return NULL;
    }
    replace_yo(dst, (size_t)n);
    if (outlen)
        *outlen = (size_t)n;
    return (char *)dst;
}

ptrdiff_t rp_fold_into(const char *s, size_t len, void **scratch,
                       size_t *scratch_cap)
{
    utf8proc_int32_t *buf = *scratch;
    size_t cap = *scratch_cap; /* in code points */
    utf8proc_ssize_t n, r;

    if (len > 0 && !s)
        return RP_FOLD_EINVAL;
    if (len > (size_t)PTRDIFF_MAX / 16 || !rp_utf8_valid(s, len))
        return RP_FOLD_EINVAL;

    for (;;) {
        n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, buf,
                                      (utf8proc_ssize_t)cap, RP_FOLD_OPTIONS,
                                      NULL, NULL);
        if (n < 0)
            return n == UTF8PROC_ERROR_NOMEM ? RP_FOLD_ENOMEM : RP_FOLD_EINVAL;
        /* utf8proc_reencode needs room for a terminator past the data. */
        if ((size_t)n + 1 <= cap)
            break;
        {
            size_t ncap = cap ? cap : 64;
            void *nb;
            while (ncap < (size_t)n + 1)
                ncap *= 2;
            if (ncap > SIZE_MAX / sizeof(utf8proc_int32_t))
                return RP_FOLD_ENOMEM;
            nb = realloc(buf, ncap * sizeof(utf8proc_int32_t));
            if (!nb)
                return RP_FOLD_ENOMEM;
            buf = nb;
            cap = ncap;
            *scratch = buf;
            *scratch_cap = cap;
        }
    }
    r = utf8proc_reencode(buf, n, RP_FOLD_OPTIONS);
    if (r < 0)
        return r == UTF8PROC_ERROR_NOMEM ? RP_FOLD_ENOMEM : RP_FOLD_EINVAL;
    replace_yo((unsigned char *)buf, (size_t)r);
    return (ptrdiff_t)r;
}
