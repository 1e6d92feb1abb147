/*
** format/csv: RFC 4180 reading (through libcsv) and writing, on bytes only.
**
** The reader is pushed bytes in any chunks and calls back once per row with
** the fields (NUL-terminated, UTF-8 as given) and the physical line on which
** the row starts, so errors can name it even when quoted fields hold line
** breaks.  A UTF-8 byte order mark at the start is skipped; blank lines are
** skipped.
*/
#ifndef RP_CSV_H
#define RP_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Return 0 to go on, nonzero to stop (csv_reader_feed then returns it). */
typedef int (*csv_row_fn)(void *ctx, char **fields, size_t n, uint64_t line);

typedef struct csv_reader csv_reader;

/* max_row: the largest row accepted, in bytes (a guard against a file that
** is not CSV at all). */
csv_reader *csv_reader_new(csv_row_fn fn, void *ctx, size_t max_row);
int csv_reader_feed(csv_reader *r, const char *buf, size_t len, rp_err *e);
/* End of input: flush the last row; a quote left open is an error. */
int csv_reader_finish(csv_reader *r, rp_err *e);
void csv_reader_free(csv_reader *r);

/* Writing: append one field (quoted when it must be), then end the row
** with CRLF as RFC 4180 says. */
void csv_put(rp_buf *b, const char *field, int first);
void csv_end_row(rp_buf *b);

#endif
