/* A map from positive 64-bit ids to 64-bit values (open addressing). */
#ifndef RP_IDMAP_H
#define RP_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_idmap {
	int64_t *key; /* 0 marks an empty slot, so ids must be positive */
	int64_t *val;
	size_t cap, n;
} rp_idmap;

/* The value of id, or NULL when absent. */
int64_t *rp_idmap_get(const rp_idmap *m, int64_t id);
/* The value of id, inserted as v when absent (*added tells which, may be
** NULL).  NULL when out of memory or id is not positive. */
int64_t *rp_idmap_put(rp_idmap *m, int64_t id, int64_t v, int *added);
void rp_idmap_clear(rp_idmap *m); /* empty, keeping the memory */
void rp_idmap_free(rp_idmap *m);

#endif
