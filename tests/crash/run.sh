#!/usr/bin/env bash
# Crash safety: kill -9 the writing rapport at random moments, KILLS times
# (default 100), during imports of a big CSV (bench/gen), contact merges and
# API writes (a server under load), and after each kill open the store again
# and check: every acknowledged write is there (a client records what got
# exit 0 or a 2xx), nothing half written is visible (an import has all its
# rows or none, a merge moved all of the duplicate's interactions or none),
# and the engine finds the store whole (integrity_check, or on PostgreSQL
# foreign keys and amcheck).  Run: RAPPORT=$PWD/rapport tests/crash/run.sh
# (make crash), on PostgreSQL under tests/pg.  Prints the figures.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
NAME=${CRASH_NAME:-crash/run}
KILLS=${KILLS:-100}
ROWS=${ROWS:-5000}
GEN=${GEN:-$HERE/../../bench/gen}

"$R" init >/dev/null || exit 2
printf 'crash-owner-password\n' | "$R" user add crash --role owner >/dev/null || exit 2
TOKEN=$("$R" token create crash --label crash) || exit 2
: >"$WORK/acked"
# The big import: bench/gen's contacts without ids (each import adds them
# anew), every row tagged with the round.
mkdir -p "$WORK/gen"
"$GEN" --contacts "$ROWS" --out "$WORK/gen" >/dev/null || exit 2
python3 - "$WORK/gen/contacts.csv" "$WORK/big.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "tier", "owner", "birthday", "note", "tags"])
    for r in rows:
        w.writerow([r["name"], r["tier"], r["owner"], r["birthday"], r["note"], "BIGTAG"])
PY

# Run "$@" as the victim: its pid in $WORK/victim while it runs.
victim() {
	"$@" &
	echo $! >"$WORK/victim"
	wait $!
}

# The loops that write, each as a background job until $WORK/stop.
import_loop() {
	local round=$1 n=0
	while [ ! -e "$WORK/stop" ]; do
		n=$((n + 1))
		sed "s/BIGTAG/big$round-$n/" "$WORK/big.csv" >"$WORK/big.$round.csv"
		victim "$R" import contacts "$WORK/big.$round.csv" >/dev/null 2>&1 && echo "b big$round-$n" >>"$WORK/acked"
	done
}

