#include "http/cache.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ANSWERS 256
#define TOKENS 64
#define MAX_ANSWER (64 * 1024)
#define WHO_SECONDS 60

static _Atomic uint64_t generation;

typedef struct answer {
	char *key;
	char *body;
	size_t len;
	cache_stamp stamp;
} answer;

typedef struct holder {
	unsigned char hash[32]; /* of the token: the token itself is not kept */
	account who;
	char csrf[65];
	cache_stamp stamp;
	time_t since;
	int used;
} holder;

static _Thread_local answer answers[ANSWERS];
static _Thread_local holder holders[TOKENS];

int cache_stamp_now(db *d, cache_stamp *s)
{
	if (db_data_version(d, &s->data_version))
		return -1;
	s->generation = atomic_load(&generation);
	rp_date t = rp_today();
	s->day = rp_days_from_civil(t.y, t.m, t.d);
	return 0;
}

void cache_wrote(void) { atomic_fetch_add(&generation, 1); }

static int same(const cache_stamp *a, const cache_stamp *b)
{
	return a->data_version == b->data_version && a->generation == b->generation && a->day == b->day;
}

static size_t slot(const char *key, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % n);
}

const char *cache_get(const char *key, const cache_stamp *s, size_t *len)
{
	answer *a = &answers[slot(key, ANSWERS)];
	if (!a->key || strcmp(a->key, key) || !same(&a->stamp, s))
		return NULL;
	*len = a->len;
	return a->body;
}

void cache_put(const char *key, const cache_stamp *s, const char *body, size_t len)
{
	if (len > MAX_ANSWER)
		return;
	answer *a = &answers[slot(key, ANSWERS)];
	char *k = strdup(key), *b = malloc(len ? len : 1);
	if (!k || !b) {
		free(k);
		free(b);
		return;
	}
	memcpy(b, body, len);
	free(a->key);
	free(a->body);
	*a = (answer){k, b, len, *s};
}

int cache_who_get(const char *token, const cache_stamp *s, account *who, char csrf[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	holder *t = &holders[h[0] % TOKENS];
	if (!t->used || sodium_memcmp(t->hash, h, sizeof h) || !same(&t->stamp, s) ||
	    time(NULL) - t->since >= WHO_SECONDS)
		return 0;
	*who = t->who;
	memcpy(csrf, t->csrf, 65);
	return 1;
}

void cache_who_put(const char *token, const cache_stamp *s, const account *who, const char *csrf)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	holder *t = &holders[h[0] % TOKENS];
	memcpy(t->hash, h, sizeof h);
	t->who = *who;
	snprintf(t->csrf, sizeof t->csrf, "%s", csrf ? csrf : "");
	t->stamp = *s;
	t->since = time(NULL);
	t->used = 1;
}
