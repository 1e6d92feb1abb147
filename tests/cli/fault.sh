#!/usr/bin/env bash
# A failure of the store reaches the person as an error: exit status 1, a
# message on stderr, nothing on stdout, nothing written.  build/fault/rapport
# (make build/fault/rapport: ./rapport with a main that reads RAPPORT_FAULT)
# makes the Nth event of a kind fail, counted from the start of the process
# (opening the store included), for N = 1, 2, ... until the command succeeds
# without reaching N (the binary says at exit how many faults fired).
# Allocations are many: every 23rd is tried.
. "$(dirname "$0")/lib.sh"
F=${RAPPORT_FAULTY:-$(dirname "$R")/build/fault/rapport}
ok "the fault binary is built (make build/fault/rapport)" test -x "$F"

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --email anna@example.com >/dev/null
# what the story writes: the story, its tags, its search entry's table
state() { sql "SELECT (SELECT count(*) FROM story) || ',' || (SELECT count(*) FROM story_tag)"; }

summary=
kinds="call:1"
[ "$ENGINE" = sqlite ] && kinds="call:1 write:1 read:1 nomem:23"
for k in $kinds; do
	kind=${k%:*} step=${k#*:}
	before=$(state)
	bad=0 runs=0 said=0 absorbed=0
	for ((n = 1; n < 20000; n += step)); do
		run env RAPPORT_FAULT="$kind:$n" "$F" story add Иванова --kind product --tag coat "Пальто сидит идеально"
		fired=$(sed -n 's/^fault: fired //p' <<<"$err")
		err=$(grep -v '^fault: fired ' <<<"$err")
		[ "$rc" = 0 ] && [ "$fired" = 0 ] && break
		runs=$((runs + 1))
		if [ "$rc" = 0 ]; then
			# a failure the command rightly got past: it wrote the story whole
			absorbed=$((absorbed + 1))
			after="$((${before%,*} + 1)),$((${before#*,} + 1))"
			[ "$(state)" = "$after" ] && [ -n "$out" ] || bad=$((bad + 1))
			before=$(state)
		elif [ "$rc" != 1 ] || [ -z "$err" ] || [ -n "$out" ] || [ "$(state)" != "$before" ] || [ "$fired" = 0 ]; then
			bad=$((bad + 1))
		fi
		[ "$bad" -gt 0 ] && [ "$bad" -le 3 ] && echo "  $kind:$n: rc=$rc fired=$fired stdout=${out:0:80} stderr=${err:0:200} state=$(state)"
		has "$err" "injected fault" && said=$((said + 1))
	done
	summary="$summary $kind $runs ($absorbed absorbed),"
	ok "$kind: $runs runs reached a fault, each exit 1 with a message and nothing written, or exit 0 and the story whole" \
		test "$bad" = 0 -a "$runs" -ge 3
	[ "$kind" = call ] && ok "call: the message says the store failed" test "$said" = "$((runs - absorbed))"
	ok "$kind: then it succeeds, printing the id" test "$rc" = 0 -a -n "$out"
	ok "$kind: and writes the story once" test "$(state)" = "$((${before%,*} + 1)),$((${before#*,} + 1))"
done
echo "fault ($ENGINE): runs of story add that reached a fault, by kind:${summary%,}"
run "$R" story list --json
ok "every story is whole after it all" json 'all(s["text"] == "Пальто сидит идеально" and s["tags"] == ["coat"] for s in d["stories"])'
finish
