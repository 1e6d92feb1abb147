# Sourced by every tests/cli/*.sh: run the binary end to end and count.
#   run CMD...          runs it; sets $out (stdout), $err (stderr), $rc
#   ok DESC COND...     counts a check; COND is a command that must succeed
#   finish              reports "NAME PASS FAIL" to $RESULTS
set -u
R=${RAPPORT:?set RAPPORT to the rapport binary}
NAME=cli/$(basename "$0" .sh)
WORK=$(mktemp -d /tmp/rapport-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export RAPPORT_DB="$WORK/t.db"
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
		echo "FAIL $NAME: $desc"
		echo "  rc=$rc"
		echo "  stdout: ${out:0:600}"
		echo "  stderr: ${err:0:600}"
	fi
}

has() { grep -qF -- "$2" <<<"$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <<<"$out"; }

finish() {
	echo "$NAME $PASS $FAIL" >>"${RESULTS:-/dev/stdout}"
	[ "$FAIL" = 0 ]
}
