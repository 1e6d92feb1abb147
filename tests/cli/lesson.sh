# Lessons: a client's story turned into a change for the whole business.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" >/dev/null
"$R" contact add "John Smith" >/dev/null
"$R" story add Иванова --kind interaction "Сотрудники болтали по телефону" >/dev/null
"$R" story add Smith --kind interaction "They ignored me at the front desk" >/dev/null

run "$R" lesson add 1 Greet every client at the front desk --owner anna --segment tier:close
ok "lesson add exits 0" test "$rc" = 0
ok "lesson add prints the new id" test "$out" = 1
run "$R" lesson add 2 Answer the phone away from the desk --owner boris
ok "a second lesson, for the whole process" test "$rc" = 0 -a "$out" = 2
run "$R" lesson link 1 2
ok "lesson link" test "$rc" = 0
run "$R" lesson link 1 2
ok "linking twice is once" test "$rc" = 0

run "$R" lesson show 1 --json
ok "lesson show --json" test "$rc" = 0
ok "with title, segment, owner, status" \
	json 'd["title"]=="Greet every client at the front desk" and d["segment"]=="tier:close" and d["owner"]=="anna" and d["status"]=="open" and d["created_by"]=="tester"'
ok "with its supporting stories" \
	json '[(s["id"],s["contact"]["name"],s["told_on"]) for s in d["supporting"]]==[(1,"Анна Петровна Иванова","2026-11-23"),(2,"John Smith","2026-11-23")] and d["supporting"][1]["text"]=="They ignored me at the front desk"'
ok "its segment is a filter, counted" json 'd["segment_filter"]=={"tier":"close"} and d["segment_size"]==0'
"$R" contact edit Smith --tier close >/dev/null
run "$R" lesson show 1 --json
ok "counted as clients change" json 'd["segment_size"]==1'
before=$(sql "SELECT count(*) FROM lesson")
run "$R" lesson add 2 Greet them --owner anna --segment "close clients"
ok "a segment that is not a filter is refused" test "$rc" = 1
ok "saying what a segment is" has "$err" 'is not a filter term'
run "$R" lesson add 2 Greet them --owner anna --segment "tier:gold"
ok "an unknown tier is refused" test "$rc" = 1 -a -n "$err"
ok "and nothing is written" test "$(sql "SELECT count(*) FROM lesson")" = "$before"
run "$R" lesson show 1
ok "as text" has "$out" "They ignored me at the front desk"

run "$R" lesson list --json
ok "lesson list, oldest first, with the count" json '[(l["id"],l["stories"]) for l in d["lessons"]]==[(1,2),(2,1)]'
run "$R" lesson list --owner boris --json
ok "one owner's" json '[l["id"] for l in d["lessons"]]==[2]'

run "$R" agenda --owner anna --json
ok "on its owner's agenda" json '[(l["id"],l["title"],l["status"],l["stories"]) for l in d["lessons"]]==[(1,"Greet every client at the front desk","open",2)] and "days_open" in d["lessons"][0]'
ok "the agenda's other fields stay" json '"items" in d and "date" in d and "limit" in d'
run "$R" agenda --json
ok "everyone's without an owner" json '[l["id"] for l in d["lessons"]]==[1,2]'
run "$R" agenda --owner anna
ok "the agenda as text shows it" has "$out" "Greet every client at the front desk"

run "$R" lesson set 2 --status doing --note "a quiet room booked"
ok "lesson set doing" test "$rc" = 0
run "$R" lesson list --status doing --json
ok "one status" json '[l["id"] for l in d["lessons"]]==[2] and d["lessons"][0]["note"]=="a quiet room booked"'
run "$R" lesson done 1 --note "a greeter at the desk from December"
ok "lesson done" test "$rc" = 0
run "$R" lesson show 1 --json
ok "done with its note and when" json 'd["status"]=="done" and d["note"]=="a greeter at the desk from December" and d["done_at"] is not None'
run "$R" agenda --owner anna --json
ok "a done lesson leaves the agenda" json 'd["lessons"]==[]'
run "$R" lesson set 2 --status dropped
ok "lesson set dropped" test "$rc" = 0
run "$R" agenda --json
ok "a dropped lesson leaves the agenda" json 'd["lessons"]==[]'

# errors: exit 1, nothing on stdout, a message saying what to do
run "$R" lesson add 1 --owner anna
ok "no title: a usage error" test "$rc" = 2 -a -z "$out"
ok "names it" has "$err" "TITLE"
run "$R" lesson add 1 Something
ok "no owner: a usage error" test "$rc" = 2
ok "asks for it" has "$err" "--owner LOGIN"
run "$R" lesson add 99 Something --owner anna
ok "an unknown story: exit 1" test "$rc" = 1 -a -z "$out"
ok "says so" has "$err" "no story has id 99"
run "$R" lesson done 1 --note again
ok "a done lesson stays done: exit 1" test "$rc" = 1
ok "says to add a new one" has "$err" "new lesson"
run "$R" lesson done 1
ok "done without a note: a usage error" test "$rc" = 2
ok "asks for it" has "$err" "--note"
run "$R" lesson set 1 --status done
ok "set done: exit 1" test "$rc" = 1
ok "points at lesson done" has "$err" "lesson done"
run "$R" lesson set 1 --status maybe
ok "an unknown status: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" lesson show 42
ok "an unknown lesson: exit 1" test "$rc" = 1
ok "names it" has "$err" "no lesson has id 42"
run "$R" lesson link 42 1
ok "link to an unknown lesson: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" lesson list --status later
ok "list of an unknown status: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" lesson list --json
ok "refused adds wrote nothing" json 'len(d["lessons"])==2'

# erasing a client takes the link to their story, never the lesson
run "$R" contact rm Smith
ok "contact rm" test "$rc" = 0
run "$R" lesson show 1 --json
ok "the link went, the lesson stays" json '[s["id"] for s in d["supporting"]]==[1]'
run "$R" lesson show 2 --json
ok "a lesson with no story left stays" json 'd["supporting"]==[] and d["stories"]==0'
finish
