/*
** Words of a text as search sees them: the one scanner, folding and
** stemming behind SQLite's "rapport" FTS5 tokenizer (db/sqlite_fts.c) and
** the story features compared in C (core/similar.c), so both cut, fold and
** stem a text the same way (rules in util/words.h).
*/
#include "util/words.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "util/fold.h"

/* Character classes used by the scanner. */
enum {
    CC_WORD = 1,  /* letter or digit: starts or continues a token */
    CC_MARK = 2,  /* Mn/Mc: continues a token only */
    CC_CYR = 4,   /* Cyrillic letter */
    CC_LAT = 8,   /* Latin letter */
    CC_FAST = 16  /* folds by the byte-level fast path */
};

/*
 * Stemming dominates the cost of tokenizing, and word frequencies are very
 * skewed, so recent stems are kept in a small direct-mapped cache keyed by
 * the folded token and the stemmer used. Only short tokens are cached.
 */
#define STEM_CACHE_SLOTS 2048 /* power of two */
#define STEM_CACHE_KEY 30     /* max cached token / stem length, bytes */

typedef struct StemSlot {
    uint32_t hash;            /* 0: empty */
    unsigned char klen;
    unsigned char slen;
    unsigned char key[STEM_CACHE_KEY];
    unsigned char stem[STEM_CACHE_KEY];
} StemSlot;

struct rp_words {
    struct sb_stemmer *ru;
    struct sb_stemmer *en;
    StemSlot *cache;          /* STEM_CACHE_SLOTS entries */
    void *scratch;        /* rp_fold_into buffer, grows as needed */
    size_t scratch_cap;
    unsigned char small[RP_WORDS_MAX + 1]; /* fast-path fold output */
};

/* ASCII: digits are words, letters are Latin words; both take the fast path. */
static const unsigned char ascii_class[128] = {
#define D_ (CC_WORD | CC_FAST)
#define L_ (CC_WORD | CC_FAST | CC_LAT)
    ['0'] = D_, ['1'] = D_, ['2'] = D_, ['3'] = D_, ['4'] = D_,
    ['5'] = D_, ['6'] = D_, ['7'] = D_, ['8'] = D_, ['9'] = D_,
    ['A'] = L_, ['B'] = L_, ['C'] = L_, ['D'] = L_, ['E'] = L_, ['F'] = L_,
    ['G'] = L_, ['H'] = L_, ['I'] = L_, ['J'] = L_, ['K'] = L_, ['L'] = L_,
    ['M'] = L_, ['N'] = L_, ['O'] = L_, ['P'] = L_, ['Q'] = L_, ['R'] = L_,
    ['S'] = L_, ['T'] = L_, ['U'] = L_, ['V'] = L_, ['W'] = L_, ['X'] = L_,
    ['Y'] = L_, ['Z'] = L_,
    ['a'] = L_, ['b'] = L_, ['c'] = L_, ['d'] = L_, ['e'] = L_, ['f'] = L_,
    ['g'] = L_, ['h'] = L_, ['i'] = L_, ['j'] = L_, ['k'] = L_, ['l'] = L_,
    ['m'] = L_, ['n'] = L_, ['o'] = L_, ['p'] = L_, ['q'] = L_, ['r'] = L_,
    ['s'] = L_, ['t'] = L_, ['u'] = L_, ['v'] = L_, ['w'] = L_, ['x'] = L_,
    ['y'] = L_, ['z'] = L_,
#undef D_
#undef L_
};

