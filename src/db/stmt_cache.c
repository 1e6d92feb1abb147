/*
** The statement cache every backend keeps per connection: an
** open-addressing hash of prepared statements keyed by their SQL text, so a
** hot path prepares once.  A statement is borrowed until reset; asking for
** SQL whose statement is already borrowed (a nested use), or when the cache
** is full of dynamically built SQL, gets a private statement that the
** backend frees on reset.
*/
#include "db/vfs.h"

#include <stdlib.h>
#include <string.h>

#define FIRST 64
#define MOST 4096

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* The slot of sql: where it is, or the empty slot where it would go. */
static size_t slot(const db_stmt_cache *c, const char *sql)
{
	size_t j = hash(sql) & (c->nslots - 1);
	while (c->slots[j] && strcmp(c->slots[j]->sql, sql))
		j = (j + 1) & (c->nslots - 1);
	return j;
}

db_stmt *db_cache_borrow(db_stmt_cache *c, const char *sql)
{
	if (!c->nslots)
		return NULL;
	db_stmt *s = c->slots[slot(c, sql)];
	if (!s || s->busy)
		return NULL;
	s->busy = 1;
	return s;
}

static int grow(db_stmt_cache *c)
{
	size_t n = c->nslots ? c->nslots * 2 : FIRST;
	db_stmt **slots = calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	db_stmt_cache bigger = {slots, n, c->used};
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i])
			slots[slot(&bigger, c->slots[i]->sql)] = c->slots[i];
	free(c->slots);
	*c = bigger;
	return 0;
}

void db_cache_keep(db_stmt_cache *c, db_stmt *s)
{
	s->busy = 1;
	s->private = 1;
	if (c->used >= MOST || ((c->used + 1) * 2 > c->nslots && grow(c)))
		return;
	size_t j = slot(c, s->sql);
	if (c->slots[j]) /* the same SQL, borrowed */
		return;
	c->slots[j] = s;
	c->used++;
	s->private = 0;
}

void db_cache_each(db_stmt_cache *c, void (*fn)(db_stmt *s))
{
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i])
			fn(c->slots[i]);
}

void db_cache_free(db_stmt_cache *c, void (*fin)(db_stmt *s))
{
	db_cache_each(c, fin);
	free(c->slots);
	*c = (db_stmt_cache){0};
}
