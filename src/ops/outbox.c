/* rapport send | outbox | outbox export: messages to clients, through the gate. */
#include "ops/ops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int op_send(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	outbox_in in = {.channel = arg_str(args, "channel"), .purpose = arg_str(args, "purpose"),
			.subject = arg_str(args, "subject"), .body = arg_str(args, "body"), .by = c->user,
			.lang = c->lang};
	int rc = arg_contact(c, args, "contact", &in.contact, e);
	return rc ? rc : outbox_send(c->db, &in, result, e);
}

int op_outbox(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	outbox_filter f = {.state = arg_str(args, "state"), .channel = arg_str(args, "channel"),
			   .limit = arg_int(args, "limit", 50)};
	int rc = arg_str(args, "contact") ? arg_contact(c, args, "contact", &f.contact, e) : 0;
	return rc ? rc : outbox_list(c->db, &f, result, e);
}

/* Where the exported CSV goes: a stream (standard output, or the HTTP
** answer), or a file written beside its place and renamed into it. */
typedef struct sink_ctx {
	FILE *out;
	const char *path;
	int placed; /* the file is in place */
} sink_ctx;

static int to_stream(void *ctx, const char *csv, size_t n, rp_err *e)
{
	sink_ctx *s = ctx;
	if (fwrite(csv, 1, n, s->out) != n || fflush(s->out))
		return rp_errf(e, RP_EIO, "writing the messages failed: %s", strerror(errno));
	return 0;
}

/* The file is in place before the messages are marked sent: a failure
** after it leaves them queued (the caller removes the file), never sent
** and nowhere. */
static int to_file(void *ctx, const char *csv, size_t n, rp_err *e)
{
	sink_ctx *s = ctx;
	size_t len = strlen(s->path) + 16;
	char *tmp = malloc(len);
	if (!tmp)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	snprintf(tmp, len, "%s.tmpXXXXXX", s->path);
	int fd = mkstemp(tmp), rc = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		rc = rp_errf(e, RP_EIO, "cannot write %s: %s", s->path, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		if (fwrite(csv, 1, n, f) != n || fflush(f) || fsync(fileno(f)))
			rc = rp_errf(e, RP_EIO, "writing %s failed: %s", s->path, strerror(errno));
		if (fclose(f) && !rc)
			rc = rp_errf(e, RP_EIO, "writing %s failed: %s", s->path, strerror(errno));
		if (!rc && rename(tmp, s->path))
			rc = rp_errf(e, RP_EIO, "cannot write %s: %s", s->path, strerror(errno));
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	s->placed = !rc;
	return rc;
}

int op_outbox_export(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *path = arg_str(args, "file");
	int file = path && strcmp(path, "-");
	sink_ctx s = {.out = c->out ? c->out : stdout, .path = path};
	json_t *report = NULL;
	int rc = outbox_export(c->db, arg_str(args, "channel"), c->lang, file ? to_file : to_stream, &s, &report, e);
	if (rc && s.placed)
		unlink(path); /* in place, but the store did not take the change */
	/* A report only beside a file: on a stream it would mix with the CSV. */
	if (!rc && file)
		*result = json_pack("{s:O,s:O,s:O,s:s}", "channel", json_object_get(report, "channel"), "exported",
				    json_object_get(report, "exported"), "refused", json_object_get(report, "refused"),
				    "file", path);
	json_decref(report);
	return rc;
}
