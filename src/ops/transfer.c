/* rapport import|export contacts|interactions|facts: CSV in and out;
** import csv with a spreadsheet layout; vcard in and out. */
#include "ops/ops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int do_import(const char *what, op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	const char *path = arg_str(args, "file");
	FILE *in = c->in;
	import_opts o = {.skip_bad = arg_flag(args, "skip_bad"), .dry_run = arg_flag(args, "dry_run"),
			 .progress = c->progress, .progress_ctx = c->progress_ctx, .layout = arg_str(args, "layout"),
			 .map = arg_str(args, "map")};
	if ((o.layout || o.map) && strcmp(what, "csv"))
		return rp_errf(e, RP_EUSAGE, "--layout and --map are for 'rapport import csv'");
	if (o.skip_bad && (!strcmp(what, "csv") || !strcmp(what, "vcard")))
		return rp_errf(e, RP_EUSAGE, "import %s takes the whole file or nothing: --skip-bad is for contacts, "
					     "interactions and facts", what);
	if (!in) {
		if (!strcmp(path, "-")) {
			in = stdin;
		} else if (!(in = fopen(path, "rb"))) {
			return rp_errf(e, errno == ENOENT ? RP_ENOTFOUND : RP_EIO, "cannot read %s: %s", path,
				       strerror(errno));
		}
		struct stat st;
		if (in != stdin && fstat(fileno(in), &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				fclose(in);
				return rp_errf(e, RP_EINVAL, "%s is a directory, not a file", path);
			}
			o.total = (uint64_t)st.st_size;
		}
	}
	json_t *report = NULL;
	int rc = !strcmp(what, "vcard") ? import_vcard(c->db, in, &o, &report, e)
					: import_csv(c->db, what, in, &o, &report, e);
	if (in != c->in && in != stdin)
		fclose(in);
	if (rc && report) {
		/* List the problems (up to the first few) under the summary. */
		rp_buf b = {0};
		rp_buf_puts(&b, e->msg);
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(report, "problems"), i, p)
		{
			if (i >= 20) {
				rp_buf_puts(&b, "\n  ...");
				break;
			}
			rp_buf_printf(&b, "\n  line %lld: %s", (long long)json_integer_value(json_object_get(p, "line")),
				      json_string_value(json_object_get(p, "error")));
		}
		if (!b.oom)
			rp_errf(e, rc, "%s", b.p);
		rp_buf_free(&b);
		json_decref(report);
		return rc;
	}
	if (!rc)
		*result = report;
	return rc;
}

int op_import(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	return do_import(arg_str(args, "what"), c, args, result, e);
}

int op_export(op_ctx *c, json_t *args, json_t **result, rp_err *e)
{
	(void)result;
	const char *what = arg_str(args, "what"), *path = arg_str(args, "out");
	int64_t contact = 0;
	const char *ref = arg_str(args, "contact"), *version = arg_str(args, "version");
	if ((ref || version) && strcmp(what, "vcard"))
		return rp_errf(e, RP_EUSAGE, "a contact and --version are for 'rapport export vcard'");
	if (ref) {
		int rc = contact_resolve(c->db, ref, &contact, e);
		if (rc)
			return rc;
	}
	if (!strcmp(what, "vcard") && (!path || !strcmp(path, "-")))
		return export_vcard(c->db, contact, version, c->out, e);
	if (!path || !strcmp(path, "-"))
		return export_csv(c->db, what, c->out, e);
	/* Write beside the target and rename, so a failed export leaves no
	** half-written file in its place. */
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return rp_errf(e, RP_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	int rc;
	if (!out) {
		rc = rp_errf(e, RP_EIO, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		rc = !strcmp(what, "vcard") ? export_vcard(c->db, contact, version, out, e)
					    : export_csv(c->db, what, out, e);
		if (fflush(out) || fsync(fileno(out)))
			rc = rc ? rc : rp_errf(e, RP_EIO, "writing %s failed: %s", path, strerror(errno));
		fclose(out);
		if (!rc && rename(tmp, path))
			rc = rp_errf(e, RP_EIO, "cannot write %s: %s", path, strerror(errno));
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
