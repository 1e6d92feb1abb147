/*
** A per-thread cache of the answers to reads and of who holds a token.
**
** An entry is good while its stamp is: the store's data version (moved by
** every commit of another connection, in this process or another), this
** process's write generation (moved by every write it answers, which its
** own connection's data version does not show), and the day (ages and
** agendas change at midnight).  Who holds a token is kept a minute at most.
*/
#ifndef RP_HTTP_CACHE_H
#define RP_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "rapport.h"

typedef struct cache_stamp {
	int64_t data_version;
	uint64_t generation;
	int64_t day;
} cache_stamp;

/* The current stamp as this thread's connection sees it (0 when the store
** cannot tell: nothing is cached then). */
int cache_stamp_now(db *d, cache_stamp *s);
void cache_wrote(void);

/* An answer kept for key, or NULL. */
const char *cache_get(const char *key, const cache_stamp *s, size_t *len);
void cache_put(const char *key, const cache_stamp *s, const char *body, size_t len);

/* Who holds token (a session or API token), or 0 when not known. */
int cache_who_get(const char *token, const cache_stamp *s, account *who, char csrf[65]);
void cache_who_put(const char *token, const cache_stamp *s, const account *who, const char *csrf);

#endif