merge_loop() {
	local round=$1 k keep dup line
	for k in 1 2 3 4 5 6; do
		line=$("$R" contact add "Keep $round-$k") && keep=${line##*(#} && keep=${keep%%)*} || continue
		line=$("$R" contact add "Dup $round-$k") && dup=${line##*(#} && dup=${dup%%)*} || continue
		"$R" log "$keep" "pm$round-$k-a" >/dev/null && echo "l pm$round-$k-a" >>"$WORK/acked"
		"$R" log "$dup" "pm$round-$k-b" >/dev/null && echo "l pm$round-$k-b" >>"$WORK/acked"
		"$R" log "$dup" "pm$round-$k-c" >/dev/null && echo "l pm$round-$k-c" >>"$WORK/acked"
		echo "$keep $dup" >>"$WORK/pairs.$round"
	done
	touch "$WORK/ready"
	while read -r keep dup; do
		[ -e "$WORK/stop" ] && break
		victim "$R" contact merge "$keep" "$dup" >/dev/null 2>&1 && echo "m $keep $dup" >>"$WORK/acked"
	done <"$WORK/pairs.$round"
}

api_client() {
	local round=$1 k=$2 i=0 status body
	while [ ! -e "$WORK/stop" ]; do
		i=$((i + 1))
		body=$(curl -s -m 5 -w '\n%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' -d "{\"name\": \"Api $round-$k-$i\"}" "$BASE/api/v1/contacts")
		status=${body##*$'\n'}
		case $status in
		2??) echo "c $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "${body%$'\n'*}")" \
			>>"$WORK/acked" ;;
		000) sleep 0.05 ;;
		esac
	done
}

kills=0
checked=0
failures=0
for round in $(seq "$KILLS"); do
	rm -f "$WORK/stop" "$WORK/victim" "$WORK/ready"
	kind=$(((round - 1) % 3))
	jobs_=()
	case $kind in
	0)
		import_loop "$round" &
		jobs_+=($!)
		;;
	1)
		merge_loop "$round" &
		jobs_+=($!)
		while [ ! -e "$WORK/ready" ]; do sleep 0.05; done
		;;
	2)
		"$R" serve --listen 127.0.0.1:0 --threads 2 >"$WORK/serve.out" 2>"$WORK/serve.err" &
		echo $! >"$WORK/victim"
		BASE=
		for _ in $(seq 100); do
			BASE=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$WORK/serve.out")
			[ -n "$BASE" ] && break
			sleep 0.05
		done
		for k in 1 2 3; do
			api_client "$round" "$k" &
			jobs_+=($!)
		done
		;;
	esac
	# A random moment: 0.1 to 1.5 s into the work.
	sleep "$(awk -v s="$RANDOM" 'BEGIN {srand(s); printf "%.3f", 0.1 + rand() * 1.4}')"
	pid=$(cat "$WORK/victim" 2>/dev/null)
	touch "$WORK/stop"
	if [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "${jobs_[@]}" 2>/dev/null
	wait "$pid" 2>/dev/null
	# Reopen (recovery) and check everything acknowledged so far.
	problems=$(check_store "$RAPPORT_DB" "$WORK/acked")
	rc=$?
	# Imports: all rows or none; merges: the duplicate gone with all its
	# interactions moved.
	n=$(sql "SELECT count(*) FROM (SELECT tag FROM contact_tag WHERE tag LIKE 'big%' GROUP BY tag
		HAVING count(*) <> $ROWS) x")
	[ "$n" = 0 ] || { problems+=" $n big imports half there"; rc=1; }
	want=$(grep -c '^b ' "$WORK/acked")
	tags=$(awk '$1 == "b" {printf "%s'"'"'%s'"'"'", sep, $2; sep = ","}' "$WORK/acked")
	n=$(sql "SELECT count(DISTINCT tag) FROM contact_tag WHERE tag IN (${tags:-''})")
	[ "$n" = "$want" ] || { problems+=" big imports: $n of $want acknowledged"; rc=1; }
	while read -r _ keep dup; do
		# (SQLite gives a deleted largest id again: look for the duplicate itself)
		n=$(sql "SELECT count(*) FROM contact WHERE id = $dup AND name LIKE 'Dup %'")
		[ "$n" = 0 ] || { problems+=" merged $dup still there"; rc=1; }
	done < <(grep '^m ' "$WORK/acked")
	n=$(sql "SELECT count(*) FROM interaction i JOIN contact c ON c.id = i.contact_id
		WHERE i.summary LIKE 'pm%-b' AND c.name LIKE 'Keep%' AND NOT EXISTS (SELECT 1 FROM interaction j
		WHERE j.contact_id = i.contact_id AND j.summary = replace(i.summary, '-b', '-c'))")
	[ "$n" = 0 ] || { problems+=" $n merges half done"; rc=1; }
	whole=$(store_integrity "$RAPPORT_DB")
	[ "$whole" = ok ] || { problems+=" integrity: $whole"; rc=1; }
	acked=$(wc -l <"$WORK/acked")
	checked=$((checked + acked))
	out=$problems
	ok "kill $round (kind $kind) survived: $problems" test "$rc" = 0
	[ "$rc" = 0 ] || failures=$((failures + 1))
done
echo "crash ($ENGINE): $kills kills, $failures failed checks, $(wc -l <"$WORK/acked") acknowledged writes" \
	"($(grep -c '^c ' "$WORK/acked") contacts, $(grep -c '^l ' "$WORK/acked") interactions," \
	"$(grep -c '^b ' "$WORK/acked") imports of $ROWS, $(grep -c '^m ' "$WORK/acked") merges)," \
	"$checked checked in all, lost 0 unless failed checks above" >&2
finish
