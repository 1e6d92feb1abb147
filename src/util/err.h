/*
** Errors returned from library code and decided at the edge.
**
** A function that can fail takes an rp_err* as its last argument, fills it
** with a code and a sentence for the user (what was wrong, what to do), and
** returns the code.  Nothing below main() or the server loop exits.
*/
#ifndef RP_ERR_H
#define RP_ERR_H

enum rp_code {
	RP_OK = 0,
	RP_EINVAL,    /* bad input: a field, a file, a value */
	RP_ENOTFOUND, /* the thing named does not exist */
	RP_EAMBIG,    /* a name matches several things */
	RP_ECONFLICT, /* the write would break a rule (duplicate, in use) */
	RP_EUSAGE,    /* the command line itself is wrong */
	RP_EIO,       /* a file or the network failed */
	RP_EDB,       /* the store failed */
	RP_ENOMEM,
	RP_EAUTH,     /* who is asking is not known: log in (HTTP 401) */
	RP_EDENIED,   /* known, but the role is too low (HTTP 403) */
	RP_ETHROTTLE, /* too many attempts: wait retry_after seconds (HTTP 429) */
	RP_ETOOBIG,   /* the request is larger than allowed (HTTP 413) */
	RP_EMEDIA,    /* the request's content type is not accepted (HTTP 415) */
	RP_EBUSY      /* a concurrent change won: run the operation again (HTTP 503) */
};

typedef struct rp_err {
	int code;
	int retry_after; /* seconds, with RP_ETHROTTLE */
	char msg[2048];
} rp_err;

/* Fill e (which may be NULL) with code and a printf-formatted message;
** returns code so that callers can write `return rp_errf(e, ...)`. */
int rp_errf(rp_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit status for an error code: 2 for usage errors, 1 for everything else. */
int rp_exit_status(int code);

/* A short stable name for a code ("invalid", "not_found", ...), used as the
** "code" member of JSON errors. */
const char *rp_code_name(int code);

#endif