static int is_cyrillic_block(int32_t cp)
{
    return (cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
           (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F) ||
           (cp >= 0x1E030 && cp <= 0x1E08F);
}

static int is_latin_block(int32_t cp)
{
    return cp == 0x00AA || cp == 0x00BA || (cp >= 0x00C0 && cp <= 0x02AF) ||
           (cp >= 0x1D00 && cp <= 0x1DBF) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
           (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
           (cp >= 0xAB30 && cp <= 0xAB6F) || (cp >= 0xFB00 && cp <= 0xFB06) ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

/* Class of a non-ASCII code point. */
static unsigned classify(int32_t cp)
{
    /* Basic Russian alphabet (А-я, Ё, ё): the common case, no table lookup. */
    if ((cp >= 0x0410 && cp <= 0x044F) || cp == 0x0401 || cp == 0x0451)
        return CC_WORD | CC_CYR | CC_FAST;

    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        if (is_cyrillic_block(cp))
            return CC_WORD | CC_CYR;
        if (is_latin_block(cp))
            return CC_WORD | CC_LAT;
        return CC_WORD;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return CC_WORD;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return CC_MARK;
    default:
        return 0;
    }
}

/* Largest n <= max such that s[0..n) ends on a character boundary. */
static size_t utf8_cut(const unsigned char *s, size_t len, size_t max)
{
    size_t n;

    if (len <= max)
        return len;
    n = max;
    while (n > 0 && (s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/*
 * Fast-path fold: the token consists only of ASCII letters/digits and the
 * basic Russian alphabet, for which NFC is the identity and case folding is
 * a fixed byte transformation of the same length. len is already cut.
 */
static void fold_fast(const unsigned char *s, size_t len, unsigned char *out)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            out[i] = (unsigned char)(c - 'A' < 26u ? c + 32 : c);
            i++;
            continue;
        }
        {
            unsigned c2 = s[i + 1];
            if (c == 0xD0) {
                if (c2 == 0x81) {         /* Ё -> е */
                    out[i] = 0xD0;
                    out[i + 1] = 0xB5;
                } else if (c2 < 0xA0) {   /* А-П -> а-п */
                    out[i] = 0xD0;
                    out[i + 1] = (unsigned char)(c2 + 0x20);
                } else if (c2 < 0xB0) {   /* Р-Я -> р-я */
                    out[i] = 0xD1;
                    out[i + 1] = (unsigned char)(c2 - 0x20);
                } else {                  /* а-п */
                    out[i] = 0xD0;
                    out[i + 1] = (unsigned char)c2;
                }
            } else {                      /* 0xD1: р-я or ё */
                if (c2 == 0x91) {
                    out[i] = 0xD0;
                    out[i + 1] = 0xB5;
                } else {
                    out[i] = 0xD1;
                    out[i + 1] = (unsigned char)c2;
                }
            }
            i += 2;
        }
    }
}

static uint32_t stem_hash(const unsigned char *p, size_t n, int ru)
{
    uint32_t h = ru ? 0x811C9DC5u : 0x050C5D1Fu;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    h ^= h >> 15;
    return h | 1u; /* never 0, which marks an empty slot */
}

/* Stems tok[0..n) with the Russian (ru != 0) or English stemmer. On success
 * *out and *outn hold the stem (*outn may be 0 if the stemmer returned
 * nothing); the pointer stays valid until the next call. */
static int stem_token(rp_words *t, int ru, const unsigned char *tok, size_t n,
                      const unsigned char **out, size_t *outn)
{
    struct sb_stemmer *st = ru ? t->ru : t->en;
    StemSlot *slot = NULL;
    const sb_symbol *stem;
    size_t sn;
    int sl;

    if (n <= STEM_CACHE_KEY) {
        uint32_t h = stem_hash(tok, n, ru);
        slot = &t->cache[h & (STEM_CACHE_SLOTS - 1)];
        if (slot->hash == h && slot->klen == n &&
            memcmp(slot->key, tok, n) == 0) {
            *out = slot->stem;
            *outn = slot->slen;
            return 0;
        }
        slot->hash = h;
        slot->klen = 0; /* invalid until filled below */
    }

    stem = sb_stemmer_stem(st, tok, (int)n);
    if (!stem) {
        if (slot)
            slot->hash = 0;
        return RP_WORDS_NOMEM;
    }
    sl = sb_stemmer_length(st);
    sn = sl > 0 ? utf8_cut(stem, (size_t)sl, RP_WORDS_MAX) : 0;
    if (slot) {
        if (sn <= STEM_CACHE_KEY) {
            memcpy(slot->key, tok, n);
            memcpy(slot->stem, stem, sn);
            slot->klen = (unsigned char)n;
            slot->slen = (unsigned char)sn;
        } else {
            slot->hash = 0;
        }
    }
    *out = stem;
    *outn = sn;
    return 0;
}

static int emit_token(rp_words *t, int stem, rp_word_fn fn, void *ctx,
                      const unsigned char *text, size_t start, size_t end,
                      unsigned cls, int fast)
{
    const unsigned char *tok;
    size_t n;

    if (fast) {
        n = utf8_cut(text + start, end - start, RP_WORDS_MAX);
        fold_fast(text + start, n, t->small);
        tok = t->small;
    } else {
        ptrdiff_t r = rp_fold_into((const char *)text + start, end - start,
                                   &t->scratch, &t->scratch_cap);
        if (r == RP_FOLD_ENOMEM)
            return RP_WORDS_NOMEM;
        if (r <= 0)
            return 0; /* cannot happen for scanner output; skip */
        tok = t->scratch;
        n = utf8_cut(tok, (size_t)r, RP_WORDS_MAX);
    }

    if (n == 0)
        return 0;
    if (stem && (cls & (CC_CYR | CC_LAT))) {
        const unsigned char *s;
        size_t sn;
        int rc = stem_token(t, (cls & CC_CYR) != 0, tok, n, &s, &sn);

        if (rc != 0)
            return rc;
        if (sn > 0 && (sn != n || memcmp(s, tok, n) != 0))
            return fn(ctx, (const char *)tok, n, (const char *)s, sn, start, end);
    }
    return fn(ctx, (const char *)tok, n, NULL, 0, start, end);
}

int rp_words_scan(rp_words *t, const char *text, size_t n, int stem,
                  rp_word_fn fn, void *ctx)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;

    while (i < n) {
        size_t start, len;
        unsigned cls, c;
        int fast;
        int32_t cp;

        /* Find the start of the next token. */
        c = p[i];
        if (c < 0x80) {
            cls = ascii_class[c];
            len = 1;
        } else {
            len = rp_utf8_decode(p + i, n - i, &cp);
            if (len == 0) {
                i++;
                continue;
            }
            cls = classify(cp);
        }
        if (!(cls & CC_WORD)) {
            i += len;
            continue;
        }
        start = i;
        fast = (cls & CC_FAST) != 0;
        i += len;

        /* Extend it over letters, digits and combining marks. */
        while (i < n) {
            unsigned k;
            c = p[i];
            if (c < 0x80) {
                k = ascii_class[c];
                if (!k)
                    break;
                cls |= k;
                i++;
                continue;
            }
            len = rp_utf8_decode(p + i, n - i, &cp);
            if (len == 0)
                break;
            k = classify(cp);
            if (!k)
                break;
            cls |= k;
            if (!(k & CC_FAST))
                fast = 0;
            i += len;
        }

        {
            int rc = emit_token(t, stem, fn, ctx, p, start, i, cls, fast);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

void rp_words_free(rp_words *t)
{
    if (!t)
        return;
    sb_stemmer_delete(t->ru);
    sb_stemmer_delete(t->en);
    free(t->cache);
    free(t->scratch);
    free(t);
}

rp_words *rp_words_new(void)
{
    rp_words *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    t->ru = sb_stemmer_new("russian", "UTF_8");
    t->en = sb_stemmer_new("english", "UTF_8");
    t->cache = calloc(STEM_CACHE_SLOTS, sizeof *t->cache);
    if (!t->ru || !t->en || !t->cache) {
        rp_words_free(t);
        return NULL;
    }
    return t;
}
