#ifndef RP_UTIL_WORDS_H
#define RP_UTIL_WORDS_H

#include <stddef.h>

/*
 * The words of a text, as full-text search indexes them.
 *
 * Tokens are maximal runs of Unicode letters and digits (categories L*, N*;
 * combining marks Mn/Mc continue a token but never start one); everything
 * else, including bytes that are not valid UTF-8, separates tokens. Each
 * token is folded like rp_fold() (NFC + case folding + U+0451 -> U+0435),
 * cut to RP_WORDS_MAX bytes at a character boundary, then (when asked)
 * stemmed with the Snowball "russian" stemmer if it contains a Cyrillic
 * letter, else "english" if it contains a Latin letter, else left as is.
 */
#define RP_WORDS_MAX 255

/* A scanner with its stemmers and a cache of recent stems; one per thread. */
typedef struct rp_words rp_words;

rp_words *rp_words_new(void); /* NULL when memory runs out */
void rp_words_free(rp_words *w);

#define RP_WORDS_NOMEM (-1)

/* Called for each token: its folded form tok[0..n), its stem[0..sn) when
 * stemming was asked for and changed the word (else stem is NULL), and its
 * byte offsets start..end in the text. The pointers are valid during the
 * call only. Nonzero stops the scan and is returned by rp_words_scan. */
typedef int (*rp_word_fn)(void *ctx, const char *tok, size_t n, const char *stem, size_t sn,
                          size_t start, size_t end);

/* Scan text[0..n), calling fn for each token in order; stem: stem them.
 * Returns 0, fn's nonzero answer, or RP_WORDS_NOMEM. */
int rp_words_scan(rp_words *w, const char *text, size_t n, int stem, rp_word_fn fn, void *ctx);

#endif
