/* cli/: the command-line edge: argv to operations, results to the terminal. */
#ifndef RP_CLI_H
#define RP_CLI_H

#include "ops/ops.h"

/* Turn the words after the command's name into its JSON arguments.
** Sets *help when --help was given, *json when --json was.  Usage errors
** are RP_EUSAGE. */
int cli_parse(const op *o, int argc, char **argv, json_t **args, int *help, int *json, rp_err *e);

/* Usage of one operation, of a group ("contact"), or of everything. */
void cli_usage(FILE *f, const op *o);
void cli_group_usage(FILE *f, const char *group);
void cli_overview(FILE *f);

/* Print a result for a person (not --json). */
void cli_render(FILE *f, const op *o, json_t *result);
/* Alignment's operations (cli/render_align.c); 0 when n is not one of them. */
int cli_render_align(FILE *f, const char *n, json_t *r);

/* A progress bar on a terminal's stderr; silent when stderr is not one. */
void cli_progress(void *ctx, uint64_t done, uint64_t total);
void cli_progress_end(void);

#endif
