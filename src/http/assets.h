/*
** The web UI's files, embedded in the binary at build time: tools/embed
** turns web/ (and Debian's Chart.js) into build/gen/web_assets.c.
*/
#ifndef RP_ASSETS_H
#define RP_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
	const char *path; /* as served, e.g. "/index.html", "/vendor/chart.min.js" */
	const unsigned char *data;
	size_t len;
	const char *type; /* Content-Type */
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_assets_count;

#endif
