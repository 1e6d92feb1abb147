/*
** Fault injection (db/fault.h): the counter, SQLite's allocator wrapped, and
** a shim VFS over the default one whose files fail their reads or writes
** when the counter says so.  Only tests arm it; the counter is not meant
** for threads (a test drives one connection).
*/
#include "db/fault.h"

#include <sqlite3.h>
#include <string.h>

int db_fault_on;
static int fault_kind;
static int fault_persistent;
static int64_t fault_n, fault_count, fault_fired;

void db_fault_arm(int kind, int64_t n, int persistent)
{
	fault_kind = kind;
	fault_n = n;
	fault_persistent = persistent;
	fault_count = fault_fired = 0;
	db_fault_on = 1;
}

int64_t db_fault_disarm(void)
{
	db_fault_on = 0;
	return fault_fired;
}

int64_t db_fault_count(void) { return fault_count; }

int db_fault_fire(int kind)
{
	if (!db_fault_on || kind != fault_kind)
		return 0;
	fault_count++;
	if (fault_count == fault_n || (fault_persistent && fault_count > fault_n)) {
		fault_fired++;
		return 1;
	}
	return 0;
}

int db_fault_err(rp_err *e) { return rp_errf(e, RP_EDB, "database error: injected fault"); }

const char *db_fault_name(int kind)
{
	static const char *const names[DB_FAULT_KINDS] = {"call", "write", "read", "nomem"};
	return kind >= 0 && kind < DB_FAULT_KINDS ? names[kind] : "?";
}

/* ---- SQLite's allocator ------------------------------------------------- */

static sqlite3_mem_methods real_mem;

static void *mem_malloc(int n)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_NOMEM))
		return NULL;
	return real_mem.xMalloc(n);
}

static void *mem_realloc(void *p, int n)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_NOMEM))
		return NULL;
	return real_mem.xRealloc(p, n);
}

static void mem_free(void *p) { real_mem.xFree(p); }
static int mem_size(void *p) { return real_mem.xSize(p); }
static int mem_roundup(int n) { return real_mem.xRoundup(n); }
static int mem_init(void *x) { return real_mem.xInit(x); }
static void mem_shutdown(void *x) { real_mem.xShutdown(x); }

/* ---- the shim VFS ------------------------------------------------------- */

/* A file of the shim: the real file follows it in the same allocation. */
typedef struct ffile {
	sqlite3_file base;
	sqlite3_file *real;
} ffile;

static sqlite3_vfs *real_vfs;

#define REAL(f) (((ffile *)(f))->real)

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_READ))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_WRITE))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_WRITE))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (db_fault_on && db_fault_fire(DB_FAULT_WRITE))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int f_control(sqlite3_file *f, int op, void *arg) { return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), off, p); }

/* One table per version the real file may have: a method the real file
** lacks must be missing here too. */
#define METHODS(v)                                                                                         \
	{v,        f_close,   f_read,         f_write,       f_truncate, f_sync,   f_size,    f_lock,         \
	 f_unlock, f_reserved, f_control,     f_sector,      f_device,   v >= 2 ? f_shm_map : NULL,           \
	 v >= 2 ? f_shm_lock : NULL, v >= 2 ? f_shm_barrier : NULL, v >= 2 ? f_shm_unmap : NULL,            \
	 v >= 3 ? f_fetch : NULL, v >= 3 ? f_unfetch : NULL}
static const sqlite3_io_methods methods[3] = {METHODS(1), METHODS(2), METHODS(3)};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	ffile *ff = (ffile *)f;
	ff->real = (sqlite3_file *)&ff[1];
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	/* SQLite closes a file whose open failed when it has methods */
	int v = ff->real->pMethods ? ff->real->pMethods->iVersion : 0;
	f->pMethods = v <= 0 ? NULL : &methods[(v > 3 ? 3 : v) - 1];
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}
static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, out);
}
static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}
static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}
static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_lasterror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs shim;

int db_fault_sqlite_install(rp_err *e)
{
	if (real_vfs)
		return 0;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
		return rp_errf(e, RP_EDB, "SQLite is in use already: install the fault hooks first");
	sqlite3_mem_methods m = {mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL};
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return rp_errf(e, RP_EDB, "SQLite is in use already: install the fault hooks first");
	db_sqlite_setup();
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real)
		return rp_errf(e, RP_EDB, "SQLite has no default VFS");
	/* version 2 is enough: xCurrentTimeInt64, no system call overrides */
	shim = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(ffile) + real->szOsFile,
		.mxPathname = real->mxPathname,
		.zName = "rapport-fault",
		.xOpen = v_open,
		.xDelete = v_delete,
		.xAccess = v_access,
		.xFullPathname = v_full,
		.xDlOpen = v_dlopen,
		.xDlError = v_dlerror,
		.xDlSym = v_dlsym,
		.xDlClose = v_dlclose,
		.xRandomness = v_random,
		.xSleep = v_sleep,
		.xCurrentTime = v_time,
		.xGetLastError = v_lasterror,
		.xCurrentTimeInt64 = v_time64,
	};
	real_vfs = real;
	if (sqlite3_vfs_register(&shim, 1) != SQLITE_OK) {
		real_vfs = NULL;
		return rp_errf(e, RP_EDB, "cannot register the fault VFS");
	}
	return 0;
}
