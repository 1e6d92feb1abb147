# Sourced by every tests/cli/*.sh: run the binary end to end and count.
#   run CMD...          runs it; sets $out (stdout), $err (stderr), $rc
#   ok DESC COND...     counts a check; COND is a command that must succeed
#   finish              reports "NAME PASS FAIL" to $RESULTS
#   sql QUERY [STORE]   prints QUERY's rows from the store ($RAPPORT_DB)
#   newdb NAME          prints the target of another store, not made yet
#   store_state [STORE] prints "made" once init has made the store, else "none"
#                       (or "empty": a PostgreSQL database without tables)
# The store is a SQLite file in $WORK, or with RAPPORT_TEST_PG set (tests/pg)
# a PostgreSQL database of this script's own, dropped at the end.  Either is
# made by `rapport init`, so that a test sees the store missing before.
set -u
R=${RAPPORT:?set RAPPORT to the rapport binary}
NAME=cli/$(basename "$0" .sh)
ENGINE=sqlite
[ -n "${RAPPORT_TEST_PG:-}" ] && ENGINE=pg
WORK=$(mktemp -d /tmp/rapport-cli-XXXXXX)
PGDB=

# Also called by tests/api/lib.sh's trap, after it has stopped its server.
cleanup() {
	if [ -n "$PGDB" ]; then
		# FORCE: a connection left behind must not keep the database alive.
		psql -X -q "$RAPPORT_TEST_PG/postgres" >/dev/null <<-EOF
			SELECT format('DROP DATABASE %I WITH (FORCE)', datname) FROM pg_database
			WHERE datname = '$PGDB' OR starts_with(datname, '${PGDB}_') \gexec
		EOF
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 2
if [ "$ENGINE" = pg ]; then
	PGDB=rapport_t_$$_$RANDOM
	export RAPPORT_DB="$RAPPORT_TEST_PG/$PGDB"
else
	export RAPPORT_DB="$WORK/t.db"
fi
export RAPPORT_USER=tester
export RAPPORT_LANG=en
unset LANG LC_ALL LC_MESSAGES
PASS=0
FAIL=0

run() {
	out=$("$@" 2>"$WORK/.err")
	rc=$?
	err=$(cat "$WORK/.err")
}

ok() {
	local desc=$1
	shift
	if "$@"; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		echo "FAIL $ENGINE:$NAME: $desc"
		echo "  rc=$rc"
		echo "  stdout: ${out:0:600}"
		echo "  stderr: ${err:0:600}"
	fi
}

has() { grep -qF -- "$2" <<<"$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <<<"$out"; }

sql() {
	if [ "$ENGINE" = pg ]; then
		psql -X -q -At -v ON_ERROR_STOP=1 "${2:-$RAPPORT_DB}" -c "$1"
	else
		sqlite3 -batch "${2:-$RAPPORT_DB}" "$1"
	fi
}

# A second store for the script: a file name in $WORK, or a database
# named after the script's own (so that cleanup drops it too).
newdb() {
	if [ "$ENGINE" = pg ]; then
		echo "$RAPPORT_TEST_PG/${PGDB}_$1"
	else
		echo "$WORK/$1.db"
	fi
}

# Whether init has made the store: the SQLite file, or the PostgreSQL
# database with tables in it.
store_state() {
	local db=${1:-$RAPPORT_DB} n
	if [ "$ENGINE" = pg ]; then
		n=$(psql -X -q -At "$RAPPORT_TEST_PG/postgres" \
			-c "SELECT count(*) FROM pg_database WHERE datname = '${db##*/}'") || return 1
		[ "$n" = 0 ] && echo none && return
		n=$(sql "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')" "$db") ||
			return 1
		[ "$n" -gt 0 ] && echo made || echo empty
	elif [ -e "$db" ]; then
		echo made
	else
		echo none
	fi
}

finish() {
	echo "$NAME $PASS $FAIL" >>"${RESULTS:-/dev/stdout}"
	[ "$FAIL" = 0 ]
}
