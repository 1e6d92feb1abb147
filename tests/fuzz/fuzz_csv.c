/* The CSV reader (format/csv.c over libcsv) on any bytes, pushed in chunks
** whose sizes the input chooses: every row's fields must be readable to
** their NUL and lines must never go backwards. */
#include "fuzz.h"

#include "format/csv.h"

typedef struct seen {
	uint64_t line;
	size_t rows;
} seen;

static int on_row(void *ctx, char **fields, size_t n, uint64_t line)
{
	seen *s = ctx;
	if (line < s->line || line == 0)
		abort();
	s->line = line;
	s->rows++;
	volatile size_t sink = 0;
	for (size_t i = 0; i < n; i++)
		sink += strlen(fields[i]);
	(void)sink;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (!n)
		return 0;
	/* the first byte: the chunk size (1..256); a small row limit too so
	** that its check is reached */
	size_t chunk = (size_t)data[0] + 1, max_row = data[0] & 1 ? 64 : 1 << 20;
	data++, n--;
	seen s = {0, 0};
	rp_err e = {0};
	csv_reader *r = csv_reader_new(on_row, &s, max_row);
	if (!r)
		abort();
	int rc = 0;
	for (size_t off = 0; !rc && off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		char *piece = malloc(len); /* its own block: a read past it is caught */
		memcpy(piece, data + off, len);
		rc = csv_reader_feed(r, piece, len, &e);
		free(piece);
	}
	if (!rc)
		rc = csv_reader_finish(r, &e);
	if (rc && !e.msg[0])
		abort(); /* an error must say what was wrong */
	csv_reader_free(r);
	return 0;
}
