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
/* The text exposition format (version 0.0.4). */
void metrics_write(rp_buf *out);

#endif
