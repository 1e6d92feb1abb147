/* Prometheus metrics of the server: requests by route and status, their
** latency, and the time spent in the store. */
#ifndef RP_METRICS_H
#define RP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* route: an index into ops_table, or -1 for the web UI's files and
** anything unrouted. */
void metrics_record(int route, unsigned status, uint64_t elapsed_ns, uint64_t db_ns);
/* After each answer, by the worker that gave it: the bytes its store
** connection holds (db_memory), summed over workers by metrics_write. */
void metrics_store_memory(int64_t bytes);
/* The text exposition format (version 0.0.4). */
void metrics_write(rp_buf *out);

#endif
