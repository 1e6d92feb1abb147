/*
** Fault injection at the store boundary, for tests (tests/unit/test_fault.c),
** in SQLite's manner: make the Nth event of a kind fail, for N = 1, 2, 3 ...
** until the operation under test succeeds without reaching N, and check each
** time that it failed cleanly (an error, the store exactly as before) or
** succeeded (the store exactly as after).
**
** The hooks are compiled into the library so tests link them, but nothing
** outside tests arms them: while disarmed each hook costs one test of
** db_fault_on.  Kinds:
**   DB_FAULT_CALL   a call of db.c's dispatch (prepare, step, exec, begin,
**                   commit, the capabilities) fails as if the engine had
**                   failed: works on every engine, PostgreSQL included.
**   DB_FAULT_WRITE  SQLite's file writes, syncs and truncations fail with
**                   SQLITE_IOERR_WRITE, _FSYNC, _TRUNCATE (the shim VFS).
**   DB_FAULT_READ   SQLite's file reads fail with SQLITE_IOERR_READ.
**   DB_FAULT_NOMEM  SQLite's allocations (malloc, realloc) return NULL.
** The SQLite kinds need db_fault_sqlite_install() before SQLite's first use.
** rapport itself has no allocation wrapper to fail: it calls malloc and
** checks for NULL where it does.
*/
#ifndef RP_DB_FAULT_H
#define RP_DB_FAULT_H

#include <stdint.h>

#include "util/err.h"

enum { DB_FAULT_CALL, DB_FAULT_WRITE, DB_FAULT_READ, DB_FAULT_NOMEM, DB_FAULT_KINDS };

/* Nonzero while armed; the hooks test it first. */
extern int db_fault_on;

/* Fail the nth event (n from 1) of kind from now on; persistent: every
** later one too (a disk that stays broken), else only that one. */
void db_fault_arm(int kind, int64_t n, int persistent);
/* Stop failing; returns how many events failed since db_fault_arm. */
int64_t db_fault_disarm(void);
/* How many events of the armed kind were counted since db_fault_arm (with
** n beyond reach: how many an operation has). */
int64_t db_fault_count(void);
/* Count one event of kind: 1 when it is to fail. */
int db_fault_fire(int kind);
/* The error an injected DB_FAULT_CALL failure reports. */
int db_fault_err(rp_err *e);
/* A name for kind ("call", "write", "read", "nomem"). */
const char *db_fault_name(int kind);

/* SQLite's allocator wrapped and the shim VFS made the default one.  Must
** run before SQLite's first use (first thing in main); RP_EDB when too late. */
int db_fault_sqlite_install(rp_err *e);

/* The SQLite backend's one-time library settings (db/sqlite.c), which the
** install above must keep. */
void db_sqlite_setup(void);

#endif
