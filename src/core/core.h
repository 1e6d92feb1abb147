/* Helpers shared by the core modules only. */
#ifndef RP_CORE_H
#define RP_CORE_H

#include "rapport.h"

/* A text column as a JSON string, or JSON null for SQL NULL. */
json_t *col_json_text(db_stmt *s, int i);
/* An integer column as a JSON integer, or null. */
json_t *col_json_int(db_stmt *s, int i);
/* A Unix-seconds column as an ISO 8601 UTC string, or null. */
json_t *col_json_ts(db_stmt *s, int i);

/* Step s to the end, turning each row into a JSON value with row(s), and
** give back the statement.  *out receives the array; on an error it is
** NULL and the code is returned. */
int rows_json(db_stmt *s, json_t *(*row)(db_stmt *s), json_t **out, rp_err *e);

/* Copy of s without leading and trailing ASCII white space (malloc'd). */
char *str_trim(const char *s);
/* 1 if s is NULL or only white space. */
int str_blank(const char *s);
/* Escape % _ and \ for LIKE ... ESCAPE '\', wrapped in % on both sides. */
char *like_pattern(const char *folded);

/* Check a value against a NULL-terminated list of allowed words. */
int one_of(const char *v, const char *const *allowed);
/* "a, b or c" for messages. */
const char *words_list(const char *const *allowed, char *buf, size_t size);

/* Valid UTF-8 text of at most max bytes, else RP_EINVAL naming the field. */
int check_text(const char *field, const char *v, size_t max, rp_err *e);

#endif
