#!/usr/bin/env bash
# The web UI end to end: Debian's Chromium, driven by playwright-core, against
# a live `rapport serve` on a temporary database with a generated population.
# Appends "browser/ui PASSED FAILED" to $RESULTS (or prints it) and exits 0
# only if every test passed.  Screenshots go to build/test-output/screenshots/.
#
#   tests/browser/run.sh            RAPPORT=path/to/rapport to test another binary
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NAME=browser/ui
R=${RAPPORT:-$ROOT/rapport}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SHOTS=$ROOT/build/test-output/screenshots

report() {
	echo "$NAME $1 $2" >>"${RESULTS:-/dev/stdout}"
	[ "$2" = 0 ]
	exit $?
}

give_up() {
	echo "$NAME: $*" >&2
	report 0 1
}

[ -x "$R" ] || give_up "no rapport binary at $R (run make rapport)"
[ -x "$CHROMIUM" ] || give_up "no Chromium at $CHROMIUM (apt-get install chromium)"
command -v node >/dev/null || give_up "node is missing (apt-get install nodejs)"

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
	command -v npm >/dev/null || give_up "npm is missing (apt-get install npm)"
	(cd "$HERE" && npm ci --no-audit --no-fund >&2) || give_up "npm ci failed in tests/browser"
fi

WORK=$(mktemp -d /tmp/rapport-browser-XXXXXX)
SERVER=
cleanup() {
	if [ -n "$SERVER" ]; then
		kill "$SERVER" 2>/dev/null
		wait "$SERVER" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

export RAPPORT_DB="$WORK/t.db"
export RAPPORT_USER=tester
export RAPPORT_LANG=en
TODAY=$(date -u +%F)
export RAPPORT_TODAY="$TODAY"

# A small population, generated for today so that the agenda has work.
GEN=$ROOT/bench/gen
if [ ! -x "$GEN" ]; then
	make -C "$ROOT" --no-print-directory bench/gen >/dev/null || give_up "cannot build bench/gen"
fi
mkdir -p "$WORK/csv"
# Stories told over the last months, some about the same things, so that the
# feed, its filters and the report have something to show.
ago() { date -u -d "$TODAY - $1 days" +%F; }
stories() {
	"$R" story add 'Zed <b>Bold</b> Tester' --kind choice --tone positive --tag friends --on "$(ago 35)" \
		'A friend recommended the tailor, so I came in for the winter coat' || return
	local i
	for i in 1 2 3 4; do
		"$R" story add "$i" --kind interaction --tone negative --tag reception --on "$(ago $((i * 20)))" \
			"Waited $((i * 5 + 5)) minutes at the reception; nobody greeted me" || return
	done
	for i in 5 6 7; do
		"$R" story add "$i" --kind product --on "$(ago $((i * 9)))" \
			"The winter coat was delivered $((i - 3)) weeks late and the sleeves were too long" || return
	done
	"$R" story add 8 --kind life --tone neutral 'Moving to the countryside next spring, looking forward to the garden' &&
		"$R" story add 9 --kind friends --tone neutral 'My friends all buy ready-made suits online now'
}
{
	"$GEN" --contacts 300 --today "$TODAY" --out "$WORK/csv" &&
		"$R" init &&
		"$R" import contacts "$WORK/csv/contacts.csv" &&
		"$R" import interactions "$WORK/csv/interactions.csv" &&
		"$R" import facts "$WORK/csv/facts.csv" &&
		# One client whose name looks like markup, with a birthday and a
		# follow-up today, so that the agenda surely opens with them.
		"$R" contact add 'Zed <b>Bold</b> Tester' --tier panel --address vy \
			--birthday "1980-${TODAY#*-}" --email zed.tester@example.org --tag regression &&
		"$R" fact add 'Zed <b>Bold</b> Tester' 'Asked to call back about the <i>winter</i> order' \
			--follow-up "$TODAY" &&
		stories &&
		printf 'password-for-tests\n' | "$R" user add anna --role manager
} >"$WORK/setup.log" 2>&1 || {
	cat "$WORK/setup.log" >&2
	give_up "could not set up the test database"
}

# The server on a free port (the kernel picks it; the server prints it).
"$R" serve --listen 127.0.0.1:0 --threads 2 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
BASE=
for _ in $(seq 200); do
	BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.out" | head -1)
	[ -n "$BASE" ] && break
	kill -0 "$SERVER" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$BASE" ]; then
	cat "$WORK/serve.err" >&2
	give_up "the server did not start"
fi
echo "$NAME: server at $BASE, database $RAPPORT_DB" >&2

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
BASE_URL=$BASE CHROMIUM=$CHROMIUM SCREENSHOTS=$SHOTS PROFILE_DIR="$WORK/profiles" \
	RAPPORT_LOGIN=anna RAPPORT_PASSWORD=password-for-tests \
	node --test --test-concurrency=1 \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$WORK/tap.txt" \
	"$HERE/ui.test.mjs"
rc=$?

pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$WORK/tap.txt" | tail -1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$WORK/tap.txt" | tail -1)
pass=${pass:-0}
fail=${fail:-0}
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
	fail=1 # the runner itself failed
fi
if [ -s "$WORK/serve.err" ]; then
	echo "--- server stderr:" >&2
	tail -20 "$WORK/serve.err" >&2
fi
echo "screenshots:"
ls -1 "$SHOTS"/*.png 2>/dev/null | sed 's/^/  /'
report "$pass" "$fail"
