# Complaints: opened, answered within minutes (or not), resolved with a
# make-good; the unanswered ones first on the agenda; the report.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-23T10:00:00Z

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --birthday 1980-11-23 --owner anna >/dev/null
"$R" contact add "Boris Petrov" --owner anna >/dev/null
"$R" log Petrov --kind purchase --amount 4500 --currency RUB --at 2026-11-01 "a sofa" >/dev/null

run "$R" complaint open Petrov "The sofa came two hours late"
ok "complaint open prints the id" test "$rc" = 0 -a "$out" = 1
ok "opening writes nothing on the timeline" test "$(sql "SELECT count(*) FROM interaction")" = 1

# Done means: a complaint not answered in five minutes tops the agenda.
RAPPORT_NOW=2026-11-23T10:02:00Z run "$R" agenda --json
ok "waiting, two minutes in" json '[(k["id"],k["state"],k["minutes_waiting"],k["target_minutes"]) for k in d["complaints"]]==[(1,"waiting",2,5)]'
ok "with the client and the words" json 'd["complaints"][0]["contact"]=={"id":2,"name":"Boris Petrov"} and d["complaints"][0]["text"]=="The sofa came two hours late" and d["complaints"][0]["duty"] is None'
RAPPORT_NOW=2026-11-23T10:03:00Z run "$R" agenda --json
ok "near at 60% of the target" json 'd["complaints"][0]["state"]=="near"'
RAPPORT_NOW=2026-11-23T10:06:00Z run "$R" agenda --owner anna
ok "the agenda text starts with the late complaint" \
	test "$(head -2 <<<"$out")" = "Complaints waiting for an answer: 1
  LATE #1 Boris Petrov (#2), 6 min waiting (target 5): The sofa came two hours late"
ok "above the people" has "$out" "birthday today"
RAPPORT_NOW=2026-11-23T10:06:00Z run "$R" agenda --json
ok "late after five minutes" json 'd["complaints"][0]["state"]=="late" and d["items"][0]["contact"]["name"].startswith("Анна")'

RAPPORT_NOW=2026-11-23T10:04:00Z run "$R" complaint open Иванова --duty bob "Wrong colour"
ok "one on bob's duty" test "$rc" = 0 -a "$out" = 2
RAPPORT_NOW=2026-11-23T10:06:00Z run "$R" agenda --owner anna --json
ok "not on anna's agenda" json '[k["id"] for k in d["complaints"]]==[1]'
RAPPORT_NOW=2026-11-23T10:06:00Z run "$R" agenda --owner bob --json
ok "on bob's, late first" json '[(k["id"],k["state"],k["duty"]) for k in d["complaints"]]==[(1,"late",None),(2,"waiting","bob")]'

# Bad requests write nothing.
before=$(sql "SELECT count(*) FROM complaint")
run "$R" complaint open Nobody "x"
ok "an unknown contact is refused" test "$rc" = 1 -a -n "$err"
run "$R" complaint open Petrov "   "
ok "empty words are refused" test "$rc" != 0
run "$R" complaint open Petrov --channel fax "x"
ok "a bad channel is refused, listing the good ones" has "$err" "call, message, email, visit or ui"
run "$R" complaint open Petrov --from 99 "x"
ok "an unknown interaction is refused" has "$err" "no interaction has id 99"
ok "nothing was written" test "$(sql "SELECT count(*) FROM complaint")" = "$before"

run "$R" complaint show 1 --json
ok "complaint show" json 'd["state"]=="waiting" and d["channel"]=="ui" and d["opened_by"]=="tester" and d["first_response_minutes"] is None and d["late"] is False and d["apology"] is False'

RAPPORT_NOW=2026-11-23T10:07:30Z run "$R" complaint answer 1 --apology "Простите нас, везём сейчас же"
ok "complaint answer" test "$rc" = 0
RAPPORT_NOW=2026-11-23T10:07:30Z run "$R" complaint show 1 --json
ok "answered late, with an apology" json 'd["state"]=="answered" and d["first_response_minutes"]==7.5 and d["late"] is True and d["apology"] is True and d["answered_by"]=="tester" and d["answered_at"]=="2026-11-23T10:07:30Z"'
run "$R" timeline Petrov --json
ok "the answer is on the timeline, a message out" json 'd["interactions"][0]["kind"]=="message" and d["interactions"][0]["direction"]=="out" and d["interactions"][0]["summary"]=="Простите нас, везём сейчас же"'
run "$R" complaint answer 1 "again"
ok "answering twice is refused" test "$rc" = 1
ok "saying it was answered" has "$err" "answered already"
RAPPORT_NOW=2026-11-23T10:08:00Z run "$R" agenda --json
ok "answered, it leaves the agenda" json '[k["id"] for k in d["complaints"]]==[2]'

