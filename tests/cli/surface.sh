# The command surface: every command has --help, every read command --json
# giving one JSON document, usage errors exit 2, user errors exit 1 with
# nothing on stdout.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

run "$R" --help
ok "--help exits 0" test "$rc" = 0
ok "--help lists commands" has "$out" "contact add"
commands=$(sed -n 's/^  \([a-z][a-z ]*[a-z]\)  .*/\1/p' <<<"$out" | sed 's/ *$//')
count=$(wc -l <<<"$commands")
ok "at least the foundation's commands" test "$count" -ge 15
for c in init "contact add" "contact show" "contact list" "contact edit" "contact rm" "fact add" log search agenda import export; do
	ok "'$c' is a command" grep -qx "$c" <<<"$commands"
done
while read -r c; do
	# shellcheck disable=SC2086
	run "$R" $c --help
	ok "$c --help" test "$rc" = 0 -a -n "$out"
	ok "$c --help shows usage" has "$out" "usage: rapport"
done <<<"$commands"

run "$R"
ok "no command: usage error" test "$rc" = 2
run "$R" frobnicate
ok "unknown command: exit 2" test "$rc" = 2 -a -z "$out"
run "$R" contact frobnicate
ok "unknown subcommand: exit 2" test "$rc" = 2 -a -z "$out"
run "$R" contact
ok "a group alone: exit 2" test "$rc" = 2
run "$R" --db
ok "--db without a path" test "$rc" = 2

run "$R" agenda
ok "no database yet: exit 1" test "$rc" = 1 -a -z "$out"
ok "says how to create one" has "$err" "init"
ok "and did not create one" test "$(store_state)" = none

"$R" init >/dev/null
"$R" contact add "Анна Иванова" --birthday 1980-11-23 --tier close >/dev/null
"$R" log 1 --kind call --at 2026-10-01 "Позвонила" >/dev/null
"$R" fact add 1 "Операция на колене" --follow-up 2026-11-20 >/dev/null

for c in "contact show 1" "contact list" "timeline 1" "search Иванова" agenda "config get"; do
	# shellcheck disable=SC2086
	run "$R" $c --json
	ok "$c --json exits 0" test "$rc" = 0
	ok "$c --json is one JSON document" json 'True'
done

run "$R" contact add
ok "missing NAME: usage error" test "$rc" = 2 -a -z "$out"
run "$R" contact add X --tier
ok "option without value: usage error" test "$rc" = 2
run "$R" contact add X --colour red
ok "unknown option: usage error" test "$rc" = 2
run "$R" contact list --limit many
ok "not a number: usage error" test "$rc" = 2
run "$R" contact list --limit 0
ok "out of range: user error" test "$rc" = 1 -a -z "$out"
run "$R" log 1 --kind call --minutes -5 "x"
ok "negative minutes refused" test "$rc" = 1
run "$R" log 1 --amount 12.345 --currency RUB "x"
ok "three decimals refused" test "$rc" = 1
run "$R" log 1 --amount 12 "x"
ok "an amount needs a currency" test "$rc" = 1 -a -z "$out"
run "$R" fact add 1 "x" --follow-up 2026-02-30
ok "an impossible date refused" test "$rc" = 1
run "$R" fact done 999
ok "an unknown fact" test "$rc" = 1
run "$R" config set cadence.close 0
ok "a cadence of 0 refused" test "$rc" = 1
run "$R" config set colour red
ok "an unknown setting refused" test "$rc" = 1
run "$R" timeline 1 --json
ok "refused writes wrote nothing" json 'len(d["interactions"])==1'

# Settings change the agenda.
run "$R" agenda --date 2026-10-20 --json
ok "within the cadence no cadence reason" json 'not any(r["kind"]=="cadence" for i in d["items"] for r in i["reasons"])'
run "$R" config set cadence.close 7
ok "config set" test "$rc" = 0
run "$R" agenda --date 2026-10-20 --json
ok "a shorter cadence puts her on the agenda" json 'any(r["kind"]=="cadence" and r["days"]==19 and r["cadence"]==7 for i in d["items"] for r in i["reasons"])'
export RAPPORT_LANG=ru
run "$R" agenda --json
ok "reasons in Russian" json 'any("день рождения" in r["text"] for i in d["items"] for r in i["reasons"])'
run "$R" fact done 1
run "$R" agenda --json
ok "a done follow-up leaves the agenda" json 'not any(r["kind"]=="follow_up" for i in d["items"] for r in i["reasons"])'
finish
