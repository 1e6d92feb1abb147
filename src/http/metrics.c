#include "http/metrics.h"

#include <malloc.h>
#include <stdatomic.h>

#include "ops/ops.h"

#define ROUTES 64
static const unsigned statuses[] = {200, 400, 401, 403, 404, 405, 409, 413, 415, 429, 500};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKET (sizeof bounds / sizeof bounds[0])

/* Slot ROUTES - 1 is everything not in the table (files, unknown paths). */
static _Atomic uint64_t requests[ROUTES][NSTATUS + 1];
static _Atomic uint64_t buckets[ROUTES][NBUCKET + 1];
static _Atomic uint64_t total_ns[ROUTES], store_ns[ROUTES], count[ROUTES];

void metrics_record(int route, unsigned status, uint64_t elapsed_ns, uint64_t db_ns)
{
	size_t r = route >= 0 && route < ROUTES - 1 ? (size_t)route : ROUTES - 1, s = NSTATUS, b = 0;
	for (size_t i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			s = i;
	double secs = (double)elapsed_ns / 1e9;
	while (b < NBUCKET && secs > bounds[b])
		b++;
	atomic_fetch_add_explicit(&requests[r][s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&buckets[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&total_ns[r], elapsed_ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&store_ns[r], db_ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&count[r], 1, memory_order_relaxed);
}

/* One slot per worker thread, taken at its first answer. */
#define SLOTS 256
static _Atomic int64_t store_bytes[SLOTS];
static _Atomic int slots_taken;
static _Thread_local int my_slot = -1;

void metrics_store_memory(int64_t bytes)
{
	if (my_slot < 0)
		my_slot = atomic_fetch_add(&slots_taken, 1);
	if (my_slot < SLOTS)
		atomic_store_explicit(&store_bytes[my_slot], bytes, memory_order_relaxed);
}

static const char *route_name(size_t r) { return r < ops_count && r < ROUTES - 1 ? ops_table[r].name : "other"; }

void metrics_write(rp_buf *o)
{
	rp_buf_puts(o, "# HELP rapport_http_requests_total HTTP requests by route and status.\n"
		       "# TYPE rapport_http_requests_total counter\n");
	for (size_t r = 0; r < ROUTES; r++)
		for (size_t s = 0; s <= NSTATUS; s++) {
			uint64_t n = atomic_load_explicit(&requests[r][s], memory_order_relaxed);
			if (!n)
				continue;
			if (s < NSTATUS)
				rp_buf_printf(o, "rapport_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", route_name(r),
					      statuses[s], (unsigned long long)n);
			else
				rp_buf_printf(o, "rapport_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
					      route_name(r), (unsigned long long)n);
		}
	rp_buf_puts(o, "# HELP rapport_http_request_duration_seconds Time to answer a request, by route.\n"
		       "# TYPE rapport_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < ROUTES; r++) {
		uint64_t n = atomic_load_explicit(&count[r], memory_order_relaxed);
		if (!n)
			continue;
		uint64_t cum = 0;
		for (size_t b = 0; b <= NBUCKET; b++) {
			cum += atomic_load_explicit(&buckets[r][b], memory_order_relaxed);
			if (b < NBUCKET)
				rp_buf_printf(o, "rapport_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					      route_name(r), bounds[b], (unsigned long long)cum);
			else
				rp_buf_printf(o, "rapport_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
					      route_name(r), (unsigned long long)cum);
		}
		rp_buf_printf(o, "rapport_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n", route_name(r),
			      (double)atomic_load_explicit(&total_ns[r], memory_order_relaxed) / 1e9);
		rp_buf_printf(o, "rapport_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_name(r),
			      (unsigned long long)cum);
	}
	rp_buf_puts(o, "# HELP rapport_db_seconds_total Time spent in the store, by route.\n"
		       "# TYPE rapport_db_seconds_total counter\n");
	for (size_t r = 0; r < ROUTES; r++)
		if (atomic_load_explicit(&count[r], memory_order_relaxed))
			rp_buf_printf(o, "rapport_db_seconds_total{route=\"%s\"} %.9f\n", route_name(r),
				      (double)atomic_load_explicit(&store_ns[r], memory_order_relaxed) / 1e9);
	/* Memory in use as the C library counts it (all its arenas), and the
	** part of it the store's connections hold: their caches grow and
	** empty with the load, what is left is the server's own, which a leak
	** makes grow (make soak compares it).  The resident size also counts
	** what the library keeps for reuse. */
	struct mallinfo2 mi = mallinfo2();
	int64_t store = 0;
	int n = atomic_load(&slots_taken);
	for (int i = 0; i < n && i < SLOTS; i++)
		store += atomic_load_explicit(&store_bytes[i], memory_order_relaxed);
	rp_buf_printf(o,
		      "# HELP rapport_memory_heap_bytes Bytes allocated and not yet freed, as the C library counts them.\n"
		      "# TYPE rapport_memory_heap_bytes gauge\n"
		      "rapport_memory_heap_bytes %zu\n"
		      "# HELP rapport_memory_store_bytes Of those, bytes the workers' store connections hold (caches, schema, statements) after their last answer.\n"
		      "# TYPE rapport_memory_store_bytes gauge\n"
		      "rapport_memory_store_bytes %lld\n",
		      mi.uordblks + mi.hblkhd, (long long)store);
}
