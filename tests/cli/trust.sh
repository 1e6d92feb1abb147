# The trust ledger: acts recorded by hand and by complaints, the state and
# the recommendation, the card and the agenda.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-23T10:00:00Z

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --owner anna >/dev/null
"$R" contact add "Boris Petrov" --owner anna >/dev/null
"$R" log Petrov --kind purchase --amount 4500 --currency RUB --at 2026-11-01 "a sofa" >/dev/null

# Done means: a complaint resolved with a make-good shows in the ledger as
# our defect followed by our cooperation.
"$R" complaint open Petrov --from 1 "The sofa came two hours late" >/dev/null
"$R" complaint resolve 1 --make-good "free delivery" --cost 300 >/dev/null
run "$R" trust show Petrov --json
ok "the complaint is our defect, the make-good our cooperation after it" json '[(a["by"],a["act"],a["text"],a["complaint"]) for a in reversed(d["acts"])]==[("company","defect","complaint: The sofa came two hours late",1),("company","cooperate","made good: free delivery",1)]'
ok "linked to the interaction it came from" json 'd["acts"][-1]["interaction"]==1 and d["acts"][0]["interaction"] is None'
ok "made good: mutual cooperation" json 'd["state"]=="mutual cooperation" and d["open_letdown"] is None and d["recommendation"]["act"]=="cooperate"'
run "$R" trust show Petrov
ok "the text lists the ledger newest first" has "$out" "company cooperate made good: free delivery [complaint 1]"

run "$R" trust record Иванова --by company --act defect --on 2026-11-03 "delivered late and said nothing"
ok "trust record prints the id" test "$rc" = 0 -a "$out" = 3
run "$R" trust show Иванова --json
ok "we let her down" json 'd["state"]=="we let them down" and d["score"]==-1 and d["open_letdown"]["on"]=="2026-11-03"'
ok "the recommendation is to make good" json 'd["recommendation"]["act"]=="make good" and d["recommendation"]["why"].startswith("we let them down on 3 Nov and have not made it good")'
run "$R" contact show Иванова --json
ok "the card has the trust object without the acts" json 'd["trust"]["state"]=="we let them down" and "acts" not in d["trust"] and d["trust"]["contact"]["id"]==1'
run "$R" contact show Petrov --json
ok "and every card has the key" json 'd["trust"]["state"]=="mutual cooperation"'

run "$R" agenda --json
ok "the agenda's trust block" json '[(t["contact"]["id"],t["on"],t["state"],t["reason"]) for t in d["trust"]]==[(1,"2026-11-03","we let them down","we let them down on 3 Nov and have not made it good")]'
run "$R" agenda
ok "the agenda text says it" has "$out" "Анна Петровна Иванова (#1): we let them down on 3 Nov and have not made it good (delivered late and said nothing)"
RAPPORT_LANG=ru run "$R" agenda
ok "in Russian" has "$out" "мы подвели клиента 3 ноября и не загладили вину"
run "$R" agenda --owner bob --json
ok "not on another owner's agenda" json 'd["trust"]==[]'

# The client's side and the policies.
"$R" trust record Иванова --by client --act defect --on 2026-11-05 "returned a worn dress as new" >/dev/null
run "$R" trust show Иванова --json
ok "both defected" json 'd["state"]=="mutual defection" and d["recommendation"]["act"]=="make good"'
"$R" trust record Иванова --by company --act cooperate "apologised and sent a replacement at once" >/dev/null
run "$R" trust show Иванова --json
ok "generous tit-for-tat forgives one defection" json 'd["state"]=="they let us down" and d["recommendation"]["act"]=="cooperate"'
"$R" config set trust.policy tft >/dev/null
run "$R" trust show Иванова --json
ok "tit-for-tat answers in kind" json 'd["recommendation"]["act"]=="defect" and d["policy"]=="tft"'
run "$R" config set trust.policy nice
ok "an unknown policy is refused" has "$err" "gtft, tft or always-cooperate"
run "$R" config set trust.half_life_days 0
ok "a half-life of 0 is refused" test "$rc" = 1

# Bad requests write nothing.
before=$(sql "SELECT count(*) FROM trust_act")
run "$R" trust record Иванова --by us --act defect "x"
ok "a bad side is refused" has "$err" "company or client"
run "$R" trust record Иванова --by client --act cheat "x"
ok "a bad act is refused" has "$err" "cooperate or defect"
run "$R" trust record Иванова --by client --act defect --on 2026-12-01 "x"
ok "a future day is refused" has "$err" "in the future"
run "$R" trust record Иванова --by client --act defect --interaction 1 "x"
ok "another contact's interaction is refused" has "$err" "is with contact 2"
run "$R" trust record Nobody --by client --act defect "x"
ok "an unknown contact is refused" test "$rc" = 1
ok "nothing was written" test "$(sql "SELECT count(*) FROM trust_act")" = "$before"
finish
