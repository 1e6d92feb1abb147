/* The word tokenizer that search indexes every text with (contacts' notes,
** interactions, stories, all of them from outside): any bytes, stemmed or
** not.  Each token must lie inside the text, be non-empty and no longer
** than RP_WORDS_MAX bytes. */
#include "fuzz.h"

#include "util/words.h"

typedef struct seen {
	size_t len, last_end;
} seen;

static int on_word(void *ctx, const char *tok, size_t n, const char *stem, size_t sn, size_t start, size_t end)
{
	seen *s = ctx;
	if (!n || n > RP_WORDS_MAX || start >= end || end > s->len || start < s->last_end)
		abort();
	if (stem && (!sn || sn > RP_WORDS_MAX * 2))
		abort();
	/* touch every byte so ASan sees a read past the end */
	volatile char sink = 0;
	for (size_t i = 0; i < n; i++)
		sink ^= tok[i];
	for (size_t i = 0; stem && i < sn; i++)
		sink ^= stem[i];
	(void)sink;
	s->last_end = end;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static rp_words *w;
	if (!w && !(w = rp_words_new()))
		abort();
	if (!n)
		return 0;
	/* the first byte says whether to stem; the rest is the text, copied
	** so that a read past its end is caught */
	int stem = data[0] & 1;
	char *text = malloc(n - 1 ? n - 1 : 1);
	memcpy(text, data + 1, n - 1);
	seen s = {n - 1, 0};
	if (rp_words_scan(w, text, n - 1, stem, on_word, &s) == RP_WORDS_NOMEM)
		abort();
	free(text);
	return 0;
}
