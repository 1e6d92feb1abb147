#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>

int rp_errf(rp_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

int rp_exit_status(int code)
{
	return code == RP_OK ? 0 : code == RP_EUSAGE ? 2 : 1;
}

const char *rp_code_name(int code)
{
	switch (code) {
	case RP_OK: return "ok";
	case RP_EINVAL: return "invalid";
	case RP_ENOTFOUND: return "not_found";
	case RP_EAMBIG: return "ambiguous";
	case RP_ECONFLICT: return "conflict";
	case RP_EUSAGE: return "usage";
	case RP_EIO: return "io";
	case RP_EDB: return "store";
	case RP_ENOMEM: return "out_of_memory";
	case RP_EAUTH: return "unauthenticated";
	case RP_EDENIED: return "forbidden";
	case RP_ETHROTTLE: return "too_many_requests";
	case RP_ETOOBIG: return "too_large";
	case RP_EMEDIA: return "unsupported_media_type";
	case RP_EBUSY: return "busy";
	}
	return "error";
}
