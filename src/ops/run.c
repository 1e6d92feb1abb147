/*
** Running an operation, for every edge.  On PostgreSQL a write transaction
** can lose to a concurrent one (RP_EBUSY: PostgreSQL found an interleaving
** that could lose an update, and rolled this side back whole).  The
** operation then runs again from the start, as if it had come a moment
** later, a few times with a growing random pause.
*/
#include "ops/ops.h"

#include <stdlib.h>
#include <time.h>

#define ATTEMPTS 8

static void pause_ms(int attempt)
{
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&attempt;
	long ms = 1 + rand_r(&seed) % (5L << attempt);
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

int ops_run(const op *o, op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	for (int attempt = 0;; attempt++) {
		int rc = o->fn(c, args, result, e);
		/* Output already streamed cannot be taken back; streamed input
		** must be read again from its start. */
		if (rc != RP_EBUSY || attempt + 1 == ATTEMPTS || !(o->flags & OP_WRITE) || (o->flags & OP_STREAM) ||
		    (c->in && fseek(c->in, 0, SEEK_SET))) {
			if (rc == RP_EBUSY && e)
				e->retry_after = 1;
			return rc;
		}
		json_decref(*result);
		*result = NULL;
		pause_ms(attempt);
	}
}
