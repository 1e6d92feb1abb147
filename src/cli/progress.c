/* A progress bar for long work, on stderr, only when it is a terminal. */
#include "cli/cli.h"

#include <time.h>
#include <unistd.h>

static int shown;
static time_t last;

void cli_progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (!isatty(2))
		return;
	time_t now = time(NULL);
	if (shown && now == last && done < total)
		return;
	last = now;
	shown = 1;
	if (total) {
		int pct = (int)(done * 100 / total), bar = pct / 4;
		fprintf(stderr, "\r%3d%% [%.*s%.*s] %.1f/%.1f MB", pct, bar, "#########################", 25 - bar,
			".........................", done / 1e6, total / 1e6);
	} else {
		fprintf(stderr, "\r%.1f MB read", done / 1e6);
	}
	fflush(stderr);
}

void cli_progress_end(void)
{
	if (shown && isatty(2))
		fputs("\r\033[K", stderr);
	shown = 0;
}