run "$R" complaint resolve 1 --make-good "free delivery" --cost -300
ok "a negative cost is refused" has "$err" "cannot be negative"
run "$R" complaint resolve 1 --make-good "free delivery"
ok "a make-good needs its cost" has "$err" "needs its cost"
run "$R" complaint resolve 1 --make-good "free delivery" --cost 300
ok "complaint resolve" test "$rc" = 0
run "$R" complaint show 1 --json
ok "resolved, the cost in the client's currency" json 'd["state"]=="resolved" and d["make_good"]=="free delivery" and d["make_good_cost"]=="300.00" and d["currency"]=="RUB"'
run "$R" complaint resolve 1 --resolution "again"
ok "resolving twice is refused" test "$rc" = 1 -a -n "$err"

# A call, then the complaint it brought: its channel and its clock.
RAPPORT_NOW=2026-11-23T10:10:00Z "$R" log Иванова --kind call --direction in --at 2026-11-23T10:09:00Z "cross about the colour" >/dev/null
call=$(sql "SELECT max(id) FROM interaction")
RAPPORT_NOW=2026-11-23T10:10:00Z run "$R" complaint open Petrov --from "$call" "x"
ok "another contact's interaction is refused" has "$err" "is with contact 1"
RAPPORT_NOW=2026-11-23T10:10:00Z run "$R" complaint open Иванова --from "$call" "Cross about the colour"
ok "opened from the call" test "$rc" = 0
run "$R" complaint show "$out" --json
ok "by call, from the call's time" json 'd["channel"]=="call" and d["opened_at"]=="2026-11-23T10:09:00Z" and d["from"]=='"$call"
RAPPORT_NOW=2026-11-23T10:11:00Z run "$R" complaint resolve 3 --resolution "Exchanged for the blue one"
ok "resolving an unanswered one answers it" test "$rc" = 0
run "$R" complaint show 3 --json
ok "in two minutes" json 'd["answer"]=="Exchanged for the blue one" and d["first_response_minutes"]==2.0 and d["late"] is False and d["make_good"] is None'

run "$R" complaint list --json
ok "complaint list, newest first" json '[k["id"] for k in d["complaints"]]==[3,2,1]'
run "$R" complaint list --open --json
ok "the open ones" json '[k["id"] for k in d["complaints"]]==[2]'
run "$R" complaint list --contact Petrov
ok "one contact's, as text" has "$out" "The sofa came two hours late"

# Petrov buys again after complaining: kept.
RAPPORT_NOW=2026-11-23T12:00:00Z "$R" log Petrov --kind purchase --amount 1200 --currency RUB "cushions" >/dev/null
RAPPORT_NOW=2026-11-23T12:00:00Z run "$R" complaint report --json
ok "complaint report" json 'd["since"]=="2026-08-25" and d["count"]==3 and d["answered"]==2 and d["answered_in_time"]==1 and d["target_minutes"]==5'
ok "share in time of those decided, median first response" json 'abs(d["share_in_time"]-0.333)<1e-9 and d["median_first_response_minutes"]==4.8'
ok "make-goods and clients kept" json 'd["make_goods"]["count"]==1 and d["make_goods"]["cost"]=="300.00" and d["make_goods"]["currency"]=="RUB" and d["kept"]=={"clients":1,"revenue":"1200.00","currency":"RUB","by_currency":[{"currency":"RUB","count":1,"revenue":"1200.00"}]}'
RAPPORT_NOW=2026-11-23T12:00:00Z run "$R" complaint report
ok "as text" has "$out" "median first response: 4.8 min"
run "$R" complaint report --since 2026-11-24 --json
ok "since a day" json 'd["count"]==0 and d["share_in_time"] is None'

run "$R" config set complaint.target_minutes 0
ok "the target is 1 to 1440 minutes" has "$err" "from 1 to 1440"
run "$R" config set complaint.target_minutes 10
ok "config set complaint.target_minutes" test "$rc" = 0
RAPPORT_NOW=2026-11-23T12:00:00Z run "$R" complaint report --json
ok "the report uses it" json 'd["target_minutes"]==10 and d["answered_in_time"]==2'

# Merge and erasure take the complaints along.
"$R" contact add "B. Petrov" >/dev/null
"$R" complaint open "B. Petrov" "Duplicate card's complaint" >/dev/null
run "$R" contact merge "Boris Petrov" "B. Petrov"
ok "contact merge" test "$rc" = 0
ok "the complaint moved to the kept contact" test "$(sql "SELECT count(*) FROM complaint WHERE contact_id = 2")" = 2
run "$R" privacy export 2 --json
ok "privacy export has them" json '[k["id"] for k in d["complaints"]]==[4,1] and d["complaints"][1]["make_good"]=="free delivery"'
run "$R" privacy erase 2 --yes
ok "privacy erase" test "$rc" = 0
ok "the complaints went with the contact" test "$(sql "SELECT count(*) FROM complaint WHERE contact_id = 2")" = 0
finish
